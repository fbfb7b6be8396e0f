import CreditApp
import CreditStore
import Foundation
import GRDB
import Testing

@testable import CreditCore

/// When accounts count as evidence: one rule in the model (`financial.publicationLagDays`), which
/// the store's query follows day for day.
@Suite("Statement availability")
struct StatementAvailabilityTests {
    static let rule = ScoringModel.Financial(
        fullWeightMonths: 18, zeroWeightMonths: 30, safeAbove: 2.6, distressBelow: 1.1, publicationLagDays: 210)
    static let yearEnd = Day(parsing: "2025-12-31")!

    @Test("accounts count from their presumed publication, 210 days after the year end")
    func published() {
        // 2025-12-31 + 210 days = 2026-07-29.
        #expect(!Self.rule.isKnown(periodEnd: Self.yearEnd, receivedOn: nil, on: Day(parsing: "2026-07-28")!))
        #expect(Self.rule.isKnown(periodEnd: Self.yearEnd, receivedOn: nil, on: Day(parsing: "2026-07-29")!))
    }

    @Test("accounts we received count from that day, earlier than publication, but never before the year ended")
    func received() {
        let received = Day(parsing: "2026-03-15")!
        #expect(!Self.rule.isKnown(periodEnd: Self.yearEnd, receivedOn: received, on: received - 1))
        #expect(Self.rule.isKnown(periodEnd: Self.yearEnd, receivedOn: received, on: received))
        // Accounts of a period that has not ended yet (an interim forecast) do not count before its end.
        #expect(!Self.rule.isKnown(periodEnd: Self.yearEnd, receivedOn: Day(parsing: "2025-11-01")!, on: Day(parsing: "2025-12-30")!))
    }

    @Test("the store returns the latest statement the rule says is known, on every day around the edges")
    func storeFollowsTheRule() throws {
        let db = try CreditDatabase.inMemory()
        // Two years of accounts: 2024 received early (2025-02-10), 2025 never received before publication.
        let statements: [(Day, Day)] = [
            (Day(parsing: "2024-12-31")!, Day(parsing: "2025-02-10")!),
            (Day(parsing: "2025-12-31")!, Day(parsing: "2027-01-01")!),
        ]
        try db.write { db in
            for (periodEnd, importedOn) in statements {
                let statement = FinancialStatement(
                    company: .init(registrationId: "552100554"), periodEnd: periodEnd, periodMonths: 12, currency: "EUR",
                    consolidated: false, amounts: .init(revenue: Money(cents: 100)))
                _ = try StatementStore().save(
                    db, statement, source: StatementSource(format: "test", fileName: "t.xml", sha256: "x", importedOn: importedOn))
            }
        }
        var day = Day(parsing: "2024-12-01")!
        while day <= Day(parsing: "2026-09-30")! {
            let expected = statements.filter { Self.rule.isKnown(periodEnd: $0.0, receivedOn: $0.1, on: day) }.map(\.0).max()
            let found = try db.read { try StatementStore().latest($0, registrationId: "552100554", knownOn: day, rule: Self.rule) }
            #expect(found?.periodEnd == expected, "on \(day.iso)")
            day = day + 1
        }
    }
}
