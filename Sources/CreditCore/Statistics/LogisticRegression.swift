import Foundation

/// Which side of zero a coefficient may take. A scorecard states its direction of risk up front
/// (paying later never lowers the PD), and a fit that flipped a sign on a noisy sample would
/// break that promise; so the fit holds such a coefficient at 0 instead of crossing.
public enum CoefficientSign: String, Sendable, Hashable, Codable, CaseIterable {
    case free
    case nonNegative
    case nonPositive
}

/// Maximum-likelihood logistic regression, the scorecard's own form: PD = logistic(offset +
/// intercept + Σ coefficient × value), so fitted coefficients are log-odds effects and the
/// prior's log-odds enter as an offset.
///
/// The fit maximises ℓ(β) − ½·ridge·Σⱼ βⱼ² (the intercept is not penalised; coefficients are
/// penalised in their columns' own units, so put columns on comparable scales first) by Newton's
/// method with step halving. Sign constraints are kept by a projected Newton step over an active
/// set: a constrained coefficient at 0 whose gradient points out of its side is held there;
/// one whose gradient points in is released. Deterministic: rows are summed in fixed chunks in
/// a fixed order, whatever the number of cores that share them.
///
/// It never traps nor loops on its input: a problem without a finite solution (one outcome only,
/// collinear columns or perfect separation without a ridge) is refused with a `LogisticFitError`;
/// with a positive ridge and both outcomes present the solution always exists.
public struct LogisticRegression: Sendable, Hashable, Codable {
    /// λ ≥ 0 of the penalty ½·λ·Σ β² (scikit-learn's `C` is 1/λ).
    public var ridge: Double
    /// One sign rule per column; empty means every coefficient is free.
    public var signs: [CoefficientSign]
    public var fitsIntercept: Bool
    /// Newton steps allowed before giving up (the result then says `converged == false`).
    public var maximumIterations: Int
    /// Converged when no Newton step moves a coefficient by more than tolerance × (1 + |β|).
    public var tolerance: Double

    public init(
        ridge: Double = 0, signs: [CoefficientSign] = [], fitsIntercept: Bool = true, maximumIterations: Int = 100,
        tolerance: Double = 1e-9
    ) {
        self.ridge = ridge
        self.signs = signs
        self.fitsIntercept = fitsIntercept
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
    }

    /// Fits the model to `sample`, or says why it has no finite solution.
    public func fit(_ sample: LogisticSample) throws(LogisticFitError) -> LogisticFit {
        guard ridge.isFinite, ridge >= 0 else { throw .invalidOptions("the ridge penalty must be a finite number, 0 or more (got \(ridge))") }
        guard maximumIterations >= 1 else { throw .invalidOptions("at least one iteration is needed (got \(maximumIterations))") }
        guard tolerance.isFinite, tolerance > 0 else { throw .invalidOptions("the tolerance must be a positive number (got \(tolerance))") }
        guard signs.isEmpty || signs.count == sample.columnCount else {
            throw .shapeMismatch("\(signs.count) sign rules for \(sample.columnCount) columns")
        }
        let problem = NewtonProblem(regression: self, sample: sample)
        return try problem.solve()
    }
}

/// A fitted logistic model: the coefficients, how sure they are, and how the fit went.
public struct LogisticFit: Sendable, Hashable, Codable {
    /// 0 when the model was fitted without one.
    public var intercept: Double
    public var coefficients: [Double]
    /// Nil when the model was fitted without an intercept.
    public var interceptStandardError: Double?
    /// Square roots of the diagonal of the inverse penalised information matrix, taken over
    /// the coefficients that are free at the solution; nil for a coefficient held at 0 by its sign
    /// rule, whose estimate is the bound, not a draw from a distribution.
    public var standardErrors: [Double?]
    /// True for a coefficient held at 0 by its sign rule.
    public var heldAtZero: [Bool]
    /// Newton steps taken.
    public var iterations: Int
    public var converged: Bool
    /// ℓ = Σ wᵢ (yᵢ ηᵢ − log(1 + e^ηᵢ)) at the solution.
    public var logLikelihood: Double
    /// ℓ − ½·ridge·Σ β², the objective the fit maximised.
    public var penalizedLogLikelihood: Double

    /// offset + intercept + Σ coefficient × value; values beyond the coefficients' count are ignored.
    public func logOdds(_ values: some Sequence<Double>, offset: Double = 0) -> Double {
        var sum = offset + intercept
        for (coefficient, value) in zip(coefficients, values) { sum += coefficient * value }
        return sum
    }

