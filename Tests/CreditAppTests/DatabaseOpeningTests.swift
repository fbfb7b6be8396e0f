import CreditApp
import CreditCore
import Foundation
import GRDB
import Testing

@testable import CreditStore

/// Opening the database: a command that only reads must not wait for a writer, and a file a newer
/// version migrated is refused rather than used half-understood.
@Suite("Opening the database")
struct DatabaseOpeningTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("open-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Another connection to the file, as another process's import, that may keep a transaction open.
    static func otherProcess(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    @Test("a database already up to date opens and reads while another process holds the write lock (it used to fail after 10 s)")
    func opensWhileAWriterHoldsTheLock() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try CreditDatabase.open(path: path).close()
        // Another connection, as an import in another process: a committed write, then a write
        // transaction left open for the whole test.
        let importer = try Self.otherProcess(path)
        try importer.write { try $0.execute(sql: "INSERT INTO sector VALUES ('X', 'x', 1, 30, 0.01, '2025', 'test')") }
        try importer.writeWithoutTransaction { db in
            try db.beginTransaction(.immediate)
            try db.execute(sql: "INSERT INTO sector VALUES ('Y', 'y', 1, 30, 0.01, '2025', 'test')")
        }
        defer { try? importer.writeWithoutTransaction { try $0.rollback() } }
        let reader = try CreditDatabase.open(path: path)
        #expect(try reader.read { try String.fetchAll($0, sql: "SELECT code FROM sector WHERE code IN ('X', 'Y')") } == ["X"])
    }

    @Test("a database a newer version migrated further is refused, naming the file")
    func newerSchemaRefused() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let pool = try CreditDatabase.open(path: path)
        try pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99 a later version')") }
        try pool.close()
        let error = try #require(throws: CreditDatabase.NewerSchemaError.self) { try CreditDatabase.open(path: path) }
        #expect(error.description.hasPrefix((path as NSString).lastPathComponent + " was brought up to date by a newer version"))
    }

    @Test("a database another process is loading in rollback mode cannot be opened within the wait: the error says why and what to do")
    func busyWhileAFirstLoadWrites() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try CreditDatabase.open(path: path).close()
        // As a first load does: the file leaves WAL mode and the loader holds the write lock.
        let loader = try Self.otherProcess(path)
        try loader.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.beginTransaction(.immediate)
            try db.execute(sql: "INSERT INTO sector VALUES ('Y', 'y', 1, 30, 0.01, '2025', 'test')")
        }
        defer { try? loader.writeWithoutTransaction { try $0.rollback() } }
        let error = try #require(throws: DatabaseOpenError.self) {
            try CreditService.open(path: path, model: try Repository.model())
        }
        #expect(error.description.contains("another process is writing it (an import or a scoring run)"), "\(error)")
    }
}
