/// Composes a whole issue: the front cover and inside front cover, the contents, the articles
/// in manifest order (each starting on a new page), blank pages up to the binding's multiple,
/// the inside back cover and the back cover — numbered consecutively, with running heads and
/// folios added to article and contents pages by the master-page step (`decorate`).
import FolioCore
import Foundation

public struct IssueComposer {
    public let template: Template
    public let typesetter: any Typesetter
    /// Build a contents page at the front (issues of more than one article).
    public var contents = false
    /// Check every paragraph's set text against its source (`--verify`).
    public var verify = false
    /// The most pages one article may take before it is reported as overset.
    public var maxPagesPerArticle = 2000
    /// Articles composed before, reused when unchanged by `compose` (the live preview; both
    /// `compose` and `composeInParallel` fill it).
    public var reuse: ComposedArticleCache?
    /// The articles of the whole issue, when only a part of it is composed (a preview of one
    /// article): an issue's article that ends on a short page is reported, one alone is not.
    public var articlesInIssue: Int?
    /// Articles of run-on sections known to run on, by id, and the grid line (a preview's, from
    /// the preview index): composed so from the start, instead of first as if on a page of their
    /// own and again once the article before them is placed. Composed again when a hint is wrong.
    public var runOnHints: [String: Int] = [:]

    public init(template: Template, typesetter: any Typesetter, contents: Bool = false) {
        self.template = template; self.typesetter = typesetter; self.contents = contents
    }

    /// Pages before the first article of `issue` (covers and contents), for numbering a part of it.
    public func frontPageCount(for issue: Issue) -> Int {
        Self.coverPageCount(issue) + (contents ? ContentsComposer(template: template, typesetter: typesetter).pageCount(for: issue) : 0)
    }

    /// The front cover and the inside front cover, when the manifest has them.
    static func coverPageCount(_ issue: Issue) -> Int { (issue.cover != nil ? 1 : 0) + (issue.insideFrontCover != nil ? 1 : 0) }

    /// The measure furniture (running heads, folios, cover lines set on one line) is set in:
    /// wider than any page, so it never breaks.
    public static let furnitureMeasure: Pt = 10_000

    /// The named destination at the start of the article with this index.
    public static func anchorName(_ index: Int) -> String { "article-\(index + 1)" }

    /// Composes articles one after another on this thread. `onPage` receives each finished page
    /// in order, so a writer can stream them; pages are not kept when `keepPages` is false.
    public func compose(_ issue: Issue, firstPage: Int = 1, keepPages: Bool = true,
                        onPage: (Page) throws -> Void) rethrows -> ComposedIssue {
        try compose(IssueLinks(issue), firstPage: firstPage, keepPages: keepPages, onPage: onPage)
    }

    private func compose(_ linked: IssueLinks, firstPage: Int, keepPages: Bool, onPage: (Page) throws -> Void) rethrows -> ComposedIssue {
        let issue = linked.issue, composer = articleComposer
        let pairs = Self.parallelPairs(issue)
        var composed: [Int: ComposedArticle] = [:]
        let articles = issue.articles
        return try assemble(linked, firstPage: firstPage, keepPages: keepPages, onPage: onPage) { index, _ in
            if composed[index] == nil {
                if pairs[index] == nil, let hit = reuse?.take(articles[index]) {
                    composed[index] = hit
                } else {
                    for (k, article) in Self.compose(index, of: articles, pairs: pairs, with: composer, hints: runOnHints) {
                        composed[k] = article
                        if pairs[k] == nil && !article.ranOn { reuse?.keep(articles[k], article) }
                    }
                }
            }
            return composed.removeValue(forKey: index)!
        }
    }

