/// One page of an article, composed as `render` would number and place it, for a quick look:
/// the issue is composed up to the wanted article only (one more for a spread, whose facing
/// page may begin the next article), numbered after the issue's covers and contents.
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import Foundation

/// A composed preview: the page (and its facing page, for a spread) and what composing said.
public struct PreviewResult: Sendable {
    /// The pages to show, left to right (a spread: the verso on the left, or on the right in a
    /// right-bound edition).
    public var shown: [Page]
    /// The article's id, its page count and the folio of the wanted page.
    public var article: String
    public var articlePages: Int
    public var folio: Int
    public var diagnostics: [Diagnostic]
    /// The article was composed alone, where the preview index says it starts (`writePreview`).
    public var fromIndex = false
    /// What was composed for it: where its articles and sections start (recorded in the `PreviewIndex`).
    var composed: ComposedIssue?
    /// The article's images, decoded on other cores while it was composed.
    var images: PNGWriter.Prefetch?
}

extension Pipeline {
    /// The worker threads a preview composes `cut` on, beside this one, which composes too (its
    /// pages cost nothing to take): none for one or two articles (composed here, with the
    /// pipeline's own typesetter, whose fonts are loaded already), one per other core for more —
    /// each worker's typesetter loads every font anew.
    static func previewWorkers(_ cut: Issue, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        cut.articles.count > 2 ? max(0, cores - 1) : 0
    }

