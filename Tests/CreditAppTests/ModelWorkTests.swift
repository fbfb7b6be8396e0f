import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import PortfolioGenerator
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Fitting, comparing and monitoring models on the portfolio's own history")
struct ModelWorkTests {
    static func modelV3() throws -> ScoringModel {
        try ScoringModel.decode(from: Data(contentsOf: Repository.path("Models/scoring-model-v3.json")))
    }

    /// 1 500 generated customers over 40 months, imported, with the generator's outcomes.
    static func portfolio() throws -> (database: DatabaseQueue, outcomes: [Outcome]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-work-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try PortfolioGenerator(configuration: GeneratorConfiguration(customers: 1_500, seed: 5, monthsOfHistory: 40))
            .write(to: folder)
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("statements"))
        let database = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: database).importLedger(directory: folder)
        return (database, try OutcomesFile.read(folder.appendingPathComponent("outcomes.csv")))
    }

    @Test("a snapshot reads nothing after its month end: the same ledger cut at that day gives the same rows")
    func snapshotsDoNotLookAhead() async throws {
        let (database, _) = try Self.portfolio()
        let model = try Self.modelV3()
        let monthEnd = try #require(Day(year: 2025, month: 6, day: 30))
        let plan = SnapshotPlan(monthEnds: [monthEnd], horizonDays: 365, outcomes: [])
        let full = try await ModelWork(database: database, model: model).panel(base: model, plan: plan, baselineMonth: 0)
        try await database.write { db in
            try db.execute(sql: "DELETE FROM payment WHERE paid_on > ?", arguments: [monthEnd])
            try db.execute(sql: "DELETE FROM dispute WHERE opened_on > ?", arguments: [monthEnd])
            try db.execute(sql: "DELETE FROM payment_promise WHERE promised_on > ?", arguments: [monthEnd])
            try db.execute(sql: "DELETE FROM payment WHERE invoice_id IN (SELECT id FROM invoice WHERE issue_date > ?)", arguments: [monthEnd])
            try db.execute(sql: "DELETE FROM dispute WHERE invoice_id IN (SELECT id FROM invoice WHERE issue_date > ?)", arguments: [monthEnd])
            try db.execute(sql: "DELETE FROM invoice WHERE issue_date > ?", arguments: [monthEnd])
        }
        let cut = try await ModelWork(database: database, model: model).panel(base: model, plan: plan, baselineMonth: 0)
        #expect(full.count > 1_000)
        #expect(full.count == cut.count)
        #expect(full.effects == cut.effects)
        #expect(full.values.map { $0.isNaN ? -1e300 : $0 } == cut.values.map { $0.isNaN ? -1e300 : $0 })
        #expect(full.thinFile == cut.thinFile)
    }

    @Test("a fitted model, written and read back, scores the test months through the scorer exactly as the fit reported")
    func fittedModelReproducesItsValidation() async throws {
        let (database, outcomes) = try Self.portfolio()
        let base = try Self.modelV3()
        let work = ModelWork(database: database, model: base)
        let plan = try await work.plan(snapshots: 8, horizonDays: 365, outcomes: outcomes)
        let (outcome, panel) = try await work.fit(base: base, plan: plan, version: "fitted-test", ridge: 1, refitFinancial: false)
        #expect(panel.defaulted.contains(true))
        let record = try #require(outcome.model.provenance?.fit)
        #expect(record.training.snapshots == 4 && record.calibration.snapshots == 2 && record.test.snapshots == 2)
        #expect(record.labels == "outcomes file")
        // The plan ends a horizon before the ledger's last day: every test month end's horizon is complete, and the
        // verdict is the last one's, each customer once.
        #expect(plan.observedThrough == (try await work.latestLedgerDay()))
        #expect(record.validation.referenceDate == plan.monthEnds.last)
        #expect(record.validation.referenceDates?.map(\.referenceDate) == Array(plan.monthEnds.suffix(2)))
        #expect(record.validation.referenceDates?.map(\.customers).reduce(0, +) == record.test.rows)
        let headline = try #require(outcome.fittedReport.referenceDates?.headlineTable)
        #expect(record.validation.gradesChecked == headline.gradesChecked && record.validation.gradesCalibrated == headline.gradesCalibrated)
        #expect(headline.gradesChecked == headline.grades.filter { $0.customers >= 100 }.count)
        let written = try ScoringModel.decode(from: ModelFileWriter.encode(outcome.model))
        #expect(written == outcome.model)

        let testPlan = SnapshotPlan(monthEnds: Array(plan.monthEnds.suffix(2)), horizonDays: 365, outcomes: outcomes)
        let entries = try await work.compare([base, written], plan: testPlan)
        #expect(entries.map(\.version) == [base.version, "fitted-test"])
        let fitted = try #require(entries.last?.report)
        #expect(fitted.customers == outcome.fittedReport.customers)
        #expect(fitted.defaults == outcome.fittedReport.defaults)
        #expect(abs((fitted.auc ?? 0) - (outcome.fittedReport.auc ?? 1)) < 1e-9)
        #expect(fitted.grades.map(\.customers) == outcome.fittedReport.grades.map(\.customers))
        #expect(abs((entries.first?.report.auc ?? 0) - (outcome.baseReport.auc ?? 1)) < 1e-9)

        // The new model can be monitored against its own fit sample.
        let report = try await ModelWork(database: database, model: written).monitoring(asOf: plan.monthEnds.last)
        #expect(report.customers > 1_000)
        #expect(report.components.contains { $0.measure == "paymentIndex" })
        #expect(report.score != nil)
        // A model without a fit sample says so instead of guessing.
        await #expect(throws: Refusal.self) { try await work.monitoring(asOf: nil) }
    }

    @Test("the charts are well-formed SVG that name each model")
    func charts() throws {
        let outcomes = (0..<50).map { PDOutcome(pd: Double($0) / 100, defaulted: $0 % 7 == 0) }
        let roc = ValidationCharts.roc([("v3 <expert>", Discrimination.rocCurve(outcomes), 0.75)])
        let document = try XMLDocument(xmlString: roc)
        #expect(document.rootElement()?.name == "svg")
        #expect(roc.contains("v3 &lt;expert&gt; (AUC 0.750)"))
        let calibration = ValidationCharts.calibration([("v4", Calibration.curve(outcomes, bins: 5))])
        #expect(try XMLDocument(xmlString: calibration).rootElement()?.name == "svg")
    }
}
