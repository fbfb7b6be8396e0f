import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The credit manager's and sales' reads and decisions: assessments, overrides, alerts.
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

    struct AlertsResponse: ResponseEncodable {
        var alerts: [Alert]
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.get("customers/:id/assessment") { request, context -> AssessmentResponse in
            try context.require(.readAssessments)
            let id = try context.pathParameter("id")
            let day = try asOf(request)
            guard let decision = try await decisions.decision(customerId: id, asOf: day) else {
                throw Problem.notFound("no customer \(id)")
            }
            dependencies.metrics.count("assessments_served")
            return AssessmentResponse(decision)
        }
        group.post("customers/:id/override") { request, context -> EditedResponse<AssessmentResponse> in
            try context.require(.overrideDecisions)
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: OverrideRequest.self, context: context)
            let today = dependencies.today()
            _ = try await decisions.setOverride(
                customerId: id, gradeCode: body.grade, limit: body.limit, reason: body.reason,
                author: body.author.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? context.caller?.name ?? "unknown", setOn: today,
                expiresOn: body.expiresOn)
            guard let decision = try await decisions.decision(customerId: id, asOf: today) else {
                throw Problem.notFound("no customer \(id)")
            }
            return EditedResponse(status: .created, response: AssessmentResponse(decision))
        }
        group.delete("customers/:id/override") { _, context -> HTTPResponse.Status in
            try context.require(.overrideDecisions)
            let id = try context.pathParameter("id")
            guard try await decisions.clearOverride(customerId: id) else {
                throw Problem.notFound("customer \(id) has no override")
            }
            return .noContent
        }
        group.get("alerts") { request, context -> AlertsResponse in
            try context.require(.readAssessments)
            let since = try QueryParameters(request: request).day("since")
            return AlertsResponse(alerts: try await dependencies.service.alerts(since: since))
        }
    }

    /// `?asOf=YYYY-MM-DD`, else today.
    func asOf(_ request: Request) throws -> Day {
        try QueryParameters(request: request).day("asOf") ?? dependencies.today()
    }
}
