import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The credit manager's and sales' reads and decisions: assessments and overrides.
struct DecisionController {
    let dependencies: ServiceDependencies

    var decisions: CreditDecisions { dependencies.service.decisions }

    /// An assessment as the API returns it: the decision in force first, then the full
    /// assessment (reasons, contributions, limit step, evidence) for whoever needs the why.
    struct AssessmentResponse: ResponseEncodable {
        var customerId: String
        var asOf: Day
        var modelVersion: String
        var grade: String
        var suggestedGrade: String
        var pd: Double
        var score: Int
        var limit: Money
        var suggestedLimit: Money
        var exposure: Money
        var headroom: Money
        var recommendation: String
        var agedBalance: AgedBalance
        var reasons: [Reason]
        var limitStep: LimitStep
        var evidence: EvidenceSummary
        var override: Override?
        var overrideStatus: OverrideStatus
        var assessment: Assessment

        init(_ decision: CreditDecision) {
            let a = decision.assessment
            let e = decision.effective
            customerId = a.customerId
            asOf = a.asOf
            modelVersion = a.modelVersion
            grade = e.grade.code
            suggestedGrade = e.suggestedGrade.code
            pd = a.pd
            score = a.score
            limit = e.limit
            suggestedLimit = e.suggestedLimit
            exposure = e.exposure
            headroom = e.headroom
            recommendation = a.recommendation.rawValue
            agedBalance = a.paymentProfile.agedBalance
            reasons = a.reasons
            limitStep = a.limitStep
            evidence = a.evidence
            override = e.override
            overrideStatus = e.overrideStatus
            assessment = a
        }
    }

    struct OverrideRequest: Decodable {
        var grade: String?
        var limit: Money?
        var reason: String
        var author: String?
        var expiresOn: Day
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let reading = group.requiring(.readAssessments)
        let overriding = group.requiring(.overrideDecisions)
        reading.get("customers/:id/assessment") { request, context -> AssessmentResponse in
            let id = try context.pathParameter("id")
            let response = try await assessment(customerId: id, asOf: try asOf(request))
            dependencies.metrics.count("assessments_served")
            return response
        }
        overriding.post("customers/:id/override", body: OverrideRequest.self) { body, context -> EditedResponse<AssessmentResponse> in
            let id = try context.pathParameter("id")
            let today = dependencies.today()
            _ = try await decisions.setOverride(
                customerId: id, gradeCode: body.grade, limit: body.limit, reason: body.reason, author: context.author(stated: body.author),
                role: context.roleName, setOn: today, expiresOn: body.expiresOn)
            return EditedResponse(status: .created, response: try await assessment(customerId: id, asOf: today))
        }
        overriding.delete("customers/:id/override") { _, context -> HTTPResponse.Status in
            let id = try context.pathParameter("id")
            guard try await decisions.clearOverride(customerId: id) else {
                throw Problem.notFound("customer \(id) has no override")
            }
            return .noContent
        }
    }

    /// The customer's decision as of `day`, as the API returns it; 404 for an unknown customer.
    func assessment(customerId id: String, asOf day: Day) async throws -> AssessmentResponse {
        guard let decision = try await decisions.decision(customerId: id, asOf: day) else {
            throw Problem.notFound("no customer \(id)")
        }
        return AssessmentResponse(decision)
    }

    /// `?asOf=YYYY-MM-DD`, else today.
    func asOf(_ request: Request) throws -> Day {
        try QueryParameters(request: request).day("asOf") ?? dependencies.today()
    }
}
