/// Line breaking and adjustment on synthetic clusters (no fonts): clreq C4, C5, C7, C8, C10,
/// C12, C13, C16, and the properties every breaker must keep.
@testable import FolioText
import FolioCore
import FolioTesting
import Foundation
import XCTest

/// A shaped paragraph where each character is one cluster: 1 em for CJK, ½ em otherwise, and
/// UAX #14 allowing a break before every character (the worst case: rules must prohibit).
func fixedShaped(_ text: String, em: Pt = 10) -> ShapedParagraph {
    let scalars = Array(text.unicodeScalars)
    var clusters: [ShapedCluster] = [], glyphs: [ShapedGlyph] = []
    var byte = 0
    for (i, s) in scalars.enumerated() {
        let w = UTF8.width(s)
        let adv: Pt = CharClass.of(s).isCJK || CharClass.of(s) == .connector && s.value > 0x2000 ? em : em / 2
        clusters.append(ShapedCluster(range: i..<(i + 1), bytes: byte..<(byte + w), glyphs: i..<(i + 1), advance: adv, font: 0, level: 0))
        glyphs.append(ShapedGlyph(id: s.value, dx: 0, dy: 0))
        byte += w
    }
    let font = FontSystem.FontInfo(ref: FontRef(file: "test", index: 0, size: em), ascent: 0.88 * em, descent: 0.12 * em)
    return ShapedParagraph(scalars: scalars, utf8: Array(text.utf8), clusters: clusters, glyphs: glyphs, fonts: [font],
                           breakBefore: Array(repeating: true, count: scalars.count + 1),
                           mustBreakBefore: Array(repeating: false, count: scalars.count + 1), uncovered: [])
}

func lines(_ text: String, measureEms: Int, em: Pt = 10) -> [String] {
    let shaped = fixedShaped(text, em: em)
    let built = ItemBuilder(rules: .chinese, em: em).build(shaped)
    let ranges = GreedyBreaker().breakLines(built.items, measures: Measures(first: Double(measureEms) * em, rest: Double(measureEms) * em))
    return ranges.map { r in String(String.UnicodeScalarView(shaped.scalars[r])) }
}

final class BreakerTests: XCTestCase {
    func testClosingMarksNeverStartALine() {
        // 10 characters per line; the comma would fall at the start of line 2.
        let out = lines("一二三四五六七八九十，一二三四五六七八九十。", measureEms: 10)
        for l in out.dropFirst() { XCTAssertFalse(LineRules.chinese.noStart.contains(l.unicodeScalars.first!), "line starts with \(l.first!)") }
        XCTAssertEqual(out.joined(), "一二三四五六七八九十，一二三四五六七八九十。")
    }

    func testOpeningMarksNeverEndALine() {
        let out = lines("一二三四五六七八九《十一二三四》五六七八九十", measureEms: 10)
        for l in out.dropLast() { XCTAssertFalse(LineRules.chinese.noEnd.contains(l.unicodeScalars.last!), "line ends with \(l.last!)") }
    }

    func testTwoEmDashIsNeverSplit() {
        // The dash pair straddles the line end at 10 ems.
        let out = lines("一二三四五六七八九——十一二三四五六七", measureEms: 10)
        for l in out { XCTAssertFalse(l.hasSuffix("—") && !l.hasSuffix("——"), "split dash in \(out)") }
        for l in out.dropFirst() { XCTAssertFalse(l.hasPrefix("—") && !l.hasPrefix("——"), "split dash in \(out)") }
    }

    func testLineEndPunctuationSetsHalfWidth() {
        // clreq C10: a comma ending a justified line keeps only its inked half: its origin sits
        // ½ em before the line end.
        let em: Pt = 10
        let shaped = fixedShaped("一二三四五六七八，九十一二三四", em: em)
        let built = ItemBuilder(rules: .chinese, em: em).build(shaped)
        let ranges = GreedyBreaker().breakLines(built.items, measures: Measures(first: 90, rest: 90))
        XCTAssertEqual(ranges.first, 0..<9)
        let layout = Justifier.layout(built.items, ranges[0], measure: 90, justify: true, em: em)
        XCTAssertEqual(layout.x[8], 90 - em / 2, accuracy: 1e-6)
        XCTAssertEqual(layout.width, 90, accuracy: 1e-6)
    }

