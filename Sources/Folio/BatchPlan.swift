/// What a batch run will do: the article files of a folder, their output names, fingerprints,
/// the shard they belong to, and which can be skipped because nothing changed.
import FolioCore
import Foundation

/// One article file of an archive folder.
public struct BatchItem: Sendable, Codable {
    public var file: String
    /// The file's name inside the archive folder: how reports and shard merges identify it,
    /// whatever spelling of the folder a run was given.
    public var name: String { (file as NSString).lastPathComponent }
    /// The PDF's name: the date and a slug of the file name (`2024-07-31-shifan-cun.pdf`).
    public var outputName: String
    /// SHA-256 of the input bytes, the stamps of the images it names, the template bytes and
    /// the setup (`BatchPlan.setupStamp`).
    public var fingerprint: String
}

/// `--shard K/N`: article i belongs to shard K when a hash of its file name is K-1 modulo N, so
/// every article lands in exactly one shard whatever order the shards run in.
public struct Shard: Sendable, CustomStringConvertible {
    public var index: Int   // 1…count
    public var count: Int

    public static let all = Shard(index: 1, count: 1)

    /// Parses "K/N" (1 ≤ K ≤ N).
    public init?(_ text: String) {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        index = parts[0]; count = parts[1]
    }

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// From a job scheduler: Kubernetes Indexed Jobs (`JOB_COMPLETION_INDEX`, 0-based) or Slurm
    /// arrays (`SLURM_ARRAY_TASK_ID` relative to `SLURM_ARRAY_TASK_MIN`), with `count` shards.
    /// An index outside 0..<count is an error, never wrapped onto another shard (which would
    /// print its articles twice and leave others unprinted).
    public static func fromEnvironment(_ env: [String: String], count: Int) throws -> Shard {
        func checked(_ k: Int, _ source: String) throws -> Shard {
            guard (0..<count).contains(k) else {
                throw FolioError("\(source) gives shard index \(k), outside 0…\(count - 1) for --shard-count \(count); the job has more tasks than shards (or a wrong index)")
            }
            return Shard(index: k + 1, count: count)
        }
        if let raw = env["JOB_COMPLETION_INDEX"] {
            guard let k = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw FolioError("JOB_COMPLETION_INDEX is '\(raw)', not a number") }
            return try checked(k, "JOB_COMPLETION_INDEX=\(raw)")
        }
        if let raw = env["SLURM_ARRAY_TASK_ID"] {
            guard let id = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw FolioError("SLURM_ARRAY_TASK_ID is '\(raw)', not a number") }
            let min = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            return try checked(id - min, "SLURM_ARRAY_TASK_ID=\(raw) (SLURM_ARRAY_TASK_MIN=\(min))")
        }
        throw FolioError("--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment")
    }

    public func contains(_ name: String) -> Bool {
        guard count > 1 else { return true }
        var h = SHA256()
        h.update(name)
        let digest = h.hexDigest()
        let value = UInt64(digest.prefix(15), radix: 16) ?? 0
        return Int(value % UInt64(count)) == index - 1
    }

    public var description: String { "\(index)/\(count)" }
}

public enum BatchPlan {
    public static let inputExtensions = ["md", "markdown", "txt", "docx"]

