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
}

