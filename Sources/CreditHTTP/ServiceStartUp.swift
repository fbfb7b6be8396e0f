import CreditApp
import CreditCore
import Foundation
import Logging

/// What the service does before it listens, run by the application's `beforeServerStarts`: an
/// empty database gets the demo portfolio, scored as of today (so a newcomer's first request
/// finds grades); upload folders left by a killed import are removed; the collections worklist
/// starts warming in the background, so its first request does not wait for the whole build.
public struct ServiceStartUp: Sendable {
    /// A generated portfolio folder loaded into an empty database; nil to start empty.
    public var demoFolder: URL?

    public init(demoFolder: URL?) { self.demoFolder = demoFolder }

    public func run(_ dependencies: ServiceDependencies, logger: Logger) async throws {
        let service = dependencies.service
        if let demoFolder, FileManager.default.fileExists(atPath: demoFolder.path), try await service.customerCount() == 0 {
            logger.info("empty database: loading the demo portfolio", metadata: ["folder": "\(demoFolder.path)"])
            let loaded = try await service.loadPortfolio(
                from: demoFolder, scoreAsOf: dependencies.today(), movedTo: dependencies.today() - 1)
            logger.info(
                "demo portfolio loaded and scored",
                metadata: ["customers": "\(loaded.scoring.customers)", "asOf": "\(loaded.scoring.asOf.iso)"])
        }
        let leftovers = dependencies.purgeUploads()
        if leftovers > 0 { logger.info("removed upload folders left by an earlier run", metadata: ["count": "\(leftovers)"]) }
        let index = service.collectionsIndex
        let today = dependencies.today()
        Task(priority: .background) { try? await index.warm(asOf: today) }
    }
}
