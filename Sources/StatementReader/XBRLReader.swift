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
/// (`scale` exists only in inline XBRL, which this reader does not take.) The same rules one
/// calendar year earlier give the `priorYear` the document restates (see `priorScope`), and the
/// mapping's identities between totals are checked for both years.
struct XBRLReader {
    let mapping: XBRLMapping
    /// `wantedConcepts(mapping)`, worked out once by the caller.
    let wanted: Set<String>
    let document: String

    /// Every `taxonomy:Concept` the mapping reads: the facts worth keeping.
    static func wantedConcepts(_ mapping: XBRLMapping) -> Set<String> {
        Set(
            mapping.fields.values.flatMap { $0.concepts.terms.map(\.reference) } + mapping.documentPeriodEndDate
                + mapping.companyName + mapping.documentType + mapping.fiscalPeriodFocus
                + mapping.checks.flatMap { ($0.total.terms + $0.parts.terms).map(\.reference) })
    }

    static let instance = "http://www.xbrl.org/2003/instance"
    static let linkbase = "http://www.xbrl.org/2003/linkbase"
    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"
    static let iso4217 = "http://www.xbrl.org/2003/iso4217"

    enum Period: Hashable {
        case instant(Day)
        case duration(start: Day, end: Day)
        case forever

        /// The day an instant or a duration ends; nil for `forever`.
        var end: Day? {
            switch self {
            case .instant(let day): day
            case .duration(_, let end): end
            case .forever: nil
            }
        }
    }

    /// The end of a dimensionless context nearest to `day`, within a week (filers with 52/53-week
    /// years state a cover date, or a year back, a few days off their contexts); the earlier on a tie.
    static func nearestEnd(to day: Day, in plain: [Context]) -> Day? {
        Set(plain.compactMap(\.period.end)).filter { abs($0 - day) <= 7 }
            .min { (abs($0 - day), $0) < (abs($1 - day), $1) }
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

    /// The contexts one year's figures are read from.
    struct Scope {
        var end: Day
        var start: Day
        /// Dimensionless durations from `start` to `end`: flows.
        var flows: Set<String>
        /// Dimensionless instants on `end`: balances.
        var stocks: Set<String>

        func contexts(for period: XBRLMapping.PeriodType) -> Set<String> { period == .duration ? flows : stocks }
    }

    /// Facts in namespaces that no taxonomy of the mapping covers, for errors that say why
    /// nothing was found rather than that nothing is there.
    struct Unmapped {
        var namespaces: [String: Int] = [:]
        var periodEndDate: (namespace: String, line: Int)?

        var hint: String {
            guard !namespaces.isEmpty else { return "" }
            let listed = namespaces.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) (\($0.value) facts)" }
            return "; its facts are in namespaces the mapping does not list: " + listed.joined(separator: ", ")
                + " (if they are us-gaap, ifrs-full or dei, add them to \"taxonomies\" in xbrl.json)"
        }
    }

