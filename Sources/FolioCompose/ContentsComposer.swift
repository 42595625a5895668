/// The contents page: the issue's sections in order with their articles' titles, dotted leaders
/// and page numbers flush with the measure's right edge, and under each title its deck and
/// author in small type (at most `deckLines` lines); each entry a link to its article. Entries
/// run across the text area, or in the grid's columns when one wide column would need more
/// than a page (`furniture.contents-columns`); with `contents-thumbnails` each shows its
/// article's lead image beside it. Built after the articles, when their page numbers are
/// known, and moved to the front by the writer; counted first by the same layout.
/// When no cover page is the imprint, the imprint (版权信息) closes the last contents page: a
/// rule, the magazine and issue, and the entries in the columns, on the foot of the grid.
import FolioCore

struct ContentsComposer {
    let template: Template
    let typesetter: any Typesetter

    /// Lines of deck and author under a title, at most.
    static let deckLines = 2
    /// Grid lines a thumbnail takes (and so an entry with one, at least).
    static let thumbnailLines = 3
    /// The grid line the entries start on, under the page's heading block.
    static let firstEntryLine = 6

    /// The deck and author line(s) of an entry: `deck　文／author`, in at most `deckLines` lines.
    /// A deck too long for them is cut so that the author still shows: to its whole sentences
    /// that fit, else to a clause and an ellipsis (the whole deck is printed at the article).
    /// Two lines whose second is short (a stub, `本课本。　文／林晓岚`, under a full line) are set
    /// balanced, as an opening's deck is: on the narrowest measure, in whole ems from half their
    /// length up, that keeps them two.
    func deck(_ article: Article, width: Pt) -> [SetLine] {
        let byline = template.labels(for: article.meta.language).byline
        let author = article.meta.author.map { byline + $0 }
        func text(_ deck: String?) -> String { [deck, author].compactMap { $0 }.joined(separator: "　") }
        guard !text(article.meta.deck).isEmpty else { return [] }
        let measure = width - 3 * template.grid.bodySize
        func lines(_ deck: String?, _ m: Pt) -> [SetLine] { set(text(deck), "contents-deck", m, language: article.meta.language) }
        var deck = article.meta.deck
        var setting = lines(deck, measure)
        if setting.count > Self.deckLines, let whole = deck,
           let cut = Self.shortened(whole, language: article.meta.language, fits: { lines($0, measure).count <= Self.deckLines }) {
            deck = cut
            setting = lines(cut, measure)
        }
        let em = template.style("contents-deck").size
        if setting.count == 2, setting[1].width < measure / 2, em > 0 {
            var m = ((setting[0].width + setting[1].width) / 2 / em).rounded(.up) * em
            while m < measure {
                let trial = lines(deck, m)
                if trial.count == 2 { setting = trial; break }
                m += em
            }
        }
        return Array(setting.prefix(Self.deckLines))
    }

    /// `deck` cut to what `fits`: its longest run of whole sentences, else up to a clause's end
    /// with an ellipsis (…… in Chinese), else letters with one; nil if nothing fits.
    static func shortened(_ deck: String, language: String, fits: (String) -> Bool) -> String? {
        let letters = Array(deck)
        let ellipsis = LanguageInfo(language).primary == "zh" ? "……" : "…"
        // The largest of `lengths` (ascending) whose prefix `fits` with `tail`, by halving.
        func longest(_ lengths: [Int], _ tail: String) -> String? {
            var (lo, hi, best) = (0, lengths.count - 1, nil as String?)
            while lo <= hi {
                let mid = (lo + hi) / 2, candidate = String(letters[..<lengths[mid]]) + tail
                if fits(candidate) { best = candidate; lo = mid + 1 } else { hi = mid - 1 }
            }
            return best
        }
        // A sentence ends after its mark and any closing quotes or brackets after it.
        let sentences = letters.indices.filter { k in
            "。！？.!?؟".contains(letters[k]) && (k + 1 == letters.count || !"”’」』）)".contains(letters[k + 1]))
                || ("”’」』）)".contains(letters[k]) && k > 0 && "。！？.!?؟".contains(letters[k - 1]))
        }.map { $0 + 1 }.filter { $0 < letters.count }
        let clauses = letters.indices.filter { k in k > 0 && "，、；：,;:،؛".contains(letters[k]) }
        return longest(sentences, "") ?? longest(clauses, ellipsis) ?? longest(Array(1..<max(1, letters.count)), ellipsis)
    }