    func testAdjacentPunctuationIsCompressed() {
        let shaped = fixedShaped("说。”他")
        let items = ItemBuilder(rules: .chinese, em: 10).build(shaped).items
        // 。followed by ” loses its empty half: the pair takes 1.5 em (clreq C8).
        XCTAssertEqual(items[1].width + items[2].width, 15, accuracy: 1e-9)
    }

    func testHanLatinSpacingIsAQuarterEmWithOrWithoutASpace() {
        let em: Pt = 10
        for text in ["中文Pango排版", "中文 Pango 排版"] {
            let built = ItemBuilder(rules: .chinese, em: em).build(fixedShaped(text, em: em))
            let hanLatin = built.items.filter { $0.gap.kind == .hanLatin }
            XCTAssertEqual(hanLatin.count, 2, text)
            for item in hanLatin { XCTAssertEqual(item.gap.natural, em / 4, accuracy: 1e-9) }
        }
    }

    func testLatinWordsAreNeverLetterSpaced() {
        let built = ItemBuilder(rules: .chinese, em: 10).build(fixedShaped("排版Pango排版"))
        // Gaps inside "Pango" (items 2…6) are fixed.
        for k in 2..<6 { XCTAssertEqual(built.items[k].gap.kind, .fixed) }
    }

    func testLoneCharacterIsPulledDown() {
        // 21 characters on 10-em lines would leave one alone on line 3 (clreq C16).
        let out = lines(String(repeating: "字", count: 20) + "尾。", measureEms: 10)
        let last = out.last!.unicodeScalars.filter { CharClass.of($0) == .ideograph }.count
        XCTAssertGreaterThanOrEqual(last, 2, "\(out)")
    }

    /// …but not across a line the writer ended: a poem's short last line, a line of code.
    func testALineEndedByTheWriterKeepsItsCharacters() {
        let text = "诗的第一行返回\u{2028}啊"
        var shaped = fixedShaped(text)
        shaped.mustBreakBefore[text.unicodeScalars.count - 1] = true
        let built = ItemBuilder(rules: .chinese, em: 10).build(shaped)
        let ranges = GreedyBreaker().breakLines(built.items, measures: Measures(first: 200, rest: 200))
        XCTAssertEqual(ranges.map { String(String.UnicodeScalarView(shaped.scalars[$0])) }, ["诗的第一行返回\u{2028}", "啊"])
    }

    func testJustifiedLinesAreFlush() {
        let em: Pt = 10
        let shaped = fixedShaped("中文排版需要处理Latin文字和数字2024年，还有“引号”与（括号）等等很多情况。", em: em)
        let built = ItemBuilder(rules: .chinese, em: em).build(shaped)
        let m = Measures(first: 120, rest: 120)
        let ranges = GreedyBreaker().breakLines(built.items, measures: m)
        for r in ranges.dropLast() {
            let layout = Justifier.layout(built.items, r, measure: 120, justify: true, em: em)
            XCTAssertEqual(layout.width, 120, accuracy: 0.01)
            let end = layout.x.last! + built.items[r.last!].width - built.items[r.last!].endTrim
            XCTAssertEqual(end, 120, accuracy: 0.05, "line \(r) ends at \(end)")
        }
    }

