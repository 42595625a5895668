/// The `Typesetter` Folio uses for real pages: shape once with Pango (`FontSystem.shape`),
/// collect break items by the language rules (`ItemBuilder`), break (`LineBreaker`), and
/// finalize each line into glyph runs positioned by `Justifier`.
import FolioCore
import Foundation

public final class PangoTypesetter: Typesetter {
    public let fonts: FontSystem
    public let template: Template
    public var breaker: any LineBreaker
    /// Dictionary hyphenation for Latin words (nil: no patterns installed; overlong words are
    /// still cut). The process's patterns, loaded the first time a paragraph has a Latin word to
    /// hyphenate (most Chinese pages have none: a preview does not pay for them).
    public lazy var hyphenator: Hyphenator? = Hyphenator.shared

    /// Room kept for the hyphen that marks a cut inside an overlong word: about ⅓ em and a
    /// little more, in body ems.
    static let emergencyHyphenEms = 0.4

    public init(fonts: FontSystem, template: Template, breaker: (any LineBreaker)? = nil) {
        self.fonts = fonts; self.template = template
        // Overlong words are cut with a hyphen of about ⅓ em (clreq C19: broken visibly, never overflowing).
        let greedy = GreedyBreaker(emergencyHyphen: template.grid.bodySize * Self.emergencyHyphenEms)
        self.breaker = breaker ?? (template.typography.breaker == .greedy ? greedy : TotalFitBreaker(fallback: greedy))
    }

