/// Everything known about a customer as of a day: the store assembles it, the scorer consumes it.
///
/// The store already filters by date, but the scorer filters again: an invoice issued, a payment
/// made, a dispute opened or a statement closed after `asOf` is ignored, so a backtest cannot look
/// ahead even when handed too much.
public struct CustomerEvidence: Hashable, Sendable, Codable {
    public var customer: Customer
    public var asOf: Day
    /// Invoices and credit notes issued on or before `asOf`.
    public var invoices: [Invoice]
    /// Payments made on or before `asOf`.
    public var payments: [Payment]
    /// Disputes opened on or before `asOf`; one resolved after `asOf` is still open as of `asOf`.
    public var disputes: [Dispute]
    /// The customer's sector; nil when the sector table does not know its code.
    public var sector: Sector?
    /// Portfolio-average sector figures, the fallback for an unknown sector.
    public var portfolioSector: Sector
    /// Latest statement with `periodEnd <= asOf`, if any.
    public var statement: FinancialStatement?
    /// Payment promises taken on or before `asOf`; the profile judges which were broken.
    public var promises: [PaymentPromise]
    /// Broken promises known from outside the ledger (a previous system's count), added to
    /// those judged from `promises`.
    public var brokenPromises: Int
    /// A credit manager declared the customer in default.
    public var defaultFlag: Bool
    /// Orders accepted and not yet invoiced: part of the exposure.
    public var pendingOrders: Money
    /// The ledger's currency, in which limits are stated; nil while no ledger set it.
    public var ledgerCurrency: String?

    /// The statement's currency and the ledger's, when the statement is in another.
    public var foreignAccounts: (statement: String, ledger: String)? {
        guard let statement, let ledgerCurrency, statement.currency != ledgerCurrency else { return nil }
        return (statement.currency, ledgerCurrency)
    }

    public init(
        customer: Customer, asOf: Day, invoices: [Invoice] = [], payments: [Payment] = [], disputes: [Dispute] = [],
        sector: Sector?, portfolioSector: Sector, statement: FinancialStatement? = nil, brokenPromises: Int = 0,
        defaultFlag: Bool = false, pendingOrders: Money = .zero, promises: [PaymentPromise] = [], ledgerCurrency: String? = nil
    ) {
        self.promises = promises
        self.ledgerCurrency = ledgerCurrency
        self.customer = customer
        self.asOf = asOf
        self.invoices = invoices
        self.payments = payments
        self.disputes = disputes
        self.sector = sector
        self.portfolioSector = portfolioSector
        self.statement = statement
        self.brokenPromises = brokenPromises
        self.defaultFlag = defaultFlag
        self.pendingOrders = pendingOrders
    }
}
