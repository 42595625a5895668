/// What `ArticleComposer.collect` hands the flow: blocks of text already set, and how to place them.
import FolioCore

/// One thing for the flow to place, already set.
enum FlowBlock {
    /// `listDepth`: in a list item, how deep (a quote or code in one; `TextItem.listDepth`).
    case paragraph(lines: [SetLine], role: TextRole, xOffset: Pt, listDepth: Int = 0)
    /// A paragraph of a list item: the item's markers beside its first line (none: a later
    /// paragraph of the item; two: an item that begins with a list of its own), its lines at
    /// `textX` (hanging past the marker: further in from the line start, on the right in a
    /// right-to-left article). `role`: `.list`, a heading's (an item that begins with a heading:
    /// kept with the lines under it), or a quote's or code's (an item that begins with one);
    /// `anchor` as for a block; `depth`: how deep the item is nested (1: in a list in the text).
    case listItem(markers: [ListMarker], lines: [SetLine], textX: Pt, role: TextRole = .list, anchor: String? = nil, depth: Int)
    /// Lines centred in whole grid lines, kept with `keepWith` following lines (headings, credits).
    /// `anchor`: a named destination at the block's first line (a heading a link leads to).
    case block(lines: [SetLine], style: ParagraphStyle, gridLines: Int, keepWith: Int, spaceBefore: Int, role: TextRole, anchor: String? = nil)
    case figure(PreparedFigure)
    case skip(Int)
    /// A box: its parts on a tint, set `inset` from each side of the column.
    case box(parts: [BoxPart], inset: Pt)
    case table(PreparedTable)
    case pullQuote(lines: [SetLine], style: ParagraphStyle, gridLines: Int)

    var isSkip: Bool { if case .skip = self { true } else { false } }
    /// A heading, subheading or display heading, which keeps what follows it in its column.
    var isKeptHeading: Bool {
        if case .block(_, _, _, let keep, _, let role, _) = self { keep > 0 && [.heading, .subheading, .displayHeading].contains(role) } else { false }
    }
    /// A figure the flow places elsewhere than where it stands — across the next page's head,
    /// on a page of its own, at a column's head or foot: what follows it comes next in the
    /// column. (A heading over a figure at the foot keeps the box after it: ug seed 2197's
    /// heading kept only its lines, and stood alone at its column's foot.)
    var placedElsewhere: Bool {
        if case .figure(let f) = self { [.span, .fullBleed, .top, .bottom].contains(f.figure.placement) } else { false }
    }

    /// The grid lines it needs in a column to begin there, where that is more than text's
    /// orphan lines: all of a short table or short code (read whole), a long table's header
    /// and first two rows, a box's title and first lines with a line to spare, all of a
    /// paragraph or list item too short to split (three lines, with two kept at a column's
    /// foot and two carried on: `Flow.placeParagraph` moves it whole), a heading and what it keeps.
    func linesToBegin(_ typography: Typography) -> Int? {
        switch self {
        case .table(let t): t.startLines
        case .box(let parts, _): Flow.linesToBegin(box: parts, typography)
        case .paragraph(let lines, _, _, _), .listItem(_, let lines, _, _, _, _):
            keptWhole ?? (lines.count > typography.orphans && Flow.linesToBegin(paragraphOf: lines.count, typography) == lines.count ? lines.count : nil)
        // A heading: its space before, itself and what it keeps under it.
        case .block(_, _, let grid, let keep, let before, _, _) where isKeptHeading: before + grid + keep
        default: keptWhole
        }
    }

    /// The lines of short code, read whole (`Flow.keptWhole`): a paragraph's, or a list item's
    /// that begins with code.
    var keptWhole: Int? {
        switch self {
        case .paragraph(let lines, let role, _, _), .listItem(_, let lines, _, let role, _, _): Flow.keptWhole(lines, role: role) ? lines.count : nil
        default: nil
        }
    }
}