    public func set(_ paragraph: ParagraphInput, measure: Pt) -> SetParagraph {
        let style = paragraph.style
        let info = LanguageInfo(paragraph.language)
        // Code runs left to right in a right-to-left article too (a program is read so).
        let rightToLeft = info.rightToLeft && !paragraph.leftToRight
        let vertical = paragraph.vertical ?? info.vertical
        // Vertical Chinese uses the fonts' vertical forms of punctuation (`vert`, clreq C22).
        let verticalCJK = vertical && info.script != .mongolian
        let em = style.size
        let rules = LineRules.forLanguage(paragraph.language, level: template.typography.kinsoku, hangul: template.typography.hangulBreaks)
        let (shaped, built) = prepare(paragraph, info: info, rightToLeft: rightToLeft, vertical: vertical, verticalCJK: verticalCJK, rules: rules)
        let indent = paragraph.indentFirstLine ? style.firstLineIndent * em : 0
        let measures = Measures(first: measure - indent, rest: measure - paragraph.hanging)
        var breaker = self.breaker
        if var totalFit = breaker as? TotalFitBreaker, rules.justifiesAtWordSpaces {
            // Only word spaces stretch and shrink (Korean, Arabic script, Mongolian): a tight
            // space is as visible as a loose one, so TeX's reference and a dear shrink.
            totalFit.stretchReference = 1
            totalFit.shrinkCost = 4
            totalFit.visibleRatio = nil
            breaker = totalFit
        }
        if style.alignment != .justify, var totalFit = breaker as? TotalFitBreaker {
            // Closing up ideographs is a justified line's last resort: a line set ragged (a deck,
            // a title, a caption) is never letterspaced, and a balanced deck would close up
            // every line to come out narrower.
            totalFit.tightening = nil
            breaker = totalFit
        }
        if paragraph.looseness != 0, var totalFit = breaker as? TotalFitBreaker {
            if paragraph.looseness < 0 {
                totalFit.lineCost = 1e12   // fewest lines first (squeezing the marks clreq C14 lets squeeze)
                totalFit.tightening = nil  // (not closing up the ideographs of every line it can)
            } else {
                totalFit.extraLines = paragraph.looseness
            }
            breaker = totalFit
        }
        let ranges = built.items.isEmpty ? [] : breaker.breakLines(built.items, measures: measures)

        var lines: [SetLine] = []
        var overfull: [Diagnostic] = []
        var items = built.items              // a line's glue may change (kashida) once its breaks are chosen
        var previousKashidas: [Pt] = []
        lines.reserveCapacity(ranges.count)
        for (n, r) in ranges.enumerated() {
            let isLast = n == ranges.count - 1
            let lineMeasure = measures(n)
            let justify = style.alignment == .justify && !isLast && !endsInForcedBreak(r, shaped)
            var layout = Justifier.layout(items, r, measure: lineMeasure, justify: justify, em: em)
            if template.typography.kashida {
                // alreq A4: lengthened joins never stack on adjacent lines. A join close to one the
                // line above lengthened stays as it is, and the line is justified again without it.
                // (Re-justifying moves the other joins: repeat until none clashes.)
                for _ in 0..<4 {
                    let here = kashidaPositions(items, r, layout, rightToLeft: rightToLeft)
                    let clashing = here.filter { p in previousKashidas.contains { abs($0 - p.x) < 0.75 * em } }
                    if clashing.isEmpty { break }
                    for c in clashing { items[c.index].gap = .fixed }
                    layout = Justifier.layout(items, r, measure: lineMeasure, justify: justify, em: em)
                }
                previousKashidas = kashidaPositions(items, r, layout, rightToLeft: rightToLeft).map(\.x)
            }
            // Where the line starts: the indent is at the paragraph's start side (the right in
            // right-to-left text), and start/end alignment follows the direction (alreq A2).
            let slack = lineMeasure - layout.width
            var offset: Pt
            switch (style.alignment, rightToLeft) {
            case (.justify, false), (.start, false): offset = 0
            case (.justify, true), (.start, true): offset = slack
            case (.center, _): offset = slack / 2
            case (.end, false): offset = slack
            case (.end, true): offset = 0
            }
            if n == 0 && !rightToLeft { offset += indent }
            if n > 0 && !rightToLeft { offset += paragraph.hanging }   // (right to left: its measure ends short of the left)
            let lastItem = built.items[r.upperBound - 1]
            // A hyphen marks a cut inside a Latin word only; display text cut inside a long
            // Chinese word (no line could hold it) takes none. (Nor does an address: its breaks are allowed.)
            let latinCut = CharClass.of(shaped.scalars[shaped.clusters[r.upperBound - 1].range.upperBound - 1]) == .word
            // Nor does code: a hyphen would be read as part of it (its next line hangs instead).
            let cutInWord = !isLast && !shaped.isCode(cluster: r.upperBound - 1) && ((lastItem.breakAfter == .prohibited && latinCut) || lastItem.hyphenates)
            lines.append(finalize(shaped, r, layout: layout, items: items, shift: built.shift, offset: offset, color: style.color,
                                  hyphen: cutInWord ? (lastItem.hyphenates ? .reserved : .appended) : .none,
                                  vertical: vertical, uprightMarks: verticalCJK))
            if justify && layout.letterspacing >= LooseLine.visible * em - 1e-9 {
                lines[lines.count - 1].loose = LooseLine(letterspacing: layout.letterspacing / em, location: paragraph.location)
            }
            if layout.width > lineMeasure + 0.5 {
                let text = String(String.UnicodeScalarView(shaped.scalars[lines[lines.count - 1].range]))
                overfull.append(.warning("line wider than the column by \(String(format: "%.1f", layout.width - lineMeasure)) pt: \(text)",
                                         at: paragraph.location, code: "overfull-line"))
            }
        }
        return SetParagraph(lines: lines, diagnostics: uncoveredDiagnostics(shaped, paragraph) + overfull)
    }

    /// The fonts for a span style under a paragraph style.
    func spanFont(_ style: ParagraphStyle, _ inline: InlineStyle, language: String = "zh-Hans") -> SpanFont {
        let primary = LanguageInfo(language).script
        var role = template.font(style.font)
        switch inline {
        case .regular: break
        case .emphasis: role = template.font("emphasis")
        case .strong: role.weight = 700
        case .code: role = template.font("mono")
        }
        return SpanFont(families: role.familyList(primary: primary), size: style.size, weight: style.weight ?? role.weight)
    }

