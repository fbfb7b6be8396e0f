import Foundation

/// The Beta(α, β) distribution: the posterior of a default rate, and so the source of the
/// Jeffreys interval a PD backtest checks grades against.
public struct BetaDistribution: Sendable, Hashable {
    public let alpha: Double
    public let beta: Double
    /// ln B(α, β), computed once.
    private let logBeta: Double

    /// Nil unless both parameters are finite and positive.
    public init?(alpha: Double, beta: Double) {
        guard alpha.isFinite, beta.isFinite, alpha > 0, beta > 0 else { return nil }
        self.alpha = alpha
        self.beta = beta
        logBeta = lgamma(alpha) + lgamma(beta) - lgamma(alpha + beta)
    }

    /// P(X ≤ x), the regularised incomplete beta function I_x(α, β).
    ///
    /// Its continued fraction (Numerical Recipes §6.4) evaluated by the modified Lentz method,
    /// on whichever of x and 1 − x makes it converge fast (I_x(α, β) = 1 − I_{1−x}(β, α)).
    public func cdf(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let front = exp(alpha * log(x) + beta * log1p(-x) - logBeta)
        if x < (alpha + 1) / (alpha + beta + 2) {
            return front * Self.continuedFraction(alpha, beta, x) / alpha
        }
        return 1 - front * Self.continuedFraction(beta, alpha, 1 - x) / beta
    }

    /// The density at x, the derivative the quantile's Newton steps need.
    public func density(_ x: Double) -> Double {
        guard x > 0, x < 1 else {
            if x == 0, alpha < 1 { return .infinity }
            if x == 1, beta < 1 { return .infinity }
            if x == 0, alpha == 1 { return exp(-logBeta) }
            if x == 1, beta == 1 { return exp(-logBeta) }
            return 0
        }
        return exp((alpha - 1) * log(x) + (beta - 1) * log1p(-x) - logBeta)
    }

    /// The x with P(X ≤ x) = probability: Newton's method on the CDF from the Numerical Recipes
    /// starting guess, kept inside a bracket that shrinks at every step and bisected whenever
    /// a Newton step would leave it, so it always ends (at most 200 steps, in practice under 10).
    public func quantile(_ probability: Double) -> Double {
        guard probability > 0 else { return 0 }
        guard probability < 1 else { return 1 }
        var low = 0.0
        var high = 1.0
        var x = min(max(startingGuess(probability), Double.leastNormalMagnitude), 1 - Double.ulpOfOne / 2)
        for _ in 0..<200 {
            let error = cdf(x) - probability
            if error == 0 { return x }
            if error < 0 { low = x } else { high = x }
            var next = x - error / density(x)
            if !(next > low && next < high) { next = low / 2 + high / 2 }
            if abs(next - x) <= 4 * x.ulp || high - low <= 4 * x.ulp { return next }
            x = next
        }
        return x
    }

    /// Numerical Recipes' first guess for the inverse incomplete beta (§6.4, `invbetai`).
    private func startingGuess(_ p: Double) -> Double {
        let a = alpha
        let b = beta
        if a >= 1, b >= 1 {
            let pp = p < 0.5 ? p : 1 - p
            let t = (-2 * log(pp)).squareRoot()
            var x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { x = -x }
            let al = (x * x - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w = x * (al + h).squareRoot() / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5.0 / 6 - 2 / (3 * h))
            return a / (a + b * exp(2 * w))
        }
        let lna = log(a / (a + b))
        let lnb = log(b / (a + b))
        let t = exp(a * lna) / a
        let u = exp(b * lnb) / b
        let w = t + u
        if p < t / w { return pow(a * w * p, 1 / a) }
        return 1 - pow(b * w * (1 - p), 1 / b)
    }

    /// The continued fraction of I_x(a, b) by the modified Lentz method; converges quickly for
    /// x < (a + 1)/(a + b + 2), in about √max(a, b) terms for large parameters.
    private static func continuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for step in 1...100_000 {
            let m = Double(step)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}

extension ConfidenceInterval {
    /// The Jeffreys interval for a default rate of `defaults` out of `customers`: the equal-tailed
    /// interval of the Beta(d + ½, n − d + ½) posterior, with the lower bound 0 when d = 0 and the
    /// upper bound 1 when d = n. The EBA/ECB validation test of a grade's PD: the grade is
    /// calibrated when its mean PD lies inside the interval of its observed rate.
    ///
    /// Nil unless 0 ≤ defaults ≤ customers, customers > 0 and 0 < level < 1.
    public static func jeffreys(defaults: Int, customers: Int, level: Double = 0.95) -> ConfidenceInterval? {
        guard customers > 0, defaults >= 0, defaults <= customers, level > 0, level < 1,
            let posterior = BetaDistribution(alpha: Double(defaults) + 0.5, beta: Double(customers - defaults) + 0.5)
        else { return nil }
        let lower = defaults == 0 ? 0 : posterior.quantile((1 - level) / 2)
        let upper = defaults == customers ? 1 : posterior.quantile((1 + level) / 2)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }
}
