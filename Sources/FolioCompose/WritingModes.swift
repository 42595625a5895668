/// The writing modes as strategies: each maps the flow's coordinates — the line-progression
/// axis ("cross": where a line's baseline sits), the inline axis (how far along a column a line
/// starts), the order columns are read in — to page geometry, and says which layouts it has.
/// The flow, the figures, boxes and rules and the openings are written once in those
/// coordinates (Flow.swift, FlowBlocks.swift, Openings.swift); nothing else in FolioCompose asks
/// which way lines run. (SILE's `typesetters/tate.lua` and Typst's `Dir`/`Axes` are the models.)
import FolioCore

protocol WritingModeStrategy: Sendable {
    /// Lines run down the page: set and drawn turned a quarter (TextItem, ParagraphInput).
    var linesVertical: Bool { get }
    /// +1 where the line-progression axis grows with the page coordinate, −1 where lines advance leftward.
    var progression: Double { get }
    /// From the top (or left) of a line's box to its baseline, per em (`PageFrame.baselineOffset`).
    var baselineOffset: Double { get }
    /// From the start of a line's box to its baseline along the progression, per em (from its
    /// right edge when lines advance leftward).
    var baselineFromStart: Double { get }
    /// The page's columns and grid for this mode, given the horizontal frame `PageFrame` made
    /// (`left`: the text area's left margin on this page).
    func arrange(_ frame: inout PageFrame, template: Template, left: Pt)
    /// A column's length along the inline axis (the measure).
    func inlineLength(of column: Rect) -> Pt
    /// The `k`-th column in reading order, of the page's columns in page order (left to right,
    /// or top to bottom for vertical bands).
    func column(_ k: Int, of columns: [Rect]) -> Rect
    /// A point at page coordinate `cross` on the line-progression axis, `inline` along `column`.
    func point(cross: Pt, inline: Pt, in column: Rect) -> Point
    /// A rectangle from `cross` for `extent` in the direction lines advance, from `inline` for
    /// `length` along `column`.
    func rect(cross: Pt, extent: Pt, inline: Pt, length: Pt, in column: Rect) -> Rect
    /// A rectangle across the whole column between two page coordinates on the progression axis.
    func band(between a: Pt, and b: Pt, in column: Rect) -> Rect
    /// Where something `length` long starts when placed at `offset` from the start edge of an
    /// extent of `total` (the inline start of a right-to-left line is the right edge; the
    /// progression start of vertical-rl lines is the right edge).
    func inlineStart(offset: Pt, length: Pt, in total: Pt) -> Pt
    func progressionStart(offset: Pt, thickness: Pt, in total: Pt) -> Pt
    /// Blocks may lie across several columns: openings over the first columns, spanning
    /// figures, display headings with their rule, a figure across a short last page, half-page
    /// ads, opening variants tried when fitting a budget.
    var spansColumns: Bool { get }
    /// An article may start on a page another has begun (run-on sections) or face its
    /// translation (parallel sections).
    var sharesPages: Bool { get }
    /// Tables are set as lines of text (their cells joined by an ideographic space).
    var setsTablesAsLines: Bool { get }
    /// The extent along the progression and the length along the column a figure's image
    /// takes, and where along the column it starts.
    func figureBox(_ imageSize: Size, in column: Rect) -> (extent: Pt, length: Pt, inline: Pt)
    /// The grid lines a figure placed at `top` takes when its caption ends `drawn` from it.
    func figureLines(_ gridLines: Int, drawn: Pt, pitch: Pt, remaining: Int) -> Int
    /// How a paragraph that fills less than its measure sits: at the start of the line.
    var startAlignment: Alignment { get }
    /// The article's opening (kicker, title, deck, byline) as this mode lays it out, and the
    /// grid lines it takes.
    func opening(_ a: Article, by composer: ArticleComposer, variant: OpeningVariant, set: ArticleComposer.SetFunction,
                 overset: inout [Diagnostic]) -> Opening
}

extension WritingMode {
    /// The strategy that lays out articles in this mode.
    var strategy: any WritingModeStrategy {
        switch self {
        case .horizontalLTR: HorizontalLines(rightToLeft: false)
        case .horizontalRTL: HorizontalLines(rightToLeft: true)
        case .verticalRL: VerticalLines(leftward: true)
        case .verticalLR: VerticalLines(leftward: false)
        }
    }
}

