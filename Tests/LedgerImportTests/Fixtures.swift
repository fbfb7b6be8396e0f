import CreditApp
import CreditStore
import Foundation
import GRDB

/// Paths into the repository's Fixtures folder, found from this file's location.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func ledger(_ name: String) -> URL { root.appendingPathComponent("ledger/\(name)") }
    static func broken(_ name: String) -> URL { root.appendingPathComponent("ledger/broken/\(name)") }
    static var demo: URL { root.appendingPathComponent("demo") }

    /// A fresh folder under the system's temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("creditrisk-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Copies a fixture folder so a test can change files without touching the repository.
    static func copy(_ source: URL) throws -> URL {
        let target = try temporaryFolder().appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }
}

/// Every row of every ledger table, in a stable order: two snapshots are equal exactly when
/// the ledger holds the same data.
func ledgerSnapshot(_ db: Database) throws -> [String] {
    var lines: [String] = []
    for (table, order) in [
        ("sector", "code"), ("customer", "id"), ("invoice", "id"), ("payment", "id"), ("dispute", "invoice_id, opened_on"),
        ("portfolio_setting", "key"), ("import_log", "id"),
    ] {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
            lines.append(table + ": " + row.description)
        }
    }
    return lines
}

/// 2026-11-18T11:06:40Z: after the last day of every fixture, so nothing in them lies in the future.
let fixedClock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000) }

func importer(_ database: any DatabaseWriter) -> LedgerImporter {
    LedgerImporter(database: database, now: fixedClock)
}
