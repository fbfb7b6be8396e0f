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
    public var mappings: StatementMappings
    public var limits: ReadingLimits
    /// Also return year N-1 from the comparative columns of INPI accounts, when they are filled.
    public var includePreviousYear: Bool

    public init(mappings: StatementMappings, limits: ReadingLimits = ReadingLimits(), includePreviousYear: Bool = false) {
        self.mappings = mappings
        self.limits = limits
        self.includePreviousYear = includePreviousYear
    }

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
            let statement = try XBRLReader(mapping: mapping, document: name).read(root)
            return StatementDocument(format: format, statements: [statement])
        case .bilansSaisis:
            guard let mapping = mappings.bilansSaisis else { throw missingMapping(format, name) }
            let statements = try BilansSaisisReader(
                mapping: mapping, document: name, includePreviousYear: includePreviousYear
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

/// Adds up the present terms of the first alternative whose required terms are all present,
/// with overflow checks.
func evaluate(
    _ formula: MappingFormula, field: CanonicalField, document: String,
    value: (MappingTerm) throws(StatementError) -> Money?
) throws(StatementError) -> (total: Money, terms: [MappingTerm])? {
    alternatives: for alternative in formula.alternatives {
        var total: Int64 = 0
        var used: [MappingTerm] = []
        for term in alternative {
            guard let amount = try value(term) else {
                if term.optional { continue } else { continue alternatives }
            }
            let (sum, overflow) =
                term.negated ? total.subtractingReportingOverflow(amount.cents) : total.addingReportingOverflow(amount.cents)
            guard !overflow else {
                throw StatementError(
                    .invalidValue, document: document, element: field.rawValue,
                    message: "the amounts adding up to \(field.rawValue) overflow; check the document's amounts")
            }
            total = sum
            used.append(term)
        }
        if !used.isEmpty { return (Money(cents: total), used) }
    }
    return nil
}
