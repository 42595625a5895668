/// Word articles (issue 17): a .docx made by pandoc from a Markdown source is imported as a
/// Markdown article (front matter from Word's Title/Subtitle/Author/Date, figure captions,
/// tables, footnotes as numbered notes, Chinese punctuation and U+3000 kept exactly), rendered
/// directly with nothing lost (pdfcheck completeness), and never imported over an article.
import Foundation
import XCTest

final class WordImportTests: FolioCommandTestCase {
    func makeDocx() throws -> String {
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/sample.gif", toPath: work + "/campus.gif")
        let source = """
        ---
        title: 草原深处的读书声
        subtitle: 牧区孩子的新课堂
        author: 林晓岚
        date: 2024-06-12
        ---

        # 第一节

        清晨，\u{3000}阳光照进教室。“你好！”孩子们说：这是第1课《草原》。

        | 年份 | 学生 |
        |---|---|
        | 2023 | 120 |

        ![校园一角](campus.gif)

        脚注在此[^1]。

        [^1]: 注释内容。

        """
        try source.write(toFile: work + "/src.md", atomically: true, encoding: .utf8)
        let docx = work + "/草原.docx"
        let made = try shell("pandoc", [work + "/src.md", "--resource-path", work, "-o", docx])
        XCTAssertEqual(made.status, 0, made.stderr)
        return docx
    }