    /// The names of the article files of `folder` (all shards), sorted.
    public static func articleNames(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { !$0.hasPrefix(".") && inputExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
            .sorted()
    }

    /// The article files of `folder` (all shards), as paths.
    public static func articleFiles(in folder: String) -> [String] {
        articleNames(in: folder).map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The setup articles are printed with besides their template: Folio's version, the stamp of
    /// its executable (a build of the same version that prints otherwise), and the stamps of
    /// the font configuration and its folder (fonts added or replaced) — sizes and times, not
    /// inodes: a cluster's shards run the same image on other nodes from one run to the next.
    public static func setupStamp(version: String, fontConfig: String) -> String {
        ["/proc/self/exe", fontConfig, PathName.folder(of: fontConfig)]
            .map { let s = FileStamp(path: $0); return "\(s.size) \(s.modified)" }.joined(separator: ",") + " " + version
    }

    /// The files an article's text names that look like images or graphics (`![…](images/a.jpg)`,
    /// `<img src="a.png">`, `image: a.webp`…), as written: a name ending in an image's
    /// extension, back to the white space or markup before it.
    static func referencedFiles(in bytes: [UInt8]) -> [String] {
        let extensions: [[UInt8]] = ["jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "svg", "pdf", "eps"].map { Array($0.utf8) }
        let stops = Set("\n\r\t ()[]<>\"'=`".utf8)
        func isNameByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7a) }
        var found: [String] = [], seen = Set<String>()
        for i in bytes.indices where bytes[i] == UInt8(ascii: ".") {
            guard let ext = extensions.first(where: { e in
                i + 1 + e.count <= bytes.count && zip(bytes[(i + 1)...], e).allSatisfy { $0 | 0x20 == $1 }
                    && (i + 1 + e.count == bytes.count || !isNameByte(bytes[i + 1 + e.count]))
            }) else { continue }
            var start = i
            while start > 0 && !stops.contains(bytes[start - 1]) { start -= 1 }
            guard start < i, let name = String(bytes: bytes[start..<(i + 1 + ext.count)], encoding: .utf8) else { continue }
            if seen.insert(name).inserted { found.append(name) }
        }
        return found
    }

    /// The article files of `folder` (sorted by name) in `shard`.
    /// `setup`: what else prints the articles (`setupStamp`): a change to it prints them all again.
    public static func items(in folder: String, shard: Shard, templatePath: String, setup: String) throws -> [BatchItem] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw FolioError("\(folder) is not a folder")
        }
        let names = articleNames(in: folder)
        guard !names.isEmpty else { throw FolioError("\(folder) holds no articles (.md, .docx or .txt)") }
        let template = try RegularFile.read(templatePath, noun: "template")
        let paths = names.filter(shard.contains).map { (folder as NSString).appendingPathComponent($0) }
        // Each article read, fingerprinted and named on every core (a thousand articles took
        // 0.3 s on one while the other waited); the names are made unique in order after.
        let made = Parallel.map(paths.count) { k -> (fingerprint: String, name: String) in
            let bytes = (try? RegularFile.read(paths[k])) ?? []   // unreadable: the article fails when printed
            var h = SHA256()
            h.update(bytes)
            // The images it names, by their stamps: an image added where one was missing, or
            // replaced, prints the article again (it had been skipped as unchanged).
            let here = PathName.folder(of: paths[k])
            for name in referencedFiles(in: bytes) {
                let s = FileStamp(path: name.hasPrefix("/") ? name : here + "/" + name)
                h.update("\(name)\u{0}\(s.size) \(s.modified) \(s.inode)\u{0}")
            }
            h.update(template)
            h.update(setup)
            return (h.hexDigest(), outputName(for: paths[k], slug: frontMatterSlug(bytes), head: bytes.prefix(4096)))
        }
        var used = Set<String>()
        return zip(paths, made).map { path, m in
            var out = m.name
            // Two inputs differing only in extension would collide: keep both.
            if !used.insert(out).inserted { out = (out as NSString).deletingPathExtension + "-" + URL(fileURLWithPath: path).pathExtension + ".pdf" }
            return BatchItem(file: path, outputName: out, fingerprint: m.fingerprint)
        }
    }

    /// `YYYY-MM-DD-slug.pdf` from the file name (or the front matter's `slug`, as Hugo names its
    /// pages), and the date in the file's first lines when the name does not start with one.
    /// `head`: the file's first bytes, when the caller has read them.
    public static func outputName(for path: String, slug given: String? = nil, head: ArraySlice<UInt8>? = nil) -> String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let slug = slugify(given ?? stem)
        if given != nil, let prefix = stem.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}", options: .regularExpression) {
            return "\(stem[prefix])-\(slug).pdf"
        }
        if stem.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}", options: .regularExpression) != nil { return slug + ".pdf" }
        if let date = leadingDate(path, head: head) { return "\(date)-\(slug).pdf" }
        return slug + ".pdf"
    }

    /// The `slug` of a Markdown article's YAML (`slug: x`) or TOML (`slug = "x"`) front matter.
    static func frontMatterSlug(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(8192), as: UTF8.self)
        guard text.hasPrefix("---\n") || text.hasPrefix("+++\n") else { return nil }
        let fence = String(text.prefix(3))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line == fence { break }
            guard let m = line.range(of: #"^slug\s*[:=]\s*"#, options: .regularExpression) else { continue }
            let value = line[m.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Lower-case ASCII letters, digits and hyphens; other characters become hyphens (CJK names
    /// keep a short hash so that different titles never collide).
    public static func slugify(_ s: String) -> String {
        var out = ""
        var nonASCII = false
        for c in s.lowercased().unicodeScalars {
            if (c >= "a" && c <= "z") || (c >= "0" && c <= "9") { out.unicodeScalars.append(c) } else {
                if c.value > 0x7F { nonASCII = true }
                if !out.hasSuffix("-") { out += "-" }
            }
        }
        out = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if nonASCII || out.isEmpty {
            var h = SHA256()
            h.update(s)
            out += (out.isEmpty ? "" : "-") + String(h.hexDigest().prefix(8))
        }
        return out
    }

    /// A date in the first 20 lines (`发布日期:2024-07-31` or front-matter `date: 2024-07-31`).
    public static func leadingDate(_ path: String, head given: ArraySlice<UInt8>? = nil) -> String? {
        guard let bytes = given ?? (try? RegularFile.read(path, limit: 4096)).map({ $0[...] }) else { return nil }
        let head = String(decoding: bytes, as: UTF8.self)
        for line in head.split(separator: "\n").prefix(20) where line.contains("日期") || line.contains("date") || line.contains("时间") {
            if let r = line.range(of: "[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}", options: .regularExpression) {
                if let date = CalendarDate(String(line[r])) { return date.description }
            }
        }
        return nil
    }
}
