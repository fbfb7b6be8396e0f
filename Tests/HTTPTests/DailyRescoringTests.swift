import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Logging
import Testing

@Suite("Daily re-scoring")
struct DailyRescoringTests {
    @Test("when the day turns, the portfolio is re-scored once and a promise broken overnight raises its alert")
    func rescoresOncePerDay() async throws {
        let dependencies = try APITests.dependencies()
        let db = dependencies.database
        let model = dependencies.model
        let exportDay = APITests.today
        _ = try await ScoringService(database: db, model: model).scoreAndStore(asOf: exportDay)
        let invoice = try #require(
            try await db.read { try String.fetchOne($0, sql: "SELECT id FROM invoice WHERE open_cents > 0 ORDER BY open_cents DESC LIMIT 1") })
        _ = try await FeedbackEvents(database: db, model: model).promise(
            invoiceId: invoice, payBy: exportDay + 2, amount: nil, author: "test", today: exportDay)

        // The service's own clock turns with the day, as the server's does.
        let clock = DayBox(exportDay)
        let service = CreditService(
            database: db, model: model, statementDecoder: nil,
            now: { Date(timeIntervalSince1970: Double(clock.day.daysSinceEpoch) * 86_400 + 43_200) })
        let daily = DailyRescoring(service: service, logger: Logger(label: "test"))
        #expect(try await daily.rescoreIfStale() == nil, "already scored today")
        clock.day = exportDay + 6  // deadline 11-05 (2 + 3 days of grace) has passed
        let run = try #require(try await daily.rescoreIfStale())
        #expect(run.customers == 200)
        #expect(run.asOf == exportDay + 6)
        #expect(try await daily.rescoreIfStale() == nil, "once a day")

        // An event the next morning re-scores one customer as of that day; the others are still
        // as of yesterday, so the daily run must still happen.
        clock.day = exportDay + 7
        _ = try await FeedbackEvents(database: db, model: model).openDispute(
            invoiceId: invoice, kind: "price", on: exportDay + 7, today: exportDay + 7)
        let nextRun = try #require(try await daily.rescoreIfStale(), "one customer scored today is not the portfolio")
        #expect(nextRun.customers == 200)
        let alerts = try await db.read { try AlertStore().alerts($0, AlertFilter()) }
        #expect(alerts.contains { $0.kind == .brokenPromise && $0.detail.contains(invoice) })
    }
}

/// A settable clock for the test.
final class DayBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Day
    init(_ day: Day) { value = day }
    var day: Day {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
