import CreditCore
import CreditStore
import GRDB

/// The collections worklist's open items and grades, kept in memory and exact.
///
/// Ranking a million open items from the database takes seconds; ranking them in memory takes
/// milliseconds. The index reads everything once, then before each request replays the
/// collections change log (`CollectionsChangeLog`): a customer touched by an event or a single
/// re-scoring is re-read alone, and only an import or a full scoring run (which rewrite
/// everything anyway) cause a full re-read. It reads in one snapshot, so it never mixes states.
public actor CollectionsIndex {
    public let database: any DatabaseReader
    public let model: ScoringModel
    private var state = State(seq: -1, accounts: [:], openItems: 0)

    /// What the index holds: accounts by customer id, as of change `seq`.
    struct State: Sendable {
        var seq: Int64
        var accounts: [String: CollectionsAccount]
        var openItems: Int
    }

    /// What a refresh found: everything, or the accounts of the customers touched.
    enum Refresh: Sendable {
        case unchanged
        case full(State)
        case partial(from: Int64, to: Int64, accounts: [String: CollectionsAccount?])
    }

    public init(database: any DatabaseReader, model: ScoringModel) {
        self.database = database
        self.model = model
    }

    /// Brings the index up to date and ranks it: the same list `CollectionsLists.worklist` reads
    /// from the database.
    public func worklist(asOf day: Day, limit: Int, step: ReminderStep?, group: String?) async throws
        -> CollectionsLists.Worklist
    {
        try await refresh()
        let (items, listed) = CollectionsWorklist(model: model).top(
            accounts: state.accounts.values, asOf: day, limit: limit, step: step, group: group)
        return CollectionsLists.Worklist(asOf: day, openItems: listed, openInvoices: state.openItems, items: items)
    }

    /// Replays the change log; loops if another refresh applied changes while this one read.
    func refresh() async throws {
        while true {
            let seq = state.seq
            let model = self.model
            let found = try await database.read { db in try Self.read(db, after: seq, model: model) }
            switch found {
            case .unchanged:
                return
            case .full(let fresh):
                if fresh.seq > state.seq { state = fresh }
                return
            case .partial(let from, let to, let accounts):
                guard from == state.seq else { continue }
                for (customerId, account) in accounts {
                    state.openItems -= state.accounts[customerId]?.items.count ?? 0
                    state.accounts[customerId] = account
                    state.openItems += account?.items.count ?? 0
                }
                state.seq = to
                return
            }
        }
    }

    static func read(_ db: Database, after seq: Int64, model: ScoringModel) throws -> Refresh {
        let log = CollectionsChangeLog()
        let (last, customers) = try log.changes(db, after: seq)
        guard last != seq || seq < 0 else { return .unchanged }
        guard let customers, seq >= 0 else {
            let accounts = try loadAccounts(db, customerId: nil, model: model)
            return .full(State(seq: last, accounts: accounts, openItems: accounts.values.reduce(0) { $0 + $1.items.count }))
        }
        var accounts: [String: CollectionsAccount?] = [:]
        for customer in customers {
            accounts[customer] = try loadAccounts(db, customerId: customer, model: model)[customer]
        }
        return .partial(from: seq, to: last, accounts: accounts)
    }

    /// Open items grouped by customer, with the latest grade; customers never scored are left
    /// out, as in the database-backed list.
    static func loadAccounts(_ db: Database, customerId: String?, model: ScoringModel) throws -> [String: CollectionsAccount] {
        let risk: [String: (grade: String, pd: Double)]
        if let customerId {
            risk = try AssessmentStore().latest(db, customerId: customerId).map { [customerId: ($0.grade, $0.pd)] } ?? [:]
        } else {
            risk = try AssessmentStore().latestGrades(db).mapValues { ($0.grade, $0.pd) }
        }
        var accounts: [String: CollectionsAccount] = [:]
        try CollectionsQueries().forEachOpenInvoice(db, customerId: customerId) {
            invoice, customer, name, group, due, open, disputed, promised in
            let item = CollectionsAccount.Item(
                invoiceId: invoice, dueDate: due, openAmount: open, disputed: disputed, promisedBy: promised)
            if accounts[customer] != nil {
                accounts[customer]!.items.append(item)
                return
            }
            guard let latest = risk[customer], let grade = model.grade(code: latest.grade) else { return }
            accounts[customer] = CollectionsAccount(
                customerId: customer, customerName: name, group: group, grade: grade, pd: latest.pd, items: [item])
        }
        return accounts
    }
}
