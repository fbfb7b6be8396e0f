import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// disputes.csv may carry the disputed part (`amount`) and its owner (`owner`); an export without
/// them keeps what the dispute workflow recorded.
@Suite("Dispute columns in disputes.csv")
struct DisputeColumnsTests {
    static func write(_ text: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent("disputes.csv"), atomically: true, encoding: .utf8)
    }

    static func stored(_ db: DatabaseQueue) throws -> [String: (amount: Int64?, owner: String?)] {
        try db.read { db in
            var rows: [String: (Int64?, String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT invoice_id, amount_cents, owner FROM dispute") {
                rows[row["invoice_id"]] = (row["amount_cents"], row["owner"])
            }
            return rows
        }
    }

    @Test("a disputed part and an owner are read, and a later export without them keeps them")
    func amountAndOwner() throws {
        let db = try CreditDatabase.inMemory()
        let folder = try Fixtures.copy(Fixtures.ledger("french"))
        try Self.write(
            "invoice_id;kind;opened_on;resolved_on;amount;owner\r\nF-1005;Quality;20/05/2026;;1 000,00;Marie Curie\r\nF-1003;price;15/03/2026;10/04/2026;;\r\n",
            in: folder)
        _ = try importer(db).importLedger(directory: folder)
        var rows = try Self.stored(db)
        #expect(rows["F-1005"]?.amount == 100_000)
        #expect(rows["F-1005"]?.owner == "Marie Curie")
        #expect(rows["F-1003"]?.amount == nil)
        #expect(rows["F-1003"]?.owner == nil)

        // The ERP's next export has no such columns: nothing it does not say is lost.
        let summary = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        #expect(summary.files.first { $0.kind == .disputes }.map { [$0.inserted, $0.updated, $0.unchanged] } == [0, 0, 2])
        rows = try Self.stored(db)
        #expect(rows["F-1005"]?.amount == 100_000)
        #expect(rows["F-1005"]?.owner == "Marie Curie")
    }

    @Test("a disputed part of zero or below is refused at its line")
    func nonPositiveAmount() throws {
        let db = try CreditDatabase.inMemory()
        let folder = try Fixtures.copy(Fixtures.ledger("french"))
        try Self.write("invoice_id;kind;opened_on;resolved_on;amount\r\nF-1005;Quality;20/05/2026;;-5,00\r\n", in: folder)
        do {
            _ = try importer(db).importLedger(directory: folder)
            Issue.record("a negative disputed part must be refused")
        } catch {
            #expect("\(error)".contains("disputes.csv"))
            #expect("\(error)".contains("amount"))
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispute") } == 0)
    }
}
