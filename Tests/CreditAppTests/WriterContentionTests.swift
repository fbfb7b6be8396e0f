import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@testable import CreditApp

/// SQLite has one writer. An import holds it for its whole length; a portfolio run holds it one
/// slice at a time. Requests that write (reservations, events, overrides) wait for it only so
/// long, and a refused request never stores anything, even once the writer frees up.
@Suite("Writer contention")
struct WriterContentionTests {
    /// Holds the database's writer in the background, as an import would, until `release()`
    /// (or ten seconds); returns once it is held.
    final class WriterHold: Sendable {
        let task: Task<Void, any Error>
        private let released = DispatchSemaphore(value: 0)

        init(_ db: any DatabaseWriter) async {
            let (held, signal) = AsyncStream<Void>.makeStream()
            let released = self.released
            task = Task {
                try await db.write { _ in
                    signal.yield()
                    _ = released.wait(timeout: .now() + 10)
                }
            }
            for await _ in held { break }
        }

        /// Lets the writer go and waits until it is free.
        func release() async throws {
            released.signal()
            try await task.value
        }
    }

    static func setting(_ db: any DatabaseWriter, _ key: String) async throws -> String? {
        try await db.read { try String.fetchOne($0, sql: "SELECT value FROM portfolio_setting WHERE key = ?", arguments: [key]) }
    }

    @Test("a write that cannot get the writer within its wait is refused, and stores nothing when the writer frees up")
    func refusedWriteStoresNothing() async throws {
        let db = try CreditDatabase.inMemory()
        let hold = await WriterHold(db)
        let writer = BoundedWriter(db, maximumWait: .milliseconds(200))
        let error = await #expect(throws: WriterBusy.self) {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO portfolio_setting (key, value) VALUES ('probe', 'stored')")
            }
        }
        let waited = error?.waitedSeconds ?? 0
        #expect(waited >= 0.2 && waited < 5, "refused after its wait: \(waited) s")
        #expect(error?.refusalKind == .unavailable && error?.retryAfterSeconds != nil)
        #expect(error?.description.contains("nothing was stored") == true)
        try await hold.release()
        // Writes run in order: this one runs after the refused one had its turn.
        try await db.write { _ in }
        #expect(try await Self.setting(db, "probe") == nil)
    }

    @Test("a write whose writer frees up within the wait is stored")
    func writeWithinWaitIsStored() async throws {
        let db = try CreditDatabase.inMemory()
        let hold = await WriterHold(db)
        async let write: Void = BoundedWriter(db, maximumWait: .seconds(5)).write { db in
            try db.execute(sql: "INSERT INTO portfolio_setting (key, value) VALUES ('probe', 'stored')")
        }
        try await Task.sleep(for: .milliseconds(200))
        try await hold.release()
        try await write
        #expect(try await Self.setting(db, "probe") == "stored")
    }

    @Test("a reservation refused behind a long write answers unavailable and reserves nothing")
    func reservationBehindImport() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        let checks = OrderChecks(database: db, model: model, now: fixedNow, maximumWait: .milliseconds(200))
        let hold = await WriterHold(db)
        await #expect(throws: WriterBusy.self) {
            _ = try await checks.check(customerId: "C0000001", orderId: "O-BUSY", amount: Money(cents: 100), reserve: true, on: day)
        }
        try await hold.release()
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
        let seen = SetOnce<Int>()
        let summary = try await service.scoreAndStore(asOf: day) { scored in
            guard scored == 20 else { return }
            // A write queued now, as a request's would be: what does it find once it runs?
            db.asyncWrite(
                { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM assessment WHERE as_of = ?", arguments: [day.iso]) ?? 0 },
                completion: { _, result in if case .success(let count) = result { seen.set(count) } })
        }
        #expect(summary.customers == 200)
        let during = try #require(seen.get())
        #expect(during >= 20 && during < 200, "the request got the writer after \(during) of 200 customers")
    }

    @Test("a customer paid between a slice's read and its write is stored as scored on the ledger with the payment")
    func changedBetweenReadAndWrite() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        let service = ScoringService(database: db, model: model, now: fixedNow)
        let (customer, invoice, open) = try #require(
            try await db.read { db in
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT customer_id, id, open_cents FROM invoice WHERE open_cents > 100000 AND due_date < '2026-09-01' ORDER BY open_cents DESC LIMIT 1"
                ).map { (row: Row) -> (String, String, Int64) in (row[0], row[1], row[2]) }
            })
        let slice = try await service.prepare(.all, asOf: day)
        let stale = try #require(slice.results.first { $0.assessment.customerId == customer }).assessment
        // The payment arrives while the slice waits to be written.
        _ = try await FeedbackEvents(database: db, model: model, now: fixedNow).payment(
            Payment(id: "PAY-BETWEEN", invoiceId: invoice, paidOn: day, amount: Money(cents: open)), today: day)
        _ = try await service.store(slice, asOf: day, previous: [:], freshness: nil, createdAt: "2026-10-31T12:00:00Z", last: true)
        let stored = try #require(try await db.read { try AssessmentStore().latest($0, customerId: customer) })
        let fresh = try #require(try service.assess(customerId: customer, asOf: day))
        #expect(stored.exposure == fresh.exposure)
        #expect(stored.exposure != stale.exposure, "the payment lowered the exposure")
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
