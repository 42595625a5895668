/// No short tail (Copyfit.swift's second job): without a page budget, an article whose last
/// page would be less than a third full, or hold figures alone after the end mark (under half
/// of it), is fitted back, each step only where the ones before cannot take the page away —
/// figures scaled; a grid line less of air; paragraphs set a line shorter; spanning figures
/// left alone on that page a column wide; those figures met sooner (FiguresMetSooner.swift);
/// or else the page filled by design (TailFill.swift). Each step says what it did in a
/// `copyfit` note.
import FolioCore
import Foundation

/// A figure as written (its block) and as drawn (its image on a page) — the image and its
/// caption, which the drawn image carries as its alternative text.
struct FigureKey: Hashable {
    var image: ImageInfo?, alt: String?
    init(_ f: PreparedFigure) { (image, alt) = (f.figure.image, f.figure.caption.string) }
    init(_ i: ImageItem) { (image, alt) = (i.image, i.alt) }
    /// Nil for a decorative image (a rule, an ornament), which is no figure.
    init?(_ item: PageItem) {
        guard case .image(let i) = item, !i.decorative else { return nil }
        self.init(i)
    }
}

extension FitTrial {
    /// Whether the figures stand in the order they are written (a page's items are in reading
    /// order): a figure set a column wide where it is written (`spansInColumns`) may otherwise
    /// come before a spanning one written earlier that waits for the next page's head or for
    /// the text's foot.
    var keepsFigureOrder: Bool { keepsFigureOrder(asWritten: collected) }

    /// Whether the figures stand in the order of `written`'s blocks (an arrangement with blocks
    /// moved is judged by the order the author wrote).
    func keepsFigureOrder(asWritten written: ArticleComposer.Collected) -> Bool {
        let written = written.blocks.compactMap { b -> FigureKey? in if case .figure(let f) = b { FigureKey(f) } else { nil } }
        let figures = Set(written)
        return pages.flatMap(\.items).compactMap { FigureKey($0) }.filter(figures.contains) == written
    }
}

