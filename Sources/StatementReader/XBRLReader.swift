import CreditCore
import Foundation

/// Reads an XBRL 2.1 instance: picks the facts of the document's main period and maps the
/// concepts named in the mapping (by taxonomy namespace family, never by prefix).
///
/// The main period ends on `dei:DocumentPeriodEndDate` when the document gives it, else on the
/// latest end of a dimensionless duration context. Flows come from the longest dimensionless
/// duration ending then (the year, not a quarter), balances from dimensionless instants on
/// that day. Contexts with a segment or scenario (dimensions: segments, parent-only figures,
/// restatements) are never used. Values are already in units: `decimals` only says how they
/// were rounded (-3: to thousands), so it matters for comparing duplicates, not for scaling.
/// (`scale` exists only in inline XBRL, which this reader does not take.)
struct XBRLReader {
    let mapping: XBRLMapping
    let document: String

    static let instance = "http://www.xbrl.org/2003/instance"
    static let linkbase = "http://www.xbrl.org/2003/linkbase"
    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"
    static let iso4217 = "http://www.xbrl.org/2003/iso4217"

    enum Period: Hashable {
        case instant(Day)
        case duration(start: Day, end: Day)
        case forever
    }

    struct Context {
        var id: String
        var line: Int
        var identifier: String
        var scheme: String
        var hasDimensions: Bool
        var period: Period
    }

    struct Fact {
        var key: String
        var name: String
        var contextRef: String
        var unitRef: String?
        var decimals: Int?  // nil: INF or absent
        var text: String
        var line: Int
        var isNil: Bool
    }

