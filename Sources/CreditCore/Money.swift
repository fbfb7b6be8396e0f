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
    /// When both `.` and `,` appear, the last one is the decimal mark; a mark repeated is a
    /// thousands separator and must split groups of three digits. At most two decimals that
    /// are not zero; returns nil for anything else rather than guess.
    public init?(parsing text: some StringProtocol) {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var negative = false
        var seenSign = false
        var marks: [(mark: Unicode.Scalar, position: Int)] = []  // position: digits before the mark
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value - 48))
            case "-", "+":
                guard !seenSign, digits.isEmpty else { return nil }
                seenSign = true
                negative = scalar == "-"
            case ".", ",":
                guard !digits.isEmpty, marks.last?.position != digits.count else { return nil }
                marks.append((scalar, digits.count))
            case " ", "\u{00A0}", "\u{202F}":
                continue
            default:
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        var decimals = 0
        var grouping = marks
        if let last = marks.last {
            let sameAsLast = marks.filter { $0.mark == last.mark }.count
            let otherKinds = marks.contains { $0.mark != last.mark }
            if sameAsLast == 1 {
                // "1234,56", "1.234,56", "1,234.56": the last mark, appearing once, is the decimal mark.
                decimals = digits.count - last.position
                grouping.removeLast()
            } else if otherKinds {
                return nil  // "1.2.3,4.5": no reading is safe
            }
            // Thousands separators: first group 1 to 3 digits, then groups of exactly 3.
            let integerDigits = digits.count - decimals
            let bounds = grouping.map(\.position) + [integerDigits]
            if let first = bounds.first, !grouping.isEmpty {
                guard (1...3).contains(first) else { return nil }
                for (a, b) in zip(bounds, bounds.dropFirst()) where b - a != 3 { return nil }
            }
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

    /// Encoded as a decimal string (`"-1234.50"`): exact in every JSON reader, unlike a float.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimalText)
    }

    /// Reads the decimal string, or a JSON number as API clients often send (rounded to the cent).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number.isFinite, abs(number) < 9e15 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not an amount")
            }
            self = Money(cents: Int64((number * 100).rounded()))
            return
        }
        let text = try container.decode(String.self)
        guard let money = Money(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an amount (expected e.g. \"1234.56\")")
        }
        self = money
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.cents += rhs.cents }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.cents -= rhs.cents }
    public static prefix func - (value: Money) -> Money { Money(cents: -value.cents) }
}
