import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a customer's stored assessments and overrides, oldest first: how its grade and limit moved.")

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var customer: CustomerArgument

    func run() async throws {
        let customer = customer.id
        let history = try await serviceOptions.open().history(customerId: customer)
        let (assessments, overrides, alerts) = (history.assessments, history.overrides, history.alerts)
        guard !assessments.isEmpty || !overrides.isEmpty else {
            throw Refusal(.notFound, "no stored assessment or override for \(customer) (run `creditrisk score` first)")
        }
        print("Assessments of \(customer)")
        print(
            table(
                [["as of", "model", "grade", "PD", "score", "suggested limit", "exposure", "made at"]]
                    + assessments.map {
                        [
                            $0.asOf.iso, $0.modelVersion, $0.grade, percent($0.pd), String($0.score), $0.suggestedLimit.formatted,
                            $0.exposure.formatted, $0.createdAt,
                        ]
                    }, rightAligned: [3, 4, 5, 6]
            ).map { "  " + $0 }.joined(separator: "\n"))
        if let confirmedOn = history.confirmedOn {
            print("  the latest confirmed unchanged by every run through \(confirmedOn.iso)")
        }
        if !overrides.isEmpty {
            print("Overrides")
            for o in overrides {
                print(
                    "  \(o.setOn.iso) to \(o.expiresOn.iso): grade \(o.gradeCode ?? "-"), limit \(o.limit?.formatted ?? "-"), "
                        + "\(o.author): \(o.reason)\(o.revokedAt.map { " (ended \($0))" } ?? "")")
            }
        }
        if !alerts.isEmpty {
            print("Alerts")
            for alert in alerts { print("  \(alert.asOf.iso) \(alert.kind): \(alert.detail)") }
        }
    }
}
