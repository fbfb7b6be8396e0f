import CreditCore
import Foundation

/// Turns a ledger row into a domain value, or into the list of everything wrong with it.
///
/// Field-level rules live here (types, dates, signs, one currency); rules that need other rows
/// (unknown customer, duplicate id, payments beyond an invoice) are checked by the import
/// against the store, where those rows are.
public struct LedgerRowParser: Sendable {
    public let baseCurrency: String
    /// The day of the import: what has happened (payments, disputes) cannot lie after it, and
    /// what is scheduled (issue and due dates) at most `InputBounds.futureYears` ahead of it.
    public let today: Day

    public init(baseCurrency: String, today: Day) {
        self.baseCurrency = baseCurrency
        self.today = today
    }

    public func customer(_ record: CSVRecord, file: String) -> Result<Customer, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let id = check.identifier("customer_id")
        // Names and the group are shown, put in letters and URL paths and compared: the rules of
        // free text in a request apply to them too (the API could not address a group named
        // with a zero-width space).
        let name = check.text("name")
        let sector = check.required("sector_code")
        let country = check.country("country")
        let terms = check.integer("terms_days", in: 0...366)
        let registration = check.optionalText("registration_id")
        let group = check.optionalText("group")
        let strategic = check.flag("strategic")
        let salesRep = check.optionalText("sales_rep")
        guard check.problems.isEmpty, let id, let name, let sector, let country, let terms, let strategic, let registration, let group,
            let salesRep
        else {
            return .failure(RowProblems(check.problems))
        }
        return .success(
            Customer(
                id: id, name: name, registrationId: registration, sectorCode: sector, country: country, termsDays: terms, group: group,
                strategic: strategic, salesRep: salesRep))
    }

    public func invoice(_ record: CSVRecord, file: String) -> Result<Invoice, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let id = check.identifier("invoice_id")
        let customerId = check.identifier("customer_id")
        let issue = check.day("issue_date", .scheduled)
        let due = check.day("due_date", .scheduled)
        let amount = check.money("amount")
        let currency = check.currency("currency", expected: baseCurrency)
        // Optional: the order the invoice bills (empty or absent: none named).
        let orderId = check.optionalIdentifier("order_id")
        if let issue, let due, due < issue {
            check.problem(
                "due_date", record["due_date"],
                "is before the issue date \(issue.iso): the due date must be on or after the issue date")
        }
        guard check.problems.isEmpty, let id, let customerId, let issue, let due, let amount, let currency, let orderId else {
            return .failure(RowProblems(check.problems))
        }
        return .success(
            Invoice(id: id, customerId: customerId, issueDate: issue, dueDate: due, amount: amount, currency: currency, orderId: orderId))
    }

    public func payment(_ record: CSVRecord, file: String) -> Result<Payment, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let id = check.identifier("payment_id")
        let invoiceId = check.identifier("invoice_id")
        let paidOn = check.day("paid_on", .happened)
        let amount = check.money("amount")
        if amount == .zero {
            check.problem("amount", record["amount"], "is zero: a payment must move money")
        }
        guard check.problems.isEmpty, let id, let invoiceId, let paidOn, let amount else {
            return .failure(RowProblems(check.problems))
        }
        return .success(Payment(id: id, invoiceId: invoiceId, paidOn: paidOn, amount: amount))
    }

    public func dispute(_ record: CSVRecord, file: String) -> Result<Dispute, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let invoiceId = check.identifier("invoice_id")
        let kind = check.disputeKind("kind")?.rawValue
        let opened = check.day("opened_on", .happened)
        let resolved = check.optionalDay("resolved_on", .happened)
        if let opened, let resolved, let day = resolved, day < opened {
            check.problem("resolved_on", record["resolved_on"], "is before opened_on \(opened.iso)")
        }
        // Optional columns: the disputed part (empty: the whole open balance) and its owner.
        var amount: Money?
        if !record["amount"].isEmpty, let money = check.money("amount") {
            if money.cents > 0 {
                amount = money
            } else {
                check.problem(
                    "amount", record["amount"], "is not positive: the disputed part is an amount above zero, or empty for the whole balance")
            }
        }
        let owner = check.optionalText("owner")
        guard check.problems.isEmpty, let invoiceId, let kind, let opened, let resolved, let owner else {
            return .failure(RowProblems(check.problems))
        }
        return .success(Dispute(invoiceId: invoiceId, kind: kind, openedOn: opened, resolvedOn: resolved, amount: amount, owner: owner))
    }

    /// A `groups.csv` row: the group's name as the customers' `group` column spells it, its
    /// limit (zero or more: zero is no credit for the group), and optionally the currency, which
    /// must be the portfolio's. The limit is set by the import, on its day.
    public func groupLimit(_ record: CSVRecord, file: String) -> Result<GroupLimit, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let group = check.text("group")
        let limit = check.money("limit")
        if let limit, limit.cents < 0 {
            check.problem("limit", record["limit"], "is negative: a group limit is zero (no credit) or more")
        }
        let currency =
            record["currency"].isEmpty
            ? baseCurrency : check.currency("currency", expected: baseCurrency, remedy: "state the limit in \(baseCurrency)")
        guard check.problems.isEmpty, let group, let limit, let currency else { return .failure(RowProblems(check.problems)) }
        return .success(GroupLimit(group: group, limit: limit, currency: currency, setBy: "import", setOn: today, reason: "groups.csv"))
    }

    public func sector(_ record: CSVRecord, file: String) -> Result<Sector, RowProblems> {
        var check = FieldCheck(record: record, file: file, today: today)
        let code = check.identifier("sector_code")
        let label = check.text("label")
        let dbt = check.number("avg_days_beyond_terms", in: -60...365)
        let dso = check.number("avg_dso_days", in: 0...730)
        let failure = check.rate("annual_failure_rate")
        guard check.problems.isEmpty, let code, let label, let dbt, let dso, let failure else {
            return .failure(RowProblems(check.problems))
        }
        let source = record["source"]
        return .success(
            Sector(
                code: code, label: label, averageDaysBeyondTerms: dbt, averageDSODays: dso,
                annualFailureRate: failure, period: record["period"],
                source: source.isEmpty ? "not stated" : source))
    }
}

