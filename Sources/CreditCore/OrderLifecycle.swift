/// Where an order kept by the service stands. Only an `open` order (a reservation) counts in
/// the exposure, and only for the part its invoices have not billed yet.
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Referred by the check and asked to be reserved: waiting for the credit manager.
    case held
    /// Reserved: counts in the exposure until invoiced or cancelled.
    case open
    /// Billed in full by its invoices, which count in the exposure instead.
    case invoiced
    /// Withdrawn by sales before it was invoiced.
    case cancelled
    /// Refused by the credit manager while held.
    case rejected

    /// The status once the order's invoices bill `invoiced` of its `amount`: a reservation or a
    /// held order billed in full is over (its invoices count now); a correction that bills less
    /// than the amount again reopens the rest of a reservation. A cancelled or rejected order
    /// stays so, its invoices counting in the exposure on their own.
    public func afterInvoicing(amount: Money, invoiced: Money) -> OrderStatus {
        switch self {
        case .open, .invoiced: invoiced >= amount ? .invoiced : .open
        case .held: invoiced >= amount ? .invoiced : .held
        case .cancelled, .rejected: self
        }
    }
}

/// What happened to an order, one step of its history.
public enum OrderAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Approved by a check with reserve (or by a new check of a held order).
    case reserved
    /// Referred by a check with reserve: held for the credit manager.
    case held
    /// Released by the credit manager: a reservation from then on.
    case released
    /// Rejected by the credit manager.
    case rejected
    /// Billed, in part or in full, by invoices that name it.
    case invoiced
    /// Withdrawn by sales.
    case cancelled
}

/// One step of an order's history: who, on which day, why.
public struct OrderStep: Hashable, Sendable, Codable {
    public var action: OrderAction
    public var author: String
    public var day: Day
    public var reason: String?
    /// The order's amount at this step; for `invoiced`, the amount its invoices bill so far.
    public var amount: Money
    /// When it was recorded (ISO 8601 timestamp).
    public var createdAt: String

    public init(action: OrderAction, author: String, day: Day, reason: String?, amount: Money, createdAt: String) {
        self.action = action
        self.author = author
        self.day = day
        self.reason = reason
        self.amount = amount
        self.createdAt = createdAt
    }
}

/// An order the service keeps (held, reserved, invoiced, cancelled or rejected), with the check
/// that decided it and its history. Read as a whole from the store: its figures agree with each
/// other, so it is not edited piecemeal.
public struct KeptOrder: Hashable, Sendable, Codable {
    public let orderId: String
    public let customerId: String
    public let customerName: String
    public let amount: Money
    public let status: OrderStatus
    /// What the order's invoices bill so far.
    public let invoiced: Money
    /// What counts in the exposure now: the amount not yet invoiced of a reservation, else zero.
    public let reserved: Money
    /// When sales asked for it, and who.
    public let requestedOn: Day
    public let requestedBy: String
    /// The check's latest answer for it (a held order: why it was referred, what is approvable).
    public let decision: OrderDecision?
    public let steps: [OrderStep]

    public init(
        orderId: String, customerId: String, customerName: String, amount: Money, status: OrderStatus, invoiced: Money,
        requestedOn: Day, requestedBy: String, decision: OrderDecision?, steps: [OrderStep]
    ) {
        self.orderId = orderId
        self.customerId = customerId
        self.customerName = customerName
        self.amount = amount
        self.status = status
        self.invoiced = invoiced
        self.reserved = status == .open ? max(.zero, amount - invoiced) : .zero
        self.requestedOn = requestedOn
        self.requestedBy = requestedBy
        self.decision = decision
        self.steps = steps
    }
}

extension OrderDecision {
    /// The `order_held` alert for the credit manager when sales reserves an order this decision
    /// referred: the order, who asked, and why it was referred.
    public func heldAlert(orderId: String, requestedBy: String) -> RaisedAlert {
        RaisedAlert(
            kind: .orderHeld,
            detail: "order \(orderId) of \(orderAmount.formatted) held for release or rejection, asked by \(requestedBy): "
                + reasons.joined(separator: "; "),
            condition: orderId)
    }
}

extension OrderStep {
    /// The step in a line: "order SO-1 of 1 300.00 held by sales-anna".
    public func summary(orderId: String) -> String {
        switch action {
        case .invoiced: "order \(orderId): \(amount.formatted) invoiced so far"
        default: "order \(orderId) of \(amount.formatted) \(action.rawValue) by \(author)"
        }
    }

    /// Why an order's reservation changed when invoices naming it arrived: which invoices, what
    /// they bill of the order, and what stays reserved.
    public static func invoicingReason(invoiceIds: [String], invoiced: Money, amount: Money, status: OrderStatus) -> String {
        let which =
            invoiceIds.isEmpty
            ? "no invoice bills it any more"
            : (invoiceIds.count == 1 ? "invoice " : "invoices ") + invoiceIds.prefix(10).joined(separator: ", ")
                + (invoiceIds.count > 10 ? " and \(invoiceIds.count - 10) more" : "") + (invoiceIds.count == 1 ? " bills " : " bill ")
                + "\(invoiced.formatted) of \(amount.formatted)"
        switch status {
        case .invoiced: return which + ": invoiced in full, nothing stays reserved"
        case .open: return which + ": \((amount - invoiced).formatted) stays reserved"
        case .held, .cancelled, .rejected: return which
        }
    }
}