    /// Property, for both breakers: for random Chinese text, every character appears exactly once
    /// in order; every break is where the items allow one — or an emergency cut, made only when
    /// the line holds no allowed break at all (an unbreakable run longer than the line); no line
    /// starts or ends with a prohibited mark; no line is wider than its measure after shrinking
    /// (and, the last resort, closing up its ideographs), and none is set wider.
    func testRandomParagraphsKeepEveryCharacterAndTheRules() {
        var rng = SeededRandom(state: 42)
        let alphabet = Array("中文排版的规则数据一二三四五六七八九十，。、；：？！“”《》（）——……ABC123 ")
        for _ in 0..<300 {
            let n = Int.random(in: 1...200, using: &rng)
            var text = String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
            text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let em: Pt = 10
            let shaped = fixedShaped(text, em: em)
            let built = ItemBuilder(rules: .chinese, em: em).build(shaped)
            let measure = Double(Int.random(in: 5...30, using: &rng)) * em
            let measures = Measures(first: measure, rest: measure)
            for breaker in [GreedyBreaker() as any LineBreaker, TotalFitBreaker()] {
                let ranges = breaker.breakLines(built.items, measures: measures)
                XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<built.items.count))
                for (i, r) in ranges.enumerated() {
                    let m = LineMetrics(built.items, r)
                    let breakable = r.dropLast().contains { built.items[$0].breakAfter != .prohibited }
                    if breakable {
                        XCTAssertLessThanOrEqual(m.natural - m.shrink - m.tighten, measure + 1e-6, "\(text) line \(i)")
                        let set = Justifier.layout(built.items, r, measure: measure, justify: i < ranges.count - 1, em: em)
                        XCTAssertLessThanOrEqual(set.width, measure + 1e-6, "\(text) line \(i) set")
                    }
                    let allowed = built.items[r.upperBound - 1].breakAfter != .prohibited
                    if i < ranges.count - 1 && !allowed {
                        // An emergency cut: only where the run it cuts is longer than a line.
                        XCTAssertGreaterThan(LineMetrics(built.items, r.lowerBound..<(r.upperBound + 1)).natural, measure, "a cut at a prohibited break in \(text), line \(i), \(breaker)")
                    }
                    let first = shaped.scalars[r.lowerBound], last = shaped.scalars[r.upperBound - 1]
                    if i > 0 && built.items[r.lowerBound - 1].breakAfter != .prohibited {
                        let twoEmDash = first == "—" && r.count > 1 && shaped.scalars[r.lowerBound + 1] == "—"   // C6: may start a line
                        XCTAssertFalse(LineRules.chinese.noStart.contains(first) && !twoEmDash, "line starts with \(first) in \(text)")
                    }
                    if i < ranges.count - 1 && allowed {
                        XCTAssertFalse(LineRules.chinese.noEnd.contains(last), "line ends with \(last) in \(text)")
                    }
                }
            }
        }
    }
}

final class TotalFitTests: XCTestCase {
    func breakBoth(_ text: String, ems: Int) -> (greedy: [Range<Int>], total: [Range<Int>], items: [BreakItem]) {
        let built = ItemBuilder(rules: .chinese, em: 10).build(fixedShaped(text))
        let m = Measures(first: Double(ems) * 10, rest: Double(ems) * 10)
        return (GreedyBreaker().breakLines(built.items, measures: m), TotalFitBreaker().breakLines(built.items, measures: m), built.items)
    }

    /// Σ badness over a paragraph's non-final lines, weighed as the breaker weighs it.
    func badness(_ lines: [Range<Int>], _ items: [BreakItem], measure: Pt) -> Double {
        lines.dropLast().reduce(0) { sum, r in
            let ratio = LineMetrics(items, r).ratio(for: measure)
            return sum + (ratio.isFinite ? TotalFitBreaker().badness(ratio: ratio) : 1e6)
        }
    }

    /// A line a few points too long with nothing left to squeeze closes the gaps between its
    /// ideographs (at most 1/32 em each) rather than leave its ellipsis alone on a last line
    /// under a letterspaced one (the random articles' note `马头琴——这件古老的乐器——又响了起来……`:
    /// 0.146 em). Past that the line breaks as before; a ragged setting never closes up.
    func testALineJustTooLongClosesUpRatherThanLeaveItsEllipsisAlone() {
        let em: Pt = 10
        let text = "马头琴这件古老的乐器又响了起来一二三四五……"
        let shaped = fixedShaped(text, em: em)
        let built = ItemBuilder(rules: .chinese, em: em).build(shaped)
        let natural = LineMetrics(built.items, 0..<built.items.count).natural
        let capacity = built.items.dropLast().reduce(0) { $0 + $1.gap.tighten }
        XCTAssertEqual(capacity, 19 * em / 32, accuracy: 1e-9, "the 19 gaps between its 20 ideographs")
        func set(_ measure: Pt, tightening: Bool = true) -> [String] {
            var breaker = TotalFitBreaker()
            if !tightening { breaker.tightening = nil }
            return breaker.breakLines(built.items, measures: Measures(first: measure, rest: measure))
                .map { String(String.UnicodeScalarView(shaped.scalars[$0])) }
        }
        // 4 pt too long (of 5.9 the gaps can give): one line, set within the measure.
        XCTAssertEqual(set(natural - 4), [text])
        let layout = Justifier.layout(built.items, 0..<built.items.count, measure: natural - 4, justify: false, em: em)
        XCTAssertEqual(layout.width, natural - 4, accuracy: 0.01)
        let gaps = zip(layout.x, layout.x.dropFirst()).map { $1 - $0 }
        XCTAssertEqual(gaps.prefix(19).min()!, em - 4.0 / 19, accuracy: 1e-6, "every ideograph gap closes alike")
        // Without it: the ellipsis alone below a line 0.08 em letterspaced (the old setting).
        XCTAssertEqual(set(natural - 4, tightening: false), [String(text.dropLast(2)), "……"])
        // 7 pt too long: more than the gaps may give; the line breaks.
        XCTAssertEqual(set(natural - 7).count, 2)
    }

