import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader

/// A prospective customer asking for an account, as the API and the CLI receive it.
public struct AccountApplicationRequest: Sendable, Codable, Hashable {
    /// The caller's id for the application, which makes a retry safe; generated when absent.
    public var applicationId: String?
    public var name: String
    /// SIREN (checked), VAT, LEI or another company number; the key to its statements.
    public var registrationId: String?
    /// NACE/NAF code; an unknown one is scored with the portfolio average, as for customers.
    public var sectorCode: String
    /// ISO 3166 two-letter code.
    public var country: String
    /// Payment terms asked for, in days (0 to 365).
    public var termsDays: Int
    public var group: String?
    public var requestedLimit: Money?
    /// An XBRL instance or French INPI "bilans saisis" document: the accounts the applicant hands over.
    public var statementXML: String?

    public init(
        applicationId: String? = nil, name: String, registrationId: String? = nil, sectorCode: String, country: String,
        termsDays: Int, group: String? = nil, requestedLimit: Money? = nil, statementXML: String? = nil
    ) {
        self.applicationId = applicationId
        self.name = name
        self.registrationId = registrationId
        self.sectorCode = sectorCode
        self.country = country
        self.termsDays = termsDays
        self.group = group
        self.requestedLimit = requestedLimit
        self.statementXML = statementXML
    }
}

/// A decision taken on an application, as stored with it.
public struct ApplicationDecisionRecord: Sendable, Codable, Hashable {
    public var decision: ApplicationVerdict
    public var decidedOn: Day
    public var decidedBy: String
    public var reason: String?
    /// The customer an approved application became.
    public var customerId: String?
}

/// An application with the assessment it got when it came in: what `POST /v1/applications`
/// and `GET /v1/applications/{id}` return, and what the store keeps.
public struct AccountApplication: Sendable, Codable, Hashable {
    public var applicationId: String
    public var status: ApplicationStatus
    public var receivedOn: Day
    public var name: String
    public var registrationId: String?
    public var grade: String
    /// The grade the PD alone gives, before the thin-file cap.
    public var uncappedGrade: String
    public var pd: Double
    public var score: Int
    public var suggestedLimit: Money
    public var requestedLimit: Money?
    public var recommendation: OpeningRecommendation
    /// Why the recommendation departs from the grade's first, then the assessment's reasons.
    public var reasons: [OpeningReason]
    public var limitStep: LimitStep
    public var modelVersion: String
    public var asOf: Day
    public var evidence: EvidenceSummary
    /// Set once the credit manager has decided.
    public var decision: ApplicationDecisionRecord?
}

/// What deciding an application did.
public struct ApplicationDecisionResult: Sendable, Codable, Hashable {
    public var applicationId: String
    public var status: ApplicationStatus
    public var decision: ApplicationDecisionRecord
    /// For an approval: the new customer's grade and limits after its first scoring.
    public var customerId: String?
    public var grade: String?
    public var suggestedLimit: Money?
    /// The limit in force: the override's when one was set, the suggested one otherwise.
    public var limit: Money?
    public var override: Override?
}

/// Why an application or a decision was refused. `problems` locates an unreadable statement.

/// Account opening: a prospective customer applies, is assessed by the same scoring core as
/// customers (with no ledger, so the thin-file cap holds), and the credit manager approves it
/// into a customer or declines it.
///
/// The statement the applicant hands over counts as known at once (no publication lag: the
/// applicant gave it); without one, the latest statement already stored for the registration
/// number (imported as a prospect's) counts once we had it or it was published, as for customers.
/// Receiving is idempotent by application id: the same request again gets the first answer.
///
/// Applications and decisions are requests: they wait for the writer only so long.
public struct AccountApplications: RequestUseCase {
    public let resources: RequestResources
    /// Statement reading; nil when the mappings are not loaded (a statement is then refused).
    public let decode: StatementDecoding?

    /// Without statement reading: an application that hands over a statement is refused.
    public init(resources: RequestResources) { self.init(resources: resources, decode: nil) }

    public init(resources: RequestResources, decode: StatementDecoding?) {
        self.resources = resources
        self.decode = decode
    }

    public init(
        database: any DatabaseWriter, model: ScoringModel, decode: StatementDecoding?,
        now: @escaping @Sendable () -> Date = Date.init, maximumWait: Duration = BoundedWriter.defaultMaximumWait,
        policies: CreditPolicies? = nil
    ) {
        self.init(
            resources: RequestResources(database: database, model: model, now: now, maximumWait: maximumWait, policies: policies),
            decode: decode)
    }

