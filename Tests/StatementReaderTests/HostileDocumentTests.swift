import Foundation
import StatementReader
import Testing

@Suite("hostile and broken documents")
struct HostileDocumentTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var kind: StatementError.Kind
        var line: Int?
        var element: String?
        var mentions: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "xxe-local-file.xml", kind: .documentTypeRefused, line: 2, element: "DOCTYPE", mentions: "DTD"),
        Case(file: "billion-laughs.xml", kind: .documentTypeRefused, line: 2, element: "DOCTYPE", mentions: "entity"),
        Case(file: "external-dtd.xml", kind: .documentTypeRefused, line: 2, element: "DOCTYPE", mentions: "remove the DOCTYPE"),
        Case(file: "undeclared-entity.xml", kind: .malformedXML, line: 3, element: nil, mentions: "siren"),
        Case(file: "not-xml.xml", kind: .notXML, line: 1, element: nil, mentions: "not an XML document"),
        Case(file: "unclosed-element.xml", kind: .malformedXML, line: 5, element: nil, mentions: "identite"),
        Case(
            file: "wrong-namespace.xml", kind: .unknownFormat, line: 2, element: "{urn:example:not-inpi}bilans",
            mentions: "urn:example:not-inpi"),
        Case(file: "non-numeric-amount.xml", kind: .invalidValue, line: 31, element: "liasse BX", mentions: "\"24O000\""),
        Case(
            file: "missing-period.xml", kind: .missingPeriod, line: 7, element: "date_cloture_exercice",
            mentions: "00000000"),
        Case(file: "insurance-accounts.xml", kind: .unsupportedAccounts, line: 17, element: "code_type_bilan", mentions: "\"A\""),
        Case(file: "conflicting-liasse.xml", kind: .conflictingFacts, line: 68, element: "liasse DL", mentions: "line 44"),
        Case(
            file: "conflicting-duplicates.xml", kind: .conflictingFacts, line: 62, element: "ns0:Revenues",
            mentions: "line 61"),
        Case(file: "mixed-currencies.xml", kind: .mixedCurrencies, line: nil, element: nil, mentions: "EUR"),
        Case(file: "non-numeric-fact.xml", kind: .invalidValue, line: 66, element: "ns0:OperatingIncomeLoss", mentions: "15,5 M"),
        Case(
            file: "period-end-without-context.xml", kind: .missingPeriod, line: 58, element: "d:DocumentPeriodEndDate",
            mentions: "2024-06-30"),
    ]

    @Test("each hostile document is refused with a clear error", arguments: cases)
    func refused(_ expected: Case) throws {
        let error = try #require(StatementFixtures.error(reading: "hostile/\(expected.file)"))
        #expect(error.kind == expected.kind, "\(error)")
        #expect(error.document == expected.file)
        if let line = expected.line { #expect(error.line == line, "\(error)") }
        if let element = expected.element { #expect(error.element == element, "\(error)") }
        #expect(error.description.contains(expected.mentions), "\(error)")
    }

    @Test("the external entity is never read: the error carries no file content")
    func noFileContentLeaks() throws {
        let error = try #require(StatementFixtures.error(reading: "hostile/xxe-local-file.xml"))
        #expect(!error.description.contains("root:"))
    }

    @Test("10 000 nested elements are refused as too deep, not parsed")
    func deepNesting() {
        let depth = 10_000
        let xml =
            "<?xml version=\"1.0\"?>\n<xbrl xmlns=\"http://www.xbrl.org/2003/instance\">"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</xbrl>"
        #expect {
            try StatementFixtures.reader().read(data: Data(xml.utf8), name: "deep.xml")
        } throws: { error in
            (error as? StatementError)?.kind == .tooDeep
        }
    }

    @Test("a document over the size limit is refused before parsing")
    func tooLarge() throws {
        let limit = 64 << 10
        let body = String(repeating: "<x/>", count: limit / 4 + 1)
        let data = Data("<xbrl xmlns=\"http://www.xbrl.org/2003/instance\">\(body)</xbrl>".utf8)
        do {
            _ = try StatementFixtures.reader(maximumBytes: limit).read(data: data, name: "huge.xml")
            Issue.record("a document over the limit was read")
        } catch {
            #expect(error.kind == .tooLarge)
            #expect(error.description.contains("\(limit) bytes"))
        }
    }

    @Test(
        "duplicates compared at any precision a file states, down to decimals=\"-9223372036854775808\" (an overflow trap)",
        arguments: ["-9223372036854775808", "-17", "-16", "9223372036854775807"])
    func extremeDecimals(_ decimals: String) throws {
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
            .replacingOccurrences(of: #"decimals="-?[0-9]+""#, with: "decimals=\"\(decimals)\"", options: .regularExpression)
        let read = { try StatementFixtures.reader().read(data: Data(text.utf8), name: "extreme-decimals.xml") }
        if decimals.hasPrefix("-") {
            // The fixture's duplicates, 125 000 400 and 125 000 000, agree when rounded this coarsely.
            #expect(try read().first?.amounts.revenue?.cents == dollars(125_000_400))
        } else {
            // Exact to the cent, they disagree: the document contradicts itself.
            #expect(throws: StatementError.self) { try read() }
        }
    }

    @Test(
        "an amount beyond what an amount can hold is refused as too large, a malformed one as not a number",
        arguments: [
            ("99999999999999999999", "is too large for an amount"), ("-999999999999999999", "is too large for an amount"),
            ("99999999999999999999x", "is not a number"),
        ])
    func outOfRangeAmount(_ value: String, _ message: String) throws {
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
            .replacingOccurrences(of: ">80000000<", with: ">\(value)<")
        let error = try #require(throws: StatementError.self) {
            try StatementFixtures.reader().read(data: Data(text.utf8), name: "large.xml")
        }
        #expect(error.kind == .invalidValue)
        #expect(error.description.contains("\"\(value)\" \(message)"), "\(error)")
    }

    @Test("a five-million-digit amount is named by its first digits: the error stays a line, not five megabytes")
    func hugeValueBoundedInTheError() throws {
        let digits = String(repeating: "1", count: 5_000_000)
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
            .replacingOccurrences(of: ">80000000<", with: ">\(digits)<")
        let error = try #require(throws: StatementError.self) {
            try StatementFixtures.reader().read(data: Data(text.utf8), name: "huge.xml")
        }
        #expect(error.description.utf8.count < 300, "\(error.description.prefix(300))")
        #expect(error.description.contains("is too large for an amount"))
    }

    @Test("a long message of accented letters keeps its head and tail once, without showing its middle twice")
    func boundedByCharacters() {
        let text = String(repeating: "é", count: 1_500) + "END"
        let message = StatementError(.invalidValue, document: "x.xml", message: text).message
        #expect(message == text, "1 503 characters are within the bound, whatever their bytes")
        let longer = String(repeating: "é", count: 3_000) + "END"
        let bounded = StatementError(.invalidValue, document: "x.xml", message: longer).message
        #expect(bounded.count < 2_000 && bounded.hasSuffix("END") && bounded.contains("characters left out"))
    }

    @Test("a control character in a name is said as such, with its column, not as libxml2's \"Unregistered error message\"")
    func controlCharacterNamed() throws {
        let cdata = "<?xml version=\"1.0\"?>\n<bilans><bilan><denomination><![CDATA[A\u{01}B]]></denomination></bilan></bilans>"
        let plain = "<?xml version=\"1.0\"?>\n<bilans>A\u{01}B</bilans>"
        for (name, text) in [("cdata.xml", cdata), ("plain.xml", plain)] {
            let error = try #require(throws: StatementError.self) {
                try StatementFixtures.reader().read(data: Data(text.utf8), name: name)
            }
            #expect(error.kind == .malformedXML && error.line == 2, "\(error)")
            #expect(!error.description.contains("Unregistered"), "\(error)")
            #expect(error.description.contains("(column "), "\(error)")
        }
    }

    @Test("an element with thousands of attributes is refused before libxml2 compares each with all the others")
    func crowdedElementRefused() throws {
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
        let crowded = (0..<50_000).map { " a\($0)=\"1\"" }.joined()
        // The fact's start tag is on the line its value ends.
        let line = text.components(separatedBy: ">80000000<")[0].filter { $0 == "\n" }.count + 1
        let edited = text.replacingOccurrences(of: ">80000000<", with: "\(crowded)>80000000<")
        let error = try #require(throws: StatementError.self) {
            try StatementFixtures.reader().read(data: Data(edited.utf8), name: "crowded.xml")
        }
        #expect(error.kind == .malformedXML && error.line == line, "\(error)")
        #expect(error.element?.hasSuffix("Revenues") == true, "\(error)")
        #expect(error.message.contains("more than 128 attributes"))
    }

    @Test("equals signs in comments, CDATA sections, instructions and attribute values are no attributes")
    func equalsSignsElsewhere() throws {
        let many = String(repeating: "a=1 ", count: 300)
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
            .replacingOccurrences(of: ">80000000<", with: " id=\"\(many)\">80000000<!-- \(many) --><?note \(many)?><")
        #expect(try StatementFixtures.reader().read(data: Data(text.utf8), name: "equals.xml").first?.amounts.revenue != nil)
    }

    @Test(
        "a currency that is no ISO 4217 code (lower case, empty, XXX, a long string) is refused, not stored as the statement's",
        arguments: ["usd", "", "XXX", "EURO", String(repeating: "A", count: 10_000)])
    func currencyCodesChecked(_ code: String) throws {
        let text = String(decoding: try StatementFixtures.data("xbrl/us-gaap-10k.xml"), as: UTF8.self)
            .replacingOccurrences(of: "<unit id=\"usd\"><measure>iso4217:USD</measure>", with: "<unit id=\"usd\"><measure>iso4217:\(code)</measure>")
        let error = try #require(throws: StatementError.self) {
            try StatementFixtures.reader().read(data: Data(text.utf8), name: "currency.xml")
        }
        #expect(error.message.contains("is not a currency"), "\(error)")
        #expect(error.description.utf8.count < 400)
    }

    @Test("empty and binary inputs are not XML")
    func notXML() {
        for (name, bytes) in [("empty.xml", [UInt8]()), ("binary.xml", [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x13])] {
            do {
                _ = try StatementFixtures.reader().read(data: Data(bytes), name: name)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.kind == .notXML || error.kind == .malformedXML, "\(error)")
            }
        }
    }

    @Test("many documents read at once on many threads give the same statements")
    func concurrentReads() async throws {
        let reader = StatementFixtures.reader()
        let files = ["inpi/complet-2023.xml", "inpi/simplifie-2022.xml", "xbrl/us-gaap-10k.xml", "xbrl/ifrs-esef.xml"]
        let inputs = try files.map { try StatementFixtures.data($0) }
        let expected = try inputs.map { try reader.read(data: $0, name: "x") }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<64 {
                let index = round % inputs.count
                let data = inputs[index]
                let want = expected[index]
                group.addTask {
                    let hostile = try StatementFixtures.data("hostile/billion-laughs.xml")
                    _ = try? reader.read(data: hostile, name: "bomb")
                    return try reader.read(data: data, name: "x") == want
                }
            }
            for try await same in group { #expect(same) }
        }
    }
}