    /// Composes articles on `workers` threads, each with its own typesetter from `makeTypesetter`
    /// (Pango is not thread-safe), while this thread numbers, decorates and hands out the pages
    /// in order. Workers run at most `window` articles ahead of the writer, bounding memory.
    /// `helping`: this thread also composes, with its own typesetter, whenever the article it
    /// hands out next is not in yet — for a caller whose pages cost nothing to take (a preview
    /// keeps them), which then needs a worker fewer, each a typesetter that loads every font anew.
    public func composeInParallel(_ issue: Issue, workers: Int, window: Int = 16, firstPage: Int = 1, keepPages: Bool = true,
                                  helping: Bool = false,
                                  makeTypesetter: @escaping @Sendable () throws -> any Typesetter,
                                  onPage: (Page) throws -> Void) throws -> ComposedIssue {
        let linked = IssueLinks(issue)
        let articles = linked.issue.articles
        guard workers >= 1, articles.count > 1 else {
            return try compose(linked, firstPage: firstPage, keepPages: keepPages, onPage: onPage)
        }
        let board = ResultBoard(count: articles.count, window: window)
        let template = self.template, verify = self.verify, maxPages = maxPagesPerArticle
        let pairs = Self.parallelPairs(linked.issue), hints = runOnHints
        for _ in 0..<min(workers, articles.count) {
            Thread.detachNewThread {
                do {
                    let composer = ArticleComposer(template: template, typesetter: try makeTypesetter(), verify: verify, maxPages: maxPages)
                    while let i = board.nextIndex() { Self.compose(i, of: articles, pairs: pairs, with: composer, hints: hints, into: board) }
                } catch {
                    while let i = board.nextIndex() { board.deliver(i, .failure(error)) }
                }
            }
        }
        defer { board.cancel() }
        let own = articleComposer
        return try assemble(linked, firstPage: firstPage, keepPages: keepPages, onPage: onPage) { index, article in
            while helping, !board.isDelivered(index), let i = board.nextIndexIfFree() {
                Self.compose(i, of: articles, pairs: pairs, with: own, hints: hints, into: board)
            }
            let composed = try board.take(index).get()
            if pairs[index] == nil && !composed.ranOn { reuse?.keep(article, composed) }   // for the next, incremental composition
            return composed
        }
    }

    /// Article `i` composed alone (from the line `hints` give it); the first of a parallel pair
    /// composes both (by index), the second nothing — whoever composed the first delivers it.
    static func compose(_ i: Int, of articles: [Article], pairs: [Int: (Int, Int)], with composer: ArticleComposer,
                        hints: [String: Int] = [:]) -> [(Int, ComposedArticle)] {
        guard let (a, b) = pairs[i] else { return [(i, composer.compose(articles[i], firstPage: 1, startLine: hints[articles[i].id] ?? 0))] }
        guard i == a else { return [] }
        let both = composer.composeParallel(articles[a], articles[b], firstPage: 1)
        return [(a, both.0), (b, both.1)]
    }

    /// Article `i` composed as `compose(_:of:pairs:with:hints:)` does, delivered to `board`.
    private static func compose(_ i: Int, of articles: [Article], pairs: [Int: (Int, Int)], with composer: ArticleComposer,
                                hints: [String: Int], into board: ResultBoard) {
        for (k, article) in compose(i, of: articles, pairs: pairs, with: composer, hints: hints) { board.deliver(k, .success(article)) }
    }

    /// An article composer on this composer's own typesetter, configured as it is.
    var articleComposer: ArticleComposer {
        ArticleComposer(template: template, typesetter: typesetter, verify: verify, maxPages: maxPagesPerArticle)
    }

