import CreditCore
import Foundation
import Mustache

/// A reminder document ready for the outbox: a printable HTML letter, or an e-mail as an RFC 5322
/// message file.
public struct RenderedReminder: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable {
        /// A printable A4 letter (`text/html; charset=utf-8`), for the letter channels.
        case html
        /// An RFC 5322 message (`message/rfc822`), for the e-mail channel.
        case eml
    }

    public var format: Format
    /// `2026-12-06-C0000007-formal_notice.html`: the day, the customer, the step.
    public var fileName: String
    public var contentType: String
    public var content: String
    /// The subject line (the letter's "Objet", the e-mail's `Subject`), decoded.
    public var subject: String
    public var language: DocumentLanguage
    /// Where it goes: the e-mail address, or the postal address's lines joined by newlines.
    public var recipientAddress: String
}

/// A template file is missing, unreadable or not valid Mustache, or `sender.json` is not a valid sender.
public struct ReminderTemplateError: Error, CustomStringConvertible, Sendable {
    /// The file at fault.
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The reminder templates kept as data in `Models/letters/`, one per language and kind of
/// document, with the sender's identity: loaded and parsed once (a service loads them at start),
/// then used to render any number of documents from the core's `ReminderDocument`.
///
/// Which document a channel gets: `email` an `.eml` message, `letter` and `registered_letter` an
/// HTML letter (the registered one headed as such); `renderLetter` and `renderEmail` give either
/// for any channel. Every value is HTML-escaped in letters; e-mails are plain text.
public struct ReminderTemplates: Sendable {
    /// Where the templates are unless told otherwise: `Models/letters` of the working directory,
    /// like the scoring model (`ModelFile`).
    public static let defaultDirectory = "Models/letters"

    /// The folder to load: `explicit` (an option), else `CREDITRISK_LETTERS`, else `Models/letters`.
    public static func directory(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["CREDITRISK_LETTERS"] ?? defaultDirectory
    }

    /// The kinds of template file, each present once per language: `letter.fr.html.mustache`,
    /// `email.fr.txt.mustache`, `subject.fr.txt.mustache`, and so on.
    public enum Kind: String, CaseIterable, Sendable {
        case letter, email, subject

        public func fileName(_ language: DocumentLanguage) -> String {
            switch self {
            case .letter: "letter.\(language.rawValue).html.mustache"
            case .email: "email.\(language.rawValue).txt.mustache"
            case .subject: "subject.\(language.rawValue).txt.mustache"
            }
        }
    }

    public static let senderFileName = "sender.json"

    public let directory: String
    public let sender: ReminderSender
    let templates: [String: MustacheTemplate]

