/// Figures alone after the end mark, met sooner (ShortTail.swift's step after spanning figures
/// set a column wide): an article whose text ends on a page with room for no more, its spanning
/// figures (or figures for a column's head that found none) then standing on a page of their
/// own after the end mark, less than half full. A designer moves the pictures up: they head the
/// page the text ends on (or, for a column's head, a column of it), and the text runs on under
/// them to the last page, which ends with the end mark as an article's last page does (the
/// running text reaching it: not a last page of the gathered notes alone). The figures are
/// written before a block the flow places on that page or the one before — the last block that
/// does it, so that they move as little as they can — and taken only if the article keeps its
/// page count, the figures the order they are written in, and its columns no more left short
/// than as set. (Random zh seed 7921: a photograph written on its second page stood alone on
/// page 3, the text and notes ending on page 2; mn seed 2376: a photograph for a band's head
/// alone on page 3.)
import FolioCore

extension ArticleComposer {
    /// The trial, and each figure moved with where it now stands, in a note's words ("the head
    /// of page 2"); nil when no block before does it.
    func withFiguresMetSooner(_ first: FitTrial, article: Article, firstPage: Int) -> (FitTrial, [(PreparedFigure, at: String)])? {
        let textPage = first.lastTextPage
        guard first.endsOnPicturesAlone else { return nil }
        let c = first.collected
        let after = Set(first.pages[(textPage + 1)...].flatMap { $0.items.compactMap { FigureKey($0) } })
        let figures = c.blocks.indices.filter { k in if case .figure(let f) = c.blocks[k] { after.contains(FigureKey(f)) } else { false } }
        guard let earliest = figures.first else { return nil }
        let pages = first.flow.blockPages
        // Met on the page before the text's last, a spanning figure heads that one; met on the
        // text's last page before its last column, a figure for a column's head heads the next.
        for k in stride(from: earliest - 1, through: 0, by: -1) where k < pages.count && pages[k] >= textPage - 1 {
            // Never between a heading and what it keeps: before the heading instead.
            if k > 0, c.blocks[k - 1].isKeptHeading { continue }
            let moved = c.placing(figures, before: k)
            func ends(_ t: FitTrial) -> Bool {
                !t.flow.overset && t.pages.count <= first.pages.count && !t.endsOnPicturesAlone && t.runningTextReachesLastPage
                    && t.keepsFigureOrder(asWritten: c)
            }
            let flow = run(moved, article: article, firstPage: firstPage, limits: [:])
            let trial = FitTrial(collected: moved, base: moved, flow: flow, pages: flow.finish(), actions: first.actions, dropped: first.dropped, notes: first.notes)
            guard ends(trial) else { continue }
            // The text reflowed under the figures: columns it now leaves short are filled again
            // (as after figures are scaled).
            let (filled, refilled, notes) = fillingShortColumns(moved, article: article, firstPage: firstPage)
            let again = FitTrial(collected: filled, base: moved, flow: refilled, pages: refilled.finish(), actions: first.actions,
                                 dropped: first.dropped, notes: first.notes + notes)
            // Taken if it leaves no more columns short than the article as set (moved far, a figure
            // can push a heading and the box it keeps on: random zh 7655, a column 4 lines short).
            guard let taken = [again, trial].first(where: { ends($0) && $0.flow.shortfalls.count <= first.flow.shortfalls.count }) else { continue }
            let placed = figures.compactMap { j -> (PreparedFigure, at: String)? in
                guard case .figure(let f) = c.blocks[j] else { return nil }
                for page in taken.pages {
                    for case .image(let i) in page.items where FigureKey(i) == FigureKey(f) {
                        let area = PageFrame(template: template, number: page.number, mode: article.meta.writingMode).textArea
                        let across = i.frame.width > area.width - 1 && i.frame.height < area.height - 1
                        return (f, across ? "the head of page \(page.number)" : "the head of a column on page \(page.number)")
                    }
                }
                return nil
            }
            return (taken, placed)
        }
        return nil
    }
}
