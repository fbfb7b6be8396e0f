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
        return fields[index].trimmingCharacters(in: .whitespaces)
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
public final class CSVRecords: Sequence, IteratorProtocol {
    public let fileName: String
    public let delimiter: UnicodeScalar
    public let header: [String]
    private let reader: CSVReader
    private let columns: ColumnIndex
    private var nextLine = 2
    /// Set when reading stopped on bytes that are not UTF-8 or a read failure.
    public private(set) var readProblem: LedgerProblem?

    /// Opens `url` and checks its header; throws a `LedgerImportError` naming the file and the
    /// missing columns, rather than failing row by row later.
    public init(url: URL, kind: LedgerFileKind) throws {
        fileName = url.lastPathComponent
        guard let stream = InputStream(url: url), let firstLine = CSVRecords.firstLine(of: url) else {
            throw LedgerImportError(
                problems: [LedgerProblem(file: fileName, message: "cannot be read")], totalCount: 1)
        }
        delimiter = CSVRecords.detectDelimiter(in: firstLine)
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, delimiter: delimiter)
        } catch {
            throw LedgerImportError(
                problems: [LedgerProblem(file: fileName, line: 1, message: "has no header row")], totalCount: 1)
        }
        header = (reader.headerRow ?? []).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
        var positions: [String: Int] = [:]
        var duplicates: [String] = []
        for (index, name) in header.enumerated() where !name.isEmpty {
            if positions[name] != nil { duplicates.append(name) } else { positions[name] = index }
        }
        columns = ColumnIndex(positions: positions)
        let missing = kind.requiredColumns.filter { positions[$0] == nil }
        var problems: [LedgerProblem] = []
        if !missing.isEmpty {
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

    public func hasColumn(_ name: String) -> Bool { columns.positions[name] != nil }

    public func next() -> CSVRecord? {
        while let fields = reader.next() {
            let line = nextLine
            var newlines = 1
            for field in fields where field.utf8.contains(10) {
                newlines += field.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            }
            nextLine += newlines
            if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            return CSVRecord(line: line, fields: fields, columns: columns)
        }
        // CSV.swift reports the normal end of the stream as `cannotReadFile`; only a decoding
        // failure or a stream error means the file was not read to its end.
        if let error = reader.error, readProblem == nil {
            switch error {
            case CSVError.unicodeDecoding:
                readProblem = LedgerProblem(
                    file: fileName, line: nextLine, message: "is not valid UTF-8 (save the export as UTF-8)")
            case CSVError.streamErrorHasOccurred(let underlying):
                readProblem = LedgerProblem(
                    file: fileName, line: nextLine, message: "could not be read to the end (\(underlying))")
            default:
                break
            }
        }
        return nil
    }

    /// The column count a data row must have; a row with more or fewer fields is misaligned.
    public var width: Int { header.count }

    static func firstLine(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        let chunk = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        let line = chunk.prefix { $0 != 10 && $0 != 13 }
        return String(decoding: line, as: UTF8.self)
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
