/// JPEGs a run has decoded whole, remembered by file and stamp (size, time, inode) in the user's
/// cache folder, so that the next run does not decode them again to check them: a 12-megapixel
/// camera photo takes ~30 ms to check (its entropy-coded data is read whole at any scale), which
/// every render, preview and live session paid for every photo of the issue. A file that changes
/// gets a new stamp and is checked again; one that cannot be told apart by its stamp (rewritten
/// in place to the same size within the same nanosecond) is not — the cache is one line per
/// file (`checked-images`), started afresh past `limit` bytes.
import FolioCore
import Foundation

enum CheckedImages {
    static let limit = 4 << 20
    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: Set<Substring>?

    /// The file the facts are kept in, or nil when there is no cache folder.
    static var file: String? { UserCache.folder.map { $0 + "/checked-images" } }

    /// The line for `path` (made absolute) as it is at `stamp`; nil for a file that is not there.
    static func key(_ path: String, _ stamp: FileStamp) -> String? {
        guard stamp.size >= 0 else { return nil }
        var h = SHA256()
        h.update("\(RegularFile.resolved(path))\u{0}\(stamp.size)\u{0}\(stamp.modified)\u{0}\(stamp.inode)")
        return String(h.hexDigest().prefix(32))
    }

    /// Whether the file whose line is `k` was found whole.
    static func whole(_ k: String) -> Bool {
        lock.withLock {
            if known == nil {
                let text = file.flatMap { FileManager.default.contents(atPath: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                known = Set(text.split(separator: "\n"))
            }
            return known!.contains(Substring(k))
        }
    }

    /// Remembers that the file whose line is `k` decoded whole (appended as one line, which
    /// other processes appending at once do not tear). Where the cache cannot be written, nothing is kept.
    static func record(_ k: String) {
        lock.withLock { _ = known?.insert(Substring(k)) }
        guard let file else { return }
        try? FileManager.default.createDirectory(atPath: PathName.folder(of: file), withIntermediateDirectories: true)
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, Int(st.st_size) > limit { _ = ftruncate(fd, 0) }
        try? AtomicFile.writeAll(fd, Array((k + "\n").utf8), path: file)
    }
}
