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

    @Test("a reader whose mappings are replaced reads with the new ones, not with what it prepared from the old")
    func replacedMappingsAreUsed() throws {
        var reader = StatementFixtures.reader()
        let document = try StatementFixtures.data("inpi/complet-2023.xml")
        #expect(try reader.read(data: document, name: "complet-2023.xml").first?.amounts.revenue?.cents == euros(1_200_000))  // FJ m3
        var inpi = try #require(reader.mappings.bilansSaisis)
        inpi.regimes[0].fields["revenue"] = MappingFormula(alternatives: [[MappingTerm("FA")]])
        inpi.regimes[0].lines["FA"] = .init(form: "2052", label: "Ventes de marchandises", year: "m3", previousYear: "m4")
        reader.mappings.bilansSaisis = inpi
        #expect(try reader.read(data: document, name: "complet-2023.xml").first?.amounts.revenue?.cents == euros(350_000))  // FA m3
    }

    @Test("the zero rule is data: without its income-statement section a holding company's turnover is unknown again")
    func zeroRuleIsData() throws {
        let holding = "inpi/PUB_CA_415127778_5402_1998B00026_2017_2543.donnees.xml"
        #expect(try StatementFixtures.readReal(holding).first?.amounts.revenue == .zero)
        var mappings = StatementFixtures.mappings
        var inpi = try #require(mappings.bilansSaisis)
        inpi.regimes[0].sections.removeAll { $0.fields.contains("revenue") }
        mappings.bilansSaisis = inpi
        let statement = try #require(try StatementFixtures.readReal(holding, with: StatementReader(mappings: mappings)).first)
        #expect(statement.amounts.revenue == nil)
    }

    @Test("the tolerance is data: at 0 % and 0 units a euro of rounding refuses the document")
    func toleranceIsData() throws {
        var mappings = StatementFixtures.mappings
        var inpi = try #require(mappings.bilansSaisis)
        inpi.tolerance = TotalsTolerance(relative: 0, absoluteUnits: 0)
        mappings.bilansSaisis = inpi
        // SETP 2018: CO m3 15 326 018; its passif adds up to within a few euros.
        let edited = String(decoding: try StatementFixtures.data("inpi/real-PUB_CA_036380061_2018.donnees.xml"), as: UTF8.self)
            .replacingOccurrences(of: #"code="EE" m1="000000015326018""#, with: #"code="EE" m1="000000015326019""#)
        #expect(throws: StatementError.self) {
            try StatementReader(mappings: mappings).read(data: Data(edited.utf8), name: "setp.xml")
        }
        #expect(throws: Never.self) { try StatementFixtures.reader().read(data: Data(edited.utf8), name: "setp.xml") }
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
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"FJ": {"form": "2052", "label": "CA", "year": "m3"}}, "fields": {"revenue": ["FJ"]}, "sections": [{"name": "cr", "filedWhenAnyOf": ["FJ"], "fields": ["turnover"]}]}]}"#,
            element: "regimes[0].sections[0].fields"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"FJ": {"form": "2052", "label": "CA", "year": "m3"}}, "fields": {"revenue": ["FJ"]}, "sections": [{"name": "cr", "filedWhenAnyOf": ["GG"], "fields": ["revenue"]}]}]}"#,
            element: "regimes[0].sections[0].filedWhenAnyOf"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"FJ": {"form": "2052", "label": "CA", "year": "m3"}}, "fields": {"revenue": ["FJ"]}, "sections": [{"name": "a", "filedWhenAnyOf": ["FJ"], "fields": ["revenue"]}, {"name": "b", "filedWhenAnyOf": ["FJ"], "fields": ["revenue"]}]}]}"#,
            element: "regimes[0].sections[1].fields"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"CO": {"form": "2050", "label": "Total", "year": "m3"}}, "fields": {}, "checks": [{"name": "actif = passif", "total": ["CO"], "parts": ["EE"]}]}]}"#,
            element: "regimes[0].checks[0].parts"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "regimes": [{"name": "c", "accountTypes": ["C"], "consolidated": false, "lines": {"VG.m2": {"code": "", "form": "2057", "label": "VG", "year": "m2"}}, "fields": {}}]}"#,
            element: "regimes[0].lines.VG.m2.code"),
        BrokenMapping(
            json:
                #"{"format": "inpi-bilans-saisis", "version": "1", "namespace": "x", "tolerance": {"relative": 5, "absoluteUnits": 5}, "regimes": []}"#,
            element: "tolerance"),
        BrokenMapping(
            json:
                #"{"format": "xbrl", "version": "1", "consolidated": true, "taxonomies": {"us-gaap": ["http://fasb.org/us-gaap/*"]}, "documentPeriodEndDate": [], "companyName": [], "fields": {}, "checks": [{"name": "balance", "total": ["us-gaap:Assets"], "parts": ["us-gaap:LiabilitiesAndStockholdersEquity"]}]}"#,
            element: "checks[0].period"),
        BrokenMapping(
            json:
                #"{"format": "xbrl", "version": "1", "consolidated": true, "taxonomies": {"us-gaap": ["http://fasb.org/us-gaap/*"]}, "documentPeriodEndDate": [], "companyName": [], "fields": {}, "checks": [{"name": "balance", "period": "instant", "total": ["us-gaap:Assets"], "parts": ["gaap:Liabilities"]}]}"#,
            element: "checks[0].parts"),
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
