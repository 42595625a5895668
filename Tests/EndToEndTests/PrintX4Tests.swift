/// The print variant as PDF/X-4 (`render --pdfx 4`, PrintX4.swift), checked by
/// `scripts/x4check.py` (pikepdf; no PDF/X validator is installable here): made by Folio, not by
/// Ghostscript, so the structure tree, the text and the images are the screen PDF's — only the
/// flat colours become inks (black as black ink alone) and the file declares its output condition.
import Foundation
import XCTest

final class PrintX4Tests: FolioCommandTestCase {
    func x4check(_ pdf: String) throws -> (status: Int32, stdout: String) {
        let r = try shell("python3", ["-W", "ignore", root + "/scripts/x4check.py", pdf])
        return (r.status, r.stdout + r.stderr)
    }

    /// Per page: how many times the content sets black (`0 0 0 rg` on screen, `0 0 0 1 k` in
    /// print), every other RGB colour, and every other ink; and the SHA-256 of every image's bytes.
    static let colourScript = """
    import hashlib, sys, pikepdf
    pdf = pikepdf.open(sys.argv[1])
    for page in pdf.pages:
        black = rgb = inks = 0
        for operands, op in pikepdf.parse_content_stream(page.obj):
            values = [float(v) for v in operands] if str(op) in ("rg", "k") else []
            if str(op) == "rg": black, rgb = (black + 1, rgb) if values == [0, 0, 0] else (black, rgb + 1)
            if str(op) == "k": black, inks = (black + 1, inks) if values == [0, 0, 0, 1] else (black, inks + 1)
        images = sorted(hashlib.sha256(x.read_raw_bytes()).hexdigest()[:12] for _, x in page.Resources.get("/XObject", {}).items() if x.Subtype == "/Image")
        print(black, rgb, inks, *images)
    """