    /// The request as compared for idempotency: normalized, the statement by its digest.
    struct StoredRequest: Codable, Hashable {
        var name: String
        var registrationId: String?
        var sectorCode: String
        var country: String
        var termsDays: Int
        var group: String?
        var requestedLimit: Money?
        var statementSHA256: String?
    }

    /// Assesses and stores an application received on `day`. Returns it with `created` false when
    /// the same application id came before with the same request (a retry).
    public func receive(
        _ request: AccountApplicationRequest, on day: Day
    ) async throws -> (
        application: AccountApplication, created: Bool
    ) {
        let applicationId = try request.applicationId.map(Self.checkedId)
        var normalized = try Self.normalized(request)
        let provided = try readStatement(request.statementXML, registrationId: normalized.registrationId, on: day)
        if let provided {
            normalized.registrationId = normalized.registrationId ?? provided.statement.company.registrationId
            normalized.statementSHA256 = provided.sha256
        }
        let stored = normalized
        let requestJSON = try Self.json(stored)
        let model = self.model
        return try await writer.write { db in
            let store = ApplicationStore()
            if let applicationId, let earlier = try store.find(db, id: applicationId) {
                guard earlier.requestJSON == requestJSON else {
                    throw Refusal(
                        .conflict,
                        "application \(applicationId) was already received on \(earlier.receivedOn.iso) with other details; use a new applicationId")
                }
                return (try Self.application(earlier), false)
            }
            if let registrationId = stored.registrationId, let customer = try store.customerId(db, registrationId: registrationId) {
                throw Refusal(.conflict, "registration id \(registrationId) belongs to customer \(customer), who already has an account")
            }
            let id = try applicationId ?? store.nextId(db, receivedOn: day)
            var statement: FinancialStatement?
            if let provided {
                _ = try StatementStore().save(
                    db, provided.statement,
                    source: StatementSource(
                        format: provided.format, fileName: "application \(id)", sha256: provided.sha256, importedOn: day))
                statement = provided.statement
            } else if let registrationId = stored.registrationId {
                statement = try StatementStore().latest(
                    db, registrationId: registrationId, knownOn: day, rule: model.financial)
            }
            let context = try EvidenceContext(db, model: model)
            let customer = Customer(
                id: id, name: stored.name, registrationId: stored.registrationId, sectorCode: stored.sectorCode,
                country: stored.country, termsDays: stored.termsDays, group: stored.group)
            let evidence = CustomerEvidence(
                customer: customer, asOf: day, sector: context.sectors[stored.sectorCode],
                portfolioSector: context.portfolioSector, statement: statement, ledgerCurrency: context.ledgerCurrency)
            let assessment = Scorer(model: model).assess(evidence)
            let advice = OpeningAdvice(assessment: assessment, requestedLimit: stored.requestedLimit, policy: model.limitPolicy)
            let application = AccountApplication(
                applicationId: id, status: .pending, receivedOn: day, name: stored.name, registrationId: stored.registrationId,
                grade: assessment.grade.code, uncappedGrade: assessment.uncappedGrade.code, pd: assessment.pd,
                score: assessment.score, suggestedLimit: assessment.suggestedLimit, requestedLimit: stored.requestedLimit,
                recommendation: advice.recommendation, reasons: advice.reasons + assessment.reasons.map(OpeningReason.init),
                limitStep: assessment.limitStep, modelVersion: assessment.modelVersion, asOf: assessment.asOf,
                evidence: assessment.evidence, decision: nil)
            try store.insert(
                db,
                ApplicationRecord(
                    id: id, receivedOn: day, name: stored.name, registrationId: stored.registrationId,
                    sectorCode: stored.sectorCode, country: stored.country, termsDays: stored.termsDays,
                    customerGroup: stored.group, requestedLimit: stored.requestedLimit, requestJSON: requestJSON,
                    assessmentJSON: try Self.json(application)))
            return (application, true)
        }
    }

    /// The application with its current status and decision; nil when unknown.
    public func application(id: String) async throws -> AccountApplication? {
        guard InputBounds.standard.idProblem(id) == nil else { return nil }
        return try await database.read { db in try ApplicationStore().find(db, id: id).map(Self.application) }
    }

