import Foundation

/// The sums over rows that one Newton step needs: the log-likelihood, its gradient and the
/// information matrix Σ wᵢ pᵢ(1 − pᵢ) xᵢxᵢᵀ, in one pass.
///
/// This is the only loop over millions of rows, so it reads the flat arrays through pointers and
/// allocates nothing per row. Rows are cut into chunks of a fixed size, each summed on its own
/// (the cores share the chunks) and the chunk sums added in chunk order: the result does not
/// depend on how many cores there are or which finished first.
///
/// Measured on the 2-core development machine: 2.4 million rows × 12 columns with offsets fit in
/// 0.55–0.95 s in a release build (5 Newton steps, with or without ridge and sign rules), about 7 s
/// in a debug build; each step is one pass over the rows.
enum LogisticLikelihood {
    static let chunkRows = 16_384

    struct Totals {
        var weight = 0.0
        var defaultWeight = 0.0
        /// Σ wᵢ · offsetᵢ.
        var offset = 0.0
    }

    struct Sums {
        var logLikelihood: Double
        var gradient: [Double]
        /// Full and symmetric, row-major.
        var information: [Double]
    }

    static func totals(_ sample: LogisticSample) -> Totals {
        var totals = Totals()
        for row in 0..<sample.rowCount {
            let weight = sample.weights?[row] ?? 1
            totals.weight += weight
            if sample.defaulted[row] { totals.defaultWeight += weight }
            totals.offset += weight * (sample.offsets?[row] ?? 0)
        }
        return totals
    }

    /// ℓ, ∇ℓ and −∇²ℓ at `theta` (the intercept first when `fitsIntercept`), without penalty.
    static func likelihood(_ sample: LogisticSample, theta: [Double], fitsIntercept: Bool) -> Sums {
        let size = theta.count
        let stride = 1 + size + size * (size + 1) / 2
        let chunks = (sample.rowCount + chunkRows - 1) / chunkRows
        var partials = [Double](repeating: 0, count: chunks * stride)
        let columns = sample.columnCount
        let rowCount = sample.rowCount
        sample.features.withUnsafeBufferPointer { features in
            sample.defaulted.withUnsafeBufferPointer { defaulted in
                withOptionalBuffer(sample.weights) { weights in
                    withOptionalBuffer(sample.offsets) { offsets in
                        theta.withUnsafeBufferPointer { theta in
                            partials.withUnsafeMutableBufferPointer { partials in
                                let rows = Rows(
                                    features: features, columns: columns, defaulted: defaulted, weights: weights,
                                    offsets: offsets, theta: theta, fitsIntercept: fitsIntercept, partials: partials,
                                    stride: stride)
                                if chunks > 1 {
                                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                                        rows.accumulate(chunk * chunkRows..<min(rowCount, (chunk + 1) * chunkRows), into: chunk)
                                    }
                                } else if chunks == 1 {
                                    rows.accumulate(0..<rowCount, into: 0)
                                }
                            }
                        }
                    }
                }
            }
        }
        var logLikelihood = 0.0
        var gradient = [Double](repeating: 0, count: size)
        var packed = [Double](repeating: 0, count: size * (size + 1) / 2)
        for chunk in 0..<chunks {
            let base = chunk * stride
            logLikelihood += partials[base]
            for index in 0..<size { gradient[index] += partials[base + 1 + index] }
            for index in 0..<packed.count { packed[index] += partials[base + 1 + size + index] }
        }
        var information = [Double](repeating: 0, count: size * size)
        var position = 0
        for row in 0..<size {
            for column in row..<size {
                information[row * size + column] = packed[position]
                information[column * size + row] = packed[position]
                position += 1
            }
        }
        return Sums(logLikelihood: logLikelihood, gradient: gradient, information: information)
    }

    private static func withOptionalBuffer<Result>(
        _ array: [Double]?, _ body: (UnsafeBufferPointer<Double>?) -> Result
    ) -> Result {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0) }
    }

    /// Read-only views of the sample and one chunk's slot in the output, shared by the threads
    /// of `concurrentPerform`: each chunk writes only its own `stride` values.
    private struct Rows: @unchecked Sendable {
        let features: UnsafeBufferPointer<Double>
        let columns: Int
        let defaulted: UnsafeBufferPointer<Bool>
        let weights: UnsafeBufferPointer<Double>?
        let offsets: UnsafeBufferPointer<Double>?
        let theta: UnsafeBufferPointer<Double>
        let fitsIntercept: Bool
        let partials: UnsafeMutableBufferPointer<Double>
        let stride: Int

        func accumulate(_ rows: Range<Int>, into chunk: Int) {
            let size = theta.count
            let first = fitsIntercept ? 1 : 0
            let intercept = fitsIntercept ? theta[0] : 0
            let base = chunk * stride
            var logLikelihood = 0.0
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, size)) { vector in
                if fitsIntercept { vector[0] = 1 }
                for row in rows {
                    let weight = weights?[row] ?? 1
                    guard weight > 0 else { continue }
                    var eta = intercept + (offsets?[row] ?? 0)
                    let start = row * columns
                    for column in 0..<columns {
                        let value = features[start + column]
                        vector[first + column] = value
                        eta += value * theta[first + column]
                    }
                    // log(1 + e^η) and the PD from one exponential of −|η|, exact at both tails.
                    let tail = exp(-abs(eta))
                    let softplus = max(eta, 0) + log1p(tail)
                    let pd = eta >= 0 ? 1 / (1 + tail) : tail / (1 + tail)
                    let outcome: Double = defaulted[row] ? 1 : 0
                    logLikelihood += weight * (outcome * eta - softplus)
                    let residual = weight * (outcome - pd)
                    let curvature = weight * pd * (1 - pd)
                    for index in 0..<size { partials[base + 1 + index] += residual * vector[index] }
                    var position = base + 1 + size
                    for row in 0..<size {
                        let scaled = curvature * vector[row]
                        for column in row..<size {
                            partials[position] += scaled * vector[column]
                            position += 1
                        }
                    }
                }
            }
            partials[base] = logLikelihood
        }
    }
}
