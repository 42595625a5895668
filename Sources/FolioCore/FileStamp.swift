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

    /// The file's state after a read of it that began at `start` (`FileStamp.clock()` taken
    /// before the read). A file modified since then may have been read half-written — an image
    /// still being copied in, an article an editor is saving — and its stamp taken after the
    /// write would match the finished file, hiding the change for good; such a file gets a stamp
    /// no file has (`unsettled`), so the next check reads it again. (A modification time more
    /// than `settling` ahead of the clock — a file from a machine whose clock runs ahead — says
    /// nothing about the read and is taken as it is: otherwise every check would read it again.)
    public init(path: String, readSince start: Int64) {
        self.init(path: path)
        if size >= 0 && modified >= start && modified <= Self.clock() + Self.settling { size = Self.unsettled }
    }

    /// The size of a stamp taken while its file may have been changing (see `init(path:readSince:)`).
    public static let unsettled: Int64 = -2
    /// How far ahead of the clock a modification time may be and still be taken for a write
    /// during the read (a network file server's clock slightly ahead), in nanoseconds.
    static let settling: Int64 = 2_000_000_000

    /// The wall clock, in nanoseconds. (Fine, not the kernel's coarse clock: a file written
    /// just before a read began then never counts as changed during it — no read is repeated
    /// for nothing. A write in the read's first clock tick can go unnoticed where the file
    /// system stamps coarse times, as before kernel 6.13; later kernels stamp a file that has
    /// been looked at since its last change — as every check here does — with fine times.)
    public static func clock() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }
}
