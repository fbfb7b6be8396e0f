import CreditCore
import Foundation

/// The canonical amounts a mapping can fill, named as in `FinancialStatement.Amounts`.
public enum CanonicalField: String, CaseIterable, Sendable, Codable {
    case revenue, operatingIncome, depreciationAndAmortisation, netIncome, totalAssets, currentAssets, inventories
    case tradeReceivables, cash, totalLiabilities, currentLiabilities, financialDebt, tradePayables, equity
    case retainedEarnings, financialExpenses, costOfSales, personnelCosts, fixedAssets, shortTermFinancialDebt
    case longTermFinancialDebt, minorityInterests

    var keyPath: WritableKeyPath<FinancialStatement.Amounts, Money?> {
        switch self {
        case .revenue: \.revenue
        case .operatingIncome: \.operatingIncome
        case .depreciationAndAmortisation: \.depreciationAndAmortisation
        case .netIncome: \.netIncome
        case .totalAssets: \.totalAssets
        case .currentAssets: \.currentAssets
        case .inventories: \.inventories
        case .tradeReceivables: \.tradeReceivables
        case .cash: \.cash
        case .totalLiabilities: \.totalLiabilities
        case .currentLiabilities: \.currentLiabilities
        case .financialDebt: \.financialDebt
        case .tradePayables: \.tradePayables
        case .equity: \.equity
        case .retainedEarnings: \.retainedEarnings
        case .financialExpenses: \.financialExpenses
        case .costOfSales: \.costOfSales
        case .personnelCosts: \.personnelCosts
        case .fixedAssets: \.fixedAssets
        case .shortTermFinancialDebt: \.shortTermFinancialDebt
        case .longTermFinancialDebt: \.longTermFinancialDebt
        case .minorityInterests: \.minorityInterests
        }
    }
}

/// One signed term of a formula: `"DL"`, `"-DL"`, `"us-gaap:Revenues"`; a trailing `?`
/// (`"BN?"`) makes it optional: absent, it counts as zero.
public struct MappingTerm: Sendable, Hashable {
    /// A liasse code, or `taxonomy:Concept` for XBRL.
    public var reference: String
    public var negated: Bool
    public var optional: Bool

    public init(_ written: String) {
        optional = written.hasSuffix("?")
        let text = optional ? String(written.dropLast()) : written
        if text.hasPrefix("-") {
            reference = String(text.dropFirst())
            negated = true
        } else {
            reference = text.hasPrefix("+") ? String(text.dropFirst()) : text
            negated = false
        }
    }
}

/// How one canonical amount is computed: alternatives in order of preference. The first
/// alternative whose required terms are all present (and at least one term at all) wins, and
/// its present terms are added up. Written in JSON as a list whose items are a term (`"FJ"`)
/// or a list of terms to add (`["EE", "-DL?"]`).
public struct MappingFormula: Sendable, Hashable, Decodable {
    public var alternatives: [[MappingTerm]]

    public init(alternatives: [[MappingTerm]]) {
        self.alternatives = alternatives
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var alternatives: [[MappingTerm]] = []
        while !list.isAtEnd {
            if let single = try? list.decode(String.self) {
                alternatives.append([MappingTerm(single)])
            } else {
                alternatives.append(try list.decode([String].self).map(MappingTerm.init))
            }
        }
        self.alternatives = alternatives
    }

    var terms: [MappingTerm] { alternatives.flatMap { $0 } }
}

/// How far the two sides of an accounting identity may differ before a document is refused:
/// the larger of `relative` (a share of the larger side) and `absoluteUnits` whole currency
/// units. Published figures are rounded line by line (INPI to the euro, SEC filers often to the
/// million), so their sums drift a little; a scale or typing error lands far outside.
public struct TotalsTolerance: Sendable, Hashable, Decodable {
    public var relative: Double
    public var absoluteUnits: Int64

    public init(relative: Double = 0.01, absoluteUnits: Int64 = 5) {
        self.relative = relative
        self.absoluteUnits = absoluteUnits
    }

    /// The largest difference allowed between two sides, in cents; never traps.
    func allowance(_ a: Money, _ b: Money) -> Int64 {
        let larger = max(a.cents.magnitude, b.cents.magnitude)
        let share = (Double(larger) * relative).rounded(.down)
        let relativeCents = share >= 9.2e18 ? Int64.max : Int64(max(0, share))
        let (absoluteCents, overflow) = absoluteUnits.multipliedReportingOverflow(by: 100)
        return max(relativeCents, overflow ? Int64.max : absoluteCents)
    }

