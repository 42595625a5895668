/// Blocks the flow places whole, in whole grid lines: headings (display headings with their
/// rule), credits, pull quotes between rules; and boxes, their paragraphs and tables on a tint.
import FolioCore

extension Flow {
    /// Places a block of `lines` centred in `gridLines` grid lines (headings: jlreq gyou-dori, J3).
    /// `keepWith` grid lines must follow in the same column (keep-with-next, clreq C20).
    /// `anchor`: a named destination set at the first line (a heading a link leads to).
    func placeBlock(_ lines: [SetLine], style: ParagraphStyle, gridLines: Int, keepWith: Int, role: TextRole, spaceBefore: Int = 0, anchor: String? = nil) {
        if role == .credits, lines.count == 1, runInEndMark(lines[0]) { return }
        if remaining < gridLines + keepWith && !atColumnTop {
            if keepWith > 0 && remaining + spaceBefore >= 2 {
                shortfalls.append(Shortfall(blocks: columnFirstBlock..<block, deficit: gridLines + keepWith - remaining, empty: remaining, pushed: .heading))
            }
            moveOn(needing: gridLines + keepWith)
        }
        // At a column's head a block keeps its lines if any column could: not under a balancing limit.
        if keepWith > 0 && remaining < gridLines + keepWith && capacity < frame.lineCount { limitBrokeKeep = true }
        if role == .credits && atColumnTop { creditsAlone = true }
        let leading = style.leading ?? template.grid.pitch
        let blockHeight = Double(lines.count - 1) * leading + style.size
        // A display heading's last grid line holds its rule: the lines are centred in the others.
        let ruled = role == .displayHeading
        let textLines = ruled ? gridLines - 1 : gridLines
        let top = slotTop(line) + progression * (Double(textLines) * frame.pitch - (frame.pitch - template.grid.bodySize) - blockHeight) / 2
        for (k, l) in lines.enumerated() {
            let item = textItem(l, cross: top + progression * (baselineFromStart(style.size) + Double(k) * leading), inline: 0, role: role)
            if k == 0, let anchor { addAnchor(anchor, at: item) }
            add(item)
        }
        if ruled {
            let width = min(columnRect.width / 6, 4 * style.size)
            add(.rect(RectItem(frame: Rect(x: columnRect.midX - width / 2, y: slotTop(line + gridLines - 1) + 0.3 * frame.pitch, width: width, height: 0.8),
                               fill: template.furniture.ruleColor)))
        }
        line += gridLines
    }

    /// A named destination at a line of text (a heading a link leads to): above the line, as a
    /// viewer shows the destination's point at the window's top.
    func addAnchor(_ name: String, at item: PageItem) {
        guard case .text(let t) = item else { return }
        add(.anchor(AnchorItem(name: name, point: Point(x: t.origin.x, y: t.origin.y - (t.vertical ? 0 : t.line.ascent)))))
    }

    /// A pull quote: a rule, the lines centred in `gridLines` grid lines, a rule; never split,
    /// and never the last thing in a column while the text goes on: the lines a paragraph keeps at
    /// a column's foot (`orphans`) follow it there, as under a heading. When it does not fit here
    /// and the text after it (`textAhead`) fills the column and goes on, it waits for the head of
    /// the next column, as a figure does, and the text fills this one: a pull quote is set apart
    /// from the text, not read as part of it, and magazines place it so. Otherwise it is pushed
    /// to the next column and leaves its column short. Either way `ColumnFill` first tries to
    /// keep it where it is written, as for a heading.
    /// `textAhead`: the grid lines of text after it, up to the next block of another kind;
    /// `keep`: what must follow it in its column (the air after it and `orphans` lines of text,
    /// or a table's start: `ArticleComposer.place`).
    func placePullQuote(_ lines: [SetLine], style: ParagraphStyle, gridLines: Int, ruleColor: Color, textAhead: Int = 0, keep: Int? = nil) {
        let keep = keep ?? template.typography.orphans
        if remaining < gridLines + keep && !atColumnTop,
           waitsOrMovesOn(.quote(lines: lines, style: style, gridLines: gridLines, ruleColor: ruleColor), deficit: gridLines + keep - remaining,
                          pushed: .pullQuote, floats: textAhead >= remaining + keep) { return }
        let start = line
        let gap = frame.pitch - template.grid.bodySize
        func rule(_ l: Int) {
            let cross = slotTop(l) - gap / 2
            add(.rect(RectItem(frame: strategy.band(between: cross, and: cross + 1, in: columnRect), fill: ruleColor)))
        }
        rule(start)
        placeBlock(lines, style: style, gridLines: gridLines, keepWith: 0, role: .pullQuote)
        rule(line)
    }

