/// Web and e-mail addresses in Chinese text (an archived article's 原文地址): found, broken only
/// where the Chicago Manual lets them break (or, as a last resort, between two characters),
/// never hyphenated, and the lines that hold them still justified.
@testable import FolioText
import FolioCore
import XCTest

final class AddressTests: XCTestCase {
    func found(_ text: String) -> [String] {
        let s = Array(text.unicodeScalars)
        return Addresses.ranges(in: s).map { String(String.UnicodeScalarView(s[$0])) }
    }

    func testAddressesAreFoundWithoutTheSentencesPunctuation() {
        XCTAssertEqual(found("原文地址为https://www.example.gov.cn/a/b.html，欢迎转载。"), ["https://www.example.gov.cn/a/b.html"])
        XCTAssertEqual(found("请访问 www.neac.gov.cn."), ["www.neac.gov.cn"])
        XCTAssertEqual(found("来信请寄 editor@example-magazine.com.cn。"), ["editor@example-magazine.com.cn"])
        XCTAssertEqual(found("(see https://en.wikipedia.org/wiki/Ulan_(band))."), ["https://en.wikipedia.org/wiki/Ulan_(band)"])
        XCTAssertEqual(found("(see http://example.org/x), and ftp://files.example.org/"), ["http://example.org/x", "ftp://files.example.org/"])
        // Not addresses: numbers, abbreviations, a lone @, a word that merely ends in www.
        XCTAssertEqual(found("体重3.5公斤，e.g. 这样，@某人，awww.x"), [])
        XCTAssertEqual(found("no dot @ here and name@localhost"), [])
    }

    func testBreaksFollowTheChicagoManual() {
        let text = "https://a.example.org/path_x?q=1&r=2#top"
        let s = Array(text.unicodeScalars)
        let breaks = Addresses.breaks(in: s, 0..<s.count)
        func at(_ prefix: String) -> Bool? { breaks[prefix.unicodeScalars.count] }
        XCTAssertNil(at("https:"), "inside :// a line never ends")
        XCTAssertNil(at("https:/"))
        XCTAssertEqual(at("https://"), true, "after the double slash")
        XCTAssertEqual(at("https://a"), true, "before a period")
        XCTAssertEqual(at("https://a.example.org"), true, "before a single slash")
        XCTAssertEqual(at("https://a.example.org/path"), true, "before an underscore")
        XCTAssertEqual(at("https://a.example.org/path_x"), true, "before a question mark")
        XCTAssertEqual(at("https://a.example.org/path_x?q"), true, "before an equals sign")
        XCTAssertEqual(at("https://a.example.org/path_x?q="), true, "and after it")
        XCTAssertEqual(at("https://a.example.org/path_x?q=1&"), true, "after an ampersand")
        XCTAssertEqual(at("https://a.ex"), false, "between two letters: only as a last resort")
        XCTAssertEqual(at("https://a."), false, "not after a period")
    }

    /// A paragraph of Chinese around two long addresses and a mailbox, set at several measures.
    func testLinesBreakInsideAddressesWithoutAHyphenAndStayJustified() {
        let text = "本文原载于民族网站，原文地址为https://www.example.gov.cn/minzu/2024/06/15/content_1234567890_abcdefghijklmnopqrstuvwxyz.html，欢迎转载。更多信息请访问 https://www.neac.gov.cn/seac/xwzx/202406/1234567.shtml?from=timeline&isappinstalled=0 或者发送邮件至 editor@example-magazine.com.cn 联系编辑部。"
        let scalars = Array(text.unicodeScalars)
        let addresses = Addresses.ranges(in: scalars)
        XCTAssertEqual(addresses.count, 3)
        let ts = PangoTypesetter(fonts: PangoTests.fonts, template: Template())
        var insideBreaks = 0
        for measure in stride(from: 150.0, through: 260, by: 10) {
            let p = ts.set(ParagraphInput(text: StyledText(text), style: Template().style("body"), language: "zh-Hans",
                                          location: SourceLocation(file: "t.md")), measure: measure)
            XCTAssertEqual(p.lines.map(\.text).joined(), text, "nothing lost at \(measure) pt")
            for (n, line) in p.lines.enumerated() where n < p.lines.count - 1 {
                let end = line.range.upperBound
                guard addresses.contains(where: { $0.lowerBound < end && end < $0.upperBound }) else { continue }
                insideBreaks += 1
                XCTAssertFalse(scalars[end] == "/" && (scalars[end - 1] == "/" || scalars[end - 1] == ":"), "a break inside :// at \(measure) pt")
                // No hyphen drawn: every glyph of the line is one of its text's.
                let glyphs = line.runs.reduce(0) { $0 + $1.glyphs.count }
                let mapped = line.runs.reduce(0) { $0 + $1.clusters.filter { $0.bytes > 0 }.reduce(0) { $0 + $1.glyphs } }
                XCTAssertEqual(glyphs, mapped, "a hyphen added inside an address: \(line.text)")
                // Justified: flush with the measure (the first line's, less its indent, never more),
                // neither short nor overfull.
                XCTAssertLessThanOrEqual(line.width, measure + 0.05, "\(line.text) at \(measure) pt")
                if n > 0 { XCTAssertGreaterThanOrEqual(line.width, measure - 0.05, "\(line.text) at \(measure) pt") }
            }
        }
        XCTAssertGreaterThan(insideBreaks, 12, "lines end inside the addresses at most measures")
    }

    /// An address is set without kerning: a line may end between any two of its characters, and
    /// a pair kerned together would then overhang the measure by what the kerning took.
    func testAddressesAreNotKerned() throws {
        func advances(_ text: String) -> [Unicode.Scalar: Pt] {
            let shaped = PangoTests.fonts.shape(StyledText(text), language: "zh-Hans") { _ in
                SpanFont(families: ["Noto Serif CJK SC"], size: 10, weight: 400)
            }
            var out: [Unicode.Scalar: Pt] = [:]
            for c in shaped.clusters where c.range.count == 1 { out[shaped.scalars[c.range.lowerBound]] = c.advance }
            return out
        }
        // "Wa": W kerned toward a; the same letters in an address keep their own advances.
        let word = try XCTUnwrap(advances("见Wa")["W"])
        let address = try XCTUnwrap(advances("见http://Wa.example.org")["W"])
        let alone = try XCTUnwrap(advances("见W")["W"])
        XCTAssertLessThan(word, alone - 0.1, "the font kerns W before a (the test's premise)")
        XCTAssertEqual(address, alone, accuracy: 1e-6)
    }
}
