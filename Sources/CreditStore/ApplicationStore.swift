import CreditCore
import Foundation
import GRDB

/// One row of `credit_application`: a prospective customer's request for an account, the
/// assessment it got when it came in, and the credit manager's decision once taken.
///
/// The request and the assessment are kept as JSON, so a repeated request can be compared with
/// the first and a decision explained later exactly as it was advised.
public struct ApplicationRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "credit_application"

    public var id: String
    public var receivedOn: Day
    public var status: ApplicationStatus
    public var name: String
    public var registrationId: String?
    public var sectorCode: String
    public var country: String
    public var termsDays: Int
    public var customerGroup: String?
    public var requestedLimit: Money?
    public var requestJSON: String
    public var assessmentJSON: String
    public var decidedOn: Day?
    public var decision: ApplicationVerdict?
    public var decidedBy: String?
    public var decisionReason: String?
    /// The customer an approved application became.
    public var customerId: String?

    enum CodingKeys: String, CodingKey {
        case id
        case receivedOn = "received_on"
        case status
        case name
        case registrationId = "registration_id"
        case sectorCode = "sector_code"
        case country
        case termsDays = "terms_days"
        case customerGroup = "customer_group"
        case requestedLimit = "requested_limit_cents"
        case requestJSON = "request_json"
        case assessmentJSON = "assessment_json"
        case decidedOn = "decided_on"
        case decision
        case decidedBy = "decided_by"
        case decisionReason = "decision_reason"
        case customerId = "customer_id"
    }

    public init(
        id: String, receivedOn: Day, name: String, registrationId: String?, sectorCode: String, country: String,
        termsDays: Int, customerGroup: String?, requestedLimit: Money?, requestJSON: String, assessmentJSON: String
    ) {
        self.id = id
        self.receivedOn = receivedOn
        self.status = .pending
        self.name = name
        self.registrationId = registrationId
        self.sectorCode = sectorCode
        self.country = country
        self.termsDays = termsDays
        self.customerGroup = customerGroup
        self.requestedLimit = requestedLimit
        self.requestJSON = requestJSON
        self.assessmentJSON = assessmentJSON
    }

    /// The customer the application describes, under the id the credit manager gives it.
    public func customer(id customerId: String) -> Customer {
        Customer(
            id: customerId, name: name, registrationId: registrationId, sectorCode: sectorCode, country: country,
            termsDays: termsDays, group: customerGroup)
    }
}

/// Account applications and the customers approved ones become. Every method works inside the
/// caller's transaction: receiving an application (with its statement) or deciding one (with
/// the new customer and its override) is all or nothing.
public struct ApplicationStore: Sendable {
    public init() {}

    public func find(_ db: Database, id: String) throws -> ApplicationRecord? {
        try ApplicationRecord.fetchOne(db, key: id)
    }

    public func insert(_ db: Database, _ record: ApplicationRecord) throws {
        try record.insert(db)
    }

    /// Records the credit manager's decision on a pending application; false when it was not pending.
    public func decide(
        _ db: Database, id: String, verdict: ApplicationVerdict, decidedOn: Day, decidedBy: String, reason: String?,
        customerId: String?
    ) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE credit_application
                SET status = ?, decision = ?, decided_on = ?, decided_by = ?, decision_reason = ?, customer_id = ?
                WHERE id = ? AND status = ?
                """,
            arguments: [verdict.status, verdict, decidedOn, decidedBy, reason, customerId, id, ApplicationStatus.pending])
        return db.changesCount > 0
    }

    /// A free id for an application received on `day`: `APP-20261031-0001`, the counter one past
    /// the day's applications. Run inside the write that inserts it, so two never get the same.
    public func nextId(_ db: Database, receivedOn day: Day) throws -> String {
        func padded(_ number: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
        let prefix = "APP-" + day.iso.replacingOccurrences(of: "-", with: "") + "-"
        var counter =
            (try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM credit_application WHERE received_on = ?", arguments: [day]) ?? 0) + 1
        while try ApplicationRecord.exists(db, key: prefix + padded(counter)) { counter += 1 }
        return prefix + padded(counter)
    }

    /// The customer already known under this registration number, if any.
    public func customerId(_ db: Database, registrationId: String) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT id FROM customer WHERE registration_id = ? ORDER BY id LIMIT 1", arguments: [registrationId])
    }

    public func customerExists(_ db: Database, id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [id]) ?? false
    }

    /// Opens the account: the approved applicant becomes a customer.
    public func openAccount(_ db: Database, _ customer: Customer) throws {
        try db.execute(
            sql: """
                INSERT INTO customer (id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, name_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                customer.id, customer.name, customer.registrationId, customer.sectorCode, customer.country,
                customer.termsDays, customer.group, customer.strategic, CustomerDirectory.searchKey(customer.name),
            ])
    }
}
