import CreditCore
import Foundation

/// What really happened to a customer: the labels a backtest checks predictions against.
public struct Outcome: Hashable, Sendable {
    public var customerId: String
    public var defaultDate: Day?
}

/// Reads `outcomes.csv` (customer_id, defaulted, default_date), as the generator writes it or a
/// credit manager compiles it from recovery files.
public enum OutcomesFile {
    public static func read(_ url: URL) throws -> [Outcome] {
        let records = try CSVRecords(url: url, requiredColumns: ["customer_id", "defaulted", "default_date"])
        var outcomes: [Outcome] = []
        var log = ProblemLog()
        for record in records {
            let id = record["customer_id"]
            let flag = record["defaulted"].lowercased()
            let dateText = record["default_date"]
            let defaulted = ["1", "true", "yes", "oui"].contains(flag)
            guard !id.isEmpty else {
                log.record(LocatedProblem(file: records.fileName, line: record.line, column: "customer_id", message: "is empty"))
                continue
            }
            guard defaulted || ["0", "false", "no", "non", ""].contains(flag) else {
                log.record(
                    LocatedProblem(
                        file: records.fileName, line: record.line, column: "defaulted", value: flag,
                        message: "is not 1 or 0"))
                continue
            }
            var date: Day?
            if defaulted {
                guard let day = Day(parsing: dateText) else {
                    log.record(
                        LocatedProblem(
                            file: records.fileName, line: record.line, column: "default_date", value: dateText,
                            message: "is not a date; a defaulted customer needs its default date"))
                    continue
                }
                date = day
            }
            outcomes.append(Outcome(customerId: id, defaultDate: date))
        }
        if let problem = records.readProblem { log.record(problem) }
        guard log.isEmpty else { throw log.error }
        return outcomes
    }
}
