import CreditCore
import Foundation

/// Reads INPI "bilans saisis": an `identite` block, then `detail/page/liasse` elements whose
/// `code` is the code of a tax-form line's first cell and whose `m1`..`m4` are that line's
/// columns, in the form's order. Which column is year N and which N-1 depends on the form
/// and the line, so it comes from the mapping, never from code; so do the sections whose blank
/// lines are zeros and the identities between totals that both columns must satisfy.
/// The N-1 column becomes the statement's `priorYear`.
struct BilansSaisisReader {
    let mapping: BilansSaisisMapping
    /// One per regime of `mapping`, in its order.
    let layouts: [BilansSaisisLayout]
    let document: String
    let includePreviousYear: Bool

    private var ns: String { mapping.namespace }

    private typealias Liasse = BilansSaisisLayout.Liasse

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
        // Nine ASCII digits, checked on the bytes (Character properties cost more than the rest of the identity).
        guard siren.utf8.count == 9, siren.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
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
        let periodMonths = try months(identity, closing: periodEnd)
        let (accountType, typeLine) = try required("code_type_bilan", "the type of accounts: C, S or K")
        guard let index = mapping.regimes.firstIndex(where: { $0.accountTypes.contains(accountType) }) else {
            let known = mapping.regimes.map { "\($0.accountTypes.joined(separator: "/")) (\($0.name))" }
            throw StatementError(
                .unsupportedAccounts, document: document, line: typeLine, element: "code_type_bilan",
                message: "accounts of type \"\(accountType)\" are not mapped (mapped: \(known.joined(separator: ", "))); "
                    + "insurance (A) and bank (B) accounts use other forms")
        }
        let (currency, currencyLine) = try required("code_devise", "the currency, e.g. EUR")
        guard Money.isCurrencyCode(currency) else {
            throw StatementError(
                .invalidValue, document: document, line: currencyLine, element: "code_devise",
                message: "\"\(currency.truncatedForMessage(20))\" is not an ISO 4217 currency code (three capital letters, not XXX)")
        }
        let regime = mapping.regimes[index]
        let layout = layouts.indices.contains(index) ? layouts[index] : BilansSaisisLayout(regime)
        let name = field("denomination").map { Self.singleSpaced($0.text) }
        let sector = field("code_activite")?.text

        let liasses = try readLiasses(bilan, layout: layout)
        let company = FinancialStatement.Company(
            registrationId: siren, name: name?.isEmpty == false ? name : nil,
            sectorCode: sector?.isEmpty == false ? sector : nil)

