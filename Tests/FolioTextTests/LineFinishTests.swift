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

    /// A number (level 2) inside a right-to-left line: each logical gap is laid once, the one
    /// before the number between the number's right end and the letter before it, the one after
    /// it between its left end and the letter after it — so the line is as long as it was
    /// justified. Before, the gap inside the number was laid twice and the one after it never:
    /// a Kazakh line with 民族网2024 (a ¼ em Han–Latin gap inside) stood 1 pt past its column.
    func testPositionsAcrossADirectionChangeLayEachGapOnce() {
        // R0 R1 [L2 L3] R4 R5, 10 wide; gaps after each: 1, 2, 3, 4, 5.
        var x: [Pt] = [0]
        for g in [1.0, 2, 3, 4, 5] { x.append(x.last! + 10 + g) }
        let order = VisualOrder.order([1, 1, 2, 2, 1, 1])
        XCTAssertEqual(order, [5, 4, 2, 3, 1, 0])
        let p = VisualOrder.positions(order, logical: x) { _ in 10 }
        XCTAssertEqual(p[5], 0)
        XCTAssertEqual(p[4], 10 + 5, "R5 R4: their gap")
        XCTAssertEqual(p[2], p[4] + 10 + 4, "R4 then the number: the gap between L3 and R4")
        XCTAssertEqual(p[3], p[2] + 10 + 3, "inside the number: its own gap")
        XCTAssertEqual(p[1], p[3] + 10 + 2, "the number then R1: the gap between R1 and L2")
        XCTAssertEqual(p[0] + 10, x[5] + 10, "the line as long as justified")
    }

    func testKashidaFillsTheJoinWithWholeTatweels() {
        let fill = Kashida.fill(from: 10, to: 17, tatweel: (glyph: 9, advance: 3))
        XCTAssertEqual(fill.map(\.x), [10, 13, 14], "three glyphs, the last flush with the join's end")
        XCTAssertTrue(fill.allSatisfy { $0.id == 9 })
        XCTAssertEqual(Kashida.fill(from: 10, to: 10.04, tatweel: (glyph: 9, advance: 3)), [], "no join to fill")
        XCTAssertEqual(Kashida.fill(from: 10, to: 17, tatweel: (glyph: 0, advance: 3)), [], "a font without tatweel")
    }
}
