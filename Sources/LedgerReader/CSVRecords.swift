import CSV
import Foundation

/// A data row of a ledger file, with its physical line number and fields addressable by column name.
public struct CSVRecord {
    public let line: Int
    public let fields: [String]
    let columns: ColumnIndex

    /// The trimmed field, or "" when the column is absent or the row is short.
    public subscript(column: String) -> String {
        guard let index = columns.positions[column], index < fields.count else { return "" }
        return CSVRecord.trimmed(fields[index])
    }

    /// Trims spaces and tabs; checks the ends first because almost no field needs it, and
    /// Foundation's trimming costs more than the rest of a row's parsing.
    static func trimmed(_ field: String) -> String {
        let utf8 = field.utf8
        guard let first = utf8.first, let last = utf8.last else { return field }
        guard first == 32 || first == 9 || last == 32 || last == 9 else { return field }
        return field.trimmingCharacters(in: .whitespaces)
    }
}

struct ColumnIndex {
    var positions: [String: Int]
}

/// Reads a delimited file row by row in constant memory, whatever its size.
///
/// Detects the delimiter (`,` `;` or tab) from the header line, accepts a UTF-8 BOM and CRLF,
/// checks the header against the columns the file kind requires, and numbers rows by physical
/// line (a quoted field spanning lines moves the count on).
///
/// The file is read in blocks cut at a line end outside quotes; CSV.swift parses each block
/// from a `String`, which is about twice as fast as its byte-stream reader, and a block is
/// validated as UTF-8 before parsing so a wrongly encoded export is refused, not mangled.
public final class CSVRecords: Sequence, IteratorProtocol {
    public let fileName: String
    public let delimiter: UnicodeScalar
    public let header: [String]
    private let columns: ColumnIndex
    private let blocks: BlockReader
    private var reader: CSVReader?
    private var nextLine = 2
    /// Set when reading stopped on bytes that are not UTF-8 or a read failure.
    public private(set) var readProblem: LedgerProblem?

    /// Opens `url` and checks its header; throws a `LedgerImportError` naming the file and the
    /// missing columns, rather than failing row by row later.
    public convenience init(url: URL, kind: LedgerFileKind, blockSize: Int = 1 << 20) throws {
        try self.init(url: url, requiredColumns: kind.requiredColumns, blockSize: blockSize)
    }

