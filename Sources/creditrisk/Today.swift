import CreditCore
import Foundation

extension Day {
    /// Today in UTC: the clock is read here, at the edge, never in the core.
    static func today() -> Day {
        Day(containing: Date())
    }
}
