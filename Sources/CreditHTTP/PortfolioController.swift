import CreditApp
import CreditCore
import Hummingbird

/// The credit manager's portfolio dashboard: DSO, ageing, payment delays, disputes and grades
/// for the whole portfolio, a customer group or a sector.
struct PortfolioController {
    let dependencies: ServiceDependencies

    struct KPIResponse: ResponseEncodable {
        var kpis: PortfolioKPIs
        func encode(to encoder: any Encoder) throws { try kpis.encode(to: encoder) }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let report = dependencies.service.indicators
        group.get("portfolio/kpis") { request, context -> KPIResponse in
            try context.require(.readPortfolio)
            // `asOf` as every other read takes it: YYYY-MM-DD, default today, 400 otherwise.
            let day = try DecisionController(dependencies: dependencies).asOf(request)
            let query = QueryParameters(request: request)
            let selection = PortfolioSelection(group: try query.text("group"), sector: try query.text("sector", maximumLength: 16))
            return KPIResponse(kpis: try await report.kpis(asOf: day, selection: selection))
        }
    }
}