    /// The paragraph shaped and made into break items: everything that does not depend on the
    /// measure or the looseness, kept for the last `preparedKept` paragraphs. The composer sets a
    /// paragraph again at another looseness (to fill a page) or measure (beside a figure): of
    /// the text a previewed article set, more than half had been shaped before.
    private func prepare(_ paragraph: ParagraphInput, info: LanguageInfo, rightToLeft: Bool, vertical: Bool, verticalCJK: Bool,
                         rules: LineRules) -> (ShapedParagraph, ItemBuilder.Result) {
        let key = PreparedKey(text: paragraph.text, style: paragraph.style, language: paragraph.language, vertical: vertical, rightToLeft: rightToLeft)
        if let p = prepared[key] { return p }
        let shaped = fonts.shape(paragraph.text, language: paragraph.language, rightToLeft: rightToLeft,
                                 features: verticalCJK ? "vert 1, vrt2 1" : nil) {
            spanFont(paragraph.style, $0, language: paragraph.language)
        }
        var builder = ItemBuilder(rules: rules, em: paragraph.style.size, typography: template.typography)
        builder.vertical = vertical
        if paragraph.style.breaksBetweenWords && info.script == .han {
            builder.wordBreaks = WordBreaks.displayBreaks(shaped.scalars, language: paragraph.language)
        }
        builder.hyphenationPoints = hyphenationPoints(shaped.scalars, language: info)
        let made = (shaped, builder.build(shaped))
        if preparedOrder.count >= Self.preparedKept { prepared[preparedOrder.removeFirst()] = nil }
        preparedOrder.append(key)
        prepared[key] = made
        return made
    }
    private struct PreparedKey: Hashable {
        let text: StyledText
        let style: ParagraphStyle
        let language: String
        let vertical: Bool
        let rightToLeft: Bool
    }
    private var prepared: [PreparedKey: (ShapedParagraph, ItemBuilder.Result)] = [:]
    private var preparedOrder: [PreparedKey] = []
    static let preparedKept = 64

    private func endsInForcedBreak(_ r: Range<Int>, _ p: ShapedParagraph) -> Bool {
        let end = p.clusters[r.upperBound - 1].range.upperBound
        return end < p.mustBreakBefore.count && p.mustBreakBefore[end]
    }

