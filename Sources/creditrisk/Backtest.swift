import ArgumentParser
import CreditApp
import CreditCore
import Foundation
import LedgerReader

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Score every customer as of a past day and compare with defaults in the following 12 months.",
        discussion: "Prints AUC, Gini, KS, Brier score and, per grade, customers, mean predicted PD and observed default rate.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("The day predictions are made (YYYY-MM-DD).", valueName: "date"))
    var asOf: String
    @Option(help: ArgumentHelp("outcomes.csv: customer_id, defaulted, default_date.", valueName: "file"))
    var outcomes: String

    func run() async throws {
        let service = try serviceOptions.open()
        let model = service.model
        let day = try parseDay(asOf)
        let labels = try OutcomesFile.read(URL(fileURLWithPath: outcomes))
        let (report, excluded) = try service.backtests.run(asOf: day, outcomes: labels)
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        print(
            "Backtest as of \(day.iso), model \(model.version): \(grouped(report.customers)) customers, "
                + "\(grouped(report.defaults)) defaults within 12 months (\(grouped(excluded)) already in default, left out)")
        print("  AUC \(figure(report.auc))   Gini \(figure(report.gini))   KS \(figure(report.ks))   Brier \(figure(report.brier))")
        print(
            table(
                [["grade", "customers", "defaults", "mean PD", "observed"]]
                    + report.grades.map {
                        [$0.grade.code, grouped($0.customers), grouped($0.defaults), percent($0.meanPD), percent($0.observedDefaultRate)]
                    }
            ).map { "  " + $0 }.joined(separator: "\n"))
    }
}
