import ArgumentParser

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
        subcommands: [Serve.self, Demo.self, Import.self, Summary.self, KPIs.self, Score.self, Explain.self, Apply.self, History.self, OverrideCommand.self, OrderCommand.self, WorklistCommand.self, DisputesCommand.self, EventCommand.self, AlertsCommand.self, BacktestCommand.self, Generate.self]
    )
}