    /// Loads every template of every language and the sender from `directory` (nil: see
    /// `directory(_:)`); the error names the file that is missing, unreadable or does not parse.
    /// The templates when their folder exists (nil when it does not: reminder runs are then
    /// refused as unavailable); a folder that exists but holds a broken template is an error.
    public static func loadIfPresent(directory explicit: String? = nil) throws -> ReminderTemplates? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: Self.directory(explicit), isDirectory: &isDirectory), isDirectory.boolValue
        else { return nil }
        return try load(directory: explicit)
    }

    public static func load(directory explicit: String? = nil) throws -> ReminderTemplates {
        let directory = Self.directory(explicit)
        let folder = URL(fileURLWithPath: directory)
        var templates: [String: MustacheTemplate] = [:]
        for language in DocumentLanguage.allCases {
            for kind in Kind.allCases {
                let name = kind.fileName(language)
                let path = folder.appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ReminderTemplateError(
                        path: path,
                        message: "cannot be read: every language needs its letter, e-mail and subject templates "
                            + "(pass the letters folder, or set CREDITRISK_LETTERS)")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw ReminderTemplateError(path: path, message: "is not UTF-8 text")
                }
                do {
                    templates[name] = try MustacheTemplate(string: text)
                } catch let error as MustacheTemplate.ParserError {
                    throw ReminderTemplateError(
                        path: path,
                        message: "does not parse as Mustache at line \(error.context.lineNumber), column \(error.context.columnNumber): "
                            + "\(error.error) in \"\(error.context.line.truncatedForMessage(60))\"")
                } catch {
                    throw ReminderTemplateError(path: path, message: "does not parse as Mustache: \(error)")
                }
            }
        }
        let senderPath = folder.appendingPathComponent(senderFileName).path
        guard let senderData = FileManager.default.contents(atPath: senderPath) else {
            throw ReminderTemplateError(path: senderPath, message: "cannot be read: the sender's identity is needed for every document")
        }
        let sender: ReminderSender
        do {
            sender = try JSONDecoder().decode(ReminderSender.self, from: senderData)
        } catch {
            throw ReminderTemplateError(path: senderPath, message: "is not a sender (name, addressLines, city, email, iban, bic): \(error)")
        }
        if let (field, message) = sender.problem() {
            throw ReminderTemplateError(path: senderPath, message: "field \(field) \(message)")
        }
        return ReminderTemplates(directory: directory, sender: sender, templates: templates)
    }

    /// The document for its channel: an `.eml` for `email`, an HTML letter for `letter` and
    /// `registered_letter`. Refused (`contact-missing`) when the contact has no address for the
    /// channel, and for a channel that has no document (`phone`: a call task).
    ///
    /// - Parameters:
    ///   - sender: who writes; nil for the one in `sender.json`.
    ///   - messageId: the e-mail's `Message-ID` (its left part when it has no `@`: the sender's
    ///     domain is added); unused for letters.
    ///   - createdAt: the e-mail's `Date`, never the clock's.
    public func render(
        _ document: ReminderDocument, sender: ReminderSender? = nil, messageId: String, createdAt: Date
    ) throws -> RenderedReminder {
        switch document.channel {
        case "email": return try renderEmail(document, sender: sender, messageId: messageId, createdAt: createdAt)
        case "letter", "registered_letter": return try renderLetter(document, sender: sender)
        default:
            throw Refusal(
                .invalid,
                "the \(document.channel) channel has no document: a \(document.step.rawValue) by \(document.channel) is a task "
                    + "for a collector", field: "channel", code: "no-document")
        }
    }

    /// The printable HTML letter, whatever the document's channel (headed "registered" for
    /// `registered_letter`); refused when the contact has no postal address.
    public func renderLetter(_ document: ReminderDocument, sender: ReminderSender? = nil) throws -> RenderedReminder {
        let sender = sender ?? self.sender
        guard let address = document.contact.postalAddress, !address.trimmingWhitespace().isEmpty else {
            throw Self.missingAddress(document, what: "postal address", channel: "letter", field: "postalAddress")
        }
        let view = DocumentView(document: document, sender: sender, registered: document.channel == "registered_letter")
        let subject = try subjectLine(view)
        var values = view.values
        values["subject"] = subject
        let html = try template(.letter, document.language).render(values)
        return RenderedReminder(
            format: .html, fileName: Self.fileName(document, extension: "html"), contentType: "text/html; charset=utf-8",
            content: html, subject: subject, language: document.language, recipientAddress: address)
    }

    /// The RFC 5322 e-mail, whatever the document's channel; refused when the contact has no
    /// e-mail address.
    public func renderEmail(
        _ document: ReminderDocument, sender: ReminderSender? = nil, messageId: String, createdAt: Date
    ) throws -> RenderedReminder {
        let sender = sender ?? self.sender
        guard let address = document.contact.email, !address.isEmpty else {
            throw Self.missingAddress(document, what: "e-mail address", channel: "email", field: "email")
        }
        let view = DocumentView(document: document, sender: sender, registered: false)
        let subject = try subjectLine(view)
        var values = view.values
        values["subject"] = subject
        let body = try template(.email, document.language).render(values)
        let message = EmailMessage(
            from: .init(name: sender.name, address: sender.email),
            to: .init(name: document.contact.name ?? document.customerName, address: address), subject: subject, date: createdAt,
            messageId: Self.messageId(messageId, senderEmail: sender.email), language: document.language,
            body: body.trimmingWhitespace() + "\n")
        return RenderedReminder(
            format: .eml, fileName: Self.fileName(document, extension: "eml"), contentType: "message/rfc822",
            content: try message.rendered(), subject: subject, language: document.language, recipientAddress: address)
    }

    // MARK: Parts

    func template(_ kind: Kind, _ language: DocumentLanguage) throws -> MustacheTemplate {
        let name = kind.fileName(language)
        guard let template = templates[name] else {
            throw ReminderTemplateError(path: URL(fileURLWithPath: directory).appendingPathComponent(name).path, message: "is not loaded")
        }
        return template
    }

    /// The subject template's text on one line.
    func subjectLine(_ view: DocumentView) throws -> String {
        EmailMessage.singleLine(try template(.subject, view.language).render(view.values))
    }

    static func missingAddress(_ document: ReminderDocument, what: String, channel: String, field: String) -> Refusal {
        Refusal(
            .invalid,
            "customer \(document.customerId) has no \(what) for its \(document.step.rawValue) by \(channel); set it in "
                + "customers.csv or with PUT /v1/customers/\(document.customerId)/contact (creditrisk contact)",
            field: field, code: "contact-missing")
    }

    /// `day-customer-step.ext`, with any character other than letters, digits, `.`, `_` and `-`
    /// replaced: ids are checked at entry, but a file name must never leave its folder.
    static func fileName(_ document: ReminderDocument, extension ext: String) -> String {
        let safe = String(
            document.customerId.unicodeScalars.map { scalar -> Character in
                ContactRules.isASCIIAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-" ? Character(scalar) : "_"
            })
        let customer = safe.hasPrefix(".") ? "_" + safe.dropFirst() : safe
        return "\(document.issuedOn.iso)-\(customer)-\(document.step.rawValue).\(ext)"
    }

    /// A `Message-ID` (without brackets) from what the caller gave: characters outside RFC 5322's
    /// atext become `-`, and the sender's domain is the right part unless the id has a valid one.
    static func messageId(_ given: String, senderEmail: String) -> String {
        let senderDomain = senderEmail.split(separator: "@").last.map(String.init) ?? "creditrisk.invalid"
        var left = given
        var domain = senderDomain
        if let at = given.lastIndex(of: "@") {
            left = String(given[..<at])
            let right = String(given[given.index(after: at)...])
            if ContactRules.emailProblem("x@" + right) == nil { domain = right }
        }
        let cleaned = String(
            left.unicodeScalars.map { scalar -> Character in
                ContactRules.isLocalPartCharacter(scalar) && scalar != "." ? Character(scalar) : "-"
            })
        return (cleaned.isEmpty ? "reminder" : cleaned) + "@" + domain
    }
}

