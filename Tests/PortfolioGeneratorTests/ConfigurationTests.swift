import CreditCore
import Foundation
import PortfolioGenerator
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults: 24 months ending 2026-10-31, French style")
    func defaults() {
        let configuration = GeneratorConfiguration(customers: 10, seed: 1)
        #expect(configuration.endDay == Day(year: 2026, month: 10, day: 31))
        #expect(configuration.monthsOfHistory == 24)
        #expect(configuration.style == .french)
        // 24 months ending October 2026 start on 1 November 2024.
        #expect(configuration.startDay == Day(year: 2024, month: 11, day: 1))
    }

    @Test("settings out of range are refused with the field's name, not a crash")
    func refusesBadSettings() {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)")
        #expect(throws: GeneratorError.self) {
            try PortfolioGenerator(configuration: GeneratorConfiguration(customers: -1, seed: 1)).write(to: directory)
        }
        do {
            try GeneratorConfiguration(customers: 5, seed: 1, monthsOfHistory: 0).validate()
            Issue.record("zero months accepted")
        } catch {
            #expect("\(error)".contains("monthsOfHistory"))
        }
    }

    @Test("progress reports customers done, ending with the total")
    func progress() throws {
        let seen = ProgressLog()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try PortfolioGenerator(configuration: GeneratorConfiguration(customers: 30, seed: 2))
            .write(to: directory) { seen.append($0) }
        #expect(summary.customers == 30)
        #expect(seen.values == [30])
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []
    func append(_ value: Int) { lock.withLock { storage.append(value) } }
    var values: [Int] { lock.withLock { storage } }
}
