import Foundation
import Testing

@testable import CreditCore

@Suite("Model file")
struct ModelFileTests {
    @Test("the shipped model decodes and validates")
    func shipped() throws {
        let model = try ModelFile.shipped()
        #expect(model.version == "scoring-model-v2")
        #expect(model.gradeScale.count == 10)
        #expect(model.grades.last == Grade(code: "D", rank: 11))
        #expect(model.limitPolicy.grades.count == model.gradeScale.count)
        #expect(model.collectionsPolicy.promiseGraceDays == 3)
    }

    @Test("a v1 file, written before the collections section, still reads with the values v1 had built in")
    func v1StillReads() throws {
        let url = ModelFile.url.deletingLastPathComponent().appendingPathComponent("scoring-model-v1.json")
        let v1 = try ScoringModel.decode(from: Data(contentsOf: url))
        #expect(v1.version == "scoring-model-v1")
        #expect(v1.collections == nil)
        #expect(v1.collectionsPolicy == .v1)
        // Everything but the version, summary and the new section is the same in v2.
        var v2 = try ModelFile.shipped()
        v2.version = v1.version
        v2.summary = v1.summary
        v2.collections = nil
        #expect(v2 == v1)
    }

    /// One broken field of the shipped file and the message that must name it.
    struct Breakage: Sendable, CustomTestStringConvertible {
        /// Dotted path into the JSON tree; numbers index arrays.
        var path: String
        /// JSON text of the new value; nil deletes the field.
        var value: String?
        var message: String

        var testDescription: String { "\(path) = \(value ?? "(deleted)")" }
    }

    @Test(
        "a malformed or inconsistent model file is refused with a message naming the field",
        arguments: [
            Breakage(path: "gradeScale.3.maxPD", value: "0.005", message: "gradeScale[3].maxPD must be greater than gradeScale[2].maxPD"),
            Breakage(path: "gradeScale.9.maxPD", value: "0.9", message: "gradeScale[9].maxPD must be 1, so that the worst grade takes every PD"),
            Breakage(
                path: "gradeScale.4.code", value: "\"D\"",
                message: "gradeScale[4].code must not be \"D\", which is reserved for customers in default"),
            Breakage(path: "gradeScale.4.code", value: "\"4\"", message: "gradeScale[4].code repeats \"4\"; codes must be unique"),
            Breakage(path: "components.altmanZ.weight", value: nil, message: "components.altmanZ.weight is missing"),
            Breakage(path: "collections.promiseGraceDays", value: "-1", message: "collections.promiseGraceDays must be between 0 and 60 days"),
            Breakage(
                path: "collections.notDueWeight", value: "1.5",
                message: "collections.notDueWeight must be between 0 and 1 (an item not yet due never outranks one just due)"),
            Breakage(path: "components.altmanZ.weight", value: "\"heavy\"", message: "components.altmanZ.weight must be a number"),
            Breakage(
                path: "components.lateShare.minEffect", value: "2",
                message: "components.lateShare.minEffect must not be greater than components.lateShare.maxEffect"),
            Breakage(
                path: "combination.priorFloor", value: "0",
                message: "combination.priorFloor must be a probability strictly between 0 and 1"),
            Breakage(
                path: "paymentIndexAnchors.2.index", value: "90",
                message: "paymentIndexAnchors[2].index must not be greater than paymentIndexAnchors[1].index (paying later never scores better)"),
            Breakage(
                path: "financial.zeroWeightMonths", value: "12",
                message: "financial.zeroWeightMonths must be greater than financial.fullWeightMonths"),
            Breakage(path: "thinFile.bestGrade", value: "\"11\"", message: "thinFile.bestGrade must be a code of gradeScale, not \"11\""),
            Breakage(
                path: "limitPolicy.grades.2.grade", value: "\"X\"",
                message: "limitPolicy.grades[2].grade must be \"3\" (the grades in gradeScale's order), not \"X\""),
            Breakage(
                path: "limitPolicy.grades.1.equityShare", value: "-0.1", message: "limitPolicy.grades[1].equityShare must be a number not below 0"),
            Breakage(path: "limitPolicy.rounding.minimumStep", value: "0", message: "limitPolicy.rounding.minimumStep must be at least 1"),
            Breakage(
                path: "reminders.riskClasses.2.grades", value: "[\"8\", \"9\", \"10\"]",
                message: "reminders.riskClasses must place grade \"D\" in a risk class"),
            Breakage(
                path: "reminders.riskClasses.1.steps.2.offsetDays", value: "3",
                message: "reminders.riskClasses[1].steps[2].offsetDays must be greater than reminders.riskClasses[1].steps[1].offsetDays"),
            Breakage(path: "disputeDeadlines.byKind.price", value: "0", message: "disputeDeadlines.byKind.price must be a positive number of days"),
            Breakage(path: "version", value: "1", message: "version must be text"),
            Breakage(path: "version", value: "\"  \"", message: "version must not be empty"),
        ])
    func refused(_ breakage: Breakage) throws {
        var tree = try ModelFile.tree()
        let keys = breakage.path.split(separator: ".").map(String.init)
        let value = try breakage.value.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        Self.set(&tree, keys[...], to: value)
        let data = try JSONSerialization.data(withJSONObject: tree)
        #expect(throws: ModelError.self) { try ScoringModel.decode(from: data) }
        do {
            _ = try ScoringModel.decode(from: data)
        } catch {
            #expect(error.message == breakage.message)
            #expect(breakage.message.hasPrefix(error.field))
        }
    }

    @Test("an unknown recommendation names its field")
    func badEnumValue() throws {
        var tree = try ModelFile.tree()
        Self.set(&tree, ["limitPolicy", "grades", "1", "recommendation"], to: "maybe")
        #expect(try ModelFile.refusedField(tree) == "limitPolicy.grades[1].recommendation", "accepted an unknown recommendation")
    }

    @Test("a file that is not JSON says so")
    func notJSON() {
        #expect(throws: ModelError(field: "", message: "the model file is not valid JSON")) {
            try ScoringModel.decode(from: Data("{ version: ".utf8))
        }
    }

    /// Replaces (or deletes, with nil) the value at `keys` in a JSON tree.
    static func set(_ node: inout [String: Any], _ keys: ArraySlice<String>, to value: Any?) {
        guard let key = keys.first else { return }
        if keys.count == 1 {
            node[key] = value
            return
        }
        if var child = node[key] as? [String: Any] {
            set(&child, keys.dropFirst(), to: value)
            node[key] = child
        } else if var array = node[key] as? [Any] {
            set(&array, keys.dropFirst(), to: value)
            node[key] = array
        }
    }

    static func set(_ node: inout [Any], _ keys: ArraySlice<String>, to value: Any?) {
        guard let key = keys.first, let index = Int(key), array(node, has: index) else { return }
        if keys.count == 1 {
            if let value { node[index] = value } else { node.remove(at: index) }
            return
        }
        if var child = node[index] as? [String: Any] {
            set(&child, keys.dropFirst(), to: value)
            node[index] = child
        } else if var array = node[index] as? [Any] {
            set(&array, keys.dropFirst(), to: value)
            node[index] = array
        }
    }

    static func array(_ node: [Any], has index: Int) -> Bool { node.indices.contains(index) }
}
