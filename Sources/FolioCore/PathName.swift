/// Path names taken apart and put together as strings, lexically, as Foundation's `URL` does for
/// file paths, without its cost: reading a manifest of 250 articles spent 4 ms of a preview's
/// 120 in `URL` (issue 18). Symbolic links are never resolved here (`RegularFile.resolved` does).
import Foundation

public enum PathName {
    /// `path` made absolute (from the current folder), without `.` and `..` components,
    /// repeated slashes or a trailing slash: `URL(fileURLWithPath: path).standardizedFileURL.path`.
    public static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` as a manifest or an article names it: absolute as written, else relative to
    /// `folder`; standardized.
    public static func resolve(_ path: String, in folder: String) -> String {
        standardized(path.hasPrefix("/") ? path : folder + "/" + path)
    }

    /// The folder `path` is in, standardized (`URL.deletingLastPathComponent().path`).
    public static func folder(of path: String) -> String {
        let full = standardized(path)
        guard let slash = full.lastIndex(of: "/"), slash != full.startIndex else { return "/" }
        return String(full[..<slash])
    }

    /// The last component of `path` (`URL.lastPathComponent`).
    public static func lastComponent(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.last.map(String.init) ?? (path.hasPrefix("/") ? "/" : "")
    }

    /// The extension of the last component, without its dot, as written (`URL.pathExtension`):
    /// empty for none, for a name that starts with its only dot (`.hidden`) or ends with a dot.
    public static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        let ext = name[name.index(after: dot)...]
        return String(ext)
    }

    /// The last component without its extension: an article's id from its file
    /// (`URL.deletingPathExtension().lastPathComponent`).
    public static func stem(_ path: String) -> String {
        let name = lastComponent(path), ext = pathExtension(path)
        return ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
    }
}
