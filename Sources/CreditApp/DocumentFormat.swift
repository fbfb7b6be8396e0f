import CreditCore
import Foundation

/// How a reminder document writes amounts, days and rates in its language, so that a letter reads
/// as one written by hand in that language.
///
/// - French: `52 407,00 €`, the thousands separated by a narrow no-break space (U+202F) and the
///   euro sign after a no-break space (U+00A0), as the Imprimerie nationale's rules and CLDR
///   write them; `6 décembre 2026`, `1er décembre 2026`; `7,86 %` (no-break space before `%`).
/// - English: `€52,407.00` (the sign before the amount, no space); `6 December 2026`; `7.86%`.
///
/// Amounts are in euros: the legal mentions the documents carry (the 40 € indemnity) are French
/// and European law, written for a portfolio in EUR.
public struct DocumentFormat: Sendable, Hashable {
    public let language: DocumentLanguage

    public init(_ language: DocumentLanguage) { self.language = language }

    static let narrowNoBreakSpace = "\u{202F}"
    static let noBreakSpace = "\u{00A0}"

    public func money(_ amount: Money) -> String {
        let magnitude = amount.cents.magnitude
        let units = magnitude / 100
        let cents = magnitude % 100
        let separator = language == .fr ? Self.narrowNoBreakSpace : ","
        let decimal = language == .fr ? "," : "."
        let number = Self.grouped(units, separator: separator) + decimal + (cents < 10 ? "0" : "") + String(cents)
        let sign = amount.cents < 0 ? "-" : ""
        switch language {
        case .fr: return sign + number + Self.noBreakSpace + "€"
        case .en: return sign + "€" + number
        }
    }

    /// A whole number with thousands separated as the language does.
    public func integer(_ value: Int) -> String {
        let grouped = Self.grouped(UInt64(value.magnitude), separator: language == .fr ? Self.narrowNoBreakSpace : ",")
        return value < 0 ? "-" + grouped : grouped
    }

    public func day(_ day: Day) -> String {
        let (year, month, dayOfMonth) = day.components
        let names = language == .fr ? Self.frenchMonths : Self.englishMonths
        let monthName = names[max(0, min(11, month - 1))]
        let number = language == .fr && dayOfMonth == 1 ? "1er" : String(dayOfMonth)
        return "\(number) \(monthName) \(year)"
    }

    /// A rate in percent a year, to two decimals (`2.62 * 3` is written 7,86 %, not 7,859999).
    public func percent(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let units = hundredths.magnitude / 100
        let fraction = hundredths.magnitude % 100
        let sign = hundredths < 0 ? "-" : ""
        let decimal = language == .fr ? "," : "."
        let number = sign + String(units) + decimal + (fraction < 10 ? "0" : "") + String(fraction)
        return language == .fr ? number + Self.noBreakSpace + "%" : number + "%"
    }

    static func grouped(_ value: UInt64, separator: String) -> String {
        let digits = String(value)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += separator }
            result.append(digit)
        }
        return result
    }

    static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
}
