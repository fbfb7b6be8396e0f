import CreditApp
import CreditCore
import Foundation
import GRDB
import StreamingJSON
import Testing

@Suite("JSON written as values encode themselves")
struct StreamingJSONTests {
    static func foundation<T: Encodable>(_ value: T, sorted: Bool) throws -> Data {
        let encoder = JSONEncoder()
        if sorted { encoder.outputFormatting = .sortedKeys }
        return try encoder.encode(value)
    }

    @Test(
        "every demo customer's assessment and verdict: the same bytes as JSONEncoder with sorted keys, and unsorted it decodes to the same assessment"
    )
    func assessmentsAsFoundationWritesThem() async throws {
        let db = try Repository.demoDatabase()
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        let day = try #require(Day(parsing: "2026-10-31"))
        let customers = try await db.read { try String.fetchAll($0, sql: "SELECT id FROM customer ORDER BY id") }
        #expect(customers.count == 200)
        for customer in customers {
            let assessment = try #require(try scoring.assess(customerId: customer, asOf: day))
            #expect(try StreamingJSONEncoder(sortedKeys: true).encode(assessment) == Self.foundation(assessment, sorted: true), "\(customer)")
            #expect(
                try StreamingJSONEncoder(sortedKeys: true).encode(assessment.verdict) == Self.foundation(assessment.verdict, sorted: true),
                "\(customer)")
            let unsorted = try StreamingJSONEncoder().encode(assessment)
            #expect(try JSONDecoder().decode(Assessment.self, from: unsorted) == assessment, "\(customer)")
        }
    }

    struct Sample: Codable, Equatable {
        var text: String
        var numbers: [Double]
        var integers: [Int64]
        var flag: Bool
        var missing: String?
        var present: Int?
        var nested: [[String: Int]]
        var empty: [String]
        var byKey: [String: String]
        var unit: Empty
        struct Empty: Codable, Equatable {}
    }

    static let sample = Sample(
        text: "a/b \"quoted\" back\\slash\ttab\nline\r\u{01}\u{1F}\u{7F} é 😀 \u{08}\u{0C}",
        numbers: [0, -0.0, 1, 0.1, 1e-5, 1e21, 123_456_789_012.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5, 100],
        integers: [0, -1, .max, .min], flag: false, missing: nil, present: 7, nested: [["b": 2, "a": 1, "B": 3], [:]], empty: [],
        byKey: ["z": "last", "a10": "ten", "a9": "nine", "_": "underscore"], unit: .init())

    @Test("strings with escapes and every control character, doubles at the edges, nulls left out, empty objects: JSONEncoder's bytes")
    func edgeCasesAsFoundationWritesThem() throws {
        #expect(try StreamingJSONEncoder(sortedKeys: true).encode(Self.sample) == Self.foundation(Self.sample, sorted: true))
        var controls = Self.sample
        controls.text = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        #expect(try StreamingJSONEncoder(sortedKeys: true).encode(controls) == Self.foundation(controls, sorted: true))
        let unsorted = try StreamingJSONEncoder().encode(controls)
        #expect(try JSONDecoder().decode(Sample.self, from: unsorted) == controls)
        #expect(try StreamingJSONEncoder().encode("top level") == Self.foundation("top level", sorted: false))
        // The API's options: sorted keys, slashes as they are.
        let api = JSONEncoder()
        api.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try StreamingJSONEncoder(sortedKeys: true, escapingSlashes: false).encode(controls) == api.encode(controls))
        #expect(try StreamingJSONEncoder(sortedKeys: true, escapingSlashes: false).encode(Self.sample) == api.encode(Self.sample))
        #expect(
            try StreamingJSONEncoder().encode([Money(cents: 140_000), Money(cents: -5)])
                == Self.foundation([Money(cents: 140_000), Money(cents: -5)], sorted: false))
        // Integers at their edges, written digit by digit.
        let integers: [Int64] = [0, 7, -1, 10, -10, 99, 100, 1_000_000_007, Int64.max, Int64.min, Int64.min + 1]
        #expect(try StreamingJSONEncoder().encode(integers) == Self.foundation(integers, sorted: false))
        #expect(try StreamingJSONEncoder().encode([UInt64.max, 0]) == Self.foundation([UInt64.max, 0], sorted: false))
        #expect(try StreamingJSONEncoder().encode([Int8.min, Int8.max, 0]) == Self.foundation([Int8.min, Int8.max, 0], sorted: false))
    }

    @Test("what JSONEncoder writes by a strategy (Data) or refuses (a non-finite number) is left to it")
    func leftToFoundation() throws {
        struct Blob: Codable, Equatable { var bytes: Data }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode(Blob(bytes: Data([1, 2, 3]))) }
        #expect(
            try StreamingJSONEncoder().encodeOrFallBack(Blob(bytes: Data([1, 2, 3]))) == Self.foundation(Blob(bytes: Data([1, 2, 3])), sorted: false))
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encodeOrFallBack([Double.infinity]) }
    }

    @Test("a value that writes through a nested container is left to JSONEncoder, never half-written")
    func nestedContainersFallBack() throws {
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case outer, inner }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
                try inner.encode(1, forKey: .inner)
            }
        }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode(Nested()) }
        #expect(try StreamingJSONEncoder().encodeOrFallBack(Nested()) == Self.foundation(Nested(), sorted: false))
    }
}
