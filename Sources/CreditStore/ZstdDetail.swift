import CSystemZstd
import Foundation
import Synchronization

/// zstd for the stored details: the shipped dictionaries, digested once for the process, and
/// the compression contexts the scoring workers reuse.
enum ZstdDictionary {
    /// The dictionaries this version ships, by the id a frame names, and the one new details use.
    /// zstd's digested dictionaries are read-only once made and may be shared by every thread.
    final class Shipped: @unchecked Sendable {
        /// Level 3 (zstd's default): as fast as level 1 on details and 10 % smaller.
        static let level: Int32 = 3
        let compressing: OpaquePointer?
        let decompressing: [UInt32: OpaquePointer]

        init(names: [String]) {
            var compressing: OpaquePointer?
            var decompressing: [UInt32: OpaquePointer] = [:]
            for name in names {
                guard let url = Bundle.module.url(forResource: name, withExtension: "zstd"), let data = try? Data(contentsOf: url) else { continue }
                data.withUnsafeBytes { bytes in
                    let id = ZSTD_getDictID_fromDict(bytes.baseAddress, bytes.count)
                    guard id != 0, let digested = ZSTD_createDDict(bytes.baseAddress, bytes.count) else { return }
                    decompressing[id] = digested
                    compressing = ZSTD_createCDict(bytes.baseAddress, bytes.count, Self.level)
                }
            }
            self.compressing = compressing
            self.decompressing = decompressing
        }
    }

    /// Empty if the resource is missing: details are then compressed without a dictionary, and
    /// rows compressed with one cannot be read (an error, not a crash).
    static let shipped = Shipped(names: ["detail-dictionary-4"])

    /// A zstd frame starts with its magic number, 0xFD2FB528 little-endian.
    static func isFrame(_ bytes: Data) -> Bool {
        bytes.count >= 4 && bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    }

    /// The frame's content, bounded before anything is allocated: the frame states its size
    /// (every frame written here does), which must be at most `PackedDetail.largestJSON`, and
    /// the content must be exactly that size and pass the frame's checksum.
    static func decompressed(_ bytes: Data) -> Result<Data, PackedDetail.InflateProblem> {
        bytes.withUnsafeBytes { source -> Result<Data, PackedDetail.InflateProblem> in
            let size = ZSTD_getFrameContentSize(source.baseAddress, source.count)
            // ZSTD_CONTENTSIZE_UNKNOWN and ZSTD_CONTENTSIZE_ERROR, the last two values.
            guard size < UInt64.max - 1 else { return .failure(.damaged) }
            guard size <= UInt64(PackedDetail.largestJSON) else { return .failure(.tooLarge) }
            let id = ZSTD_getDictID_fromFrame(source.baseAddress, source.count)
            let dictionary = shipped.decompressing[id]
            if id != 0 && dictionary == nil { return .failure(.unknownDictionary) }
            guard let context = ZSTD_createDCtx() else { return .failure(.damaged) }
            defer { ZSTD_freeDCtx(context) }
            var output = Data(count: Int(size))
            let written = output.withUnsafeMutableBytes { target in
                if let dictionary {
                    return ZSTD_decompress_usingDDict(context, target.baseAddress, target.count, source.baseAddress, source.count, dictionary)
                }
                return ZSTD_decompressDCtx(context, target.baseAddress, target.count, source.baseAddress, source.count)
            }
            guard ZSTD_isError(written) == 0, written == output.count else { return .failure(.damaged) }
            return .success(output)
        }
    }

    /// A compression context kept between details (a scoring run packs 100k of them), with the
    /// current dictionary attached once; used by one thread at a time: taken from the pool,
    /// given back.
    final class Compressor: @unchecked Sendable {
        private let context: OpaquePointer
        private static let pool = Mutex<[Compressor]>([])

        static func take() -> Compressor? {
            pool.withLock { $0.popLast() } ?? Compressor()
        }

        static func give(_ compressor: Compressor) {
            pool.withLock { if $0.count < 16 { $0.append(compressor) } }
        }

        private init?() {
            guard let context = ZSTD_createCCtx() else { return nil }
            self.context = context
            // Each frame states its size (reading refuses a frame that would grow past the
            // limit before allocating) and carries a checksum (damage is found, not decoded).
            var ready = ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)) == 0
            if let dictionary = ZstdDictionary.shipped.compressing {
                ready = ready && ZSTD_isError(ZSTD_CCtx_refCDict(context, dictionary)) == 0
            } else {
                ready = ready && ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Shipped.level)) == 0
            }
            guard ready else {
                ZSTD_freeCCtx(context)
                return nil
            }
        }

        deinit { ZSTD_freeCCtx(context) }

        /// `json` as one zstd frame; nil when zstd fails.
        func compress(_ json: Data) -> Data? {
            var output = Data(count: ZSTD_compressBound(json.count))
            let written = json.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    ZSTD_compress2(context, target.baseAddress, target.count, source.baseAddress, source.count)
                }
            }
            guard ZSTD_isError(written) == 0 else { return nil }
            output.count = written
            return output
        }
    }
}
