/// Master pages: a composed page moved to its number in the issue, and the furniture every
/// article page carries — the running head and its rule, the folio.
import FolioCore

extension IssueComposer {
    /// The running head's baseline sits this far above the text area, its rule this far below
    /// the baseline (clear of the head's descenders and of the first line's ascent).
    static let runningHeadRaise: Pt = 14
    static let runningHeadRuleDrop: Pt = 4

    /// A page composed as number `page.number` moved to number `number`: on facing pages a change
    /// of side moves everything by the difference of the left margins (columns keep their width).
    func renumbered(_ page: Page, to number: Int) -> Page {
        var page = page
        let from = PageFrame(template: template, number: page.number), to = PageFrame(template: template, number: number)
        let dx = to.textArea.x - from.textArea.x
        if dx != 0 { page.items = page.items.map { $0.translated(dx: dx) } }
        page.number = number
        return page
    }

    /// Master-page furniture: the running head (magazine and issue on versos, section on rectos,
    /// none on an article's opening page) with a rule under it, and the folio at the outer foot.
    /// The running head is set in the page's language — a bilingual section title reads in the
    /// page's direction, and Mongolian in it is set horizontally (furniture never turns).
    public func decorate(_ page: Page, issue: Issue, section: String, opening: Bool, language: String = "zh-Hans") -> Page {
        var page = page
        let frame = PageFrame(template: template, number: page.number)
        let area = frame.textArea
        let f = template.furniture
        if f.runningHead && !opening {
            let text = frame.outerOnRight ? section : [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　")
            let style = template.style("running-head")
            if !text.isEmpty, let line = setLine(text, style, language: language) {
                let y = area.y - Self.runningHeadRaise
                let x = frame.outerOnRight ? area.maxX - line.width : area.x
                page.items.append(.text(TextItem(origin: Point(x: x, y: y), line: line, role: .runningHead)))
                page.items.append(.rect(RectItem(frame: Rect(x: area.x, y: y + Self.runningHeadRuleDrop, width: area.width, height: 0.5), fill: f.ruleColor)))
            }
        }
        if f.folio {
            let style = template.style("folio")
            if let line = setLine(String(page.number), style) {
                let y = page.trim.maxY - template.page.bottom / 2
                let x = frame.outerOnRight ? area.maxX - line.width : area.x
                page.items.append(.text(TextItem(origin: Point(x: x, y: y), line: line, role: .folio)))
            }
        }
        return page
    }

    func setLine(_ text: String, _ style: ParagraphStyle, language: String = "zh-Hans") -> SetLine? {
        var style = style
        style.alignment = .start
        style.firstLineIndent = 0
        var input = ParagraphInput(text: StyledText(text), style: style, language: language, location: SourceLocation(file: template.name))
        input.vertical = false
        let p = typesetter.set(input, measure: Self.furnitureMeasure)
        return p.lines.first
    }
}
