import CreditApp
import CreditCore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Everything the API works with, built once by the caller (the `serve` command, or a test): the
/// application's use cases, and what belongs to HTTP alone (keys, limits, metrics, uploads).
public struct ServiceDependencies: Sendable {
    /// The one door to the data: every handler calls its use cases.
    public var service: CreditService
    public var keys: APIKeys
    public var maximumBodyBytes: Int
    public var metrics: ServiceMetrics
    /// Where uploads are unpacked, one folder each, removed after their import whatever its
    /// outcome. A process killed mid-import leaves its folder: `purgeUploads()` at the next start.
    public var uploadsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("creditrisk-uploads")

    public var model: ScoringModel { service.model }
    /// The service's clock, read at the edge: the default as-of day of every decision.
    public func today() -> Day { service.today }

    /// Removes the upload folders that processes no longer running left behind (a server killed
    /// mid-import); returns how many there were. Another server sharing the temporary folder
    /// keeps its uploads in progress: each folder is named after the process that made it.
    @discardableResult
    public func purgeUploads() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: uploadsFolder.path)) ?? []
        var removed = 0
        for name in names where !Self.belongsToLiveProcess(name) {
            try? FileManager.default.removeItem(at: uploadsFolder.appendingPathComponent(name))
            removed += 1
        }
        return removed
    }

    /// `upload-<pid>-<uuid>`: the process that unpacks an upload names its folder after itself.
    static func uploadFolderName() -> String { "upload-\(getpid())-\(UUID().uuidString)" }

    /// Whether the folder `name` belongs to a process still running (this one included).
    static func belongsToLiveProcess(_ name: String) -> Bool {
        let parts = name.split(separator: "-")
        guard parts.count > 2, parts[0] == "upload", let pid = Int32(parts[1]), pid > 0 else { return false }
        return pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    public init(service: CreditService, keys: APIKeys, maximumBodyBytes: Int = 50 << 20, metrics: ServiceMetrics = ServiceMetrics()) {
        self.service = service
        self.keys = keys
        self.maximumBodyBytes = maximumBodyBytes
        self.metrics = metrics
    }
}

/// The routes of the API with their middleware, and the web application's pages when given:
/// what tests drive directly and `buildApplication` serves.
public func buildRouter(_ dependencies: ServiceDependencies, web: WebApp? = nil) -> Router<CreditRequestContext> {
    let router = Router(context: CreditRequestContext.self)
    let routeTable = RouteTable()
    router.addMiddleware {
        RequestLogMiddleware(metrics: dependencies.metrics)
        ProblemMiddleware()
        MethodNotAllowedMiddleware(table: routeTable)
        AuthMiddleware(keys: dependencies.keys)
        BodyLimitMiddleware(maximumBytes: dependencies.maximumBodyBytes)
    }
    HealthController(dependencies: dependencies).add(to: router)
    let v1 = router.group("v1")
    DecisionController(dependencies: dependencies).add(to: v1)
    LimitRequestController(dependencies: dependencies).add(to: v1)
    ReviewController(dependencies: dependencies).add(to: v1)
    OrderController(dependencies: dependencies).add(to: v1)
    ImportController(dependencies: dependencies).add(to: v1)
    EventController(dependencies: dependencies).add(to: v1)
    CollectionsController(dependencies: dependencies).add(to: v1)
    ContactController(dependencies: dependencies).add(to: v1)
    CustomerController(dependencies: dependencies).add(to: v1)
    AlertController(dependencies: dependencies).add(to: v1)
    ApplicationController(dependencies: dependencies).add(to: v1)
    PortfolioController(dependencies: dependencies).add(to: v1)
    ReportController(dependencies: dependencies).add(to: v1)
    ModelController(dependencies: dependencies).add(to: v1)
    web?.add(to: router)
    routeTable.register(router.routes.map { (path: $0.path.description, method: $0.method) })
    return router
}

/// What one server holds at most, so that stalled or flooding clients cannot exhaust it.
public struct ServerLimits: Sendable {
    /// Connections held open at once; more wait in the listen backlog. Far below the process's
    /// file limit, so a flood of idle sockets cannot starve the database of file descriptors.
    public var maximumConnections: Int
    /// A connection with no request under way, or whose request head has not arrived, is closed
    /// after this long: stalled clients do not hold sockets for ever, and a full server frees up.
    public var idleTimeoutSeconds: Int

    public init(maximumConnections: Int, idleTimeoutSeconds: Int) {
        self.maximumConnections = maximumConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    public static let standard = ServerLimits(maximumConnections: 512, idleTimeoutSeconds: 30)
}

/// The HTTP application: the router served on `host:port` with its background `services` (the
/// daily re-scoring), all shut down gracefully on SIGINT/SIGTERM by `runService()`.
///
/// `startUp` runs before the server listens (demo load, upload clean-up, worklist warm-up).
public func buildApplication(
    _ dependencies: ServiceDependencies, host: String, port: Int, logger: Logger, services: [any Service] = [],
    limits: ServerLimits = .standard, startUp: ServiceStartUp? = nil, web: WebApp? = nil
) -> some ApplicationProtocol {
    var app = Application(
        router: buildRouter(dependencies, web: web),
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)))),
        configuration: .init(
            address: .hostname(host, port: port), serverName: "creditrisk",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections, logger: logger)),
        services: services,
        logger: logger)
    if let startUp {
        app.beforeServerStarts { try await startUp.run(dependencies, logger: logger) }
    }
    return app
}
