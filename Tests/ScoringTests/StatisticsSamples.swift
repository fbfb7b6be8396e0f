import CreditCore
import Foundation

/// The samples of `Tests/References/statistics_references.py`, drawn here with the same generator, in
/// the same order and with the same arithmetic, so that the reference values hold for them.
enum StatisticsSamples {
    /// 500 rows of 4 columns (a value in [−2, 2], a 0/1 flag, a value in [0, 10], one correlated
    /// with the first), an offset in [−3, −1] and a weight of 1, 2 or 3 per row; outcomes drawn
    /// from logistic(offset + 0.3 + 0.9 x1 + 0.6 x2 − 0.04 x3 − 0.5 x4).
    static func credit() -> (features: [Double], defaulted: [Bool], offsets: [Double], weights: [Double]) {
        var random = SplitMix64(state: 2024)
        var features: [Double] = []
        var defaulted: [Bool] = []
        var offsets: [Double] = []
        var weights: [Double] = []
        for _ in 0..<500 {
            let x1 = Double(random.next() % 4001) / 1000 - 2
            let x2: Double = random.next() % 10 < 3 ? 1 : 0
            let x3 = Double(random.next() % 1001) / 100
            let x4 = Double(random.next() % 2001) / 1000 - 1 + 0.5 * x1
            let offset = -3 + Double(random.next() % 9) * 0.25
            let weight = Double(1 + random.next() % 3)
            let eta = offset + 0.3 + 0.9 * x1 + 0.6 * x2 - 0.04 * x3 - 0.5 * x4
            defaulted.append(random.chance(1 / (1 + exp(-eta))))
            features += [x1, x2, x3, x4]
            offsets.append(offset)
            weights.append(weight)
        }
        return (features, defaulted, offsets, weights)
    }

    /// 300 scores on a grid of 0.01 (so many ties), defaults drawn with chance 0.05 + 0.4 × score.
    static func scored() -> [PDOutcome] {
        var random = SplitMix64(state: 7)
        return (0..<300).map { _ in
            let score = Double(random.next() % 100) / 100
            return PDOutcome(pd: score, defaulted: random.chance(0.05 + 0.4 * score))
        }
    }
}
