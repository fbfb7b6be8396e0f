import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// SQLite has one writer. An import holds it for its whole length; a portfolio run holds it one
/// slice at a time. Requests that write (reservations, events, overrides) wait for it only so
/// long, and a refused request never stores anything, even once the writer frees up.
@Suite("Writer contention")
struct WriterContentionTests {
    /// Holds the database's writer for `seconds` in the background; returns once it is held.
    static func holdWriter(_ db: any DatabaseWriter, seconds: Double) async -> Task<Void, any Error> {
        let (held, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await db.write { _ in
                signal.yield()
                Thread.sleep(forTimeInterval: seconds)
            }
        }
        for await _ in held { break }
        return task
    }

    static func setting(_ db: any DatabaseWriter, _ key: String) async throws -> String? {
        try await db.read { try String.fetchOne($0, sql: "SELECT value FROM portfolio_setting WHERE key = ?", arguments: [key]) }
    }

    @Test("a write that cannot get the writer within its wait is refused, and stores nothing when the writer frees up")
    func refusedWriteStoresNothing() async throws {
        let db = try CreditDatabase.inMemory()
        let holder = await Self.holdWriter(db, seconds: 1.0)
        let writer = BoundedWriter(db, maximumWait: .milliseconds(200))
        let error = await #expect(throws: WriterBusy.self) {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO portfolio_setting (key, value) VALUES ('probe', 'stored')")
            }
        }
        let waited = error?.waitedSeconds ?? 0
        #expect(waited >= 0.2 && waited < 0.9, "refused after its wait, not after the holder: \(waited) s")
        #expect(error?.refusalKind == .unavailable && error?.retryAfterSeconds != nil)
        #expect(error?.description.contains("nothing was stored") == true)
        try await holder.value
        // Writes run in order: this one runs after the refused one had its turn.
        try await db.write { _ in }
        #expect(try await Self.setting(db, "probe") == nil)
    }

    @Test("a write whose writer frees up within the wait is stored")
    func writeWithinWaitIsStored() async throws {
        let db = try CreditDatabase.inMemory()
        let holder = await Self.holdWriter(db, seconds: 0.2)
        try await BoundedWriter(db, maximumWait: .seconds(5)).write { db in
            try db.execute(sql: "INSERT INTO portfolio_setting (key, value) VALUES ('probe', 'stored')")
        }
        try await holder.value
        #expect(try await Self.setting(db, "probe") == "stored")
    }

    @Test("a reservation refused behind a long write answers unavailable and reserves nothing")
    func reservationBehindImport() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        let checks = OrderChecks(database: db, model: model, now: fixedNow, maximumWait: .milliseconds(200))
        let holder = await Self.holdWriter(db, seconds: 1.0)
        await #expect(throws: WriterBusy.self) {
            _ = try await checks.check(customerId: "C0000001", orderId: "O-BUSY", amount: Money(cents: 100), reserve: true, on: day)
        }
        try await holder.value
        try await db.write { _ in }
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM order_check") } == 0)
        // The same order goes through once the writer is free.
        let result = try await checks.check(customerId: "C0000001", orderId: "O-BUSY", amount: Money(cents: 100), reserve: true, on: day)
        #expect(result.orderId == "O-BUSY")
    }

    @Test("a portfolio run writes slice by slice: an event reported during the run is stored before the run ends")
    func eventsGetInBetweenSlices() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        let service = ScoringService(database: db, model: model, now: fixedNow, customersPerTransaction: 20)
        let seen = SetOnce<Task<Int, any Error>>()
        let summary = try await service.scoreAndStore(asOf: day) { scored in
            guard scored == 20 else { return }
            // What a request arriving now finds: the run's assessments so far, not all 200.
            seen.set(
                Task {
                    try await BoundedWriter(db, maximumWait: .seconds(5)).write { db in
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM assessment WHERE as_of = ?", arguments: [day.iso]) ?? 0
                    }
                })
        }
        #expect(summary.customers == 200)
        let during = try await #require(seen.get()).value
        #expect(during >= 20 && during < 200, "the request got the writer after \(during) of 200 customers")
    }

    @Test("slicing a run changes nothing in what it stores")
    func slicesEqualOneTransaction() async throws {
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        func grades(slice: Int) async throws -> [String: String] {
            let db = try Repository.demoDatabase()
            _ = try await ScoringService(database: db, model: model, now: fixedNow, customersPerTransaction: slice).scoreAndStore(asOf: day)
            return try await db.read { db in
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT customer_id, grade || ' ' || suggested_limit_cents FROM assessment")
                        .map { (row: Row) -> (String, String) in (row[0], row[1]) })
            }
        }
        let whole = try await grades(slice: 10_000)
        #expect(whole.count == 200)
        #expect(try await grades(slice: 7) == whole)
    }
}

/// A value set once from a `@Sendable` closure and read afterwards.
final class SetOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value? { lock.withLock { value } }
}
