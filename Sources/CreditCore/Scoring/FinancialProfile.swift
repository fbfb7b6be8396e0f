import Foundation

/// Altman's zones for Z''.
public enum AltmanZone: String, Hashable, Sendable, Codable {
    case safe, grey, distress
}

/// What the latest statement known at the as-of date says about solvency and profitability.
///
/// The headline is Altman's Z'' for non-manufacturers (Altman 1995; Altman & Hotchkiss,
/// "Corporate Financial Distress and Bankruptcy", 3rd ed., ch. 12):
/// Z'' = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4 with X1 = working capital / total assets,
/// X2 = retained earnings / total assets, X3 = EBIT / total assets, X4 = book equity / total
/// liabilities. It leaves out asset turnover, which varies too much between sectors for a
/// trade-credit portfolio. Accounts lose weight as they age: full weight for 18 months after the
/// period end (the time it takes to publish the next ones), nothing at 30.
public struct FinancialProfile: Hashable, Sendable, Codable {
    public var periodEnd: Day
    public var periodMonths: Int
    /// Months from the period end to the as-of date (days / 30.4375).
    public var ageMonths: Double
    /// 1 while fresh, fading linearly to 0: multiplies every financial contribution.
    public var ageWeight: Double
    public var x1: Double?
    public var x2: Double?
    public var x3: Double?
    public var x4: Double?
    public var zScore: Double?
    public var zone: AltmanZone?
    /// Equity over total assets.
    public var equityRatio: Double?
    /// Current assets over current liabilities.
    public var currentRatio: Double?
    /// Net income over revenue.
    public var netMargin: Double?
    public var hasNegativeEquity: Bool?
    public var hasLoss: Bool?
    public var equity: Money?
    /// Revenue scaled to twelve months (a 6-month period counts twice).
    public var annualRevenue: Money?
    /// Figures Z'' needed and the statement does not give, by canonical name.
    public var missingFigures: [String]
    /// The ratios a scorecard can weigh (`equityRatio` … `debtService`), those the statement allows.
    public var ratios: [ScoreComponent: Double]

    /// Statement age weight: 1 up to `full` months, 0 from `zero` months, linear in between.
    public static func ageWeight(ageMonths: Double, full: Double, zero: Double) -> Double {
        if ageMonths <= full { return 1 }
        if ageMonths >= zero { return 0 }
        return (zero - ageMonths) / (zero - full)
    }

    /// Altman Z'' for non-manufacturers from its four ratios.
    public static func altmanZ(x1: Double, x2: Double, x3: Double, x4: Double) -> Double {
        6.56 * x1 + 3.26 * x2 + 6.72 * x3 + 1.05 * x4
    }

    /// Bounds on interest cover: a company without financial expenses and with an operating
    /// profit covers them without limit, and beyond 100 times the difference no longer matters.
    public static let interestCoverBounds = -100.0...100.0

    /// The scorecard ratios of a statement. Flows (income, revenue) are scaled to twelve months so
    /// that a short or long first year compares with a normal one; a ratio whose denominator is
    /// missing, zero or negative is left out rather than guessed.
    public static func ratios(of statement: FinancialStatement, liabilities: Money?) -> [ScoreComponent: Double] {
        let a = statement.amounts
        let yearly = statement.periodMonths > 0 ? 12 / Double(statement.periodMonths) : 1
        func value(_ money: Money?) -> Double? { money.map { Double($0.cents) / 100 } }
        func positive(_ money: Money?) -> Double? { value(money).flatMap { $0 > 0 ? $0 : nil } }
        var ratios: [ScoreComponent: Double] = [:]
        let assets = positive(a.totalAssets)
        if let assets {
            ratios[.equityRatio] = value(a.equity).map { $0 / assets }
            ratios[.leverage] = value(liabilities).map { $0 / assets }
            ratios[.returnOnAssets] = value(a.netIncome).map { $0 * yearly / assets }
            ratios[.operatingReturn] = value(a.operatingIncome).map { $0 * yearly / assets }
            ratios[.retainedEarningsRatio] = value(a.retainedEarnings).map { $0 / assets }
            ratios[.workingCapitalRatio] = value(a.workingCapital).map { $0 / assets }
            ratios[.assetTurnover] = value(a.revenue).map { $0 * yearly / assets }
            ratios[.size] = log(assets)
        }
        if let current = positive(a.currentLiabilities) {
            ratios[.currentRatio] = value(a.currentAssets).map { $0 / current }
            if let currentAssets = value(a.currentAssets), let inventories = value(a.inventories) {
                ratios[.quickRatio] = (currentAssets - inventories) / current
            }
            ratios[.cashRatio] = value(a.cash).map { $0 / current }
        }
        if let operating = value(a.operatingIncome), let charges = value(a.financialExpenses), charges >= 0 {
            let bounds = interestCoverBounds
            if charges > 0 {
                ratios[.interestCover] = min(bounds.upperBound, max(bounds.lowerBound, operating / charges))
            } else if operating > 0 {
                ratios[.interestCover] = bounds.upperBound
            }
        }
        if let ebitda = value(a.ebitda), let owed = positive(liabilities) {
            ratios[.debtService] = ebitda * yearly / owed
        }
        // Both years' flows to a year each: the previous year's length when the document states
        // it, else taken as this year's.
        let previousYearly = statement.priorYearMonths.flatMap { $0 > 0 ? 12 / Double($0) : nil } ?? yearly
        if let prior = statement.priorYear, let roa = ratios[.returnOnAssets], let previousAssets = positive(prior.totalAssets),
            let previousIncome = value(prior.netIncome)
        {
            ratios[.returnOnAssetsChange] = roa - previousIncome * previousYearly / previousAssets
        }
        if let revenue = value(a.revenue), let previous = positive(statement.priorYear?.revenue) {
            ratios[.revenueGrowth] = min(10, max(-1, (revenue * yearly) / (previous * previousYearly) - 1))
        }
        return ratios.filter { $0.value.isFinite }
    }

