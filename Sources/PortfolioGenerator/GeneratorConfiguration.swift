import CreditCore

/// What to generate: how many customers, from which seed, over which history, in which CSV dialect.
///
/// Two configurations that compare equal produce byte-identical files, on any platform.
public struct GeneratorConfiguration: Sendable, Hashable {
    public var customers: Int
    public var seed: UInt64
    /// Last day of the generated history (the "export date"); no event after it.
    public var endDay: Day
    /// Whole calendar months of history ending with `endDay`'s month.
    public var monthsOfHistory: Int
    public var style: CSVStyle
    /// Invoices per customer relative to the default mix (1): a supplier that invoices each
    /// delivery rather than monthly issues more, smaller invoices for the same business, and so
    /// carries more open items. The benchmark uses it to reach a million open items.
    public var invoiceVolume: Double

    /// 2026-10-31: the export date of the demo fixture.
    public static let defaultEndDay = Day(daysSinceEpoch: 20_757)

    public init(
        customers: Int, seed: UInt64, endDay: Day = GeneratorConfiguration.defaultEndDay, monthsOfHistory: Int = 24,
        style: CSVStyle = .french, invoiceVolume: Double = 1
    ) {
        self.invoiceVolume = invoiceVolume
        self.customers = customers
        self.seed = seed
        self.endDay = endDay
        self.monthsOfHistory = monthsOfHistory
        self.style = style
    }

    /// First day of the history: the first of the month `monthsOfHistory - 1` months before `endDay`'s.
    public var startDay: Day {
        Timeline(endDay: endDay, monthsOfHistory: monthsOfHistory).startDay
    }

    /// Checks the values a caller can get wrong, so `write` fails with a message instead of trapping.
    public func validate() throws(GeneratorError) {
        guard customers >= 0, customers <= 9_999_999 else {
            throw .invalidConfiguration(field: "customers", message: "must be between 0 and 9999999, not \(customers)")
        }
        guard (1...240).contains(monthsOfHistory) else {
            throw .invalidConfiguration(
                field: "monthsOfHistory", message: "must be between 1 and 240 months, not \(monthsOfHistory)")
        }
        guard invoiceVolume >= 0.1, invoiceVolume <= 100 else {
            throw .invalidConfiguration(field: "invoiceVolume", message: "must be between 0.1 and 100, not \(invoiceVolume)")
        }
        let year = endDay.components.year
        guard (1900...9000).contains(year - monthsOfHistory / 12 - 2) else {
            throw .invalidConfiguration(field: "endDay", message: "\(endDay.iso) is outside the years 1900-9000")
        }
    }
}

/// The CSV dialect of the generated files, the two forms French ERPs commonly export.
public enum CSVStyle: String, Sendable, CaseIterable, Codable {
    /// `;` delimiter, `1 234,56` amounts (space-grouped thousands, decimal comma), `DD/MM/YYYY` dates.
    case french
    /// `,` delimiter, `1234.56` amounts, ISO `YYYY-MM-DD` dates.
    case international
}

/// Row counts of one generation, to report and to check against the files.
public struct GenerationSummary: Sendable, Equatable, Codable {
    public var customers: Int
    public var invoices: Int
    public var payments: Int
    public var disputes: Int
    public var sectors: Int
    /// Customers that defaulted within the history (the `defaulted = 1` rows of outcomes.csv).
    public var defaults: Int
}

/// Why a generation could not run or finish.
public enum GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(field: String, message: String)
    /// The output folder or a file in it could not be created or written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let field, let message): "generator setting \(field) \(message)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason); check the folder exists and is writable"
        }
    }
}

/// The month grid of a history: month 0 is the first month of the history.
///
/// Health paths are monthly, so days are mapped to month offsets here, in one place.
struct Timeline: Sendable, Hashable {
    let endDay: Day
    let monthsOfHistory: Int
    /// Absolute month number (year * 12 + month - 1) of history month 0.
    let firstMonth: Int

    init(endDay: Day, monthsOfHistory: Int) {
        self.endDay = endDay
        self.monthsOfHistory = monthsOfHistory
        let (y, m, _) = endDay.components
        firstMonth = y * 12 + (m - 1) - (monthsOfHistory - 1)
    }

    var startDay: Day { Timeline.firstDay(ofAbsoluteMonth: firstMonth) }

    /// History month offset of a day (negative before the history).
    func monthOffset(of day: Day) -> Int {
        let (y, m, _) = day.components
        return y * 12 + (m - 1) - firstMonth
    }

    func firstDay(ofMonthOffset offset: Int) -> Day {
        Timeline.firstDay(ofAbsoluteMonth: firstMonth + offset)
    }

    static func firstDay(ofAbsoluteMonth month: Int) -> Day {
        let year = month >= 0 ? month / 12 : (month - 11) / 12
        return Day(year: year, month: month - year * 12 + 1, day: 1) ?? Day(daysSinceEpoch: 0)
    }
}
