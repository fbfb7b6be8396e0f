import CreditCore
import Foundation

/// Writes one CSV file in a given style through a large byte buffer.
///
/// A million rows formatted through `String` interpolation and Foundation formatters would take
/// most of a minute; appending bytes and flushing megabyte chunks keeps generation fast and its
/// memory flat. Numbers and dates are formatted here from integers, so the text never depends on
/// the platform's locale or floating-point printing.
struct CSVFileWriter {
    let path: String
    let style: CSVStyle
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var atRowStart = true
    private let delimiter: UInt8
    private static let flushThreshold = 1 << 20

    init(directory: URL, name: String, style: CSVStyle, header: [String]) throws(GeneratorError) {
        let url = directory.appendingPathComponent(name)
        path = url.path
        self.style = style
        delimiter = style == .french ? UInt8(ascii: ";") : UInt8(ascii: ",")
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw .cannotWrite(path: url.path, reason: "the file cannot be created")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        for column in header { text(column) }
        endRow()
    }

    private mutating func separate() {
        if atRowStart {
            atRowStart = false
        } else {
            buffer.append(delimiter)
        }
    }

    /// A text field, quoted only when it holds the delimiter, a quote or a line break.
    mutating func text(_ value: String) {
        separate()
        let utf8 = value.utf8
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if needsQuotes {
            buffer.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.append(contentsOf: utf8)
        }
    }

    mutating func empty() {
        separate()
    }

    mutating func integer(_ value: Int) {
        separate()
        appendDigits(UInt64(value.magnitude), minimumWidth: 1, negative: value < 0)
    }

    /// An id made of a prefix and numbers joined by `-` (`F0000042-007`, `P0000042-007-1`).
    mutating func identifier(_ prefix: UInt8, _ first: Int, width: Int, _ second: Int? = nil, _ third: Int? = nil) {
        separate()
        buffer.append(prefix)
        appendDigits(UInt64(first), minimumWidth: width, negative: false)
        if let second {
            buffer.append(UInt8(ascii: "-"))
            appendDigits(UInt64(second), minimumWidth: 3, negative: false)
        }
        if let third {
            buffer.append(UInt8(ascii: "-"))
            appendDigits(UInt64(third), minimumWidth: 1, negative: false)
        }
    }

    /// `1 234,56` (French: space-grouped thousands, decimal comma) or `1234.56`.
    mutating func amount(cents: Int64) {
        separate()
        if cents < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = cents.magnitude
        let units = magnitude / 100
        if style == .french {
            appendGrouped(units)
            buffer.append(UInt8(ascii: ","))
        } else {
            appendDigits(units, minimumWidth: 1, negative: false)
            buffer.append(UInt8(ascii: "."))
        }
        appendDigits(magnitude % 100, minimumWidth: 2, negative: false)
    }

    /// A decimal given as an integer and a number of decimals (`129, 1` is 12.9), with the style's mark.
    mutating func decimal(_ scaled: Int, decimals: Int) {
        separate()
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let magnitude = UInt64(scaled.magnitude)
        if scaled < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDigits(magnitude / divisor, minimumWidth: 1, negative: false)
        if decimals > 0 {
            buffer.append(style == .french ? UInt8(ascii: ",") : UInt8(ascii: "."))
            appendDigits(magnitude % divisor, minimumWidth: decimals, negative: false)
        }
    }

    /// `DD/MM/YYYY` (French) or `YYYY-MM-DD`.
    mutating func day(_ day: Day) {
        separate()
        let (y, m, d) = day.components
        if style == .french {
            appendDigits(UInt64(d), minimumWidth: 2, negative: false)
            buffer.append(UInt8(ascii: "/"))
            appendDigits(UInt64(m), minimumWidth: 2, negative: false)
            buffer.append(UInt8(ascii: "/"))
            appendDigits(UInt64(y), minimumWidth: 4, negative: false)
        } else {
            appendDigits(UInt64(y), minimumWidth: 4, negative: false)
            buffer.append(UInt8(ascii: "-"))
            appendDigits(UInt64(m), minimumWidth: 2, negative: false)
            buffer.append(UInt8(ascii: "-"))
            appendDigits(UInt64(d), minimumWidth: 2, negative: false)
        }
    }

    mutating func endRow() {
        buffer.append(10)
        atRowStart = true
    }

    /// Hands the buffer to the file once it holds about a megabyte.
    mutating func flushIfFull() throws(GeneratorError) {
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func flush() throws(GeneratorError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws(GeneratorError) {
        try flush()
        do {
            try handle.close()
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    private mutating func appendDigits(_ value: UInt64, minimumWidth: Int, negative: Bool) {
        if negative { buffer.append(UInt8(ascii: "-")) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
        }
        if count < minimumWidth {
            for _ in count..<minimumWidth { buffer.append(48) }
        }
        withUnsafeBytes(of: &digits) { raw in
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    /// Digits grouped by three with a regular space, as French ledgers print amounts.
    private mutating func appendGrouped(_ value: UInt64) {
        var divisor: UInt64 = 1
        while value / divisor >= 1000 { divisor *= 1000 }
        appendDigits(value / divisor, minimumWidth: 1, negative: false)
        var rest = value % divisor
        while divisor > 1 {
            divisor /= 1000
            buffer.append(UInt8(ascii: " "))
            appendDigits(rest / divisor, minimumWidth: 3, negative: false)
            rest %= divisor
        }
    }
}
