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
        /// Interest and other financial charges: what interest cover sets operating income against.
        public var financialExpenses: Money?
        /// Cost of goods sold, or purchases consumed and external charges where the form has no such line.
        public var costOfSales: Money?
        /// Wages, salaries and social charges.
        public var personnelCosts: Money?
        /// Tangible, intangible and financial fixed assets, net.
        public var fixedAssets: Money?
        /// Financial debt due within a year (bank overdrafts included).
        public var shortTermFinancialDebt: Money?
        /// Financial debt due after more than a year.
        public var longTermFinancialDebt: Money?
        /// Minority (non-controlling) interests, kept apart from the parent's equity.
        public var minorityInterests: Money?

        /// How many figures the document states: complete accounts state more than simplified ones.
        public var knownCount: Int {
            let figures: [Money?] = [
                revenue, operatingIncome, depreciationAndAmortisation, netIncome, totalAssets, currentAssets, inventories,
                tradeReceivables, cash, totalLiabilities, currentLiabilities, financialDebt, tradePayables, equity,
                retainedEarnings, financialExpenses, costOfSales, personnelCosts, fixedAssets, shortTermFinancialDebt,
                longTermFinancialDebt, minorityInterests,
            ]
            return figures.count { $0 != nil }
        }

        public init(
            revenue: Money? = nil, operatingIncome: Money? = nil, depreciationAndAmortisation: Money? = nil,
            netIncome: Money? = nil, totalAssets: Money? = nil, currentAssets: Money? = nil, inventories: Money? = nil,
            tradeReceivables: Money? = nil, cash: Money? = nil, totalLiabilities: Money? = nil,
            currentLiabilities: Money? = nil, financialDebt: Money? = nil, tradePayables: Money? = nil,
            equity: Money? = nil, retainedEarnings: Money? = nil, financialExpenses: Money? = nil,
            costOfSales: Money? = nil, personnelCosts: Money? = nil, fixedAssets: Money? = nil,
            shortTermFinancialDebt: Money? = nil, longTermFinancialDebt: Money? = nil, minorityInterests: Money? = nil
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
            self.financialExpenses = financialExpenses
            self.costOfSales = costOfSales
            self.personnelCosts = personnelCosts
            self.fixedAssets = fixedAssets
            self.shortTermFinancialDebt = shortTermFinancialDebt
            self.longTermFinancialDebt = longTermFinancialDebt
            self.minorityInterests = minorityInterests
        }
    }

    public var company: Company
    /// Last day of the financial year.
    public var periodEnd: Day
    /// Length of the financial year in months (12 usually; 6 to 24 happen); 0 when the document
    /// does not state it (an INPI first-year filer without a previous closing date): unknown,
    /// never to be read as a year.
    public var periodMonths: Int
    /// ISO 4217 code of every amount.
    public var currency: String
    /// Group accounts rather than the company's own.
    public var consolidated: Bool
    public var amounts: Amounts
    /// The previous year's figures as this document restates them (INPI N-1 column, XBRL
    /// prior-year contexts), so growth can be read from one filing; nil when it gives none.
    public var priorYear: Amounts?
    /// Length of that previous year in months when the document states it (INPI
    /// `duree_exercice_n-1`, the span of XBRL's prior-year flows): a first year of 18 months
    /// against a second of 12 is no fall in sales. Nil when not stated: taken as this year's.
    public var priorYearMonths: Int?

    public init(
        company: Company, periodEnd: Day, periodMonths: Int, currency: String, consolidated: Bool, amounts: Amounts,
        priorYear: Amounts? = nil, priorYearMonths: Int? = nil
    ) {
        self.company = company
        self.periodEnd = periodEnd
        self.periodMonths = periodMonths
        self.currency = currency
        self.consolidated = consolidated
        self.amounts = amounts
        self.priorYear = priorYear
        self.priorYearMonths = priorYear == nil ? nil : priorYearMonths
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
