/// The flow of an article through pages and columns: a cursor on the baseline grid that
/// places set lines and blocks, moving to the next column and page as they fill.
/// (Over 400 lines: the cursor's state is private to this class — its whole blocks, boxes and
/// tables are placed from FlowBlocks.swift and TableSetter.swift through what it exposes; what
/// stays here reads that state: figures and their captions, page by page, those still waiting
/// when the text ends among them, and the end mark.)
import FolioCore

/// A place in a flow: page index, column, grid line.
struct FlowPosition: Comparable {
    var page: Int, column: Int, line: Int
    static func < (a: FlowPosition, b: FlowPosition) -> Bool { (a.page, a.column, a.line) < (b.page, b.column, b.line) }
}

final class Flow {
    let template: Template
    let articleID: String
    private(set) var pages: [Page] = []
    private(set) var frame: PageFrame
    private var items: [PageItem] = []
    private(set) var column = 0
    /// The next free grid line in the current column.
    var line = 0
    /// The first grid line body text may use in each column of this page (below an opening).
    private(set) var columnTops: [Int] = []
    private var topLine: Int { column < columnTops.count ? columnTops[column] : 0 }
    private var pending: [PreparedFigure] = []
    /// Figures across all columns or full-bleed, waiting for the next page.
    private var pendingPage: [PreparedFigure] = []
    let maxPages: Int
    private(set) var overset = false
    /// Grid lines a column may use on the page with this index (column balancing, clreq C21).
    let limits: [Int: Int]

    /// The index of the block being placed (set by the composer) and of the first block placed
    /// in the current column, so that a column left short can be traced to its paragraphs.
    var block = 0 { didSet { while blockPages.count <= block { blockPages.append(pages.count) } } }
    /// The page (an index into `pages`) the flow was on when each block came to be placed.
    private(set) var blockPages: [Int] = []
    var columnFirstBlock = 0
    /// The first block — a heading and the lines it keeps, or a paragraph the widow and orphan
    /// rules cannot split — pushed to the next column for want of `deficit` grid lines, leaving
    /// `empty` (two or more) at its column's foot: the blocks of that column, the pushed one last
    /// (the composer sets some of them tighter so that it fits, or looser so that they fill the
    /// column: ColumnFill.swift).
    var shortfalls: [Shortfall] = []
    /// Pull quotes and short tables waiting for the next column's head.
    var pendingBlocks: [PendingBlock] = []

    /// How lines run and advance (the strategy maps the flow's coordinates to the page).
    let mode: WritingMode
    let strategy: any WritingModeStrategy
    /// Pages where a widow or orphan could not be avoided (a paragraph longer than a column).
    private(set) var keepExceptions: [Int] = []
    /// The credits were set at the head of a column, parted from the text they close.
    var creditsAlone = false

    init(template: Template, articleID: String, firstPage: Int, maxPages: Int = 2000, limits: [Int: Int] = [:], mode: WritingMode = .horizontalLTR) {
        self.template = template
        self.articleID = articleID
        self.maxPages = maxPages
        self.limits = limits
        self.mode = mode
        strategy = mode.strategy
        frame = PageFrame(template: template, number: firstPage, mode: mode)
    }

    /// Where a line sits: `cross` is its baseline on the line-progression axis (y, or x when
    /// vertical), `inline` how far along the column or band it starts.
    func textItem(_ line: SetLine, cross: Pt, inline: Pt, role: TextRole, listDepth: Int = 0, startsList: Bool = false) -> PageItem {
        .text(TextItem(origin: strategy.point(cross: cross, inline: inline, in: columnRect), line: line, role: role, vertical: strategy.linesVertical,
                       listDepth: listDepth, startsList: startsList))
    }

