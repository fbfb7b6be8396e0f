import ArgumentParser
import CreditApp
import CreditCore
import Foundation

@main
struct CreditRisk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditrisk",
        abstract: "Customer credit-risk scoring: grades, credit limits and collections from your receivables ledger.",
        discussion: """
            Import a ledger export (customers, invoices, payments, disputes) and sector averages into an \
            embedded SQLite database, then read the portfolio as of any date.

            Start with the demo: `creditrisk demo` loads Fixtures/demo into a fresh database and prints a summary.
            """,
        subcommands: [
            Serve.self, Demo.self, Import.self, Summary.self, KPIs.self, ReportCommand.self, Score.self, Explain.self, Apply.self, History.self,
            OverrideCommand.self, CustomersCommand.self, CustomerCommand.self, LimitRequestCommand.self, ReviewsCommand.self,
            ReviewCommand.self, OrderCommand.self, GroupCommand.self, WorklistCommand.self, ActivityCommand.self, TimelineCommand.self,
            RemindCommand.self, OutboxCommand.self, DashboardCommand.self,
            DisputesCommand.self, DisputeCommand.self, EventCommand.self, ContactCommand.self, AlertsCommand.self, BacktestCommand.self,
            FitCommand.self, MonitorCommand.self, Generate.self,
        ]
    )

    /// Runs the command; a refusal from the application (unknown id, broken rule, refused import,
    /// busy or full storage) is said once, here, as `Error: ...` on standard error, with the
    /// located problems under it and an exit code by kind, the way the API turns it into a problem.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            guard let refusal = Refusal(error, operation: "the command") else { exit(withError: error) }
            ProgressLine.clear()
            let lines = ["Error: \(refusal.description)"] + refusal.problems.map { "  \($0)" }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            Foundation.exit(exitCode(for: refusal))
        }
    }

    /// sysexits(3): 65 data error (invalid, conflict), 66 no input (not found), 75 try again later
    /// (unavailable), 74 I/O error (storage that someone must fix first: a full disk, a read-only file,
    /// a damaged row),
    /// 77 permission denied (forbidden: beyond the stated role's approval authority, one's own request).
    static func exitCode(for refusal: Refusal) -> Int32 {
        switch refusal.refusalKind {
        case .invalid, .conflict: 65
        case .notFound: 66
        case .forbidden: 77
        case .unavailable: refusal.code == "storage-unavailable" || refusal.code == "damaged-row" ? 74 : 75
        }
    }
}
