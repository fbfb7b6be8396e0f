import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The daily totals keep the day each invoice was fully paid (the first day its payments, day by
/// day, reach its amount) as payments arrive. A payment that cannot move that day skips the
/// re-settling (which sorts all the invoice's payments); whatever order payments come in, the
/// totals kept must equal the totals rebuilt from the ledger.
@Suite("Settled invoices in the daily totals")
struct SettlementTotalsTests {
    /// The French fixture, and invoice T-1 of 980.00 to C001, due 2026-03-03, with no payment yet.
    static func ledger() throws -> DatabaseQueue {
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: Repository.path("Fixtures/ledger/french"))
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents)
                    VALUES ('T-1', 'C001', '2026-02-01', '2026-03-03', 98000, 'EUR', 98000)
                    """)
        }
        return db
    }

    /// Every row of the day and scope totals with anything in it.
    static func totals(_ db: Database) throws -> [String] {
        var lines: [String] = []
        for table in ["ledger_day", "ledger_day_scope", "ledger_receipt_due", "ledger_receipt_due_scope"] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                let values = row.databaseValues.map(\.description)
                let amounts = row.databaseValues.compactMap { Int64.fromDatabaseValue($0) }
                if amounts.allSatisfy({ $0 == 0 }) { continue }
                lines.append("\(table): " + values.joined(separator: " "))
            }
        }
        return lines.sorted()
    }

    /// Inserts `payments` (invoice, day, cents), then compares the totals kept with a rebuild.
    static func expectKeptEqualsRebuilt(_ db: DatabaseQueue, _ payments: [(String, String, Int64)], _ context: String) throws {
        try db.write { db in
            for (index, payment) in payments.enumerated() {
                try db.execute(
                    sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES (?, ?, ?, ?)",
                    arguments: ["T-\(context)-\(index)", payment.0, payment.1, payment.2])
            }
        }
        let kept = try db.read(Self.totals)
        try db.write { try LedgerDayTotals().rebuild($0) }
        let rebuilt = try db.read(Self.totals)
        #expect(kept == rebuilt, "\(context): \(Set(kept).symmetricDifference(rebuilt).sorted().prefix(6))")
    }

    func day(_ offset: Int) -> String { (Day(parsing: "2026-03-01")! + offset).iso }

    @Test("partial payments that never reach the amount, a payment that settles, later small ones, earlier ones, refunds")
    func eachCase() throws {
        let cases: [(String, [(String, String, Int64)])] = [
            ("partial", (0..<40).map { ("T-1", day($0), 100) }),
            ("settles then small ones after", [("T-1", day(0), 98_000)] + (1..<20).map { ("T-1", day($0), 1) }),
            ("settles then an earlier one", [("T-1", day(30), 98_000), ("T-1", day(2), 50_000), ("T-1", day(1), 48_000)]),
            ("refund after settling", [("T-1", day(0), 98_000), ("T-1", day(5), -20_000), ("T-1", day(9), 20_000)]),
            ("refund first", [("T-1", day(0), -5_000), ("T-1", day(3), 103_000)]),
            ("same day as the settlement", [("T-1", day(4), 98_000), ("T-1", day(4), 500)]),
            ("refunded the day it was settled", [("T-1", day(4), 98_000), ("T-1", day(4), -500), ("T-1", day(6), 500)]),
            ("overpaid, then a credit", [("T-1", day(0), 150_000), ("T-1", day(1), -100_000)]),
        ]
        for (name, payments) in cases {
            try Self.expectKeptEqualsRebuilt(try Self.ledger(), payments, name)
        }
    }

    @Test("payments in random order and amounts on several invoices, refunds among them, keep the totals a rebuild gives")
    func randomOrders() throws {
        let db = try Self.ledger()
        let invoices = try db.read { try String.fetchAll($0, sql: "SELECT id FROM invoice ORDER BY id") }
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for round in 0..<4 {
            let payments = (0..<60).map { _ -> (String, String, Int64) in
                let amount: Int64 = [5_000, 20_000, 50_000, 150_000, -10_000, 1][next(6)]
                return (invoices[next(invoices.count)], day(next(90) - 30), amount)
            }
            try Self.expectKeptEqualsRebuilt(db, payments, "round \(round)")
        }
    }
}
