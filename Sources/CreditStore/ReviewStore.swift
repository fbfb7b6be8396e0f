import CreditCore
import GRDB

extension ReviewDecision: DatabaseValueConvertible {}

/// One row of `credit_review`, columns by name.
struct CreditReviewRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "credit_review"

    var id: Int64?
    var customerId: String
    var reviewedOn: Day
    var decision: ReviewDecision
    var note: String?
    var author: String
    var grade: String
    var riskClass: String
    var limitBeforeCents: Money
    var limitCents: Money?
    var nextReviewOn: Day
    var policyVersion: String
    var authorityVersion: String?
    var overrideId: Int64?
    var createdAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case customerId = "customer_id"
        case reviewedOn = "reviewed_on"
        case decision, note, author, grade
        case riskClass = "risk_class"
        case limitBeforeCents = "limit_before_cents"
        case limitCents = "limit_cents"
        case nextReviewOn = "next_review_on"
        case policyVersion = "policy_version"
        case authorityVersion = "authority_version"
        case overrideId = "override_id"
        case createdAt = "created_at"
    }

    init(_ review: CreditReview, createdAt: String) {
        self.customerId = review.customerId
        self.reviewedOn = review.reviewedOn
        self.decision = review.decision
        self.note = review.note
        self.author = review.author
        self.grade = review.grade
        self.riskClass = review.riskClass
        self.limitBeforeCents = review.limitBefore
        self.limitCents = review.limit
        self.nextReviewOn = review.nextReviewOn
        self.policyVersion = review.policyVersion
        self.authorityVersion = review.authorityVersion
        self.overrideId = review.overrideId
        self.createdAt = createdAt
    }

    var review: CreditReview {
        CreditReview(
            id: id, customerId: customerId, reviewedOn: reviewedOn, decision: decision, note: note, author: author, grade: grade,
            riskClass: riskClass, limitBefore: limitBeforeCents, limit: limitCents, nextReviewOn: nextReviewOn,
            policyVersion: policyVersion, authorityVersion: authorityVersion, overrideId: overrideId)
    }
}

/// What the review list is built from, per customer with an assessment: its latest assessment,
/// its first assessment's day, its last review, its override in force and its downgrades.
public struct ReviewCandidate: Sendable {
    public var customerId: String
    public var name: String
    public var grade: String
    public var suggestedLimit: Money
    public var exposure: Money
    public var assessedOn: Day
    public var firstAssessedOn: Day
    public var lastReview: CreditReview?
    public var override: StoredOverride?
    /// The days of the customer's `downgrade` alerts, oldest first.
    public var downgrades: [Day]
}

/// Periodic reviews of limits, kept for good, and the alerts that said a review was due (one per
/// customer and cycle). Writes run in the caller's transaction.
public struct ReviewStore: Sendable {
    public init() {}

    /// Records a completed review; returns its id.
    public func record(_ db: Database, _ review: CreditReview, createdAt: String) throws -> Int64 {
        try CreditReviewRecord(review, createdAt: createdAt).insert(db)
        return db.lastInsertedRowID
    }

    /// Every review of the customer, oldest first.
    public func reviews(_ db: Database, customerId: String) throws -> [CreditReview] {
        try CreditReviewRecord.filter(CreditReviewRecord.CodingKeys.customerId == customerId)
            .order(CreditReviewRecord.CodingKeys.reviewedOn, CreditReviewRecord.CodingKeys.id).fetchAll(db).map(\.review)
    }

    /// The customer's latest review, if any.
    public func lastReview(_ db: Database, customerId: String) throws -> CreditReview? {
        try CreditReviewRecord.filter(CreditReviewRecord.CodingKeys.customerId == customerId)
            .order(CreditReviewRecord.CodingKeys.reviewedOn.desc, CreditReviewRecord.CodingKeys.id.desc).fetchOne(db)?.review
    }

