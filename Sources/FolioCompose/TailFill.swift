/// A short last page filled by design (issue 13): when an article would end on a page less than
/// a third full and scaling its figures cannot fit it back, its last column figure is moved to
/// the head of that page and set across the measure (cropped to the grid, at most half the text
/// area, as spanning figures are): the tail runs in the columns under it. Moving a figure alone
/// changes nothing (the same lines, elsewhere); across the measure it takes the room a designer
/// would give it. Taken only if the article keeps its page count and the page is then at least
/// a third full; a note says so. The columns the text, reflowed, then leaves short are filled
/// again (ColumnFill.swift), as after figures are scaled.
import FolioCore

extension ArticleComposer {
    func fillingShortTail(_ first: FitTrial, article: Article, firstPage: Int, frame: PageFrame, tail: Double) -> (FitTrial, Diagnostic)? {
        guard frame.strategy.spansColumns, frame.columns.count > 1 else { return nil }
        let c = first.collected
        // The last figure set in a column (a spanning one is across the measure already).
        guard let j = c.blocks.indices.last(where: { k in
            if case .figure(let f) = c.blocks[k] { return f.fullMeasure == nil && f.figure.placement != .fullBleed && f.figure.image != nil }
            return false
        }), case .figure(let f) = c.blocks[j], let across = f.spanning(frame, template: template) else { return nil }
        // The article keeps its page count, its last page at least a third full with the figure on it.
        func fills(_ flow: Flow, _ pages: [Page]) -> Bool {
            guard !flow.overset, pages.count == first.pages.count else { return false }
            let ends = flow.columnEnds, capacity = frame.lineCount * frame.columns.count
            let fill = Double(ends.reduce(0, +)) / Double(max(1, capacity))
            // The figure heads the page: above its text (code, notes, the end mark's line…), not
            // under it (Flow: spanning figures after the text) — and text there is: a page of
            // figures alone is what is mended. (A figure set under the last lines of code, after
            // the end mark, and one on a page of figures alone were taken.)
            guard let last = pages.last, let image = last.items.lazy.compactMap({ if case .image(let i) = $0 { i } else { nil } }).first,
                  let text = last.items.compactMap({ if case .text(let t) = $0, t.role != .caption { t.origin.y } else { nil } }).min() else { return false }
            return fill >= Self.shortTail && image.frame.y < text
        }
        // Spanning figures go to the head of the page after the one they are met on: met at
        // each block from the end back, the first arrangement that fills the last page.
        // (After the last block it would follow the text, not head the page: not tried.)
        for k in stride(from: c.blocks.count - 1, to: j, by: -1) {
            // Never between the last lines and the credits under them.
            if case .block(_, _, _, _, _, .credits, _) = c.blocks[k] { continue }
            var moved = c.moving(j, before: k)
            moved.blocks[k - 1] = .figure(across)
            let flow = run(moved, article: article, firstPage: firstPage, limits: [:])
            let pages = flow.finish()
            guard fills(flow, pages) else { continue }
            let note = Diagnostic(.note, "figure moved to the head of the last page, across the measure, so that the article does not end on \(Self.lastPageWords(first, tail))",
                                  at: f.figure.location, code: "copyfit")
            // The text reflowed around the figure: columns it now leaves short are filled again
            // (as after figures are scaled), if the last page still holds.
            let (filled, refilled, notes) = fillingShortColumns(moved, article: article, firstPage: firstPage)
            let refilledPages = refilled.finish()
            if fills(refilled, refilledPages) {
                return (FitTrial(collected: filled, base: moved, flow: refilled, pages: refilledPages, actions: first.actions, dropped: first.dropped, notes: first.notes + notes), note)
            }
            return (FitTrial(collected: moved, base: moved, flow: flow, pages: pages, actions: first.actions, dropped: first.dropped, notes: first.notes), note)
        }
        return nil
    }
}

extension ArticleComposer.Collected {
    /// The blocks with block `j` moved to just before block `k` (k > j), and everything kept by
    /// block index (source lines, paragraph inputs, relaxed headings, optional blocks, where the
    /// end matter begins) with them.
    func moving(_ j: Int, before k: Int) -> Self {
        var order = Array(blocks.indices)
        order.remove(at: j)
        order.insert(j, at: k - 1)
        return reordered(order)
    }

    /// The blocks with blocks `moved` (ascending) taken out and set, in their order, just before
    /// block `k` (not one of them), everything kept by block index with them.
    func placing(_ moved: [Int], before k: Int) -> Self {
        let taken = Set(moved)
        var order = blocks.indices.filter { !taken.contains($0) }
        order.insert(contentsOf: moved, at: order.firstIndex(of: k) ?? order.count)
        return reordered(order)
    }

    /// The blocks in `order` (old indices), and everything kept by block index with them.
    private func reordered(_ order: [Int]) -> Self {
        var newIndex = [Int](repeating: 0, count: order.count)
        for (to, from) in order.enumerated() { newIndex[from] = to }
        var c = self
        c.blocks = order.map { blocks[$0] }
        c.lines = lines.count == blocks.count ? order.map { lines[$0] } : lines
        c.paragraphInputs = Dictionary(uniqueKeysWithValues: paragraphInputs.map { (newIndex[$0.key], $0.value) })
        c.relaxedBlocks = Set(relaxedBlocks.map { newIndex[$0] })
        c.endMatter = endMatter.map { newIndex[$0] }
        c.optional = optional.map { var o = $0; o.index = newIndex[o.index]; return o }
        return c
    }
}
