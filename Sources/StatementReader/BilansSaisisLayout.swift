import CreditCore

/// One regime of the INPI mapping prepared once for reading many documents: each declared line
/// resolved to a slot (its liasse code) and a column index, with the name errors give it
/// already written; the fields in canonical order and the totals checks with their terms
/// pointing at those lines, and the section lines that show a field's form was filed. Reading a
/// document then finds each cell by index, with no table lookup by name and no text built
/// unless there is an error to report. The mapping stays the one source: this is derived from it.
struct BilansSaisisLayout: Sendable {
    /// Where one year of a declared line is: the liasse's slot and the column's index (m1 is 0).
    struct Cell: Sendable {
        var slot: Int
        var column: Int
        /// `liasse CO m3 (Total général actif)`, as totals errors name it.
        var name: String
    }

    struct Line: Sendable {
        /// Nil when the mapping names a column other than m1..m4 (validation refuses that; a
        /// mapping built in code reads nothing there).
        var year: Cell?
        var previousYear: Cell?
    }

    /// A term of a formula with its line looked up (nil: not declared, which validation refuses).
    struct Term: FormulaTerm, Sendable {
        var negated: Bool
        var optional: Bool
        var line: Line?
    }

    /// A canonical field the regime reads, with the lines of its section (nil: not in a section).
    struct Field: Sendable {
        var field: CanonicalField
        var alternatives: [[Term]]
        var filedWhenAnyOf: [Line?]?
    }

    /// Liasse code -> slot, for every code the regime declares a line for.
    let slots: [String: Int]
    /// The fields the regime maps, in `CanonicalField.allCases` order.
    let fields: [Field]
    /// The identities between the forms' totals, in the regime's order.
    let checks: [CheckSides<Term>]

    init(_ regime: BilansSaisisMapping.Regime) {
        var slots: [String: Int] = [:]
        for code in regime.lines.map({ $0.value.code ?? $0.key }).sorted() where slots[code] == nil {
            slots[code] = slots.count
        }
        var lines: [String: Line] = [:]
        for (reference, line) in regime.lines {
            let code = line.code ?? reference
            func cell(_ column: String?) -> Cell? {
                guard let column, let slot = slots[code], let index = Liasse.columns.firstIndex(of: column) else { return nil }
                return Cell(slot: slot, column: index, name: "liasse \(code) \(column) (\(line.label))")
            }
            lines[reference] = Line(year: cell(line.year), previousYear: cell(line.previousYear))
        }
        self.slots = slots
        func resolved(_ formula: MappingFormula) -> [[Term]] {
            formula.alternatives.map { $0.map { Term(negated: $0.negated, optional: $0.optional, line: lines[$0.reference]) } }
        }
        fields = CanonicalField.allCases.compactMap { field in
            regime.fields[field.rawValue].map {
                Field(
                    field: field, alternatives: resolved($0),
                    filedWhenAnyOf: regime.section(of: field)?.filedWhenAnyOf.map { lines[$0] })
            }
        }
        checks = regime.checks.map { CheckSides(check: $0, total: resolved($0.total), parts: resolved($0.parts)) }
    }

    /// One `liasse` as read: its amounts by column, and where it was.
    struct Liasse {
        static let columns = ["m1", "m2", "m3", "m4"]

        var line: Int
        var m1, m2, m3, m4: Money?

        init(line: Int) { self.line = line }

        subscript(column: Int) -> Money? {
            get {
                switch column {
                case 0: m1
                case 1: m2
                case 2: m3
                case 3: m4
                default: nil
                }
            }
            set {
                switch column {
                case 0: m1 = newValue
                case 1: m2 = newValue
                case 2: m3 = newValue
                case 3: m4 = newValue
                default: break
                }
            }
        }

        /// The same amounts in every column, wherever they were.
        func sameAmounts(as other: Liasse) -> Bool {
            m1 == other.m1 && m2 == other.m2 && m3 == other.m3 && m4 == other.m4
        }
    }

    /// The amount of a line in year N or N-1 of `liasses` (indexed by slot), with where it was found.
    static func cell(_ line: Line?, in liasses: [Liasse?], previousYear: Bool) -> LocatedAmount? {
        guard let line, let cell = previousYear ? line.previousYear : line.year,
            let liasse = liasses[cell.slot], let amount = liasse[cell.column]
        else { return nil }
        return LocatedAmount(amount: amount, name: cell.name, line: liasse.line)
    }
}
