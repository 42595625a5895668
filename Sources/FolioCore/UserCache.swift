/// Folio's folder in the user's cache: what one run keeps to save the next one time (the preview
/// index, the images found whole, decoded photos, font subsets), never beside the inputs.
import Foundation
import Glibc   // read

public enum UserCache {
    /// `$XDG_CACHE_HOME/folio` (an absolute path), else `~/.cache/folio`; nil when there is neither.
    public static var folder: String? {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["XDG_CACHE_HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) ?? env["HOME"].map({ $0 + "/.cache" }) else { return nil }
        return base + "/folio"
    }

    /// The running binary's stamp, read once: part of the name of whatever a `CacheFolder` keeps
    /// that this build made, so that a rebuilt Folio (whose decoding or subsetting may differ)
    /// makes its own.
    public static let binary: String = {
        let s = FileStamp(path: "/proc/self/exe")
        return "\(s.size)\u{0}\(s.modified)\u{0}\(s.inode)"
    }()
}

/// A folder of the user's cache whose files are named by a hash of what they were made from and
/// of the binary that made them, held to `limit` bytes: the files used longest ago are removed
/// first. Where it cannot be written, nothing is kept.
public struct CacheFolder: Sendable {
    public let path: String
    public let limit: Int

    /// `name` under the user's cache folder; nil when there is none.
    public init?(_ name: String, limit: Int) {
        guard let folder = UserCache.folder else { return nil }
        (path, self.limit) = (folder + "/" + name, limit)
    }

    /// Where the file made from `key` (and `bytes`) by this binary is, or would be, kept.
    public func file(_ key: String, bytes: [UInt8] = []) -> String {
        var h = SHA256()
        h.update(key + "\u{0}" + UserCache.binary + "\u{0}")
        h.update(bytes)
        return path + "/" + h.hexDigest().prefix(40)
    }

    /// The bytes kept at `file` (from `file(_:bytes:)`), marked used now; nil when there are none.
    public func read(_ file: String) -> [UInt8]? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        let whole = bytes.withUnsafeMutableBytes { Self.readAll(fd, into: $0.baseAddress!, count: $0.count) }
        guard whole else { return nil }
        Self.markUsed(fd)
        return bytes
    }

    /// Reads `count` bytes of `fd` into `buffer`; false when the file ends before.
    public static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Bool {
        var done = 0
        while done < count {
            let n = Glibc.read(fd, buffer + done, count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Marks the open file used now (its modification time), for `store`'s trimming.
    public static func markUsed(_ fd: Int32) { _ = futimens(fd, nil) }

    /// Keeps `bytes` at `file` (written whole, then renamed into place), and removes the files
    /// used longest ago while the folder holds more than `limit` bytes.
    public func store<C: Collection>(_ bytes: C, at file: String) where C.Element == UInt8 {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard (try? AtomicFile.write(bytes, to: file)) != nil else { return }
        trim()
    }

    /// Removes the files used longest ago while the folder holds more than `limit` bytes, and the
    /// partial ones a process ended before finishing.
    private func trim() {
        AtomicFile.removeStalePartials(in: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        var files: [(path: String, used: Int64, size: Int)] = []
        for name in names where !name.hasPrefix(".") {
            var st = stat()
            let p = path + "/" + name
            if stat(p, &st) == 0 { files.append((p, Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), Int(st.st_size))) }
        }
        var held = files.reduce(0) { $0 + $1.size }
        for f in files.sorted(by: { $0.used < $1.used }) where held > limit {
            unlink(f.path)
            held -= f.size
        }
    }
}
