/// One set of annual accounts in canonical form, whatever format it arrived in (XBRL instance,
/// French "bilans saisis"). Readers fill what the document states; everything else stays nil,
/// and the scoring says which figures it missed rather than guess them.
public struct FinancialStatement: Hashable, Sendable, Codable {
    /// Who the accounts belong to.
    public struct Company: Hashable, Sendable, Codable {
        /// SIREN, LEI, CIK or another company number: the key that matches a customer.
        public var registrationId: String
        public var name: String?
        /// NACE/NAF code when the document states one.
        public var sectorCode: String?

        public init(registrationId: String, name: String? = nil, sectorCode: String? = nil) {
            self.registrationId = registrationId
            self.name = name
            self.sectorCode = sectorCode
        }
    }

    /// Amounts in the statement's currency, in cents; nil when the document does not give them.
    public struct Amounts: Hashable, Sendable, Codable {
        public var revenue: Money?
        /// Operating income (EBIT).
        public var operatingIncome: Money?
        public var depreciationAndAmortisation: Money?
        public var netIncome: Money?
        public var totalAssets: Money?
        public var currentAssets: Money?
        public var inventories: Money?
        public var tradeReceivables: Money?
        public var cash: Money?
        public var totalLiabilities: Money?
        public var currentLiabilities: Money?
        public var financialDebt: Money?
        public var tradePayables: Money?
        public var equity: Money?
        public var retainedEarnings: Money?

        public init(
            revenue: Money? = nil, operatingIncome: Money? = nil, depreciationAndAmortisation: Money? = nil,
            netIncome: Money? = nil, totalAssets: Money? = nil, currentAssets: Money? = nil, inventories: Money? = nil,
            tradeReceivables: Money? = nil, cash: Money? = nil, totalLiabilities: Money? = nil,
            currentLiabilities: Money? = nil, financialDebt: Money? = nil, tradePayables: Money? = nil,
            equity: Money? = nil, retainedEarnings: Money? = nil
        ) {
            self.revenue = revenue
            self.operatingIncome = operatingIncome
            self.depreciationAndAmortisation = depreciationAndAmortisation
            self.netIncome = netIncome
            self.totalAssets = totalAssets
            self.currentAssets = currentAssets
            self.inventories = inventories
            self.tradeReceivables = tradeReceivables
            self.cash = cash
            self.totalLiabilities = totalLiabilities
            self.currentLiabilities = currentLiabilities
            self.financialDebt = financialDebt
            self.tradePayables = tradePayables
            self.equity = equity
            self.retainedEarnings = retainedEarnings
        }
    }

    public var company: Company
    /// Last day of the financial year.
    public var periodEnd: Day
    /// Length of the financial year in months (12 usually; 6 to 24 happen).
    public var periodMonths: Int
    /// ISO 4217 code of every amount.
    public var currency: String
    /// Group accounts rather than the company's own.
    public var consolidated: Bool
    public var amounts: Amounts

    public init(
        company: Company, periodEnd: Day, periodMonths: Int, currency: String, consolidated: Bool, amounts: Amounts
    ) {
        self.company = company
        self.periodEnd = periodEnd
        self.periodMonths = periodMonths
        self.currency = currency
        self.consolidated = consolidated
        self.amounts = amounts
    }
}

extension FinancialStatement.Amounts {
    /// Current assets minus current liabilities: what funds the operating cycle.
    public var workingCapital: Money? {
        guard let currentAssets, let currentLiabilities else { return nil }
        return currentAssets - currentLiabilities
    }

    /// Operating income before depreciation and amortisation.
    public var ebitda: Money? {
        guard let operatingIncome, let depreciationAndAmortisation else { return nil }
        return operatingIncome + depreciationAndAmortisation
    }
}
