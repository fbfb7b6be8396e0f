/// A generated customer's billing contact (who reminders go to) and the sales rep who holds the
/// account (one of six, every seventh account with none).
///
/// Derived from the customer's position and name, never drawn from the random streams, so adding
/// contacts changed nothing else in a generated portfolio. Like real ledgers, a few customers lack
/// an e-mail address (about 1 in 17) or a postal address (about 1 in 29): a reminder run reports
/// them as problems. The language column is left empty: documents follow the country.
struct BillingContact: Sendable {
    var name: String
    var email: String?
    var phone: String
    var postalAddress: String?
    var salesRep: String?

    init(index: Int, companyName: String, country: String) {
        let first = Self.firstNames[index % Self.firstNames.count]
        let last = Self.lastNames[(index / Self.firstNames.count) % Self.lastNames.count]
        name = "\(first) \(last)"
        let domain = Self.domain(of: companyName, index: index)
        email = index % 17 == 5 ? nil : (country == "FR" ? "comptabilite@" : "accounts@") + domain
        phone = country == "FR" ? "+33 1 99 \(Self.pairs(index))" : "+44 20 7946 \(Self.digits(index % 10_000, width: 4))"
        salesRep = index % 7 == 6 ? nil : Self.salesReps[index % 7]
        let number = index % 120 + 1
        let city = Self.cities[index % Self.cities.count]
        postalAddress =
            index % 29 == 7
            ? nil
            : country == "FR"
                ? "\(number) rue de l'Exemple | \(city.postcode) \(city.name) | France"
                : "\(number) Example Street | \(city.name) | \(country)"
    }

    /// The company name as a domain: ASCII letters and digits, hyphens between words, `.example`
    /// (reserved: a generated address never reaches anyone); the position keeps it unique.
    static func domain(of name: String, index: Int) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.last == "-" { slug.removeLast() }
        return "\(slug.isEmpty ? "client" : slug)-\(index).example"
    }

    static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func pairs(_ index: Int) -> String {
        let value = index % 1_000_000
        return [value / 10_000, value / 100 % 100, value % 100].map { digits($0, width: 2) }.joined(separator: " ")
    }

    static let firstNames = ["Marie", "Jean", "Sophie", "Pierre", "Claire", "Nicolas", "Julie", "Thomas", "Camille", "Antoine", "Laura", "Hugo"]
    static let lastNames = [
        "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia", "Roux", "Fournier",
    ]
    static let salesReps = ["marie", "julien", "sophie", "karim", "lea", "thomas"]
    static let cities: [(postcode: String, name: String)] = [
        ("75011", "Paris"), ("69003", "Lyon"), ("13002", "Marseille"), ("31000", "Toulouse"), ("44000", "Nantes"),
        ("67000", "Strasbourg"), ("33000", "Bordeaux"), ("59000", "Lille"), ("35000", "Rennes"), ("06000", "Nice"),
    ]
}
