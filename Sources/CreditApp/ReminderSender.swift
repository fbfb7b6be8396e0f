import CreditCore
import Foundation

/// Who reminders come from: the supplier's name, address, contacts, registration and the bank
/// account the customer pays into. Kept as data (`Models/letters/sender.json`) beside the templates.
public struct ReminderSender: Sendable, Hashable, Codable {
    public var name: String
    public var addressLines: [String]
    /// The place a letter is dated from ("Lyon, le 6 décembre 2026").
    public var city: String
    /// The `From` of reminder e-mails.
    public var email: String
    public var phone: String?
    /// Legal form, capital, RCS or company number: the footer of every letter.
    public var registration: String?
    public var vatNumber: String?
    /// Who signs (a department or a person).
    public var signatory: String?
    public var bank: String?
    public var iban: String
    public var bic: String

    public init(
        name: String, addressLines: [String], city: String, email: String, phone: String? = nil, registration: String? = nil,
        vatNumber: String? = nil, signatory: String? = nil, bank: String? = nil, iban: String, bic: String
    ) {
        self.name = name
        self.addressLines = addressLines
        self.city = city
        self.email = email
        self.phone = phone
        self.registration = registration
        self.vatNumber = vatNumber
        self.signatory = signatory
        self.bank = bank
        self.iban = iban
        self.bic = bic
    }

    /// The first field that cannot go on a letter or into an e-mail header, as `(field, problem)`.
    public func problem() -> (field: String, message: String)? {
        if let problem = ContactRules.emailProblem(email) { return ("email", "\"\(email)\" \(problem)") }
        var texts: [(String, String?)] = [
            ("name", name), ("city", city), ("phone", phone), ("registration", registration), ("vatNumber", vatNumber),
            ("signatory", signatory), ("bank", bank), ("iban", iban), ("bic", bic),
        ]
        texts += addressLines.enumerated().map { ("addressLines[\($0.offset)]", $0.element) }
        for (field, value) in texts {
            guard let value else { continue }
            if let problem = InputBounds.standard.textProblem(value) { return (field, problem) }
        }
        for (field, value) in [("name", name), ("city", city), ("iban", iban), ("bic", bic)] where value.trimmingWhitespace().isEmpty {
            return (field, "is empty; a value is required")
        }
        return nil
    }
}
