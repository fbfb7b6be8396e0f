import CreditCore
import Foundation
import GRDB

public struct AssessmentStore: Sendable {
    public init() {}

    /// Stores a new assessment: its detail deflated (`packed`, made by the caller's workers, or
    /// here) and the fingerprint of its verdict, which the next run compares with.
    public func save(_ db: Database, _ assessment: StoredAssessment, packed: PackedDetail? = nil, fingerprint: Data? = nil) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO assessment (customer_id, as_of, model_version, grade, pd, score, suggested_limit_cents,
                                        exposure_cents, overdue_cents, detail, created_at, payment_delay_days, thin_file, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            assessment.customerId, assessment.asOf, assessment.modelVersion, assessment.grade, assessment.pd,
            assessment.score, assessment.suggestedLimit, assessment.exposure, assessment.overdue,
            (packed ?? PackedDetail(json: assessment.detail)).bytes, assessment.createdAt,
            assessment.paymentDelayDays.flatMap { $0.isFinite ? $0 : nil }, assessment.thinFile, fingerprint,
        ])
    }

    /// The fingerprint of the verdict in force for the customer and the day its standing is as
    /// of (the day it was made or last confirmed); nil before its first assessment. The
    /// fingerprint is nil for assessments stored before fingerprints were kept.
    public func standingVerdict(_ db: Database, customerId: String) throws -> (fingerprint: Data?, asOf: Day)? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT a.fingerprint, s.as_of FROM customer_standing s JOIN assessment a ON a.id = s.assessment_id
                    WHERE s.customer_id = ?
                    """), arguments: [customerId]
            // A fingerprint that is no blob (a row edited by hand) reads as none, never traps: the
            // run then stores the assessment anew.
        ).map { row in (Data.fromDatabaseValue(row[0] as DatabaseValue), try row.decode(atIndex: 1)) }
    }

    /// Records that the assessment in force was confirmed on `day` by a run that found nothing
    /// new: the customer's standing is as of that day, with that day's `overdue` amount (which
    /// the calendar alone moves); the history gains no row.
    public func confirm(_ db: Database, customerId: String, on day: Day, overdue: Money) throws {
        try db.cachedStatement(sql: "UPDATE customer_standing SET as_of = ?1, overdue_cents = ?3 WHERE customer_id = ?2 AND as_of <= ?1")
            .execute(arguments: [day, customerId, overdue])
    }

    /// The customer's latest assessment (latest as-of date, then latest made).
    public func latest(_ db: Database, customerId: String) throws -> StoredAssessment? {
        try Row.fetchOne(
            db.cachedStatement(sql: "\(Self.select) WHERE customer_id = ? ORDER BY as_of DESC, id DESC LIMIT 1"),
            arguments: [customerId]
        ).map(Self.assessment)
    }

    /// Whether some customer has no assessment made or confirmed as of `day` or later: what a
    /// daily re-scoring asks. One customer re-scored today after an event does not make the
    /// others current.
    public func hasCustomersNotAssessed(_ db: Database, since day: Day) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM customer c LEFT JOIN customer_standing s ON s.customer_id = c.id
                               WHERE s.as_of IS NULL OR s.as_of < ?)
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

    /// The grade, PD and standing day (made or last confirmed) of every customer's assessment in
    /// force: what a new scoring run compares against and what the collections lists rank by.
    public func latestGrades(_ db: Database) throws -> [String: (grade: String, asOf: Day, pd: Double)] {
        var grades: [String: (grade: String, asOf: Day, pd: Double)] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT customer_id, grade, as_of, pd FROM customer_standing")
        while let row = try rows.next() {
            grades[try row.decode(forColumn: "customer_id")] = try (
                row.decode(forColumn: "grade"), row.decode(forColumn: "as_of"), StoredRows.probability(row, "pd")
            )
        }
        return grades
    }

    /// One customer's `latestGrades` entry.
    public func latestGrade(_ db: Database, customerId: String) throws -> (grade: String, asOf: Day, pd: Double)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT grade, as_of, pd FROM customer_standing WHERE customer_id = ?"), arguments: [customerId]
        ).map { row in try (row.decode(atIndex: 0), row.decode(atIndex: 1), StoredRows.probability(row, "pd")) }
    }

    /// Raises the alert unless the same one is open (`AlertStore.raise`).
    public func add(_ db: Database, _ alert: Alert) throws {
        try AlertStore().raise(db, alert)
    }

    static let select =
        "SELECT id, customer_id, as_of, model_version, grade, pd, score, suggested_limit_cents, exposure_cents, overdue_cents, detail, created_at FROM assessment"

    static func assessment(_ row: Row) throws -> StoredAssessment {
        let id: Int64 = try row.decode(forColumn: "id")
        let detail = try PackedDetail.json(row["detail"] ?? DatabaseValue.null, assessmentId: id)
        return try StoredAssessment(
            id: id, customerId: row.decode(forColumn: "customer_id"), asOf: row.decode(forColumn: "as_of"),
            modelVersion: row.decode(forColumn: "model_version"), grade: row.decode(forColumn: "grade"), pd: StoredRows.probability(row, "pd"),
            score: row.decode(forColumn: "score"), suggestedLimit: row.decode(forColumn: "suggested_limit_cents"),
            exposure: row.decode(forColumn: "exposure_cents"), overdue: row.decode(forColumn: "overdue_cents"), detail: detail,
            createdAt: row.decode(forColumn: "created_at"))
    }
}
