import CreditCore
import Foundation

/// A report as a table for spreadsheets: a header row, then one row per line of the report,
/// written as RFC 4180 text (`text/csv; charset=utf-8`), the same for the API's `?format=csv`
/// and the CLI's `--csv`.
///
/// Amounts are plain decimals with a point and no grouping (`-1234.50`), days `YYYY-MM-DD`,
/// ratios and day counts plain numbers: what a spreadsheet or a script reads without guessing.
public struct CSVTable: Sendable, Hashable {
    /// One cell, typed, so that each kind is written one way.
    public enum Cell: Sendable, Hashable {
        case text(String)
        case money(Money)
        case integer(Int)
        /// A number written with `places` decimals (a ratio, an average of days).
        case number(Double, places: Int)
        case day(Day)
        case empty
    }

    public var header: [String]
    public var rows: [[Cell]]

    public init(header: [String], rows: [[Cell]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as RFC 4180 text: CRLF after every row (the header included), a field quoted
    /// when it holds a comma, a quote, a CR or a LF, its quotes doubled.
    ///
    /// A text cell starting with `=`, `+`, `-` or `@` gets a leading `'`: a customer name such as
    /// `=HYPERLINK(...)` is shown as text by a spreadsheet instead of run as a formula (OWASP,
    /// "CSV injection"). Amounts and numbers are never changed.
    public var text: String {
        var out = ""
        out.reserveCapacity(64 * (rows.count + 1))
        func line(_ fields: [String]) {
            out += fields.map(Self.field).joined(separator: ",")
            out += "\r\n"
        }
        line(header)
        for row in rows { line(row.map(Self.written)) }
        return out
    }

    static func written(_ cell: Cell) -> String {
        switch cell {
        case .text(let value):
            guard let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) else { return value }
            return "'" + value
        case .money(let money): return money.decimalText
        case .integer(let value): return String(value)
        case .number(let value, let places): return value.isFinite ? Self.fixed(value, places: places) : ""
        case .day(let day): return day.iso
        case .empty: return ""
        }
    }

    /// `value` rounded to `places` decimals, without exponent and without a locale.
    static func fixed(_ value: Double, places: Int) -> String {
        let places = max(0, min(places, 9))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded()
        // Beyond 2^53 a double has no fraction left to write; beyond Int64 it cannot be converted.
        guard abs(scaled) < 9.0e15 else { return String(format: "%.0f", value) }
        let units = Int64(scaled)
        let magnitude = units.magnitude
        let divisor = UInt64(scale)
        let whole = magnitude / divisor
        let sign = units < 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let fraction = String(magnitude % divisor)
        return sign + String(whole) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A report that can be sent as CSV: its lines as a table.
public protocol CSVReport: Sendable {
    var csv: CSVTable { get }
    /// The file name offered for download (`late-payers-2026-10-31.csv`).
    var csvFileName: String { get }
}
