import Foundation

/// Where and why a file stopped being readable as CSV: a fault in its structure, not in a value.
public struct ReadFault: Error, Equatable, Sendable {
    /// Physical line, counting the header as line 1.
    public var line: Int
    /// Zero-based position of the field on its row, when the fault is inside one.
    public var field: Int?
    public var message: String

    public init(line: Int, field: Int? = nil, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    // The faults of a file's structure, worded once for the block reader and the record splitter.

    static func unclosedQuote(line: Int, field: Int) -> ReadFault {
        ReadFault(
            line: line, field: field, message: "opens a quoted field that is never closed; close the quote or double the \" inside the field")
    }

    static func nul(line: Int, field: Int) -> ReadFault {
        ReadFault(line: line, field: field, message: "holds a NUL byte (U+0000); the file is damaged or not a text export")
    }

    static func strayQuote(line: Int, field: Int) -> ReadFault {
        ReadFault(
            line: line, field: field, message: "has a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
    }

    static func textAfterQuote(line: Int, field: Int) -> ReadFault {
        ReadFault(
            line: line, field: field,
            message: "has text after the closing quote of a field; quote the whole field and double the quote (\"\")")
    }
}

/// The sizes past which a file is refused rather than held in memory: no ledger field needs
/// 64 KiB and no ledger row 1 MiB, so a file beyond them is not an export (or has a quote left
/// open) and reading on would only fill memory.
public struct CSVLimits: Sendable, Hashable {
    public var fieldBytes: Int
    public var recordBytes: Int

    public static let standard = CSVLimits(fieldBytes: 64 * 1024, recordBytes: 1024 * 1024)

    /// `64 KiB`, `1 MiB`, or bytes when not a round size.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

/// Hands out a file in blocks of whole records: each block ends after a line end (LF, CRLF or a
/// lone CR, as old Mac exports write) that is not inside a quoted field, so no record is split
/// between two blocks.
///
/// Every byte is checked once on the way, against RFC 4180 as ERPs write it: a quote only opens
/// a field, a quoted field is closed before the file ends and followed by a delimiter or a line
/// end, no NUL byte, no field or record beyond `CSVLimits`. The first fault ends the reading;
/// the records before it are still handed out, and `fault` says where it was.
public final class BlockReader {
    private let handle: FileHandle
    private let blockSize: Int
    private let limits: CSVLimits
    private var pending: [UInt8] = []
    private var atEnd = false
    /// The delimiter byte, known once the header has been read.
    public var delimiter: UInt8 = 44
    /// Set when the structure of the file is broken; nothing after it is handed out.
    public private(set) var fault: ReadFault?
    private var scan = Scan()

    /// Where the scan of `pending` stands; `pending` always starts at a record start.
    private struct Scan {
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        /// Bytes of `pending` already scanned.
        var position = 0
        /// Index just past the last complete record (its line end included).
        var cut = 0
        /// Index of a CR just scanned, whose meaning (alone or part of CRLF) waits on the next byte.
        var carriageReturn: Int?
        var carriageReturnEndsRecord = false
        var line = 2
        var field = 0
        var fieldStart = 0
        var recordStart = 0
        var quoteLine = 2
    }

    public init?(url: URL, blockSize: Int, limits: CSVLimits = .standard) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        self.handle = handle
        self.blockSize = max(1, blockSize)
        self.limits = limits
    }

    deinit { try? handle.close() }

    private func fill() {
        guard !atEnd else { return }
        let data = (try? handle.read(upToCount: blockSize)) ?? nil
        if let data, !data.isEmpty { pending.append(contentsOf: data) } else { atEnd = true }
    }

    /// The first line, without its BOM and line end (LF, CRLF or CR, outside quotes); a fault when
    /// it holds a NUL byte or is longer than a record may be.
    public func takeHeaderLine() -> Result<[UInt8], ReadFault> {
        while !atEnd, pending.count < 3 { fill() }
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        var quoted = false
        var index = 0
        while true {
            if index == pending.count {
                if atEnd { break }
                fill()
                continue
            }
            let byte = pending[index]
            if byte == 0 {
                return .failure(ReadFault(line: 1, message: "holds a NUL byte in the header; the file is not a text export"))
            }
            if byte == 34 { quoted.toggle() } else if !quoted, byte == 10 || byte == 13 { break }
            index += 1
            if index > limits.recordBytes {
                return .failure(
                    ReadFault(line: 1, message: "has a header longer than \(CSVLimits.size(limits.recordBytes)); the file is not a ledger export"))
            }
        }
        let line = Array(pending[..<index])
        var end = index
        if end < pending.count, pending[end] == 13 {
            end += 1
            while !atEnd, end == pending.count { fill() }
            if end < pending.count, pending[end] == 10 { end += 1 }
        } else if end < pending.count {
            end += 1
        }
        pending.removeFirst(end)
        return .success(line)
    }

    /// The next block of whole records, or nil at the end of the file or at a fault.
    public func nextBlock() -> [UInt8]? {
        while true {
            if fault == nil { scanPending() }
            if fault != nil || atEnd {
                if fault == nil { finishAtEnd() }
                let end = fault == nil ? pending.count : scan.cut
                guard end > 0 else { return nil }
                return take(end)
            }
            if scan.cut > 0, pending.count >= blockSize { return take(scan.cut) }
            fill()
        }
    }

    private func take(_ end: Int) -> [UInt8] {
        let block = Array(pending[..<end])
        pending.removeFirst(end)
        scan.position -= end
        scan.cut -= end
        scan.fieldStart -= end
        scan.recordStart -= end
        if let carriageReturn = scan.carriageReturn { scan.carriageReturn = carriageReturn - end }
        return block
    }

    /// At the end of the file: a quote still open is a fault (where it opened), a CR last is a line end.
    private func finishAtEnd() {
        if scan.carriageReturn != nil {
            scan.carriageReturn = nil
            scan.cut = pending.count
        }
        if scan.state == .quoted {
            fault = .unclosedQuote(line: scan.quoteLine, field: scan.field)
        }
    }

    /// Scans the bytes read since the last call, one state change per byte.
    private func scanPending() {
        let delimiter = self.delimiter
        let limits = self.limits
        var scan = self.scan
        defer { self.scan = scan }
        pending.withUnsafeBufferPointer { bytes in
            while scan.position < bytes.count {
                let index = scan.position
                let byte = bytes[index]
                if let carriageReturn = scan.carriageReturn {
                    scan.carriageReturn = nil
                    if byte == 10 {
                        // The LF of a CRLF: the line end was counted at the CR.
                        if scan.carriageReturnEndsRecord {
                            scan.cut = index + 1
                            scan.recordStart = index + 1
                            scan.fieldStart = index + 1
                        }
                        scan.position += 1
                        continue
                    }
                    if scan.carriageReturnEndsRecord { scan.cut = carriageReturn + 1 }
                }
                if byte == 0 {
                    self.fault = .nul(line: scan.line, field: scan.field)
                    return
                }
                switch (scan.state, byte) {
                case (.fieldStart, 34):
                    scan.state = .quoted
                    scan.quoteLine = scan.line
                case (.fieldStart, delimiter), (.unquoted, delimiter), (.quoteInQuoted, delimiter):
                    scan.state = .fieldStart
                    scan.field += 1
                    scan.fieldStart = index + 1
                case (.fieldStart, 10), (.unquoted, 10), (.quoteInQuoted, 10):
                    endRecord(&scan, at: index)
                    scan.cut = index + 1
                case (.fieldStart, 13), (.unquoted, 13), (.quoteInQuoted, 13):
                    endRecord(&scan, at: index)
                    scan.carriageReturn = index
                    scan.carriageReturnEndsRecord = true
                case (.fieldStart, _):
                    scan.state = .unquoted
                case (.unquoted, 34):
                    self.fault = .strayQuote(line: scan.line, field: scan.field)
                    return
                case (.quoted, 34):
                    scan.state = .quoteInQuoted
                case (.quoted, 10):
                    scan.line += 1
                case (.quoted, 13):
                    scan.line += 1
                    scan.carriageReturn = index
                    scan.carriageReturnEndsRecord = false
                case (.quoteInQuoted, 34):
                    scan.state = .quoted
                case (.quoteInQuoted, _):
                    self.fault = .textAfterQuote(line: scan.line, field: scan.field)
                    return
                default:
                    break
                }
                scan.position += 1
                if scan.state != .fieldStart, scan.position - scan.fieldStart > limits.fieldBytes {
                    self.fault = ReadFault(
                        line: scan.state == .quoted ? scan.quoteLine : scan.line, field: scan.field,
                        message: "has a field longer than \(CSVLimits.size(limits.fieldBytes)); no ledger value is this long "
                            + "(a quote left open?)")
                    return
                }
                if scan.position - scan.recordStart > limits.recordBytes {
                    self.fault = ReadFault(
                        line: scan.line, field: nil,
                        message: "has a row longer than \(CSVLimits.size(limits.recordBytes)); no ledger row is this long")
                    return
                }
            }
        }
    }

    private func endRecord(_ scan: inout Scan, at index: Int) {
        scan.state = .fieldStart
        scan.line += 1
        scan.field = 0
        scan.fieldStart = index + 1
        scan.recordStart = index + 1
    }
}
