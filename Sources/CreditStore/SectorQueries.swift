import CreditCore
import GRDB

/// The sector table as the scoring needs it.
public struct SectorQueries: Sendable {
    public init() {}

    public func all(_ db: Database) throws -> [String: Sector] {
        var sectors: [String: Sector] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT code, label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source FROM sector")
        {
            let sector = try StoredRows.sector(row)
            sectors[sector.code] = sector
        }
        return sectors
    }

    /// The yardstick for a customer whose sector is unknown: each known sector's figures
    /// weighted by how many of the portfolio's customers are in it (all sectors alike when no
    /// customer is in a known sector). Nil when there is no sector table at all.
    public func portfolioAverage(_ db: Database) throws -> Sector? {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.avg_days_beyond_terms, s.avg_dso_days, s.annual_failure_rate,
                       (SELECT COUNT(*) FROM customer c WHERE c.sector_code = s.code) AS customers
                FROM sector s
                """)
        guard !rows.isEmpty else { return nil }
        let counts = try rows.map { Double(try $0.decode(Int.self, forColumn: "customers")) }
        let total = counts.reduce(0, +)
        let weights = total > 0 ? counts.map { $0 / total } : Array(repeating: 1 / Double(rows.count), count: rows.count)
        func average(_ column: String) throws -> Double {
            try zip(rows, weights).reduce(0) { $0 + (try $1.0.decode(Double.self, forColumn: column)) * $1.1 }
        }
        return Sector(
            code: "*", label: "portfolio average", averageDaysBeyondTerms: try average("avg_days_beyond_terms"),
            averageDSODays: try average("avg_dso_days"), annualFailureRate: try average("annual_failure_rate"), period: "",
            source: "weighted by the portfolio's customers per sector")
    }
}
