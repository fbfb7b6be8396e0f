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
            promises: promises.filter { $0.promisedOn <= day }, ledgerCurrency: ledgerCurrency)
    }
}

/// When a ledger shows a default by the model's own rule: material undisputed amounts more
/// than `defaultRule.pastDueDays` past due. The labels of a fit without an outcomes file.
public enum PastDueDefaults {
    /// The days on which the customer was in default by the rule, among the only days a default
    /// can begin: the day after an unpaid invoice passed the threshold, and the day a dispute
    /// on such an invoice ended. Each is checked with `PaymentProfile`, the scorer's own test:
    /// the reference that `DefaultDays` answers questions from without checking them all.
    public static func days(in evidence: CustomerEvidence, model: ScoringModel) -> [Day] {
        candidates(in: evidence, model: model).filter { isDefault(on: $0, in: evidence, model: model) }
    }

    /// The days a default can begin, ascending.
    static func candidates(in evidence: CustomerEvidence, model: ScoringModel) -> [Day] {
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
        return candidates.sorted()
    }

    /// The scorer's own test on the evidence as it stood at the end of `day`.
    static func isDefault(on day: Day, in evidence: CustomerEvidence, model: ScoringModel) -> Bool {
        let statement = evidence.statement.flatMap { $0.periodEnd <= day ? $0 : nil }
        return PaymentProfile(evidence: evidence.asOf(day, statement: statement), model: model).isPastDueDefault
    }
}

/// A customer's default days, worked out only as far as the questions asked need them.
///
/// Each day a default can begin costs a payment profile of the whole history to check, so
/// checking them all is quadratic in the history: twelve thousand one-day disputes on one
/// invoice, or an unpaid invoice a day for thirty years, took minutes a customer. A snapshot
/// panel only asks whether a default falls within a span (before a month end, after it, within
/// the horizon): the candidates of that span are checked in order until one is a default, each
/// at most once. A candidate on which the amounts more than the threshold past due, disputes
/// and all, cannot reach the rule's material amount is no default, without a profile.
public struct DefaultDays {
    private let candidates: [Day]
    private var verdicts: [Bool?]
    private let check: (Day) -> Bool
    /// How many candidates needed a payment profile so far.
    public private(set) var profilesBuilt = 0

    /// Days known to be defaults (from an outcomes file): no question needs a profile.
    public init(known days: [Day]) {
        candidates = Array(Set(days)).sorted()
        verdicts = candidates.map { _ in true }
        check = { _ in true }
    }

    /// The days of the model's rule in `evidence`, checked on demand (`PastDueDefaults`).
    public init(evidence: CustomerEvidence, model: ScoringModel) {
        let candidates = PastDueDefaults.candidates(in: evidence, model: model)
        self.candidates = candidates
        let ceiling = Self.pastDueCeiling(on: candidates, in: evidence, threshold: model.defaultRule.pastDueDays)
        let material = model.defaultRule.materialityMoney.cents
        verdicts = ceiling.map { $0 < material || $0 <= 0 ? false : nil }
        check = { PastDueDefaults.isDefault(on: $0, in: evidence, model: model) }
    }

    /// Whether a default day lies after `lower` and on or before `upper` (nil: no bound).
    public mutating func contains(after lower: Day?, through upper: Day?) -> Bool {
        var index = lower.map(firstCandidate(after:)) ?? 0
        while index < candidates.count, upper.map({ candidates[index] <= $0 }) ?? true {
            if verdict(at: index) { return true }
            index += 1
        }
        return false
    }

    /// Every default day: each candidate checked.
    public mutating func all() -> [Day] {
        candidates.indices.filter { verdict(at: $0) }.map { candidates[$0] }
    }

    /// The index of the first candidate after `day` (binary search; `candidates.count` when none).
    private func firstCandidate(after day: Day) -> Int {
        var (low, high) = (0, candidates.count)
        while low < high {
            let middle = (low + high) / 2
            if candidates[middle] > day { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private mutating func verdict(at index: Int) -> Bool {
        if let known = verdicts[index] { return known }
        let found = check(candidates[index])
        profilesBuilt += 1
        verdicts[index] = found
        return found
    }

    /// For each day, the most that can be more than `threshold` days past due then: the unpaid
    /// part of every invoice (credit notes aside) past that age, disputes not taken out. One
    /// sweep over the invoices' crossings and the payments after them.
    static func pastDueCeiling(on days: [Day], in evidence: CustomerEvidence, threshold: Int) -> [Int64] {
        guard !days.isEmpty else { return [] }
        var paymentsOf: [String: [(day: Day, cents: Int64)]] = [:]
        for payment in evidence.payments { paymentsOf[payment.invoiceId, default: []].append((payment.paidOn, payment.amount.cents)) }
        // (day, change of the ceiling from that day on)
        var changes: [(day: Day, cents: Int64)] = []
        for invoice in evidence.invoices where !invoice.isCreditNote && invoice.amount.cents > 0 {
            let crossing = invoice.dueDate + (threshold + 1)
            let payments = (paymentsOf[invoice.id] ?? []).sorted { $0.day < $1.day }
            var paid: Int64 = 0
            var index = 0
            while index < payments.count, payments[index].day <= crossing {
                paid = paid.addingSaturated(payments[index].cents)
                index += 1
            }
            var counted = max(0, invoice.amount.cents.addingSaturated(-paid))
            changes.append((crossing, counted))
            while index < payments.count {
                paid = paid.addingSaturated(payments[index].cents)
                let now = max(0, invoice.amount.cents.addingSaturated(-paid))
                if now != counted { changes.append((payments[index].day, now.addingSaturated(-counted))) }
                counted = now
                index += 1
            }
        }
        changes.sort { $0.day < $1.day }
        var ceilings: [Int64] = []
        ceilings.reserveCapacity(days.count)
        var running: Int64 = 0
        var next = 0
        for day in days {
            while next < changes.count, changes[next].day <= day {
                running = running.addingSaturated(changes[next].cents)
                next += 1
            }
            ceilings.append(running)
        }
        return ceilings
    }
}
