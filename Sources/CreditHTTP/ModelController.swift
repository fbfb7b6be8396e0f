import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The model in force, where its numbers come from and how far the portfolio has moved from the
/// sample it was fitted on: what a credit manager or a validator asks before trusting a grade.
struct ModelController {
    let dependencies: ServiceDependencies

    func add(to group: RouterGroup<CreditRequestContext>) {
        let work = dependencies.service.modelWork
        let readers = group.requiring(.readPortfolio)
        readers.get("model") { _, _ -> UseCaseAnswer<ModelDescription> in
            UseCaseAnswer(ModelDescription(work.model))
        }
        readers.get("model/monitoring") { request, _ -> UseCaseAnswer<MonitoringReport> in
            // Default: the ledger's last day, the portfolio as the data last describes it.
            let day = try QueryParameters(request: request).day("asOf")
            return UseCaseAnswer(try await work.monitoring(asOf: day))
        }
    }
}

/// The model as the API shows it: its identity, provenance, validation and every rule it weighs.
struct ModelDescription: Encodable, Sendable {
    var version: String
    var summary: String
    var provenance: ModelProvenance?
    var components: ScoringModel.Components
    var calibration: ScoringModel.PDCalibration?
    var gradeScale: [ScoringModel.GradeBand]
    /// The fit sample's day, when the model can be monitored.
    var monitoringBaselineAsOf: Day?

    init(_ model: ScoringModel) {
        version = model.version
        summary = model.summary
        provenance = model.provenance
        components = model.components
        calibration = model.combination.calibration
        gradeScale = model.gradeScale
        monitoringBaselineAsOf = model.monitoring?.asOf
    }
}
