import CreditCore
import Foundation
import Testing

@testable import PortfolioGenerator

@Suite("Field formatting")
struct FormattingTests {
    /// Writes one row with the internal writer and returns the data line.
    func line(_ style: CSVStyle, _ fill: (inout CSVFileWriter) -> Void) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var writer = try CSVFileWriter(directory: directory, name: "t.csv", style: style, header: ["h"])
        fill(&writer)
        writer.endRow()
        try writer.close()
        let text = try String(contentsOf: directory.appendingPathComponent("t.csv"), encoding: .utf8)
        return String(text.split(separator: "\n")[1])
    }

    @Test("French amounts group thousands with a space and use a decimal comma")
    func frenchAmounts() throws {
        // 123456 cents = 1234 euros 56 cents; 100000000 cents = one million euros.
        #expect(try line(.french) { $0.amount(cents: 123_456) } == "1 234,56")
        #expect(try line(.french) { $0.amount(cents: -100_000_000) } == "-1 000 000,00")
        #expect(try line(.french) { $0.amount(cents: 5) } == "0,05")
        #expect(try line(.french) { $0.amount(cents: 99_900) } == "999,00")
    }

    @Test("international amounts have a point and no grouping")
    func internationalAmounts() throws {
        #expect(try line(.international) { $0.amount(cents: 123_456) } == "1234.56")
        #expect(try line(.international) { $0.amount(cents: -100_000_000) } == "-1000000.00")
    }

    @Test("dates: DD/MM/YYYY in French files, ISO otherwise")
    func dates() throws {
        let day = try #require(Day(year: 2026, month: 3, day: 5))
        #expect(try line(.french) { $0.day(day) } == "05/03/2026")
        #expect(try line(.international) { $0.day(day) } == "2026-03-05")
    }

    @Test("sector decimals use the style's mark: 12.9 days and a 1.25 % rate")
    func decimals() throws {
        #expect(
            try line(.french) {
                $0.decimal(129, decimals: 1)
                $0.decimal(125, decimals: 4)
            } == "12,9;0,0125")
        #expect(
            try line(.international) {
                $0.decimal(129, decimals: 1)
                $0.decimal(125, decimals: 4)
            } == "12.9,0.0125")
    }

    @Test("a field is quoted only when it holds the delimiter or a quote")
    func quoting() throws {
        #expect(try line(.french) { $0.text("Martin, Roux et Associés SAS") } == "Martin, Roux et Associés SAS")
        #expect(try line(.international) { $0.text("Martin, Roux et Associés SAS") } == "\"Martin, Roux et Associés SAS\"")
        #expect(try line(.french) { $0.text("Dupont; Fils") } == "\"Dupont; Fils\"")
        #expect(try line(.french) { $0.text("Bar \"Le Relais\" SAS") } == "\"Bar \"\"Le Relais\"\" SAS\"")
    }

    @Test("ids are zero-padded and joined by dashes")
    func identifiers() throws {
        #expect(try line(.french) { $0.identifier(UInt8(ascii: "P"), 42, width: 7, 7, 2) } == "P0000042-007-2")
    }

    @Test(
        "SIREN check digit follows Luhn",
        arguments: [
            // 7 3 2 8 2 9 3 2 | ?: from the right, doubling the digits in even places once the check digit is
            // appended: 2*2=4, 3, 9*2=18->9, 2, 8*2=16->7, 2, 3*2=6, 7 -> 40, so the check digit is 0.
            ([7, 3, 2, 8, 2, 9, 3, 2], 0),
            // 5 5 2 1 0 0 5 5: 5*2=10->1, 5, 0, 0, 1*2=2, 2, 5*2=10->1, 5 -> 16, so the check digit is 4 (552100554).
            ([5, 5, 2, 1, 0, 0, 5, 5], 4),
        ])
    func luhn(digits: [Int], check: Int) {
        #expect(CompanyIdentity.luhnCheckDigit(digits) == check)
    }

    @Test("deterministic exp agrees with known values")
    func exp() {
        #expect(abs(DeterministicMath.exp(0) - 1) < 1e-15)
        #expect(abs(DeterministicMath.exp(1) - 2.718_281_828_459_045) < 1e-14)
        #expect(abs(DeterministicMath.exp(-2.5) - 0.082_084_998_623_898_8) < 1e-15)
    }
}