    /// To the next column, and on past any that what waited for its head (a box, a table, a pull
    /// quote placed there first) leaves with fewer than `lines` grid lines: a heading was set
    /// alone at the foot under a box placed there, its text in the next column.
    func moveOn(needing lines: Int) {
        nextColumn()
        while remaining < lines && !atColumnTop && !overset { nextColumn() }
    }

    /// A pull quote, table or box that does not fit at this column's foot, `deficit` grid lines short
    /// (a shortfall `ColumnFill` may mend). When it `floats` (the text after it fills this
    /// column) it waits for the next column's head: true. Else the flow moves on to the next
    /// column, where the caller places it, leaving this one short: false.
    /// `takesAir`: the air written before it goes with it (a table, a box). Moving on, it passes
    /// a column that what waited for its head leaves too short for it too.
    func waitsOrMovesOn(_ b: PendingBlock.Block, deficit: Int, pushed: Shortfall.Pushed, floats: Bool, takesAir: Bool = false) -> Bool {
        if remaining >= 2 {
            shortfalls.append(Shortfall(blocks: columnFirstBlock..<block, deficit: deficit, empty: remaining, pushed: pushed, filled: floats))
        }
        guard floats else { moveOn(needing: remaining + deficit); return false }
        if takesAir { unskip() }
        pendingBlocks.append(PendingBlock(block: b, sourceLine: sourceLine, page: pages.count, item: itemCount))
        return true
    }

    /// Whether `textAhead` grid lines of text fill this column, the air just left counted in,
    /// and carry a paragraph's `orphans` lines on: a table or box may wait for the next column.
    func textFillsColumn(_ textAhead: Int) -> Bool { textAhead >= remainingBeforeSkip + template.typography.orphans }

    /// Pull quotes, tables and boxes placed at the head of the next column, in the order written.
    /// On the page where it began to wait, a block's items go where it was written among the
    /// page's (they are drawn, so tagged and read, in that order): the text that filled the
    /// column before it reads after it, as written — a screen reader had read the paragraph
    /// after a table before the table.
    func placePendingBlocks() {
        let waiting = pendingBlocks
        pendingBlocks = []
        let written = sourceLine
        defer { sourceLine = written }
        var inserted = 0   // items already moved before the later blocks' places
        for w in waiting {
            sourceLine = w.sourceLine
            let (start, startColumn, startPage) = (itemCount, column, pages.count)
            switch w.block {
            case .quote(let lines, let style, let gridLines, let ruleColor): placePullQuote(lines, style: style, gridLines: gridLines, ruleColor: ruleColor)
            case .table(let t, let ruleColor): placeTable(t, ruleColor: ruleColor)
            case .box(let parts, let inset, let fill, let ruleColor): placeBox(parts, inset: inset, fill: fill, ruleColor: ruleColor)
            }
            // (Only a block placed whole in this column: one that goes on in the next stays
            // where it is drawn.) From an earlier page, it is marked for the tagged PDF to read
            // where it was written.
            guard pages.count == startPage, column == startColumn else { continue }
            if w.page == startPage {
                inserted += moveItems(from: start, before: w.item + inserted)
            } else {
                markWaited(fromPage: w.page, item: w.item, placedFrom: start)
            }
        }
    }
}

