/// Article openings — kicker, headline, deck, byline: a banner across all columns or the
/// first ones, or, in vertical lines, the first lines of the page's bands; each writing mode's
/// strategy says which (`WritingModeStrategy.opening`) — and the credits block at an article's end,
/// with Folio's other words in the article's language.
import FolioCore

extension ArticleComposer {
    /// Display text may fill the first page's text area but for this many grid lines, so that
    /// the body starts on the opening page; what does not fit is reported as overset, never
    /// drawn off the page.
    static let bodyLinesUnderOpening = 3

    /// The error for display text that does not fit its opening.
    static func oversetDisplay(_ field: String, lost: Int, of total: Int, in a: Article) -> Diagnostic {
        Diagnostic(.error, "the \(field) is too long for the article's opening: \(lost) of its \(total) characters do not fit on the first page; shorten it",
                   at: a.location, code: "overset")
    }

    /// The article's opening as its writing mode lays it out; returns the items and the grid
    /// lines they take, so the body starts on a whole grid line after them (clreq C3).
    func opening(_ a: Article, variant: OpeningVariant, set: SetFunction, overset: inout [Diagnostic]) -> Opening {
        a.meta.writingMode.strategy.opening(a, by: self, variant: variant, set: set, overset: &overset)
    }

    /// Kicker, title, deck and byline across all columns (or the variant's first ones), each
    /// line from the start edge (the right edge in right-to-left articles).
    func bannerOpening(_ a: Article, variant: OpeningVariant, strategy: any WritingModeStrategy, set: SetFunction,
                       overset: inout [Diagnostic]) -> Opening {
        let frame = PageFrame(template: template, number: 1)
        let span = min(variant.span ?? frame.columns.count, frame.columns.count)
        let width = frame.columns[span - 1].maxX - frame.columns[0].x
        let top = frame.firstBaseline - IdeographicBox.ascent * template.grid.bodySize
        let limit = frame.textArea.maxY - frame.textArea.y - Pt(Self.bodyLinesUnderOpening) * frame.pitch
        var y = top
        var items: [PageItem] = []
        // The opening is laid out from the text area's left edge; `Flow` pages shift it per side.
        func block(_ text: String?, _ styleName: String, field: TextRole, gapAfter: Pt) {
            guard let text, !text.isEmpty else { return }
            let style = template.style(styleName)
            let leading = style.leading ?? template.grid.pitch
            // Headlines take most of the width, decks and bylines a little less; a one-column
            // opening uses the whole column.
            let share = span == 1 && frame.columns.count > 1 ? 1 : (styleName == variant.titleStyle ? 0.85 : 0.75)
            // Titles and decks of several lines are balanced (on word boundaries: display styles break between words).
            let lines = styleName == variant.titleStyle || styleName == "deck"
                ? balanced(text, styleName, width * share, a.location, language: a.meta.language, set: set)
                : set(StyledText(text), styleName, width * share, false, a.location)
            for (n, l) in lines.enumerated() {
                guard y + leading <= limit else {
                    overset.append(Self.oversetDisplay(field.rawValue, lost: lines[n...].reduce(0) { $0 + $1.range.count }, of: text.unicodeScalars.count, in: a))
                    break
                }
                y += IdeographicBox.ascent * style.size
                let x = strategy.inlineStart(offset: 0, length: l.width, in: width)
                items.append(.text(TextItem(origin: Point(x: x, y: y), line: l, role: field)))   // what it is, whatever its style
                y += leading - IdeographicBox.ascent * style.size
            }
            y += gapAfter
        }
        block(a.meta.kicker, "kicker", field: .kicker, gapAfter: 6)
        block(a.meta.title, variant.titleStyle, field: .title, gapAfter: 8)
        block(a.meta.deck, "deck", field: .deck, gapAfter: 6)
        block(byline(a), "byline", field: .byline, gapAfter: 6)
        // The body starts on a whole grid line at least a pitch under the rule; the rule then
        // stands `ruleGap` pitches above the body's first line (the top of its ideographs), the
        // same in every opening, whatever depth its headline, deck and byline add up to — left
        // where they end, the gap under it went from 1 to 2 pitches with them (31 pt under a
        // brief's byline, 19 under a feature's two-line deck).
        let (lines, rule) = Self.ruleAndLines(after: y - top, pitch: frame.pitch)
        return Opening(items: items, rule: .rect(RectItem(frame: Rect(x: 0, y: top + rule, width: width, height: Self.ruleWeight), fill: template.furniture.ruleColor)),
                       lines: lines)
    }

