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
        var language: DocumentLanguage?
        var postalAddress: String?
    }

    struct ContactResponse: ResponseEncodable {
        var customerId: String
        var name: String?
        var email: String?
        var phone: String?
        var language: DocumentLanguage?
        var postalAddress: String?
        /// The language the customer's documents are written in: the contact's, else by country.
        var documentLanguage: DocumentLanguage
        var updatedAt: String?

        init(_ record: CustomerContactRecord) {
            customerId = record.customerId
            name = record.contact.name
            email = record.contact.email
            phone = record.contact.phone
            language = record.contact.language
            postalAddress = record.contact.postalAddress
            documentLanguage = record.documentLanguage
            updatedAt = record.updatedAt
        }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let working = group.requiring(.workCollections)
        working.get("customers/:id/contact") { _, context -> ContactResponse in
            ContactResponse(try await contacts.contact(customerId: try context.pathParameter("id")))
        }
        working.put("customers/:id/contact") { request, context -> ContactResponse in
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: ContactBody.self, context: context)
            let contact = CustomerContact(
                name: body.name, email: body.email, phone: body.phone, language: body.language, postalAddress: body.postalAddress)
            return ContactResponse(try await contacts.set(customerId: id, contact: contact))
        }
    }
}

extension ContactController.ContactBody: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["name", "email", "phone", "language", "postalAddress"]
}