    /// Grid lines usable in each column of the current page.
    var capacity: Int { min(frame.lineCount, limits[pages.count] ?? frame.lineCount) }
    var remaining: Int { capacity - footReserved - line }
    /// Grid lines reserved at the foot of the current column (bottom figures), and of any column of the page.
    private var footReserved = 0
    private var pageFootReserved = 0
    /// A box's tint being laid: its colour, and the grid line and item in this column it began at.
    private var tint: (fill: Color, line: Int, under: Int)?
    /// The lowest grid line used in each column so far, for balancing.
    private(set) var columnEnds: [Int] = []
    var atColumnTop: Bool { line == topLine }
    /// The current column (right-to-left articles fill theirs from the right, alreq A1).
    var columnRect: Rect { strategy.column(column, of: frame.columns) }

    /// Start of grid line `l`'s box on the line-progression axis (its top, or its left when vertical).
    func slotTop(_ l: Int) -> Pt { frame.baseline(l) - progression * baselineFromStart(template.grid.bodySize) }
    /// +1 where the line-progression axis grows with the coordinate, −1 where lines advance leftward.
    var progression: Double { strategy.progression }
    /// From a line box's start to its baseline, along the progression, for type of `size`.
    func baselineFromStart(_ size: Pt) -> Pt { strategy.baselineFromStart * size }

    /// The source line of the block being placed (set by the composer): each page records the
    /// lines of the text on it (`Page.sourceLines`, for the live preview).
    var sourceLine = 0
    private var pageLines: ClosedRange<Int>?

    func add(_ item: PageItem) {
        items.append(item)
        skipped = nil
        if case .text = item { trailingAir = 0 }
        if sourceLine > 0, case .text = item { pageLines = pageLines.map { min($0.lowerBound, sourceLine)...max($0.upperBound, sourceLine) } ?? sourceLine...sourceLine }
    }

    /// How many items the current page holds so far.
    var itemCount: Int { items.count }

    /// Moves the items placed from `start` on to before item `index`, and says how many moved:
    /// a block that waited for this column goes where it was written (`placePendingBlocks`).
    /// None while a tint is being laid (its rectangle goes under an item known by its index).
    func moveItems(from start: Int, before index: Int) -> Int {
        guard tint == nil, index <= start, start < items.count else { return 0 }
        let placed = items[start...]
        items.insert(contentsOf: placed, at: index)
        items.removeSubrange((start + placed.count)...)
        return placed.count
    }

    /// The blocks that waited from an earlier page, numbered (`markWaited`).
    private var waits = 0

    /// Marks a block that began to wait before item `item` of page `page` (an index into
    /// `pages`) and is placed here from item `start`: the first line drawn after where it was
    /// written reads after it, the tagged PDF says (`TextItem.readsAfter`; the block's lines,
    /// `waited`).
    func markWaited(fromPage page: Int, item: Int, placedFrom start: Int) {
        guard page < pages.count, start < items.count,
              let anchor = pages[page].items.indices.dropFirst(item).first(where: { if case .text = pages[page].items[$0] { true } else { false } }),
              case .text(var after) = pages[page].items[anchor] else { return }
        waits += 1
        after.readsAfter.append(waits)
        pages[page].items[anchor] = .text(after)
        for k in start..<items.count {
            if case .text(var moved) = items[k] { moved.waited = waits; items[k] = .text(moved) }
        }
    }

    /// Reserves the first `lines` grid lines of the current page across all columns.
    func reserveTop(_ lines: Int) {
        reserveTop(lines, columns: frame.columns.count)
    }

    /// Reserves the first `lines` grid lines of the first `columns` columns (in reading order).
    func reserveTop(_ lines: Int, columns: Int) {
        let n = frame.columns.count
        if columnTops.count < n { columnTops += Array(repeating: 0, count: n - columnTops.count) }
        for c in 0..<min(columns, n) { columnTops[c] = max(columnTops[c], min(capacity - 1, lines)) }
        line = max(line, topLine)
    }

