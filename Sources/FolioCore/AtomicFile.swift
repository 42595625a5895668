/// Write-then-rename, so readers see the old file or the whole new one, never half of one.
///
/// A file in progress is a hidden partial beside its final path (same file system, so the
/// rename is atomic), named `.NAME.partial-HOST-PID`: the host keeps runs of several machines
/// on shared storage apart. Partials are removed when writing fails, when the process is
/// signalled (`removeOwnPartials`), and by the next run when a killed one left them
/// (`removeStalePartials`: this host's whose process is gone, any host's older than a day).
/// Write errors name the cause ("no space left on device writing X"), never a raw domain code.
import Foundation

public enum AtomicFile {
    /// Partials of other hosts (whose processes cannot be checked) are removed after this long.
    public static let staleAge: TimeInterval = 24 * 3600

    /// This machine's name as it appears in partial names (no `/`).
    public static let host: String = {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: "/", with: "_")
    }()

    static let marker = ".partial-"

    /// The hidden partial beside `path` for this process.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent)\(marker)\(host)-\(getpid())").path
    }

    /// Renames a finished partial into place.
    public static func moveIntoPlace(_ temp: String, _ path: String) throws {
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw writeError(e, path)
        }
    }

    /// Writes `bytes` to `path` atomically (partial, then rename); the partial is removed on failure.
    public static func write<C: Collection>(_ bytes: C, to path: String) throws where C.Element == UInt8 {
        let temp = temporaryPath(for: path)
        let fd = try create(temp, finalPath: path)
        do {
            try writeAll(fd, bytes, path: path)
            try closeChecked(fd, path: path)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        try moveIntoPlace(temp, path)
    }

    /// Creates (or truncates) `temp` for writing. The corresponding C call: `open(O_CREAT|O_TRUNC|O_WRONLY)`.
    public static func create(_ temp: String, finalPath: String) throws -> Int32 {
        try gate.withLock {
            guard !stopping else { throw FolioError("stopped before writing \(finalPath)") }
            let fd = open(temp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw writeError(errno, finalPath) }
            return fd
        }
    }

    /// Held while a partial is made, and by `stopMakingPartials`.
    private static let gate = NSLock()
    nonisolated(unsafe) private static var stopping = false

    /// No partial is made after this (a signal is ending the process): a thread still printing
    /// cannot leave one behind once the signal's handler has removed this process's
    /// (`removeOwnPartials`) — the batch's own printing thread did, now and then, just before
    /// the exit. A partial being made when this is called is made first, then removed with the rest.
    public static func stopMakingPartials() { gate.withLock { stopping = true } }

    /// For the tests, which go on after stopping.
    static func resumeMakingPartials() { gate.withLock { stopping = false } }

    /// Writes all of `bytes` to `fd`, retrying short writes. The corresponding C call: `write`.
    public static func writeAll<C: Collection>(_ fd: Int32, _ bytes: C, path: String) throws where C.Element == UInt8 {
        let status: Int32 = bytes.withContiguousStorageIfAvailable { rawWrite(fd, UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { rawWrite(fd, $0) }
        if status != 0 { throw writeError(status, path) }
    }

    /// 0, or the errno of the failed write.
    static func rawWrite(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return 0
    }

    /// Closes `fd`; a delayed write error (full disk on some file systems) is reported.
    public static func closeChecked(_ fd: Int32, path: String) throws {
        if close(fd) != 0 { throw writeError(errno, path) }
    }

    /// "no space left on device writing X", "read-only file system writing X", ….
    static func writeError(_ code: Int32, _ path: String) -> FolioError {
        var reason = String(cString: strerror(code))
        if let first = reason.first { reason = first.lowercased() + reason.dropFirst() }
        return FolioError("\(reason) writing \(path)")
    }

    /// The parts of a partial's name: the final name, host (nil in the old `.partial-PID` form) and PID.
    static func parse(_ name: String) -> (final: String, host: String?, pid: Int32)? {
        guard name.hasPrefix("."), let r = name.range(of: marker, options: .backwards) else { return nil }
        let final = String(name[name.index(after: name.startIndex)..<r.lowerBound])
        let rest = String(name[r.upperBound...])
        // `HOST-PID`, maybe followed by a suffix (`.rgb.pdf` of the print variant); old form `PID`.
        let dash = rest.lastIndex(of: "-")
        let digits = rest[(dash.map { rest.index(after: $0) } ?? rest.startIndex)...].prefix { $0.isASCII && $0.isNumber }
        guard let pid = Int32(digits) else { return nil }
        return (final, dash.map { String(rest[..<$0]) }, pid)
    }

    /// Removes the partials a killed run left in `folder` (only those of the final name `only`,
    /// when given): this host's whose process is gone, and any older than `staleAge` (a run on
    /// another machine sharing the folder may still be writing a younger one).
    public static func removeStalePartials(in folder: String, only: String? = nil) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let p = parse(name), only == nil || p.final == only else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            let age = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date).map { -$0.timeIntervalSinceNow } ?? 0
            let mine = p.host == host
            let dead = mine && p.pid != getpid() && kill(p.pid, 0) != 0 && errno == ESRCH
            if dead || age > staleAge { unlink(path) }
        }
    }

    /// Removes this process's partials in `folder` (on a signal, before exiting).
    public static func removeOwnPartials(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let p = parse(name), p.host == host, p.pid == getpid() else { continue }
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }
}