    /// The PD the model gives for one row: logistic of its log-odds.
    public func pd(_ values: some Sequence<Double>, offset: Double = 0) -> Double {
        Scorer.logistic(logOdds(values, offset: offset))
    }
}

/// The state of one fit: the sample, the parameters (intercept first when fitted) and their rules.
private struct NewtonProblem {
    let sample: LogisticSample
    let ridge: Double
    let fitsIntercept: Bool
    let maximumIterations: Int
    let tolerance: Double
    /// Number of parameters, intercept included.
    let size: Int
    /// Index of the first column's coefficient among the parameters.
    let first: Int
    let penalty: [Double]
    let rules: [CoefficientSign]

    init(regression: LogisticRegression, sample: LogisticSample) {
        self.sample = sample
        ridge = regression.ridge
        fitsIntercept = regression.fitsIntercept
        maximumIterations = regression.maximumIterations
        tolerance = regression.tolerance
        first = regression.fitsIntercept ? 1 : 0
        size = sample.columnCount + first
        var penalty = [Double](repeating: regression.ridge, count: size)
        var rules = [CoefficientSign](repeating: .free, count: size)
        if regression.fitsIntercept { penalty[0] = 0 }
        for (column, rule) in regression.signs.enumerated() { rules[first + column] = rule }
        self.penalty = penalty
        self.rules = rules
    }

    /// The penalised objective with its gradient and negative Hessian at one point.
    struct Evaluation {
        var logLikelihood: Double
        var penalized: Double
        var gradient: [Double]
        /// Negative Hessian of the penalised objective, full, row-major.
        var information: [Double]
    }

    func solve() throws(LogisticFitError) -> LogisticFit {
        let totals = LogisticLikelihood.totals(sample)
        guard totals.weight > 0 else { throw .emptySample }
        if fitsIntercept {
            if totals.defaultWeight == 0 { throw .singleOutcome(defaulted: false) }
            if totals.defaultWeight == totals.weight { throw .singleOutcome(defaulted: true) }
        }
        // Start at the observed default rate, net of the mean offset: all coefficients at 0 is on
        // the feasible side of every sign rule.
        var theta = [Double](repeating: 0, count: size)
        if fitsIntercept {
            let rate = totals.defaultWeight / totals.weight
            theta[0] = Scorer.logit(rate) - totals.offset / totals.weight
        }
        var current = evaluate(theta)
        guard current.penalized.isFinite, current.gradient.allSatisfy(\.isFinite), current.information.allSatisfy(\.isFinite) else {
            throw .tooLarge
        }
        if ridge == 0, case .failure(let pivot) = CholeskyFactorization.factor(current.information, size: size) {
            throw .collinear(column: column(ofParameter: pivot.index))
        }

        var iterations = 0
        var converged = false
        var lastStep = [Double](repeating: 0, count: size)
        newton: while true {
            guard let direction = newtonDirection(theta: theta, at: current) else {
                // The information matrix lost rank on the way: rows saturated at PD 0 or 1.
                if ridge == 0 { throw .separation }
                break newton
            }
            lastStep = direction.step
            let settled = (0..<size).allSatisfy { abs(direction.step[$0]) <= tolerance * (1 + abs(theta[$0])) }
            if settled {
                converged = true
                break newton
            }
            guard iterations < maximumIterations else { break newton }
            iterations += 1
            // Halve the step until the objective does not fall (allowing rounding noise).
            let noise = 1e-13 * (1 + abs(current.penalized))
            var fraction = 1.0
            for _ in 0..<30 {
                let trial = project((0..<size).map { theta[$0] + fraction * direction.step[$0] })
                let evaluation = evaluate(trial)
                if evaluation.penalized >= current.penalized - noise {
                    theta = trial
                    current = evaluation
                    continue newton
                }
                fraction /= 2
            }
            // No step improves the objective: at the optimum to rounding, unless it lies at infinity.
            converged = direction.decrement <= 1e-10 * (1 + abs(current.penalized))
            break newton
        }
        if !converged, ridge == 0, separates(lastStep) { throw .separation }

        let held = (0..<size).map { isHeld($0, theta: theta, gradient: current.gradient) }
        let free = (0..<size).filter { !held[$0] }
        var variances = [Double?](repeating: nil, count: size)
        if case .success(let factor) = CholeskyFactorization.factor(submatrix(current.information, free), size: free.count) {
            for (position, variance) in zip(free, factor.inverseDiagonal()) { variances[position] = variance }
        }
        return LogisticFit(
            intercept: fitsIntercept ? theta[0] : 0, coefficients: Array(theta[first...]),
            interceptStandardError: fitsIntercept ? variances[0].map { $0.squareRoot() } : nil,
            standardErrors: variances[first...].map { $0.map { $0.squareRoot() } }, heldAtZero: Array(held[first...]),
            iterations: iterations, converged: converged, logLikelihood: current.logLikelihood,
            penalizedLogLikelihood: current.penalized)
    }

