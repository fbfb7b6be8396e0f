import CreditCore
import CreditStore
import Foundation
import GRDB

/// A customer's contact as the service reports it: the stored fields, when they last changed,
/// and the language its documents are written in (the contact's, else by the customer's country).
/// Encoded flat, as the API and `creditrisk contact --json` show it: `customerId`, the contact's
/// fields (absent when unknown), `documentLanguage`, `updatedAt`.
public struct CustomerContactRecord: Sendable, Hashable, Codable {
    public var customerId: String
    public var contact: CustomerContact
    public var documentLanguage: DocumentLanguage
    /// ISO 8601 timestamp of the last change; nil when no contact was ever stored.
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey {
        case customerId, documentLanguage, updatedAt
    }

    public init(customerId: String, contact: CustomerContact, documentLanguage: DocumentLanguage, updatedAt: String?) {
        self.customerId = customerId
        self.contact = contact
        self.documentLanguage = documentLanguage
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customerId = try container.decode(String.self, forKey: .customerId)
        documentLanguage = try container.decode(DocumentLanguage.self, forKey: .documentLanguage)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        contact = try CustomerContact(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerId, forKey: .customerId)
        try container.encode(documentLanguage, forKey: .documentLanguage)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try contact.encode(to: encoder)
    }
}

/// Who collections write to: the billing contact of each customer, from `customers.csv` or set
/// here (API `PUT /v1/customers/{id}/contact`, `creditrisk contact`). Every value is checked by
/// `ContactRules` before anything is written; a refused change stores nothing.
public struct CustomerContacts: Sendable {
    let writer: BoundedWriter
    public let now: @Sendable () -> Date
    let checks = InputChecks()

    public init(
        database: any DatabaseWriter, now: @escaping @Sendable () -> Date = Date.init,
        maximumWait: Duration = BoundedWriter.defaultMaximumWait
    ) {
        self.writer = BoundedWriter(database, maximumWait: maximumWait)
        self.now = now
    }

    var database: any DatabaseWriter { writer.database }

    /// The customer's contact (empty when none is stored); refused as not found for an unknown customer.
    public func contact(customerId: String) async throws -> CustomerContactRecord {
        try checks.id(customerId, "id")
        return try await database.read { db in try Self.record(db, customerId: customerId) }
    }

    /// Replaces the customer's whole contact (a field left nil is cleared), after checking every
    /// field; returns the contact as stored.
    public func set(customerId: String, contact: CustomerContact) async throws -> CustomerContactRecord {
        try await update(ContactUpdate(customerId: customerId, contact: contact, columns: Set(ContactField.allCases)))
    }

    /// Changes only the fields of `update.columns` (a nil value clears its field), keeping the
    /// others as stored: what the CLI's options do.
    public func update(_ update: ContactUpdate) async throws -> CustomerContactRecord {
        try checks.id(update.customerId, "id")
        var update = update
        switch update.contact.validated() {
        case .success(let checked): update.contact = checked
        case .failure(let problem): throw Refusal.invalid(field: problem.field.apiName, problem.message)
        }
        let updatedAt = Timestamp.string(now())
        return try await writer.write { [update] db in
            _ = try Self.customerCountry(db, customerId: update.customerId)
            try ContactStore().apply(db, update, updatedAt: updatedAt)
            return try Self.record(db, customerId: update.customerId)
        }
    }

    /// The contacts of `customerIds` that have one, by customer id (a customer without is absent):
    /// for a reminder run that addresses many customers at once.
    public func contacts(for customerIds: [String]) async throws -> [String: CustomerContact] {
        try await database.read { db in try ContactStore().contacts(db, customerIds: customerIds) }
    }

    static func customerCountry(_ db: Database, customerId: String) throws -> String {
        guard let country = try String.fetchOne(db, sql: "SELECT country FROM customer WHERE id = ?", arguments: [customerId]) else {
            throw Refusal(.notFound, "no customer \(customerId)")
        }
        return country
    }

    static func record(_ db: Database, customerId: String) throws -> CustomerContactRecord {
        let country = try customerCountry(db, customerId: customerId)
        let stored = try ContactStore().contact(db, customerId: customerId)
        let contact = stored?.contact ?? .empty
        return CustomerContactRecord(
            customerId: customerId, contact: contact, documentLanguage: DocumentLanguage.of(country: country, contact: contact),
            updatedAt: stored?.updatedAt)
    }
}
