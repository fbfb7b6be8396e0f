import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The demo's largest open invoice without an open dispute, issued on or before `issuedBy`
    /// when given (so that an event can be dated back to then).
    static func largestOpenUndisputedInvoice(_ db: DatabaseQueue, issuedBy: Day? = nil) throws -> (invoice: String, customer: String) {
        try db.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT i.id, i.customer_id FROM invoice i
                        WHERE i.open_cents > 0 AND i.issue_date <= ?
                          AND NOT EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.resolved_on IS NULL)
                        ORDER BY i.open_cents DESC, i.id LIMIT 1
                        """, arguments: [issuedBy ?? Day(parsing: "9999-12-31")!]))
            return (row["id"], row["customer_id"])
        }
    }

    static func model() throws -> ScoringModel {
        try ScoringModel.decode(from: Data(contentsOf: path("Models/scoring-model-v2.json")))
    }

    /// The approval authorities and review policy shipped in `Models/`, for `model`.
    static func policies(for model: ScoringModel) throws -> CreditPolicies {
        try CreditPolicies.load(directory: path("Models").path, model: model)
    }

    /// A database holding the demo portfolio.
    static func demoDatabase() throws -> DatabaseQueue {
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: path("Fixtures/demo"))
        return db
    }
}

let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000) }

/// A clock standing at noon UTC of `day`: for a test that scores as of a later day than
/// `fixedNow`'s (a run is never dated after its clock's today).
func noon(of day: Day) -> @Sendable () -> Date {
    let date = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 43_200)
    return { date }
}
