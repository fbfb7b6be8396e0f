import CreditCore
import Foundation
import GRDB

/// What the use cases that answer requests work with: the store, the scoring model, the clock
/// (read here, never in the core) and the database's writer, which a request waits for only so
/// long (`BoundedWriter`: an import holds it for its whole length).
public struct RequestResources: Sendable {
    public let model: ScoringModel
    public let now: @Sendable () -> Date
    let writer: BoundedWriter
    /// Approval authorities and review policy; nil when the service started without them (then
    /// a limit set by a person is refused as unavailable, never let through unchecked).
    public let policies: CreditPolicies?

    public init(
        database: any DatabaseWriter, model: ScoringModel, now: @escaping @Sendable () -> Date = Date.init,
        maximumWait: Duration = BoundedWriter.defaultMaximumWait, policies: CreditPolicies? = nil
    ) {
        self.writer = BoundedWriter(database, maximumWait: maximumWait)
        self.model = model
        self.now = now
        self.policies = policies
    }

    public var database: any DatabaseWriter { writer.database }
}

/// A use case that answers requests (a decision, an event, an order check, an application): built
/// from `RequestResources`, which it reads as its own.
public protocol RequestUseCase: Sendable {
    var resources: RequestResources { get }
    init(resources: RequestResources)
}

extension RequestUseCase {
    /// The use case over `database` with `model`, the clock `now`, a writer waited for at most
    /// `maximumWait`, and the credit `policies` when limits are set.
    public init(
        database: any DatabaseWriter, model: ScoringModel, now: @escaping @Sendable () -> Date = Date.init,
        maximumWait: Duration = BoundedWriter.defaultMaximumWait, policies: CreditPolicies? = nil
    ) {
        self.init(resources: RequestResources(database: database, model: model, now: now, maximumWait: maximumWait, policies: policies))
    }

    public var database: any DatabaseWriter { resources.database }
    public var model: ScoringModel { resources.model }
    public var now: @Sendable () -> Date { resources.now }
    var writer: BoundedWriter { resources.writer }

    /// Scoring over the same store, model and clock: a customer re-scored after an event, or
    /// scored for the first time when a request needs its grade.
    var scoring: ScoringService { ScoringService(database: database, model: model, now: now) }
}
