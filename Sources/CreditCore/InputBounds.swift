/// What the service accepts as plausible input, at every entry (ledger files, JSON requests,
/// statements, CLI arguments): one place, so that the importer, the API, the OpenAPI document and
/// the README state the same bounds.
///
/// Why bounds at all: amounts are integer cents in an `Int64`, so one amount beyond about 9.2e16
/// in the base currency, or a sum of large ones, cannot be represented. Bounding each amount and
/// the ledger's total at entry means every sum the service computes over stored rows fits, and
/// the arithmetic never has to guess. Dates are bounded so that a typo (9999-12-31, 0001-01-01)
/// is refused instead of taking an invoice off a worklist for eight thousand years.
public struct InputBounds: Sendable, Hashable {
    /// The largest magnitude of one amount (an invoice, a payment, an order, a limit):
    /// 1 000 000 000 000.00 in the base currency.
    public var maximumAmount: Money
    /// The largest sum of the magnitudes of all amounts a ledger may hold (invoices and payments):
    /// 10 000 000 000 000 000.00, so that any total or difference of stored amounts, and an
    /// exposure with its reserved orders, stays far inside what integer cents can hold.
    public var maximumLedgerTotal: Money
    /// The earliest day of any date in the ledger or a request.
    public var earliestDay: Day
    /// How far in the future a due date, promise, expiry or review may lie, in years.
    public var futureYears: Int
    /// The longest id (customer, invoice, payment, order, application), in characters.
    public var maximumIdLength: Int
    /// The longest free-text field (a name, a label, a reason, a note), in characters.
    public var maximumTextLength: Int

    /// The bounds the README and the OpenAPI document state.
    public static let standard = InputBounds(
        maximumAmount: Money(cents: 100_000_000_000_000),
        maximumLedgerTotal: Money(cents: 1_000_000_000_000_000_000),
        earliestDay: Day(daysSinceEpoch: 7305),  // 1990-01-01
        futureYears: 5,
        maximumIdLength: 64,
        maximumTextLength: 500)

    // MARK: Amounts

    /// Whether one amount is within the bound (either sign).
    public func isPlausible(_ amount: Money) -> Bool {
        amount.cents.magnitude <= maximumAmount.cents.magnitude
    }

    /// Why an amount is refused, or nil when it is plausible: for messages that say what to change.
    public func amountProblem(_ amount: Money) -> String? {
        isPlausible(amount)
            ? nil : "is beyond the largest amount accepted (\(maximumAmount.formatted) in magnitude)"
    }

    // MARK: Dates

    /// The latest day a future date (due date, promise, expiry) may take, seen from `today`.
    public func latestFutureDay(today: Day) -> Day {
        let (year, month, day) = today.components
        let target = year + futureYears
        // 29 February moves to the 28th when the target year is not a leap year.
        return Day(year: target, month: month, day: min(day, Day.daysIn(month: month, year: target))) ?? today
    }

    /// Why a date that may lie ahead (due date, promise, expiry) is refused, or nil.
    public func futureDayProblem(_ day: Day, today: Day) -> String? {
        if day < earliestDay { return "is before \(earliestDay.iso), the earliest date accepted" }
        let latest = latestFutureDay(today: today)
        if day > latest { return "is after \(latest.iso), more than \(futureYears) years ahead" }
        return nil
    }

    /// Why a date of something that has happened (a payment, a dispute opened, a call) is
    /// refused, or nil: it must lie between the earliest day and today.
    public func pastDayProblem(_ day: Day, today: Day) -> String? {
        if day < earliestDay { return "is before \(earliestDay.iso), the earliest date accepted" }
        if day > today { return "is in the future (today is \(today.iso)); only what has happened can be recorded" }
        return nil
    }

    // MARK: Ids and text

    /// Why an id is refused, or nil. An id is 1 to `maximumIdLength` ASCII letters, digits,
    /// `.`, `_` or `-`, starting with a letter or a digit: it travels in URL paths and file names,
    /// so no `/`, no space, no control or invisible character that would make two ids look alike.
    public func idProblem(_ id: String) -> String? {
        let bytes = id.utf8
        if bytes.isEmpty { return "is empty; an id is required" }
        if bytes.count > maximumIdLength { return "is longer than \(maximumIdLength) characters" }
        guard let first = bytes.first, Self.isAlphanumeric(first) else {
            return "must start with a letter or a digit"
        }
        for byte in bytes where !(Self.isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D) {
            return "may hold only letters A-Z, digits, \".\", \"_\" and \"-\" (found \(Self.describe(byte: byte, in: id)))"
        }
        return nil
    }

    /// Why a free-text field (a name, a reason, a note) is refused, or nil: bounded in length and
    /// free of control characters other than tabs (and line breaks where allowed), which would be
    /// cut or misread by the store and the letters. Length counts Unicode scalars, as JSON Schema's
    /// `maxLength` does.
    public func textProblem(_ text: String, allowLineBreaks: Bool = false) -> String? {
        if text.unicodeScalars.count > maximumTextLength { return "is longer than \(maximumTextLength) characters" }
        for scalar in text.unicodeScalars where Self.isForbiddenInText(scalar, allowLineBreaks: allowLineBreaks) {
            return "holds the control character U+\(Self.hex(scalar.value)), which is not accepted in text"
        }
        return nil
    }

    /// Control characters (C0, DEL, C1), the BOM and other invisible format characters that make
    /// two strings look the same.
    public static func isForbiddenInText(_ scalar: Unicode.Scalar, allowLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x0A, 0x0D: return !allowLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0xFEFF, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func describe(byte: UInt8, in id: String) -> String {
        if byte >= 0x21, byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        if byte == 0x20 { return "a space" }
        if byte < 0x80 { return "the control character U+\(hex(UInt32(byte)))" }
        // Name the first non-ASCII scalar rather than a byte of its encoding.
        if let scalar = id.unicodeScalars.first(where: { $0.value >= 0x80 }) {
            return "U+\(hex(scalar.value))"
        }
        return "a non-ASCII character"
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension String {
    /// The text cut to `limit` characters with an ellipsis, for error messages: a refused 10 kB
    /// value must not come back whole in the refusal.
    public func truncatedForMessage(_ limit: Int = 80) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }
}
