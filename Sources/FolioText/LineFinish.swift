/// The steps that turn a broken, justified line into glyph runs (`PangoTypesetter.finalize`),
/// each on its own: visual order (UAX #9 L2), positions in that order, run building, the
/// tatweel that fills a lengthened join (kashida), and the hyphen of a cut word.
import FolioCore

/// UAX #9 rule L2: the visual order of a line's clusters from their bidi embedding levels.
enum VisualOrder {
    /// Indices into `levels` in visual (left-to-right) order: from the highest level down to
    /// the lowest odd one, every run of clusters at that level or higher is reversed.
    static func order(_ levels: [UInt8]) -> [Int] {
        var order = Array(levels.indices)
        guard let top = levels.max(), top > 0 else { return order }
        let lowestOdd = max(1, levels.filter { $0 % 2 == 1 }.min() ?? 1)
        var lv = top
        while lv >= lowestOdd {
            var k = 0
            while k < order.count {
                if levels[order[k]] >= lv {
                    var e = k
                    while e < order.count, levels[order[e]] >= lv { e += 1 }
                    order[k..<e].reverse()
                    k = e
                } else { k += 1 }
            }
            lv -= 1
        }
        return order
    }

    /// Where each item starts (indexed in logical order) once the items are laid out in `order`:
    /// each one's advance, and between visual neighbours that are logical neighbours the
    /// (adjusted) gap the justifier gave them. The gaps no such pair takes are those where the
    /// direction changes: they go, in logical order, to the visual neighbours that are not
    /// logical ones, in the order of the lower of each pair (in R1 R2 [L3 L4] R5 R6 the gap
    /// L4|R5 stands between R5 and L3) — each gap once, so the line is as long as justified.
    /// `x` are the justified logical positions, `width(i)` each item's width as the breaker saw it.
    static func positions(_ order: [Int], logical x: [Pt], width: (Int) -> Pt) -> [Pt] {
        guard order != Array(x.indices) else { return x }
        func gapAfter(_ i: Int) -> Pt { i + 1 < x.count ? x[i + 1] - x[i] - width(i) : 0 }
        // The gaps of logical neighbours that are not visual ones, and the visual neighbours
        // (by their place k in `order`) that are not logical ones, each in order.
        var neighbours = Set<Int>(), crossings: [(k: Int, lower: Int)] = []
        for k in 0..<max(0, order.count - 1) {
            let (i, j) = (order[k], order[k + 1])
            if abs(i - j) == 1 { neighbours.insert(min(i, j)) } else { crossings.append((k, min(i, j))) }
        }
        let parted = (0..<max(0, x.count - 1)).filter { !neighbours.contains($0) }
        var crossingGap: [Int: Pt] = [:]
        for (c, g) in zip(crossings.sorted { $0.lower < $1.lower }, parted) { crossingGap[c.k] = max(0, gapAfter(g)) }
        var out = x, pen: Pt = 0
        for (k, i) in order.enumerated() {
            out[i] = pen
            pen += width(i)
            if k + 1 < order.count {
                let j = order[k + 1]
                pen += abs(i - j) == 1 ? gapAfter(min(i, j)) : crossingGap[k] ?? 0
            }
        }
        return out
    }
}

/// Glyph runs of one line, split where the font, the uprightness or the direction changes.
/// Glyphs are kept in visual order; text and clusters in logical order (right-to-left runs are
/// "backward", like CAIRO_TEXT_CLUSTER_FLAG_BACKWARD), so extracted text reads in logical order.
struct RunBuilder {
    private struct Pending {
        var font: Int
        var upright: Bool
        var rtl: Bool
        var glyphs: [PlacedGlyph] = []
        var pieces: [(bytes: Range<Int>, glyphs: Int, start: Int)] = []   // in visual order
    }
    private let paragraph: ShapedParagraph
    private let color: Color
    private var current: Pending?
    private(set) var runs: [GlyphRun] = []

    init(_ paragraph: ShapedParagraph, color: Color) { self.paragraph = paragraph; self.color = color }

    /// The font of the run being built.
    var font: Int? { current?.font }

    /// Starts a new run unless the one being built has this font, uprightness and direction.
    mutating func use(font: Int, upright: Bool, rtl: Bool) {
        if let c = current, c.font == font, c.upright == upright, c.rtl == rtl { return }
        flush()
        current = Pending(font: font, upright: upright, rtl: rtl)
    }

    mutating func add(_ glyph: PlacedGlyph) { current!.glyphs.append(glyph) }

    /// Text of the paragraph's `bytes` drawn by the last `glyphs` glyphs added (no bytes: glyphs
    /// that carry no text — a tatweel, a hyphen), from scalar `start`.
    mutating func piece(bytes: Range<Int>, glyphs: Int, start: Int) { current!.pieces.append((bytes, glyphs, start)) }

    /// The scalar the last piece starts at.
    var lastStart: Int { current?.pieces.last?.start ?? 0 }

    mutating func flush() {
        guard let c = current else { return }
        let logical = c.rtl ? Array(c.pieces.reversed()) : c.pieces
        var bytes: [UInt8] = []
        for piece in logical { bytes.append(contentsOf: paragraph.utf8[piece.bytes]) }
        runs.append(GlyphRun(font: paragraph.fonts[c.font].ref, color: color, glyphs: c.glyphs,
                             text: String(decoding: bytes, as: UTF8.self),
                             clusters: logical.map { ClusterMap(bytes: $0.bytes.count, glyphs: $0.glyphs) },
                             upright: c.upright, backward: c.rtl, logicalStart: logical.first?.start ?? 0))
        current = nil
    }
}

enum Kashida {
    /// Tatweel glyphs filling a lengthened join from `from` to `to` (alreq A4): whole glyphs,
    /// the last one flush with the join's end; none for a join under 0.05 pt.
    static func fill(from: Pt, to: Pt, tatweel: (glyph: UInt32, advance: Pt)) -> [PlacedGlyph] {
        let length = to - from
        guard length > 0.05, tatweel.glyph != 0, tatweel.advance > 0 else { return [] }
        let n = Int((length / tatweel.advance).rounded(.up))
        return (0..<n).map { t in PlacedGlyph(id: tatweel.glyph, x: min(from + Double(t) * tatweel.advance, to - tatweel.advance), y: 0) }
    }
}
