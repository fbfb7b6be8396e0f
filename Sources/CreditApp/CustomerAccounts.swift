import CreditCore
import CreditStore
import Foundation
import GRDB

/// Finding customers and reading one: the list with its search, filters, order and pages, and a
/// customer's page (identity, contact, terms, sales rep, standing, open items with credits). The
/// selection rules are the core's (`CustomerDirectory`); this reads the store and pages.
public struct CustomerAccounts: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    /// When reviews are due; nil when the policies were not loaded (the page then shows none).
    public let reviewPolicy: ReviewPolicy?
    let checks = InputChecks()

    public init(database: any DatabaseWriter, model: ScoringModel, reviewPolicy: ReviewPolicy? = nil) {
        self.database = database
        self.model = model
        self.reviewPolicy = reviewPolicy
    }

    /// The page of the customer list the query asks for, as of `day`.
    public func list(_ query: CustomerListQuery, asOf day: Day) async throws -> CustomerListPage {
        var query = query
        query.search = try checks.text(query.search, "search", required: false)
        query.grade = try checks.text(query.grade, "grade", required: false)
        query.group = try checks.text(query.group, "group", required: false)
        query.sector = try checks.text(query.sector, "sector", required: false)
        query.salesRep = try checks.text(query.salesRep, "salesRep", required: false)
        if let grade = query.grade, grade.uppercased() != "D", model.grade(code: grade) == nil {
            throw Refusal.invalid(
                field: "grade",
                "\(grade.truncatedForMessage(20)) is not on the scale of model \(model.version) ("
                    + model.grades.map(\.code).joined(separator: ", ") + ", D)")
        }
        guard (1...1_000).contains(query.limit) else { throw Refusal.invalid(field: "limit", "must be from 1 to 1000") }
        let selection = query
        let model = self.model
        // Read and select off the request threads: a whole-portfolio pass for the filters that
        // only the effective decision knows.
        let search = selection.search.map(CustomerDirectory.Search.init)
        return try await database.read { db in
            let overrides = try CustomerStore().currentOverrides(db)
            var entries: [CustomerDirectory.Listed] = []
            try CustomerStore().forEach(db, group: selection.group, sector: selection.sector, salesRep: selection.salesRep) {
                customer, nameKey, standing in
                if let search, !search.matches(customer, nameKey: nameKey) { return }
                let entry = CustomerDirectory.entry(
                    .init(customer: customer, standing: standing, override: overrides[customer.id]?.override(on: model)), on: day,
                    model: model)
                if CustomerDirectory.passes(entry, selection) { entries.append(.init(entry, nameKey: nameKey)) }
            }
            return try CustomerDirectory.page(entries, selection, asOf: day)
        }
    }

    /// One customer's page as of `day`.
    public func detail(customerId: String, asOf day: Day) async throws -> CustomerDetail {
        try checks.id(customerId, "customerId")
        let model = self.model
        let reviewPolicy = self.reviewPolicy
        return try await database.read { db in
            let store = CustomerStore()
            guard let customer = try store.customer(db, id: customerId) else { throw Refusal(.notFound, "no customer \(customerId)") }
            var standing = try store.standing(db, customerId: customerId)
            // The page is today's: exposure and overdue as an order check counts them now (open
            // balances and reserved orders), not as the last assessment found them; a reservation
            // made since would otherwise leave the headroom shown larger than sales is granted.
            if standing != nil {
                let (aged, exposure) = try OrderStore().currentExposure(db, customerId: customerId, on: day)
                standing?.exposure = exposure
                standing?.overdue = aged.overdue
            }
            let override = try OverrideStore().current(db, customerId: customerId)?.override(on: model)
            let latest = try AssessmentStore().latest(db, customerId: customerId)
            var detail = CustomerDetail(
                asOf: day, customer: customer, contact: try ContactStore().contact(db, customerId: customerId)?.contact,
                standing: CustomerDirectory.entry(.init(customer: customer, standing: standing, override: override), on: day, model: model),
                suggestedGrade: standing?.grade, suggestedLimit: standing?.suggestedLimit, score: standing?.score,
                modelVersion: latest?.modelVersion, override: override,
                openItems: try store.openItems(db, customerId: customerId, asOf: day))
            detail.lastReview = try ReviewStore().lastReview(db, customerId: customerId)
            if let reviewPolicy, let candidate = try ReviewStore().candidates(db, customerId: customerId).first {
                detail.nextReview = CreditReviews.due(candidate, policy: reviewPolicy)
            }
            return detail
        }
    }
}
