import ArgumentParser
import CreditCore
import Foundation
import PortfolioGenerator

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic portfolio (ledger CSVs, sectors, hidden outcomes) for demos, tests and benchmarks.",
        discussion: """
            Deterministic: the same options give byte-identical files. Defaults are driven by each \
            customer's hidden financial health, not by any scoring formula; outcomes.csv records them \
            for backtests and is not read by `import ledger`.
            """)

    @Option(help: "Number of customers.")
    var customers: Int = 200
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Output folder (created).", valueName: "dir"))
    var out: String
    @Option(help: ArgumentHelp("Last day of the history (YYYY-MM-DD).", valueName: "date"))
    var endDate: String = "2026-10-31"
    @Option(help: "Months of history.")
    var months: Int = 24
    @Flag(inversion: .prefixedNo, help: "Also write financial statements (INPI XML and XBRL) into OUT/statements.")
    var statements = true
    @Option(help: "CSV style: french (; and 1 234,56, DD/MM/YYYY) or international (, and 1234.56, ISO dates).")
    var style: String = CSVStyle.french.rawValue
    @Option(help: "Invoices per customer relative to the default mix (more, smaller invoices; 0.1 to 100).")
    var invoiceVolume: Double = 1

    func validate() throws {
        guard customers > 0 else { throw ValidationError("--customers must be at least 1") }
        guard months > 0 else { throw ValidationError("--months must be at least 1") }
        guard CSVStyle(rawValue: style) != nil else {
            throw ValidationError("--style must be one of: " + CSVStyle.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let configuration = GeneratorConfiguration(
            customers: customers, seed: seed, endDay: try parseDay(endDate, option: "end-date"), monthsOfHistory: months,
            style: CSVStyle(rawValue: style) ?? .french, invoiceVolume: invoiceVolume)
        let summary = try PortfolioGenerator(configuration: configuration).write(
            to: URL(fileURLWithPath: out), progress: ProgressLine.counter(label: "customers"))
        ProgressLine.clear()
        let files =
            statements
            ? try StatementDocuments.write(
                configuration: configuration, to: URL(fileURLWithPath: out).appendingPathComponent("statements")) : 0
        print(
            "Wrote \(out): \(grouped(summary.customers)) customers, \(grouped(summary.invoices)) invoices, "
                + "\(grouped(summary.payments)) payments, \(grouped(summary.disputes)) disputes, "
                + "\(grouped(summary.sectors)) sectors, \(grouped(summary.defaults)) defaults (outcomes.csv), "
                + "\(grouped(files)) statement files")
    }
}
