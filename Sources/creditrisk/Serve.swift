import ArgumentParser
import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API. On an empty database, first load and score the demo portfolio.",
        discussion: """
            API keys come from --api-keys FILE (JSON list of {name, role, key}) or CREDITRISK_API_KEYS \
            (role:key,role:key). Without either, the fixed demo keys are used and printed: fine for \
            the demo, never for real data. Stops gracefully on SIGINT or SIGTERM.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on.")
    var port = 8080
    @Option(help: ArgumentHelp("API keys file.", valueName: "file"))
    var apiKeys: String?
    @Option(help: ArgumentHelp("Largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBodyBytes = 50 << 20
    @Option(help: ArgumentHelp("Demo portfolio loaded into an empty database.", valueName: "dir"))
    var demo = "Fixtures/demo"
    @Option(help: ArgumentHelp("Seconds a connection may stay idle, or wait for its request's head, before it is closed.", valueName: "seconds"))
    var idleTimeout = ServerLimits.standard.idleTimeoutSeconds
    @Option(help: ArgumentHelp("Connections held open at once; more wait in the listen backlog.", valueName: "count"))
    var maxConnections = ServerLimits.standard.maximumConnections
    @Option(help: ArgumentHelp(
        "Seconds a writing request (reservation, event, override) waits for an import or a scoring run before it is refused with 503.",
        valueName: "seconds"))
    var writeWait = 5.0
    @Flag(inversion: .prefixedNo, help: "Re-score the portfolio once a day (checked hourly) while serving.")
    var dailyRescoring = true

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "creditrisk")
        let pool = try database.open()
        let model = try modelOptions.load()
        let decoder = try? StatementReading.decoder(maximumBytes: maxBodyBytes)
        let customers = try await pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") ?? 0 }
        if customers == 0, FileManager.default.fileExists(atPath: demo) {
            print("Empty database: loading the demo portfolio from \(demo)...")
            _ = try reportingImportErrors {
                try DemoPortfolio.load(from: URL(fileURLWithPath: demo), into: pool, decode: decoder, today: { Day.today() })
            }
            let run = try await ScoringService(database: pool, model: model).scoreAndStore(asOf: Day.today())
            print("Scored \(run.customers) customers as of \(run.asOf.iso).")
        }
        let keys: APIKeys
        do {
            keys = try APIKeys.load(file: apiKeys) ?? APIKeys.demo
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        }
        guard writeWait.isFinite, writeWait >= 0.1, writeWait <= 300 else {
            throw CommandError("--write-wait must be between 0.1 and 300 seconds")
        }
        var dependencies = ServiceDependencies(
            database: pool, model: model, keys: keys, statementDecoder: decoder, maximumBodyBytes: maxBodyBytes,
            today: { Day.today() })
        dependencies.maximumWriteWait = .milliseconds(Int(writeWait * 1000))
        let leftovers = dependencies.purgeUploads()
        if leftovers > 0 { print("Removed \(leftovers) upload folder\(leftovers == 1 ? "" : "s") left by an earlier run.") }
        let services: [any Service] =
            dailyRescoring
            ? [
                DailyRescoring(
                    database: pool, model: model, today: { Day.today() }, collectionsIndex: dependencies.collectionsIndex,
                    logger: logger)
            ] : []
        // Warm the collections worklist while the server starts, rather than on its first request.
        let index = dependencies.collectionsIndex
        Task.detached(priority: .background) { try? await index.refresh() }
        guard idleTimeout >= 1, maxConnections >= 1 else {
            throw CommandError("--idle-timeout and --max-connections must be at least 1")
        }
        let app = buildApplication(
            dependencies, host: host, port: port, logger: logger, services: services,
            limits: ServerLimits(maximumConnections: maxConnections, idleTimeoutSeconds: idleTimeout))
        print("creditrisk API on http://\(host):\(port)  (database \(database.db), model \(model.version))")
        if apiKeys == nil, ProcessInfo.processInfo.environment["CREDITRISK_API_KEYS"] == nil {
            print("Demo API keys (set CREDITRISK_API_KEYS or --api-keys for real use):")
            for key in keys.keys { print("  \(key.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(key.key)") }
        }
        try await app.runService()
    }
}
