/// Tables in a column: column widths from the cells' content, each cell set in the table
/// style, rows one or more whole grid lines tall (clreq C3), the header repeated when the table
/// breaks to another column or page, rules above, below the header and at the end.
import FolioCore

/// A table ready to flow: where each column starts, and each row's set cells.
struct PreparedTable {
    struct Row {
        var cells: [[SetLine]]
        /// Grid lines the row takes (its tallest cell).
        var lines: Int { max(1, cells.map(\.count).max() ?? 1) }
    }
    var columnX: [Pt]
    var columnWidth: [Pt]
    var alignments: [Table.ColumnAlignment]
    var header: Row
    var rows: [Row]
    /// Space kept inside each cell on the left and right.
    var padding: Pt
    /// In a list item, how deep (`TextItem.listDepth`).
    var listDepth = 0
    /// Where the table stands in its column, from the column's left edge, and how wide it is
    /// (nil: the column's width): in a list item from the item's text on, in a quote inset as its text.
    var x: Pt = 0
    var width: Pt?

    /// The grid lines it takes in one column.
    var gridLines: Int { header.lines + rows.reduce(0) { $0 + $1.lines } }
    /// The grid lines it needs to begin in a column: all of a short table (read whole), else
    /// its header and first two rows.
    var startLines: Int { gridLines <= Flow.wholeTableLines ? gridLines : header.lines + rows.prefix(2).reduce(0) { $0 + $1.lines } }
}

struct TableSetter {
    let template: Template

    /// Sets `table` in `measure`. `set(text, isHeader, width, trial)` sets one cell (`trial`:
    /// again, narrower, to be kept only if it is better).
    func prepare(_ table: Table, measure: Pt, set: (String, Bool, Pt, Bool) -> [SetLine]) -> (PreparedTable, [Diagnostic]) {
        let n = max(1, table.columnCount)
        let em = template.style("table").size
        // Cells keep ½ em on each side; a table of many columns may close that to ⅛ em.
        let roomy = em / 2, tight = em / 8
        let padding = max(tight, min(roomy, (measure / Double(n) - em) / 2))
        var warnings: [Diagnostic] = []
        // Natural widths: the longest cell of each column, in ems (CJK 1, others about ½).
        func ems(_ s: String) -> Double {
            s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 1 : 0.55) }
        }
        let all = [table.header] + table.rows
        let natural = (0..<n).map { c in all.map { c < $0.count ? ems($0[c]) : 0 }.max() ?? 0 }
        let minimum = 3 * em + 2 * padding
        var widths = natural.map { max(minimum, min($0 * em + 2 * padding, measure / 2)) }
        // A column narrower than one character plus its padding would overprint its neighbours.
        let fitting = Int(measure / (em + 2 * tight))
        var refused = false
        if n > fitting {
            warnings.append(Diagnostic(.error, "the table has \(n) columns; at most \(fitting) fit the column legibly (one character each); split it into narrower tables or set it as a list",
                                   at: table.location, code: "table-too-wide"))
            refused = true
            widths = Array(repeating: measure / Double(n), count: n)
        } else if Double(n) * minimum > measure {
            warnings.append(.warning("the table has \(n) columns, more than fit the column at \(Int(minimum)) pt each; its cells wrap character by character",
                                     at: table.location, code: "table-too-wide"))
            widths = Array(repeating: measure / Double(n), count: n)
        } else {
            // Share the measure in proportion to content, never below the minimum.
            let flexible = widths.map { $0 - minimum }.reduce(0, +)
            widths = widths.map { w in
                flexible > 0 ? minimum + (w - minimum) * (measure - Double(n) * minimum) / max(flexible, 1e-9) : measure / Double(n)
            }
            // Where a cell must wrap, the room goes where it saves the most lines instead.
            if zip(natural, widths).contains(where: { $0 * em + 2 * padding > $1 + 0.01 }) {
                let cells = all.map { r in (0..<n).map { c in c < r.count ? ems(r[c]) : 0 } }
                widths = Self.fewestLines(cells, minimum: minimum, measure: measure, em: em, padding: padding)
            }
        }
        var x: Pt = 0
        let columnX = widths.map { w -> Pt in defer { x += w }; return x }
        func row(_ cells: [String], header: Bool) -> PreparedTable.Row {
            PreparedTable.Row(cells: (0..<n).map { c in
                let text = c < cells.count ? cells[c] : ""
                return text.isEmpty || refused ? [] : balanced(text, header, max(em, widths[c] - 2 * padding))
            })
        }
        // A cell whose last line would hold a lone character (clreq C16) is set narrower, in as
        // many lines: `成立年份` as 成立 / 年份, not 成立年 / 份.
        func balanced(_ text: String, _ header: Bool, _ width: Pt) -> [SetLine] {
            var lines = set(text, header, width, false), narrower = width - em
            while lines.count > 1, Self.endsAlone(lines), narrower >= em {
                let trial = set(text, header, narrower, true)
                guard trial.count == lines.count else { break }
                lines = trial
                narrower -= em
            }
            return lines
        }
        let alignments = (0..<n).map { $0 < table.alignments.count ? table.alignments[$0] : .start }
        return (PreparedTable(columnX: columnX, columnWidth: widths, alignments: alignments, header: row(table.header, header: true),
                              rows: table.rows.map { row($0, header: false) }, padding: padding), warnings)
    }
}

