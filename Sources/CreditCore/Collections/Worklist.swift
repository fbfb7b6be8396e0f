/// An open dispute on the dispute worklist.
public struct DisputeEntry: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var customerId: String
    public var kind: String
    public var openedOn: Day
    public var ageDays: Int
    public var deadline: Day
    /// Days past the resolution deadline; negative while there is time left.
    public var daysOverdue: Int
    public var openAmount: Money
}

extension DisputeDeadlines {
    /// Open disputes, the most overdue first, then by nearest deadline.
    public func worklist(_ disputes: [(Dispute, customerId: String, openAmount: Money)], asOf day: Day) -> [DisputeEntry] {
        disputes.filter { $0.0.isOpen(on: day) }.map { dispute, customerId, open in
            let deadline = deadline(for: dispute)
            return DisputeEntry(
                invoiceId: dispute.invoiceId, customerId: customerId, kind: dispute.kind, openedOn: dispute.openedOn,
                ageDays: day - dispute.openedOn, deadline: deadline, daysOverdue: day - deadline, openAmount: open)
        }.sorted { ($0.daysOverdue, $1.invoiceId) > ($1.daysOverdue, $0.invoiceId) }
    }
}
