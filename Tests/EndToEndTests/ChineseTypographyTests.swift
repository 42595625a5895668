/// Chinese body text a proofreader returns unmarked (issue 12), gated by pdfcheck on the
/// sample issue and on long generated texts with heavy dialogue (scripts/make_novella.py; the
/// seeds here differ from the ones `make bench` reports, so nothing is tuned to one text).
import Foundation
import XCTest

final class ChineseTypographyTests: FolioCommandTestCase {
    /// The gates every Chinese page passes: issue 12's targets (letterspacing at most 0.5 % of
    /// lines, no column left short) and what held before.
    static let gates = [
        "punct_adjacent.count=0", "punct_line_end.full=0", "letterspacing.very_loose=0", "letterspacing.share=0.005",
        "han_latin_spacing.loose=0", "han_latin_spacing.none=0", "ideographic_space.count=0", "heading_at_foot=0", "short_columns=0",
        "kinsoku_start=0", "kinsoku_end=0", "ragged_justified=0", "runts=0", "overflow=0", "overlapping=0",
        "baseline_misaligned_share=0",
    ]

    /// Twelve long paragraphs, numbered: the text that goes on after the blocks a test moves a
    /// line at a time towards a column's foot.
    static let goingOn = (0..<12).map { "第\($0)段" + String(repeating: "草原上的学校迎来了新学期，孩子们骑着马从四面八方赶来。", count: 3) }

