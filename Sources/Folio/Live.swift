/// The live engine behind `folio serve` and `folio watch`: one input kept composed in memory,
/// rebuilt when any file it reads changes, with the pages that changed named.
///
/// - Files are polled (size, modification time, inode) every `pollInterval`; the set is every
///   file the last build read — the input, its articles and images, the template, fonts.conf.
/// - Paragraphs are set once: a memo keyed by everything that decides a paragraph's lines (text,
///   style, language, location, measure) hands back the lines of every paragraph not edited;
///   entries a build no longer uses are dropped after it, so the memo holds one issue's
///   paragraphs at most. Setting is pure, so a rebuild gives exactly the pages a cold
///   composition gives (tested: edit, rebuild, compare with a new session).
/// - A build that fails (a syntax error in the file being edited) keeps the last good pages and
///   reports its errors; the next good build replaces both.
/// - Each page carries a hash of its display list, which changes exactly when its drawing does.
///
/// Not thread-safe by itself (Pango is not): callers serialise on the session (the server does).
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import FolioText
import Foundation

public final class LiveSession: @unchecked Sendable {
    /// One page as the preview lists it.
    public struct PageInfo: Sendable, Equatable {
        /// 1-based, in physical order (covers and contents first).
        public var number: Int
        /// The article on the page (nil: a cover, the contents, an ad or a blank).
        public var article: String?
        /// The file the page's text comes from (the article; the manifest for other pages).
        public var source: String
        /// The lines of that file whose text is on the page (nil: none, e.g. a cover).
        public var lines: ClosedRange<Int>?
        /// Changes exactly when the page's drawing changes.
        public var hash: String
        /// The trim size in points.
        public var width: Double
        public var height: Double
    }

    /// What the last build produced.
    public struct Snapshot: Sendable {
        /// Counts good builds (0: none yet).
        public var version = 0
        public var pages: [PageInfo] = []
        /// The last good build's warnings and notes, each with the page it belongs to (if known).
        public var diagnostics: [(diagnostic: Diagnostic, page: Int?)] = []
        /// The last build's errors, when it failed (the pages are the last good ones).
        public var errors: [Diagnostic] = []
        /// Spreads read right to left (Uyghur, Kazakh editions): the first page on the right.
        public var rightToLeft = false
        public var title = ""
        /// Wall time of the last build.
        public var buildSeconds = 0.0
        /// The last build composed the edited articles alone, into the issue as it was.
        public var articlesOnly = false
    }

    public let input: String
    public let setup: Setup
    /// The setup with the read cache (articles read again only when they or their images change).
    private var reading: Setup
    public private(set) var snapshot = Snapshot()
    private var pipeline: Pipeline?
    private var memo: MemoTypesetter?
    private var articles = ComposedArticleCache()
    private var pages: [Page] = []
    private var composed: (issue: Issue, result: ComposedIssue)?
    private var stamps: [String: FileStamp] = [:]
    private var pipelineStamps: [String: FileStamp] = [:]
    /// Page hashes by what the page was made from (`reuseKey`), from the last build.
    private var hashes: [Int: String] = [:]
    /// The last build's reading warnings (an article read again replaces its own).
    private var readingWarnings: [Diagnostic] = []
    /// Builds that composed edited articles alone since the last whole build: the memo keeps
    /// the old settings of edited paragraphs until a whole build drops them, so one build in
    /// `wholeBuildEvery` is whole — the memo holds at most that many edits' worth more than the issue.
    private var articleBuilds = 0
    static let wholeBuildEvery = 64
    /// Tests: runs when a whole build has read its files, before it stamps them (a file
    /// changing there is one changing during the read).
    var afterReading: (() -> Void)?
    /// When the last build could not read the input, when it tried. The read is tried again
    /// every `retryAfterFailure` seconds even if no watched file changed: a file the manifest
    /// names may not exist yet (an article listed before it is written, an ad not yet copied),
    /// and only the files a good build read are watched.
    private var failedAt: ContinuousClock.Instant?
    var retryAfterFailure = 1.0

    /// Builds the input once. Throws only when no build can start (fonts, template): a bad
    /// article is reported in `snapshot.errors`, like later builds.
    public init(input: String, setup: Setup) throws {
        self.input = input
        self.setup = setup
        reading = setup
        reading.input.readCache = ArticleReadCache()
        _ = try rebuild()
    }

    /// Every file the builds so far have read (watched for changes).
    public var files: [String] { stamps.keys.sorted() }

