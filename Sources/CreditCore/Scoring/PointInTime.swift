/// A statement with the day it reached us: what decides whether it counts on a given day.
public struct DatedStatement: Hashable, Sendable {
    public var statement: FinancialStatement
    /// The day it was imported; nil when unknown (then only publication makes it known).
    public var receivedOn: Day?

    public init(statement: FinancialStatement, receivedOn: Day?) {
        self.statement = statement
        self.receivedOn = receivedOn
    }
}

extension ScoringModel.Financial {
    /// The statement that counts on `day`: the latest period known by the publication rule
    /// (`isKnown`), the company's own accounts before group accounts for the same period.
    public func latestKnown(_ candidates: [DatedStatement], on day: Day) -> FinancialStatement? {
        candidates
            .filter { isKnown(periodEnd: $0.statement.periodEnd, receivedOn: $0.receivedOn, on: day) }
            .min { a, b in
                a.statement.periodEnd != b.statement.periodEnd
                    ? a.statement.periodEnd > b.statement.periodEnd
                    : (!a.statement.consolidated && b.statement.consolidated)
            }?.statement
    }
}

extension CustomerEvidence {
    /// The evidence as it stood at the end of `day` (on or before `asOf`), for point-in-time
    /// snapshots: what the store would have read that day, cut from one read of the whole
    /// history. Invoices issued, payments made (on those invoices), disputes opened and promises
    /// taken after `day` are dropped; a dispute resolved later is still open on `day` by its own
    /// dates. Orders pending now and the default flag describe today only, so an earlier day
    /// gets none. `statement` is the one known on `day` (see `latestKnown`).
    public func asOf(_ day: Day, statement: FinancialStatement?) -> CustomerEvidence {
        let issued = invoices.filter { $0.issueDate <= day }
        let ids = Set(issued.map(\.id))
        let earlier = day < asOf
        return CustomerEvidence(
            customer: customer, asOf: day, invoices: issued,
            payments: payments.filter { $0.paidOn <= day && ids.contains($0.invoiceId) },
            disputes: disputes.filter { $0.openedOn <= day && ids.contains($0.invoiceId) }, sector: sector,
            portfolioSector: portfolioSector, statement: statement, brokenPromises: brokenPromises,
            defaultFlag: earlier ? false : defaultFlag, pendingOrders: earlier ? .zero : pendingOrders,
            promises: promises.filter { $0.promisedOn <= day })
    }
}

/// When a ledger shows a default by the model's own rule: material undisputed amounts more
/// than `defaultRule.pastDueDays` past due. The labels of a fit without an outcomes file.
public enum PastDueDefaults {
    /// The days on which the customer was in default by the rule, among the only days a default
    /// can begin: the day after an unpaid invoice passed the threshold, and the day a dispute
    /// on such an invoice ended. Each is checked with `PaymentProfile`, the scorer's own test.
    public static func days(in evidence: CustomerEvidence, model: ScoringModel) -> [Day] {
        let threshold = model.defaultRule.pastDueDays
        var paidBy: [String: [(day: Day, cents: Int64)]] = [:]
        for payment in evidence.payments { paidBy[payment.invoiceId, default: []].append((payment.paidOn, payment.amount.cents)) }
        func unpaid(_ invoice: Invoice, on day: Day) -> Bool {
            let paid = (paidBy[invoice.id] ?? []).reduce(Int64(0)) { $0 &+ ($1.day <= day ? $1.cents : 0) }
            return paid < invoice.amount.cents
        }
        var candidates = Set<Day>()
        let byId = Dictionary(evidence.invoices.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for invoice in evidence.invoices where !invoice.isCreditNote {
            let crossing = invoice.dueDate + (threshold + 1)
            if crossing <= evidence.asOf, unpaid(invoice, on: crossing) { candidates.insert(crossing) }
        }
        for dispute in evidence.disputes {
            guard let ended = dispute.resolvedOn, ended <= evidence.asOf, let invoice = byId[dispute.invoiceId] else { continue }
            if ended - invoice.dueDate > threshold, unpaid(invoice, on: ended) { candidates.insert(ended) }
        }
        return candidates.sorted().filter { day in
            let statement = evidence.statement.flatMap { $0.periodEnd <= day ? $0 : nil }
            return PaymentProfile(evidence: evidence.asOf(day, statement: statement), model: model).isPastDueDefault
        }
    }
}
