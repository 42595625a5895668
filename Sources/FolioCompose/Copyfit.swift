/// Copyfitting: making an article fit its pages without touching the type. Two jobs:
///
/// - A **page budget** from the manifest (`- {file: a.md, pages: 3}`): the article is fitted
///   to it by, in this order, scaling its figures down in 10 % steps to `figures.min-scale`,
///   then a more compact opening variant of the template (when the article names none), then
///   leaving out the elements it marks optional (`> [!pull optional]`, an image titled
///   "optional") and scaling again, then a grid line less of air before headings and around
///   block quotes, and last paragraphs set a line shorter (at most a third of them,
///   ShortTail.swift). The first arrangement within the budget wins; if none is, the most
///   compact one is printed and the fit report says how far over it is (in lines, columns and
///   characters to cut). Under budget, the report says how much room is left.
/// - Without a budget, **no short tail**: a last page less than a third full is fitted back by
///   scaling the figures, as far as the same limit, or else by a grid line less of air (the
///   figures then scaled too if need be); or else by paragraphs set a line shorter, the last
///   first, at most a third of them (with less air if need be); or else, where it ends on a page
///   of spanning figures alone, by setting the last of them a column wide where they are
///   written; or else filled by a figure set across its head (ShortTail.swift, TailFill.swift).
///
/// Type size, leading, letter spacing and paragraph spacing never change: they keep the grid and
/// the clreq rules. Every trial is a flow of the blocks set once, so fitting costs flows, not
/// typesetting (but for paragraphs set a line shorter and the captions of figures set a column
/// wide); each fills its own columns (ColumnFill.swift) from the blocks as set, not with the
/// choices made for the article's first flow; the choices depend only on the input
/// (byte-identical re-renders).
import FolioCore
import Foundation

/// An element an article marks optional: its block, what it is, and what was set for it.
struct OptionalBlock {
    var index: Int
    var noun: String
    var location: SourceLocation
    var characters: Int
}

/// One arrangement of an article's blocks, flowed.
struct FitTrial {
    var collected: ArticleComposer.Collected
    /// The blocks before the columns were filled (ColumnFill.swift): new trials (figures scaled,
    /// less air) start from these and fill their own columns, not from choices made for this flow.
    var base: ArticleComposer.Collected
    var flow: Flow
    var pages: [Page]
    var actions: [String]
    var dropped: [OptionalBlock]
    /// What filling the columns did (notes, ColumnFill.swift), logged for the arrangement printed.
    var notes: [Diagnostic] = []
    /// The grid line under which its last page was balanced (`ArticleComposer.balancing`); the
    /// article's own balancing, under that line or one above it, would find the same again.
    var balancedUnder: Int?

    /// Spanning figures follow the text on pages of their own: the last holds no text.
    var endsOnFiguresAlone: Bool { flow.textEnd.page < pages.count - 1 }
    /// The last page that holds text other than captions (an index into `pages`).
    var lastTextPage: Int {
        pages.lastIndex { $0.items.contains { if case .text(let t) = $0 { t.role != .caption } else { false } } } ?? 0
    }
    /// Pages of figures alone follow the text: spanning figures (`endsOnFiguresAlone`), or
    /// figures for a column's head that found none before the text ended (in vertical bands,
    /// which no figure spans, they head the next page's first band).
    var endsOnPicturesAlone: Bool { lastTextPage < pages.count - 1 }
    /// Whether the article's running text reaches its last page: not only figures there, nor
    /// only the notes gathered after the text.
    var runningTextReachesLastPage: Bool {
        guard let end = flow.runningTextEnd else { return !endsOnFiguresAlone }
        return end.page == pages.count - 1 && end.linesOnPage
    }
}