    /// Nil when the statement closed after `asOf` (not known yet) or has no usable figures at all.
    public init?(statement: FinancialStatement, asOf: Day, model: ScoringModel) {
        guard statement.periodEnd <= asOf else { return nil }
        let a = statement.amounts
        self.periodEnd = statement.periodEnd
        self.periodMonths = statement.periodMonths
        self.ageMonths = Double(asOf - statement.periodEnd) / 30.4375
        self.ageWeight = FinancialProfile.ageWeight(
            ageMonths: ageMonths, full: model.financial.fullWeightMonths, zero: model.financial.zeroWeightMonths)

        func ratio(_ numerator: Money?, _ denominator: Money?) -> Double? {
            guard let numerator, let denominator, denominator.cents > 0 else { return nil }
            return Double(numerator.cents) / Double(denominator.cents)
        }
        let liabilities = a.totalLiabilities ?? a.totalAssets.flatMap { assets in a.equity.map { assets - $0 } }
        self.x1 = ratio(a.workingCapital, a.totalAssets)
        self.x2 = ratio(a.retainedEarnings, a.totalAssets)
        self.x3 = ratio(a.operatingIncome, a.totalAssets)
        self.x4 = ratio(a.equity, liabilities)
        var missing: [String] = []
        if a.totalAssets == nil || (a.totalAssets?.cents ?? 0) <= 0 { missing.append("totalAssets") }
        if a.currentAssets == nil { missing.append("currentAssets") }
        if a.currentLiabilities == nil { missing.append("currentLiabilities") }
        if a.retainedEarnings == nil { missing.append("retainedEarnings") }
        if a.operatingIncome == nil { missing.append("operatingIncome") }
        if a.equity == nil { missing.append("equity") }
        if liabilities == nil || (liabilities?.cents ?? 0) <= 0 { missing.append("totalLiabilities") }
        self.missingFigures = missing
        if let x1, let x2, let x3, let x4 {
            let z = FinancialProfile.altmanZ(x1: x1, x2: x2, x3: x3, x4: x4)
            self.zScore = z
            self.zone = z > model.financial.safeAbove ? .safe : (z < model.financial.distressBelow ? .distress : .grey)
        } else {
            self.zScore = nil
            self.zone = nil
        }
        self.equityRatio = ratio(a.equity, a.totalAssets)
        self.currentRatio = ratio(a.currentAssets, a.currentLiabilities)
        self.netMargin = ratio(a.netIncome, a.revenue)
        self.hasNegativeEquity = a.equity.map { $0.cents < 0 }
        self.hasLoss = a.netIncome.map { $0.cents < 0 }
        self.equity = a.equity
        if let revenue = a.revenue, statement.periodMonths > 0 {
            self.annualRevenue = revenue.scaled(by: 12 / Double(statement.periodMonths))
        } else {
            self.annualRevenue = nil
        }
        self.ratios = FinancialProfile.ratios(of: statement, liabilities: liabilities)
        guard zScore != nil || hasNegativeEquity != nil || hasLoss != nil || equity != nil || annualRevenue != nil
        else { return nil }
    }
}
