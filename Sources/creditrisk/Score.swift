import ArgumentParser
import CreditApp
import CreditCore
import CreditHTTP
import Foundation

/// The scoring model every scoring command uses.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Scoring model file (default: $CREDITRISK_MODEL or Models/scoring-model-v5.json).", valueName: "path"))
    var model: String?

    func load() throws -> ScoringModel {
        do {
            return try ModelFile.load(model)
        } catch let error as ModelFileError {
            throw CommandError(error.description)
        }
    }

    /// The approval authorities and review policy beside the model file (`Models/`); nil when
    /// neither is there. Roles are checked against the API's roles.
    func policies(for loaded: ScoringModel) throws -> CreditPolicies? {
        do {
            return try CreditPolicies.loadIfPresent(
                directory: CreditPolicies.directory(besideModel: ModelFile.path(model)), model: loaded, roles: Role.allCases.map(\.rawValue))
        } catch let error as ModelFileError {
            throw CommandError(error.description)
        }
    }
}

struct Score: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score customers as of a day and store the assessments (grade, PD, limit, reasons).")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Score as of this day (YYYY-MM-DD); default: the ledger's latest date.", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("Score only this customer.", valueName: "id"))
    var customer: String?

    func run() async throws {
        let service = try serviceOptions.open()
        let day = try asOf.map { try parseDay($0, option: "as-of") } ?? service.portfolio.latestDay(notAfter: service.today)
        let progress = ProgressLine.counter(label: "customers scored")
        let summary = try await service.scoring.scoreAndStore(
            asOf: day, customerId: customer, progress: progress)
        ProgressLine.clear()
        if let customer, summary.customers == 0 {
            throw Refusal(.notFound, "no customer \(customer)")
        }
        print(scoringRunLine("Scored", summary))
        let total = max(summary.customers, 1)
        print(
            table(
                [["grade", "customers", "share"]]
                    + summary.grades.map {
                        [$0.grade, grouped($0.customers), percent(Double($0.customers) / Double(total))]
                    }
            ).joined(separator: "\n"))
    }
}

/// `Scored 3 customers as of 2026-06-30 with model …; 2 new assessments, 1 confirmed unchanged; 1 alerts`:
/// a run's one line, after `score` and after an import's re-scoring.
func scoringRunLine(_ verb: String, _ run: ScoringRunSummary) -> String {
    "\(verb) \(grouped(run.customers)) customers as of \(run.asOf.iso) with model \(run.modelVersion); "
        + "\(grouped(run.customers - run.unchanged)) new assessments, \(grouped(run.unchanged)) confirmed unchanged; "
        + "\(grouped(run.alerts)) alerts"
}
