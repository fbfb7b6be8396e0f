import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// Finds customers: `GET /v1/customers`.
struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "Find customers: search by id, registration number or name; filter by grade, group, sector, sales rep, limit, overdue.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: "Id or registration number (by prefix), or part of the name.")
    var search: String?
    @Option(help: "Effective grade.")
    var grade: String?
    @Option(help: "Customer group.")
    var group: String?
    @Option(help: "Sector code.")
    var sector: String?
    @Option(help: "Sales representative.")
    var salesRep: String?
    @Flag(help: "Only customers over their limit.")
    var overLimit = false
    @Flag(help: "Only customers with an overdue balance.")
    var overdue = false
    @Option(help: ArgumentHelp("Order: \(CustomerSort.listed).", valueName: "sort"))
    var sort = "name"
    @Flag(help: "Descending order.")
    var descending = false
    @Option(help: "How many customers.")
    var limit = 20
    @Option(help: ArgumentHelp("Continue from a cursor a previous page gave.", valueName: "cursor"))
    var cursor: String?
    @OptionGroup var listDay: ListDayOption
    @OptionGroup var answer: AnswerFormat

    func validate() throws {
        try checkListed(sort, CustomerSort.self, option: "sort")
        try checkRange(limit, 1...1_000, option: "limit")
    }

    func run() async throws {
        let service = try serviceOptions.open()
        let query = CustomerListQuery(
            search: search, grade: grade, group: group, sector: sector, salesRep: salesRep, overLimit: overLimit ? true : nil,
            overdue: overdue ? true : nil, sort: CustomerSort(parsing: sort) ?? .name, descending: descending, limit: limit,
            cursor: cursor)
        let page = try await service.customers.list(query, asOf: try listDay.day())
        try await answer.print(page) { page in
            var lines = ["Customers as of \(page.asOf.iso): \(page.customers.count) of \(grouped(page.matching)) matching"]
            lines.append(
                "  customer    grade  " + "limit".leftPadded(13) + "exposure".leftPadded(14) + "headroom".leftPadded(14)
                    + "overdue".leftPadded(13) + "  name")
            for entry in page.customers {
                let money = { (value: Money?, width: Int) -> String in (value?.formatted ?? "-").leftPadded(width) }
                let grade = (entry.grade ?? "-") + (entry.overridden ? "*" : "")
                var line = "  " + entry.customerId.padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
                line += grade.padding(toLength: 5, withPad: " ", startingAt: 0)
                line += money(entry.limit, 13) + money(entry.exposure, 14) + money(entry.headroom, 14) + money(entry.overdue, 13)
                line += "  " + entry.name + (entry.salesRep.map { " (\($0))" } ?? "")
                lines.append(line)
            }
            if page.customers.contains(where: \.overridden) { lines.append("  * an override in force") }
            if let next = page.nextCursor { lines.append("  more: --cursor \(next)") }
            return lines.joined(separator: "\n")
        }
    }
}

/// One customer's page: `GET /v1/customers/{id}`.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Show a customer: identity, contact, terms, grade, limit, exposure, open items with credits.")

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var listDay: ListDayOption
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let service = try serviceOptions.open()
        let detail = try await service.customers.detail(customerId: customer.id, asOf: try listDay.day())
        try await answer.print(detail) { detail in
            let customer = detail.customer
            let standing = detail.standing
            var lines = ["\(customer.id)  \(customer.name)"]
            var identity = ["sector \(customer.sectorCode)", customer.country, "terms \(customer.termsDays) days"]
            if let registration = customer.registrationId { identity.insert("registration \(registration)", at: 0) }
            if let group = customer.group { identity.append("group \(group)") }
            if let rep = customer.salesRep { identity.append("sales rep \(rep)") }
            if customer.strategic { identity.append("strategic") }
            lines.append("  " + identity.joined(separator: ", "))
            if let contact = detail.contact {
                let parts = [contact.name, contact.email, contact.phone].compactMap { $0 }
                if !parts.isEmpty { lines.append("  contact: " + parts.joined(separator: ", ")) }
            }
            if let grade = standing.grade, let limit = standing.limit {
                var decision = "  grade \(grade)"
                if let suggested = detail.suggestedGrade, suggested != grade { decision += " (suggested \(suggested))" }
                decision += ", limit \(limit.formatted)"
                if let suggested = detail.suggestedLimit, suggested != limit { decision += " (suggested \(suggested.formatted))" }
                if standing.overridden, let override = detail.override {
                    decision += "; override by \(override.author) until \(override.expiresOn.iso): \(override.reason)"
                }
                lines.append(decision)
                lines.append(
                    "  exposure \(standing.exposure?.formatted ?? "-"), headroom \(standing.headroom?.formatted ?? "-"), "
                        + "overdue \(standing.overdue?.formatted ?? "-")"
                        + (standing.assessedOn.map { " (assessed \($0.iso) with \(detail.modelVersion ?? "?"))" } ?? ""))
            } else {
                lines.append("  not assessed yet")
            }
            var reviews: [String] = []
            if let last = detail.lastReview { reviews.append("last review \(last.reviewedOn.iso) (\(last.decision.rawValue))") }
            if let next = detail.nextReview { reviews.append("next review due \(next.dueOn.iso) (\(next.reason.rawValue))") }
            if !reviews.isEmpty { lines.append("  " + reviews.joined(separator: ", ")) }
            lines.append(
                "  open items: \(detail.openItems.count), balance \(detail.openBalance.formatted)"
                    + (detail.unappliedCredits > .zero ? " after \(detail.unappliedCredits.formatted) unapplied credits" : ""))
            for item in detail.openItems {
                let state = item.openAmount < .zero ? "credit" : item.daysPastDue > 0 ? "\(item.daysPastDue) d late" : "due \(item.dueDate.iso)"
                lines.append(
                    "    \(item.invoiceId.padding(toLength: 14, withPad: " ", startingAt: 0))" + item.openAmount.formatted.leftPadded(14)
                        + "  \(state)" + (item.disputed ? ", disputed" : ""))
            }
            return lines.joined(separator: "\n")
        }
    }
}
