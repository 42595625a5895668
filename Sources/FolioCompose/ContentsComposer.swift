/// The contents page: the issue's sections in order with their articles' titles, dotted leaders
/// and page numbers flush with the measure's right edge, and under each title its deck and
/// author in small type (at most `deckLines` lines); each entry a link to its article. Built
/// after the articles, when their page numbers are known, and moved to the front by the writer.
/// When no cover page is the imprint, the imprint (版权信息) closes the last contents page: a
/// rule, the magazine and issue, and the entries in the columns, on the foot of the grid.
import FolioCore

struct ContentsComposer {
    let template: Template
    let typesetter: any Typesetter

    /// Grid lines one contents page holds for entries (below its heading block).
    func entriesPerPage() -> Int { max(4, PageFrame(template: template, number: 1).lineCount - 6) }

    /// Lines of deck and author under a title, at most.
    static let deckLines = 2

    /// The deck and author line(s) of an entry: `deck　文／author`.
    func deck(_ article: Article, width: Pt) -> [SetLine] {
        let text = [article.meta.deck, article.meta.author.map { "文／\($0)" }].compactMap { $0 }.joined(separator: "　")
        guard !text.isEmpty else { return [] }
        return Array(set(text, "contents-deck", width - 3 * template.grid.bodySize).prefix(Self.deckLines))
    }

    /// Pages needed for `issue`'s entries (as `compose` lays them out).
    func pageCount(for issue: Issue) -> Int {
        let width = PageFrame(template: template, number: 1).textArea.width
        var pages = 1, line = 0
        for section in issue.sections {
            if line + 2 + min(1, section.articles.count) > entriesPerPage() { pages += 1; line = 0 }
            line += 1
            for a in section.articles {
                let need = 1 + deck(a, width: width).count
                if line + need > entriesPerPage() { pages += 1; line = 0 }
                line += need
            }
            line += 1
        }
        if issue.imprintOnContents && line + imprintLines(issue) > entriesPerPage() { pages += 1 }
        return pages
    }

    /// The imprint's lines, column by column: `label：value`, each on its column's measure.
    private func imprintColumns(_ issue: Issue, _ frame: PageFrame) -> [[SetLine]] {
        let lines = issue.imprint.flatMap { set("\($0.label)：\($0.value)", "imprint", frame.columns[0].width) }
        let perColumn = (lines.count + frame.columns.count - 1) / max(1, frame.columns.count)
        return stride(from: 0, to: lines.count, by: max(1, perColumn)).map { Array(lines[$0..<min(lines.count, $0 + perColumn)]) }
    }

    /// Grid lines the imprint takes at the foot: a blank line with the rule, the title, the entries.
    private func imprintLines(_ issue: Issue) -> Int {
        2 + (imprintColumns(issue, PageFrame(template: template, number: 1)).map(\.count).max() ?? 0)
    }

