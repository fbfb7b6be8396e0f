import CreditCore
import Foundation
import Testing

/// The customer list's search and order, as the credit team types and reads them.
@Suite("Customer directory")
struct CustomerDirectoryTests {
    static let day = Day(parsing: "2026-10-31")!

    static func customer(_ id: String, _ name: String, registration: String? = nil) -> Customer {
        Customer(id: id, name: name, registrationId: registration, sectorCode: "46.90Z", country: "FR", termsDays: 30)
    }

    @Test("a name's search key drops case and accents, and plain ASCII keys read the same as Foundation's folding")
    func searchKey() {
        #expect(CustomerDirectory.searchKey("Bâtiment Bernard SARL") == "batiment bernard sarl")
        #expect(CustomerDirectory.searchKey("ÉTS LÉGER & Fils") == "ets leger & fils")
        for name in ["Agence Dupont EURL", "O'Brien Trading Ltd", "ACME-42 (UK) PLC", "already lower", ""] {
            #expect(CustomerDirectory.searchKey(name) == name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
        }
    }

    @Test("a search finds an id or a registration number by its start, a name by any part, whatever the case and accents")
    func search() {
        let bernard = Self.customer("C0000045", "Bâtiment Bernard SARL", registration: "325 612 345")
        let key = CustomerDirectory.searchKey(bernard.name)
        #expect(CustomerDirectory.Search("c00000").matches(bernard, nameKey: key))
        #expect(!CustomerDirectory.Search("0000045").matches(bernard, nameKey: key), "an id matches by its start only")
        #expect(CustomerDirectory.Search("325612").matches(bernard, nameKey: key), "spaces in the registration number do not count")
        #expect(CustomerDirectory.Search("325 61").matches(bernard, nameKey: key))
        #expect(CustomerDirectory.Search("BATI").matches(bernard, nameKey: key))
        #expect(CustomerDirectory.Search("bernard s").matches(bernard, nameKey: key))
        #expect(CustomerDirectory.Search("bâtiment").matches(bernard, nameKey: key))
        #expect(!CustomerDirectory.Search("bernardo").matches(bernard, nameKey: key))
        #expect(!CustomerDirectory.Search("612").matches(bernard, nameKey: key), "a registration number matches by its start only")
        let accented = Self.customer("ÉT-1", "Société Générale d'Équipement")
        #expect(CustomerDirectory.Search("et-").matches(accented, nameKey: CustomerDirectory.searchKey(accented.name)))
        #expect(CustomerDirectory.Search("generale d'equip").matches(accented, nameKey: CustomerDirectory.searchKey(accented.name)))
    }

    @Test("the first pages are the start of the whole ordered list, ties broken by id, in both directions")
    func firstPagesAreTheStartOfTheOrder() throws {
        // 1 000 customers whose exposures repeat (ties) and some never assessed.
        let model = try GradeChangesTests.model()
        var generator = SplitMix(seed: 7)
        let listed = (0..<1_000).map { index -> CustomerDirectory.Listed in
            let customer = Self.customer(String(format: "C%07d", (index * 7_919) % 1_000), "Customer \(generator.next() % 50)")
            let grade = model.grades[Int(generator.next() % UInt64(model.grades.count))]
            let standing =
                index % 13 == 0
                ? nil
                : CustomerStanding(
                    asOf: Self.day, grade: grade.code, pd: Double(grade.rank) / 100, score: 500, suggestedLimit: Money(cents: 100_000),
                    exposure: Money(cents: Int64(generator.next() % 20) * 10_000), overdue: .zero)
            let entry = CustomerDirectory.entry(.init(customer: customer, standing: standing, override: nil), on: Self.day, model: model)
            return .init(entry, nameKey: CustomerDirectory.searchKey(customer.name))
        }
        for sort in [CustomerSort.id, .name, .risk, .exposure, .overdue, .headroom] {
            for descending in [false, true] {
                var whole: [String] = []
                var cursor: String?
                repeat {
                    let page = try CustomerDirectory.page(
                        listed, CustomerListQuery(sort: sort, descending: descending, limit: 1_000, cursor: cursor), asOf: Self.day)
                    whole += page.customers.map(\.customerId)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(whole.count == 1_000 && Set(whole).count == 1_000)
                var paged: [String] = []
                cursor = nil
                for _ in 0..<4 {
                    let page = try CustomerDirectory.page(
                        listed, CustomerListQuery(sort: sort, descending: descending, limit: 25, cursor: cursor), asOf: Self.day)
                    paged += page.customers.map(\.customerId)
                    cursor = page.nextCursor
                }
                #expect(paged == Array(whole.prefix(100)), "sort \(sort) descending \(descending)")
            }
        }
    }
}

/// A small deterministic generator for the tests' data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
