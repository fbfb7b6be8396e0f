import CreditCore
import Foundation

/// The canonical amounts a mapping can fill, named as in `FinancialStatement.Amounts`.
public enum CanonicalField: String, CaseIterable, Sendable, Codable {
    case revenue, operatingIncome, depreciationAndAmortisation, netIncome, totalAssets, currentAssets, inventories
    case tradeReceivables, cash, totalLiabilities, currentLiabilities, financialDebt, tradePayables, equity
    case retainedEarnings

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
    public var fields: [String: Field]

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
    /// One line of a tax form: which `m` attribute carries year N and which year N-1.
    public struct Line: Sendable, Hashable, Decodable {
        public var form: String
        public var label: String
        public var year: String
        public var previousYear: String?

        public init(form: String, label: String, year: String, previousYear: String? = nil) {
            self.form = form
            self.label = label
            self.year = year
            self.previousYear = previousYear
        }
    }

    /// A set of forms (2050-2053, 2033, consolidated) and the account types filed with them.
    public struct Regime: Sendable, Hashable, Decodable {
        public var name: String
        /// Values of `identite/code_type_bilan` read with this regime.
        public var accountTypes: [String]
        public var consolidated: Bool
        public var lines: [String: Line]
        public var fields: [String: MappingFormula]
    }

    public var version: String
    public var namespace: String
    public var regimes: [Regime]

    func regime(forAccountType type: String) -> Regime? {
        regimes.first { $0.accountTypes.contains(type) }
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
        for (key, field) in mapping.fields.sorted(by: { $0.key < $1.key }) {
            try validateFieldName(key, path: "fields.\(key)", name: name)
            guard !field.concepts.alternatives.isEmpty else {
                throw StatementError(.invalidMapping, document: name, element: "fields.\(key).concepts", message: "is empty")
            }
            for term in field.concepts.terms { try check(term.reference, "fields.\(key).concepts") }
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
            }
            for (key, formula) in regime.fields.sorted(by: { $0.key < $1.key }) {
                try validateFieldName(key, path: "\(at).fields.\(key)", name: name)
                for term in formula.terms where regime.lines[term.reference] == nil {
                    throw StatementError(
                        .invalidMapping, document: name, element: "\(at).fields.\(key)",
                        message: "liasse code \"\(term.reference)\" is not declared under \(at).lines")
                }
            }
        }
    }
}
