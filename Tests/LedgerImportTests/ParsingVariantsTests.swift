import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Ledger exports in their usual dialects")
struct ParsingVariantsTests {
    @Test("a French export (BOM, ';', CRLF, 1 234,56, DD/MM/YYYY) and an international one (',' and tab, ISO dates) load the same ledger")
    func frenchAndInternationalAgree() throws {
        let french = try CreditDatabase.inMemory()
        let international = try CreditDatabase.inMemory()
        _ = try importer(french).importLedger(directory: Fixtures.ledger("french"))
        _ = try importer(international).importLedger(directory: Fixtures.ledger("international"))
        let sql = "SELECT id, customer_id, issue_date, due_date, amount_cents, open_cents FROM invoice ORDER BY id"
        let frenchRows = try french.read { try Row.fetchAll($0, sql: sql) }
        let internationalRows = try international.read { try Row.fetchAll($0, sql: sql) }
        #expect(frenchRows == internationalRows)
        #expect(frenchRows.count == 5)
    }

    @Test("amounts, dates, flags and quoted fields are read as written")
    func valuesAsWritten() throws {
        let db = try CreditDatabase.inMemory()
        let summary = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        #expect(summary.files.map(\.fileName) == ["sectors.csv", "customers.csv", "invoices.csv", "payments.csv", "disputes.csv"])
        try db.read { db in
            // "Boulangerie Dupont; Fils" is quoted because it holds the delimiter.
            #expect(try String.fetchOne(db, sql: "SELECT name FROM customer WHERE id = 'C001'") == "Boulangerie Dupont; Fils")
            // "fr" is normalised to FR; strategic "1" is true; an empty group is NULL.
            let c2 = try #require(try Row.fetchOne(db, sql: "SELECT country, strategic, customer_group FROM customer WHERE id = 'C002'"))
            #expect(c2[0] == "FR")
            #expect(c2[1] == true)
            #expect(c2[2] == "Groupe Martin")
            #expect(try Row.fetchOne(db, sql: "SELECT customer_group FROM customer WHERE id = 'C001'")?[0] as String? == nil)
            // 1 234,56 → 123456 cents; -250,00 is a credit note.
            #expect(try Int.fetchOne(db, sql: "SELECT amount_cents FROM invoice WHERE id = 'F-1001'") == 123_456)
            #expect(try Int.fetchOne(db, sql: "SELECT amount_cents FROM invoice WHERE id = 'F-1004'") == -25_000)
            // F-1002: 980,00 paid 500,00 + 480,00 → open 0.
            #expect(try Int.fetchOne(db, sql: "SELECT open_cents FROM invoice WHERE id = 'F-1002'") == 0)
            // 05/01/2026 is the 5th of January.
            #expect(try String.fetchOne(db, sql: "SELECT issue_date FROM invoice WHERE id = 'F-1001'") == "2026-01-05")
            // "Quality" kind is normalised to lower case; the open dispute has no resolved_on.
            let dispute = try #require(try Row.fetchOne(db, sql: "SELECT kind, resolved_on FROM dispute WHERE invoice_id = 'F-1005'"))
            #expect(dispute[0] == "quality")
            #expect(dispute[1] as String? == nil)
            // "1,1%" is a percentage, 0,031 a fraction.
            #expect(try Double.fetchOne(db, sql: "SELECT annual_failure_rate FROM sector WHERE code = '10.71C'") == 0.011)
            #expect(try Double.fetchOne(db, sql: "SELECT annual_failure_rate FROM sector WHERE code = '41.20A'") == 0.031)
        }
    }

    @Test("the import log keeps each file's SHA-256 and counts")
    func importLog() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let entries = try db.read { try ImportLogEntry.order(Column("id")).fetchAll($0) }
        #expect(entries.count == 5)
        let invoices = try #require(entries.first { $0.kind == "invoices" })
        #expect(invoices.rowsRead == 5)
        #expect(invoices.inserted == 5)
        #expect(invoices.sha256.count == 64)
        #expect(invoices.importedAt == "2026-11-18T11:06:40Z")
    }
}
