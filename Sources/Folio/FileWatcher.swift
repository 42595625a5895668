/// Waits for files to change: inotify on the folders that hold them (Linux), so an editor's save
/// (written in place, or a new file renamed over the old) is seen at once. Every wait also ends
/// after its timeout, so callers check the files anyway (file systems without inotify events,
/// such as some network mounts, are polled that way).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class FileWatcher: @unchecked Sendable {
    private let fd: Int32
    private var folders = Set<String>()
    private var seen = Set<String>()
    private let lock = NSLock()

    public init() {
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        #else
        fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Watches the folders of `files` (those already watched are kept).
    public func watch(_ files: [String]) {
        #if os(Linux)
        guard fd >= 0 else { return }
        lock.withLock {
            // Only files not seen before: this runs after every rebuild, over every file of the
            // issue. A file whose folder cannot be watched (not there yet) is tried again next time.
            for file in files where !seen.contains(file) {
                let folder = file.lastIndex(of: "/").map { slash in slash == file.startIndex ? "/" : String(file[..<slash]) } ?? "."
                let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_ATTRIB) | UInt32(IN_MODIFY)
                if folders.contains(folder) || inotify_add_watch(fd, folder, mask) >= 0 {
                    folders.insert(folder)
                    seen.insert(file)
                }
            }
        }
        #endif
    }

    /// Blocks until something changes in a watched folder (true) or `timeout` seconds pass (false).
    public func wait(timeout: Double) -> Bool {
        guard fd >= 0 else {
            Thread.sleep(forTimeInterval: timeout)
            return false
        }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) > 0 else { return false }
        // Drain the events: which file changed is not needed, the caller compares them all.
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while read(fd, &buffer, buffer.count) > 0 {}
        return true
    }
}
