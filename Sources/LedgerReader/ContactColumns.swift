import CreditCore

extension CSVRecord {
    /// Whether the file's header has `column` (a row lacking the field reads "").
    public func has(_ column: String) -> Bool { columns.positions[column] != nil }
}

extension LedgerRowParser {
    /// The contact columns of a `customers.csv` row (`contact_name`, `contact_email`,
    /// `contact_phone`, `language`, `postal_address`, all optional): nil when the file has none of
    /// them. A column present sets its field and an empty cell clears it; `postal_address` takes
    /// its lines separated by `|` (or by line breaks inside a quoted field).
    public func contact(_ record: CSVRecord, file: String, customerId: String) -> Result<ContactUpdate?, RowProblems> {
        let columns = Set(ContactField.allCases.filter { record.has($0.rawValue) })
        guard !columns.isEmpty else { return .success(nil) }
        var problems: [LocatedProblem] = []
        func problem(_ field: ContactField, _ value: String, _ message: String) {
            problems.append(
                LocatedProblem(
                    file: file, line: record.line, column: field.rawValue, value: value.truncatedForMessage(), message: message))
        }
        var contact = CustomerContact()
        for field in columns {
            let value = record[field.rawValue]
            switch field {
            case .language:
                if value.isEmpty { continue }
                guard let language = ContactRules.language(value) else {
                    problem(field, value, "is not a document language (expected fr or en, or empty)")
                    continue
                }
                contact.language = language
            case .name: contact.name = value
            case .email: contact.email = value
            case .phone: contact.phone = value
            case .postalAddress: contact.postalAddress = value
            }
        }
        switch contact.validated() {
        case .success(let checked):
            guard problems.isEmpty else { return .failure(RowProblems(problems)) }
            return .success(ContactUpdate(customerId: customerId, contact: checked, columns: columns))
        case .failure(let bad):
            problem(bad.field, record[bad.field.rawValue], bad.message)
            return .failure(RowProblems(problems))
        }
    }
}
