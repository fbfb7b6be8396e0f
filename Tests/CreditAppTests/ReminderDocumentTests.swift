import CreditApp
import Foundation
import Testing

@testable import CreditCore

/// Reminder letters and e-mails rendered from the templates in Models/letters: what they state,
/// in which language, how values are escaped, and that the e-mail is a valid RFC 5322 message.
@Suite("Reminder documents")
struct ReminderDocumentTests {
    static let nbsp = "\u{00A0}"
    static let nnbsp = "\u{202F}"

    static func templates() throws -> ReminderTemplates {
        try ReminderTemplates.load(directory: Repository.path("Models/letters").path)
    }

    static func day(_ text: String) throws -> Day { try #require(Day(parsing: text)) }

    /// 2026-06-01T09:30:00Z (day 20605 since 1970, a Monday).
    static let createdAt = Date(timeIntervalSince1970: 20_605 * 86_400 + 9 * 3600 + 30 * 60)

    /// Two invoices past due on 2026-06-01 (52 407,00 claimed in all), optionally a credit note
    /// of 27 549,00, with the French late-payment terms of that day.
    static func document(
        step: ReminderStep = .formalNotice, channel: String = "letter", language: DocumentLanguage = .fr,
        customerName: String = "Hexapro SAS", contact: CustomerContact? = nil, credit: Bool = false
    ) throws -> ReminderDocument {
        let issued = try day("2026-06-01")
        let terms = LatePaymentTerms.france2026
        let legal = try #require(terms.legalRate(on: issued))
        let invoices = [
            ReminderDocument.InvoiceLine(
                invoiceId: "F-1001", issueDate: try day("2026-02-15"), dueDate: try day("2026-03-17"), amount: Money(cents: 4_000_000),
                claimed: Money(cents: 3_000_000), daysPastDue: 76),
            ReminderDocument.InvoiceLine(
                invoiceId: "F-1002", issueDate: try day("2026-03-10"), dueDate: try day("2026-04-09"), amount: Money(cents: 2_240_700),
                claimed: Money(cents: 2_240_700), daysPastDue: 53),
        ]
        let credits =
            credit ? [ReminderDocument.CreditLine(invoiceId: "AV-77", issueDate: try day("2026-04-20"), available: Money(cents: 2_754_900))] : []
        let totalCredits = Money(cents: credits.reduce(0) { $0 + $1.available.cents })
        // 30 000,00 + 22 407,00 = 52 407,00 claimed; less 27 549,00 of credit = 24 858,00.
        let claimed = Money(cents: 5_240_700)
        return ReminderDocument(
            customerId: "C0000001", customerName: customerName,
            contact: contact
                ?? CustomerContact(
                    name: "Élodie Martin", email: "compta@hexapro.example", language: language,
                    postalAddress: "12 rue des Lilas\n69003 Lyon\nFrance"),
            language: language, step: step, channel: channel, issuedOn: issued, payBy: issued + 8, invoices: invoices, credits: credits,
            totalClaimed: claimed, totalCredits: totalCredits, balanceDue: Money(cents: claimed.cents - totalCredits.cents),
            latePayment: ReminderDocument.LatePaymentMention(
                interestRatePercent: terms.ratePercent(on: issued), contractual: false, legalRatePercent: legal.percent,
                legalRateSource: legal.source, indemnityPerInvoice: terms.recoveryIndemnity,
                indemnityTotal: Money(cents: terms.recoveryIndemnity.cents * 2)))
    }

    @Test("a French formal notice states the rate (three times the legal rate), the 40 € indemnity per invoice and its total")
    func frenchFormalNotice() throws {
        let letter = try Self.templates().render(try Self.document(), messageId: "m1", createdAt: Self.createdAt)
        #expect(letter.format == .html)
        #expect(letter.contentType == "text/html; charset=utf-8")
        #expect(letter.fileName == "2026-06-01-C0000001-formal_notice.html")
        let html = letter.content
        #expect(letter.subject.hasPrefix("Mise en demeure de payer la somme de 52\(Self.nnbsp)407,00\(Self.nbsp)€"))
        #expect(html.contains("nous vous mettons en demeure de nous régler la somme de 52\(Self.nnbsp)407,00\(Self.nbsp)€ dans un délai de 8 jours"))
        #expect(html.contains("soit au plus tard le 9 juin 2026"))
        #expect(html.contains("transmettrons cette créance"))
        #expect(html.contains("Lyon, le 1er juin 2026"))
        // Legal rate 2,62 % on 2026-06-01 (first half of 2026); 3 × 2,62 = 7,86 %.
        #expect(html.contains("taux annuel de 7,86\(Self.nbsp)%, soit trois fois le taux de l’intérêt légal en vigueur (2,62\(Self.nbsp)%"))
        #expect(html.contains("L441-10"))
        #expect(html.contains("D441-5"))
        // 40,00 € per invoice, 2 overdue invoices: 80,00 €.
        #expect(
            html.contains(
                "indemnité forfaitaire pour frais de recouvrement de 40,00\(Self.nbsp)€ par facture, soit 80,00\(Self.nbsp)€ pour les 2 factures échues"
            ))
        #expect(html.contains("<td>F-1001</td><td class=\"date\">15 février 2026</td><td class=\"date\">17 mars 2026</td>"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("IBAN"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "a letter loads nothing from outside")
    }

