import Foundation
import Testing

@testable import CreditHTTP

/// Expensive answers any reader may ask for (a backtest) are worked out one at a time, once per
/// question in flight.
@Suite("Work gate")
struct WorkGateTests {
    /// Counts the computations, and the most that ran at once.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var started = 0
        private(set) var mostAtOnce = 0
        func begin() {
            lock.withLock {
                started += 1
                running += 1
                mostAtOnce = max(mostAtOnce, running)
            }
        }
        func end() { lock.withLock { running -= 1 } }
    }

    @Test("the same question asked five times while it is worked out is worked out once; five different ones never run together")
    func oneAtATimeOncePerQuestion() async throws {
        let gate = WorkGate()
        let tally = Tally()
        let compute: @Sendable () async throws -> Int = {
            tally.begin()
            try await Task.sleep(for: .milliseconds(100))
            tally.end()
            return 42
        }
        let same = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { try await gate.answer(for: "same", compute) } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(same == [42, 42, 42, 42, 42])
        #expect(tally.started == 1)
        _ = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<5 { group.addTask { try await gate.answer(for: "q\(index)", compute) } }
            return try await group.reduce(0, +)
        }
        #expect(tally.started == 6)
        #expect(tally.mostAtOnce == 1)
    }

    @Test("questions of different kinds (a backtest, a monitoring report) share the gate: never two at once")
    func kindsShareTheGate() async throws {
        let gate = WorkGate()
        let tally = Tally()
        async let number = gate.answer(for: "backtest") { () async throws -> Int in
            tally.begin()
            try await Task.sleep(for: .milliseconds(100))
            tally.end()
            return 1
        }
        async let text = gate.answer(for: "monitoring") { () async throws -> String in
            tally.begin()
            try await Task.sleep(for: .milliseconds(100))
            tally.end()
            return "report"
        }
        #expect(try await number == 1)
        #expect(try await text == "report")
        #expect(tally.started == 2 && tally.mostAtOnce == 1)
    }

    @Test("a question that fails frees the gate: the next is worked out")
    func failureFreesTheGate() async throws {
        struct Failed: Error {}
        let gate = WorkGate()
        await #expect(throws: Failed.self) { try await gate.answer(for: "a") { throw Failed() } }
        #expect(try await gate.answer(for: "a") { 7 } == 7)
    }
}
