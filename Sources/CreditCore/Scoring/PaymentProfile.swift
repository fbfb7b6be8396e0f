/// How a customer pays, as of a day, from the events known that day only.
///
/// Days beyond terms are weighted by amount: each payment counts with its own amount and date
/// (an invoice paid in three parts counts three times), and each amount still open and past due
/// counts as if paid on the as-of date. The window holds the invoices falling due in the trailing
/// twelve months (or whatever the model says), plus any older amount still open and past due:
/// windowing on due dates rather than payment dates means paying later can never move an
/// invoice out of the window, so it can never improve the profile.
public struct PaymentProfile: Hashable, Sendable, Codable {
    public var asOf: Day
    /// First due date of the trailing window.
    public var windowStart: Day
    /// Amount-weighted days beyond terms, each event floored at 0 (paying early is not a credit here).
    public var averageDaysBeyondTerms: Double?
    /// Amount-weighted days beyond terms, signed: negative when the customer anticipates.
    public var signedAverageDaysBeyondTerms: Double?
    /// PAYDEX-style index 1–100 of the signed average; nil without events.
    public var paymentIndex: Double?
    /// Share of the weighted amount paid (or still open) more than the late threshold beyond terms.
    public var lateShare: Double?
    /// Average days beyond terms (floored) of invoices due in the recent part of the window ...
    public var recentDaysBeyondTerms: Double?
    /// ... and in the rest of it (with older amounts still open).
    public var earlierDaysBeyondTerms: Double?
    /// Worst single delay in the window, in days (an open item counts to the as-of date).
    public var worstDaysBeyondTerms: Int?
    /// Total amount behind the averages.
    public var weightedAmount: Money
    /// Payment events and open overdue items behind the averages.
    public var events: Int
    public var agedBalance: AgedBalance
    /// Net open balance (never below zero) plus pending orders.
    public var exposure: Money
    /// Past-due amounts over receivables plus pending orders (0 when nothing is owed).
    public var overdueShare: Double
    /// Disputes open on the as-of date.
    public var openDisputes: Int
    /// Disputes opened within the model's recent-dispute window (open or resolved).
    public var recentDisputes: Int
    /// Disputes that are open or recent, each counted once: what the model scores.
    public var disputesScored: Int
    /// The disputed part of the invoices under an open dispute (the whole open balance unless
    /// the dispute names a part, never more than it).
    public var disputedAmount: Money
    /// Promises broken in the model's window (plus any counted outside the ledger): scored.
    public var brokenPromises: Int
    /// The broken promises behind the count, for the explanation and alerts.
    public var brokenPromiseDetails: [BrokenPromise]
    /// Invoices (not credit notes) issued in the trailing window.
    public var invoicesInWindow: Int
    public var firstInvoice: Day?
    public var lastInvoice: Day?
    public var lastPayment: Day?
    /// Too little history to trust the averages; the grade is capped.
    public var isThinFile: Bool
    /// Open amounts more than the default rule's days past due, less the parts under a dispute
    /// opened before the invoice reached that age.
    public var seriouslyPastDue: Money
    /// `seriouslyPastDue` is material under the default rule: the customer is in default.
    public var isPastDueDefault: Bool
    /// Highest balance of invoices the customer carried at once and then paid well (within the
    /// limit policy's tolerance), over the policy's history window: the proof of capacity a
    /// limit without statements rests on.
    public var highestExposurePaidWell: Money

    /// Trend in days: recent average minus earlier average (positive: paying later than before).
    public var trendDays: Double? {
        guard let recent = recentDaysBeyondTerms, let earlier = earlierDaysBeyondTerms else { return nil }
        return recent - earlier
    }
}

