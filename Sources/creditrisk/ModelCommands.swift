import ArgumentParser
import CreditApp
import CreditCore
import Foundation
import LedgerReader

/// Where the snapshots of a fit or a comparison come from.
struct SnapshotOptions: ParsableArguments {
    @Option(help: "Monthly snapshots (month ends).")
    var snapshots: Int = 24
    @Option(
        help: ArgumentHelp("Last snapshot on or before this day (YYYY-MM-DD); default: a horizon before the ledger's last day.", valueName: "date"))
    var through: String?
    @Option(help: "Days after a snapshot within which a default counts.")
    var horizonDays: Int = 365
    @Option(
        help: ArgumentHelp(
            "outcomes.csv (customer_id, defaulted, default_date); default: defaults read from the ledger by the model's rule.", valueName: "file"))
    var outcomes: String?

    func validate() throws { try Self.check(snapshots: snapshots, horizonDays: horizonDays) }

    /// The ranges of `--snapshots` and `--horizon-days`, for every command that takes them.
    static func check(snapshots: Int?, horizonDays: Int) throws {
        if let snapshots, !(1...240).contains(snapshots) {
            throw ValidationError("--snapshots must be between 1 and 240, not \(snapshots)")
        }
        guard (30...1825).contains(horizonDays) else {
            throw ValidationError("--horizon-days must be between 30 and 1825, not \(horizonDays)")
        }
    }

    /// The month ends; a fit needs at least four (training, calibration and test months).
    func plan(_ work: ModelWork, minimumSnapshots: Int = 1) async throws -> SnapshotPlan {
        let labels = try outcomes.map { try OutcomesFile.read(URL(fileURLWithPath: $0)) }
        return try await work.plan(
            snapshots: snapshots, horizonDays: horizonDays, outcomes: labels, through: through.map { try parseDay($0, option: "through") },
            minimum: minimumSnapshots)
    }
}

struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a new model version on the portfolio's own history and write it as a model file.",
        discussion: """
            Every customer is measured as of each month end by the scoring code itself (nothing after the month end is \
            read), labelled with whether a default followed within the horizon, and the payment components' weights are \
            fitted by ridge logistic regression with signs that keep paying later from ever helping. The first half of \
            the months trains, the next quarter calibrates the PD, the last quarter tests; the fitted weights are kept \
            only when they beat the base model out of time. The base model's file stays as it is.
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var snapshotOptions: SnapshotOptions
    @Option(help: ArgumentHelp("Version name of the new model.", valueName: "name"))
    var version: String
    @Option(help: ArgumentHelp("Where to write the new model file.", valueName: "path"))
    var output: String
    @Option(help: "Ridge penalty on the weights.")
    var ridge: Double = 1
    @Flag(help: "Also refit the financial components' bins on this ledger (off: they keep the scorecard's).")
    var refitFinancial = false
    @Flag(help: "Fit only the payment components: the sector prior and the financial scorecard keep the base model's weights.")
    var paymentOnly = false
    @Option(
        name: .customLong("candidate"),
        help: ArgumentHelp(
            "A statement ratio the base model does not weigh, to be binned and weighed on this ledger (repeatable; e.g. "
                + "interestCover, cashRatio, which no public data set with failures holds). Left out of the new model when the fit leaves it at zero.",
            valueName: "component"))
    var candidates: [String] = []

    func run() async throws {
        let service = try serviceOptions.open()
        let work = service.modelWork
        guard ridge.isFinite, ridge >= 0 else { throw CommandError("--ridge must be zero or positive") }
        guard !(paymentOnly && !candidates.isEmpty) else { throw CommandError("--candidate weighs a statement ratio: not with --payment-only") }
        let components = try candidates.map { name in
            guard let component = ScoreComponent(rawValue: name) else {
                let known = ScoreComponent.allCases.filter(\.isFinancial).map(\.rawValue).joined(separator: ", ")
                throw CommandError("--candidate \(name) is not a component (statement ratios: \(known))")
            }
            return component
        }
        let base = try ModelFitter.withCandidates(components, added: service.model)
        let plan = try await snapshotOptions.plan(work, minimumSnapshots: 4)
        let start = Date()
        let progress = ProgressLine.counter(label: "customers measured")
        let (outcome, panel) = try await work.fit(
            base: base, plan: plan, version: version, ridge: ridge, refitFinancial: refitFinancial, paymentOnly: paymentOnly,
            progress: progress)
        ProgressLine.clear()
        let data = try ModelFileWriter.encode(outcome.model)
        try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        let record = outcome.record
        print(
            "Fitted \(version) from \(service.model.version) on \(grouped(panel.count)) customer-months "
                + "(\(plan.monthEnds.first?.iso ?? "?") to \(plan.monthEnds.last?.iso ?? "?"), labels from the \(record.labels)) "
                + "in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        for (name, window) in [("training", record.training), ("calibration", record.calibration), ("test", record.test)] {
            print(
                "  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(window.from.iso) to \(window.through.iso): \(grouped(window.rows)) rows, \(grouped(window.defaults)) defaults"
            )
        }
        print(
            "  fitted weights (ridge \(record.ridge)), each ≥ 0, on the weight of evidence of each component's monotone bins"
                + (paymentOnly ? ":" : " (sectorPrior: on the sector's log-odds; financialScorecard: on the scorecard's sum):"))
        for coefficient in record.coefficients {
            let error = coefficient.standardError.map { String(format: " ± %.3f", $0) } ?? ""
            print(
                "    \(coefficient.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(format: "%.3f", coefficient.multiplier))\(error)\(coefficient.heldAtZero ? "  (held at 0 by its sign)" : "")"
            )
        }
        for candidate in components {
            print(
                outcome.model.components[candidate] == nil
                    ? "  candidate \(candidate.rawValue): left out (no values, or none that separate, on this ledger's training months)"
                    : "  candidate \(candidate.rawValue): weighed in monotone bins on this ledger")
        }
        print(
            record.paymentPartAdopted
                ? "  the fitted payment weights separate at least as well as the base out of time: adopted"
                : "  the fitted payment weights separate worse than the base out of time: the base weights are kept, only the PD is recalibrated")
        print("")
        printComparison(
            [(service.model.version, outcome.baseReport), (version, outcome.fittedReport)],
            title: "Out-of-time test, \(record.test.from.iso) to \(record.test.through.iso)")
        print("\nWritten: \(output)  (use it with --model \(output) or CREDITRISK_MODEL)")
    }
}

struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Population stability of the score and of each component against the model's fit sample.",
        discussion: "PSI below 0.1 is stable, 0.1 to 0.25 worth a look, above 0.25 a shift that calls for a review of the model.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("The day of the portfolio (YYYY-MM-DD); default: the ledger's last day.", valueName: "date"))
    var asOf: String?

    func run() async throws {
        let service = try serviceOptions.open()
        let report = try await service.modelWork.monitoring(asOf: try asOf.map { try parseDay($0, option: "as-of") })
        print(
            "Model \(report.modelVersion): portfolio as of \(report.asOf.iso) (\(grouped(report.customers)) customers) against the fit sample of \(report.baselineAsOf.iso)"
        )
        let rows = ([report.score].compactMap { $0 } + report.components).map {
            [$0.measure, String(format: "%.3f", $0.populationStability), $0.status, percent($0.baselineMissingRate), percent($0.missingRate)]
        }
        print(table([["measure", "PSI", "status", "missing then", "missing now"]] + rows).map { "  " + $0 }.joined(separator: "\n"))
        for alert in report.alerts { print("ALERT: \(alert)") }
    }
}

/// The validation table of one or more models on the same rows.
func printComparison(_ reports: [(version: String, report: BacktestReport)], title: String) {
    func figure(_ value: Double?, _ format: String = "%.3f") -> String { value.map { String(format: format, $0) } ?? "n/a" }
    print(title)
    print(
        table(
            [["model", "rows", "defaults", "AUC", "95 % interval", "KS", "Brier"]]
                + reports.map { version, report in
                    [
                        version, grouped(report.customers), grouped(report.defaults), figure(report.auc),
                        report.aucInterval.map { String(format: "%.3f–%.3f", $0.lower, $0.upper) } ?? "n/a", figure(report.ks),
                        figure(report.brier, "%.4f"),
                    ]
                }
        ).map { "  " + $0 }.joined(separator: "\n"))
    for (version, report) in reports {
        guard let backtest = report.referenceDates else { continue }
        print("")
        printCalibration(version, backtest)
    }
}

/// The PD backtest per grade on the headline reference date and, over several dates, each
/// grade's record over every date with a complete horizon and each date's count.
func printCalibration(_ version: String, _ backtest: ReferenceDateBacktest) {
    /// Two decimals: the PDs of the best grades are fractions of a percent.
    func pd(_ fraction: Double) -> String { String(format: "%.2f %%", fraction * 100) }
    guard let shown = backtest.headlineTable ?? backtest.dates.last else { return }
    let several = backtest.dates.count > 1
    let day = shown.referenceDate.iso
    print(
        !shown.completeHorizon
            ? "  \(version), per grade on \(day): no reference date has a complete \(backtest.horizonDays)-day horizon yet, nothing is judged"
            : several
                ? "  \(version), per grade on \(day), the latest reference date with a complete \(backtest.horizonDays)-day horizon"
                : "  \(version), per grade on \(day)")
    print("  (each customer once, as it stood that day; calibrated: the mean PD lies in the Jeffreys 95 % interval of the observed")
    print("  rate; grades under \(backtest.minimumCustomers) customers that day are not judged)")
    let records = Dictionary(backtest.grades.map { ($0.grade, $0) }, uniquingKeysWith: { first, _ in first })
    print(
        table(
            [["grade", "customers", "defaults", "mean PD", "observed", "Jeffreys 95 %", "calibrated"] + (several ? ["dates calibrated"] : [])]
                + shown.grades.map { row in
                    let interval = row.jeffreysInterval().map { "\(pd($0.lower))–\(pd($0.upper))" } ?? "n/a"
                    let verdict =
                        !shown.completeHorizon
                        ? "(horizon incomplete)"
                        : row.customers < backtest.minimumCustomers
                            ? "(under \(backtest.minimumCustomers))" : (row.isCalibrated() == true ? "yes" : "no")
                    let record = records[row.grade.code].map { "\($0.datesCalibrated) of \($0.datesChecked)" } ?? "–"
                    return [
                        row.grade.code, grouped(row.customers), grouped(row.defaults), pd(row.meanPD), pd(row.observedDefaultRate), interval,
                        verdict,
                    ] + (several ? [record] : [])
                }
        ).map { "    " + $0 }.joined(separator: "\n"))
    guard several else { return }
    print("  grades calibrated per reference date:")
    print(
        "    "
            + backtest.dates.map { date in
                "\(date.referenceDate.iso) "
                    + (date.completeHorizon ? "\(date.gradesCalibrated)/\(date.gradesChecked)" : "(horizon incomplete)")
            }.joined(separator: ", "))
}
