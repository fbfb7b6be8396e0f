import CSV
import CreditCore
import Foundation
import StrictCSV
import Testing

@testable import LedgerReader

/// The ledger's reader as it was before `RecordSplitter`: `BlockReader`'s blocks checked as
/// UTF-8 and parsed by CSV.swift from a string. Kept here only to read the same files side by side.
enum ReferenceCSV {
    struct Reading: Equatable {
        var rows: [Row]
        var problemLine: Int?
        var problemMessage: String?
    }

    struct Row: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [String]
        var description: String { "\(line): \(fields)" }
    }

    static func read(_ url: URL, blockSize: Int) throws -> Reading {
        let blocks = try #require(BlockReader(url: url, blockSize: blockSize))
        guard case .success(let headerBytes) = blocks.takeHeaderLine(), let header = String(validating: headerBytes, as: UTF8.self) else {
            throw ReadFault(line: 1, message: "the reference reads only files with a readable header")
        }
        let delimiter = CSVRecords.detectDelimiter(in: header)
        blocks.delimiter = UInt8(truncatingIfNeeded: delimiter.value)
        var reading = Reading(rows: [])
        var nextLine = 2
        while let block = blocks.nextBlock() {
            guard let text = String(validating: block, as: UTF8.self) else {
                reading.problemLine = nextLine + block.withUnsafeBufferPointer { RecordSplitter.linesBeforeInvalidUTF8($0) }
                reading.problemMessage = "is not valid UTF-8 (save the export as UTF-8)"
                return reading
            }
            let reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter)
            while let fields = reader.next() {
                let line = nextLine
                nextLine += 1 + fields.reduce(0) { $0 + Array($1.utf8).withUnsafeBufferPointer { RecordSplitter.lineEnds(in: $0) } }
                if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
                reading.rows.append(Row(line: line, fields: fields))
            }
        }
        if let fault = blocks.fault {
            reading.problemLine = fault.line
            reading.problemMessage = fault.message
        }
        return reading
    }

    /// The same file through `CSVRecords` (header checked, no column required).
    static func readStrict(_ url: URL, blockSize: Int) throws -> Reading {
        let records = try CSVRecords(url: url, requiredColumns: [], blockSize: blockSize)
        let rows = records.map { Row(line: $0.line, fields: $0.fields) }
        return Reading(rows: rows, problemLine: records.readProblem?.line, problemMessage: records.readProblem?.message)
    }
}

@Suite("Strict CSV reader, side by side with the reader it replaces")
struct StrictCSVTests {
    static func file(_ bytes: [UInt8]) throws -> URL {
        let url = try Fixtures.temporaryFolder().appendingPathComponent("records.csv")
        try Data(bytes).write(to: url)
        return url
    }

    /// Both readers agree on the rows, their lines and the problem; where the old reader
    /// refused a block for bytes that are not UTF-8, the new one also hands out the rows of
    /// that block before the bad line (and says the same line).
    static func expectSame(_ url: URL, blockSizes: [Int] = [1, 3, 7, 64, 1 << 20]) throws {
        for blockSize in blockSizes {
            let old = try ReferenceCSV.read(url, blockSize: blockSize)
            let new = try ReferenceCSV.readStrict(url, blockSize: blockSize)
            #expect(new.problemLine == old.problemLine, "block size \(blockSize)")
            #expect(new.problemMessage == old.problemMessage, "block size \(blockSize)")
            if old.problemMessage?.contains("UTF-8") == true, let line = old.problemLine {
                #expect(Array(new.rows.prefix(old.rows.count)) == old.rows, "block size \(blockSize)")
                #expect(new.rows.dropFirst(old.rows.count).allSatisfy { $0.line < line }, "block size \(blockSize)")
            } else {
                #expect(new.rows == old.rows, "block size \(blockSize)")
            }
        }
    }

    static let header = "a;b;c\n"

    @Test(
        "well-formed and odd-but-valid records read the same as before",
        arguments: [
            "1;2;3\n4;5;6\n",
            "\"x;y\";\"say \"\"hi\"\"\";z\n",
            "\"two\nlines\";b;c\nnext;row;here\n",
            "crlf;row;one\r\ncrlf;row;two\r\n",
            "lone;cr;one\rlone;cr;two\r",
            "\"crlf\r\ninside\";b;c\r\nafter;b;c\r\n",
            "\"cr\rinside\";b;c\rafter;b;c\r",
            "1;2;3\n\n   \n\t\n4;5;6\n\n",
            "1;2;\n;;\n;x;\n",
            "no;final;newline",
            "\"\";\"\";\"\"\n\"\"\"\";\"a\"\"\";\"\"\"b\"\n",
            "Société Générale;Zürich ✓;日本\n",
            "short;row\nlong;row;with;more;fields\n",
            "\u{00A0}\n1;2;3\n",
            "quoted;last;\"end\"\r",
            "  spaced  ; out ;\tfields\t\n",
        ])
    func validRecords(body: String) throws {
        try Self.expectSame(try Self.file(Array((Self.header + body).utf8)))
    }

