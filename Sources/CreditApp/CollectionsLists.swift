import CreditCore
import CreditStore
import GRDB

/// The two views of the collections worklist.
public enum WorklistView: String, Sendable, Codable, CaseIterable {
    /// One entry per customer, covering all its overdue invoices (the default).
    case customers
    /// One entry per invoice.
    case invoices
}

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
        public var view: WorklistView
        /// Entries on the full list (after filters), of which the first are given.
        public var listed: Int
        /// Open invoices of scored customers the list was ranked from (before filters).
        public var openInvoices: Int
        /// The customer entries (the default view).
        public var customers: [CustomerWorklistEntry]?
        /// The invoice entries (`view=invoices`).
        public var items: [WorklistEntry]?
    }

    /// The highest-priority entries today, read from the database. Customers never scored are
    /// not listed: the service scores every customer when it starts and after every event. The
    /// service answers from a `CollectionsIndex` instead; this is the reference it must equal.
    public func worklist(asOf day: Day, limit: Int, view: WorklistView, filter: WorklistFilter) async throws -> Worklist {
        let list = CollectionsWorklist(model: model)
        let model = self.model
        return try await database.read { db in
            let accounts = Array(try CollectionsIndex.loadAccounts(db, customerId: nil, model: model).values)
            return CollectionsIndex.rank(
                accounts, list: list, asOf: day, limit: limit, view: view, filter: filter,
                openInvoices: accounts.reduce(0) { $0 + $1.items.count })
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
