import CreditCore

/// The public face of a generated customer: name, country, company number, group and flag.
///
/// Names are plausible, not real: French surnames, trades and regions with the usual legal forms
/// (SAS, SARL, SA, EURL, SASU), and foreign customers with theirs (GmbH, Ltd, BV, ...). A few
/// names carry a comma or double quotes, as real ledgers do, so CSV quoting gets exercised.
struct CompanyIdentity: Sendable {
    var name: String
    var country: String
    var registrationId: String?
    var group: String?
    var strategic: Bool
    var writesStrategicFlag: Bool

    static func draw(
        index: Int, sector: SectorProfile, size: CompanySize, customers: Int, seed: UInt64,
        random: inout RandomSource
    ) -> CompanyIdentity {
        let country = random.chance(0.86) ? "FR" : foreignCountries[random.int(0...(foreignCountries.count - 1))]
        let name = country == "FR" ? frenchName(sector: sector, random: &random) : foreignName(country: country, random: &random)

        let registration: String?
        if country == "FR" {
            registration = siren(random: &random)
        } else if random.chance(0.5) {
            registration = vatNumber(country: country, random: &random)
        } else {
            registration = nil
        }

        // Group accounts: a few customers share a parent; group names come from a stream of their own
        // so that every member of a group spells it the same way.
        var group: String?
        if random.chance(size == .large ? 0.3 : 0.06) {
            let groups = max(3, customers / 40)
            let groupIndex = random.int(0...(groups - 1))
            var groupRandom = RandomSource(seed: seed, index: groupIndex, stream: 7)
            group =
                "Groupe " + surnames[groupRandom.int(0...(surnames.count - 1))]
                + (groupRandom.chance(0.4) ? " " + regions[groupRandom.int(0...(regions.count - 1))] : "")
        }

        let strategic = random.chance(size == .large ? 0.25 : 0.02)
        let writesFlag = strategic || random.chance(0.6)
        return CompanyIdentity(
            name: name, country: country, registrationId: registration, group: group, strategic: strategic,
            writesStrategicFlag: writesFlag)
    }

    /// A 9-digit SIREN whose last digit is the Luhn check digit, as INSEE assigns them.
    static func siren(random: inout RandomSource) -> String {
        var digits = [random.int(3...9)]
        for _ in 0..<7 { digits.append(random.int(0...9)) }
        digits.append(luhnCheckDigit(digits))
        return String(decoding: digits.map { UInt8(48 + $0) }, as: UTF8.self)
    }

    /// The digit that makes `digits` + digit a valid SIREN: the one the core's check accepts,
    /// so generated numbers and the validation can never disagree.
    static func luhnCheckDigit(_ digits: [Int]) -> Int {
        let prefix = digits.map(String.init).joined()
        return (0...9).first { RegistrationNumber.isValidSIREN(prefix + String($0)) } ?? 0
    }

    private static func vatNumber(country: String, random: inout RandomSource) -> String {
        let length = country == "IT" ? 11 : 9
        var text = country == "GB" ? "GB" : country
        if country == "BE" { text += "0" }
        for _ in 0..<length { text += String(random.int(0...9)) }
        if country == "NL" { text += "B01" }
        return text
    }

    private static func frenchName(sector: SectorProfile, random: inout RandomSource) -> String {
        let trade = trades[sector.code] ?? ["Société"]
        let activity = trade[random.int(0...(trade.count - 1))]
        let surname = surnames[random.int(0...(surnames.count - 1))]
        let form = frenchForms[random.pick(weights: frenchFormWeights)]
        let base: String
        switch random.pick(weights: [34, 16, 20, 20, 7, 2, 1]) {
        case 0: base = activity + " " + surname
        case 1: base = surname + (random.chance(0.5) ? " & Fils" : " et Fils")
        case 2: base = activity + " " + (random.chance(0.5) ? "de " : "du ") + regions[random.int(0...(regions.count - 1))]
        case 3: base = brand(random: &random)
        case 4: base = surname + " " + surnames[random.int(0...(surnames.count - 1))]
        case 5: base = surname + ", " + surnames[random.int(0...(surnames.count - 1))] + " et Associés"
        default:
            // Restaurants, bars and hotels trade under a sign: `Brasserie "Le Relais"`.
            let trading = sector.code.hasPrefix("55") || sector.code.hasPrefix("56")
            base =
                trading
                ? activity + " \"" + nicknames[random.int(0...(nicknames.count - 1))] + "\""
                : activity + " " + surname
        }
        return base + " " + form
    }

