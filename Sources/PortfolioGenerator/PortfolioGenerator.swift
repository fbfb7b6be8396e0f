import CreditCore
import Foundation

/// Writes a realistic, deterministic synthetic receivables portfolio as the CSV files an ERP
/// exports, for the demo fixture, tests and benchmarks.
///
/// Same configuration, same bytes. Customers are drawn and written one at a time, so memory does
/// not grow with the portfolio; each customer's history comes from its own random streams, so it
/// does not depend on the customers before it.
public struct PortfolioGenerator: Sendable {
    public let configuration: GeneratorConfiguration

    /// How often `progress` is told, in customers.
    public static let progressInterval = 1000

    public static let fileNames = [
        "customers.csv", "invoices.csv", "payments.csv", "disputes.csv", "sectors.csv", "outcomes.csv",
    ]

    public init(configuration: GeneratorConfiguration) {
        self.configuration = configuration
    }

    /// The hidden state of every customer, the same values `write` draws the files from.
    public var latentPortfolio: LatentPortfolio {
        LatentPortfolio(configuration: configuration)
    }

    /// Writes customers.csv, invoices.csv, payments.csv, disputes.csv, sectors.csv, outcomes.csv
    /// into `directory` (created if missing; existing files of those names are replaced).
    ///
    /// - Parameter progress: told the number of customers done, every `progressInterval` customers and at the end.
    /// - Throws: `GeneratorError` for a configuration out of range or a file that cannot be written.
    @discardableResult
    public func write(to directory: URL, progress: (@Sendable (Int) -> Void)? = nil) throws -> GenerationSummary {
        try configuration.validate()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GeneratorError.cannotWrite(path: directory.path, reason: "the folder cannot be created (\(error))")
        }
        let style = configuration.style
        let portfolio = latentPortfolio
        let timeline = portfolio.timeline

        var sectors = try CSVFileWriter(
            directory: directory, name: "sectors.csv", style: style,
            header: ["sector_code", "label", "avg_days_beyond_terms", "avg_dso_days", "annual_failure_rate", "period", "source"])
        for sector in SectorTable.all {
            sectors.text(sector.code)
            sectors.text(sector.label)
            sectors.decimal(sector.daysBeyondTermsTenths, decimals: 1)
            sectors.integer(sector.dsoDays)
            sectors.decimal(sector.failuresPerTenThousand, decimals: 4)
            sectors.text(sector.period)
            sectors.text(sector.source)
            sectors.endRow()
        }
        try sectors.close()

        var customers = try CSVFileWriter(
            directory: directory, name: "customers.csv", style: style,
            header: [
                "customer_id", "name", "registration_id", "sector_code", "country", "terms_days", "group", "strategic", "contact_name",
                "contact_email", "contact_phone", "language", "postal_address", "sales_rep",
            ])
        var invoices = try CSVFileWriter(
            directory: directory, name: "invoices.csv", style: style,
            header: ["invoice_id", "customer_id", "issue_date", "due_date", "amount", "currency"])
        var payments = try CSVFileWriter(
            directory: directory, name: "payments.csv", style: style,
            header: ["payment_id", "invoice_id", "paid_on", "amount"])
        var disputes = try CSVFileWriter(
            directory: directory, name: "disputes.csv", style: style,
            header: ["invoice_id", "kind", "opened_on", "resolved_on"])
        var outcomes = try CSVFileWriter(
            directory: directory, name: "outcomes.csv", style: style,
            header: ["customer_id", "defaulted", "default_date"])

        var summary = GenerationSummary(
            customers: 0, invoices: 0, payments: 0, disputes: 0, sectors: SectorTable.all.count, defaults: 0)
        let idWidth = 7
        let customerPrefix = UInt8(ascii: "C")
        for company in portfolio {
            let number = company.index + 1
            let customer = company.customer
            customers.identifier(customerPrefix, number, width: idWidth)
            customers.text(customer.name)
            if let registration = customer.registrationId { customers.text(registration) } else { customers.empty() }
            customers.text(customer.sectorCode)
            customers.text(customer.country)
            customers.integer(customer.termsDays)
            if let group = customer.group { customers.text(group) } else { customers.empty() }
            if company.writesStrategicFlag { customers.integer(customer.strategic ? 1 : 0) } else { customers.empty() }
            let contact = BillingContact(index: company.index, companyName: customer.name, country: customer.country)
            customers.text(contact.name)
            if let email = contact.email { customers.text(email) } else { customers.empty() }
            customers.text(contact.phone)
            customers.empty()
            if let address = contact.postalAddress { customers.text(address) } else { customers.empty() }
            if let rep = contact.salesRep { customers.text(rep) } else { customers.empty() }
            customers.endRow()

            let ledger = CustomerLedger(
                company: company, timeline: timeline, seed: configuration.seed, invoiceVolume: configuration.invoiceVolume)
            for invoice in ledger.invoices {
                invoices.identifier(UInt8(ascii: "F"), number, width: idWidth, invoice.ordinal)
                invoices.identifier(customerPrefix, number, width: idWidth)
                invoices.day(invoice.issue)
                invoices.day(invoice.due)
                invoices.amount(cents: invoice.cents)
                invoices.text("EUR")
                invoices.endRow()
            }
            for payment in ledger.payments {
                payments.identifier(UInt8(ascii: "P"), number, width: idWidth, payment.invoiceOrdinal, payment.part)
                payments.identifier(UInt8(ascii: "F"), number, width: idWidth, payment.invoiceOrdinal)
                payments.day(payment.day)
                payments.amount(cents: payment.cents)
                payments.endRow()
            }
            for dispute in ledger.disputes {
                disputes.identifier(UInt8(ascii: "F"), number, width: idWidth, dispute.invoiceOrdinal)
                disputes.text(dispute.kind.rawValue)
                disputes.day(dispute.opened)
                if let resolved = dispute.resolved { disputes.day(resolved) } else { disputes.empty() }
                disputes.endRow()
            }
            outcomes.identifier(customerPrefix, number, width: idWidth)
            outcomes.integer(company.defaultDay == nil ? 0 : 1)
            if let day = company.defaultDay { outcomes.day(day) } else { outcomes.empty() }
            outcomes.endRow()

            summary.customers += 1
            summary.invoices += ledger.invoices.count
            summary.payments += ledger.payments.count
            summary.disputes += ledger.disputes.count
            if company.defaultDay != nil { summary.defaults += 1 }

            try customers.flushIfFull()
            try invoices.flushIfFull()
            try payments.flushIfFull()
            try disputes.flushIfFull()
            try outcomes.flushIfFull()
            if summary.customers % Self.progressInterval == 0 { progress?(summary.customers) }
        }
        try customers.close()
        try invoices.close()
        try payments.close()
        try disputes.close()
        try outcomes.close()
        if summary.customers % Self.progressInterval != 0 || summary.customers == 0 { progress?(summary.customers) }
        return summary
    }
}
