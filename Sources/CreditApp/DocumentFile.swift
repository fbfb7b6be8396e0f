import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one document file whole, unless it is over a size limit: one `open`, one `fstat` and
/// reads straight into the buffer. FileManager's attributes (which look up the owner's and the
/// group's names) and `Data(contentsOf:)` cost more than parsing a small statement does, and an
/// import reads ten thousand of them. Whatever this path cannot handle (a file that cannot be
/// opened, one that grows while it is read) goes to `Data(contentsOf:)`, so errors read as before.
enum DocumentFile {
    enum Contents {
        case contents(Data)
        /// The file's size, over the limit: nothing was read.
        case tooLarge(Int)
        /// A pipe, a device or a socket (perhaps behind a link): never read, as it may never end.
        case notAFile
    }

    /// Every file under `folder` and its subfolders (hidden ones too; a symbolic link is listed,
    /// not followed), as paths, in no particular order; the subfolders themselves are not listed:
    /// their files are. `opendir`/`readdir` rather than FileManager's enumerator, whose URLs cost
    /// more than the listing itself on a folder of ten thousand statements. A subfolder that
    /// cannot be opened is passed over, as the enumerator does. A name that is not UTF-8 cannot be
    /// handed on as a path: it comes back in `misnamed`, its other bytes written `\xNN`.
    /// `regular`: the files the listing says are regular files (not links), which need no `stat`
    /// of their own before they are read.
    static func files(under folder: String) -> (files: [String], regular: Set<String>, misnamed: [String]) {
        var found: [String] = []
        var regular: Set<String> = []
        var misnamed: [String] = []
        var pending = [folder]
        while let current = pending.popLast() {
            guard let directory = opendir(current) else { continue }
            defer { closedir(directory) }
            let prefix = current.hasSuffix("/") ? current : current + "/"
            while let entry = readdir(directory) {
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    let shown = bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true) }
                    misnamed.append(prefix + shown.joined())
                    continue
                }
                guard name != ".", name != ".." else { continue }
                let path = prefix + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    // Some file systems do not say: ask, without following a link.
                    var status = stat()
                    if lstat(path, &status) == 0 {
                        switch status.st_mode & S_IFMT {
                        case S_IFDIR: type = UInt8(DT_DIR)
                        case S_IFREG: type = UInt8(DT_REG)
                        default: break
                        }
                    }
                }
                if type == UInt8(DT_DIR) {
                    pending.append(path)
                } else {
                    found.append(path)
                    if type == UInt8(DT_REG) { regular.insert(path) }
                }
            }
        }
        return (found, regular, misnamed)
    }

    /// The path with its symbolic links resolved (`realpath`); nil when it cannot be resolved.
    static func realPath(of path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(validatingCString: resolved)
    }

    /// Whether the path names a folder, and its size; nil when nothing is there (`stat` follows
    /// links, as `FileManager.fileExists` does).
    static func status(of path: String) -> (isFolder: Bool, size: Int)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return ((status.st_mode & S_IFMT) == S_IFDIR, Int(status.st_size))
    }

    /// Why a pipe, a device or a socket given as a file is refused.
    static let notAFileMessage = "is not a regular file (a pipe, a device or a socket): only files are read"

    /// Whether the path (its links followed) is a pipe, a device or a socket: something that may
    /// wait for ever (a pipe without a writer) or never end (`/dev/zero`) when read.
    static func isSpecial(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        switch status.st_mode & S_IFMT {
        case S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK: return true
        default: return false
        }
    }

    static func contents(of path: String, maximumBytes: Int) throws -> Contents {
        /// What Foundation reads, and how it words a failure.
        func foundation() throws -> Contents { .contents(try Data(contentsOf: URL(fileURLWithPath: path))) }
        // Non-blocking: opening a pipe would otherwise wait for a writer (a regular file reads the same).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return try foundation() }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return try foundation() }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return .notAFile }
        let size = Int(status.st_size)
        guard size <= maximumBytes else { return .tooLarge(size) }
        // One byte more than the size, to see the end of the file rather than assume it.
        var data = Data(count: size + 1)
        let filled = data.withUnsafeMutableBytes { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var filled = 0
            while filled < buffer.count {
                let count = read(descriptor, base + filled, buffer.count - filled)
                if count > 0 {
                    filled += count
                } else if count == 0 {
                    return filled
                } else if errno != EINTR {
                    return nil
                }
            }
            return filled
        }
        guard let filled, filled <= size else { return try foundation() }
        data.count = filled
        return .contents(data)
    }
}
