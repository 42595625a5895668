/// The Pango seam with Folio's private font configuration: metrics at 72 dpi, values out,
/// uncovered characters reported.
@testable import FolioText
import CPangoCairo
import FolioCore
import XCTest

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

final class PangoTests: XCTestCase {
    nonisolated(unsafe) static let fonts = try! FontSystem(configFile: repoRoot + "/fonts/fonts.conf")

    func setter() -> PangoTypesetter { PangoTypesetter(fonts: PangoTests.fonts, template: Template()) }

    func body(_ text: String, alignment: Alignment = .justify) -> ParagraphInput {
        var style = Template().style("body")
        style.alignment = alignment
        return ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans", location: SourceLocation(file: "t.md"))
    }

    func testHanCharacterAdvancesOneEmAt72Dpi() {
        let shaped = PangoTests.fonts.shape(StyledText("汉字"), language: "zh-Hans") { _ in
            SpanFont(families: ["Noto Serif CJK SC"], size: 10, weight: 400)
        }
        XCTAssertEqual(shaped.clusters.count, 2)
        XCTAssertEqual(shaped.clusters[0].advance, 10, accuracy: 1e-6)
        XCTAssertTrue(shaped.fonts[0].ref.file.contains("NotoSerifCJK"), shaped.fonts[0].ref.file)
    }

    /// A justified line a few points too long closes up its ideographs instead of leaving its
    /// ellipsis alone below (Noto Serif CJK, the random articles' note); a ragged one (a deck, a
    /// caption) breaks as it did: it is never spaced, so it has nothing to spare.
    func testAJustifiedLineJustTooLongClosesUpAndARaggedOneBreaks() {
        let text = "马头琴——这件古老的乐器——又响了起来……"
        let natural = setter().set(body(text), measure: 1000).lines[0].width
        let measure = natural - 3
        let justified = setter().set(body(text), measure: measure)
        XCTAssertEqual(justified.lines.map(\.text), [text])
        XCTAssertLessThanOrEqual(justified.lines[0].width, measure + 0.01)
        XCTAssertEqual(setter().set(body(text, alignment: .start), measure: measure).lines.map(\.text), ["马头琴——这件古老的乐器——又响了起来", "……"])
    }

