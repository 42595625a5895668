/// Composes one article into pages: the opening (kicker, title, deck, byline) across the
/// columns, then the body flowing through columns and pages on the baseline grid, figures with
/// their captions, and the credits at the end.
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
}

public struct ArticleComposer {
    public let template: Template
    public let typesetter: any Typesetter
    public var maxPages: Int = 2000

    public init(template: Template, typesetter: any Typesetter) {
        self.template = template; self.typesetter = typesetter
    }

    public func compose(_ article: Article, firstPage: Int) -> ComposedArticle {
        let flow = Flow(template: template, articleID: article.id, firstPage: firstPage, maxPages: maxPages)
        var log = DiagnosticLog()
        var setCount = 0
        let lang = article.meta.language
        let measure = flow.frame.measure

        func set(_ text: StyledText, _ styleName: String, measure m: Pt, indent: Bool = true, at loc: SourceLocation) -> [SetLine] {
            let p = typesetter.set(ParagraphInput(text: text, style: template.style(styleName), language: lang, location: loc,
                                                  indentFirstLine: indent), measure: m)
            log.append(contentsOf: p.diagnostics)
            setCount += text.scalarCount
            return p.lines
        }

        opening(article, flow, set: set)

        var afterBreak = true   // no indent right after a heading or figure? clreq C15 indents every paragraph
        func body(_ blocks: [Block], quoteDepth: Int) {
            for block in blocks {
                switch block {
                case .paragraph(let text, let loc):
                    let style = quoteDepth > 0 ? "quote" : "body"
                    let inset = Double(quoteDepth) * 2 * template.grid.bodySize
                    let lines = set(text, style, measure: measure - inset, at: loc)
                    flow.placeParagraph(lines, role: style, xOffset: inset)
                    afterBreak = false
                case .heading(let level, let text, let loc):
                    let styleName = level <= 2 ? "heading" : "subheading"
                    let style = template.style(styleName)
                    let lines = set(text, styleName, measure: measure, indent: false, at: loc)
                    flow.skip(style.spaceBefore)
                    // Headings take a whole number of grid lines: one more than their lines for level 2.
                    let grid = lines.count + (level <= 2 ? 1 : 0)
                    flow.placeBlock(lines, style: style, gridLines: grid, keepWith: 2, role: styleName)
                    afterBreak = true
                case .quote(let inner, _):
                    body(inner, quoteDepth: quoteDepth + 1)
                case .list(let ordered, let items, _):
                    for (n, item) in items.enumerated() {
                        let marker = ordered ? "\(n + 1). " : "• "
                        for (k, b) in item.enumerated() {
                            if k == 0, case .paragraph(var text, let loc) = b {
                                text = prefixed(marker, text)
                                let inset = Double(quoteDepth) * 2 * template.grid.bodySize
                                let lines = set(text, "list", measure: measure - inset, indent: false, at: loc)
                                flow.placeParagraph(lines, role: "list", xOffset: inset)
                            } else {
                                body([b], quoteDepth: quoteDepth + 1)
                            }
                        }
                    }
                case .figure(let f):
                    let prepared = prepare(f, measure: measure, lineCount: flow.frame.lineCount, set: set)
                    log.append(contentsOf: prepared.warnings)
                    flow.placeFigure(prepared)
                    afterBreak = true
                case .rule:
                    flow.skip(1)
                }
            }
        }
        body(article.blocks, quoteDepth: 0)
        _ = afterBreak
        credits(article, flow, set: set)

        let pages = flow.finish()
        if flow.overset {
            log.add(.error("the article needs more than \(maxPages) pages; the rest is not set (overset)", at: article.location))
        }
        let placed = pages.reduce(0) { total, page in
            total + page.items.reduce(0) { n, item in
                if case .text(let t) = item { return n + t.line.range.count } else { return n }
            }
        }
        return ComposedArticle(articleID: article.id, pages: pages, diagnostics: log.items,
                               charactersSet: setCount, charactersPlaced: placed)
    }

    private func prefixed(_ marker: String, _ text: StyledText) -> StyledText {
        let shift = marker.unicodeScalars.count
        var out = StyledText(marker + text.string)
        out.spans = text.spans.map { StyledSpan(range: ($0.range.lowerBound + shift)..<($0.range.upperBound + shift), style: $0.style) }
        return out
    }