extension ArticleComposer {
    /// Without a budget: a last page less than a third full is fitted back by scaling figures,
    /// or else by a grid line less of air (with the figures scaled if need be), or else by
    /// paragraphs set a line shorter, or else (a page of spanning figures alone) by the last of
    /// them a column wide, or else (figures alone) by those figures met sooner, or else filled
    /// by a figure set across its head.
    func fitShortTail(_ first: FitTrial, article: Article, firstPage: Int, frame: PageFrame, log: inout DiagnosticLog) -> FitTrial {
        let use = first.flow.lastPageUse
        let tail = Double(use.used) / Double(max(1, frame.columns.count * frame.lineCount))
        // A page of figures alone after the end mark is short whatever share of its lines they
        // take (a chart across a vertical band is half of them) unless they fill over half of
        // it, a page of pictures (below).
        guard first.pages.count > 1, tail < Self.shortTail || first.endsOnPicturesAlone, !first.flow.overset else { return first }
        // Spanning figures on pages of their own after the text that go under it once its page
        // is balanced: as it stands (balanced at the end), else with the figures scaled.
        let balanced = balancedUnderFigures(first, article: article, firstPage: firstPage, frame: frame)
        if balanced.pages.count < first.pages.count { return first }
        // How far down its text area the last page reaches once balanced: figures alone filling
        // less than half of it are what the figures' steps below mend.
        let depth = lastPageDepth(balanced, frame: frame)
        guard tail < Self.shortTail || depth < 0.5 else { return first }
        if let (scale, t) = onFewerPages(first, from: first.base, article: article, firstPage: firstPage, frame: frame) {
            log.add(Diagnostic(.note, "figures scaled to \(Int((scale * 100).rounded())) % so that the article does not end on \(Self.lastPageWords(first, tail))",
                               at: article.location, code: "copyfit"))
            return t
        }
        // Or a grid line less of air, as a budget's last step, the figures then scaled if need be.
        let lessAir = first.base.hasAir ? first.base.withLessAir() : nil
        if let lessAir, let (scale, fitted) = onFewerPages(first, from: lessAir, fullSize: true, article: article, firstPage: firstPage, frame: frame) {
            var t = fitted
            t.actions.append(Self.lessAirWords)
            log.add(Diagnostic(.note, "\(Self.lessAirWords)\(Self.figuresAtWords(scale)) so that the article does not end on \(Self.lastPageWords(first, tail))",
                               at: article.location, code: "copyfit"))
            return t
        }
        // Or paragraphs set a line shorter, from the article's end, as few as do it; then with a
        // grid line less of air too.
        let bases = [(first.base, false)] + (lessAir.map { [($0, true)] } ?? [])
        if let (paragraphs, lessAirToo, scale, fitted) = withTighterParagraphs(first, bases: bases, needed: use.used, article: article, firstPage: firstPage, frame: frame) {
            var t = fitted
            t.actions.append(Self.tighterWords(paragraphs.count) + (lessAirToo ? ", \(Self.lessAirWords)" : ""))
            log.add(Diagnostic(.note, "\(t.actions.last!)\(Self.figuresAtWords(scale)) so that the article does not end on \(Self.lastPageWords(first, tail)) (\(Self.paragraphLines(paragraphs)))",
                               at: article.location, code: "copyfit"))
            return t
        }
        // Or, where it ends on a page of spanning figures (or figures for a column's head)
        // alone that they fill less than half (more is a page of pictures), the last of them
        // (as few as do it) a column wide where they are written, the figures then scaled if
        // need be — not before a half-page ad,
        // which goes under them: their page is then a designed one.
        // Where that cannot save the page, they go a column wide all the same when the article
        // then ends on as many pages with its running text reaching the last (not only its
        // notes): a figure near where it is written, not on a page of its own after the end mark.
        if first.endsOnFiguresAlone, article.endAd == nil, depth < 0.5,
           let (figures, scale, fitted) = withSpansInColumns(first, article: article, firstPage: firstPage, frame: frame)
            ?? withSpansInColumns(first, asManyPages: true, article: article, firstPage: firstPage, frame: frame) {
            var t = fitted
            t.actions.append(Self.spansInColumnsWords(figures.count))
            for (f, was) in figures {
                // Its resolution said again at the width it now has.
                log.removeAll { $0.code == "low-resolution" && $0.location == f.figure.location }
                log.append(contentsOf: f.warnings.filter { $0.code == "low-resolution" })
                let how = was == .top ? "where it is written, not at a column's head," : "a column wide where it is written"
                log.add(Diagnostic(.note, "figure \(f.figure.path) set \(how)\(Self.figuresAtWords(scale)) so that the article does not end on a page of figures alone",
                                   at: f.figure.location, code: "copyfit"))
            }
            return t
        }
        // Or those figures met sooner: heading the page (or a column of it) the text ends on, the
        // text running on after them to the last page (FiguresMetSooner.swift).
        if article.endAd == nil, depth < 0.5, let (moved, figures) = withFiguresMetSooner(first, article: article, firstPage: firstPage) {
            for (f, at) in figures {
                log.add(Diagnostic(.note, "figure \(f.figure.path) set sooner, at \(at), the text's end after it, so that the article does not end on a page of figures alone",
                                   at: f.figure.location, code: "copyfit"))
            }
            return moved
        }
        // Or the last page filled by design (TailFill.swift).
        guard let (filled, note) = fillingShortTail(first, article: article, firstPage: firstPage, frame: frame, tail: tail) else { return first }
        log.add(note)
        return filled
    }

    /// How far down the text area the last page of `t` reaches, from 0 to 1.
    private func lastPageDepth(_ t: FitTrial, frame: PageFrame) -> Double {
        guard let last = t.pages.last else { return 0 }
        let area = PageFrame(template: template, number: last.number, mode: frame.mode).textArea
        return (Self.lowestPoint(of: last) - area.y) / max(1, area.height)
    }

    /// A note's words for figures scaled to `scale` after another step (none at full size).
    static func figuresAtWords(_ scale: Double) -> String {
        scale < 1 ? ", figures at \(Int((scale * 100).rounded())) %," : ""
    }