    /// `extraLines` (looseness +1) sets a paragraph in one line more when no line then opens by
    /// 0.05 em (ratio 0.2): 299 ideographs at 30 a line are 10 lines (the last 29 long), and 11
    /// when lines give up one character each (1 em over 29 gaps, 0.034 em); 282 (last line 12)
    /// would need lines two characters short (0.069 em): the breaker keeps 10.
    func testOneLineMoreOnlyWhenNoLineOpensVisibly() {
        for (count, lines) in [(299, 11), (282, 10)] {
            let built = ItemBuilder(rules: .chinese, em: 10).build(fixedShaped(String(repeating: "草", count: count)))
            let m = Measures(first: 300, rest: 300)
            XCTAssertEqual(TotalFitBreaker().breakLines(built.items, measures: m).count, 10)
            var loose = TotalFitBreaker()
            loose.extraLines = 1
            let set = loose.breakLines(built.items, measures: m)
            XCTAssertEqual(set.count, lines, "\(count) ideographs")
            for r in set.dropLast() { XCTAssertLessThanOrEqual(LineMetrics(built.items, r).ratio(for: 300), 0.2, "\(count): \(r)") }
        }
    }

    /// Over many random paragraphs, total fit spreads adjustments better than first fit.
    func testTotalFitLowersBadnessOverall() {
        var rng = SeededRandom(state: 7)
        let alphabet = Array("中文排版的规则数据一二三四五六七八九十，。、“”《》Latin words 2024")
        var greedyTotal = 0.0, fitTotal = 0.0, better = 0, worse = 0
        for _ in 0..<200 {
            let text = String((0..<Int.random(in: 40...160, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
                .trimmingCharacters(in: .whitespaces)
            let ems = Int.random(in: 12...24, using: &rng)
            let r = breakBoth(text, ems: ems)
            XCTAssertEqual(r.total.flatMap { Array($0) }, Array(0..<r.items.count), "every item once")
            let g = badness(r.greedy, r.items, measure: Double(ems) * 10), t = badness(r.total, r.items, measure: Double(ems) * 10)
            greedyTotal += g; fitTotal += t
            if t < g - 1e-6 { better += 1 } else if t > g + 1e-6 { worse += 1 }
        }
        XCTAssertLessThan(fitTotal, greedyTotal * 0.7, "total fit badness \(fitTotal) vs greedy \(greedyTotal)")
        XCTAssertGreaterThan(better, worse * 3, "better in \(better) paragraphs, worse in \(worse)")
    }

    /// Dropping the ways to a break that are worse than its best by more than the fitness
    /// penalty changes no break: the same lines with and without, over random paragraphs with
    /// an indented or outdented first line, forced breaks and Latin words.
    func testTotalFitDropsOnlyWaysThatCannotWin() {
        var rng = SeededRandom(state: 11)
        let alphabet = Array("中文排版的规则数据一二三四五六七八九十，。、“”《》！？Latin words 2024")
        var differing = 0, lines = 0
        for _ in 0..<300 {
            var text = String((0..<Int.random(in: 30...300, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
                .trimmingCharacters(in: .whitespaces)
            if Bool.random(using: &rng) { text.insert("\n", at: text.index(text.startIndex, offsetBy: text.count / 2)) }
            var shaped = fixedShaped(text)
            for (i, s) in shaped.scalars.enumerated() where s == "\n" { shaped.mustBreakBefore[i + 1] = true }
            let items = ItemBuilder(rules: .chinese, em: 10).build(shaped).items
            let ems = Double(Int.random(in: 8...30, using: &rng)) * 10
            let m = Measures(first: ems + Double(Int.random(in: -2...1, using: &rng)) * 10, rest: ems)
            var all = TotalFitBreaker()
            all.prunesDominatedWays = false
            let pruned = TotalFitBreaker().breakLines(items, measures: m)
            if pruned != all.breakLines(items, measures: m) { differing += 1 }
            lines += pruned.count
        }
        XCTAssertEqual(differing, 0)
        XCTAssertGreaterThan(lines, 1000)
    }

    /// A lone last character (clreq C16) is avoided when a line can take it with little space…
    func testTotalFitAvoidsALoneLastCharacter() {
        let r = breakBoth(String(repeating: "字", count: 40) + "尾。", ems: 20)
        let last = r.total.last!
        XCTAssertGreaterThanOrEqual(r.items[last].filter(\.isLetter).count, 2)
    }

    /// …but never by letterspacing a line visibly (≥ 0.10 em between ideographs).
    func testALoneCharacterNeverBuysAVisiblySpacedLine() {
        let r = breakBoth(String(repeating: "字", count: 20) + "尾。", ems: 10)
        for line in r.total.dropLast() {
            let m = LineMetrics(r.items, line)
            let gaps = Double(line.count - 1)
            XCTAssertLessThan((100 - m.natural) / gaps / 10, 0.10, "extra em per gap on \(line)")
        }
    }

    func testTotalFitFallsBackWhenAWordIsLongerThanTheLine() {
        let r = breakBoth("中文" + String(repeating: "x", count: 60) + "中文", ems: 10)
        XCTAssertEqual(r.total.flatMap { Array($0) }, Array(0..<r.items.count))
        XCTAssertGreaterThan(r.total.count, 2)
    }

    func testStrictLevelKeepsEllipsisAndTwoEmDashOffLineStartsButBasicAllowsThem() {
        func starts(_ text: String, _ rules: LineRules) -> [Unicode.Scalar] {
            let shaped = fixedShaped(text)
            let built = ItemBuilder(rules: rules, em: 10).build(shaped)
            return GreedyBreaker().breakLines(built.items, measures: Measures(first: 100, rest: 100)).map { shaped.scalars[$0.lowerBound] }
        }
        XCTAssertTrue(starts("一二三四五六七八九十……一二三", .chinese(.basic)).contains("…"))
        XCTAssertFalse(starts("一二三四五六七八九十……一二三", .chinese(.strict)).contains("…"))
        // clreq C6: the two-em dash —— may start a line below the strict level …
        XCTAssertTrue(starts("一二三四五六七八九十——一二三", .chinese(.basic)).contains("—"))
        XCTAssertTrue(starts("一二三四五六七八九十——一二三", .chinese(.gb)).contains("—"))
        XCTAssertFalse(starts("一二三四五六七八九十——一二三", .chinese(.strict)).contains("—"))
        // … but a single — is a connector (C4), at every level.
        XCTAssertFalse(starts("一二三四五六七八九十—一二三四", .chinese(.basic)).contains("—"))
        XCTAssertTrue(LineRules.chinese(.gb).noEnd.contains("／"))
        XCTAssertFalse(LineRules.chinese(.basic).noEnd.contains("／"))
    }

    func testExpansionCapsHanLatinSpacingAtHalfAnEm() {
        let em: Pt = 10
        let built = ItemBuilder(rules: .chinese, em: em).build(fixedShaped("中文2024年中文", em: em))
        let layout = Justifier.layout(built.items, 0..<built.items.count, measure: 150, justify: true, em: em)
        // Gap after 文 (index 1) before 2 (index 2): natural ¼ em, never more than ½ em.
        let gap = layout.x[2] - layout.x[1] - built.items[1].width
        XCTAssertLessThanOrEqual(gap, em / 2 + 1e-9)
        XCTAssertEqual(layout.width, 150, accuracy: 1e-6)
        // Digits are not letter-spaced.
        XCTAssertEqual(layout.x[3] - layout.x[2], built.items[2].width, accuracy: 1e-9)
    }
}
