/// The steps of finishing a line, each on plain values: visual order (UAX #9 L2), positions in
/// visual order, and the tatweel of a lengthened join.
@testable import FolioText
import FolioCore
import XCTest

final class LineFinishTests: XCTestCase {
    func testVisualOrderReversesEachLevelFromTheHighest() {
        // Left-to-right text: nothing moves.
        XCTAssertEqual(VisualOrder.order([0, 0, 0]), [0, 1, 2])
        // An Arabic word in Chinese text: its letters read right to left, in place.
        XCTAssertEqual(VisualOrder.order([0, 0, 1, 1, 1, 0]), [0, 1, 4, 3, 2, 5])
        // Digits (level 2) in a right-to-left line: the line reverses, the number reads left to right.
        XCTAssertEqual(VisualOrder.order([1, 1, 2, 2, 1]), [4, 2, 3, 1, 0])
        // A Latin word (level 2) inside Arabic (1) inside Chinese (0).
        XCTAssertEqual(VisualOrder.order([0, 1, 2, 2, 1, 0]), [0, 4, 2, 3, 1, 5])
        XCTAssertEqual(VisualOrder.order([]), [])
    }

    func testPositionsFollowTheVisualOrderAndKeepLogicalGaps() {
        // Three items 10 wide with gaps of 2 and 4 after the first two (logical order).
        let x: [Pt] = [0, 12, 26]
        XCTAssertEqual(VisualOrder.positions([0, 1, 2], logical: x) { _ in 10 }, x, "no reordering: as justified")
        // Reversed: the gaps stay between the same neighbours.
        XCTAssertEqual(VisualOrder.positions([2, 1, 0], logical: x) { _ in 10 }, [26, 14, 0])
    }

    func testKashidaFillsTheJoinWithWholeTatweels() {
        let fill = Kashida.fill(from: 10, to: 17, tatweel: (glyph: 9, advance: 3))
        XCTAssertEqual(fill.map(\.x), [10, 13, 14], "three glyphs, the last flush with the join's end")
        XCTAssertTrue(fill.allSatisfy { $0.id == 9 })
        XCTAssertEqual(Kashida.fill(from: 10, to: 10.04, tatweel: (glyph: 9, advance: 3)), [], "no join to fill")
        XCTAssertEqual(Kashida.fill(from: 10, to: 17, tatweel: (glyph: 0, advance: 3)), [], "a font without tatweel")
    }
}
