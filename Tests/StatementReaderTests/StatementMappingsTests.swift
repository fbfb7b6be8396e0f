import Foundation
import StatementReader
import Testing

@Suite("statement mappings as data")
struct StatementMappingsTests {
    @Test("the shipped mapping folder loads both formats")
    func shippedMappings() throws {
        let mappings = try StatementMappings.load(directory: StatementFixtures.mappingFolder)
        #expect(mappings.xbrl != nil)
        #expect(mappings.bilansSaisis?.regimes.count == 3)
    }

    @Test("changing a code in the data changes what is read, with no code change")
    func mappingIsData() throws {
        var mappings = StatementFixtures.mappings
        var inpi = try #require(mappings.bilansSaisis)
        // Read revenue from "Ventes de marchandises" (FA) instead of the net turnover total (FJ).
        inpi.regimes[0].fields["revenue"] = MappingFormula(alternatives: [[MappingTerm("FA")]])
        inpi.regimes[0].lines["FA"] = .init(form: "2052", label: "Ventes de marchandises", year: "m3", previousYear: "m4")
        mappings.bilansSaisis = inpi
        let statement = try #require(
            try StatementReader(mappings: mappings).read(
                data: StatementFixtures.data("inpi/complet-2023.xml"), name: "complet-2023.xml"
            ).first)
        #expect(statement.amounts.revenue?.cents == euros(350_000))  // FA m3
    }

    struct BrokenMapping: Sendable, CustomTestStringConvertible {
        var json: String
        var element: String
        var testDescription: String { element }
    }

    static let broken: [BrokenMapping] = [
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {}, "fields": {"revenue": ["FJ"]}}]}"#,
            element: "regimes[0].fields.revenue"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {}, "fields": {"turnover": []}}]}"#,
            element: "regimes[0].fields.turnover"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"FJ": {"form": "2052", "label": "CA", "year": "m5"}}, "fields": {}}]}"#,
            element: "regimes[0].lines.FJ"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "consolidated": false, "lines": {}, "fields": {}}]}"#,
            element: "regimes[0].accountTypes"),
        BrokenMapping(
            json:
                #"{"format": "xbrl", "version": "1", "consolidated": true, "taxonomies": {"us-gaap": ["http://fasb.org/us-gaap/*"]}, "documentPeriodEndDate": [], "companyName": [], "fields": {"revenue": {"period": "duration", "concepts": ["gaap:Revenues"]}}}"#,
            element: "fields.revenue.concepts"),
        BrokenMapping(
            json:
                #"{"format": "xbrl", "version": "1", "consolidated": true, "taxonomies": {}, "documentPeriodEndDate": [], "companyName": [], "fields": {"revenue": {"period": "yearly", "concepts": []}}}"#,
            element: "fields.revenue.period"),
        BrokenMapping(json: #"{"format": "csv"}"#, element: "format"),
    ]

    @Test("a malformed mapping names the file and the field", arguments: broken)
    func malformed(_ mapping: BrokenMapping) {
        var mappings = StatementMappings()
        do {
            try mappings.add(data: Data(mapping.json.utf8), name: "broken.json")
            Issue.record("accepted a broken mapping")
        } catch {
            #expect(error.kind == .invalidMapping)
            #expect(error.document == "broken.json")
            #expect(error.element == mapping.element, "\(error)")
        }
    }
}