    /// Which paragraphs, by their source lines, in a note's words.
    static func paragraphLines(_ at: [SourceLocation]) -> String {
        "the paragraph\(at.count == 1 ? "" : "s") at line\(at.count == 1 ? "" : "s") " + at.map { String($0.line) }.joined(separator: ", ")
    }

    /// The action of `withTighterParagraphs`, in a note's and a fit report's words.
    static func tighterWords(_ n: Int) -> String {
        "\(n == 1 ? "a paragraph" : "\(n) paragraphs") set a line shorter (the blank halves of \(n == 1 ? "its" : "their") punctuation squeezed, clreq C14)"
    }

    /// The blocks of `bases` (one arrangement, then it with less air: the same paragraphs) with
    /// their paragraphs set a line shorter (`ParagraphInput.looseness` −1: the breaker takes the
    /// setting in fewest lines, its lines within their shrink) — the last one that can be, else
    /// the last two, and so on (found by halving: the fewer, the less the article changes) — on
    /// fewer pages than `first` and meeting `condition` (`onFewerPages`: at full size, else with
    /// the figures scaled): those paragraphs' source locations, whether with less air (the
    /// base's flag), the scale, the trial; nil when even all of them do not, or when they and
    /// the air cannot give the `needed` lines back. At most a third of the paragraphs are set
    /// shorter; one whose shorter setting would end on a lone character is left as it is
    /// (`resetParagraph`, as ColumnFill sets them).
    func withTighterParagraphs(_ first: FitTrial, bases: [(Collected, Bool)], needed: Int, article: Article, firstPage: Int, frame: PageFrame,
                               where condition: (FitTrial) -> Bool = { _ in true }) -> ([SourceLocation], Bool, Double, FitTrial)? {
        guard let c = bases.first?.0 else { return nil }
        // At most a third of the paragraphs: the article keeps its setting, a few are tighter.
        let most = (c.paragraphInputs.count + 2) / 3
        // The lines to take back: a paragraph gives one at most, the air a line a block at most
        // (figures scaled not counted: a rough gate, which spares the typesetting for articles
        // that cannot gain — none of the benchmark issue's).
        let air = c.blocks.count { b in if case .block(_, _, _, _, let before, _, _) = b { before > 0 } else { b.isSkip } }
        guard most + air >= needed else { return nil }
        // The paragraphs that can be set a line shorter, the article's last first, `most` of them
        // (`withLessAir` leaves paragraphs where they are: the same for both).
        var shorter: [(index: Int, block: FlowBlock, at: SourceLocation)] = []
        for k in c.paragraphInputs.keys.sorted(by: >) where shorter.count < most {
            if let (block, at) = resetParagraph(k, of: c, looseness: -1) { shorter.append((k, block, at)) }
        }
        guard !shorter.isEmpty else { return nil }
        for (from, lessAir) in bases {
            func tried(_ n: Int, scaled: Bool) -> (Double, FitTrial)? {
                var tight = from
                for s in shorter.prefix(n) { tight.blocks[s.index] = s.block }
                return onFewerPages(first, from: tight, fullSize: true, scaled: scaled, article: article, firstPage: firstPage, frame: frame, where: condition)
            }
            // At full size if that does it, else with the figures scaled.
            var all: (scaled: Bool, trial: (Double, FitTrial))?
            for s in [false, true] where all == nil { all = tried(shorter.count, scaled: s).map { (s, $0) } }
            guard let (scaled, fitted) = all else { continue }
            var found = fitted
            var (low, high) = (0, shorter.count)   // `high` paragraphs do it, `low` do not
            while high - low > 1 {
                let mid = (low + high) / 2
                if let t = tried(mid, scaled: scaled) { (high, found) = (mid, t) } else { low = mid }
            }
            return (shorter.prefix(high).map(\.at).sorted { $0.line < $1.line }, lessAir, found.0, found.1)
        }
        return nil
    }