    /// Builds glyph runs (one per font) for the clusters `r` at the positions of `layout`:
    /// visual order, positions in it, runs, tatweel in lengthened joins, the hyphen of a cut
    /// word (the steps are in LineFinish.swift).
    func finalize(_ p: ShapedParagraph, _ r: Range<Int>, layout: LineLayout, items: [BreakItem], shift: [Pt], offset: Pt, color: Color,
                  hyphen: HyphenPlacement = .none, vertical: Bool = false, uprightMarks: Bool = false) -> SetLine {
        let base = r.lowerBound, lastIndex = r.upperBound - 1
        let order = VisualOrder.order(r.map { p.clusters[$0].level }).map { $0 + base }
        // Widths as the breaker saw them: a space is all glue, so one ending the line takes no room.
        let xOf = VisualOrder.positions(order.map { $0 - base }, logical: layout.x) { i in
            i == layout.x.count - 1 ? items[base + i].width - items[base + i].endTrim : items[base + i].width
        }
        func x(_ idx: Int) -> Pt { offset + xOf[idx - base] + shift[idx] }
        var runs = RunBuilder(p, color: color)
        var ascent: Pt = 0, descent: Pt = 0
        var hyphenDrawn = false
        for (k, idx) in order.enumerated() {
            let cl = p.clusters[idx]
            // In vertical lines Han characters stay upright; marks turn with the line (mlreq M2, clreq C22).
            let upright = vertical && {
                let cls = CharClass.of(p.scalars[cl.range.lowerBound])
                return cls == .ideograph || cls == .hangul || (uprightMarks && cls.isCJK)
            }()
            runs.use(font: cl.font, upright: upright, rtl: cl.rtl)
            let info = p.fonts[cl.font]
            ascent = max(ascent, info.ascent); descent = max(descent, info.descent)
            var pen = x(idx)
            if idx == lastIndex && hyphen == .reserved && cl.rtl, case let mark = info.hyphenMark(rightToLeft: true), mark.glyph != 0 {
                // A hyphenated right-to-left word: the mark goes at its end, on its left (alreq A5).
                runs.add(PlacedGlyph(id: mark.glyph, x: pen, y: 0))
                runs.piece(bytes: 0..<0, glyphs: 1, start: cl.range.lowerBound)
                pen += mark.advance
                hyphenDrawn = true
            }
            // A space ending the line keeps its text but draws nothing past the measure.
            let trailingSpace = idx == lastIndex && p.scalars[cl.range.lowerBound].properties.isWhitespace
            let glyphs = trailingSpace ? [] : p.glyphs[cl.glyphs].map { PlacedGlyph(id: $0.id, x: pen + $0.dx, y: $0.dy) }
            glyphs.forEach { runs.add($0) }
            runs.piece(bytes: cl.bytes, glyphs: glyphs.count, start: cl.range.lowerBound)
            if idx == lastIndex && hyphen == .reserved && !cl.rtl, info.hyphen.glyph != 0 {
                // A cut left-to-right word: its hyphen follows it, in the room the breaker kept
                // there — the line's end, or, in a right-to-left line, the word's left end.
                runs.add(PlacedGlyph(id: info.hyphen.glyph, x: pen + cl.advance, y: 0))
                runs.piece(bytes: 0..<0, glyphs: 1, start: cl.range.lowerBound)
                hyphenDrawn = true
            }
            // A lengthened join (kashida) between this letter and the next: tatweel glyphs, which carry no text.
            if k + 1 < order.count, abs(order[k + 1] - idx) == 1, items[min(idx, order[k + 1])].gap.kind == .kashida {
                let fill = Kashida.fill(from: pen + cl.advance, to: x(order[k + 1]), tatweel: info.tatweel)
                fill.forEach { runs.add($0) }
                if !fill.isEmpty { runs.piece(bytes: 0..<0, glyphs: fill.count, start: cl.range.lowerBound) }
            }
        }
        // A word cut because it is longer than the line ends in a hyphen (a glyph with no text).
        var width = offset + layout.width
        if hyphen != .none, !hyphenDrawn, let font = runs.font, p.fonts[font].hyphen.glyph != 0 {
            let h = p.fonts[font].hyphen
            // A dictionary break already counted the hyphen in the line; a forced cut adds it.
            runs.add(PlacedGlyph(id: h.glyph, x: hyphen == .reserved ? width - h.advance : width, y: 0))
            runs.piece(bytes: 0..<0, glyphs: 1, start: runs.lastStart)
            if hyphen == .appended { width += h.advance }
        }
        runs.flush()
        let range = p.clusters[r.lowerBound].range.lowerBound..<p.clusters[lastIndex].range.upperBound
        var line = SetLine(runs: runs.runs, width: width, ascent: ascent, descent: descent, range: range)
        // The links (or their parts) on the line, where their clusters are drawn (along a
        // vertical line too: the drawer turns it onto the page) — an opening mark from its ink
        // on: its blank left half may lie over the character before it (`见《`, squeezed).
        line.links = p.links.compactMap { link in
            var start = Pt.infinity, end = -Pt.infinity
            for idx in r where link.range.contains(p.clusters[idx].range.lowerBound) {
                let cl = p.clusters[idx]
                let blank = CharClass.of(p.scalars[cl.range.lowerBound]) == .opening ? cl.advance / 2 : 0
                start = min(start, x(idx) + blank); end = max(end, x(idx) + items[idx].width)
            }
            return start < end ? LineLink(start: start, end: end, uri: link.uri) : nil
        }
        return line
    }

