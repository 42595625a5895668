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

    /// A piece is cut where a link's text begins and ends — by its glyphs' places on the line —
    /// so that the link's words are drawn inside its tag; a piece of a backward (right-to-left)
    /// run is a link's only if all of it is.
    func testPiecesAreCutAtTheirLinks() {
        let text = "见www.ab.cn页"
        let utf8 = Array(text.utf8)
        let clusters = text.unicodeScalars.map { ClusterMap(bytes: String($0).utf8.count, glyphs: 1) }
        // 见 is 10 pt wide, each Latin letter 5 pt: the address runs from 10 to 55.
        var x: Pt = 0
        let glyphs = text.unicodeScalars.map { s -> PlacedGlyph in
            defer { x += s.value > 0x2E80 ? 10 : 5 }
            return PlacedGlyph(id: s.value, x: x, y: 0)
        }
        let whole = PageDrawer.Piece(clusters: 0..<clusters.count, bytes: 0..<utf8.count, glyphs: 0..<glyphs.count, chinese: false)
        let link = LineLink(start: 10, end: 55, uri: "https://www.ab.cn")
        let cut = PageDrawer.split(whole, by: [link], glyphs: glyphs, clusters: clusters, backward: false)
        XCTAssertEqual(cut.map { String(decoding: utf8[$0.bytes], as: UTF8.self) }, ["见", "www.ab.cn", "页"])
        XCTAssertEqual(cut.map(\.link), [nil, 0, nil])
        XCTAssertEqual(cut.map(\.glyphs), [0..<1, 1..<10, 10..<11])
        // A link whose extent begins within its first character (an opening mark's ink, half an
        // em on), or just after a character's middle: the character is the link's, or not.
        let quoted = LineLink(start: 12, end: 55, uri: "https://www.ab.cn")
        XCTAssertEqual(PageDrawer.split(whole, by: [quoted], glyphs: glyphs, clusters: clusters, backward: false).map(\.link), [nil, 0, nil])
        let after = LineLink(start: 13, end: 55, uri: "https://www.ab.cn")
        XCTAssertEqual(PageDrawer.split(whole, by: [after], glyphs: glyphs, clusters: clusters, backward: false).map { String(decoding: utf8[$0.bytes], as: UTF8.self) },
                       ["见w", "ww.ab.cn", "页"])
        XCTAssertEqual(PageDrawer.split(whole, by: [], glyphs: glyphs, clusters: clusters, backward: false), [whole])
        XCTAssertEqual(PageDrawer.split(whole, by: [link], glyphs: glyphs, clusters: clusters, backward: true).map(\.link), [nil], "partly the link's")
        let inside = LineLink(start: 0, end: 80, uri: "https://www.ab.cn")
        XCTAssertEqual(PageDrawer.split(whole, by: [inside], glyphs: glyphs, clusters: clusters, backward: true).map(\.link), [0], "all of it")
    }
}
