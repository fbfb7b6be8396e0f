import Foundation

/// How the customer list is ordered.
public enum CustomerSort: String, Hashable, Sendable, Codable, ClosedList {
    case id
    case name
    /// Riskiest first when descending: by PD (a customer never assessed ranks last).
    case risk
    case exposure
    case overdue
    /// Least headroom first when ascending: the accounts closest to (or over) their limit.
    case headroom

    public static let listName = "a sort of the customer list"
}

/// What the credit team asks of the customer list: a search and filters, an order and a page.
public struct CustomerListQuery: Hashable, Sendable {
    /// Matched against the id and the registration number by prefix and the name anywhere in
    /// it, whatever the case.
    public var search: String?
    public var grade: String?
    public var group: String?
    public var sector: String?
    public var salesRep: String?
    /// Only customers whose exposure is above their effective limit (or only those within it).
    public var overLimit: Bool?
    /// Only customers with an overdue balance (or only those without).
    public var overdue: Bool?
    public var sort: CustomerSort
    public var descending: Bool
    public var limit: Int
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    public init(
        search: String? = nil, grade: String? = nil, group: String? = nil, sector: String? = nil, salesRep: String? = nil,
        overLimit: Bool? = nil, overdue: Bool? = nil, sort: CustomerSort = .name, descending: Bool = false, limit: Int = 50,
        cursor: String? = nil
    ) {
        self.search = search
        self.grade = grade
        self.group = group
        self.sector = sector
        self.salesRep = salesRep
        self.overLimit = overLimit
        self.overdue = overdue
        self.sort = sort
        self.descending = descending
        self.limit = limit
        self.cursor = cursor
    }
}

/// A customer's standing as the store keeps it: its latest assessment, without the detail.
public struct CustomerStanding: Hashable, Sendable, Codable {
    public var asOf: Day
    public var grade: String
    public var pd: Double
    public var score: Int
    public var suggestedLimit: Money
    public var exposure: Money
    public var overdue: Money

    public init(asOf: Day, grade: String, pd: Double, score: Int, suggestedLimit: Money, exposure: Money, overdue: Money) {
        self.asOf = asOf
        self.grade = grade
        self.pd = pd
        self.score = score
        self.suggestedLimit = suggestedLimit
        self.exposure = exposure
        self.overdue = overdue
    }
}

/// One line of the customer list.
public struct CustomerListEntry: Hashable, Sendable, Codable {
    public var customerId: String
    public var name: String
    public var registrationId: String?
    public var sectorCode: String
    public var country: String
    public var group: String?
    public var salesRep: String?
    /// The effective grade (an active override's, or the assessment's); absent before the first assessment.
    public var grade: String?
    public var pd: Double?
    /// The effective limit on the day.
    public var limit: Money?
    public var exposure: Money?
    public var headroom: Money?
    public var overdue: Money?
    public var overridden: Bool
    public var assessedOn: Day?
}

/// A page of the customer list.
public struct CustomerListPage: Hashable, Sendable, Codable {
    public var asOf: Day
    /// Customers matching the search and filters, on every page.
    public var matching: Int
    public var customers: [CustomerListEntry]
    /// Give it back as `cursor` for the next page; absent on the last.
    public var nextCursor: String?
}

/// The customer list: the rules that turn customers, their standing and the overrides in force
/// into the lines a user filters, sorts and pages through. Pure, so the API, the CLI and the web
/// pages list the same customers in the same order.
public enum CustomerDirectory {
    /// A customer with what the list shows of it.
    public struct Candidate: Sendable {
        public var customer: Customer
        public var standing: CustomerStanding?
        public var override: Override?

        public init(customer: Customer, standing: CustomerStanding?, override: Override?) {
            self.customer = customer
            self.standing = standing
            self.override = override
        }
    }

    /// The line of one customer on `day`: the effective grade and limit under an active override.
    public static func entry(_ candidate: Candidate, on day: Day, model: ScoringModel) -> CustomerListEntry {
        let customer = candidate.customer
        var entry = CustomerListEntry(
            customerId: customer.id, name: customer.name, registrationId: customer.registrationId, sectorCode: customer.sectorCode,
            country: customer.country, group: customer.group, salesRep: customer.salesRep, overridden: false)
        guard let standing = candidate.standing else { return entry }
        entry.pd = standing.pd
        entry.exposure = standing.exposure
        entry.overdue = standing.overdue
        entry.assessedOn = standing.asOf
        if let suggested = model.grade(code: standing.grade) {
            let decision = EffectiveDecision.current(
                suggestedGrade: suggested, suggestedLimit: standing.suggestedLimit, exposure: standing.exposure,
                override: candidate.override, on: day)
            entry.grade = decision.grade.code
            entry.limit = decision.limit
            entry.headroom = decision.headroom
            entry.overridden = decision.overrideStatus == .active
        } else {
            // A grade of an older model's scale: shown as stored, with the suggested limit.
            entry.grade = standing.grade
            entry.limit = standing.suggestedLimit
            entry.headroom = standing.suggestedLimit - standing.exposure
        }
        return entry
    }

