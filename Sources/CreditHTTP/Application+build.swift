import CreditApp
import CreditCore
import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything the API works with, built once by the caller (the `serve` command, or a test).
public struct ServiceDependencies: Sendable {
    public var database: any DatabaseWriter
    public var model: ScoringModel
    public var keys: APIKeys
    /// Statement reading (libxml2 with the mapping files); nil when mappings are not available.
    public var statementDecoder: StatementDecoding?
    public var maximumBodyBytes: Int
    public var metrics: ServiceMetrics
    /// The service's clock, read at the edge: the default as-of day of every decision.
    public var today: @Sendable () -> Day
    /// The collections worklist kept in memory, shared by every request.
    public var collectionsIndex: CollectionsIndex

    public init(
        database: any DatabaseWriter, model: ScoringModel, keys: APIKeys, statementDecoder: StatementDecoding?,
        maximumBodyBytes: Int = 50 << 20, metrics: ServiceMetrics = ServiceMetrics(),
        today: @escaping @Sendable () -> Day
    ) {
        self.database = database
        self.model = model
        self.keys = keys
        self.statementDecoder = statementDecoder
        self.maximumBodyBytes = maximumBodyBytes
        self.metrics = metrics
        self.today = today
        self.collectionsIndex = CollectionsIndex(database: database, model: model)
    }
}

/// The routes of the API with their middleware: what tests drive directly and `buildApplication` serves.
public func buildRouter(_ dependencies: ServiceDependencies) -> Router<CreditRequestContext> {
    let router = Router(context: CreditRequestContext.self)
    router.addMiddleware {
        RequestLogMiddleware(metrics: dependencies.metrics)
        ProblemMiddleware()
        AuthMiddleware(keys: dependencies.keys)
        BodyLimitMiddleware(maximumBytes: dependencies.maximumBodyBytes)
    }
    HealthController(dependencies: dependencies).add(to: router)
    let v1 = router.group("v1")
    DecisionController(dependencies: dependencies).add(to: v1)
    OrderController(dependencies: dependencies).add(to: v1)
    ImportController(dependencies: dependencies).add(to: v1)
    EventController(dependencies: dependencies).add(to: v1)
    CollectionsController(dependencies: dependencies).add(to: v1)
    ApplicationController(dependencies: dependencies).add(to: v1)
    PortfolioController(dependencies: dependencies).add(to: v1)
    return router
}

/// The HTTP application: the router served on `host:port` with its background `services` (the
/// daily re-scoring), all shut down gracefully on SIGINT/SIGTERM by `runService()`.
public func buildApplication(
    _ dependencies: ServiceDependencies, host: String, port: Int, logger: Logger, services: [any Service] = []
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(dependencies),
        configuration: .init(address: .hostname(host, port: port), serverName: "creditrisk"),
        services: services,
        logger: logger)
}
