import CreditCore
import CreditStore
import Foundation
import GRDB

/// The database could not be written: the disk is full, the file is read-only, another process
/// holds the writer, or the storage failed. Raised by long writes (imports) in place of SQLite's
/// error, so the CLI and the API both say plainly what happened and that nothing was stored.
public struct StorageFailure: RefusedRequest, Sendable {
    public enum Cause: String, Sendable {
        case diskFull = "the disk is full"
        case notEnoughSpace = "there is not enough free disk space"
        case readOnly = "the database is read-only"
        case busy = "another process is writing to the database"
        case failed = "the storage failed"
    }

    public var cause: Cause
    /// What was being done ("the ledger import").
    public var operation: String
    /// Extra words after the cause (how much space is needed).
    public var detail: String?

    /// What was stored before the failure, when something was (an import whose re-scoring then
    /// failed); nil when nothing was.
    public var stored: String?

    /// Busy storage clears by itself (`database-busy`, try again in seconds); a full, read-only
    /// or failing one needs someone to fix it first (`storage-unavailable`).
    public var refusal: Refusal {
        Refusal(
            .unavailable,
            "\(operation) failed: \(cause.rawValue)\(detail.map { " (\($0))" } ?? ""); \(stored ?? "nothing was stored")"
                + (cause == .busy ? "; try again when it is done" : "; free space or fix the storage, then run it again"),
            code: cause == .busy ? "database-busy" : "storage-unavailable", retryAfterSeconds: cause == .busy ? 2 : 60)
    }
    public var description: String { refusal.description }

    /// The failure an SQLite error stands for, or nil for an error that is not about storage.
    public init?(_ error: any Error, operation: String) {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: cause = .diskFull
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN: cause = .readOnly
        case .SQLITE_BUSY, .SQLITE_LOCKED: cause = .busy
        case .SQLITE_IOERR: cause = .failed
        default: return nil
        }
        self.operation = operation
    }

    init(cause: Cause, operation: String, detail: String?) {
        self.cause = cause
        self.operation = operation
        self.detail = detail
    }
}

extension Refusal {
    /// The refusal an error thrown by a use case stands for, as both adapters report it: a
    /// refusal, or a storage failure that escaped a use case (SQLite's full disk, read-only file or
    /// busy lock) while doing `operation`; nil for anything else, which is a defect to log.
    public init?(_ error: any Error, operation: String = "the request") {
        if let refused = error as? any RefusedRequest {
            self = refused.refusal
        } else if let failure = StorageFailure(error, operation: operation) {
            self = failure.refusal
        } else if let damaged = Self.damagedRow(error, operation: operation) {
            self = damaged
        } else {
            return nil
        }
    }

    /// Decodes JSON the service wrote itself: a failure means the row was damaged since (cut
    /// short, edited by hand), and is said so, naming the row, instead of as Foundation's bare
    /// "The given data was not valid JSON".
    static func decodingStored<Value: Decodable>(_ type: Value.Type, from data: Data, row: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            let cause: String
            switch error {
            case .dataCorrupted: cause = "it is not valid JSON"
            case .keyNotFound(let key, _): cause = "it has no \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                cause = "its \(context.codingPath.map(\.stringValue).joined(separator: ".")) is not what it should be"
            @unknown default: cause = "it does not decode"
            }
            throw Refusal(
                .unavailable,
                "a stored row is damaged: the stored \(row) does not decode (\(cause)); correct or delete that row "
                    + "(or restore a backup), then run it again", code: "damaged-row", retryAfterSeconds: 60)
        }
    }

    /// A stored value the code cannot read (a date that is no day, text in an amount, a NULL
    /// where none may be) or amounts whose SQL sum overflows: rows left by a hand edit, an older
    /// version or a disk fault. Said as such, with the column and the row, without the query;
    /// someone must correct the row (or restore a backup) before the same request can succeed.
    static func damagedRow(_ error: any Error, operation: String) -> Refusal? {
        let found: String
        if error is RowDecodingError || error is DamagedValue {
            let text = "\(error)"
            let head = text.range(of: " - ").map { String(text[..<$0.lowerBound]) } ?? text
            var located = [head.truncatedForMessage(200)]
            if let column = text.firstMatch(of: /column: ("[^"]*")/)?.output.1 { located.append("column \(column)") }
            // The row's columns that have a plain name (those named by an SQL expression would
            // quote the query): `id:"BAD-1" due_date:"garbage"`.
            if let row = text.firstMatch(of: /row: \[(.*?)\](?:, sql: |, arguments: |$)/.dotMatchesNewlines())?.output.1 {
                let columns = row.matches(of: /([A-Za-z_][A-Za-z0-9_]*):("(?:[^"\\]|\\.)*"|[^\s\]"]+)/).map { "\($0.output.1):\($0.output.2)" }
                located.append("row [\(columns.joined(separator: " ").truncatedForMessage(300))]")
            }
            found = located.joined(separator: ", ")
        } else if let error = error as? DatabaseError, error.resultCode == .SQLITE_ERROR, error.message == "integer overflow" {
            found = "stored amounts add up past what SQLite's integers hold, so one of them is far beyond any real amount"
        } else {
            return nil
        }
        return Refusal(
            .unavailable,
            "\(operation) failed: a stored row is damaged: \(found); correct or delete that row (or restore a backup), then run it again",
            code: "damaged-row", retryAfterSeconds: 60)
    }
}

