import CreditCore
import Foundation
import PortfolioGenerator
import Testing

/// Every rule an importer relies on, checked on files read back with the tests' own reader.
@Suite("Generated ledger invariants")
struct LedgerInvariantTests {
    static let customers = GeneratedFiles.sharedCustomers

    @Test("headers are exactly the documented ones", arguments: CSVStyle.allCases)
    func headers(style: CSVStyle) throws {
        let (files, _) = try GeneratedFiles.generate(GeneratorConfiguration(customers: 5, seed: 1, style: style))
        defer { files.remove() }
        let d = style == .french ? ";" : ","
        let expected = [
            "customers.csv": [
                "customer_id", "name", "registration_id", "sector_code", "country", "terms_days", "group", "strategic", "contact_name",
                "contact_email", "contact_phone", "language", "postal_address", "sales_rep",
            ],
            "invoices.csv": ["invoice_id", "customer_id", "issue_date", "due_date", "amount", "currency"],
            "payments.csv": ["payment_id", "invoice_id", "paid_on", "amount"],
            "disputes.csv": ["invoice_id", "kind", "opened_on", "resolved_on"],
            "sectors.csv": ["sector_code", "label", "avg_days_beyond_terms", "avg_dso_days", "annual_failure_rate", "period", "source"],
            "outcomes.csv": ["customer_id", "defaulted", "default_date"],
        ]
        for (name, columns) in expected {
            #expect(files.header(name) == columns.joined(separator: d))
        }
    }

    @Test("most customers have a billing contact with an e-mail and a postal address; a few lack one, as in real ledgers")
    func contacts() throws {
        let (files, _) = try GeneratedFiles.generate(GeneratorConfiguration(customers: 300, seed: 3, style: .international))
        defer { files.remove() }
        let emails = files.customers.compactMap { $0["contact_email"] }.filter { !$0.isEmpty }
        let addresses = files.customers.compactMap { $0["postal_address"] }.filter { !$0.isEmpty }
        #expect(files.customers.allSatisfy { !($0["contact_name"] ?? "").isEmpty })
        #expect(emails.count > 270 && emails.count < 300)
        #expect(addresses.count > 280 && addresses.count < 300)
        #expect(Set(emails).count == emails.count)
        #expect(emails.allSatisfy { $0.hasSuffix(".example") && !$0.contains(" ") })
    }

    @Test("counts follow the configuration", arguments: CSVStyle.allCases)
    func counts(style: CSVStyle) throws {
        let files = try GeneratedFiles.shared(style)
        let summary = try GeneratedFiles.sharedSummary(style)
        #expect(files.customers.count == Self.customers)
        #expect(summary.customers == Self.customers)
        #expect(summary.invoices == files.invoices.count)
        #expect(summary.payments == files.payments.count)
        #expect(summary.disputes == files.disputes.count)
        #expect(summary.sectors == files.sectors.count)
        #expect((20...25).contains(files.sectors.count))
        // About 10 invoices per customer over the default 24 months: 500 customers -> about 5,000.
        #expect((4_000...6_000).contains(files.invoices.count), "\(files.invoices.count) invoices")
        let creditNotes = files.invoices.filter { (files.cents($0["amount"]) ?? 0) < 0 }.count
        let share = Double(creditNotes) / Double(files.invoices.count)
        #expect(share > 0.015 && share < 0.045, "credit notes are \(share) of invoices")
        let disputeShare = Double(files.disputes.count) / Double(files.invoices.count)
        #expect(disputeShare > 0.01 && disputeShare < 0.035, "disputes are \(disputeShare) of invoices")
        #expect(summary.defaults == files.outcomes.filter { $0["defaulted"] == "1" }.count)
    }

    @Test("customers: unique ids, valid SIREN for French ones, terms of 30/45/60, known sectors", arguments: CSVStyle.allCases)
    func customers(style: CSVStyle) throws {
        let files = try GeneratedFiles.shared(style)
        let sectorCodes = Set(files.sectors.map { $0["sector_code"]! })
        #expect(Set(files.customers.map { $0["customer_id"]! }).count == Self.customers)
        var foreignWithoutNumber = 0
        for row in files.customers {
            #expect(!(row["name"] ?? "").isEmpty)
            #expect(sectorCodes.contains(row["sector_code"]!))
            #expect(["30", "45", "60"].contains(row["terms_days"]!))
            #expect(["", "0", "1"].contains(row["strategic"]!))
            let registration = row["registration_id"]!
            if row["country"] == "FR" {
                #expect(Self.isValidSIREN(registration), "\(registration) is not a valid SIREN")
            } else if registration.isEmpty {
                foreignWithoutNumber += 1
            }
        }
        #expect(foreignWithoutNumber > 0)
        #expect(files.customers.contains { !($0["group"] ?? "").isEmpty })
    }

    @Test("invoices: unique ids, EUR, due = issue + terms, within the history", arguments: CSVStyle.allCases)
    func invoices(style: CSVStyle) throws {
        let configuration = GeneratorConfiguration(customers: Self.customers, seed: 42, style: style)
        let files = try GeneratedFiles.shared(style)
        let terms = Dictionary(uniqueKeysWithValues: files.customers.map { ($0["customer_id"]!, Int($0["terms_days"]!)!) })
        #expect(Set(files.invoices.map { $0["invoice_id"]! }).count == files.invoices.count)
        for row in files.invoices {
            let issue = try #require(files.day(row["issue_date"]))
            let due = try #require(files.day(row["due_date"]))
            let amount = try #require(files.cents(row["amount"]), "\(row["amount"] ?? "")")
            let customerTerms = try #require(terms[row["customer_id"]!])
            #expect(due - issue == customerTerms)
            #expect(issue >= configuration.startDay && issue <= configuration.endDay)
            #expect(amount != 0)
            #expect(row["currency"] == "EUR")
        }
    }

