import CreditCore

/// A ledger row after parsing: the domain value, or what was wrong with it, plus what the
/// store needs to word a rejection (line, id, the id it refers to) without the raw record.
public struct ParsedRow: Sendable {
    public enum Value: Sendable {
        case sector(Sector)
        case customer(Customer)
        case invoice(Invoice)
        case payment(Payment)
        case dispute(Dispute)
        case groupLimit(GroupLimit)
    }

    public var line: Int
    /// The row's own id as written (the invoice for a dispute), for duplicate reports.
    public var id: String
    /// The id the row refers to (customer of an invoice, invoice of a payment or dispute).
    public var reference: String
    public var value: Result<Value, RowProblems>
    /// For a customer row of a file with contact columns: what the row sets of the contact.
    public var contact: ContactUpdate? = nil
}

extension LedgerFileKind {
    /// The column holding a row's own id.
    public var idColumn: String {
        switch self {
        case .customers: "customer_id"
        case .invoices, .disputes: "invoice_id"
        case .payments: "payment_id"
        case .sectors: "sector_code"
        case .groups: "group"
        }
    }

    /// The column holding the id a row depends on, and the kind of file it points into.
    public var reference: (column: String, kind: LedgerFileKind, noun: String)? {
        switch self {
        case .invoices: ("customer_id", .customers, "customer")
        case .payments, .disputes: ("invoice_id", .invoices, "invoice")
        case .groups: ("group", .customers, "customer group")
        case .customers, .sectors: nil
        }
    }
}

extension LedgerRowParser {
    /// Parses one record of a file of `kind`, checking first that it has as many fields as the header.
    public func parse(_ record: CSVRecord, kind: LedgerFileKind, file: String, width: Int, delimiter: UnicodeScalar) -> ParsedRow {
        let reference = kind.reference.map { record[$0.column] } ?? ""
        var row = ParsedRow(line: record.line, id: record[kind.idColumn], reference: reference, value: .failure(RowProblems([])))
        guard record.fields.count == width else {
            row.value = .failure(
                RowProblems([
                    LocatedProblem(
                        file: file, line: record.line,
                        message: "has \(record.fields.count) fields where the header has \(width) "
                            + "(delimiter \(CSVRecords.name(of: delimiter)); check quoting)")
                ]))
            return row
        }
        switch kind {
        case .sectors: row.value = sector(record, file: file).map(ParsedRow.Value.sector)
        case .customers:
            row.value = customer(record, file: file).map(ParsedRow.Value.customer)
            switch (contact(record, file: file, customerId: row.id), row.value) {
            case (.success(let update), _): row.contact = update
            case (.failure(let contactProblems), .failure(let problems)):
                row.value = .failure(RowProblems(problems.problems + contactProblems.problems))
            case (.failure(let contactProblems), .success): row.value = .failure(contactProblems)
            }
        case .invoices: row.value = invoice(record, file: file).map(ParsedRow.Value.invoice)
        case .payments: row.value = payment(record, file: file).map(ParsedRow.Value.payment)
        case .disputes: row.value = dispute(record, file: file).map(ParsedRow.Value.dispute)
        case .groups: row.value = groupLimit(record, file: file).map(ParsedRow.Value.groupLimit)
        }
        return row
    }
}
