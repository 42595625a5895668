/// A small PNG golden per script (issue 6): the first page of each edition's minority-language
/// article, and the vertical Chinese sample, previewed at 50 dpi and compared channel by channel
/// (tolerance 2) with `scripts/pngdiff.py`. They catch a change in joining, orientation, line
/// progression or column order that structural tests miss; each was looked at when it was made.
/// FOLIO_UPDATE_GOLDENS=1 rewrites them (look at the new ones before committing).
import Foundation
import XCTest

final class ScriptGoldenTests: FolioCommandTestCase {
    func check(_ name: String, _ input: String, article: String? = nil) throws {
        let golden = root + "/Tests/EndToEndTests/Goldens/\(name)-50dpi.png"
        let png = work + "/\(name).png"
        let r = try shell(folio, ["preview", input, "--dpi", "50", "-o", png] + (article.map { ["--article", $0] } ?? []))
        XCTAssertEqual(r.status, 0, r.stderr)
        if ProcessInfo.processInfo.environment["FOLIO_UPDATE_GOLDENS"] != nil {
            try? FileManager.default.removeItem(atPath: golden)
            try FileManager.default.copyItem(atPath: png, toPath: golden)
        }
        let diff = try shell("python3", [root + "/scripts/pngdiff.py", png, golden, "2"])
        if diff.status != 0 {
            let kept = FileManager.default.temporaryDirectory.appendingPathComponent("folio-golden-\(name).png").path
            try? FileManager.default.removeItem(atPath: kept)
            try? FileManager.default.copyItem(atPath: png, toPath: kept)
            XCTFail("\(name): the preview differs from \(golden): \(diff.stdout)\(diff.stderr); the new image is \(kept)")
        }
    }

    func testUyghurRightToLeft() throws { try check("ug", "examples/editions/ug/issue.yaml", article: "ug") }
    func testKazakhRightToLeft() throws { try check("kk", "examples/editions/kk/issue.yaml", article: "kk") }
    func testKoreanByCharacters() throws { try check("ko", "examples/editions/ko/issue.yaml", article: "ko") }

