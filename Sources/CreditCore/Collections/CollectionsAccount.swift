/// A customer's open items with its latest grade and PD, as a worklist kept in memory holds
/// them: the customer's fields once, the items without repeating them.
public struct CollectionsAccount: Hashable, Sendable {
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var grade: Grade
    public var pd: Double
    public var items: [Item]

    /// An open invoice's state for collections.
    public struct Item: Hashable, Sendable {
        public var invoiceId: String
        public var dueDate: Day
        public var openAmount: Money
        public var disputed: Bool
        public var promisedBy: Day?

        public init(invoiceId: String, dueDate: Day, openAmount: Money, disputed: Bool, promisedBy: Day?) {
            self.invoiceId = invoiceId
            self.dueDate = dueDate
            self.openAmount = openAmount
            self.disputed = disputed
            self.promisedBy = promisedBy
        }
    }

    public init(customerId: String, customerName: String, group: String?, grade: Grade, pd: Double, items: [Item]) {
        self.customerId = customerId
        self.customerName = customerName
        self.group = group
        self.grade = grade
        self.pd = pd
        self.items = items
    }

    /// The item as the candidate `CollectionsWorklist.entry(for:asOf:)` judges.
    public func candidate(_ item: Item) -> CollectionCandidate {
        CollectionCandidate(
            invoiceId: item.invoiceId, customerId: customerId, customerName: customerName, group: group,
            dueDate: item.dueDate, openAmount: item.openAmount, grade: grade, pd: pd, disputed: item.disputed,
            promisedBy: item.promisedBy)
    }
}

extension CollectionsWorklist {
    /// The same list as `top(_:asOf:limit:step:group:)` over every account's items, computed
    /// without building an entry for items that cannot make the top: the risk class is looked up
    /// once per customer and an item costs a few comparisons, so a million open items rank in
    /// milliseconds.
    public func top(
        accounts: some Sequence<CollectionsAccount>, asOf day: Day, limit: Int, step: ReminderStep? = nil,
        group: String? = nil
    ) -> (entries: [WorklistEntry], listed: Int) {
        var best: [WorklistEntry] = []
        best.reserveCapacity(limit + 1)
        var listed = 0
        let grace = policy.promiseGraceDays
        for account in accounts {
            if let group, account.group != group { continue }
            let riskClass = reminders.riskClass(for: account.grade)
            for item in account.items {
                guard !item.disputed, item.openAmount.cents > 0 else { continue }
                if let promised = item.promisedBy, day <= promised + grace { continue }
                let daysPastDue = day - item.dueDate
                // The step decides whether an item not yet due is listed, and the step filter;
                // for the common overdue item without a filter it is needed only for the entry.
                var rule: ReminderPolicy.Rule?
                if daysPastDue <= 0 || step != nil {
                    rule = riskClass.flatMap { ReminderPolicy.step(for: daysPastDue, riskClass: $0) }
                    guard daysPastDue > 0 || rule != nil else { continue }
                    if let step, rule?.step != step { continue }
                }
                listed += 1
                guard limit > 0 else { continue }
                let priority = policy.priority(pd: account.pd, openAmount: item.openAmount, daysPastDue: daysPastDue)
                if best.count == limit, let last = best.last {
                    // Cheap rejection before building the entry; ties fall through to the full order.
                    if priority < last.priority { continue }
                    if priority == last.priority,
                        (item.dueDate, item.invoiceId) >= (last.dueDate, last.invoiceId)
                    {
                        continue
                    }
                }
                if rule == nil { rule = riskClass.flatMap { ReminderPolicy.step(for: daysPastDue, riskClass: $0) } }
                let entry = WorklistEntry(
                    invoiceId: item.invoiceId, customerId: account.customerId, customerName: account.customerName,
                    group: account.group, dueDate: item.dueDate, openAmount: item.openAmount, daysPastDue: daysPastDue,
                    grade: account.grade.code, pd: account.pd, riskClass: riskClass?.name, priority: priority,
                    step: rule?.step, channel: rule?.channel)
                let index = best.partitioningIndex { Self.ranksBefore(entry, $0) }
                best.insert(entry, at: index)
                if best.count > limit { best.removeLast() }
            }
        }
        return (best, listed)
    }
}

extension CollectionsWorklist {
    /// Merges the tops of disjoint parts of a portfolio (ranked in parallel) into the top of the
    /// whole: the best `limit` of the union are among the best `limit` of each part.
    public func merge(_ parts: [(entries: [WorklistEntry], listed: Int)], limit: Int) -> (entries: [WorklistEntry], listed: Int) {
        let entries = parts.flatMap(\.entries).sorted(by: Self.ranksBefore)
        return (Array(entries.prefix(limit)), parts.reduce(0) { $0 + $1.listed })
    }
}
