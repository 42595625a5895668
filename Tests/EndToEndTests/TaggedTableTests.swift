/// A table across pages is one `Table` in the tagged PDF (issue 15): the rows set on the next
/// page join it (the header repeated there is furniture), so a screen reader reads one table
/// with one header row, as the source has it.
import Foundation
import XCTest

final class TaggedTableTests: FolioCommandTestCase {
    func testATableAcrossPagesIsOneTable() throws {
        let rows = (1...90).map { "| 第\($0)组 | \($0 * 3) 户 | 牧区学校 |" }
        let md = "---\ntitle: 长表\n---\n\n草原上的学校统计如下。\n\n| 组别 | 户数 | 备注 |\n| --- | --- | --- |\n" + rows.joined(separator: "\n") + "\n\n表后一段文字。\n"
        try md.write(toFile: work + "/t.md", atomically: true, encoding: .utf8)
        let pdf = work + "/t.pdf"
        let r = try shell(folio, ["render", work + "/t.md", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let pages = try shell("pdfinfo", [pdf]).stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        XCTAssertNotEqual(pages?.split(separator: " ").last, "1", "the table runs onto a second page")
        let (elements, _) = try structElements(pdf)
        XCTAssertEqual(elements.filter { $0.tag == "Table" }.count, 1, "one Table")
        XCTAssertFalse(elements.contains { $0.tag == "Part" }, "every continuation merged")
        XCTAssertEqual(elements.filter { $0.tag == "TR" }.count, 91, "the header row once and 90 rows")
        XCTAssertEqual(elements.filter { $0.tag == "TH" }.map(\.text), ["组别", "户数", "备注"])
        XCTAssertEqual(elements.filter { $0.tag == "TD" }.count, 270)
        XCTAssertEqual(elements.filter { $0.tag == "TD" }.last?.text, "牧区学校")
        XCTAssertEqual(try shell("qpdf", ["--check", pdf]).status, 0)
    }
}