    /// The form in which names and searches are compared: without case or accents. Kept with each
    /// customer in the store (`name_key`), so that a search or a sort by name folds no name per
    /// request. ASCII text (most names) is lower-cased byte by byte; the rest goes through
    /// Foundation's folding, which gives the same result on ASCII.
    public static func searchKey(_ text: String) -> String {
        var utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
            return String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        utf8 = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).utf8
        return String(decoding: Array(utf8), as: UTF8.self)
    }

    /// A search of the customer list: the id or the registration number by prefix, the name
    /// anywhere in it, without regard to case or accents (spaces in a registration number do not count).
    public struct Search: Sendable {
        let needle: [UInt8]
        let compactNeedle: [UInt8]

        public init(_ text: String) {
            let folded = CustomerDirectory.searchKey(text)
            needle = Array(folded.utf8)
            compactNeedle = Array(folded.filter { !$0.isWhitespace }.utf8)
        }

        /// Whether the customer matches; `nameKey` is `searchKey(customer.name)`, as stored.
        public func matches(_ customer: Customer, nameKey: String) -> Bool {
            if needle.isEmpty { return true }
            if Self.foldedHasPrefix(customer.id, needle, skippingSpaces: false) { return true }
            if let registration = customer.registrationId, Self.foldedHasPrefix(registration, compactNeedle, skippingSpaces: true) {
                return true
            }
            var name = nameKey
            return name.withUTF8 { Self.contains($0, needle) }
        }

        /// Whether `text`, folded (and without its spaces when asked), starts with `prefix`:
        /// byte by byte for ASCII text, without building the folded string.
        static func foldedHasPrefix(_ text: String, _ prefix: [UInt8], skippingSpaces: Bool) -> Bool {
            if prefix.isEmpty { return true }
            var matched = 0
            for byte in text.utf8 {
                if byte >= 0x80 {
                    let folded = CustomerDirectory.searchKey(text)
                    let bytes = Array((skippingSpaces ? folded.filter { !$0.isWhitespace } : folded).utf8)
                    return bytes.starts(with: prefix)
                }
                if skippingSpaces, byte == 0x20 || (0x09...0x0D).contains(byte) { continue }
                let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                guard lower == prefix[matched] else { return false }
                matched += 1
                if matched == prefix.count { return true }
            }
            return false
        }

        /// Byte search: both sides are in the same folded form.
        static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
            guard let first = needle.first else { return true }
            guard bytes.count >= needle.count else { return false }
            var index = 0
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
                index += 1
            }
            return false
        }
    }

    /// Whether an entry passes the query's filters on what only the decision knows (grade,
    /// limit, overdue); the identity filters are the store's.
    public static func passes(_ entry: CustomerListEntry, _ query: CustomerListQuery) -> Bool {
        if let grade = query.grade, entry.grade?.uppercased() != grade.uppercased() { return false }
        if let overLimit = query.overLimit, ((entry.headroom ?? .zero) < .zero) != overLimit { return false }
        if let overdue = query.overdue, ((entry.overdue ?? .zero) > .zero) != overdue { return false }
        return true
    }

    /// An entry of the list with its name's `searchKey`, by which a sort by name orders it.
    public struct Listed: Sendable {
        public var entry: CustomerListEntry
        public var nameKey: String

        public init(_ entry: CustomerListEntry, nameKey: String) {
            self.entry = entry
            self.nameKey = nameKey
        }
    }

    /// The page the query asks for, from every matching entry (in any order).
    public static func page(_ entries: [Listed], _ query: CustomerListQuery, asOf day: Day) throws(Refusal) -> CustomerListPage {
        var start = 0
        if let cursor = query.cursor {
            // The position in the list: what the previous page gave, whole and not negative.
            guard cursor.utf8.count <= 18, cursor.utf8.allSatisfy({ (48...57).contains($0) }), let position = Int(cursor) else {
                throw Refusal.invalid(field: "cursor", "\"\(cursor.truncatedForMessage(40))\" is not a cursor this list gave")
            }
            start = min(position, entries.count)
        }
        let end = min(entries.count, start + max(1, query.limit))
        let key = sortKey(query.sort)
        let descending = query.descending
        // Each entry's key computed once, not at every comparison.
        let keyed = entries.map { (key: key($0), entry: $0.entry) }
        let precedes = { (a: (key: SortKey, entry: CustomerListEntry), b: (key: SortKey, entry: CustomerListEntry)) -> Bool in
            if a.key != b.key { return descending ? b.key < a.key : a.key < b.key }
            return a.entry.customerId.utf8.lexicographicallyPrecedes(b.entry.customerId.utf8)
        }
        // The first pages (what people read) select the entries up to the page's end instead of
        // ordering the whole portfolio; a page deep in the list sorts everything.
        let first = end <= 2_000 && end * 8 < keyed.count ? smallest(end, of: keyed, by: precedes) : keyed.sorted(by: precedes)
        let customers = first[min(start, first.count)..<min(end, first.count)].map(\.entry)
        let next = end < entries.count ? String(end) : nil
        return CustomerListPage(asOf: day, matching: entries.count, customers: customers, nextCursor: next)
    }

    /// The `count` first elements in order, kept in a sorted buffer that most elements are
    /// turned away from with one comparison.
    static func smallest<T>(_ count: Int, of elements: [T], by precedes: (T, T) -> Bool) -> [T] {
        var kept: [T] = []
        kept.reserveCapacity(count + 1)
        for element in elements {
            if kept.count == count, let last = kept.last, !precedes(element, last) { continue }
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if precedes(element, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            kept.insert(element, at: low)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }

    /// A sort value that orders every entry: customers never assessed last in ascending order.
    static func sortKey(_ sort: CustomerSort) -> @Sendable (Listed) -> SortKey {
        switch sort {
        case .id: return { .text($0.entry.customerId) }
        case .name: return { .text($0.nameKey) }
        case .risk: return { .number($0.entry.pd ?? -1) }
        case .exposure: return { .number(Double($0.entry.exposure?.cents ?? Int64.min)) }
        case .overdue: return { .number(Double($0.entry.overdue?.cents ?? Int64.min)) }
        case .headroom: return { .number(Double($0.entry.headroom?.cents ?? Int64.max)) }
        }
    }

    /// Texts compare by their bytes (names by their folded form): quick, and the same order on
    /// every machine.
    enum SortKey: Comparable, Hashable, Sendable {
        case number(Double)
        case text(String)

        static func < (a: SortKey, b: SortKey) -> Bool {
            switch (a, b) {
            case (.number(let x), .number(let y)): return x < y
            case (.text(let x), .text(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
    }
}

/// Everything the credit team sees of one customer on one page.
public struct CustomerDetail: Hashable, Sendable, Codable {
    /// An open invoice or credit note with its state today.
    public struct OpenItem: Hashable, Sendable, Codable {
        public var invoiceId: String
        public var issueDate: Day
        public var dueDate: Day
        public var amount: Money
        public var openAmount: Money
        /// Negative before the due date.
        public var daysPastDue: Int
        public var disputed: Bool

        public init(invoiceId: String, issueDate: Day, dueDate: Day, amount: Money, openAmount: Money, daysPastDue: Int, disputed: Bool) {
            self.invoiceId = invoiceId
            self.issueDate = issueDate
            self.dueDate = dueDate
            self.amount = amount
            self.openAmount = openAmount
            self.daysPastDue = daysPastDue
            self.disputed = disputed
        }
    }

    public var asOf: Day
    public var customer: Customer
    public var contact: CustomerContact?
    /// The list's line: effective grade and limit from the latest assessment and the override in
    /// force; exposure, headroom and overdue as of `asOf` (open balances and reserved orders, as
    /// an order check counts them), where the list shows them as the assessment found them.
    public var standing: CustomerListEntry
    public var suggestedGrade: String?
    public var suggestedLimit: Money?
    public var score: Int?
    public var modelVersion: String?
    public var override: Override?
    /// Invoices still open, oldest due first, then the credit notes not yet applied.
    public var openItems: [OpenItem]
    /// Credit notes not yet set against an invoice, as a positive amount.
    public var unappliedCredits: Money
    public var openBalance: Money
    /// The latest periodic review, and when the next is due (nil without a review policy).
    public var lastReview: CreditReview?
    public var nextReview: ReviewDue?

    public init(
        asOf: Day, customer: Customer, contact: CustomerContact?, standing: CustomerListEntry, suggestedGrade: String?,
        suggestedLimit: Money?, score: Int?, modelVersion: String?, override: Override?, openItems: [OpenItem]
    ) {
        self.asOf = asOf
        self.customer = customer
        self.contact = contact
        self.standing = standing
        self.suggestedGrade = suggestedGrade
        self.suggestedLimit = suggestedLimit
        self.score = score
        self.modelVersion = modelVersion
        self.override = override
        self.openItems = openItems.sorted {
            ($0.openAmount < .zero ? 1 : 0, $0.dueDate, $0.invoiceId) < ($1.openAmount < .zero ? 1 : 0, $1.dueDate, $1.invoiceId)
        }
        self.unappliedCredits = -openItems.filter { $0.openAmount < .zero }.reduce(.zero) { $0 + $1.openAmount }
        self.openBalance = openItems.reduce(.zero) { $0 + $1.openAmount }
    }
}
