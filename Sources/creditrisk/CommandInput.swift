import ArgumentParser
import CreditCore

/// A day option: `YYYY-MM-DD` or `DD/MM/YYYY`; anything else is a usage error naming the
/// option: `--as-of "2026-13-01" is not a date`.
func parseDay(_ text: String, option: String) throws -> Day {
    guard let day = Day(parsing: text) else {
        throw ValidationError("--\(option) \"\(text)\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
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

/// A whole-number option outside `range` is a usage error naming it: `--limit must be from 1 to 1000`.
func checkRange(_ value: Int, _ range: ClosedRange<Int>, option: String) throws {
    guard range.contains(value) else {
        throw ValidationError("--\(option) must be from \(range.lowerBound) to \(range.upperBound)")
    }
}

/// An option that is none of a closed list's codes (read as the API reads them) is a usage error
/// giving the list: `--step must be one of pre_due_notice, reminder, ...`.
func checkListed<List: ClosedList>(_ text: String?, _ list: List.Type, option: String) throws {
    if let text, List(parsing: text) == nil {
        throw ValidationError("--\(option) must be one of \(List.listed)")
    }
}

/// `--as-of` of the portfolio reports: by default the ledger's latest date, as the use cases take nil.
struct LedgerDayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Read the ledger as of this day (YYYY-MM-DD); default: its latest date.", valueName: "date"))
    var asOf: String?

    func day() throws -> Day? { try asOf.map { try parseDay($0, option: "as-of") } }
}

/// `--as-of` of the collections lists: by default today, as the API's lists.
struct ListDayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Day of the list (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?

    func day() throws -> Day { try asOf.map { try parseDay($0, option: "as-of") } ?? Day.today() }
}

/// The customer a command reads or decides on.
struct CustomerArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("Customer id.", valueName: "id"))
    var id: String
}
