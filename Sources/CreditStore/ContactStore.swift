import CreditCore
import GRDB

/// Customers' contacts (`customer_contact`): who receives the reminders, at which address, in
/// which language. Written by the ledger import (for the columns a `customers.csv` has) and by
/// the API; read in bulk by a reminder run.
public struct ContactStore: Sendable {
    public init() {}

    /// A contact as stored, with when it last changed.
    public struct Stored: Hashable, Sendable {
        public var customerId: String
        public var contact: CustomerContact
        /// ISO 8601 timestamp of the last change.
        public var updatedAt: String
    }

    private static let select = "SELECT customer_id, contact_name, email, phone, language, postal_address, updated_at FROM customer_contact"

    /// Every stored contact by customer id: for a reminder run inside its own transaction.
    public func contacts(_ db: Database) throws -> [String: CustomerContact] {
        var contacts: [String: CustomerContact] = [:]
        let rows = try Row.fetchCursor(db, sql: Self.select)
        while let row = try rows.next() {
            let stored = try Self.stored(row)
            contacts[stored.customerId] = stored.contact
        }
        return contacts
    }

    /// Every customer's country, by customer id: with the contact, the language of its documents.
    public func countries(_ db: Database) throws -> [String: String] {
        var countries: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, country FROM customer")
        while let row = try rows.next() { countries[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1) }
        return countries
    }

    /// The contacts of `customerIds` that have one, by customer id.
    public func contacts(_ db: Database, customerIds: [String]) throws -> [String: CustomerContact] {
        var contacts: [String: CustomerContact] = [:]
        let statement = try db.cachedStatement(sql: "\(Self.select) WHERE customer_id = ?")
        for id in Set(customerIds) {
            if let row = try Row.fetchOne(statement, arguments: [id]) {
                contacts[id] = try Self.stored(row).contact
            }
        }
        return contacts
    }

    /// The customer's stored contact, nil when none was ever set.
    public func contact(_ db: Database, customerId: String) throws -> Stored? {
        try Row.fetchOne(db.cachedStatement(sql: "\(Self.select) WHERE customer_id = ?"), arguments: [customerId]).map(Self.stored)
    }

    /// Replaces the customer's contact; returns whether anything changed (an identical contact
    /// keeps its `updated_at`). The customer must exist (the foreign key says so).
    @discardableResult
    public func set(_ db: Database, customerId: String, contact: CustomerContact, updatedAt: String) throws -> Bool {
        if let stored = try self.contact(db, customerId: customerId), stored.contact == contact { return false }
        try write(db, customerId: customerId, contact: contact, updatedAt: updatedAt)
        return true
    }

    private func write(_ db: Database, customerId: String, contact: CustomerContact, updatedAt: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO customer_contact (customer_id, contact_name, email, phone, language, postal_address, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (customer_id) DO UPDATE SET contact_name = ?2, email = ?3, phone = ?4, language = ?5,
                    postal_address = ?6, updated_at = ?7
                """
        ).execute(arguments: [
            customerId, contact.name, contact.email, contact.phone, contact.language?.rawValue, contact.postalAddress, updatedAt,
        ])
    }

    /// Applies what a `customers.csv` row says (the fields of its columns) over the stored
    /// contact; returns whether anything changed. A row that sets nothing on a customer with no
    /// stored contact stores no empty row.
    ///
    /// `noneStored`: the caller knows the customer has no stored contact (an import that found
    /// the table empty, whose customers each apply once), which spares a look-up per row.
    @discardableResult
    public func apply(_ db: Database, _ update: ContactUpdate, updatedAt: String, noneStored: Bool = false) throws -> Bool {
        let stored = noneStored ? nil : try contact(db, customerId: update.customerId)
        let merged = update.applied(to: stored?.contact ?? .empty)
        if stored == nil, merged.isEmpty { return false }
        if let stored, stored.contact == merged { return false }
        try write(db, customerId: update.customerId, contact: merged, updatedAt: updatedAt)
        return true
    }

    /// Whether no customer has a stored contact.
    public func isEmpty(_ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer_contact)") ?? false)
    }

    /// A stored language that is no case (edited by hand) reads as unknown rather than failing a
    /// whole reminder run; the schema's CHECK keeps it from happening through the service.
    static func stored(_ row: Row) throws -> Stored {
        let language: String? = try row.decode(forColumn: "language")
        return Stored(
            customerId: try row.decode(forColumn: "customer_id"),
            contact: CustomerContact(
                name: try row.decode(forColumn: "contact_name"), email: try row.decode(forColumn: "email"),
                phone: try row.decode(forColumn: "phone"), language: language.flatMap(DocumentLanguage.init(rawValue:)),
                postalAddress: try row.decode(forColumn: "postal_address")),
            updatedAt: try row.decode(forColumn: "updated_at"))
    }
}
