/// Splits CSV records held in memory (a block `BlockReader` hands out, or a header line) into
/// their fields, strictly, by RFC 4180 as ERPs write it: a field is quoted whole or not at all,
/// `""` inside quotes is one quote, line ends inside quotes belong to the field (and move the
/// physical line count on), and a record ends at LF, CRLF or a lone CR.
///
/// Refuses, at the line and field where it is found: a quote left open, a quote inside an
/// unquoted field, text after a closing quote, a NUL byte, bytes that are not UTF-8, and a byte
/// order mark (U+FEFF) anywhere but at the start of the file, where `BlockReader` drops it
/// (two exports pasted together, or an invisible character that would make two ids differ).
///
/// Works on the bytes in place: a field becomes a `String` once, without going through
/// Unicode scalars, which is what makes reading a ledger cheap next to storing it.
public struct RecordSplitter {
    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var position = 0
    /// The physical line the next record starts on.
    public private(set) var line: Int

    /// `firstLine`: the physical line `bytes` start on (the header is line 1).
    public init(bytes: [UInt8], delimiter: UInt8, firstLine: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.line = firstLine
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The next record: the line it starts on and its fields (a blank line is one empty field);
    /// nil once every record is taken.
    public mutating func next() throws(ReadFault) -> (line: Int, fields: [String])? {
        guard position < bytes.count else { return nil }
        let start = line
        let delimiter = self.delimiter
        var position = self.position
        var line = self.line
        let result: Result<[String], ReadFault> = bytes.withUnsafeBufferPointer { bytes in
            var fields: [String] = []
            var field = 0
            while true {
                let value: String
                switch Self.field(in: bytes, from: &position, line: &line, field: field, delimiter: delimiter) {
                case .success(let text): value = text
                case .failure(let fault): return .failure(fault)
                }
                fields.append(value)
                guard position < bytes.count else { return .success(fields) }
                let byte = bytes[position]
                position += 1
                if byte == delimiter {
                    field += 1
                    continue
                }
                // The record's line end: LF, CRLF or a lone CR.
                if byte == Self.carriageReturn, position < bytes.count, bytes[position] == Self.lineFeed { position += 1 }
                line += 1
                return .success(fields)
            }
        }
        self.position = position
        self.line = line
        return (start, try result.get())
    }

    /// Reads the field starting at `position`, leaving `position` on the byte after it (a
    /// delimiter, a line end, or the end) and `line` on the line that byte is on.
    private static func field(
        in bytes: UnsafeBufferPointer<UInt8>, from position: inout Int, line: inout Int, field: Int, delimiter: UInt8
    ) -> Result<String, ReadFault> {
        let fieldLine = line
        var index = position
        // Every byte OR-ed together: below 0x80, the field is ASCII and needs no UTF-8 check.
        var bits: UInt8 = 0
        guard index < bytes.count, bytes[index] == quote else {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                if byte == quote { return .failure(.strayQuote(line: line, field: field)) }
                if byte == 0 { return .failure(.nul(line: line, field: field)) }
                bits |= byte
                index += 1
            }
            position = index
            return text(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: bits < 0x80, line: fieldLine, field: field)
        }
        index += 1
        var start = index
        // Set once a doubled quote is met: the field's bytes less one quote of each pair.
        var unescaped: [UInt8]?
        while true {
            guard index < bytes.count else { return .failure(.unclosedQuote(line: fieldLine, field: field)) }
            let byte = bytes[index]
            if byte == quote {
                guard index + 1 < bytes.count, bytes[index + 1] == quote else { break }
                unescaped = (unescaped ?? []) + bytes[start...index]
                index += 2
                start = index
                continue
            }
            if byte == lineFeed {
                line += 1
            } else if byte == carriageReturn {
                line += 1
                if index + 1 < bytes.count, bytes[index + 1] == lineFeed { index += 1 }
            } else if byte == 0 {
                return .failure(.nul(line: line, field: field))
            }
            bits |= byte
            index += 1
        }
        let end = index
        index += 1  // the closing quote
        if index < bytes.count, bytes[index] != delimiter, bytes[index] != lineFeed, bytes[index] != carriageReturn {
            return .failure(.textAfterQuote(line: line, field: field))
        }
        position = index
        guard let escaped = unescaped else {
            return text(UnsafeBufferPointer(rebasing: bytes[start..<end]), ascii: bits < 0x80, line: fieldLine, field: field)
        }
        let whole = escaped + bytes[start..<end]
        return whole.withUnsafeBufferPointer { text($0, ascii: bits < 0x80, line: fieldLine, field: field) }
    }

    /// The field's bytes as text: checked as UTF-8 and for a byte order mark unless plain ASCII.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, line: Int, field: Int) -> Result<String, ReadFault> {
        if ascii { return .success(String(decoding: bytes, as: UTF8.self)) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(
                ReadFault(
                    line: line + linesBeforeInvalidUTF8(bytes), field: field, message: "is not valid UTF-8 (save the export as UTF-8)"))
        }
        if let mark = firstByteOrderMark(bytes) {
            return .failure(
                ReadFault(
                    line: line + lineEnds(in: UnsafeBufferPointer(rebasing: bytes[..<mark])), field: field,
                    message: "holds a byte order mark (U+FEFF) after the start of the file: an invisible character "
                        + "(two exports joined into one?); remove it"))
        }
        return .success(text)
    }

    /// The offset of the first EF BB BF (U+FEFF in UTF-8), if any.
    private static func firstByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { return index }
            index += 1
        }
        return nil
    }

    /// Line ends among `bytes`: LF, CRLF or a lone CR, each once.
    public static func lineEnds(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var afterCR = false
        for byte in bytes {
            if byte == carriageReturn { count += 1 } else if byte == lineFeed, !afterCR { count += 1 }
            afterCR = byte == carriageReturn
        }
        return count
    }

    /// The lines of `bytes` before the first one that is not UTF-8 (a line end is never part of
    /// a multi-byte character, so lines can be checked one by one).
    public static func linesBeforeInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var lines = 0
        var start = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == lineFeed || bytes[index] == carriageReturn {
                if String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) == nil { return lines }
                lines += 1
                if index + 1 < bytes.count, bytes[index] == carriageReturn, bytes[index + 1] == lineFeed { index += 1 }
                start = index + 1
            }
            index += 1
        }
        return lines
    }
}