    /// Reserves at least the grid lines `other` reserves at the top of each column: parallel
    /// texts (`composeParallel`) start level, whichever opening is taller.
    func reserveTops(as other: Flow) {
        for (c, top) in other.columnTops.enumerated() where top > 0 { reserveTop(top, columns: c + 1) }
    }

    func nextColumn() {
        skipped = nil
        closeTint()
        recordColumnEnd()
        footReserved = 0
        if column + 1 < frame.columns.count {
            column += 1
            line = topLine
        } else {
            newPage()
        }
        columnFirstBlock = block
        placePending()
        if let t = tint { tint = (t.fill, line, items.count) }
    }

    private func recordColumnEnd() {
        while columnEnds.count <= column { columnEnds.append(topLine) }
        columnEnds[column] = max(columnEnds[column], line)
    }

    /// `textFollows`: spanning figures at the page's top leave a line of it to the text.
    func newPage(textFollows: Bool = true) {
        finishPage()
        columnEnds = []
        if pages.count >= maxPages { overset = true }
        frame = PageFrame(template: template, number: frame.number + 1, mode: mode)
        column = 0
        columnTops = []
        (footReserved, pageFootReserved) = (0, 0)
        line = 0
        placePagePending(textFollows: textFollows)
    }

    /// Full-bleed figures get pages of their own; then spanning figures go to the top of this page.
    private func placePagePending(textFollows: Bool) {
        while let i = pendingPage.firstIndex(where: { $0.figure.placement == .fullBleed }) {
            let f = pendingPage.remove(at: i)
            add(.image(f.imageItem(Rect(x: 0, y: 0, width: frame.media.width, height: frame.media.height))))
            // The caption sits on a tint at the foot of the trim.
            if !f.caption.isEmpty && strategy.linesVertical {
                drawVerticalBleedCaption(f)
            } else if !f.caption.isEmpty {
                // (4 pt of it round the lines, as long as the longest.)
                let leading = f.captionStyle.leading ?? frame.pitch
                let height = Double(f.caption.count - 1) * leading + f.captionStyle.size
                let y0 = frame.trim.maxY - template.page.bottom / 2 - height
                // At the text area's start edge: a right-to-left caption's lines (flush right, as
                // wide as their measure) at its right, the tint from their first glyph.
                let end = f.caption.map(\.width).max() ?? 0
                let x = strategy.startAlignment == .end ? frame.textArea.maxX - end : frame.textArea.x
                let start = max(0, f.caption.map(\.firstGlyphX).min() ?? 0)
                add(.rect(RectItem(frame: Rect(x: x + start - 4, y: y0 - 4, width: end - start + 8, height: height + 8), fill: .white)))
                for (k, l) in f.caption.enumerated() {
                    add(.text(TextItem(origin: Point(x: x, y: y0 + IdeographicBox.ascent * f.captionStyle.size + Double(k) * leading), line: l, role: .caption)))
                }
            }
            finishPage()
            frame = PageFrame(template: template, number: frame.number + 1, mode: mode)
        }
        let below = textFollows ? 1 : 0
        let reserved = drawWaitingSpans(from: 0, below: below, by: capacity)
        if capacity < frame.lineCount && nextSpanFits(at: reserved, below: below, by: frame.lineCount) { limitBrokeKeep = true }
        if reserved > 0 { reserveTop(reserved) }
    }

    /// Whether the spanning figure waiting first fits from grid line `at` with `below` grid lines
    /// after its own (−1: the air under it may fall off the page) by grid line `limit`.
    private func nextSpanFits(at: Int, below: Int, by limit: Int) -> Bool {
        guard let f = pendingPage.first, f.figure.placement == .span else { return false }
        return at + f.gridLines + below <= limit
    }

    /// The spanning figures waiting, one under another from grid line `at`, as many as fit
    /// (`nextSpanFits`); the grid line under the last.
    private func drawWaitingSpans(from at: Int, below: Int, by limit: Int) -> Int {
        var at = at
        while nextSpanFits(at: at, below: below, by: limit) {
            let f = pendingPage.removeFirst()
            drawSpanning(f, atLine: at)
            at += f.gridLines
        }
        return at
    }