/// What a box holds, in reading order: paragraphs (its title and headings among them, with
/// their role; `anchor`: a named destination at the first line, a heading a link leads to) and tables.
enum BoxPart {
    case paragraph(lines: [SetLine], role: TextRole, anchor: String? = nil)
    case table(PreparedTable)

    /// The grid lines it takes.
    var gridLines: Int {
        switch self {
        case .paragraph(let lines, _, _): lines.count
        case .table(let t): t.gridLines
        }
    }

    /// A table's start (`PreparedTable.startLines`): what a box's title or heading over it keeps.
    var tableStart: Int? { if case .table(let t) = self { t.startLines } else { nil } }

    /// The grid lines it needs in a column to begin there: a table's start; a paragraph's
    /// `orphans` lines, or all of it where it is too short to leave them at a column's foot and
    /// carry `widows` on (as `Flow.placeParagraph` splits it).
    func linesToBegin(_ typography: Typography) -> Int {
        switch self {
        case .table(let t): t.startLines
        case .paragraph(let lines, _, _): Flow.linesToBegin(paragraphOf: lines.count, typography)
        }
    }

    /// The box's title or a heading in it: it keeps what follows in its column (`Flow.placeBox`).
    var isHeading: Bool { if case .paragraph(_, let role, _) = self { [.boxTitle, .boxHeading].contains(role) } else { false } }
}

extension [FlowBlock] {
    /// Each heading keeping with it all that the block under it needs to begin in its column,
    /// and the air between (`FlowBlock.linesToBegin`), where that is more than `heading-keep`
    /// lines of text: it stood alone at a column's foot while a table or code moved on, or a
    /// subheading right under it with the lines that one keeps (`一、缘起` over `（一）背景`:
    /// from the last heading back, so that a heading keeps what its subheading keeps).
    /// (A heading that begins a list item keeps the same: `ArticleComposer.place`.)
    func headingsKeepingWhatFollows(_ typography: Typography) -> [FlowBlock] {
        var out = self
        for i in indices.reversed() {
            guard case .block(let lines, let style, let grid, let keep, let before, let role, let anchor) = out[i], keep > 0,
                  let needs = out.linesToBegin(after: i, typography), needs > keep else { continue }
            out[i] = .block(lines: lines, style: style, gridLines: grid, keepWith: needs, spaceBefore: before, role: role, anchor: anchor)
        }
        return out
    }

    /// What the block after block `k` needs to begin in a column (`FlowBlock.linesToBegin`),
    /// with the air before it; nil where that is no more than text's orphan lines.
    /// A pull quote needs itself and what it keeps under it (`orphans` lines of text after the
    /// air, or what the block after it needs) — unless the text after it is enough to fill
    /// any place too short for it, where it waits for the next column (`Flow.placePullQuote`)
    /// and the text follows the heading over it: a heading is not left at a column's foot with
    /// the quote alone, or nothing, under it.
    func linesToBegin(after k: Int, _ typography: Typography) -> Int? {
        guard let next = placed(after: k) else { return nil }
        if case .pullQuote(_, _, let grid) = self[next] {
            let keep = keepUnder(next, typography)
            // Where it does not fit, fewer than grid + keep lines are left, and it waits if what
            // follows fills them (`Flow.placePullQuote`'s `waits`): grid + 2 keep − 1 lines always do.
            if textLines(after: next, boxesAndTables: true) >= grid + 2 * keep - 1 { return linesToBegin(after: next, typography).map { air(after: k) + $0 } }
            return air(after: k) + grid + keep
        }
        // A figure set in the column goes to the next column's head where it does not fit under
        // the heading, and what follows it begins there: that is kept (kk seed 2247's heading
        // stood alone at its column's foot, its figure and the table after it in the next).
        if case .figure = self[next] { return linesToBegin(after: next, typography).map { air(after: k) + $0 } }
        guard let needs = self[next].linesToBegin(typography) else { return nil }
        return air(after: k) + needs
    }