    typealias SetFunction = (StyledText, String, Pt, Bool, SourceLocation) -> [SetLine]

    /// Kicker, title, deck and byline across all columns; the body starts below on the grid.
    private func opening(_ a: Article, _ flow: Flow, set: (StyledText, String, Pt, Bool, SourceLocation) -> [SetLine]) {
        let width = flow.frame.textArea.width
        let x = flow.frame.textArea.x
        var y = flow.slotTop(0)
        func block(_ text: String?, _ styleName: String, gapAfter: Pt) {
            guard let text, !text.isEmpty else { return }
            let style = template.style(styleName)
            let leading = style.leading ?? template.grid.pitch
            let lines = set(StyledText(text), styleName, width * (styleName == "title" ? 0.85 : 0.75), false, a.location)
            for l in lines {
                y += 0.88 * style.size
                flow.add(.text(TextItem(origin: Point(x: x, y: y), line: l, role: styleName)))
                y += leading - 0.88 * style.size
            }
            y += gapAfter
        }
        block(a.meta.kicker, "kicker", gapAfter: 6)
        block(a.meta.title, "title", gapAfter: 8)
        block(a.meta.deck, "deck", gapAfter: 6)
        let byline = [a.meta.author.map { "文／\($0)" }, a.meta.date].compactMap { $0 }.joined(separator: "　")
        block(byline, "byline", gapAfter: 6)
        // A rule under the opening, then body text from the next whole grid line (clreq C3).
        flow.add(.rect(RectItem(frame: Rect(x: x, y: y, width: width, height: 0.8), fill: template.furniture.ruleColor)))
        y += 0.8
        let used = Int(((y - flow.slotTop(0)) / flow.frame.pitch).rounded(.up)) + 1
        flow.reserveTop(used)
    }

    /// Source, author and editor credits in small type at the article's end.
    private func credits(_ a: Article, _ flow: Flow, set: (StyledText, String, Pt, Bool, SourceLocation) -> [SetLine]) {
        let parts = [a.meta.source.map { "来源：\($0)" }, a.meta.editor.map { "责编：\($0)" }].compactMap { $0 }
        guard !parts.isEmpty else { return }
        let style = template.style("credits")
        let lines = set(StyledText(parts.joined(separator: "　")), "credits", flow.frame.measure, false, a.location)
        flow.placeBlock(lines, style: style, gridLines: max(1, lines.count), keepWith: 0, role: "credits")
    }

    /// Scales a figure to the column width (or less, to fit a column) and sets its caption.
    private func prepare(_ f: Figure, measure: Pt, lineCount: Int, set: SetFunction) -> PreparedFigure {
        var log = DiagnosticLog()
        let pitch = template.grid.pitch
        let captionStyle = template.style("caption")
        var caption = f.caption
        if f.image == nil {
            caption = StyledText("［图片缺失：\(f.path)］" + (caption.string.isEmpty ? "" : " "))
            caption.append(f.caption.string)
        }
        let captionLines = caption.isBlank ? [] : set(caption, "caption", measure, false, f.location)
        let captionHeight = captionLines.isEmpty ? 0 : Double(captionLines.count - 1) * (captionStyle.leading ?? pitch) + captionStyle.size + 4
        let ratio = f.image.map { Double($0.pixelHeight) / Double(max(1, $0.pixelWidth)) } ?? 0.6
        var width = measure
        var height = width * ratio
        // A figure never takes more than the column (less the caption and one line of air).
        let maxHeight = Double(lineCount - 2) * pitch - captionHeight
        if height > maxHeight {
            height = maxHeight
            width = height / ratio
            log.warn("figure \(f.path) is taller than a column; scaled to \(Int(width)) × \(Int(height)) pt", at: f.location)
        }
        if let img = f.image {
            let ppi = Double(img.pixelWidth) / (width / 72)
            if ppi < 150 {
                log.warn("image \(f.path) has \(Int(ppi)) ppi at its placed size (print needs 300)", at: f.location)
            }
        }
        // Whole grid lines, plus one line of air below the caption.
        let total = height + captionHeight
        let lines = Int(((total + (pitch - template.grid.bodySize)) / pitch).rounded(.up)) + 1
        return PreparedFigure(figure: f, imageSize: Size(width: width, height: height), caption: captionLines,
                              captionStyle: captionStyle, gridLines: min(lines, lineCount), warnings: log.items)
    }
}