extension ArticleComposer.Collected {
    /// The blocks with a grid line less of air wherever they have some: before headings, around
    /// block quotes, above boxes and tables (the last fit step: whole grid lines, so the text stays on the grid).
    func withLessAir() -> ArticleComposer.Collected {
        var c = self
        c.blocks = blocks.map { b in
            switch b {
            case .block(let lines, let style, let grid, let keep, let before, let role, let anchor) where before > 0:
                return .block(lines: lines, style: style, gridLines: grid, keepWith: keep, spaceBefore: before - 1, role: role, anchor: anchor)
            case .skip(let n) where n > 0: return .skip(n - 1)
            default: return b
            }
        }
        return c
    }

    /// Whether `withLessAir` would change anything.
    var hasAir: Bool {
        blocks.contains { b in
            switch b {
            case .block(_, _, _, _, let before, _, _): return before > 0
            case .skip(let n): return n > 0
            default: return false
            }
        }
    }

    /// The blocks without the optional elements.
    func droppingOptional() -> ArticleComposer.Collected {
        var c = self
        let drop = Set(optional.map(\.index))
        c.blocks = blocks.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        c.lines = lines.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        let kept = blocks.indices.filter { !drop.contains($0) }
        let moved = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
        c.paragraphInputs = Dictionary(uniqueKeysWithValues: paragraphInputs.compactMap { k, v in moved[k].map { ($0, v) } })
        c.relaxedBlocks = Set(relaxedBlocks.compactMap { moved[$0] })
        c.endMatter = endMatter.flatMap { moved[$0] }
        c.optional = []
        return c
    }
}

extension Flow {
    /// Body grid lines used and available on the current (last) page, over all its columns.
    var lastPageUse: (used: Int, capacity: Int) {
        var used = 0, capacity = 0
        for c in 0..<frame.columns.count {
            let top = c < columnTops.count ? columnTops[c] : 0
            capacity += max(0, frame.lineCount - top)
            used += c < columnEnds.count ? max(0, columnEnds[c] - top) : 0
        }
        return (used, capacity)
    }
}

extension ArticleComposer {
    /// The figure scales tried after the natural size: 90 %, 80 % … down to `figures.min-scale`.
    var reducedScales: [Double] {
        Array(stride(from: 0.9, through: template.figureMinScale - 1e-9, by: -0.1))
    }

    func trial(_ c: Collected, scale: Double, dropped: [OptionalBlock], article: Article, firstPage: Int, lineCount: Int) -> FitTrial {
        let scaled = scale < 1 ? c.scalingFigures(scale, template: template, lineCount: lineCount) : c
        let (filled, flow, notes) = fillingShortColumns(scaled, article: article, firstPage: firstPage)
        var actions: [String] = []
        if scale < 1 { actions.append("figures at \(Int((scale * 100).rounded())) %") }
        if !dropped.isEmpty {
            let nouns = Dictionary(grouping: dropped, by: \.noun).sorted { $0.key < $1.key }
            actions.append(nouns.map { plural($0.value.count, "optional \($0.key)") }.joined(separator: " and ") + " left out")
        }
        return FitTrial(collected: filled, base: c, flow: flow, pages: flow.finish(), actions: actions, dropped: dropped, notes: notes)
    }

