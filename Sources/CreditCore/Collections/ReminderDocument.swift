/// How collections reach a customer: the billing contact from `customers.csv` or the API.
public struct CustomerContact: Hashable, Sendable, Codable {
    /// The person who handles the supplier's invoices.
    public var name: String?
    public var email: String?
    public var phone: String?
    /// The language the customer's documents are written in; nil: from the country.
    public var language: DocumentLanguage?
    /// The postal address for letters, lines separated by newlines.
    public var postalAddress: String?

    public init(
        name: String? = nil, email: String? = nil, phone: String? = nil, language: DocumentLanguage? = nil,
        postalAddress: String? = nil
    ) {
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.postalAddress = postalAddress
    }

    public static let empty = CustomerContact()

    /// The address a step's channel needs, or nil when the contact has none: e-mail for
    /// `email`, the postal address for letters; phone steps need the phone number.
    public func address(for channel: String) -> String? {
        switch channel {
        case "email": return email
        case "letter", "registered_letter": return postalAddress
        case "phone": return phone
        default: return nil
        }
    }
}

/// The languages reminder documents are written in.
public enum DocumentLanguage: String, Hashable, Sendable, Codable, CaseIterable {
    case fr
    case en

    /// French for customers in France and the French-speaking neighbours whose own law reads
    /// French notices (Belgium, Luxembourg, Monaco); English elsewhere. A contact's own
    /// language, when known, wins.
    public static func of(country: String, contact: CustomerContact?) -> DocumentLanguage {
        if let language = contact?.language { return language }
        return ["FR", "BE", "LU", "MC"].contains(country.uppercased()) ? .fr : .en
    }
}

/// Everything a reminder letter or e-mail says, computed in the core so that the templates
/// only lay it out: the invoices it covers, the credits netted against them, the balance due,
/// the legal mentions. The document stored in the outbox is rendered from this once, when it
/// is issued.
public struct ReminderDocument: Hashable, Sendable, Codable {
    public var customerId: String
    public var customerName: String
    public var contact: CustomerContact
    public var language: DocumentLanguage
    /// The most advanced step the document carries out (the tone of the letter).
    public var step: ReminderStep
    public var channel: String
    public var issuedOn: Day
    /// The day the balance should be paid by: a formal notice gives eight days, a reminder as
    /// many as the model's gap before the next step.
    public var payBy: Day
    public var invoices: [InvoiceLine]
    /// Credit notes not yet applied, netted against the invoices.
    public var credits: [CreditLine]
    /// Sum of the invoices' amounts still claimed (open minus disputed and promised parts).
    public var totalClaimed: Money
    /// Sum of the credits (positive).
    public var totalCredits: Money
    /// What the customer is asked to pay: claimed minus credits, never below zero.
    public var balanceDue: Money
    public var latePayment: LatePaymentMention

    public struct InvoiceLine: Hashable, Sendable, Codable {
        public var invoiceId: String
        public var issueDate: Day
        public var dueDate: Day
        public var amount: Money
        /// What is still claimed on it: open balance less any disputed or promised part.
        public var claimed: Money
        public var daysPastDue: Int
    }

    public struct CreditLine: Hashable, Sendable, Codable {
        public var invoiceId: String
        public var issueDate: Day
        /// The credit still available, as a positive amount.
        public var available: Money
    }

    /// The late-payment interest rate and the recovery indemnity, as the notice states them.
    public struct LatePaymentMention: Hashable, Sendable, Codable {
        /// Percent a year.
        public var interestRatePercent: Double
        /// Whether the rate is the legal floor (three times the legal rate) or the contract's.
        public var contractual: Bool
        /// The legal rate it derives from and the period's source, for the letter's footnote.
        public var legalRatePercent: Double
        public var legalRateSource: String
        public var indemnityPerInvoice: Money
        /// Indemnity times the overdue invoices (only those past due carry it).
        public var indemnityTotal: Money
    }

    public init(
        customerId: String, customerName: String, contact: CustomerContact, language: DocumentLanguage, step: ReminderStep,
        channel: String, issuedOn: Day, payBy: Day, invoices: [InvoiceLine], credits: [CreditLine], totalClaimed: Money,
        totalCredits: Money, balanceDue: Money, latePayment: LatePaymentMention
    ) {
        self.customerId = customerId
        self.customerName = customerName
        self.contact = contact
        self.language = language
        self.step = step
        self.channel = channel
        self.issuedOn = issuedOn
        self.payBy = payBy
        self.invoices = invoices
        self.credits = credits
        self.totalClaimed = totalClaimed
        self.totalCredits = totalCredits
        self.balanceDue = balanceDue
        self.latePayment = latePayment
    }
}

/// A document in the outbox, without its content.
public struct OutboxEntry: Sendable, Codable, Hashable {
    public var id: Int64
    public var runId: Int64
    public var customerId: String
    public var issuedOn: Day
    public var step: ReminderStep
    public var channel: String
    public var language: DocumentLanguage
    public var recipient: String
    public var subject: String
    public var fileName: String
    public var contentType: String

    public init(
        id: Int64, runId: Int64, customerId: String, issuedOn: Day, step: ReminderStep, channel: String, language: DocumentLanguage,
        recipient: String, subject: String, fileName: String, contentType: String
    ) {
        self.id = id
        self.runId = runId
        self.customerId = customerId
        self.issuedOn = issuedOn
        self.step = step
        self.channel = channel
        self.language = language
        self.recipient = recipient
        self.subject = subject
        self.fileName = fileName
        self.contentType = contentType
    }
}
