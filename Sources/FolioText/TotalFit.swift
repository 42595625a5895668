/// Total-fit line breaking (Knuth & Plass 1981) over the same items as the greedy breaker:
/// every feasible break sequence of the paragraph is weighed at once, so adjustments spread
/// evenly instead of piling up on the lines a first-fit choice left loose.
///
/// Cost of a line: (line penalty + badness)², badness = 100·|r/r₀|³ for its adjustment ratio r.
/// Shrinking uses the blank halves of punctuation, which clreq C14 reduces *first*; stretching
/// opens visible gaps between ideographs, so its reference r₀ is small: at r₀ = 0.2 each
/// inter-character gap (stretch ¼ em) opens by 0.05 em, where letterspacing starts to show, and
/// that costs as much as squeezing every mark of the line to ½ em. A paragraph's last line
/// stretches freely; a lone character on it (clreq C16) is a cost, not a rule, so it never
/// buys a visibly spaced line; lines whose tightness jumps from the previous line's pay extra.
/// A line still too long with every mark squeezed may close the gaps between its ideographs by
/// up to `Glue.tighten` (1/32 em) at the price of a letterspaced line (`tightening`): the last
/// resort that keeps 起来…… on one line instead of spacing it out and leaving …… alone below. If no feasible breaks exist
/// (an unbreakable run longer than the line), the greedy breaker decides.
import FolioCore

public struct TotalFitBreaker: LineBreaker {
    /// Demerits added to every line (favours fewer lines).
    public var linePenalty: Double = 10
    /// Badness multiplier for shrinking. clreq C14 reduces before it expands, and squeezing a
    /// mark's blank half is invisible where opening a gap between ideographs is not: a quarter.
    /// (Measured on the sample issue and two 16,000-character texts, `make bench`: at 1, 1.0 %
    /// of lines are letterspaced; at ¼, 0.65 %.)
    public var shrinkCost: Double = 0.25
    /// The stretch ratio that counts as badness 100 (see above): 0.2 where gaps open between
    /// letters (Chinese), 1 where only word spaces stretch (Korean, Arabic script, Mongolian,
    /// whose ½ em of stretch per space is the classic TeX reference).
    public var stretchReference: Double = 0.2
    /// Demerits for a paragraph's last line holding one character (clreq C16): what a line
    /// letterspaced by just under 0.10 em costs (ratio 0.4: (10 + 800)² ≈ 656,000). A lone
    /// character is avoided at the price of a line spaced a little (below the 0.10 em a reader
    /// sees), never of a visibly spaced one. (At 200,000 — 0.08 em — a dialogue line with few
    /// stretchable gaps, `…7毛钱？！书记也` + `高大？！”`, kept its lone character.)
    public var loneCharacterPenalty: Double = 660_000
    /// The badness of a line whose ideographs close up (`Glue.tighten`), from a little to all
    /// they may: what a line letterspaced by 0.08 em (ratio 0.32) to 0.10 em costs. Invisible
    /// itself, the tightening is priced so that it replaces only a visibly spaced line, a lone
    /// last character (clreq C16) or a last line of punctuation alone. Nil: never (a paragraph
    /// set in the fewest lines, `lineCost`, would close up every line it can to save one).
    public var tightening: ClosedRange<Double>? = 400...800
    /// The stretch ratio from which a reader sees a line as spaced: 0.4, where the gaps between
    /// ideographs (stretch ¼ em, `ItemBuilder.interCharacterStretch`) open by `LooseLine.visible`
    /// (0.10 em, pdfcheck's "very loose"). A last line of one letter or of marks alone is
    /// avoided at any price up to it (see `breakLines`). Nil where only word spaces stretch
    /// (Korean, Arabic script, Mongolian).
    public var visibleRatio: Double? = LooseLine.visible / ItemBuilder.interCharacterStretchEm
    /// Demerits for every line on top of the rest; a very large value makes the fewest lines
    /// the first goal and the look the second (`ParagraphInput.looseness` −1).
    public var lineCost: Double = 0
    /// Lines to add to the best setting (`ParagraphInput.looseness` +1, TeX's \looseness): the
    /// best setting in that many more lines, if every line stretches less than
    /// `stretchReference` (in Chinese under 0.05 em a gap, where letterspacing shows);
    /// otherwise the best setting.
    public var extraLines = 0
    /// Extra demerits when adjacent lines differ by more than one tightness class.
    public var fitnessPenalty: Double = 3000
    /// Demerits for ending a line with a hyphen (TeX's \hyphenpenalty², roughly), or between two
    /// characters of an address that its break points do not separate (`BreakItem.cutsAddress`).
    public var hyphenPenalty: Double = 2500
    /// Largest stretch ratio considered before the emergency pass. 3 is ¾ em between every two
    /// ideographs (badness beyond any line worth printing): looser candidates only multiplied the
    /// active nodes (the breaker's cost grows with them); a paragraph with no line within it falls
    /// back to the greedy breaker, which cuts what must be cut.
    public var tolerance: Double = 3
    public var fallback: any LineBreaker = GreedyBreaker()
    /// Drop the ways to a break that cannot be on the best path (see `breakLines`); off only to
    /// test that dropping them changes no break.
    var prunesDominatedWays = true