    /// Whether `a` and `b` agree within the tolerance.
    func agree(_ a: Money, _ b: Money) -> Bool {
        let (difference, overflow) = a.cents.subtractingReportingOverflow(b.cents)
        return !overflow && difference.magnitude <= UInt64(allowance(a, b))
    }
}

/// An identity a statement's own figures satisfy, such as total assets = total liabilities and
/// equity. `total` and `parts` are evaluated like fields; when the document states both, they
/// must agree within the mapping's tolerance or the document is refused, naming both sides.
/// A side the document does not state leaves the identity unchecked.
public struct TotalsCheck: Sendable, Hashable, Decodable {
    public var name: String
    /// XBRL only: whether the concepts are balances (instant) or flows over the year (duration).
    public var period: XBRLMapping.PeriodType?
    public var total: MappingFormula
    public var parts: MappingFormula

    public init(name: String, period: XBRLMapping.PeriodType? = nil, total: MappingFormula, parts: MappingFormula) {
        self.name = name
        self.period = period
        self.total = total
        self.parts = parts
    }
}

/// XBRL concepts for each canonical amount, matched by namespace family, never by prefix.
public struct XBRLMapping: Sendable, Hashable, Decodable {
    /// Whether a field is a flow over the year (duration) or a balance at its end (instant).
    public enum PeriodType: String, Sendable, Hashable, Decodable {
        case duration, instant
    }

    public struct Field: Sendable, Hashable, Decodable {
        public var period: PeriodType
        public var concepts: MappingFormula
    }

    public var version: String
    /// Whether dimensionless facts describe group accounts (true for SEC and ESEF filings).
    public var consolidated: Bool
    /// Taxonomy name -> namespace URI patterns; `*` stands for one path segment (the year or date).
    public var taxonomies: [String: [String]]
    /// Concepts giving the period end the document is about, in order of preference.
    public var documentPeriodEndDate: [String]
    /// Concepts giving the company name, in order of preference.
    public var companyName: [String]
    /// Concepts naming the kind of filing (`10-K`, `8-K`...), to say why a filing holds no
    /// statement (optional in the file).
    public var documentType: [String]
    /// Concepts naming the fiscal period reported (`Q1`, `FY`...), which says which span is the
    /// year to date when a document states others ending the same day (optional in the file).
    public var fiscalPeriodFocus: [String]
    public var fields: [String: Field]
    /// Identities the instance's own totals must satisfy (optional in the file).
    public var checks: [TotalsCheck]
    public var tolerance: TotalsTolerance

    enum CodingKeys: String, CodingKey {
        case version, consolidated, taxonomies, documentPeriodEndDate, companyName, documentType, fiscalPeriodFocus, fields, checks
        case tolerance
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        consolidated = try container.decode(Bool.self, forKey: .consolidated)
        taxonomies = try container.decode([String: [String]].self, forKey: .taxonomies)
        documentPeriodEndDate = try container.decode([String].self, forKey: .documentPeriodEndDate)
        companyName = try container.decode([String].self, forKey: .companyName)
        documentType = try container.decodeIfPresent([String].self, forKey: .documentType) ?? []
        fiscalPeriodFocus = try container.decodeIfPresent([String].self, forKey: .fiscalPeriodFocus) ?? []
        fields = try container.decode([String: Field].self, forKey: .fields)
        checks = try container.decodeIfPresent([TotalsCheck].self, forKey: .checks) ?? []
        tolerance = try container.decodeIfPresent(TotalsTolerance.self, forKey: .tolerance) ?? TotalsTolerance()
    }

    /// The taxonomy family a namespace URI belongs to, if any.
    func taxonomy(of namespace: String) -> String? {
        for (name, patterns) in taxonomies where patterns.contains(where: { Self.matches(namespace, pattern: $0) }) {
            return name
        }
        return nil
    }

    static func matches(_ uri: String, pattern: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return uri == pattern }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        guard uri.count > prefix.count + suffix.count, uri.hasPrefix(prefix), uri.hasSuffix(suffix) else { return false }
        let middle = uri.dropFirst(prefix.count).dropLast(suffix.count)
        return !middle.contains("/")
    }
}

