/// The fields of a customer's contact, by the names `customers.csv` gives their columns.
public enum ContactField: String, CaseIterable, Hashable, Sendable {
    case name = "contact_name"
    case email = "contact_email"
    case phone = "contact_phone"
    case language
    case postalAddress = "postal_address"

    /// The field's name in the API's JSON (`CustomerContact`'s coding key).
    public var apiName: String {
        switch self {
        case .name: "name"
        case .email: "email"
        case .phone: "phone"
        case .language: "language"
        case .postalAddress: "postalAddress"
        }
    }
}

/// What a contact field may hold, checked alike for `customers.csv` and the API (whose OpenAPI
/// schema states the same rules as patterns): an e-mail goes into a message header and a postal
/// address onto a letter, so a value either is what it says or is refused, never cleaned up.
///
/// A blank value means "none": it clears the field.
public enum ContactRules {
    /// RFC 5321's limit on a forward path.
    public static let maximumEmailLength = 254
    /// RFC 5321's limit on a local part.
    public static let maximumLocalPartLength = 64
    public static let maximumPhoneLength = 40

    /// `local@domain.tld` in plain ASCII: a local part of letters, digits and ``.!#$%&'*+/=?^_`{|}~-``
    /// (RFC 5322's atext and dots, 1 to 64 of them), one `@`, a domain of two or more labels of
    /// letters, digits and `-`; at most 254 characters. Nothing that could break out of an
    /// `<addr-spec>` in a header (spaces, quotes, angle brackets, commas, line breaks).
    public static func emailProblem(_ value: String) -> String? {
        if value.unicodeScalars.count > maximumEmailLength { return "is longer than \(maximumEmailLength) characters" }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return "is not an e-mail address: it must hold exactly one \"@\" (e.g. compta@client.fr)"
        }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.unicodeScalars.count <= maximumLocalPartLength,
            local.unicodeScalars.allSatisfy(isLocalPartCharacter)
        else {
            return "is not an e-mail address: the part before \"@\" must be 1 to 64 letters, digits or .!#$%&'*+/=?^_`{|}~- "
                + "(no spaces, quotes or accents)"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isDomainCharacter) }) else {
            return "is not an e-mail address: the part after \"@\" must be a domain such as client.fr "
                + "(letters, digits and \"-\", labels separated by single dots)"
        }
        return nil
    }

    /// A phone number as people write it (`+33 1 23 45 67 89`, `01.23.45.67.89 ext. 12`): at most
    /// 40 characters, none of them control or invisible format characters.
    public static func phoneProblem(_ value: String) -> String? {
        if value.unicodeScalars.count > maximumPhoneLength { return "is longer than \(maximumPhoneLength) characters" }
        return InputBounds.standard.textProblem(value)
    }

    /// A contact name: free text on one line.
    public static func nameProblem(_ value: String) -> String? {
        InputBounds.standard.textProblem(value)
    }

    /// A postal address: free text whose lines are separated by `|` or line breaks.
    public static func postalAddressProblem(_ value: String) -> String? {
        InputBounds.standard.textProblem(value, allowLineBreaks: true)
    }

    /// `fr` or `en`, in any case; nil for anything else.
    public static func language(_ value: String) -> DocumentLanguage? {
        DocumentLanguage(rawValue: value.lowercased())
    }

    /// The address's lines, each trimmed, blank ones dropped, joined by `\n`: `12 rue X | 75001 Paris`
    /// and the same over two lines are one address. Nil when nothing is left.
    public static func normalizedPostalAddress(_ value: String) -> String? {
        var lines: [String] = []
        var current = ""
        for character in value {
            if character == "|" || character.isNewline {
                lines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        lines.append(current)
        let kept = lines.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept.joined(separator: "\n")
    }

    /// A character an e-mail's local part may hold (RFC 5322 atext, or a dot).
    public static func isLocalPartCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlphanumeric(scalar) || "!#$%&'*+/=?^_`{|}~.-".unicodeScalars.contains(scalar)
    }

    static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlphanumeric(scalar) || scalar == "-"
    }

    public static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }
}

extension CustomerContact {
    /// The contact checked field by field and normalised (text trimmed, blank as none, the
    /// address's lines joined by `\n`), or the first problem as `(field, message)`.
    public func validated() -> Result<CustomerContact, ContactProblem> {
        var checked = CustomerContact(language: language)
        if let name {
            if let problem = ContactRules.nameProblem(name) { return .failure(ContactProblem(field: .name, message: problem)) }
            checked.name = Self.blankAsNone(name)
        }
        if let email, !email.isEmpty {
            if let problem = ContactRules.emailProblem(email) { return .failure(ContactProblem(field: .email, message: problem)) }
            checked.email = email
        }
        if let phone {
            if let problem = ContactRules.phoneProblem(phone) { return .failure(ContactProblem(field: .phone, message: problem)) }
            checked.phone = Self.blankAsNone(phone)
        }
        if let postalAddress {
            if let problem = ContactRules.postalAddressProblem(postalAddress) {
                return .failure(ContactProblem(field: .postalAddress, message: problem))
            }
            checked.postalAddress = ContactRules.normalizedPostalAddress(postalAddress)
        }
        return .success(checked)
    }

    /// Whether no field holds anything.
    public var isEmpty: Bool { self == .empty }

    static func blankAsNone(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// A contact field that breaks its rule.
public struct ContactProblem: Error, Hashable, Sendable {
    public var field: ContactField
    public var message: String
}

/// What a `customers.csv` row says about a contact: the fields whose columns the file has (an
/// empty cell clears its field), applied over the stored contact; a column the file lacks leaves
/// its field as stored, so an export without contact columns never erases contacts kept by hand.
public struct ContactUpdate: Hashable, Sendable {
    public var customerId: String
    /// The values of the fields in `columns` (the others are ignored).
    public var contact: CustomerContact
    public var columns: Set<ContactField>

    public init(customerId: String, contact: CustomerContact, columns: Set<ContactField>) {
        self.customerId = customerId
        self.contact = contact
        self.columns = columns
    }

    /// `stored` with the fields of this update's columns replaced.
    public func applied(to stored: CustomerContact) -> CustomerContact {
        var result = stored
        for field in columns {
            switch field {
            case .name: result.name = contact.name
            case .email: result.email = contact.email
            case .phone: result.phone = contact.phone
            case .language: result.language = contact.language
            case .postalAddress: result.postalAddress = contact.postalAddress
            }
        }
        return result
    }
}
