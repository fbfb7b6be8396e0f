import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing

/// Each broken fixture holds one fault in an otherwise valid French export.
@Suite("Validation errors name file, line, column and value")
struct ValidationErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let folder: String
        let expected: String
        var testDescription: String { folder }
    }

    static let cases: [Case] = [
        Case(
            folder: "bad-date", expected: #"invoices.csv line 3, column issue_date: "31/02/2026" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"#),
        Case(folder: "missing-column", expected: "invoices.csv line 1: header lacks required column due_date"),
        Case(
            folder: "unknown-customer",
            expected:
                #"invoices.csv line 6, column customer_id: "C999" is not a known customer: neither the store nor customers.csv of this import has it"#
        ),
        Case(folder: "unknown-invoice", expected: #"payments.csv line 5, column invoice_id: "F-9999" is not a known invoice"#),
        Case(folder: "duplicate-id", expected: #"invoices.csv line 5, column invoice_id: "F-1001" appears more than once in this import"#),
        Case(folder: "due-before-issue", expected: #"invoices.csv line 4, column due_date: "09/01/2026" is before the issue date 2026-01-10"#),
        Case(
            folder: "overpaid",
            expected: #"payments.csv line 3, column invoice_id: "F-1002" is paid 1 080.00 in all, beyond its amount of 980.00 (payment lines 3, 5)"#),
        Case(folder: "foreign-currency", expected: #"invoices.csv line 4, column currency: "USD" is not the portfolio's base currency EUR"#),
        Case(folder: "bad-amount", expected: #"invoices.csv line 3, column amount: "9x8,00" is not an amount"#),
        Case(folder: "misaligned-row", expected: "payments.csv line 4: has 5 fields where the header has 4"),
        Case(folder: "not-utf8", expected: "customers.csv line 3, column name: is not valid UTF-8"),
    ]

    @Test("each fault is reported precisely and nothing is stored", arguments: cases)
    func reported(_ testCase: Case) throws {
        let db = try CreditDatabase.inMemory()
        let before = try db.read(ledgerSnapshot)
        let error = try #require(throws: LedgerImportError.self) {
            try importer(db).importLedger(directory: Fixtures.broken(testCase.folder))
        }
        let messages = error.problems.map(\.description)
        #expect(messages.contains { $0.hasPrefix(testCase.expected) }, "got: \(messages)")
        #expect(try db.read(ledgerSnapshot) == before)
    }

    @Test("many errors are reported together, capped, with the count of the rest")
    func capped() throws {
        let db = try CreditDatabase.inMemory()
        let error = try #require(throws: LedgerImportError.self) {
            try LedgerImporter(database: db, problemLimit: 10).importLedger(directory: Fixtures.broken("many-errors"))
        }
        // 120 rows, each with month 13 in issue_date.
        #expect(error.totalCount == 120)
        #expect(error.problems.count == 10)
        #expect(error.problems.first?.line == 2)
        #expect(error.description.contains("120 problems (the first 10 listed)"))
    }

    @Test("a payment to a customer row that failed is not reported twice")
    func noCascade() throws {
        let folder = try Fixtures.copy(Fixtures.ledger("french"))
        let invoices = folder.appendingPathComponent("invoices.csv")
        var text = try String(contentsOf: invoices, encoding: .utf8)
        text = text.replacingOccurrences(of: "F-1002;C001;15/02/2026", with: "F-1002;C001;15/22/2026")
        try text.write(to: invoices, atomically: true, encoding: .utf8)
        let error = try #require(throws: LedgerImportError.self) {
            try importer(try CreditDatabase.inMemory()).importLedger(directory: folder)
        }
        // Only the bad date; payments P-2 and P-4 on F-1002 are not called dangling.
        #expect(error.totalCount == 1)
        #expect(error.problems.first?.column == "issue_date")
    }

    @Test("a ledger file that is a pipe or a device is refused by name before anything is read, and nothing is stored")
    func pipesAndDevicesRefused() throws {
        let folder = try Fixtures.copy(Fixtures.demo)
        let invoices = folder.appendingPathComponent("invoices.csv")
        let payments = folder.appendingPathComponent("payments.csv")
        try FileManager.default.removeItem(at: invoices)
        try FileManager.default.removeItem(at: payments)
        #expect(mkfifo(invoices.path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: payments.path, withDestinationPath: "/dev/zero")
        let db = try CreditDatabase.inMemory()
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: folder) }
        #expect(
            error.problems.map(\.description) == [
                "invoices.csv: is not a regular file (a pipe, a device or a socket): only files are read",
                "payments.csv: is not a regular file (a pipe, a device or a socket): only files are read",
            ])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 0)
    }

    @Test("a folder where a ledger file belongs is refused by name, not with the system's \"(null)\"")
    func folderInPlaceOfAFile() throws {
        let folder = try Fixtures.copy(Fixtures.demo)
        let disputes = folder.appendingPathComponent("disputes.csv")
        try FileManager.default.removeItem(at: disputes)
        try FileManager.default.createDirectory(at: disputes, withIntermediateDirectories: false)
        let db = try CreditDatabase.inMemory()
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: folder) }
        #expect(error.problems.map(\.description) == ["disputes.csv: is a folder, not a CSV file: only files are read"])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 0)
    }

    @Test("a folder without ledger files is refused")
    func emptyFolder() throws {
        let error = try #require(throws: LedgerImportError.self) {
            try importer(try CreditDatabase.inMemory()).importLedger(directory: try Fixtures.temporaryFolder())
        }
        #expect(error.description.contains("holds none of the ledger files"))
    }
}
