/// A step of the model's grade scale (best first), or `D` for a customer in default.
///
/// The scale lives in the model file, so a grade carries its rank in that scale: comparing ranks
/// ("3 is better than 7") needs no model at hand. `D` always ranks after the worst scale step.
public struct Grade: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The code a person reads and types, as the model file spells it (`"1"`, `"7"`, `"D"`).
    public var code: String
    /// 1 for the best grade of the scale; the scale's length + 1 for `D`.
    public var rank: Int

    /// The code reserved for a customer in default; a scale step may not use it.
    public static let defaultCode = "D"

    public var isDefault: Bool { code == Grade.defaultCode }

    /// Lower rank is better: `a < b` reads "a is a better grade than b".
    public static func < (lhs: Grade, rhs: Grade) -> Bool { lhs.rank < rhs.rank }

    public var description: String { code }
}
