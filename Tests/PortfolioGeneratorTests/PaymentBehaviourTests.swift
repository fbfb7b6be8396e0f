import CreditCore
import Foundation
import PortfolioGenerator
import Testing

/// The ledger must tell the hidden story: weak customers pay later, failed ones stop paying.
@Suite("Payment behaviour follows hidden health")
struct PaymentBehaviourTests {
    struct Observed {
        var files: GeneratedFiles
        var portfolio: LatentPortfolio
        var configuration: GeneratorConfiguration
        /// Days beyond terms of fully paid invoices (last payment minus due date), per customer id.
        var delays: [String: [(due: Day, days: Int)]] = [:]
        /// Open invoice due dates per customer id.
        var openDue: [String: [Day]] = [:]
        /// Last payment day per customer id.
        var lastPayment: [String: Day] = [:]
        var lastIssue: [String: Day] = [:]
    }

    static func observe() throws -> Observed {
        let configuration = GeneratorConfiguration(customers: GeneratedFiles.sharedCustomers, seed: 42, style: .international)
        let files = try GeneratedFiles.shared(.international)
        var observed = Observed(files: files, portfolio: LatentPortfolio(configuration: configuration), configuration: configuration)
        var paid: [String: (cents: Int64, last: Day)] = [:]
        for row in files.payments {
            let day = files.day(row["paid_on"])!
            var entry = paid[row["invoice_id"]!, default: (0, day)]
            entry.cents += files.cents(row["amount"])!
            entry.last = max(entry.last, day)
            paid[row["invoice_id"]!] = entry
        }
        for row in files.invoices {
            let customer = row["customer_id"]!
            let amount = files.cents(row["amount"])!
            let due = files.day(row["due_date"])!
            let issue = files.day(row["issue_date"])!
            observed.lastIssue[customer] = max(observed.lastIssue[customer] ?? issue, issue)
            guard amount > 0 else { continue }
            if let payment = paid[row["invoice_id"]!], payment.cents == amount {
                observed.delays[customer, default: []].append((due, payment.last - due))
                observed.lastPayment[customer] = max(observed.lastPayment[customer] ?? payment.last, payment.last)
            } else {
                observed.openDue[customer, default: []].append(due)
                if let payment = paid[row["invoice_id"]!] {
                    observed.lastPayment[customer] = max(observed.lastPayment[customer] ?? payment.last, payment.last)
                }
            }
        }
        return observed
    }

    static func average(_ values: [Int]) -> Double {
        values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
    }

    @Test("deteriorating customers, once on the way down, pay later than steady ones")
    func deterioratingPayLater() throws {
        let observed = try Self.observe()
        var steady: [Int] = []
        var deteriorating: [Int] = []
        for company in observed.portfolio {
            let delays = observed.delays[company.customer.id] ?? []
            if company.isDeteriorating {
                let onset = company.deteriorationStart ?? observed.configuration.startDay
                deteriorating += delays.filter { $0.due >= onset }.map(\.days)
            } else {
                steady += delays.map(\.days)
            }
        }
        let steadyAverage = Self.average(steady)
        let deterioratingAverage = Self.average(deteriorating)
        #expect(steady.count > 1000 && deteriorating.count > 100)
        // Steady customers run near the sector averages (8 to 27 days, the French average about 13),
        // early payers counting negative; deteriorating ones must be clearly later.
        #expect(steadyAverage > 2 && steadyAverage < 16, "steady customers average \(steadyAverage) days")
        #expect(deterioratingAverage > steadyAverage + 8, "deteriorating \(deterioratingAverage) vs steady \(steadyAverage)")
    }

    @Test("a deteriorating customer's delays grow over time")
    func delaysRiseWithDeterioration() throws {
        let observed = try Self.observe()
        var before: [Int] = []
        var after: [Int] = []
        for company in observed.portfolio where company.isDeteriorating {
            guard let onset = company.deteriorationStart else { continue }
            for delay in observed.delays[company.customer.id] ?? [] {
                if delay.due < onset { before.append(delay.days) } else if delay.due > onset + 180 { after.append(delay.days) }
            }
        }
        #expect(before.count > 30 && after.count > 30)
        #expect(Self.average(after) > Self.average(before) + 10, "after \(Self.average(after)) vs before \(Self.average(before))")
    }

    @Test("a failed customer stops paying and soon stops being invoiced; its items age past 90 days")
    func defaultersStopPaying() throws {
        let observed = try Self.observe()
        let end = observed.configuration.endDay
        var agedDefaulters = 0
        var defaulters = 0
        for company in observed.portfolio {
            guard let failed = company.defaultDay else { continue }
            defaulters += 1
            let id = company.customer.id
            if let last = observed.lastPayment[id] { #expect(last < failed, "\(id) paid on \(last.iso) after failing \(failed.iso)") }
            if let issued = observed.lastIssue[id] { #expect(issued <= failed + 31, "\(id) invoiced \(issued.iso) after failing \(failed.iso)") }
            if failed < end - 120, let oldest = observed.openDue[id]?.min(), end - oldest > 90 { agedDefaulters += 1 }
        }
        // 500 customers over two years at roughly 2-3 % a year: a few dozen failures.
        #expect(defaulters >= 8 && defaulters <= 70, "\(defaulters) defaults among 500 customers")
        #expect(agedDefaulters > 0)
    }

    @Test("yearly default rate is in the 1.5-4 % range and higher in risky sectors")
    func defaultRates() {
        // Latent state only, no files: 20,000 customers are cheap to draw.
        let portfolio = LatentPortfolio(configuration: GeneratorConfiguration(customers: 20_000, seed: 5))
        var risky = (companies: 0, defaults: 0)
        var safe = (companies: 0, defaults: 0)
        var defaults = 0
        var deteriorating = 0
        for company in portfolio {
            if company.hasDefaulted { defaults += 1 }
            if company.isDeteriorating { deteriorating += 1 }
            if company.sector.annualFailureRate >= 0.025 {
                risky.companies += 1
                if company.hasDefaulted { risky.defaults += 1 }
            } else if company.sector.annualFailureRate <= 0.015 {
                safe.companies += 1
                if company.hasDefaulted { safe.defaults += 1 }
            }
        }
        // Over 24 months, a yearly rate r gives about 2r of customers defaulting.
        let yearly = Double(defaults) / 20_000 / 2
        #expect(yearly > 0.015 && yearly < 0.04, "yearly default rate \(yearly)")
        let share = Double(deteriorating) / 20_000
        #expect(share > 0.08 && share < 0.18, "deteriorating share \(share)")
        let riskyRate = Double(risky.defaults) / Double(risky.companies)
        let safeRate = Double(safe.defaults) / Double(safe.companies)
        #expect(riskyRate > safeRate * 1.5, "risky sectors \(riskyRate) vs safe sectors \(safeRate)")
    }

    @Test("hidden health is a monthly path from a year before the history, below zero once failed")
    func healthPath() {
        let configuration = GeneratorConfiguration(customers: 300, seed: 9)
        let portfolio = LatentPortfolio(configuration: configuration)
        for company in portfolio {
            // 12 months before the history + 24 months of history.
            #expect(company.health.monthly.count == 36)
            #expect(company.health.firstMonth == Day(year: 2023, month: 11, day: 1))
            if let failed = company.defaultDay {
                #expect(company.health.value(on: failed) <= HealthPath.defaultThreshold)
                #expect(failed >= company.customerSince)
            } else {
                var day = company.customerSince
                while day <= configuration.endDay {
                    #expect(company.health.value(on: day) > HealthPath.defaultThreshold)
                    day = day + 28
                }
            }
        }
    }
}
