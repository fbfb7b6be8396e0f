import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Scoring runs")
struct ScoringServiceTests {
    @Test("a run stores one assessment per customer with the model version and the whole assessment as JSON")
    func storesAssessments() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        let summary = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        #expect(summary.customers == 200)
        #expect(summary.grades.map(\.customers).reduce(0, +) == 200)
        try await db.read { db in
            #expect(
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM assessment WHERE model_version = ? AND as_of = ?", arguments: [model.version, day.iso]) == 200)
            let stored = try #require(try AssessmentStore().latest(db, customerId: "C0000007"))
            let decoded = try JSONDecoder().decode(Assessment.self, from: stored.detail)
            #expect(decoded.grade.code == stored.grade)
            #expect(decoded.suggestedLimit == stored.suggestedLimit)
            #expect(!decoded.reasons.isEmpty)
        }
    }

    @Test(
        "a run dated after today or before 1990 is refused and stores nothing: an assessment dated ahead would stand until its day came",
        arguments: ["2026-11-19", "9999-12-31", "0001-01-01"])
    func implausibleDayRefused(text: String) async throws {
        let db = try Repository.demoDatabase()
        let service = ScoringService(database: db, model: try Repository.model(), now: fixedNow)  // today 2026-11-18
        let day = try #require(Day(parsing: text))
        for customerId in [nil, "C0000045"] {
            let refusal = try await #require(throws: Refusal.self) { try await service.scoreAndStore(asOf: day, customerId: customerId) }
            #expect(refusal.description.contains("asOf") && refusal.description.contains(day.iso), "\(refusal)")
        }
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM assessment") } == 0)
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM alert") } == 0)
        _ = try await service.scoreAndStore(asOf: try #require(Day(parsing: "2026-11-18")))  // today is fine
    }

    @Test("the stored assessment is the one assess() computes: scoring in batches on several threads changes nothing")
    func parallelEqualsSingle() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-06-30"))
        let service = ScoringService(database: db, model: model, now: fixedNow)
        _ = try await service.scoreAndStore(asOf: day)
        for id in ["C0000001", "C0000050", "C0000199"] {
            let single = try #require(try service.assess(customerId: id, asOf: day))
            let stored = try #require(try await db.read { try AssessmentStore().latest($0, customerId: id) })
            #expect(try JSONDecoder().decode(Assessment.self, from: stored.detail) == single)
        }
    }

    @Test("a later run that grades a customer worse raises a downgrade alert")
    func downgradeAlert() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let service = ScoringService(database: db, model: model, now: fixedNow)
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await service.scoreAndStore(asOf: day)
        // Record a better grade than today's for one customer, as if an earlier run had given it.
        let id = "C0000007"
        try await db.write { db in
            try db.execute(sql: "UPDATE assessment SET grade = '1', as_of = '2026-01-31' WHERE customer_id = ?", arguments: [id])
            try db.execute(sql: "UPDATE customer_standing SET grade = '1', as_of = '2026-01-31' WHERE customer_id = ?", arguments: [id])
        }
        _ = try await service.scoreAndStore(asOf: day, customerId: id)
        let alerts = try await db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.customerId == id && $0.kind == .downgrade }
        #expect(alerts.count == 1)
        #expect(alerts.first?.detail.hasPrefix("grade 1 (as of 2026-01-31) → ") == true)
    }

    @Test("a payment recorded after the as-of day does not change the assessment")
    func noLookAheadThroughTheStore() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let service = ScoringService(database: db, model: model, now: fixedNow)
        let day = try #require(Day(parsing: "2026-03-31"))
        let id = "C0000007"
        let before = try service.assess(customerId: id, asOf: day)
        try await db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents)
                    VALUES ('LATE-1', ?, '2026-05-01', '2026-05-31', 9999900, 'EUR', 9999900)
                    """,
                arguments: [id])
        }
        #expect(try service.assess(customerId: id, asOf: day) == before)
    }
}
