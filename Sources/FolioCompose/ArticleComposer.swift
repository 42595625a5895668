/// Composes one article into pages in two steps: `collect` sets every text block once (the
/// opening, body paragraphs, headings, figure captions, credits) into flow blocks; `flow` places
/// them through columns and pages on the baseline grid. Flowing is cheap, so the last page is
/// flowed again with shorter columns until they balance (clreq C21).
/// (Long because `collect` sets every kind of block in one place, sharing its counting and
/// diagnostics; the flow's vocabulary is in FlowBlock.swift, fitting in ColumnFill, Copyfit,
/// TailFill.)
///
/// In: an `Article`, the `Template`, a `Typesetter`. Out: `Page` values and diagnostics.
/// Guarantee: every character of every text block is on a page, or a diagnostic names it.
import FolioCore

public struct ComposedArticle: Sendable {
    public var articleID: String
    public var pages: [Page]
    public var diagnostics: [Diagnostic]
    /// Characters set per text block, and characters placed on pages, for the nothing-lost check.
    public var charactersSet: Int
    public var charactersPlaced: Int
    /// How the article met its page budget, when the manifest gives one.
    public var fit: ArticleFit?
    /// The article's half-page ad is at the foot of its last page (else the issue gives it a page).
    public var endAdPlaced = false
    /// The grid line it was composed to start at on its first page (0: the top).
    public var startLine = 0
    /// Composed to start below another article's end on its first page (`compose(startLine:)`).
    public var ranOn: Bool { startLine > 0 }
}

public struct ArticleComposer {
    public let template: Template
    public let typesetter: any Typesetter
    public var maxPages: Int = 2000
    /// Check every set paragraph against its source text, character by character (`--verify`).
    public var verify = false

    public init(template: Template, typesetter: any Typesetter, verify: Bool = false, maxPages: Int = 2000) {
        (self.template, self.typesetter, self.verify, self.maxPages) = (template, typesetter, verify, maxPages)
    }

    /// - Parameter startLine: run on (`flow: continuous`): start at this grid line of the first
    ///   page, below another article's end, if the opening and a few lines of text fit there;
    ///   `ComposedArticle.ranOn` says whether it did.
    public func compose(_ article: Article, firstPage: Int, startLine: Int = 0) -> ComposedArticle {
        var log = DiagnosticLog()
        var setCount = 0
        let frame = PageFrame(template: template, number: firstPage, mode: article.meta.writingMode)
        var collected = collect(article, measure: frame.measure, lineCount: frame.lineCount, log: &log, setCount: &setCount)
        let keep = max(template.typography.orphans, template.typography.headingKeep, 3)
        if startLine > 0 && frame.strategy.sharesPages && startLine + collected.openingLines + keep <= frame.lineCount { collected.startLine = startLine }
        let (filled, first, notes) = fillingShortColumns(collected, article: article, firstPage: firstPage)
        let asSet = FitTrial(collected: filled, base: collected, flow: first, pages: first.finish(), actions: [], dropped: [], notes: notes)
        // Fitted to its page budget, or kept from ending on a short tail (Copyfit.swift).
        var fitReport: ArticleFit?
        var fitted = asSet
        if let budget = article.budget {
            (fitted, fitReport) = fit(asSet, to: budget, article: article, firstPage: firstPage, frame: frame, log: &log, setCount: &setCount)
        } else {
            fitted = fitShortTail(asSet, article: article, firstPage: firstPage, frame: frame, log: &log)
        }
        // A half-page ad after the article takes the lower half of its last page (HalfPageAds.swift).
        var adRoom: FitTrial?
        if article.endAd != nil {
            adRoom = makingRoomForAd(fitted, article: article, firstPage: firstPage, frame: frame, log: &log)
            if let adRoom { fitted = adRoom }
        }
        for note in fitted.notes { log.add(note) }
        let lastLine = adRoom == nil ? frame.lineCount : HalfPageAd.textLines(frame)
        // The last page's columns shortened alike while the article still ends on that page —
        // unless a fitting step balanced them already, under this grid line or one below it.
        if (fitted.balancedUnder ?? 0) < lastLine { fitted = balancing(fitted, under: lastLine, article: article, firstPage: firstPage) }
        var (flow, pages) = (fitted.flow, fitted.pages)
        if let ad = article.endAd, adRoom != nil, !pages.isEmpty {
            let last = PageFrame(template: template, number: firstPage + pages.count - 1)
            pages[pages.count - 1].items.append(ad.item(on: last, bodySize: template.grid.bodySize))
        }
        var composed = result(article, flow: flow, pages: pages, log: &log, setCount: setCount)
        composed.fit = fitReport
        composed.endAdPlaced = adRoom != nil
        composed.startLine = collected.startLine
        return composed
    }

