import ArgumentParser
import CreditApp
import CreditCore
import Foundation
import LedgerReader

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Score every customer as of a past day and compare with defaults in the following 12 months.",
        discussion: """
            Prints AUC, Gini, KS, Brier score and, per grade, customers, mean predicted PD, observed default rate, its Jeffreys \
            95 % interval and whether the mean PD lies inside: the PD backtest of the EBA/ECB validation guidance, on one \
            reference date with each customer once (over several month ends: the latest whose horizon is complete, and on \
            how many of the month ends each grade passed).
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(
        help: ArgumentHelp(
            "The day predictions are made (YYYY-MM-DD); without it, champion against challenger over monthly snapshots.", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("A second model file to compare with the model in force, on the same snapshots.", valueName: "path"))
    var challenger: String?
    @Option(help: ArgumentHelp("Write roc.svg and calibration.svg into this folder.", valueName: "dir"))
    var svg: String?
    @Option(help: "Monthly snapshots of a comparison (month ends); default: the challenger's test months when it was fitted, else 6.")
    var snapshots: Int?
    @Option(help: "Days after a snapshot within which a default counts.")
    var horizonDays: Int = 365
    @Option(
        help: ArgumentHelp("Last snapshot on or before this day (YYYY-MM-DD); default: a horizon before the ledger's last day.", valueName: "date"))
    var through: String?
    @Option(
        help: ArgumentHelp(
            "outcomes.csv: customer_id, defaulted, default_date; a comparison without it reads defaults from the ledger.", valueName: "file"))
    var outcomes: String?

    func run() async throws {
        guard let asOf else { return try await compare() }
        guard let outcomes else { throw CommandError("--outcomes is needed with --as-of") }
        let service = try serviceOptions.open()
        let model = service.model
        let day = try parseDay(asOf, option: "as-of")
        let labels = try OutcomesFile.read(URL(fileURLWithPath: outcomes))
        let (report, excluded) = try service.backtests.run(asOf: day, outcomes: labels)
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        print(
            "Backtest as of \(day.iso), model \(model.version): \(grouped(report.customers)) customers, "
                + "\(grouped(report.defaults)) defaults within 12 months (\(grouped(excluded)) already in default, left out)")
        print("  AUC \(figure(report.auc))   Gini \(figure(report.gini))   KS \(figure(report.ks))   Brier \(figure(report.brier))")
        if let backtest = report.referenceDates { printCalibration(model.version, backtest) }
    }

    /// Champion (the model in force) against challenger on the same out-of-time snapshots.
    func compare() async throws {
        let service = try serviceOptions.open()
        let work = service.modelWork
        var models = [service.model]
        if let challenger { models.append(try ModelFile.load(challenger)) }
        try SnapshotOptions.check(snapshots: snapshots, horizonDays: horizonDays)
        let plan = try await work.comparisonPlan(
            of: models, snapshots: snapshots, through: try through.map { try parseDay($0, option: "through") }, horizonDays: horizonDays,
            outcomes: try outcomes.map { try OutcomesFile.read(URL(fileURLWithPath: $0)) })
        let entries = try await work.compare(models, plan: plan)
        printComparison(
            entries.map { ($0.version, $0.report) },
            title:
                "Backtest over \(plan.monthEnds.count) month ends, \(plan.monthEnds.first?.iso ?? "?") to \(plan.monthEnds.last?.iso ?? "?"), defaults within \(plan.horizonDays) days (\(plan.labels))"
        )
        if let svg {
            let folder = URL(fileURLWithPath: svg, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(ValidationCharts.roc(entries.map { ($0.version, $0.roc, $0.report.auc) }).utf8).write(
                to: folder.appendingPathComponent("roc.svg"))
            try Data(ValidationCharts.calibration(entries.map { ($0.version, $0.calibration) }).utf8).write(
                to: folder.appendingPathComponent("calibration.svg"))
            print("\nCharts: \(folder.appendingPathComponent("roc.svg").path), \(folder.appendingPathComponent("calibration.svg").path)")
        }
    }
}
