/// A file's state, to notice changes between two reads (the live preview, its read cache).
import Foundation

/// A file's identity and state, to notice an edit (or a replacement by rename, as editors save).
public struct FileStamp: Hashable, Sendable, Codable {
    public var size: Int64 = -1
    public var modified: Int64 = -1
    public var inode: UInt64 = 0

    public init(size: Int64, modified: Int64, inode: UInt64) { (self.size, self.modified, self.inode) = (size, modified, inode) }

    /// The file's state now (a missing file has size -1).
    public init(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        size = Int64(st.st_size)
        modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        inode = UInt64(st.st_ino)
    }

    /// The size of a stamp taken while its file may have been changing (see `FileRead`).
    public static let unsettled: Int64 = -2
    /// How far ahead of the clock a modification time may be and still be taken for a write
    /// during the read (a network file server's clock slightly ahead), in nanoseconds.
    static let settling: Int64 = 2_000_000_000

    /// The wall clock, in nanoseconds.
    public static func clock() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }
}

/// A read of files beginning: its time, and the stamps the files already known to be read had
/// just before it. After the read, `stamp(_:)` gives each file's stamp — or, when the file
/// may have changed while it was read (an image still being copied in, an article an editor
/// is saving), `FileStamp.unsettled`, a stamp no file has, so the next check reads it again:
/// a stamp taken after the write would match the finished file and hide the change for good.
///
/// A file changed during the read shows it in one of two ways. Its stamp differs from the one
/// before (`before`): a file growing as it is copied in, whatever the file system's clock. Or
/// its modification time is not before the read began: a save in place that keeps the size.
/// (The fine clock, not the kernel's coarse one: a file saved just before a build — an
/// editor's save that wakes it — never counts, so no build is repeated for nothing. The cost:
/// a same-size save in place within the read's first clock tick goes unnoticed where the file
/// system stamps coarse times — kernels before 6.13, or a file nobody has looked at since.)
/// A modification time more than `FileStamp.settling` ahead of the clock — a file from a
/// machine whose clock runs ahead — says nothing about the read and is taken as it is:
/// otherwise every check would read it again.
public struct FileRead: Sendable {
    public let start: Int64
    public let before: [String: FileStamp]

    /// `before`: the stamps of the files known to be read, taken now (or just before: a check
    /// that found a change). Files not in it are judged by their times alone.
    public init(before: [String: FileStamp] = [:]) {
        self.before = before
        start = FileStamp.clock()
    }

    /// A read of `files` (and perhaps others) beginning, their stamps taken now.
    public init(knowing files: some Sequence<String>) {
        self.init(before: Dictionary(files.map { ($0, FileStamp(path: $0)) }, uniquingKeysWith: { a, _ in a }))
    }

    /// `path`'s stamp now, after the read (see the type).
    public func stamp(_ path: String) -> FileStamp {
        var s = FileStamp(path: path)
        // (A file removed during the read is unsettled too: what was read of it is not "missing".)
        let changed = before[path].map { $0 != s } ?? false
        if changed || (s.size >= 0 && s.modified >= start && s.modified <= FileStamp.clock() + FileStamp.settling) { s.size = FileStamp.unsettled }
        return s
    }

    /// The stamps of `files` now (`stamp(_:)`).
    public func stamps(_ files: [String]) -> [String: FileStamp] {
        Dictionary(files.map { ($0, stamp($0)) }, uniquingKeysWith: { a, _ in a })
    }
}