    /// Rebuilds if a file the last build read has changed; returns the changed pages (1-based,
    /// physical), or nil when nothing changed on disk.
    public func refreshIfChanged() throws -> [Int]? {
        // These stamps are also what the reads that follow begin with (`FileRead`).
        let seen = Dictionary(uniqueKeysWithValues: stamps.keys.map { ($0, FileStamp(path: $0)) })
        let changed = stamps.filter { seen[$0.key] != $0.value }.map(\.key)
        guard !changed.isEmpty else {
            guard let failedAt, (ContinuousClock.now - failedAt).seconds >= retryAfterFailure else { return nil }
            // Tried again: news only if it reads now, or fails otherwise than it did.
            let before = snapshot.errors
            let changed = try rebuild(seen: seen)
            return self.failedAt != nil && snapshot.errors == before ? nil : changed
        }
        return try recompose(articles: changed, seen: seen) ?? rebuild(seen: seen)
    }

    /// Reads and composes the input again; returns the pages whose drawing changed. `seen`:
    /// the stamps of the last build's files, taken by the check that found a change.
    @discardableResult
    public func rebuild(seen: [String: FileStamp] = [:]) throws -> [Int] {
        let clock = ContinuousClock.now
        defer { snapshot.buildSeconds = (ContinuousClock.now - clock).seconds }
        // Every file's stamp says what this build read: one changed while it was read is read again next time.
        let read = FileRead(before: seen)
        // The input is watched even when reading it fails, and so is everything the last good build read.
        stamps[input] = FileStamp(path: input)
        let loaded: LoadedIssue
        do {
            if pipeline == nil || pipelineStamps.contains(where: { FileStamp(path: $0.key) != $0.value }) {
                let (l, p) = try Pipeline.open(input, setup: reading)
                (loaded, pipeline) = (l, p)
                memo = MemoTypesetter(p.typesetter)
                articles = ComposedArticleCache()   // composed with the old template or fonts
                hashes = [:]   // their page hashes too
                pipelineStamps = Dictionary(uniqueKeysWithValues: [p.templatePath, p.fontConfig].map { ($0, read.stamp($0)) })
            } else {
                loaded = try Pipeline.loadIssue(input, options: reading.input, archive: pipeline!.template.archive)
                // The manifest names another template now: start again with it.
                if let t = loaded.templatePath, RegularFile.resolved(t) != RegularFile.resolved(pipeline!.templatePath) {
                    pipeline = nil
                    return try rebuild(seen: seen)
                }
            }
        } catch let e as FolioError {
            if pipeline == nil && composed == nil && !e.diagnostics.contains(where: { $0.location != nil }) { throw e }
            snapshot.errors = e.diagnostics
            // The files as this read found them: one that comes back as it was before (an
            // article moved away and back) is a change from here.
            for f in stamps.keys { stamps[f] = read.stamp(f) }
            failedAt = .now
            return []
        }
        failedAt = nil
        guard let pipeline, let memo else { return [] }
        afterReading?()
        for f in [pipeline.templatePath, pipeline.fontConfig] + loaded.issue.sourceFiles + loaded.issue.missingImageFiles {
            stamps[f] = read.stamp(f)
        }

        let composer = issueComposer(for: loaded.issue, pipeline: pipeline, memo: memo)
        memo.startBuild()
        articles.startBuild()
        // The first build composes on every core (nothing to reuse yet; this thread mostly waits
        // while the workers compose); later ones on this thread,
        // with the memo and the composed articles of the builds before.
        let result = composed == nil && loaded.issue.articles.count > 2
            ? try composer.composeInParallel(loaded.issue, workers: ProcessInfo.processInfo.activeProcessorCount, keepPages: true, makeTypesetter: { [config = pipeline.fontConfig, template = pipeline.template] in
                PangoTypesetter(fonts: try FontSystem(configFile: config), template: template)
            }) { _ in }
            : composer.compose(loaded.issue, keepPages: true) { _ in }
        memo.endBuild()
        articles.endBuild()
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            snapshot.errors = errors
            return []
        }
        let physical = result.frontMatter + result.pages
        let previous = snapshot.pages
        let sources = Dictionary(loaded.issue.articles.map { ($0.id, $0.location.file) }, uniquingKeysWith: { a, _ in a })
        // A page of an article composed as before, at the same folio, from the same manifest and
        // images, is drawn as before: its hash is reused (hashing every page of a 500-page issue
        // was a quarter of a rebuild).
        let alone = Set(loaded.issue.sections.filter { !$0.runOn && !$0.parallel }.flatMap { $0.articles.map(\.id) })
        let manifest = FileStamp(path: input)
        var made: [Int: String] = [:]
        let infos = physical.enumerated().map { k, page in
            let key = Self.reuseKey(page, identities: articles.identities, alone: alone, manifest: manifest)
            let hash = key.flatMap { hashes[$0] } ?? Self.hash(page)
            if let key { made[key] = hash }
            return PageInfo(number: k + 1, article: page.articleID, source: page.articleID.flatMap { sources[$0] } ?? input,
                            lines: page.articleID == nil ? nil : page.sourceLines,
                            hash: hash, width: page.trim.width, height: page.trim.height)
        }
        hashes = made
        var changed: [Int] = []
        for k in 0..<max(infos.count, previous.count) where k >= infos.count || k >= previous.count || infos[k].hash != previous[k].hash {
            changed.append(k + 1)
        }
        pages = physical
        composed = (loaded.issue, result)
        readingWarnings = loaded.warnings
        articleBuilds = 0
        snapshot.articlesOnly = false
        snapshot.version += 1
        snapshot.pages = infos
        snapshot.diagnostics = Self.notes(loaded.warnings + result.diagnostics, issue: loaded.issue, result: result)
        snapshot.errors = []
        snapshot.rightToLeft = loaded.issue.articles.first.map { LanguageInfo($0.meta.language).rightToLeft } ?? false
        snapshot.title = loaded.issue.documentTitle
        return changed
    }

    /// The composer of every build: the memo's typesetter, the composed-article cache.
    private func issueComposer(for issue: Issue, pipeline: Pipeline, memo: MemoTypesetter) -> IssueComposer {
        var composer = IssueComposer(template: pipeline.template, typesetter: memo, contents: issue.articles.count > 1)
        composer.verify = setup.verify
        composer.maxPagesPerArticle = setup.maxPages
        composer.reuse = articles
        return composer
    }

    /// The diagnostics with their pages: a warning is marked on the first page of the article
    /// whose file it names.
    static func notes(_ diagnostics: [Diagnostic], issue: Issue, result: ComposedIssue) -> [(diagnostic: Diagnostic, page: Int?)] {
        let firstPage = Dictionary(result.articlePages.map { ($0.id, $0.pages.lowerBound) }, uniquingKeysWith: { a, _ in a })
        let byFile = Dictionary(issue.articles.map { ($0.location.file, $0.id) }, uniquingKeysWith: { a, _ in a })
        return diagnostics.map { d in (diagnostic: d, page: d.location.flatMap { byFile[$0.file] }.flatMap { firstPage[$0] }) }
    }

    /// The shortcut for edits inside articles: when every changed file is an article of the
    /// manifest (not the manifest, an image, the template or fonts), each is read again and,
    /// if only its blocks or heads changed and it still takes its pages, composed alone into the
    /// last composition (`IssueComposer.recompose`; the contents too when its heads changed): a
    /// rebuild of one article, not of the issue. The pages are those a whole build gives
    /// (tested). nil: rebuild the whole issue.
    private func recompose(articles changed: [String], seen: [String: FileStamp]) -> [Int]? {
        guard articleBuilds < Self.wholeBuildEvery, snapshot.errors.isEmpty, Pipeline.isManifest(input),
              let pipeline, let memo, var (issue, result) = composed,
              !changed.contains(where: { [input, pipeline.templatePath, pipeline.fontConfig].contains($0) }),
              readingWarnings.allSatisfy({ $0.location != nil }) else { return nil }
        let clock = ContinuousClock.now
        let composer = issueComposer(for: issue, pipeline: pipeline, memo: memo)
        var warnings = readingWarnings, redrawn: [Int] = []
        for file in changed {
            let read = FileRead(before: seen)
            let articles = issue.articles   // made from the sections each time it is asked for
            let matching = articles.indices.filter { articles[$0].location.file == file }
            guard matching.count == 1, let loaded = try? ManifestLoader.readArticle(file, options: reading.input),
                  loaded.warnings.allSatisfy({ $0.location?.file == file }) else { return nil }
            let old = articles[matching[0]]
            var article = loaded.article
            (article.budget, article.endAd, article.endsWithSpace) = (old.budget, old.endAd, old.endsWithSpace)
            guard let r = composer.recompose(result, of: issue, replacing: matching[0], with: article) else { return nil }
            (issue, result) = (r.issue, r.composed)
            redrawn += Array(r.frontMatter) + r.pages.map { $0 + result.frontMatter.count }
            let at = warnings.firstIndex { $0.location?.file == file } ?? warnings.count
            warnings.removeAll { $0.location?.file == file }
            warnings.insert(contentsOf: loaded.warnings, at: min(at, warnings.count))
            for f in [file] + article.imageFiles { stamps[f] = read.stamp(f) }
        }
        let alone = Set(issue.sections.filter { !$0.runOn && !$0.parallel }.flatMap { $0.articles.map(\.id) })
        let manifest = FileStamp(path: input)
        var changedPages: [Int] = []
        for k in redrawn {
            let page = k < result.frontMatter.count ? result.frontMatter[k] : result.pages[k - result.frontMatter.count]
            let hash = Self.hash(page)
            if let key = Self.reuseKey(page, identities: articles.identities, alone: alone, manifest: manifest) { hashes[key] = hash }
            pages[k] = page
            snapshot.pages[k].lines = page.articleID == nil ? nil : page.sourceLines
            if snapshot.pages[k].hash != hash { changedPages.append(k + 1) }
            snapshot.pages[k].hash = hash
        }
        composed = (issue, result)
        readingWarnings = warnings
        articleBuilds += 1
        snapshot.articlesOnly = true
        snapshot.version += 1
        snapshot.diagnostics = Self.notes(warnings + result.diagnostics, issue: issue, result: result)
        snapshot.buildSeconds = (ContinuousClock.now - clock).seconds
        return changedPages
    }

    /// Page `number` (1-based, physical) as a PNG at `dpi`, with the layout guides if asked.
    public func png(page number: Int, dpi: Double, guides: Bool) throws -> Data {
        guard number >= 1 && number <= pages.count, let pipeline else {
            throw FolioError("no page \(number); the issue has \(pages.count)")
        }
        let page = pages[number - 1]
        return try PNGWriter.encode(spread: [page], overlays: guides ? [Guides.items(for: page, template: pipeline.template)] : [],
                                    dpi: dpi, images: pngImages)
    }

    /// The pages' images as decoded for the PNGs served, kept between them (for each share of
    /// their pixels the resolutions asked for need: the page shown, the thumbnails).
    private let pngImages = PNGWriter.Prefetch()

    /// Writes the composed issue as `render` would (same bytes as a cold `folio render`).
    public func writePDF(to output: String) throws {
        guard let pipeline, let composed else { throw FolioError("nothing composed yet") }
        try pipeline.writePDF(composed.result, of: composed.issue, to: output)
    }

    /// What an article's page is made from, when that determines it: the article's composition
    /// (reused or new), the page's folio and place in it, the manifest's state (section titles,
    /// the issue's label in the running heads) and its images' files. nil — hash it whole — for
    /// pages of no article, shared by run-on articles, or of a run-on or parallel section.
    static func reuseKey(_ page: Page, identities: [String: Int], alone: Set<String>, manifest: FileStamp) -> Int? {
        guard let id = page.articleID, page.runOns.isEmpty, alone.contains(id), let identity = identities[id] else { return nil }
        var h = Hasher()
        h.combine(id); h.combine(identity); h.combine(page.number); h.combine(page.items.count); h.combine(manifest)
        for item in page.items {
            if case .image(let i) = item, let path = i.image?.path { h.combine(FileStamp(path: path)) }
            if case .pdfPage(let p) = item { h.combine(FileStamp(path: p.path)) }
        }
        return h.finalize()
    }

    /// The display list's hash, and the state of the image files it draws (an image replaced by
    /// another of the same size draws differently), as 16 hex digits (stable within this process).
    static func hash(_ page: Page) -> String {
        var h = Hasher()
        // The drawing only: where its text comes from in the source (`sourceLines`) is not part of it.
        h.combine(page.size); h.combine(page.trim); h.combine(page.number); h.combine(page.items)
        for item in page.items {
            if case .image(let i) = item, let path = i.image?.path {
                let s = FileStamp(path: path)
                h.combine(s.size); h.combine(s.modified); h.combine(s.inode)
            } else if case .pdfPage(let p) = item {
                let s = FileStamp(path: p.path)
                h.combine(s.size); h.combine(s.modified); h.combine(s.inode)
            }
        }
        return String(UInt64(bitPattern: Int64(h.finalize())), radix: 16)
    }
}

/// Sets each distinct paragraph once across builds (see `LiveSession`); entries a build did
/// not ask for are dropped when it ends, so the memo never outgrows one issue.
final class MemoTypesetter: Typesetter {
    private struct Key: Hashable {
        var input: ParagraphInput
        var measure: Pt
    }
    private let base: any Typesetter
    private var entries: [Key: SetParagraph] = [:]
    private var used = Set<Key>()
    private(set) var hits = 0, misses = 0

    init(_ base: any Typesetter) { self.base = base }

    func set(_ paragraph: ParagraphInput, measure: Pt) -> SetParagraph {
        let key = Key(input: paragraph, measure: measure)
        used.insert(key)
        if let found = entries[key] { hits += 1; return found }
        misses += 1
        let set = base.set(paragraph, measure: measure)
        entries[key] = set
        return set
    }

    func startBuild() { used.removeAll(keepingCapacity: true); hits = 0; misses = 0 }
    func endBuild() { entries = entries.filter { used.contains($0.key) } }
}