    /// A paragraph's last line never holds an ellipsis alone (clreq C16's spirit; found in a
    /// random article's block quote, 9.5 pt in a 200 pt column): with nothing else to give, its
    /// two lines before open by under 0.10 em instead, which a reader does not see as spaced.
    func testAnEllipsisIsNotLeftAloneOnAParagraphsLastLine() {
        var style = Template().style("quote")
        style.firstLineIndent = 2
        let text = "马头琴——这件古老的乐器——又响了起来……马头琴——这件古老的乐器——又响了起来……"
        let set = setter().set(ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans", location: SourceLocation(file: "t.md")), measure: 200)
        XCTAssertEqual(set.lines.map(\.text).joined(), text)
        XCTAssertGreaterThanOrEqual(set.lines.last!.text.filter(\.isLetter).count, 2, "\(set.lines.map(\.text))")
        XCTAssertTrue(set.lines.allSatisfy { $0.loose == nil }, "no line visibly spaced: \(set.lines.map(\.text))")
    }

    /// A full-width closing quote may end a line before a number or a Latin word, and an opening
    /// one start a line after it (UAX #14 alone glues quotation marks to a Latin neighbour, LB19);
    /// the marks that may not start a line still do not.
    func testAQuoteMayEndALineBeforeANumberOrALatinWord() {
        let text = "家的路。”2024 年，用 Excel“表格”记账"
        let shaped = PangoTests.fonts.shape(StyledText(text), language: "zh-Hans") { _ in
            SpanFont(families: ["Noto Serif CJK SC"], size: 10, weight: 400)
        }
        let built = ItemBuilder(rules: .chinese, em: 10).build(shaped)
        func after(_ prefix: String) -> BreakPermission {
            let end = prefix.unicodeScalars.count
            let k = shaped.clusters.firstIndex { $0.range.upperBound == end }!
            return built.items[k].breakAfter
        }
        XCTAssertEqual(after("家的路。”"), .allowed)
        XCTAssertEqual(after("家的路。”2024 年，用 Excel"), .allowed)
        XCTAssertEqual(after("家的路。"), .prohibited, "” may not start a line")
        XCTAssertEqual(after("家的路。”2024 年，用 Excel“"), .prohibited, "“ may not end a line")
        XCTAssertEqual(after("家的路。”20"), .prohibited)
    }

    func testOnlyConfiguredFamiliesAreSeen() {
        let families = PangoTests.fonts.familyNames()
        XCTAssertTrue(families.contains("Noto Serif CJK SC"))
        XCTAssertFalse(families.contains("DejaVu Sans"), "the machine's fonts leak into Folio's font map")
    }

    /// Fontconfig's default configuration is Folio's (the first font system's), so Pango's
    /// `FcInit` thread does not load the machine's before the first match waits for it.
    func testTheDefaultConfigurationIsFolios() throws {
        _ = PangoTests.fonts
        let current = try XCTUnwrap(FcConfigGetCurrent())
        guard let files = FcConfigGetConfigFiles(current) else { return XCTFail("no configuration files") }
        defer { FcStrListDone(files) }
        var names: [String] = []
        while let f = FcStrListNext(files) { names.append(String(cString: f)) }
        XCTAssertTrue(names.contains { $0.hasSuffix("/fonts.conf") && !$0.hasPrefix("/etc/") }, "\(names)")
        XCTAssertFalse(names.contains { $0.hasPrefix("/etc/fonts") }, "the machine's configuration was loaded: \(names)")
        // What asks for a generic family through it (an SVG's text, drawn by librsvg) gets Noto,
        // the Chinese forms of Han characters next.
        for (generic, first, han) in [("sans-serif", "Noto Sans", "Noto Sans CJK SC"), ("serif", "Noto Serif", "Noto Serif CJK SC")] {
            let pattern = FcPatternCreate()!
            defer { FcPatternDestroy(pattern) }
            FcPatternAddString(pattern, FC_FAMILY, generic)
            FcConfigSubstitute(current, pattern, FcMatchPattern)
            FcDefaultSubstitute(pattern)
            var result = FcResultMatch
            let sorted = try XCTUnwrap(FcFontSort(current, pattern, FcTrue, nil, &result))
            defer { FcFontSetDestroy(sorted) }
            let families: [String] = (0..<Int(sorted.pointee.nfont)).prefix(2).map { i in
                var name: UnsafeMutablePointer<FcChar8>?
                FcPatternGetString(sorted.pointee.fonts[i], FC_FAMILY, 0, &name)
                return name.map { String(cString: $0) } ?? ""
            }
            XCTAssertEqual(families, [first, han], generic)
        }
    }

    /// A font's ascent and descent are read from its HarfBuzz extents (`folio_font_extents`)
    /// instead of `pango_font_get_metrics`, which lays out a sample text per font: every family
    /// Folio configures, upright and bold, at body and heading sizes, gives Pango's values; a
    /// font set sideways (vertical gravity) is left to Pango and gives its values too.
    func testFontAscentAndDescentAreThoseOfPangoWithoutItsSampleText() throws {
        let fonts = PangoTests.fonts
        var fast = 0
        var loaded: [UnsafeMutablePointer<PangoFont>] = []   // alive to the end: `info(of:)` knows a font by its address
        defer { loaded.forEach { folio_object_unref($0) } }
        for family in fonts.familyNames() {
            for (size, weight, gravity) in [(10.0, PANGO_WEIGHT_NORMAL, PANGO_GRAVITY_SOUTH), (23.5, PANGO_WEIGHT_BOLD, PANGO_GRAVITY_SOUTH),
                                            (9.0, PANGO_WEIGHT_NORMAL, PANGO_GRAVITY_EAST)] {
                let desc = pango_font_description_new()
                defer { pango_font_description_free(desc) }
                pango_font_description_set_family(desc, family)
                pango_font_description_set_absolute_size(desc, size * Double(PANGO_SCALE))
                pango_font_description_set_weight(desc, weight)
                pango_font_description_set_gravity(desc, gravity)
                let font = try XCTUnwrap(pango_font_map_load_font(fonts.fontMap, fonts.context, desc), family)
                loaded.append(font)
                var up: Int32 = 0, down: Int32 = 0
                let described = pango_font_describe(font)
                defer { pango_font_description_free(described) }
                let measured = folio_font_extents(font, pango_font_description_get_gravity(described), &up, &down) != 0
                if measured { fast += 1 }
                XCTAssertEqual(measured, gravity == PANGO_GRAVITY_SOUTH, "\(family) \(gravity)")
                let metrics = pango_font_get_metrics(font, nil)
                defer { pango_font_metrics_unref(metrics) }
                let info = fonts.info(of: font)
                XCTAssertEqual(info.ascent, Double(pango_font_metrics_get_ascent(metrics)) / Double(PANGO_SCALE), "\(family) \(size) \(gravity)")
                XCTAssertEqual(info.descent, Double(pango_font_metrics_get_descent(metrics)) / Double(PANGO_SCALE), "\(family) \(size) \(gravity)")
            }
        }
        XCTAssertGreaterThan(fast, 20)
    }

    func testParagraphLinesCoverTheTextAndAreJustified() {
        let text = "清晨六点，天刚蒙蒙亮，巴音敖包苏木中心小学的操场上已经有了动静。值日的孩子们提着水桶穿过院子，炊事员把第一锅奶茶端上灶台，全苏木面积超过3200平方公里。"
        let p = setter().set(body(text), measure: 240)
        XCTAssertGreaterThan(p.lines.count, 2)
        XCTAssertEqual(p.lines.first?.range.lowerBound, 0)
        XCTAssertEqual(p.lines.last?.range.upperBound, text.unicodeScalars.count)
        for (a, b) in zip(p.lines, p.lines.dropFirst()) { XCTAssertEqual(a.range.upperBound, b.range.lowerBound) }
        XCTAssertEqual(p.lines.map { $0.runs.map(\.text).joined() }.joined(), text)
        for l in p.lines.dropLast() { XCTAssertEqual(l.width, 240, accuracy: 0.05) }
        // The first line carries the 2-em indent (clreq C15).
        XCTAssertEqual(p.lines[0].runs[0].glyphs[0].x, 20, accuracy: 1e-6)
    }

    func testUncoveredCharacterIsReportedWithCodePoint() {
        let p = setter().set(body("私用区\u{E000}字符"), measure: 240)
        XCTAssertEqual(p.diagnostics.count, 1)
        XCTAssertTrue(p.diagnostics[0].description.contains("U+E000"), p.diagnostics[0].description)
        XCTAssertEqual(p.lines.map { $0.runs.map(\.text).joined() }.joined(), "私用区\u{E000}字符")
    }

    func testClusterMapsMatchGlyphsAndText() {
        let p = setter().set(body("中文 mixed with English, ligatures: office ﬁ."), measure: 200)
        for line in p.lines {
            for run in line.runs {
                XCTAssertEqual(run.clusters.reduce(0) { $0 + $1.bytes }, run.text.utf8.count)
                XCTAssertEqual(run.clusters.reduce(0) { $0 + $1.glyphs }, run.glyphs.count)
            }
        }
    }
}

/// The minority scripts through the same engine: word breaking, direction, upright Han.
final class EditionScriptTests: XCTestCase {
    func setter() -> PangoTypesetter { PangoTypesetter(fonts: PangoTests.fonts, template: Template()) }