    func result(_ article: Article, flow: Flow, pages: [Page], log: inout DiagnosticLog, setCount: Int) -> ComposedArticle {
        for page in Set(flow.keepExceptions).sorted() {
            log.add(.warning("page \(page): a paragraph longer than a column leaves a widow or orphan line", at: article.location, code: "widow-orphan"))
        }
        if flow.overset {
            log.add(Diagnostic(.error, "the article needs more than \(maxPages) pages; the rest is not set (overset)", at: article.location, code: "overset"))
        }
        // One pass over the printed lines: the characters placed, and the lines letterspaced so
        // that a reader sees it, at their paragraphs (a line a fitting step set again and dropped
        // is not among them).
        var placed = 0
        for page in pages {
            for case .text(let t) in page.items {
                if t.role != .tableHeaderRepeated { placed += t.line.range.count }
                guard let loose = t.line.loose else { continue }
                log.add(.warning("a line letterspaced \(String(format: "%.2f", loose.letterspacing)) em, which a reader sees: '\(t.line.text.trimmingCharacters(in: .whitespaces))' — reword the sentence or move a word (a Latin word or number that cannot break, dashes, a narrow column)",
                                 at: loose.location, code: "loose-line"))
            }
        }
        return ComposedArticle(articleID: article.id, pages: pages, diagnostics: log.items,
                               charactersSet: setCount, charactersPlaced: placed)
    }

    /// Nothing lost: the lines' ranges tile the paragraph and their glyph runs carry exactly its text.
    static func verify(_ lines: [SetLine], against text: StyledText) -> String? {
        var expected = 0
        for l in lines {
            guard l.range.lowerBound == expected else { return "characters \(expected)..<\(l.range.lowerBound) of the paragraph are on no line" }
            expected = l.range.upperBound
        }
        guard expected == text.scalarCount else { return "characters \(expected)..<\(text.scalarCount) of the paragraph are on no line" }
        let set = lines.map(\.text).joined()
        guard set == text.string else {
            let a = Array(set.unicodeScalars), b = Array(text.string.unicodeScalars)
            let at = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            return "the set text differs from the source at character \(at + 1)"
        }
        return nil
    }

    /// Below this share of its grid lines, an article's last page is a short tail to fit back.
    static let shortTail = 1.0 / 3

    /// What `collect` produces: the opening's items and the flow blocks after it.
    struct Collected {
        var opening: Opening
        /// The grid lines the opening takes before the body.
        var openingLines: Int { opening.lines }
        /// Columns the opening spans (nil: all).
        var openingSpan: Int?
        var blocks: [FlowBlock]
        /// The source line of each block (for `Page.sourceLines`).
        var lines: [Int] = []
        /// The blocks the article marks optional (left out only to meet a page budget).
        var optional: [OptionalBlock] = []
        /// A run-on article's first grid line on its first page (0: the page's top).
        var startLine = 0
        /// What each body paragraph block was set from, to set it again tighter (ColumnFill.swift).
        var paragraphInputs: [Int: (input: ParagraphInput, measure: Pt)] = [:]
        /// Blocks set against their own rule so that a column is not left short (ColumnFill.swift):
        /// a heading keeps `orphans` lines instead of `heading-keep`; short code splits as a paragraph
        /// does; a box begins with no line to spare; a figure at a column's foot goes to the next one's.
        var relaxedBlocks: Set<Int> = []
        /// The block the article's end matter (its gathered notes, under their heading) begins
        /// with: the figures still waiting for a column go before it where they fit with it (`Flow.bodyEnds`).
        var endMatter: Int?

        var hasFigures: Bool { blocks.contains { if case .figure = $0 { return true } else { return false } } }

