import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The dashboard: the portfolio at a glance for the credit team (indicators, their 12-month trend,
/// aged balance, grade mix, top 20 late payers, open alerts, data freshness, what waits for a
/// decision), a sales rep's own accounts for a sales key tied to a rep. One use case call
/// (`CreditService.dashboard`), read from maintained aggregates.
struct WebDashboard {
    let app: WebApp

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.requiring(.readAssessments).get("/", page: app) { _, _, page in
            let selection = PortfolioSelection(salesRep: page.caller?.ownAccountsRep)
            let dashboard = try await app.service.dashboard(asOf: app.dependencies.today(), selection: selection)
            return app.render("dashboard", page, title: page.texts["nav_dashboard"] ?? "Dashboard", values(dashboard, page))
        }
    }

    func values(_ dashboard: Dashboard, _ page: WebPage) -> [String: Any] {
        let language = page.language
        let now = dashboard.indicators
        var values: [String: Any] = [
            "customers": dashboard.customers, "openReceivables": language.money(now.openReceivables),
            "overdue": language.money(now.overdue), "overdueShare": language.percent(now.overdueShare),
            "dso": language.number(now.dso), "dbt": now.averageDaysBeyondTerms.map { language.number($0) } ?? "–",
            "stale": dashboard.freshness.stale, "latestEntry": dashboard.freshness.latestEntry.map { language.day($0) } ?? false,
            "ageDays": dashboard.freshness.ageDays ?? false,
            "scope": dashboard.salesRep.map { "\(page.texts["sales_rep"] ?? "sales rep") \($0)" } ?? false,
        ]
        let months = dashboard.trend.months
        let labels = months.map { String($0.monthEnd.iso.prefix(7)) }
        values["trendChart"] = WebCharts.lines(
            labels: labels,
            series: [
                .init(name: page.texts["dash_dso"] ?? "DSO", values: months.map { $0.dso }),
                .init(name: page.texts["dash_dbt"] ?? "DBT", values: months.map { $0.averageDaysBeyondTerms }),
            ],
            title: page.texts["dash_trend"] ?? "Trend", format: { language.number($0, places: 0) })
        values["months"] = months.reversed().map { month -> [String: Any] in
            [
                "month": String(month.monthEnd.iso.prefix(7)), "dso": language.number(month.dso),
                "overdueShare": language.percent(month.overdueShare),
                "dbt": month.averageDaysBeyondTerms.map { language.number($0) } ?? "–", "open": language.money(month.openReceivables),
            ]
        }
        let aged = dashboard.agedBalance
        let buckets: [(key: String, amount: Money, style: String)] = [
            ("aged_not_due", aged.notDue, "bar"), ("aged_1_30", aged.days1to30, "bar late"), ("aged_31_60", aged.days31to60, "bar late"),
            ("aged_61_90", aged.days61to90, "bar bad"), ("aged_over_90", aged.over90, "bar bad"),
        ]
        values["agedChart"] = WebCharts.bars(
            buckets.map { (label: page.texts[$0.key] ?? $0.key, value: Double($0.amount.cents) / 100, style: $0.style) },
            title: page.texts["dash_aged"] ?? "Aged balance", format: { language.money(Money(clampingCents: $0 * 100)) })
        values["aged"] =
            buckets.map { ["label": page.texts[$0.key] ?? $0.key, "amount": language.money($0.amount)] }
            + [["label": page.texts["aged_credits"] ?? "credits", "amount": language.money(aged.unappliedCredits)]]
        let grades = dashboard.grades.lines
        values["gradeChart"] = WebCharts.bars(
            grades.map { line in
                (
                    label: line.grade ?? (page.texts["dash_not_assessed"] ?? "–"), value: Double(line.customers),
                    style: app.risky(line.grade) ? "bar bad" : "bar"
                )
            },
            title: page.texts["dash_grade_mix"] ?? "Grades", format: { String(Int($0)) })
        values["grades"] = grades.map { line -> [String: Any] in
            [
                "code": line.grade ?? "", "label": line.grade ?? (page.texts["dash_not_assessed"] ?? "–"), "customers": line.customers,
                "exposure": language.money(line.exposure),
            ]
        }
        values["overridden"] = Self.shown(dashboard.grades.overridden)
        values["latePayers"] = dashboard.latePayers.latePayers.map { payer -> [String: Any] in
            [
                "rank": payer.rank, "id": payer.customerId, "name": payer.name, "grade": payer.grade ?? "–",
                "overdue": language.money(payer.overdue), "dbt": language.number(payer.daysBeyondTerms),
                "disputed": payer.disputedOverdue > .zero ? language.money(payer.disputedOverdue) : "",
            ]
        }
        values["alertsTotal"] = dashboard.alerts.total
        values["alertKinds"] = dashboard.alerts.byKind.map { count -> [String: Any] in
            [
                "kind": count.kind.rawValue, "label": page.label("alert_", count.kind.rawValue), "open": count.open,
                "acknowledged": Self.shown(count.acknowledged),
            ]
        }
        values["newestAlerts"] = dashboard.alerts.newest.map { alert -> [String: Any] in
            ["day": language.day(alert.asOf), "customerId": alert.customerId ?? false, "detail": alert.detail]
        }
        if page.may(.decideHeldOrders) {
            let work = dashboard.workload
            values["workload"] = [
                "heldOrders": Self.shown(work.heldOrders), "limitRequests": Self.shown(work.limitRequestsPending),
                "reviewsDue": Self.shown(work.reviewsDue ?? 0), "disputesOpen": work.disputesOpen,
                "disputesOverdue": Self.shown(work.disputesOverdue),
            ]
        } else {
            values["workload"] = false
        }
        return values
    }

    /// A count the page shows only when there is something: zero is `false` to the template (a
    /// missing key would be looked up in the page around it).
    static func shown(_ count: Int) -> Any { count > 0 ? count : false }
}