    func set(_ text: String, _ lang: String, measure: Pt = 200) -> SetParagraph {
        setter().set(ParagraphInput(text: StyledText(text), style: Template().style("body"), language: lang,
                                    location: SourceLocation(file: "t")), measure: measure)
    }

    func lineTexts(_ p: SetParagraph) -> [String] { p.lines.map(\.text) }

    func testKoreanBreaksOnlyBetweenWords() {
        let text = "이 선언의 어떠한 규정도 어떤 국가, 집단 또는 개인에게 이 선언에 규정된 어떠한 권리와 자유를 파괴하기 위한 활동에 가담하거나 또는 행위를 할 수 있는 권리가 있는 것으로 해석되어서는 아니된다."
        let p = set(text, "ko")
        XCTAssertGreaterThan(p.lines.count, 2)
        let words = Set(text.split(separator: " ").map(String.init))
        for line in lineTexts(p) {
            for w in line.split(separator: " ") { XCTAssertTrue(words.contains(String(w)), "'\(w)' is a broken word") }
        }
        XCTAssertEqual(lineTexts(p).joined(), text)
    }

    /// klreq K2's other mode (`hangul-breaks: characters`): lines break between any two
    /// syllables, never before a comma or period (K1), and the justified lines are flush with
    /// the space spread between syllables as well as words — where word mode, in the same
    /// narrow measure, opens a line's two or three word spaces by an em or more.
    /// Chinese words in a language justified at its word spaces are set solid, as its own words
    /// are: the line's spaces open, its ideographs never (random ko seed 2330 had set `民 族 网이`
    /// with 1.33 em between the ideographs, its spaces at ½ em; Uyghur and Kazakh the same).
    func testIdeographsInALanguageJustifiedAtItsSpacesStaySolid() {
        let texts = [("ko", "民族网이 선언의 어떠한 규정도 어떤 국가, 회원국들은 국제연합과 협력하여 인권과 기본적 자유의 보편적 존중과 준수를 증진할 것을 스스로 서약하였으며,"),
                     ("ug", "民族网 كىشىلىك ھوقۇقىغا ئېتىبارسىز قاراش ۋە ھاقارەت كەلتۈرۈش ئەۋج ئېلىپ كىشىلەرنىڭ ۋىجدانىنى بولغايدىغان")]
        for (language, text) in texts {
            // The ideographs' pen positions on a line: their run's first three glyphs, left to right.
            func han(_ line: SetLine) -> [Pt]? {
                line.runs.first { $0.text.hasPrefix("民族网") }.map { Array($0.glyphs.map(\.x).sorted().prefix(3)) }
            }
            let natural = try! XCTUnwrap(han(set(text, language, measure: 10_000).lines[0]))
            var justified = 0
            for measure in stride(from: 110.0, through: 240, by: 5) {
                let p = set(text, language, measure: measure)
                XCTAssertEqual(lineTexts(p).joined(), text)
                XCTAssertTrue(p.lines.allSatisfy { $0.loose == nil }, "\(language) at \(measure) pt: a letterspaced line")
                guard p.lines.count > 1, let xs = han(p.lines[0]) else { continue }
                justified += 1
                // Never opened (closed up by at most 1/32 em, a justified line's last resort, `Glue.tighten`).
                for k in 1...2 {
                    XCTAssertLessThanOrEqual(xs[k] - xs[k - 1], natural[k] - natural[k - 1] + 0.01, "\(language) at \(measure) pt")
                    XCTAssertGreaterThanOrEqual(xs[k] - xs[k - 1], natural[k] - natural[k - 1] - 10.0 / 32 - 0.01, "\(language) at \(measure) pt")
                }
            }
            XCTAssertGreaterThan(justified, 10, language)
        }
    }

