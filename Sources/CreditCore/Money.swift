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
    /// True for an amount whose one mark could be either a decimal mark or a thousands separator:
    /// "4.000" is 4 in one export and 4000 in another, "12,500" 12.50 or 12 500. Such a figure is
    /// refused rather than guessed: a 1000x error in receivables would pass unseen.
    public static func isAmbiguous(_ text: some StringProtocol) -> Bool {
        var marks = 0
        var digitsAfterMark = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case ".", ",":
                marks += 1
                digitsAfterMark = 0
            case "0"..."9":
                digitsAfterMark += 1
            default:
                continue
            }
        }
        return marks == 1 && digitsAfterMark == 3
    }

    public init?(parsing text: some StringProtocol) {
        guard !Money.isAmbiguous(text) else { return nil }
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

    /// Reads the decimal string the API documents, `-?[0-9]{1,17}.[0-9]{2}` (within the amount
    /// bound when the decoder's `userInfo[.inputBounds]` holds one, as request decoders do), and nothing else: no JSON number (a float cannot
    /// carry cents exactly), no sign `+`, no grouping, no comma. Ledger files, which come from
    /// ERPs, are read by the lenient `init?(parsing:)` instead.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an amount is a string such as \"1234.56\", not a number")
        }
        guard let money = Money(exactText: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text.truncatedForMessage(40))\" is not an amount (expected e.g. \"1234.56\": digits, a point, two decimals)")
        }
        if let bounds = decoder.userInfo[.inputBounds] as? InputBounds {
            // Requests carry the canonical form only (no leading zeros, no "-0.00"), which is
            // exactly what the OpenAPI pattern describes: the schema and the server agree.
            guard money.decimalText == text else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "\"\(text.truncatedForMessage(40))\" is not an amount in canonical form (write \"\(money.decimalText)\")")
            }
            guard bounds.isPlausible(money) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "\"\(text)\" is beyond the largest amount accepted (\(bounds.maximumAmount.decimalText) in magnitude)")
            }
        }
        self = money
    }

    /// The strict form `-?[0-9]{1,17}.[0-9]{2}`, as sent over the API and stored; nil otherwise
    /// (also when it does not fit in integer cents).
    public init?(exactText text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        let integerStart = index
        while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        let integerDigits = index - integerStart
        guard (1...17).contains(integerDigits), index + 3 == bytes.count, bytes[index] == UInt8(ascii: "."),
            (48...57).contains(bytes[index + 1]), (48...57).contains(bytes[index + 2])
        else { return nil }
        var value: Int64 = 0
        for byte in bytes[integerStart..<integerStart + integerDigits] + bytes[(index + 1)...] {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - 48))
            guard !o1, !o2 else { return nil }
            value = a
        }
        self.cents = negative ? -value : value
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    // MARK: Arithmetic that never traps
    //
    // Every amount is bounded at entry (`InputBounds`) and so is the ledger's total, so sums of
    // stored amounts fit in `Int64` by a wide margin. These operators still never trap: on data
    // that slipped past the bounds (a database written before they existed) they stop at the
    // largest representable amount, `Money.rail`, and `isOnRail` lets a use case refuse the
    // result instead of reporting it. `adding(_:)` and `subtracting(_:)` report overflow where a
    // caller can refuse on the spot.

    /// The largest magnitude arithmetic reaches instead of overflowing.
    public static let rail = Money(cents: Int64.max)

    /// True when a figure hit the rail: the inputs were beyond the bounds and the figure is not an amount.
    public var isOnRail: Bool { cents == Int64.max || cents == -Int64.max || cents == Int64.min }

    /// The exact sum, or nil when it does not fit.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = cents.addingReportingOverflow(other.cents)
        return overflow ? nil : Money(cents: sum)
    }

    /// The exact difference, or nil when it does not fit.
    public func subtracting(_ other: Money) -> Money? {
        let (difference, overflow) = cents.subtractingReportingOverflow(other.cents)
        return overflow ? nil : Money(cents: difference)
    }

    static func saturated(_ value: Int64, _ overflow: Bool, positive: Bool) -> Money {
        overflow ? Money(cents: positive ? Int64.max : -Int64.max) : Money(cents: value)
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.cents.addingReportingOverflow(rhs.cents)
        return saturated(sum, overflow, positive: rhs.cents > 0)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.cents.subtractingReportingOverflow(rhs.cents)
        return saturated(difference, overflow, positive: rhs.cents < 0)
    }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }
    public static prefix func - (value: Money) -> Money {
        value.cents == Int64.min ? Money(cents: Int64.max) : Money(cents: -value.cents)
    }

    /// `fraction` of an amount, rounded to the cent: for shares of a limit, a turnover or an
    /// exposure. Clamps instead of trapping when the product is beyond what cents can hold.
    public func scaled(by fraction: Double) -> Money {
        Money(clampingCents: (Double(cents) * fraction).rounded())
    }

    /// An amount from a computed number of cents (a product of ratios), clamped to the rail
    /// rather than trapping; NaN counts as zero.
    public init(clampingCents value: Double) {
        if value.isNaN {
            self.cents = 0
        } else if value >= 9.2e18 {
            self.cents = Int64.max
        } else if value <= -9.2e18 {
            self.cents = -Int64.max
        } else {
            self.cents = Int64(value)
        }
    }
}

extension Money {
    /// An ISO 4217 code as a statement must state it: three capital letters, and not XXX, the
    /// code for "no currency".
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } && code != "XXX"
    }
}

extension Int64 {
    /// The sum, stopping at the largest magnitude instead of trapping: for running totals of
    /// cents outside `Money` (sales per day, balances carried), under the same bounds. The
    /// result is never `Int64.min`, so it can always be negated: a stored payment of
    /// −9 223 372 036 854 775 808 cents added to nothing had made `-paid` trap.
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int64.max : -Int64.max) : Swift.max(sum, -Int64.max)
    }
}

extension CodingUserInfoKey {
    /// Set by decoders of requests to the `InputBounds` that amounts and days must respect.
    public static let inputBounds = CodingUserInfoKey(rawValue: "creditrisk.inputBounds")!
}
