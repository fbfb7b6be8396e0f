import Crypto
import Foundation

/// SHA-256 of a file, read in chunks: the import log's proof of which exact file came in.
enum FileDigest {
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return hasher.hex
    }

    static func sha256(of data: Data) -> String {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.hex
    }
}

/// SHA-256 as lower-case hex.
struct SHA256Hasher {
    private var hasher = SHA256()

    mutating func update(_ data: Data) { hasher.update(data: data) }

    var hex: String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
