import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func model() throws -> ScoringModel {
        try ScoringModel.decode(from: Data(contentsOf: path("Models/scoring-model-v2.json")))
    }

    /// A database holding the demo portfolio.
    static func demoDatabase() throws -> DatabaseQueue {
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: path("Fixtures/demo"))
        return db
    }
}

let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000) }
