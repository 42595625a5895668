/// The Pango seam with Folio's private font configuration: metrics at 72 dpi, values out,
/// uncovered characters reported.
@testable import FolioText
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

    func testOnlyConfiguredFamiliesAreSeen() {
        let families = PangoTests.fonts.familyNames()
        XCTAssertTrue(families.contains("Noto Serif CJK SC"))
        XCTAssertFalse(families.contains("DejaVu Sans"), "the machine's fonts leak into Folio's font map")
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