    /// A full-bleed figure's caption in vertical lines: on a tint at the foot of the trim, its
    /// lines from the text area's first line on (at the left in Mongolian, the right in Chinese).
    private func drawVerticalBleedCaption(_ f: PreparedFigure) {
        let leading = f.captionStyle.leading ?? frame.pitch
        let length = f.caption.map(\.width).max() ?? 0
        let area = Rect(x: frame.textArea.x, y: frame.trim.maxY - template.page.bottom / 2 - length, width: frame.textArea.width, height: length)
        let start = slotTop(0)
        let across = Double(f.caption.count - 1) * leading + f.captionStyle.size
        let tint = strategy.band(between: start - progression * 4, and: start + progression * (across + 4), in: area)
        add(.rect(RectItem(frame: Rect(x: tint.x, y: tint.y - 4, width: tint.width, height: tint.height + 8), fill: .white)))
        for (k, l) in f.caption.enumerated() {
            let cross = start + progression * (baselineFromStart(f.captionStyle.size) + Double(k) * leading)
            add(.text(TextItem(origin: strategy.point(cross: cross, inline: 0, in: area), line: l, role: .caption, vertical: true)))
        }
    }

    /// An end mark with no credits to close (`mark`: the credits line that holds it alone, set
    /// flush to the line's end) goes at the end of the article's last line of text, on its
    /// baseline, when that line leaves an em and the mark free: not on a line of its own.
    /// Horizontal lines only; the last text must be a paragraph's last line, just placed here.
    func runInEndMark(_ mark: SetLine) -> Bool {
        guard !strategy.linesVertical, mark.text == template.furniture.endMark, line > topLine,
              case .text(let last)? = items.last, last.role == .body, !last.vertical,
              abs(last.origin.y - frame.baseline(line - 1)) < 0.5,
              last.origin.x >= columnRect.x - 0.5, last.origin.x < columnRect.maxX else { return false }
        let markLength = mark.width - mark.firstGlyphX
        let room = strategy.startAlignment == .end
            ? (last.origin.x - columnRect.x) + last.line.firstGlyphX                       // before the text, on the left
            : columnRect.maxX - (last.origin.x + last.line.width)                          // after it, on the right
        guard room >= template.grid.bodySize + markLength else { return false }
        add(textItem(mark, cross: last.origin.y, inline: 0, role: .credits))
        return true
    }

    /// Where a caption line under an image starts along the column: its text from the image's
    /// start edge (the right in right-to-left text, where a line's text is flush with its end),
    /// kept inside the column. (Vertical lines start at the band's head, as the image does.)
    func captionInline(_ l: SetLine, image inline: Pt, length: Pt, in column: Pt) -> Pt {
        guard !strategy.linesVertical else { return inline }
        guard strategy.startAlignment == .end else { return min(inline, max(0, column - l.width)) }
        return max(min(inline + length - l.width, column - l.width), -l.firstGlyphX)
    }

    /// A figure across the whole text area at grid line `l`, its caption under it.
    private func drawSpanning(_ f: PreparedFigure, atLine l: Int) {
        let area = frame.textArea
        let top = slotTop(l)
        let x = area.x + (area.width - f.imageSize.width) / 2
        add(.image(f.imageItem(Rect(x: x, y: top, width: f.imageSize.width, height: f.imageSize.height))))
        var y = top + f.imageSize.height + 4 + IdeographicBox.ascent * f.captionStyle.size
        for c in f.caption {
            let inline = captionInline(c, image: x - area.x, length: f.imageSize.width, in: area.width)
            add(.text(TextItem(origin: Point(x: area.x + inline, y: y), line: c, role: .caption)))
            y += f.captionStyle.leading ?? frame.pitch
        }
    }

