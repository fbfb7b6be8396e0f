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

    /// Whether the filter keeps a customer of `group` (every group when it names none).
    public func admits(group: String?) -> Bool {
        self.group.map { $0 == group } ?? true
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

    /// What places a customer on the list, found without building its entry: the sums over its
    /// listed items, the step due and the priority. The ranking reads this for every customer and
    /// builds entries (with their invoice lines) only for those that make the top.
    struct Ranking {
        var riskClass: ReminderPolicy.RiskClass?
        var overdue = Money.zero
        var dueSoon = Money.zero
        var disputed = Money.zero
        var promised = Money.zero
        var overdueInvoices = 0
        var oldestDays = Int.min
        var stepDue: (rule: ReminderPolicy.Rule, since: Day)?
        var earliestNext: NextStep?
        var credits = Money.zero
        var net = Money.zero
        var priority = 0.0

        var placement: Placement {
            Placement(priority: priority, oldestDaysPastDue: max(oldestDays, 0), stepDue: stepDue?.rule.step)
        }
    }

    /// Where a customer stands on the day's list, in a few bytes: what the list is ordered by
    /// (priority, then the oldest overdue, then the customer's id) and filtered by (the step
    /// due). The in-memory index keeps one per customer between the requests of a day and
    /// ranks by these alone, building entries only for the top.
    public struct Placement: Hashable, Sendable {
        public var priority: Double
        public var oldestDaysPastDue: Int
        /// The most advanced step due; nil while every next step waits for its day.
        public var stepDue: ReminderStep?

        /// Whether the filter keeps a customer of `group` placed here.
        public func isKept(by filter: WorklistFilter, group: String?) -> Bool {
            guard filter.admits(group: group) else { return false }
            if filter.dueOnly, stepDue == nil { return false }
            if let step = filter.step, stepDue != step { return false }
            return true
        }
    }

    /// The customer's place on `day`, or nil when it has nothing to chase (nothing claimed, or
    /// credits covering all that is overdue) or the filter leaves it out.
    func ranking(of account: CollectionsAccount, asOf day: Day, filter: WorklistFilter) -> Ranking? {
        // The group first: it spares working out the place of a customer the filter leaves out.
        guard filter.admits(group: account.group) else { return nil }
        return ranking(of: account, asOf: day).flatMap { $0.placement.isKept(by: filter, group: account.group) ? $0 : nil }
    }

    /// Where the customer stands on `day` whatever the filter; nil when it has nothing to chase.
    public func placement(of account: CollectionsAccount, asOf day: Day) -> Placement? {
        ranking(of: account, asOf: day)?.placement
    }

    /// The customer's place on `day` before any filter, or nil when it has nothing to chase.
    func ranking(of account: CollectionsAccount, asOf day: Day) -> Ranking? {
        guard !account.items.isEmpty else { return nil }
        var ranking = Ranking(riskClass: reminders.riskClass(for: account.grade))
        var listed = 0
        for item in account.items {
            let state = state(of: item, riskClass: ranking.riskClass, asOf: day)
            ranking.disputed += state.disputed
            ranking.promised += state.promised
            guard state.listed else { continue }
            listed += 1
            if state.daysPastDue > 0 {
                ranking.overdue += state.claimed
                ranking.overdueInvoices += 1
            } else {
                ranking.dueSoon += state.claimed
            }
            ranking.oldestDays = max(ranking.oldestDays, state.daysPastDue)
            if let next = state.next {
                if state.due {
                    if let current = ranking.stepDue {
                        if next.step.escalation > current.rule.step.escalation {
                            ranking.stepDue = (next.rule, next.dueFrom)
                        } else if next.step == current.rule.step, next.dueFrom < current.since {
                            ranking.stepDue = (current.rule, next.dueFrom)
                        }
                    } else {
                        ranking.stepDue = (next.rule, next.dueFrom)
                    }
                } else if ranking.earliestNext.map({ next.dueFrom < $0.dueFrom }) ?? true {
                    ranking.earliestNext = next
                }
            }
        }
        guard listed > 0 else { return nil }
        ranking.credits = max(account.credits, .zero)
        ranking.net = max(ranking.overdue - ranking.credits, .zero)
        if ranking.overdue.cents > 0, ranking.net.cents == 0, ranking.dueSoon.cents == 0 { return nil }
        ranking.priority =
            ranking.overdue.cents > 0
            ? policy.priority(pd: account.pd, openAmount: ranking.net, daysPastDue: ranking.oldestDays)
            : policy.priority(pd: account.pd, openAmount: ranking.dueSoon, daysPastDue: min(ranking.oldestDays, 0))
        return ranking
    }

    /// The customer's entry on `day`, or nil when it has nothing to chase (nothing claimed,
    /// or credits covering all that is overdue) or the filter leaves it out.
    public func entry(for account: CollectionsAccount, asOf day: Day, filter: WorklistFilter = .init()) -> CustomerWorklistEntry? {
        ranking(of: account, asOf: day, filter: filter).map { entry(for: account, ranked: $0, asOf: day) }
    }

    /// The entry of a customer on the list, with a line for each of its listed invoices.
    func entry(for account: CollectionsAccount, ranked ranking: Ranking, asOf day: Day) -> CustomerWorklistEntry {
        var lines: [CustomerWorklistEntry.Line] = []
        for item in account.items {
            let state = state(of: item, riskClass: ranking.riskClass, asOf: day)
            guard state.listed else { continue }
            lines.append(
                .init(
                    invoiceId: item.invoiceId, dueDate: item.dueDate, daysPastDue: state.daysPastDue, openAmount: item.openAmount,
                    claimedAmount: state.claimed, step: state.due ? state.next?.step : nil,
                    nextStep: state.due ? nil : state.next?.step, nextStepFrom: state.due ? nil : state.next?.dueFrom,
                    lastStep: item.progress?.step, lastStepOn: item.progress?.on))
        }
        lines.sort { ($0.dueDate, $0.invoiceId) < ($1.dueDate, $1.invoiceId) }
        let stepDue = ranking.stepDue
        return CustomerWorklistEntry(
            customerId: account.customerId, customerName: account.customerName, group: account.group, grade: account.grade.code,
            pd: account.pd, riskClass: ranking.riskClass?.name, priority: ranking.priority, overdueAmount: ranking.overdue,
            dueSoonAmount: ranking.dueSoon, credits: ranking.credits, netAmount: ranking.net, disputedAmount: ranking.disputed,
            promisedAmount: ranking.promised, overdueInvoices: ranking.overdueInvoices, oldestDaysPastDue: max(ranking.oldestDays, 0),
            step: stepDue?.rule.step, channel: stepDue?.rule.channel, automatic: stepDue?.rule.isAutomatic, dueSince: stepDue?.since,
            waitingDays: stepDue.map { day - $0.since }, nextStep: stepDue == nil ? ranking.earliestNext?.step : nil,
            nextStepFrom: stepDue == nil ? ranking.earliestNext?.dueFrom : nil, lastAction: account.lastAction, invoices: lines)
    }

    /// The invoice entries of an account on `day` (the per-invoice view), filtered.
    public func invoiceEntries(for account: CollectionsAccount, asOf day: Day, filter: WorklistFilter = .init()) -> [WorklistEntry] {
        guard filter.admits(group: account.group) else { return [] }
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
        _ accounts: ArraySlice<CollectionsAccount>, asOf day: Day, limit: Int, filter: WorklistFilter = .init()
    ) -> (entries: [CustomerWorklistEntry], listed: Int) {
        topCustomers(accounts, placements: placements(of: accounts, asOf: day)[...], asOf: day, limit: limit, filter: filter)
    }

    /// Each account's placement on `day` (nil: nothing to chase), in the accounts' order.
    public func placements(of accounts: ArraySlice<CollectionsAccount>, asOf day: Day) -> [Placement?] {
        // Read in place: each account is lent, not copied (a copy retains its names and items,
        // which costs more than placing it).
        accounts.withUnsafeBufferPointer { buffer in buffer.map { placement(of: $0, asOf: day) } }
    }

    /// The same, with each account's placement on `day` already known (`placements` in the
    /// accounts' order, as `placements(of:asOf:)` gives them): the in-memory index keeps them
    /// between the requests of a day, so a request ranks a few bytes per customer and builds
    /// entries only for those that make the top.
    public func topCustomers(
        _ accounts: ArraySlice<CollectionsAccount>, placements: ArraySlice<Placement?>, asOf day: Day, limit: Int,
        filter: WorklistFilter = .init()
    ) -> (entries: [CustomerWorklistEntry], listed: Int) {
        var top = TopList<CustomerWorklistEntry>(limit: limit, ranksBefore: Self.ranksBefore)
        accounts.withUnsafeBufferPointer { accounts in
            placements.withUnsafeBufferPointer { placements in
                for index in 0..<min(accounts.count, placements.count) {
                    guard let placement = placements[index], placement.isKept(by: filter, group: accounts[index].group) else { continue }
                    top.offer(ranksBeforeLast: { Self.ranksBefore(placement, accounts[index].customerId, $0.placement, $0.customerId) }) {
                        ranking(of: accounts[index], asOf: day).map { entry(for: accounts[index], ranked: $0, asOf: day) }
                    }
                }
            }
        }
        return (top.best, top.offered)
    }

    /// The `limit` highest-priority invoices and how many the full list holds.
    public func topInvoices(
        _ accounts: ArraySlice<CollectionsAccount>, asOf day: Day, limit: Int, filter: WorklistFilter = .init()
    ) -> (entries: [WorklistEntry], listed: Int) {
        var top = TopList<WorklistEntry>(limit: limit, ranksBefore: Self.ranksBefore)
        accounts.withUnsafeBufferPointer { accounts in
            for index in accounts.indices where !accounts[index].items.isEmpty {
                for entry in invoiceEntries(for: accounts[index], asOf: day, filter: filter) { top.offer(entry) }
            }
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
        ranksBefore(a.placement, a.customerId, b.placement, b.customerId)
    }

    /// The customer list's order: the highest priority first, then the oldest overdue, then by id.
    static func ranksBefore(_ a: Placement, _ aId: String, _ b: Placement, _ bId: String) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.oldestDaysPastDue != b.oldestDaysPastDue { return a.oldestDaysPastDue > b.oldestDaysPastDue }
        return aId < bId
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
        insert(entry)
    }

    /// Offers an entry built only when it ranks before the last of a full list
    /// (`ranksBeforeLast`, the same order as `ranksBefore`).
    mutating func offer(ranksBeforeLast: (Entry) -> Bool, _ entry: () -> Entry?) {
        offered += 1
        if best.count == limit, let last = best.last, !ranksBeforeLast(last) { return }
        if let entry = entry() { insert(entry) }
    }

    private mutating func insert(_ entry: Entry) {
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

extension CustomerWorklistEntry {
    /// Where the entry stands on its list.
    public var placement: CollectionsWorklist.Placement { .init(priority: priority, oldestDaysPastDue: oldestDaysPastDue, stepDue: step) }
}
