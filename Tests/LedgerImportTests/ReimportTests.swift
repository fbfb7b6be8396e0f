import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing

@Suite("Re-imports and newer exports")
struct ReimportTests {
    @Test("re-importing the same files changes no ledger row and counts every row unchanged")
    func idempotent() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let before = try db.read { try ledgerSnapshot($0).filter { !$0.hasPrefix("import_log") } }
        let again = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let after = try db.read { try ledgerSnapshot($0).filter { !$0.hasPrefix("import_log") } }
        #expect(before == after)
        #expect(again.files.allSatisfy { $0.inserted == 0 && $0.updated == 0 && $0.unchanged == $0.rowsRead })
    }

    @Test("a newer export updates by id: an invoice paid since, a dispute resolved, a new invoice")
    func updatesById() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let newer = try Fixtures.copy(Fixtures.ledger("french"))
        try append("P-5;F-1005;30/06/2026;4 000,00\r\n", to: newer.appendingPathComponent("payments.csv"))
        try append("F-1006;C003;01/07/2026;15/08/2026;700,00;EUR\r\n", to: newer.appendingPathComponent("invoices.csv"))
        let disputes = newer.appendingPathComponent("disputes.csv")
        let text = try String(contentsOf: disputes, encoding: .utf8)
            .replacingOccurrences(of: "F-1005;Quality;20/05/2026;", with: "F-1005;Quality;20/05/2026;25/06/2026")
        try text.write(to: disputes, atomically: true, encoding: .utf8)

        let summary = try importer(db).importLedger(directory: newer)
        let counts = Dictionary(uniqueKeysWithValues: summary.files.map { ($0.kind, [$0.inserted, $0.updated, $0.unchanged]) })
        #expect(counts[.invoices] == [1, 0, 5])
        #expect(counts[.payments] == [1, 0, 4])
        #expect(counts[.disputes] == [0, 1, 1])
        try db.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoice") == 6)
            #expect(try Int.fetchOne(db, sql: "SELECT open_cents FROM invoice WHERE id = 'F-1005'") == 0)
            #expect(try String.fetchOne(db, sql: "SELECT resolved_on FROM dispute WHERE invoice_id = 'F-1005'") == "2026-06-25")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispute") == 2)
        }
    }

    @Test("a corrected payment amount moves the invoice's open balance by the difference")
    func correctedPayment() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let newer = try Fixtures.copy(Fixtures.ledger("french"))
        let payments = newer.appendingPathComponent("payments.csv")
        let text = try String(contentsOf: payments, encoding: .utf8)
            .replacingOccurrences(of: "P-4;F-1002;15/04/2026;480,00", with: "P-4;F-1002;15/04/2026;400,00")
        try text.write(to: payments, atomically: true, encoding: .utf8)
        let summary = try importer(db).importLedger(directory: newer)
        #expect(summary.files.first { $0.kind == .payments }?.updated == 1)
        // 980,00 − 500,00 − 400,00 = 80,00 still open.
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT open_cents FROM invoice WHERE id = 'F-1002'") } == 8_000)
    }

    @Test("a newer export that fails leaves the earlier import exactly as it was")
    func failedUpdateRollsBack() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let before = try db.read(ledgerSnapshot)
        let newer = try Fixtures.copy(Fixtures.ledger("french"))
        // A valid new customer first, then a payment overshooting F-1001: the customer must not stay.
        try append("C004;Nouveau Client SAS;;10.71C;FR;30;;0\r\n", to: newer.appendingPathComponent("customers.csv"))
        try append("P-9;F-1001;01/05/2026;10,00\r\n", to: newer.appendingPathComponent("payments.csv"))
        #expect(throws: LedgerImportError.self) { try importer(db).importLedger(directory: newer) }
        #expect(try db.read(ledgerSnapshot) == before)
    }

    @Test("a duplicate id within a newer export is caught even though the id is already stored")
    func duplicateInMergeMode() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let newer = try Fixtures.copy(Fixtures.ledger("french"))
        try append("C002;Bâtiment Martin SARL;732829320;41.20A;FR;60;;1\r\n", to: newer.appendingPathComponent("customers.csv"))
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: newer) }
        #expect(error.problems.first?.description.hasPrefix(#"customers.csv line 5, column customer_id: "C002" appears more than once"#) == true)
    }

    @Test("a base currency other than the stored one is refused")
    func baseCurrencyIsKept() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        #expect(throws: LedgerImportError.self) {
            try importer(db).importLedger(directory: Fixtures.ledger("french"), baseCurrency: "USD")
        }
    }

    private func append(_ line: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }

    @Test("re-importing the files rewrites a stored row edited into a date that is no day, instead of failing on it")
    func reimportRepairsMalformedRow() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let before = try db.read { try ledgerSnapshot($0).filter { !$0.hasPrefix("import_log") } }
        try db.write { try $0.execute(sql: "UPDATE invoice SET due_date = '2026-13-45' WHERE id = 'F-1001'") }
        let again = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let invoices = try #require(again.files.first { $0.kind == .invoices })
        #expect(invoices.updated == 1)
        #expect(try db.read { try ledgerSnapshot($0).filter { !$0.hasPrefix("import_log") } } == before)
    }

    @Test("an invoice may have up to 1 000 payments, stored and new together; the next is refused, naming the invoice, and nothing is stored")
    func paymentsPerInvoiceBounded() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        // F-1005 (4 000,00) gets 999 more payments of 0,01: with the fixture's none, 999 in all.
        let newer = try Fixtures.copy(Fixtures.ledger("french"))
        let cents = (1...999).map { "Q-\($0);F-1005;\(Day(parsing: "2026-04-01")! + $0 / 10);0,01\r\n" }.joined()
        try append(cents, to: newer.appendingPathComponent("payments.csv"))
        let accepted = try importer(db).importLedger(directory: newer)
        #expect(accepted.files.first { $0.kind == .payments }?.inserted == 999)
        // Two more: the 1 000th is taken, the 1 001st refused, and the import stores nothing.
        try append("Q-1000;F-1005;30/06/2026;0,01\r\nQ-1001;F-1005;30/06/2026;0,01\r\n", to: newer.appendingPathComponent("payments.csv"))
        let before = try db.read(ledgerSnapshot)
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: newer) }
        #expect(
            error.problems.map(\.description) == [
                "payments.csv line 1006, column invoice_id: \"F-1005\" would have more than 1000 payments: an invoice paid in that many "
                    + "parts is not a plausible ledger (payment rows repeated under new ids?); check the export"
            ])
        #expect(try db.read(ledgerSnapshot) == before)
    }

    @Test("a first load is held to the same 1 000 payments an invoice, checked once at its end")
    func paymentsPerInvoiceBoundedInAFirstLoad() throws {
        let export = try Fixtures.copy(Fixtures.ledger("french"))
        let cents = (1...997).map { "Q-\($0);F-1005;\(Day(parsing: "2026-04-01")! + $0 / 10);0,01\r\n" }.joined()
        try append(cents, to: export.appendingPathComponent("payments.csv"))
        // 997 and the fixture's none: accepted.
        _ = try importer(try CreditDatabase.inMemory()).importLedger(directory: export)
        try append(
            "Q-998;F-1005;30/06/2026;0,01\r\nQ-999;F-1005;30/06/2026;0,01\r\nQ-1000;F-1005;30/06/2026;0,01\r\nQ-1001;F-1005;30/06/2026;0,01\r\n",
            to: export.appendingPathComponent("payments.csv"))
        let db = try CreditDatabase.inMemory()
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: export) }
        #expect(
            error.problems.map(\.description) == [
                "payments.csv, column invoice_id: \"F-1005\" has 1001 payments, more than 1000: an invoice paid in that many parts is not a "
                    + "plausible ledger (payment rows repeated under new ids?); check the export"
            ])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment") } == 0)
    }
}
