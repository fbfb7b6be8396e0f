import CreditCore

/// Annual accounts drawn from a company's hidden health, so that statements tell the same
/// story as its payments: weak years bring thin or negative equity, losses and poor liquidity.
///
/// Not every company files (about two thirds of those with a SIREN do), some skip a year, some
/// stop filing (stale accounts), and a year's accounts exist only once they would have been
/// published, seven months after the year end, as French filing deadlines make typical.
public struct StatementDrafts: Sendable {
    public let seed: UInt64
    public let endDay: Day

    /// Months between a year end and the day its accounts are public.
    public static let publicationLagMonths = 7

    public init(configuration: GeneratorConfiguration) {
        self.seed = configuration.seed
        self.endDay = configuration.endDay
    }

    /// The company's statements, oldest first; empty for a company that files nothing.
    public func statements(for company: LatentCompany) -> [FinancialStatement] {
        guard let siren = company.customer.registrationId, siren.count == 9, siren.allSatisfy(\.isNumber) else { return [] }
        var random = RandomSource(seed: seed, index: company.index, stream: 11)
        guard random.chance(0.67) else { return [] }
        let stopsFiling = random.chance(0.12)
        let (firstYear, _, _) = company.health.firstMonth.components
        let (endYear, _, _) = endDay.components
        var statements: [FinancialStatement] = []
        var revenue = Double(company.annualRevenue.cents) / 100
        var shareCapitalRatio = random.uniform(0.02, 0.12)
        for year in firstYear...endYear {
            guard let periodEnd = Day(year: year, month: 12, day: 31), let start = Day(year: year, month: 1, day: 1),
                let published = Day(year: year + 1, month: 1 + StatementDrafts.publicationLagMonths, day: 31)
            else { continue }
            guard published <= endDay else { break }
            if let defaultDay = company.defaultDay, defaultDay < published { break }  // a failed company files no more
            if stopsFiling && year >= endYear - 2 { break }
            let health = company.health.average(from: start, through: periodEnd)
            revenue *= 1 + 0.03 * (health - 1.5) + 0.03 * random.normal()
            shareCapitalRatio = max(0.01, shareCapitalRatio)
            if random.chance(0.1) { continue }  // a year not filed
            statements.append(
                draft(
                    company: company, periodEnd: periodEnd, health: health, revenueEuros: max(revenue, 10_000),
                    shareCapitalRatio: shareCapitalRatio, random: &random))
        }
        return statements
    }

    /// One year's accounts. Ratios follow health linearly with noise, within bounds seen in
    /// French SME accounts (Banque de France sector studies: equity about a third of the
    /// balance sheet for sound firms, current ratio 1.2 to 1.8, net margins of a few percent).
    func draft(
        company: LatentCompany, periodEnd: Day, health: Double, revenueEuros: Double, shareCapitalRatio: Double,
        random: inout RandomSource
    ) -> FinancialStatement {
        func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double { min(max(value, low), high) }
        let assetTurnover = clamp(1.5 + 0.3 * random.normal(), 0.6, 3)
        let totalAssets = revenueEuros / assetTurnover
        let equityRatio = clamp(-0.15 + 0.17 * health + 0.05 * random.normal(), -0.45, 0.75)
        let netMargin = clamp(-0.05 + 0.03 * health + 0.012 * random.normal(), -0.35, 0.15)
        let currentRatio = clamp(0.6 + 0.35 * health + 0.12 * random.normal(), 0.25, 3.5)
        let equity = totalAssets * equityRatio
        let totalLiabilities = totalAssets - equity
        let currentAssets = totalAssets * clamp(0.62 + 0.08 * random.normal(), 0.3, 0.9)
        let currentLiabilities = min(currentAssets / currentRatio, totalLiabilities)
        let inventories = currentAssets * clamp(0.25 + 0.08 * random.normal(), 0.02, 0.6)
        let receivables = min(revenueEuros * company.sector.sector.averageDSODays / 365, currentAssets - inventories)
        let cash = max(0, currentAssets - inventories - receivables)
        let tradePayables = currentLiabilities * clamp(0.55 + 0.1 * random.normal(), 0.2, 0.9)
        let financialDebt = max(0, totalLiabilities - currentLiabilities) + (currentLiabilities - tradePayables) * 0.4
        let netIncome = revenueEuros * netMargin
        let depreciation = revenueEuros * clamp(0.03 + 0.01 * random.normal(), 0.005, 0.08)
        let operatingIncome = netIncome * (netIncome >= 0 ? 1.35 : 0.9) + revenueEuros * 0.004
        let retainedEarnings = equity - totalAssets * shareCapitalRatio - netIncome
        func money(_ euros: Double) -> Money { Money(cents: Int64((euros * 100).rounded())) }
        // Published accounts are in whole euros.
        func euros(_ value: Double) -> Money { money(value.rounded()) }
        return FinancialStatement(
            company: .init(
                registrationId: company.customer.registrationId ?? "", name: company.customer.name,
                sectorCode: company.customer.sectorCode),
            // Large companies publish group accounts (in XBRL, see StatementDocuments).
            periodEnd: periodEnd, periodMonths: 12, currency: "EUR", consolidated: StatementDocuments.format(for: company) == .xbrl,
            amounts: .init(
                revenue: euros(revenueEuros), operatingIncome: euros(operatingIncome),
                depreciationAndAmortisation: euros(depreciation), netIncome: euros(netIncome),
                totalAssets: euros(totalAssets), currentAssets: euros(currentAssets), inventories: euros(inventories),
                tradeReceivables: euros(receivables), cash: euros(cash),
                // Liabilities are the balance sheet total less equity, so the published figures balance.
                totalLiabilities: euros(totalAssets) - euros(equity),
                currentLiabilities: euros(currentLiabilities), financialDebt: euros(financialDebt),
                tradePayables: euros(tradePayables), equity: euros(equity), retainedEarnings: euros(retainedEarnings)))
    }
}
