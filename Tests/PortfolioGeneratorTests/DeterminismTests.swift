import CreditCore
import Foundation
import PortfolioGenerator
import Testing

@Suite("Generation is reproducible")
struct DeterminismTests {
    static func bytes(_ configuration: GeneratorConfiguration) throws -> [String: Data] {
        let (files, _) = try GeneratedFiles.generate(configuration)
        defer { files.remove() }
        var contents: [String: Data] = [:]
        for name in PortfolioGenerator.fileNames {
            contents[name] = try Data(contentsOf: files.directory.appendingPathComponent(name))
        }
        return contents
    }

    @Test("the same seed writes byte-identical files", arguments: CSVStyle.allCases)
    func sameSeedSameBytes(style: CSVStyle) throws {
        let configuration = GeneratorConfiguration(customers: 150, seed: 7, style: style)
        let first = try Self.bytes(configuration)
        let second = try Self.bytes(configuration)
        #expect(first.count == 6)
        for name in PortfolioGenerator.fileNames {
            #expect(first[name] == second[name], "\(name) differs between two runs")
        }
    }

    @Test("another seed writes another portfolio")
    func otherSeedOtherBytes() throws {
        let first = try Self.bytes(GeneratorConfiguration(customers: 150, seed: 7))
        let second = try Self.bytes(GeneratorConfiguration(customers: 150, seed: 8))
        for name in ["customers.csv", "invoices.csv", "payments.csv"] {
            #expect(first[name] != second[name], "\(name) is the same for seeds 7 and 8")
        }
        // The sector table is data, not drawn: it is the same whatever the seed.
        #expect(first["sectors.csv"] == second["sectors.csv"])
    }

    @Test("a customer's hidden health does not depend on the size of the portfolio")
    func customersAreIndependent() {
        let small = LatentPortfolio(configuration: GeneratorConfiguration(customers: 20, seed: 3))
        let large = LatentPortfolio(configuration: GeneratorConfiguration(customers: 500, seed: 3))
        for index in [0, 7, 19] {
            #expect(small[index].health == large[index].health)
            #expect(small[index].defaultDay == large[index].defaultDay)
            #expect(small[index].customer.registrationId == large[index].customer.registrationId)
        }
    }

    @Test("the latent portfolio matches the files: outcomes are its default days")
    func latentMatchesFiles() throws {
        let configuration = GeneratorConfiguration(customers: 200, seed: 11, style: .international)
        let (files, summary) = try GeneratedFiles.generate(configuration)
        defer { files.remove() }
        let portfolio = PortfolioGenerator(configuration: configuration).latentPortfolio
        #expect(portfolio.count == 200)
        #expect(summary.defaults == portfolio.filter(\.hasDefaulted).count)
        for (company, outcome) in zip(portfolio, files.outcomes) {
            #expect(outcome["customer_id"] == company.customer.id)
            #expect(outcome["default_date"] == (company.defaultDay?.iso ?? ""))
        }
        for (company, row) in zip(portfolio, files.customers) {
            #expect(row["name"] == company.customer.name)
            #expect(row["sector_code"] == company.sector.code)
        }
    }
}
