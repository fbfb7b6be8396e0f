import CreditCore
import Foundation
import GRDB

/// The database's writer was held (by an import, a scoring run's chunk or another process) for
/// longer than a request may wait. Nothing was stored; the request may be sent again.
public struct WriterBusy: RefusedRequest, Sendable {
    public var waitedSeconds: Double
    public var refusal: Refusal {
        Refusal(
            .unavailable,
            "the database is busy with a long write (an import or a scoring run) and did not free up within "
                + "\(String(format: "%.1f", waitedSeconds)) s; nothing was stored; try again in a few seconds",
            code: "database-busy", retryAfterSeconds: 5)
    }
    public var description: String { refusal.description }
}

/// Writes for requests: a request waits for SQLite's single writer at most `maximumWait`, then is
/// refused with `WriterBusy` instead of queueing behind a whole import.
///
/// GRDB serves writes one at a time, in order, and a task cancelled while it waits still waits
/// for its turn. So the wait is raced against a timer through a claim that exactly one side wins:
/// either the write starts (and then runs to its end, however long the timer) or the timer fires
/// first (and then the write, when its turn comes, does nothing). A refused request therefore
/// never stores anything, and an accepted one is never reported as refused.
public struct BoundedWriter: Sendable {
    public let database: any DatabaseWriter
    public let maximumWait: Duration

    /// How long a request waits for the writer by default: above a scoring run's chunk, well
    /// below an HTTP client's patience.
    public static let defaultMaximumWait: Duration = .seconds(5)

    public init(_ database: any DatabaseWriter, maximumWait: Duration = BoundedWriter.defaultMaximumWait) {
        self.database = database
        self.maximumWait = maximumWait
    }

    /// Runs `updates` in one write transaction, or throws `WriterBusy` when the writer did not
    /// become free within `maximumWait`.
    public func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let claim = WriteClaim()
        let started = ContinuousClock.now
        let limit = maximumWait
        let database = self.database
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answer = OnceContinuation(continuation)
            // The timer runs on a dispatch queue, not on Swift's cooperative threads: when those are
            // all busy, the request is still refused on time. Once the write has started it finds
            // the claim taken and does nothing.
            let (seconds, attoseconds) = limit.components
            let delay = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                guard claim.abandon() else { return }
                let waited = started.duration(to: ContinuousClock.now)
                answer.resume(
                    with: .failure(
                        WriterBusy(
                            waitedSeconds: Double(waited.components.seconds) + Double(waited.components.attoseconds) * 1e-18)))
            }
            // Queued on the writer's own dispatch queue at once, not from a task that would first
            // need a cooperative thread: the wait measured is the wait for the writer alone.
            database.asyncWrite(
                { db -> T in
                    guard claim.start() else { throw WriteAbandoned() }
                    return try updates(db)
                },
                completion: { _, result in answer.resume(with: result) })
        }
    }
}

/// Thrown inside a write whose request was already refused: it stores nothing.
private struct WriteAbandoned: Error {}

/// Which came first for one write: its start, or the end of the request's patience.
private final class WriteClaim: @unchecked Sendable {
    private enum State { case waiting, started, abandoned }
    private let lock = NSLock()
    private var state = State.waiting

    func start() -> Bool { claim(.started) }
    func abandon() -> Bool { claim(.abandoned) }

    private func claim(_ next: State) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard state == .waiting else { return false }
        state = next
        return true
    }
}

/// A continuation resumed by whichever side answers first; later answers are dropped.
private final class OnceContinuation<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }

    func resume(with result: Result<T, any Error>) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(with: result)
    }
}