        /// The same blocks with every figure at `scale` of its size (captions unchanged).
        func scalingFigures(_ scale: Double, template: Template, lineCount: Int) -> Collected {
            var c = self
            c.blocks = blocks.map { b in
                guard case .figure(var f) = b else { return b }
                if let full = f.fullMeasure {
                    // A full-measure figure keeps its width and is cropped further (to the grid).
                    f.imageSize.height = f.croppedToGrid(min(f.imageSize.height, full.natural * scale), template: template)
                } else {
                    f.imageSize = Size(width: f.imageSize.width * scale, height: f.imageSize.height * scale)
                }
                f.gridLines = f.lines(template: template, lineCount: lineCount)
                return .figure(f)
            }
            return c
        }
    }

    /// Places the collected blocks through pages; pages whose index is in `limits` get shorter columns.
    func run(_ c: Collected, article: Article, firstPage: Int, limits: [Int: Int]) -> Flow {
        let flow = flow(for: c, article: article, firstPage: firstPage, limits: limits)
        for (k, b) in c.blocks.enumerated() where !flow.overset {
            flow.sourceLine = k < c.lines.count ? c.lines[k] : 0
            flow.block = k
            if k == c.endMatter {
                // The notes, and the credits line closing them with the end mark.
                let credits = c.blocks.last.flatMap { if case .block(_, _, let grid, _, _, .credits, _) = $0 { grid } else { nil } } ?? 0
                flow.bodyEnds(endMatterLines: c.blocks.textLines(after: k - 1, boxesAndTables: true) + credits)
            }
            // The credits stay under the last lines of text, never alone at a column's head
            // (the last lines go on with them; the balancer, too, keeps them together).
            if k + 1 < c.blocks.count, case .block(_, _, let grid, _, _, .credits, _) = c.blocks[k + 1],
               case .paragraph(let lines, let role, let x, let depth) = b {
                flow.placeParagraph(lines, role: role, xOffset: x, listDepth: depth, keepLastWith: grid)
            } else {
                let relaxed = c.relaxedBlocks.contains(k)
                place(relaxed ? c.blocks.relaxed(k, template.typography) : b, on: flow, relaxed: relaxed,
                      textAhead: { c.blocks.textLines(after: k, boxesAndTables: $0) }, needsAhead: { c.blocks.keepUnder(k, template.typography) })
            }
        }
        return flow
    }

    /// A flow with the article's opening placed.
    func flow(for c: Collected, article: Article, firstPage: Int, limits: [Int: Int]) -> Flow {
        let flow = Flow(template: template, articleID: article.id, firstPage: firstPage, maxPages: maxPages, limits: limits,
                        mode: article.meta.writingMode)
        if article.endAd != nil { flow.lastPageLines = HalfPageAd.textLines(flow.frame) }
        // A narrower opening sits over its first columns in reading order (the rightmost in
        // right-to-left articles): from the leftmost of them.
        let spanned = min(c.openingSpan ?? flow.frame.columns.count, flow.frame.columns.count)
        let shift = (0..<spanned).map { flow.strategy.column($0, of: flow.frame.columns).x }.min()! - flow.frame.textArea.x
        flow.sourceLine = 1   // the opening is the front matter's
        let below = Pt(c.startLine) * flow.frame.pitch
        for item in c.opening.drawn { flow.add(item.translated(dx: flow.frame.textArea.x + shift, dy: below)) }
        flow.reserveTop(c.startLine + c.openingLines, columns: spanned)
        if c.startLine > 0 { flow.reserveTop(c.startLine) }
        return flow
    }

