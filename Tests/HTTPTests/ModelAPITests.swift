import CreditApp
import CreditHTTP
import CreditStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CreditCore

/// `GET /v1/model` and `GET /v1/model/monitoring`: the model in force, where its numbers come
/// from, and how far the portfolio has moved from its fit sample.
@Suite("Model API")
struct ModelAPITests {
    static func dependencies(model file: String) throws -> ServiceDependencies {
        let base = try APITests.dependencies()
        let model = try ScoringModel.decode(from: Data(contentsOf: APITests.repository.appendingPathComponent("Models/\(file)")))
        return ServiceDependencies(
            database: base.database, model: model, keys: .demo, statementDecoder: nil, maximumBodyBytes: 4096, today: APITests.today)
    }

    @Test("the model in force with its provenance and every rule it weighs; sales may not read it")
    func modelInForce() async throws {
        let dependencies = try Self.dependencies(model: "scoring-model-v3.json")
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/model", method: .get, headers: PortfolioAPITests.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["version"] as? String == "scoring-model-v3")
                let components = try #require(json["components"] as? [String: Any])
                let leverage = try #require(components["leverage"] as? [String: Any])
                #expect((leverage["edges"] as? [Double])?.count == 4)
                let provenance = try #require(json["provenance"] as? [String: Any])
                let scorecard = try #require(provenance["financialScorecard"] as? [String: Any])
                #expect(scorecard["testAUC"] as? Double == 0.852)
                #expect((scorecard["citation"] as? String)?.contains("Future Internet") == true)
            }
            try await client.expectStatus(.forbidden, uri: "/v1/model", method: .get, headers: APITests.sales)
        }
    }

    @Test("a fitted model's validation figures: the calibration verdict on its last test month end, and each date's count")
    func fittedModelValidation() async throws {
        let dependencies = try Self.dependencies(model: "scoring-model-v5.json")
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/model", method: .get, headers: PortfolioAPITests.creditManager) { response in
                #expect(response.status == .ok)
                let provenance = try #require(try jsonObject(response)["provenance"] as? [String: Any])
                let validation = try #require((provenance["fit"] as? [String: Any])?["validation"] as? [String: Any])
                // v4's test months run from 2025-05-31 to 2025-10-31; the last is the reference date of the verdict.
                #expect(validation["referenceDate"] as? String == "2025-10-31")
                let dates = try #require(validation["referenceDates"] as? [[String: Any]])
                #expect(dates.count == 6 && dates.last?["referenceDate"] as? String == "2025-10-31")
                #expect(validation["gradesChecked"] as? Int == dates.last?["gradesChecked"] as? Int)
                #expect(validation["gradesCalibrated"] as? Int == dates.last?["gradesCalibrated"] as? Int)
                // Each customer once per date: the dates' customers add up to the test rows.
                #expect(dates.compactMap { $0["customers"] as? Int }.reduce(0, +) == validation["rows"] as? Int)
                #expect((validation["gradeRecords"] as? [Any])?.isEmpty == false)
            }
        }
    }

    @Test("monitoring needs a fit sample: a model without one gets a 422 that says so")
    func monitoringWithoutBaseline() async throws {
        let dependencies = try Self.dependencies(model: "scoring-model-v3.json")
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/model/monitoring", method: .get, headers: PortfolioAPITests.creditManager) { response in
                #expect(response.status == .unprocessableContent)
                let body = String(buffer: response.body)
                #expect(body.contains("creditrisk fit"))
            }
            try await client.execute(uri: "/v1/model/monitoring?asOf=2026-02-30", method: .get, headers: PortfolioAPITests.creditManager) {
                response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("monitoring a fitted model: PSI of the score and of each component against its fit sample")
    func monitoringFittedModel() async throws {
        var dependencies = try Self.dependencies(model: "scoring-model-v3.json")
        var model = dependencies.model
        // The demo's own distributions as baseline: nothing has moved, every PSI is 0.
        let panel = try await ModelWork(database: dependencies.database, model: model).panel(
            base: model, plan: SnapshotPlan(monthEnds: [APITests.today], horizonDays: 1, outcomes: []), baselineMonth: 0)
        let scorer = Scorer(model: model)
        let scores: [Double?] = panel.logOdds(under: model).map { Double(Scorer.score(pd: scorer.pd(logOdds: $0), scale: model.score)) }
        model.monitoring = MonitoringBaseline(
            asOf: APITests.today, score: .init(sample: scores),
            components: panel.baselineValues.mapValues { MonitoringBaseline.Distribution(sample: $0) })
        let weighed = model.components.weighed.count
        dependencies = ServiceDependencies(
            database: dependencies.database, model: model, keys: .demo, statementDecoder: nil, maximumBodyBytes: 4096, today: APITests.today)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/model/monitoring?asOf=2026-10-31", method: .get, headers: PortfolioAPITests.creditManager) {
                response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["customers"] as? Int == panel.count)
                let score = try #require(json["score"] as? [String: Any])
                #expect(abs(score["populationStability"] as? Double ?? 1) < 1e-12)
                let shifts = try #require(json["components"] as? [[String: Any]])
                #expect(shifts.count == weighed)
                #expect(shifts.allSatisfy { $0["status"] as? String == "stable" })
                #expect((json["alerts"] as? [String])?.isEmpty == true)
            }
        }
    }

    @Test("a backtest of the model in force over the API: figures, the grade table with Jeffreys intervals, and the charts as SVG")
    func backtestOverHTTP() async throws {
        let dependencies = try Self.dependencies(model: "scoring-model-v3.json")
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(
                uri: "/v1/model/backtest?snapshots=2&through=2026-04-30&horizonDays=180", method: .get, headers: PortfolioAPITests.creditManager
            ) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["monthEnds"] as? [String] == ["2026-03-31", "2026-04-30"])
                #expect(json["labels"] as? String == "ledger default rule")
                let report = try #require(json["report"] as? [String: Any])
                #expect((report["customers"] as? Int ?? 0) > 300)
                #expect(report["auc"] is Double)
                let grades = try #require(json["gradeCalibration"] as? [[String: Any]])
                #expect(grades.count == (report["grades"] as? [Any])?.count)
                #expect((json["roc"] as? [Any])?.isEmpty == false)
                // The verdict per reference date: both horizons of 180 days end before the ledger's last day (2026-10-31),
                // so the headline is the later month end, whose table counts each customer once.
                let backtest = try #require(report["referenceDates"] as? [String: Any])
                #expect(backtest["headline"] as? String == "2026-04-30")
                let dates = try #require(backtest["dates"] as? [[String: Any]])
                #expect(dates.map { $0["referenceDate"] as? String } == ["2026-03-31", "2026-04-30"])
                #expect(dates.map { $0["completeHorizon"] as? Bool } == [true, true])
                #expect(dates.compactMap { $0["customers"] as? Int }.reduce(0, +) == report["customers"] as? Int)
            }
            // Month ends whose 180 days have not elapsed by the ledger's last day are shown, and none is judged.
            try await client.execute(
                uri: "/v1/model/backtest?snapshots=2&through=2026-09-30&horizonDays=180", method: .get, headers: PortfolioAPITests.creditManager
            ) { response in
                #expect(response.status == .ok)
                let report = try #require(try jsonObject(response)["report"] as? [String: Any])
                let backtest = try #require(report["referenceDates"] as? [String: Any])
                #expect(backtest["headline"] == nil)
                let dates = try #require(backtest["dates"] as? [[String: Any]])
                #expect(dates.map { $0["completeHorizon"] as? Bool } == [false, false])
                #expect(dates.map { $0["gradesChecked"] as? Int } == [0, 0])
            }
            try await client.execute(
                uri: "/v1/model/backtest/roc.svg?snapshots=2&through=2026-04-30&horizonDays=180", method: .get,
                headers: PortfolioAPITests.creditManager
            ) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                #expect(String(buffer: response.body).hasPrefix("<svg"))
            }
            try await client.expectStatus(.badRequest, uri: "/v1/model/backtest?snapshots=99", method: .get, headers: PortfolioAPITests.creditManager)
        }
    }
}