/// The values a template sees, formatted for the document's language: see `Models/letters/README.md`.
struct DocumentView {
    let language: DocumentLanguage
    let values: [String: Any]

    init(document: ReminderDocument, sender: ReminderSender, registered: Bool) {
        let format = DocumentFormat(document.language)
        language = document.language
        var values: [String: Any] = [:]
        var senderValues: [String: Any] = [
            "name": sender.name, "addressLines": sender.addressLines, "city": sender.city, "email": sender.email,
            "iban": sender.iban, "bic": sender.bic,
        ]
        for (key, value) in [
            ("phone", sender.phone), ("registration", sender.registration), ("vatNumber", sender.vatNumber),
            ("signatory", sender.signatory), ("bank", sender.bank),
        ] {
            if let value, !value.isEmpty { senderValues[key] = value }
        }
        values["sender"] = senderValues
        var recipient: [String: Any] = [
            "name": document.customerName,
            "addressLines": (document.contact.postalAddress ?? "").split(whereSeparator: \.isNewline).map(String.init),
        ]
        if let name = document.contact.name, !name.isEmpty { recipient["contactName"] = name }
        if let email = document.contact.email, !email.isEmpty { recipient["email"] = email }
        values["recipient"] = recipient
        values["customerId"] = document.customerId
        values["place"] = sender.city
        values["date"] = format.day(document.issuedOn)
        values["registered"] = registered
        values["preDueNotice"] = document.step == .preDueNotice
        values["reminder"] = document.step == .reminder
        values["firmReminder"] = document.step == .firmReminderAndCall
        values["formalNotice"] = document.step == .formalNotice
        values["litigationHandover"] = document.step == .litigationHandover
        values["invoices"] = document.invoices.map { line -> [String: Any] in
            [
                "number": line.invoiceId, "issueDate": format.day(line.issueDate), "dueDate": format.day(line.dueDate),
                "amount": format.money(line.amount), "claimed": format.money(line.claimed),
                "daysPastDue": format.integer(max(0, line.daysPastDue)), "pastDue": line.daysPastDue > 0,
            ]
        }
        values["hasCredits"] = !document.credits.isEmpty
        values["credits"] = document.credits.map { line -> [String: Any] in
            ["number": line.invoiceId, "issueDate": format.day(line.issueDate), "available": format.money(line.available)]
        }
        values["totalClaimed"] = format.money(document.totalClaimed)
        values["totalCredits"] = format.money(document.totalCredits)
        values["balanceDue"] = format.money(document.balanceDue)
        values["payBy"] = format.day(document.payBy)
        values["payByDays"] = format.integer(max(0, document.payBy - document.issuedOn))
        let late = document.latePayment
        let overdue = document.invoices.filter { $0.daysPastDue > 0 }.count
        let hasTotal = late.indemnityTotal.cents > 0
        values["latePayment"] =
            [
                "rate": format.percent(late.interestRatePercent), "legalRate": format.percent(late.legalRatePercent),
                "contractual": late.contractual, "legalFloor": !late.contractual, "source": late.legalRateSource,
                "indemnity": format.money(late.indemnityPerInvoice), "indemnityTotal": format.money(late.indemnityTotal),
                "indemnityInvoices": format.integer(overdue), "hasIndemnityTotal": hasTotal && overdue > 1,
                "oneIndemnity": hasTotal && overdue == 1,
            ] as [String: Any]
        self.values = values
    }
}
