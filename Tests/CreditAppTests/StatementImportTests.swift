import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing
import ZIPFoundation

/// The import's own rules (documents collected, all or nothing, matching to customers), with a
/// stand-in decoder: a document `SIREN;YYYY-MM-DD;equity[;revenue]` (equity `-`: no figure at all) or
/// `bad:line:element` is enough here.
@Suite("Statement import")
struct StatementImportTests {
    struct StandInError: LocatedError {
        let line: Int
        let element: String
        func problem(file: String) -> LocatedProblem {
            LocatedProblem(file: file, line: line, column: element, message: "is not understood")
        }
    }

    static let decode: StatementDecoding = { data, _ in
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ";").map(String.init)
        if parts.count == 1, parts[0].hasPrefix("bad:") {
            let bits = parts[0].split(separator: ":")
            throw StandInError(line: Int(bits[1])!, element: String(bits[2]))
        }
        let statement = FinancialStatement(
            company: .init(registrationId: parts[0]), periodEnd: Day(parsing: parts[1])!, periodMonths: 12,
            currency: "EUR", consolidated: false,
            amounts: .init(revenue: parts.count > 3 ? Money(cents: Int64(parts[3])!) : nil, equity: Int64(parts[2]).map(Money.init(cents:))))
        return [ReadStatement(statement: statement, format: "stand-in")]
    }

    func importer(_ db: any DatabaseWriter) -> StatementImporter {
        StatementImporter(database: db, decode: Self.decode, today: { Day(parsing: "2026-11-24")! })
    }

    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("statements-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    func ledgerDatabase() throws -> DatabaseQueue {
        let db = try CreditDatabase.inMemory()
        let ledger = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/ledger/french")
        _ = try LedgerImporter(database: db).importLedger(directory: ledger)
        return db
    }

    @Test(
        "a folder's .xml files at any depth are imported in path order, whatever the extension's case, hidden ones too; other files are passed over")
    func folderAtAnyDepth() throws {
        let db = try CreditDatabase.inMemory()
        let input = try folder([
            "b.xml": "222222222;2025-12-31;2", "A.XML": "111111111;2025-12-31;1", ".hidden.xml": "333333333;2025-12-31;3",
            "notes.txt": "not a statement", "xml": "no extension", ".xml": "a hidden file without extension",
        ])
        let nested = input.appendingPathComponent("2024/q4")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try "444444444;2024-12-31;4".write(to: nested.appendingPathComponent("c.xml"), atomically: true, encoding: .utf8)
        // A folder named like a statement is still a folder: its files are read.
        let named = input.appendingPathComponent("archive.xml")
        try FileManager.default.createDirectory(at: named, withIntermediateDirectories: true)
        try "555555555;2023-12-31;5".write(to: named.appendingPathComponent("d.xml"), atomically: true, encoding: .utf8)
        let summary = try importer(db).importStatements(paths: [input])
        #expect(summary.entries.map(\.document) == [".hidden.xml", "c.xml", "A.XML", "d.xml", "b.xml"])
        #expect(summary.entries.map(\.registrationId) == ["333333333", "444444444", "111111111", "555555555", "222222222"])
    }

    @Test("a symbolic link named like a statement that leads back to its own folder is read once, not followed round the loop")
    func linkLoop() throws {
        let db = try CreditDatabase.inMemory()
        let input = try folder(["a.xml": "111111111;2025-12-31;1"])
        try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("loop.xml").path, withDestinationPath: input.path)
        let summary = try importer(db).importStatements(paths: [input])
        #expect(summary.entries.map(\.document) == ["a.xml"])
    }

    @Test("statements of customers are matched by registration id; others are kept as prospects'")
    func matching() throws {
        let db = try ledgerDatabase()
        // 552100554 is customer C001's SIREN in the French ledger fixture; 999999999 is nobody's.
        let input = try folder(["a.xml": "552100554;2025-12-31;1000000", "b.xml": "999999999;2025-12-31;5"])
        let summary = try importer(db).importStatements(paths: [input])
        #expect(summary.entries.map(\.customerId) == ["C001", nil])
        #expect(summary.inserted == 2)
        let stored = try db.read { try StatementStore().statements($0, registrationId: "552100554") }
        #expect(stored.first?.amounts.equity == Money(cents: 1_000_000))
    }

    @Test("a document stating no figure (confidential accounts) is not stored: the earlier accounts stay the latest known")
    func noFiguresNotStored() throws {
        let db = try ledgerDatabase()
        _ = try importer(db).importStatements(paths: [try folder(["2024.xml": "552100554;2024-12-31;900"])])
        let summary = try importer(db).importStatements(paths: [try folder(["2025.xml": "552100554;2025-12-31;-"])])
        #expect(summary.entries.map(\.outcome) == ["no-figures"])
        #expect(summary.imported == 0 && summary.withoutFigures == 1)
        let rule = try Repository.model().financial
        let latest = try db.read {
            try StatementStore().latest($0, registrationId: "552100554", knownOn: Day(parsing: "2026-09-30")!, rule: rule)
        }
        #expect(latest?.periodEnd.iso == "2024-12-31")
    }

    @Test("re-importing the same documents changes nothing; several years of one company are kept")
    func idempotentAndYears() throws {
        let db = try ledgerDatabase()
        let input = try folder(["2024.xml": "552100554;2024-12-31;900", "2025.xml": "552100554;2025-12-31;1000"])
        _ = try importer(db).importStatements(paths: [input])
        let again = try importer(db).importStatements(paths: [input])
        #expect(again.unchanged == 2 && again.inserted == 0)
        let years = try db.read { try StatementStore().statements($0, registrationId: "552100554") }.map(\.periodEnd.iso)
        #expect(years == ["2025-12-31", "2024-12-31"])
        // On 2025-09-30 the 2024 accounts are published (2024-12-31 + 210 days), the 2025 ones not yet ended.
        let rule = try Repository.model().financial
        let latest = try db.read {
            try StatementStore().latest($0, registrationId: "552100554", knownOn: Day(parsing: "2025-09-30")!, rule: rule)
        }
        #expect(latest?.periodEnd.iso == "2024-12-31")
    }

    @Test("one bad document refuses the whole import and names the document, line and element")
    func allOrNothing() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000", "z.xml": "bad:17:liasse"])
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importStatements(paths: [input]) }
        #expect(error.problems.map(\.description) == ["z.xml line 17, column liasse: is not understood"])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 0)
    }

    @Test("a statement file whose name is not UTF-8 (a Latin-1 é) is refused by its name, shown with the byte escaped, not reported missing")
    func nameNotUTF8() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000"])
        // "café.xml" as Latin-1 bytes, which no String can hold.
        let path = Array(input.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".xml".utf8) + [0]
        let descriptor = path.withUnsafeBytes { bytes in
            bytes.bindMemory(to: CChar.self).baseAddress.map { open($0, O_CREAT | O_WRONLY, 0o644) } ?? -1
        }
        try #require(descriptor >= 0)
        close(descriptor)
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importStatements(paths: [input]) }
        #expect(error.problems.map(\.description) == ["\(input.path)/caf\\xE9.xml: has a name that is not UTF-8 text and cannot be read: rename it"])
        let summary = try importer(db).importStatements(paths: [input], skipInvalid: true)
        #expect(summary.entries.map(\.document) == ["a.xml"] && summary.refused.count == 1)
    }

    @Test("with skipInvalid the valid documents are stored together and each refused one is listed with its file, line and element")
    func skipInvalid() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000", "m.xml": "bad:17:liasse", "z.xml": "999999999;2025-12-31;5"])
        let missing = input.appendingPathComponent("gone.zip")
        let summary = try importer(db).importStatements(paths: [input, missing], skipInvalid: true)
        #expect(summary.imported == 2)
        #expect(summary.entries.map(\.document) == ["a.xml", "z.xml"])
        #expect(summary.refused.map(\.description) == ["\(missing.path): does not exist", "m.xml line 17, column liasse: is not understood"])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 2)
    }

    @Test("the same documents without skipInvalid are refused all together and nothing is stored")
    func withoutSkipInvalidNothingIsStored() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000", "m.xml": "bad:17:liasse", "z.xml": "999999999;2025-12-31;5"])
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importStatements(paths: [input]) }
        #expect(error.problems.map(\.file) == ["m.xml"])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 0)
    }

    @Test("a pipe or a device named like a statement is refused by its name, never read: a pipe would wait for ever, a device never end")
    func pipesAndDevicesRefused() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000"])
        #expect(mkfifo(input.appendingPathComponent("pipe.xml").path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("zero.xml").path, withDestinationPath: "/dev/zero")
        let summary = try importer(db).importStatements(paths: [input], skipInvalid: true)
        #expect(summary.entries.map(\.document) == ["a.xml"])
        #expect(
            summary.refused.map(\.description) == [
                "pipe.xml: is not a regular file (a pipe, a device or a socket): only files are read",
                "zero.xml: is not a regular file (a pipe, a device or a socket): only files are read",
            ])
        // Named directly, too.
        let error = try #require(throws: LedgerImportError.self) {
            try importer(db).importStatements(paths: [input.appendingPathComponent("pipe.xml")])
        }
        #expect(error.problems.map(\.file) == ["pipe.xml"])
    }

    @Test("a file over the size limit is listed among the documents that could not be collected, before those that do not read")
    func oversizedFilesFirst() throws {
        let db = try ledgerDatabase()
        let input = try folder([
            "a.xml": "552100554;2025-12-31;1000", "m.xml": "bad:17:liasse", "z.xml": "999999999;2025-12-31;" + String(repeating: "5", count: 40),
        ])
        let small = StatementImporter(database: db, decode: Self.decode, maximumDocumentBytes: 40, today: { Day(parsing: "2026-11-24")! })
        let summary = try small.importStatements(paths: [input], skipInvalid: true)
        #expect(summary.entries.map(\.document) == ["a.xml"])
        // z.xml is 9 + 1 + 10 + 1 + 40 = 61 bytes.
        #expect(
            summary.refused.map(\.description) == [
                "z.xml: is 61 bytes, over the 40-byte limit for one statement document", "m.xml line 17, column liasse: is not understood",
            ])
    }

    @Test("documents in one import for the same company and year: the later one is compared with the earlier, as across imports")
    func sameYearTwiceInOneImport() throws {
        let db = try ledgerDatabase()
        let same = try importer(db).importStatements(
            paths: [try folder(["a.xml": "552100554;2025-12-31;1000", "b.xml": "552100554;2025-12-31;1000"])])
        #expect(same.entries.map(\.outcome) == ["inserted", "unchanged"])
        let corrected = try importer(db).importStatements(
            paths: [try folder(["a.xml": "552100554;2024-12-31;700", "b.xml": "552100554;2024-12-31;800"])])
        #expect(corrected.entries.map(\.outcome) == ["inserted", "updated"])
        let stored = try db.read { try StatementStore().statements($0, registrationId: "552100554") }
        #expect(stored.map(\.amounts.equity) == [Money(cents: 1000), Money(cents: 800)])
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 2)
    }

    @Test("of two documents in one import for the same company and year, the one stating more figures is kept, whatever their names")
    func richerDocumentKept() throws {
        for (richer, poorer) in [("a.xml", "b.xml"), ("b.xml", "a.xml")] {
            let db = try ledgerDatabase()
            let summary = try importer(db).importStatements(
                paths: [try folder([richer: "552100554;2024-12-31;900;5000", poorer: "552100554;2024-12-31;800"])])
            #expect(summary.entries.map(\.document) == [poorer, richer])
            #expect(summary.entries.map(\.outcome) == ["inserted", "updated"])
            let stored = try db.read { try StatementStore().statements($0, registrationId: "552100554") }
            #expect(stored.map(\.amounts.equity) == [Money(cents: 900)])
            #expect(stored.map(\.amounts.revenue) == [Money(cents: 5000)])
        }
    }

    @Test("a statement file that cannot be read stops the import with the system's reason, and nothing is stored")
    func unreadableFile() throws {
        let db = try ledgerDatabase()
        let input = try folder(["a.xml": "552100554;2025-12-31;1000"])
        // A regular file whose reads fail (EIO), even for root: the process's own memory from address 0.
        let unreadable = URL(fileURLWithPath: "/proc/self/mem")
        let error = try #require(throws: (any Error).self) { try importer(db).importStatements(paths: [input, unreadable]) }
        #expect(!(error is LedgerImportError))
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 0)
    }

    @Test("xml entries of a zip archive are read, other entries ignored, oversized entries refused")
    func zipArchives() throws {
        let db = try ledgerDatabase()
        let url = try Self.zip([("one.xml", "552100554;2025-12-31;1000"), ("readme.txt", "not a statement")])
        let summary = try importer(db).importStatements(paths: [url])
        #expect(summary.entries.map(\.document) == [url.lastPathComponent + ":one.xml"])

        let small = StatementImporter(database: db, decode: Self.decode, maximumDocumentBytes: 10, today: { Day(parsing: "2026-11-24")! })
        let error = try #require(throws: LedgerImportError.self) { try small.importStatements(paths: [url]) }
        #expect(error.problems.first?.message.contains("over the 10-byte limit") == true)
    }
}