    func testImportWritesAFolioArticleAndNeverReplacesOne() throws {
        let docx = try makeDocx()
        let r = try shell(folio, ["import", docx, "-o", work + "/imp"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: 1 footnote"), r.stderr)
        let md = try String(contentsOfFile: work + "/imp/草原.md", encoding: .utf8)
        for expected in ["title: \"草原深处的读书声\"", "deck: \"牧区孩子的新课堂\"", "author: \"林晓岚\"", "date: 2024-06-12",
                         "# 第一节", "清晨，\u{3000}阳光照进教室。“你好！”孩子们说：这是第1课《草原》。", "| 2023 | 120",
                         "![校园一角](./media/", "脚注在此①。", "## 注释", "① 注释内容。"] {
            XCTAssertTrue(md.contains(expected), "\(expected) in:\n\(md)")
        }
        XCTAssertEqual(md.components(separatedBy: "校园一角").count, 2, "the caption paragraph became the figure's caption:\n\(md)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work + "/imp/media").count, 1)
        // The imported article renders as any other.
        XCTAssertEqual(try shell(folio, ["render", work + "/imp/草原.md", "-o", work + "/imp.pdf"]).status, 0)
        // A second import into the same folder is refused; the article is untouched.
        try (md + "编辑改过。\n").write(toFile: work + "/imp/草原.md", atomically: true, encoding: .utf8)
        let again = try shell(folio, ["import", docx, "-o", work + "/imp"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        XCTAssertTrue(try String(contentsOfFile: work + "/imp/草原.md", encoding: .utf8).hasSuffix("编辑改过。\n"))
    }

    /// A manuscript's habits — a bold line of its own for a section title, a caption written
    /// under its image, paragraphs indented with ideographic spaces — are written into the
    /// imported Markdown as Folio reads them, so that its renders need no note about them.
    func testImportWritesTheManuscriptAsRead() throws {
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/sample.gif", toPath: work + "/campus.gif")
        try """
        ---
        title: 稿件
        ---

        文/林晓岚

        **编者按**：这是一篇稿件。

        \u{3000}\u{3000}清晨，阳光照进教室。

        **一、缘起**

        \u{3000}\u{3000}孩子们[来了]。

        二、路上

        正文。

        ![](campus.gif)

        图为校园[一角]。

        **他说：好。**

        最后一段,有(括号)!见`a,b`。

        【回望】

        正文。

        【展望】

        正文。

        （完）

        （责任编辑：周明远）

        注释：

        ① 一条注。

        """.write(toFile: work + "/m.md", atomically: true, encoding: .utf8)
        let made = try shell("pandoc", [work + "/m.md", "--resource-path", work, "-o", work + "/m.docx"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let r = try shell(folio, ["import", work + "/m.docx", "-o", work + "/imp"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("the byline as the author; the notes' label as their heading; 1 closing line as credits; the end mark left out; the editor's note as a box; 4 titles of their own (bold, numbered 一、 or marked 【】) as headings; 1 paragraph under an image as its caption; 2 ideographic-space indents removed (the template indents); 4 Chinese punctuation marks typed half-width or miswritten as Chinese sets them"), r.stderr)
        let md = try String(contentsOfFile: work + "/imp/m.md", encoding: .utf8)
        for expected in ["\n清晨，阳光照进教室。\n", "\n## 一、缘起\n", "\n## 二、路上\n", "\n孩子们\\[来了\\]。\n", "\n![图为校园\\[一角\\]。](./media/", "\n**他说：好。**\n", "author: \"林晓岚\"\neditor: \"周明远\"\n", "\n> [!box] 编者按\n> 这是一篇稿件。\n", "\n## 注释\n\n① 一条注。\n", "\n### 回望\n", "\n### 展望\n", "\n最后一段，有（括号）！见`a,b`。\n"] {
            XCTAssertTrue(md.contains(expected), "\(expected) in:\n\(md)")
        }
        XCTAssertEqual(md.components(separatedBy: "图为").count, 2, md)
        XCTAssertFalse(md.contains("\u{3000}") || md.contains("文/") || md.contains("责任编辑"), md)
        let render = try shell(folio, ["render", work + "/imp/m.md", "-o", work + "/m.pdf"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertFalse(render.stderr.contains("bold line") || render.stderr.contains("numbered") || render.stderr.contains("marked") || render.stderr.contains("byline") || render.stderr.contains("closing") || render.stderr.contains("editor's note") || render.stderr.contains("caption") || render.stderr.contains("ideographic") || render.stderr.contains("punctuation"), render.stderr)
    }

    /// `markdown` made a Word file by pandoc (`name`.docx) and imported: what `folio import`
    /// said (it succeeded) and the Markdown it wrote.
    func imported(_ markdown: String, as name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (Result, String) {
        try markdown.write(toFile: work + "/\(name).md", atomically: true, encoding: .utf8)
        XCTAssertEqual(try shell("pandoc", [work + "/\(name).md", "-o", work + "/\(name).docx"]).status, 0, file: file, line: line)
        let r = try shell(folio, ["import", work + "/\(name).docx", "-o", work + "/imp"])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (r, try String(contentsOfFile: work + "/imp/\(name).md", encoding: .utf8))
    }

    /// A Word manuscript whose paragraphs end with line breaks (Shift+Enter) and begin with
    /// ideographic spaces is imported and printed a paragraph each (it was one paragraph, its
    /// line breaks and indents inside it: read aloud as one, with the holes).
    func testParagraphsEndedWithLineBreaksAreParagraphs() throws {
        let (r, md) = try imported("---\ntitle: 新学期\n---\n\n\u{3000}\u{3000}草原上的学校迎来了新学期，孩子们骑马上学。\\\n\u{3000}\u{3000}老师早早地等在门口，铃声响了。\\\n\u{3000}\u{3000}第一课是语文。\n\n\u{3000}\u{3000}下课了，孩子们跑出教室。\u{3000}\u{3000}草原的六月，风很轻。\n", as: "b")
        XCTAssertTrue(r.stderr.contains("5 ideographic-space indents removed"), r.stderr)
        // Paragraphs run together in one, with their indents inside, are written apart too.
        XCTAssertTrue(md.hasSuffix("\n\n下课了，孩子们跑出教室。\n\n草原的六月，风很轻。\n"), md)
        let again = try shell(folio, ["render", work + "/imp/b.md", "-o", work + "/b2.pdf"])
        XCTAssertFalse(again.stderr.contains("ideographic") || again.stderr.contains("run together"), again.stderr)
        XCTAssertTrue(md.contains("\n\n草原上的学校迎来了新学期，孩子们骑马上学。\n\n老师早早地等在门口，铃声响了。\n\n第一课是语文。\n"), md)
        for source in [work + "/b.docx", work + "/imp/b.md"] {
            let render = try shell(folio, ["render", source, "-o", work + "/b.pdf"])
            XCTAssertEqual(render.status, 0, render.stderr)
            // As a screen reader reads it: three paragraphs (it read one, with the holes).
            let read = try shell("python3", [root + "/scripts/structtext.py", work + "/b.pdf"]).stdout
            XCTAssertTrue(read.contains("\nP [zh-Hans] 草原上的学校迎来了新学期，孩子们骑马上学。\nP [zh-Hans] 老师早早地等在门口，铃声响了。\nP [zh-Hans] 第一课是语文。\n"), read)
        }
    }

    /// A Word manuscript with no Title style: its first line, and a subtitle line under it, are
    /// the title and deck (the file name was the title, with a warning).
    func testAWordManuscriptsFirstLinesAreItsTitleAndDeck() throws {
        let (r, md) = try imported("草原上的账本\n\n——一个嘎查的十年\n\n正文。\n", as: "t")
        XCTAssertFalse(r.stderr.contains("no title"), r.stderr)
        XCTAssertTrue(md.hasPrefix("---\ntitle: \"草原上的账本\"\ndeck: \"一个嘎查的十年\"\n---\n\n正文。"), md)
    }

    func testWordArticleRendersWithNothingLost() throws {
        let docx = try makeDocx()
        let pdf = work + "/word.pdf"
        let r = try shell(folio, ["render", docx, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = work + "/expected.txt"
        try "草原深处的读书声\n牧区孩子的新课堂\n林晓岚\n第一节\n清晨，\u{3000}阳光照进教室。“你好！”孩子们说：这是第1课《草原》。\n年份\n学生\n2023\n120\n脚注在此①。\n"
            .write(toFile: text, atomically: true, encoding: .utf8)
        let check = try shell("python3", [try pdfcheckTool(), pdf, "--source", text, "--fail-on", "completeness.missing_chars=0"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        // A file that is not a Word document is a located error, and nothing is written.
        try "not a zip".write(toFile: work + "/fake.docx", atomically: true, encoding: .utf8)
        let bad = try shell(folio, ["render", work + "/fake.docx", "-o", work + "/fake.pdf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("fake.docx") && bad.stderr.contains("is not a Word (.docx) file"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/fake.pdf"))
    }
}
