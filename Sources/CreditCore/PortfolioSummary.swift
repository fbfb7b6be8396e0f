/// The short picture of a receivables ledger on a day: how many accounts, how much is owed,
/// how late. Shown after an import and by `creditrisk summary`.
public struct PortfolioSummary: Hashable, Sendable, Codable {
    public var asOf: Day
    public var customers: Int
    public var customersWithOpenItems: Int
    public var invoices: Int
    public var openItems: Int
    public var openReceivables: Money
    public var agedBalance: AgedBalance
    public var openDisputes: Int
    public var disputedAmount: Money

    public init(
        asOf: Day, customers: Int, customersWithOpenItems: Int, invoices: Int, openItems: Int,
        openReceivables: Money, agedBalance: AgedBalance, openDisputes: Int, disputedAmount: Money
    ) {
        self.asOf = asOf
        self.customers = customers
        self.customersWithOpenItems = customersWithOpenItems
        self.invoices = invoices
        self.openItems = openItems
        self.openReceivables = openReceivables
        self.agedBalance = agedBalance
        self.openDisputes = openDisputes
        self.disputedAmount = disputedAmount
    }

    /// Share of receivables (before credits) that is past due, 0 when nothing is owed.
    public var overdueShare: Double {
        agedBalance.receivables.cents <= 0 ? 0 : Double(agedBalance.overdue.cents) / Double(agedBalance.receivables.cents)
    }
}
