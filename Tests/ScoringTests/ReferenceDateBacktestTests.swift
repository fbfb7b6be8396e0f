import Foundation
import Testing

@testable import CreditCore

/// The PD backtest of the EBA/ECB guidance is done on one reference date: the customers in each
/// grade that day, each once, and their defaults within the following horizon.
@Suite("PD backtest per reference date")
struct ReferenceDateBacktestTests {
    static let january = day("2025-01-31")
    static let february = day("2025-02-28")
    static let march = day("2025-03-31")

    /// `count` predictions of one grade on one day, the first `defaults` of them defaulted.
    static func predictions(_ grade: Grade, on date: Day, count: Int, defaults: Int, pd: Double) -> [BacktestPrediction] {
        (0..<count).map { BacktestPrediction(pd: pd, defaulted: $0 < defaults, grade: grade, referenceDate: date) }
    }

    @Test("a customer in several month ends counts once on each reference date, and once per month end in the pooled table")
    func customerOncePerDate() throws {
        let model = try ModelFitTests.modelV3()
        let scorer = Scorer(model: model)
        // A customer that pays on time from January, and defaults (by the outcomes) on 2025-06-02.
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-01-10", due: "2025-02-09", 4_000)
        ledger.pay("A", on: "2025-02-05", 4_000)
        ledger.invoice("B", issued: "2025-02-10", due: "2025-03-12", 3_000)
        ledger.pay("B", on: "2025-03-10", 3_000)
        let months = [Self.january, Self.february, Self.march]
        let rows = SnapshotPanel.rows(
            evidence: ledger.evidence(asOf: "2026-06-30"), statements: [], monthEnds: months, defaultDays: [day("2025-06-02")],
            horizonDays: 365, scorer: scorer)
        // A second customer, invoiced from February only, that never defaults.
        var later = LedgerBuilder()
        later.invoice("C", issued: "2025-02-15", due: "2025-03-17", 2_000)
        later.pay("C", on: "2025-03-17", 2_000)
        let laterRows = SnapshotPanel.rows(
            evidence: later.evidence(asOf: "2026-06-30"), statements: [], monthEnds: months, defaultDays: [], horizonDays: 365,
            scorer: scorer)
        #expect(rows.count == 3 && laterRows.count == 2)

        var panel = SnapshotPanel(components: model.components.weighed, monthEnds: months, baselineMonth: 0, observedThrough: day("2026-06-30"))
        panel.append(contentsOf: rows + laterRows)
        let report = Backtest.evaluate(
            predictions: panel.predictions(under: model), horizonDays: 365, observedThrough: panel.observedThrough, minimumCustomers: 1)
        // Pooled: 3 + 2 customer-months, the first customer's one default counted on each of its 3 months.
        #expect(report.customers == 5 && report.defaults == 3)
        #expect(report.grades.map(\.customers).reduce(0, +) == 5)
        // Per reference date: January holds the first customer alone; February and March both, each once.
        let dates = try #require(report.referenceDates)
        #expect(dates.dates.map(\.referenceDate) == months)
        #expect(dates.dates.map(\.customers) == [1, 2, 2])
        #expect(dates.dates.map(\.defaults) == [1, 1, 1])
        #expect(dates.dates.map { $0.grades.map(\.customers).reduce(0, +) } == [1, 2, 2])
        // Every horizon ends by 2026-06-30 (2025-03-31 + 365 days = 2026-03-31): the headline is March.
        #expect(dates.dates.map(\.completeHorizon) == [true, true, true])
        #expect(dates.headline == Self.march)
    }

