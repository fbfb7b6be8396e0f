import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assess a prospective customer's account application and store it for a decision.",
        discussion: """
            The applicant is scored like a customer without a ledger (the thin-file rule caps the \
            grade), with the statement given by --statement, or else the latest published one \
            already imported for its registration number. Prints the grade, PD, suggested limit and \
            the recommendation: approve, approve with deposit or cash in advance, or refer. The \
            credit manager decides over HTTP: POST /v1/applications/{id}/decision.
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: "The company's legal name.")
    var name: String
    @Option(help: ArgumentHelp("NACE/NAF sector code, e.g. 46.69B.", valueName: "code"))
    var sector: String
    @Option(help: ArgumentHelp("SIREN (checked), VAT or another company number.", valueName: "id"))
    var registrationId: String?
    @Option(help: ArgumentHelp("Two-letter ISO 3166 country code.", valueName: "code"))
    var country = "FR"
    @Option(help: ArgumentHelp("Payment terms asked for, in days (0 to 365).", valueName: "days"))
    var terms = 30
    @Option(help: "Parent group.")
    var group: String?
    @Option(help: ArgumentHelp("Accounts as XML: an XBRL instance or INPI bilans saisis.", valueName: "file"))
    var statement: String?
    @Option(help: ArgumentHelp("Credit limit asked for, e.g. 25000 or \"25 000,00\".", valueName: "amount"))
    var requestedLimit: String?
    @Option(help: ArgumentHelp("Application id; a new APP-YYYYMMDD-NNNN when absent.", valueName: "id"))
    var applicationId: String?
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let limit = try requestedLimit.map(parseLimit)
        var xml: String?
        if let statement {
            guard let data = FileManager.default.contents(atPath: statement) else {
                throw CommandError("cannot read statement file \(statement)")
            }
            xml = String(decoding: data, as: UTF8.self)
        }
        let decode = xml == nil ? nil : try StatementReading.decoder()
        let applications = try serviceOptions.open(statementDecoder: decode).applications
        let request = AccountApplicationRequest(
            applicationId: applicationId, name: name, registrationId: registrationId, sectorCode: sector, country: country,
            termsDays: terms, group: group, requestedLimit: limit, statementXML: xml)
        let application: AccountApplication
        let created: Bool
        do {
            (application, created) = try await applications.receive(request, on: Day.today())
        } catch var refusal as Refusal {
            // The reader names the document "statementXML", as the API field; here it is the file.
            refusal.description = refusal.description.replacingOccurrences(of: "statementXML", with: statement ?? "statementXML")
            throw refusal
        }
        try await answer.print(application) { application in
            (created ? "" : "(application \(application.applicationId) was already received: its first assessment)\n")
                + ApplicationText(application: application).text
        }
    }
}

/// A readable account of an application's assessment, for the credit manager.
struct ApplicationText {
    let application: AccountApplication

    var text: String {
        let a = application
        var lines: [String] = [
            "Application \(a.applicationId): \(a.name)\(a.registrationId.map { " (\($0))" } ?? "") received \(a.receivedOn.iso), \(a.status.rawValue)",
            "  grade            \(a.grade)\(a.uncappedGrade != a.grade ? " (PD alone gives \(a.uncappedGrade))" : "")   model \(a.modelVersion)",
            "  PD (12 months)   \(percent(a.pd))   score \(a.score)/100",
            "  suggested limit  \(a.suggestedLimit.formatted)"
                + (a.requestedLimit.map { "   requested \($0.formatted)" } ?? ""),
            "  recommendation   \(a.recommendation.rawValue.replacingOccurrences(of: "_", with: " "))",
            "  limit step       \(a.limitStep.explanation)",
            "",
            "Reasons",
        ]
        lines += a.reasons.map { reason in
            let effect = reason.effect == 0 ? "    " : (reason.effect > 0 ? "+" : "") + String(format: "%.2f", reason.effect)
            return "  \(effect.padding(toLength: 6, withPad: " ", startingAt: 0)) \(reason.code): \(reason.text)"
        }
        lines += [
            "",
            "Evidence: statement \(a.evidence.statementPeriodEnd?.iso ?? "none"), sector \(a.evidence.sectorCode), as of \(a.asOf.iso)",
        ]
        return lines.joined(separator: "\n")
    }
}