    /// Decides a pending application. Approving opens the account under `customerId` (which must
    /// be free), sets `limit` as an override for a year when it differs from the suggested limit
    /// (a reason is then required, and the limit must be within the approval authority of `role`),
    /// and scores the new customer so it appears in assessments. Declining needs a reason. An
    /// application is decided once.
    public func decide(
        applicationId: String, verdict: ApplicationVerdict, customerId: String?, limit: Money?, author: String, role: String,
        reason: String?, on day: Day
    ) async throws -> ApplicationDecisionResult {
        guard InputBounds.standard.idProblem(applicationId) == nil else {
            throw Refusal(.notFound, "no application \(applicationId.truncatedForMessage(40))")
        }
        let checks = InputChecks()
        let reason = try checks.text(reason, "reason", required: false)
        guard let author = try checks.text(author, "author", required: false) else {
            throw Refusal(.invalid, "an author is required")
        }
        let newCustomerId: String?
        switch verdict {
        case .approve:
            guard let customerId = customerId?.nilIfEmpty else {
                throw Refusal(.invalid, "approving needs the customerId the new account will have")
            }
            if let problem = InputBounds.standard.idProblem(customerId) {
                throw Refusal(.invalid, "customerId \"\(customerId.truncatedForMessage(40))\" \(problem)")
            }
            // Checked again by the override rule when the limit differs from the suggestion; here
            // too, so that a bad limit is refused before the account is looked up.
            if let limit, limit.cents < 0 { throw Refusal(.invalid, "a limit cannot be negative", field: "limit") }
            if let limit { try checks.amount(limit, "limit") }
            newCustomerId = customerId
        case .decline:
            guard reason != nil else {
                throw Refusal(.invalid, "declining needs a reason: it is what explains the decision later")
            }
            newCustomerId = nil
        }
        let createdAt = Timestamp.string(now())
        let decision = ApplicationDecisionRecord(
            decision: verdict, decidedOn: day, decidedBy: author, reason: reason, customerId: newCustomerId)
        let scoring = self.scoring
        let override = try await writer.write { db -> Override? in
            let store = ApplicationStore()
            guard let record = try store.find(db, id: applicationId) else {
                throw Refusal(.notFound, "no application \(applicationId)")
            }
            guard record.status == .pending else {
                throw Refusal(
                    .conflict,
                    "application \(applicationId) was already \(record.status.rawValue) on \(record.decidedOn?.iso ?? "?") by \(record.decidedBy ?? "?")"
                        + (record.customerId.map { " (customer \($0))" } ?? ""))
            }
            var override: Override?
            if let customerId = newCustomerId {
                guard try !store.customerExists(db, id: customerId) else {
                    throw Refusal(.conflict, "customer \(customerId) already exists; choose another customerId")
                }
                if let registrationId = record.registrationId, let other = try store.customerId(db, registrationId: registrationId) {
                    throw Refusal(.conflict, "registration id \(registrationId) has belonged to customer \(other) since the application came in")
                }
                let application = try Self.application(record)
                if let limit, limit != application.suggestedLimit {
                    guard let reason else {
                        throw Refusal(
                            .invalid,
                            "a limit of \(limit.formatted) instead of the suggested \(application.suggestedLimit.formatted) is an override: give a reason"
                        )
                    }
                    override = try Override.requested(
                        gradeCode: nil, limit: limit, reason: reason, author: author, setOn: day, expiresOn: Self.oneYearAfter(day),
                        model: model)
                }
                try store.openAccount(db, record.customer(id: customerId))
                if let override {
                    try storeOverride(
                        db, override, customerId: customerId, role: role, suggested: application.suggestedLimit, createdAt: createdAt)
                }
                // The new customer is scored with its account, so order checks find a decision.
                _ = try scoring.storeOne(db, customerId: customerId, asOf: day, createdAt: createdAt)
            }
            _ = try store.decide(
                db, id: applicationId, verdict: verdict, decidedOn: day, decidedBy: author, reason: reason, customerId: newCustomerId)
            return override
        }
        var result = ApplicationDecisionResult(
            applicationId: applicationId, status: verdict.status, decision: decision,
            customerId: newCustomerId, override: override)
        if let customerId = newCustomerId {
            if let scored = try await database.read({ try AssessmentStore().latestDecision($0, customerId: customerId) }) {
                result.grade = scored.grade
                result.suggestedLimit = scored.suggestedLimit
                result.limit = override?.limit ?? scored.suggestedLimit
            }
        }
        return result
    }

    // MARK: - Validation

    static func checkedId(_ id: String) throws -> String {
        if let problem = InputBounds.standard.idProblem(id) {
            throw Refusal(.invalid, "applicationId \"\(id.truncatedForMessage(40))\" \(problem) (it goes into URLs)")
        }
        return id
    }

