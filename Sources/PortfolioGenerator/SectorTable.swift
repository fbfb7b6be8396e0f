import CreditCore

/// A sector as the generator uses it: the published yardsticks written to sectors.csv, plus the
/// knobs that make its customers behave like the sector (risk, invoice size, usual terms).
///
/// Figures are kept as integers (tenths of a day, failures per ten thousand companies) so that
/// the CSV text is exact and identical on every platform.
public struct SectorProfile: Sendable, Hashable {
    /// NAF rev. 2 code with the dot, e.g. `47.11F`.
    public let code: String
    public let label: String
    /// Average days beyond terms, in tenths of a day (129 = 12.9 days).
    public let daysBeyondTermsTenths: Int
    /// Average DSO ("délais clients"), in days of turnover.
    public let dsoDays: Int
    /// Companies failing within a year, per ten thousand (125 = 1.25 %).
    public let failuresPerTenThousand: Int
    /// The period the figures describe.
    public let period: String
    /// Where each figure comes from; estimates say so.
    public let source: String
    /// Relative share of the generated portfolio.
    let portfolioWeight: Double
    /// Multiplier on the size-typical invoice amount (a hypermarket buys more than a hairdresser).
    let amountScale: Double
    /// Relative weights of 30, 45 and 60-day terms (LME caps agreed terms at 60 days).
    let termsWeights: [Double]

    public var averageDaysBeyondTerms: Double { Double(daysBeyondTermsTenths) / 10 }
    public var annualFailureRate: Double { Double(failuresPerTenThousand) / 10_000 }

    /// Risk of the sector relative to a 2 % yearly failure rate: scales the share of deteriorating
    /// customers and lowers starting health, so riskier sectors default more.
    var relativeRisk: Double { Double(failuresPerTenThousand) / 200 }

    /// The sector as the rest of the service knows it.
    public var sector: Sector {
        Sector(
            code: code, label: label, averageDaysBeyondTerms: averageDaysBeyondTerms,
            averageDSODays: Double(dsoDays), annualFailureRate: annualFailureRate, period: period, source: source)
    }
}

/// The sectors of the generated portfolio, with French published figures where they exist.
///
/// Sources (read in 2025, through the press articles quoting them where the reports are paywalled):
/// - Days beyond terms: Altares, "Comportements de paiement des entreprises en France et en Europe"
///   (S1 2024: France 12.9 days, bâtiment 9.3, commerce et réparation automobile 10.7, réparation 10.2,
///   coiffure et soins de beauté 21.2, promotion immobilière ~27, agences immobilières 22; gros œuvre up to
///   15 and second œuvre ~8 as quoted by Le Moniteur; T2 2023: restaurateurs 21; 2021: industrie 10.1,
///   hébergement-restauration 20.3 as quoted by HR-infos; 2016: maisons individuelles ~13 as quoted by Batiactu;
///   end of 2011: transport 15.5, European data, as quoted by Batiactu).
/// - DSO ("délais clients" in days of turnover): Observatoire des délais de paiement, annual reports
///   (all companies 44 days in 2017 and 2018, 42 in 2021; construction 63 days in 2014, report 2015;
///   hébergement-restauration 6.7 and commerce 29.6 days in 2010, report 2011; construction, business
///   support and information-communication above 60 days, report 2018). Other sectors are estimates.
/// - Failure rates: Banque de France publishes failure *counts* by sector (65,764 in 2024; about
///   12,000 a year each for construction and commerce in early 2024), not rates per company; the rates
///   here are estimates consistent with those counts and marked as such in `source`.
enum SectorTable {
    static let estimatedFailure = "failure rate estimated, not published (Banque de France publishes failure counts, not rates)"

