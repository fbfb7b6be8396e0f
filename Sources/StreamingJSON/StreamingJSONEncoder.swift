import Foundation

/// Encodes `Encodable` values to JSON by writing bytes as the values encode themselves, without
/// the tree of dictionaries Foundation's `JSONEncoder` builds first: a scoring run encodes 100k
/// assessments of 4 kB, and Foundation's encoder took a third of the run.
///
/// The output is what `JSONEncoder` writes with its default strategies (`"/"` escaped, a double
/// as its shortest description without a trailing `.0`), and with `sortedKeys` the same bytes
/// as `JSONEncoder` with `.sortedKeys` (what the assessment fingerprints hash; a test holds
/// them equal). Anything it does not write itself — `Data`, `URL`, `Decimal` (which
/// `JSONEncoder` special-cases), a container requested in an order it cannot stream (a nested
/// container written after its parent moved on), `superEncoder`, a non-finite number — makes
/// `encode` throw `Unsupported`; `encodeOrFallBack` then asks `JSONEncoder`.
public struct StreamingJSONEncoder: Sendable {
    public var sortedKeys: Bool
    /// `"/"` written as `\/` (`JSONEncoder`'s default) or as is (its `.withoutEscapingSlashes`).
    public var escapingSlashes: Bool

    public init(sortedKeys: Bool = false, escapingSlashes: Bool = true) {
        self.sortedKeys = sortedKeys
        self.escapingSlashes = escapingSlashes
    }

    /// Why a value was not written here (`JSONEncoder` writes it, or refuses it as it does).
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = Writer(sortedKeys: sortedKeys, escapingSlashes: escapingSlashes)
        try writer.encodeValue(value)
        try writer.finish()
        return Data(writer.output.pointee)
    }

    /// This encoder's bytes, or `JSONEncoder`'s (same options) for what it does not write.
    public func encodeOrFallBack<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try encode(value)
        } catch is Unsupported {
            let encoder = JSONEncoder()
            if sortedKeys { encoder.outputFormatting.insert(.sortedKeys) }
            if !escapingSlashes { encoder.outputFormatting.insert(.withoutEscapingSlashes) }
            return try encoder.encode(value)
        }
    }
}

/// The bytes being written and the containers open, innermost last.
final class Writer: Encoder {
    /// The bytes and the open levels live behind pointers rather than in stored properties: a
    /// class's stored property is checked for exclusive access at every write at run time, and
    /// those checks cost more than writing the bytes (one writer is used by one thread).
    let output = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
    let stack = UnsafeMutablePointer<[Level]>.allocate(capacity: 1)
    let sortedKeys: Bool
    let escapingSlashes: Bool
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A value being encoded: the container it opened (none yet: `{}` if it opens none) and
    /// how many members it wrote. `id` tells a container whether it is still the open one.
    struct Level {
        enum Kind { case none, object, array, single }
        var kind = Kind.none
        var count = 0
        var id: Int
        /// With sorted keys: each member's key and where its bytes start, to be sorted at the close.
        var members: [(key: String, start: Int)] = []
        var start = 0
    }
    var nextId = 0
    /// Set by what cannot throw where it is asked (a nested container, `superEncoder`): the
    /// encoding then fails at its end, never writes something else than `JSONEncoder` would.
    var failure: String?

    init(sortedKeys: Bool, escapingSlashes: Bool) {
        self.sortedKeys = sortedKeys
        self.escapingSlashes = escapingSlashes
        output.initialize(to: [])
        output.pointee.reserveCapacity(4096)
        stack.initialize(to: [])
        stack.pointee.reserveCapacity(16)
    }

    deinit {
        output.deinitialize(count: 1)
        output.deallocate()
        stack.deinitialize(count: 1)
        stack.deallocate()
    }

    func finish() throws {
        if let failure { throw StreamingJSONEncoder.Unsupported(description: failure) }
        guard stack.pointee.isEmpty else { throw StreamingJSONEncoder.Unsupported(description: "a container was left open") }
    }