    private static func foreignName(country: String, random: inout RandomSource) -> String {
        let brandName = brand(random: &random)
        switch country {
        case "DE":
            let family = germanSurnames[random.int(0...(germanSurnames.count - 1))]
            let trade = ["Maschinenbau", "Logistik", "Handel", "Bau", "Technik", "Elektro"][random.int(0...5)]
            return (random.chance(0.6) ? family + " " + trade : brandName) + (random.chance(0.85) ? " GmbH" : " AG")
        case "GB":
            let family = englishSurnames[random.int(0...(englishSurnames.count - 1))]
            let trade = ["Trading", "Engineering", "Logistics", "Supplies", "Foods"][random.int(0...4)]
            return (random.chance(0.6) ? family + " " + trade : brandName) + (random.chance(0.8) ? " Ltd" : " PLC")
        case "NL":
            let family = dutchSurnames[random.int(0...(dutchSurnames.count - 1))]
            return (random.chance(0.6) ? family + " " + ["Logistiek", "Handel", "Bouw", "Techniek"][random.int(0...3)] : brandName) + " BV"
        case "BE":
            return surnames[random.int(0...(surnames.count - 1))] + " " + ["Construct", "Distribution", "Services"][random.int(0...2)]
                + (random.chance(0.6) ? " SRL" : " SA")
        case "ES": return brandName + " S.L."
        case "IT": return brandName + " S.r.l."
        case "CH": return brandName + " AG"
        default: return brandName + " S.à r.l."
        }
    }

    private static func brand(random: inout RandomSource) -> String {
        brandRoots[random.int(0...(brandRoots.count - 1))] + brandEndings[random.int(0...(brandEndings.count - 1))]
    }

    static let foreignCountries = ["DE", "DE", "BE", "BE", "NL", "GB", "ES", "IT", "CH", "LU"]
    static let frenchForms = ["SAS", "SARL", "SA", "EURL", "SASU"]
    static let frenchFormWeights: [Double] = [40, 33, 8, 11, 8]
    static let surnames = [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
        "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
        "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Masson", "Marchand",
        "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
        "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Caron", "Picard",
    ]
    static let regions = [
        "Provence", "Loire", "Bretagne", "Alsace", "Normandie", "Rhône", "Garonne", "Vendée", "Savoie", "Anjou",
        "Bourgogne", "Picardie", "Lorraine", "Champagne", "Auvergne", "Littoral", "Val de Seine", "Flandres",
        "Quercy", "Périgord", "Berry", "Limousin",
    ]
    static let nicknames = ["Le Petit Zinc", "La Bonne Fourchette", "Chez Jules", "L'Étoile", "Le Relais", "Les Tilleuls"]
    static let brandRoots = [
        "Nova", "Alti", "Axi", "Vela", "Cime", "Arc", "Opti", "Lumi", "Terra", "Aqua", "Sol", "Vita", "Ergo", "Hexa", "Orion", "Cap",
    ]
    static let brandEndings = ["tec", "lis", "via", "mat", "ance", "ys", "ea", "or", "line", "pro", "nord", "sud"]
    static let germanSurnames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer"]
    static let englishSurnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans", "Walker"]
    static let dutchSurnames = ["De Jong", "Jansen", "De Vries", "Van den Berg", "Bakker", "Visser", "Smit", "Meijer"]
    static let trades: [String: [String]] = [
        "41.20A": ["Maisons", "Construction", "Bâtir", "Habitat"],
        "43.99C": ["Maçonnerie", "Bâtiment", "Gros Œuvre", "BTP"],
        "43.21A": ["Électricité", "Élec", "Installations Électriques"],
        "43.22A": ["Plomberie", "Chauffage", "Sanitaire Chauffage"],
        "47.11F": ["Hyper", "Distribution", "Centre Commercial"],
        "47.71Z": ["Mode", "Boutique", "Prêt-à-Porter"],
        "46.69B": ["Fournitures Industrielles", "Équipements", "Distribution Technique"],
        "56.10A": ["Restaurant", "Brasserie", "Bistrot", "Auberge"],
        "56.30Z": ["Bar", "Café", "Brasserie"],
        "55.10Z": ["Hôtel", "Hôtellerie", "Résidence"],
        "10.71C": ["Boulangerie", "Pâtisserie", "Fournil"],
        "25.62B": ["Mécanique", "Usinage", "Précision"],
        "28.29B": ["Machines", "Industries", "Équipements"],
        "49.41A": ["Transports", "Logistique", "Fret"],
        "62.01Z": ["Informatique", "Logiciels", "Digital"],
        "70.22Z": ["Conseil", "Stratégie", "Gestion"],
        "68.31Z": ["Immobilier", "Agence", "Transactions"],
        "41.10A": ["Promotion", "Immobilière", "Résidences"],
        "96.02A": ["Coiffure", "Salon", "Studio Coiffure"],
        "45.20A": ["Garage", "Auto", "Carrosserie"],
        "86.23Z": ["Cabinet Dentaire", "Centre Dentaire"],
        "01.11Z": ["Céréales", "Exploitation Agricole", "Domaine"],
    ]
}