extension StatementImportTests {
    /// A zip archive in the temporary folder holding `entries` (name, text), stored uncompressed.
    static func zip(_ entries: [(String, String)]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inpi-\(UUID().uuidString).zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (name, text) in entries {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    @Test("a damaged entry of a zip archive is that document's problem: named, the others read and, with skipInvalid, stored")
    func damagedZipEntry() throws {
        let url = try Self.zip([("a.xml", "552100554;2024-12-31;1000"), ("b.xml", "552100554;2025-12-31;2000")])
        // a.xml's stored bytes changed after the archive was written: its checksum no longer matches.
        var bytes = try Data(contentsOf: url)
        let at = try #require(bytes.range(of: Data("2024-12-31".utf8)))
        bytes.replaceSubrange(at, with: Data("2023-12-31".utf8))
        try bytes.write(to: url)

        let refused = try #require(throws: LedgerImportError.self) { try importer(try ledgerDatabase()).importStatements(paths: [url]) }
        #expect(refused.problems.map(\.file) == [url.lastPathComponent + ":a.xml"])
        #expect(refused.problems.first?.message.hasPrefix("is damaged in the archive") == true, "\(refused.problems)")

        let db = try ledgerDatabase()
        let summary = try importer(db).importStatements(paths: [url], skipInvalid: true)
        #expect(summary.entries.map(\.document) == [url.lastPathComponent + ":b.xml"])
        #expect(summary.refused.map(\.file) == [url.lastPathComponent + ":a.xml"])
    }

    @Test("an archive whose directory points past its end is refused as damaged, not imported as an archive of nothing")
    func archivePointingPastItsEnd() throws {
        let url = try Self.zip([("a.xml", "552100554;2024-12-31;1000")])
        var bytes = try Data(contentsOf: url)
        let end = try #require(bytes.lastRange(of: Data([0x50, 0x4B, 0x05, 0x06]))).lowerBound
        bytes[end + 17] = bytes[end + 17] &+ 4  // the directory's offset, 1 024 bytes further on
        try bytes.write(to: url)
        let refused = try #require(throws: LedgerImportError.self) { try importer(try ledgerDatabase()).importStatements(paths: [url]) }
        #expect(refused.problems.map(\.file) == [url.lastPathComponent])
        #expect(refused.problems.first?.message.contains("central directory") == true, "\(refused.problems)")
    }
}

@Suite("Statement import with the XML reader")
struct StatementImportWithReaderTests {
    func importer(_ db: any DatabaseWriter) throws -> StatementImporter {
        StatementImporter(
            database: db,
            decode: try StatementReading.decoder(mappingsPath: Repository.path("Models/statement-mappings").path),
            today: { Day(parsing: "2026-11-24")! })
    }

    @Test("a company's complete and simplified INPI accounts for one year, in one import: the complete ones are kept (SIREN 397983800, 2018)")
    func completeAccountsKept() throws {
        let db = try CreditDatabase.inMemory()
        let folder = "Fixtures/real-filings/inpi/"
        let complete = "PUB_CA_397983800_1001_1994B00281_2018_612-1.donnees.xml"  // code_type_bilan C, sorts first
        let simplified = "PUB_CA_397983800_1001_1994B00281_2018_612.donnees.xml"  // S, the same year end
        let summary = try importer(db).importStatements(paths: [Repository.path(folder + complete), Repository.path(folder + simplified)])
        #expect(summary.entries.map(\.document) == [simplified, complete])
        let stored = try #require(try db.read { try StatementStore().statements($0, registrationId: "397983800") }.first)
        let completeRead = try StatementReading.decoder(mappingsPath: Repository.path("Models/statement-mappings").path)(
            try Data(contentsOf: Repository.path(folder + complete)), complete)
        #expect(stored.amounts == completeRead.first?.statement.amounts)
        #expect(stored.amounts.knownCount > 0)
    }

    @Test("accounts filed confidential (the identity block alone) are listed as without figures and not stored (SARL BERSON, 2018)")
    func confidentialAccountsNotStored() throws {
        let db = try CreditDatabase.inMemory()
        let confidential = "PUB_CA_068200351_7901_1983B50072_2018_800.donnees.xml"  // code_confidentialite 1, no detail
        let summary = try importer(db).importStatements(paths: [Repository.path("Fixtures/real-filings/inpi/" + confidential)])
        #expect(summary.entries.map(\.outcome) == ["no-figures"])
        #expect(summary.entries.first?.registrationId == "068200351")
        #expect(summary.imported == 0 && summary.withoutFigures == 1)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 0)
    }

    @Test("the hand-made INPI and XBRL documents import, and a second import changes nothing")
    func goodDocuments() throws {
        let db = try CreditDatabase.inMemory()
        let paths = [Repository.path("Fixtures/statements/inpi"), Repository.path("Fixtures/statements/xbrl")]
        let first = try importer(db).importStatements(paths: paths)
        #expect(first.inserted == first.entries.count && first.entries.count >= 5)
        #expect(Set(first.entries.map(\.format)) == ["inpi-bilans-saisis", "xbrl"])
        let second = try importer(db).importStatements(paths: paths)
        #expect(second.unchanged == second.entries.count)
    }

    @Test("every hostile document is refused with its own problem and nothing is stored")
    func hostileDocuments() throws {
        let db = try CreditDatabase.inMemory()
        let hostile = Repository.path("Fixtures/statements/hostile")
        let files = try FileManager.default.contentsOfDirectory(atPath: hostile.path).filter { $0.hasSuffix(".xml") }
        // A good document alongside must not be stored either.
        let error = try #require(throws: LedgerImportError.self) {
            try importer(db).importStatements(paths: [Repository.path("Fixtures/statements/inpi/complet-2023.xml"), hostile])
        }
        #expect(error.totalCount == files.count)
        #expect(Set(error.problems.map(\.file)) == Set(files))
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 0)
    }

