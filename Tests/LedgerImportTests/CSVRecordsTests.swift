import CreditCore
import Foundation
import LedgerReader
import Testing

@Suite("Reading CSV records")
struct CSVRecordsTests {
    func records(_ url: URL, kind: LedgerFileKind, blockSize: Int = 1 << 20) throws -> [(Int, [String])] {
        try CSVRecords(url: url, kind: kind, blockSize: blockSize).map { ($0.line, $0.fields) }
    }

    @Test("blocks cut anywhere give the same records as one block", arguments: [1, 7, 64])
    func blockBoundaries(blockSize: Int) throws {
        for (folder, kind) in [("french", LedgerFileKind.customers), ("french", .invoices), ("international", .customers)] {
            let url = Fixtures.ledger(folder).appendingPathComponent(kind.fileName)
            let small = try records(url, kind: kind, blockSize: blockSize)
            let whole = try records(url, kind: kind)
            #expect(small.map(\.0) == whole.map(\.0))
            #expect(small.map(\.1) == whole.map(\.1))
            #expect(whole.count == 3 || whole.count == 5)
        }
    }

    @Test("a quoted field spanning lines moves the line count on, so later errors point at the right line")
    func multilineField() throws {
        let folder = try Fixtures.temporaryFolder()
        let url = folder.appendingPathComponent("customers.csv")
        let text = """
            customer_id;name;sector_code;country;terms_days
            C1;"Dupont
            et Fils";10.71C;FR;30
            C2;Martin;10.71C;FR;30

            C3;"Say ""hello"";
            twice";10.71C;FR;30
            C4;Durand;10.71C;FR;30
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        for blockSize in [3, 1 << 20] {
            let rows = try records(url, kind: .customers, blockSize: blockSize)
            // Header line 1; C1 on lines 2-3; C2 on 4; a blank line 5; C3 on 6-7; C4 on 8.
            #expect(rows.map(\.0) == [2, 4, 6, 8])
            #expect(rows[0].1[1] == "Dupont\net Fils")
            #expect(rows[2].1[1] == "Say \"hello\";\ntwice")
        }
    }

    @Test(
        "the delimiter is the one that splits the header most",
        arguments: [
            ("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("\"x;y\",b,c", ","), ("single", ","),
        ] as [(String, String)])
    func delimiter(header: String, expected: String) throws {
        let folder = try Fixtures.temporaryFolder()
        let url = folder.appendingPathComponent("sectors.csv")
        try (header + "\n").write(to: url, atomically: true, encoding: .utf8)
        // The header lacks the sector columns, and the error names the delimiter it saw.
        let error = try #require(throws: LedgerImportError.self) { try CSVRecords(url: url, kind: .sectors) }
        let name = expected == "\t" ? "tab" : "\"\(expected)\""
        #expect(error.problems.first?.message.hasSuffix("delimiter detected: \(name))") == true)
    }
}