    /// Composes page `page` (from 1) of `article` (default: the first) of `loaded`, its images
    /// decoded meanwhile for a PNG at `dpi`.
    public func preview(_ loaded: LoadedIssue, article: String?, page: Int, spread: Bool = false, dpi: Double = 110,
                        workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> PreviewResult {
        let ids = loaded.issue.articles.map(\.id)
        let wanted = article ?? ids.first ?? ""
        guard let index = ids.firstIndex(of: wanted) else {
            throw FolioError("no article '\(wanted)'; articles: \(ids.joined(separator: ", "))")
        }
        // The issue up to the wanted article (and one more for a spread; to the end of its section
        // if that runs on or pairs articles: the next may start on its last page, or face it).
        // Covers and contents are counted in the first page number below.
        var cut = loaded.issue.articlesOnly
        var last = index + (spread ? 1 : 0), first = 0
        for s in loaded.issue.sections {
            if (s.runOn || s.parallel) && (first..<(first + s.articles.count)).contains(index) { last = max(last, first + s.articles.count - 1) }
            first += s.articles.count
        }
        last = min(ids.count - 1, last)
        var kept = 0
        cut.sections = cut.sections.compactMap { s in
            guard kept <= last else { return nil }
            var s = s
            s.articles = Array(s.articles.prefix(last + 1 - kept))
            kept += s.articles.count
            return s
        }
        let images = PNGWriter.Prefetch(loaded.issue.articles[index].images, pageSize: template.page.media, dpi: dpi)
        var pages: [Page] = [], neighbours: [Page] = []
        // Numbered as `render` numbers them: after the covers and contents of the whole issue.
        let front = IssueComposer(template: template, typesetter: typesetter, contents: loaded.issue.articles.count > 1)
            .frontPageCount(for: loaded.issue)
        let composed = try compose(cut, workers: Self.previewWorkers(cut, cores: workers), firstPage: 1 + front,
                                   articlesInIssue: loaded.issue.articles.count, helping: true) {
            // A run-on article's first page is the one it shares with the article before it.
            if $0.shows(wanted) { pages.append($0) } else { neighbours.append($0) }
        }
        let chosen = try Self.page(page, of: pages, article: wanted)
        // A spread: the verso (even) page on the left, the recto (odd) on the right — the other
        // way round in a right-bound edition (Uyghur, Kazakh: read right to left, alreq A1).
        var shown = [chosen]
        if spread {
            let partner = chosen.number % 2 == 0 ? chosen.number + 1 : chosen.number - 1
            if let other = (pages + neighbours).first(where: { $0.number == partner }) {
                let verso = chosen.number % 2 == 0 ? chosen : other, recto = chosen.number % 2 == 0 ? other : chosen
                shown = template.page.bindingOnRight ? [recto, verso] : [verso, recto]
            }
        }
        let reading = loaded.warnings.filter { $0.location?.file.hasSuffix(wanted + ".md") ?? false }
        return PreviewResult(shown: shown, article: wanted, articlePages: pages.count, folio: chosen.number,
                             diagnostics: reading + composed.diagnostics, composed: composed, images: images)
    }

    /// `folio preview`: page `page` of `article` of `input` written to `output` as a PNG at `dpi`
    /// (guides drawn over it if asked). Missing images are placeholders (they are on their
    /// way); the PNG never replaces an input, and a signal leaves no partial file. Where the
    /// `PreviewIndex` knows where the article starts, only the article is read and composed.
    public static func writePreview(of input: String, article: String?, page: Int, spread: Bool, dpi: Double, guides: Bool,
                                    to output: String, setup: Setup) throws -> PreviewResult {
        guard dpi >= 10 && dpi <= 1200 else { throw FolioError("--dpi must be from 10 to 1200") }
        var setup = setup
        setup.input.allowMissingImages = true
        let read = FileRead()
        AtomicFile.removeStalePartials(in: parentFolder(output), only: URL(fileURLWithPath: output).lastPathComponent)
        let signals = SignalHandling(outputFolders: [parentFolder(output)], graceful: false)
        defer { withExtendedLifetime(signals) {} }
        if isManifest(input), !spread, let (pipeline, preview) = try alone(input, article: article, page: page, dpi: dpi, output: output, setup: setup) {
            try pipeline.writePNG(preview, dpi: dpi, guides: guides, to: output)
            return preview
        }
        let (loaded, pipeline) = try Pipeline.open(input, setup: setup)
        try pipeline.inputs(of: loaded, input: input).checkOutput(output, what: "the preview")
        let preview = try pipeline.preview(loaded, article: article, page: page, spread: spread, dpi: dpi)
        if let composed = preview.composed {
            PreviewIndex.record(input, issue: loaded.issue, composed: composed, pipeline: pipeline, setup: setup, read: read)
        }
        try pipeline.writePNG(preview, dpi: dpi, guides: guides, to: output)
        return preview
    }

    /// The preview of an article the index knows: the manifest read for that article only, the
    /// article composed alone from the folio where it starts (in a run-on or parallel section,
    /// with its section, from where that starts); nil where the index does not hold.
    private static func alone(_ input: String, article: String?, page: Int, dpi: Double, output: String, setup: Setup) throws -> (Pipeline, PreviewResult)? {
        guard var index = PreviewIndex.read(for: input) else { return nil }
        let wanted = article ?? index.articles.first?.id
        let recorded = wanted.flatMap(index.article)
        // The wanted article's files as they were before they are read (`FileRead`).
        let read = FileRead(knowing: recorded.map { Array($0.files.keys) } ?? [])
        // Only the wanted article's file is read (its id is its file's name), or its section's
        // files when the section runs on or pairs articles.
        let wholeSection = recorded?.sectionStart != nil
        let loaded = try loadIssue(input, options: setup.input, only: { PathName.stem($0) == wanted }, wholeSections: wholeSection)
        let fonts = try Resources.fontConfig(setup.fonts)
        let templatePath = try Resources.templatePath(setup.template, manifestTemplate: loaded.templatePath)
        let key = PreviewIndex.key(manifest: input, template: templatePath, fontConfig: fonts, setup: setup)
        guard let entry = index.entry(for: wanted, key: key),
              let s = loaded.issue.sections.first(where: { $0.articles.contains { $0.id == entry.id } }),
              let a = s.articles.first(where: { $0.id == entry.id }), a.location.file == entry.path else { return nil }
        let pipeline = try Pipeline(fontConfig: fonts, templatePath: templatePath, setup: setup)
        var inputs = pipeline.inputs(of: loaded, input: input)
        for f in index.inputs.keys { inputs.add(file: f) }
        try inputs.checkOutput(output, what: "the preview")
        var cut = loaded.issue.articlesOnly
        var firstPage = entry.sectionStart ?? entry.start
        if entry.sectionStart == nil {
            cut.sections = [Section(title: s.title, articles: [a])]
        } else {
            var section = s
            if s.runOn, let k = s.articles.firstIndex(where: { $0.id == entry.id }) {
                // Run on: the articles after it that start on its last page (the next one, and
                // the one after that while each is one page long); later ones change none of its pages.
                var to = min(k + 1, s.articles.count - 1)
                while to > k, to + 1 < s.articles.count, (index.article(s.articles[to].id)?.pages ?? 1) == 1 { to += 1 }
                section.articles = Array(s.articles.prefix(to + 1))
                section.inserts = s.inserts.filter { $0.after <= to }
                if let (from, start) = Self.runOnStart(of: k, page: page, in: s, index: index) {
                    // Taken up where an earlier article starts, as it started in the issue.
                    section.articles = Array(section.articles[from...])
                    section.inserts = section.inserts.filter { $0.after > from }.map { var i = $0; i.after -= from; return i }
                    section.firstRunsOnAt = start.line
                    firstPage = start.folio
                }
            }
            cut.sections = [section]
        }
        let images = PNGWriter.Prefetch(a.images, pageSize: pipeline.template.page.media, dpi: dpi)
        var pages: [Page] = []
        // An issue's article: a last page left short is reported, as `render` does. A run-on
        // article's first page is the one it shares with the article before it.
        // Each run-on article composed once, from the line it ran on from in the issue.
        let hints = Dictionary(index.articles.compactMap { e in e.runOn.map { (e.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let composed = try pipeline.compose(cut, workers: Pipeline.previewWorkers(cut), firstPage: firstPage, articlesInIssue: loaded.articlesNamed,
                                            runOnHints: hints, helping: true) {
            if $0.shows(entry.id) { pages.append($0) }
        }
        if index.update(entry, files: [a.location.file] + a.imageFiles, ranges: composed.articlePages, runOnLines: composed.runOnLines, read: read) {
            index.write(for: input)
        }
        let chosen = try Self.page(page, of: pages, article: entry.id)
        let reading = loaded.warnings.filter { $0.location?.file == a.location.file }
        return (pipeline, PreviewResult(shown: [chosen], article: entry.id, articlePages: pages.count, folio: chosen.number,
                                        diagnostics: reading + composed.diagnostics, fromIndex: true, images: images))
    }

    /// Where a preview of page `page` of the `k`th article of the run-on section `section` can
    /// take the section up (nil: at its start): the article itself when a later page is wanted
    /// and it ran on (its first page, shared with the article before it, is not shown), else
    /// the article before it — or further back while that one's only page is shared with the
    /// one before it too: the page the wanted article starts on, or whether it runs on at all,
    /// depends on how that one ends. Its index entry gives the article's first folio and, when
    /// it ran on, its line there (the section then starts at the next folio, `firstRunsOnAt`).
    /// (A section whose pairs face each other is taken from its start: its first page's side counts.)
    static func runOnStart(of k: Int, page: Int, in section: Section, index: PreviewIndex) -> (Int, (line: Int?, folio: Int))? {
        guard !section.facing else { return nil }
        func entry(_ j: Int) -> PreviewIndex.Entry? { index.article(section.articles[j].id) }
        var from = k
        if !(page > 1 && entry(k)?.runOn != nil) { from -= 1 }
        while from > 0, let e = entry(from), e.pages == 1, e.runOn != nil { from -= 1 }
        guard from > 0, let e = entry(from) else { return nil }
        return (from, e.runOn.map { (line: $0, folio: e.start + 1) } ?? (line: nil, folio: e.start))
    }

    /// Page `page` (from 1) of an article's `pages`, or the error naming how many it has.
    private static func page(_ page: Int, of pages: [Page], article: String) throws -> Page {
        guard page >= 1 && page <= pages.count else {
            throw FolioError("article '\(article)' has \(plural(pages.count, "page")); page \(page) is out of range")
        }
        return pages[page - 1]
    }

    /// Writes `preview` as a PNG at `dpi`, with the layout guides drawn over it if asked.
    public func writePNG(_ preview: PreviewResult, dpi: Double, guides: Bool, to path: String) throws {
        try createParent(of: path)
        let overlays = guides ? preview.shown.map { Guides.items(for: $0, template: template) } : []
        try PNGWriter.write(spread: preview.shown, overlays: overlays, dpi: dpi, to: path, images: preview.images)
    }
}

extension Issue {
    /// The issue without its covers, contents and imprint: what a preview composes (they are
    /// only counted in its first page number).
    var articlesOnly: Issue {
        var cut = self
        (cut.cover, cut.insideFrontCover, cut.insideBackCover, cut.backCover, cut.imprint) = (nil, nil, nil, nil, [])
        return cut
    }

    /// The document title: the article's for an issue of one, else magazine and issue label.
    public var documentTitle: String {
        articles.count == 1 ? articles[0].meta.title : [magazine, label].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension Pipeline {
    /// A text trace of every page of `loaded` as `render` composes it (covers and contents
    /// included, in page order): one line per item (FolioRender's `TraceWriter`), for reviewing
    /// what a change did to the pages — the trace goldens of the examples.
    public func trace(_ loaded: LoadedIssue, workers: Int = Pipeline.layoutWorkers) throws -> String {
        let composed = try compose(loaded.issue, workers: workers, keepPages: true, contents: loaded.issue.articles.count > 1) { _ in }
        return (composed.pages + composed.frontMatter).sorted { $0.number < $1.number }.map(TraceWriter.trace).joined(separator: "\n")
    }
}

extension Page {
    /// Whether the page is one of `article`'s: its own, or (run on) the one it shares with the
    /// article before it.
    func shows(_ article: String) -> Bool { articleID == article || runOns.contains { $0.articleID == article } }
}