    func finishPage() {
        var page = Page(size: frame.media, trim: frame.trim, items: items, number: frame.number, articleID: articleID)
        page.sourceLines = pageLines
        pages.append(page)
        (items, pageLines) = ([], nil)
    }

    /// The page the text ends on (an index into `pages`), its columns' ends and the first line
    /// each of the page's columns may use (a run-on article's opening heads the first column
    /// alone; the others from its first line) — what the balancer evens out (spanning figures
    /// may follow it on pages of their own).
    private(set) var textEnd: (page: Int, columnEnds: [Int], columnTops: [Int]) = (0, [], [])
    /// Where the article's running text ends when end matter (its gathered notes) follows it:
    /// the page (an index into `pages`) and whether any of its lines stand on it (not only
    /// figures and their captions); nil when no end matter follows.
    private(set) var runningTextEnd: (page: Int, linesOnPage: Bool)?
    /// Grid lines of the article's last page that are its own (above a half-page ad).
    var lastPageLines = Int.max
    /// What the lines `limits` leave a column broke: a spanning figure that would have headed a
    /// page went on, a heading at a column's head was parted from the lines it keeps, or a figure
    /// that would have gone before the notes waits past them (a balancing trial that does any of
    /// these is not taken).
    var limitBrokeKeep = false

    /// All pages, the current one included.
    func finish() -> [Page] {
        // A figure waiting for a column's head when the text ends in the page's last column goes
        // under the text where it fits, rather than alone on a page of its own.
        if column + 1 == frame.columns.count {
            drawWaitingFigures()
            // Those that do not fit would stand alone in a column of a page of their own: they
            // go across the measure, as a spanning figure after the text does (under the text
            // where they fit, else heading a page of figures), when nothing else waits.
            if pendingBlocks.isEmpty { spanWaitingFigures() }
        }
        while !pending.isEmpty || !pendingFoot.isEmpty || !pendingBlocks.isEmpty { nextColumn() }
        recordColumnEnd()
        textEnd = (pages.count, columnEnds, frame.columns.indices.map { $0 < columnTops.count ? columnTops[$0] : 0 })
        placeSpansUnderText()
        // Figures still waiting for a page follow the text, as many to a page as fit: no text
        // comes after them to need a line of the page.
        while !pendingPage.isEmpty && !overset {
            newPage(textFollows: false)
            // A full-bleed figure that ends the article ends it on its own page, not before a blank one.
            if items.isEmpty && pendingPage.isEmpty { return pages }
        }
        recordColumnEnd()
        finishPage()
        return pages
    }

    /// The article's own text ends here (its end matter, the gathered notes and the credits
    /// closing them, follows in `endMatterLines` grid lines): figures waiting for a column's head
    /// go under the text where they and the notes fit in the column, not after the notes and
    /// their end mark; where they do not, the notes are not pushed on for them (they wait as
    /// where the text ends, `finish`).
    func bodyEnds(endMatterLines: Int) {
        runningTextEnd = (pages.count, items.contains { if case .text(let t) = $0 { t.role != .caption } else { false } })
        drawWaitingFigures(leaving: endMatterLines)
        // (A balancing limit that leaves a figure after the notes is not taken.)
        if let f = pending.first, capacity < frame.lineCount, f.gridLines + endMatterLines <= remaining + frame.lineCount - capacity { limitBrokeKeep = true }
    }

    /// The figures waiting for a column's head or foot set across the measure (`spanning`: at
    /// most half the text area, as a spanning figure is) and waiting for a page's (those for a
    /// head first); none if one of them cannot be.
    private func spanWaitingFigures() {
        guard strategy.spansColumns, frame.columns.count > 1 else { return }
        let waiting = pending + pendingFoot
        let across = waiting.compactMap { $0.fullMeasure == nil ? $0.spanning(frame, template: template) : nil }
        guard !waiting.isEmpty, across.count == waiting.count else { return }
        (pending, pendingFoot) = ([], [])
        pendingPage += across
    }