/// Everything wrong with one row.
public struct RowProblems: Error, Sendable {
    public var problems: [LocatedProblem]
    public init(_ problems: [LocatedProblem]) { self.problems = problems }
}

/// Checks fields of one record, collecting a problem per bad field so that a row reports
/// all its faults at once.
struct FieldCheck {
    let record: CSVRecord
    let file: String
    let today: Day
    var problems: [LocatedProblem] = []

    init(record: CSVRecord, file: String, today: Day) {
        self.record = record
        self.file = file
        self.today = today
    }

    /// What a date column records: something that has happened (never after the import's day),
    /// or something scheduled (at most `InputBounds.futureYears` ahead).
    enum Tense { case happened, scheduled }

    mutating func problem(_ column: String, _ value: String?, _ message: String) {
        problems.append(LocatedProblem(file: file, line: record.line, column: column, value: value, message: message))
    }

    mutating func required(_ column: String) -> String? {
        let value = record[column]
        if value.isEmpty {
            problem(column, nil, "is empty; a value is required")
            return nil
        }
        return value
    }

    /// An id as the ERP wrote it, less Unicode spaces at its ends (a no-break space after an id
    /// would make a second, invisibly different id); a control or invisible format character
    /// inside it (a BOM, a zero-width space) is refused for the same reason.
    mutating func identifier(_ column: String) -> String? {
        guard var value = required(column) else { return nil }
        // Nearly every id is printable ASCII without spaces: nothing to trim and nothing hidden,
        // and the per-character checks below cost more than the rest of a row's parsing.
        let plain = value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        if !plain {
            value = value.trimmingCharacters(in: .whitespaces)
        }
        if !plain,
            let hidden = value.unicodeScalars.first(where: {
                InputBounds.isForbiddenInText($0, allowLineBreaks: false) || ($0.properties.isWhitespace && $0 != " ")
            })
        {
            problem(
                column, value.truncatedForMessage(),
                "holds the invisible character U+\(String(hidden.value, radix: 16, uppercase: true)); ids must be visibly what they are")
            return nil
        }
        if value.utf8.count > 64 {
            problem(column, value.truncatedForMessage(), "is longer than 64 characters; ids this long are not ledger ids")
            return nil
        }
        return value
    }

    /// `.some(nil)` for an empty field, nil for a bad one (as `identifier`).
    mutating func optionalIdentifier(_ column: String) -> String?? {
        if record[column].isEmpty { return .some(nil) }
        guard let value = identifier(column) else { return nil }
        return .some(value)
    }

    /// Free text (a name): required, without control or invisible characters, within the bounds.
    mutating func text(_ column: String) -> String? {
        guard let value = required(column) else { return nil }
        if let fault = InputBounds.standard.textProblem(value) {
            problem(column, value.truncatedForMessage(), fault)
            return nil
        }
        return value
    }

    /// Optional free text: `.some(nil)` for an empty field, nil for a bad one (as `text`).
    mutating func optionalText(_ column: String) -> String?? {
        if record[column].isEmpty { return .some(nil) }
        guard let value = text(column) else { return nil }
        return .some(value)
    }

