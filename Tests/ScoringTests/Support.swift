import CreditCore
import Foundation
import Testing

/// Every model file in `Models/`, for the properties that must hold whoever set the numbers.
enum ShippedModels {
    static var folder: URL { ModelFile.url.deletingLastPathComponent() }
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("scoring-model-") && $0.hasSuffix(".json") }.sorted()
    }
    static func load(_ file: String) throws -> ScoringModel {
        try ScoringModel.decode(from: Data(contentsOf: folder.appendingPathComponent(file)))
    }
}

/// The model file shipped in `Models/`, found from this file's path (never an absolute path).
enum ModelFile {
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/scoring-model-v2.json")
    }

    static func data() throws -> Data { try Data(contentsOf: url) }

    static func shipped() throws -> ScoringModel { try ScoringModel.decode(from: data()) }

    /// The shipped file as a JSON tree, to break one field at a time.
    static func tree() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data()) as? [String: Any])
    }

    /// The field a model file written from `tree` is refused for, nil when it is accepted.
    static func refusedField(_ tree: [String: Any]) throws -> String? {
        let data = try JSONSerialization.data(withJSONObject: tree)
        do {
            _ = try ScoringModel.decode(from: data)
            return nil
        } catch {
            return error.field
        }
    }
}

/// Shorthands that keep the tests' numbers readable.
func day(_ text: String) -> Day { Day(parsing: text)! }
func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

let electricians = Sector(
    code: "43.21A", label: "Electrical installation", averageDaysBeyondTerms: 10, averageDSODays: 63,
    annualFailureRate: 0.02, period: "2024", source: "test")
let portfolioAverage = Sector(
    code: "*", label: "portfolio average", averageDaysBeyondTerms: 12, averageDSODays: 60,
    annualFailureRate: 0.025, period: "2024", source: "test")

func customer(_ id: String = "C1", terms: Int = 30, sector: String = "43.21A") -> Customer {
    Customer(id: id, name: "Customer \(id)", sectorCode: sector, country: "FR", termsDays: terms)
}

/// Builds a ledger by hand: invoices with their due dates, payments by invoice.
struct LedgerBuilder {
    var invoices: [Invoice] = []
    var payments: [Payment] = []
    var disputes: [Dispute] = []

    mutating func invoice(_ id: String, issued: String, due: String, _ amount: Int64) {
        invoices.append(
            Invoice(id: id, customerId: "C1", issueDate: day(issued), dueDate: day(due), amount: euros(amount), currency: "EUR"))
    }

    mutating func pay(_ id: String, on date: String, _ amount: Int64) {
        payments.append(Payment(id: "P\(payments.count + 1)", invoiceId: id, paidOn: day(date), amount: euros(amount)))
    }

    func evidence(asOf: String, sector: Sector? = electricians, statement: FinancialStatement? = nil) -> CustomerEvidence {
        CustomerEvidence(
            customer: customer(), asOf: day(asOf), invoices: invoices, payments: payments, disputes: disputes, sector: sector,
            portfolioSector: portfolioAverage, statement: statement)
    }
}

/// A statement with round figures, in whole euros.
func statement(
    periodEnd: String = "2024-12-31", months: Int = 12, revenue: Int64? = 2_000_000, operatingIncome: Int64? = 100_000,
    netIncome: Int64? = 60_000, totalAssets: Int64? = 1_000_000, currentAssets: Int64? = 600_000,
    currentLiabilities: Int64? = 400_000, totalLiabilities: Int64? = 600_000, equity: Int64? = 400_000,
    retainedEarnings: Int64? = 200_000
) -> FinancialStatement {
    FinancialStatement(
        company: .init(registrationId: "123456789"), periodEnd: day(periodEnd), periodMonths: months, currency: "EUR",
        consolidated: false,
        amounts: .init(
            revenue: revenue.map(euros), operatingIncome: operatingIncome.map(euros), netIncome: netIncome.map(euros),
            totalAssets: totalAssets.map(euros), currentAssets: currentAssets.map(euros),
            totalLiabilities: totalLiabilities.map(euros), currentLiabilities: currentLiabilities.map(euros),
            equity: equity.map(euros), retainedEarnings: retainedEarnings.map(euros)))
}

/// A small deterministic generator (SplitMix64), so property tests see the same customers (and
/// random ledgers) every run, and a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
}

extension Double {
    /// Equal within `tolerance`: hand arithmetic is done to a few decimals.
    func isClose(to other: Double, within tolerance: Double = 1e-9) -> Bool { abs(self - other) <= tolerance }
}
