/// Where each article of an issue starts, remembered between runs, so that `folio preview` of
/// an article deep in a long issue composes that article only instead of every one before it
/// (issue 18). `render` and every preview record it; a preview uses it while nothing it depends
/// on has changed: the Folio version and executable, the options that change the layout, the manifest, the
/// template and the font configuration, and every file (articles, images) of the issue but the
/// previewed article's own — each compared by its stamp (size, modification time, inode).
/// An article of a parallel section is composed with its section, from where the section
/// starts; one of a run-on section with the article before it (or further back, while those
/// are one page long), from where that one started — its folio and the line it ran on from
/// (`Pipeline.runOnStart`). Anything else (a spread, a file changed) takes the full way.
///
/// The index lives in the user's cache folder (`$XDG_CACHE_HOME/folio/previews`, else
/// `~/.cache/folio/previews`), one small text file per manifest (`PreviewIndex.text`: a line
/// per fact; read in a tenth of the time JSON of the same facts takes, which counts in a
/// preview of a few dozen milliseconds) — never beside the inputs; a cache that cannot be
/// written is skipped.
import FolioCompose
import FolioCore
import FolioInput
import Foundation

struct PreviewIndex: Equatable {
    struct Entry: Equatable {
        var id: String
        var path: String
        /// The folio of its first page, and its page count.
        var start: Int
        var pages: Int
        /// Its files (the article and its images) as they were.
        var files: [String: FileStamp]
        /// How a preview composes it so that it gets the pages it gets in the issue.
        var way: Way
        /// Run on: the grid line it starts at on its first page, under the article before it.
        var runOn: Int? = nil

        /// The folio its section starts at, when it is composed with its section.
        var sectionStart: Int? {
            if case .section(let start) = way { return start }
            return nil
        }
    }

    /// How a preview composes an article to give it the pages it gets in the issue.
    enum Way: Equatable {
        /// Alone: its section neither runs on nor pairs articles.
        case alone
        /// With its section (one that runs on or pairs articles), composed whole from the folio
        /// the section starts at.
        case section(startingAt: Int)
        /// Neither (the section's start was not recorded): previews take the full way.
        case fullWay
    }
    /// Everything outside the articles that changes where they start.
    var key: String
    /// In issue order; a preview records the articles up to its own.
    var articles: [Entry]
    /// Every file the issue read when this was recorded (all its articles and images): while
    /// none but the previewed article's has changed, the index holds — and a preview's output
    /// is checked against them as against any input.
    var inputs: [String: FileStamp]

    /// The key for an issue read from `manifest` with `template`, `fontConfig` and `setup`; for
    /// recording, the files as `read` read them (`FileRead`).
    static func key(manifest: String, template: String, fontConfig: String, setup: Setup, read: FileRead? = nil) -> String {
        func stamp(_ path: String) -> String { let s = read?.stamp(path) ?? FileStamp(path: path); return "\(path):\(s.size):\(s.modified):\(s.inode)" }
        // (The executable's stamp too: another build of the same version may lay out otherwise.)
        return [FolioVersion.string, stamp("/proc/self/exe"), stamp(manifest), stamp(template), stamp(fontConfig), "verify=\(setup.verify)", "max=\(setup.maxPages)",
                "outside=\(setup.input.allowOutsideImages)"].joined(separator: "|")
    }

    /// The index file of `manifest`, or nil when there is no cache folder.
    static func file(for manifest: String) -> String? {
        guard let folder = UserCache.folder else { return nil }
        var h = SHA256()
        h.update(RegularFile.resolved(manifest))
        return folder + "/previews/" + h.hexDigest() + ".index"
    }

    static func read(for manifest: String) -> PreviewIndex? {
        guard let path = file(for: manifest), let data = FileManager.default.contents(atPath: path) else { return nil }
        return PreviewIndex(text: String(decoding: data, as: UTF8.self))
    }