    /// Opens any delimited file with a header holding at least `requiredColumns`.
    public init(url: URL, requiredColumns: [String], blockSize: Int = 1 << 20) throws {
        fileName = url.lastPathComponent
        guard let blocks = BlockReader(url: url, blockSize: blockSize) else {
            throw LedgerImportError(problems: [LedgerProblem(file: fileName, message: "cannot be read")], totalCount: 1)
        }
        self.blocks = blocks
        let headerBytes = blocks.takeHeaderLine()
        guard let headerLine = String(validating: headerBytes, as: UTF8.self) else {
            throw LedgerImportError(
                problems: [LedgerProblem(file: fileName, line: 1, message: "is not valid UTF-8 (save the export as UTF-8)")],
                totalCount: 1)
        }
        delimiter = CSVRecords.detectDelimiter(in: headerLine)
        let parsedHeader = (try? CSVReader(string: headerLine, delimiter: delimiter))?.next() ?? []
        header = parsedHeader.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var positions: [String: Int] = [:]
        var duplicates: [String] = []
        for (index, name) in header.enumerated() where !name.isEmpty {
            if positions[name] != nil { duplicates.append(name) } else { positions[name] = index }
        }
        columns = ColumnIndex(positions: positions)
        let missing = requiredColumns.filter { positions[$0] == nil }
        var problems: [LedgerProblem] = []
        if headerLine.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(LedgerProblem(file: fileName, line: 1, message: "has no header row"))
        } else if !missing.isEmpty {
            problems.append(
                LedgerProblem(
                    file: fileName, line: 1,
                    message: "header lacks required column\(missing.count == 1 ? "" : "s") "
                        + missing.joined(separator: ", ") + " (found: " + header.joined(separator: ", ")
                        + "; delimiter detected: " + CSVRecords.name(of: delimiter) + ")"))
        }
        for name in duplicates {
            problems.append(LedgerProblem(file: fileName, line: 1, column: name, message: "column appears twice"))
        }
        if !problems.isEmpty { throw LedgerImportError(problems: problems, totalCount: problems.count) }
    }

    public func next() -> CSVRecord? {
        while true {
            if let reader, let fields = reader.next() {
                let line = nextLine
                var newlines = 1
                for field in fields where field.utf8.contains(10) {
                    newlines += field.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                }
                nextLine += newlines
                if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
                return CSVRecord(line: line, fields: fields, columns: columns)
            }
            guard readProblem == nil, let block = blocks.nextBlock() else {
                reader = nil
                return nil
            }
            guard let text = String(validating: block, as: UTF8.self) else {
                readProblem = LedgerProblem(
                    file: fileName, line: nextLine + CSVRecords.linesBeforeInvalidUTF8(block),
                    message: "is not valid UTF-8 (save the export as UTF-8)")
                reader = nil
                return nil
            }
            reader = try? CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter)
        }
    }

    /// The column count a data row must have; a row with more or fewer fields is misaligned.
    public var width: Int { header.count }

    static func linesBeforeInvalidUTF8(_ block: [UInt8]) -> Int {
        var lines = 0
        for line in block.split(separator: 10, omittingEmptySubsequences: false) {
            if String(validating: line, as: UTF8.self) == nil { return lines }
            lines += 1
        }
        return lines
    }

    /// The delimiter that splits the header into the most fields, outside quotes.
    static func detectDelimiter(in line: String) -> UnicodeScalar {
        var counts: [UnicodeScalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in line.unicodeScalars {
            if scalar == "\"" { quoted.toggle() } else if !quoted, counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let best = [";", "\t", ","].max { (counts[$0] ?? 0) < (counts[$1] ?? 0) } ?? ","
        return (counts[best] ?? 0) == 0 ? "," : best
    }

    public static func name(of delimiter: UnicodeScalar) -> String {
        switch delimiter {
        case "\t": "tab"
        default: "\"\(delimiter)\""
        }
    }
}

/// Hands out a file in blocks of whole records: each block ends after a line feed that is not
/// inside a quoted field, so no record is split between two blocks.
final class BlockReader {
    private let handle: FileHandle
    private let blockSize: Int
    private var pending: [UInt8] = []
    private var atEnd = false

    init?(url: URL, blockSize: Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        self.handle = handle
        self.blockSize = blockSize
    }

    deinit { try? handle.close() }

    private func fill() {
        guard !atEnd else { return }
        let data = (try? handle.read(upToCount: blockSize)) ?? nil
        if let data, !data.isEmpty { pending.append(contentsOf: data) } else { atEnd = true }
    }

    /// The first line, without its BOM and line end.
    func takeHeaderLine() -> [UInt8] {
        while !atEnd, pending.count < 3 { fill() }
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        while !atEnd, !pending.contains(10) { fill() }
        let end = pending.firstIndex(of: 10) ?? pending.count
        var line = Array(pending[..<end])
        if line.last == 13 { line.removeLast() }
        pending.removeFirst(min(end + 1, pending.count))
        return line
    }

    func nextBlock() -> [UInt8]? {
        while true {
            if pending.count < blockSize { fill() }
            if atEnd {
                guard !pending.isEmpty else { return nil }
                defer { pending = [] }
                return pending
            }
            if let cut = lastRecordEnd() {
                let block = Array(pending[..<cut])
                pending.removeFirst(cut)
                return block
            }
            fill()  // one record longer than a block: read on
        }
    }

    /// Index just past the last line feed outside quotes.
    private func lastRecordEnd() -> Int? {
        var quoted = false
        var cut: Int?
        pending.withUnsafeBufferPointer { bytes in
            for index in bytes.indices {
                switch bytes[index] {
                case 34: quoted.toggle()
                case 10 where !quoted: cut = index + 1
                default: break
                }
            }
        }
        return cut
    }
}
