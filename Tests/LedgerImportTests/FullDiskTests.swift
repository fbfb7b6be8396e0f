import CreditApp
import CreditStore
import Foundation
import GRDB
import Testing

/// A database that cannot grow (a full disk, simulated by SQLite's page limit on the writer's
/// connection): the import is refused with a plain word that nothing was stored, the ledger is
/// as before, and once there is room again the same import goes through.
@Suite("Full disk")
struct FullDiskTests {
    @Test("an import that runs out of room says the disk is full and stores nothing; with room again it goes through")
    func importIntoFullDatabase() throws {
        let folder = try Fixtures.temporaryFolder()
        let pool = try CreditDatabase.open(path: folder.appendingPathComponent("credit.sqlite").path)
        _ = try importer(pool).importLedger(directory: Fixtures.ledger("french"))
        let before = try pool.read(ledgerSnapshot)
        let pages = try pool.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        // The writer's connection may not grow the file: every page the demo needs is refused.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = \(pages)") }
        let error = try #require(throws: StorageFailure.self) { try importer(pool).importLedger(directory: Fixtures.demo) }
        #expect(error.cause == .diskFull)
        #expect(
            error.description == "the ledger import failed: the disk is full; nothing was stored; free space or fix the storage, then run it again")
        #expect(try pool.read(ledgerSnapshot) == before)
        #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")

        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
        let summary = try importer(pool).importLedger(directory: Fixtures.demo)
        #expect(summary.warnings.isEmpty)
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } ?? 0 > 200)
    }

    @Test("the room asked of the disk before an import is three times the files plus a margin")
    func roomBeforeImport() throws {
        let folder = try Fixtures.temporaryFolder()
        let storage = StorageGuard(databasePath: folder.appendingPathComponent("credit.sqlite").path)
        let free = try #require(storage.freeBytes())
        try storage.checkRoom(forInputBytes: 1 << 20, operation: "the ledger import")
        let error = try #require(throws: StorageFailure.self) {
            try storage.checkRoom(forInputBytes: free / 3, operation: "the ledger import")
        }
        #expect(error.cause == .notEnoughSpace)
        #expect(error.description.hasPrefix("the ledger import failed: there is not enough free disk space (about "))
        #expect(error.description.hasSuffix("nothing was stored; free space or fix the storage, then run it again"))
        #expect(StorageGuard(databasePath: ":memory:").freeBytes() == nil)
    }
}