    /// Records where the articles of a composition of the manifest `input` start (nothing for
    /// an input that is one article), as `read` read its files.
    static func record(_ input: String, issue: Issue, composed: ComposedIssue, pipeline: Pipeline, setup: Setup, read: FileRead) {
        guard Pipeline.isManifest(input) else { return }
        PreviewIndex(key: key(manifest: input, template: pipeline.templatePath, fontConfig: pipeline.fontConfig, setup: setup, read: read),
                     issue: issue, ranges: composed.articlePages, sectionStarts: composed.sectionStarts, runOnLines: composed.runOnLines,
                     read: read).write(for: input)
    }

    /// Writes the index atomically; failures (no cache folder, a read-only home) are ignored:
    /// the index only saves time.
    func write(for manifest: String) {
        guard let path = Self.file(for: manifest), let text else { return }
        let data = Data(text.utf8)
        try? FileManager.default.createDirectory(atPath: parentFolder(path), withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: path)
    }

    init(key: String, articles: [Entry], inputs: [String: FileStamp]) { (self.key, self.articles, self.inputs) = (key, articles, inputs) }

    /// The index of a composition of `issue` (all of it, or the articles up to a preview's):
    /// each composed article's first folio and page count (`ranges`), with its files' stamps.
    /// `sectionStarts`: the folio each section starts at; `runOnLines`: where the articles that
    /// ran on start; `read`: the composition's read of its files.
    init(key: String, issue: Issue, ranges: [(id: String, pages: ClosedRange<Int>)], sectionStarts: [Int] = [], runOnLines: [String: Int] = [:],
         read: FileRead) {
        self.key = key
        var way: [String: Way] = [:], articles: [String: Article] = [:]
        for (i, s) in issue.sections.enumerated() {
            for a in s.articles where articles[a.id] == nil {
                articles[a.id] = a
                way[a.id] = !s.runOn && !s.parallel ? .alone : i < sectionStarts.count ? .section(startingAt: sectionStarts[i]) : .fullWay
            }
        }
        self.articles = ranges.compactMap { r in
            guard let a = articles[r.id] else { return nil }
            return Entry(id: r.id, path: a.location.file, start: r.pages.lowerBound, pages: r.pages.count,
                         files: read.stamps([a.location.file] + a.imageFiles), way: way[r.id] ?? .fullWay, runOn: runOnLines[r.id])
        }
        inputs = read.stamps(issue.sourceFiles + issue.missingImageFiles)
    }

    /// The entry of the article `id`, as recorded (whether the index holds or not).
    func article(_ id: String) -> Entry? { articles.first { $0.id == id } }

    /// Where `article` (nil: the first) starts, if the index still holds: it is composed alone
    /// in its section (or its section whole, from where it starts), and no file of the issue but
    /// its own has changed since.
    func entry(for article: String?, key: String) -> Entry? {
        let k = article == nil ? (articles.isEmpty ? nil : 0) : articles.firstIndex { $0.id == article }
        guard key == self.key, let k, articles[k].way != .fullWay else { return nil }
        let own = articles[k].files
        for (path, stamp) in inputs where own[path] == nil && FileStamp(path: path) != stamp { return nil }
        return articles[k]
    }

    /// After a preview composed `entry`'s article alone (or its section), as `read` read them: its files as they are
    /// now, and the pages each composed article took (`ranges`) and where those that ran on
    /// start (`runOnLines`); if any moved or changed in length, the articles after them
    /// forgotten (their starts moved). Returns whether anything changed.
    mutating func update(_ entry: Entry, files: [String], ranges: [(id: String, pages: ClosedRange<Int>)], runOnLines: [String: Int] = [:],
                         read: FileRead) -> Bool {
        guard var last = articles.firstIndex(where: { $0.id == entry.id }) else { return false }
        let now = read.stamps(files)
        var changed = now != articles[last].files
        articles[last].files = now
        for (path, stamp) in now { inputs[path] = stamp }
        var moved = false
        for r in ranges {
            guard let j = articles.firstIndex(where: { $0.id == r.id }) else { continue }
            last = max(last, j)
            if (articles[j].start, articles[j].pages, articles[j].runOn) != (r.pages.lowerBound, r.pages.count, runOnLines[r.id]) {
                (articles[j].start, articles[j].pages, articles[j].runOn) = (r.pages.lowerBound, r.pages.count, runOnLines[r.id])
                moved = true
            }
        }
        if moved { articles.removeSubrange((last + 1)...) }
        changed = changed || moved
        return changed
    }