    public init(fallback: any LineBreaker = GreedyBreaker()) { self.fallback = fallback }

    private struct Node {
        var position: Int        // the line starts at this item
        var line: Int
        var fitness: Int
        var demerits: Double
        var previous: Int        // index into nodes, -1 for the start
        var worst = 0.0          // the largest stretch ratio of the lines to here
        // What every later break reads of the line that starts here, read once (the breaker
        // weighs each node at every break it may reach): its measure, the prefix sums at its
        // position, the start trim of its first item, and whether only a lone character follows.
        var measure: Pt = 0
        var width: Pt = 0, stretch: Pt = 0, lateStretch: Pt = 0, shrink: Pt = 0, tighten: Pt = 0, ease: Pt = 0
        var startTrim: Pt = 0
        var loneAfter = false
    }

    public func breakLines(_ items: [BreakItem], measures: Measures) -> [Range<Int>] {
        guard !items.isEmpty else { return [] }
        guard let lines = bestLines(items, measures: measures) else { return fallback.breakLines(items, measures: measures) }
        // clreq C16: a last line of one letter or of marks alone is a price in the sum of the
        // lines' costs, and two lines spaced a little can cost more than it — yet neither is
        // spaced so that a reader sees it. Where the best setting ends on such a line, the
        // paragraph is set again with no line spaced visibly (`visibleRatio`) and the lone line
        // all but forbidden; that setting is taken if it ends on two letters or more. (A block
        // quote's `…又响了起来……` twice had left its second `……` alone below, and its first at
        // the head of the line before: now `…又响了起` / `来……马头琴…又响了` / `起来……`, two
        // lines 0.08 em apart.) Not where the fewest lines or more lines are asked for: that
        // goal comes first, and their callers refuse a lone last line themselves.
        guard let visible = visibleRatio, lines.count > 1, items[lines[lines.count - 1]].letterCount < 2,
              lineCost == 0, extraLines == 0 else { return lines }
        var strict = self
        strict.loneCharacterPenalty = Self.forbidden
        strict.tolerance = min(tolerance, visible)
        guard let better = strict.bestLines(items, measures: measures), items[better[better.count - 1]].letterCount >= 2 else { return lines }
        return better
    }

    /// Demerits that no setting with another choice pays (the second look at a lone last line).
    private static let forbidden = 1e15