    /// The action of `withSpansInColumns`, in a fit report's words.
    static func spansInColumnsWords(_ n: Int) -> String { n == 1 ? "a figure set where it is written" : "\(n) figures set where they are written" }

    /// `first`'s blocks with their last spanning figures (and figures for a column's head, which
    /// found none before the text ended) set a column wide where they are written
    /// (`spansInColumns`) — the last one, else the last two, and so on — on fewer pages than
    /// `first` (`onFewerPages`: at full size, else scaled): the figures narrowed (as prepared a
    /// column wide, at full size), the scale, the trial; nil when none is. A designer's answer to
    /// an article that would end on a page holding only a picture, its text ended with room to spare.
    /// `asManyPages`: on no more pages than `first`, the running text reaching the last page.
    private func withSpansInColumns(_ first: FitTrial, asManyPages: Bool = false, article: Article, firstPage: Int,
                                    frame: PageFrame) -> ([(PreparedFigure, was: FigurePlacement)], Double, FitTrial)? {
        guard frame.strategy.spansColumns, frame.columns.count > 1 else { return nil }
        let placed: [FigurePlacement?] = first.base.blocks.map { if case .figure(let f) = $0 { f.figure.placement } else { nil } }
        let elsewhere = placed.indices.filter { placed[$0] == .span || placed[$0] == .top }
        for n in elsewhere.indices {
            let narrowed = Array(elsewhere[(elsewhere.count - 1 - n)...])
            let c = spansInColumns(first.base, narrowed, article: article, frame: frame)
            if let (scale, t) = onFewerPages(first, from: c, fullSize: true, scaled: !asManyPages, orAsMany: asManyPages, article: article, firstPage: firstPage, frame: frame,
                                             where: { $0.keepsFigureOrder && (!asManyPages || $0.runningTextReachesLastPage) }) {
                return (narrowed.compactMap { k in if case .figure(let f) = c.blocks[k], let was = placed[k] { (f, was) } else { nil } }, scale, t)
            }
        }
        return nil
    }

    /// `c` with the figures at `indices` set a column wide where they are written (`.column`):
    /// prepared again at the column's measure (`prepare`), their captions with it.
    private func spansInColumns(_ c: Collected, _ indices: [Int], article: Article, frame: PageFrame) -> Collected {
        let set = settingAgain(article)
        var out = c
        for k in indices {
            guard case .figure(let f) = c.blocks[k] else { continue }
            var figure = f.figure
            figure.placement = .column
            out.blocks[k] = .figure(prepare(figure, measure: frame.measure, lineCount: frame.lineCount, set: set))
        }
        return out
    }

    /// The blocks `c` (of `first`'s article) on fewer pages than `first` (`orAsMany`: or as many)
    /// once balanced (`balancedUnderFigures`), at full size if `fullSize`, else (or then, if
    /// `scaled`) with the figures scaled down in steps — and, balanced, meets `condition`: that
    /// trial, balanced, and its scale; nil when none is.
    func onFewerPages(_ first: FitTrial, from c: Collected, fullSize: Bool = false, scaled: Bool = true, orAsMany: Bool = false, article: Article,
                      firstPage: Int, frame: PageFrame, where condition: (FitTrial) -> Bool = { _ in true }) -> (Double, FitTrial)? {
        var from = first
        from.base = c
        var taken: FitTrial?
        guard let (scale, _) = firstScaled(from, fullSize: fullSize, scaled: scaled, article: article, firstPage: firstPage, frame: frame, where: { s in
            let balanced = balancedUnderFigures(s, article: article, firstPage: firstPage, frame: frame)
            taken = balanced
            return balanced.pages.count < first.pages.count + (orAsMany ? 1 : 0) && condition(balanced)
        }), let t = taken else { return nil }
        return (scale, t)
    }

    /// The last page of `t`, `tail` of it filled with text, in a note's words.
    static func lastPageWords(_ t: FitTrial, _ tail: Double) -> String {
        t.endsOnPicturesAlone ? "a page of figures alone" : "a page \(Int((tail * 100).rounded())) % full"
    }
}
