import CreditApp
import CreditCore
import Hummingbird

/// Alerts to work: everyone who reads assessments lists them; collections and the credit
/// manager acknowledge them.
struct AlertController {
    let dependencies: ServiceDependencies

    var desk: AlertDesk { dependencies.service.alerts }

    struct AlertsResponse: ResponseEncodable {
        var alerts: [Alert]
    }

    struct Acknowledgement: Decodable {
        var note: String?
        var author: String?
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.requiring(.readAssessments).get("alerts") { request, _ -> AlertsResponse in
            let parameters = QueryParameters(request: request)
            let kind = try parameters.choice("kind", AlertKind.self)
            let status = try parameters.listed("status", AlertStatus.self)
            let filter = AlertFilter(
                since: try parameters.day("since"), kind: kind, customerId: try parameters.text("customerId"), status: status,
                limit: try parameters.integer("limit", in: 1...10_000) ?? 1_000)
            return AlertsResponse(alerts: try await desk.list(filter))
        }
        group.requiring(.workCollections).post("alerts/:id/acknowledge", body: Acknowledgement.self) { body, context -> UseCaseAnswer<Alert> in
            UseCaseAnswer(
                try await desk.acknowledge(id: try context.recordNumber(of: "alert"), author: context.author(stated: body.author), note: body.note))
        }
    }
}