    /// What must follow block `k` in its column: what the next block needs to begin there, or
    /// the air and `orphans` lines of text (a pull quote's keep, a relaxed heading's).
    func keepUnder(_ k: Int, _ typography: Typography) -> Int {
        linesToBegin(after: k, typography) ?? air(after: k) + typography.orphans
    }

    /// What heading `k` keeps relaxed (ColumnFill's last resort): what a column's foot must keep,
    /// `orphans` lines after any air, or what the block under it needs to begin — a heading
    /// right under it relaxed with it: that heading, its air, and what it keeps relaxed — never
    /// more than it keeps unrelaxed.
    func relaxedKeep(_ k: Int, _ typography: Typography) -> Int {
        guard case .block(_, _, _, let keep, _, _, _) = self[k] else { return 0 }
        var under = keepUnder(k, typography)
        if let next = headingUnder(k), case .block(_, _, let grid, _, let before, _, _) = self[next] {
            under = air(after: k) + before + grid + relaxedKeep(next, typography)
        }
        return Swift.min(keep, Swift.max(typography.orphans, under))
    }

    /// Block `k` as ColumnFill's last resort places it: a heading keeping `relaxedKeep`.
    func relaxed(_ k: Int, _ typography: Typography) -> FlowBlock {
        guard case .block(let lines, let style, let grid, let keep, let before, let role, let anchor) = self[k], keep > 0 else { return self[k] }
        return .block(lines: lines, style: style, gridLines: grid, keepWith: relaxedKeep(k, typography), spaceBefore: before, role: role, anchor: anchor)
    }

    /// The heading right under block `k` (air and figures placed elsewhere passed over), if one is.
    func headingUnder(_ k: Int) -> Int? {
        placed(after: k).flatMap { self[$0].isKeptHeading ? $0 : nil }
    }

    /// The block placed next after block `k` in its column: air and figures placed elsewhere passed over.
    func placed(after k: Int) -> Int? {
        var next = k + 1
        while next < count, self[next].isSkip || self[next].placedElsewhere { next += 1 }
        return next < count ? next : nil
    }

    /// The grid lines of air right after block `k` (figures placed elsewhere passed over).
    func air(after k: Int) -> Int {
        var air = 0
        for b in self[(k + 1)...] where !b.placedElsewhere { guard case .skip(let n) = b else { break }; air += n }
        return air
    }
}

/// A list item's number or bullet, set beside its first line at `x` from the line start; the
/// item's `depth` (1: in a list in the text), and whether it is its list's `first`.
struct ListMarker {
    let line: SetLine
    let x: Pt
    let depth: Int
    let first: Bool
}

extension Block {
    /// Whether a list item that begins with this block has its marker beside the block's first
    /// line: a paragraph, code, a list, a heading, or a quote that begins with one of them —
    /// not a table, a figure, a box or a rule.
    var carriesMarker: Bool {
        switch self {
        case .paragraph, .code, .list, .heading: return true
        case .quote(let inner, _): return inner.first?.carriesMarker ?? false
        case .box, .figure, .rule, .table, .pullQuote: return false
        }
    }
}

extension [FlowBlock] {
    /// The grid lines of the paragraphs, list items and headings (with their air) that follow
    /// block `k`, up to a block of another kind (`boxesAndTables`: those counted in too — what
    /// fills a column a pull quote waits behind, an excerpt set apart).
    func textLines(after k: Int, boxesAndTables: Bool = false) -> Int {
        var n = 0
        for b in self[(k + 1)...] {
            switch b {
            case .paragraph(let lines, _, _, _), .listItem(_, let lines, _, _, _, _): n += lines.count
            case .skip(let s): n += s
            // A heading and the text under it fill a column as text does (its keep is its own).
            case .block(_, _, let grid, _, let before, let role, _) where [.heading, .subheading].contains(role): n += before + grid
            case .box(let parts, _) where boxesAndTables: n += parts.reduce(0) { $0 + $1.gridLines }
            case .table(let t) where boxesAndTables: n += t.gridLines
            default: return n
            }
        }
        return n
    }
}