extension PaymentProfile {
    /// Computes the profile from `evidence` as of its date under `model`'s windows and thresholds.
    public init(evidence: CustomerEvidence, model: ScoringModel) {
        let asOf = evidence.asOf
        let rules = model.paymentBehaviour
        let invoices = evidence.invoices.filter { $0.issueDate <= asOf }
        var invoiceById = [String: Invoice](minimumCapacity: invoices.count)
        for invoice in invoices { invoiceById[invoice.id] = invoice }
        let payments = evidence.payments.filter { $0.paidOn <= asOf && invoiceById[$0.invoiceId] != nil }
        let disputes = evidence.disputes.filter { $0.openedOn <= asOf && invoiceById[$0.invoiceId] != nil }

        var paid = [String: Money]()
        var lastPaid = [String: Day]()
        for payment in payments {
            paid[payment.invoiceId, default: .zero] += payment.amount
            lastPaid[payment.invoiceId] = max(lastPaid[payment.invoiceId] ?? payment.paidOn, payment.paidOn)
        }
        var contested = [String: [Dispute]]()
        for dispute in disputes where dispute.isOpen(on: asOf) { contested[dispute.invoiceId, default: []].append(dispute) }

        self.asOf = asOf
        let windowStart = asOf - (rules.trailingDays - 1)
        self.windowStart = windowStart
        let recentStart = asOf - (rules.recentDays - 1)

        // Events: (amount in cents, signed days beyond terms, due date).
        var events: [(weight: Double, days: Int, due: Day)] = []
        for payment in payments where payment.amount.cents > 0 {
            guard let invoice = invoiceById[payment.invoiceId], !invoice.isCreditNote, invoice.dueDate >= windowStart
            else { continue }
            events.append((Double(payment.amount.cents), payment.paidOn - invoice.dueDate, invoice.dueDate))
        }
        var openItems: [OpenItem] = []
        var seriouslyPastDue = Money.zero
        var disputedAmount = Money.zero
        for invoice in invoices {
            let open = invoice.amount - (paid[invoice.id] ?? .zero)
            guard open != .zero else { continue }
            openItems.append(OpenItem(invoiceId: invoice.id, customerId: invoice.customerId, dueDate: invoice.dueDate, openAmount: open))
            guard open.cents > 0, !invoice.isCreditNote else { continue }
            // A contested amount is not a payment habit; it is scored as a dispute. Only the
            // disputed part leaves the past-due measures, and only when the dispute was opened
            // before the invoice counted toward default: a dispute raised on an amount already
            // more than the default rule's days past due takes nothing out, so opening one can
            // never lift a customer out of default (nor improve its delays).
            var counted = open
            if let underDispute = contested[invoice.id] {
                disputedAmount += Self.contestedPart(of: open, by: underDispute)
                let inTime = underDispute.filter { $0.openedOn - invoice.dueDate <= model.defaultRule.pastDueDays }
                counted = open - Self.contestedPart(of: open, by: inTime)
            }
            guard counted.cents > 0 else { continue }
            let pastDue = asOf - invoice.dueDate
            if pastDue > 0 { events.append((Double(counted.cents), pastDue, invoice.dueDate)) }
            if pastDue > model.defaultRule.pastDueDays { seriouslyPastDue += counted }
        }

        func mean(_ selected: some Sequence<(weight: Double, days: Int, due: Day)>, floored: Bool) -> Double? {
            var total = 0.0
            var weighted = 0.0
            for event in selected {
                total += event.weight
                weighted += event.weight * Double(floored ? max(0, event.days) : event.days)
            }
            return total > 0 ? weighted / total : nil
        }
        let totalWeight = events.reduce(0) { $0 + $1.weight }
        self.weightedAmount = Money(clampingCents: totalWeight)
        self.events = events.count
        self.averageDaysBeyondTerms = mean(events, floored: true)
        self.signedAverageDaysBeyondTerms = mean(events, floored: false)
        self.paymentIndex = signedAverageDaysBeyondTerms.map { PaymentIndex(anchors: model.paymentIndexAnchors).index(daysBeyondTerms: $0) }
        self.lateShare =
            totalWeight > 0
            ? events.filter { $0.days > rules.lateThresholdDays }.reduce(0) { $0 + $1.weight } / totalWeight : nil
        self.recentDaysBeyondTerms = mean(events.lazy.filter { $0.due >= recentStart }, floored: true)
        self.earlierDaysBeyondTerms = mean(events.lazy.filter { $0.due < recentStart }, floored: true)
        self.worstDaysBeyondTerms = events.map(\.days).max()

        let aged = AgedBalance(openItems: openItems, asOf: asOf)
        self.agedBalance = aged
        self.exposure = aged.exposure(pendingOrders: evidence.pendingOrders)
        let base = aged.receivables + evidence.pendingOrders
        self.overdueShare = base.cents > 0 ? min(1, Double(aged.overdue.cents) / Double(base.cents)) : 0

        let recentDisputeStart = asOf - (rules.recentDisputeDays - 1)
        self.openDisputes = disputes.filter { $0.isOpen(on: asOf) }.count
        self.recentDisputes = disputes.filter { $0.openedOn >= recentDisputeStart }.count
        self.disputesScored = disputes.filter { $0.isOpen(on: asOf) || $0.openedOn >= recentDisputeStart }.count
        self.disputedAmount = disputedAmount
        let collections = model.collectionsPolicy
        let promiseWindowStart = asOf - (collections.brokenPromiseWindowDays - 1)
        self.brokenPromiseDetails = PaymentPromise.judge(
            evidence.promises.filter { $0.promisedOn <= asOf }, invoices: invoices, payments: payments, asOf: asOf,
            graceDays: collections.promiseGraceDays
        ).compactMap(\.broken).filter { $0.deadline >= promiseWindowStart }
        self.brokenPromises = max(0, evidence.brokenPromises) + brokenPromiseDetails.count

        let issued = invoices.filter { !$0.isCreditNote }
        self.invoicesInWindow = issued.filter { $0.issueDate >= windowStart }.count
        self.firstInvoice = issued.map(\.issueDate).min()
        self.lastInvoice = issued.map(\.issueDate).max()
        self.lastPayment = payments.map(\.paidOn).max()
        let historyDays = issued.map(\.issueDate).min().map { asOf - $0 } ?? 0
        self.isThinFile = invoicesInWindow < model.thinFile.minInvoices || historyDays < model.thinFile.minHistoryDays

        self.seriouslyPastDue = seriouslyPastDue
        let rule = model.defaultRule
        self.isPastDueDefault =
            seriouslyPastDue.cents > 0 && seriouslyPastDue >= rule.materialityMoney
            && Double(seriouslyPastDue.cents) >= rule.materialityShare * Double(max(exposure.cents, 1))

        // Highest balance carried at once of invoices fully paid within the tolerance.
        let policy = model.limitPolicy
        let historyStart = asOf - (policy.historyDays - 1)
        var changes: [(day: Day, cents: Int64)] = []
        for invoice in issued where invoice.issueDate >= historyStart {
            guard let settled = lastPaid[invoice.id], (paid[invoice.id] ?? .zero) >= invoice.amount,
                settled - invoice.dueDate <= policy.paidWellMaxDays
            else { continue }
            changes.append((invoice.issueDate, invoice.amount.cents))
            changes.append((settled, -invoice.amount.cents))
        }
        // Same day: settle before adding, so a balance paid off as the next arrives is not counted twice.
        changes.sort { $0.day != $1.day ? $0.day < $1.day : $0.cents < $1.cents }
        var running: Int64 = 0
        var peak: Int64 = 0
        for change in changes {
            running = running.addingSaturated(change.cents)
            peak = max(peak, running)
        }
        self.highestExposurePaidWell = Money(cents: peak)
    }

    /// The part of an invoice with `open` still to pay that `disputes` (open together, which the
    /// store prevents but an import may hold) contest: the whole balance if one contests it
    /// all, else the sum of their parts, never more than `open`.
    public static func contestedPart(of open: Money, by disputes: [Dispute]) -> Money {
        guard !disputes.isEmpty else { return .zero }
        var total = Money.zero
        for dispute in disputes {
            guard let amount = dispute.amount else { return open }
            total += amount
        }
        return min(total, open)
    }
}
