/// One thing wrong with an input (a ledger file, a statement document, a request), located precisely
/// enough for a person to fix it: file, line, column or element.
public struct LocatedProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    /// Physical line in the file, counting the header as line 1; nil for whole-file problems.
    public var line: Int?
    public var column: String?
    public var value: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: String? = nil, value: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    /// `invoices.csv line 42, column due_date: "31/02/2024" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)`
    public var description: String {
        var location = file
        if let line { location += " line \(line)" }
        if let column { location += ", column \(column)" }
        if let value { return "\(location): \"\(value)\" \(message)" }
        return "\(location): \(message)"
    }
}

/// Why an import stored nothing: the first problems in file order, and how many there were in all.
public struct LedgerImportError: RefusedRequest, Sendable {
    public var problems: [LocatedProblem]
    public var totalCount: Int

    public init(problems: [LocatedProblem], totalCount: Int) {
        self.problems = problems
        self.totalCount = totalCount
    }

    /// The same refusal with whole-folder problems naming `folder` as `name`: a server's
    /// temporary upload folder means nothing to the client and is not its business.
    public func naming(folder: String, as name: String) -> LedgerImportError {
        var renamed = self
        for index in renamed.problems.indices where renamed.problems[index].file == folder {
            renamed.problems[index].file = name
        }
        return renamed
    }

    public var refusal: Refusal {
        let count = "\(totalCount) problem\(totalCount == 1 ? "" : "s")"
        let listed = totalCount > problems.count ? " (the first \(problems.count) listed)" : ""
        return Refusal(.invalid, "import refused, nothing was stored: \(count)\(listed)", code: "import-refused", problems: problems)
    }

    public var description: String { ([refusal.description] + problems.map { "  \($0)" }).joined(separator: "\n") }
}

/// Collects problems across files; keeps the first `limit` in detail so that a file with a
/// million bad rows still reports quickly and in little memory.
public struct ProblemLog: Sendable {
    public private(set) var problems: [LocatedProblem] = []
    public private(set) var totalCount = 0
    public let limit: Int

    public init(limit: Int = 50) { self.limit = limit }

    public var isEmpty: Bool { totalCount == 0 }

    public mutating func record(_ problem: LocatedProblem) {
        totalCount += 1
        if problems.count < limit { problems.append(problem) }
    }

    public mutating func record(contentsOf other: [LocatedProblem]) {
        for problem in other { record(problem) }
    }

    public var error: LedgerImportError { LedgerImportError(problems: problems, totalCount: totalCount) }
}
