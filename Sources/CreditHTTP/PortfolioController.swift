import CreditApp
import CreditCore
import Hummingbird

/// The credit manager's portfolio dashboard: DSO, ageing, payment delays, disputes and grades
/// for the whole portfolio, a customer group or a sector.
struct PortfolioController {
    let dependencies: ServiceDependencies

    func add(to group: RouterGroup<CreditRequestContext>) {
        let report = dependencies.service.indicators
        group.requiring(.readPortfolio).get("portfolio/kpis") { request, _ -> UseCaseAnswer<PortfolioKPIs> in
            // `asOf` as every other read takes it: YYYY-MM-DD, default today, 400 otherwise.
            let day = try DecisionController(dependencies: dependencies).asOf(request)
            let query = QueryParameters(request: request)
            let selection = PortfolioSelection(group: try query.text("group"), sector: try query.text("sector", maximumLength: 16))
            return UseCaseAnswer(try await report.kpis(asOf: day, selection: selection))
        }
    }
}