    /// The best setting (nil: no feasible one; the caller falls back to the greedy breaker).
    private func bestLines(_ items: [BreakItem], measures: Measures) -> [Range<Int>]? {
        let n = items.count
        // Prefix sums over items 0..<k: width + gap, gap stretch, gap shrink.
        var width = [Double](repeating: 0, count: n + 1)
        var stretch = [Double](repeating: 0, count: n + 1)
        var lateStretch = [Double](repeating: 0, count: n + 1)
        var shrink = [Double](repeating: 0, count: n + 1)
        var tighten = [Double](repeating: 0, count: n + 1)
        var ease = [Double](repeating: 0, count: n + 1)
        for k in 0..<n {
            width[k + 1] = width[k] + items[k].width + items[k].gap.natural
            // Han–Latin spaces grow a little first (their `ease`), the rest only once nothing
            // else can (`Justifier`): counted with the gaps between ideographs, they would hide
            // how far those must open.
            let late = items[k].gap.kind == .hanLatin
            stretch[k + 1] = stretch[k] + (late ? 0 : items[k].gap.stretch)
            lateStretch[k + 1] = lateStretch[k] + (late ? items[k].gap.stretch : 0)
            ease[k + 1] = ease[k] + items[k].gap.ease
            shrink[k + 1] = shrink[k] + items[k].gap.shrink
            tighten[k + 1] = tighten[k] + items[k].gap.tighten
        }
        // Letters from the end, for the lone-character rule.
        var lettersFrom = [Int](repeating: 0, count: n + 1)
        for k in stride(from: n - 1, through: 0, by: -1) { lettersFrom[k] = lettersFrom[k + 1] + (items[k].isLetter ? 1 : 0) }

        func node(at position: Int, line: Int, fitness: Int, demerits: Double, previous: Int, worst: Double) -> Node {
            Node(position: position, line: line, fitness: fitness, demerits: demerits, previous: previous, worst: worst,
                 measure: measures(line), width: width[position], stretch: stretch[position], lateStretch: lateStretch[position],
                 shrink: shrink[position], tighten: tighten[position], ease: ease[position], startTrim: position < n ? items[position].startTrim : 0,
                 loneAfter: lettersFrom[position] < 2 && line > 0)
        }
        var nodes = [node(at: 0, line: 0, fitness: 1, demerits: 0, previous: -1, worst: 0)]
        var active = [0], keep: [Int] = []   // two buffers, swapped at every break (no allocation per item)
        active.reserveCapacity(64); keep.reserveCapacity(64)
        // The best way to each break per fitness class; with `extraLines`, per class and line count
        // (TeX keeps line counts apart when \looseness asks for another number of lines).
        let classes = extraLines > 0 ? 4 * (n + 1) : 4
        var best = [(demerits: Double, from: Int, worst: Double)](repeating: (.infinity, -1, 0), count: classes)
        var touched: [Int] = []
        for k in 0..<n {
            let last = k == n - 1
            guard last || items[k].breakAfter != .prohibited else { continue }
            let end = k + 1
            for f in touched { best[f] = (.infinity, -1, 0) }
            touched.removeAll(keepingCapacity: true)
            keep.removeAll(keepingCapacity: true)
            let item = items[k]
            let widthEnd = width[end], stretchK = stretch[k], lateStretchK = lateStretch[k], shrinkK = shrink[k], tightenK = tighten[k], easeK = ease[k]
            for a in active {
                let node = nodes[a]
                let measure = node.measure
                let natural = widthEnd - node.width - item.gap.natural - node.startTrim - item.endTrim
                let early = stretchK - node.stretch, lineShrink = shrinkK - node.shrink
                let lineStretch = early > 0 ? early : lateStretchK - node.lateStretch
                // What the Han–Latin spaces' ease takes before the gaps between ideographs open.
                let eased = early > 0 ? easeK - node.ease : 0
                // Too long even fully shrunk and tightened: this node can never reach further breaks.
                let overShrunk = natural - lineShrink - measure
                if overShrunk > 1e-6 && (tightening == nil || overShrunk > tightenK - node.tighten + 1e-6) { continue }
                keep.append(a)
                var ratio: Double
                var tightened: Double? = nil   // the share of the line's tightening it takes
                if overShrunk > 1e-6 {
                    ratio = -1
                    tightened = overShrunk / (tightenK - node.tighten)
                } else if natural <= measure + 1e-9 {
                    if last { ratio = 0 } else {
                        // Most nodes a break weighs start lines it leaves too short: they are
                        // passed over without a division (the margin keeps the result exact).
                        let short = max(0, measure - natural - eased)
                        if lineStretch > 0 && short > tolerance * lineStretch * (1 + 1e-9) { continue }
                        ratio = lineStretch > 0 ? short / lineStretch : (short < 1e-6 ? 0 : .infinity)
                    }
                } else {
                    ratio = -(natural - measure) / lineShrink
                }
                guard ratio <= tolerance else { continue }
                var badness = self.badness(ratio: ratio)
                if let t = tightened, let price = tightening { badness += price.lowerBound + (price.upperBound - price.lowerBound) * pow3(t) }
                var demerits = (linePenalty + badness) * (linePenalty + badness) + lineCost
                if last && node.loneAfter { demerits += loneCharacterPenalty }   // clreq C16
                if (item.hyphenates || item.cutsAddress) && !last { demerits += hyphenPenalty }
                let scaled = ratio > 0 ? ratio / stretchReference : ratio
                let fitness = scaled < -0.5 ? 0 : scaled <= 0.5 ? 1 : scaled <= 1 ? 2 : 3
                if abs(fitness - node.fitness) > 1 { demerits += fitnessPenalty }
                let total = node.demerits + demerits
                let slot = extraLines > 0 ? fitness + 4 * (node.line + 1) : fitness
                if total < best[slot].demerits {
                    if best[slot].from < 0 { touched.append(slot) }
                    best[slot] = (total, a, max(node.worst, last ? 0 : ratio))
                }
            }
            // Forced breaks end every line that reaches them.
            swap(&active, &keep)
            if items[k].breakAfter == .mandatory && !last { active.removeAll(keepingCapacity: true) }
            // A way to this break worse than the best way by more than the fitness penalty can
            // never be on the best path: every line after it costs what it costs after the best,
            // give or take that penalty (lines after the first all have the same measure).
            // Dropped, it spares every later break a node to weigh. Not with `extraLines`, where
            // ways with other line counts are kept apart.
            let bound = extraLines > 0 || !prunesDominatedWays ? .infinity : touched.reduce(Double.infinity) { min($0, best[$1].demerits) } + fitnessPenalty
            for slot in touched.sorted() where best[slot].demerits <= bound {
                let b = best[slot]
                nodes.append(node(at: end, line: nodes[b.from].line + 1, fitness: slot % 4, demerits: b.demerits, previous: b.from, worst: b.worst))
                active.append(nodes.count - 1)
            }
            if active.isEmpty { return nil }
        }
        // The best node at the paragraph's end.
        let ends = active.filter { nodes[$0].position == n }
        guard var finish = ends.min(by: { nodes[$0].demerits < nodes[$1].demerits }) else { return nil }
        if extraLines > 0, let longer = ends.filter({ nodes[$0].line == nodes[finish].line + extraLines && nodes[$0].worst < stretchReference - 1e-9 })
            .min(by: { nodes[$0].demerits < nodes[$1].demerits }) {
            finish = longer
        }
        var ranges: [Range<Int>] = []
        var i = finish
        while nodes[i].previous >= 0 {
            ranges.append(nodes[nodes[i].previous].position..<nodes[i].position)
            i = nodes[i].previous
        }
        return ranges.reversed()
    }

    /// The badness of a line set at adjustment ratio `ratio` (see the type's comment).
    public func badness(ratio: Double) -> Double {
        ratio < 0 ? shrinkCost * 100 * pow3(-ratio) : 100 * pow3(ratio / stretchReference)
    }

    @inline(__always) private func pow3(_ x: Double) -> Double { x * x * x }
}
