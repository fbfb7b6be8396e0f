import CreditApp
import CreditCore
import Foundation
import Hummingbird
import MultipartKit

/// Account opening for the credit team: an applicant's form with its statement file, the
/// assessment it gets, and the decision (approve into a customer, or decline).
struct WebOpeningPages {
    let app: WebApp

    var service: CreditService { app.service }

    /// The opening form as posted (multipart, for the statement file).
    struct OpeningForm: Decodable {
        var _csrf: String?
        var name: String?
        var registrationId: String?
        var sectorCode: String?
        var country: String?
        var termsDays: String?
        var group: String?
        var requestedLimit: String?
        var statement: Data?
    }

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.requiring(.openAccounts).get("applications/new", page: app) { _, _, page in newForm(page) }
        pages.requiring(.openAccounts).post("applications") { request, context -> Response in
            let page = app.page(request, context)
            let form = try await openingForm(request, context)
            do {
                let application = try await service.applications.receive(try applicationRequest(form, page), on: app.dependencies.today())
                return WebApp.redirect(to: "/applications/\(WebApp.encode(application.application.applicationId))")
            } catch {
                guard let refusal = Refusal(error) else { throw error }
                return newForm(page, form: form, error: refusal.description, status: .unprocessableContent)
            }
        }
        pages.requiring(.openAccounts).get("applications/:id", page: app) { _, context, page in
            try await decisionPage(page, id: try context.pathParameter("id"))
        }
        pages.requiring(.openAccounts).post("applications/:id/decision", form: app) { _, context, page, form in
            let id = try context.pathParameter("id")
            do {
                guard let verdict = form.text("decision").flatMap(ApplicationVerdict.init(rawValue:)) else {
                    throw Refusal.invalid(field: "decision", "approve or decline")
                }
                let result = try await service.applications.decide(
                    applicationId: id, verdict: verdict, customerId: form.text("customerId"),
                    limit: try form.money("limit", page, required: false), author: page.author, role: page.roleName,
                    reason: form.text("reason"), on: app.dependencies.today())
                if let customerId = result.customerId {
                    return WebApp.redirect(to: "/customers/\(WebApp.encode(customerId))?done=opened")
                }
                return WebApp.redirect(to: "/applications/\(WebApp.encode(id))")
            } catch {
                guard let refusal = Refusal(error), refusal.refusalKind != .notFound else { throw error }
                return try await decisionPage(page, id: id, error: refusal.description, status: .unprocessableContent)
            }
        }
    }

    /// The most parts the opening form is read with: its fields, with room to spare.
    static let maximumParts = 64
    /// The statement file's limit, and a megabyte for the fields.
    static let maximumFormBytes = (20 << 20) + (1 << 20)

    /// Reads the multipart form (within the service's body limit) and checks its CSRF token.
    func openingForm(_ request: Request, _ context: CreditRequestContext) async throws -> OpeningForm {
        guard let session = context.webSession else { throw WebRefusal.signInRequired }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") }).map({ String($0.dropFirst("boundary=".count)) })
                .map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }), !boundary.isEmpty
        else {
            throw Refusal(.invalid, "the opening form is sent as multipart/form-data, with its statement file")
        }
        // The form holds a dozen fields and one statement file (at most 20 MB, the statement
        // limit): a body of thousands of parts took the decoder the square of their number, with
        // the server's other requests waiting behind it.
        let buffer = try await request.body.collect(upTo: min(app.dependencies.maximumBodyBytes, Self.maximumFormBytes))
        let parts = buffer.readableBytesView.ranges(of: Array("--\(boundary)".utf8)).count
        guard parts <= Self.maximumParts + 1 else {
            throw Refusal(.invalid, "the opening form has \(parts - 1) parts; it takes at most \(Self.maximumParts)")
        }
        let form: OpeningForm
        do {
            form = try await BlockingWork.run { try FormDataDecoder(nestingDepth: 2).decode(OpeningForm.self, from: buffer, boundary: boundary) }
        } catch {
            throw Refusal(.invalid, "the opening form could not be read as multipart/form-data")
        }
        guard let token = form._csrf, APIKeys.constantTimeEqual(Array(token.utf8), Array(session.csrfToken.utf8)) else {
            throw WebRefusal.forgedForm
        }
        return form
    }

    func applicationRequest(_ form: OpeningForm, _ page: WebPage) throws -> AccountApplicationRequest {
        func text(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        guard let termsText = text(form.termsDays), let terms = Int(termsText) else {
            throw Refusal.invalid(field: "termsDays", page.texts["opening_terms_needed"] ?? "payment terms in days are needed")
        }
        var requested: Money?
        if let limitText = text(form.requestedLimit) {
            guard let amount = Money(parsing: limitText) else {
                throw Refusal.invalid(field: "requestedLimit", "\"\(limitText.truncatedForMessage(30))\" " + (page.texts["form_not_amount"] ?? ""))
            }
            requested = amount
        }
        var statement: String?
        if let data = form.statement, !data.isEmpty {
            guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
                throw Refusal.invalid(field: "statement", page.texts["opening_statement_unreadable"] ?? "the statement file is not text")
            }
            statement = text
        }
        return AccountApplicationRequest(
            name: text(form.name) ?? "", registrationId: text(form.registrationId), sectorCode: text(form.sectorCode) ?? "",
            country: text(form.country)?.uppercased() ?? "", termsDays: terms, group: text(form.group), requestedLimit: requested,
            statementXML: statement)
    }

    func newForm(_ page: WebPage, form: OpeningForm? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let values: [String: Any] = [
            "name": form?.name ?? "", "registrationId": form?.registrationId ?? "", "sectorCode": form?.sectorCode ?? "",
            "country": form?.country ?? "FR", "termsDays": form?.termsDays ?? "30", "group": form?.group ?? "",
            "requestedLimit": form?.requestedLimit ?? "",
        ]
        return app.render("opening", page, title: page.texts["opening_title"] ?? "Account opening", status: status, error: error, values)
    }

    func decisionPage(_ page: WebPage, id: String, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let application = try await service.applications.application(id: id) else {
            throw Refusal(.notFound, "no application \(id)")
        }
        let language = page.language
        var values: [String: Any] = [
            "id": application.applicationId, "name": application.name, "grade": application.grade,
            "risky": app.risky(application.grade), "pd": language.percent(application.pd, places: 2), "score": application.score,
            "suggestedLimit": language.money(application.suggestedLimit), "status": application.status.rawValue,
            "pending": application.status == .pending, "modelVersion": application.modelVersion,
            "recommendation": page.label("opening_", application.recommendation.rawValue),
            "reasons": application.reasons.map { ["text": $0.text, "effect": language.number($0.effect, places: 2), "worse": $0.effect > 0] },
            "statementUsed": application.evidence.statementPeriodEnd.map { language.day($0) } ?? false,
            "requestedLimit": application.requestedLimit.map { language.money($0) } ?? false,
            "registrationId": application.registrationId ?? false,
        ]
        if let decision = application.decision {
            let verdict: String = page.label("opening_verdict_", decision.decision.rawValue)
            let decided: [String: Any] = [
                "by": decision.decidedBy, "on": language.day(decision.decidedOn), "verdict": verdict, "reason": decision.reason ?? "",
                "customerId": decision.customerId.map { $0 as Any } ?? false,
            ]
            values["decision"] = decided
        }
        return app.render("application", page, title: application.name, status: status, error: error, values)
    }
}
