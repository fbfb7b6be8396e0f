import CreditApp
import CreditCore
import Hummingbird

/// Customers to find: the list with its search, filters, order and pages, and one customer's page.
/// Everyone who reads assessments may look customers up.
struct CustomerController {
    let dependencies: ServiceDependencies

    var customers: CustomerAccounts { dependencies.service.customers }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let reading = group.requiring(.readAssessments)
        reading.get("customers") { request, context -> UseCaseAnswer<CustomerListPage> in
            let parameters = QueryParameters(request: request)
            // A sales key that belongs to a rep sees that rep's accounts only.
            let ownRep = context.caller?.ownAccountsRep
            if let ownRep, let asked = try parameters.text("salesRep"), asked != ownRep {
                throw Problem(.forbidden, "forbidden", "Forbidden", detail: "this key lists the accounts of sales rep \(ownRep) only")
            }
            let sort = try parameters.listed("sort", CustomerSort.self)
            let order = try parameters.text("order").map { text -> Bool in
                switch text {
                case "asc": return false
                case "desc": return true
                default: throw Problem.malformed("order must be asc or desc")
                }
            }
            let query = CustomerListQuery(
                search: try parameters.text("search"), grade: try parameters.text("grade"), group: try parameters.text("group"),
                sector: try parameters.text("sector"), salesRep: try ownRep ?? parameters.text("salesRep"),
                overLimit: try parameters.flag("overLimit"), overdue: try parameters.flag("overdue"), sort: sort ?? .name,
                descending: order ?? false, limit: try parameters.integer("limit", in: 1...1_000) ?? 50,
                cursor: try parameters.text("cursor"))
            return UseCaseAnswer(try await customers.list(query, asOf: dependencies.today()))
        }
        reading.get("customers/:id") { _, context -> UseCaseAnswer<CustomerDetail> in
            UseCaseAnswer(try await customers.detail(customerId: try context.pathParameter("id"), asOf: dependencies.today()))
        }
    }
}
