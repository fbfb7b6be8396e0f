@_spi(Testing) import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The demo moved in time when loaded: its story is the same whatever day it is told on.
@Suite("The demo moved to yesterday")
struct DemoTimeShiftTests {
    static let generatedEnd = Day(parsing: "2026-10-31")!

    func load(movedTo: Day?) async throws -> CreditService {
        let service = try CreditService.inMemory(
            model: try Repository.model(),
            statementDecoder: try StatementReading.decoder(mappingsPath: Repository.path("Models/statement-mappings").path),
            now: noon(of: (movedTo ?? Self.generatedEnd) + 1))  // the demo is moved to yesterday
        _ = try await service.loadPortfolio(from: Repository.path("Fixtures/demo"), scoreAsOf: nil, movedTo: movedTo)
        return service
    }

    @Test("moved 135 days later, the ledger ends on the asked day, every date moves alike, and every grade and PD is the same")
    func sameStory() async throws {
        let asGenerated = try await load(movedTo: nil)
        let target = Day(parsing: "2027-03-15")!
        let moved = try await load(movedTo: target)
        // 2026-10-31 + 135 days = 2027-03-15 (31 − 31 = 0 left in October, then 30 + 31 + 31 + 28 + 15).
        #expect(target - Self.generatedEnd == 135)
        #expect(try moved.portfolio.latestDay() == target)
        func row(_ service: CreditService, _ sql: String) async throws -> [String] {
            try await service.database.read { try String.fetchAll($0, sql: sql) }
        }
        let invoice = "SELECT issue_date || ' ' || due_date FROM invoice WHERE id = 'F0000062-017'"
        #expect(try await row(asGenerated, invoice) == ["2026-05-05 2026-06-19"])
        #expect(try await row(moved, invoice) == ["2026-09-17 2026-11-01"])
        let statement = "SELECT period_end FROM statement WHERE registration_id = '300957735' ORDER BY period_end"
        #expect(try await row(asGenerated, statement) == ["2023-12-31", "2024-12-31", "2025-12-31"])
        #expect(try await row(moved, statement) == ["2024-05-14", "2025-05-15", "2026-05-15"])
        let grades = "SELECT customer_id || ' ' || grade || ' ' || printf('%.12f', pd) FROM customer_standing ORDER BY customer_id"
        let before = try await row(asGenerated, grades)
        #expect(before.count == 200)
        #expect(try await row(moved, grades) == before)
        #expect(try await row(moved, "SELECT DISTINCT as_of FROM customer_standing") == [target.iso])
    }
}