    func pdfcheck(_ pdf: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let tool = try pdfcheckTool(file: file, line: line)
        let r = try shell("python3", [tool, pdf] + Self.gates.flatMap { ["--fail-on", $0] })
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr, file: file, line: line)
    }

    func testSampleIssuePassesTheChineseGates() throws {
        let pdf = work + "/sample.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        try pdfcheck(pdf)
    }

    func testLongDialogueTextsPassTheChineseGates() throws {
        for seed in [3, 4] {
            let md = work + "/novella-\(seed).md", pdf = work + "/novella-\(seed).pdf"
            let text = try shell("python3", [root + "/scripts/make_novella.py", "\(seed)", "16000"])
            XCTAssertEqual(text.status, 0, text.stderr)
            try text.stdout.write(toFile: md, atomically: true, encoding: .utf8)
            let r = try shell(folio, ["render", md, "-o", pdf, "--verify"])
            XCTAssertEqual(r.status, 0, r.stderr)
            try pdfcheck(pdf)
        }
    }

    /// No column ends short while the text goes on (ColumnFill): with `heading-keep: 3`, a run of
    /// squeezable paragraphs (commas to squeeze, two characters on their last line) is moved
    /// down a line at a time before a heading; wherever the heading or a paragraph would be
    /// pushed on, paragraphs of the column are set a line shorter instead, and a note says so.
    func testColumnsAreFilledBeforeHeadingsAndKeptParagraphs() throws {
        let template = try String(contentsOfFile: root + "/layouts/magazine-16k.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  heading-keep: 2 ", with: "  heading-keep: 3 ")
        XCTAssertTrue(template.contains("heading-keep: 3"))
        try template.write(toFile: work + "/keep3.yaml", atomically: true, encoding: .utf8)
        let squeezable = String(repeating: "草原上，学校里，孩子们，", count: 4) + "读书了。"
        let rest = Array(repeating: String(repeating: "牧民们在夏季转场时互相帮助，合作社为大家提供了新的服务。", count: 3), count: 14)
        var notes = (heading: 0, paragraph: 0)
        for k in 12..<24 {
            let body = Array(repeating: "这是一句短话。", count: k) + Array(repeating: squeezable, count: 6) + ["## 小标题"] + rest
            // (Not ragged_justified: on this synthetic text pdfcheck takes the paragraphs' short
            // last lines, all alike, for justified lines; the real texts above are gated on it.)
            let messages = try renderChecked(body, name: "fill-\(k)", options: ["--template", work + "/keep3.yaml", "--fonts", root + "/fonts"],
                                             gates: ["short_columns", "heading_at_foot", "runts", "overflow", "overlapping"])
            if messages.contains("note: paragraph set a line shorter (its marks squeezed) so that the heading after it keeps 3 lines") { notes.heading += 1 }
            if messages.contains("so that a paragraph is not pushed on") { notes.paragraph += 1 }
        }
        XCTAssertGreaterThan(notes.heading, 0, "some heading kept its 3 lines by a tighter paragraph")
        XCTAssertGreaterThan(notes.paragraph, 0, "some paragraph was kept whole by a tighter one")
    }

    /// A short last page that neither figures nor air can take back goes back with paragraphs
    /// set a line shorter (their marks squeezed, clreq C14, as for a column), the article's last
    /// first and as few as do it — never more than a third of them — and the note names their
    /// lines. (Of 300 archived articles, 3 end a page sooner: a page that held a box, or a box
    /// and two lines.)
    func testAShortTailGoesBackWithParagraphsSetALineShorter() throws {
        let squeezable = String(repeating: "草原上，学校里，孩子们，", count: 4) + "读书了。"
        var fitted = 0, kept = 0
        for k in 22..<30 {
            let name = "tail-\(k)"
            let messages = try renderChecked(Array(repeating: squeezable, count: k), name: name,
                                             gates: ["runts", "overflow", "overlapping", "letterspacing", "kinsoku_start", "kinsoku_end"])
            let info = try shell("pdfinfo", [work + "/\(name).pdf"]).stdout
            let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
            guard let note = messages.split(separator: "\n").first(where: { $0.contains("set a line shorter") && $0.contains("does not end on") }) else {
                if pages > 1 { kept += 1 }
                continue
            }
            fitted += 1
            XCTAssertEqual(pages, 1, "\(k) paragraphs: \(note)")
            // The paragraphs named: the last ones (line 5 is the first paragraph's, each two lines on), at most a third.
            let named = note.split(separator: "(").last!.filter { $0 == "," }.count + 1
            XCTAssertLessThanOrEqual(named, (k + 2) / 3, "\(k) paragraphs: \(note)")
            XCTAssertTrue(note.hasSuffix(" \(5 + 2 * (k - 1)))"), "\(k) paragraphs: the last one first: \(note)")
        }
        XCTAssertGreaterThan(fitted, 0, "a short tail taken back by tighter paragraphs")
        XCTAssertGreaterThan(kept, 0, "a tail too long for a third of the paragraphs kept")
    }

    /// A pull quote is never split nor the last thing in a column while the text goes on (two
    /// lines follow it there, as under a heading): when it would be pushed to the next column,
    /// leaving two or more lines empty at the foot of its own, paragraphs of the column are set a
    /// line shorter so that it fits (or a line longer to fill the column), and a note says so.
    /// (Before, of these twelve articles one left a column two lines short and two ended a
    /// column with the quote.)
    func testColumnsAreFilledBeforePullQuotes() throws {
        let squeezable = String(repeating: "草原上，学校里，孩子们，", count: 4) + "读书了。"
        let rest = Array(repeating: String(repeating: "牧民们在夏季转场时互相帮助，合作社为大家提供了新的服务。", count: 3), count: 14)
        var notes = 0
        for k in 12..<24 {
            let body = Array(repeating: "这是一句短话。", count: k) + Array(repeating: squeezable, count: 6)
                + ["> [!pull]\n> 草原上的学校，是牧民的希望。"] + rest
            let messages = try renderChecked(body, name: "quote-\(k)", gates: ["short_columns", "heading_at_foot", "runts", "overflow", "overlapping"])
            if messages.contains("so that the pull quote after it fits in its column") { notes += 1 }
        }
        XCTAssertGreaterThan(notes, 0, "some pull quote fitted in its column by a tighter paragraph")
    }

    /// A pull quote that does not fit at a column's foot, where nothing before it can be set
    /// tighter (paragraphs without marks), waits for the head of the next column while the text
    /// after it fills its column, as magazines place pull quotes: no column is left short, no
    /// paragraph is spaced out to fill one. In the tagged PDF the paragraph it stands in is one
    /// `P`, read after the quote, as written (`structtext.py --source`). (Before, these articles'
    /// paragraphs were set a line looser to fill the column, and a quote in the middle of a
    /// paragraph — in the budget issue — split it into two `P`s read around the quote.)
    func testAPullQuoteThatDoesNotFitWaitsForTheNextColumnsHead() throws {
        let long = String(repeating: "牧民们在夏季转场时互相帮助合作社为大家提供了新的服务", count: 6) + "大家都很满意。"
        let rest = (0..<8).map { "第\($0)段" + String(repeating: "草原上的学校迎来了新学期孩子们骑着马从四面八方赶来", count: 4) + "。" }
        let quote = "草原上的学校，是牧民的希望。"
        var waited = 0
        for k in 10..<15 {
            let body = Array(repeating: "这是一句短话。", count: k) + Array(repeating: long, count: 3) + ["> [!pull]\n> " + quote] + rest
            let messages = try renderChecked(body, name: "waits-\(k)", gates: ["short_columns", "letterspacing", "overlapping", "overflow"])
            XCTAssertFalse(messages.contains("set a line longer"), messages)
            let pdf = work + "/waits-\(k).pdf"
            let read = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", work + "/waits-\(k).md"])
            XCTAssertEqual(read.status, 0, "waits-\(k): " + read.stdout)
            // Waited: the paragraph written after it begins before it — on an earlier page, or in
            // a column to its left — and so fills the column the quote left.
            let script = """
                import pymupdf, sys
                d = pymupdf.open(sys.argv[1])
                def at(s):
                    return next(((i, r[0].x0) for i, p in enumerate(d) for r in [p.search_for(s)] if r), None)
                q, a = at(sys.argv[2]), at("第")   # (the first 第 begins 第0段: the text layer spaces 0)
                print("waited" if q and a and (a[0] < q[0] or (a[0] == q[0] and a[1] < q[1] - 10)) else "no")
                """
            if try shell("python3", ["-c", script, pdf, "是牧民的希望"]).stdout.hasPrefix("waited") { waited += 1 }
        }
        XCTAssertGreaterThan(waited, 0, "some pull quote waited for the next column's head, the paragraph after it filling the column")
    }

    /// A pull quote keeps under it, in its column, the air before the block after it as well as
    /// that block's first two lines: followed by a block quote (a grid line of air above it), it
    /// was left the last thing in its column, the quote beginning the next. (Before, at 31 short
    /// paragraphs the pull quote ended the column.)
    func testAPullQuoteKeepsTheAirAndTheLinesAfterItInItsColumn() throws {
        let quote = "牧民的希望，在草原的学校。"
        let blockQuote = "> " + String(repeating: "老人说：“这是我们祖祖辈辈的草场，也是孩子们的草场。”", count: 3)
        let rest = Self.goingOn
        var alone: [Int] = []
        for k in 26..<36 {
            let body = Array(repeating: "这是一句短话。", count: k) + ["> [!pull]\n> " + quote, blockQuote] + rest
            _ = try renderChecked(body, name: "pull-air-\(k)", gates: ["overflow", "overlapping", "runts"])
            let followed = try textBelow(work + "/pull-air-\(k).pdf", String(quote.prefix(6)))
            XCTAssertEqual(followed.count, 1, "pull-air-\(k): the quote is drawn once")
            if followed.contains(false) { alone.append(k) }
        }
        XCTAssertEqual(alone, [], "pull quotes left the last thing in their column")
    }

    /// When nothing before a heading can be squeezed (no marks inside the paragraphs), the
    /// column is filled instead: long paragraphs whose last line is nearly full are set a line
    /// longer, none of their lines opened by 0.05 em (pdfcheck's letterspacing gate).
    func testColumnsAreFilledByLooserParagraphsWhenNothingSqueezes() throws {
        let long = String(repeating: "牧民们在夏季转场时互相帮助合作社为大家提供了新的服务", count: 6) + "大家都很满意。"
        let rest = Array(repeating: String(repeating: "草原上的学校迎来了新学期，孩子们骑着马从四面八方赶来。", count: 3), count: 14)
        var longer = 0
        for k in 36..<46 {   // the heading reaches the foot of page 1 and passes it
            let body = Array(repeating: "这是一句短话。", count: k) + Array(repeating: long, count: 4) + ["## 小标题"] + rest
            let messages = try renderChecked(body, name: "loose-\(k)", options: ["--fonts", root + "/fonts"],
                                             gates: ["short_columns", "heading_at_foot", "runts", "letterspacing", "overlapping"])
            if messages.contains("note: paragraph set a line longer") { longer += 1 }
        }
        XCTAssertGreaterThan(longer, 0, "some column was filled by a paragraph set a line longer")
    }

    /// A paragraph indented with four spaces is set as body text (its first line indented 2 em
    /// by the style); code keeps its indents in Noto Sans Mono CJK, a tab as four spaces.
    func testIndentedParagraphsAreTextAndCodeKeepsItsIndents() throws {
        let text = String(repeating: "作者习惯用四个空格缩进段落，这是很常见的写法。", count: 6)
        let messages = try renderChecked(["    " + text, "```\nif x > 0 {\n\treturn x\n    // 返回\n}\n```", "正文继续。"],
                                         name: "indented", gates: ["ragged_justified", "overflow", "runts"])
        XCTAssertTrue(messages.contains("indented.md:5:5: note: paragraphs indented with four spaces"), messages)
        let script = """
            import sys, json, fitz
            lines = []
            for b in fitz.open(sys.argv[1])[0].get_text('rawdict')['blocks']:
                for l in b.get('lines', []):
                    chars = [c for s in l['spans'] for c in s['chars']]
                    ink = [c for c in chars if not c['c'].isspace()]
                    if ink: lines.append([l['spans'][0]['font'], ''.join(c['c'] for c in ink), ink[0]['origin'][0], l['spans'][0]['size']])
            print(json.dumps(lines, ensure_ascii=False))
            """
        let out = try shell("python3", ["-c", script, work + "/indented.pdf"])
        let lines = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[Any]], out.stderr)
        let body = lines.filter { ($0[0] as? String)?.contains("Serif") == true }
        XCTAssertGreaterThan(body.count, 6, "the indented paragraph is body text: \(lines)")
        let code = lines.filter { ($0[0] as? String)?.contains("Mono") == true }
        XCTAssertEqual(code.map { $0[1] as? String }, ["ifx>0{", "returnx", "//返回", "}"])
        let x = code.map { $0[2] as? Double ?? 0 }, size = code.first?[3] as? Double ?? 0
        XCTAssertEqual(x[1] - x[0], 4 * size / 2, accuracy: 0.05, "a tab is four half-em columns")
        XCTAssertEqual(x[2], x[1], accuracy: 0.05)
        XCTAssertEqual(x[3], x[0], accuracy: 0.05)
    }

    /// Code is set as written, on its columns: a Chinese comment or string in it gets no Han–Latin
    /// space, its spaces keep their width beside Chinese and its marks their full width, so
    /// every character starts on a half-em column of the monospaced font (an ideograph takes two).
    func testCodeKeepsItsColumnsBesideChinese() throws {
        let prose = String(repeating: "代码之前的正文，说明下面这段程序做什么。", count: 8)
        _ = try renderChecked([prose, "```\nx = 1  # 返回x值（结果）。\nname = \"张三\" # 用abc\n```", prose],
                              name: "columns", gates: ["overflow", "ragged_justified"])
        let script = """
            import sys, json, fitz
            chars = [(c['c'], c['origin'][0], s['size']) for b in fitz.open(sys.argv[1])[0].get_text('rawdict')['blocks']
                     for l in b.get('lines', []) for s in l['spans'] if 'Mono' in s['font'] for c in s['chars']]
            print(json.dumps(chars, ensure_ascii=False))
            """
        let out = try shell("python3", ["-c", script, work + "/columns.pdf"])
        let chars = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[Any]], out.stderr)
        let text = chars.compactMap { $0[0] as? String }.joined()
        XCTAssertTrue(text.contains("返回x值（结果）。") && text.contains("用abc"), text)
        let left = chars.compactMap { $0[1] as? Double }.min() ?? 0, half = (chars.first?[2] as? Double ?? 0) / 2
        XCTAssertGreaterThan(half, 0)
        for c in chars {
            let x = (c[1] as? Double ?? 0) - left
            XCTAssertEqual(x / half, (x / half).rounded(), accuracy: 0.01, "\(c[0]) at \(x) pt is off the columns in \(text)")
        }
    }

    /// A line of code too long for its column wraps at a space, never with a hyphen (a hyphen
    /// would read as code: `"Ac-cept"`), and its wrapped part hangs four columns beyond the
    /// line's own indent; an empty line of code stays.
    func testALongLineOfCodeWrapsWithoutAHyphenAndHangs() throws {
        let call = "    response = session.get(url, headers={\"Accept\": \"application/json\", \"User-Agent\": \"folio\"}, timeout=30)"
        let prose = String(repeating: "代码之前的正文，说明下面这段程序做什么。", count: 8)
        _ = try renderChecked([prose, "```\ndef fetch(session, url):\n\(call)\n\n    return response.json()\n```", prose],
                              name: "wrapped", gates: ["overflow"])
        let script = """
            import sys, json, fitz
            lines = []
            for b in fitz.open(sys.argv[1])[0].get_text('rawdict')['blocks']:
                for l in b.get('lines', []):
                    ink = [c for s in l['spans'] if 'Mono' in s['font'] for c in s['chars'] if not c['c'].isspace()]
                    text = ''.join(c['c'] for s in l['spans'] for c in s['chars'])
                    if ink: lines.append([''.join(c['c'] for c in ink), ink[0]['origin'][0], ink[0]['origin'][1], l['spans'][0]['size'], text])
            print(json.dumps(lines, ensure_ascii=False))
            """
        let out = try shell("python3", ["-c", script, work + "/wrapped.pdf"])
        let lines = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[Any]], out.stderr)
        let texts = lines.compactMap { $0[0] as? String }, x = lines.compactMap { $0[1] as? Double }, y = lines.compactMap { $0[2] as? Double }
        XCTAssertGreaterThan(texts.count, 3, "the call wraps: \(texts)")
        XCTAssertEqual(texts.joined(), ("def fetch(session, url):" + call + "return response.json()").filter { !$0.isWhitespace },
                       "no character added (a hyphen) or lost")
        // Copied from the PDF, the code's indents are spaces (with U+00A0 Python would not run it).
        XCTAssertTrue((lines[1][4] as? String ?? "").hasPrefix("    response = "), "\(lines[1])")
        XCTAssertFalse(lines.contains { ($0[4] as? String ?? "").contains("\u{A0}") }, "no no-break space in the text")
        let words = Set((call + " def fetch(session, url): return response.json()").split(whereSeparator: \.isWhitespace))
        for line in lines {
            let text = line[4] as? String ?? ""
            XCTAssertTrue(text.split(whereSeparator: \.isWhitespace).allSatisfy(words.contains), "a line of \(text) ends inside a word")
        }
        let half = (lines.first?[3] as? Double ?? 0) / 2
        XCTAssertEqual(x[1] - x[0], 4 * half, accuracy: 0.05, "the call is indented four columns")
        for k in 2..<(texts.count - 1) { XCTAssertEqual(x[k] - x[1], 4 * half, accuracy: 0.05, "\(texts[k]) hangs four columns beyond the call") }
        XCTAssertEqual(x[texts.count - 1], x[1], accuracy: 0.05, "return starts where the call does")
        let pitch = y[1] - y[0]
        XCTAssertEqual(y[texts.count - 1] - y[texts.count - 2], 2 * pitch, accuracy: 0.5, "the empty line stays")
    }

    /// A line the breaker could set only visibly letterspaced (a Latin word that cannot break
    /// follows it) is reported at its paragraph, with its text, for the editor to reword — the
    /// line pdfcheck measures as very loose; reworded, nothing is said.
    func testAVisiblyLetterspacedLineIsReportedAtItsParagraph() throws {
        let front = "---\ntitle: 编辑部收到的图片\n---\n\n"
        let loose = try renderArticle(work, "loose", front + "摄影记者交来的照片，大多是相机直接存下的 JPEG。相机竖着拿时，像素仍按横向存放，只在 EXIF 信息里记下方向。\n")
        let warnings = loose.stderr.split(separator: "\n").filter { $0.contains("letterspaced") }
        XCTAssertEqual(warnings.count, 1, loose.stderr)
        XCTAssertTrue(warnings.first?.hasPrefix(loose.md + ":5:1: warning: a line letterspaced 0.1") ?? false, loose.stderr)
        XCTAssertTrue(warnings.first?.contains("'摄影记者交来的照片，大多是相机直接存下的'") ?? false, loose.stderr)
        let check = try shell("python3", [try pdfcheckTool(), loose.pdf, "--json"])
        let metrics = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])["metrics"] as? [String: Any]
        let examples = (metrics?["letterspacing"] as? [String: Any])?["examples"] as? [[String: Any]] ?? []
        XCTAssertEqual(examples.filter { ($0["mean_extra_em"] as? Double ?? 0) >= 0.1 }.compactMap { $0["text"] as? String }, ["摄影记者交来的照片，大多是相机直接存下的"])
        let reworded = try renderArticle(work, "reworded", front + "摄影记者交来的照片，多是相机直接存下的 JPEG 文件。相机竖着拿时，像素仍按横向存放，只在 EXIF 信息里记下方向。\n")
        XCTAssertFalse(reworded.stderr.contains("letterspaced"), reworded.stderr)
    }

    /// An article of `blocks` (titled 标题) rendered with `options`, each of pdfcheck's `gates`
    /// required to be 0 on it; the render's messages.
    func renderChecked(_ blocks: [String], name: String, options: [String] = [], gates: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let md = work + "/\(name).md", pdf = work + "/\(name).pdf"
        try ("---\ntitle: 标题\n---\n\n" + blocks.joined(separator: "\n\n") + "\n").write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md] + options + ["-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let check = try shell("python3", [try pdfcheckTool(), pdf] + gates.flatMap { ["--fail-on", "\($0)=0"] })
        XCTAssertEqual(check.status, 0, "\(name): " + check.stdout, file: file, line: line)
        return r.stderr
    }
}
