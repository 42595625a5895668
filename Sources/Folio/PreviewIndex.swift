/// Where each article of an issue starts, remembered between runs, so that `folio preview` of
/// an article deep in a long issue composes that article only instead of every one before it
/// (issue 18). `render` and every preview record it; a preview uses it while nothing it depends
/// on has changed: the Folio version, the options that change the layout, the manifest, the
/// template and the font configuration, and every file (articles, images) of the issue but the
/// previewed article's own — each compared by its stamp (size, modification time, inode).
/// Anything else (an article in a run-on or parallel section, a spread, a file changed) takes
/// the full way.
///
/// The index lives in the user's cache folder (`$XDG_CACHE_HOME/folio/previews`, else
/// `~/.cache/folio/previews`), one small JSON file per manifest — never beside the inputs; a
/// cache that cannot be written is skipped.
import FolioCore
import FolioInput
import Foundation

struct PreviewIndex: Codable, Equatable {
    struct Entry: Codable, Equatable {
        var id: String
        var path: String
        /// The folio of its first page, and its page count.
        var start: Int
        var pages: Int
        /// Its files (the article and its images) as they were.
        var files: [String: FileStamp]
        /// In a section that neither runs on nor pairs articles: composed alone, it gets the
        /// pages it gets in the issue.
        var alone: Bool
    }
    /// Everything outside the articles that changes where they start.
    var key: String
    /// In issue order; a preview records the articles up to its own.
    var articles: [Entry]
    /// Every file the issue read when this was recorded (all its articles and images): while
    /// none but the previewed article's has changed, the index holds — and a preview's output
    /// is checked against them as against any input.
    var inputs: [String: FileStamp]

    /// The key for an issue read from `manifest` with `template`, `fontConfig` and `setup`.
    static func key(manifest: String, template: String, fontConfig: String, setup: Setup) -> String {
        func stamp(_ path: String) -> String { let s = FileStamp(path: path); return "\(path):\(s.size):\(s.modified):\(s.inode)" }
        return [FolioVersion.string, stamp(manifest), stamp(template), stamp(fontConfig), "verify=\(setup.verify)", "max=\(setup.maxPages)",
                "outside=\(setup.input.allowOutsideImages)"].joined(separator: "|")
    }

    /// The index file of `manifest`, or nil when there is no cache folder.
    static func file(for manifest: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["XDG_CACHE_HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) ?? env["HOME"].map({ $0 + "/.cache" }) else { return nil }
        var h = SHA256()
        h.update(RegularFile.resolved(manifest))
        return base + "/folio/previews/" + h.hexDigest() + ".json"
    }

    static func read(for manifest: String) -> PreviewIndex? {
        guard let path = file(for: manifest), let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PreviewIndex.self, from: data)
    }

    /// Records where the articles of a composition of the manifest `input` start (nothing for
    /// an input that is one article).
    static func record(_ input: String, issue: Issue, ranges: [(id: String, pages: ClosedRange<Int>)], pipeline: Pipeline, setup: Setup) {
        guard Pipeline.isManifest(input) else { return }
        PreviewIndex(key: key(manifest: input, template: pipeline.templatePath, fontConfig: pipeline.fontConfig, setup: setup),
                     issue: issue, ranges: ranges).write(for: input)
    }

    /// Writes the index atomically; failures (no cache folder, a read-only home) are ignored:
    /// the index only saves time.
    func write(for manifest: String) {
        guard let path = Self.file(for: manifest), let data = try? JSONEncoder().encode(self) else { return }
        try? FileManager.default.createDirectory(atPath: parentFolder(path), withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: path)
    }

    /// The index of a composition of `issue` (all of it, or the articles up to a preview's):
    /// each composed article's first folio and page count (`ranges`), with its files' stamps.
    init(key: String, issue: Issue, ranges: [(id: String, pages: ClosedRange<Int>)]) {
        self.key = key
        var alone: [String: Bool] = [:], articles: [String: Article] = [:]
        for s in issue.sections {
            for a in s.articles where articles[a.id] == nil { articles[a.id] = a; alone[a.id] = !s.runOn && !s.parallel }
        }
        self.articles = ranges.compactMap { r in
            guard let a = articles[r.id] else { return nil }
            return Entry(id: r.id, path: a.location.file, start: r.pages.lowerBound, pages: r.pages.count,
                         files: Self.stamps([a.location.file] + a.imageFiles), alone: alone[r.id] ?? false)
        }
        inputs = Self.stamps(issue.sourceFiles + issue.missingImageFiles)
    }

    /// Each file's stamp now.
    static func stamps(_ files: [String]) -> [String: FileStamp] {
        Dictionary(files.map { ($0, FileStamp(path: $0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Where `article` (nil: the first) starts, if the index still holds: it is composed alone
    /// in its section, and no file of the issue but its own has changed since.
    func entry(for article: String?, key: String) -> Entry? {
        let k = article == nil ? (articles.isEmpty ? nil : 0) : articles.firstIndex { $0.id == article }
        guard key == self.key, let k, articles[k].alone else { return nil }
        let own = articles[k].files
        for (path, stamp) in inputs where own[path] == nil && FileStamp(path: path) != stamp { return nil }
        return articles[k]
    }

    /// After a preview composed `entry`'s article alone: its files as they are now, and, if
    /// its page count changed, the articles after it forgotten (their starts moved).
    /// Returns whether anything changed.
    mutating func update(_ entry: Entry, files: [String], pages: Int) -> Bool {
        guard let k = articles.firstIndex(where: { $0.id == entry.id }) else { return false }
        let now = Self.stamps(files)
        guard now != articles[k].files || pages != articles[k].pages else { return false }
        articles[k].files = now
        for (path, stamp) in articles[k].files { inputs[path] = stamp }
        if pages != articles[k].pages {
            articles[k].pages = pages
            articles.removeSubrange((k + 1)...)
        }
        return true
    }
}