    @Test("an English reminder is written in English, with English amounts and dates")
    func englishReminder() throws {
        let document = try Self.document(step: .reminder, language: .en)
        let letter = try Self.templates().renderLetter(document)
        #expect(letter.language == .en)
        #expect(letter.subject == "Reminder: overdue invoices – balance €52,407.00 (ref. C0000001)")
        #expect(letter.content.contains("Dear Sir or Madam,"))
        #expect(letter.content.contains("We would be grateful if you would pay €52,407.00 by 9 June 2026 at the latest."))
        #expect(
            letter.content.contains("late-payment interest, without a reminder being necessary, at the annual rate of 7.86%, which is three times"))
        #expect(letter.content.contains("2011/7/EU"))
        #expect(letter.content.contains("€40.00 per invoice, that is €80.00 for the 2 overdue invoices"))
        for french in ["Madame", "facture", "juin", "Objet"] {
            #expect(!letter.content.contains(french), "\(french) in an English letter")
        }
    }

    @Test("credits are netted: the letter lists the credit note and asks for the balance")
    func creditsNetted() throws {
        let letter = try Self.templates().renderLetter(try Self.document(step: .reminder, credit: true))
        let html = letter.content
        #expect(html.contains("<td>AV-77</td><td class=\"date\">20 avril 2026</td><td class=\"amount\">27\(Self.nnbsp)549,00\(Self.nbsp)€</td>"))
        #expect(html.contains("Avoirs déduits</td><td class=\"amount\">− 27\(Self.nnbsp)549,00\(Self.nbsp)€"))
        // 52 407,00 − 27 549,00 = 24 858,00.
        #expect(html.contains("Solde à régler au plus tard le 9 juin 2026</td><td class=\"amount\">24\(Self.nnbsp)858,00\(Self.nbsp)€"))
        #expect(letter.subject.contains("24\(Self.nnbsp)858,00\(Self.nbsp)€"))
    }

    @Test("every value is escaped in a letter: a customer named <script> is shown, not run")
    func escaping() throws {
        let contact = CustomerContact(name: "\"Bob\" & <b>Co</b>", postalAddress: "<img src=x onerror=alert(1)>\nLyon")
        let letter = try Self.templates().renderLetter(try Self.document(customerName: "<script>alert(1)</script>", contact: contact))
        #expect(letter.content.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!letter.content.contains("<script>"))
        #expect(letter.content.contains("&quot;Bob&quot; &amp; &lt;b&gt;Co&lt;/b&gt;"))
        #expect(letter.content.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!letter.content.contains("<img"))
    }

    @Test("the e-mail is an RFC 5322 message: CRLF, encoded name and subject, quoted-printable body, short lines")
    func emailMessage() throws {
        let document = try Self.document(channel: "email")
        let email = try Self.templates().render(document, messageId: "run-2026-06-01/C0000001", createdAt: Self.createdAt)
        #expect(email.format == .eml)
        #expect(email.contentType == "message/rfc822")
        #expect(email.fileName == "2026-06-01-C0000001-formal_notice.eml")
        #expect(email.recipientAddress == "compta@hexapro.example")
        let text = email.content
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "a bare LF")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "a bare CR")
        let lines = text.components(separatedBy: "\r\n")
        let headerEnd = try #require(lines.firstIndex(of: ""))
        let headers = lines[..<headerEnd]
        #expect(headers.allSatisfy { $0.utf8.count <= 78 }, "a header line over 78 characters")
        #expect(lines[headerEnd...].allSatisfy { $0.utf8.count <= 76 }, "a body line over 76 characters")
        #expect(text.utf8.allSatisfy { $0 < 0x80 }, "the message is 7-bit")
        #expect(headers.contains("From: Exemple Fournitures SAS <recouvrement@fournisseur.example>"))
        // "Élodie Martin" in UTF-8, base64: w4lsb2RpZSBNYXJ0aW4=.
        #expect(headers.contains("To: =?utf-8?B?w4lsb2RpZSBNYXJ0aW4=?= <compta@hexapro.example>"))
        #expect(headers.contains("Date: Mon, 01 Jun 2026 09:30:00 +0000"))
        #expect(headers.contains("Message-ID: <run-2026-06-01/C0000001@fournisseur.example>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(headers.contains { $0.hasPrefix("Subject: =?utf-8?B?") })
        // "é" is C3 A9 in UTF-8.
        #expect(text.contains("r=C3=A9gler"))

        // Python's e-mail parser reads it back: headers decoded, body decoded.
        let parsed = try Self.parseWithPython(text)
        #expect(parsed["defects"] == "0")
        #expect(parsed["to"] == "Élodie Martin <compta@hexapro.example>")
        #expect(parsed["subject"] == email.subject)
        #expect(parsed["subject"]?.hasPrefix("Mise en demeure de payer la somme de 52\(Self.nnbsp)407,00\(Self.nbsp)€") == true)
        #expect(parsed["body"]?.contains("au taux annuel de 7,86\(Self.nbsp)%, soit trois fois le taux de l’intérêt légal") == true)
        #expect(parsed["body"]?.contains("40,00\(Self.nbsp)€ par facture, soit 80,00\(Self.nbsp)€ pour les 2 factures échues") == true)
    }

    @Test("no value can add a header: line breaks in a name or subject become spaces, a bad address is refused")
    func headerInjection() throws {
        let contact = CustomerContact(email: "compta@hexapro.example", postalAddress: "Lyon")
        let document = try Self.document(
            step: .reminder, channel: "email", customerName: "Evil Corp\r\nBcc: victim@attacker.example\nX-Spam: 1", contact: contact)
        let email = try Self.templates().render(document, messageId: "id\r\nBcc: x@y.example", createdAt: Self.createdAt)
        let lines = email.content.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc") || $0.hasPrefix("X-Spam") })
        // Unfolded (RFC 5322 section 2.2.3): a line starting with a space continues the previous one.
        let headers = lines.reduce(into: [String]()) { headers, line in
            if line.hasPrefix(" "), let last = headers.popLast() { headers.append(last + line) } else { headers.append(line) }
        }
        #expect(headers.contains("To: \"Evil Corp Bcc: victim@attacker.example X-Spam: 1\" <compta@hexapro.example>"))
        #expect(headers.contains("Message-ID: <id--Bcc--x@y.example>"))

        var bad = document
        bad.contact.email = "compta@hexapro.example>\r\nBcc: victim@attacker.example"
        #expect(throws: Refusal.self) { try Self.templates().render(bad, messageId: "m", createdAt: Self.createdAt) }
    }

    @Test("a document without an address for its channel is refused as contact-missing; a phone step has no document")
    func missingAddress() throws {
        let templates = try Self.templates()
        let noEmail = try Self.document(channel: "email", contact: CustomerContact(postalAddress: "Lyon"))
        let refusal = try #require(throws: Refusal.self) { try templates.render(noEmail, messageId: "m", createdAt: Self.createdAt) }
        #expect(refusal.code == "contact-missing")
        #expect(refusal.description.contains("has no e-mail address"))
        let noAddress = try Self.document(channel: "registered_letter", contact: CustomerContact(email: "a@b.example"))
        #expect(throws: Refusal.self) { try templates.render(noAddress, messageId: "m", createdAt: Self.createdAt) }
        let phone = try Self.document(step: .firmReminderAndCall, channel: "phone")
        #expect(throws: Refusal.self) { try templates.render(phone, messageId: "m", createdAt: Self.createdAt) }
        let registered = try templates.render(try Self.document(channel: "registered_letter"), messageId: "m", createdAt: Self.createdAt)
        #expect(registered.content.contains("Lettre recommandée avec accusé de réception"))
    }

    @Test("a missing or broken template is an error naming the file")
    func missingTemplate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("creditrisk-letters-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Repository.path("Models/letters"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("letter.en.html.mustache"))
        let missing = try #require(throws: ReminderTemplateError.self) { try ReminderTemplates.load(directory: folder.path) }
        #expect(missing.path.hasSuffix("/letter.en.html.mustache"))
        #expect(missing.description.contains("letter.en.html.mustache: cannot be read"))

        try "{{#invoices}}\nunclosed\n".write(to: folder.appendingPathComponent("letter.en.html.mustache"), atomically: true, encoding: .utf8)
        let broken = try #require(throws: ReminderTemplateError.self) { try ReminderTemplates.load(directory: folder.path) }
        #expect(broken.path.hasSuffix("/letter.en.html.mustache"))
        #expect(broken.message.contains("does not parse"))
    }

    @Test("amounts, days and rates in each language's convention")
    func formats() throws {
        let fr = DocumentFormat(.fr)
        let en = DocumentFormat(.en)
        #expect(fr.money(Money(cents: 5_240_700)) == "52\(Self.nnbsp)407,00\(Self.nbsp)€")
        #expect(en.money(Money(cents: 5_240_700)) == "€52,407.00")
        #expect(fr.money(Money(cents: 1_234_567_805)) == "12\(Self.nnbsp)345\(Self.nnbsp)678,05\(Self.nbsp)€")
        #expect(en.money(Money(cents: -5)) == "-€0.05")
        #expect(fr.day(try Self.day("2026-12-06")) == "6 décembre 2026")
        #expect(fr.day(try Self.day("2026-06-01")) == "1er juin 2026")
        #expect(en.day(try Self.day("2026-12-06")) == "6 December 2026")
        // 2.62 × 3 = 7.86, though the Double product is 7.859999…
        #expect(fr.percent(2.62 * 3) == "7,86\(Self.nbsp)%")
        #expect(en.percent(2.62 * 3) == "7.86%")
    }

    /// Parses `message` with Python's standard `email` package (policy.default): the decoded `To`,
    /// `Subject`, body and the number of defects it found.
    static func parseWithPython(_ message: String) throws -> [String: String] {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            body = m.get_body(preferencelist=("plain",)).get_content()
            defects = len(m.defects) + sum(len(part.defects) for part in m.walk())
            print(json.dumps({"to": str(m["to"]), "subject": str(m["subject"]), "body": body, "defects": str(defects)}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(message.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode([String: String].self, from: data)
    }
}
