import Foundation

/// A company number as an applicant writes it, checked where the scheme allows it.
///
/// A French SIREN is nine digits whose last is a Luhn check digit (INSEE assigns them so); a
/// typo in one would match no statement and no customer, so nine digits that fail the check are
/// refused. Spaces are dropped ("552 100 554" is "552100554", as statements spell it). Other
/// schemes (VAT numbers, LEI, CIK...) have no check here and are kept as given, like the ledger
/// import keeps them.
public enum RegistrationNumber {
    /// The number as stored: trimmed, and without spaces when it is a SIREN.
    /// Written with ASCII letters, digits, spaces, `.`, `-` and `/` (as SIREN, VAT, LEI and CIK
    /// numbers are), at most 64 characters, at least one letter or digit.
    public static func normalized(_ text: String) throws(RegistrationNumberError) -> String {
        guard text.utf8.count <= 64 else {
            throw RegistrationNumberError(
                value: text.truncatedForMessage(40), message: "is longer than 64 characters; no company number is this long")
        }
        let allowed = text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 32 || byte == 46
                || byte == 45 || byte == 47
        }
        guard allowed else {
            throw RegistrationNumberError(
                value: text, message: "may hold only letters A-Z, digits, spaces, \".\", \"-\" and \"/\"")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.contains(where: { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }) else {
            throw RegistrationNumberError(value: text, message: "is empty; leave it out when the company has no number")
        }
        let compact = String(trimmed.unicodeScalars.filter { $0 != " " })
        guard compact.utf8.count == 9, compact.utf8.allSatisfy({ (48...57).contains($0) }) else { return trimmed }
        guard isValidSIREN(compact) else {
            throw RegistrationNumberError(
                value: text,
                message: "is not a valid SIREN: its check digit does not match (Luhn); check the number on the company's Kbis")
        }
        return compact
    }

    /// Whether nine digits pass the Luhn test: from the right, every second digit is doubled
    /// (9 taken off when over 9) and the sum is a multiple of 10.
    public static func isValidSIREN(_ digits: String) -> Bool {
        let values = digits.utf8.map { Int($0) - 48 }
        guard values.count == 9, values.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for (offset, digit) in values.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }
}

/// Why a registration number was refused, with the value as given.
public struct RegistrationNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public var message: String

    public var description: String { "registrationId \"\(value)\" \(message)" }
}