    func testKoreanByCharactersBreaksInsideWordsAndSpreadsSpaceEvenly() {
        let text = "국가간에 우호관계의 발전을 증진하는 것이 필수적이며, 국제연합의 모든 사람들은 그 헌장에서 기본적 인권, 인간의 존엄과 가치, 그리고 남녀의 동등한 권리에 대한 신념을 재확인하였으며,"
        var template = Template()
        template.typography.hangulBreaks = .characters
        let style = Template().style("body")
        let input = ParagraphInput(text: StyledText(text), style: style, language: "ko", location: SourceLocation(file: "t"))
        let measure: Pt = 160
        let byCharacters = PangoTypesetter(fonts: PangoTests.fonts, template: template).set(input, measure: measure)
        let byWords = PangoTypesetter(fonts: PangoTests.fonts, template: Template()).set(input, measure: measure)
        XCTAssertEqual(lineTexts(byCharacters).joined(), text)
        let words = Set(text.split(separator: " ").map(String.init))
        let broken = lineTexts(byCharacters).dropLast().filter { line in !line.hasSuffix(" ") && !(line.split(separator: " ").last.map { words.contains(String($0)) } ?? true) }
        XCTAssertFalse(broken.isEmpty, "some line ends inside a word: \(lineTexts(byCharacters))")
        for line in lineTexts(byCharacters) { XCTAssertFalse(line.hasPrefix(",") || line.hasPrefix("."), "K1: '\(line)'") }
        for line in byCharacters.lines.dropLast() { XCTAssertEqual(line.width, measure, accuracy: 0.05, line.text) }

        /// The farthest two neighbouring glyphs of a line are apart, less an em, in ems (a
        /// syllable is about an em wide; a word space is a glyph of its own).
        func widestGap(_ line: SetLine) -> Pt {
            let glyphs = line.runs.flatMap(\.glyphs).sorted { $0.x < $1.x }
            let em = style.size
            return zip(glyphs, glyphs.dropFirst()).map { ($1.x - $0.x) / em - 1 }.max() ?? 0
        }
        let loosestByWords = byWords.lines.dropLast().map(widestGap).max() ?? 0
        let loosestByCharacters = byCharacters.lines.dropLast().map(widestGap).max() ?? 0
        XCTAssertGreaterThan(loosestByWords, 1, "word mode opens a word space by more than an em in this measure")
        XCTAssertLessThan(loosestByCharacters, 0.25, "character mode: no two glyphs a quarter em farther apart than an em")

        // A number keeps the counter after it (2024년, 15일): no line starts with the counter.
        let dated = ParagraphInput(text: StyledText("국제연합은 2024년 6월 15일에 인권과 기본적 자유를 100% 존중하는 세계 인권 선언을 다시 확인하였다."),
                                   style: style, language: "ko", location: SourceLocation(file: "t"))
        for measure in stride(from: 100.0, through: 200, by: 10) {
            let lines = lineTexts(PangoTypesetter(fonts: PangoTests.fonts, template: template).set(dated, measure: measure))
            for (a, b) in zip(lines, lines.dropFirst()) {
                XCTAssertFalse(a.last?.isNumber == true && b.unicodeScalars.first.map { (0xAC00...0xD7A3).contains($0.value) } == true,
                               "'\(a)' | '\(b)' at \(measure) pt")
            }
        }
    }

