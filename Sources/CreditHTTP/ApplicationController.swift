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

    struct ApplicationResponse: ResponseEncodable {
        var application: AccountApplication
        func encode(to encoder: any Encoder) throws { try application.encode(to: encoder) }
    }

    struct DecisionRequest: Decodable {
        var decision: ApplicationVerdict
        var customerId: String?
        var limit: Money?
        var author: String?
        var reason: String?
    }

    /// The decision, and for an approval where to read the new customer's assessment.
    struct DecisionResponse: ResponseEncodable {
        var applicationId: String
        var status: ApplicationStatus
        var decision: ApplicationDecisionRecord
        var customerId: String?
        var assessmentUrl: String?
        var grade: String?
        var suggestedLimit: Money?
        var limit: Money?
        var override: Override?

        init(_ result: ApplicationDecisionResult) {
            applicationId = result.applicationId
            status = result.status
            decision = result.decision
            customerId = result.customerId
            assessmentUrl = result.customerId.map { "/v1/customers/\($0)/assessment" }
            grade = result.grade
            suggestedLimit = result.suggestedLimit
            limit = result.limit
            override = result.override
        }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.post("applications") { request, context -> EditedResponse<ApplicationResponse> in
            try context.require(.openAccounts)
            let body = try await request.decode(as: AccountApplicationRequest.self, context: context)
            let (application, created) = try await applications.receive(body, on: dependencies.today())
            return EditedResponse(
                status: created ? .created : .ok, headers: [.location: "/v1/applications/\(application.applicationId)"],
                response: ApplicationResponse(application: application))
        }
        group.get("applications/:id") { _, context -> ApplicationResponse in
            try context.require(.openAccounts)
            let id = try context.pathParameter("id")
            guard let application = try await applications.application(id: id) else {
                throw Problem.notFound("no application \(id)")
            }
            return ApplicationResponse(application: application)
        }
        group.post("applications/:id/decision") { request, context -> EditedResponse<DecisionResponse> in
            try context.require(.openAccounts)
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: DecisionRequest.self, context: context)
            let author = body.author.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? context.caller?.name ?? "unknown"
            let result = try await applications.decide(
                applicationId: id, verdict: body.decision, customerId: body.customerId, limit: body.limit, author: author,
                reason: body.reason, on: dependencies.today())
            let response = DecisionResponse(result)
            var headers = HTTPFields()
            if let url = response.assessmentUrl { headers[.location] = url }
            return EditedResponse(status: .created, headers: headers, response: response)
        }
    }
}
