import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// A first load into an empty database file, by an importer that serves no reads meanwhile (the
/// command line), is written through a rollback journal (its pages once, not into the WAL and
/// again at the checkpoint); every later import, a first load while another connection has the
/// file open, and any import by a server keep the WAL. Either way all or nothing holds and the
/// file is left in WAL mode.
@Suite("First load journal")
struct FirstLoadJournalTests {
    /// Whether a rollback journal existed next to the database while rows were being written.
    final class JournalWatch {
        let path: String
        var seen = false
        init(_ path: String) { self.path = path }
        func look(_: String, _: Int) { if FileManager.default.fileExists(atPath: path + "-journal") { seen = true } }
    }

    static func database() throws -> (DatabasePool, String) {
        let path = try Fixtures.temporaryFolder().appendingPathComponent("credit.sqlite").path
        return (try CreditDatabase.open(path: path), path)
    }

    /// The command line's importer.
    static func journaled(_ pool: DatabasePool) -> LedgerImporter {
        var commandLine = importer(pool)
        commandLine.firstLoadJournal = true
        return commandLine
    }

    static func journalMode(_ pool: DatabasePool) throws -> String? {
        try pool.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    }

    @Test("a first load goes through a rollback journal and leaves the file in WAL mode; the next import keeps the WAL")
    func firstLoadThenMerge() throws {
        let (pool, path) = try Self.database()
        let first = JournalWatch(path)
        let summary = try Self.journaled(pool).importLedger(directory: Fixtures.ledger("french"), progress: first.look)
        #expect(first.seen)
        // 2 sectors, 3 customers, 5 invoices, 4 payments, 2 disputes in the fixture.
        #expect(summary.files.map(\.inserted) == [2, 3, 5, 4, 2])
        #expect(try Self.journalMode(pool) == "wal")
        #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")

        let again = JournalWatch(path)
        let second = try Self.journaled(pool).importLedger(directory: Fixtures.ledger("french"), progress: again.look)
        #expect(!again.seen)
        #expect(second.files.map(\.unchanged) == [2, 3, 5, 4, 2])
        #expect(try Self.journalMode(pool) == "wal")
    }

    @Test("a refused first load stores nothing and leaves the file in WAL mode")
    func refusedFirstLoad() throws {
        let (pool, path) = try Self.database()
        let watch = JournalWatch(path)
        #expect(throws: LedgerImportError.self) {
            try Self.journaled(pool).importLedger(directory: Fixtures.broken("unknown-invoice"), progress: watch.look)
        }
        #expect(watch.seen)
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM invoice)") } == 0)
        #expect(try Self.journalMode(pool) == "wal")
        #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test("a server's first load keeps the WAL, so that its readers read on")
    func serverFirstLoad() throws {
        let (pool, path) = try Self.database()
        let watch = JournalWatch(path)
        _ = try importer(pool).importLedger(directory: Fixtures.ledger("french"), progress: watch.look)
        #expect(!watch.seen)
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 3)
    }

    @Test("while another connection has the file open, a first load keeps the WAL and that connection reads on")
    func firstLoadBesideAReader() throws {
        let (pool, path) = try Self.database()
        let other = try DatabaseQueue(path: path)
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 0)
        let watch = JournalWatch(path)
        _ = try Self.journaled(pool).importLedger(directory: Fixtures.ledger("french"), progress: watch.look)
        #expect(!watch.seen)
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 3)
        #expect(try Self.journalMode(pool) == "wal")
    }
}
