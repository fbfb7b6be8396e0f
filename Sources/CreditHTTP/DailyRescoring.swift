import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceLifecycle

/// Re-scores the whole portfolio once a day while the service runs.
///
/// Order checks read the stored decision and alerts come from scoring runs, so without a daily
/// run a grade would only move when an event arrives: a promise that passes its deadline unpaid,
/// or an invoice that slips into a later ageing bucket, would go unnoticed. Every
/// `checkInterval` the service scores the portfolio if some customer has no assessment as of
/// today (`ScoringService.scoreIfStale`). The first check waits one interval, so a restart does not compete with
/// the requests that follow it.
public struct DailyRescoring: Service {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let today: @Sendable () -> Day
    public let checkInterval: Duration
    /// Rebuilt in the background after a run, so the next worklist request finds it warm.
    public let collectionsIndex: CollectionsIndex?
    public let logger: Logger

    public init(
        database: any DatabaseWriter, model: ScoringModel, today: @escaping @Sendable () -> Day,
        checkInterval: Duration = .seconds(3600), collectionsIndex: CollectionsIndex? = nil, logger: Logger
    ) {
        self.collectionsIndex = collectionsIndex
        self.database = database
        self.model = model
        self.today = today
        self.checkInterval = checkInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: checkInterval) }
            } catch {
                return  // shutting down
            }
            do {
                if let run = try await rescoreIfStale() {
                    logger.info(
                        "daily re-scoring", metadata: ["asOf": "\(run.asOf.iso)", "customers": "\(run.customers)", "alerts": "\(run.alerts)"])
                    try await collectionsIndex?.refresh()
                }
            } catch {
                logger.error("daily re-scoring failed: \(error)")
            }
        }
    }

    /// Scores the portfolio as of today unless every customer is already assessed as of today.
    @discardableResult
    public func rescoreIfStale() async throws -> ScoringRunSummary? {
        let day = today()
        let service = ScoringService(database: database, model: model)
        return try await service.scoreIfStale(asOf: day)
    }
}