    /// Parameter index to the caller's column index; nil for the intercept.
    private func column(ofParameter index: Int) -> Int? {
        fitsIntercept ? (index == 0 ? nil : index - 1) : index
    }

    /// A constrained coefficient at 0 whose gradient points out of its allowed side (KKT).
    private func isHeld(_ index: Int, theta: [Double], gradient: [Double]) -> Bool {
        guard theta[index] == 0 else { return false }
        switch rules[index] {
        case .free: return false
        case .nonNegative: return gradient[index] <= 0
        case .nonPositive: return gradient[index] >= 0
        }
    }

    private func project(_ theta: [Double]) -> [Double] {
        (0..<size).map { index in
            switch rules[index] {
            case .free: theta[index]
            case .nonNegative: max(0, theta[index])
            case .nonPositive: min(0, theta[index])
            }
        }
    }

    private func submatrix(_ matrix: [Double], _ indices: [Int]) -> [Double] {
        var result = [Double]()
        result.reserveCapacity(indices.count * indices.count)
        for row in indices { for column in indices { result.append(matrix[row * size + column]) } }
        return result
    }

    /// The Newton step over the free parameters (zero on the held ones) and its predicted gain
    /// ½·gᵀH⁻¹g; nil when the free block of the information matrix is not positive definite.
    ///
    /// A parameter at its bound whose gradient points inside is released, but if the coupled
    /// Newton step would still push it outside it is held for this step: projecting such a step
    /// could stall, and at a stationary point of the others the released step points inside.
    private func newtonDirection(theta: [Double], at evaluation: Evaluation) -> (step: [Double], decrement: Double)? {
        var held = (0..<size).map { isHeld($0, theta: theta, gradient: evaluation.gradient) }
        while true {
            let free = (0..<size).filter { !held[$0] }
            var step = [Double](repeating: 0, count: size)
            guard !free.isEmpty else { return (step, 0) }
            guard case .success(let factor) = CholeskyFactorization.factor(submatrix(evaluation.information, free), size: free.count)
            else { return nil }
            let gradient = free.map { evaluation.gradient[$0] }
            let solution = factor.solve(gradient)
            for (position, value) in zip(free, solution) { step[position] = value }
            let outward = free.filter { index in
                guard theta[index] == 0 else { return false }
                switch rules[index] {
                case .free: return false
                case .nonNegative: return step[index] < 0
                case .nonPositive: return step[index] > 0
                }
            }
            if outward.isEmpty {
                let decrement = zip(gradient, solution).reduce(0) { $0 + $1.0 * $1.1 } / 2
                return (step, decrement)
            }
            for index in outward { held[index] = true }
        }
    }

    /// Whether `direction` never lowers a defaulter's log-odds nor raises a survivor's, and moves
    /// some: then the likelihood rises along it for ever, the definition of (quasi-)separation.
    private func separates(_ direction: [Double]) -> Bool {
        guard direction.contains(where: { $0 != 0 }) else { return false }
        var strict = false
        let columns = sample.columnCount
        for row in 0..<sample.rowCount where (sample.weights?[row] ?? 1) > 0 {
            var change = fitsIntercept ? direction[0] : 0
            var scale = abs(change)
            for column in 0..<columns {
                let term = direction[first + column] * sample.features[row * columns + column]
                change += term
                scale += abs(term)
            }
            let signed = sample.defaulted[row] ? change : -change
            if signed < -1e-7 * scale { return false }
            if signed > 1e-7 * scale { strict = true }
        }
        return strict
    }

    private func evaluate(_ theta: [Double]) -> Evaluation {
        let sums = LogisticLikelihood.likelihood(sample, theta: theta, fitsIntercept: fitsIntercept)
        var penalized = sums.logLikelihood
        var gradient = sums.gradient
        var information = sums.information
        for index in 0..<size where penalty[index] > 0 {
            penalized -= penalty[index] * theta[index] * theta[index] / 2
            gradient[index] -= penalty[index] * theta[index]
            information[index * size + index] += penalty[index]
        }
        return Evaluation(logLikelihood: sums.logLikelihood, penalized: penalized, gradient: gradient, information: information)
    }
}
