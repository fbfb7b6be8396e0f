/// One invoice on the collections worklist (the per-invoice view).
public struct WorklistEntry: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var dueDate: Day
    public var openAmount: Money
    /// What is still claimed: the open balance less its disputed part and a promised part
    /// still held.
    public var claimedAmount: Money
    public var daysPastDue: Int
    public var grade: String
    public var pd: Double
    public var riskClass: String?
    /// Expected loss on the claimed amount weighted by lateness: what the list is ordered by.
    public var priority: Double
    /// The reminder step due now; nil while the next one waits for its day.
    public var step: ReminderStep?
    public var channel: String?
    /// Since when the step due has been due, and so how long it has waited.
    public var dueSince: Day?
    public var waitingDays: Int?
    /// The next step and its day when none is due yet.
    public var nextStep: ReminderStep?
    public var nextStepFrom: Day?
    /// The last step carried out on the invoice and its day.
    public var lastStep: ReminderStep?
    public var lastStepOn: Day?
}

/// One customer on the collections worklist: one entry covers all its overdue invoices, as a
/// reminder letter does, with its unapplied credits netted.
public struct CustomerWorklistEntry: Hashable, Sendable, Codable {
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var grade: String
    public var pd: Double
    public var riskClass: String?
    /// Expected loss on the net amount weighted by the oldest item's lateness.
    public var priority: Double
    /// Claimed amounts of the invoices past due.
    public var overdueAmount: Money
    /// Claimed amounts of invoices not yet due whose pre-due notice is due.
    public var dueSoonAmount: Money
    /// Unapplied credits netted against the overdue amount.
    public var credits: Money
    /// Overdue minus credits, never below zero: what the customer is asked to pay now.
    public var netAmount: Money
    /// Parts held out of the flow: under dispute, or promised and not yet late.
    public var disputedAmount: Money
    public var promisedAmount: Money
    public var overdueInvoices: Int
    public var oldestDaysPastDue: Int
    /// The most advanced step due among the invoices; nil while every next step waits.
    public var step: ReminderStep?
    public var channel: String?
    /// Whether a reminder run issues the step by itself (otherwise a collector's task).
    public var automatic: Bool?
    public var dueSince: Day?
    public var waitingDays: Int?
    /// When nothing is due: the earliest next step and its day.
    public var nextStep: ReminderStep?
    public var nextStepFrom: Day?
    public var lastAction: LastAction?
    public var invoices: [Line]

    /// One of the customer's invoices in the entry.
    public struct Line: Hashable, Sendable, Codable {
        public var invoiceId: String
        public var dueDate: Day
        public var daysPastDue: Int
        public var openAmount: Money
        public var claimedAmount: Money
        public var step: ReminderStep?
        public var nextStep: ReminderStep?
        public var nextStepFrom: Day?
        public var lastStep: ReminderStep?
        public var lastStepOn: Day?
    }
}

/// Which entries a worklist read keeps.
public struct WorklistFilter: Hashable, Sendable {
    /// Only entries whose step due is this one.
    public var step: ReminderStep?
    public var group: String?
    /// Only entries with a step due today (the day's work), or everything still claimed.
    public var dueOnly: Bool

    public init(step: ReminderStep? = nil, group: String? = nil, dueOnly: Bool = true) {
        self.step = step
        self.group = group
        self.dueOnly = dueOnly
    }
}

/// The collections worklist: customers (or, as a filter, invoices) ordered by priority, each
/// with the reminder step due after what was already done.
///
/// Priority is the expected loss (PD × amount claimed, net of credits) weighted by lateness
/// (`CollectionsPolicy.priority`), so a risky customer's large, old balance comes first. What
/// is under dispute is with the dispute's owner, and a promised part waits until the promised
/// day plus grace; the rest of those invoices stays on the list. By default the list holds the
/// day's work, the entries with a step due: once a step is carried out the entry leaves the
/// list until the next one is due (`Dunning`).
public struct CollectionsWorklist: Sendable {
    public var reminders: ReminderPolicy
    public var policy: CollectionsPolicy

    public init(reminders: ReminderPolicy, policy: CollectionsPolicy = .v1) {
        self.reminders = reminders
        self.policy = policy
    }

    public init(model: ScoringModel) {
        self.init(reminders: model.reminders, policy: model.collectionsPolicy)
    }

    /// An item's state as of a day.
    public struct ItemState: Hashable, Sendable {
        public var claimed: Money
        public var disputed: Money
        public var promised: Money
        public var daysPastDue: Int
        public var next: NextStep?
        /// The next step is due today.
        public var due: Bool
        /// The item belongs on the list: still claimed, and past due or with its pre-due
        /// notice due.
        public var listed: Bool
    }