    /// What Folio prints around an article comes in the article's language where the template
    /// has its labels (the Korean edition: 글, 출처, a Korean date), Chinese otherwise.
    func testLabelsFollowTheArticlesLanguage() throws {
        let pdf = work + "/ko.pdf"
        let r = try shell(folio, ["render", "examples/editions/ko/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try shell("pdftotext", [pdf, "-"]).stdout
        for s in ["글 Google Fonts · 2024년 6월 15일", "출처: 《世界人权宣言》", "文／Google Fonts 语言数据（Apache-2.0） · 2024 年 6 月 15 日", "来源：《世界人权宣言》"] {
            XCTAssertTrue(text.contains(s), "\(s) in \(text)")
        }
    }
    /// The heading Folio puts over the footnotes it gathers is its own word, in the article's
    /// language like the byline's (the Korean edition: 주석); a Chinese article keeps 注释.
    func testTheNotesHeadingFollowsTheArticlesLanguage() throws {
        let folder = work + "/ko-notes"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let issue = try String(contentsOfFile: root + "/examples/editions/ko/issue.yaml", encoding: .utf8)
            .replacingOccurrences(of: "../../../layouts", with: root + "/layouts")
        try issue.write(toFile: folder + "/issue.yaml", atomically: true, encoding: .utf8)
        for (name, mark) in [("ko", "인권[^1]"), ("zh", "人权[^1]")] {
            let text = try String(contentsOfFile: root + "/examples/editions/ko/\(name).md", encoding: .utf8)
            try (text + "\n\(mark)\n\n[^1]: Universal Declaration of Human Rights, 1948.\n").write(toFile: folder + "/\(name).md", atomically: true, encoding: .utf8)
        }
        let pdf = work + "/ko-notes.pdf"
        let r = try shell(folio, ["render", folder + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try shell("pdftotext", [pdf, "-"]).stdout
        XCTAssertEqual(text.components(separatedBy: "주석").count - 1, 1, text)
        XCTAssertEqual(text.components(separatedBy: "注释").count - 1, 1, text)
        XCTAssertEqual(text.components(separatedBy: "① Universal Declaration").count - 1, 2, text)
    }
    /// A list in a right-to-left article hangs from the right: each item's marker 2 em in from
    /// the column's right edge, its text to the left of the marker. Before, the offsets were
    /// taken from the left as in Chinese — the marker stood past the column's right edge, and
    /// the hang was measured as the whole line (a right-to-left line's width includes the blank
    /// before its text), leaving the items a negative measure: one letter per line.
    func testARightToLeftListHangsFromTheRight() throws {
        let (_, pdf, said) = try renderArticle(work, "ug-list", """
            ---
            title: ئىنسان ھوقۇقى
            language: ug
            ---

            - ## ئىنسانلار ئائىلىسى
              ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ ئۆزىگە خاس ئىززەتھۆرمىتىنى شۇنىڭدەك ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى ئەتراپ قىلىشنىڭ.

              دۇنياۋى ئەركىنلىك، ھەققانىيەت ۋە تىنچلىقنىڭ ئاساسى ئىكەنلىكى، ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ.
            - ئۇلارنىڭ باراۋەر ۋە تەۋرەنمەس ھوقۇقىنى.

            """)
        XCTAssertFalse(said.contains("wider than the column"), said)
        // Per line holding a marker: the marker's left and right, the rest of the line's right
        // end; and the title's right end (the column's edge on the first page).
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            page = fitz.open(sys.argv[1])[0]
            rows, right = [], 0
            for b in page.get_text('rawdict')['blocks']:
                for line in b.get('lines', []):
                    chars = [c for s in line['spans'] for c in s['chars']]
                    text = ''.join(c['c'] for c in chars)
                    if 'ئىنسان ھوقۇقى' in text: right = line['bbox'][2]
                    marks = [c['bbox'] for c in chars if c['c'] == '•']
                    rest = [c['bbox'][2] for c in chars if c['c'] not in '• ']
                    if marks and rest: rows.append([marks[0][0], marks[0][2], max(rest)])
            print(json.dumps({'rows': rows, 'right': right}))
            """, pdf])
        let values = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any], found.stdout + found.stderr)
        let rows = try XCTUnwrap(values["rows"] as? [[Double]]), right = try XCTUnwrap(values["right"] as? Double)
        XCTAssertEqual(rows.count, 2, "two items' markers: \(values)")
        for row in rows {
            XCTAssertGreaterThan(row[0], row[2], "the marker right of its item's text: \(values)")
        }
        XCTAssertLessThan(rows[0][1], right - 15, "the first marker inside the column, some 2 em from its right edge: \(values)")
    }

    /// A Uyghur article: a title, a paragraph, then `body`; the PDF's path.
    func renderUyghur(_ name: String, _ body: String) throws -> String {
        try renderArticle(work, name, "---\ntitle: ئىنسان ھوقۇقى\nlanguage: ug\n---\n\nئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ.\n\n" + body).pdf
    }

    /// A table in a right-to-left article has its first column on the right (it was on the
    /// left, the columns in Chinese order, their text right-aligned within them).
    func testARightToLeftTableStartsAtTheRight() throws {
        let pdf = try renderUyghur("ug-table", """
            | ئىسىم | سان |
            | --- | --- |
            | ئىنسانلار | 12 |

            """)
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            words = {w[4]: w[0] for w in fitz.open(sys.argv[1])[0].get_text('words')}
            print(json.dumps([words.get('ئىسىم'), words.get('سان'), words.get('ئىنسانلار'), words.get('12')]))
            """, pdf])
        let x = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [Double], found.stdout + found.stderr)
        XCTAssertGreaterThan(x[0], x[1], "the first column's header right of the second's: \(x)")
        XCTAssertGreaterThan(x[2], x[3], "and its cells: \(x)")
    }

    /// Code in a right-to-left article runs left to right, as a program is read: its lines start
    /// at the left, an indent keeps its width on the left, and the quotes of `"$f"` stay in
    /// their order. Before, its lines were right-to-left paragraphs: flush right, the indent on
    /// the right and the weak characters reordered ("folio check "$f read `"folio check "$f`).
    func testCodeInARightToLeftArticleRunsLeftToRight() throws {
        let pdf = try renderUyghur("ug-code", """
            ```
            for f in *.md; do
                folio check "$f"
            done
            ```

            """)
        // Per code line: its text in reading order and its left end.
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            rows = {}
            for b in fitz.open(sys.argv[1])[0].get_text('rawdict')['blocks']:
                for line in b.get('lines', []):
                    chars = [c for s in line['spans'] for c in s['chars']]
                    chars.sort(key=lambda c: c['bbox'][0])
                    text = ''.join(c['c'] for c in chars).strip()
                    if text.startswith(('for', 'folio', 'done')):
                        rows[text] = min(c['bbox'][0] for c in chars if c['c'].strip())
            print(json.dumps(rows))
            """, pdf])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Double], found.stdout + found.stderr)
        let loop = try XCTUnwrap(rows["for f in *.md; do"], "the first line in reading order: \(rows)")
        let body = try XCTUnwrap(rows["folio check \"$f\""], "the indented line, its quotes in order: \(rows)")
        let done = try XCTUnwrap(rows["done"], "\(rows)")
        XCTAssertEqual(loop, done, accuracy: 0.5, "the lines start at one left edge: \(rows)")
        XCTAssertEqual(body - loop, 4 * 0.5 * 9, accuracy: 4, "the indent (4 columns of half an em) on the left: \(rows)")
    }

    /// A full-bleed photograph's caption is printed on its white tint over the photograph, in the
    /// PDF as in the preview: the tint is drawn after the image. (The structure tagger drew every
    /// rectangle first with the furniture, so the tint lay under the photograph and the caption
    /// stood on the picture.) In a Mongolian article the caption is set in vertical lines on a
    /// tint as long as they are; it was drawn as horizontal lines, its Chinese turned on its side.
    func testAFullBleedCaptionIsPrintedOnItsTintOverThePhotograph() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: work + "/grassland.jpg")
        for (name, language) in [("bleed-zh", "zh-Hans"), ("bleed-mn", "mn"), ("bleed-ug", "ug")] {
            let (_, pdf, _) = try renderArticle(work, name, """
                ---
                title: 草原
                language: \(language)
                ---

                牧区的孩子们每天骑马上学。

                ![草原上的学校](grassland.jpg "full-bleed")

                """)
            // On the photograph's page: what is drawn, in order, and the caption's characters.
            let found = try shell("python3", ["-W", "ignore", "-c", """
                import sys, json, fitz
                doc = fitz.open(sys.argv[1])
                for page in doc:
                    log = page.get_bboxlog()
                    if not any(kind == 'fill-image' for kind, _ in log): continue
                    chars = [c for t in page.get_texttrace() for c in t['chars'] if chr(c[0]) in '草原上的学校']
                    xs, ys = [c[2][0] for c in chars], [c[2][1] for c in chars]
                    boxes = [c[3] for c in chars]
                    print(json.dumps({'log': [[k, list(b)] for k, b in log], 'chars': len(chars), 'width': page.rect.width,
                                      'spread': [max(xs) - min(xs), max(ys) - min(ys)] if chars else [],
                                      'ink': [min(b[0] for b in boxes), max(b[2] for b in boxes)] if chars else []}))
                """, pdf])
            let values = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any], found.stdout + found.stderr)
            let log = try XCTUnwrap(values["log"] as? [[Any]])
            let image = try XCTUnwrap(log.firstIndex { ($0[0] as? String) == "fill-image" }, "\(log)")
            let tint = try XCTUnwrap(log.firstIndex { ($0[0] as? String) == "fill-path" }, "\(name): the tint: \(log)")
            XCTAssertGreaterThan(tint, image, "\(name): the tint over the photograph: \(log)")
            XCTAssertEqual(values["chars"] as? Int, 6, "\(name): the caption printed: \(values)")
            // Its characters one after another along the line: across the page in Chinese, down
            // it in Mongolian's vertical line (laid flat, they went across).
            let spread = try XCTUnwrap(values["spread"] as? [Double])
            let (along, across) = language == "mn" ? (spread[1], spread[0]) : (spread[0], spread[1])
            XCTAssertGreaterThan(along, 30, "\(name): \(spread)")
            XCTAssertLessThan(across, 1, "\(name): \(spread)")
            // On the tint, and at the text area's start edge: the right in Uyghur.
            let ink = try XCTUnwrap(values["ink"] as? [Double]), tintBox = try XCTUnwrap(log[tint][1] as? [Double])
            XCTAssertTrue(tintBox[0] <= ink[0] && ink[1] <= tintBox[2], "\(name): the caption on its tint: \(ink) \(tintBox)")
            let middle = try XCTUnwrap(values["width"] as? Double) / 2
            if language == "ug" { XCTAssertGreaterThan(ink[0], middle, "\(name): \(ink)") } else { XCTAssertLessThan(ink[1], middle, "\(name): \(ink)") }
        }
    }

    /// A caption under an image narrower than its column starts at the image's start edge: its
    /// left in Chinese, its right in Uyghur, where the caption's lines end flush right. Before,
    /// a right-to-left caption was placed as a left-to-right one (its line from the image's
    /// left edge, its text at the line's far end): it stood past the image into the next
    /// column, over its text (random_articles ug seed 26).
    func testACaptionStartsAtItsImagesEdgeInEitherDirection() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try #"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="900"><rect width="100" height="900" fill="green"/></svg>"#
            .write(toFile: work + "/tall.svg", atomically: true, encoding: .utf8)
        for (name, language, text, caption) in [("caption-zh", "zh-Hans", "牧区的孩子们每天骑马上学。", "蒙古包与羊群"),
                                                  ("caption-ug", "ug", "ئىنسانلار ئائىلىسىنىڭ بارلىق ئەزالىرنىڭ.", "ئىنسان ھوقۇقى")] {
            let (_, pdf, _) = try renderArticle(work, name, """
                ---
                title: 草原
                language: \(language)
                ---

                \(text)

                ![\(caption)](tall.svg)

                \(text)

                """)
            let found = try shell("python3", ["-W", "ignore", "-c", """
                import sys, json, fitz
                tall = lambda page: [list(b) for kind, b in page.get_bboxlog() if kind == 'fill-path' and b[3] - b[1] > 300]
                page = next((p for p in fitz.open(sys.argv[1]) if tall(p)), fitz.open(sys.argv[1])[0])
                image = tall(page)
                xs = [c[3][0] for t in page.get_texttrace() for c in t['chars'] if chr(c[0]) in sys.argv[2]] + \\
                     [c[3][2] for t in page.get_texttrace() for c in t['chars'] if chr(c[0]) in sys.argv[2]]
                print(json.dumps({'image': image[0] if image else [], 'caption': [min(xs), max(xs)] if xs else []}))
                """, pdf, caption.replacingOccurrences(of: " ", with: "")])
            let values = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: [Double]], found.stdout + found.stderr)
            let image = try XCTUnwrap(values["image"]), text = try XCTUnwrap(values["caption"])
            XCTAssertEqual(image.count, 4, "\(name): \(values)"); XCTAssertEqual(text.count, 2, "\(name): \(values)")
            guard image.count == 4, text.count == 2 else { continue }
            XCTAssertLessThan(image[2] - image[0], 150, "\(name): the image narrower than its column: \(values)")
            if language == "ug" {
                XCTAssertEqual(text[1], image[2], accuracy: 1, "\(name): the caption ends at the image's right edge: \(values)")
            } else {
                XCTAssertEqual(text[0], image[0], accuracy: 1, "\(name): the caption starts at the image's left edge: \(values)")
            }
        }
    }

    /// A caption that opens with a bracket under an image as wide as its column keeps to the
    /// column: the bracket's blank half hangs before the line's start as in any line (clreq
    /// C9), and the line is not moved in to make up for it (a first version of the caption's
    /// placement did, and ran the caption 2 pt past the column: an archive article's missing-image note).
    func testACaptionOpeningWithABracketKeepsToItsColumn() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: work + "/grassland.jpg")
        let caption = "［草原］" + String(repeating: "牧区的孩子们每天骑马上学，路上要走两个小时。", count: 3)
        let (_, pdf, _) = try renderArticle(work, "caption-bracket", """
            ---
            title: 标题
            ---

            牧区的孩子们每天骑马上学。

            ![\(caption)](grassland.jpg)

            """)
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            page = fitz.open(sys.argv[1])[0]
            image = page.get_image_info()[0]['bbox']
            xs = [c[3][2] for t in page.get_texttrace() if t['size'] < 9.5 for c in t['chars'] if chr(c[0]) not in '，。；、 ']
            print(json.dumps([image[0], image[2], max(xs)]))
            """, pdf])
        let x = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [Double], found.stdout + found.stderr)
        XCTAssertLessThanOrEqual(x[2], x[1] + 0.5, "the caption's lines end at the column's edge, as the image does: \(x)")
    }

    func testMongolianVerticalLeftToRight() throws { try check("mn", "examples/editions/mn/issue.yaml", article: "mn") }
    func testChineseVerticalRightToLeft() throws { try check("zh-vertical", "examples/editions/zh-vertical/zh-vertical.md") }
}