extension TableSetter {
    /// Whether the last of `lines` holds one character (its punctuation aside).
    static func endsAlone(_ lines: [SetLine]) -> Bool {
        (lines.last?.text ?? "").filter { !$0.isPunctuation && !$0.isWhitespace }.count == 1
    }

    /// Column widths for a table some of whose cells cannot be set on one line (`cells`: each
    /// row's cells' natural widths in ems): every column starts at `minimum`, and the room
    /// left goes half an em at a time to the column where it saves the table the most lines
    /// (then its cells the most) for the room it takes — so a short header or a figure stays
    /// whole while a long name is set in two lines; what saves nothing more goes to the columns still short of their
    /// natural width, in proportion, then to all alike. (A line holds whole ems of CJK text;
    /// the count is an estimate for Latin text, whose lines break at spaces.)
    static func fewestLines(_ cells: [[Double]], minimum: Pt, measure: Pt, em: Pt, padding: Pt) -> [Pt] {
        let n = cells.map(\.count).max() ?? 0
        guard n > 0 else { return [] }
        func lines(_ ems: Double, _ width: Pt) -> Int {
            let room = (width - 2 * padding) / em
            guard ems > room + 1e-9 else { return 1 }
            return Int((ems / max(1, room.rounded(.down))).rounded(.up))
        }
        // The table's lines first, then its cells' (a header wrapped beside a taller one costs
        // the table nothing, but it reads worse).
        func cost(_ w: [Pt]) -> Int {
            cells.reduce(0) { sum, row in
                let each = row.indices.map { lines(row[$0], w[$0]) }
                return sum + 10_000 * (each.max() ?? 1) + each.reduce(0, +)
            }
        }
        var widths = Array(repeating: minimum, count: n)
        var left = measure - Double(n) * minimum
        let step = em / 2
        while left >= step {
            let now = cost(widths)
            var best: (column: Int, by: Pt, saved: Double)?
            for c in 0..<n {
                var by = step
                while by <= left + 1e-9 {
                    var trial = widths
                    trial[c] += by
                    let saved = Double(now - cost(trial)) / by
                    if saved > 0 {
                        if saved > best?.saved ?? 0 { best = (c, by, saved) }
                        break
                    }
                    by += step
                }
            }
            guard let best else { break }
            widths[best.column] += best.by
            left -= best.by
        }
        let natural = (0..<n).map { c in (cells.map { c < $0.count ? $0[c] : 0 }.max() ?? 0) * em + 2 * padding }
        let short = (0..<n).map { max(0, natural[$0] - widths[$0]) }
        let lacking = short.reduce(0, +)
        for c in 0..<n {
            widths[c] += lacking >= left ? left * short[c] / max(lacking, 1e-9) : short[c] + (left - lacking) / Double(n)
        }
        return widths
    }
}