    static func normalized(_ request: AccountApplicationRequest) throws -> StoredRequest {
        let checks = InputChecks()
        guard let name = try checks.text(request.name, "name", required: false) else {
            throw Refusal(.invalid, "name is empty; give the company's legal name")
        }
        let group = try checks.text(request.group, "group", required: false)
        if request.sectorCode.unicodeScalars.count > 16 {
            throw Refusal(.invalid, "sectorCode is longer than 16 characters; give a NACE/NAF code (e.g. 46.69B)")
        }
        guard let sector = try checks.text(request.sectorCode, "sectorCode", required: false) else {
            throw Refusal(.invalid, "sectorCode is empty; give the company's NACE/NAF code (e.g. 46.69B)")
        }
        let country = request.country.trimmingCharacters(in: .whitespaces).uppercased()
        guard country.count == 2, country.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw Refusal(.invalid, "country \"\(request.country)\" is not a two-letter ISO 3166 country code (e.g. FR)")
        }
        guard (0...365).contains(request.termsDays) else {
            throw Refusal(.invalid, "termsDays \(request.termsDays) is not a whole number of days from 0 to 365")
        }
        var registrationId: String?
        if let given = request.registrationId {
            do {
                registrationId = try RegistrationNumber.normalized(given)
            } catch {
                throw Refusal(.invalid, "\(error)")
            }
        }
        if let limit = request.requestedLimit, limit.cents < 0 {
            throw Refusal(.invalid, "requestedLimit \(limit.decimalText) is negative")
        }
        if let limit = request.requestedLimit, let problem = InputBounds.standard.amountProblem(limit) {
            throw Refusal(.invalid, "requestedLimit \(limit.decimalText) \(problem)")
        }
        return StoredRequest(
            name: name, registrationId: registrationId, sectorCode: sector, country: country, termsDays: request.termsDays,
            group: group, requestedLimit: request.requestedLimit,
            statementSHA256: nil)
    }

    /// The statement handed over with the application: read with the statement reader, its
    /// latest year (the company's own accounts before group accounts), for the applicant's
    /// registration number when one is given.
    func readStatement(
        _ xml: String?, registrationId: String?, on day: Day
    ) throws -> (
        statement: FinancialStatement, format: String, sha256: String
    )? {
        guard let xml else { return nil }
        // The limit of any statement document, said before anything is read.
        let limit = 20 << 20
        guard xml.utf8.count <= limit else {
            throw Refusal.invalid(field: "statementXML", "is \(xml.utf8.count) bytes, over the \(limit)-byte limit of a statement document")
        }
        guard !xml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        guard let decode else {
            throw Refusal(
                .unavailable, "statements cannot be read: the statement mappings (Models/statement-mappings) are not loaded",
                code: "statements-unavailable")
        }
        let data = Data(xml.utf8)
        let read: [ReadStatement]
        do {
            read = try decode(data, "statementXML")
        } catch let error as LocatedError {
            let problem = error.problem(file: "statementXML")
            throw Refusal(.invalid, "\(error)", code: "statement-unreadable", problems: [problem])
        } catch {
            throw Refusal(
                .invalid, "statementXML: \(error)", code: "statement-unreadable",
                problems: [LocatedProblem(file: "statementXML", message: "\(error)")]
            )
        }
        let candidates = read.filter { registrationId == nil || $0.statement.company.registrationId == registrationId }
        guard
            let chosen = candidates.max(by: {
                ($0.statement.periodEnd, $0.statement.consolidated ? 0 : 1) < ($1.statement.periodEnd, $1.statement.consolidated ? 0 : 1)
            })
        else {
            let companies = Set(read.map(\.statement.company.registrationId)).sorted().joined(separator: ", ")
            throw Refusal(
                .invalid,
                read.isEmpty
                    ? "statementXML holds no accounts"
                    : "statementXML holds the accounts of \(companies), not of registration id \(registrationId ?? "")")
        }
        guard chosen.statement.periodEnd <= day else {
            throw Refusal(.invalid, "statementXML: the accounts end on \(chosen.statement.periodEnd.iso), after today \(day.iso)")
        }
        return (chosen.statement, chosen.format, FileDigest.sha256(of: data))
    }

    // MARK: - Stored form

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The stored assessment with the status and decision the row holds now.
    static func application(_ record: ApplicationRecord) throws -> AccountApplication {
        var application = try Refusal.decodingStored(
            AccountApplication.self, from: Data(record.assessmentJSON.utf8), row: "assessment of application \(record.id)")
        application.status = record.status
        if let verdict = record.decision, let decidedOn = record.decidedOn {
            application.decision = ApplicationDecisionRecord(
                decision: verdict, decidedOn: decidedOn, decidedBy: record.decidedBy ?? "", reason: record.decisionReason,
                customerId: record.customerId)
        }
        return application
    }

    /// The same day a year later (28 February for 29 February): how long an opening override holds.
    static func oneYearAfter(_ day: Day) -> Day {
        let (year, month, date) = day.components
        return Day(year: year + 1, month: month, day: date) ?? Day(year: year + 1, month: month, day: date - 1) ?? day + 365
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