    /// The imprint on the foot of `frame`'s grid.
    private func imprintItems(_ issue: Issue, _ frame: PageFrame) -> [PageItem] {
        let first = frame.lineCount - imprintLines(issue) + 1
        let ruleY = frame.baseline(first - 1) - 0.3 * frame.pitch
        var items: [PageItem] = [.rect(RectItem(frame: Rect(x: frame.textArea.x, y: ruleY, width: frame.textArea.width, height: 0.5),
                                                fill: template.furniture.ruleColor))]
        let title = [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　")
        for l in set(title, "imprint", frame.textArea.width).prefix(1) {
            items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(first)), line: l, role: "imprint-title")))
        }
        for (c, column) in imprintColumns(issue, frame).enumerated() {
            for (k, l) in column.enumerated() {
                items.append(.text(TextItem(origin: Point(x: frame.columns[c].x, y: frame.baseline(first + 1 + k)), line: l, role: "imprint")))
            }
        }
        return items
    }

    /// The contents pages, numbered from `firstPage`, for articles starting on `starts` (by article index).
    func compose(_ issue: Issue, starts: [Int], firstPage: Int) -> [Page] {
        var pages: [Page] = []
        var frame = PageFrame(template: template, number: firstPage)
        var items: [PageItem] = []
        var line = 0
        let pitch = frame.pitch
        func startPage() {
            frame = PageFrame(template: template, number: firstPage + pages.count)
            items = []
            let name = template.furniture.contentsTitle
            let title = set(pages.isEmpty ? name : name + "（续）", "title", frame.textArea.width)
            for l in title { items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(1)), line: l, role: "contents-title"))) }
            let label = [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　")
            for l in set(label, "deck", frame.textArea.width) {
                items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(3)), line: l, role: "contents-label")))
            }
            items.append(.rect(RectItem(frame: Rect(x: frame.textArea.x, y: frame.baseline(4), width: frame.textArea.width, height: 0.8),
                                        fill: template.furniture.ruleColor)))
            line = 6
        }
        func finishPage() {
            pages.append(Page(size: frame.media, trim: frame.trim, items: items, number: frame.number, articleID: nil))
        }
        startPage()
        let area = frame.textArea
        // Entries run across the text area, page numbers flush with its right edge.
        let width = area.width
        var index = 0
        for section in issue.sections {
            if line + 2 + min(1, section.articles.count) > frame.lineCount { finishPage(); startPage() }
            for l in set(section.title, "heading", width) {
                items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(line)), line: l, role: "contents-section")))
                line += 1
            }
            for article in section.articles {
                let deckLines = deck(article, width: width)
                if line + 1 + deckLines.count > frame.lineCount { finishPage(); startPage() }
                let x = frame.textArea.x
                let number = set(String(starts[index]), "folio", 100).first
                let numberWidth = number?.width ?? 0
                let titleLines = set(article.meta.title, "contents-entry", width - numberWidth - 3 * template.grid.bodySize)
                for (k, l) in titleLines.enumerated() {
                    items.append(.text(TextItem(origin: Point(x: x, y: frame.baseline(line + k)), line: l, role: "contents-entry")))
                }
                let lastLine = line + titleLines.count - 1
                let y = frame.baseline(lastLine)
                if let number {
                    items.append(.text(TextItem(origin: Point(x: x + width - numberWidth, y: y), line: number, role: "contents-page")))
                }
                // Dotted leader from the title's end to the number.
                let from = x + (titleLines.last?.width ?? 0) + template.grid.bodySize / 2
                var dot = (from / 3).rounded(.up) * 3
                while dot < x + width - numberWidth - template.grid.bodySize / 2 {
                    items.append(.rect(RectItem(frame: Rect(x: dot, y: y - 0.8, width: 0.8, height: 0.8), fill: Color(red: 0.45, green: 0.45, blue: 0.45))))
                    dot += 3
                }
                for (k, l) in deckLines.enumerated() {
                    items.append(.text(TextItem(origin: Point(x: x, y: frame.baseline(lastLine + 1 + k)), line: l, role: "contents-deck")))
                }
                let bottom = frame.baseline(lastLine + deckLines.count)
                let top = frame.baseline(line) - 0.88 * template.grid.bodySize
                items.append(.link(LinkItem(frame: Rect(x: x, y: top, width: width, height: bottom + 0.2 * pitch - top),
                                            destination: IssueComposer.anchorName(index))))
                line = lastLine + 1 + deckLines.count
                index += 1
            }
            line += 1
        }
        if issue.imprintOnContents {
            if line + imprintLines(issue) > frame.lineCount { finishPage(); startPage() }
            items += imprintItems(issue, frame)
        }
        finishPage()
        return pages
    }

    private func set(_ text: String, _ styleName: String, _ measure: Pt) -> [SetLine] {
        var style = template.style(styleName == "contents-entry" ? "contents" : styleName)
        style.alignment = .start
        style.firstLineIndent = 0
        return typesetter.set(ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans",
                                             location: SourceLocation(file: template.name), indentFirstLine: false), measure: measure).lines
    }
}
