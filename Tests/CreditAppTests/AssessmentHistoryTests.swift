import CreditApp
import CreditStore
import Foundation
import GRDB
import Testing

@testable import CreditCore

/// A daily run stores what changed and confirms the rest: the history stays bounded.
@Suite("Assessment history")
struct AssessmentHistoryTests {
    static let day = Day(parsing: "2026-10-31")!

    /// The demo ledger with its customers (or one of them) scored as of `day`.
    static func scoredDemo(customerId: String? = nil) async throws -> (DatabaseQueue, ScoringService) {
        let db = try Repository.demoDatabase()
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        _ = try await scoring.scoreAndStore(asOf: day, customerId: customerId)
        return (db, scoring)
    }

    static func rows(_ db: DatabaseQueue, customer: String? = nil) async throws -> Int {
        try await db.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM assessment WHERE ?1 IS NULL OR customer_id = ?1", arguments: [customer]) ?? -1
        }
    }

    @Test("the same day scored twice is stored once: the second run confirms every assessment")
    func sameDayTwice() async throws {
        let db = try Repository.demoDatabase()
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        let first = try await scoring.scoreAndStore(asOf: Self.day)
        #expect(first.customers == 200 && first.unchanged == 0)
        let second = try await scoring.scoreAndStore(asOf: Self.day)
        #expect(second.customers == 200 && second.unchanged == 200)
        #expect(second.grades == first.grades)
        #expect(try await Self.rows(db) == 200)
    }

    @Test("a day later over the same ledger, a customer whose grade, limit and evidence did not move gains no row; its standing is as of the new day")
    func nextDayConfirms() async throws {
        let (db, scoring) = try await Self.scoredDemo()
        let next = try await scoring.scoreAndStore(asOf: Self.day + 1)
        // The calendar alone moves some customers (an invoice falls due, a grade boundary is
        // crossed), not most.
        #expect(next.unchanged > 150, "\(next)")
        #expect(try await Self.rows(db) == 200 + (200 - next.unchanged))
        let confirmed = try await db.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT s.customer_id FROM customer_standing s JOIN assessment a ON a.id = s.assessment_id
                    WHERE a.as_of = ? ORDER BY s.customer_id LIMIT 1
                    """, arguments: [Self.day])
        }
        let customer = try #require(confirmed)
        let standing = try #require(try await db.read { try CustomerStore().standing($0, customerId: customer) })
        #expect(standing.asOf == Self.day + 1)
        // Its overdue amount is the new day's: an invoice may have fallen due.
        let live = try #require(try scoring.assess(customerId: customer, asOf: Self.day + 1))
        #expect(standing.overdue == live.paymentProfile.agedBalance.overdue)
        // The assessment in force is still the one that made the decision, as of its own day.
        let stored = try #require(try await db.read { try AssessmentStore().latest($0, customerId: customer) })
        #expect(stored.asOf == Self.day)
        // A daily run asked again that day finds everyone current.
        #expect(try await scoring.scoreIfStale(asOf: Self.day + 1) == nil)
    }

    @Test("a payment is new evidence: the next run stores a new assessment for that customer only")
    func paymentStoresAgain() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let scoring = ScoringService(database: db, model: model, now: fixedNow)
        _ = try await scoring.scoreAndStore(asOf: Self.day)
        let (invoice, customer) = try Repository.largestOpenUndisputedInvoice(db, issuedBy: Self.day)
        let before = try await Self.rows(db, customer: customer)
        // Recorded straight in the ledger (an event would re-score at once): the run finds it.
        try await db.write { db in
            try db.execute(
                sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES ('PAY-HIST', ?, ?, 100)",
                arguments: [invoice, Self.day])
        }
        let again = try await scoring.scoreAndStore(asOf: Self.day)
        #expect(again.unchanged == 199)
        #expect(try await Self.rows(db, customer: customer) == before + 1)
    }

    @Test("a run over an earlier day never confirms a later assessment: it is stored as history of its own")
    func pastRunStored() async throws {
        let (db, scoring) = try await Self.scoredDemo()
        let past = try await scoring.scoreAndStore(asOf: Self.day - 1)
        #expect(past.unchanged == 0)
        #expect(try await Self.rows(db) == 400)
        // The standing stays the later day's.
        let standing = try #require(try await db.read { try CustomerStore().standing($0, customerId: "C0000007") })
        #expect(standing.asOf == Self.day)
    }

    @Test("the verdict leaves out what the calendar alone moves: the PD drifting within a grade confirms, a new grade does not")
    func verdictOfAssessment() throws {
        let model = try Repository.model()
        let db = try Repository.demoDatabase()
        let scoring = ScoringService(database: db, model: model, now: fixedNow)
        let assessment = try #require(try scoring.assess(customerId: "C0000007", asOf: Self.day))
        var later = assessment
        later.asOf = Self.day + 1
        later.pd = assessment.pd * 1.01
        later.score = assessment.score - 1
        later.reasons = later.reasons.map { Reason(code: $0.code, effect: $0.effect + 0.01, text: $0.text + " (a day later)") }
        #expect(later.confirms(assessment))
        #expect(!assessment.confirms(later), "an earlier day never confirms a later one")
        var regraded = later
        regraded.grade = Grade(code: "D", rank: model.grades.count + 1)
        #expect(!regraded.confirms(assessment))
        var limited = later
        limited.suggestedLimit = assessment.suggestedLimit + Money(cents: 100)
        #expect(!limited.confirms(assessment))
        var paid = later
        paid.evidence.payments += 1
        #expect(!paid.confirms(assessment))
        // An invoice falling due moves the overdue amount, not the decision: the standing takes the new amount.
        var fellDue = later
        fellDue.paymentProfile.agedBalance.days1to30 = fellDue.paymentProfile.agedBalance.days1to30 + Money(cents: 5000)
        #expect(fellDue.confirms(assessment))
        var moreExposure = later
        moreExposure.exposure = assessment.exposure + Money(cents: 5000)
        #expect(!moreExposure.confirms(assessment))
    }

    @Test("the detail is stored deflated, reads back as the assessment, and rows stored as JSON text before still read")
    func packedDetail() async throws {
        let (db, scoring) = try await Self.scoredDemo()
        let (type, packed, json) = try await db.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db, sql: "SELECT typeof(detail), length(detail) FROM assessment WHERE customer_id = 'C0000007'"))
            let stored = try #require(try AssessmentStore().latest(db, customerId: "C0000007"))
            return (row[0] as String, row[1] as Int, stored.detail)
        }
        #expect(type == "blob")
        #expect(packed * 2 < json.count, "deflated \(packed) bytes from \(json.count)")
        let assessment = try JSONDecoder().decode(Assessment.self, from: json)
        #expect(try scoring.assess(customerId: "C0000007", asOf: Self.day) == assessment)
        // A row from before: the detail as JSON text.
        try await db.write { db in
            try db.execute(sql: "UPDATE assessment SET detail = ? WHERE customer_id = 'C0000007'", arguments: [String(decoding: json, as: UTF8.self)])
        }
        let text = try #require(try await db.read { try AssessmentStore().latest($0, customerId: "C0000007") })
        #expect(try JSONDecoder().decode(Assessment.self, from: text.detail) == assessment)
    }

    @Test("every customer's detail, packed by the scoring workers with streams they reuse, reads back as that customer's own assessment")
    func everyDetailReadsBack() async throws {
        let (db, _) = try await Self.scoredDemo()
        let customers = try await db.read { try String.fetchAll($0, sql: "SELECT id FROM customer ORDER BY id") }
        #expect(customers.count == 200)
        for customer in customers {
            let stored = try #require(try await db.read { try AssessmentStore().latest($0, customerId: customer) })
            let assessment = try JSONDecoder().decode(Assessment.self, from: stored.detail)
            #expect(assessment.customerId == customer)
        }
    }

    @Test("new details are zstd frames naming the shipped dictionary 4, whose bytes never change")
    func dictionaryPinned() throws {
        let packed = PackedDetail(json: Data(#"{"modelVersion":"scoring-model-v5","reasons":[]}"#.utf8)).bytes
        // Magic number, then the frame header: a one-byte dictionary id (flags 0b..01), the checksum flag (0x04).
        #expect(Array(packed.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(packed[packed.startIndex + 4] & 0x03 == 1 && packed[packed.startIndex + 4] & 0x04 == 0x04)
        #expect(packed[packed.startIndex + 5] == 4)
        let dictionary = try Data(contentsOf: Repository.path("Sources/CreditStore/Resources/detail-dictionary-4.zstd"))
        // Adler-32, as zlib computes it.
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in dictionary { (a, b) = ((a + UInt32(byte)) % 65_521, (b + (a + UInt32(byte)) % 65_521) % 65_521) }
        #expect(b << 16 | a == 861_729_100, "detail-dictionary-4.zstd changed: rows packed with it could no longer be read")
    }

    @Test("the demo's details are packed to about half a kilobyte (without the dictionary about 1.5 kB)")
    func packedSmall() async throws {
        let (db, _) = try await Self.scoredDemo()
        let sizes = try await db.read { try Int.fetchAll($0, sql: "SELECT length(detail) FROM assessment") }
        #expect(sizes.count == 200)
        #expect(Double(sizes.reduce(0, +)) / Double(sizes.count) < 560)
    }

    @Test(
        "a detail packed with an earlier dictionary (1, 2 or 3) still reads: a dictionary once shipped stays",
        arguments: [
            // Deflated by zlib against detail-dictionary-1.txt (Adler-32 2219339621), detail-dictionary-2.txt (922780171)
            // and detail-dictionary-3.txt (2337303324); then a zstd frame against dictionary 4 (from the zstd command).
            "78f984486f65ab2662c019cbc409b469051be48aad05008dd817c1", "78f93700820bab266230024bc4408fde85d521b1b5008dd817c1",
            "68628b506b1cab266230024bc4188056fd21ea90d85a008dd817c1",
            "28b52ffd250448bd0000187b5d7d06fc800a030e0018f6b3f89c23e09528210a7b75310e90",
        ])
    func earlierDictionaryReads(hex: String) async throws {
        let (db, _) = try await Self.scoredDemo(customerId: "C0000007")
        let bytes = hexData(hex)
        try await db.write { db in
            try db.execute(sql: "UPDATE assessment SET detail = ? WHERE customer_id = 'C0000007'", arguments: [bytes])
        }
        let stored = try #require(try await db.read { try AssessmentStore().latest($0, customerId: "C0000007") })
        #expect(String(decoding: stored.detail, as: UTF8.self) == #"{"modelVersion":"scoring-model-v5","customerId":"C0000007","reasons":[]}"#)
    }

    @Test(
        "a damaged stored detail is an error naming the assessment, never a crash",
        arguments: [
            Data([0x78, 0x9c, 0x01, 0x02]), Data([0x78, 0x9c]) + Data(repeating: 0xff, count: 64), Data(), Data([0x00]),
            // zstd: the magic alone; garbage after it; a frame cut short; a frame with one byte of its content changed
            // (its checksum fails); a frame packed with a dictionary (id 99) this version does not ship.
            Data([0x28, 0xB5, 0x2F, 0xFD]), Data([0x28, 0xB5, 0x2F, 0xFD]) + Data(repeating: 0xff, count: 64),
            hexData("28b52ffd250448bd0000187b5d7d06fc800a030e0018f6b3f89c"),
            hexData("28b52ffd250448bd0000187b5d7d06fc800a030e0018f6b3f89c23e09528210a7b75310e91"),
            hexData("28b52ffd256348950000207b375d7d04fcea83e14cb7fa05727b08b375310e90"),
        ])
    func damagedDetail(bytes: Data) async throws {
        let (db, _) = try await Self.scoredDemo(customerId: "C0000007")
        try await db.write { db in
            try db.execute(sql: "UPDATE assessment SET detail = ? WHERE customer_id = 'C0000007'", arguments: [bytes])
        }
        await #expect {
            try await db.read { try AssessmentStore().latest($0, customerId: "C0000007") }
        } throws: { error in
            "\(error)".contains("the stored detail of assessment") && "\(error)".contains("is damaged")
        }
    }

    @Test("a stored detail that inflates past 4 MiB is refused as damaged, not held in memory")
    func inflationBomb() async throws {
        let (db, _) = try await Self.scoredDemo(customerId: "C0000007")
        let bomb = PackedDetail(json: Data(repeating: UInt8(ascii: " "), count: 8 << 20)).bytes
        #expect(bomb.count < 64 * 1024)
        try await db.write { db in
            try db.execute(sql: "UPDATE assessment SET detail = ? WHERE customer_id = 'C0000007'", arguments: [bomb])
        }
        await #expect {
            try await db.read { try AssessmentStore().latest($0, customerId: "C0000007") }
        } throws: { error in "\(error)".contains("is damaged") }
    }
}

/// Bytes written as hexadecimal digits, two a byte.
func hexData(_ hex: String) -> Data {
    Data(
        stride(from: 0, to: hex.count, by: 2).compactMap { offset -> UInt8? in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)
        })
}
