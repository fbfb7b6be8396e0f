import CreditCore
import Foundation

/// Reads INPI "bilans saisis": an `identite` block, then `detail/page/liasse` elements whose
/// `code` is the code of a tax-form line's first cell and whose `m1`..`m4` are that line's
/// columns, in the form's order. Which column is year N and which N-1 depends on the form
/// and the line, so it comes from the mapping, never from code.
struct BilansSaisisReader {
    let mapping: BilansSaisisMapping
    let document: String
    let includePreviousYear: Bool

    private var ns: String { mapping.namespace }

    /// One `liasse` as read: its amounts by column, and where it was.
    private struct Liasse {
        var line: Int
        var amounts: [String: Money]
    }

    func read(_ root: XMLNode) throws(StatementError) -> [FinancialStatement] {
        let bilans = root.localName == "bilan" ? [root] : root.children.filter { $0.is("bilan", in: ns) }
        guard !bilans.isEmpty else {
            throw StatementError(
                .missingElement, document: document, line: root.line, element: "bilan",
                message: "the document holds no bilan element; it carries no accounts")
        }
        var statements: [FinancialStatement] = []
        for bilan in bilans { statements += try read(bilan: bilan) }
        return statements
    }

    private func read(bilan: XMLNode) throws(StatementError) -> [FinancialStatement] {
        guard let identity = bilan.child("identite", in: ns) else {
            throw StatementError(
                .missingElement, document: document, line: bilan.line, element: "identite",
                message: "the bilan has no identite block (siren, closing date, account type)")
        }
        func field(_ name: String) -> XMLNode? { identity.child(name, in: ns) }
        func required(_ name: String, _ what: String) throws(StatementError) -> (String, Int) {
            guard let node = field(name), !node.text.isEmpty else {
                throw StatementError(
                    .missingElement, document: document, line: identity.line, element: name,
                    message: "identite has no \(name) (\(what))")
            }
            return (node.text, node.line)
        }

        let (siren, sirenLine) = try required("siren", "the company's SIREN")
        guard siren.count == 9, siren.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw StatementError(
                .invalidValue, document: document, line: sirenLine, element: "siren",
                message: "\"\(siren)\" is not a SIREN (nine digits)")
        }
        let (closing, closingLine) = try required("date_cloture_exercice", "the closing date, YYYYMMDD")
        guard let periodEnd = Self.day(closing) else {
            throw StatementError(
                .missingPeriod, document: document, line: closingLine, element: "date_cloture_exercice",
                message: "\"\(closing)\" is not a closing date (expected YYYYMMDD); the period of the accounts is unknown")
        }
        let (months, monthsLine) = try required("duree_exercice_n", "the length of the year in months")
        guard let periodMonths = Int(months), (1...36).contains(periodMonths) else {
            throw StatementError(
                .invalidValue, document: document, line: monthsLine, element: "duree_exercice_n",
                message: "\"\(months)\" is not a number of months between 1 and 36 (INPI leaves 00 in some "
                    + "first-year filings); the length of the year is unknown: fix duree_exercice_n or leave the file out")
        }
        let (accountType, typeLine) = try required("code_type_bilan", "the type of accounts: C, S or K")
        guard let regime = mapping.regime(forAccountType: accountType) else {
            let known = mapping.regimes.map { "\($0.accountTypes.joined(separator: "/")) (\($0.name))" }
            throw StatementError(
                .unsupportedAccounts, document: document, line: typeLine, element: "code_type_bilan",
                message: "accounts of type \"\(accountType)\" are not mapped (mapped: \(known.joined(separator: ", "))); "
                    + "insurance (A) and bank (B) accounts use other forms")
        }
        let (currency, currencyLine) = try required("code_devise", "the currency, e.g. EUR")
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw StatementError(
                .invalidValue, document: document, line: currencyLine, element: "code_devise",
                message: "\"\(currency)\" is not an ISO 4217 currency code")
        }
        let name = field("denomination")?.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let sector = field("code_activite")?.text

        let liasses = try readLiasses(bilan, regime: regime)
        let company = FinancialStatement.Company(
            registrationId: siren, name: name?.isEmpty == false ? name : nil,
            sectorCode: sector?.isEmpty == false ? sector : nil)

        var statements = [
            FinancialStatement(
                company: company, periodEnd: periodEnd, periodMonths: periodMonths, currency: currency,
                consolidated: regime.consolidated, amounts: try amounts(regime, liasses, previousYear: false))
        ]
        if includePreviousYear,
            let previousEnd = field("date_cloture_exercice_n-1").flatMap({ Self.day($0.text) }),
            let previousMonths = field("duree_exercice_n-1").flatMap({ Int($0.text) }), (1...36).contains(previousMonths)
        {
            let previous = try amounts(regime, liasses, previousYear: true)
            if previous != FinancialStatement.Amounts() {
                statements.append(
                    FinancialStatement(
                        company: company, periodEnd: previousEnd, periodMonths: previousMonths, currency: currency,
                        consolidated: regime.consolidated, amounts: previous))
            }
        }
        return statements
    }

    /// Every liasse, amounts checked. A code repeated with other amounts is an error only when
    /// the mapping uses it: the reader cannot choose between two values it needs.
    private func readLiasses(
        _ bilan: XMLNode, regime: BilansSaisisMapping.Regime
    ) throws(StatementError)
        -> [String: Liasse]
    {
        var liasses: [String: Liasse] = [:]
        guard let detail = bilan.child("detail", in: ns) else { return liasses }  // confidential accounts: identity only
        for page in detail.children where page.is("page", in: ns) {
            for element in page.children where element.is("liasse", in: ns) {
                guard let code = element.attribute("code"), !code.isEmpty else {
                    throw StatementError(
                        .missingElement, document: document, line: element.line, element: "liasse",
                        message: "a liasse element has no code attribute")
                }
                var amounts: [String: Money] = [:]
                for column in ["m1", "m2", "m3", "m4"] {
                    guard let text = element.attribute(column) else { continue }
                    guard let amount = Self.amount(text) else {
                        throw StatementError(
                            .invalidValue, document: document, line: element.line, element: "liasse \(code)",
                            message: "\(column) \"\(text)\" is not an amount (expected whole currency units, "
                                + "optionally signed and zero-padded, e.g. 000000000012345)")
                    }
                    amounts[column] = amount
                }
                if let earlier = liasses[code] {
                    if earlier.amounts != amounts, regime.lines[code] != nil {
                        throw StatementError(
                            .conflictingFacts, document: document, line: element.line, element: "liasse \(code)",
                            message: "appears again with other amounts (first at line \(earlier.line)); "
                                + "the accounts cannot be read unambiguously")
                    }
                    continue
                }
                liasses[code] = Liasse(line: element.line, amounts: amounts)
            }
        }
        return liasses
    }

    private func amounts(
        _ regime: BilansSaisisMapping.Regime, _ liasses: [String: Liasse], previousYear: Bool
    )
        throws(StatementError) -> FinancialStatement.Amounts
    {
        var amounts = FinancialStatement.Amounts()
        for field in CanonicalField.allCases {
            guard let formula = regime.fields[field.rawValue] else { continue }
            let result = try evaluate(formula, field: field, document: document) { term in
                guard let line = regime.lines[term.reference],
                    let column = previousYear ? line.previousYear : line.year
                else { return nil }
                return liasses[term.reference]?.amounts[column]
            }
            amounts[keyPath: field.keyPath] = result?.total
        }
        return amounts
    }

    /// `20231231` -> 2023-12-31; nil for `00000000` and other impossible dates.
    static func day(_ text: String) -> Day? {
        let digits = Array(text.utf8)
        guard digits.count == 8, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1] - 48) } }
        return Day(year: number(0..<4), month: number(4..<6), day: number(6..<8))
    }

    /// `000000000012345` or `-000000000012345`, whole currency units, to cents.
    static func amount(_ text: String) -> Money? {
        var bytes = Substring(text).utf8.drop { $0 == 32 }
        while bytes.last == 32 { bytes = bytes.dropLast() }
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var units: Int64 = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            units = units * 10 + Int64(byte - 48)
        }
        let (cents, overflow) = units.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        return Money(cents: negative ? -cents : cents)
    }
}
