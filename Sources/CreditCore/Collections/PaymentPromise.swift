/// A customer's promise, taken by collections, to pay an invoice by a date.
///
/// A promise holds the invoice out of the reminder flow until `payBy` plus the model's grace; a
/// promise not kept is evidence against the customer's payment behaviour, as strong as a late
/// payment and usually earlier.
public struct PaymentPromise: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var promisedOn: Day
    public var payBy: Day
    /// The amount promised; nil means the whole balance open on the day of the promise.
    public var amount: Money?

    public init(invoiceId: String, promisedOn: Day, payBy: Day, amount: Money? = nil) {
        self.invoiceId = invoiceId
        self.promisedOn = promisedOn
        self.payBy = payBy
        self.amount = amount
    }

    public enum Status: String, Hashable, Sendable, Codable {
        /// The promised day plus grace has not passed yet.
        case pending
        /// Paid as promised, within the grace.
        case kept
        /// A later promise on the same invoice was taken before this one fell due: the first
        /// is judged no more, the new date is.
        case superseded
        case broken
    }

    /// The last day a payment still keeps the promise.
    public func deadline(graceDays: Int) -> Day { payBy + graceDays }
}

/// A promise judged broken, with what was promised and what came: the line an alert and an
/// explanation quote.
public struct BrokenPromise: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var promisedOn: Day
    public var payBy: Day
    public var deadline: Day
    public var promised: Money
    public var paid: Money
}

extension PaymentPromise {
    /// Judges each promise as of `asOf` from the invoices and payments known that day.
    ///
    /// Kept means the payments on the invoice from the day of the promise up to the deadline
    /// (promised day plus grace) reach the promised amount, or that nothing is left to pay by
    /// the deadline. A promise whose invoice is unknown is judged on the promised amount alone.
    public static func judge(
        _ promises: [PaymentPromise], invoices: [Invoice], payments: [Payment], asOf: Day, graceDays: Int
    ) -> [(promise: PaymentPromise, status: Status, broken: BrokenPromise?)] {
        guard !promises.isEmpty else { return [] }
        let amounts = Dictionary(invoices.map { ($0.id, $0.amount) }, uniquingKeysWith: { first, _ in first })
        var paymentsByInvoice: [String: [Payment]] = [:]
        let promised = Set(promises.map(\.invoiceId))
        for payment in payments where promised.contains(payment.invoiceId) {
            paymentsByInvoice[payment.invoiceId, default: []].append(payment)
        }
        let byInvoice = Dictionary(grouping: promises, by: \.invoiceId)
        return promises.map { promise in
            let deadline = promise.deadline(graceDays: graceDays)
            let later = byInvoice[promise.invoiceId, default: []].contains {
                $0 != promise && $0.promisedOn <= deadline
                    && ($0.promisedOn, $0.payBy) > (promise.promisedOn, promise.payBy)
            }
            let onInvoice = paymentsByInvoice[promise.invoiceId, default: []]
            let paidBefore = onInvoice.filter { $0.paidOn < promise.promisedOn }.reduce(Money.zero) { $0 + $1.amount }
            let paidSince = onInvoice.filter { $0.paidOn >= promise.promisedOn && $0.paidOn <= min(deadline, asOf) }
                .reduce(Money.zero) { $0 + $1.amount }
            let openWhenPromised = amounts[promise.invoiceId].map { $0 - paidBefore }
            let due = promise.amount ?? openWhenPromised ?? .zero
            let settled = paidSince >= due || (openWhenPromised.map { paidSince >= $0 } ?? false)
            if settled { return (promise, .kept, nil) }
            if later { return (promise, .superseded, nil) }
            if asOf <= deadline { return (promise, .pending, nil) }
            return (
                promise, .broken,
                BrokenPromise(
                    invoiceId: promise.invoiceId, promisedOn: promise.promisedOn, payBy: promise.payBy, deadline: deadline,
                    promised: due, paid: paidSince)
            )
        }
    }
}
