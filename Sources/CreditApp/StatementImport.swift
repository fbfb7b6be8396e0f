import CreditCore
import CreditStore
import Dispatch
import Foundation
import GRDB
import LedgerReader
import ZIPFoundation

/// A statement as a reader returns it, with the name of the format it was read from.
public struct ReadStatement: Sendable {
    public var statement: FinancialStatement
    public var format: String

    public init(statement: FinancialStatement, format: String) {
        self.statement = statement
        self.format = format
    }
}

/// Turns one XML document into statements; the libxml2 reader in production, anything in tests.
public typealias StatementDecoding = @Sendable (_ data: Data, _ name: String) throws -> [ReadStatement]

/// What a statement import did.
public struct StatementImportSummary: Sendable, Codable, Hashable {
    public struct Entry: Sendable, Codable, Hashable {
        public var document: String
        public var registrationId: String
        public var periodEnd: Day
        public var format: String
        /// The customer the statement belongs to, nil for a prospect (kept for account opening).
        public var customerId: String?
        public var outcome: String
    }

    /// The statements stored, one per statement read (an INPI file may hold several).
    public var entries: [Entry]
    /// What went wrong after the statements were stored (the disk filled up).
    public var warnings: [String] = []
    /// The documents left out when invalid ones are skipped, each with why (file, line,
    /// element); empty in an all-or-nothing import, which refuses instead.
    public var refused: [LocatedProblem] = []
    /// Statements stored: new, updated or unchanged (not those without a figure).
    public var imported: Int { entries.count - withoutFigures }
    /// Statements that state no figure at all (confidential accounts, an empty `detail`): not
    /// stored, so they cannot hide the company's earlier accounts.
    public var withoutFigures: Int { entries.filter { $0.outcome == Self.noFigures }.count }
    public static let noFigures = "no-figures"
    public var inserted: Int { entries.filter { $0.outcome == "inserted" }.count }
    public var updated: Int { entries.filter { $0.outcome == "updated" }.count }
    public var unchanged: Int { entries.filter { $0.outcome == "unchanged" }.count }

    private enum Counts: String, CodingKey { case imported, inserted, updated, unchanged, withoutFigures }

    /// The stored properties, then the counts a caller would otherwise work out from `entries`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(refused, forKey: .refused)
        var counts = encoder.container(keyedBy: Counts.self)
        try counts.encode(imported, forKey: .imported)
        try counts.encode(inserted, forKey: .inserted)
        try counts.encode(updated, forKey: .updated)
        try counts.encode(unchanged, forKey: .unchanged)
        try counts.encode(withoutFigures, forKey: .withoutFigures)
    }
}

/// Imports financial statements from files, folders and zip archives (as INPI ships them). Every
/// document is read first. By default the import is all or nothing: one bad document refuses the
/// lot and stores nothing. With `skipInvalid`, the good documents are stored and each bad one is
/// listed with its reason; either way what is stored is stored in one transaction, and a document
/// is never stored in part (one bad `bilan` leaves out its whole file).
public struct StatementImporter: Sendable {
    public let database: any DatabaseWriter
    public let decode: StatementDecoding
    public let maximumDocumentBytes: Int
    public let today: @Sendable () -> Day

    public init(
        database: any DatabaseWriter, decode: @escaping StatementDecoding, maximumDocumentBytes: Int = 20 << 20,
        today: @escaping @Sendable () -> Day
    ) {
        self.database = database
        self.decode = decode
        self.maximumDocumentBytes = maximumDocumentBytes
        self.today = today
    }

    public func importStatements(
        paths: [URL], skipInvalid: Bool = false, progress: ImportProgress? = nil
    ) throws
        -> StatementImportSummary
    {
        let read = try Self.read(
            paths: paths, decode: decode, maximumDocumentBytes: maximumDocumentBytes, skipInvalid: skipInvalid, progress: progress)
        return try store(read)
    }

    /// A statement read, with the document it came from and the document's SHA-256.
    typealias ReadItem = (document: String, sha: String, statement: ReadStatement)

    /// The documents read, before anything is stored: what the database is needed for comes after.
    public struct ReadDocuments: Sendable {
        fileprivate var statements: [ReadItem]
        fileprivate var log: ProblemLog
    }

