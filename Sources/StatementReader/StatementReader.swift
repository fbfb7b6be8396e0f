import CreditCore
import Foundation

/// The document formats the reader recognises, from their root element and namespace.
public enum StatementFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// An XBRL 2.1 instance (`{http://www.xbrl.org/2003/instance}xbrl`), US GAAP or IFRS.
    case xbrl
    /// French annual accounts as INPI publishes them (`{fr:inpi:odrncs:bilansSaisisXML}bilans`).
    case bilansSaisis = "inpi-bilans-saisis"

    static let xbrlInstanceNamespace = "http://www.xbrl.org/2003/instance"
}

/// What one document held.
public struct StatementDocument: Sendable, Hashable {
    public var format: StatementFormat
    /// The main year first; the previous year follows when asked for and present.
    public var statements: [FinancialStatement]
}

/// Reads financial statement documents into canonical statements.
///
/// Pure reading: no database, no clock, no network. A value type holding only decoded
/// mappings and limits, so one reader can be shared by many threads; every call parses into
/// its own libxml2 context and document, freed before it returns.
public struct StatementReader: Sendable {
    public var mappings: StatementMappings {
        didSet { prepared = Prepared(mappings) }
    }
    public var limits: ReadingLimits
    /// Also return year N-1 of INPI accounts as a statement of its own, when its columns are
    /// filled (every statement carries it as `priorYear` anyway).
    public var includePreviousYear: Bool

    public init(mappings: StatementMappings, limits: ReadingLimits = ReadingLimits(), includePreviousYear: Bool = false) {
        self.mappings = mappings
        self.limits = limits
        self.includePreviousYear = includePreviousYear
        prepared = Prepared(mappings)
    }

    /// What the mappings let be worked out once rather than for every document.
    private struct Prepared: Sendable {
        var bilansSaisis: [BilansSaisisLayout]
        var xbrlConcepts: Set<String>

        init(_ mappings: StatementMappings) {
            bilansSaisis = mappings.bilansSaisis?.regimes.map(BilansSaisisLayout.init) ?? []
            xbrlConcepts = mappings.xbrl.map(XBRLReader.wantedConcepts) ?? []
        }
    }

    private var prepared: Prepared

    /// The statements of one document (usually one; INPI files may hold several `bilan`s, and
    /// year N-1 when `includePreviousYear` is set).
    public func read(data: Data, name: String) throws(StatementError) -> [FinancialStatement] {
        try readDocument(data: data, name: name).statements
    }

    /// Like `read`, also saying which format the document was in.
    public func readDocument(data: Data, name: String) throws(StatementError) -> StatementDocument {
        let document = try SafeXMLDocument.parse(data, name: name, limits: limits)
        let root = document.root
        let format = try Self.detectFormat(root, name: name, bilansSaisisNamespace: mappings.bilansSaisis?.namespace)
        switch format {
        case .xbrl:
            guard let mapping = mappings.xbrl else { throw missingMapping(format, name) }
            let statement = try XBRLReader(mapping: mapping, wanted: prepared.xbrlConcepts, document: name).read(root)
            return StatementDocument(format: format, statements: [statement])
        case .bilansSaisis:
            guard let mapping = mappings.bilansSaisis else { throw missingMapping(format, name) }
            let statements = try BilansSaisisReader(
                mapping: mapping, layouts: prepared.bilansSaisis, document: name, includePreviousYear: includePreviousYear
            ).read(root)
            return StatementDocument(format: format, statements: statements)
        }
    }

    private func missingMapping(_ format: StatementFormat, _ name: String) -> StatementError {
        StatementError(
            .invalidMapping, document: name,
            message: "is a \(format.rawValue) document but no \(format.rawValue) mapping is loaded; "
                + "add its file to the statement mapping folder")
    }

    static func detectFormat(
        _ root: XMLNode, name: String, bilansSaisisNamespace: String?
    ) throws(StatementError)
        -> StatementFormat
    {
        let namespace = root.namespaceURI
        if root.is("xbrl", in: StatementFormat.xbrlInstanceNamespace) { return .xbrl }
        let inpi = bilansSaisisNamespace ?? "fr:inpi:odrncs:bilansSaisisXML"
        if namespace == inpi, root.localName == "bilans" || root.localName == "bilan" { return .bilansSaisis }
        var hint = "expected an XBRL instance ({\(StatementFormat.xbrlInstanceNamespace)}xbrl) or INPI accounts ({\(inpi)}bilans)"
        if root.localName == "xbrl" || root.localName == "bilans" || root.localName == "bilan" {
            hint = "the element name is right but its namespace is \(namespace.map { "\"\($0)\"" } ?? "missing"); " + hint
        } else if root.localName == "html" {
            hint = "inline XBRL (XHTML) is not read; use the XBRL instance extracted from it; " + hint
        }
        throw StatementError(
            .unknownFormat, document: name, line: root.line, element: root.expandedName,
            message: "unknown root element \(root.qualifiedName) in namespace "
                + (namespace.map { "\"\($0)\"" } ?? "(none)") + "; " + hint)
    }
}

/// A term of a formula as evaluation needs it: `MappingTerm` as written, or a term a reader
/// resolved beforehand to where its value is (`BilansSaisisLayout.Term`).
protocol FormulaTerm {
    var negated: Bool { get }
    var optional: Bool { get }
}

