import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The optional contact columns of customers.csv: a column present sets its field (an empty cell
/// clears it), a column absent leaves the stored value alone, and a bad value is located.
@Suite("Customer contacts in customers.csv")
struct ContactImportTests {
    static let header = "customer_id;name;sector_code;country;terms_days"

    /// A ledger folder with only customers.csv.
    func folder(_ customers: String) throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        try customers.write(to: folder.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    func contacts(_ db: DatabaseQueue) throws -> [String: CustomerContact] {
        try db.read { try ContactStore().contacts($0) }
    }

    @Test("contact columns are stored: lines of the postal address split on | or inside a quoted field, language in any case")
    func stored() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(
            directory: folder(
                Self.header + ";contact_name;contact_email;contact_phone;language;postal_address\n"
                    + "C1;Alpha SAS;62.01Z;FR;30;Élodie Martin;compta@alpha.example;+33 1 23 45 67 89;FR;12 rue des Lilas | 69003 Lyon\n"
                    + "C2;Beta Ltd;62.01Z;GB;30;;ap@beta.example;;en;\"1 High Street\nLondon EC1A 1AA\"\n"
                    + "C3;Gamma SARL;62.01Z;FR;30;;;;;\n"))
        let stored = try contacts(db)
        #expect(
            stored["C1"]
                == CustomerContact(
                    name: "Élodie Martin", email: "compta@alpha.example", phone: "+33 1 23 45 67 89", language: .fr,
                    postalAddress: "12 rue des Lilas\n69003 Lyon"))
        #expect(stored["C2"] == CustomerContact(email: "ap@beta.example", language: .en, postalAddress: "1 High Street\nLondon EC1A 1AA"))
        // A row with every contact cell empty stores no empty contact.
        #expect(stored["C3"] == nil)
    }

    @Test("a re-import without the contact columns leaves contacts alone; with them, an empty cell clears its field")
    func reimport() throws {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(
            directory: folder(
                Self.header + ";contact_email;contact_phone\n" + "C1;Alpha SAS;62.01Z;FR;30;compta@alpha.example;0102030405\n"))
        let without = try importer(db).importLedger(directory: folder(Self.header + "\nC1;Alpha SAS;62.01Z;FR;30\n"))
        #expect(without.files.first?.unchanged == 1)
        #expect(try contacts(db)["C1"] == CustomerContact(email: "compta@alpha.example", phone: "0102030405"))

        // Only contact_phone is in this export: the e-mail stays, the phone is cleared.
        let cleared = try importer(db).importLedger(directory: folder(Self.header + ";contact_phone\nC1;Alpha SAS;62.01Z;FR;30;\n"))
        #expect(cleared.files.first?.updated == 1)
        #expect(try contacts(db)["C1"] == CustomerContact(email: "compta@alpha.example"))
    }

    @Test("a bad e-mail, language or phone is refused with its line and column, and nothing is stored")
    func refused() throws {
        let db = try CreditDatabase.inMemory()
        let error = try #require(throws: LedgerImportError.self) {
            try importer(db).importLedger(
                directory: folder(
                    Self.header + ";contact_email;language;contact_phone\n"
                        + "C1;Alpha SAS;62.01Z;FR;30;compta@alpha.example;fr;01\n"
                        + "C2;Beta SAS;62.01Z;FR;30;compta at beta.example;fr;01\n"
                        + "C3;Gamma SAS;62.01Z;FR;30;a@b@c.example;de;01\n"
                        + "C4;Delta SAS;62.01Z;FR;30;;fr;\(String(repeating: "9", count: 41))\n"))
        }
        let located = error.problems.map { "\($0.line ?? 0) \($0.column ?? "")" }
        #expect(located == ["3 contact_email", "4 language", "4 contact_email", "5 contact_phone"])
        #expect(error.problems[0].description.contains("customers.csv line 3, column contact_email: \"compta at beta.example\""))
        #expect(error.problems[1].message.contains("fr or en"))
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == 0)
        #expect(try contacts(db).isEmpty)
    }

    @Test("e-mail rules: one @, an ASCII local part, a dotted domain, at most 254 characters")
    func emailRules() {
        #expect(ContactRules.emailProblem("compta@client.fr") == nil)
        #expect(ContactRules.emailProblem("o'brien+ap@mail.client.co.uk") == nil)
        for bad in [
            "compta", "a@b", "a@@b.fr", "a@b.fr@c.fr", "a b@c.fr", "a@b .fr", "<a@b.fr>", "\"a\"@b.fr", "é@b.fr", "a@b..fr",
            "a@b.fr\r\nBcc: x@y.fr", String(repeating: "a", count: 65) + "@b.fr", "a@" + String(repeating: "b", count: 250) + ".fr",
        ] {
            #expect(ContactRules.emailProblem(bad) != nil, "\(bad) accepted")
        }
    }
}