/// INPI "bilans saisis" liasse lines and the canonical amounts computed from them, per regime.
public struct BilansSaisisMapping: Sendable, Hashable, Decodable {
    /// One cell (or pair of cells) of a tax form: which `m` attribute carries year N and which
    /// year N-1. Declared under the line's code (`"VG"`), or under another name (`"VG.m2"`)
    /// with `code` when a second column of the same line is read.
    public struct Line: Sendable, Hashable, Decodable {
        public var form: String
        public var label: String
        public var year: String
        public var previousYear: String?
        /// The liasse code when the line is declared under another name; nil: the name is the code.
        public var code: String?

        public init(form: String, label: String, year: String, previousYear: String? = nil, code: String? = nil) {
            self.form = form
            self.label = label
            self.year = year
            self.previousYear = previousYear
            self.code = code
        }
    }

    /// A part of the forms (balance sheet, income statement, schedule of debts). A blank cell on a
    /// filed form means zero, so a field read from a section is zero when the section is filed
    /// and every line of the field is blank, and unknown (nil) when the section is not filed
    /// (confidential income statement, schedule not captured, no N-1 column).
    public struct Section: Sendable, Hashable, Decodable {
        public var name: String
        /// Lines any one of which, filled in the column being read, shows that the section was filed.
        public var filedWhenAnyOf: [String]
        /// The canonical fields read from this section.
        public var fields: [String]
    }

    /// A set of forms (2050-2053, 2033, consolidated) and the account types filed with them.
    public struct Regime: Sendable, Hashable, Decodable {
        public var name: String
        /// Values of `identite/code_type_bilan` read with this regime.
        public var accountTypes: [String]
        public var consolidated: Bool
        public var lines: [String: Line]
        public var fields: [String: MappingFormula]
        /// Sections whose blank lines mean zero (optional in the file).
        public var sections: [Section]
        /// Identities between the forms' own totals (optional in the file).
        public var checks: [TotalsCheck]

        enum CodingKeys: String, CodingKey {
            case name, accountTypes, consolidated, lines, fields, sections, checks
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            accountTypes = try container.decode([String].self, forKey: .accountTypes)
            consolidated = try container.decode(Bool.self, forKey: .consolidated)
            lines = try container.decode([String: Line].self, forKey: .lines)
            fields = try container.decode([String: MappingFormula].self, forKey: .fields)
            sections = try container.decodeIfPresent([Section].self, forKey: .sections) ?? []
            checks = try container.decodeIfPresent([TotalsCheck].self, forKey: .checks) ?? []
        }

        /// The section a field is read from, if any.
        func section(of field: CanonicalField) -> Section? {
            sections.first { $0.fields.contains(field.rawValue) }
        }
    }

    public var version: String
    public var namespace: String
    public var regimes: [Regime]
    public var tolerance: TotalsTolerance

    enum CodingKeys: String, CodingKey {
        case version, namespace, regimes, tolerance
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        namespace = try container.decode(String.self, forKey: .namespace)
        regimes = try container.decode([Regime].self, forKey: .regimes)
        tolerance = try container.decodeIfPresent(TotalsTolerance.self, forKey: .tolerance) ?? TotalsTolerance()
    }
}

/// All mapping tables, decoded from the JSON files in `Models/statement-mappings/`.
/// Changing a concept or a liasse code is a data change: no code reads a name from anywhere else.
public struct StatementMappings: Sendable, Hashable {
    public var xbrl: XBRLMapping?
    public var bilansSaisis: BilansSaisisMapping?

    public init(xbrl: XBRLMapping? = nil, bilansSaisis: BilansSaisisMapping? = nil) {
        self.xbrl = xbrl
        self.bilansSaisis = bilansSaisis
    }

