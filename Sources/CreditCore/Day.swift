import Foundation

/// A calendar day, with no time of day and no time zone.
///
/// Credit terms, due dates and ageing are counted in whole days, so the domain uses days rather
/// than `Date`: subtraction gives days beyond terms directly, and there is no clock inside.
/// Stored as the number of days since 1970-01-01 (proleptic Gregorian calendar).
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The UTC day that holds `date`. The caller reads the clock (at the edge); the core only converts.
    public init(containing date: Date) {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        // Dates far outside any plausible range clamp instead of trapping on the conversion.
        self.init(daysSinceEpoch: days.isFinite ? Int(max(-1e9, min(1e9, days))) : 0)
    }

    /// Returns nil when the triple is not a real calendar day (31 February, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else {
            return nil
        }
        // Days-from-civil, after Howard Hinnant's public-domain date algorithms.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD` (ISO 8601, what databases and most ERPs export) or `DD/MM/YYYY`
    /// (French and most European exports). Returns nil for anything else, including impossible days.
    public init?(parsing text: some StringProtocol) {
        var string = String(text)
        // Reads the UTF-8 bytes in place: ledgers and stores hand over millions of dates.
        guard let day = string.withUTF8({ Day.parse($0) }) else { return nil }
        self = day
    }

    /// Parses `YYYY-MM-DD` only: the one form the API and the store use. Returns nil otherwise.
    public init?(isoText text: some StringProtocol) {
        var string = String(text)
        guard let day = string.withUTF8({ Day(isoUTF8: $0) }) else { return nil }
        self = day
    }

    /// `YYYY-MM-DD` from UTF-8 bytes read in place, without making a string of them: how the
    /// store reads the dates a pass over the ledger or its totals goes through by the hundred thousand.
    public init?(isoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), let day = Day.parse(bytes) else { return nil }
        self = day
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        guard bytes.count == 10 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        if bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let y = number(0..<4), let m = number(5..<7), let d = number(8..<10)
        {
            return Day(year: y, month: m, day: d)
        }
        if bytes[2] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "/"),
            let d = number(0..<2), let m = number(3..<5), let y = number(6..<10)
        {
            return Day(year: y, month: m, day: d)
        }
        return nil
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO 8601 `YYYY-MM-DD`: the form the store and the API use, which sorts as text.
    public var iso: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return "\(Day.pad(y, 4))-\(Day.pad(m, 2))-\(Day.pad(d, 2))" }
        // Built byte by byte: imports format millions of dates and interpolation dominates otherwise.
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at offset: Int, digits: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(y, at: 0, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(m, at: 5, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(d, at: 8, digits: 2)
            return 10
        }
    }

    public var description: String { iso }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public static func + (lhs: Day, days: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch + days) }
    public static func - (lhs: Day, days: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch - days) }
    /// Whole days from `rhs` to `lhs`: positive when `lhs` is later.
    public static func - (lhs: Day, rhs: Day) -> Int { lhs.daysSinceEpoch - rhs.daysSinceEpoch }

    /// The same day of the month `months` later (earlier when negative), on the month's last day
    /// when it is shorter: 2026-08-31 plus six months is 2027-02-28. For periods stated in months
    /// (a yearly or quarterly review), which a count of days would let drift.
    public func adding(months: Int) -> Day {
        let (year, month, day) = components
        let total = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (total >= 0 ? total / 12 : (total - 11) / 12, ((total % 12) + 12) % 12 + 1)
        return Day(year: newYear, month: newMonth, day: min(day, Day.daysIn(month: newMonth, year: newYear))) ?? self
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(isoText: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text.truncatedForMessage(40))\" is not a date (expected YYYY-MM-DD)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
