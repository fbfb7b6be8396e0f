import CSystemZlib
import Foundation
import GRDB
import Synchronization

/// An assessment's detail (its JSON: reasons, contributions, evidence) as stored: deflated.
///
/// The detail is what explains a grade months later, so every assessment keeps all of it. As
/// JSON text it is about 4 kB a customer; deflated alone about 1.6 kB, deflated against a
/// preset dictionary (real assessments' JSON, whose keys and phrases every detail repeats)
/// about 0.6 kB. The zlib stream names its dictionary by checksum, so a dictionary, once
/// shipped, never changes: a new one is added beside it, and new details use the last
/// (dictionary 1: two demo assessments; 2: 26 KiB of nine, of every grade, with and without a
/// statement, 20 % smaller; 3: the last 12 KiB of 2, details 4 % larger but loaded in half the
/// time: each deflater hashes it into a stream once, and every detail starts from a copy of that).
public struct PackedDetail: Sendable, Hashable {
    public let bytes: Data

    /// Deflates `json` against the current dictionary; done by the scoring workers, off the writer.
    public init(json: Data) {
        bytes = Self.deflated(json) ?? json
    }

    /// The shipped dictionaries by their Adler-32 checksum (what a zlib stream names), and the
    /// one new details are packed with. Empty if the resource is missing: details are then
    /// packed without one, and rows packed with one cannot be read (an error, not a crash).
    static let dictionaries: (byChecksum: [UInt: Data], current: Data?) = {
        var byChecksum: [UInt: Data] = [:]
        var current: Data?
        for name in ["detail-dictionary-1", "detail-dictionary-2", "detail-dictionary-3"] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "txt"), let data = try? Data(contentsOf: url) else { continue }
            byChecksum[checksum(data)] = data
            current = data
        }
        return (byChecksum, current)
    }()

    static func checksum(_ data: Data) -> UInt {
        data.withUnsafeBytes { UInt(adler32(adler32(0, nil, 0), $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
    }

    /// No stored detail inflates past this: a row that claims more is damaged, not an assessment.
    static let largestJSON = 4 << 20

    /// The JSON of a stored detail: deflated bytes (a BLOB) or, for rows stored before details
    /// were packed, the JSON text itself.
    static func json(_ value: DatabaseValue, assessmentId: Int64?) throws -> Data {
        switch value.storage {
        case .string(let text): return Data(text.utf8)
        case .blob(let bytes):
            // A detail that could not be deflated is kept as JSON (it starts with `{`; a zlib stream never does).
            if bytes.first == UInt8(ascii: "{") { return bytes }
            switch inflated(bytes) {
            case .success(let json): return json
            case .failure(let problem): throw DamagedDetail(assessmentId: assessmentId, problem: problem.rawValue)
            }
        default: throw DamagedDetail(assessmentId: assessmentId, problem: "it is neither JSON nor deflated")
        }
    }

    /// A stored detail that cannot be read: the service's data is damaged, not the request.
    struct DamagedDetail: Error, CustomStringConvertible {
        var assessmentId: Int64?
        var problem: String
        var description: String { "the stored detail of assessment \(assessmentId.map(String.init) ?? "?") is damaged: \(problem)" }
    }

    enum InflateProblem: String, Error {
        case damaged = "it does not inflate"
        case tooLarge = "it inflates past 4 MiB"
        case unknownDictionary = "it was packed with a dictionary this version does not ship"
    }

    /// zlib's deflate against the current dictionary; nil only when zlib fails (no memory).
    static func deflated(_ json: Data) -> Data? {
        guard let deflater = Deflater.take() else { return nil }
        defer { Deflater.give(deflater) }
        return deflater.deflate(json)
    }

    /// A zlib deflate stream kept between details: a scoring run packs 100k of them. Loading a
    /// 12 KiB dictionary into a stream hashes every byte of it, a third of what packing a detail
    /// cost; so each deflater loads the current dictionary once into a primed stream and starts
    /// every detail from a copy of it (`deflateCopy`: a copy of the state, a few microseconds at a
    /// 16 KiB window). A deflater is used by one thread at a time: taken from the pool, given back.
    final class Deflater: @unchecked Sendable {
        /// zlib's state points back at its stream, so each stream stays at one address.
        private let primed = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private let working = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        /// Whether `primed` holds the current dictionary (none when the resource is missing).
        private let isPrimed: Bool

        /// Level 3: details 13 % larger than at level 9 (about 700 bytes against 620 with the
        /// dictionary), packed more than twice as fast; most of a run's packing time was level 9's search.
        static let level: Int32 = 3
        /// A 16 KiB window holds the 12 KiB dictionary and a detail's own back-references, and
        /// memory level 6 keeps the state small enough to copy cheaply: details within 1 % of the
        /// default's (15, 8) size. Inflating needs no setting: the stream's header states its window.
        static let windowBits: Int32 = 14
        static let memoryLevel: Int32 = 6

        private static let pool = Mutex<[Deflater]>([])

        static func take() -> Deflater? {
            pool.withLock { $0.popLast() } ?? Deflater()
        }

        static func give(_ deflater: Deflater) {
            pool.withLock { if $0.count < 16 { $0.append(deflater) } }
        }

        private init?() {
            primed.initialize(to: z_stream())
            working.initialize(to: z_stream())
            let dictionary = PackedDetail.dictionaries.current
            let initialised =
                deflateInit2_(
                    primed, Self.level, Z_DEFLATED, Self.windowBits, Self.memoryLevel, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                    Int32(MemoryLayout<z_stream>.size)) == Z_OK
            var ready = initialised
            if ready, let dictionary {
                let stream = primed
                ready = dictionary.withUnsafeBytes { deflateSetDictionary(stream, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) } == Z_OK
            }
            guard ready else {
                if initialised { deflateEnd(primed) }
                primed.deallocate()
                working.deallocate()
                return nil
            }
            isPrimed = dictionary != nil
        }

        deinit {
            deflateEnd(primed)
            primed.deallocate()
            working.deallocate()
        }

        /// `json` deflated as one zlib stream against the current dictionary; nil when zlib fails.
        func deflate(_ json: Data) -> Data? {
            let stream: UnsafeMutablePointer<z_stream>
            if isPrimed {
                guard deflateCopy(working, primed) == Z_OK else { return nil }
                stream = working
            } else {
                // No dictionary: the stream itself is reset and used.
                guard deflateReset(primed) == Z_OK else { return nil }
                stream = primed
            }
            defer { if stream == working { deflateEnd(working) } }
            var output = Data(count: Int(deflateBound(stream, uLong(json.count))))
            let status = json.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                    stream.pointee.avail_in = uInt(source.count)
                    stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    stream.pointee.avail_out = uInt(target.count)
                    return CSystemZlib.deflate(stream, Z_FINISH)
                }
            }
            guard status == Z_STREAM_END else { return nil }
            output.count = Int(stream.pointee.total_out)
            return output
        }
    }

    /// Inflates a zlib stream, with the dictionary it names when it names one.
    static func inflated(_ bytes: Data) -> Result<Data, InflateProblem> {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return .failure(.damaged) }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var input = [UInt8](bytes)
        let count = input.count
        return input.withUnsafeMutableBufferPointer { source -> Result<Data, InflateProblem> in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { target -> (Int32, Int) in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, target.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk.prefix(produced))
                if output.count > largestJSON { return .failure(.tooLarge) }
                switch status {
                case Z_STREAM_END: return .success(output)
                case Z_OK: continue
                case Z_NEED_DICT:
                    guard let dictionary = dictionaries.byChecksum[UInt(stream.adler)] else { return .failure(.unknownDictionary) }
                    let set = dictionary.withUnsafeBytes {
                        inflateSetDictionary(&stream, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))
                    }
                    guard set == Z_OK else { return .failure(.damaged) }
                // Z_BUF_ERROR: no progress possible, the stream is truncated; anything else is damage.
                default: return .failure(.damaged)
                }
            }
        }
    }
}