    /// Fits the article to `budget` (see the file's comment); `first` is the article as set.
    func fit(_ first: FitTrial, to budget: PageBudget, article: Article, firstPage: Int, frame: PageFrame,
             log: inout DiagnosticLog, setCount: inout Int) -> (FitTrial, ArticleFit) {
        var chosen = first
        if first.pages.count > budget.pages && !first.flow.overset {
            let original = first.base
            // Figures scaled; then a more compact opening (an article that names no variant);
            // then the optional elements left out — each time with figures from full size again;
            // last, a grid line less of air before headings and around quotes, above boxes and tables.
            var arrangements: [(c: Collected, dropped: [OptionalBlock], opening: String?, lessAir: Bool)] = [(original, [], nil, false)]
            for (name, c) in compacterOpenings(than: original, article: article, frame: frame) { arrangements.append((c, [], name, false)) }
            if !original.optional.isEmpty { arrangements.append((original.droppingOptional(), original.optional, nil, false)) }
            if let last = arrangements.last, last.c.hasAir { arrangements.append((last.c.withLessAir(), last.dropped, last.opening, true)) }
            var compact = first
            search: for (k, a) in arrangements.enumerated() {
                for scale in (k == 0 ? [] : [1.0]) + (a.c.hasFigures ? reducedScales : []) {
                    let t = Self.naming(trial(a.c, scale: scale, dropped: a.dropped, article: article, firstPage: firstPage, lineCount: frame.lineCount),
                                        opening: a.opening, lessAir: a.lessAir)
                    if t.flow.overset { continue }
                    if t.pages.count <= budget.pages { chosen = t; break search }
                    if Self.isMoreCompact(t, than: compact) { compact = t }
                }
                chosen = compact
            }
            // Last, paragraphs of the most compact arrangement set a line shorter (ShortTail.swift).
            if chosen.pages.count > budget.pages, let last = arrangements.last {
                var start = first
                start.dropped = last.dropped
                if let (paragraphs, _, _, fitted) = withTighterParagraphs(start, bases: [(last.c, last.lessAir)], needed: Self.linesOver(chosen, budget: budget, frame: frame),
                                                                         article: article, firstPage: firstPage, frame: frame, where: { $0.pages.count <= budget.pages }) {
                    chosen = Self.naming(fitted, opening: last.opening, lessAir: last.lessAir)
                    chosen.actions.append(Self.tighterWords(paragraphs.count))
                    log.add(Diagnostic(.note, "\(Self.tighterWords(paragraphs.count)) to fit the article's budget of \(plural(budget.pages, "page")) (\(Self.paragraphLines(paragraphs)))",
                                       at: article.location, code: "copyfit"))
                }
            }
        }
        for d in chosen.dropped {
            log.add(Diagnostic(.note, "optional \(d.noun) left out to fit the article's budget of \(plural(budget.pages, "page"))",
                               at: d.location, code: "copyfit"))
            setCount -= d.characters
        }
        let report = measure(chosen, budget: budget, article: article, frame: frame)
        if report.status != .fits {
            log.add(Diagnostic(.warning, report.summary, at: budget.location, code: "budget"))
        }
        return (chosen, report)
    }

    /// The template's other opening variants whose opening takes less of the first page (grid
    /// lines times the columns it spans) than the article's, most compact first; none when the
    /// article names its variant (the editor chose it).
    private func compacterOpenings(than c: Collected, article: Article, frame: PageFrame) -> [(String, Collected)] {
        guard article.meta.variant == nil, article.meta.writingMode.strategy.spansColumns else { return [] }
        let columns = frame.columns.count
        func area(_ c: Collected) -> Int { c.openingLines * min(columns, c.openingSpan ?? columns) }
        // The opening alone tells whether a variant is more compact; only those are set whole.
        let set = settingAgain(article)
        var found: [(String, Collected)] = []
        for (name, variant) in template.openings.sorted(by: { $0.key < $1.key }) where name != "feature" {
            var unused: [Diagnostic] = []
            let lines = opening(article, variant: variant, set: set, overset: &unused).lines
            guard lines * min(columns, variant.span ?? columns) < area(c) else { continue }
            var a = article
            a.meta.variant = name
            var log = DiagnosticLog(), count = 0
            var other = collect(a, measure: frame.measure, lineCount: frame.lineCount, log: &log, setCount: &count)
            other.startLine = c.startLine
            if area(other) < area(c) { found.append((name, other)) }
        }
        return found.sorted { area($0.1) < area($1.1) }
    }

    /// Sets text of `article` again for a trial: its lines only (counted and checked when first set, `collect`).
    func settingAgain(_ article: Article) -> SetFunction {
        { text, style, measure, indent, location in
            self.typesetter.set(ParagraphInput(text: text, style: self.template.style(style), language: article.meta.language, location: location,
                                               indentFirstLine: indent), measure: measure).lines
        }
    }

