/// Figures that would stand alone on a page after the end mark (ShortTail.swift,
/// FiguresMetSooner.swift).
@testable import FolioCompose
import FolioCore
import FolioTesting
import XCTest

extension ComposeTests {
    /// A spanning photograph written near the end of an article whose text and notes fill the
    /// page they end on — set a column wide there, it would leave the notes alone on a page —
    /// is met a page sooner: it heads the page the text ends on, and the text runs on under it
    /// to the last page, which ends with the notes (random zh seed 7921: the photograph had
    /// stood alone on page 3, after the end mark on page 2).
    func testAFigureAloneAfterTheEndMarkIsMetSooner() {
        let image = ImageInfo(path: "/x.jpg", format: .jpeg, pixelWidth: 1000, pixelHeight: 733)
        let at = SourceLocation(file: "a.md", line: 9, column: 1)
        let span = Block.figure(Figure(path: "x.jpg", caption: StyledText("横跨"), image: image, location: at, placement: .span))
        var sooner = 0
        for length in stride(from: 2400, through: 3400, by: 40) {
            for tail in [60, 200] {
                let blocks = [Samples.paragraph(length), span, Samples.paragraph(tail)]
                let out = compose(blocks, article: withNotes(blocks, of: 60)), asSet = composeAsSet(withNotes(blocks, of: 60))
                let what = "\(length) + \(tail) characters"
                XCTAssertEqual(out.charactersPlaced, out.charactersSet, what)
                guard let note = out.diagnostics.first(where: { $0.code == "copyfit" && $0.message.contains("set sooner") }) else { continue }
                sooner += 1
                XCTAssertEqual(note.location, at, what)
                XCTAssertTrue(asSet.pages.last.map { bodyItems($0).isEmpty } ?? false, "\(what): as set, it ended on the figure alone")
                XCTAssertEqual(out.pages.count, asSet.pages.count, what)
                XCTAssertTrue(out.pages.allSatisfy { !bodyItems($0).isEmpty }, "\(what): a page without text")
                XCTAssertTrue(bodyItems(out.pages.last!).contains { !$0.line.text.contains("注") }, "\(what): only notes on the last page")
                // It heads the page before the last, across the measure, the text under it.
                let page = out.pages.count - 2, frame = PageFrame(template: template, number: out.pages[page].number)
                let photo = images(out.pages[page])
                XCTAssertEqual(photo.count, 1, what)
                XCTAssertEqual(photo.first?.frame.width ?? 0, frame.textArea.width, accuracy: 0.5, what)
                XCTAssertTrue(bodyItems(out.pages[page]).allSatisfy { $0.origin.y > photo.first?.frame.maxY ?? .infinity }, "\(what): text above it")
                XCTAssertTrue(images(out.pages[page + 1]).isEmpty, what)
            }
        }
        XCTAssertGreaterThan(sooner, 0, "a figure met sooner")
    }

    /// In vertical bands no figure spans the page, and one waiting for a band's head when the
    /// text ends goes to the next page's: a page holding that figure alone after the end mark is
    /// mended as a short last page is (its lines counted, a figure across a band had been half a
    /// page, never short) — the figures scaled to go back, else the figure met a band sooner
    /// (random mn seeds 2362, 2375, 2376, 2378, 2385, 2395). Where either is done, no page
    /// holds figures alone and the article is no longer.
    func testAFigureAloneAfterTheEndMarkInVerticalBandsIsMended() {
        let image = ImageInfo(path: "/x.jpg", format: .jpeg, pixelWidth: 1500, pixelHeight: 1000)
        var (scaled, sooner) = (0, 0)
        for placement in [FigurePlacement.top, .span] {
            for length in stride(from: 200, through: 3000, by: 100) {
                let figure = Block.figure(Figure(path: "x.jpg", caption: StyledText("草原"), image: image, location: Samples.location, placement: placement))
                var a = Samples.article([Samples.paragraph(length), figure, Samples.paragraph(30)])
                a.meta.declaredWritingMode = .verticalLR
                let out = compose(a.blocks, article: a), asSet = composeAsSet(a)
                let what = "\(placement) after \(length) characters"
                XCTAssertEqual(out.charactersPlaced, out.charactersSet, what)
                let notes = out.diagnostics.filter { $0.code == "copyfit" && $0.message.hasSuffix("a page of figures alone") }.map(\.message)
                guard !notes.isEmpty else { continue }
                XCTAssertTrue(asSet.pages.last.map { bodyItems($0).isEmpty } ?? false, "\(what): as set, it ended on the figure alone")
                XCTAssertTrue(out.pages.allSatisfy { !bodyItems($0).isEmpty }, "\(what): a page without text")
                XCTAssertLessThanOrEqual(out.pages.count, asSet.pages.count, what)
                if notes.contains(where: { $0.hasPrefix("figures scaled") }) { scaled += 1 }
                if notes.contains(where: { $0.contains("set sooner") }) { sooner += 1 }
            }
        }
        XCTAssertGreaterThan(scaled, 0, "figures scaled to go back")
        XCTAssertGreaterThan(sooner, 0, "a figure met a band sooner")
    }
}