    /// Lists and reads the documents (no database needed: a command line can open its database
    /// meanwhile). Throws when a file cannot be read, or, unless `skipInvalid`, when a document
    /// is refused.
    public static func read(
        paths: [URL], decode: @escaping StatementDecoding, maximumDocumentBytes: Int = 20 << 20, skipInvalid: Bool = false,
        progress: ImportProgress? = nil
    ) throws -> ReadDocuments {
        // Skipping reports every refused document; refusing the lot reports the first fifty.
        var log = skipInvalid ? ProblemLog(limit: .max) : ProblemLog()
        let documents = try StatementDocuments.collect(paths, maximumBytes: maximumDocumentBytes, log: &log)
        progress?("statements", 0)
        // Documents are independent and the reader is thread-safe: load and read them on every core.
        let outcomes = IndexedResults<DocumentOutcome>(count: documents.count)
        let maximumBytes = maximumDocumentBytes
        DispatchQueue.concurrentPerform(iterations: documents.count) { index in
            let document = documents[index]
            let data: Data
            do {
                switch try document.contents(maximumBytes: maximumBytes) {
                case .contents(let contents): data = contents
                case .tooLarge(let size):
                    // Listed without its size (a regular file of a folder), or grown past the limit since.
                    return outcomes.set(index, .oversized(StatementDocuments.tooLarge(document.name, size, maximumBytes)))
                case .notAFile:
                    return outcomes.set(
                        index,
                        .refused(
                            LocatedProblem(file: document.name, message: DocumentFile.notAFileMessage)))
                }
            } catch {
                return outcomes.set(index, .unreadable(error))
            }
            do {
                let sha = FileDigest.sha256(of: data)
                outcomes.set(index, .read(try decode(data, document.name).map { (document.name, sha, $0) }))
            } catch let error as LocatedError {
                outcomes.set(index, .refused(error.problem(file: document.name)))
            } catch {
                outcomes.set(index, .refused(LocatedProblem(file: document.name, message: "\(error)")))
            }
        }
        let results = outcomes.take()
        // A file that cannot be read stops the import, as it did when files were read one by one.
        for case .unreadable(let error) in results { throw error }
        var read: [ReadItem] = []
        read.reserveCapacity(results.count)
        // Documents too large to be read are named first, as those refused when they are listed.
        for case .oversized(let problem) in results { log.record(problem) }
        for outcome in results {
            switch outcome {
            case .read(let statements): read += statements
            case .refused(let problem): log.record(problem)
            case .unreadable, .oversized: break
            }
        }
        progress?("statements", documents.count)
        guard log.isEmpty || skipInvalid else { throw log.error }
        return ReadDocuments(statements: Self.richerLast(read), log: log)
    }

    /// The statements in the order they are stored, the last of a company's year replacing the
    /// others: documents in name order, except that where two describe the same company, year end
    /// and scope (a complete and a simplified filing of the same accounts, as the INPI bulk feed
    /// holds), the one stating more figures goes last and is kept, whatever the files are called.
    static func richerLast(_ read: [ReadItem]) -> [ReadItem] {
        struct Key: Hashable {
            var registrationId: String
            var periodEnd: Day
            var consolidated: Bool
        }
        func key(_ statement: FinancialStatement) -> Key {
            Key(registrationId: statement.company.registrationId, periodEnd: statement.periodEnd, consolidated: statement.consolidated)
        }
        var places: [Key: [Int]] = [:]
        for (index, item) in read.enumerated() { places[key(item.statement.statement), default: []].append(index) }
        // A stable sort on the figures stated, among the statements of one key only: each key's
        // statements keep the places they had, filled in the new order.
        var ordered = read
        for (_, indexes) in places where indexes.count > 1 {
            let sorted = indexes.enumerated()
                .sorted { a, b in
                    let countA = read[a.element].statement.statement.amounts.knownCount
                    let countB = read[b.element].statement.statement.amounts.knownCount
                    return countA != countB ? countA < countB : a.offset < b.offset
                }
                .map(\.element)
            for (place, source) in zip(indexes, sorted) { ordered[place] = read[source] }
        }
        return ordered
    }