    /// The first line of an index file; another first line (an older Folio's) is no index.
    static let format = "folio preview index 4"

    /// The index as text: the format line, `key`, then a line per input (`input SIZE MODIFIED
    /// INODE PATH`), per article (`article START PAGES ALONE SECTION RUNON`: SECTION and RUNON 0 for none, `id ID`, `path PATH`) and per file
    /// of that article (`file SIZE MODIFIED INODE PATH`); the path or name last on its line.
    /// Nil when a path holds a line break (no index: previews take the full way).
    var text: String? {
        var lines = [Self.format, "key " + key]
        func stamp(_ tag: String, _ path: String, _ s: FileStamp) -> String { "\(tag) \(s.size) \(s.modified) \(s.inode) \(path)" }
        for (path, s) in inputs.sorted(by: { $0.key < $1.key }) { lines.append(stamp("input", path, s)) }
        for a in articles {
            lines += ["article \(a.start) \(a.pages) \(a.way == .alone ? 1 : 0) \(a.sectionStart ?? 0) \(a.runOn ?? 0)", "id " + a.id, "path " + a.path]
            for (path, s) in a.files.sorted(by: { $0.key < $1.key }) { lines.append(stamp("file", path, s)) }
        }
        guard !lines.contains(where: { $0.contains("\n") || $0.contains("\r") }) else { return nil }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The index `text` holds, or nil when it is not one (another format, a damaged file).
    /// (Lines and fields are cut at their bytes: a line feed or a space is always a character of
    /// its own here, as no path holding a line break is written, and cutting a 67 KB index of a
    /// 252-article issue by characters took 3–4 ms of a preview.)
    init?(text: String) {
        func cut(_ s: Substring, at byte: UInt8, maxSplits: Int = .max) -> [Substring] {
            s.utf8.split(separator: byte, maxSplits: maxSplits, omittingEmptySubsequences: false).map { Substring($0) }
        }
        var lines = text.lineSlices[...]
        guard lines.popFirst() == Substring(Self.format), let k = lines.popFirst(), k.hasPrefix("key ") else { return nil }
        key = String(k.dropFirst(4))
        articles = []
        inputs = [:]
        func stamp(_ rest: Substring) -> (String, FileStamp)? {
            let f = cut(rest, at: 0x20, maxSplits: 3)
            guard f.count == 4, let size = Int64(f[0]), let modified = Int64(f[1]), let inode = UInt64(f[2]) else { return nil }
            return (String(f[3]), FileStamp(size: size, modified: modified, inode: inode))
        }
        while let line = lines.popFirst() {
            let (tag, rest) = line.utf8.firstIndex(of: 0x20).map { (line[..<$0], line[line.utf8.index(after: $0)...]) } ?? (line, "")
            switch tag {
            case "input":
                guard let (path, s) = stamp(rest) else { return nil }
                inputs[path] = s
            case "article":
                let f = cut(rest, at: 0x20)
                guard f.count == 5, let start = Int(f[0]), let pages = Int(f[1]), let section = Int(f[3]), let runOn = Int(f[4]),
                      let id = lines.popFirst(), id.hasPrefix("id "), let path = lines.popFirst(), path.hasPrefix("path ") else { return nil }
                articles.append(Entry(id: String(id.dropFirst(3)), path: String(path.dropFirst(5)), start: start, pages: pages, files: [:],
                                      way: f[2] == "1" ? .alone : section > 0 ? .section(startingAt: section) : .fullWay,
                                      runOn: runOn > 0 ? runOn : nil))
            case "file":
                guard !articles.isEmpty, let (path, s) = stamp(rest) else { return nil }
                articles[articles.count - 1].files[path] = s
            case "" where lines.isEmpty:
                break
            default:
                return nil
            }
        }
    }
}
