import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The dashboard: the portfolio at a glance for the credit team, a sales rep's own accounts for sales.
struct WebDashboard {
    let app: WebApp

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.get("/") { request, context -> Response in
            let page = app.page(request, context)
            guard page.may(.readAssessments) else { throw WebRefusal.forbidden(.readAssessments) }
            return app.render("dashboard", page, title: page.texts["nav_dashboard"] ?? "Dashboard", [:])
        }
    }
}
