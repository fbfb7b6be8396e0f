import ArgumentParser
import CreditCore

/// A day option: `YYYY-MM-DD` or `DD/MM/YYYY`; anything else is a usage error.
func parseDay(_ text: String) throws -> Day {
    guard let day = Day(parsing: text) else {
        throw ValidationError("\"\(text)\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
    }
    return day
}

/// An amount option: `2500`, `2500.00` or `"2 500,00"`.
func parseMoney(_ text: String, option: String) throws -> Money {
    guard let money = Money(parsing: text) else {
        throw CommandError("--\(option) \"\(text)\" is not an amount (e.g. 2500.00 or \"2 500,00\")")
    }
    return money
}

/// A credit limit asked for or set by the credit manager; one that is not an amount is a usage error.
func parseLimit(_ text: String) throws -> Money {
    guard let money = Money(parsing: text) else { throw ValidationError("\"\(text)\" is not an amount") }
    return money
}

/// `--as-of` of the portfolio reports: by default the ledger's latest date, as the use cases take nil.
struct LedgerDayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Read the ledger as of this day (YYYY-MM-DD); default: its latest date.", valueName: "date"))
    var asOf: String?

    func day() throws -> Day? { try asOf.map(parseDay) }
}

/// `--as-of` of the collections lists: by default today, as the API's lists.
struct ListDayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Day of the list (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?

    func day() throws -> Day { try asOf.map(parseDay) ?? Day.today() }
}

/// The customer a command reads or decides on.
struct CustomerArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("Customer id.", valueName: "id"))
    var id: String
}