    /// Numbers, decorates and hands out the composed articles in order. Articles are composed as
    /// if they began on a recto page 1; pages that land on the other side move by the margin difference.
    private func assemble(_ linked: IssueLinks, firstPage: Int, keepPages: Bool, onPage: (Page) throws -> Void,
                          composed composeArticle: (Int, Article) throws -> ComposedArticle) rethrows -> ComposedIssue {
        let issue = linked.issue, links = linked.links
        let contentsComposer = ContentsComposer(template: template, typesetter: typesetter)
        let contentsPages = contents ? contentsComposer.pageCount(for: issue) : 0
        let coverPages = Self.coverPageCount(issue)
        var next = firstPage + coverPages + contentsPages
        var outline: [OutlineEntry] = []
        var all: [Page] = []
        var diagnostics: [Diagnostic] = []
        var ranges: [(id: String, pages: ClosedRange<Int>)] = []
        var fit: [ArticleFit] = []
        var spans: [String: Range<Int>] = [:]
        var index = 0
        let severalArticles = warnsOfShortEnds(in: issue)
        // Links to an article not in the document are noted, unless only a part of the issue is
        // composed (a preview: the rest may hold it).
        let whole = (articlesInIssue ?? issue.articles.count) == issue.articles.count
        var sectionStarts: [Int] = []
        var runOnLines: [String: Int] = [:]
        for section in issue.sections {
            sectionStarts.append(next)
            if section.facing && next % 2 == 1 {
                // A blank page (folio only) so the pair opens on a spread.
                let frame = PageFrame(template: template, number: next)
                let blank = decorate(Page(size: frame.media, trim: frame.trim, number: next), issue: issue, section: section.title, opening: true)
                try onPage(blank)
                if keepPages { all.append(blank) }
                next += 1
            }
            var k = 0
            let covers = CoverComposer(template: template, typesetter: typesetter)
            /// A run-on section's last article page, kept back (undecorated) until it is known
            /// whether the next article starts on it.
            var held: (page: Page, opening: Bool, language: String, article: Article, composed: ComposedArticle)?
            func emit(_ page: Page, opening: Bool, language: String = "zh-Hans", decorated: Bool = true) throws {
                let out = decorated ? decorate(page, issue: issue, section: section.title, opening: opening, language: language) : page
                try onPage(out)
                if keepPages { all.append(out) }
            }
            func warnIfShort(_ page: Page, _ article: Article, _ composed: ComposedArticle) {
                if severalArticles, let d = shortPageWarning(page, article, composed) { diagnostics.append(d) }
            }
            func flush() throws {
                if let h = held {
                    warnIfShort(h.page, h.article, h.composed)
                    try emit(h.page, opening: h.opening, language: h.language)
                    held = nil
                }
            }
            /// Full pages placed after the section's first `k` articles (ads, inserts).
            func placeInserts(after k: Int) throws {
                for insert in section.inserts where insert.after == k {
                    try flush()
                    try emit(coverPage(insert.page, issue: issue, number: next, with: covers, alt: "广告"), opening: false, decorated: false)
                    next += 1
                }
            }
            try placeInserts(after: 0)
            while k < section.articles.count {
                // A parallel pair: the first article's pages on the even pages of its spreads, the
                // translation's facing them; the shorter one ends with blank pages.
                let paired = section.parallel && k + 1 < section.articles.count
                let group = paired ? [section.articles[k], section.articles[k + 1]] : [section.articles[k]]
                var composed = try group.enumerated().map { try composeArticle(index + $0.offset, $0.element) }
                // Run on (`flow: continuous`): composed to start under the held page's text (RunOn.swift).
                var runOn: (page: Page, ruleY: Pt)?
                if section.runOn, !paired,
                   let r = runningOn(group[0], composed: composed[0], under: held?.page, takenUpAt: k == 0 ? section.firstRunsOnAt : nil, next: next) {
                    (composed[0], runOn, runOnLines[group[0].id]) = (r.composed, (r.page, r.ruleY), r.line)
                } else if composed[0].ranOn {
                    // Composed ahead to run on (`runOnHints`), but it does not: as on a page of its own.
                    composed[0] = articleComposer.compose(group[0], firstPage: 1)
                }
                if runOn == nil { try flush() }
                let length = composed.map(\.pages.count).max()!
                let firstDiagnostic = diagnostics.count
                for side in composed.indices {
                    let article = group[side]
                    diagnostics += composed[side].diagnostics + (whole ? links.unresolved(in: article) : [])
                    if let f = composed[side].fit { fit.append(f) }
                    if composed[side].charactersPlaced != composed[side].charactersSet {
                        diagnostics.append(.error("\(composed[side].charactersSet - composed[side].charactersPlaced) characters of the article were set but not placed on a page",
                                                  at: article.location))
                    }
                    if paired {
                        while composed[side].pages.count < length {
                            let frame = PageFrame(template: template, number: composed[side].pages.count + 1)
                            composed[side].pages.append(Page(size: frame.media, trim: frame.trim, number: frame.number, articleID: article.id))
                        }
                    }
                }
                // A run-on article's first page is the held one: numbers start there.
                let start = runOn == nil ? next : next - 1
                let stride = composed.count
                for page in 0..<length {
                    for side in composed.indices {
                        let placed = placedPage(composed[side].pages[page], at: start + page * stride + side, opening: page == 0, index: index + side, links: links)
                        if page == 0, let r = runOn {
                            let page = merged(placed, under: r.page, ruleY: r.ruleY, anchor: Self.anchorName(index))
                            if held == nil { held = (page, false, group[0].meta.language, group[0], composed[0]) }
                            held!.page = page
                            (held!.article, held!.composed) = (group[0], composed[0])
                            continue
                        }
                        if page == 1 { try flush() }
                        if section.runOn && !paired && page == length - 1 {
                            held = (placed, page == 0, group[side].meta.language, group[side], composed[side])
                        } else {
                            if page == length - 1 && !paired { warnIfShort(placed, group[side], composed[side]) }
                            try emit(placed, opening: page == 0, language: group[side].meta.language)
                        }
                    }
                }
                if !paired && !section.runOn { spans[group[0].id] = firstDiagnostic..<diagnostics.count }
                let end = start + length * stride - 1
                for side in composed.indices { ranges.append((group[side].id, (start + side)...end)) }
                next = end + 1
                // A half-page ad with no room under its article: a page of its own.
                for side in composed.indices where !composed[side].endAdPlaced {
                    guard let ad = group[side].endAd else { continue }
                    try flush()
                    let frame = PageFrame(template: template, number: next)
                    try emit(Page(size: frame.media, trim: frame.trim, items: [ad.item(on: frame, bodySize: template.grid.bodySize)], number: next),
                             opening: false, decorated: false)
                    next += 1
                }
                index += group.count
                k += group.count
                try placeInserts(after: k)
            }
            try flush()
            let first = index - section.articles.count
            let children = section.articles.enumerated().map { OutlineEntry(title: $0.element.meta.title, destination: Self.anchorName(first + $0.offset)) }
            if !children.isEmpty {
                outline.append(section.title.isEmpty ? children[0] : OutlineEntry(title: section.title, destination: children[0].destination, children: children))
            }
        }
        // Back matter: blank pages up to the binding's multiple, then the inside back and back covers.
        let covers = CoverComposer(template: template, typesetter: typesetter)
        let back = [(issue.insideBackCover, "封三"), (issue.backCover, "封底")].compactMap { page, alt in page.map { ($0, alt) } }
        if issue.cover != nil || !back.isEmpty || issue.budget != nil {
            let signature = max(1, template.page.signature)
            let count = next - firstPage + back.count
            var padding = (signature - count % signature) % signature
            var target = "a multiple of \(signature) (page.signature)"
            // The manifest's total: pad up to it, or say by how much the issue is over.
            if let budget = issue.budget {
                if count > budget.pages {
                    diagnostics.append(Diagnostic(.warning, "the issue has \(count) pages, \(count - budget.pages) over its budget of \(budget.pages)",
                                                  at: budget.location, code: "budget"))
                } else if budget.pages % signature != 0 {
                    diagnostics.append(Diagnostic(.warning, "the budget of \(budget.pages) pages is not a multiple of \(signature) (page.signature); padding to \(count + padding)",
                                                  at: budget.location, code: "budget"))
                } else {
                    padding = budget.pages - count
                    target = "the issue's budget (pages: \(budget.pages))"
                }
            }
            // The manifest's fillers (house ads, notices) first, then blank pages.
            let filled = min(padding, issue.fillers.count), blanks = padding - filled
            if padding > 0 {
                let what = [filled > 0 ? plural(filled, "filler page") : nil,
                            blanks > 0 ? plural(blanks, "blank page") : nil].compactMap { $0 }.joined(separator: " and ")
                let hint = blanks > 0 ? "; list house ads under fillers: in the manifest to fill \(blanks == 1 ? "it" : "them")" : ""
                diagnostics.append(Diagnostic(blanks > 0 ? .warning : .note, "\(what) added before the back covers to make \(count + padding) pages, \(target)\(hint)",
                                              code: "padding"))
            }
            for k in 0..<padding {
                let frame = PageFrame(template: template, number: next)
                let page = k < filled ? coverPage(issue.fillers[k], issue: issue, number: next, with: covers, alt: "补白")
                                      : Page(size: frame.media, trim: frame.trim, number: next)
                try onPage(page)
                if keepPages { all.append(page) }
                next += 1
            }
            for (page, alt) in back {
                let composed = coverPage(page, issue: issue, number: next, with: covers, alt: alt)
                try onPage(composed)
                if keepPages { all.append(composed) }
                next += 1
            }
        }
        diagnostics += template.borrowedLabels(in: issue)
        if issue.imprintOnContents && !contents {
            diagnostics.append(Diagnostic(.warning, "the imprint is printed nowhere: it goes on the contents page, and this issue has none; make a cover page 'imprint'",
                                          code: "imprint"))
        }
        var result = ComposedIssue(pages: all, diagnostics: diagnostics, articlePages: ranges)
        result.destinationTitles = linked.titles
        result.sectionStarts = sectionStarts
        result.runOnLines = runOnLines
        result.outline = outline
        result.fit = fit
        result.diagnosticSpans = spans
        var front: [Page] = []
        if let cover = issue.cover { front.append(covers.frontCover(issue, cover, number: firstPage)) }
        if let inside = issue.insideFrontCover { front.append(coverPage(inside, issue: issue, number: firstPage + front.count, with: covers, alt: "封二")) }
        if contents { front += decoratedContents(issue, starts: ranges.map(\.pages.lowerBound), firstPage: firstPage + coverPages, with: contentsComposer) }
        result.frontMatter = front
        result.pageCount = next - firstPage
        return result
    }

