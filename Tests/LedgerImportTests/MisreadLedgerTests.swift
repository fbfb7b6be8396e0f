import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing

/// Exports that used to be misread without a word: each is now refused at its line and column,
/// and nothing of the import is stored.
@Suite("Ledger values that would be misread")
struct MisreadLedgerTests {
    /// The French fixture with one line of `file` replaced.
    static func french(replacing old: String, with new: String, in file: String) throws -> URL {
        let folder = try Fixtures.copy(Fixtures.ledger("french"))
        let url = folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        return folder
    }

    /// The problems the French ledger's import is refused for, once `old` is replaced by `new` in `file`.
    static func refusal(replacing old: String, with new: String, in file: String) throws -> [String] {
        try refusal(french(replacing: old, with: new, in: file))
    }

    static func refusal(_ folder: URL) throws -> [String] {
        let db = try CreditDatabase.inMemory()
        let before = try db.read(ledgerSnapshot)
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: folder) }
        #expect(try db.read(ledgerSnapshot) == before)
        return error.problems.map(\.description)
    }

    @Test(
        "an amount beyond 1 000 000 000 000.00 in magnitude is refused, as in the API (92 233 720 368 547 758.07 was stored)",
        arguments: ["92233720368547758,07", "1 000 000 000 000,01", "-1000000000000,01"])
    func implausibleAmount(amount: String) throws {
        let messages = try Self.refusal(replacing: "980,00;EUR", with: "\(amount);EUR", in: "invoices.csv")
        #expect(
            messages.contains {
                $0.contains("invoices.csv line 3, column amount") && $0.contains("is beyond the largest amount accepted")
            }, "\(messages)")
    }

    @Test("an amount of exactly 1 000 000 000 000.00 is accepted")
    func largestAmount() throws {
        let db = try CreditDatabase.inMemory()
        let folder = try Self.french(replacing: "980,00;EUR", with: "1 000 000 000 000,00;EUR", in: "invoices.csv")
        _ = try importer(db).importLedger(directory: folder)
        #expect(try db.read { try Int64.fetchOne($0, sql: "SELECT amount_cents FROM invoice WHERE id = 'F-1002'") } == 100_000_000_000_000)
    }

    @Test(
        "an amount whose one separator precedes three digits is ambiguous (4.000 is 4 or 4000) and refused",
        arguments: [
            "4.000", "12,500", "1 234,500",
        ])
    func ambiguousThousands(amount: String) throws {
        let messages = try Self.refusal(replacing: "980,00;EUR", with: "\(amount);EUR", in: "invoices.csv")
        #expect(messages.contains { $0.contains("invoices.csv line 3, column amount") && $0.contains("is ambiguous") }, "\(messages)")
    }

    @Test("a no-break space after an id is trimmed: the payment still finds its invoice")
    func noBreakSpaceTrimmed() throws {
        let folder = try Self.french(replacing: "P-2;F-1002;", with: "P-2;F-1002\u{00A0};", in: "payments.csv")
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: folder)
        let invoice = try db.read { try String.fetchOne($0, sql: "SELECT invoice_id FROM payment WHERE id = 'P-2'") }
        #expect(invoice == "F-1002")
    }

    @Test(
        "an invisible character inside an id (BOM, zero-width space) is refused, naming it",
        arguments: [
            "\u{FEFF}", "\u{200B}",
        ])
    func invisibleInId(character: String) throws {
        let messages = try Self.refusal(replacing: "F-1002;C001;", with: "F-10\(character)02;C001;", in: "invoices.csv")
        #expect(messages.contains { $0.contains("invoices.csv line 3, column invoice_id") && $0.contains("invisible character") }, "\(messages)")
    }

    @Test(
        "a customer's name or group holding a control or invisible character is refused, naming it: the API could not address such a group",
        arguments: [
            ("Bâtiment Martin SARL;", "Bâtiment\u{0001}Martin SARL;", "name"), ("Groupe Martin;", "Groupe\u{200B}Martin;", "group"),
            ("Bâtiment Martin SARL;", "Bâtiment\u{0085}Martin;", "name"),
        ])
    func controlCharacterInName(original: String, changed: String, column: String) throws {
        let messages = try Self.refusal(replacing: original, with: changed, in: "customers.csv")
        #expect(
            messages.contains { $0.contains("customers.csv line 3, column \(column)") && $0.contains("control character") }, "\(messages)")
    }

    @Test("a customer's name longer than the 500 characters of any free text is refused")
    func overlongName() throws {
        let messages = try Self.refusal(
            replacing: "Bâtiment Martin SARL;", with: String(repeating: "N", count: 60_000) + ";", in: "customers.csv")
        #expect(messages.contains { $0.contains("column name") && $0.contains("longer than 500") }, "\(messages)")
    }

    @Test("a placeholder date such as 0001-01-01 is refused, not stored as a day")
    func placeholderDate() throws {
        let messages = try Self.refusal(replacing: "F-1002;C001;15/02/2026;", with: "F-1002;C001;0001-01-01;", in: "invoices.csv")
        #expect(messages.contains { $0.contains("column issue_date") && $0.contains("1990-01-01") }, "\(messages)")
    }

    @Test("a refusal of a 10 000-character id quotes it cut, not whole")
    func longValueCut() throws {
        let messages = try Self.refusal(replacing: "F-1002;C001;", with: String(repeating: "X", count: 10_000) + ";C001;", in: "invoices.csv")
        let message = try #require(messages.first { $0.contains("column invoice_id") })
        #expect(message.count < 400, "\(message.count) characters")
    }
}
