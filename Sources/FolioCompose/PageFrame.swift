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
    /// Vertical lines (traditional Mongolian, mlreq M1): "columns" are bands stacked top to
    /// bottom (M6), lines run down them and advance left to right; `baseline(k)` is then an x.
    public var vertical = false
    /// From the start of a line's box (top, or left when vertical) to its baseline, per em.
    public var baselineOffset: Double { vertical ? (leftward ? IdeographicBox.descent : 0.25) : IdeographicBox.ascent }
    /// Vertical lines advance right to left (vertical Chinese) instead of left to right.
    public var leftward = false

    public init(template t: Template, number: Int, vertical: Bool = false, leftward: Bool = false) {
        self.leftward = vertical && leftward
        self.number = number
        let g = t.page, grid = t.grid
        bindingOnRight = g.bindingOnRight
        media = Size(width: g.trim.width + 2 * g.bleed, height: g.trim.height + 2 * g.bleed)
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
        if vertical { makeVertical(t, left: left) }
    }

    /// The same page for vertical lines: bands of whole-em line length stacked top to bottom,
    /// lines on a grid of `pitch` from the text area's left edge (mlreq M1, M6).
    private mutating func makeVertical(_ t: Template, left: Pt) {
        vertical = true
        let g = t.page, grid = t.grid, em = grid.bodySize
        let areaWidth = g.trim.width - g.inner - g.outer, areaHeight = g.trim.height - g.top - g.bottom
        let bands = max(1, grid.columns)
        let chars = max(1, Int(((areaHeight - Double(bands - 1) * grid.minGutter) / Double(bands) / em).rounded(.down)))
        let length = Double(chars) * em
        let gap = bands > 1 ? (areaHeight - Double(bands) * length) / Double(bands - 1) : 0
        lineCount = max(1, Int(((areaWidth - em) / grid.pitch).rounded(.down)) + 1)
        let usedWidth = Double(lineCount - 1) * grid.pitch + em
        let x0 = trim.x + left, y0 = trim.y + g.top
        textArea = Rect(x: x0, y: y0, width: usedWidth, height: areaHeight)
        columns = (0..<bands).map { b in Rect(x: x0, y: y0 + Double(b) * (length + gap), width: usedWidth, height: length) }
        charsPerLine = chars
        firstBaseline = x0 + baselineOffset * em
        if leftward { firstBaseline = x0 + usedWidth - em + baselineOffset * em }
    }

    /// The line length: a column's width, or a band's height for vertical lines.
    public var measure: Pt { vertical ? columns[0].height : columns[0].width }
    public func baseline(_ line: Int) -> Pt { firstBaseline + Double(line) * (leftward ? -pitch : pitch) }
    public var isRecto: Bool { number % 2 == 1 }
    /// Whether the outer edge (where folios go) is on the right.
    public var outerOnRight: Bool { isRecto != bindingOnRight }

}
