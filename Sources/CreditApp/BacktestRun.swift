import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader

/// Checks the model against what really happened: every customer is scored as of a past day,
/// using only what was known then, and the prediction is compared with whether it defaulted
/// within the following twelve months.
public struct BacktestRun: Sendable {
    public let database: any DatabaseReader
    public let model: ScoringModel

    /// Customers that had already defaulted on the day are left out: there is nothing left to predict.
    /// Customers missing from the outcomes are counted as not defaulted, the usual reading of a
    /// default register.
    public func run(asOf day: Day, outcomes: [Outcome], horizonDays: Int = 365) throws -> (report: BacktestReport, excluded: Int) {
        let defaults = Dictionary(outcomes.map { ($0.customerId, $0.defaultDate) }, uniquingKeysWith: { $0 ?? $1 })
        let scorer = Scorer(model: model)
        var predictions: [BacktestPrediction] = []
        var excluded = 0
        try database.read { db in
            let context = try EvidenceContext(db, model: model)
            try LedgerHistories().forEach(db, asOf: day) { history in
                if let defaultDate = defaults[history.customer.id] ?? nil, defaultDate <= day {
                    excluded += 1
                    return
                }
                let assessment = scorer.assess(try context.evidence(db, history, asOf: day))
                let defaultDate = defaults[assessment.customerId] ?? nil
                let defaulted = defaultDate.map { $0 > day && $0 <= day + horizonDays } ?? false
                predictions.append(
                    BacktestPrediction(pd: assessment.pd, defaulted: defaulted, grade: assessment.grade, referenceDate: day))
            }
        }
        // The outcomes file says nothing of how far it was observed: the horizon is taken as complete.
        return (Backtest.evaluate(predictions: predictions, horizonDays: horizonDays), excluded)
    }
}