    mutating func day(_ column: String, _ tense: Tense) -> Day? {
        guard let value = required(column) else { return nil }
        guard let day = Day(parsing: value) else {
            problem(column, value.truncatedForMessage(), "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
            return nil
        }
        return plausible(day, tense, column: column, value: value)
    }

    /// `.some(nil)` for an empty field, nil for a bad one.
    mutating func optionalDay(_ column: String, _ tense: Tense) -> Day?? {
        let value = record[column]
        if value.isEmpty { return .some(nil) }
        guard let day = Day(parsing: value) else {
            problem(column, value.truncatedForMessage(), "is not a date (expected YYYY-MM-DD or DD/MM/YYYY, or empty)")
            return nil
        }
        guard let plausibleDay = plausible(day, tense, column: column, value: value) else { return nil }
        return .some(plausibleDay)
    }

    /// Ledger days lie from `InputBounds.earliestDay` (1990) on: 0001-01-01 is a placeholder,
    /// not a day anything happened. A payment or a dispute dated after the import's day has not
    /// happened yet (a typo, or a clock gone wrong), and a due date decades ahead is a typo too.
    mutating func plausible(_ day: Day, _ tense: Tense, column: String, value: String) -> Day? {
        guard day >= InputBounds.standard.earliestDay else {
            problem(column, value, "is before \(InputBounds.standard.earliestDay.iso), the earliest day a ledger entry may have")
            return nil
        }
        switch tense {
        case .happened where day > today:
            problem(column, value, "is in the future (the import runs on \(today.iso)); only what has happened can be recorded")
            return nil
        case .scheduled where day > InputBounds.standard.latestFutureDay(today: today):
            let latest = InputBounds.standard.latestFutureDay(today: today)
            problem(column, value, "is after \(latest.iso), more than \(InputBounds.standard.futureYears) years ahead")
            return nil
        default:
            return day
        }
    }

    mutating func disputeKind(_ column: String) -> DisputeKind? {
        guard let value = required(column) else { return nil }
        guard let kind = DisputeKind(parsing: value) else {
            problem(column, value.truncatedForMessage(), "is not a dispute kind (\(DisputeKind.listed))")
            return nil
        }
        return kind
    }

    mutating func money(_ column: String) -> Money? {
        guard let value = required(column) else { return nil }
        if Money.isAmbiguous(value) {
            problem(
                column, value,
                "is ambiguous: its one separator before three digits may mark thousands or decimals; "
                    + "write the amount with two decimals (e.g. 4000.00 or 4,00)")
            return nil
        }
        guard let money = Money(parsing: value) else {
            problem(column, value, "is not an amount (expected e.g. 1234.56, 1 234,56 or -12,50, at most 2 decimals)")
            return nil
        }
        // The bound JSON requests have: past it, totals of a few such amounts no longer fit.
        if let fault = InputBounds.standard.amountProblem(money) {
            problem(column, value, fault)
            return nil
        }
        return money
    }

    mutating func integer(_ column: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = required(column) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            problem(column, value, "is not a whole number of days from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func number(_ column: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = required(column) else { return nil }
        guard let number = DecimalText.double(value), range.contains(number) else {
            problem(
                column, value,
                "is not a number from \(DecimalText.plain(range.lowerBound)) to \(DecimalText.plain(range.upperBound))")
            return nil
        }
        return number
    }

    /// A rate as a fraction (`0.012`) or a percentage with its sign (`1,2 %`).
    mutating func rate(_ column: String) -> Double? {
        guard let value = required(column) else { return nil }
        var text = value
        var scale = 1.0
        if text.hasSuffix("%") {
            text.removeLast()
            scale = 0.01
        }
        // Rounded to 1e-9 so that "1,1%" is stored as 0.011, not 0.011000000000000001.
        guard let number = DecimalText.double(text).map({ ($0 * scale * 1e9).rounded() / 1e9 }), (0...1).contains(number)
        else {
            problem(column, value, "is not a rate (expected a fraction from 0 to 1 such as 0.012, or a percentage such as 1,2%)")
            return nil
        }
        return number
    }

    mutating func country(_ column: String) -> String? {
        guard let value = required(column) else { return nil }
        let upper = value.uppercased()
        guard upper.count == 2, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            problem(column, value, "is not a two-letter ISO 3166 country code (e.g. FR)")
            return nil
        }
        return upper
    }

    /// The portfolio's one currency; `remedy` says what to do with a row in another.
    mutating func currency(_ column: String, expected: String, remedy: String? = nil) -> String? {
        guard let value = required(column) else { return nil }
        let upper = value.uppercased()
        guard upper == expected else {
            problem(
                column, value,
                "is not the portfolio's base currency \(expected); "
                    + (remedy ?? "convert the invoice or import it into a portfolio in \(upper)"))
            return nil
        }
        return upper
    }

    /// `1`/`0`, `true`/`false`, `yes`/`no`, `oui`/`non`, or empty (no).
    mutating func flag(_ column: String) -> Bool? {
        switch record[column].lowercased() {
        case "", "0", "false", "no", "n", "non": return false
        case "1", "true", "yes", "y", "oui", "o": return true
        case let other:
            problem(column, other, "is not a yes/no flag (expected 1 or 0, or empty)")
            return nil
        }
    }
}

/// Decimal numbers written either way (`12.5`, `12,5`, `1 234,5`).
enum DecimalText {
    static func double(_ text: String) -> Double? {
        var cleaned = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\u{00A0}", "\u{202F}": continue
            case ",": cleaned.append(".")
            default: cleaned.unicodeScalars.append(scalar)
            }
        }
        guard !cleaned.isEmpty, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
