/// The files an ERP export consists of, with the columns each must carry.
public enum LedgerFileKind: String, Sendable, CaseIterable, Codable {
    case customers, invoices, payments, disputes, sectors

    /// The order an import must follow so that every reference points to something already read.
    public static let importOrder: [LedgerFileKind] = [.sectors, .customers, .invoices, .payments, .disputes]

    public var fileName: String { rawValue + ".csv" }

    public var requiredColumns: [String] {
        switch self {
        case .customers: ["customer_id", "name", "sector_code", "country", "terms_days"]
        case .invoices: ["invoice_id", "customer_id", "issue_date", "due_date", "amount", "currency"]
        case .payments: ["payment_id", "invoice_id", "paid_on", "amount"]
        case .disputes: ["invoice_id", "kind", "opened_on"]
        case .sectors: ["sector_code", "label", "avg_days_beyond_terms", "avg_dso_days", "annual_failure_rate"]
        }
    }
}