    /// How an item stands on `day` for a customer of `riskClass`.
    public func state(of item: CollectionsAccount.Item, riskClass: ReminderPolicy.RiskClass?, asOf day: Day) -> ItemState {
        let open = item.openAmount
        let disputed = min(max(item.disputedAmount, .zero), max(open, .zero))
        var promised = Money.zero
        if let promise = item.promise, day <= promise.payBy + policy.promiseGraceDays {
            promised = min(promise.amount ?? open, open - disputed)
        }
        let claimed = max(open - disputed - promised, .zero)
        let daysPastDue = day - item.dueDate
        let next = riskClass?.nextStep(dueDate: item.dueDate, asOf: day, progress: item.progress)
        let due = claimed.cents > 0 && (next?.isDue(on: day) ?? false)
        let listed = claimed.cents > 0 && (daysPastDue > 0 || (due && next?.step == .preDueNotice))
        return ItemState(
            claimed: claimed, disputed: disputed, promised: promised, daysPastDue: daysPastDue, next: next, due: due, listed: listed)
    }

    /// The customer's entry on `day`, or nil when it has nothing to chase (nothing claimed,
    /// or credits covering all that is overdue) or the filter leaves it out.
    public func entry(for account: CollectionsAccount, asOf day: Day, filter: WorklistFilter = .init()) -> CustomerWorklistEntry? {
        if let group = filter.group, account.group != group { return nil }
        let riskClass = reminders.riskClass(for: account.grade)
        var overdue = Money.zero
        var dueSoon = Money.zero
        var disputed = Money.zero
        var promised = Money.zero
        var overdueInvoices = 0
        var oldest: CollectionsAccount.Item?
        var oldestDays = Int.min
        var stepDue: (rule: ReminderPolicy.Rule, since: Day)?
        var earliestNext: NextStep?
        var lines: [CustomerWorklistEntry.Line] = []
        for item in account.items {
            let state = state(of: item, riskClass: riskClass, asOf: day)
            disputed += state.disputed
            promised += state.promised
            guard state.listed else { continue }
            if state.daysPastDue > 0 {
                overdue += state.claimed
                overdueInvoices += 1
            } else {
                dueSoon += state.claimed
            }
            if state.daysPastDue > oldestDays {
                oldestDays = state.daysPastDue
                oldest = item
            }
            if let next = state.next {
                if state.due {
                    if let current = stepDue {
                        if next.step.escalation > current.rule.step.escalation {
                            stepDue = (next.rule, next.dueFrom)
                        } else if next.step == current.rule.step, next.dueFrom < current.since {
                            stepDue = (current.rule, next.dueFrom)
                        }
                    } else {
                        stepDue = (next.rule, next.dueFrom)
                    }
                } else if earliestNext.map({ next.dueFrom < $0.dueFrom }) ?? true {
                    earliestNext = next
                }
            }
            lines.append(
                .init(
                    invoiceId: item.invoiceId, dueDate: item.dueDate, daysPastDue: state.daysPastDue, openAmount: item.openAmount,
                    claimedAmount: state.claimed, step: state.due ? state.next?.step : nil,
                    nextStep: state.due ? nil : state.next?.step, nextStepFrom: state.due ? nil : state.next?.dueFrom,
                    lastStep: item.progress?.step, lastStepOn: item.progress?.on))
        }
        guard oldest != nil else { return nil }
        let credits = max(account.credits, .zero)
        let net = max(overdue - credits, .zero)
        if overdue.cents > 0, net.cents == 0, dueSoon.cents == 0 { return nil }
        if filter.dueOnly, stepDue == nil { return nil }
        if let step = filter.step, stepDue?.rule.step != step { return nil }
        let priority =
            overdue.cents > 0
            ? policy.priority(pd: account.pd, openAmount: net, daysPastDue: oldestDays)
            : policy.priority(pd: account.pd, openAmount: dueSoon, daysPastDue: min(oldestDays, 0))
        lines.sort { ($0.dueDate, $0.invoiceId) < ($1.dueDate, $1.invoiceId) }
        return CustomerWorklistEntry(
            customerId: account.customerId, customerName: account.customerName, group: account.group, grade: account.grade.code,
            pd: account.pd, riskClass: riskClass?.name, priority: priority, overdueAmount: overdue, dueSoonAmount: dueSoon,
            credits: credits, netAmount: net, disputedAmount: disputed, promisedAmount: promised, overdueInvoices: overdueInvoices,
            oldestDaysPastDue: max(oldestDays, 0), step: stepDue?.rule.step, channel: stepDue?.rule.channel,
            automatic: stepDue?.rule.isAutomatic, dueSince: stepDue?.since, waitingDays: stepDue.map { day - $0.since },
            nextStep: stepDue == nil ? earliestNext?.step : nil, nextStepFrom: stepDue == nil ? earliestNext?.dueFrom : nil,
            lastAction: account.lastAction, invoices: lines)
    }