    func testUyghurRunsRightToLeftAndJustifies() {
        let text = "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى ئەتراپ قىلىشنىڭ دۇنياۋى ئەركىنلىك"
        let p = set(text, "ug")
        XCTAssertGreaterThan(p.lines.count, 1)
        XCTAssertEqual(lineTexts(p).joined(), text)
        // The first line is justified with its indent on the right: it ends at 200 − 20.
        let first = p.lines[0]
        let xs = first.runs.flatMap { $0.glyphs.map(\.x) }
        XCTAssertEqual(xs.min() ?? -1, 0, accuracy: 0.5)
        XCTAssertEqual(first.width, 180, accuracy: 0.05)
        // The last line is flush right.
        XCTAssertEqual(p.lines.last!.width, 200, accuracy: 0.05)
        XCTAssertTrue(p.diagnostics.isEmpty, "\(p.diagnostics)")
    }

    func testNumbersInsideUyghurRunLeftToRight() {
        let p = set("يىلى 2024 ئۆتكۈزۈلدى", "ug", measure: 400)
        let run = p.lines[0].runs.first { $0.text.contains("2") }!
        XCTAssertEqual(run.text.unicodeScalars.filter { $0.properties.numericType != nil }.count, 4)
        // In visual order the glyphs of "2024" go left to right: x grows along the logical digits.
        let line = p.lines[0]
        var digitX: [Pt] = []
        for r in line.runs { for (k, c) in r.text.unicodeScalars.enumerated() where c.properties.numericType != nil && k < r.glyphs.count { digitX.append(r.glyphs[k].x) } }
        XCTAssertEqual(digitX.count, 4, "every digit of 2024 has its glyph")
        XCTAssertEqual(digitX, digitX.sorted())
    }

    /// A Latin word cut at a line's end in Uyghur text stands at the line's left end (the end of a
    /// right-to-left line), not at its right: its hyphen follows its last letter there. Before, the
    /// hyphen was placed at the line's right edge as in a left-to-right line, and was not seen:
    /// "UN" ended the line with a blank where its hyphen should be.
    func testALatinWordCutInARightToLeftLineKeepsItsHyphen() {
        let text = "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ internationalization ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك"
        var cut = 0
        for measure in stride(from: 120.0, through: 220, by: 10) {
            let p = set(text, "ug", measure: measure)
            XCTAssertEqual(lineTexts(p).joined(), text)
            for line in p.lines.dropLast() where line.text.unicodeScalars.last.map({ ("a"..."z").contains($0) }) == true {
                cut += 1
                // The run of the cut word: one glyph more than its letters (the hyphen, with no
                // text), right of them and left of every glyph of the line's Uyghur runs right of them.
                let run = line.runs.first { $0.text.unicodeScalars.contains { ("a"..."z").contains($0) } }!
                let letters = run.text.unicodeScalars.filter { !$0.properties.isWhitespace }.count
                XCTAssertEqual(run.glyphs.count, letters + 1, "\(measure) pt: a hyphen after '\(run.text)'")
                let hyphen = run.glyphs.max { $0.x < $1.x }!.x, lettersEnd = run.glyphs.map(\.x).sorted().dropLast().last!
                XCTAssertGreaterThan(hyphen, lettersEnd, "\(measure) pt")
                let rightOfIt = line.runs.filter { $0.backward }.flatMap(\.glyphs).map(\.x).filter { $0 > lettersEnd }
                XCTAssertFalse(rightOfIt.isEmpty, "\(measure) pt: Uyghur to the right of the cut word")
                XCTAssertLessThan(hyphen, rightOfIt.min()!, "\(measure) pt: the hyphen beside its word, not at the line's right edge")
            }
        }
        XCTAssertGreaterThan(cut, 0, "some measure cuts the Latin word")
    }

