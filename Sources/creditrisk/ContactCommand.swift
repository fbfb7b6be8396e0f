import ArgumentParser
import CreditApp
import CreditCore
import Foundation

extension DocumentLanguage: ExpressibleByArgument {}

/// A customer's billing contact from the terminal: `GET` and `PUT /v1/customers/{id}/contact`,
/// except that only the fields given as options change.
struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Print a customer's billing contact; with options, change those fields first.",
        discussion: """
            Only the fields given change; an empty value clears its field (--phone ""). Reminders go to \
            the e-mail for the e-mail channel and to the postal address for letters, in the contact's language \
            (else French for FR, BE, LU and MC customers, English for the others).
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("The person who handles the supplier's invoices.", valueName: "name"))
    var name: String?
    @Option(help: ArgumentHelp("E-mail address reminders are sent to.", valueName: "address"))
    var email: String?
    @Option(help: ArgumentHelp("Phone number for reminder calls.", valueName: "number"))
    var phone: String?
    @Option(help: ArgumentHelp("Language of the customer's documents: fr or en.", valueName: "language"))
    var language: DocumentLanguage?
    @Option(help: ArgumentHelp("Postal address for letters, lines separated by \"|\".", valueName: "lines"))
    var address: String?
    @OptionGroup var answer: AnswerFormat
    @OptionGroup var customer: CustomerArgument

    func run() async throws {
        let contacts = try serviceOptions.open().contacts
        var columns = Set<ContactField>()
        if name != nil { columns.insert(.name) }
        if email != nil { columns.insert(.email) }
        if phone != nil { columns.insert(.phone) }
        if language != nil { columns.insert(.language) }
        if address != nil { columns.insert(.postalAddress) }
        let record =
            columns.isEmpty
            ? try await contacts.contact(customerId: customer.id)
            : try await contacts.update(
                ContactUpdate(
                    customerId: customer.id,
                    contact: CustomerContact(name: name, email: email, phone: phone, language: language, postalAddress: address),
                    columns: columns))
        try await answer.print(record) { record in Self.text(record) }
    }

    static func text(_ record: CustomerContactRecord) -> String {
        let contact = record.contact
        var lines = ["Contact of \(record.customerId) (documents in \(record.documentLanguage.rawValue))"]
        lines.append("  name:     \(contact.name ?? "-")")
        lines.append("  e-mail:   \(contact.email ?? "-")")
        lines.append("  phone:    \(contact.phone ?? "-")")
        lines.append("  language: \(contact.language?.rawValue ?? "- (by country)")")
        let address = contact.postalAddress?.split(separator: "\n").joined(separator: "\n            ") ?? "-"
        lines.append("  address:  \(address)")
        if let updated = record.updatedAt { lines.append("  updated:  \(updated)") }
        return lines.joined(separator: "\n")
    }
}