    /// `t` with its arrangement's steps among its actions: the opening variant first, less air.
    private static func naming(_ t: FitTrial, opening: String?, lessAir: Bool) -> FitTrial {
        var t = t
        if let opening { t.actions.insert("opening '\(opening)'", at: 0) }
        if lessAir { t.actions.append(lessAirWords) }
        return t
    }

    /// Fewer pages, or as many with fewer lines on the last.
    private static func isMoreCompact(_ a: FitTrial, than b: FitTrial) -> Bool {
        (a.pages.count, a.flow.lastPageUse.used) < (b.pages.count, b.flow.lastPageUse.used)
    }

    /// The lines `t` runs over `budget` (its pages past the budget's, whole pages and the last's).
    private static func linesOver(_ t: FitTrial, budget: PageBudget, frame: PageFrame) -> Int {
        (t.pages.count - budget.pages - 1) * frame.lineCount * frame.columns.count + t.flow.lastPageUse.used
    }

    /// How `t` stands against `budget`: lines over or free, in columns and characters too.
    private func measure(_ t: FitTrial, budget: PageBudget, article: Article, frame: PageFrame) -> ArticleFit {
        let lineCount = frame.lineCount, columns = frame.columns.count
        let perPage = lineCount * columns
        let use = t.flow.lastPageUse
        let pages = t.pages.count
        var lines = 0, status = ArticleFit.Status.fits
        if pages > budget.pages {
            status = .over
            lines = Self.linesOver(t, budget: budget, frame: frame)
        } else if pages < budget.pages {
            status = .under
            lines = (budget.pages - pages) * perPage + (use.capacity - use.used)
        }
        // Characters per line: the measure in body ems (a Chinese line of 24 characters).
        let perLine = max(1, Int(frame.measure / template.grid.bodySize))
        let characters = Int((Double(lines * perLine) / 10).rounded()) * 10
        return ArticleFit(article: article.id, budget: budget, pages: pages, status: status, lines: lines,
                          columns: Double(lines) / Double(lineCount), characters: characters, actions: t.actions,
                          lastPageFill: Double(use.used) / Double(max(1, use.capacity)))
    }

    /// The action of `withLessAir`, in a note's and a fit report's words.
    static let lessAirWords = "a grid line less before headings and around quotes, above boxes and tables"

    /// `t` with the page its text ends on balanced (Balance.swift) where spanning figures follow
    /// it on pages of their own (they may then go under it); else `t`.
    func balancedUnderFigures(_ t: FitTrial, article: Article, firstPage: Int, frame: PageFrame) -> FitTrial {
        t.endsOnFiguresAlone ? balancing(t, under: frame.lineCount, article: article, firstPage: firstPage) : t
    }

    /// `t` with the page its text ends on balanced (Balance.swift) under grid line `lastLine`.
    func balancing(_ t: FitTrial, under lastLine: Int, article: Article, firstPage: Int) -> FitTrial {
        let (flows, pages) = balancingLastPage([t.flow], [t.pages], lastLine: lastLine) { [run(t.collected, article: article, firstPage: firstPage, limits: $0)] }
        var b = t
        (b.flow, b.pages, b.balancedUnder) = (flows[0], pages[0], lastLine)
        return b
    }

    /// The first arrangement of `t` with its figures scaled down (90 %, 80 % … to the template's
    /// limit; not if not `scaled`) — or first at full size, `fullSize` — that is not overset and
    /// meets `condition`, and its scale; nil when none does.
    func firstScaled(_ t: FitTrial, fullSize: Bool = false, scaled: Bool = true, article: Article, firstPage: Int, frame: PageFrame, where condition: (FitTrial) -> Bool) -> (Double, FitTrial)? {
        for scale in (fullSize ? [1.0] : []) + (scaled && t.base.hasFigures ? reducedScales : []) {
            let s = trial(t.base, scale: scale, dropped: t.dropped, article: article, firstPage: firstPage, lineCount: frame.lineCount)
            if !s.flow.overset && condition(s) { return (scale, s) }
        }
        return nil
    }
}