    @Test("the verdict is the latest reference date whose horizon has elapsed, and each grade's record counts every such date")
    func headlineAndRecordByHand() throws {
        let two = Grade(code: "2", rank: 2)
        let five = Grade(code: "5", rank: 5)
        let nine = Grade(code: "9", rank: 9)
        // Jeffreys 95 % intervals (scipy, Tests/References): 0 in 10 → [0, 0.21720]; 3 in 50 → [0.01719, 0.15153].
        var predictions: [BacktestPrediction] = []
        for date in [Self.january, Self.february, Self.march] {
            predictions += Self.predictions(two, on: date, count: 10, defaults: 0, pd: 0.10)  // 0.10 ≤ 0.21720: calibrated
            predictions += Self.predictions(nine, on: date, count: 5, defaults: 4, pd: 0.30)  // 5 < 10 customers: not judged
        }
        predictions += Self.predictions(five, on: Self.january, count: 50, defaults: 3, pd: 0.02)  // in [0.01719, 0.15153]
        predictions += Self.predictions(five, on: Self.february, count: 50, defaults: 3, pd: 0.01)  // below 0.01719: not calibrated
        predictions += Self.predictions(five, on: Self.march, count: 50, defaults: 3, pd: 0.01)
        // Outcomes known through 2026-02-28: February's horizon ends that very day (2025-02-28 + 365), March's a month later.
        let report = Backtest.evaluate(predictions: predictions, horizonDays: 365, observedThrough: day("2026-02-28"), minimumCustomers: 10)
        let backtest = try #require(report.referenceDates)
        #expect(backtest.dates.map(\.completeHorizon) == [true, true, false])
        #expect(backtest.headline == Self.february)
        #expect(backtest.dates.map(\.gradesChecked) == [2, 2, 0])
        #expect(backtest.dates.map(\.gradesCalibrated) == [2, 1, 0])
        let february = try #require(backtest.headlineTable)
        #expect(february.customers == 10 + 5 + 50 && february.defaults == 0 + 4 + 3)
        #expect(february.grades.map(\.grade.code) == ["2", "5", "9"])
        // Grade 2 passes on both judged dates, grade 5 on January only; grade 9 is never judged. March is not counted.
        #expect(backtest.grades.map(\.grade) == ["2", "5"])
        #expect(backtest.grades.map(\.datesChecked) == [2, 2])
        #expect(backtest.grades.map(\.datesCalibrated) == [2, 1])

        let figures = ValidationFigures(report, minimumGradeRows: 10)
        #expect(figures.referenceDate == Self.february)
        #expect(figures.gradesChecked == 2 && figures.gradesCalibrated == 1)
        #expect(figures.referenceDates?.map(\.gradesCalibrated) == [2, 1, 0])
        #expect(figures.gradeRecords == backtest.grades)
        // Pooled over the three months, the same ten customers of grade 2 count three times: 0 defaults in 30 gives
        // [0, 0.07968] (scipy), and its PD of 0.10, inside on every date, falls outside. Grade 5: 9 in 150 gives
        // [0.03010, 0.10663] against a mean PD of (0.02 + 0.01 + 0.01) / 3 = 0.0133; grade 9: 12 in 15 against 0.30.
        #expect(figures.rows == 195 && figures.defaults == 21)
        #expect(figures.pooledGradesChecked == 3 && figures.pooledGradesCalibrated == 0)
    }

    @Test("before any horizon has elapsed there is no verdict: every date is shown, none judged")
    func noCompleteHorizon() throws {
        let grade = Grade(code: "5", rank: 5)
        let predictions =
            Self.predictions(grade, on: Self.january, count: 50, defaults: 3, pd: 0.02)
            + Self.predictions(grade, on: Self.february, count: 50, defaults: 3, pd: 0.02)
        let report = Backtest.evaluate(predictions: predictions, horizonDays: 365, observedThrough: day("2026-01-30"), minimumCustomers: 10)
        let backtest = try #require(report.referenceDates)
        #expect(backtest.headline == nil && backtest.headlineTable == nil)
        #expect(backtest.dates.map(\.customers) == [50, 50])
        #expect(backtest.dates.allSatisfy { !$0.completeHorizon && $0.gradesChecked == 0 })
        #expect(backtest.grades.isEmpty)
        let figures = ValidationFigures(report, minimumGradeRows: 10)
        #expect(figures.referenceDate == nil && figures.gradesChecked == 0 && figures.gradesCalibrated == 0)
        // One day later January's horizon is complete, and it becomes the verdict.
        let next = Backtest.evaluate(predictions: predictions, horizonDays: 365, observedThrough: day("2026-01-31"), minimumCustomers: 10)
        #expect(next.referenceDates?.headline == Self.january)
        #expect(ValidationFigures(next, minimumGradeRows: 10).gradesCalibrated == 1)
    }

    @Test("predictions without a reference date are one sample: no per-date table, the verdict on the whole")
    func withoutReferenceDates() {
        let grade = Grade(code: "5", rank: 5)
        let predictions = (0..<50).map { BacktestPrediction(pd: 0.02, defaulted: $0 < 3, grade: grade) }
        let report = Backtest.evaluate(predictions: predictions)
        #expect(report.referenceDates == nil)
        let figures = ValidationFigures(report, minimumGradeRows: 10)
        #expect(figures.gradesChecked == 1 && figures.gradesCalibrated == 1 && figures.referenceDate == nil)
    }
}