        // Both columns are checked before anything is returned: a file whose N-1 column is
        // off by a factor of ten is as unreliable as one whose year N is.
        for previousYear in [false, true] {
            try verifyTotals(
                layout.checks, tolerance: mapping.tolerance, document: document,
                year: previousYear ? "year N-1" : "year N"
            ) { _, term in BilansSaisisLayout.cell(term.line, in: liasses, previousYear: previousYear) }
        }
        let previous = try amounts(layout, liasses, previousYear: true)
        let priorYear = previous == FinancialStatement.Amounts() ? nil : previous
        let previousMonths = field("duree_exercice_n-1").flatMap { Int($0.text) }.flatMap { (1...36).contains($0) ? $0 : nil }
        var statements = [
            FinancialStatement(
                company: company, periodEnd: periodEnd, periodMonths: periodMonths, currency: currency,
                consolidated: regime.consolidated, amounts: try amounts(layout, liasses, previousYear: false),
                priorYear: priorYear, priorYearMonths: previousMonths)
        ]
        if includePreviousYear, let priorYear,
            let previousEnd = field("date_cloture_exercice_n-1").flatMap({ Self.day($0.text) }), let previousMonths
        {
            statements.append(
                FinancialStatement(
                    company: company, periodEnd: previousEnd, periodMonths: previousMonths, currency: currency,
                    consolidated: regime.consolidated, amounts: priorYear))
        }
        return statements
    }

    /// The length of the year in months: `duree_exercice_n` when it states one; for first-year
    /// filers, who leave `00` there, the months between the previous closing date and this one;
    /// and 0 ("not stated", which the scoring reads as unknown, never as a year) when the file
    /// gives no previous closing either, as INPI's first-year files do (`00000000`): the XSD
    /// has no opening-date field to count from.
    private func months(_ identity: XMLNode, closing: Day) throws(StatementError) -> Int {
        let stated = identity.child("duree_exercice_n", in: ns)
        let text = stated?.text ?? ""
        if let months = Int(text), (1...36).contains(months) { return months }
        guard text.isEmpty || text.allSatisfy({ $0 == "0" }) else {
            throw StatementError(
                .invalidValue, document: document, line: stated?.line ?? identity.line, element: "duree_exercice_n",
                message: "\"\(text)\" is not a number of months between 1 and 36 (or 00 for a first year); "
                    + "the length of the year is unknown: fix duree_exercice_n or leave the file out")
        }
        guard let previous = identity.child("date_cloture_exercice_n-1", in: ns).flatMap({ Self.day($0.text) }),
            previous < closing
        else { return 0 }
        // Closing dates are month ends as a rule: whole months between them, rounded.
        let months = Int((Double(closing - previous) / 30.436875).rounded())
        return (1...36).contains(months) ? months : 0
    }

    /// Every liasse, amounts checked, those the mapping declares a line for kept by slot. A code
    /// repeated with other amounts is an error only when the mapping uses it: the reader cannot
    /// choose between two values it needs.
    private func readLiasses(_ bilan: XMLNode, layout: BilansSaisisLayout) throws(StatementError) -> [Liasse?] {
        var liasses = [Liasse?](repeating: nil, count: layout.slots.count)
        guard let detail = bilan.child("detail", in: ns) else { return liasses }  // confidential accounts: identity only
        for page in detail.childElements where page.is("page", in: ns) {
            for element in page.childElements where element.is("liasse", in: ns) {
                guard let code = element.attribute("code"), !code.isEmpty else {
                    throw StatementError(
                        .missingElement, document: document, line: element.line, element: "liasse",
                        message: "a liasse element has no code attribute")
                }
                var liasse = Liasse(line: element.line)
                for (column, name) in Liasse.columns.enumerated() {
                    // Parsed where libxml2 holds the text; a string is made of it only for an error.
                    guard let parsed = element.withAttributeBytes(name, Self.amount) else { continue }
                    guard let amount = parsed else {
                        let text = element.attribute(name) ?? ""
                        throw StatementError(
                            .invalidValue, document: document, line: liasse.line, element: "liasse \(code)",
                            message: "\(name) \"\(text)\" is not an amount (expected whole currency units, "
                                + "optionally signed and zero-padded, e.g. 000000000012345)")
                    }
                    liasse[column] = amount
                }
                guard let slot = layout.slots[code] else { continue }
                if let earlier = liasses[slot] {
                    guard earlier.sameAmounts(as: liasse) else {
                        throw StatementError(
                            .conflictingFacts, document: document, line: liasse.line, element: "liasse \(code)",
                            message: "appears again with other amounts (first at line \(earlier.line)); "
                                + "the accounts cannot be read unambiguously")
                    }
                    continue
                }
                liasses[slot] = liasse
            }
        }
        return liasses
    }

    private func amounts(
        _ layout: BilansSaisisLayout, _ liasses: [Liasse?], previousYear: Bool
    ) throws(StatementError) -> FinancialStatement.Amounts {
        var amounts = FinancialStatement.Amounts()
        for entry in layout.fields {
            func stated(_ term: BilansSaisisLayout.Term) -> Money? {
                BilansSaisisLayout.cell(term.line, in: liasses, previousYear: previousYear)?.amount
            }
            var value = try evaluate(entry.alternatives, field: entry.field, document: document, value: stated)
            // A blank cell on a filed form is a zero: a company without employees leaves FY and
            // FZ blank, a holding company FJ. Unknown only when the section itself is missing.
            // So a field whose required line is blank but another of its lines is filled is that
            // line (GA blank, GB 197 033: D&A 197 033, not zero), from the first alternative
            // with a line filled; a field whose lines are all blank is zero.
            let filed =
                value == nil
                && entry.filedWhenAnyOf?.contains {
                    BilansSaisisLayout.cell($0, in: liasses, previousYear: previousYear) != nil
                } == true
            if filed {
                value = .zero
                if let withALine = entry.alternatives.first(where: { $0.contains { stated($0) != nil } }) {
                    value = try evaluate([withALine], field: entry.field, document: document) { stated($0) ?? .zero }
                }
            }
            amounts[keyPath: entry.field.keyPath] = value
        }
        return amounts
    }

    /// A company name with its runs of white space made one space and its ends trimmed; names
    /// that have none (most) are returned as they are, without splitting them into words.
    static func singleSpaced(_ text: String) -> String {
        var previousSpace = true
        let plain = text.utf8.allSatisfy { byte in
            // Bytes of 0x80 and over may start a Unicode space (U+00A0...): those take the long way.
            defer { previousSpace = byte == 0x20 }
            return byte < 0x80 && byte > 0x20 || (byte == 0x20 && !previousSpace)
        }
        guard !plain || text.utf8.last == 0x20 else { return text }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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
        var text = text
        return text.withUTF8(amount)
    }

    /// `amount` over the text's UTF-8.
    static func amount(_ utf8: UnsafeBufferPointer<UInt8>) -> Money? {
        var bytes = utf8.drop { $0 == 32 }
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