    /// The gap between the opening's rule and the body's first line, in pitches: it moves the
    /// rule at most a fifth of a pitch up from where the byline's air ends, never onto the byline.
    static let ruleGap: Pt = 1.2
    static let ruleWeight: Pt = 0.8

    /// An opening whose kicker, title, deck and byline end `depth` from its start (along the
    /// line progression): the whole grid lines it takes — the body starts at least a pitch past
    /// a rule there — and where its rule then goes, `ruleGap` pitches before the body.
    static func ruleAndLines(after depth: Pt, pitch: Pt) -> (lines: Int, rule: Pt) {
        let lines = Int(((depth + ruleWeight) / pitch).rounded(.up)) + 1
        return (lines, Pt(lines) * pitch - ruleGap * pitch - ruleWeight)
    }

    /// The byline: the author after the language's label (`文／`) and the date as the language
    /// writes it, parted by a middle dot (after a bare blank, the date's first digit would read
    /// as a loose Han–Latin space) — in every writing mode's opening.
    func byline(_ a: Article) -> String {
        let labels = template.labels(for: a.meta.language)
        return [a.meta.author.map { labels.byline + $0 }, a.meta.date.map { Self.displayDate($0, language: a.meta.language) }]
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// An article's date as its language writes it: `2024年6月12日` in Chinese, `2024년 6월 12일` in
    /// Korean, ISO elsewhere (the ISO date stays in the metadata).
    static func displayDate(_ text: String, language: String) -> String {
        guard let d = CalendarDate(text) else { return text }
        switch LanguageInfo(language).primary {
        case "zh": return "\(d.year)年\(d.month)月" + (d.day.map { "\($0)日" } ?? "")
        case "ko": return "\(d.year)년 \(d.month)월" + (d.day.map { " \($0)일" } ?? "")
        default: return text
        }
    }

    /// A headline of several lines set as evenly as it goes: the narrowest measure (in ems) that
    /// keeps the same number of lines, so the last line is not a stub.
    func balanced(_ text: String, _ styleName: String, _ measure: Pt, _ loc: SourceLocation, language: String,
                          set: SetFunction) -> [SetLine] {
        let first = set(StyledText(text), styleName, measure, false, loc)
        guard first.count > 1 else { return first }
        let em = template.style(styleName).size
        var best = first, m = measure - em
        while m > measure / 2 {
            // Trial settings bypass `set`: the text was counted once, by the first setting.
            let trial = typesetter.set(ParagraphInput(text: StyledText(text), style: template.style(styleName), language: language,
                                                      location: loc, indentFirstLine: false), measure: m).lines
            guard trial.count == first.count else { break }
            best = trial
            m -= em
        }
        return best
    }

    /// The opening in vertical lines: kicker, title, deck and byline as lines down the whole
    /// text area from its start edge (the left, or the right when lines advance leftward), then
    /// a rule; the body starts on the next grid line.
    func bandOpening(_ a: Article, strategy: any WritingModeStrategy, set: SetFunction, overset: inout [Diagnostic]) -> Opening {
        let frame = PageFrame(template: template, number: 1, mode: a.meta.writingMode)
        let area = frame.textArea
        // `x` runs along the progression from the start edge.
        var x: Pt = 0
        let limit = area.width - Pt(Self.bodyLinesUnderOpening) * frame.pitch
        var items: [PageItem] = []
        func block(_ text: String?, _ styleName: String, field: TextRole, gapAfter: Pt) {
            guard let text, !text.isEmpty else { return }
            let style = template.style(styleName)
            let leading = style.leading ?? template.grid.pitch
            let lines = set(StyledText(text), styleName, area.height * 0.85, false, a.location)
            for (n, l) in lines.enumerated() {
                guard x + leading <= limit else {
                    overset.append(Self.oversetDisplay(field.rawValue, lost: lines[n...].reduce(0) { $0 + $1.range.count }, of: text.unicodeScalars.count, in: a))
                    break
                }
                let fromEdge = x + strategy.baselineFromStart * style.size
                items.append(.text(TextItem(origin: Point(x: strategy.progressionStart(offset: fromEdge, thickness: 0, in: area.width), y: area.y), line: l,
                                            role: field, vertical: strategy.linesVertical)))
                x += leading
            }
            x += gapAfter
        }
        block(a.meta.kicker, "kicker", field: .kicker, gapAfter: 4)
        block(a.meta.title, "title", field: .title, gapAfter: 6)
        block(a.meta.deck, "deck", field: .deck, gapAfter: 4)
        block(byline(a), "byline", field: .byline, gapAfter: 4)
        let (lines, rule) = Self.ruleAndLines(after: x, pitch: frame.pitch)
        return Opening(items: items, rule: .rect(RectItem(frame: Rect(x: strategy.progressionStart(offset: rule, thickness: Self.ruleWeight, in: area.width),
                                                                      y: area.y, width: Self.ruleWeight, height: area.height),
                                                          fill: template.furniture.ruleColor)),
                       lines: lines)
    }

    /// Source and editor credits in small type at the article's end, closed by the end mark.
    func credits(_ a: Article, measure: Pt, set: SetFunction) -> FlowBlock? {
        let mark = template.furniture.endMark
        let labels = template.labels(for: a.meta.language)
        let parts = [a.meta.source.map { labels.source + $0 }, a.meta.editor.map { labels.editor + $0 }].compactMap { $0 } + (mark.isEmpty ? [] : [mark])
        guard !parts.isEmpty else { return nil }
        let lines = set(StyledText(parts.joined(separator: "　")), "credits", measure, false, a.location)
        return .block(lines: lines, style: template.style("credits"), gridLines: max(1, lines.count), keepWith: 0, spaceBefore: 0, role: .credits)
    }

    /// `article`'s blocks with Folio's own words in them in the article's language: the heading
    /// over its gathered footnotes (`注释`, `주석`: `Labels.notes`).
    func blocksInLanguage(_ article: Article) -> [Block] {
        var blocks = article.blocks
        if let k = article.notesHeading, k < blocks.count, case .heading(let level, _, let at) = blocks[k] {
            blocks[k] = .heading(level: level, text: StyledText(template.labels(for: article.meta.language).notes), location: at)
        }
        return blocks
    }
}

/// An article's opening as its writing mode lays it out: the display lines (kicker, title, deck,
/// byline), the rule under them, and the whole grid lines it takes before the body (clreq C3).
/// The rule is kept apart: it belongs to the body's first line, `ruleGap` pitches before it.
struct Opening {
    var items: [PageItem]
    var rule: PageItem
    var lines: Int

    /// Everything it draws, the rule last.
    var drawn: [PageItem] { items + [rule] }

    /// Made `lines` grid lines deep (not shallower than it is): the body starts lower, and the
    /// rule goes down with it, keeping its gap (a horizontal opening: lines advance down the page).
    mutating func deepened(to lines: Int, pitch: Pt) {
        guard lines > self.lines else { return }
        rule = rule.translated(dx: 0, dy: Pt(lines - self.lines) * pitch)
        self.lines = lines
    }
}
