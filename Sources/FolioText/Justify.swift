/// Line adjustment: where each item of a line goes once the breaks are chosen. Justified lines
/// are made flush at both ends by shrinking, then stretching, glue class by class in the order
/// of clreq C14; every gap of one class on a line gets the same adjustment.
import FolioCore

public struct LineLayout: Hashable, Sendable {
    /// Pen position of each item of the line, from the line start (after trims).
    public var x: [Pt]
    /// Where the line ends (for justified lines: the measure).
    public var width: Pt
    /// What each gap between two ideographs opened by (0 on a line that did not open them).
    public var letterspacing: Pt = 0
}

public enum Justifier {
    /// An amount per glue class, held in an array by the class (a dictionary was hashed per gap).
    private struct PerClass {
        private var values = [Pt](repeating: 0, count: GlueClass.count)
        subscript(c: GlueClass) -> Pt {
            get { values[c.rawValue] }
            set { values[c.rawValue] = newValue }
        }
    }

    /// How wide a Han–Latin space grows before the gaps between ideographs open: 0.3 em, a
    /// twentieth of an em past its quarter (wider, it reads as a loose word space).
    static let hanLatinEase = 0.3

    /// Reduction order (clreq C14): word spaces, then the blank halves of brackets, commas,
    /// pause marks and semicolons, then Han–Latin spaces, and 。？！ last. (Line-end marks are
    /// already half width: `BreakItem.endTrim`.)
    static let shrinkOrder: [GlueClass] = [.space, .punctuation, .hanLatin, .fullStop, .adjacentPair]

    /// Positions the items `range` on a line of `measure`.
    /// - Parameter justify: stretch to the measure (false for a paragraph's last line).
    public static func layout(_ items: [BreakItem], _ range: Range<Int>, measure: Pt, justify: Bool, em: Pt) -> LineLayout {
        let metrics = LineMetrics(items, range)
        var delta = PerClass()   // adjustment per gap of a class
        /// Each class of `gaps` once (`each` is added once per class).
        func classes(of gaps: [Int]) -> [GlueClass] {
            var present = [Bool](repeating: false, count: GlueClass.count)
            for g in gaps { present[items[g].gap.kind.rawValue] = true }
            return GlueClass.allCases.filter { present[$0.rawValue] }
        }
        var remaining = measure - metrics.natural
        let gaps = Array(range.dropLast())
        var tightened: Pt = 0   // the share of each gap's `tighten` taken (the last resort)

        if remaining < -1e-6 {
            // Shrink, class by class, up to each gap's shrink capacity.
            for cls in shrinkOrder where remaining < -1e-6 {
                let capacity = gaps.reduce(0.0) { $0 + (items[$1].gap.kind == cls ? items[$1].gap.shrink : 0) }
                guard capacity > 0 else { continue }
                let take = min(capacity, -remaining)
                delta[cls] = -take / capacity   // fraction of each gap's own shrink
                remaining += take
            }
            // Still too long: the gaps between ideographs close, all alike, as far as they may
            // (`Glue.tighten`; the total-fit breaker chose this line knowing it).
            let capacity = metrics.tighten
            if remaining < -1e-6 && capacity > 0 {
                let take = min(capacity, -remaining)
                tightened = take / capacity
                remaining += take
            }
        } else if justify && remaining > 1e-6 {
            // Kashida first, up to ¾ em a join (alreq A4: lengthen joins, then spaces).
            let kashidas = gaps.filter { items[$0].gap.kind == .kashida }
            if !kashidas.isEmpty {
                let each = min(remaining / Double(kashidas.count), 0.75 * em)
                delta[.kashida] = each
                remaining -= each * Double(kashidas.count)
            }
            // Western word spaces first, up to ½ em (clreq C14).
            let spaces = gaps.filter { items[$0].gap.kind == .space }
            if !spaces.isEmpty && remaining > 1e-6 {
                let room = spaces.map { max(0, em / 2 - items[$0].gap.natural) }.min() ?? 0
                let each = min(remaining / Double(spaces.count), room)
                delta[.space] = each
                remaining -= each * Double(spaces.count)
            }
            // Han–Latin spaces next, as clreq C14 orders, but only to `hanLatinEase`: a quarter
            // em stretched further reads as a word space (and a one-letter name, 阿Q, never grows).
            let easing = gaps.filter { items[$0].gap.kind == .hanLatin && items[$0].gap.stretch > 0 }
            if !easing.isEmpty && remaining > 1e-6 {
                let room = easing.map { items[$0].gap.ease }.min() ?? 0
                let each = min(remaining / Double(easing.count), room)
                delta[.hanLatin] = each
                remaining -= each * Double(easing.count)
            }
            // Then every inter-character gap equally (clreq C14, last step) — before Han–Latin
            // spaces grow further: a name like 阿Q must not read as three words.
            // (Not the gaps of ideographs set solid: `GlueClass.solidIdeograph`.)
            let charGaps = gaps.filter { [.interCharacter, .punctuation, .fullStop].contains(items[$0].gap.kind) }
            if !charGaps.isEmpty && remaining > 1e-6 {
                let each = remaining / Double(charGaps.count)
                for cls in classes(of: charGaps) { delta[cls] += each }
                remaining = 0
            }
            // A line without such gaps: Han–Latin spaces grow to their cap (`Typography.hanLatinMax`).
            if !easing.isEmpty && remaining > 1e-6 {
                let room = easing.map { items[$0].gap.stretch }.min() ?? 0
                let each = min(remaining / Double(easing.count), max(0, room - delta[.hanLatin]))
                delta[.hanLatin] += each
                remaining -= each * Double(easing.count)
            }
            if remaining > 1e-6 {
                // Nothing else can take it: open every adjustable gap (a line of Latin words
                // and names); a ragged line would be worse.
                // (Ideographs set solid open only on a line with no other gap.)
                let open = gaps.filter { items[$0].gap.kind != .fixed && items[$0].gap.kind != .kashida }
                let others = open.filter { items[$0].gap.kind != .solidIdeograph }
                let targets = others.isEmpty ? open : others
                if !targets.isEmpty {
                    let each = remaining / Double(targets.count)
                    for cls in classes(of: targets) { delta[cls] += each }
                    remaining = 0
                }
            }
        }

        var x = [Pt](repeating: 0, count: range.count)
        var pen = -items[range.lowerBound].startTrim
        for (i, k) in range.enumerated() {
            x[i] = pen
            pen += items[k].width
            if k < range.upperBound - 1 {
                let g = items[k].gap
                // Shrink deltas are fractions of the gap's own capacity; stretch deltas are absolute
                // (a Han–Latin space that may not grow, a one-letter name's, does not).
                let d = g.kind == .hanLatin ? min(delta[g.kind], g.stretch) : delta[g.kind]
                pen += g.natural + (d < 0 ? d * g.shrink : d) - tightened * g.tighten
            }
        }
        if let last = range.last { pen -= items[last].endTrim }
        // (Only a line with gaps between ideographs gives their class a share: the steps above
        // adjust the classes present.)
        return LineLayout(x: x, width: justify && remaining <= 1e-6 && pen > measure - 0.01 ? measure : pen,
                          letterspacing: max(0, delta[.interCharacter], delta[.solidIdeograph]))
    }
}