    /// Whether the entries go in columns, decided once per issue by `pageCount` (auto: when one
    /// wide column would need more than a page) and kept for `compose`.
    private final class Decision { var columns: Bool? }
    private let decision = Decision()

    /// The lines set so far, by text, style, measure and language: the layout that counts the
    /// pages and the one that places the numbers set the same titles and decks on the same
    /// measures (a title's measure leaves room for any number), so the second sets only numbers.
    private struct Setting: Hashable { let text: String, style: String, measure: Pt, language: String }
    private let memo = LockedDictionary<Setting, [SetLine]>()

    /// Pages needed for `issue`'s entries (the same layout as `compose`: it does not depend on
    /// the page numbers, not known yet).
    func pageCount(for issue: Issue) -> Int {
        let starts = Array(repeating: 8888, count: issue.articles.count)
        switch template.furniture.contentsColumns {
        case 1?: decision.columns = false
        case 2?: decision.columns = true
        default:
            let wide = layout(issue, starts: starts, firstPage: 1, columns: false)
            decision.columns = wide.count > 1
            if wide.count == 1 { return 1 }
        }
        return layout(issue, starts: starts, firstPage: 1, columns: decision.columns!).count
    }

    /// The contents pages, numbered from `firstPage`, for articles starting on `starts` (by article index).
    func compose(_ issue: Issue, starts: [Int], firstPage: Int) -> [Page] {
        if decision.columns == nil { _ = pageCount(for: issue) }
        return layout(issue, starts: starts, firstPage: firstPage, columns: decision.columns!)
    }