    func read(_ root: XMLNode) throws(StatementError) -> FinancialStatement {
        var contexts: [String: Context] = [:]
        var units: [String: String?] = [:]  // id -> currency code, nil when not monetary
        var facts: [String: [Fact]] = [:]
        let wanted = Set(
            mapping.fields.values.flatMap { $0.concepts.terms.map(\.reference) } + mapping.documentPeriodEndDate
                + mapping.companyName)

        for element in root.children {
            let namespace = element.namespaceURI
            if namespace == Self.instance {
                if element.localName == "context" {
                    let context = try readContext(element)
                    contexts[context.id] = context
                } else if element.localName == "unit", let id = element.attribute("id") {
                    units[id] = currency(of: element)
                }
                continue
            }
            guard namespace != Self.linkbase, let namespace, let contextRef = element.attribute("contextRef"),
                let taxonomy = mapping.taxonomy(of: namespace)
            else { continue }
            let key = taxonomy + ":" + element.localName
            guard wanted.contains(key) else { continue }
            let decimals = element.attribute("decimals").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let isNil = element.attribute("nil", in: Self.schemaInstance).map { $0 == "true" || $0 == "1" } ?? false
            facts[key, default: []].append(
                Fact(
                    key: key, name: element.qualifiedName, contextRef: contextRef, unitRef: element.attribute("unitRef"),
                    decimals: decimals, text: element.text, line: element.line, isNil: isNil))
        }

        for list in facts.values {
            for fact in list where contexts[fact.contextRef] == nil {
                throw StatementError(
                    .missingElement, document: document, line: fact.line, element: fact.name,
                    message: "refers to context \"\(fact.contextRef)\", which the document does not define")
            }
        }

        let periodEnd = try mainPeriodEnd(contexts: contexts, facts: facts, root: root)
        let plain = contexts.values.filter { !$0.hasDimensions }
        let durations = plain.compactMap { context -> (Context, Day)? in
            if case .duration(let start, let end) = context.period, end == periodEnd { return (context, start) }
            return nil
        }
        guard let yearStart = durations.map(\.1).min() else {
            throw StatementError(
                .missingPeriod, document: document, element: "xbrli:context",
                message: "no context without dimensions covers a period ending \(periodEnd.iso); "
                    + "the year of the accounts cannot be told")
        }
        let flowContexts = Set(durations.filter { $0.1 == yearStart }.map(\.0.id))
        let stockContexts = Set(plain.filter { $0.period == .instant(periodEnd) }.map(\.id))
        let periodMonths = max(1, Int((Double(periodEnd - yearStart + 1) / 30.436875).rounded()))

        var amounts = FinancialStatement.Amounts()
        var currencies: [String: Fact] = [:]
        for field in CanonicalField.allCases {
            guard let rule = mapping.fields[field.rawValue] else { continue }
            let scope = rule.period == .duration ? flowContexts : stockContexts
            let result = try evaluate(rule.concepts, field: field, document: document) { term throws(StatementError) in
                guard let fact = try pick(term.reference, in: scope, facts: facts, units: units) else { return nil }
                guard case .some(.some(let currency)) = units[fact.unitRef ?? ""] else {
                    throw StatementError(
                        .invalidValue, document: document, line: fact.line, element: fact.name,
                        message: "unit \"\(fact.unitRef ?? "(none)")\" is not a currency (iso4217); "
                            + "a monetary concept needs a monetary unit")
                }
                currencies[currency] = currencies[currency] ?? fact
                return try Self.cents(fact, document: document)
            }
            amounts[keyPath: field.keyPath] = result?.total
        }
        guard currencies.count <= 1 else {
            let listed = currencies.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.name), line \($0.value.line))" }
            throw StatementError(
                .mixedCurrencies, document: document, line: currencies.values.map(\.line).max(),
                element: currencies.values.first?.name,
                message: "the amounts used are in several currencies: \(listed.joined(separator: ", ")); "
                    + "one statement needs one currency")
        }
        guard let currency = currencies.keys.first else {
            throw StatementError(
                .missingElement, document: document, element: "facts",
                message: "no mapped fact (revenue, equity, total assets...) for the period ending \(periodEnd.iso); "
                    + "check that the instance uses us-gaap or ifrs-full concepts in contexts without dimensions")
        }

        let entityContext = (flowContexts.sorted().first ?? stockContexts.sorted().first).flatMap { contexts[$0] }
        guard let entity = entityContext, !entity.identifier.isEmpty else {
            throw StatementError(
                .missingElement, document: document, element: "xbrli:identifier",
                message: "the contexts of the main period name no entity identifier")
        }
        var name: String?
        for concept in mapping.companyName {
            if let fact = facts[concept]?.first(where: { !$0.isNil && !$0.text.isEmpty }) {
                name = fact.text
                break
            }
        }
        return FinancialStatement(
            company: .init(registrationId: entity.identifier, name: name, sectorCode: nil), periodEnd: periodEnd,
            periodMonths: periodMonths, currency: currency, consolidated: mapping.consolidated, amounts: amounts)
    }

    /// The one value of a concept in the main period: nil facts ignored, duplicates compared
    /// at the precision both state, disagreeing duplicates refused.
    private func pick(
        _ key: String, in scope: Set<String>, facts: [String: [Fact]], units: [String: String?]
    )
        throws(StatementError) -> Fact?
    {
        let candidates = (facts[key] ?? []).filter { scope.contains($0.contextRef) && !$0.isNil }
        guard var chosen = candidates.first else { return nil }
        var chosenCents = try Self.cents(chosen, document: document)
        for other in candidates.dropFirst() {
            let otherCents = try Self.cents(other, document: document)
            let sameUnit = units[chosen.unitRef ?? ""] == units[other.unitRef ?? ""]
            guard sameUnit else {
                throw StatementError(
                    .mixedCurrencies, document: document, line: other.line, element: other.name,
                    message: "is given in unit \"\(other.unitRef ?? "")\" and, at line \(chosen.line), in "
                        + "\"\(chosen.unitRef ?? "")\"; one statement needs one currency")
            }
            let precision = min(chosen.decimals ?? Int.max, other.decimals ?? Int.max)
            guard Self.rounded(chosenCents, decimals: precision) == Self.rounded(otherCents, decimals: precision) else {
                throw StatementError(
                    .conflictingFacts, document: document, line: other.line, element: other.name,
                    message: "is \(other.text) here but \(chosen.text) at line \(chosen.line), for the same period; "
                        + "the document contradicts itself, ask its sender for a corrected instance")
            }
            if (other.decimals ?? Int.max) > (chosen.decimals ?? Int.max) {
                chosen = other
                chosenCents = otherCents
            }
        }
        return chosen
    }

    /// The period end the document is about.
    private func mainPeriodEnd(
        contexts: [String: Context], facts: [String: [Fact]], root: XMLNode
    )
        throws(StatementError) -> Day
    {
        let plain = contexts.values.filter { !$0.hasDimensions }
        var ends: Set<Day> = []
        for context in plain {
            switch context.period {
            case .instant(let day): ends.insert(day)
            case .duration(_, let end): ends.insert(end)
            case .forever: break
            }
        }
        for concept in mapping.documentPeriodEndDate {
            guard let fact = facts[concept]?.first(where: { !$0.isNil }) else { continue }
            guard let stated = Self.day(fact.text, isEnd: false) else {
                throw StatementError(
                    .invalidValue, document: document, line: fact.line, element: fact.name,
                    message: "\"\(fact.text)\" is not a date (expected YYYY-MM-DD)")
            }
            // Filers with 52/53-week years may state a cover date a few days off their contexts.
            let nearest = ends.filter { abs($0 - stated) <= 7 }.min { abs($0 - stated) < abs($1 - stated) }
            guard let nearest else {
                throw StatementError(
                    .missingPeriod, document: document, line: fact.line, element: fact.name,
                    message: "states the period ends \(stated.iso), but no context without dimensions ends then")
            }
            return nearest
        }
        let mappedContexts = Set(facts.values.flatMap { $0.filter { !$0.isNil }.map(\.contextRef) })
        let durationEnds = plain.compactMap { context -> Day? in
            guard mappedContexts.contains(context.id), case .duration(_, let end) = context.period else { return nil }
            return end
        }
        guard let latest = durationEnds.max() else {
            throw StatementError(
                .missingPeriod, document: document, line: root.line, element: "xbrli:context",
                message: "has no dei:DocumentPeriodEndDate and no context without dimensions covering a year with "
                    + "mapped facts; the period of the accounts is unknown")
        }
        return latest
    }

    private func readContext(_ element: XMLNode) throws(StatementError) -> Context {
        let ns = Self.instance
        guard let id = element.attribute("id") else {
            throw StatementError(
                .missingElement, document: document, line: element.line, element: "xbrli:context",
                message: "a context has no id")
        }
        let entity = element.child("entity", in: ns)
        let identifier = entity?.child("identifier", in: ns)
        let segment = entity?.child("segment", in: ns)
        let scenario = element.child("scenario", in: ns)
        let hasDimensions = !(segment?.children.isEmpty ?? true) || !(scenario?.children.isEmpty ?? true)
        guard let periodElement = element.child("period", in: ns) else {
            throw StatementError(
                .missingPeriod, document: document, line: element.line, element: "xbrli:context \(id)",
                message: "the context has no period")
        }
        func date(_ name: String, isEnd: Bool) throws(StatementError) -> Day? {
            guard let node = periodElement.child(name, in: ns) else { return nil }
            guard let day = Self.day(node.text, isEnd: isEnd) else {
                throw StatementError(
                    .invalidValue, document: document, line: node.line, element: "xbrli:\(name)",
                    message: "\"\(node.text)\" is not a date (expected YYYY-MM-DD) in context \(id)")
            }
            return day
        }
        let period: Period
        if let instant = try date("instant", isEnd: true) {
            period = .instant(instant)
        } else if let start = try date("startDate", isEnd: false), let end = try date("endDate", isEnd: true) {
            period = .duration(start: start, end: end)
        } else if periodElement.child("forever", in: ns) != nil {
            period = .forever
        } else {
            throw StatementError(
                .missingPeriod, document: document, line: periodElement.line, element: "xbrli:period",
                message: "context \(id) has neither an instant nor a start and end date")
        }
        return Context(
            id: id, line: element.line, identifier: identifier?.text ?? "", scheme: identifier?.attribute("scheme") ?? "",
            hasDimensions: hasDimensions, period: period)
    }

    /// The ISO 4217 code of a simple monetary unit; nil for shares, pure numbers, ratios.
    private func currency(of unit: XMLNode) -> String? {
        let measures = unit.children.filter { $0.is("measure", in: Self.instance) }
        guard measures.count == 1, let measure = measures.first else { return nil }
        let (namespace, code) = measure.resolve(qName: measure.text)
        return namespace == Self.iso4217 ? code : nil
    }

    /// xs:date or xs:dateTime. An end or instant at midnight (`2024-01-01T00:00:00`) is the end of the previous day.
    static func day(_ text: String, isEnd: Bool) -> Day? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 10, let day = Day(parsing: trimmed.prefix(10)) else { return nil }
        let time = trimmed.dropFirst(10)
        if isEnd, time.hasPrefix("T00:00:00") { return day - 1 }
        return day
    }

    /// An xs:decimal value to cents, rounding half away from zero past the cent.
    static func cents(_ fact: Fact, document: String) throws(StatementError) -> Money {
        let text = fact.text
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value: Int64 = 0
        var digits = 0
        var fraction = 0
        var roundUp = false
        var seenPoint = false
        var valid = !bytes.isEmpty
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenPoint {
                    valid = false
                    break
                }
                seenPoint = true
                continue
            }
            guard byte >= 48, byte <= 57 else {
                valid = false
                break
            }
            digits += 1
            if seenPoint {
                fraction += 1
                if fraction > 2 {
                    if fraction == 3 { roundUp = byte >= 53 }
                    continue
                }
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 {
                valid = false
                break
            }
            value = a
        }
        var cents = value
        for _ in min(fraction, 2)..<2 where valid {
            let (m, overflow) = cents.multipliedReportingOverflow(by: 10)
            if overflow { valid = false } else { cents = m }
        }
        guard valid, digits > 0 else {
            throw StatementError(
                .invalidValue, document: document, line: fact.line, element: fact.name,
                message: "\"\(text)\" is not a number (expected a decimal such as 1234567 or -1234.56)")
        }
        if roundUp {
            guard cents < Int64.max else {
                throw StatementError(
                    .invalidValue, document: document, line: fact.line, element: fact.name,
                    message: "\"\(text)\" is too large for an amount")
            }
            cents += 1
        }
        return Money(cents: negative ? -cents : cents)
    }

    /// Cents rounded to `decimals` decimal places (-3: thousands), half away from zero.
    static func rounded(_ money: Money, decimals: Int) -> Int64 {
        guard decimals < 2 else { return money.cents }
        let exponent = min(2 - decimals, 18)
        var unit: Int64 = 1
        for _ in 0..<exponent { unit *= 10 }
        let half = unit / 2
        let magnitude = money.cents.magnitude
        let rounded = Int64((magnitude + UInt64(half)) / UInt64(unit))
        return money.cents < 0 ? -rounded : rounded
    }
}
