import ArgumentParser
import CreditApp
import CreditCore

struct Summary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the portfolio summary: customers, open receivables, aged balance, disputes.")

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var ledgerDay: LedgerDayOption

    func run() async throws {
        let day = try ledgerDay.day()
        let service = try serviceOptions.open()
        let summary = try service.portfolio.summary(asOf: day)
        let currency = try await service.baseCurrency()
        print(SummaryText(summary: summary, currency: currency).text)
    }
}