    @Test("skipping invalid documents stores the good ones and lists every hostile or inconsistent one with its reason")
    func skipInvalidWithTheReader() throws {
        let db = try CreditDatabase.inMemory()
        let hostile = Repository.path("Fixtures/statements/hostile")
        let files = try FileManager.default.contentsOfDirectory(atPath: hostile.path).filter { $0.hasSuffix(".xml") }
        let inconsistent = "PUB_CA_802020909_7501_2014B10447_2016_7330.donnees.xml"  // total assets 100 times the liabilities side
        let summary = try importer(db).importStatements(
            paths: [
                Repository.path("Fixtures/statements/inpi/complet-2023.xml"), hostile,
                Repository.path("Fixtures/real-filings/inpi/\(inconsistent)"),
            ], skipInvalid: true)
        #expect(summary.imported == 1)
        #expect(summary.entries.map(\.document) == ["complet-2023.xml"])
        #expect(Set(summary.refused.map(\.file)) == Set(files + [inconsistent]))
        let refusedTotals = try #require(summary.refused.first { $0.file == inconsistent })
        #expect(refusedTotals.line == 28)
        #expect(refusedTotals.column?.hasPrefix("liasse CO m3") == true)
        #expect(refusedTotals.message.contains("783 118 502"))
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") } == 1)
    }

    @Test("a statement's prior year is stored with it and read back as the document restates it")
    func priorYearStored() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importStatements(paths: [Repository.path("Fixtures/real-filings/inpi/libinpibilan-test-950058644-20200331.donnees.xml")])
        let stored = try #require(try db.read { try StatementStore().statements($0, registrationId: "950058644") }.first)
        #expect(stored.priorYear?.revenue == Money(cents: 22_476_337_00))  // FJ m4
        #expect(stored.amounts.financialExpenses == Money(cents: 106_810_00))  // GR m3
    }
}
