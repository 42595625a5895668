/// Bilingual parallel text (layout b): an article and its translation on facing pages, block by
/// block at the same height.
import FolioCore

extension ArticleComposer {
    /// Composes an article and its translation for facing pages (bilingual layout b): each text
    /// block of one starts at the height of the matching block of the other — the first that
    /// starts later sets the height, and when either must move to the next column (keep rules)
    /// both do. Figures travel with the block after them. Vertical texts have no common height:
    /// they are composed on their own, with a warning.
    public func composeParallel(_ a: Article, _ b: Article, firstPage: Int) -> (ComposedArticle, ComposedArticle) {
        guard a.meta.writingMode.strategy.sharesPages && b.meta.writingMode.strategy.sharesPages else {
            var first = compose(a, firstPage: firstPage)
            first.diagnostics.append(.warning("parallel layout aligns horizontal texts only; \(a.id) and \(b.id) are set on facing pages without aligning their paragraphs",
                                              at: a.location, code: "parallel-vertical"))
            return (first, compose(b, firstPage: firstPage + 1))
        }
        var logs = [DiagnosticLog(), DiagnosticLog()], counts = [0, 0]
        let frame = PageFrame(template: template, number: firstPage)
        var collected = [collect(a, measure: frame.measure, lineCount: frame.lineCount, log: &logs[0], setCount: &counts[0]),
                         collect(b, measure: frame.measure, lineCount: frame.lineCount, log: &logs[1], setCount: &counts[1])]
        // The texts start level, under the taller opening: the other's rule goes down with its
        // text, so both rules stand `ruleGap` above the body, level across the spread.
        let openingLines = collected.map(\.openingLines).max()!
        for side in collected.indices { collected[side].opening.deepened(to: openingLines, pitch: frame.pitch) }
        let units = collected.map { Self.units($0.blocks) }
        let first = parallelFlows(collected, units, [a, b], firstPage: firstPage, limits: [:])
        // Both last pages' columns shortened alike while each text still ends on its page (as a
        // single article's are: a short pair fills both columns of its pages, not the first).
        let (flows, pages) = balancingLastPage(first, first.map { $0.finish() }, lastLine: frame.lineCount) {
            parallelFlows(collected, units, [a, b], firstPage: firstPage, limits: $0)
        }
        let results = [a, b].enumerated().map { side, article in
            result(article, flow: flows[side], pages: pages[side], log: &logs[side], setCount: counts[side])
        }
        return (results[0], results[1])
    }

    /// The two texts' flows, block by block at the same height (see `composeParallel`), each
    /// page's columns held to `limits`.
    private func parallelFlows(_ collected: [Collected], _ units: [[[FlowBlock]]], _ articles: [Article], firstPage: Int,
                               limits: [Int: Int]) -> [Flow] {
        let flows = [flow(for: collected[0], article: articles[0], firstPage: firstPage, limits: limits),
                     flow(for: collected[1], article: articles[1], firstPage: firstPage + 1, limits: limits)]
        flows[0].reserveTops(as: flows[1])
        flows[1].reserveTops(as: flows[0])
        for k in 0..<units.map(\.count).max()! {
            let both = k < units[0].count && k < units[1].count
            for (side, f) in flows.enumerated() where k < units[side].count {
                for block in units[side][k].dropLast() where !f.overset { place(block, on: f) }
            }
            let anchors = both ? [units[0][k].last!, units[1][k].last!] : []
            if both && anchors.allSatisfy(Self.isText) {
                let target = max(flows[0].position, flows[1].position)
                for f in flows { f.advance(to: target) }
                if zip(flows, anchors).contains(where: { $0.wouldMoveOn($1) }) {
                    for f in flows where !f.atColumnTop { f.nextColumn() }
                    let top = max(flows[0].position, flows[1].position)
                    for f in flows { f.advance(to: top) }
                }
            }
            for (side, f) in flows.enumerated() where k < units[side].count && !f.overset { place(units[side][k].last!, on: f) }
        }
        return flows
    }

    private static func isText(_ b: FlowBlock) -> Bool {
        switch b {
        case .figure, .skip: return false
        default: return true
        }
    }

    /// Blocks grouped for pairing: each text block with the skips and figures before it.
    private static func units(_ blocks: [FlowBlock]) -> [[FlowBlock]] {
        var units: [[FlowBlock]] = [], current: [FlowBlock] = []
        for b in blocks {
            current.append(b)
            if isText(b) { units.append(current); current = [] }
        }
        if !current.isEmpty { units.append(current) }
        return units
    }

    /// Diagnostics and the nothing-lost count of a flowed article.
}

extension IssueComposer {
    /// For each article of a parallel section, the pair it belongs to (article indices).
    static func parallelPairs(_ issue: Issue) -> [Int: (Int, Int)] {
        var pairs: [Int: (Int, Int)] = [:], index = 0
        for section in issue.sections {
            if section.parallel {
                for k in stride(from: 0, to: section.articles.count - 1, by: 2) {
                    pairs[index + k] = (index + k, index + k + 1)
                    pairs[index + k + 1] = (index + k, index + k + 1)
                }
            }
            index += section.articles.count
        }
        return pairs
    }
}
