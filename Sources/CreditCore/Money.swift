/// An amount of money in minor units (cents) of the portfolio's currency.
///
/// Integer cents keep sums of a million invoices exact; `Double` would drift and `Decimal`
/// is slow in bulk. Credit notes and refunds are negative amounts.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    /// Parses amounts as ERPs export them: `1234.56`, `1234,56`, `1 234,56` (space, no-break or
    /// narrow no-break space as thousands separator), `1,234.56`, `1.234,56`, `-12,5`.
    /// When both `.` and `,` appear, the last one is the decimal mark. At most two decimals
    /// that are not zero; returns nil for anything else.
    public init?(parsing text: some StringProtocol) {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var negative = false
        var seenSign = false
        var lastMarkIndex: Int? = nil  // index into digits where the last '.' or ',' stood
        var marks: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value - 48))
            case "-", "+":
                guard !seenSign, digits.isEmpty, marks.isEmpty else { return nil }
                seenSign = true
                negative = scalar == "-"
            case ".", ",":
                guard !digits.isEmpty else { return nil }
                marks.append(UInt8(scalar.value))
                lastMarkIndex = digits.count
            case " ", "\u{00A0}", "\u{202F}", "'":
                guard !digits.isEmpty else { continue }  // leading spaces
            default:
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        var decimals = 0
        if let markIndex = lastMarkIndex, let lastMark = marks.last {
            let distinct = Set(marks)
            let isDecimal: Bool
            if distinct.count == 2 {
                // "1.234,56" or "1,234.56": the last mark is the decimal one, and it appears once.
                guard marks.filter({ $0 == lastMark }).count == 1 else { return nil }
                isDecimal = true
            } else {
                // One kind of mark: decimal when it appears once, grouping when repeated ("1.234.567").
                isDecimal = marks.count == 1
            }
            if isDecimal { decimals = digits.count - markIndex }
        }
        // Drop trailing zero decimals beyond cents ("12.500"), refuse real sub-cent amounts.
        while decimals > 2 {
            guard digits.last == 0 else { return nil }
            digits.removeLast()
            decimals -= 1
        }
        var value: Int64 = 0
        for digit in digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = a
        }
        for _ in decimals..<2 {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            value = m
        }
        self.cents = negative ? -value : value
    }

    /// Plain decimal text with a point, as stored and sent over the API: `-1234.50`.
    public var decimalText: String {
        let magnitude = cents.magnitude
        let units = magnitude / 100
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(units)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// A figure a person reads: thousands grouped by a space, two decimals (`1 234 567.89`).
    public var formatted: String {
        let magnitude = cents.magnitude
        var units = String(magnitude / 100)
        var grouped = ""
        while units.count > 3 {
            grouped = " " + units.suffix(3) + grouped
            units.removeLast(3)
        }
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + units + grouped + "." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    public var description: String { decimalText }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.cents += rhs.cents }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.cents -= rhs.cents }
    public static prefix func - (value: Money) -> Money { Money(cents: -value.cents) }
}
