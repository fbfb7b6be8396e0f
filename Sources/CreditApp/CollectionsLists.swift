import CreditCore
import CreditStore
import GRDB

/// The collections engine's two lists: the reminder worklist and the dispute worklist.
public struct CollectionsLists: Sendable {
    public let database: any DatabaseReader
    public let model: ScoringModel

    public init(database: any DatabaseReader, model: ScoringModel) {
        self.database = database
        self.model = model
    }

    public struct Worklist: Sendable, Codable {
        public var asOf: Day
        /// Items on the full list (after filters), of which `items` are the first.
        public var openItems: Int
        /// Open invoices of scored customers the list was ranked from (before filters).
        public var openInvoices: Int
        public var items: [WorklistEntry]
    }

    /// The highest-priority open items today, read from the database. Customers never scored are
    /// not listed: the service scores every customer when it starts and after every event. The
    /// service answers from a `CollectionsIndex` instead; this is the reference it must equal.
    public func worklist(asOf day: Day, limit: Int, step: ReminderStep?, group: String?) async throws -> Worklist {
        let list = CollectionsWorklist(model: model)
        let model = self.model
        return try await database.read { db in
            let risk = try AssessmentStore().latestGrades(db)
            var candidates: [CollectionCandidate] = []
            try CollectionsQueries().forEachOpenInvoice(db, customerId: nil) {
                invoice, customer, name, customerGroup, due, open, disputed, promised in
                guard let latest = risk[customer], let grade = model.grade(code: latest.grade) else { return }
                let pd = latest.pd
                candidates.append(
                    CollectionCandidate(
                        invoiceId: invoice, customerId: customer, customerName: name, group: customerGroup, dueDate: due,
                        openAmount: open, grade: grade, pd: pd, disputed: disputed, promisedBy: promised))
            }
            let (items, listed) = list.top(candidates, asOf: day, limit: limit, step: step, group: group)
            return Worklist(asOf: day, openItems: listed, openInvoices: candidates.count, items: items)
        }
    }

    /// Open disputes on `day`, the most overdue first; only `owner`'s when given, only those
    /// past their deadline when `overdueOnly` (see `DisputeWorkflow.list`).
    public func disputes(asOf day: Day, owner: String? = nil, overdueOnly: Bool = false) async throws -> [DisputeEntry] {
        let deadlines = model.disputeDeadlines
        return try await database.read { db in
            deadlines.worklist(try DisputeStore().openCases(db), asOf: day, owner: owner, overdueOnly: overdueOnly)
        }
    }
}