    /// The sample issue (photographs, SVG art, a table, the contents) and the Uyghur edition
    /// (right to left): the X-4 check and the tag check pass; the structure and its text are the
    /// screen PDF's (Ghostscript's PDF/X-3 keeps neither); on every page black is set as often as
    /// on screen, now as black ink that overprints, no RGB colour is left, and the images are the
    /// same bytes.
    func testPDFX4KeepsTheTagsTextAndImagesAndPrintsBlackAsBlackInk() throws {
        for (name, input) in [("sample", "examples/sample-issue/issue.yaml"), ("ug", "examples/editions/ug/issue.yaml")] {
            let screen = work + "/\(name)-screen.pdf", print = work + "/\(name)-x4.pdf"
            XCTAssertEqual(try shell(folio, ["render", input, "-o", screen]).status, 0)
            let r = try shell(folio, ["render", input, "--pdfx", "4", "-o", print])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("(PDF/X-4)"), r.stdout)
            let check = try x4check(print)
            XCTAssertEqual(check.status, 0, check.stdout)
            XCTAssertTrue(check.stdout.hasPrefix("ok "), check.stdout)
            // Black text and rules overprint, every one (nothing else does: white would vanish).
            XCTAssertTrue(check.stdout.contains(" overprint, 0 knock out"), check.stdout)
            XCTAssertFalse(check.stdout.contains("paintings: 0 overprint"), check.stdout)
            let tags = try shell("python3", [root + "/scripts/tagcheck.py", print])
            XCTAssertEqual(tags.status, 0, tags.stdout)
            // The reading order and its text as on screen (less the contents' links, which PDF/X leaves out).
            let (screenTree, _) = try structElements(screen), (printTree, _) = try structElements(print)
            XCTAssertEqual(printTree.map(\.text).joined(), screenTree.map(\.text).joined(), name)
            XCTAssertEqual(printTree.map(\.tag), screenTree.map(\.tag).filter { $0 != "Link" && $0 != "Object" }, name)   // the links and their annotations
            XCTAssertGreaterThan(printTree.count, 30)
            // Colours page by page: black as often, as ink; no RGB left; the same images.
            let before = try shell("python3", ["-W", "ignore", "-c", Self.colourScript, screen]).stdout.split(separator: "\n")
            let after = try shell("python3", ["-W", "ignore", "-c", Self.colourScript, print]).stdout.split(separator: "\n")
            XCTAssertEqual(before.count, after.count)
            for (page, (s, p)) in zip(before, after).enumerated() {
                let sv = s.split(separator: " "), pv = p.split(separator: " ")
                XCTAssertEqual(pv[0], sv[0], "\(name) page \(page + 1): black as often")
                XCTAssertEqual(pv[1], "0", "\(name) page \(page + 1): no RGB colour left")
                XCTAssertEqual(pv[2], sv[1], "\(name) page \(page + 1): every other colour as inks")
                XCTAssertEqual(pv.dropFirst(3), sv.dropFirst(3), "\(name) page \(page + 1): the same images")
            }
            XCTAssertGreaterThanOrEqual(before.map { Int($0.split(separator: " ")[0])! }.reduce(0, +), before.count, "\(name): black on every page")
        }
    }

    /// The checker finds what it checks: the screen PDF (RGB, no output intent, links) fails it.
    func testTheScreenPDFIsNotPDFX4() throws {
        let pdf = work + "/screen.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        let check = try x4check(pdf)
        XCTAssertEqual(check.status, 1)
        for problem in ["0 PDF/X output intents", "no pdfxid:GTS_PDFXVersion", "device RGB colours in the content", "/ColorSpace /DeviceRGB", "annotations"] {
            XCTAssertTrue(check.stdout.contains(problem), problem + " in " + check.stdout)
        }
    }

    /// A profile that is not CMYK, and a PDF/X version Folio does not write, are errors that say so.
    func testPDFX4NeedsACMYKProfile() throws {
        let pdf = work + "/x.pdf"
        let rgb = try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--pdfx", "4", "--icc", "/usr/share/color/icc/ghostscript/srgb.icc", "-o", pdf])
        XCTAssertEqual(rgb.status, 1)
        XCTAssertTrue(rgb.stderr.contains("is not a CMYK profile"), rgb.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: pdf))
        let five = try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--pdfx", "5", "-o", pdf])
        XCTAssertNotEqual(five.status, 0)
        XCTAssertTrue(five.stderr.contains("--pdfx is 3 or 4"), five.stderr)
    }

    /// Crop and bleed marks print on every plate (registration: /Separation /All), in both print
    /// variants, so that the platemaker can register each plate by them; before, they were black
    /// ink alone, on the black plate only. Ghostscript separates page 1 into its four plates; each
    /// has the same marks in the left slug (10 mm), where nothing else is drawn.
    func testCropMarksAreOnEveryPlate() throws {
        let script = """
        import sys, fitz
        for plate in ("Cyan", "Magenta", "Yellow", "Black"):
            p = fitz.Pixmap(sys.argv[1] + "/p(%s).tif" % plate)
            s, w = p.samples, p.width
            print(plate, sum(1 for y in range(p.height) for x in range(50) if s[(y * w + x) * p.n] < 128))
        """
        for variant in [["--pdfx", "4"], ["--print"]] {
            let pdf = work + "/marks\(variant[0]).pdf", plates = work + "/plates\(variant[0])"
            let r = try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--marks", "-o", pdf] + variant)
            XCTAssertEqual(r.status, 0, r.stderr)
            try FileManager.default.createDirectory(atPath: plates, withIntermediateDirectories: true)
            let gs = try shell("gs", ["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffsep", "-r150", "-dFirstPage=1", "-dLastPage=1",
                                      "-sOutputFile=" + plates + "/p.tif", pdf])
            XCTAssertEqual(gs.status, 0, gs.stderr)
            let counts = try shell("python3", ["-W", "ignore", "-c", script, plates])
            XCTAssertEqual(counts.status, 0, counts.stderr)
            let inked = counts.stdout.split(separator: "\n").map { Int($0.split(separator: " ")[1])! }
            XCTAssertEqual(inked.count, 4, counts.stdout)
            XCTAssertGreaterThan(inked[3], 50, "\(variant): marks on the black plate: " + counts.stdout)
            XCTAssertEqual(Set(inked).count, 1, "\(variant): the same marks on every plate: " + counts.stdout)
        }
        // x4check still passes (a separation is no device RGB, and no four-colour black).
        XCTAssertEqual(try x4check(work + "/marks--pdfx.pdf").status, 0)
    }
}
