import ArgumentParser
import CreditApp
import CreditCore
import CreditHTTP
import Foundation

extension Role: ExpressibleByArgument {}

/// Who decides, from the terminal: the name kept with the decision and the role whose approval
/// authority applies. The CLI works on the database file itself, so the role is as stated, not
/// proven by a key: the API is where roles are enforced.
struct DeciderOptions: ParsableArguments {
    @Option(help: "Who decides (kept with the decision).")
    var author: String
    @Option(
        help: ArgumentHelp(
            "The role whose approval authority applies: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role"))
    var role: Role = .creditManager
}

/// Limit requests from the terminal: `POST /v1/customers/{id}/limit-requests`, `GET /v1/limit-requests[/{id}]`,
/// `POST /v1/limit-requests/{id}/approve|reject`.
struct LimitRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit-request",
        abstract: "Ask for a customer's credit limit, list the requests, approve or reject one within your authority.",
        discussion: """
            Approval authority by role comes from Models/approval-authorities-v2.json: as shipped, a credit_manager \
            may set up to twice the suggested limit and at least 10 000; beyond that a credit_director approves. \
            The requester cannot decide their own request. An approved request becomes the customer's override until its expiry.
            """,
        subcommands: [Create.self, List.self, Show.self, Approve.self, Reject.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask for a limit until a day, with a reason.")
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("The limit asked, e.g. 40000 or \"40 000,00\".", valueName: "amount"))
        var limit: String
        @Option(help: ArgumentHelp("Last day the limit would hold (YYYY-MM-DD).", valueName: "date"))
        var until: String
        @Option(help: "Why: shown to whoever decides, and with the override once approved.")
        var reason: String
        @Option(help: "Who asks.")
        var author: String
        @OptionGroup var customer: CustomerArgument

        func run() async throws {
            let asked = try await serviceOptions.open().limitRequests.request(
                customerId: customer.id, limit: try parseLimit(limit), reason: reason, expiresOn: try parseDay(until, option: "until"),
                requester: author,
                today: Day.today())
            print("Limit request \(asked.request.id) for \(customer.id): \(LimitRequestText.line(asked))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List limit requests, oldest first.")
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("Only requests with this status: \(LimitRequestStatus.listed).", valueName: "status"))
        var status: String?
        @Option(help: ArgumentHelp("Only this customer's requests.", valueName: "id"))
        var customer: String?
        @Option(help: "How many requests.")
        var limit = 100
        @OptionGroup var answer: AnswerFormat

        func run() async throws {
            let page = try await serviceOptions.open().limitRequests.list(status: status, customerId: customer, limit: limit)
            try await answer.print(page) { page in
                ([counted(page.total, "limit request") + "\(status.map { " \($0)" } ?? "")"]
                    + page.requests.map { "  #\($0.request.id)  \($0.request.customerId)  \(LimitRequestText.line($0))" })
                    .joined(separator: "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one limit request: its decision, or who may approve it.")
        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var answer: AnswerFormat
        @Argument(help: ArgumentHelp("Limit request number.", valueName: "id"))
        var id: Int64

        func run() async throws {
            let view = try await serviceOptions.open().limitRequests.request(id: id)
            try await answer.print(view) { view in
                "Limit request \(view.request.id) for \(view.request.customerId): \(LimitRequestText.line(view))"
            }
        }
    }

    /// What deciding a request takes: the request, why, and who decides in which role.
    struct Decision: ParsableArguments {
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "Why it is approved or rejected.")
        var reason: String
        @OptionGroup var decider: DeciderOptions
        @Argument(help: ArgumentHelp("Limit request number.", valueName: "id"))
        var id: Int64

        /// Decides the request with `decide` (the requests, the decider's name and role, today) and prints it.
        func run(_ decide: (LimitRequests, String, String, Day) async throws -> LimitRequestView) async throws {
            let decided = try await decide(try serviceOptions.open().limitRequests, decider.author, decider.role.rawValue, Day.today())
            print("Limit request \(id) for \(decided.request.customerId): \(LimitRequestText.line(decided))")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending request within your authority: its limit becomes the customer's override until its expiry.")
        @OptionGroup var decision: Decision

        func run() async throws {
            try await decision.run { requests, author, role, today in
                try await requests.approve(id: decision.id, reason: decision.reason, approver: author, role: role, today: today)
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending request; nothing else changes.")
        @OptionGroup var decision: Decision

        func run() async throws {
            try await decision.run { requests, author, role, today in
                try await requests.reject(id: decision.id, reason: decision.reason, decider: author, role: role, today: today)
            }
        }
    }
}

/// A limit request in one line.
enum LimitRequestText {
    static func line(_ view: LimitRequestView) -> String {
        let request = view.request
        var text =
            "\(request.limit.formatted) until \(request.expiresOn.iso), asked by \(request.requestedBy) on \(request.requestedOn.iso) "
            + "(in force \(request.limitInForce.formatted), suggested \(request.suggestedLimit.formatted)): \(request.reason); "
            + request.status.rawValue
        if let decision = request.decision {
            text += " by \(decision.by) (\(decision.role), \(decision.authorityVersion)) on \(decision.on.iso): \(decision.reason)"
        } else {
            text += view.approvableBy.isEmpty ? ", no role may approve it" : ", approvable by \(view.approvableBy.joined(separator: ", "))"
        }
        return text
    }
}

/// Reviews due and their alerts from the terminal: `GET /v1/reviews/due`.
struct ReviewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviews",
        abstract: "List the customers whose periodic limit review is due; raise the review and override-expiry alerts.",
        subcommands: [Due.self, RaiseAlerts.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers whose review is due by a day, the most urgent first (Models/review-policy-v1.json).")
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("Reviews due on or before this day (YYYY-MM-DD); default today.", valueName: "date"))
        var before: String?
        @Option(help: "How many customers.")
        var limit = 50
        @OptionGroup var answer: AnswerFormat

        func run() async throws {
            let today = Day.today()
            let list = try await serviceOptions.open().reviews.due(
                before: try before.map { try parseDay($0, option: "before") } ?? today, today: today, limit: limit)
            try await answer.print(list) { list in
                var lines = ["Reviews due by \(list.before.iso) (\(list.policyVersion)): \(list.total)"]
                for entry in list.reviews {
                    var line =
                        "  \(entry.dueOn.iso)  \(entry.customerId)  \(entry.name)  grade \(entry.grade) (\(entry.riskClass))  "
                        + "limit \(entry.limit.formatted), exposure \(entry.exposure.formatted)  "
                    switch entry.dueReason {
                    case .firstReview: line += "first review"
                    case .scheduled: line += "scheduled"
                    case .downgrade: line += "downgraded \(entry.downgradeOn?.iso ?? "")"
                    }
                    if let last = entry.lastReview { line += "; last review \(last.on.iso) \(last.decision.rawValue) by \(last.author)" }
                    lines.append(line)
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct RaiseAlerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alert",
            abstract: "Raise the override_expiring and review_due alerts as of a day, once each (what the server's daily run does).")
        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var listDay: ListDayOption

        func run() async throws {
            let run = try await serviceOptions.open().reviews.raiseAlerts(asOf: try listDay.day())
            print("Alerts raised: \(counted(run.overridesExpiring, "override")) expiring, \(counted(run.reviewsDue, "review")) due")
        }
    }
}

/// A completed review from the terminal: `POST /v1/customers/{id}/reviews`.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record a customer's periodic review: keep, raise, lower or stop; sets the next review by its risk class.",
        discussion: """
            raise and lower take --limit, within your role's authority; stop sets the limit to zero. A new limit becomes \
            the customer's override until the next review.
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("\(ReviewDecision.listed).", valueName: "decision"))
    var decision: String
    @Option(help: ArgumentHelp("The new limit, for raise or lower.", valueName: "amount"))
    var limit: String?
    @Option(help: "What the review found.")
    var note: String?
    @OptionGroup var decider: DeciderOptions
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let review = try await serviceOptions.open().reviews.record(
            customerId: customer.id, decision: decision, note: note, limit: try limit.map(parseLimit), author: decider.author,
            role: decider.role.rawValue, today: Day.today())
        try await answer.print(review) { "Reviewed \($0.customerId) on \($0.reviewedOn.iso): \($0.summary)" }
    }
}
