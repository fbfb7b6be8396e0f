/// An open invoice with what collections needs to rank it.
public struct CollectionCandidate: Hashable, Sendable {
    public var invoiceId: String
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var dueDate: Day
    public var openAmount: Money
    public var grade: Grade
    public var pd: Double
    /// An open dispute takes the invoice out of the reminder flow.
    public var disputed: Bool
    /// The latest payment date promised for the invoice, if any.
    public var promisedBy: Day?

    public init(
        invoiceId: String, customerId: String, customerName: String, group: String?, dueDate: Day, openAmount: Money,
        grade: Grade, pd: Double, disputed: Bool, promisedBy: Day?
    ) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.customerName = customerName
        self.group = group
        self.dueDate = dueDate
        self.openAmount = openAmount
        self.grade = grade
        self.pd = pd
        self.disputed = disputed
        self.promisedBy = promisedBy
    }
}

/// One line of the collections worklist.
public struct WorklistEntry: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var customerId: String
    public var customerName: String
    public var group: String?
    public var dueDate: Day
    public var openAmount: Money
    public var daysPastDue: Int
    public var grade: String
    public var pd: Double
    public var riskClass: String?
    /// Expected loss weighted by lateness: what the list is ordered by.
    public var priority: Double
    /// The reminder step due under the risk class's scenario; nil before its first step.
    public var step: ReminderStep?
    public var channel: String?
}

/// The collections worklist: open invoices ordered by priority, each with the reminder step due.
///
/// Priority is the expected loss (PD × open amount) weighted by lateness (see
/// `CollectionsPolicy.priority`), so a risky customer's large, old invoice comes first; an item
/// not yet due is listed only when its scenario has a pre-due notice that is due. Disputed items
/// leave the list (they are on the dispute worklist); items with a payment promise are held
/// until the promised day plus the policy's grace.
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

    /// The entry for a candidate, or nil when it does not belong on the list today.
    public func entry(for candidate: CollectionCandidate, asOf day: Day) -> WorklistEntry? {
        guard !candidate.disputed, candidate.openAmount.cents > 0 else { return nil }
        if let promised = candidate.promisedBy, day <= promised + policy.promiseGraceDays { return nil }
        let daysPastDue = day - candidate.dueDate
        let riskClass = reminders.riskClass(for: candidate.grade)
        let rule = riskClass.flatMap { ReminderPolicy.step(for: daysPastDue, riskClass: $0) }
        guard daysPastDue > 0 || rule != nil else { return nil }
        return WorklistEntry(
            invoiceId: candidate.invoiceId, customerId: candidate.customerId, customerName: candidate.customerName,
            group: candidate.group, dueDate: candidate.dueDate, openAmount: candidate.openAmount, daysPastDue: daysPastDue,
            grade: candidate.grade.code, pd: candidate.pd, riskClass: riskClass?.name,
            priority: policy.priority(pd: candidate.pd, openAmount: candidate.openAmount, daysPastDue: daysPastDue),
            step: rule?.step, channel: rule?.channel)
    }

    /// The `limit` highest-priority entries (ties by due date, then invoice id), and how many
    /// items the full list holds. Keeps only the best `limit` while reading, so a million open
    /// items never sit sorted in memory.
    public func top(
        _ candidates: some Sequence<CollectionCandidate>, asOf day: Day, limit: Int, step: ReminderStep? = nil,
        group: String? = nil
    ) -> (entries: [WorklistEntry], listed: Int) {
        var best: [WorklistEntry] = []
        var listed = 0
        for candidate in candidates {
            if let group, candidate.group != group { continue }
            guard let entry = entry(for: candidate, asOf: day) else { continue }
            if let step, entry.step != step { continue }
            listed += 1
            if best.count == limit, let last = best.last, !Self.ranksBefore(entry, last) { continue }
            let index = best.partitioningIndex { Self.ranksBefore(entry, $0) }
            best.insert(entry, at: index)
            if best.count > limit { best.removeLast() }
        }
        return (best, listed)
    }

    static func ranksBefore(_ a: WorklistEntry, _ b: WorklistEntry) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.dueDate != b.dueDate { return a.dueDate < b.dueDate }
        return a.invoiceId < b.invoiceId
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