    /// `textAhead`: the grid lines of text after the block, up to the next block of another
    /// kind (whether a pull quote or table that waits for the next column leaves this one filled;
    /// its argument: boxes and tables counted in, as for a pull quote, an excerpt set apart);
    /// `needsAhead`: what the block after it needs to begin in a column, the air before it
    /// included (`[FlowBlock].linesToBegin(after:)`; text: the lines a column's foot keeps,
    /// `orphans`): a heading that begins a list item keeps that with it, as a heading in the
    /// text does (`headingsKeepingWhatFollows`), and a pull quote keeps it under it.
    func place(_ b: FlowBlock, on flow: Flow, relaxed: Bool = false, textAhead: (Bool) -> Int = { _ in 0 }, needsAhead: () -> Int? = { nil }) {
        switch b {
        case .paragraph(let lines, let role, let x, let depth): flow.placeParagraph(lines, role: role, xOffset: x, listDepth: depth, whole: !relaxed)
        case .listItem(let markers, let lines, let textX, let role, let anchor, let depth):
            let keep = [.heading, .subheading].contains(role) ? max(template.typography.headingKeep, needsAhead() ?? 0) : 0
            flow.placeParagraph(lines, role: role, xOffset: textX, markers: markers, listDepth: depth, keepLastWith: keep, anchor: anchor,
                                whole: !relaxed)
        case .block(let lines, let style, let grid, let keep, let before, let role, let anchor):
            flow.skip(before)
            // (Relaxed by ColumnFill, it keeps less: `[FlowBlock].relaxed(_:_:)`.)
            flow.placeBlock(lines, style: style, gridLines: grid, keepWith: keep, role: role, spaceBefore: before, anchor: anchor)
        case .figure(let f): flow.placeFigure(f, deferred: relaxed)
        case .skip(let n): flow.skip(n)
        case .box(let parts, let inset):
            flow.placeBox(parts, inset: inset, fill: template.furniture.boxColor, ruleColor: template.furniture.ruleColor, relaxed: relaxed,
                          textAhead: textAhead(false))
        case .table(let t): flow.placeTable(t, ruleColor: template.furniture.ruleColor, textAhead: textAhead(false))
        case .pullQuote(let lines, let style, let grid):
            flow.placePullQuote(lines, style: style, gridLines: grid, ruleColor: template.furniture.ruleColor, textAhead: textAhead(true),
                                keep: needsAhead() ?? template.typography.orphans)
        }
    }

