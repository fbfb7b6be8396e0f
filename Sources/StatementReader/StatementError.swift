/// Why a statement document (or a mapping file) could not be read, and where.
///
/// Every error names the document, and when it can the line (from libxml2) and the element,
/// liasse code, XBRL concept or mapping field involved; the message says what to do about it.
/// The application layer turns it into a CLI line or a problem+json body without rewording.
public struct StatementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The family of problem, for callers that react differently (and for tests).
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Bigger than the configured limit; refused before parsing.
        case tooLarge
        /// Not an XML document at all (empty, binary, CSV, PDF...).
        case notXML
        /// XML that is not well formed.
        case malformedXML
        /// Nested deeper than libxml2's limit (256 levels without XML_PARSE_HUGE).
        case tooDeep
        /// A DOCTYPE: refused outright, which stops XXE and entity-expansion ("billion laughs") attacks.
        case documentTypeRefused
        /// Neither an XBRL instance nor INPI "bilans saisis".
        case unknownFormat
        /// A known format, but accounts the mapping does not cover (insurance, banks...).
        case unsupportedAccounts
        /// A required element or fact is absent.
        case missingElement
        /// The period of the accounts cannot be determined.
        case missingPeriod
        /// An amount, date or number that does not parse.
        case invalidValue
        /// Amounts used for one statement are in different currencies.
        case mixedCurrencies
        /// Two facts for the same concept and period disagree.
        case conflictingFacts
        /// The document's own totals contradict each other beyond rounding (total assets against
        /// total liabilities and equity, a total against its parts): a scale or typing error.
        case totalsDisagree
        /// A mapping file is unreadable or inconsistent.
        case invalidMapping
    }

    public var kind: Kind
    /// File name (or archive:entry) of the document or mapping file.
    public var document: String
    /// 1-based line in the document, when known.
    public var line: Int?
    /// Element, liasse code, XBRL concept or mapping field the error is about.
    public var element: String?
    /// What is wrong and what to do about it.
    public var message: String

    public init(_ kind: Kind, document: String, line: Int? = nil, element: String? = nil, message: String) {
        self.kind = kind
        self.document = document
        self.line = line
        self.element = element.map { Self.bounded($0, head: 160, tail: 40) }
        self.message = Self.bounded(message, head: 1_200, tail: 600)
    }

    /// A text from a hostile document (a 5 000 000-digit amount quoted in its error) kept to its
    /// head and tail, which hold what the message says of it and what to do.
    static func bounded(_ text: String, head: Int, tail: Int) -> String {
        // Characters, not bytes: a text of accented letters must not show its middle twice.
        guard text.utf8.count > head + tail + 40, text.count > head + tail + 40 else { return text }
        return String(text.prefix(head)) + " … (\(text.count - head - tail) characters left out) … " + String(text.suffix(tail))
    }

    /// `accounts.xml line 42, element liasse FJ: m3 "12a" is not an amount (...)`
    public var description: String {
        var text = document
        if let line { text += " line \(line)" }
        if let element { text += ", element \(element)" }
        return text + ": " + message
    }
}
