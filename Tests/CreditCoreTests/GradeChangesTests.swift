import Foundation
import Testing

@testable import CreditCore

@Suite("Grade changes")
struct GradeChangesTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    static func model() throws -> ScoringModel {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/scoring-model-v5.json")
        return try ScoringModel.decode(from: Data(contentsOf: url))
    }

    static func snapshot(_ grade: String, pd: Double, limit: Int64, _ reasons: [Reason] = []) -> GradeSnapshot {
        GradeSnapshot(
            asOf: day(grade == "D" ? "2026-10-31" : "2026-09-30"), grade: grade, pd: pd, suggestedLimit: Money(cents: limit * 100), reasons: reasons)
    }

    @Test("a downgrade counts the steps down the scale and the change of limit")
    func downgrade() throws {
        let change = try #require(
            GradeChanges.change(
                customerId: "C1", name: "Alpha", group: nil, from: Self.snapshot("4", pd: 0.01, limit: 20_000),
                to: Self.snapshot("6", pd: 0.03, limit: 12_000), model: try Self.model()))
        #expect(change.direction == .downgrade)
        #expect(change.steps == 2)
        #expect(change.limitChange == Money(cents: -800_000))  // 12 000 − 20 000
        #expect(
            GradeChanges.change(
                customerId: "C1", name: "Alpha", group: nil, from: Self.snapshot("4", pd: 0.01, limit: 1), to: Self.snapshot("4", pd: 0.02, limit: 1),
                model: try Self.model()) == nil)
    }

    @Test("the main reason is the one whose effect rose most for a downgrade and fell most for an upgrade")
    func mainReason() {
        let start = Self.snapshot(
            "4", pd: 0.01, limit: 1,
            [
                Reason(code: .paymentIndex, effect: 0.2, text: "payment index 70"),
                Reason(code: .disputes, effect: 0.1, text: "1 dispute(s) open"),
            ])
        let end = Self.snapshot(
            "6", pd: 0.03, limit: 1,
            [
                Reason(code: .paymentIndex, effect: 0.5, text: "payment index 55"),  // +0.3
                Reason(code: .overdueShare, effect: 0.6, text: "40 % of the exposure is past due"),  // +0.6, new
            ])
        #expect(GradeChanges.mainReason(from: start, to: end, direction: .downgrade)?.code == .overdueShare)
        // The other way round, the largest fall is the overdue share's −0.6, which the end no
        // longer gives: worded "no longer".
        let up = GradeChanges.mainReason(from: end, to: start, direction: .upgrade)
        #expect(up?.code == .overdueShare)
        #expect(up?.text == "no longer: 40 % of the exposure is past due")
    }

    @Test("into default, the default reason is the main one")
    func intoDefault() {
        let end = Self.snapshot(
            "D", pd: 1, limit: 0,
            [
                Reason(code: .paymentIndex, effect: 0.9, text: "payment index 20"),
                Reason(code: .pastDueDefault, effect: 0, text: "12 000.00 more than 90 days past due"),
            ])
        #expect(GradeChanges.mainReason(from: Self.snapshot("7", pd: 0.1, limit: 5), to: end, direction: .downgrade)?.code == .pastDueDefault)
    }

    @Test("downgrades come first, the most steps first and then the riskiest, then upgrades")
    func order() throws {
        let model = try Self.model()
        func move(_ id: String, _ from: String, _ to: String, pd: Double) throws -> GradeMove {
            try #require(GradeChanges.move(customerId: id, from: from, to: to, endPD: pd, model: model))
        }
        let ordered = GradeChanges.ordered([
            try move("U", "6", "4", pd: 0.005), try move("D1", "4", "5", pd: 0.02), try move("D2", "4", "7", pd: 0.05),
            try move("D3", "4", "5", pd: 0.03),
        ])
        // D2 three steps down; D3 and D1 one step each, D3 ending with the higher PD.
        #expect(ordered.map(\.customerId) == ["D2", "D3", "D1", "U"])
        #expect(GradeChanges.move(customerId: "X", from: "4", to: "4", endPD: 0.01, model: model) == nil)
        #expect(GradeChanges.move(customerId: "Y", from: "4", to: "Z", endPD: 0.01, model: model)?.direction == .changed)
    }
}