    static let all: [SectorProfile] = [
        // Altares S1 2016 via Batiactu: "un peu plus de 13 jours" for individual houses; ODP 2015: construction DSO 63.
        profile(
            "41.20A", "Construction de maisons individuelles", 130, 63, 280, "2016",
            "DBT: Altares S1 2016 (via Batiactu) / DSO: ODP rapport 2015, construction 2014", 5, 1.6, [1, 2, 4]),
        // Le Moniteur on Altares 2024: gros œuvre delays up to 15 days.
        profile(
            "43.99C", "Travaux de maçonnerie générale et gros œuvre de bâtiment", 150, 63, 300, "2024",
            "DBT: Altares 2024, gros œuvre (via Le Moniteur) / DSO: ODP rapport 2015, construction 2014", 6, 1.4, [1, 2, 4]),
        // Le Moniteur on Altares 2024: second œuvre about 8 days.
        profile(
            "43.21A", "Travaux d'installation électrique dans tous locaux", 80, 63, 220, "2024",
            "DBT: Altares 2024, second œuvre (via Le Moniteur) / DSO: ODP rapport 2015, construction 2014", 6, 1.1, [1, 2, 3]),
        profile(
            "43.22A", "Travaux d'installation d'eau et de gaz en tous locaux", 93, 63, 220, "2024",
            "DBT: Altares S1 2024, bâtiment / DSO: ODP rapport 2015, construction 2014", 4, 1.0, [1, 2, 3]),
        profile(
            "47.11F", "Hypermarchés", 107, 30, 60, "2024",
            "DBT: Altares S1 2024, commerce / DSO: estimated from ODP rapport 2011, commerce 2010 (29.6)", 2, 4.0, [2, 3, 4]),
        profile(
            "47.71Z", "Commerce de détail d'habillement en magasin spécialisé", 107, 30, 300, "2024",
            "DBT: Altares S1 2024, commerce / DSO: estimated from ODP rapport 2011, commerce 2010 (29.6)", 5, 0.6, [4, 2, 1]),
        profile(
            "46.69B", "Commerce de gros de fournitures et équipements industriels divers", 107, 55, 130, "2024",
            "DBT: Altares S1 2024, commerce / DSO: estimated, not published", 7, 1.5, [1, 3, 3]),
        // Le Moniteur on Altares T2 2023: restaurateurs 21 days; ODP 2011: hébergement-restauration DSO 6.7 in 2010.
        profile(
            "56.10A", "Restauration traditionnelle", 210, 7, 380, "2023",
            "DBT: Altares T2 2023, restaurateurs (via Le Moniteur) / DSO: ODP rapport 2011, hébergement-restauration 2010", 8, 0.35, [6, 1, 0]),
        profile(
            "56.30Z", "Débits de boissons", 210, 7, 350, "2023",
            "DBT: estimated from Altares T2 2023, restaurateurs / DSO: ODP rapport 2011, hébergement-restauration 2010", 3, 0.3, [6, 1, 0]),
        // HR-infos on Altares 2021: hébergement-restauration 20.3 days.
        profile(
            "55.10Z", "Hôtels et hébergement similaire", 203, 7, 200, "2021",
            "DBT: Altares 2021, hébergement-restauration (via HR-infos) / DSO: ODP rapport 2011, hébergement-restauration 2010", 3, 0.8, [4, 2, 1]),
        profile(
            "10.71C", "Boulangerie et boulangerie-pâtisserie", 120, 10, 170, "2024",
            "DBT: estimated near the Altares S1 2024 France average (12.9) / DSO: estimated, not published", 4, 0.3, [6, 1, 0]),
        // HR-infos on Altares 2021: industrie 10.1 days.
        profile(
            "25.62B", "Mécanique industrielle", 101, 60, 110, "2021",
            "DBT: Altares 2021, industrie (via HR-infos) / DSO: estimated, not published", 5, 1.3, [1, 2, 4]),
        profile(
            "28.29B", "Fabrication d'autres machines d'usage général", 101, 65, 90, "2021",
            "DBT: Altares 2021, industrie (via HR-infos) / DSO: estimated, not published", 3, 2.5, [1, 2, 4]),
        // Batiactu on Altares end of 2011: transport 15.5 days (European figure).
        profile(
            "49.41A", "Transports routiers de fret interurbains", 155, 50, 260, "2011",
            "DBT: Altares end 2011, transport, Europe (via Batiactu) / DSO: estimated, not published", 5, 1.0, [2, 3, 2]),
        profile(
            "62.01Z", "Programmation informatique", 150, 70, 140, "2024",
            "DBT: estimated, not published / DSO: estimated, ODP rapport 2018 puts information-communication above 60 days", 5, 1.8, [2, 3, 3]),
        profile(
            "70.22Z", "Conseil pour les affaires et autres conseils de gestion", 160, 70, 150, "2024",
            "DBT: estimated, not published / DSO: estimated, ODP rapport 2018 puts business support above 60 days", 5, 1.4, [2, 3, 3]),
        profile(
            "68.31Z", "Agences immobilières", 220, 40, 230, "2024",
            "DBT: Altares S1 2024, agences immobilières / DSO: estimated, not published", 3, 0.7, [4, 2, 1]),
        profile(
            "41.10A", "Promotion immobilière de logements", 270, 60, 300, "2024",
            "DBT: Altares S1 2024, promotion immobilière / DSO: estimated, not published", 2, 3.0, [1, 2, 4]),
        profile(
            "96.02A", "Coiffure", 212, 5, 250, "2024",
            "DBT: Altares S1 2024, coiffure et soins de beauté / DSO: estimated, not published", 3, 0.25, [6, 1, 0]),
        profile(
            "45.20A", "Entretien et réparation de véhicules automobiles légers", 102, 25, 180, "2024",
            "DBT: Altares S1 2024, réparation / DSO: estimated, not published", 4, 0.6, [4, 2, 1]),
        profile(
            "86.23Z", "Pratique dentaire", 90, 10, 40, "2024",
            "DBT: estimated, not published / DSO: estimated, not published", 2, 0.5, [6, 1, 0]),
        profile(
            "01.11Z", "Culture de céréales (à l'exception du riz), de légumineuses et de graines oléagineuses", 100, 45, 70, "2024",
            "DBT: estimated, not published / DSO: estimated, not published", 2, 1.2, [2, 2, 3]),
    ]

    /// Cumulative-weight lookup, built once.
    static let weights: [Double] = all.map(\.portfolioWeight)

    private static func profile(
        _ code: String, _ label: String, _ dbtTenths: Int, _ dso: Int, _ failures: Int, _ period: String,
        _ figures: String, _ weight: Double, _ amountScale: Double, _ terms: [Double]
    ) -> SectorProfile {
        SectorProfile(
            code: code, label: label, daysBeyondTermsTenths: dbtTenths, dsoDays: dso, failuresPerTenThousand: failures,
            period: period, source: figures + " / " + estimatedFailure, portfolioWeight: weight,
            amountScale: amountScale, termsWeights: terms)
    }
}

extension SectorProfile {
    /// Every sector the generator draws customers from, in the order of sectors.csv.
    public static var all: [SectorProfile] { SectorTable.all }
}
