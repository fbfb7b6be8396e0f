import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing

/// Exports that are odd, damaged or hostile: each is read correctly or refused with its place,
/// never misread in silence, and a refusal stores nothing.
@Suite("Hostile ledger files")
struct HostileLedgerTests {
    /// A French export (the `french` fixture) with every line end replaced by `ending`.
    static func frenchLedger(ending: String, change: (inout [String: String]) -> Void = { _ in }) throws -> URL {
        let source = Fixtures.ledger("french")
        let folder = try Fixtures.temporaryFolder()
        var files: [String: String] = [:]
        for kind in LedgerFileKind.allCases where FileManager.default.fileExists(atPath: source.appendingPathComponent(kind.fileName).path) {
            let text = try String(contentsOf: source.appendingPathComponent(kind.fileName), encoding: .utf8)
            files[kind.fileName] = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        change(&files)
        for (name, text) in files {
            try Data(text.replacingOccurrences(of: "\n", with: ending).utf8).write(to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// One file written as given (bytes exactly), in a folder of its own.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = try Fixtures.temporaryFolder().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ name: String, _ text: String) throws -> URL { try file(name, Array(text.utf8)) }

    /// The ledger tables without the import log (whose digests differ with the bytes of the files).
    static func ledgerRows(_ db: any DatabaseWriter) throws -> [String] {
        try db.read { try ledgerSnapshot($0).filter { !$0.hasPrefix("import_log") } }
    }

    /// Imports `folder` into an empty store and returns the error, checking nothing was stored.
    static func refusal(_ folder: URL) throws -> LedgerImportError {
        let db = try CreditDatabase.inMemory()
        let before = try db.read(ledgerSnapshot)
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: folder) }
        #expect(try db.read(ledgerSnapshot) == before, "a refused import stores nothing")
        return error
    }

    static func refusal(of url: URL, kind: LedgerFileKind) throws -> LocatedProblem {
        let records = try CSVRecords(url: url, kind: kind, blockSize: 16)
        for _ in records {}
        return try #require(records.readProblem)
    }

    // MARK: Line ends

    @Test("a ledger with LF, CRLF or lone CR line ends (old Mac exports) loads the same rows")
    func lineEndsAgree() throws {
        var ledgers: [[String]] = []
        for ending in ["\n", "\r\n", "\r"] {
            let db = try CreditDatabase.inMemory()
            let summary = try importer(db).importLedger(directory: try Self.frenchLedger(ending: ending))
            // 3 customers, 5 invoices, 4 payments, 2 disputes, 2 sectors in the fixture.
            #expect(summary.files.map(\.rowsRead) == [2, 3, 5, 4, 2])
            ledgers.append(try Self.ledgerRows(db))
        }
        #expect(ledgers[0].count == 2 + 3 + 5 + 4 + 2 + 1)  // plus the base-currency setting
        #expect(ledgers[1] == ledgers[0])
        #expect(ledgers[2] == ledgers[0])
    }

    @Test("with lone CR line ends, rows keep their physical line numbers, also past a quoted field spanning lines")
    func lineNumbersWithCR() throws {
        let text =
            "customer_id;name;sector_code;country;terms_days\rC1;\"Dupont\ret Fils\";10.71C;FR;30\r\rC2;Martin;10.71C;FR;30\r\n"
            + "C3;Durand;10.71C;FR;30"
        let url = try Self.file("customers.csv", text)
        for blockSize in [1, 2, 7, 1 << 20] {
            let records = try CSVRecords(url: url, kind: .customers, blockSize: blockSize)
            let rows = records.map { ($0.line, $0["customer_id"]) }
            // Header 1; C1 on lines 2-3; a blank line 4; C2 on 5 (ended by CRLF); C3 on 6.
            #expect(rows.map(\.0) == [2, 5, 6], "block size \(blockSize)")
            #expect(rows.map(\.1) == ["C1", "C2", "C3"])
            #expect(records.readProblem == nil)
        }
    }

    @Test("an error in a CR-only file names the physical line")
    func errorLineWithCR() throws {
        let folder = try Self.frenchLedger(ending: "\r") { files in
            files["invoices.csv"] = files["invoices.csv"]?.replacingOccurrences(of: "10/01/2026", with: "31/02/2026")
        }
        let error = try Self.refusal(folder)
        // F-1003 is the third invoice: line 4.
        #expect(error.problems.map(\.description).contains { $0.hasPrefix(#"invoices.csv line 4, column issue_date: "31/02/2026""#) })
    }

    // MARK: Structure

    @Test("a quote left open at the end of the file is refused at the line where it opened")
    func quoteLeftOpen() throws {
        let url = try Self.file(
            "customers.csv", "customer_id;name;sector_code;country;terms_days\nC1;Dupont;10.71C;FR;30\nC2;\"Martin;10.71C;FR;30\nC3;x;y;FR;30\n")
        let problem = try Self.refusal(of: url, kind: .customers)
        #expect(problem.line == 3)
        #expect(problem.column == "name")
        #expect(problem.message.contains("never closed"))
    }

    @Test("a quote inside an unquoted field is refused rather than shifting the fields after it")
    func strayQuote() throws {
        let url = try Self.file(
            "customers.csv", "customer_id;name;sector_code;country;terms_days\nC1;Dupont;10.71C;FR;30\nC2;Le \"Bon\" Pain;10.71C;FR;30\n")
        let problem = try Self.refusal(of: url, kind: .customers)
        #expect(problem.description.hasPrefix("customers.csv line 3, column name: has a quote inside an unquoted field"))
    }

    @Test("text after the closing quote of a field is refused")
    func textAfterQuote() throws {
        let url = try Self.file("customers.csv", "customer_id;name;sector_code;country;terms_days\nC1;\"Dupont\" SA;10.71C;FR;30\n")
        let problem = try Self.refusal(of: url, kind: .customers)
        #expect(problem.line == 2)
        #expect(problem.column == "name")
        #expect(problem.message.contains("after the closing quote"))
    }

    @Test("a field beyond 64 KiB is refused at its line without reading the rest of the file into memory")
    func fieldTooLong() throws {
        let huge = String(repeating: "A", count: 70_000)
        let url = try Self.file("customers.csv", "customer_id;name;sector_code;country;terms_days\nC1;Dupont;10.71C;FR;30\nC2;\(huge);10.71C;FR;30\n")
        let problem = try Self.refusal(of: url, kind: .customers)
        #expect(problem.line == 3)
        #expect(problem.column == "name")
        #expect(problem.message.contains("longer than 64 KiB"))
        #expect(problem.description.count < 200)
    }

    @Test("a file without any line end (a binary or a one-line dump) is refused at its size cap")
    func rowTooLong() throws {
        let line = String(repeating: "A;", count: 600_000)
        let url = try Self.file("customers.csv", "customer_id;name;sector_code;country;terms_days\n" + line)
        let problem = try Self.refusal(of: url, kind: .customers)
        #expect(problem.line == 2)
        #expect(problem.message.contains("row longer than 1 MiB"))
    }

    @Test("a NUL byte anywhere is refused with its line and column")
    func nulByte() throws {
        var bytes = Array("customer_id;name;sector_code;country;terms_days\nC1;Dupont;10.71C;FR;30\nC2;Mar".utf8)
        bytes += [0] + Array("tin;10.71C;FR;30\n".utf8)
        let problem = try Self.refusal(of: try Self.file("customers.csv", bytes), kind: .customers)
        #expect(problem.description.hasPrefix("customers.csv line 3, column name: holds a NUL byte"))

        let header = try Self.file("customers.csv", Array("customer_id;na".utf8) + [0] + Array("me\n".utf8))
        let error = try #require(throws: LedgerImportError.self) { try CSVRecords(url: header, kind: .customers) }
        #expect(error.problems.first?.line == 1)
        #expect(error.problems.first?.message.contains("NUL") == true)
    }

    @Test("a file that is not UTF-8 is refused at its line, also with CR line ends")
    func notUTF8() throws {
        // "Bâtiment" in Latin-1: 0xE2 alone is not UTF-8.
        let bytes =
            Array("customer_id;name;sector_code;country;terms_days\rC1;Dupont;10.71C;FR;30\rC2;B".utf8)
            + [0xE2] + Array("timent;41.20A;FR;60\r".utf8)
        let problem = try Self.refusal(of: try Self.file("customers.csv", bytes), kind: .customers)
        #expect(problem.line == 3)
        #expect(problem.message.contains("not valid UTF-8"))
    }

    @Test("an empty file is refused as having no header; a header alone imports no rows")
    func emptyAndHeaderOnly() throws {
        let empty = try Self.file("customers.csv", "")
        let error = try #require(throws: LedgerImportError.self) { try CSVRecords(url: empty, kind: .customers) }
        #expect(error.problems.map(\.description) == ["customers.csv line 1: has no header row"])

        for ending in ["", "\n", "\r\n", "\r"] {
            let folder = try Fixtures.temporaryFolder()
            try Data(("customer_id;name;sector_code;country;terms_days" + ending).utf8)
                .write(to: folder.appendingPathComponent("customers.csv"))
            let db = try CreditDatabase.inMemory()
            let summary = try importer(db).importLedger(directory: folder)
            #expect(summary.files.map(\.rowsRead) == [0])
        }
    }

    @Test("a column named twice in the header is refused, whatever its case or spacing")
    func duplicateColumn() throws {
        let url = try Self.file("customers.csv", "customer_id;name;sector_code;country;terms_days; Name \nC1;a;10.71C;FR;30;b\n")
        let error = try #require(throws: LedgerImportError.self) { try CSVRecords(url: url, kind: .customers) }
        #expect(error.problems.map(\.description) == ["customers.csv line 1, column name: column appears twice"])
    }
}