    /// Stores documents read by `read`, in one transaction.
    public func store(_ read: ReadDocuments) throws -> StatementImportSummary {
        let day = today()
        let storage = StorageGuard(databasePath: database.path)
        // A stored statement is two rows (its year and the prior year): a few kilobytes each is room enough.
        try storage.checkRoom(forInputBytes: Int64(read.statements.count) * 8192, operation: "the statement import")
        var summary = try storage.refusingStorageErrors(operation: "the statement import") { try store(read.statements, on: day) }
        summary.refused = read.log.problems
        summary.warnings = database.writeWithoutTransaction { db -> [String] in storage.warningsAfterCommit(db) }
        return summary
    }

    private func store(_ read: [ReadItem], on day: Day) throws -> StatementImportSummary {
        try database.write { db in
            let statements = try StatementStore().saver(db)
            var entries: [StatementImportSummary.Entry] = []
            entries.reserveCapacity(read.count)
            for (document, sha, item) in read {
                // Accounts filed confidential (identity only) or a document with an empty detail
                // state no figure: stored, they would stand as the company's latest accounts and
                // hide the earlier ones from scoring.
                let figures = item.statement.amounts.knownCount > 0
                let outcome =
                    figures
                    ? Self.word(
                        try statements.save(
                            item.statement, source: StatementSource(format: item.format, fileName: document, sha256: sha, importedOn: day)))
                    : StatementImportSummary.noFigures
                let customer = try statements.customer(registrationId: item.statement.company.registrationId)
                entries.append(
                    .init(
                        document: document, registrationId: item.statement.company.registrationId,
                        periodEnd: item.statement.periodEnd, format: item.format, customerId: customer, outcome: outcome))
            }
            return StatementImportSummary(entries: entries)
        }
    }

    /// How an entry names its outcome (`"\(outcome)"` without the reflection that costs).
    private static func word(_ outcome: RowOutcome) -> String {
        switch outcome {
        case .inserted: "inserted"
        case .updated: "updated"
        case .unchanged: "unchanged"
        }
    }
}

/// What became of one document: its statements, why it was refused, or why it could not be read.
private enum DocumentOutcome {
    case read([(String, String, ReadStatement)])
    case refused(LocatedProblem)
    /// Too large to be read: nothing of it was read.
    case oversized(LocatedProblem)
    /// The error reading the file threw (Foundation's or the system's), as it was.
    case unreadable(any Error)
}

/// An error that knows where in a document it happened; the statement reader's errors conform.
public protocol LocatedError: Error {
    func problem(file: String) -> LocatedProblem
}

/// The XML documents named by the user: files, the `.xml` files of folders (recursively), and
/// the `.xml` entries of zip archives, in a stable order.
enum StatementDocuments {
    struct Document: Sendable {
        var name: String
        var source: Source

        /// A zip entry is extracted when listed; a file (its path) is read when its turn comes, on any core.
        enum Source: Sendable {
            case data(Data)
            case file(String)
        }

        init(name: String, data: Data) {
            self.name = name
            source = .data(data)
        }

        init(name: String, file: String) {
            self.name = name
            source = .file(file)
        }

        /// The document's bytes; `tooLarge` only for a file that grew past the limit since it was listed.
        func contents(maximumBytes: Int) throws -> DocumentFile.Contents {
            switch source {
            case .data(let data): .contents(data)
            case .file(let path): try DocumentFile.contents(of: path, maximumBytes: maximumBytes)
            }
        }
    }

    static func collect(_ paths: [URL], maximumBytes: Int, log: inout ProblemLog) throws -> [Document] {
        var visited: Set<String> = []
        return try collect(paths: paths.map(\.path), maximumBytes: maximumBytes, log: &log, visited: &visited)
    }