    func testHanStaysUprightInVerticalMongolian() {
        let p = set("ᠬᠦᠮᠦᠨ ᠪᠦᠷ 世界 ᠲᠥᠷᠥᠵᠦ 2024", "mn", measure: 300)
        let runs = p.lines.flatMap(\.runs)
        XCTAssertTrue(runs.contains { $0.upright && $0.text.contains("世界") })
        XCTAssertFalse(runs.contains { $0.upright && ($0.text.contains("ᠬ") || $0.text.contains("2")) })
        XCTAssertTrue(p.diagnostics.isEmpty, "\(p.diagnostics)")
    }
}

/// clreq C19: Latin words break only at dictionary hyphenation points, with a visible hyphen.
final class HyphenationTests: XCTestCase {
    func testDictionaryPoints() throws {
        let h = try XCTUnwrap(Hyphenator.englishUS(), "hyphen-en-us is not installed (make test installs it)")
        XCTAssertEqual(h.points("hyphenation"), [2, 6])            // hy-phen-ation
        XCTAssertEqual(h.points("cat"), [])
        XCTAssertEqual(h.points("Typography").isEmpty, false)
    }

    func testLinesEndInsideWordsOnlyAtHyphenationPointsWithAHyphen() throws {
        let h = try XCTUnwrap(Hyphenator.englishUS())
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        let text = "Typography is the craft of arranging type to make written language legible, readable and appealing when displayed, especially considering hyphenation dictionaries and characteristically long words."
        let p = ts.set(ParagraphInput(text: StyledText(text), style: Template().style("body"), language: "zh-Hans",
                                      location: SourceLocation(file: "t")), measure: 150)
        let scalars = Array(text.unicodeScalars)
        var hyphenated = 0
        for line in p.lines.dropLast() {
            let end = line.range.upperBound
            let inWord = scalars[end - 1].properties.isAlphabetic && scalars[end].properties.isAlphabetic
            guard inWord else { continue }
            hyphenated += 1
            // The word and the offset inside it: a dictionary point.
            var start = end - 1
            while start > 0, scalars[start - 1].properties.isAlphabetic { start -= 1 }
            var stop = end
            while stop < scalars.count, scalars[stop].properties.isAlphabetic { stop += 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<stop]))
            XCTAssertTrue(h.points(word).contains(end - start), "\(word) broken at \(end - start)")
            // One more glyph than clusters with text: the hyphen.
            let glyphs = line.runs.reduce(0) { $0 + $1.glyphs.count }
            let mapped = line.runs.reduce(0) { $0 + $1.clusters.filter { $0.bytes > 0 }.reduce(0) { $0 + $1.glyphs } }
            XCTAssertEqual(glyphs, mapped + 1)
            XCTAssertLessThanOrEqual(line.width, 150.05)
        }
        XCTAssertGreaterThan(hyphenated, 0)
    }
}

