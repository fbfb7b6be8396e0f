import ArgumentParser
import CreditApp
import CreditCore
import CreditStore

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the portfolio summary: customers, open receivables, aged balance, disputes.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Read the ledger as of this day (YYYY-MM-DD); default: its latest date.", valueName: "date"))
    var asOf: String?

    func run() throws {
        let day = try asOf.map(parseDay)
        let pool = try database.open()
        let summary = try PortfolioReport(database: pool).summary(asOf: day)
        let currency = try pool.read { try LedgerQueries().baseCurrency($0) } ?? "EUR"
        print(SummaryText(summary: summary, currency: currency).text)
    }
}

func parseDay(_ text: String) throws -> Day {
    guard let day = Day(parsing: text) else {
        throw ValidationError("\"\(text)\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
    }
    return day
}