    /// The lengthened joins of a line: the item before each, and where the tatweel starts on the
    /// page (from the line's left end; right-to-left lines are mirrored).
    func kashidaPositions(_ items: [BreakItem], _ r: Range<Int>, _ layout: LineLayout, rightToLeft: Bool) -> [(index: Int, x: Pt)] {
        r.dropLast().compactMap { k in
            guard items[k].gap.kind == .kashida else { return nil }
            let i = k - r.lowerBound
            let end = layout.x[i] + items[k].width, length = layout.x[i + 1] - end
            guard length > 0.01 else { return nil }
            return (k, rightToLeft ? layout.width - end - length : end)
        }
    }

    /// Whether a line ends in a hyphen, and whether its width already holds it.
    enum HyphenPlacement { case none, reserved, appended }

    /// Hyphenation points of a paragraph: its Latin words (ASCII letters, 5 or more) from the
    /// dictionary, and in Uyghur its Arabic-script words by syllables (alreq A5).
    func hyphenationPoints(_ scalars: [Unicode.Scalar], language: LanguageInfo) -> Set<Int> {
        var points = Set<Int>()
        // Whole words only: not part of a URL, an address or an identifier.
        func isLetter(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") }
        let latin = Self.words(in: scalars, isLetter: isLetter, shortest: 5, gluedBefore: { "/@._-:0123456789".unicodeScalars.contains($0) },
                               gluedAfter: { "/@_-:0123456789".unicodeScalars.contains($0) })
        if !latin.isEmpty, let hyphenator {
            for word in latin {
                for p in hyphenator.points(String(String.UnicodeScalarView(scalars[word]))) { points.insert(word.lowerBound + p) }
            }
        }
        if language.primary == "ug" {
            // Not glued to digits, Latin or a hyphen already in the text. An ideograph is a word
            // of its own (a Chinese name in the text, or a link's words, written against the
            // Uyghur word): the word beside it is hyphenated as any other.
            let glued = { (s: Unicode.Scalar) in
                (s.properties.isAlphabetic && !s.properties.isIdeographic) || s.properties.numericType != nil || s == "-"
            }
            for word in Self.words(in: scalars, isLetter: UyghurHyphenation.isLetter, shortest: UyghurHyphenation.shortest,
                                   gluedBefore: glued, gluedAfter: glued) {
                for p in UyghurHyphenation.syllableBreaks(Array(scalars[word])) { points.insert(word.lowerBound + p) }
            }
        }
        return points
    }

    /// The maximal runs of letters of `shortest` or more that no glued character touches.
    static func words(in scalars: [Unicode.Scalar], isLetter: (Unicode.Scalar) -> Bool, shortest: Int,
                      gluedBefore: (Unicode.Scalar) -> Bool, gluedAfter: (Unicode.Scalar) -> Bool) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            guard isLetter(scalars[i]) else { i += 1; continue }
            var j = i
            while j < scalars.count, isLetter(scalars[j]) { j += 1 }
            if j - i >= shortest && !(i > 0 && gluedBefore(scalars[i - 1])) && !(j < scalars.count && gluedAfter(scalars[j])) {
                words.append(i..<j)
            }
            i = j
        }
        return words
    }

    /// One warning per character no configured font covers: the character, its code point, where.
    func uncoveredDiagnostics(_ p: ShapedParagraph, _ input: ParagraphInput) -> [Diagnostic] {
        var seen = Set<Unicode.Scalar>()
        return p.uncovered.compactMap { i in
            let s = p.scalars[i]
            guard !s.properties.isWhitespace, seen.insert(s).inserted else { return nil }
            let code = String(s.value, radix: 16, uppercase: true)
            return Diagnostic(template.typography.uncoveredIsError ? .error : .warning,
                              "no configured font covers '\(s)' (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)), character \(i + 1) of the paragraph",
                              at: input.location, code: "uncovered-character")
        }
    }
}