    @Test("a tab or comma delimiter reads the same as before", arguments: ["a\tb\tc\n1\t\"2\t3\"\t4\n", "a,b,c\n1,\"2,3\",4\n5,6,7"])
    func otherDelimiters(text: String) throws {
        try Self.expectSame(try Self.file(Array(text.utf8)))
    }

    @Test(
        "a structural fault is refused at the same line as before",
        arguments: [
            "1;2;3\n4;5\"x;6\n7;8;9\n",
            "1;2;3\n\"open;5;6\n7;8;9\n",
            "1;2;3\n\"closed\"x;5;6\n",
            "1;2;3\n4;5\u{0}6;7\n",
        ])
    func structuralFaults(body: String) throws {
        try Self.expectSame(try Self.file(Array((Self.header + body).utf8)))
    }

    @Test("bytes that are not UTF-8 are refused at the same line as before, inside a field spanning lines too")
    func invalidUTF8() throws {
        let plain = Array((Self.header + "1;2;3\n4;").utf8) + [0xC3, 0x28] + Array(";6\n7;8;9\n".utf8)
        let spanning = Array((Self.header + "1;2;3\n\"multi\nline ").utf8) + [0xFF] + Array("\";5;6\n7;8;9\n".utf8)
        for bytes in [plain, spanning] {
            try Self.expectSame(try Self.file(bytes))
        }
        let records = try CSVRecords(url: try Self.file(spanning), requiredColumns: [])
        for _ in records {}
        // Header 1, "1;2;3" 2, the quoted field opens on 3 and holds the bad byte on line 4.
        #expect(records.readProblem?.line == 4)
        #expect(records.readProblem?.column == "a")
    }

    @Test("every fixture ledger file reads the same as before", arguments: ["french", "international", "demo"] + Self.brokenFixtures)
    func fixtures(folder: String) throws {
        let url =
            folder == "demo" ? Fixtures.demo : folder.hasPrefix("broken/") ? Fixtures.broken(String(folder.dropFirst(7))) : Fixtures.ledger(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".csv") }
        #expect(!files.isEmpty)
        for name in files {
            try Self.expectSame(url.appendingPathComponent(name), blockSizes: [7, 64, 1 << 20])
        }
    }

    static let brokenFixtures = [
        "bad-amount", "bad-date", "due-before-issue", "duplicate-id", "foreign-currency", "many-errors", "misaligned-row", "missing-column",
        "not-utf8", "overpaid", "unknown-customer", "unknown-invoice",
    ].map { "broken/" + $0 }

    // MARK: What the new reader refuses on its own

    @Test("a byte order mark after the start of the file is refused at its line and column")
    func byteOrderMarkInside() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        // At the start it is dropped; inside an id (line 3), or a second export pasted in (line 4), it is refused.
        for (bytes, line, column) in [
            (bom + Array((Self.header + "1;2;3\n4;x").utf8) + bom + Array(";6\n".utf8), 3, "b"),
            (bom + Array((Self.header + "1;2;3\n\"q\n\";5;6\n").utf8) + bom + Array("a;b;c\n".utf8), 5, "a"),
        ] as [([UInt8], Int, String)] {
            let records = try CSVRecords(url: try Self.file(bytes), requiredColumns: ["a", "b", "c"], blockSize: 5)
            let rows = records.map(\.line)
            #expect(rows.allSatisfy { $0 < line })
            let problem = try #require(records.readProblem)
            #expect(problem.line == line)
            #expect(problem.column == column)
            #expect(problem.message.contains("byte order mark"))
        }
    }

    @Test("the splitter refuses on its own what the block reader refuses, with line and field")
    func splitterFaults() throws {
        let cases: [(String, Int, Int, String)] = [
            ("a;b\nc;d\"e\n", 2, 1, "quote inside an unquoted field"),
            ("a;\"b\nc", 1, 1, "never closed"),
            ("a;b\n\"c\"d;e\n", 2, 0, "after the closing quote"),
            ("a;b\nc;d\u{0}\n", 2, 1, "NUL byte"),
        ]
        for (text, line, field, message) in cases {
            var splitter = RecordSplitter(bytes: Array(text.utf8), delimiter: UInt8(ascii: ";"), firstLine: 1)
            let fault = try #require(throws: ReadFault.self) {
                while try splitter.next() != nil {}
            }
            #expect(fault.line == line)
            #expect(fault.field == field)
            #expect(fault.message.contains(message))
        }
    }

    @Test("a header with a quote out of place is refused at line 1, not read as odd column names")
    func headerQuote() throws {
        let url = try Self.file(Array("customer_id;na\"me;sector_code\nC1;x;y\n".utf8))
        let error = try #require(throws: LedgerImportError.self) { try CSVRecords(url: url, requiredColumns: ["customer_id"]) }
        #expect(error.problems.first?.line == 1)
        #expect(error.problems.first?.column == "field 2")
    }
}
