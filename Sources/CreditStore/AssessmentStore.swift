import CreditCore
import Foundation
import GRDB

public struct AssessmentStore: Sendable {
    public init() {}

    public func save(_ db: Database, _ assessment: StoredAssessment) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO assessment (customer_id, as_of, model_version, grade, pd, score, suggested_limit_cents,
                                        exposure_cents, overdue_cents, detail, created_at, payment_delay_days, thin_file)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            assessment.customerId, assessment.asOf, assessment.modelVersion, assessment.grade, assessment.pd,
            assessment.score, assessment.suggestedLimit, assessment.exposure, assessment.overdue,
            String(decoding: assessment.detail, as: UTF8.self), assessment.createdAt,
            assessment.paymentDelayDays.flatMap { $0.isFinite ? $0 : nil }, assessment.thinFile,
        ])
    }

    /// The customer's latest assessment (latest as-of date, then latest made).
    public func latest(_ db: Database, customerId: String) throws -> StoredAssessment? {
        try Row.fetchOne(
            db.cachedStatement(sql: "\(Self.select) WHERE customer_id = ? ORDER BY as_of DESC, id DESC LIMIT 1"),
            arguments: [customerId]
        ).map(Self.assessment)
    }

    /// Whether some customer has no assessment as of `day` or later: what a daily re-scoring
    /// asks. One customer re-scored today after an event does not make the others current.
    public func hasCustomersNotAssessed(_ db: Database, since day: Day) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM customer c WHERE NOT EXISTS
                    (SELECT 1 FROM assessment a WHERE a.customer_id = c.id AND a.as_of >= ?))
                """, arguments: [day]) ?? false
    }

    /// The grade and suggested limit of the customer's latest assessment, without the detail: what
    /// an order check needs, read many times a second.
    public func latestDecision(_ db: Database, customerId: String) throws -> (grade: String, suggestedLimit: Money)? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT grade, suggested_limit_cents FROM assessment WHERE customer_id = ? ORDER BY as_of DESC, id DESC LIMIT 1"),
            arguments: [customerId]
        ).map { try ($0.decode(forColumn: "grade"), $0.decode(forColumn: "suggested_limit_cents")) }
    }

    /// Every assessment of the customer, oldest first: how its grade and limit moved.
    public func history(_ db: Database, customerId: String) throws -> [StoredAssessment] {
        try Row.fetchAll(db, sql: "\(Self.select) WHERE customer_id = ? ORDER BY as_of, id", arguments: [customerId])
            .map(Self.assessment)
    }

    /// The latest grade, PD and as-of day of every customer: what a new scoring run compares
    /// against and what the collections lists rank by.
    public func latestGrades(_ db: Database) throws -> [String: (grade: String, asOf: Day, pd: Double)] {
        var grades: [String: (grade: String, asOf: Day, pd: Double)] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.customer_id, a.grade, a.as_of, a.pd FROM assessment a
                WHERE a.id = (SELECT b.id FROM assessment b WHERE b.customer_id = a.customer_id
                              ORDER BY b.as_of DESC, b.id DESC LIMIT 1)
                """)
        while let row = try rows.next() {
            grades[try row.decode(forColumn: "customer_id")] = try (
                row.decode(forColumn: "grade"), row.decode(forColumn: "as_of"), row.decode(forColumn: "pd")
            )
        }
        return grades
    }

    /// Raises the alert unless the same one is open (`AlertStore.raise`).
    public func add(_ db: Database, _ alert: Alert) throws {
        try AlertStore().raise(db, alert)
    }

    static let select =
        "SELECT id, customer_id, as_of, model_version, grade, pd, score, suggested_limit_cents, exposure_cents, overdue_cents, detail, created_at FROM assessment"

    static func assessment(_ row: Row) throws -> StoredAssessment {
        let detail: String = try row.decode(forColumn: "detail")
        return try StoredAssessment(
            id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"), asOf: row.decode(forColumn: "as_of"),
            modelVersion: row.decode(forColumn: "model_version"), grade: row.decode(forColumn: "grade"), pd: row.decode(forColumn: "pd"),
            score: row.decode(forColumn: "score"), suggestedLimit: row.decode(forColumn: "suggested_limit_cents"),
            exposure: row.decode(forColumn: "exposure_cents"), overdue: row.decode(forColumn: "overdue_cents"), detail: Data(detail.utf8), createdAt: row.decode(forColumn: "created_at"))
    }
}
