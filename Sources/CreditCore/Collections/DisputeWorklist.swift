/// An open dispute on the dispute worklist: what its owner has to resolve and by when.
public struct DisputeEntry: Hashable, Sendable, Codable {
    /// The latest comment on a dispute, so the next person builds on it.
    public struct Comment: Hashable, Sendable, Codable {
        public var note: String
        public var author: String
        public var day: Day

        public init(note: String, author: String, day: Day) {
            self.note = note
            self.author = author
            self.day = day
        }
    }

    public var invoiceId: String
    public var customerId: String
    public var kind: String
    public var openedOn: Day
    public var ageDays: Int
    public var deadline: Day
    /// Days past the resolution deadline; negative while there is time left.
    public var daysOverdue: Int
    /// The invoice's open balance.
    public var openAmount: Money
    /// The part of it contested (the whole open balance unless the dispute names a part).
    public var disputedAmount: Money
    /// Who resolves it; absent until assigned.
    public var owner: String?
    public var lastComment: Comment?
}

/// An open dispute as the store reads it: the dispute, its invoice's customer and open balance,
/// and its latest comment.
public struct OpenDisputeCase: Hashable, Sendable {
    public var dispute: Dispute
    public var customerId: String
    public var openAmount: Money
    public var lastComment: DisputeEntry.Comment?

    public init(dispute: Dispute, customerId: String, openAmount: Money, lastComment: DisputeEntry.Comment? = nil) {
        self.dispute = dispute
        self.customerId = customerId
        self.openAmount = openAmount
        self.lastComment = lastComment
    }
}

extension DisputeDeadlines {
    /// Open disputes, the most overdue first, then by nearest deadline; only `owner`'s when given
    /// (compared without regard to case), only those past their deadline when `overdueOnly`.
    public func worklist(_ cases: [OpenDisputeCase], asOf day: Day, owner: String? = nil, overdueOnly: Bool = false) -> [DisputeEntry] {
        cases.filter { $0.dispute.isOpen(on: day) }.compactMap { open -> DisputeEntry? in
            let dispute = open.dispute
            if let owner, dispute.owner?.lowercased() != owner.lowercased() { return nil }
            let deadline = deadline(for: dispute)
            let overdue = day - deadline
            if overdueOnly, overdue <= 0 { return nil }
            return DisputeEntry(
                invoiceId: dispute.invoiceId, customerId: open.customerId, kind: dispute.kind, openedOn: dispute.openedOn,
                ageDays: day - dispute.openedOn, deadline: deadline, daysOverdue: overdue, openAmount: open.openAmount,
                disputedAmount: dispute.disputedPart(ofOpen: open.openAmount), owner: dispute.owner, lastComment: open.lastComment)
        }.sorted { ($0.daysOverdue, $1.invoiceId) > ($1.daysOverdue, $0.invoiceId) }
    }

    /// Open disputes without owners or comments, the most overdue first.
    public func worklist(_ disputes: [(Dispute, customerId: String, openAmount: Money)], asOf day: Day) -> [DisputeEntry] {
        worklist(disputes.map { OpenDisputeCase(dispute: $0.0, customerId: $0.customerId, openAmount: $0.openAmount) }, asOf: day)
    }
}
