import CreditCore
import CreditStore
import Dispatch
import Foundation
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
    /// The refresh under way: a caller arriving meanwhile waits for it rather than reading the
    /// same million rows a second time.
    private var running: Task<Void, any Error>?
    /// The warm-up placing every customer, and its day: a request for that day arriving
    /// meanwhile waits for it rather than placing the same accounts a second time.
    private var warming: (day: Day, task: Task<Void, any Error>)?

    /// What the index holds as of change `seq`: accounts in an array (ranked in parallel slices)
    /// with each customer's position; a customer left with no open items keeps its slot, empty.
    struct State: Sendable {
        var seq: Int64
        var accounts: [CollectionsAccount]
        var position: [String: Int]
        var openItems: Int
        /// Each account's place on the customer list as of `placedOn` (nil: nothing to chase),
        /// kept between the requests of a day: a request ranks these few bytes per customer, and
        /// only the accounts changed since (`unplaced`) and those added since (past the end of
        /// `placements`) are placed again.
        var placedOn: Day?
        var placements: [CollectionsWorklist.Placement?] = []
        var unplaced: Set<Int> = []

        init(seq: Int64, accounts: [String: CollectionsAccount], openItems: Int) {
            self.seq = seq
            self.accounts = Array(accounts.values)
            self.position = Dictionary(uniqueKeysWithValues: self.accounts.enumerated().map { ($1.customerId, $0) })
            self.openItems = openItems
        }

        mutating func replace(_ customerId: String, with account: CollectionsAccount?) {
            if let index = position[customerId] {
                unplaced.insert(index)
                openItems -= accounts[index].items.count
                if let account {
                    accounts[index] = account
                } else {
                    accounts[index].items = []
                }
            } else if let account {
                position[customerId] = accounts.count
                accounts.append(account)
            }
            openItems += account?.items.count ?? 0
        }
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
    public func worklist(
        asOf day: Day, limit: Int, view: WorklistView, filter: WorklistFilter
    ) async throws
        -> CollectionsLists.Worklist
    {
        if let warming, warming.day == day, view == .customers { _ = try? await warming.task.value }
        try await refresh()
        // Ranking a million items is CPU work: on the shared thread pool, not on the actor's
        // cooperative thread. The state is a copy-on-write snapshot, so refreshes go on.
        let snapshot = state
        let list = CollectionsWorklist(model: model)
        let (worklist, placements) = try await BlockingWork.run {
            let placements = view == .customers ? Self.place(snapshot, list: list, asOf: day) : nil
            let worklist = Self.rank(
                snapshot.accounts, placements: placements, list: list, asOf: day, limit: limit, view: view, filter: filter,
                openInvoices: snapshot.openItems)
            return (worklist, placements)
        }
        if let placements { keep(placements, placedFrom: snapshot, on: day) }
        return worklist
    }

    /// Brings the index up to date and places every customer for `day`: what the service does
    /// at start and after an import or a scoring run, so that the day's first worklist request
    /// finds the index warm.
    public func warm(asOf day: Day) async throws {
        let task = Task { try await self.place(asOf: day) }
        warming = (day, task)
        defer { if warming?.task == task { warming = nil } }
        try await task.value
    }

    private func place(asOf day: Day) async throws {
        try await refresh()
        let snapshot = state
        let list = CollectionsWorklist(model: model)
        keep(try await BlockingWork.run { Self.place(snapshot, list: list, asOf: day) }, placedFrom: snapshot, on: day)
    }

    /// Keeps placements for the next request when nothing changed since `snapshot` (otherwise
    /// the next request places again what changed).
    private func keep(_ placements: [CollectionsWorklist.Placement?], placedFrom snapshot: State, on day: Day) {
        guard state.seq == snapshot.seq, state.unplaced == snapshot.unplaced, state.accounts.count == placements.count else { return }
        state.placements = placements
        state.placedOn = day
        state.unplaced = []
    }

    /// Every account's placement on `day`: the kept ones with the changed accounts placed again
    /// when they are for that day, otherwise all placed afresh, slices on every core.
    static func place(_ state: State, list: CollectionsWorklist, asOf day: Day) -> [CollectionsWorklist.Placement?] {
        let accounts = state.accounts
        if state.placedOn == day, state.placements.count <= accounts.count {
            var placements = state.placements + Array(repeating: nil, count: accounts.count - state.placements.count)
            for index in state.unplaced.union(state.placements.count..<accounts.count) where index < accounts.count {
                placements[index] = list.placement(of: accounts[index], asOf: day)
            }
            return placements
        }
        return placeAll(accounts, list: list, asOf: day)
    }

    /// Every account's placement on `day`, slices on every core.
    static func placeAll(_ accounts: [CollectionsAccount], list: CollectionsWorklist, asOf day: Day) -> [CollectionsWorklist.Placement?] {
        let (workers, slice) = slices(accounts)
        let parts = IndexedResults<[CollectionsWorklist.Placement?]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in parts.set(worker, list.placements(of: slice(worker), asOf: day)) }
        return parts.values.flatMap { $0 }
    }

    /// The accounts cut in one slice per core (a single one for a small portfolio).
    static func slices(_ accounts: [CollectionsAccount]) -> (workers: Int, slice: @Sendable (Int) -> ArraySlice<CollectionsAccount>) {
        let workers = accounts.count < 10_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = (accounts.count + workers - 1) / max(workers, 1)
        return (workers, { worker in accounts[min(worker * chunk, accounts.count)..<min((worker + 1) * chunk, accounts.count)] })
    }

    /// The account of one customer as the index holds it (nil when it has no open item or was
    /// never scored).
    public func account(_ customerId: String) async throws -> CollectionsAccount? {
        try await refresh()
        return state.position[customerId].map { state.accounts[$0] }.flatMap { $0.items.isEmpty ? nil : $0 }
    }

    /// Every account with open items, after bringing the index up to date: what a reminder
    /// run walks.
    public func accounts() async throws -> [CollectionsAccount] {
        try await refresh()
        return state.accounts.filter { !$0.items.isEmpty }
    }

    /// Brings the index up to date with the change log: what each request does first, and what
    /// the service does at start and after a scoring run, so that requests find it warm.
    public func refresh() async throws {
        if let running { _ = try? await running.value }
        let task = Task { try await self.replay() }
        running = task
        defer { if running == task { running = nil } }
        try await task.value
    }

    /// Replays the change log; loops if another refresh applied changes while this one read.
    private func replay() async throws {
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
                for (customerId, account) in accounts { state.replace(customerId, with: account) }
                state.seq = to
                return
            }
        }
    }

    /// The top of the list: customers by their placements (given, or placed here), invoices
    /// ranked in slices on every core and their tops merged.
    static func rank(
        _ accounts: [CollectionsAccount], placements: [CollectionsWorklist.Placement?]? = nil, list: CollectionsWorklist, asOf day: Day,
        limit: Int, view: WorklistView, filter: WorklistFilter, openInvoices: Int
    ) -> CollectionsLists.Worklist {
        switch view {
        case .customers:
            let placements = placements ?? placeAll(accounts, list: list, asOf: day)
            let top = list.topCustomers(accounts[...], placements: placements[...], asOf: day, limit: limit, filter: filter)
            return .init(asOf: day, view: view, listed: top.listed, openInvoices: openInvoices, customers: top.entries, items: nil)
        case .invoices:
            let (workers, slice) = slices(accounts)
            let parts = IndexedResults<(entries: [WorklistEntry], listed: Int)>(count: workers)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                parts.set(worker, list.topInvoices(slice(worker), asOf: day, limit: limit, filter: filter))
            }
            let top = CollectionsWorklist.merge(parts.values, limit: limit, ranksBefore: CollectionsWorklist.ranksBefore)
            return .init(asOf: day, view: view, listed: top.listed, openInvoices: openInvoices, customers: nil, items: top.entries)
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

    /// Open items grouped by customer, with the latest grade, unapplied credits and last
    /// action; customers never scored are left out, as in the database-backed list.
    static func loadAccounts(_ db: Database, customerId: String?, model: ScoringModel) throws -> [String: CollectionsAccount] {
        let risk: [String: (grade: String, pd: Double)]
        if let customerId {
            risk = try AssessmentStore().latest(db, customerId: customerId).map { [customerId: ($0.grade, $0.pd)] } ?? [:]
        } else {
            risk = try AssessmentStore().latestGrades(db).mapValues { ($0.grade, $0.pd) }
        }
        let credits = try CollectionsQueries().credits(db, customerId: customerId)
        let lastActions = try ActivityStore().lastActions(db, customerId: customerId)
        var accounts: [String: CollectionsAccount] = [:]
        try CollectionsQueries().forEachOpenInvoice(db, customerId: customerId) { customer, name, group, item in
            if accounts[customer] != nil {
                accounts[customer]?.items.append(item)
                return
            }
            guard let latest = risk[customer], let grade = model.grade(code: latest.grade) else { return }
            accounts[customer] = CollectionsAccount(
                customerId: customer, customerName: name, group: group, grade: grade, pd: latest.pd,
                credits: credits[customer] ?? .zero, lastAction: lastActions[customer], items: [item])
        }
        return accounts
    }
}