    func read(_ root: XMLNode) throws(StatementError) -> FinancialStatement {
        var contexts: [String: Context] = [:]
        var units: [String: String?] = [:]  // id -> currency code, nil when not monetary
        var facts: [String: [Fact]] = [:]
        var unmapped = Unmapped()
        // Facts of a document share a handful of namespaces: each is matched against the patterns once.
        var taxonomies: [String: String?] = [:]

        for element in root.childElements {
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
            guard namespace != Self.linkbase, let namespace, let contextRef = element.attribute("contextRef") else { continue }
            let known: String?
            if let cached = taxonomies[namespace] {
                known = cached
            } else {
                known = mapping.taxonomy(of: namespace)
                taxonomies[namespace] = .some(known)
            }
            guard let taxonomy = known else {
                unmapped.namespaces[namespace, default: 0] += 1
                if element.localName == "DocumentPeriodEndDate", unmapped.periodEndDate == nil {
                    unmapped.periodEndDate = (namespace, element.line)
                }
                continue
            }
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

        let periodEnd = try mainPeriodEnd(contexts: contexts, facts: facts, root: root, unmapped: unmapped)
        let plain = contexts.values.filter { !$0.hasDimensions }
        // The fiscal period the document reports says how long its year to date is: a 10-Q for
        // Q1 whose cash-flow statement adds a trailing-twelve-months column (Amazon Q1 2012) is
        // about its three months, not about those twelve.
        let focusStart = fiscalPeriodMonths(facts).flatMap { Self.start(ending: periodEnd, lasting: $0, in: plain) }
        guard
            let main = focusStart.flatMap({ Self.scope(ending: periodEnd, in: plain, startingNear: $0) })
                ?? Self.scope(ending: periodEnd, in: plain, startingNear: nil)
        else {
            throw StatementError(
                .missingPeriod, document: document, element: "xbrli:context",
                message: "no context without dimensions covers a period ending \(periodEnd.iso); "
                    + "the year of the accounts cannot be told")
        }
        let periodMonths = Self.months(from: main.start, to: periodEnd)

        var currencies: [String: Fact] = [:]
        var stated: Set<String> = []
        let amounts = try self.amounts(in: main, facts: facts, units: units, currencies: &currencies, stated: &stated)
        try verify(main, facts: facts, units: units)
        // The previous year as this document restates it: the contexts one year earlier.
        var priorYear: FinancialStatement.Amounts?
        var priorYearMonths: Int?
        if let prior = Self.priorScope(main, in: plain) {
            var priorStated: Set<String> = []
            var previous = try self.amounts(in: prior, facts: facts, units: units, currencies: &currencies, stated: &priorStated)
            // Balances on the earlier day with no balance sheet then (total assets unknown) come
            // from another statement: a 10-Q's equity statement gives equity including minorities
            // a year back. A term the mapping may leave out as zero (minorities) that the filer
            // states for the year is then only untagged, not zero, and the formulas needing it
            // give nothing rather than a figure that silently includes it.
            if previous.totalAssets == nil {
                previous = try self.amounts(
                    in: prior, facts: facts, units: units, currencies: &currencies, stated: &priorStated,
                    requiring: stated)
            }
            try verify(prior, facts: facts, units: units)
            priorYear = previous == FinancialStatement.Amounts() ? nil : previous
            if !prior.flows.isEmpty { priorYearMonths = Self.months(from: prior.start, to: prior.end) }
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
                    + (filingKind(facts).map {
                        "its document type is \($0), not an annual or quarterly report: import the company's 10-K, 10-Q or 20-F"
                    }
                        ?? "check that the instance uses us-gaap or ifrs-full concepts in contexts without dimensions"
                        + unmapped.hint))
        }

        let entityContext = (main.flows.sorted().first ?? main.stocks.sorted().first).flatMap { contexts[$0] }
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
            periodMonths: periodMonths, currency: currency, consolidated: mapping.consolidated, amounts: amounts,
            priorYear: priorYear, priorYearMonths: priorYearMonths)
    }

    /// The whole months a span of days covers: 365 days are 12, a 13-week quarter 3.
    static func months(from start: Day, to end: Day) -> Int {
        max(1, Int((Double(end - start + 1) / daysPerMonth).rounded()))
    }

    /// The Gregorian year's average month: 365.2425 / 12 days.
    static let daysPerMonth = 30.436875

    /// The mapped amounts of one year; every currency met is recorded in `currencies`, every
    /// concept found in `stated`. Optional terms of balances whose concept is in `requiring` are
    /// required.
    private func amounts(
        in scope: Scope, facts: [String: [Fact]], units: [String: String?], currencies: inout [String: Fact],
        stated: inout Set<String>, requiring: Set<String> = []
    ) throws(StatementError) -> FinancialStatement.Amounts {
        var amounts = FinancialStatement.Amounts()
        for field in CanonicalField.allCases {
            guard let rule = mapping.fields[field.rawValue] else { continue }
            let contexts = scope.contexts(for: rule.period)
            var alternatives = rule.concepts.alternatives
            if !requiring.isEmpty, rule.period == .instant {
                alternatives = alternatives.map { terms in
                    terms.map { term in
                        var term = term
                        if term.optional, requiring.contains(term.reference) { term.optional = false }
                        return term
                    }
                }
            }
            amounts[keyPath: field.keyPath] = try evaluate(alternatives, field: field, document: document) {
                term throws(StatementError) in
                guard let fact = try pick(term.reference, in: contexts, facts: facts, units: units) else { return nil }
                let (cents, currency) = try monetary(fact, units: units)
                currencies[currency] = currencies[currency] ?? fact
                stated.insert(term.reference)
                return cents
            }
        }
        return amounts
    }

    /// The mapping's identities for one year (`TotalsCheck`).
    private func verify(_ scope: Scope, facts: [String: [Fact]], units: [String: String?]) throws(StatementError) {
        try verifyTotals(
            mapping.checks.map(CheckSides<MappingTerm>.init), tolerance: mapping.tolerance, document: document,
            year: "the period ending \(scope.end.iso)"
        ) { check, term throws(StatementError) in
            guard let period = check.period,
                let fact = try pick(term.reference, in: scope.contexts(for: period), facts: facts, units: units)
            else { return nil }
            return LocatedAmount(amount: try monetary(fact, units: units).0, name: fact.name, line: fact.line)
        }
    }

    /// A fact's value in cents and its currency; a monetary concept in another unit is an error.
    private func monetary(_ fact: Fact, units: [String: String?]) throws(StatementError) -> (Money, String) {
        guard case .some(.some(let currency)) = units[fact.unitRef ?? ""] else {
            throw StatementError(
                .invalidValue, document: document, line: fact.line, element: fact.name,
                message: "unit \"\((fact.unitRef ?? "(none)").truncatedForMessage(40))\" is not a currency (an iso4217 measure "
                    + "of three capital letters, such as iso4217:EUR); a monetary concept needs a monetary unit")
        }
        return (try Self.cents(fact, document: document), currency)
    }

    /// The contexts of the year ending `end`: the longest dimensionless duration ending then
    /// (or, with `startingNear`, the longest starting within a week of it) and the instants that day.
    ///
    /// A development-stage filer also states its flows "since inception", a span of many years
    /// ending the same day: while a span of a year or less ends then, that span is the year.
    static func scope(ending end: Day, in plain: [Context], startingNear: Day?) -> Scope? {
        var durations = plain.compactMap { context -> (Context, Day)? in
            guard case .duration(let start, let last) = context.period, last == end else { return nil }
            if let startingNear, abs(start - startingNear) > 7 { return nil }
            return (context, start)
        }
        let withinAYear = durations.filter { end - $0.1 < maximumYearDays }
        if !withinAYear.isEmpty { durations = withinAYear }
        guard let start = durations.map(\.1).min() else { return nil }
        return Scope(
            end: end, start: start, flows: Set(durations.filter { $0.1 == start }.map(\.0.id)),
            stocks: Set(plain.filter { $0.period == .instant(end) }.map(\.id)))
    }

    /// The year before `main` as the document restates it: the period ending one calendar year
    /// earlier (within a week, for 52/53-week years), its flows over the same span a year back
    /// (a 10-Q's year to date against the previous year to date), its balances on that day.
    /// Nil when the document states no such period; without prior flows, `start` is the end.
    static func priorScope(_ main: Scope, in plain: [Context]) -> Scope? {
        guard let end = nearestEnd(to: yearEarlier(main.end), in: plain) else { return nil }
        let flows = scope(ending: end, in: plain, startingNear: yearEarlier(main.start))
        let stocks = Set(plain.filter { $0.period == .instant(end) }.map(\.id))
        guard flows != nil || !stocks.isEmpty else { return nil }
        return Scope(end: end, start: flows?.start ?? end, flows: flows?.flows ?? [], stocks: stocks)
    }

    /// The longest fiscal year, in days: a 53-week year is 371 days; a week more for filers
    /// whose year starts a day or two off.
    static let maximumYearDays = 378

    /// The same day a calendar year earlier; 29 February becomes the 28th.
    static func yearEarlier(_ day: Day) -> Day {
        let (year, month, date) = day.components
        return Day(year: year - 1, month: month, day: min(date, Day.daysIn(month: month, year: year - 1))) ?? day - 365
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
                    message:
                        "is \(other.text.truncatedForMessage(40)) here but \(chosen.text.truncatedForMessage(40)) at line \(chosen.line), for the same period; "
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
        contexts: [String: Context], facts: [String: [Fact]], root: XMLNode, unmapped: Unmapped
    )
        throws(StatementError) -> Day
    {
        let plain = contexts.values.filter { !$0.hasDimensions }
        for concept in mapping.documentPeriodEndDate {
            guard let fact = facts[concept]?.first(where: { !$0.isNil }) else { continue }
            guard let stated = Self.day(fact.text, isEnd: false) else {
                throw StatementError(
                    .invalidValue, document: document, line: fact.line, element: fact.name,
                    message: "\"\(fact.text.truncatedForMessage(40))\" is not a date (expected YYYY-MM-DD)")
            }
            guard let nearest = Self.nearestEnd(to: stated, in: plain) else {
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
            if let stated = unmapped.periodEndDate {
                throw StatementError(
                    .unknownFormat, document: document, line: stated.line, element: "DocumentPeriodEndDate",
                    message: "states its period end in namespace \(stated.namespace), which the mapping does not know, "
                        + "so neither the period nor a single amount can be read" + unmapped.hint)
            }
            throw StatementError(
                .missingPeriod, document: document, line: root.line, element: "xbrli:context",
                message: "has no dei:DocumentPeriodEndDate and no context without dimensions covering a year with "
                    + "mapped facts; the period of the accounts is unknown" + unmapped.hint)
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
        // `usd`, an empty code or a 2 MB one would otherwise be stored as the statement's currency.
        return namespace == Self.iso4217 && Money.isCurrencyCode(code) ? code : nil
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
        var tooLarge = false
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
            // Past Int64, the rest is still checked for a number: the message says which fault.
            if tooLarge { continue }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 {
                tooLarge = true
                continue
            }
            value = a
        }
        var cents = value
        for _ in min(fraction, 2)..<2 where valid && !tooLarge {
            let (m, overflow) = cents.multipliedReportingOverflow(by: 10)
            if overflow { tooLarge = true } else { cents = m }
        }
        guard valid, digits > 0 else {
            throw StatementError(
                .invalidValue, document: document, line: fact.line, element: fact.name,
                message: "\"\(text.truncatedForMessage(40))\" is not a number (expected a decimal such as 1234567 or -1234.56)")
        }
        guard !tooLarge else {
            throw StatementError(
                .invalidValue, document: document, line: fact.line, element: fact.name,
                message: "\"\(text.truncatedForMessage(40))\" is too large for an amount")
        }
        if roundUp {
            guard cents < Int64.max else {
                throw StatementError(
                    .invalidValue, document: document, line: fact.line, element: fact.name,
                    message: "\"\(text.truncatedForMessage(40))\" is too large for an amount")
            }
            cents += 1
        }
        return Money(cents: negative ? -cents : cents)
    }

    /// The months from the start of the fiscal year to the period end, as the document's
    /// `dei:DocumentFiscalPeriodFocus` states them (Q1 3, Q2 and H1 6, Q3 9, FY 12); nil when
    /// it states none or another value.
    func fiscalPeriodMonths(_ facts: [String: [Fact]]) -> Int? {
        for concept in mapping.fiscalPeriodFocus {
            guard let focus = facts[concept]?.first(where: { !$0.isNil }) else { continue }
            switch focus.text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() {
            case "Q1": return 3
            case "Q2", "H1": return 6
            case "Q3": return 9
            case "FY", "Q4", "H2": return 12
            default: return nil
            }
        }
        return nil
    }

    /// The start of the dimensionless duration ending on `end` that lasts `months` (within a
    /// month: a 13-week quarter is 91 days), the closest when several do.
    static func start(ending end: Day, lasting months: Int, in plain: [Context]) -> Day? {
        let length = Double(months) * daysPerMonth
        func gap(_ start: Day) -> Double { abs(Double(end - start + 1) - length) }
        let starts = plain.compactMap { context -> Day? in
            guard case .duration(let start, let last) = context.period, last == end, end - start < maximumYearDays else { return nil }
            return start
        }
        return starts.filter { gap($0) <= 31 }.min { gap($0) < gap($1) }
    }

    /// The kind of filing the document says it is (`8-K`, `S-1`...), when that is not a periodic
    /// report, which alone holds financial statements.
    func filingKind(_ facts: [String: [Fact]]) -> String? {
        for concept in mapping.documentType {
            guard let kind = facts[concept]?.first(where: { !$0.isNil })?.text.trimmingCharacters(in: .whitespacesAndNewlines),
                !kind.isEmpty
            else { continue }
            let periodic = ["10-K", "10-Q", "20-F", "40-F", "10-KT", "10-QT", "10-K/A", "10-Q/A", "20-F/A", "40-F/A"]
            return periodic.contains(kind.uppercased()) ? nil : kind.truncatedForMessage(20)
        }
        return nil
    }

    /// Cents rounded to `decimals` decimal places (-3: thousands), half away from zero. The file
    /// states `decimals`: any integer, down to `Int.min`, so the exponent is capped before it is
    /// computed (10^18 cents is more than any amount).
    static func rounded(_ money: Money, decimals: Int) -> Int64 {
        guard decimals < 2 else { return money.cents }
        let exponent = decimals <= -16 ? 18 : min(2 - decimals, 18)
        var unit: Int64 = 1
        for _ in 0..<exponent { unit *= 10 }
        let half = unit / 2
        let magnitude = money.cents.magnitude
        let rounded = Int64((magnitude + UInt64(half)) / UInt64(unit))
        return money.cents < 0 ? -rounded : rounded
    }
}
