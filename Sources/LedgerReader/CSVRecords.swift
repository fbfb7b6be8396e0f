import CreditCore
import Foundation
import StrictCSV

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
/// Detects the delimiter (`,` `;` or tab) from the header line, accepts a UTF-8 BOM and LF, CRLF
/// or lone CR line ends, checks the header against the columns the file kind requires, and
/// numbers rows by physical line (a quoted field spanning lines moves the count on).
///
/// The file is read in blocks cut at a line end outside quotes, each byte checked against the
/// CSV structure on the way (`BlockReader`), and each block split into fields in place
/// (`RecordSplitter`, which also refuses bytes that are not UTF-8 and a BOM after the start), so
/// a wrongly encoded export is refused at its line and column, not mangled.
public final class CSVRecords: Sequence, IteratorProtocol {
    public let fileName: String
    public let delimiter: UnicodeScalar
    public let header: [String]
    private let columns: ColumnIndex
    private let blocks: BlockReader
    private var splitter: RecordSplitter?
    private var nextLine = 2
    /// Set when reading stopped on a fault in the file's structure or encoding, or a read failure.
    public private(set) var readProblem: LocatedProblem?

    /// Opens `url` and checks its header; throws a `LedgerImportError` naming the file and the
    /// missing columns, rather than failing row by row later.
    public convenience init(
        url: URL, kind: LedgerFileKind, blockSize: Int = 1 << 20, limits: CSVLimits = .standard
    ) throws {
        try self.init(url: url, requiredColumns: kind.requiredColumns, blockSize: blockSize, limits: limits)
    }

    /// Opens any delimited file with a header holding at least `requiredColumns`.
    public init(
        url: URL, requiredColumns: [String], blockSize: Int = 1 << 20, limits: CSVLimits = .standard
    ) throws {
        fileName = url.lastPathComponent
        guard let blocks = BlockReader(url: url, blockSize: blockSize, limits: limits) else {
            throw LedgerImportError(problems: [LocatedProblem(file: fileName, message: "cannot be read")], totalCount: 1)
        }
        self.blocks = blocks
        let headerBytes: [UInt8]
        switch blocks.takeHeaderLine() {
        case .success(let bytes): headerBytes = bytes
        case .failure(let fault):
            throw LedgerImportError(
                problems: [LocatedProblem(file: fileName, line: fault.line, message: fault.message)], totalCount: 1)
        }
        guard let headerLine = String(validating: headerBytes, as: UTF8.self) else {
            throw LedgerImportError(
                problems: [LocatedProblem(file: fileName, line: 1, message: "is not valid UTF-8 (save the export as UTF-8)")],
                totalCount: 1)
        }
        delimiter = CSVRecords.detectDelimiter(in: headerLine)
        blocks.delimiter = UInt8(truncatingIfNeeded: delimiter.value)
        var headerSplitter = RecordSplitter(bytes: headerBytes, delimiter: blocks.delimiter, firstLine: 1)
        let parsedHeader: [String]
        do {
            parsedHeader = try headerSplitter.next()?.fields ?? []
        } catch {
            throw LedgerImportError(
                problems: [
                    LocatedProblem(file: fileName, line: 1, column: error.field.map { "field \($0 + 1)" }, message: error.message)
                ], totalCount: 1)
        }
        header = parsedHeader.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var positions: [String: Int] = [:]
        var duplicates: [String] = []
        for (index, name) in header.enumerated() where !name.isEmpty {
            if positions[name] != nil { duplicates.append(name) } else { positions[name] = index }
        }
        columns = ColumnIndex(positions: positions)
        let missing = requiredColumns.filter { positions[$0] == nil }
        var problems: [LocatedProblem] = []
        if headerLine.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(LocatedProblem(file: fileName, line: 1, message: "has no header row"))
        } else if !missing.isEmpty {
            problems.append(
                LocatedProblem(
                    file: fileName, line: 1,
                    message: "header lacks required column\(missing.count == 1 ? "" : "s") "
                        + missing.joined(separator: ", ") + " (found: " + header.joined(separator: ", ")
                        + "; delimiter detected: " + CSVRecords.name(of: delimiter) + ")"))
        }
        for name in duplicates {
            problems.append(LocatedProblem(file: fileName, line: 1, column: name, message: "column appears twice"))
        }
        if !problems.isEmpty { throw LedgerImportError(problems: problems, totalCount: problems.count) }
    }

    public func next() -> CSVRecord? {
        while true {
            if splitter != nil {
                do {
                    if let (line, fields) = try splitter?.next() {
                        // A blank line (or one of spaces alone) is no record.
                        if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
                        return CSVRecord(line: line, fields: fields, columns: columns)
                    }
                } catch {
                    readProblem = problem(for: error)
                    splitter = nil
                    return nil
                }
                nextLine = splitter?.line ?? nextLine
                splitter = nil
            }
            guard readProblem == nil, let block = blocks.nextBlock() else {
                if readProblem == nil, let fault = blocks.fault { readProblem = problem(for: fault) }
                return nil
            }
            splitter = RecordSplitter(bytes: block, delimiter: blocks.delimiter, firstLine: nextLine)
        }
    }

    /// The column count a data row must have; a row with more or fewer fields is misaligned.
    public var width: Int { header.count }

    /// A structural fault, located by the column the header names at its position.
    func problem(for fault: ReadFault) -> LocatedProblem {
        let column = fault.field.map { $0 < header.count && !header[$0].isEmpty ? header[$0] : "field \($0 + 1)" }
        return LocatedProblem(file: fileName, line: fault.line, column: column, message: fault.message)
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