    /// Spanning figures still waiting when the text ends go under its lowest column on its last
    /// page, across the columns, a blank line above them, as many as fit (the air under the last
    /// may fall off the page; not under a figure at a column's foot): the page the balancer
    /// evens out is not followed by a page for a figure that fits under it. Each column then
    /// reaches their foot (the page's use, for Copyfit).
    private func placeSpansUnderText() {
        guard strategy.spansColumns, pageFootReserved == 0, !items.isEmpty, !overset else { return }
        let lowest = (columnEnds + columnTops).max() ?? 0
        let at = lowest > 0 ? lowest + 1 : 0
        let end = drawWaitingSpans(from: at, below: -1, by: min(frame.lineCount, lastPageLines))
        if end > at { columnEnds = Array(repeating: min(end, frame.lineCount), count: frame.columns.count) }
    }

    /// Places body lines one per grid line, with widow and orphan control (clreq C17): a paragraph
    /// leaves at least `orphans` lines at a column foot and carries at least `widows` to the next.
    /// `markers`: a list item's number or bullet (and an inner list's, for an item that begins
    /// with one), each set at its `x` beside the first line (the lines themselves hang at
    /// `xOffset`, so wrapped lines align with the item's text).
    /// `keepLastWith`: grid lines that must follow the paragraph's last line in its column (the
    /// credits): if they would not, the last lines (as many as a widow needs) go on with them.
    /// `anchor`: a named destination at the first line (a heading in a list a link leads to).
    /// `whole`: false where short code is split as a paragraph is (ColumnFill's last resort).
    func placeParagraph(_ lines: [SetLine], role: TextRole, xOffset: Pt = 0, markers: [ListMarker] = [], listDepth: Int = 0,
                        keepLastWith: Int = 0, anchor: String? = nil, whole: Bool = true) {
        // A short piece of code is read whole: it goes on to the next column rather than split.
        if whole, Self.keptWhole(lines, role: role), remaining < lines.count, !atColumnTop {
            if remaining >= 2 {
                shortfalls.append(Shortfall(blocks: columnFirstBlock..<(block + 1), deficit: lines.count - remaining, empty: remaining, pushed: .paragraph))
            }
            nextColumn()
        }
        var i = 0
        while i < lines.count && !overset {
            let left = lines.count - i
            if remaining <= 0 { nextColumn(); continue }
            var take = linesHere(left, starting: i == 0)
            var carrying = false
            if keepLastWith > 0, take == left, remaining - take < keepLastWith, !atColumnTop || i > 0 {
                let carry = max(1, template.typography.widows)
                // Carry the last lines on with what follows; a paragraph too short to split moves whole.
                if left > carry && (i > 0 || left - carry >= template.typography.orphans) {
                    take = left - carry
                    carrying = true
                } else if i == 0 {
                    take = 0
                }
            }
            if take <= 0 {
                // At a column top nothing better exists: fill the column, and say so.
                if atColumnTop {
                    take = min(left, remaining)
                    keepExceptions.append(frame.number)
                } else {
                    if i == 0 && remaining >= 2 {
                        shortfalls.append(Shortfall(blocks: columnFirstBlock..<(block + 1), deficit: left - remaining, empty: remaining, pushed: .paragraph))
                    }
                    nextColumn(); continue
                }
            }
            for k in i..<(i + take) {
                for m in k == 0 ? markers : [] {
                    add(textItem(m.line, cross: frame.baseline(line), inline: m.x, role: .listLabel, listDepth: m.depth, startsList: m.first))
                }
                let item = textItem(lines[k], cross: frame.baseline(line), inline: xOffset, role: role, listDepth: listDepth)
                if k == 0, let anchor { addAnchor(anchor, at: item) }
                add(item)
                line += 1
            }
            i += take
            if carrying { nextColumn() }
        }
    }

