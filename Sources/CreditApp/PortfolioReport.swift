import CreditCore
import CreditStore
import GRDB

/// The portfolio summary use case, shared by the CLI and (later) the HTTP API.
public struct PortfolioReport: Sendable {
    public let database: any DatabaseReader

    public init(database: any DatabaseReader) {
        self.database = database
    }

    /// The ledger's latest date, the default as-of day of every command (today for an empty ledger
    /// is no better a guess, and would make results depend on when a command runs), never after
    /// `today`: the importer refuses rows dated ahead, so one there was damaged or edited by hand,
    /// and taking its day would have refused every scoring run as dated in the future.
    public func latestDay(notAfter today: Day? = nil) throws -> Day {
        let latest = try database.read { try LedgerQueries().latestLedgerDay($0) } ?? Day(daysSinceEpoch: 0)
        return today.map { min(latest, $0) } ?? latest
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
