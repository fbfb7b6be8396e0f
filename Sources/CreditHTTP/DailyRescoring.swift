import CreditApp
import CreditCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Re-scores the whole portfolio once a day while the service runs, and alerts disputes whose
/// resolution deadline has passed, overrides about to expire and reviews that fell due.
///
/// Order checks read the stored decision and alerts come from scoring runs, so without a daily
/// run a grade would only move when an event arrives: a promise that passes its deadline unpaid,
/// or an invoice that slips into a later ageing bucket, would go unnoticed. Every
/// `checkInterval` the service scores the portfolio if some customer has no assessment as of
/// today (`ScoringService.scoreIfStale`). The first check waits one interval, so a restart does not compete with
/// the requests that follow it.
public struct DailyRescoring: Service {
    public let service: CreditService
    public let today: @Sendable () -> Day
    public let checkInterval: Duration
    public let logger: Logger

    /// `today` defaults to the service's clock.
    public init(
        service: CreditService, today: (@Sendable () -> Day)? = nil, checkInterval: Duration = .seconds(3600), logger: Logger
    ) {
        self.service = service
        self.today = today ?? { service.today }
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
                    // Rebuilt now, so the next worklist request finds it warm.
                    try await service.collectionsIndex.warm(asOf: run.asOf)
                }
            } catch {
                logger.error("daily re-scoring failed: \(error)")
            }
            do {
                let raised = try await raiseDisputeDeadlineAlerts()
                if raised > 0 { logger.info("dispute deadlines passed", metadata: ["alerts": "\(raised)"]) }
            } catch {
                logger.error("dispute deadline alerts failed: \(error)")
            }
            do {
                if let run = try await raiseReviewAlerts(), run.overridesExpiring + run.reviewsDue > 0 {
                    logger.info(
                        "overrides expiring, reviews due",
                        metadata: ["overrideAlerts": "\(run.overridesExpiring)", "reviewAlerts": "\(run.reviewsDue)"])
                }
            } catch {
                logger.error("override expiry and review alerts failed: \(error)")
            }
        }
    }

    /// Alerts each override expiring within the review policy's notice and each review due by
    /// today, once per override and per review cycle (`CreditReviews.raiseAlerts`); nil when the
    /// service runs without its credit policies.
    @discardableResult
    public func raiseReviewAlerts() async throws -> ReviewAlertRun? {
        guard service.policies != nil else { return nil }
        return try await service.reviews.raiseAlerts(asOf: today())
    }

    /// Alerts each open dispute whose resolution deadline passed by today, once per dispute
    /// (`DisputeWorkflow.raiseDisputeDeadlineAlerts`); returns how many it raised.
    @discardableResult
    public func raiseDisputeDeadlineAlerts() async throws -> Int {
        try await service.disputes.raiseDisputeDeadlineAlerts(asOf: today())
    }

    /// Scores the portfolio as of today unless every customer is already assessed as of today.
    @discardableResult
    public func rescoreIfStale() async throws -> ScoringRunSummary? {
        try await service.scoring.scoreIfStale(asOf: today())
    }
}
