import CreditCore
import CreditStore
import GRDB

/// The portfolio summary use case, shared by the CLI and (later) the HTTP API.
public struct PortfolioReport: Sendable {
    public let database: any DatabaseReader

    public init(database: any DatabaseReader) {
        self.database = database
    }

    /// The summary as of `day`, or as of the ledger's latest date when `day` is nil, so that a
    /// demo or an old export is read as of its own date rather than as of today.
    public func summary(asOf day: Day?) throws -> PortfolioSummary {
        try database.read { db in
            let queries = LedgerQueries()
            let asOf = try day ?? queries.latestLedgerDay(db) ?? Day(daysSinceEpoch: 0)
            return try queries.summary(db, asOf: asOf)
        }
    }
}
