import CSystemZlib
import Foundation
import GRDB

/// An assessment's detail (its JSON: reasons, contributions, evidence) as stored: compressed.
///
/// The detail is what explains a grade months later, so every assessment keeps all of it. As
/// JSON text it is about 4 kB a customer. Since dictionary 4 a detail is a zstd frame against a
/// dictionary trained on real details (about 0.4 kB; 0.7 kB with a statement): a scoring run
/// packs 100k of them, and zstd with its dictionary digested once packs one in about 5 µs where
/// zlib took 30 µs for a 60 % larger result. Rows stored before are zlib streams against
/// dictionaries 1-3 (about 0.6 kB) or, older still, JSON text: all still read. A stream names
/// its dictionary (zlib by checksum, zstd by its id), so a dictionary, once shipped, never
/// changes: a new one is added beside it.
///
/// Dictionary 4 (`detail-dictionary-4.zstd`, id 4) was trained with `zstd --train --maxdict=12288
/// --dictID=4` on 1 500 details of the benchmark portfolio (`generate --seed 42`, scored at
/// 2026-10-31) and 441 of the demo portfolio with its statements (five month ends); on details
/// of both held out, 426 and 698 bytes against 666 and 1 162 with zlib and dictionary 3.
public struct PackedDetail: Sendable, Hashable {
    public let bytes: Data

    /// Compresses `json` against the current dictionary; done by the scoring workers, off the writer.
    public init(json: Data) {
        bytes = Self.compressed(json) ?? json
    }

    /// The zlib dictionaries of rows stored before dictionary 4, by their Adler-32 checksum (what
    /// a zlib stream names). A missing resource leaves its rows unreadable (an error, not a crash).
    static let zlibDictionaries: [UInt: Data] = {
        var byChecksum: [UInt: Data] = [:]
        for name in ["detail-dictionary-1", "detail-dictionary-2", "detail-dictionary-3"] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "txt"), let data = try? Data(contentsOf: url) else { continue }
            byChecksum[checksum(data)] = data
        }
        return byChecksum
    }()

    static func checksum(_ data: Data) -> UInt {
        data.withUnsafeBytes { UInt(adler32(adler32(0, nil, 0), $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
    }

    /// No stored detail inflates past this: a row that claims more is damaged, not an assessment.
    static let largestJSON = 4 << 20

    /// The JSON of a stored detail: compressed bytes (a BLOB) or, for rows stored before details
    /// were packed, the JSON text itself.
    static func json(_ value: DatabaseValue, assessmentId: Int64?) throws -> Data {
        switch value.storage {
        case .string(let text): return Data(text.utf8)
        case .blob(let bytes):
            // A detail that could not be packed is kept as JSON (it starts with `{`; a zstd frame
            // starts with its magic number, a zlib stream with neither).
            if bytes.first == UInt8(ascii: "{") { return bytes }
            let result = ZstdDictionary.isFrame(bytes) ? ZstdDictionary.decompressed(bytes) : inflated(bytes)
            switch result {
            case .success(let json): return json
            case .failure(let problem): throw DamagedDetail(assessmentId: assessmentId, problem: problem.rawValue)
            }
        default: throw DamagedDetail(assessmentId: assessmentId, problem: "it is neither JSON nor compressed")
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

    /// zstd against the current dictionary; nil only when zstd fails (no memory).
    static func compressed(_ json: Data) -> Data? {
        guard let context = ZstdDictionary.Compressor.take() else { return nil }
        defer { ZstdDictionary.Compressor.give(context) }
        return context.compress(json)
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
                    guard let dictionary = zlibDictionaries[UInt(stream.adler)] else { return .failure(.unknownDictionary) }
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