    /// The invoice entries of an account on `day` (the per-invoice view), filtered.
    public func invoiceEntries(for account: CollectionsAccount, asOf day: Day, filter: WorklistFilter = .init()) -> [WorklistEntry] {
        if let group = filter.group, account.group != group { return [] }
        let riskClass = reminders.riskClass(for: account.grade)
        return account.items.compactMap { item in
            let state = state(of: item, riskClass: riskClass, asOf: day)
            guard state.listed, !filter.dueOnly || state.due else { return nil }
            if let step = filter.step, !(state.due && state.next?.step == step) { return nil }
            let due = state.due ? state.next : nil
            return WorklistEntry(
                invoiceId: item.invoiceId, customerId: account.customerId, customerName: account.customerName, group: account.group,
                dueDate: item.dueDate, openAmount: item.openAmount, claimedAmount: state.claimed, daysPastDue: state.daysPastDue,
                grade: account.grade.code, pd: account.pd, riskClass: riskClass?.name,
                priority: policy.priority(pd: account.pd, openAmount: state.claimed, daysPastDue: state.daysPastDue),
                step: due?.step, channel: due?.rule.channel, dueSince: due?.dueFrom, waitingDays: due.map { day - $0.dueFrom },
                nextStep: state.due ? nil : state.next?.step, nextStepFrom: state.due ? nil : state.next?.dueFrom,
                lastStep: item.progress?.step, lastStepOn: item.progress?.on)
        }
    }

    /// The `limit` highest-priority customers and how many the full list holds. Keeps only
    /// the best `limit` while reading, so a hundred thousand accounts never sit sorted.
    public func topCustomers(
        _ accounts: some Sequence<CollectionsAccount>, asOf day: Day, limit: Int, filter: WorklistFilter = .init()
    ) -> (entries: [CustomerWorklistEntry], listed: Int) {
        var top = TopList<CustomerWorklistEntry>(limit: limit, ranksBefore: Self.ranksBefore)
        for account in accounts {
            guard !account.items.isEmpty, let entry = entry(for: account, asOf: day, filter: filter) else { continue }
            top.offer(entry)
        }
        return (top.best, top.offered)
    }

    /// The `limit` highest-priority invoices and how many the full list holds.
    public func topInvoices(
        _ accounts: some Sequence<CollectionsAccount>, asOf day: Day, limit: Int, filter: WorklistFilter = .init()
    ) -> (entries: [WorklistEntry], listed: Int) {
        var top = TopList<WorklistEntry>(limit: limit, ranksBefore: Self.ranksBefore)
        for account in accounts where !account.items.isEmpty {
            for entry in invoiceEntries(for: account, asOf: day, filter: filter) { top.offer(entry) }
        }
        return (top.best, top.offered)
    }

    /// Merges the tops of disjoint parts of a portfolio (ranked in parallel) into the top of the
    /// whole: the best `limit` of the union are among the best `limit` of each part.
    public static func merge<Entry>(
        _ parts: [(entries: [Entry], listed: Int)], limit: Int, ranksBefore: (Entry, Entry) -> Bool
    ) -> (entries: [Entry], listed: Int) {
        let entries = parts.flatMap(\.entries).sorted(by: ranksBefore)
        return (Array(entries.prefix(limit)), parts.reduce(0) { $0 + $1.listed })
    }

    public static func ranksBefore(_ a: CustomerWorklistEntry, _ b: CustomerWorklistEntry) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.oldestDaysPastDue != b.oldestDaysPastDue { return a.oldestDaysPastDue > b.oldestDaysPastDue }
        return a.customerId < b.customerId
    }

    public static func ranksBefore(_ a: WorklistEntry, _ b: WorklistEntry) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.dueDate != b.dueDate { return a.dueDate < b.dueDate }
        return a.invoiceId < b.invoiceId
    }
}

/// The best `limit` entries offered so far, in order, and how many were offered.
struct TopList<Entry> {
    let limit: Int
    let ranksBefore: (Entry, Entry) -> Bool
    private(set) var best: [Entry] = []
    private(set) var offered = 0

    init(limit: Int, ranksBefore: @escaping (Entry, Entry) -> Bool) {
        self.limit = max(0, limit)
        self.ranksBefore = ranksBefore
        best.reserveCapacity(self.limit + 1)
    }

    mutating func offer(_ entry: Entry) {
        offered += 1
        if best.count == limit, let last = best.last, !ranksBefore(entry, last) { return }
        guard limit > 0 else { return }
        let index = best.partitioningIndex { ranksBefore(entry, $0) }
        best.insert(entry, at: index)
        if best.count > limit { best.removeLast() }
    }
}

extension Array {
    /// The first index whose element satisfies `belongsAfter`, for a prefix that does not (binary search).
    func partitioningIndex(where belongsAfter: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