    @Test("payments never exceed their invoice, never precede it and never follow the export date", arguments: CSVStyle.allCases)
    func payments(style: CSVStyle) throws {
        let configuration = GeneratorConfiguration(customers: Self.customers, seed: 42, style: style)
        let files = try GeneratedFiles.shared(style)
        var invoices: [String: (issue: Day, cents: Int64)] = [:]
        for row in files.invoices {
            invoices[row["invoice_id"]!] = (files.day(row["issue_date"])!, files.cents(row["amount"])!)
        }
        #expect(Set(files.payments.map { $0["payment_id"]! }).count == files.payments.count)
        var paid: [String: Int64] = [:]
        var parts: [String: Int] = [:]
        for row in files.payments {
            let invoice = try #require(invoices[row["invoice_id"]!], "payment for unknown invoice \(row["invoice_id"]!)")
            let day = try #require(files.day(row["paid_on"]))
            let cents = try #require(files.cents(row["amount"]))
            #expect(day >= invoice.issue)
            #expect(day <= configuration.endDay)
            #expect(cents != 0)
            // Credit notes are refunded (negative money), invoices paid (positive money).
            #expect((cents < 0) == (invoice.cents < 0))
            paid[row["invoice_id"]!, default: 0] += cents
            parts[row["invoice_id"]!, default: 0] += 1
        }
        for (id, total) in paid {
            let amount = invoices[id]!.cents
            #expect(total.magnitude <= amount.magnitude, "\(id) paid \(total) against \(amount)")
        }
        let split = parts.values.filter { $0 > 1 }.count
        let splitShare = Double(split) / Double(files.invoices.count)
        #expect(splitShare > 0.02 && splitShare < 0.08, "invoices paid in parts: \(splitShare)")
        let open = files.invoices.filter { paid[$0["invoice_id"]!] != files.cents($0["amount"]) }.count
        #expect(open > 0, "some items must still be open at the export date")
    }

    @Test("disputes: known kinds, opened after issue, resolved after opening, one per invoice and day", arguments: CSVStyle.allCases)
    func disputes(style: CSVStyle) throws {
        let configuration = GeneratorConfiguration(customers: Self.customers, seed: 42, style: style)
        let files = try GeneratedFiles.shared(style)
        let issued = Dictionary(uniqueKeysWithValues: files.invoices.map { ($0["invoice_id"]!, files.day($0["issue_date"])!) })
        let kinds: Set = ["price", "quantity", "quality", "delivery", "duplicate_billing", "missing_purchase_order"]
        var keys = Set<String>()
        var open = 0
        for row in files.disputes {
            let issue = try #require(issued[row["invoice_id"]!])
            let opened = try #require(files.day(row["opened_on"]))
            #expect(kinds.contains(row["kind"]!))
            #expect(opened >= issue && opened <= configuration.endDay)
            if row["resolved_on"]!.isEmpty {
                open += 1
            } else {
                let resolved = try #require(files.day(row["resolved_on"]))
                #expect(resolved >= opened && resolved <= configuration.endDay)
            }
            #expect(keys.insert(row["invoice_id"]! + "|" + row["opened_on"]!).inserted)
        }
        #expect(open > 0)
    }

    @Test("outcomes cover every customer once; a default date only for defaults, within the history", arguments: CSVStyle.allCases)
    func outcomes(style: CSVStyle) throws {
        let configuration = GeneratorConfiguration(customers: Self.customers, seed: 42, style: style)
        let files = try GeneratedFiles.shared(style)
        #expect(files.outcomes.map { $0["customer_id"]! } == files.customers.map { $0["customer_id"]! })
        for row in files.outcomes {
            switch row["defaulted"] {
            case "1":
                let day = try #require(files.day(row["default_date"]))
                #expect(day >= configuration.startDay && day <= configuration.endDay)
            case "0": #expect(row["default_date"] == "")
            default: Issue.record("defaulted is \(row["defaulted"] ?? "missing")")
            }
        }
    }

    @Test("sectors: NAF codes with the dot, rates as fractions, a source on every row", arguments: CSVStyle.allCases)
    func sectors(style: CSVStyle) throws {
        let (files, _) = try GeneratedFiles.generate(GeneratorConfiguration(customers: 1, seed: 1, style: style))
        defer { files.remove() }
        let mark: Character = style == .french ? "," : "."
        for row in files.sectors {
            let code = row["sector_code"]!
            #expect(code.count == 6 && Array(code)[2] == ".", "\(code)")
            let rate = row["annual_failure_rate"]!
            #expect(rate.hasPrefix("0\(mark)0"), "\(rate) is not a fraction below 10 %")
            #expect(row["avg_days_beyond_terms"]!.contains(mark))
            #expect(Int(row["avg_dso_days"]!) != nil)
            #expect(!row["source"]!.isEmpty && !row["period"]!.isEmpty)
        }
    }

    static func isValidSIREN(_ text: String) -> Bool {
        let digits = text.compactMap(\.wholeNumberValue)
        guard text.count == 9, digits.count == 9 else { return false }
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let value = offset % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0
    }
}