    /// Whether a paragraph goes on whole to the next column rather than split: code of up to 8
    /// lines. (What the flow's look-ahead reads, for a block: `FlowBlock.keptWhole`.)
    static func keptWhole(_ lines: [SetLine], role: TextRole) -> Bool { role == .code && lines.count <= 8 }

    /// How many of a paragraph's `left` lines go in this column (remaining > 0): all that fit,
    /// less any that would leave a widow in the next column, and none if the start would be an
    /// orphan.
    private func linesHere(_ left: Int, starting: Bool) -> Int {
        var take = min(left, remaining)
        if take < left {
            let t = template.typography
            if left - take < t.widows { take = left - t.widows }     // enough lines carried over (no widow)
            if starting && take < t.orphans { take = 0 }             // enough lines left behind (no orphan)
        }
        return max(0, take)
    }

    /// Lays a tint of `fill` under what is placed from here until `endTint`, one rectangle per
    /// column (a box): from the top of the first grid line's type to the foot of the last's,
    /// half the space between lines beyond each (beyond a table's rule on that edge).
    func beginTint(_ fill: Color) { tint = (fill, line, items.count) }

    func endTint() {
        closeTint()
        tint = nil
    }

    /// The tint's rectangle in this column, under the items placed since it began here.
    private func closeTint() {
        guard let t = tint, line > t.line else { return }
        let pad = 0.5 * (frame.pitch - template.grid.bodySize)
        var top = slotTop(t.line) - progression * pad
        var bottom = slotTop(line - 1) + progression * (template.grid.bodySize + pad)
        // A table's rule on the tint's edge (a box beginning or ending with a table, or a table
        // broken there) gets as much tint beyond it as a line of text has beyond its type.
        func ruled(at edge: Pt) -> Bool {
            items[t.under...].contains { if case .rect(let r) = $0, r.fill != t.fill, r.frame.height < 1 { abs(r.frame.y + r.frame.height / 2 - edge) < 0.01 } else { false } }
        }
        if ruled(at: top) { top -= progression * pad }
        if ruled(at: bottom) { bottom += progression * pad }
        items.insert(.rect(RectItem(frame: strategy.band(between: top, and: bottom, in: columnRect), fill: t.fill)), at: t.under)
    }

    /// Where the next block starts: page, column, grid line, compared in that order.
    var position: FlowPosition { FlowPosition(page: pages.count, column: column, line: line) }

    /// Moves on to a later position, leaving the space between empty (parallel texts: a paragraph
    /// starts at the height of its translation on the facing page).
    func advance(to target: FlowPosition) {
        while !overset && (pages.count, column) < (target.page, target.column) { nextColumn() }
        if (pages.count, column) == (target.page, target.column) { line = max(line, min(target.line, capacity)) }
    }

    /// Whether `block` would start in the next column rather than here (keep rules), so that a
    /// parallel pair moves on together.
    func wouldMoveOn(_ block: FlowBlock) -> Bool {
        guard !atColumnTop else { return false }
        if let whole = block.keptWhole { return remaining < whole }
        switch block {
        case .paragraph(let lines, _, _, _), .listItem(_, let lines, _, _, _, _): return remaining <= 0 || linesHere(lines.count, starting: true) == 0
        case .block(_, _, let grid, let keep, let before, _, _): return remaining - (remaining > before ? before : 0) < grid + keep
        case .pullQuote(_, _, let grid): return remaining < grid
        case .table(let t): return remaining <= 0 || waits(t)
        case .box(let parts, _): return remaining < Self.linesToBegin(box: parts, template.typography)
        case .figure, .skip: return remaining <= 0
        }
    }

    /// Skips `n` grid lines (space between blocks), never at a column top.
    /// Blank grid lines here: as many as `n` with the air just left — under a figure, after a
    /// quote, box or table — counted in: the space after one block and before the next (a
    /// heading) does not add up (one grid rhythm).
    func skip(_ n: Int) {
        let more = n - trailingAir
        // (Air this adds nothing to belongs to the block before: a table that waits leaves it.)
        guard more > 0, !atColumnTop else { skipped = nil; return }
        skipped = (min(more, capacity - line), trailingAir)
        line = min(capacity, line + more)
        trailingAir = n
    }

