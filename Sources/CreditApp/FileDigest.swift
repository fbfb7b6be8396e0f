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
        let digest = hasher.finalize()
        let digits = Array("0123456789abcdef".utf8)
        // Two digits a byte written in place: no string per byte to join.
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { text in
            var count = 0
            for byte in digest where count + 1 < text.count {
                text[count] = digits[Int(byte >> 4)]
                text[count + 1] = digits[Int(byte & 0x0f)]
                count += 2
            }
            return count
        }
    }
}