    /// The documents of files and folders given as paths: a folder's `.xml` and `.zip` files at
    /// any depth, in path order. Paths are handled as text (a URL per file cost more than the
    /// listing on a folder of ten thousand statements).
    /// `visited`: the folders read so far, by their real path: a symbolic link that leads back
    /// to a folder already read (a loop) is not read again.
    private static func collect(
        paths: [String], maximumBytes: Int, log: inout ProblemLog, visited: inout Set<String>
    ) throws -> [Document] {
        var documents: [Document] = []
        // A folder's files are looked at on every core: one `stat` each is most of listing them.
        let statuses = IndexedResults<(isFolder: Bool, size: Int)?>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { statuses.set($0, DocumentFile.status(of: paths[$0])) }
        for (path, status) in zip(paths, statuses.take()) {
            guard let status else {
                log.record(LocatedProblem(file: path, message: "does not exist"))
                continue
            }
            let name = Self.lastComponent(of: path)
            if status.isFolder {
                guard visited.insert(DocumentFile.realPath(of: path) ?? path).inserted else { continue }
                let listed = DocumentFile.files(under: path)
                for name in listed.misnamed where Self.isDocument(name) {
                    log.record(LocatedProblem(file: name, message: "has a name that is not UTF-8 text and cannot be read: rename it"))
                }
                // A regular file the listing names is a document as it stands: no `stat` of its own
                // (its size is checked when it is read); a link is looked at like a path given.
                var others: [String] = []
                func flushOthers() throws {
                    documents += try collect(paths: others, maximumBytes: maximumBytes, log: &log, visited: &visited)
                    others = []
                }
                for file in listed.files.filter(Self.isDocument).sorted() {
                    if listed.regular.contains(file), Self.pathExtension(of: file) == "xml" {
                        try flushOthers()
                        documents.append(Document(name: Self.lastComponent(of: file), file: file))
                    } else {
                        others.append(file)
                    }
                }
                try flushOthers()
            } else if Self.pathExtension(of: path) == "zip" {
                documents += try zipEntries(URL(fileURLWithPath: path), maximumBytes: maximumBytes, log: &log)
            } else {
                guard status.size <= maximumBytes else {
                    log.record(tooLarge(name, status.size, maximumBytes))
                    continue
                }
                documents.append(Document(name: name, file: path))
            }
        }
        return documents
    }

    /// What follows the last `/` (trailing ones aside), as `URL.lastPathComponent` says. Read
    /// on the UTF-8 bytes: `Character` comparisons cost more than the listing on ten thousand paths.
    static func lastComponent(of path: String) -> String {
        let bytes = Array(path.utf8)
        var end = bytes.count
        while end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
        return start == end ? String(decoding: bytes[..<end], as: UTF8.self) : String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Whether a file in a folder is read as a document: an `.xml` statement or a `.zip` of them.
    static func isDocument(_ path: String) -> Bool { ["xml", "zip"].contains(pathExtension(of: path)) }

    /// The name's extension after its last dot, lowercased (empty without one, or for a name that only starts with a dot).
    static func pathExtension(of path: String) -> String {
        let name = Array(lastComponent(of: path).utf8)
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return "" }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }

    static func zipEntries(_ url: URL, maximumBytes: Int, log: inout ProblemLog) throws -> [Document] {
        let archive: Archive
        do {
            // Mapped, not read: only the end record, the directory and the local headers are touched.
            if let problem = ZipLayout.problem(in: try Data(contentsOf: url, options: .alwaysMapped)) {
                log.record(LocatedProblem(file: url.lastPathComponent, message: problem))
                return []
            }
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            log.record(LocatedProblem(file: url.lastPathComponent, message: "is not a readable zip archive"))
            return []
        }
        var documents: [Document] = []
        for entry in archive where entry.type == .file && entry.path.lowercased().hasSuffix(".xml") {
            let name = url.lastPathComponent + ":" + entry.path
            // The declared size is checked first, and extraction stops past the limit anyway:
            // a zip bomb cannot make the import read more than the limit.
            guard entry.uncompressedSize <= UInt64(maximumBytes) else {
                log.record(tooLarge(name, Int(clamping: entry.uncompressedSize), maximumBytes))
                continue
            }
            var data = Data()
            var exceeded = false
            // A damaged entry is that document's problem: the others are read (and stored with
            // skipInvalid), as a document that does not parse would be.
            do {
                try archive.extractChecked(entry) { chunk in
                    if data.count + chunk.count > maximumBytes { exceeded = true } else { data.append(chunk) }
                }
            } catch let damaged as DamagedZipEntry {
                log.record(LocatedProblem(file: name, message: damaged.message))
                continue
            }
            if exceeded {
                log.record(tooLarge(name, data.count, maximumBytes))
                continue
            }
            documents.append(Document(name: name, data: data))
        }
        return documents.sorted { $0.name < $1.name }
    }

    static func tooLarge(_ name: String, _ size: Int, _ limit: Int) -> LocatedProblem {
        LocatedProblem(file: name, message: "is \(size) bytes, over the \(limit)-byte limit for one statement document")
    }
}