    /// The blank grid lines left under the last block (0 once text follows).
    private var trailingAir = 0
    /// The grid lines the last `skip` left blank, and the air there was before it, while nothing
    /// has been placed since: a table that waits for the next column takes back the space
    /// written before it (`unskip`).
    private var skipped: (lines: Int, airBefore: Int)?

    /// Takes back the blank grid lines of the last `skip`, if nothing was placed since.
    func unskip() {
        guard let s = skipped else { return }
        line -= s.lines
        trailingAir = s.airBefore
        skipped = nil
    }

    /// Grid lines free in the column counting those the last `skip` left blank.
    var remainingBeforeSkip: Int { remaining + (skipped?.lines ?? 0) }

    /// Places a figure here if it fits, else at the top of the next column (text keeps flowing).
    /// `deferred`: a figure at the foot goes to the next column's (ColumnFill's last resort).
    func placeFigure(_ f: PreparedFigure, deferred: Bool = false) {
        func atColumnHead() { if atColumnTop && f.gridLines <= remaining { drawFigure(f) } else { pending.append(f) } }
        switch f.figure.placement {
        case .column: if f.gridLines <= remaining { drawFigure(f) } else { pending.append(f) }
        case .top: atColumnHead()
        // (In vertical lines — bands, which nothing spans — a spanning figure heads the next band.)
        case .span where !strategy.spansColumns: atColumnHead()
        case .bottom:
            // At the foot of this column if it fits below the text so far, else of the next one.
            if f.gridLines <= remaining && !deferred { drawAtFoot(f) } else { pendingFoot.append(f) }
        case .span, .fullBleed: pendingPage.append(f)   // at the next page (clreq: figures follow their mention)
        }
    }

    private var pendingFoot: [PreparedFigure] = []

    private func placePending() {
        drawWaitingFigures()
        while let f = pendingFoot.first, f.gridLines <= remaining {
            pendingFoot.removeFirst()
            drawAtFoot(f)
        }
        placePendingBlocks()
    }

    /// The figures waiting for a column, here, as many as fit with `leaving` grid lines under them.
    private func drawWaitingFigures(leaving: Int = 0) {
        while let f = pending.first, f.gridLines + leaving <= remaining {
            pending.removeFirst()
            drawFigure(f)
        }
    }

    /// Draws a figure in the last grid lines of the column and keeps text above it.
    private func drawAtFoot(_ f: PreparedFigure) {
        let saved = (line, trailingAir)
        line = capacity - footReserved - f.gridLines + 1   // the air line goes above the figure
        drawFigure(f)
        footReserved += f.gridLines
        pageFootReserved = max(pageFootReserved, footReserved)
        (line, trailingAir) = saved
    }

    /// The image at the current line, its caption's lines after it at its edge (in vertical
    /// lines the image stays upright, mlreq M7), and a blank grid line under them.
    private func drawFigure(_ f: PreparedFigure) {
        let top = slotTop(line)
        let leading = f.captionStyle.leading ?? frame.pitch
        let box = strategy.figureBox(f.imageSize, in: columnRect)
        add(.image(f.imageItem(strategy.rect(cross: top, extent: box.extent, inline: box.inline, length: box.length, in: columnRect))))
        var cross = top + progression * box.extent + progression * 4 + progression * baselineFromStart(f.captionStyle.size)
        for l in f.caption {
            add(textItem(l, cross: cross, inline: captionInline(l, image: box.inline, length: box.length, in: columnRect.width), role: .caption))
            cross += progression * leading
        }
        line += strategy.figureLines(f.gridLines, drawn: abs(cross - top), pitch: frame.pitch, remaining: remaining)
        trailingAir = 1
    }
}
