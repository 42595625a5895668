/// Chinese finish (issue 12) on the real fonts: a mark squeezes on the side its ink leaves
/// blank in the font used (clreq C8, C11), U+3000 is a full em, Han–Latin spaces grow last and
/// never past their cap (C12, C14), names like 阿Q never open up, compressed pairs stay closed.
@testable import FolioText
import FolioCore
import XCTest

final class ChineseFinishTests: XCTestCase {
    func shaped(_ text: String, family: String = "Noto Serif CJK SC", language: String = "zh-Hans") -> ShapedParagraph {
        PangoTests.fonts.shape(StyledText(text), language: language) { _ in SpanFont(families: [family], size: 10, weight: 400) }
    }

    func set(_ text: String, measure: Pt = 400, alignment: Alignment = .start) -> SetParagraph {
        var style = Template().style("body")
        style.alignment = alignment
        let input = ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans", location: SourceLocation(file: "t.md"),
                                   indentFirstLine: false)
        return PangoTypesetter(fonts: PangoTests.fonts, template: Template()).set(input, measure: measure)
    }

    /// The interpunct of a name written in Chinese (U+00B7 beside a Han character) is the
    /// full-width mark clreq's 间隔号 is, its dot centred; between Latin letters and in Korean it
    /// stays Latin's narrow middle dot.
    func testANamesInterpunctIsFullWidthBesideChinese() {
        func advance(_ text: String, language: String = "zh-Hans", family: String = "Noto Serif CJK SC") -> Pt {
            let p = shaped(text, family: family, language: language)
            return p.clusters.first { p.scalars[$0.range.lowerBound] == "\u{B7}" }?.advance ?? -1
        }
        XCTAssertEqual(advance("阿依古丽·买买提"), 10, accuracy: 0.01)
        XCTAssertEqual(advance("一二·九运动"), 10, accuracy: 0.01)
        XCTAssertLessThan(advance("Tom·Jerry"), 5)
        XCTAssertLessThan(advance("3·1 운동과 한·일", language: "ko", family: "Noto Serif CJK KR"), 5)
        let p = shaped("阿依古丽·买买提")
        XCTAssertEqual(p.clusters.first { p.scalars[$0.range.lowerBound] == "\u{B7}" }?.inkSide, .centre)
        // A line a quarter em too long takes it from the interpunct, an eighth on each side,
        // before any gap between ideographs closes; its dot stays centred between the names.
        let text = "阿依古丽·买买提和巴特尔·道尔吉是老师"            // 19 ems and 。 at the end, ½
        var style = Template().style("body")
        style.alignment = .justify
        let input = ParagraphInput(text: StyledText(text + "。他们好"), style: style, language: "zh-Hans", location: SourceLocation(file: "t.md"),
                                   indentFirstLine: false)
        let first = PangoTypesetter(fonts: PangoTests.fonts, template: Template()).set(input, measure: 192.5).lines[0]
        XCTAssertEqual(first.text, text + "。")
        let x = xs(first)
        XCTAssertEqual(x[4] - x[3], 10 - 0.625, accuracy: 0.02)       // 丽 → · : 1 em less ⅛ × ½
        XCTAssertEqual(x[5] - x[4], 10 - 0.625, accuracy: 0.02)       // · → 买
        XCTAssertEqual(x[2] - x[1], 10, accuracy: 0.01)                // 依 → 古: solid
    }

    /// A paragraph set again (another measure, looseness, first-line indent) from the shaping
    /// the typesetter kept is set exactly as a fresh typesetter sets it; more paragraphs than it
    /// keeps push the oldest out, and setting that one again is still the same.
    func testAParagraphSetAgainIsSetAsAFreshTypesetterSetsIt() {
        let template = Template()
        var style = template.style("body")
        style.alignment = .justify
        func input(_ k: Int, looseness: Int = 0, indent: Bool = true) -> ParagraphInput {
            var p = ParagraphInput(text: StyledText("第\(k)段：" + String(repeating: "草原上的学校迎来了新的学生，老师们忙着准备课本。", count: 3)),
                                   style: style, language: "zh-Hans", location: SourceLocation(file: "t.md"), indentFirstLine: indent)
            p.looseness = looseness
            return p
        }
        let kept = PangoTypesetter(fonts: PangoTests.fonts, template: template)
        func fresh(_ p: ParagraphInput, _ measure: Pt) -> SetParagraph { PangoTypesetter(fonts: PangoTests.fonts, template: template).set(p, measure: measure) }
        _ = kept.set(input(0), measure: 240)
        for (p, measure) in [(input(0, looseness: 1), 240.0), (input(0, looseness: -1), 240), (input(0), 200), (input(0, indent: false), 240)] {
            XCTAssertEqual(kept.set(p, measure: measure), fresh(p, measure))
        }
        // The same text in another style or language is shaped anew.
        var larger = input(0)
        larger.style.size = 12
        XCTAssertEqual(kept.set(larger, measure: 240), fresh(larger, 240))
        var korean = input(0)
        korean.language = "ko"
        XCTAssertEqual(kept.set(korean, measure: 240), fresh(korean, 240))
        for k in 1...PangoTypesetter.preparedKept + 1 { _ = kept.set(input(k), measure: 240) }
        XCTAssertEqual(kept.set(input(0, looseness: 1), measure: 220), fresh(input(0, looseness: 1), 220))
        XCTAssertNotEqual(kept.set(input(0), measure: 240).lines.count, kept.set(input(0), measure: 120).lines.count)
    }

    /// Pen positions of the glyphs of a one-font line, in text order.
    func xs(_ line: SetLine) -> [Pt] { line.runs.flatMap { $0.glyphs.map(\.x) } }

    /// `looseness` −1 sets a paragraph in one line fewer when squeezing its marks' blank halves
    /// (clreq C14) can take the last line's characters; every line still fits its measure.
    func testLoosenessMinusOneSetsOneLineFewerBySqueezingMarks() {
        let text = String(repeating: "草原上，学校里，孩子们，", count: 4) + "读书了"
        var style = Template().style("body")
        style.alignment = .justify
        var input = ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans", location: SourceLocation(file: "t.md"),
                                   indentFirstLine: false)
        let typesetter = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        let natural = typesetter.set(input, measure: 240).lines
        input.looseness = -1
        let tight = typesetter.set(input, measure: 240).lines
        XCTAssertEqual(tight.count, natural.count - 1, "\(natural.map(\.text)) → \(tight.map(\.text))")
        XCTAssertEqual(tight.map(\.text).joined(), text)
        for l in tight { XCTAssertLessThanOrEqual(l.width, 240 + 0.01, l.text) }
    }

    func testInkDecidesWhichHalfOfAMarkIsBlank() {
        let sc = shaped("！？，“”")
        XCTAssertEqual(sc.clusters.map(\.inkSide), [.start, .start, .start, .end, .start])
        // The same marks in a Traditional Chinese face: ！ and ？ stand in the middle.
        let tc = shaped("！？", family: "Noto Serif CJK TC", language: "zh-Hant")
        XCTAssertEqual(tc.clusters.map(\.inkSide), [.centre, .centre])
        XCTAssertEqual(InkSide(inkLeft: 194, inkRight: 303, advance: 1000), .start)
        XCTAssertEqual(InkSide(inkLeft: 571, inkRight: 924, advance: 1000), .end)
        XCTAssertEqual(InkSide(inkLeft: 300, inkRight: 700, advance: 1000), .centre)
    }

    func testExclamationAndQuestionMarksPairAtOneAndAHalfEm() {
        for text in ["好！”好", "好？”好", "好！！好", "好？！好", "好！）好", "好？》好"] {
            let x = xs(set(text).lines[0])
            XCTAssertEqual(x[2] - x[1], 5, accuracy: 0.01, "\(text): the first mark gives up its blank half")
            XCTAssertEqual(x[3] - x[1], 15, accuracy: 0.01, "\(text): the pair takes 1.5 em")
        }
    }

    /// An ideographic variation sequence (葛 + U+E0100, 葛 + U+FE00, as in names) sets exactly
    /// as wide as the bare character: the selector neither draws nor opens a gap.
    func testVariationSelectorsAddNoSpace() {
        let plain = xs(set("诸葛亮说").lines[0])
        for selector in ["\u{E0100}", "\u{FE00}"] {
            let x = xs(set("诸葛\(selector)亮说").lines[0])
            XCTAssertEqual(x.count, plain.count, "the selector adds no glyph")
            XCTAssertEqual(x.last ?? 0, plain.last ?? -1, accuracy: 0.01, "the selector adds no width")
        }
    }

    /// A keycap (`1` U+FE0F U+20E3; the enclosing mark comes from a fallback font and is shaped
    /// with no advance) encloses its digit and the next character starts after the box.
    func testKeycapEnclosesItsDigitWithoutOverlap() throws {
        let line = set("第1\u{FE0F}\u{20E3}号").lines[0]
        let glyphs = line.runs.flatMap { run in run.glyphs.map { (run.text.unicodeScalars.first?.value, $0.x) } }
        let digit = try XCTUnwrap(glyphs.first { $0.0 == 0x31 }?.1)
        let mark = try XCTUnwrap(glyphs.first { $0.0 == 0x20E3 }?.1)
        let next = try XCTUnwrap(glyphs.last?.1)
        XCTAssertLessThan(mark, digit, "the box starts left of the digit it encloses")
        XCTAssertGreaterThanOrEqual(next - mark, 9 + 2.5, "号 starts after the keycap box (about 1 em at 10 pt) and a Han–Latin space")
    }

    /// A circled note mark (①, as imported Word footnotes become) is set solid after Han, not
    /// given a Han–Latin space.
    func testCircledNoteMarksAreSetSolid() {
        let x = xs(set("两本书①，寒假").lines[0])
        XCTAssertEqual(x[3] - x[2], 10, accuracy: 0.01, "书 then ① with no gap")
    }

    func testAnIdeographicSpaceIsAFullEm() {
        let x = xs(set("第一章\u{3000}序").lines[0])
        XCTAssertEqual(x[4] - x[2], 20, accuracy: 0.01)
    }

    func testHanLatinSpacesGrowLastAndNeverPastTheirCap() {
        let text = "他在2015年读了Pango的文档，又说阿Q和A股都是名字，3号院里的人都这样说，一直说到了今天晚上才停下来。"
        let template = Template()
        let em: Pt = template.style("body").size
        for measure in stride(from: 150.0, through: 260.0, by: 10) {
            let p = set(text, measure: measure, alignment: .justify)
            for line in p.lines.dropLast() {
                let glyphs = line.runs.flatMap { run in zip(run.glyphs, run.text.unicodeScalars).map { ($0.0.x, $0.1) } }
                for (a, b) in zip(glyphs, glyphs.dropFirst()) {
                    let han = { (s: Unicode.Scalar) in (0x4E00...0x9FFF).contains(s.value) }
                    let latin = { (s: Unicode.Scalar) in s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) }
                    guard han(a.1) && latin(b.1) else { continue }
                    // From the Han character's end (1 em) to the Latin letter.
                    let gap = (b.0 - a.0 - em) / em
                    XCTAssertLessThanOrEqual(gap, template.typography.hanLatinMax + 0.01, "\(a.1)|\(b.1) at \(measure) pt")
                    if b.1 == "Q" || b.1 == "A" || b.1 == "3" {
                        XCTAssertLessThanOrEqual(gap, template.typography.hanLatinSpace + 0.01, "a one-letter name \(a.1)\(b.1) opened")
                    }
                }
            }
        }
    }

    /// Expansion eases the Han–Latin spaces to 0.3 em first (clreq C14's order), then opens the
    /// gaps between ideographs, all alike, before any Han–Latin space grows further.
    func testHanLatinSpacesEaseBeforeInterCharacterGapsExpand() {
        let items = ItemBuilder(rules: .chinese, em: 10).build(fixedShaped("汉字汉字abc汉字")).items
        let natural = LineMetrics(items, 0..<items.count).natural
        let layout = Justifier.layout(items, 0..<items.count, measure: natural + 4, justify: true, em: 10)
        // Han–Latin spaces before "a" and after "c": 0.3 em each (+1 pt in all)…
        XCTAssertEqual(layout.x[4] - layout.x[3] - 10, 3, accuracy: 1e-6)
        // …and the other 3 pt shared by the four gaps between ideographs.
        XCTAssertEqual(layout.x[1] - layout.x[0] - 10, 0.75, accuracy: 1e-6)
        XCTAssertEqual(layout.letterspacing, 0.75, accuracy: 1e-6)
    }

    /// Beside an ellipsis the gap is an ordinary one and takes its share of expansion (clreq C14
    /// keeps only the inside of …… and the gaps next to dashes and solidi unchanged): a line like
    /// `信奇怪…吴妈` has two more gaps to open, so it opens less.
    func testGapsBesideAnEllipsisExpandButNotInsideOrBesideADash() {
        let text = "甲乙…丙丁……戊己——庚辛"
        let items = ItemBuilder(rules: .chinese, em: 10).build(fixedShaped(text)).items
        let kinds = items.dropLast().map { $0.gap.stretch > 0 }
        // 甲乙 乙… …丙 丙丁 丁… …… …戊 戊己 己— —— —庚 庚辛
        XCTAssertEqual(kinds, [true, true, true, true, true, false, true, true, false, false, false, true])
        let natural = LineMetrics(items, 0..<items.count).natural
        let layout = Justifier.layout(items, 0..<items.count, measure: natural + 8, justify: true, em: 10)
        let gaps = (1..<items.count).map { layout.x[$0] - layout.x[$0 - 1] - items[$0 - 1].width }
        for (gap, opens) in zip(gaps, kinds) { XCTAssertEqual(gap, opens ? 1 : 0, accuracy: 1e-6) }
    }

    /// A line never ends at a no-break space (10\u{A0}km, the indents of code); it may at a space.
    func testNoLineEndsAtANoBreakSpace() {
        let text = "长10\u{A0}km 和20\u{202F}kg"
        let items = ItemBuilder(rules: .chinese, em: 10).build(shaped(text)).items
        let at = Array(text.unicodeScalars)
        XCTAssertEqual(items.count, at.count)
        for (k, s) in at.enumerated().dropLast() where s == "\u{A0}" || s == "\u{202F}" || s == " " {
            XCTAssertEqual(items[k].breakAfter, s == " " ? .allowed : .prohibited, "after U+\(String(s.value, radix: 16))")
        }
    }

    /// Code is set as written: no Han–Latin space, no mark squeezed or trimmed, spaces at their
    /// own width — but where inline code meets the text, the text's rules apply.
    func testCodeIsSetAsWritten() {
        let text = "用x值（结果）。 a"
        var p = fixedShaped(text)
        let builder = ItemBuilder(rules: .chinese, em: 10)
        let prose = builder.build(p).items
        XCTAssertTrue(prose.contains { $0.gap.kind == .hanLatin }, "the text's rules, for comparison")
        p.code = [0..<p.scalars.count]
        let code = builder.build(p).items
        for (k, item) in code.enumerated() {
            XCTAssertNotEqual(item.gap.kind, .hanLatin, "\(k)")
            XCTAssertEqual(item.gap.shrink, 0, "\(k)")
            XCTAssertEqual(item.startTrim + item.endTrim, 0, "\(k)")
            if text.unicodeScalars[text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: k)] == " " {
                XCTAssertEqual(item.width + item.gap.natural, p.clusters[k].advance, "a space keeps its width")
            } else {
                XCTAssertEqual(item.width, p.clusters[k].advance, "\(k)")
            }
        }
        // Inline code in text: 用 `x` 值 — the text's Han–Latin spaces around it.
        p.code = [1..<2]
        let inline = builder.build(p).items
        XCTAssertEqual(inline[0].gap.kind, .hanLatin)
        XCTAssertEqual(inline[1].gap.kind, .hanLatin)
    }

    /// A pair of marks set at 1.5 em is never opened up by justification.
    func testCompressedPairsNeverStretch() {
        let p = set("他笑着说：“今天的天气真好，我们一起去草原上走走，看看那些马和羊吧。”她点点头说好。", measure: 200, alignment: .justify)
        for line in p.lines.dropLast() {
            let text = Array(line.runs.map(\.text).joined().unicodeScalars)
            let x = xs(line)
            for i in 0..<(text.count - 1) where text[i] == "：" && text[i + 1] == "“" {
                XCTAssertLessThanOrEqual(x[i + 1] - x[i], 5.01, "：“ opened on a justified line")
            }
        }
    }

    /// Display text breaks only between words (ICU's dictionary): never inside 二十年 or a name.
    func testDisplayTextBreaksBetweenWords() {
        let deck = Array("一所学校用二十年时间把课本写完。".unicodeScalars)
        let breaks = WordBreaks.displayBreaks(deck, language: "zh-Hans")
        XCTAssertFalse(breaks.contains(6), "二|十")
        XCTAssertFalse(breaks.contains(7), "二十|年: a number stays with its measure word")
        XCTAssertTrue(breaks.contains(4), "学校|用")
        let credits = Array("责编：高宁（见习）".unicodeScalars)
        XCTAssertFalse(WordBreaks.displayBreaks(credits, language: "zh-Hans").contains(4), "高|宁: a name the dictionary does not know")
        var style = Template().style("deck")
        XCTAssertTrue(style.breaksBetweenWords)
        style.alignment = .start
        let text = "在距离旗府一百二十公里的牧区，一所只有四十七名学生的寄宿制小学，用二十年时间把走出去和留下来写进了同一本课本。"
        let setter = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        for measure in stride(from: 120.0, through: 300.0, by: 11) {
            let p = setter.set(ParagraphInput(text: StyledText(text), style: style, language: "zh-Hans", location: SourceLocation(file: "t"),
                                              indentFirstLine: false), measure: measure)
            let lines = p.lines.map { $0.runs.map(\.text).joined() }
            XCTAssertEqual(lines.joined(), text)
            for (a, b) in zip(lines, lines.dropFirst()) {
                for word in ["二十", "二十年", "四十七", "一百二十", "课本", "学生", "时间"] {
                    XCTAssertFalse(word.indices.dropFirst().contains { a.hasSuffix(word[..<$0]) && b.hasPrefix(word[$0...]) },
                                   "\(word) split at \(measure) pt: \(a) / \(b)")
                }
            }
        }
    }
}