/// alreq A5: Uyghur is hyphenated by syllables, joined forms kept, the hyphen a tatweel after a gap.
final class UyghurHyphenationTests: XCTestCase {
    func testSyllableBreaks() {
        func breaks(_ w: String) -> [String] {
            let s = Array(w.unicodeScalars)
            var parts: [String] = [], from = 0
            for b in UyghurHyphenation.syllableBreaks(s) + [s.count] {
                parts.append(String(String.UnicodeScalarView(s[from..<b]))); from = b
            }
            return parts
        }
        XCTAssertEqual(breaks("شۇنىڭدەك"), ["شۇ", "نىڭ", "دەك"])          // shu-niŋ-dek
        XCTAssertEqual(breaks("ئائىلىسى"), ["ئا", "ئى", "لىسى"])            // the hamza carrier opens a syllable
        XCTAssertEqual(breaks("ھوقۇقىنى"), ["ھو", "قۇ", "قىنى"])            // never fewer than three letters after
        XCTAssertEqual(breaks("ئەركىنلىك"), ["ئەر", "كىن", "لىك"])          // VC-CV
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        XCTAssertEqual(ts.hyphenationPoints(Array("ۋە 2024-يىلى".unicodeScalars), language: LanguageInfo("ug")), [])
        // A word written against ideographs (a Chinese name, a link's words) is a word of its
        // own; against digits it is not. (A quote's `بولغانلىقى، 民族网كىشىلىك` had its line
        // opened by 1.11 em: the word after 民族网 could not be cut.)
        let word = ts.hyphenationPoints(Array("كىشىلىك".unicodeScalars), language: LanguageInfo("ug"))
        XCTAssertFalse(word.isEmpty)
        XCTAssertEqual(ts.hyphenationPoints(Array("民族网كىشىلىك".unicodeScalars), language: LanguageInfo("ug")), Set(word.map { $0 + 3 }))
        XCTAssertEqual(ts.hyphenationPoints(Array("كىشىلىك民族网".unicodeScalars), language: LanguageInfo("ug")), word)
        XCTAssertEqual(ts.hyphenationPoints(Array("2024كىشىلىك".unicodeScalars), language: LanguageInfo("ug")), [])
    }

    func testHyphenatedLinesKeepJoinedFormsAndEndInATatweelMark() throws {
        let text = "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى ئەتراپ قىلىشنىڭ دۇنياۋى ئەركىنلىك، ھەققانىيەت ۋە تىنچلىقنىڭ ئاساسى ئىكەنلىكى"
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        func set(_ measure: Pt) -> SetParagraph {
            ts.set(ParagraphInput(text: StyledText(text), style: Template().style("body"), language: "ug",
                                  location: SourceLocation(file: "t")), measure: measure)
        }
        // The unbroken shaping: the glyphs of the whole paragraph on one line.
        let one = set(10_000)
        XCTAssertEqual(one.lines.count, 1)
        let used = Set(one.lines[0].runs.flatMap { $0.glyphs.map(\.id) })

        let scalars = Array(text.unicodeScalars)
        var hyphenated = 0
        for measure in stride(from: 90.0, through: 160, by: 10) {
            let p = set(measure)
            XCTAssertEqual(p.lines.map(\.text).joined(), text, "nothing lost at \(measure) pt")
            for line in p.lines.dropLast() {
                let end = line.range.upperBound
                guard UyghurHyphenation.isLetter(scalars[end - 1]), UyghurHyphenation.isLetter(scalars[end]) else { continue }
                hyphenated += 1
                // The break is a syllable boundary.
                var start = end - 1
                while start > 0, UyghurHyphenation.isLetter(scalars[start - 1]) { start -= 1 }
                var stop = end
                while stop < scalars.count, UyghurHyphenation.isLetter(scalars[stop]) { stop += 1 }
                XCTAssertTrue(UyghurHyphenation.syllableBreaks(Array(scalars[start..<stop])).contains(end - start))
                // The mark: one glyph without text, leftmost on the line, a tatweel.
                let glyphs = line.runs.flatMap(\.glyphs)
                let marks = line.runs.flatMap { run -> [PlacedGlyph] in
                    var g = 0, out: [PlacedGlyph] = []
                    for c in (run.backward ? run.clusters.reversed() : run.clusters) {
                        if c.bytes == 0 { out += run.glyphs[g..<(g + c.glyphs)] }
                        g += c.glyphs
                    }
                    return out
                }
                let leftmost = try XCTUnwrap(glyphs.min { $0.x < $1.x })
                XCTAssertTrue(marks.contains { $0.x == leftmost.x }, "the mark is at the line's left end")
                // Joined forms kept: every other glyph of the line is one the unbroken shaping used.
                for g in glyphs where !marks.contains(where: { $0.x == g.x && $0.id == g.id }) {
                    XCTAssertTrue(used.contains(g.id), "glyph \(g.id) is not in the unbroken shaping")
                }
                XCTAssertLessThanOrEqual(line.width, measure + 0.05)
            }
        }
        XCTAssertGreaterThan(hyphenated, 0, "narrow columns hyphenate")
    }
}