    /// Every customer with an assessment (or only `customerId`, or only the selected customers),
    /// with what its review is judged on. The latest and the first assessment's day are the
    /// customer's standing's (kept by trigger): the whole portfolio is one pass over the standings.
    public func candidates(_ db: Database, customerId: String? = nil, selection: PortfolioSelection = .all) throws -> [ReviewCandidate] {
        var downgrades: [String: [Day]] = [:]
        let alerts = try Row.fetchCursor(
            db, sql: "SELECT customer_id, as_of FROM alert WHERE kind = 'downgrade' AND (?1 IS NULL OR customer_id = ?1) ORDER BY as_of",
            arguments: [customerId])
        while let row = try alerts.next() {
            downgrades[try row.decode(forColumn: "customer_id"), default: []].append(try row.decode(forColumn: "as_of"))
        }
        var reviews: [String: CreditReview] = [:]
        let reviewRows = try CreditReviewRecord.fetchCursor(
            db,
            sql: """
                SELECT r.* FROM credit_review r
                WHERE r.id = (SELECT x.id FROM credit_review x WHERE x.customer_id = r.customer_id ORDER BY x.reviewed_on DESC, x.id DESC LIMIT 1)
                  AND (?1 IS NULL OR r.customer_id = ?1)
                """,
            arguments: [customerId])
        while let record = try reviewRows.next() { reviews[record.customerId] = record.review }
        var overrides: [String: StoredOverride] = [:]
        let overrideRows = try Row.fetchCursor(
            db,
            sql: "\(OverrideStore.select) WHERE revoked_at IS NULL AND (?1 IS NULL OR customer_id = ?1) ORDER BY id",
            arguments: [customerId])
        while let row = try overrideRows.next() {
            let stored = try OverrideStore.stored(row)
            overrides[stored.customerId] = stored
        }
        // By position: the whole portfolio's candidates are read for the dashboard's count.
        // Columns: id, name, grade, suggested_limit_cents, exposure_cents, as_of, first_assessed_on.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id, c.name, a.grade, a.suggested_limit_cents, a.exposure_cents, a.as_of,
                       COALESCE(a.first_as_of, (SELECT MIN(f.as_of) FROM assessment f WHERE f.customer_id = c.id)) AS first_assessed_on
                FROM customer c JOIN customer_standing a ON a.customer_id = c.id
                WHERE (:customerId IS NULL OR c.id = :customerId) AND \(ReportQueries.selecting(selection))
                ORDER BY c.id
                """,
            arguments: ReportQueries.arguments(selection, ["customerId": customerId]))
        var candidates: [ReviewCandidate] = []
        while let row = try rows.next() {
            let id: String = try row.decode(atIndex: 0)
            candidates.append(
                ReviewCandidate(
                    customerId: id, name: try row.decode(atIndex: 1), grade: try row.decode(atIndex: 2),
                    suggestedLimit: try row.decode(atIndex: 3), exposure: try row.decode(atIndex: 4), assessedOn: try row.decode(atIndex: 5),
                    firstAssessedOn: try row.decode(atIndex: 6), lastReview: reviews[id], override: overrides[id], downgrades: downgrades[id] ?? []))
        }
        return candidates
    }

    /// The review cycles already alerted as due: (customer, cycle), the cycle being the last
    /// review's id, 0 before the first review.
    public func alertedCycles(_ db: Database) throws -> Set<ReviewCycle> {
        var cycles: Set<ReviewCycle> = []
        let rows = try Row.fetchCursor(db, sql: "SELECT customer_id, cycle FROM review_due_alert")
        while let row = try rows.next() {
            cycles.insert(ReviewCycle(customerId: try row.decode(forColumn: "customer_id"), cycle: try row.decode(forColumn: "cycle")))
        }
        return cycles
    }

    /// Notes that the cycle's due review was alerted on `day`: never again for it.
    public func markAlerted(_ db: Database, _ cycle: ReviewCycle, dueOn: Day, on day: Day) throws {
        try db.execute(
            sql: "INSERT INTO review_due_alert (customer_id, cycle, due_on, alerted_on) VALUES (?, ?, ?, ?)",
            arguments: [cycle.customerId, cycle.cycle, dueOn, day])
    }
}

/// One customer's stretch between two reviews: the last review's id, 0 before the first.
public struct ReviewCycle: Hashable, Sendable {
    public var customerId: String
    public var cycle: Int64

    public init(customerId: String, cycle: Int64) {
        self.customerId = customerId
        self.cycle = cycle
    }
}
