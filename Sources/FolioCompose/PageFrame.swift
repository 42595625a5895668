/// Page geometry for one page number: trim and media boxes, the text area (inner/outer margins
/// mirrored on facing pages), the columns and the baseline grid shared by all of them (clreq C3).
import FolioCore

public struct PageFrame: Hashable, Sendable {
    public var number: Int
    public var media: Size
    public var trim: Rect
    public var textArea: Rect
    /// Column rectangles, left to right; each exactly `charsPerLine` ems wide (clreq C1).
    public var columns: [Rect]
    public var charsPerLine: Int
    /// Baseline of grid line 0 and the pitch; grid line k sits at `firstBaseline + k·pitch`.
    public var firstBaseline: Pt
    public var pitch: Pt
    public var lineCount: Int
    /// The spine is on the right of rectos (right-to-left books).
    public var bindingOnRight: Bool
    /// How lines run and advance on the page (its strategy lays out the columns and the grid).
    public var mode: WritingMode = .horizontalLTR
    var strategy: any WritingModeStrategy { mode.strategy }
    /// From the start of a line's box (top, or left when vertical) to its baseline, per em.
    public var baselineOffset: Double { strategy.baselineOffset }

    public init(template t: Template, number: Int, mode: WritingMode = .horizontalLTR) {
        self.mode = mode
        self.number = number
        let g = t.page, grid = t.grid
        bindingOnRight = g.bindingOnRight
        media = g.media
        trim = Rect(x: g.bleed, y: g.bleed, width: g.trim.width, height: g.trim.height)
        // Recto (odd) pages have the binding on the left (on the right in right-to-left books).
        let spineLeft = !g.facing || (number % 2 == 1) != g.bindingOnRight
        let left = spineLeft ? g.inner : g.outer
        let right = spineLeft ? g.outer : g.inner
        let areaWidth = g.trim.width - left - right
        let em = grid.bodySize
        let cols = max(1, grid.columns)
        // clreq C1: a whole number of characters per line; the gutter takes the remainder.
        let chars = max(1, Int(((areaWidth - Double(cols - 1) * grid.minGutter) / Double(cols) / em).rounded(.down)))
        let measure = Double(chars) * em
        let gutter = cols > 1 ? (areaWidth - Double(cols) * measure) / Double(cols - 1) : 0
        let areaHeight = g.trim.height - g.top - g.bottom
        // The grid: the first baseline sits one ideographic ascent (0.88 em) below the area top.
        let ascent = IdeographicBox.ascent * em, descent = IdeographicBox.descent * em
        lineCount = max(1, Int(((areaHeight - ascent - descent) / grid.pitch).rounded(.down)) + 1)
        let usedHeight = Double(lineCount - 1) * grid.pitch + ascent + descent
        textArea = Rect(x: trim.x + left, y: trim.y + g.top, width: areaWidth, height: usedHeight)
        let x0 = g.bleed + left, y0 = g.bleed + g.top
        columns = (0..<cols).map { c in
            Rect(x: x0 + Double(c) * (measure + gutter), y: y0, width: measure, height: usedHeight)
        }
        charsPerLine = chars
        firstBaseline = trim.y + g.top + ascent
        pitch = grid.pitch
        strategy.arrange(&self, template: t, left: left)
    }

    /// The line length: a column's width, or a band's height for vertical lines.
    public var measure: Pt { strategy.inlineLength(of: columns[0]) }
    public func baseline(_ line: Int) -> Pt { firstBaseline + Double(line) * (strategy.progression * pitch) }
    public var isRecto: Bool { number % 2 == 1 }
    /// Whether the outer edge (where folios go) is on the right.
    public var outerOnRight: Bool { isRecto != bindingOnRight }

}
