import CreditCore
import Foundation
import GRDB
import Testing

@testable import CreditStore

/// A new database starts from `schema-v22.sql` instead of running the first 22 migrations; it
/// must be the very database they make.
@Suite("A new database from the schema snapshot")
struct SchemaSnapshotTests {
    /// Every object's definition, then every table's rows, in a stable order.
    static func contents(_ db: Database) throws -> [String] {
        var contents = try String.fetchAll(
            db, sql: "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name")
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").map { "\(table): \($0)" }
            contents += rows.sorted()
        }
        return contents
    }

    @Test("a new database is the one every migration makes: the same tables, columns in the same order, indexes, triggers and rows")
    func sameAsTheMigrations() throws {
        #expect(CreditDatabase.schemaSnapshot != nil, "Resources/schema-v22.sql is missing: every new database runs all migrations")
        let migrated = try DatabaseQueue(configuration: CreditDatabase.configuration())
        try CreditDatabase.migrator.migrate(migrated)
        let fromSnapshot = try CreditDatabase.inMemory()
        let expected = try migrated.read(Self.contents)
        let actual = try fromSnapshot.read(Self.contents)
        #expect(actual.count == expected.count)
        for (line, (a, e)) in zip(actual, expected).enumerated() where a != e {
            Issue.record("line \(line): \(a)\nexpected: \(e)")
            break
        }
        #expect(try fromSnapshot.read { try CreditDatabase.migrator.appliedMigrations($0) } == CreditDatabase.migrator.migrations)
    }

    @Test("the snapshot file is what the migrations up to v22 make (CREDITRISK_WRITE_SCHEMA_SNAPSHOT=1 writes it anew)")
    func snapshotFileUpToDate() throws {
        let migrated = try DatabaseQueue(configuration: CreditDatabase.configuration())
        try CreditDatabase.migrator.migrate(migrated, upTo: CreditDatabase.schemaSnapshotMigration)
        let dump = try migrated.read(CreditDatabase.dump)
        let file = Repository.path("Sources/CreditStore/Resources/schema-v22.sql")
        if ProcessInfo.processInfo.environment["CREDITRISK_WRITE_SCHEMA_SNAPSHOT"] == "1" {
            try dump.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == dump)
    }

    @Test("a database that has tables is migrated, never overwritten by the snapshot")
    func existingDatabaseKept() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try DatabasePool(path: path, configuration: CreditDatabase.configuration())
        try CreditDatabase.migrator.migrate(old, upTo: "v1 ledger")
        try old.write { try $0.execute(sql: "INSERT INTO sector VALUES ('X', 'x', 1, 30, 0.01, '2025', 'test')") }
        try old.close()
        let reopened = try CreditDatabase.open(path: path)
        #expect(try reopened.read { try String.fetchAll($0, sql: "SELECT code FROM sector") } == ["X"])
        #expect(try reopened.read { try CreditDatabase.migrator.appliedMigrations($0) } == CreditDatabase.migrator.migrations)
    }
}
