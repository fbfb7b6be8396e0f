import Foundation
import StreamingJSON
import Testing

@testable import CreditApp
@testable import CreditCore

/// The detail and the verdict are written by hand on the scoring run's hot path; `Codable` stays
/// the reference they must match byte for byte: the detail as the streaming encoder wrote it
/// before (keys in declaration order; `StreamingJSONTests` holds that encoder to `JSONEncoder`),
/// the verdict as `JSONEncoder` with sorted keys writes it, so it hashes to the fingerprints
/// already stored.
@Suite("An assessment's detail and verdict written by hand")
struct AssessmentJSONTests {
    static func foundation<T: Encodable>(_ value: T, sorted: Bool) throws -> Data { try StreamingJSONTests.foundation(value, sorted: sorted) }

    static func demoAssessments() async throws -> [Assessment] {
        let db = try Repository.demoDatabase()
        let statements = StatementImporter(
            database: db, decode: try StatementReading.decoder(mappingsPath: Repository.path("Models/statement-mappings").path),
            today: { Day(parsing: "2026-11-24")! })
        _ = try statements.importStatements(paths: [Repository.path("Fixtures/demo/statements")])
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        let day = try #require(Day(parsing: "2026-10-31"))
        let customers = try await db.read { try String.fetchAll($0, sql: "SELECT id FROM customer ORDER BY id") }
        return try customers.map { try #require(try scoring.assess(customerId: $0, asOf: day)) }
    }

    static func expectSameBytes(_ assessment: Assessment, _ comment: Comment? = nil) throws {
        let detail = try Data(assessment.detailJSON())
        #expect(detail == (try StreamingJSONEncoder().encode(assessment)), comment)
        #expect(try JSONDecoder().decode(Assessment.self, from: detail) == assessment, comment)
        #expect(try Data(assessment.verdictJSON()) == (try foundation(assessment.verdict, sorted: true)), comment)
    }

    @Test("every demo customer's detail is the bytes its Codable conformance writes, and its verdict JSONEncoder's with sorted keys")
    func demoAssessments() async throws {
        let assessments = try await Self.demoAssessments()
        #expect(assessments.count == 200)
        #expect(assessments.contains { $0.financialProfile != nil } && assessments.contains { $0.financialProfile == nil })
        for assessment in assessments { try Self.expectSameBytes(assessment, "\(assessment.customerId)") }
    }

    @Test("every optional figure present, then every one absent; texts that need escapes; lists filled and empty")
    func everyFieldPresentAndAbsent() async throws {
        let assessments = try await Self.demoAssessments()
        var full = try #require(assessments.first { $0.financialProfile != nil })
        let day = full.asOf
        full.customerId = "C/1 \"quoted\"\n"
        full.reasons.append(Reason(code: .brokenPromises, effect: -0.25, text: "tab\there \\ é"))
        full.contributions.append(Contribution(component: .lateShare, value: nil, effect: 0, missing: true, capped: false))
        full.limitStep.candidates.append(LimitCandidate(basis: .paymentHistory, amount: Money(cents: -5), detail: "a/b"))
        full.paymentProfile.averageDaysBeyondTerms = 1.5
        full.paymentProfile.signedAverageDaysBeyondTerms = -2
        full.paymentProfile.paymentIndex = 80
        full.paymentProfile.lateShare = 0.1
        full.paymentProfile.recentDaysBeyondTerms = 3
        full.paymentProfile.earlierDaysBeyondTerms = 1e-7
        full.paymentProfile.worstDaysBeyondTerms = 40
        full.paymentProfile.firstInvoice = day - 400
        full.paymentProfile.lastInvoice = day - 3
        full.paymentProfile.lastPayment = day - 1
        full.paymentProfile.brokenPromiseDetails = try JSONDecoder().decode(
            [BrokenPromise].self,
            from: Data(
                #"[{"invoiceId":"I-1","promisedOn":"2026-10-01","payBy":"2026-10-10","deadline":"2026-10-13","promised":"123.45","paid":"0.00"}]"#
                    .utf8))
        full.sectorBenchmark.customerDaysBeyondTerms = 12.25
        var financial = try #require(full.financialProfile)
        (financial.x1, financial.x2, financial.x3, financial.x4, financial.zScore) = (0.1, 0.2, -0.3, 4, 1.23)
        financial.zone = .grey
        (financial.equityRatio, financial.currentRatio, financial.netMargin) = (0.4, 1.1, -0.02)
        (financial.hasNegativeEquity, financial.hasLoss) = (false, true)
        (financial.equity, financial.annualRevenue) = (Money(cents: 100), Money(cents: 2_000_000_00))
        financial.missingFigures = ["retainedEarnings", "x/y"]
        financial.ratios = [.equityRatio: 0.4, .leverage: 0.6, .interestCover: -100]
        full.financialProfile = financial
        full.evidence.firstInvoice = day - 400
        full.evidence.lastInvoice = day - 3
        full.evidence.lastPayment = day - 1
        full.evidence.statementPeriodEnd = day - 300
        try Self.expectSameBytes(full, "every figure present")

        var empty = full
        empty.reasons = []
        empty.contributions = []
        empty.limitStep.candidates = []
        (empty.paymentProfile.averageDaysBeyondTerms, empty.paymentProfile.signedAverageDaysBeyondTerms) = (nil, nil)
        (empty.paymentProfile.paymentIndex, empty.paymentProfile.lateShare) = (nil, nil)
        (empty.paymentProfile.recentDaysBeyondTerms, empty.paymentProfile.earlierDaysBeyondTerms) = (nil, nil)
        empty.paymentProfile.worstDaysBeyondTerms = nil
        (empty.paymentProfile.firstInvoice, empty.paymentProfile.lastInvoice, empty.paymentProfile.lastPayment) = (nil, nil, nil)
        empty.paymentProfile.brokenPromiseDetails = []
        empty.sectorBenchmark.customerDaysBeyondTerms = nil
        (financial.x1, financial.x2, financial.x3, financial.x4, financial.zScore, financial.zone) = (nil, nil, nil, nil, nil, nil)
        (financial.equityRatio, financial.currentRatio, financial.netMargin) = (nil, nil, nil)
        (financial.hasNegativeEquity, financial.hasLoss, financial.equity, financial.annualRevenue) = (nil, nil, nil, nil)
        financial.missingFigures = []
        financial.ratios = [:]
        empty.financialProfile = financial
        (empty.evidence.firstInvoice, empty.evidence.lastInvoice, empty.evidence.lastPayment) = (nil, nil, nil)
        empty.evidence.statementPeriodEnd = nil
        try Self.expectSameBytes(empty, "every optional figure absent, a statement with no ratio")
        empty.financialProfile = nil
        try Self.expectSameBytes(empty, "no statement")
    }

    @Test("a figure that is not a number is refused, as JSONEncoder refuses it, and the verdict still hashes")
    func nonFiniteFigure() async throws {
        var assessment = try #require(try await Self.demoAssessments().first)
        assessment.logOdds = .infinity
        #expect(throws: (any Error).self) { try assessment.detailJSON() }
        #expect(throws: (any Error).self) { try Self.foundation(assessment, sorted: false) }
        #expect(try Data(assessment.verdictJSON()) == (try Self.foundation(assessment.verdict, sorted: true)))
    }
}
