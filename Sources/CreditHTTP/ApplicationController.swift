import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// Account opening for the credit manager: a prospective customer's application assessed and
/// stored, read back, then approved into a customer or declined.
struct ApplicationController {
    let dependencies: ServiceDependencies

    var applications: AccountApplications {
        dependencies.service.applications
    }

    struct DecisionRequest: Decodable {
        var decision: ApplicationVerdict
        var customerId: String?
        var limit: Money?
        var author: String?
        var reason: String?
    }

    /// The decision as the use case returns it, with, for an approval, where to read the new
    /// customer's assessment: its fields plus `assessmentUrl`.
    struct DecisionResponse: ResponseEncodable {
        var result: ApplicationDecisionResult

        var assessmentUrl: String? { result.customerId.map { "/v1/customers/\($0)/assessment" } }

        private enum CodingKeys: String, CodingKey {
            case assessmentUrl
        }

        func encode(to encoder: any Encoder) throws {
            try result.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(assessmentUrl, forKey: .assessmentUrl)
        }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let opening = group.requiring(.openAccounts)
        opening.post("applications", body: AccountApplicationRequest.self) { body, _ -> EditedResponse<UseCaseAnswer<AccountApplication>> in
            let (application, created) = try await applications.receive(body, on: dependencies.today())
            return EditedResponse(
                status: created ? .created : .ok, headers: [.location: "/v1/applications/\(application.applicationId)"],
                response: UseCaseAnswer(application))
        }
        opening.get("applications/:id") { _, context -> UseCaseAnswer<AccountApplication> in
            let id = try context.pathParameter("id")
            guard let application = try await applications.application(id: id) else {
                throw Problem.notFound("no application \(id)")
            }
            return UseCaseAnswer(application)
        }
        opening.post("applications/:id/decision", body: DecisionRequest.self) { body, context -> EditedResponse<DecisionResponse> in
            let result = try await applications.decide(
                applicationId: try context.pathParameter("id"), verdict: body.decision, customerId: body.customerId, limit: body.limit,
                author: context.author(stated: body.author), role: context.roleName, reason: body.reason, on: dependencies.today())
            let response = DecisionResponse(result: result)
            var headers = HTTPFields()
            if let url = response.assessmentUrl { headers[.location] = url }
            return EditedResponse(status: .created, headers: headers, response: response)
        }
    }
}