extension Flow {
    /// The grid lines of the longest table kept whole in one column.
    static let wholeTableLines = 8

    /// Whether table `t` starts in the next column: a short table is read whole, so it goes on
    /// rather than split (as short code does); a longer one starts with two rows under its
    /// header. (And it never leaves one row alone under its repeated header: `placeTable`.)
    func waits(_ t: PreparedTable) -> Bool {
        !atColumnTop && remaining < t.startLines
    }

    /// Places a table row by row; a row never splits, and a table continued in the next column
    /// or page repeats its header. `standsApart`: a grid line of air under it (not in a box,
    /// whose text goes on under it).
    /// A short table (read whole) of the text that does not fit at a column's foot waits for the
    /// head of the next column when the text after it (`textAhead`, grid lines up to the next
    /// block of another kind) fills this one and goes on — as a figure or a pull quote does, and
    /// as magazines float tables — rather than leaving the column short; the air written
    /// before it goes with it. `ColumnFill` first tries to keep it where it is written.
    func placeTable(_ t: PreparedTable, ruleColor: Color, standsApart: Bool = true, textAhead: Int = 0) {
        let gap = frame.pitch - template.grid.bodySize
        func rule(atLine l: Int, weight: Pt) {
            let y = slotTop(l) - gap / 2 - weight / 2
            add(.rect(RectItem(frame: Rect(x: columnRect.x + t.x, y: y, width: t.width ?? columnRect.width, height: weight), fill: ruleColor)))
        }
        let total = zip(t.columnX, t.columnWidth).map { $0 + $1 }.max() ?? 0
        func place(_ row: PreparedTable.Row, role: TextRole, index: Int) {
            for (c, cell) in row.cells.enumerated() {
                for (k, l) in cell.enumerated() {
                    let room = t.columnWidth[c] - 2 * t.padding
                    let shift: Pt
                    switch t.alignments[c] {
                    case .start: shift = 0
                    case .center: shift = (room - l.width) / 2
                    case .end: shift = room - l.width
                    }
                    // The first column at the line start: on the right in a right-to-left article.
                    let x = strategy.inlineStart(offset: t.columnX[c], length: t.columnWidth[c], in: total)
                    var item = textItem(l, cross: frame.baseline(line + k), inline: t.x + x + t.padding + max(0, shift), role: role, listDepth: t.listDepth)
                    if case .text(var text) = item {
                        text.cell = TableCell(row: index, column: c)
                        item = .text(text)
                    }
                    add(item)
                }
            }
            line += row.lines
        }
        // A repeated header shows text already placed once: its role says so, and the
        // nothing-lost count skips it.
        func header(repeated: Bool) {
            rule(atLine: line, weight: 0.8)
            place(t.header, role: repeated ? .tableHeaderRepeated : .tableHeader, index: 0)
            rule(atLine: line, weight: 0.4)
        }
        let heights = t.rows.map(\.lines)
        if waits(t) {
            // Only a table of the text itself (not one in a list item, a quote or a box).
            let floats = standsApart && t.listDepth == 0 && t.x == 0 && t.gridLines <= Self.wholeTableLines && textFillsColumn(textAhead)
            if waitsOrMovesOn(.table(t, ruleColor: ruleColor), deficit: t.startLines - remaining, pushed: .table, floats: floats, takesAir: true) { return }
        }
        header(repeated: false)
        for (n, r) in t.rows.enumerated() {
            let lastTwo = n >= 2 && n == heights.count - 2
            if remaining < r.lines || (lastTwo && remaining < r.lines + heights[n + 1]) {
                rule(atLine: line, weight: 0.8)
                nextColumn()
                header(repeated: true)
            }
            place(r, role: .table, index: n + 1)
        }
        rule(atLine: line, weight: 0.8)
        if standsApart { skip(1) }
    }
}
