import Foundation

/// The Cholesky factor L (A = L·Lᵀ) of a small symmetric positive definite matrix: the Newton
/// solve of the logistic fit and its standard errors. Written here because the core imports
/// Foundation only, and the matrices are at most a few dozen rows wide.
struct CholeskyFactorization: Sendable {
    let size: Int
    /// Lower triangle, row-major, size × size (the upper part is zero).
    private var lower: [Double]

    /// Factors `matrix` (row-major, size × size; only its lower triangle is read). Returns the
    /// first pivot that is not clearly positive instead: column `k` of a Hessian is then
    /// (numerically) a linear combination of the columns before it.
    static func factor(_ matrix: [Double], size: Int) -> Result<CholeskyFactorization, Pivot> {
        guard size >= 0, matrix.count == size * size else { return .failure(Pivot(index: 0)) }
        var lower = [Double](repeating: 0, count: size * size)
        // A pivot below this share of its diagonal entry is rounding noise, not information.
        let relativeFloor = 1e-12
        for column in 0..<size {
            var diagonal = matrix[column * size + column]
            for k in 0..<column { diagonal -= lower[column * size + k] * lower[column * size + k] }
            let scale = abs(matrix[column * size + column])
            guard diagonal.isFinite, diagonal > relativeFloor * scale, diagonal > 0 else {
                return .failure(Pivot(index: column))
            }
            let root = diagonal.squareRoot()
            lower[column * size + column] = root
            for row in (column + 1)..<max(column + 1, size) {
                var sum = matrix[row * size + column]
                for k in 0..<column { sum -= lower[row * size + k] * lower[column * size + k] }
                lower[row * size + column] = sum / root
            }
        }
        return .success(CholeskyFactorization(size: size, lower: lower))
    }

    /// The index of the pivot that failed.
    struct Pivot: Error, Hashable {
        let index: Int
    }

    /// x with A·x = b, by forward then backward substitution.
    func solve(_ rightHandSide: [Double]) -> [Double] {
        var x = rightHandSide
        for row in 0..<size {
            var sum = x[row]
            for k in 0..<row { sum -= lower[row * size + k] * x[k] }
            x[row] = sum / lower[row * size + row]
        }
        for row in stride(from: size - 1, through: 0, by: -1) {
            var sum = x[row]
            for k in (row + 1)..<max(row + 1, size) { sum -= lower[k * size + row] * x[k] }
            x[row] = sum / lower[row * size + row]
        }
        return x
    }

    /// The diagonal of A⁻¹, the variances of the estimates when A is an information matrix:
    /// (A⁻¹)ᵢᵢ = ‖L⁻¹eᵢ‖², so only L⁻¹ is needed.
    func inverseDiagonal() -> [Double] {
        // Columns of L⁻¹ by forward substitution of the unit vectors; L⁻¹ is lower triangular.
        var inverseLower = [Double](repeating: 0, count: size * size)
        for column in 0..<size {
            inverseLower[column * size + column] = 1 / lower[column * size + column]
            for row in (column + 1)..<max(column + 1, size) {
                var sum = 0.0
                for k in column..<row { sum -= lower[row * size + k] * inverseLower[k * size + column] }
                inverseLower[row * size + column] = sum / lower[row * size + row]
            }
        }
        return (0..<size).map { column in
            var sum = 0.0
            for row in column..<size { sum += inverseLower[row * size + column] * inverseLower[row * size + column] }
            return sum
        }
    }
}
