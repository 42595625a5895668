/// Files as Folio touches them: inputs are opened only when they are regular files (never a
/// folder, a named pipe or a device: those crash or block a reader), and no output may ever
/// replace a file that the run reads (compared by device and inode, so symlinks, hard links and
/// other spellings of the same file are caught), nor land inside an input folder unless asked.
import Foundation

/// A file's identity on this machine: the device and inode `stat` reports after following
/// symlinks. Two paths with the same identity are the same file.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    /// The identity of the file at `path` (following symlinks), or nil if there is none.
    /// The corresponding C call: `stat`.
    public init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

public enum RegularFile {
    /// What kind of thing a path names (after following symlinks).
    public enum Kind: Sendable { case missing, unreadable, folder, special, regular }

    public static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        default: return .special
        }
    }

    /// Why `path` cannot be read as a `noun` ("file", "image", "article"), or nil when it is a
    /// regular file.
    public static func problem(_ path: String, noun: String = "file") -> String? {
        switch kind(path) {
        case .regular: return nil
        case .missing: return noun == "file" ? "no such file: \(path)" : "\(noun) not found: \(path)"
        case .unreadable: return "cannot read the \(noun) \(path): \(String(cString: strerror(errno)))"
        case .folder: return "the \(noun) \(path) is a folder, not a file"
        case .special: return "the \(noun) \(path) is not a regular file (a named pipe, socket or device); refused"
        }
    }

    /// The bytes of a regular file, at most `limit` of them. Checked before opening and opened
    /// non-blocking, so a named pipe can never hang the reader; checked again on the open file
    /// (`fstat`), so a path swapped in between is refused too.
    /// The corresponding C calls: `stat`, `open(O_RDONLY | O_NONBLOCK)`, `fstat`, `read`.
    public static func read(_ path: String, noun: String = "file", limit: Int = Int.max) throws -> [UInt8] {
        if let problem = problem(path, noun: noun) { throw FolioError(problem) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FolioError("cannot read the \(noun) \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw FolioError("the \(noun) \(path) is not a regular file; refused")
        }
        func readSome(_ into: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
            while true {
                let n = Glibc.read(fd, into, count)
                if n >= 0 { return n }
                if errno != EINTR { throw FolioError("cannot read the \(noun) \(path): \(String(cString: strerror(errno)))") }
            }
        }
        // Read in place up to the size it has (a camera photo: one copy, not two), then on in
        // chunks while it grows.
        let expected = min(limit, Int(st.st_size))
        var bytes = [UInt8](repeating: 0, count: expected)
        var filled = 0
        while filled < expected {
            let n = try bytes.withUnsafeMutableBytes { try readSome($0.baseAddress! + filled, expected - filled) }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(expected - filled)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while filled == expected && bytes.count < limit {
            let n = try chunk.withUnsafeMutableBytes { try readSome($0.baseAddress!, min($0.count, limit - bytes.count)) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// `path` with symlinks resolved (the longest existing prefix; the rest appended), absolute.
    public static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var head = URL(fileURLWithPath: absolute).standardizedFileURL.path
        var tail: [String] = []
        while !head.isEmpty && head != "/" {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return ([String(cString: real)] + tail.reversed()).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
            }
            tail.append((head as NSString).lastPathComponent)
            head = (head as NSString).deletingLastPathComponent
        }
        return "/" + tail.reversed().joined(separator: "/")
    }

    /// Whether `path` is `folder` or inside it, after resolving symlinks in both.
    public static func isInside(_ path: String, folder: String) -> Bool {
        let p = resolved(path), f = resolved(folder)
        return p == f || p.hasPrefix(f.hasSuffix("/") ? f : f + "/")
    }
}

/// Every file and folder a run reads, so that its outputs can be checked against them.
public struct InputSet: Sendable {
    private var files: [FileIdentity: String] = [:]
    private var folders: [String] = []

    public init() {}

    /// The paths recorded (to hand the set to another process, which rebuilds it with `init(files:folders:)`).
    public var paths: (files: [String], folders: [String]) { (files.values.sorted(), folders) }

    public init(files: [String], folders: [String]) {
        for f in folders { add(folder: f) }
        for f in files { add(file: f) }
    }

    /// Records an input file (ignored if it does not exist: then nothing can overwrite it).
    public mutating func add(file path: String) {
        if let id = FileIdentity(path: path), files[id] == nil { files[id] = path }
    }

    /// Records an input folder: outputs may not go inside its tree (unless the caller allows it).
    public mutating func add(folder path: String) {
        folders.append(path)
        add(file: path)
    }

    /// Throws unless writing `output` (a `what`: "the PDF", "the report") is safe: it is not
    /// one of the inputs (by identity: a symlink or hard link to an input counts), not a folder,
    /// and, unless `insideFoldersAllowed`, not inside an input folder.
    public func checkOutput(_ output: String, what: String, folderExpected: Bool = false, insideFoldersAllowed: Bool = false) throws {
        if let id = FileIdentity(path: output), let input = files[id] {
            let same = input == output ? "" : " (\(input))"
            throw FolioError("refusing to write \(what) to \(output): it is an input of this run\(same); Folio never replaces a file it reads — choose another output path")
        }
        if folderExpected {
            let kind = RegularFile.kind(output)
            if kind != .folder && kind != .missing { throw FolioError("cannot use \(output) as \(what): it is a file, not a folder") }
        } else if RegularFile.kind(output) == .folder {
            throw FolioError("cannot write \(what) to \(output): it is a folder; give a file name")
        } else if RegularFile.kind(output) == .special {
            throw FolioError("refusing to write \(what) to \(output): it is a device, named pipe or socket, not a file")
        }
        if !insideFoldersAllowed, let folder = folders.first(where: { RegularFile.isInside(output, folder: $0) }) {
            throw FolioError("refusing to write \(what) to \(output): it is inside the input folder \(folder); write it elsewhere (or pass --allow-output-in-input)")
        }
    }
}