    /// Encodes a value of any type: its own `encode(to:)` against a new level, closed after it.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == Date.self {
            throw StreamingJSONEncoder.Unsupported(description: "\(T.self) has a strategy in JSONEncoder")
        }
        nextId += 1
        stack.pointee.append(Level(id: nextId, start: output.pointee.count))
        try value.encode(to: self)
        try close()
    }

    private func close() throws {
        guard let level = stack.pointee.popLast() else { throw StreamingJSONEncoder.Unsupported(description: "unbalanced containers") }
        switch level.kind {
        case .none: output.pointee.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .object:
            if sortedKeys, level.members.count > 1 { sortMembers(level) }
            output.pointee.append(UInt8(ascii: "}"))
        case .array: output.pointee.append(UInt8(ascii: "]"))
        case .single:
            if level.count == 0 { throw StreamingJSONEncoder.Unsupported(description: "a single value container without a value") }
        }
    }

    /// Rewrites an object's members (each `,"key":value` from its start) in key order, as
    /// `JSONEncoder` with `.sortedKeys` does (by the keys' code points).
    private func sortMembers(_ level: Level) {
        let end = output.pointee.count
        // Each member's bytes as a range, without its leading comma (no slices held: a slice
        // would share the buffer and the rewrite below would copy all of it).
        var pieces: [(key: String, range: Range<Int>)] = []
        pieces.reserveCapacity(level.members.count)
        for (index, member) in level.members.enumerated() {
            let to = index + 1 < level.members.count ? level.members[index + 1].start : end
            pieces.append((member.key, (index == 0 ? member.start : member.start + 1)..<to))
        }
        pieces.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let start = level.members[0].start
        var sorted: [UInt8] = []
        sorted.reserveCapacity(end - start)
        output.pointee.withUnsafeBufferPointer { bytes in
            for (index, piece) in pieces.enumerated() {
                if index > 0 { sorted.append(UInt8(ascii: ",")) }
                sorted.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[piece.range]))
            }
        }
        output.pointee.withUnsafeMutableBufferPointer { bytes in
            sorted.withUnsafeBufferPointer { sorted in
                _ = UnsafeMutableBufferPointer(rebasing: bytes[start..<start + sorted.count]).update(fromContentsOf: sorted)
            }
        }
    }

    /// The level a container of `id` writes to; refuses a container that is no longer open.
    func open(_ id: Int) throws -> Int {
        guard let index = stack.pointee.lastIndex(where: { $0.id == id }), index == stack.pointee.count - 1 else {
            throw StreamingJSONEncoder.Unsupported(description: "a container written after its parent moved on")
        }
        return index
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(writer: self, id: openCurrent(as: .object, bracket: UInt8(ascii: "{"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(writer: self, id: openCurrent(as: .array, bracket: UInt8(ascii: "[")))
    }

    /// Opens the value being encoded as `kind` (writing its bracket), or continues it when it is
    /// one already (a value asking twice); any other kind fails the encoding. The level's id, -1
    /// for a container every write of which throws.
    private func openCurrent(as kind: Level.Kind, bracket: UInt8) -> Int {
        guard let last = stack.pointee.indices.last else { return -1 }
        switch stack.pointee[last].kind {
        case .none:
            stack.pointee[last].kind = kind
            output.pointee.append(bracket)
            return stack.pointee[last].id
        case kind: return stack.pointee[last].id
        default:
            failure = failure ?? "a container of another kind than the value opened"
            return -1
        }
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        var id = -1
        if let last = stack.pointee.indices.last, stack.pointee[last].kind == .none {
            stack.pointee[last].kind = .single
            id = stack.pointee[last].id
        } else {
            failure = failure ?? "a single value container in a value that opened another"
        }
        return SingleContainer(writer: self, id: id)
    }

    // MARK: Writing scalars

    /// Starts a member of the object at `level`: the comma, the key, the colon.
    func key(_ key: String, at level: Int) {
        if stack.pointee[level].count > 0 { output.pointee.append(UInt8(ascii: ",")) }
        if sortedKeys { stack.pointee[level].members.append((key, output.pointee.count - (stack.pointee[level].count > 0 ? 1 : 0))) }
        stack.pointee[level].count += 1
        string(key)
        output.pointee.append(UInt8(ascii: ":"))
    }

    /// Starts an element of the array at `level`.
    func element(at level: Int) {
        if stack.pointee[level].count > 0 { output.pointee.append(UInt8(ascii: ",")) }
        stack.pointee[level].count += 1
    }

    func string(_ value: String) { JSONText.string(value, into: &output.pointee, escapingSlashes: escapingSlashes) }

    func literal(_ text: String) { output.pointee.append(contentsOf: text.utf8) }

    func integer<T: BinaryInteger>(_ value: T) { JSONText.integer(value, into: &output.pointee) }

    func double(_ value: Double) throws { try JSONText.double(value, into: &output.pointee) }

    func float(_ value: Float) throws {
        guard value.isFinite else { throw StreamingJSONEncoder.Unsupported(description: "a non-finite number") }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        literal(text)
    }

    /// Marks the encoding as failed and hands out containers that refuse every write.
    func refuse(_ what: String) -> Writer {
        failure = failure ?? what
        return self
    }
}

struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: Writer
    let id: Int
    var codingPath: [any CodingKey] { [] }

    private func start(_ key: Key) throws {
        writer.key(key.stringValue, at: try writer.open(id))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try start(key)
        writer.literal("null")
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try start(key)
        writer.literal(value ? "true" : "false")
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try start(key)
        writer.string(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try start(key)
        try writer.double(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try start(key)
        try writer.float(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    private func integer<T: BinaryInteger>(_ value: T, _ key: Key) throws {
        try start(key)
        writer.integer(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try start(key)
        try writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer.refuse("a nested container"), id: -1))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedContainer(writer: writer.refuse("a nested container"), id: -1)
    }
    mutating func superEncoder() -> any Encoder { writer.refuse("superEncoder") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { writer.refuse("superEncoder") }
}

/// A container whose values take no key (an array's elements, a single value): `start` opens
/// the next slot, then the value is written the same way in both.
protocol ValueSlot {
    var writer: Writer { get }
    func start() throws
}

extension ValueSlot {
    mutating func encodeNil() throws {
        try start()
        writer.literal("null")
    }
    mutating func encode(_ value: Bool) throws {
        try start()
        writer.literal(value ? "true" : "false")
    }
    mutating func encode(_ value: String) throws {
        try start()
        writer.string(value)
    }
    mutating func encode(_ value: Double) throws {
        try start()
        try writer.double(value)
    }
    mutating func encode(_ value: Float) throws {
        try start()
        try writer.float(value)
    }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }

    private func integer<T: BinaryInteger>(_ value: T) throws {
        try start()
        writer.integer(value)
    }

    /// A value of its own: written in a new level, closed after it.
    mutating func encode<T: Encodable>(_ value: T) throws {
        try start()
        try writer.encodeValue(value)
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer, ValueSlot {
    let writer: Writer
    let id: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { (try? writer.open(id)).map { writer.stack.pointee[$0].count } ?? 0 }

    func start() throws { writer.element(at: try writer.open(id)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer.refuse("a nested container"), id: -1))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedContainer(writer: writer.refuse("a nested container"), id: -1) }
    mutating func superEncoder() -> any Encoder { writer.refuse("superEncoder") }
}

struct SingleContainer: SingleValueEncodingContainer, ValueSlot {
    let writer: Writer
    let id: Int
    var codingPath: [any CodingKey] { [] }

    func start() throws {
        let level = try writer.open(id)
        guard writer.stack.pointee[level].count == 0 else {
            throw StreamingJSONEncoder.Unsupported(description: "a second value in a single value container")
        }
        writer.stack.pointee[level].count = 1
    }
}
