import Foundation
import Testing

@Suite("Contact command")
struct ContactCommandTests {
    @Test("creditrisk contact prints the contact, changes only the fields given, and refuses a bad e-mail with exit 65")
    func contact() throws {
        let db = try CLITests.scratch().db
        let imported = try CLITests.run(["import", "ledger", "--db", db, "--no-rescore", "Fixtures/ledger/french"])
        #expect(imported.status == 0, "\(imported.errors)")

        let empty = try CLITests.run(["contact", "--db", db, "C003"])
        #expect(empty.status == 0, "\(empty.errors)")
        // C003 is Nordic Parts AB, in SE: English documents unless its contact says otherwise.
        #expect(empty.output.contains("Contact of C003 (documents in en)"), "\(empty.output)")
        #expect(empty.output.contains("e-mail:   -"))

        let set = try CLITests.run([
            "contact", "--db", db, "--email", "ap@nordic.example", "--language", "fr", "--address", "Box 12 | 111 22 Stockholm", "C003",
        ])
        #expect(set.status == 0, "\(set.errors)")
        #expect(set.output.contains("(documents in fr)") && set.output.contains("e-mail:   ap@nordic.example"), "\(set.output)")
        #expect(set.output.contains("address:  Box 12\n            111 22 Stockholm"), "\(set.output)")

        let phoneOnly = try CLITests.run(["contact", "--db", db, "--phone", "+46 8 000 000", "--json", "C003"])
        #expect(phoneOnly.status == 0, "\(phoneOnly.errors)")
        #expect(phoneOnly.output.contains("\"email\" : \"ap@nordic.example\""), "\(phoneOnly.output)")
        #expect(phoneOnly.output.contains("\"phone\" : \"+46 8 000 000\""), "\(phoneOnly.output)")

        let bad = try CLITests.run(["contact", "--db", db, "--email", "ap at nordic", "C003"])
        #expect(bad.status == 65)
        #expect(bad.errors.contains("is not an e-mail address"), "\(bad.errors)")
        let unknown = try CLITests.run(["contact", "--db", db, "NOPE"])
        #expect(unknown.status == 66)
    }
}
