import GRDB

/// One imported file, as the import log keeps it: enough to tell later what came in, from
/// which exact file (by SHA-256), and what it changed.
public struct ImportLogEntry: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "import_log"

    public var id: Int64?
    public var kind: String
    public var fileName: String
    public var sha256: String
    public var rowsRead: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    /// ISO 8601 timestamp, UTC.
    public var importedAt: String

    public init(
        id: Int64? = nil, kind: String, fileName: String, sha256: String, rowsRead: Int, inserted: Int, updated: Int,
        unchanged: Int, importedAt: String
    ) {
        self.id = id
        self.kind = kind
        self.fileName = fileName
        self.sha256 = sha256
        self.rowsRead = rowsRead
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.importedAt = importedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, sha256, inserted, updated, unchanged
        case fileName = "file_name"
        case rowsRead = "rows_read"
        case importedAt = "imported_at"
    }
}
