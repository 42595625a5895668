/// Turns shaped clusters into break items by the language rules: break permissions (C4–C7,
/// UAX #14 refined), adjacent-punctuation compression (C8), line-edge trims (C9, C10),
/// Han–Latin spacing (C12) and the glue classes justification uses (C14).
import FolioCore

struct ItemBuilder {
    var rules: LineRules
    /// The body em: spacing amounts are fractions of it.
    var em: Pt

    /// Items plus, per item, how far its glyphs shift left (a compressed opening mark).
    struct Result {
        var items: [BreakItem]
        var shift: [Pt]
    }

    func build(_ p: ShapedParagraph) -> Result {
        let clusters = p.clusters
        let n = clusters.count
        var items = [BreakItem]()
        items.reserveCapacity(n)
        var shift = [Pt](repeating: 0, count: n)
        let classes = clusters.map { c -> CharClass in
            // A cluster's class is its first character's, except that a space anywhere makes it a space.
            CharClass.of(p.scalars[c.range.lowerBound])
        }
        // Is the mark set full width here? (Curly quotes are proportional in some fonts.)
        func fullWidth(_ i: Int) -> Bool { clusters[i].advance >= 0.9 * em }
        // Amount (½ em) a full-width mark may lose on its empty side (clreq C8–C10).
        let half = em / 2

        for i in 0..<n {
            let c = clusters[i], cls = classes[i]
            var item = BreakItem(width: c.advance)
            item.isLetter = cls == .ideograph || cls == .hangul || cls == .word
            let prevCls: CharClass? = i > 0 ? classes[i - 1] : nil
            let nextCls: CharClass? = i + 1 < n ? classes[i + 1] : nil

            // C8: a closing mark followed by another mark loses its empty right half; an
            // opening mark after another mark loses its empty left half.
            if cls == .closing && fullWidth(i) {
                if let nx = nextCls, nx == .closing || nx == .opening || nx == .fullwidthOther, fullWidth(i + 1) {
                    item.width -= half
                } else {
                    item.endTrim = half              // C10: half width at line end
                    item.gap = Glue(shrink: half, kind: .punctuation)   // C14: may be squeezed
                }
            }
            if cls == .opening && fullWidth(i) {
                if let pv = prevCls, pv == .opening, fullWidth(i - 1) {
                    item.width -= half
                    shift[i] = -half
                } else {
                    item.startTrim = half            // C9: an opening mark at line start
                }
            }

            // Glue to the next item.
            if let nx = nextCls {
                let ncls = nx
                if cls == .space {
                    // A word space; next to Han it becomes the Han–Latin space (C12).
                    let hanSide = (prevCls?.isCJK ?? false) || ncls.isCJK
                    let natural = hanSide ? em / 4 : c.advance
                    item.width = 0
                    item.gap = Glue(natural: natural, stretch: em / 2, shrink: natural - (hanSide ? em / 8 : em / 4) , kind: hanSide ? .hanLatin : .space)
                    item.gap.shrink = max(0, item.gap.shrink)
                } else if ncls == .space {
                    // The space item carries the glue.
                    if item.gap.kind == .punctuation { item.gap.natural = 0 } else { item.gap = .fixed }
                } else if (cls == .ideograph && ncls == .word) || (cls == .word && ncls == .ideograph) {
                    item.gap = Glue(natural: em / 4, stretch: em / 4, shrink: em / 8, kind: .hanLatin)   // C12
                } else if cls == .connector || ncls == .connector {
                    item.gap = .fixed                 // C14: never around dashes, ellipses, solidi
                } else if item.gap.kind == .punctuation {
                    // keep the squeeze capacity
                } else if (cls.isCJK || ncls.isCJK) && !(cls == .opening && ncls == .opening) {
                    item.gap = Glue(kind: .interCharacter)
                } else {
                    item.gap = .fixed
                }
                // An opening mark may lose its empty left half when squeezed (C14).
                if ncls == .opening && fullWidth(i + 1) && cls != .opening && cls != .space && item.gap.kind != .hanLatin {
                    item.gap.kind = .punctuation
                    item.gap.shrink = half
                }
            }
            item.breakAfter = permission(after: i, p, classes)
            items.append(item)
        }
        return Result(items: items, shift: shift)
    }

    /// May a line end after cluster `i`?
    func permission(after i: Int, _ p: ShapedParagraph, _ classes: [CharClass]) -> BreakPermission {
        let clusters = p.clusters
        guard i + 1 < clusters.count else { return .allowed }
        let boundary = clusters[i].range.upperBound
        if p.mustBreakBefore[boundary] { return .mandatory }
        let left = p.scalars[boundary - 1], right = p.scalars[boundary]
        var allowed = p.breakBefore[boundary]
        // UAX #14 glues “ ” ‘ ’ to both neighbours; between CJK characters any gap may break (C4).
        if rules.breakBetweenIdeographs && isCJKLike(classes[i]) && isCJKLike(classes[i + 1]) { allowed = true }
        if classes[i] == .space { allowed = allowed || classes[i + 1] != .space }
        if rules.noStart.contains(right) || rules.noEnd.contains(left) { allowed = false }
        if left == right && rules.unbreakableDoubles.contains(left) { allowed = false }       // C7
        // A space may not be pushed to a line start: break after it, not before it.
        if classes[i + 1] == .space { allowed = false }
        return allowed ? .allowed : .prohibited
    }

    private func isCJKLike(_ c: CharClass) -> Bool { c.isCJK || c == .connector }
}
