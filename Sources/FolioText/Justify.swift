/// Line adjustment: where each item of a line goes once the breaks are chosen. Justified lines
/// are made flush at both ends by shrinking, then stretching, glue class by class in the order
/// of clreq C14; every gap of one class on a line gets the same adjustment.
import FolioCore

public struct LineLayout: Hashable, Sendable {
    /// Pen position of each item of the line, from the line start (after trims).
    public var x: [Pt]
    /// Where the line ends (for justified lines: the measure).
    public var width: Pt
}

public enum Justifier {
    /// Expansion caps per class, in ems (clreq C14: word spaces and Han–Latin spacing to ½ em
    /// more; inter-character gaps take whatever remains, equally).
    static let expandOrder: [GlueClass] = [.space, .hanLatin]
    static let shrinkOrder: [GlueClass] = [.space, .punctuation, .hanLatin, .fullStop]

    /// Positions the items `range` on a line of `measure`.
    /// - Parameter justify: stretch to the measure (false for a paragraph's last line).
    public static func layout(_ items: [BreakItem], _ range: Range<Int>, measure: Pt, justify: Bool, em: Pt) -> LineLayout {
        let metrics = LineMetrics(items, range)
        var delta = [GlueClass: Pt]()   // adjustment per gap of a class
        var remaining = measure - metrics.natural
        let gaps = Array(range.dropLast())

        if remaining < -1e-6 {
            // Shrink, class by class, up to each gap's shrink capacity.
            for cls in shrinkOrder where remaining < -1e-6 {
                let capacity = gaps.reduce(0.0) { $0 + (items[$1].gap.kind == cls ? items[$1].gap.shrink : 0) }
                guard capacity > 0 else { continue }
                let take = min(capacity, -remaining)
                delta[cls] = -take / capacity   // fraction of each gap's own shrink
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
            // Word spaces, then Han–Latin spaces, each up to ½ em in all (clreq C12, C14).
            for cls in expandOrder where remaining > 1e-6 {
                let members = gaps.filter { items[$0].gap.kind == cls }
                guard !members.isEmpty else { continue }
                let room = members.map { max(0, em / 2 - items[$0].gap.natural) }.min() ?? 0
                let each = min(remaining / Double(members.count), room)
                delta[cls] = each
                remaining -= each * Double(members.count)
            }
            if remaining > 1e-6 {
                // The rest goes equally to every inter-character gap (clreq C14, last step); only
                // a line with no such gap opens its word and Han–Latin spaces further.
                let charGaps = gaps.filter { [.interCharacter, .punctuation, .fullStop].contains(items[$0].gap.kind) }
                let targets = charGaps.isEmpty ? gaps.filter { items[$0].gap.kind != .fixed && items[$0].gap.kind != .kashida } : charGaps
                if !targets.isEmpty {
                    let each = remaining / Double(targets.count)
                    for cls in Set(targets.map { items[$0].gap.kind }) { delta[cls, default: 0] += each }
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
                let d = delta[g.kind] ?? 0
                // Shrink deltas are fractions of the gap's own capacity; stretch deltas are absolute.
                pen += g.natural + (d < 0 ? d * g.shrink : d)
            }
        }
        if let last = range.last { pen -= items[last].endTrim }
        return LineLayout(x: x, width: justify && remaining <= 1e-6 && pen > measure - 0.01 ? measure : pen)
    }
}
