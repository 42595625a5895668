/// How a run of text is cut into Chinese pieces and the rest (`PageDrawer.pieces`), for the
/// tagged PDF's Chinese spans in lines of other languages.
@testable import FolioRender
import FolioCore
import XCTest

final class ChinesePiecesTests: XCTestCase {
    /// The pieces of `text` set one glyph per character: (text, chinese) each.
    func pieces(_ text: String) -> [(String, Bool)] {
        let utf8 = Array(text.utf8)
        let clusters = text.unicodeScalars.map { ClusterMap(bytes: String($0).utf8.count, glyphs: 1) }
        return PageDrawer.pieces(utf8, clusters).map { p in
            XCTAssertEqual(p.glyphs, p.clusters, "one glyph per cluster here")
            return (String(decoding: utf8[p.bytes], as: UTF8.self), p.chinese)
        }
    }

    func testChineseIsCutFromWhatIsNot() {
        XCTAssertEqual(pieces("文／Google Fonts").map(\.0), ["文／", "Google Fonts"])
        XCTAssertEqual(pieces("文／Google Fonts").map(\.1), [true, false])
        XCTAssertEqual(pieces("2024年第3期").map(\.0), ["2024", "年第", "3", "期"])
        XCTAssertEqual(pieces("2024年第3期").map(\.1), [false, true, false, true])
        XCTAssertEqual(pieces("来源：《世界人权宣言》").map(\.1), [true], "punctuation among Han goes with it")
    }

    func testPunctuationWithoutHanIsNotChinese() {
        XCTAssertEqual(pieces("（ab）").map(\.0), ["（ab）"], "one piece, not Chinese")
        XCTAssertEqual(pieces("（ab）").map(\.1), [false])
        XCTAssertEqual(pieces("Latin only").map(\.1), [false])
    }

    func testGlyphsFollowTheirClusters() {
        // A ligature (two characters, one glyph) and a character of two glyphs.
        let utf8 = Array("fi文字".utf8)
        let clusters = [ClusterMap(bytes: 2, glyphs: 1), ClusterMap(bytes: 3, glyphs: 2), ClusterMap(bytes: 3, glyphs: 1)]
        let cut = PageDrawer.pieces(utf8, clusters)
        XCTAssertEqual(cut.map(\.glyphs), [0..<1, 1..<4])
        XCTAssertEqual(cut.map(\.bytes), [0..<2, 2..<8])
        XCTAssertEqual(cut.map(\.chinese), [false, true])
    }
}