/// Keeps a long write from running out of disk half way, and says when the disk filled up right
/// after it: SQLite refuses cleanly (a transaction that cannot be written rolls back), but an
/// import that dies of a full disk after minutes of work, or one that commits into the WAL and
/// then cannot be checkpointed, deserves a plain word before and after.
public struct StorageGuard: Sendable {
    /// Below this much free space, monitoring and imports say the disk is nearly full.
    public static let minimumFreeBytes: Int64 = 64 << 20

    /// The database file (":memory:" or empty for an in-memory database, which is never checked).
    public let databasePath: String

    public init(databasePath: String) { self.databasePath = databasePath }

    /// Free bytes on the database's volume; nil for an in-memory database or an unknown volume.
    public func freeBytes() -> Int64? {
        guard !databasePath.isEmpty, databasePath != ":memory:" else { return nil }
        let folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        guard let free = try? folder.resourceValues(forKeys: [.volumeAvailableCapacityKey]).volumeAvailableCapacity else {
            return nil
        }
        return Int64(free)
    }

    /// Refuses, before anything is written, an import of `inputBytes` the disk cannot hold:
    /// the WAL takes about the size of the data written, and the checkpoint as much again in
    /// the database file, so three times the input plus the safety margin are asked for.
    public func checkRoom(forInputBytes inputBytes: Int64, operation: String) throws {
        guard let free = freeBytes() else { return }
        let needed = inputBytes.multipliedReportingOverflow(by: 3).partialValue.addingReportingOverflow(Self.minimumFreeBytes)
            .partialValue
        guard free >= needed else {
            throw StorageFailure(
                cause: .notEnoughSpace, operation: operation,
                detail: "about \(Self.mebibytes(needed)) are needed, \(Self.mebibytes(free)) are free")
        }
    }

    /// Runs `body` (a whole import) and turns SQLite's storage errors into a `StorageFailure`.
    public func refusingStorageErrors<T>(operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            if let failure = StorageFailure(error, operation: operation) { throw failure }
            throw error
        }
    }

    /// Right after a commit: copies the WAL into the database file and reports, as warnings for
    /// the caller to show, a checkpoint that failed for lack of space (the data is committed and
    /// safe in the WAL, but later writes will fail) or a disk left nearly full.
    func warningsAfterCommit(_ db: Database) -> [String] {
        var warnings: [String] = []
        do {
            _ = try db.checkpoint(.passive)
        } catch {
            let cause = StorageFailure(error, operation: "")?.cause.rawValue ?? "\(error)"
            warnings.append(
                "the import is stored, but the database could not be checkpointed: \(cause); "
                    + "later writes will fail until space is freed next to the database")
        }
        if let free = freeBytes(), free < Self.minimumFreeBytes {
            warnings.append("the disk is nearly full (\(Self.mebibytes(free)) free): later writes may fail")
        }
        return warnings
    }

    /// The total size of regular files at `urls` (folders searched recursively).
    public static func size(of urls: [URL]) -> Int64 {
        var total: Int64 = 0
        for url in urls {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey])
                while let file = files?.nextObject() as? URL {
                    total += Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
                }
            } else {
                total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
            }
        }
        return total
    }

    static func mebibytes(_ bytes: Int64) -> String { "\(max(0, bytes) >> 20) MiB" }
}

/// What stops the database from being written, as its files and their disk tell: what `/health`
/// reports. Read off the files rather than by a probe write, which would queue behind an import
/// and make monitoring wait for it.
public struct StorageHealth: Sendable, Hashable {
    /// "ok", "read-only" or "disk nearly full (N MiB free)".
    public var state: String
    public var isWritable: Bool { state == "ok" }

    public static func of(databasePath path: String) -> StorageHealth {
        guard path != ":memory:", !path.isEmpty, FileManager.default.fileExists(atPath: path) else { return StorageHealth(state: "ok") }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        // A read-only mount stops root too, whose file permissions are never in the way.
        var volume = statvfs()
        if statvfs(folder, &volume) == 0, volume.f_flag & UInt(ST_RDONLY) != 0 { return StorageHealth(state: "read-only") }
        guard FileManager.default.isWritableFile(atPath: path), FileManager.default.isWritableFile(atPath: folder) else {
            return StorageHealth(state: "read-only")
        }
        if let free = StorageGuard(databasePath: path).freeBytes(), free < StorageGuard.minimumFreeBytes {
            return StorageHealth(state: "disk nearly full (\(free >> 20) MiB free)")
        }
        return StorageHealth(state: "ok")
    }
}
