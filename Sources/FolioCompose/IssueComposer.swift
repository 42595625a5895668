/// Composes a whole issue: articles in manifest order, each starting on a new page, numbered
/// consecutively, with running heads and folios added by the master-page step (`decorate`).
import FolioCore

public struct ComposedIssue: Sendable {
    public var pages: [Page]
    public var diagnostics: [Diagnostic]
    /// For each article, its id and the page range it occupies (for previews and outlines).
    public var articlePages: [(id: String, pages: ClosedRange<Int>)]
}

public struct IssueComposer {
    public let template: Template
    public let typesetter: any Typesetter

    public init(template: Template, typesetter: any Typesetter) {
        self.template = template; self.typesetter = typesetter
    }

    /// Composes articles one after another. `onPage` receives each finished page in order, so a
    /// writer can stream them; pages are not kept when `keepPages` is false.
    public func compose(_ issue: Issue, firstPage: Int = 1, keepPages: Bool = true,
                        onPage: (Page) throws -> Void) rethrows -> ComposedIssue {
        var next = firstPage
        var all: [Page] = []
        var diagnostics: [Diagnostic] = []
        var ranges: [(id: String, pages: ClosedRange<Int>)] = []
        let composer = ArticleComposer(template: template, typesetter: typesetter)
        for section in issue.sections {
            for article in section.articles {
                let composed = composer.compose(article, firstPage: next)
                diagnostics += composed.diagnostics
                if composed.charactersPlaced != composed.charactersSet {
                    diagnostics.append(.error("\(composed.charactersSet - composed.charactersPlaced) characters of the article were set but not placed on a page",
                                              at: article.location))
                }
                for (k, page) in composed.pages.enumerated() {
                    let decorated = decorate(page, issue: issue, section: section.title, opening: k == 0)
                    try onPage(decorated)
                    if keepPages { all.append(decorated) }
                }
                ranges.append((article.id, next...(next + composed.pages.count - 1)))
                next += composed.pages.count
            }
        }
        return ComposedIssue(pages: all, diagnostics: diagnostics, articlePages: ranges)
    }

    /// Master-page furniture: the running head (magazine and issue on versos, section on rectos,
    /// none on an article's opening page) with a rule under it, and the folio at the outer foot.
    public func decorate(_ page: Page, issue: Issue, section: String, opening: Bool) -> Page {
        var page = page
        let frame = PageFrame(template: template, number: page.number)
        let area = frame.textArea
        let f = template.furniture
        if f.runningHead && !opening {
            let text = frame.isRecto ? section : [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　")
            let style = template.style("running-head")
            if !text.isEmpty, let line = setLine(text, style) {
                let y = area.y - 14
                let x = frame.isRecto ? area.maxX - line.width : area.x
                page.items.append(.text(TextItem(origin: Point(x: x, y: y), line: line, role: "running-head")))
                page.items.append(.rect(RectItem(frame: Rect(x: area.x, y: y + 4, width: area.width, height: 0.5), fill: f.ruleColor)))
            }
        }
        if f.folio {
            let style = template.style("folio")
            if let line = setLine(String(page.number), style) {
                let y = page.trim.maxY - template.page.bottom / 2
                let x = frame.isRecto ? area.maxX - line.width : area.x
                page.items.append(.text(TextItem(origin: Point(x: x, y: y), line: line, role: "folio")))
            }
        }
        return page
    }

    private func setLine(_ text: String, _ style: ParagraphStyle) -> SetLine? {
        var style = style
        style.alignment = .start
        style.firstLineIndent = 0
        let p = typesetter.set(ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans",
                                              location: SourceLocation(file: template.name)), measure: 10_000)
        return p.lines.first
    }
}