/// alreq A4: kashida justification lengthens one join per word with tatweel glyphs that carry no text.
final class KashidaTests: XCTestCase {
    /// Never between lam and alef, whose ligature is obligatory: the Uyghur edition's first
    /// line had drawn `ئىنسانلـار` (lam, a tatweel, a final alef) for ئىنسانلار.
    func testAKashidaNeverPartsLamAndAlef() {
        var template = Template()
        template.typography.kashida = true
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: template)
        let text = "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى ئەتراپ قىلىشنىڭ دۇنياۋى ئەركىنلىك، ئىنسانلار ئادەملار قىلىشلار"
        var kashidas = 0
        for measure in stride(from: 150.0, through: 260, by: 10) {
            let p = ts.set(ParagraphInput(text: StyledText(text), style: template.style("body"), language: "ug",
                                          location: SourceLocation(file: "t")), measure: measure)
            XCTAssertEqual(p.lines.map(\.text).joined(), text)
            for line in p.lines.dropLast() {
                for run in line.runs {
                    // The run's clusters in logical order, each with its text ("" for a tatweel).
                    var offset = 0
                    let bytes = Array(run.text.utf8)
                    let texts = run.clusters.map { c -> String in
                        defer { offset += c.bytes }
                        return String(decoding: bytes[offset..<(offset + c.bytes)], as: UTF8.self)
                    }
                    for (k, c) in run.clusters.enumerated() where c.bytes == 0 && c.glyphs > 0 && k > 0 && k + 1 < texts.count {
                        kashidas += 1
                        let before = texts[..<k].last { !$0.isEmpty }?.unicodeScalars.last, after = texts[(k + 1)...].first { !$0.isEmpty }?.unicodeScalars.first
                        XCTAssertFalse(before == "\u{0644}" && after == "\u{0627}", "\(measure) pt: a kashida between lam and alef in '\(line.text)'")
                    }
                }
            }
        }
        XCTAssertGreaterThan(kashidas, 0)
    }


    func testKashidaLengthensOneJoinPerWordAndKeepsTheText() {
        var template = Template()
        template.typography.kashida = true
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: template)
        let text = "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى ئەتراپ قىلىشنىڭ دۇنياۋى ئەركىنلىك"
        let p = ts.set(ParagraphInput(text: StyledText(text), style: template.style("body"), language: "ug",
                                      location: SourceLocation(file: "t")), measure: 200)
        XCTAssertEqual(p.lines.map(\.text).joined(), text)
        // Lengthened joins: tatweel glyphs in clusters with no text — all but the hyphen mark a
        // line cut inside a word ends in (its leftmost glyph, alreq A5).
        let scalars = Array(text.unicodeScalars)
        func joins(_ line: SetLine) -> [Pt] {
            let end = line.range.upperBound
            let cut = end < scalars.count && UyghurHyphenation.isLetter(scalars[end - 1]) && UyghurHyphenation.isLetter(scalars[end])
            let leftmost = line.runs.flatMap(\.glyphs).map(\.x).min() ?? 0
            return line.runs.flatMap { run -> [Pt] in
                var g = 0, xs: [Pt] = []
                // Clusters are in logical order for backward runs; glyph order is visual: walk glyph counts.
                let counts = run.backward ? run.clusters.reversed() : run.clusters
                for c in counts {
                    if c.bytes == 0 && c.glyphs > 0 && !(cut && run.glyphs[g].x == leftmost) { xs.append(run.glyphs[g].x) }
                    g += c.glyphs
                }
                return xs
            }
        }
        let groups = p.lines.dropLast().reduce(0) { $0 + joins($1).count }
        XCTAssertGreaterThan(groups, 0)
        // Never stacked: no lengthened join within ¾ em of one on the line above.
        for (a, b) in zip(p.lines, p.lines.dropFirst()) {
            for x in joins(b) { XCTAssertFalse(joins(a).contains { abs($0 - x) < 0.75 * 10 }, "stacked kashida at \(x)") }
        }
        let words = text.split(separator: " ").count
        XCTAssertLessThanOrEqual(groups, words, "at most one lengthened join per word")
        // Without the option there are none.
        let plain = PangoTypesetter(fonts: PangoTests.fonts, template: Template()).set(
            ParagraphInput(text: StyledText(text), style: template.style("body"), language: "ug", location: SourceLocation(file: "t")), measure: 200)
        XCTAssertEqual(plain.lines.reduce(0) { $0 + joins($1).count }, 0)
    }
}
