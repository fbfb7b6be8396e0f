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
            let kind = try parameters.text("kind").map { text -> AlertKind in
                guard let kind = AlertKind(rawValue: text) else {
                    throw Problem.malformed("kind must be one of " + AlertKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return kind
            }
            let status = try parameters.text("status").map { text -> AlertStatus in
                guard let status = AlertStatus(parsing: text) else { throw Problem.malformed("status must be one of \(AlertStatus.listed)") }
                return status
            }
            let filter = AlertFilter(
                since: try parameters.day("since"), kind: kind, customerId: try parameters.text("customerId"), status: status,
                limit: try parameters.integer("limit", in: 1...10_000) ?? 1_000)
            return AlertsResponse(alerts: try await desk.list(filter))
        }
        group.requiring(.workCollections).post("alerts/:id/acknowledge") { request, context -> UseCaseAnswer<Alert> in
            let text = try context.pathParameter("id")
            guard let id = Int64(text), id > 0 else { throw Problem.malformed("the alert id must be a positive whole number") }
            let body = try await request.decode(as: Acknowledgement.self, context: context)
            return UseCaseAnswer(try await desk.acknowledge(id: id, author: context.author(stated: body.author), note: body.note))
        }
    }
}
