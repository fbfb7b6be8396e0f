import CreditApp
import CreditCore
import Hummingbird

/// A customer's billing contact, read and replaced by collections and the credit manager: who
/// the reminders go to, at which e-mail and postal address, in which language.
struct ContactController {
    let dependencies: ServiceDependencies

    var contacts: CustomerContacts { dependencies.service.contacts }

    /// The whole contact: a field left out is cleared (PUT replaces).
    struct ContactBody: Decodable {
        var name: String?
        var email: String?
        var phone: String?
        /// Read as text and checked here, so that the refusal names the field.
        var language: String?
        var postalAddress: String?
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let working = group.requiring(.workCollections)
        working.get("customers/:id/contact") { _, context -> UseCaseAnswer<CustomerContactRecord> in
            UseCaseAnswer(try await contacts.contact(customerId: try context.pathParameter("id")))
        }
        working.on("customers/:id/contact", method: .put, body: ContactBody.self) { body, context -> UseCaseAnswer<CustomerContactRecord> in
            let id = try context.pathParameter("id")
            let language = try body.language.map { text -> DocumentLanguage in
                guard let language = DocumentLanguage(rawValue: text) else {
                    throw Problem.malformed("field language must be fr or en, not \"\(text.truncatedForMessage(20))\"")
                }
                return language
            }
            let contact = CustomerContact(
                name: body.name, email: body.email, phone: body.phone, language: language, postalAddress: body.postalAddress)
            return UseCaseAnswer(try await contacts.set(customerId: id, contact: contact))
        }
    }
}

extension ContactController.ContactBody: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["name", "email", "phone", "language", "postalAddress"]
}
