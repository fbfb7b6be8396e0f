import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// What the statement table keeps: every figure of the canonical statement and of the previous
/// year it restates, read back exactly as saved.
@Suite("Statement store")
struct StatementStoreTests {
    static let source = StatementSource(format: "test", fileName: "t.xml", sha256: "x", importedOn: Day(parsing: "2026-03-01")!)

    /// Amounts whose every figure differs (cents included), so that a column read into the wrong
    /// field cannot go unnoticed; `base` shifts them for a second year.
    static func amounts(_ base: Int64) -> FinancialStatement.Amounts {
        func m(_ n: Int64) -> Money { Money(cents: base + n * 100_001) }
        return FinancialStatement.Amounts(
            revenue: m(1), operatingIncome: m(2), depreciationAndAmortisation: m(3), netIncome: Money(cents: -(base + 4)),
            totalAssets: m(5), currentAssets: m(6), inventories: m(7), tradeReceivables: m(8), cash: m(9),
            totalLiabilities: m(10), currentLiabilities: m(11), financialDebt: m(12), tradePayables: m(13), equity: m(14),
            retainedEarnings: Money(cents: -(base + 15)), financialExpenses: m(16), costOfSales: m(17), personnelCosts: m(18),
            fixedAssets: m(19), shortTermFinancialDebt: m(20), longTermFinancialDebt: m(21), minorityInterests: m(22))
    }

    static func statement(priorYear: FinancialStatement.Amounts?) -> FinancialStatement {
        FinancialStatement(
            company: .init(registrationId: "552100554", name: "Exemple SA", sectorCode: "4669B"),
            periodEnd: Day(parsing: "2025-12-31")!, periodMonths: 12, currency: "EUR", consolidated: false,
            amounts: amounts(7_000_000_00), priorYear: priorYear)
    }

    func stored(_ db: DatabaseQueue) throws -> [FinancialStatement] {
        try db.read { try StatementStore().statements($0, registrationId: "552100554") }
    }

    @Test("every figure of a statement and of its prior year reads back exactly as saved")
    func roundTrip() throws {
        let db = try CreditDatabase.inMemory()
        var prior = Self.amounts(6_000_000_00)
        prior.minorityInterests = nil  // an unknown figure stays unknown, not zero
        prior.fixedAssets = .zero  // and a zero stays zero
        let statement = Self.statement(priorYear: prior)
        let outcome = try db.write { try StatementStore().save($0, statement, source: Self.source) }
        #expect(outcome == .inserted)
        #expect(try stored(db) == [statement])
        let rule = try Repository.model().financial
        let latest = try db.read {
            try StatementStore().latest($0, registrationId: "552100554", knownOn: Day(parsing: "2026-12-31")!, rule: rule)
        }
        #expect(latest == statement)
    }

    @Test("the same statement saved again is unchanged; without its prior year it is updated and the prior year goes")
    func priorYearFollowsItsStatement() throws {
        let db = try CreditDatabase.inMemory()
        let store = StatementStore()
        let withPrior = Self.statement(priorYear: Self.amounts(6_000_000_00))
        _ = try db.write { try store.save($0, withPrior, source: Self.source) }
        #expect(try db.write { try store.save($0, withPrior, source: Self.source) } == .unchanged)

        let withoutPrior = Self.statement(priorYear: nil)
        #expect(try db.write { try store.save($0, withoutPrior, source: Self.source) } == .updated)
        #expect(try stored(db) == [withoutPrior])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement_prior_year") } == 0)

        #expect(try db.write { try store.save($0, withPrior, source: Self.source) } == .updated)
        #expect(try stored(db).first?.priorYear == Self.amounts(6_000_000_00))
    }

    @Test("statements stored before the new figures existed read back with them unknown and no prior year")
    func olderRows() throws {
        let db = try DatabaseQueue()
        try CreditDatabase.migrator.migrate(db, upTo: "v6 collections change log")
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO statement (registration_id, period_end, period_months, currency, consolidated, revenue_cents,
                        equity_cents, format, file_name, sha256, imported_on)
                    VALUES ('552100554', '2024-12-31', 12, 'EUR', 0, 123400, -500, 'xbrl', 'old.xml', 'x', '2025-03-01')
                    """)
        }
        try CreditDatabase.migrator.migrate(db)
        let old = try #require(try stored(db).first)
        #expect(old.amounts == FinancialStatement.Amounts(revenue: Money(cents: 123_400), equity: Money(cents: -500)))
        #expect(old.priorYear == nil)
    }
}