/// A pull quote, table or box waiting for the next column's head (`Flow.placePullQuote`,
/// `Flow.placeTable`, `Flow.placeBox`), the source line it was written at, and where: the page
/// (an index into `pages`, the current one when equal to its count) and the item it was
/// written before.
struct PendingBlock {
    enum Block {
        case quote(lines: [SetLine], style: ParagraphStyle, gridLines: Int, ruleColor: Color)
        case table(PreparedTable, ruleColor: Color)
        case box([BoxPart], inset: Pt, fill: Color, ruleColor: Color)
    }
    var block: Block
    var sourceLine: Int
    var page: Int
    var item: Int
}

extension Flow {
    /// The grid lines a box needs to begin in a column: three of its lines (its title and the
    /// two it keeps) or all of a shorter box — or its title and the start of the table under
    /// it, which the title keeps (`placeBox`) — and a line to spare; `relaxed` (ColumnFill's
    /// last resort): no line to spare. Never less than its title and what the part under the
    /// title needs to begin (`BoxPart.linesToBegin(_:)`): a paragraph too short to split under
    /// a title — three lines, with two kept at a foot and two carried on — goes with it, and
    /// the title is not left alone at the column's foot.
    static func linesToBegin(box parts: [BoxPart], relaxed: Bool = false, _ typography: Typography) -> Int {
        let total = parts.reduce(0) { $0 + $1.gridLines }
        let titled = parts.count > 1 && parts[0].isHeading
        let table = titled ? parts[1].tableStart.map { parts[0].gridLines + $0 } : nil
        let first = titled ? parts[0].gridLines + parts[1].linesToBegin(typography) : parts.first?.linesToBegin(typography) ?? 0
        return max((table ?? min(total, 3)) + (relaxed ? 0 : 1), min(total, first))
    }

    /// The lines a paragraph of `lines` needs to begin in a column: `orphans`, or all of it where
    /// it is too short to leave them at the foot and carry `widows` on (`placeParagraph`, `linesHere`).
    static func linesToBegin(paragraphOf lines: Int, _ typography: Typography) -> Int {
        lines < typography.orphans + typography.widows ? lines : typography.orphans
    }

    /// Places a box: its paragraphs one line per grid line, inset from the column, with widow
    /// and orphan control as the text has (a heading in it keeps two lines under it, or the
    /// start of its table), and its tables, on a tint that breaks with the box across columns
    /// and pages (one rectangle per column it occupies). `relaxed`: as `linesToBegin(box:relaxed:)`.
    /// A box that cannot begin at a column's foot waits for the next column's head when the
    /// text after it (`textAhead`, grid lines up to the next block of another kind) fills this
    /// one and goes on, as a pull quote does: a box is set apart from the text (magazines float
    /// sidebars to a column's head), and a column left short while the text goes on reads as an
    /// end. The air written before it goes with it. `ColumnFill` first tries to begin it here.
    func placeBox(_ parts: [BoxPart], inset: Pt, fill: Color, ruleColor: Color, relaxed: Bool = false, textAhead: Int = 0) {
        let start = Self.linesToBegin(box: parts, relaxed: relaxed, template.typography)
        if remaining < start && !atColumnTop,
           waitsOrMovesOn(.box(parts, inset: inset, fill: fill, ruleColor: ruleColor), deficit: start - remaining, pushed: .box,
                          floats: textFillsColumn(textAhead), takesAir: true) { return }
        beginTint(fill)
        for (n, part) in parts.enumerated() where !overset {
            switch part {
            case .paragraph(let lines, let role, let anchor):
                // A title or heading keeps what the part under it needs to begin: two lines, all
                // of a paragraph too short to split, or the start of a table.
                let under = part.isHeading && n + 1 < parts.count ? parts[n + 1].linesToBegin(template.typography) : 0
                placeParagraph(lines, role: role, xOffset: inset, keepLastWith: under, anchor: anchor)
            case .table(let t):
                placeTable(t, ruleColor: ruleColor, standsApart: false)
            }
        }
        endTint()
        skip(1)
    }
}