    /// Sets every text block of the article once.
    func collect(_ article: Article, measure: Pt, lineCount: Int, log: inout DiagnosticLog, setCount: inout Int) -> Collected {
        let lang = article.meta.language
        let strategy = article.meta.writingMode.strategy
        var diagnostics: [Diagnostic] = []
        var count = 0
        var lastInput: (input: ParagraphInput, measure: Pt)?
        func set(_ text: StyledText, _ styleName: String, _ m: Pt, _ indent: Bool, _ loc: SourceLocation) -> [SetLine] {
            set(text, styleName, m, indent, loc, hanging: 0)
        }
        /// `trial`: a setting that may be dropped (a table cell tried narrower): not counted, nothing said.
        func set(_ text: StyledText, _ styleName: String, _ m: Pt, _ indent: Bool, _ loc: SourceLocation, hanging: Pt, trial: Bool = false,
                 code: Bool = false) -> [SetLine] {
            var input = ParagraphInput(text: text, style: template.style(styleName), language: lang, location: loc, indentFirstLine: indent)
            input.vertical = strategy.linesVertical
            input.hanging = hanging
            input.leftToRight = code
            if trial { return typesetter.set(input, measure: m).lines }
            lastInput = (input, m)
            let p = typesetter.set(input, measure: m)
            diagnostics += p.diagnostics
            count += text.scalarCount
            if verify, let problem = Self.verify(p.lines, against: text) {
                diagnostics.append(Diagnostic(.error, "verify: \(problem)", at: loc, code: "lost-text"))
            }
            return p.lines
        }
        /// A line of code (`CodeText`) in the `code` style, left to right in any article: a wrapped part of it hangs.
        func set(code line: CodeText.Line, _ m: Pt, _ loc: SourceLocation) -> [SetLine] {
            CodeText.copyable(set(line.text, "code", m, false, loc, hanging: CodeText.hanging(line, size: template.style("code").size, measure: m), code: true))
        }
        let bodySize = template.grid.bodySize
        var blocks: [FlowBlock] = []
        var paragraphInputs: [Int: (input: ParagraphInput, measure: Pt)] = [:]
        var optional: [OptionalBlock] = []
        var lines: [Int] = []
        let variantName = article.meta.variant ?? "feature"
        if template.openings[variantName] == nil {
            diagnostics.append(.warning("the template has no opening variant '\(variantName)' (it has \(template.openings.keys.sorted().joined(separator: ", "))); using feature",
                                        at: article.location, code: "unknown-variant"))
        }
        let variant = template.openings[variantName] ?? template.openings["feature"] ?? OpeningVariant()
        // Whether the next paragraph begins a list item (a quote the item begins with): no first-line
        // indent, the item's marker stands before it.
        var besideMarker = false
        /// `table` set `width` wide, `x` from the column's line start (0: across the column).
        func prepareTable(_ table: Table, x: Pt, width: Pt) -> PreparedTable {
            var (prepared, warnings) = TableSetter(template: template).prepare(table, measure: width) { text, header, width, trial in
                set(StyledText(text), header ? "table-header" : "table", width, false, table.location, hanging: 0, trial: trial)
            }
            if x > 0 {
                prepared.x = strategy.inlineStart(offset: x, length: width, in: measure)
                prepared.width = width
            }
            diagnostics += warnings
            return prepared
        }
        /// `lead`: how far from the line start the text of the list item these blocks are in
        /// begins (0: not in a list item); quotes, code and lists in an item step in from there,
        /// with no blank line around them. `listDepth`: how deep that item is nested.
        func body(_ list: [Block], quoteDepth: Int, lead: Pt = 0, listDepth: Int = 0) {
            // The measure from the item's text on.
            let width = measure - lead
            for block in list {
                let first = blocks.count
                defer {
                    lines += Array(repeating: block.location.line, count: max(0, blocks.count - first - (lines.count - first)))
                    besideMarker = false
                }
                // Quotes and lists step in 2 em per level, but always leave 12 em of line.
                let inset = min(Double(quoteDepth) * 2 * bodySize, max(0, (width - 12 * bodySize) / 2))
                let apart = quoteDepth == 0 && lead == 0
                switch block {
                case .paragraph(let text, let loc):
                    let role: TextRole = quoteDepth > 0 ? .quote : .body, style = role.rawValue   // the role names its style
                    // A quotation is inset on both sides.
                    let x = lead == 0 ? inset : strategy.inlineStart(offset: lead + inset, length: width - 2 * inset, in: measure)
                    blocks.append(.paragraph(lines: set(text, style, width - 2 * inset, !besideMarker, loc), role: role, xOffset: x, listDepth: listDepth))
                    paragraphInputs[blocks.count - 1] = lastInput
                case .code(let code, let loc):
                    // Code stands apart as a quotation does, 2 em in, set line by line as written.
                    let codeInset = min(inset + 2 * bodySize, max(0, width - 12 * bodySize))
                    let codeLines = CodeText.lines(code).flatMap { set(code: $0, width - codeInset - inset, loc) }
                    if apart { blocks.append(.skip(1)) }
                    // (From the line start: the right edge in a right-to-left article.)
                    let codeX = strategy.inlineStart(offset: lead + codeInset, length: width - codeInset - inset, in: measure)
                    blocks.append(.paragraph(lines: codeLines, role: .code, xOffset: codeX, listDepth: listDepth))
                    if apart { blocks.append(.skip(1)) }
                case .heading(let level, let text, let loc) where inset > 0 || lead > 0:
                    // In a list item or a quote: from the item's text on, inset as the quote's
                    // text, in the heading's style (the item's marker beside it, if it begins the item).
                    let name = level > 2 ? "subheading" : "heading"
                    blocks.append(.listItem(markers: [], lines: set(text, name, width - 2 * inset, false, loc),
                                            textX: strategy.inlineStart(offset: lead + inset, length: width - 2 * inset, in: measure),
                                            role: level > 2 ? .subheading : .heading, anchor: article.headingAnchors[loc.line], depth: listDepth))
                case .heading(let level, let text, let loc):
                    // A literary opening sets chapter headings as display headings (a rule under them).
                    let display = level <= 2 && variant.displayHeadings && strategy.spansColumns
                    let name = level > 2 ? "subheading" : display ? variant.headingStyle : "heading"
                    let style = template.style(name)
                    let lines = set(text, name, measure, false, loc)
                    // Headings take whole grid lines (jlreq J3): one more than their lines for level 2.
                    blocks.append(.block(lines: lines, style: style, gridLines: lines.count + (level <= 2 ? 1 : 0) + (display ? 1 : 0),
                                         keepWith: template.typography.headingKeep, spaceBefore: style.spaceBefore,
                                         role: display ? .displayHeading : level > 2 ? .subheading : .heading,
                                         anchor: article.headingAnchors[loc.line]))
                case .quote(let inner, _):
                    // A block quote stands apart: a grid line of air above and below it (nested
                    // ones sit inside their parent's).
                    if apart { blocks.append(.skip(1)) }
                    body(inner, quoteDepth: quoteDepth + 1, lead: lead, listDepth: listDepth)
                    if apart { blocks.append(.skip(1)) }
                case .list(let ordered, let items, let listLoc):
                    // List items sit 2 em in from the text around them; wrapped lines hang under
                    // the item's text, past the widest marker of the list (and ½ em of air).
                    let listInset = min(inset + 2 * bodySize, max(0, width - 12 * bodySize))
                    let label = { (n: Int) in StyledText(ordered ? "\(n + 1)." : "•") }
                    // (Measured without `set`, which counts what is set: only placed markers are set.)
                    // (A line's width runs from its start: a right-to-left line's includes the
                    // blank before its text. The marker's own width is from its first glyph on.)
                    let widest = typesetter.set(ParagraphInput(text: label(items.count), style: template.style("list"), language: lang,
                                                               location: listLoc, indentFirstLine: false), measure: measure).lines.first
                        .map { $0.width - $0.firstGlyphX }
                    let hang = max(widest ?? bodySize, bodySize) + bodySize / 2
                    // An item's paragraphs and headings all hang there: a later paragraph of the
                    // item starts with the list style's indent, a heading is set in its own style;
                    // a quote, code or a list in the item steps in from its text as it would from
                    // the column's. Whatever the item begins with has the marker beside it.
                    // (Offsets from the line start: the right edge of a right-to-left article's
                    // column, whose lines are set flush with the end of their measure.)
                    let itemMeasure = width - listInset - hang
                    let depth = listDepth + 1
                    let markerX = strategy.inlineStart(offset: lead + listInset, length: hang, in: measure)
                    let textX = strategy.inlineStart(offset: lead + listInset + hang, length: itemMeasure, in: measure)
                    for (n, item) in items.enumerated() {
                        for (k, b) in item.enumerated() {
                            let markers = { (loc: SourceLocation) in
                                k == 0 ? set(label(n), "list", hang, false, loc).prefix(1).map { ListMarker(line: $0, x: markerX, depth: depth, first: n == 0) } : []
                            }
                            switch b {
                            case .paragraph(let text, let loc):
                                let m = markers(loc)
                                blocks.append(.listItem(markers: m, lines: set(text, "list", itemMeasure, k > 0, loc), textX: textX, depth: depth))
                            default:
                                // A table, figure or box can have no marker beside it: the
                                // item's number stands on a line of its own above it.
                                let alone = k == 0 && !b.carriesMarker
                                if alone, let m = markers(b.location).first {
                                    let line = SetLine(runs: [], width: 0, ascent: m.line.ascent, descent: m.line.descent, range: 0..<0)
                                    blocks.append(.listItem(markers: [m], lines: [line], textX: textX, depth: depth))
                                }
                                let before = blocks.count
                                besideMarker = k == 0 && !alone
                                body([b], quoteDepth: quoteDepth, lead: lead + listInset + hang, listDepth: depth)   // (which resets it)
                                // The marker beside the first line of the heading, quote, code or list (not
                                // again beside a vertical article's table rows, set as lines).
                                if k == 0, !alone, let i = blocks[before...].firstIndex(where: { !$0.isSkip }) {
                                    switch blocks[i] {
                                    case .paragraph(let lines, let role, let x, let d):
                                        blocks[i] = .listItem(markers: markers(b.location), lines: lines, textX: x, role: role, depth: d)
                                        paragraphInputs[i] = nil
                                    case .listItem(let inner, let lines, let x, let role, let anchor, let d):
                                        blocks[i] = .listItem(markers: markers(b.location) + inner, lines: lines, textX: x, role: role, anchor: anchor, depth: d)
                                    default: break
                                    }
                                }
                            }
                        }
                    }
                case .figure(let f):
                    // A spanning figure takes the whole text area's width, at most half its height.
                    let wide = f.placement == .span && strategy.spansColumns
                    let before = count
                    let prepared = prepare(f, measure: wide ? PageFrame(template: template, number: 1).textArea.width : measure,
                                           lineCount: wide ? lineCount / 2 : lineCount, spanning: wide, upright: strategy.linesVertical, set: set)
                    diagnostics += prepared.warnings
                    blocks.append(.figure(prepared))
                    if f.optional { optional.append(OptionalBlock(index: blocks.count - 1, noun: "figure", location: f.location, characters: count - before)) }
                case .rule:
                    blocks.append(.skip(1))
                case .pullQuote(let text, let isOptional, let loc):
                    // Set large between rules, in whole grid lines, never split (a block).
                    let style = template.style("pull-quote")
                    let lines = set(text, "pull-quote", measure, false, loc)
                    if isOptional { optional.append(OptionalBlock(index: blocks.count, noun: "pull quote", location: loc, characters: text.scalarCount)) }
                    let height = Double(lines.count - 1) * (style.leading ?? template.grid.pitch) + style.size
                    let grid = Int(((height + template.grid.pitch) / template.grid.pitch).rounded(.up)) + 1
                    blocks.append(.pullQuote(lines: lines, style: style, gridLines: grid))
                case .table(let t) where strategy.setsTablesAsLines:
                    // Vertical articles set a table's rows as lines of text.
                    for row in [t.header] + t.rows {
                        blocks.append(.paragraph(lines: set(StyledText(row.joined(separator: "　")), "body", measure, false, t.location),
                                                 role: .table, xOffset: 0, listDepth: listDepth))
                    }
                case .table(let t):
                    // In a list item from the item's text on, in a quote inset as its text is.
                    var prepared = prepareTable(t, x: lead + inset, width: width - 2 * inset)
                    prepared.listDepth = listDepth
                    // A table stands apart from the text, as a quote does (the flow leaves a
                    // grid line under it).
                    if apart { blocks.append(.skip(1)) }
                    blocks.append(.table(prepared))
                case .box(let title, let inner, let loc):
                    // Box text is set ½ em in from each side of the column.
                    let inset = bodySize / 2
                    var parts: [BoxPart] = []
                    if let title, !title.isEmpty {
                        parts.append(.paragraph(lines: set(StyledText(title), "box-title", measure - 2 * inset, false, loc), role: .boxTitle))
                    }
                    var figures: [Block] = []
                    for p in BoxText.paragraphs(inner, tablesAsLines: strategy.setsTablesAsLines, figures: &figures) {
                        if let table = p.table {
                            parts.append(.table(prepareTable(table, x: inset, width: measure - 2 * inset)))
                            continue
                        }
                        // A heading in the box is set as its title is (the `box-title` style).
                        let role: TextRole = p.isHeading ? .boxHeading : .box
                        let l = p.codeIndent.map { set(code: CodeText.Line(text: p.text, indent: $0), measure - 2 * inset, p.location) }
                            ?? set(p.text, p.isHeading ? TextRole.boxTitle.rawValue : role.rawValue, measure - 2 * inset, !p.isHeading, p.location)
                        // A heading in the box a link leads to: its destination at its first line.
                        parts.append(.paragraph(lines: l, role: role, anchor: p.isHeading ? article.headingAnchors[p.location.line] : nil))
                    }
                    // A box stands apart from the text, as a quote does (the flow leaves a grid
                    // line under it).
                    if apart { blocks.append(.skip(1)) }
                    blocks.append(.box(parts: parts, inset: inset))
                    body(figures, quoteDepth: quoteDepth)   // a box's images follow it
                }
            }
        }
        var overset: [Diagnostic] = []
        let opening = self.opening(article, variant: variant, set: set, overset: &overset)
        diagnostics += overset
        // The gathered notes are end matter: where they begin, figures still waiting are placed.
        let written = blocksInLanguage(article)
        var endMatter: Int?
        if let k = article.notesHeading, k < written.count {
            body(Array(written[..<k]), quoteDepth: 0)
            endMatter = blocks.count
            body(Array(written[k...]), quoteDepth: 0)
        } else {
            body(written, quoteDepth: 0)
        }
        if let credits = credits(article, measure: measure, set: set) { blocks.append(credits); lines.append(0) }   // made from the front matter: no line of its own
        log.append(contentsOf: diagnostics)
        setCount += count
        var c = Collected(opening: opening, openingSpan: strategy.spansColumns ? variant.span : nil,
                          blocks: blocks.headingsKeepingWhatFollows(template.typography), lines: lines, optional: optional)
        c.paragraphInputs = paragraphInputs
        c.endMatter = endMatter
        return c
    }

    typealias SetFunction = (StyledText, String, Pt, Bool, SourceLocation) -> [SetLine]
}
