/// A customer's open items with its latest grade and PD, its unapplied credits and its last
/// action: what the collections worklist ranks, as the in-memory index holds it (the customer's
/// fields once, the items without repeating them).
public struct CollectionsAccount: Hashable, Sendable {
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var grade: Grade
    public var pd: Double
    /// Credit notes not yet applied (their open balances), as a positive amount: netted
    /// against what the customer is asked to pay.
    public var credits: Money
    public var lastAction: LastAction?
    /// Open invoices with a positive balance.
    public var items: [Item]

    /// An open invoice's state for collections.
    public struct Item: Hashable, Sendable {
        public var invoiceId: String
        public var dueDate: Day
        public var openAmount: Money
        /// The part under an open dispute (zero when none): it is with the dispute's owner.
        public var disputedAmount: Money
        /// The latest promise taken on the invoice.
        public var promise: HeldPromise?
        /// The last reminder step carried out on it.
        public var progress: DunningProgress?

        public init(
            invoiceId: String, dueDate: Day, openAmount: Money, disputedAmount: Money = .zero, promise: HeldPromise? = nil,
            progress: DunningProgress? = nil
        ) {
            self.invoiceId = invoiceId
            self.dueDate = dueDate
            self.openAmount = openAmount
            self.disputedAmount = disputedAmount
            self.promise = promise
            self.progress = progress
        }
    }

    public init(
        customerId: String, customerName: String, group: String?, grade: Grade, pd: Double, credits: Money = .zero,
        lastAction: LastAction? = nil, items: [Item]
    ) {
        self.customerId = customerId
        self.customerName = customerName
        self.group = group
        self.grade = grade
        self.pd = pd
        self.credits = credits
        self.lastAction = lastAction
        self.items = items
    }
}

/// A payment promise as the worklist reads it: the promised part is held until the promised
/// day plus the policy's grace; the rest of the invoice stays on the list.
public struct HeldPromise: Hashable, Sendable, Codable {
    public var payBy: Day
    /// The amount promised; nil: the whole balance.
    public var amount: Money?

    public init(payBy: Day, amount: Money?) {
        self.payBy = payBy
        self.amount = amount
    }
}