/// horizontal-ltr and horizontal-rtl: lines across columns side by side, advancing down the
/// page; right-to-left articles read their columns from the right (alreq A1) and start their
/// lines at the right edge.
struct HorizontalLines: WritingModeStrategy {
    let rightToLeft: Bool
    var linesVertical: Bool { false }
    var progression: Double { 1 }
    var baselineOffset: Double { IdeographicBox.ascent }
    var baselineFromStart: Double { baselineOffset }
    func arrange(_ frame: inout PageFrame, template: Template, left: Pt) {}
    func inlineLength(of column: Rect) -> Pt { column.width }
    func column(_ k: Int, of columns: [Rect]) -> Rect { columns[rightToLeft ? columns.count - 1 - k : k] }
    func point(cross: Pt, inline: Pt, in column: Rect) -> Point { Point(x: column.x + inline, y: cross) }
    func rect(cross: Pt, extent: Pt, inline: Pt, length: Pt, in column: Rect) -> Rect {
        Rect(x: column.x + inline, y: cross, width: length, height: extent)
    }
    func band(between a: Pt, and b: Pt, in column: Rect) -> Rect { Rect(x: column.x, y: a, width: column.width, height: b - a) }
    func inlineStart(offset: Pt, length: Pt, in total: Pt) -> Pt { rightToLeft ? total - offset - length : offset }
    func progressionStart(offset: Pt, thickness: Pt, in total: Pt) -> Pt { offset }
    var spansColumns: Bool { true }
    var sharesPages: Bool { true }
    var setsTablesAsLines: Bool { false }
    func figureBox(_ imageSize: Size, in column: Rect) -> (extent: Pt, length: Pt, inline: Pt) {
        (imageSize.height, imageSize.width, (column.width - imageSize.width) / 2)
    }
    func figureLines(_ gridLines: Int, drawn: Pt, pitch: Pt, remaining: Int) -> Int { gridLines }
    var startAlignment: Alignment { rightToLeft ? .end : .start }
    func opening(_ a: Article, by composer: ArticleComposer, variant: OpeningVariant, set: ArticleComposer.SetFunction,
                 overset: inout [Diagnostic]) -> Opening {
        composer.bannerOpening(a, variant: variant, strategy: self, set: set, overset: &overset)
    }
}

/// vertical-rl and vertical-lr: "columns" are bands stacked top to bottom (mlreq M6), lines run
/// down them and advance right to left (vertical Chinese, clreq C22) or left to right
/// (traditional Mongolian, mlreq M1); `PageFrame.baseline(k)` is then an x.
struct VerticalLines: WritingModeStrategy {
    let leftward: Bool
    var linesVertical: Bool { true }
    var progression: Double { leftward ? -1 : 1 }
    var baselineOffset: Double { leftward ? IdeographicBox.descent : 0.25 }
    var baselineFromStart: Double { leftward ? 1 - baselineOffset : baselineOffset }

    /// Bands of whole-em line length stacked top to bottom, lines on a grid of `pitch` from the
    /// text area's left edge (or its right edge when they advance leftward) (mlreq M1, M6).
    func arrange(_ frame: inout PageFrame, template t: Template, left: Pt) {
        let g = t.page, grid = t.grid, em = grid.bodySize
        let areaWidth = g.trim.width - g.inner - g.outer, areaHeight = g.trim.height - g.top - g.bottom
        let bands = max(1, grid.columns)
        let chars = max(1, Int(((areaHeight - Double(bands - 1) * grid.minGutter) / Double(bands) / em).rounded(.down)))
        let length = Double(chars) * em
        let gap = bands > 1 ? (areaHeight - Double(bands) * length) / Double(bands - 1) : 0
        frame.lineCount = max(1, Int(((areaWidth - em) / grid.pitch).rounded(.down)) + 1)
        let usedWidth = Double(frame.lineCount - 1) * grid.pitch + em
        let x0 = frame.trim.x + left, y0 = frame.trim.y + g.top
        frame.textArea = Rect(x: x0, y: y0, width: usedWidth, height: areaHeight)
        frame.columns = (0..<bands).map { b in Rect(x: x0, y: y0 + Double(b) * (length + gap), width: usedWidth, height: length) }
        frame.charsPerLine = chars
        frame.firstBaseline = x0 + baselineOffset * em
        if leftward { frame.firstBaseline = x0 + usedWidth - em + baselineOffset * em }
    }
    func inlineLength(of column: Rect) -> Pt { column.height }
    func column(_ k: Int, of columns: [Rect]) -> Rect { columns[k] }
    func point(cross: Pt, inline: Pt, in column: Rect) -> Point { Point(x: cross, y: column.y + inline) }
    func rect(cross: Pt, extent: Pt, inline: Pt, length: Pt, in column: Rect) -> Rect {
        Rect(x: leftward ? cross - extent : cross, y: column.y + inline, width: extent, height: length)
    }
    func band(between a: Pt, and b: Pt, in column: Rect) -> Rect {
        Rect(x: min(a, b), y: column.y, width: abs(b - a), height: column.height)
    }
    func inlineStart(offset: Pt, length: Pt, in total: Pt) -> Pt { offset }
    func progressionStart(offset: Pt, thickness: Pt, in total: Pt) -> Pt { leftward ? total - offset - thickness : offset }
    var spansColumns: Bool { false }
    var sharesPages: Bool { false }
    var setsTablesAsLines: Bool { true }
    /// Images are never turned (mlreq M7): upright, as tall as the band allows.
    func figureBox(_ imageSize: Size, in column: Rect) -> (extent: Pt, length: Pt, inline: Pt) {
        (imageSize.height, min(column.height, imageSize.width), 0)
    }
    func figureLines(_ gridLines: Int, drawn: Pt, pitch: Pt, remaining: Int) -> Int {
        min(remaining, Int((drawn / pitch).rounded(.up)) + 1)
    }
    var startAlignment: Alignment { .start }
    func opening(_ a: Article, by composer: ArticleComposer, variant: OpeningVariant, set: ArticleComposer.SetFunction,
                 overset: inout [Diagnostic]) -> Opening {
        composer.bandOpening(a, strategy: self, set: set, overset: &overset)
    }
}