    /// The contents pages, decorated, numbered from `firstPage`, for articles starting on `starts`.
    func decoratedContents(_ issue: Issue, starts: [Int], firstPage: Int, with composer: ContentsComposer) -> [Page] {
        composer.compose(issue, starts: starts, firstPage: firstPage)
            .map { decorate($0, issue: issue, section: template.furniture.contentsTitle, opening: true) }
    }

    /// Whether an article of `issue` ending on a short page is reported: an issue's article is,
    /// one alone (an archive's) is not; a part of an issue counts as the whole (`articlesInIssue`).
    func warnsOfShortEnds(in issue: Issue) -> Bool {
        (articlesInIssue ?? issue.sections.reduce(0) { $0 + $1.articles.count }) > 1
    }

    /// An article's page at folio `number`; its first page carries the article's named destination.
    func placedPage(_ page: Page, at number: Int, opening: Bool, index: Int, links: ArticleLinks) -> Page {
        var placed = links.linking(renumbered(page, to: number), anchor: Self.anchorName)
        if opening { placed.items.append(.anchor(AnchorItem(name: Self.anchorName(index), point: Point(x: placed.trim.x, y: placed.trim.y)))) }
        return placed
    }

    /// An issue's article ending on a page left less than half full, unless the manifest accepts
    /// it or the budget report already speaks for it (one article alone — an archive's — ends
    /// where it ends: the caller asks only for issues of several articles).
    /// With a half-page ad under it, the room above the ad is the page: the text left less
    /// than half of it filled (a band of white between the text and the ad) is reported too.
    func shortPageWarning(_ page: Page, _ article: Article, _ composed: ComposedArticle) -> Diagnostic? {
        guard !article.endsWithSpace, (composed.fit?.status ?? .fits) == .fits else { return nil }
        guard composed.endAdPlaced else {
            let fill = PageFill.fill(page, template: template)
            guard fill < 0.5 else { return nil }
            return Diagnostic(.warning, "\(article.id) ends on page \(page.number), \(Int((fill * 100).rounded())) % full: fill it (a figure, a pull quote, a half-page ad), let the next article run on (flow: continuous), or write ends-with-space: true beside it in the manifest",
                              at: article.location, code: "short-page")
        }
        let frame = PageFrame(template: template, number: page.number)
        let adTop = HalfPageAd.top(on: frame, bodySize: template.grid.bodySize)
        var above = page
        above.items = page.items.filter { ($0.bounds?.y ?? 0) < adTop - 0.5 }
        let fill = PageFill.fill(above, template: template) * frame.textArea.height / max(1, adTop - frame.textArea.y)
        guard fill < 0.5 else { return nil }
        return Diagnostic(.warning, "\(article.id) ends on page \(page.number) above its half-page ad, the room above the ad \(Int((fill * 100).rounded())) % full: fill it (a figure, a pull quote), or write ends-with-space: true beside it in the manifest",
                          at: article.location, code: "short-page")
    }

    /// An inside or back cover: a full-page image or the imprint page.
    /// `alt`: what the page is, for the tagged PDF — 封二, 封三, 封底 (the inside front, inside
    /// back and back covers), 广告 (an ad among the articles), 补白 (a filler page).
    private func coverPage(_ page: CoverPage, issue: Issue, number: Int, with covers: CoverComposer, alt: String) -> Page {
        switch page {
        case .image(let info, _): return covers.imagePage(info, number: number, alt: alt)
        case .pdf(let path, let page): return covers.pdfPage(path, page: page, number: number, alt: alt)
        case .imprint: return covers.imprintPage(issue, number: number)
        }
    }
}
