import ArgumentParser
import CreditApp
import CreditCore

struct Summary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the portfolio summary: customers, open receivables, aged balance, disputes.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: ArgumentHelp("Read the ledger as of this day (YYYY-MM-DD); default: its latest date.", valueName: "date"))
    var asOf: String?

    func run() async throws {
        let day = try asOf.map(parseDay)
        let service = try database.service(modelOptions)
        let summary = try service.portfolio.summary(asOf: day)
        let currency = try await service.baseCurrency()
        print(SummaryText(summary: summary, currency: currency).text)
    }
}

func parseDay(_ text: String) throws -> Day {
    guard let day = Day(parsing: text) else {
        throw ValidationError("\"\(text)\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
    }
    return day
}