    /// Reads every `*.json` file of `directory`; each names its `format` (`xbrl` or
    /// `inpi-bilans-saisis`). Errors name the file and the field at fault.
    public static func load(directory: URL) throws(StatementError) -> StatementMappings {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension.lowercased() == "json" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw StatementError(
                .invalidMapping, document: directory.path,
                message: "the statement mapping folder cannot be read (\(error.localizedDescription))")
        }
        var mappings = StatementMappings()
        for file in files {
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw StatementError(.invalidMapping, document: file.lastPathComponent, message: "cannot be read")
            }
            try mappings.add(data: data, name: file.lastPathComponent)
        }
        guard mappings.xbrl != nil || mappings.bilansSaisis != nil else {
            throw StatementError(
                .invalidMapping, document: directory.path,
                message: "holds no statement mapping file (*.json with \"format\": \"xbrl\" or \"inpi-bilans-saisis\")")
        }
        return mappings
    }

    /// Decodes one mapping file and adds it; `name` is used in errors.
    public mutating func add(data: Data, name: String) throws(StatementError) {
        struct Header: Decodable { var format: String }
        let header: Header = try Self.decode(Header.self, from: data, name: name)
        switch header.format {
        case "xbrl":
            guard xbrl == nil else { throw Self.duplicate(header.format, name) }
            let mapping = try Self.decode(XBRLMapping.self, from: data, name: name)
            try Self.validate(mapping, name: name)
            xbrl = mapping
        case "inpi-bilans-saisis":
            guard bilansSaisis == nil else { throw Self.duplicate(header.format, name) }
            let mapping = try Self.decode(BilansSaisisMapping.self, from: data, name: name)
            try Self.validate(mapping, name: name)
            bilansSaisis = mapping
        default:
            throw StatementError(
                .invalidMapping, document: name, element: "format",
                message: "unknown format \"\(header.format)\"; expected \"xbrl\" or \"inpi-bilans-saisis\"")
        }
    }

    private static func duplicate(_ format: String, _ name: String) -> StatementError {
        StatementError(
            .invalidMapping, document: name, element: "format",
            message: "a second mapping for format \"\(format)\"; keep one file per format")
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, name: String) throws(StatementError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            func path(_ keys: [any CodingKey]) -> String {
                keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                    .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            }
            switch error {
            case .keyNotFound(let key, let context):
                let field = [path(context.codingPath), key.stringValue].filter { !$0.isEmpty }.joined(separator: ".")
                throw StatementError(.invalidMapping, document: name, element: field, message: "is missing")
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                throw StatementError(
                    .invalidMapping, document: name, element: path(context.codingPath),
                    message: "has the wrong type (\(context.debugDescription))")
            case .dataCorrupted(let context):
                throw StatementError(
                    .invalidMapping, document: name, element: context.codingPath.isEmpty ? nil : path(context.codingPath),
                    message: "is not valid JSON or has an invalid value (\(context.debugDescription))")
            @unknown default:
                throw StatementError(.invalidMapping, document: name, message: "cannot be decoded: \(error)")
            }
        } catch {
            throw StatementError(.invalidMapping, document: name, message: "cannot be decoded: \(error)")
        }
    }

    private static func validateFieldName(_ key: String, path: String, name: String) throws(StatementError) {
        guard CanonicalField(rawValue: key) != nil else {
            throw StatementError(
                .invalidMapping, document: name, element: path,
                message: "\"\(key)\" is not a canonical amount; use one of "
                    + CanonicalField.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    static func validate(_ mapping: XBRLMapping, name: String) throws(StatementError) {
        func check(_ concept: String, _ path: String) throws(StatementError) {
            let parts = concept.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty, mapping.taxonomies[String(parts[0])] != nil else {
                throw StatementError(
                    .invalidMapping, document: name, element: path,
                    message: "\"\(concept)\" must be taxonomy:Concept with a taxonomy declared under \"taxonomies\" ("
                        + mapping.taxonomies.keys.sorted().joined(separator: ", ") + ")")
            }
        }
        for (index, concept) in mapping.documentPeriodEndDate.enumerated() {
            try check(concept, "documentPeriodEndDate[\(index)]")
        }
        for (index, concept) in mapping.companyName.enumerated() { try check(concept, "companyName[\(index)]") }
        for (index, concept) in mapping.documentType.enumerated() { try check(concept, "documentType[\(index)]") }
        for (index, concept) in mapping.fiscalPeriodFocus.enumerated() { try check(concept, "fiscalPeriodFocus[\(index)]") }
        for (key, field) in mapping.fields.sorted(by: { $0.key < $1.key }) {
            try validateFieldName(key, path: "fields.\(key)", name: name)
            guard !field.concepts.alternatives.isEmpty else {
                throw StatementError(.invalidMapping, document: name, element: "fields.\(key).concepts", message: "is empty")
            }
            for term in field.concepts.terms { try check(term.reference, "fields.\(key).concepts") }
        }
        try validate(mapping.tolerance, name: name)
        for (index, totals) in mapping.checks.enumerated() {
            let at = "checks[\(index)]"
            guard totals.period != nil else {
                throw StatementError(
                    .invalidMapping, document: name, element: "\(at).period",
                    message: "is missing; say whether the concepts are balances (\"instant\") or flows (\"duration\")")
            }
            try validateShape(totals, at: at, name: name)
            for term in totals.total.terms { try check(term.reference, "\(at).total") }
            for term in totals.parts.terms { try check(term.reference, "\(at).parts") }
        }
    }

    private static func validate(_ tolerance: TotalsTolerance, name: String) throws(StatementError) {
        guard tolerance.relative >= 0, tolerance.relative <= 1, tolerance.absoluteUnits >= 0 else {
            throw StatementError(
                .invalidMapping, document: name, element: "tolerance",
                message: "relative must be between 0 and 1 and absoluteUnits at least 0")
        }
    }

    private static func validateShape(_ totals: TotalsCheck, at: String, name: String) throws(StatementError) {
        guard !totals.name.isEmpty else {
            throw StatementError(.invalidMapping, document: name, element: "\(at).name", message: "is empty")
        }
        for (side, formula) in [("total", totals.total), ("parts", totals.parts)] where formula.alternatives.isEmpty {
            throw StatementError(.invalidMapping, document: name, element: "\(at).\(side)", message: "is empty")
        }
    }

    static func validate(_ mapping: BilansSaisisMapping, name: String) throws(StatementError) {
        let columns: Set<String> = ["m1", "m2", "m3", "m4"]
        var types: Set<String> = []
        for (index, regime) in mapping.regimes.enumerated() {
            let at = "regimes[\(index)]"
            guard !regime.accountTypes.isEmpty else {
                throw StatementError(.invalidMapping, document: name, element: "\(at).accountTypes", message: "is empty")
            }
            for type in regime.accountTypes where !types.insert(type).inserted {
                throw StatementError(
                    .invalidMapping, document: name, element: "\(at).accountTypes",
                    message: "account type \"\(type)\" is already read by another regime")
            }
            for (code, line) in regime.lines.sorted(by: { $0.key < $1.key }) {
                for column in [line.year] + (line.previousYear.map { [$0] } ?? []) where !columns.contains(column) {
                    throw StatementError(
                        .invalidMapping, document: name, element: "\(at).lines.\(code)",
                        message: "column \"\(column)\" must be one of m1, m2, m3, m4")
                }
                if let liasse = line.code, liasse.isEmpty {
                    throw StatementError(
                        .invalidMapping, document: name, element: "\(at).lines.\(code).code",
                        message: "is empty; give the liasse code of the line, or leave code out")
                }
            }
            func declared(_ references: [String], _ path: String) throws(StatementError) {
                for reference in references where regime.lines[reference] == nil {
                    throw StatementError(
                        .invalidMapping, document: name, element: path,
                        message: "liasse code \"\(reference)\" is not declared under \(at).lines")
                }
            }
            for (key, formula) in regime.fields.sorted(by: { $0.key < $1.key }) {
                try validateFieldName(key, path: "\(at).fields.\(key)", name: name)
                try declared(formula.terms.map(\.reference), "\(at).fields.\(key)")
            }
            var sectioned: Set<String> = []
            for (sectionIndex, section) in regime.sections.enumerated() {
                let path = "\(at).sections[\(sectionIndex)]"
                guard !section.filedWhenAnyOf.isEmpty else {
                    throw StatementError(.invalidMapping, document: name, element: "\(path).filedWhenAnyOf", message: "is empty")
                }
                try declared(section.filedWhenAnyOf, "\(path).filedWhenAnyOf")
                for field in section.fields {
                    try validateFieldName(field, path: "\(path).fields", name: name)
                    guard regime.fields[field] != nil else {
                        throw StatementError(
                            .invalidMapping, document: name, element: "\(path).fields",
                            message: "\"\(field)\" has no formula under \(at).fields")
                    }
                    guard sectioned.insert(field).inserted else {
                        throw StatementError(
                            .invalidMapping, document: name, element: "\(path).fields",
                            message: "\"\(field)\" is already read from another section")
                    }
                }
            }
            for (checkIndex, totals) in regime.checks.enumerated() {
                let path = "\(at).checks[\(checkIndex)]"
                try validateShape(totals, at: path, name: name)
                try declared(totals.total.terms.map(\.reference), "\(path).total")
                try declared(totals.parts.terms.map(\.reference), "\(path).parts")
            }
        }
        try validate(mapping.tolerance, name: name)
    }
}
