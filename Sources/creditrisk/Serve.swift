import ArgumentParser
import CreditApp
import CreditCore
import CreditHTTP
import Foundation
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

    @OptionGroup var serviceOptions: ServiceOptions
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
    @Option(
        help: ArgumentHelp(
            "Seconds a writing request (reservation, event, override) waits for an import or a scoring run before it is refused with 503.",
            valueName: "seconds"))
    var writeWait = 5.0
    @Flag(inversion: .prefixedNo, help: "Re-score the portfolio once a day (checked hourly) while serving.")
    var dailyRescoring = true
    @Flag(help: "Mark the web application's cookies Secure: set it when the service is reached over TLS (directly or through a proxy).")
    var secureCookies = false
    @Option(
        help: ArgumentHelp(
            "Days the ledger's latest entry may be old before scoring runs raise a data_freshness alert and say so on downgrades.",
            valueName: "days"))
    var staleAfterDays = ScoringService.defaultStaleAfterDays

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "creditrisk")
        guard writeWait.isFinite, writeWait >= 0.1, writeWait <= 300 else {
            throw CommandError("--write-wait must be between 0.1 and 300 seconds")
        }
        guard (1...3_650).contains(staleAfterDays) else { throw CommandError("--stale-after-days must be from 1 to 3650") }
        let model = try serviceOptions.modelOptions.load()
        var service: CreditService
        do {
            service = try CreditService.open(
                path: serviceOptions.database.db, model: model, statementDecoder: try? StatementReading.decoder(maximumBytes: maxBodyBytes),
                maximumWriteWait: .milliseconds(Int(writeWait * 1000)))
        } catch let error as DatabaseOpenError {
            throw CommandError(error.description)
        }
        service.ledgerStaleAfterDays = staleAfterDays
        service.policies = try serviceOptions.modelOptions.policies(for: model)
        let keys: APIKeys
        do {
            keys = try APIKeys.load(file: apiKeys) ?? APIKeys.demo
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        }
        let dependencies = ServiceDependencies(service: service, keys: keys, maximumBodyBytes: maxBodyBytes)
        let services: [any Service] = dailyRescoring ? [DailyRescoring(service: service, logger: logger)] : []
        guard idleTimeout >= 1, maxConnections >= 1 else {
            throw CommandError("--idle-timeout and --max-connections must be at least 1")
        }
        let web: WebApp
        do {
            web = try WebApp.load(dependencies, secureCookies: secureCookies)
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        }
        let app = buildApplication(
            dependencies, host: host, port: port, logger: logger, services: services,
            limits: ServerLimits(maximumConnections: maxConnections, idleTimeoutSeconds: idleTimeout),
            startUp: ServiceStartUp(demoFolder: URL(fileURLWithPath: demo)), web: web)
        print("creditrisk web application on http://\(host):\(port)/  (sign in with an API key below)")
        print("creditrisk API on http://\(host):\(port)/v1  (database \(serviceOptions.database.db), model \(model.version))")
        if apiKeys == nil, ProcessInfo.processInfo.environment["CREDITRISK_API_KEYS"] == nil {
            print("Demo API keys (set CREDITRISK_API_KEYS or --api-keys for real use):")
            for key in keys.keys {
                print(
                    "  \(key.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(key.key)"
                        + (key.salesRep.map { "  (sales rep \($0): their accounts only)" } ?? ""))
            }
        }
        try await app.runService()
    }
}