    private func layout(_ issue: Issue, starts: [Int], firstPage: Int, columns: Bool) -> [Page] {
        var pages: [Page] = []
        var frame = PageFrame(template: template, number: firstPage)
        var items: [PageItem] = []
        var line = 0, column = 0
        var lowest = 0   // the lowest grid line used by an earlier lane of this page
        let pitch = frame.pitch
        let lanes = columns ? frame.columns.count : 1
        /// The current lane: the text area, or one of the grid's columns.
        var lane: (x: Pt, width: Pt) {
            columns ? (frame.columns[column].x, frame.columns[column].width) : (frame.textArea.x, frame.textArea.width)
        }
        func startPage() {
            frame = PageFrame(template: template, number: firstPage + pages.count)
            items = []
            let name = template.furniture.contentsTitle
            let title = set(pages.isEmpty ? name : name + template.labels(for: "zh-Hans").continued, "title", frame.textArea.width)
            for l in title { items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(1)), line: l, role: .contentsTitle))) }
            let label = [issue.magazine, issue.label].filter { !$0.isEmpty }.joined(separator: "　")
            for l in set(label, "deck", frame.textArea.width) {
                items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(3)), line: l, role: .contentsLabel)))
            }
            items.append(.rect(RectItem(frame: Rect(x: frame.textArea.x, y: frame.baseline(4), width: frame.textArea.width, height: 0.8),
                                        fill: template.furniture.ruleColor)))
            line = Self.firstEntryLine
            column = 0
            lowest = 0
        }
        func finishPage() {
            pages.append(Page(size: frame.media, trim: frame.trim, items: items, number: frame.number, articleID: nil))
        }
        /// Moves on to the next lane or page when `need` grid lines do not fit in this one.
        func room(_ need: Int) {
            guard line + need > frame.lineCount else { return }
            if column + 1 < lanes {
                lowest = max(lowest, line)
                column += 1
                line = Self.firstEntryLine
            } else {
                finishPage(); startPage()
            }
        }
        startPage()
        let em = template.grid.bodySize
        let numberRoom = set("8888", "folio", 100).first?.width ?? 2 * em
        var index = 0
        let documentLanguage = issue.sections.lazy.flatMap(\.articles).first?.meta.language
        for section in issue.sections {
            room(2 + min(1, section.articles.count))
            for l in set(section.title, "heading", lane.width) {
                items.append(.text(TextItem(origin: Point(x: lane.x, y: frame.baseline(line)), line: l, role: .contentsSection)))
                line += 1
            }
            for article in section.articles {
                let thumbnail = template.furniture.contentsThumbnails ? Issue.figures(in: article.blocks).first?.image : nil
                let thumbWidth = thumbnail == nil ? 0 : (Double(Self.thumbnailLines) * pitch - 0.3 * pitch) * 4 / 3
                let indent = thumbnail == nil ? 0 : thumbWidth + em
                let width = lane.width - indent
                let deckLines = deck(article, width: width)
                let number = set(String(starts[index]), "folio", 100).first
                let numberWidth = number?.width ?? 0
                // The title's measure leaves room for any page number up to four digits, so the
                // layout (and the page count taken before the numbers are known) never depends on them.
                let titleLines = set(article.meta.title, "contents-entry", width - numberRoom - 3 * em, language: article.meta.language)
                room(max(titleLines.count + deckLines.count, thumbnail == nil ? 1 : Self.thumbnailLines))
                let x = lane.x + indent
                // An entry in another language than the issue's says so (its /Lang in the tagged PDF).
                let language = article.meta.language == documentLanguage ? nil : article.meta.language
                for (k, l) in titleLines.enumerated() {
                    items.append(.text(TextItem(origin: Point(x: x, y: frame.baseline(line + k)), line: l, role: .contentsEntry, language: language)))
                }
                let lastLine = line + titleLines.count - 1
                let y = frame.baseline(lastLine)
                if let number {
                    items.append(.text(TextItem(origin: Point(x: x + width - numberWidth, y: y), line: number, role: .contentsPage)))
                }
                // Dotted leader from the title's end to the number: a dot every 3 pt, on a grid
                // shared by every entry (the dots of all leaders stand in columns).
                let from = x + (titleLines.last?.width ?? 0) + em / 2
                let first = (from / 3).rounded(.up) * 3
                var dots = 0
                while first + Double(dots) * 3 < x + width - numberWidth - em / 2 { dots += 1 }
                if dots > 0 {
                    var leader = RectItem(frame: Rect(x: first, y: y - 0.8, width: 0.8, height: 0.8), fill: Color(red: 0.45, green: 0.45, blue: 0.45))
                    (leader.copies, leader.step) = (dots, 3)
                    items.append(.rect(leader))
                }
                for (k, l) in deckLines.enumerated() {
                    items.append(.text(TextItem(origin: Point(x: x, y: frame.baseline(lastLine + 1 + k)), line: l, role: .contentsDeck, language: language)))
                }
                let top = frame.baseline(line) - IdeographicBox.ascent * em
                if let thumbnail {
                    let height = Double(Self.thumbnailLines) * pitch - 0.3 * pitch
                    items.append(.image(ImageItem(image: thumbnail, frame: Rect(x: lane.x, y: top, width: thumbWidth, height: height),
                                                 alt: article.meta.title, decorative: true)))
                }
                let used = max(titleLines.count + deckLines.count, thumbnail == nil ? 0 : Self.thumbnailLines)
                let bottom = frame.baseline(line + used - 1)
                items.append(.link(LinkItem(frame: Rect(x: lane.x, y: top, width: lane.width, height: bottom + 0.2 * pitch - top),
                                            destination: IssueComposer.anchorName(index))))
                line += used
                index += 1
            }
            line += 1
        }
        if issue.imprintOnContents {
            // The imprint spans the page's foot: under the lowest entry of every lane.
            if max(lowest, line) + imprintLines(issue) > frame.lineCount { finishPage(); startPage() }
            items += imprintItems(issue, frame)
        }
        finishPage()
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
            items.append(.text(TextItem(origin: Point(x: frame.textArea.x, y: frame.baseline(first)), line: l, role: .imprintTitle)))
        }
        for (c, column) in imprintColumns(issue, frame).enumerated() {
            for (k, l) in column.enumerated() {
                items.append(.text(TextItem(origin: Point(x: frame.columns[c].x, y: frame.baseline(first + 1 + k)), line: l, role: .imprint)))
            }
        }
        return items
    }

    /// `text` in `styleName` on `measure`; an entry's title and deck in its article's language
    /// (a Uyghur title shapes right to left), the page's own words in Chinese.
    private func set(_ text: String, _ styleName: String, _ measure: Pt, language: String = "zh-Hans") -> [SetLine] {
        let key = Setting(text: text, style: styleName, measure: measure, language: language)
        if let lines = memo.withLock({ $0[key] }) { return lines }
        let lines = typeset(text, styleName, measure, language: language)
        memo.withLock { $0[key] = lines }
        return lines
    }

    private func typeset(_ text: String, _ styleName: String, _ measure: Pt, language: String) -> [SetLine] {
        var style = template.style(styleName == "contents-entry" ? "contents" : styleName)
        // Entries read left to right on the page (title, leader, number): a right-to-left title
        // is shaped as it reads but placed flush left like the others.
        style.alignment = WritingMode(language: language).strategy.startAlignment
        style.firstLineIndent = 0
        return typesetter.set(ParagraphInput(text: StyledText(text), style: style, language: language,
                                             location: SourceLocation(file: template.name), indentFirstLine: false), measure: measure).lines
    }
}