extension MappingTerm: FormulaTerm {}

/// Adds up the present terms of the first alternative whose required terms are all present,
/// with overflow checks. `what` names the figure in the overflow error. The terms used are
/// listed only with `keepTerms` (for messages); the total is the same either way.
func evaluate<Term: FormulaTerm, Found>(
    _ alternatives: [[Term]], what: @autoclosure () -> String, document: String, amount: (Found) -> Money,
    keepTerms: Bool = true, value: (Term) throws(StatementError) -> Found?
) throws(StatementError) -> (total: Money, terms: [(term: Term, found: Found)])? {
    alternatives: for alternative in alternatives {
        var total: Int64 = 0
        var present = 0
        var used: [(term: Term, found: Found)] = []
        for term in alternative {
            guard let found = try value(term) else {
                if term.optional { continue } else { continue alternatives }
            }
            let cents = amount(found).cents
            let (sum, overflow) =
                term.negated ? total.subtractingReportingOverflow(cents) : total.addingReportingOverflow(cents)
            guard !overflow else {
                throw StatementError(
                    .invalidValue, document: document, element: what(),
                    message: "the amounts adding up to \(what()) overflow; check the document's amounts")
            }
            total = sum
            present += 1
            if keepTerms { used.append((term, found)) }
        }
        if present > 0 { return (Money(cents: total), used) }
    }
    return nil
}

/// `evaluate` for plain amounts.
func evaluate<Term: FormulaTerm>(
    _ alternatives: [[Term]], field: CanonicalField, document: String,
    value: (Term) throws(StatementError) -> Money?
) throws(StatementError) -> Money? {
    try evaluate(alternatives, what: field.rawValue, document: document, amount: { $0 }, keepTerms: false, value: value)?.total
}

/// A `TotalsCheck` with its two sides as the reader evaluates them.
struct CheckSides<Term: FormulaTerm> {
    var check: TotalsCheck
    var total: [[Term]]
    var parts: [[Term]]
}

extension CheckSides<MappingTerm> {
    init(_ check: TotalsCheck) {
        self.init(check: check, total: check.total.alternatives, parts: check.parts.alternatives)
    }
}

/// One figure as the document states it, with what a person needs to find it again.
struct LocatedAmount {
    var amount: Money
    /// `liasse CO m3 (Total général actif)` or `us-gaap:Assets`.
    var name: String
    var line: Int
}

/// Checks the document's own identities (`TotalsCheck`) for one year: every check whose two
/// sides the document states must agree within `tolerance`. The first that does not is thrown
/// as `.totalsDisagree`, naming both sides, each term with its value and line, and the gap.
func verifyTotals<Term: FormulaTerm>(
    _ checks: [CheckSides<Term>], tolerance: TotalsTolerance, document: String, year: String,
    value: (TotalsCheck, Term) throws(StatementError) -> LocatedAmount?
) throws(StatementError) {
    for entry in checks {
        let check = entry.check
        typealias Side = (total: Money, terms: [(term: Term, found: LocatedAmount)])
        /// Both sides, or nil when the document does not state one of them.
        func sides(keepTerms: Bool) throws(StatementError) -> (total: Side, parts: Side)? {
            func read(_ formula: [[Term]]) throws(StatementError) -> Side? {
                try evaluate(
                    formula, what: "check \"\(check.name)\"", document: document, amount: \.amount, keepTerms: keepTerms,
                    value: { term throws(StatementError) in try value(check, term) })
            }
            guard let total = try read(entry.total), let parts = try read(entry.parts) else { return nil }
            return (total, parts)
        }
        // Most documents agree: the terms are listed (by reading the sides again) only to explain a disagreement.
        guard let sums = try sides(keepTerms: false), !tolerance.agree(sums.total.total, sums.parts.total),
            let listed = try sides(keepTerms: true)
        else { continue }
        let (total, parts) = listed

        func side(_ side: Side) -> String {
            let listed = side.terms.enumerated().map { index, item in
                let sign = item.term.negated ? (index == 0 ? "-" : " - ") : (index == 0 ? "" : " + ")
                return sign + "\(item.found.name) \(units(item.found.amount)) (line \(item.found.line))"
            }
            return listed.joined() + (side.terms.count > 1 ? " = \(units(side.total))" : "")
        }
        let (gap, overflow) = total.total.cents.subtractingReportingOverflow(parts.total.cents)
        let difference = overflow ? "more than \(units(Money(cents: Int64.max)))" : units(Money(cents: Int64(clamping: gap.magnitude)))
        let first = total.terms.first?.found
        let allowance = tolerance.allowance(total.total, parts.total)
        throw StatementError(
            .totalsDisagree, document: document, line: first?.line, element: first?.name,
            message: "\(year): the totals disagree (\(check.name)): \(side(total)), but \(side(parts)); "
                + "they differ by \(difference), more than rounding allows (\(units(Money(cents: allowance - allowance % 100)))); "
                + "the document contradicts itself (a scale or typing error): ask its sender for a corrected copy, or leave it out")
    }
}

/// An amount as a person reads it in a statement: `Money.formatted` without cents when there
/// are none (`783 118 502`, `-1 234.50`).
func units(_ money: Money) -> String {
    let text = money.formatted
    return text.hasSuffix(".00") ? String(text.dropLast(3)) : text
}

extension CheckSides: Sendable where Term: Sendable {}
