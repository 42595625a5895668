/// The web-archive reader: classification of lines, punctuation restoration, encodings.
@testable import FolioInput
import FolioCore
import Foundation
import XCTest

final class PunctuationRestorerTests: XCTestCase {
    func restore(_ s: String) -> String { var r = PunctuationRestorer(); return r.restore(s) }

    func testHalfWidthMarksNextToCJKBecomeFullWidth() {
        XCTAssertEqual(restore("你好,世界;对吗?是的!注意:(括号)"), "你好，世界；对吗？是的！注意：（括号）")
        XCTAssertEqual(restore("他说, 好的."), "他说，好的。")
    }

    func testLatinNumbersURLsAndMailStayAlone() {
        XCTAssertEqual(restore("Hello, world (test): ok!"), "Hello, world (test): ok!")
        XCTAssertEqual(restore("日期2024-07-31,时间12:30,增长3.5%"), "日期2024-07-31，时间12:30，增长3.5%")
        XCTAssertEqual(restore("访问 https://example.com/a,b?x=1 或 info@example.edu.cn,谢谢"),
                       "访问 https://example.com/a,b?x=1 或 info@example.edu.cn，谢谢")
    }

    func testQuotesArePairedInCJKContext() {
        XCTAssertEqual(restore("他说:\"我们走吧.\"然后'离开'了"), "他说：“我们走吧。”然后‘离开’了")
        XCTAssertEqual(restore("the \"quoted\" word"), "the \"quoted\" word")
    }

    func testRunsOfDotsBecomeAnEllipsis() {
        XCTAssertEqual(restore("等等......还有。。。"), "等等……还有……")
        XCTAssertEqual(restore("wait..."), "wait...")
        XCTAssertEqual(restore("写信到 a@b.cn."), "写信到 a@b.cn。")
        XCTAssertEqual(restore("It ends here."), "It ends here.")
        XCTAssertEqual(restore("多了18%. 从UNESCO. 从此,图1. 草原,3.5倍,v2.从"), "多了18%。从UNESCO。从此，图1. 草原，3.5倍，v2.从")
    }

    /// A dash typed `--` (or `---`) beside Chinese, GBK's `――` and full-width hyphens `－－`
    /// are the two-em dash; a single `…` beside Chinese the two of ……. A range or an option
    /// beside Latin letters or digits, the one-em dash of 北京—上海, English and a correct ——
    /// or …… stay as written.
    func testDashesAndASingleEllipsisAreSetAsChineseSetsThem() {
        XCTAssertEqual(restore("他说--这是第一次---我们"), "他说——这是第一次——我们")
        XCTAssertEqual(restore("马头琴 -- 这件古老的乐器――又响了起来－－真的"), "马头琴——这件古老的乐器——又响了起来——真的")
        XCTAssertEqual(restore("--鲁迅"), "——鲁迅")
        XCTAssertEqual(restore("他说…我们走吧…"), "他说……我们走吧……")
        XCTAssertEqual(restore("这是……省略号——破折号"), "这是……省略号——破折号")
        XCTAssertEqual(restore("运行--help 看看，1949--2019 年，北京—上海，“Wait…”，a--b"), "运行--help 看看，1949--2019 年，北京—上海，“Wait…”，a--b")
        XCTAssertEqual(restore("分隔----线"), "分隔----线")
        var r = PunctuationRestorer()
        _ = r.restore("他说--好…")
        XCTAssertEqual(r.counts, ["——": 1, "……": 1])
    }

    /// A range typed with a half-width tilde between numbers in Chinese is GB/T 15834's wave
    /// connector; elsewhere (English, an approximate value, a path) the tilde stays.
    func testARangesTildeIsTheWaveConnector() {
        XCTAssertEqual(restore("价格是5~10元，3~5月"), "价格是5～10元，3～5月")
        XCTAssertEqual(restore("约~500人，from 5~10 days，见 ~/notes"), "约~500人，from 5~10 days，见 ~/notes")
    }

    /// A title typed between angle brackets is set between book-title marks; a comparison, a
    /// tag and English keep their brackets.
    func testATitleBetweenAngleBracketsTakesBookTitleMarks() {
        var r = PunctuationRestorer()
        XCTAssertEqual(r.restore("他读了<<草原>>和<人民日报>,又看了<<The Grassland 草原>>。"), "他读了《草原》和《人民日报》，又看了《The Grassland 草原》。")
        XCTAssertEqual(r.counts["《》"], 3)
        XCTAssertEqual(restore("数量<5且价格>3，x<草原>y，<br>换行，<< 草原 >>，a<<b"), "数量<5且价格>3，x<草原>y，<br>换行，<< 草原 >>，a<<b")
    }

    /// The interpunct of a name written in Chinese typed as a bullet or Japanese's ・ is clreq's
    /// 间隔号 ·; a list's bullet, English and a separator spaced as a kicker spaces it keep theirs.
    func testANamesInterpunctIsTheChineseOne() throws {
        var r = PunctuationRestorer()
        XCTAssertEqual(r.restore("阿依古丽•买买提、巴特尔・道尔吉和艾力·热合曼都来了"), "阿依古丽·买买提、巴特尔·道尔吉和艾力·热合曼都来了")
        XCTAssertEqual(r.counts, ["·": 2])
        XCTAssertEqual(restore("阿依古丽．买买提是老师。"), "阿依古丽·买买提是老师。")
        XCTAssertEqual(restore("他走了．她来了"), "他走了．她来了")
        // A half-width full stop so placed too; where the paragraph has no 。 it is the full stop
        // a web archive's text was normalised to.
        XCTAssertEqual(restore("阿依古丽.买买提是老师。"), "阿依古丽·买买提是老师。")
        XCTAssertEqual(restore("他走了.她来了"), "他走了。她来了")
        XCTAssertEqual(restore("• 不超载放牧，Tom•Jerry，特别策划 · 教育振兴，文化 • 非遗"), "• 不超载放牧，Tom•Jerry，特别策划 · 教育振兴，文化 • 非遗")
        let loaded = try ArticleLoader.parse("---\ntitle: 名字\n---\n\n阿依古丽•买买提是老师\n", path: "/tmp/n.md")
        guard case .paragraph(let text, _)? = loaded.article.blocks.first else { return XCTFail("\(loaded.article.blocks)") }
        XCTAssertEqual(text.string, "阿依古丽·买买提是老师")
    }

    /// A paragraph whose only miswritten marks are an ellipsis typed as 。。。 is restored (the
    /// quick look that decides whether a paragraph needs the restorer had passed it by).
    func testAnEllipsisTypedAsFullStopsIsRestoredAlone() throws {
        let loaded = try ArticleLoader.parse("---\ntitle: 省略\n---\n\n他说。。。我们走吧\n\n价格是5~10元。\n", path: "/tmp/e.md")
        let texts = loaded.article.blocks.compactMap { if case .paragraph(let t, _) = $0 { t.string } else { nil } }
        XCTAssertEqual(texts, ["他说……我们走吧", "价格是5～10元。"])
        XCTAssertTrue(PunctuationRestorer.mayRestore("好。。"))
        XCTAssertFalse(PunctuationRestorer.mayRestore("好。好。"))
    }

    /// Full-width Latin letters and digits are Latin ones (clreq: the typesetter's to set, with
    /// the Han–Latin space); full-width marks stay, and vertical text keeps them upright.
    func testFullWidthLettersAndDigitsAreLatin() {
        var r = PunctuationRestorer()
        XCTAssertEqual(r.restore("２０２４年，ＵＮＥＳＣＯ与ｅｘｃｅｌ（１）：＃１"), "2024年，UNESCO与excel（1）：＃1")
        XCTAssertEqual(r.counts, ["１→1": 17])
        XCTAssertEqual(r.summary, "17 full-width letters or digits set as Latin ones")
        _ = r.restore("他说,好")
        XCTAssertEqual(r.summary, "1 Chinese punctuation mark typed half-width or miswritten set as Chinese sets them (， 1) and 17 full-width letters or digits set as Latin ones")
        var vertical = PunctuationRestorer()
        vertical.fullWidthAlphanumerics = false
        XCTAssertEqual(vertical.restore("第２章"), "第２章")
        XCTAssertEqual(restore("多了１８％，增长３．５倍。１８．"), "多了18%，增长3.5倍。18．")
    }

    /// Spaces beside a full-width mark are left out (the mark has its own), beside a quote, dash
    /// or ellipsis only with Chinese on the other side; spaces between Han and Latin stay.
    func testSpacesBesideFullWidthMarksAreLeftOut() {
        XCTAssertEqual(restore("的路。” 合作社 ，好 ； 他说 “你好” 然后 …… 走"), "的路。”合作社，好；他说“你好”然后……走")
        XCTAssertEqual(restore("the “word” is — yes, 2024 年 使用 Excel 表格　两格"), "the “word” is — yes, 2024 年 使用 Excel 表格　两格")
        var r = PunctuationRestorer()
        XCTAssertEqual(r.restore("好。  走"), "好。走")
        XCTAssertEqual(r.summary, "2 spaces beside full-width marks left out (the marks carry their own)")
    }

    /// Double quotes typed the wrong way are turned as they open and close where a paragraph has
    /// them in pairs; an odd number (a quotation going on into the next paragraph) stays.
    func testQuotesTypedTheWrongWayAreTurned() {
        var r = PunctuationRestorer()
        XCTAssertEqual(r.restore("他说：”我们走吧。”她问：“真的吗？“"), "他说：“我们走吧。”她问：“真的吗？”")
        XCTAssertEqual(r.counts, ["“": 1, "”": 1])
        XCTAssertEqual(restore("“第一段说到这里，"), "“第一段说到这里，")
        XCTAssertEqual(restore("”甲”乙“丙"), "”甲”乙“丙")
        XCTAssertEqual(restore("“甲”乙“丙”"), "“甲”乙“丙”")
        XCTAssertEqual(restore("”他说。实习生带来了“故事接龙”。“"), "”他说。实习生带来了“故事接龙”。“")
        XCTAssertTrue(PunctuationRestorer.mayRestore("他说：”走”"))
        XCTAssertFalse(PunctuationRestorer.mayRestore("他说：“走”，“好”。“接着"))
        // Single quotes the same, inside double ones; an apostrophe or English quoted stays.
        var single = PunctuationRestorer()
        XCTAssertEqual(single.restore("他说：“我读了’草原’和’牧歌‘。”"), "他说：“我读了‘草原’和‘牧歌’。”")
        XCTAssertEqual(single.counts, ["‘": 2, "’": 1])
        XCTAssertEqual(restore("他说 I’m fine，读了’草原"), "他说 I’m fine，读了’草原")
        XCTAssertTrue(PunctuationRestorer.mayRestore("读了’草原’"))
    }

    func testParenthesesConvertAsAPair() {
        XCTAssertEqual(restore("共评出(3个)奖项"), "共评出（3个）奖项")
        // A mark after the closing bracket is Chinese too; after English in quotes it is not.
        XCTAssertEqual(restore("他来了(真的)!读《草原》,好"), "他来了（真的）！读《草原》，好")
        XCTAssertEqual(restore("他说“Good morning, everyone!”"), "他说“Good morning, everyone!”")
        XCTAssertEqual(restore("见图(a)"), "见图（a）")
    }

    func testCountsAreReported() {
        var r = PunctuationRestorer()
        _ = r.restore("一,二,三.")
        XCTAssertEqual(r.counts["，"], 2)
        XCTAssertEqual(r.counts["。"], 1)
        XCTAssertEqual(r.total, 3)
    }
}

final class WebArchiveReaderTests: XCTestCase {
    let sample = """
    您现在所在位置:首页 > 示范创建
    村里来了新书屋
    发布日期:2024-07-31  来源:本刊网站

    　　第一段正文,讲述了村里的变化.

    photo-01.jpg
    村民在书屋读书

    新的变化
    　　第二段正文比小标题长得多,这样才能看出它是正文,而上一行是小标题.

    文:张三
    责编:李四　摄影:王五
    欢迎订阅本刊!
    邮发代号:00-000
    """

    func parse(_ text: String, settings: ArchiveSettings = ArchiveSettings()) throws -> WebArchiveReader.Loaded {
        try WebArchiveReader.parse(text, path: "/tmp/archive/a.txt", settings: settings)
    }

    /// An archived article's frame is read as a manuscript's: the byline under the title as the
    /// author (the reader had taken it for a subhead), the 编者按 as a box, the bracketed editor
    /// and the （完） at the end as credits and the template's end mark.
    func testAnArchivesFrameIsReadAsAManuscripts() throws {
        let loaded = try parse("首页 > 示范创建\n草原上的账本\n发布日期:2024-10-08   来源:本刊网站\n\n文/林晓岚\n\n编者按:十年前,一个嘎查开始轮牧.\n\n　　正文比上一行长得多,这样它就是正文了,草原的六月.\n\n（完）\n\n（责任编辑：周明远）\n")
        let a = loaded.article
        XCTAssertEqual(a.meta.author, "林晓岚")
        XCTAssertEqual(a.meta.editor, "周明远")
        XCTAssertEqual(a.meta.source, "本刊网站")
        guard a.blocks.count == 2, case .box(let title?, _, _) = a.blocks[0], case .paragraph(let text, _) = a.blocks[1] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(title, "编者按")
        XCTAssertEqual(text.string, "正文比上一行长得多，这样它就是正文了，草原的六月。")
        XCTAssertEqual(Set(loaded.warnings.compactMap(\.code)).intersection(["author", "closing", "editors-note"]).count, 3)
        // A manuscript saved as text: its subtitle line is the deck, the byline under it the author.
        let saved = try parse("草原上的学校\n\n——一个嘎查的十年\n\n文/林晓岚\n\n　　正文比上一行长得多,这样它就是正文了,草原的六月.\n")
        XCTAssertEqual(saved.article.meta.deck, "一个嘎查的十年")
        XCTAssertEqual(saved.article.meta.author, "林晓岚")
        XCTAssertEqual(saved.article.blocks.count, 1, "\(saved.article.blocks)")
    }

    /// An archive whose paragraphs ran together on one line, each begun with its two
    /// ideographic spaces (the page's line breaks lost), is set a paragraph each, with a note.
    func testParagraphsRunTogetherOnALineAreSetApart() throws {
        let loaded = try parse("首页 > 示范创建\n草原上的学校\n发布日期:2024-10-08\n\n　　走进城郊的一所民族学校,操场边贴满了画.学校现有学生一千二百余人.　　\"我们把团结教育融进每一门课里.\"校长说.　　每学期开学,学校都组织活动.\n")
        let texts = loaded.article.blocks.compactMap { if case .paragraph(let t, _) = $0 { t.string } else { nil } }
        XCTAssertEqual(texts, ["走进城郊的一所民族学校，操场边贴满了画。学校现有学生一千二百余人。", "“我们把团结教育融进每一门课里。”校长说。", "每学期开学，学校都组织活动。"])
        XCTAssertEqual(loaded.warnings.filter { $0.message.hasPrefix("paragraphs run together") }.map { $0.location?.line }, [5])
    }

    func testStructureIsRecognised() throws {
        let loaded = try parse(sample)
        let a = loaded.article
        XCTAssertEqual(a.meta.kicker, "示范创建")
        XCTAssertEqual(a.meta.title, "村里来了新书屋")
        XCTAssertEqual(a.meta.date, "2024-07-31")
        XCTAssertEqual(a.meta.source, "本刊网站")
        XCTAssertEqual(a.meta.author, "张三")
        XCTAssertEqual(a.meta.editor, "李四　摄影：王五")
        guard a.blocks.count == 5 else { return XCTFail("\(a.blocks)") }
        guard case .paragraph(let p1, let l1) = a.blocks[0] else { return XCTFail() }
        XCTAssertEqual(p1.string, "第一段正文，讲述了村里的变化。")
        XCTAssertEqual(l1.line, 5)
        guard case .figure(let f) = a.blocks[1] else { return XCTFail() }
        XCTAssertEqual(f.path, "photo-01.jpg")
        XCTAssertEqual(f.caption.string, "村民在书屋读书")
        guard case .heading(2, let h, _) = a.blocks[2] else { return XCTFail("\(a.blocks[2])") }
        XCTAssertEqual(h.string, "新的变化")
        guard case .box(_, let box, _) = a.blocks[4] else { return XCTFail() }
        XCTAssertEqual(box.count, 2)
        XCTAssertEqual(loaded.report.boilerplateLines, 2)
        XCTAssertEqual(loaded.report.figures, 1)
    }

    func testBoilerplateCanBeDroppedAndIsReported() throws {
        var settings = ArchiveSettings()
        settings.boilerplate = .drop
        let loaded = try parse(sample, settings: settings)
        XCTAssertFalse(loaded.article.blocks.contains { if case .box = $0 { return true } else { return false } })
        XCTAssertTrue(loaded.warnings.contains { $0.message.contains("dropped 2 lines of publisher boilerplate") })
    }

    /// A pattern anchored at the line start is tried there only; one with an alternative outside
    /// parentheses, or none, anywhere in the line.
    func testBoilerplatePatternsMatchWhereTheirAnchorsSay() throws {
        for (pattern, anchored) in [("^欢迎订阅", true), ("^(开户行|户名)[:：]", true), ("^订阅[|]热线", true), ("^a\\|b", true),
                                    ("^[^|]x", true), ("^[]|]x", true), ("^欢迎|订阅", false), ("^(a)|b", false), ("邮发代号", false)] {
            XCTAssertEqual(WebArchiveReader.Pattern.isAnchored(pattern), anchored, pattern)
        }
        var settings = ArchiveSettings()
        settings.boilerplatePatterns = ["^欢迎订阅", "^本刊|邮发代号"]
        let text = "标题\n\n第一段正文，欢迎订阅本刊，也欢迎投稿。\n第二段正文。\n本刊邮发代号:00-000\n"
        XCTAssertEqual(try parse(text, settings: settings).report.boilerplateLines, 1, "mid-line 欢迎订阅 is body text; the unanchored 邮发代号 is found")
        for patterns in [["^第二段"], ["^第(二|三)段"], ["二段正", "^欢迎订阅"]] {
            settings.boilerplatePatterns = patterns
            XCTAssertEqual(try parse(text, settings: settings).report.boilerplateLines, 2, "from the match on: \(patterns)")
        }
        settings.boilerplatePatterns = ["邮发代号"]
        XCTAssertEqual(try parse(text, settings: settings).report.boilerplateLines, 1)
    }

    func testLinesAreTrimmedOfSpacesTabsAndByteOrderMarks() {
        XCTAssertEqual(WebArchiveReader.trimmed("\u{FEFF}\u{3000}\u{3000} \t正文 two\u{3000}words\u{A0}\u{2003}"), "正文 two\u{3000}words")
        XCTAssertEqual(WebArchiveReader.trimmed(" \u{3000}\t"), "")
        XCTAssertEqual(WebArchiveReader.trimmed("\u{200B}字\n"), "\u{200B}字\n", "a zero-width space and a line feed are not blanks")
    }

    /// A field line begins with a known label and its colon; a paragraph with a colon after other
    /// words is body text, however many labels follow. A subhead has at most 24 characters.
    func testFieldLinesAndSubheadsAtTheirEdges() {
        let fields = WebArchiveReader.parseFields("\u{3000}来源：新华社  记者:张三 李四")
        XCTAssertEqual(fields.map(\.0), ["source", "author"])
        XCTAssertEqual(fields.map(\.1), ["新华社", "张三 李四"])
        XCTAssertEqual(WebArchiveReader.parseFields("发布时间:2024年7月31日 10:30").map(\.1), ["2024-07-31"])
        XCTAssertTrue(WebArchiveReader.parseFields("据统计:今年增长了三成 来源:统计局").isEmpty)
        XCTAssertTrue(WebArchiveReader.parseFields("来源 本刊:网站").isEmpty, "a space before the colon")
        let body = ArchiveLine(text: String(repeating: "正", count: 60), number: 2, indented: true)
        for (length, subhead) in [(1, false), (2, true), (24, true), (25, false)] {
            let line = ArchiveLine(text: String(repeating: "题", count: length), number: 1, indented: false)
            XCTAssertEqual(WebArchiveReader.isSubhead(line, next: body), subhead, "\(length) characters")
        }
    }

    func testUnclassifiedLinesStayInTheBody() throws {
        let loaded = try parse("标题\n\n一行没有任何特征的文字\n另一行\n")
        XCTAssertEqual(loaded.article.blocks.count, 2)
    }

    func testPunctuationRestorationCanBeSwitchedOff() throws {
        var settings = ArchiveSettings()
        settings.restorePunctuation = false
        let loaded = try parse("标题\n\n正文,逗号.\n", settings: settings)
        guard case .paragraph(let p, _) = loaded.article.blocks[0] else { return XCTFail() }
        XCTAssertEqual(p.string, "正文,逗号.")
    }

    func testGB18030FilesAreDetected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-gb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A title and a sentence in GB18030 (GBK), CRLF line ends.
        let text = "标题\r\n\r\n我们在学校里学习中国的历史和文化。\r\n"
        let bytes = try XCTUnwrap(TextEncodingDetector.iconvEncode(text, to: "GB18030"))
        let path = dir.appendingPathComponent("gb.txt").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let loaded = try WebArchiveReader.load(path: path)
        XCTAssertEqual(loaded.report.encoding, .gb18030)
        XCTAssertEqual(loaded.article.meta.title, "标题")
        guard case .paragraph(let p, _) = loaded.article.blocks[0] else { return XCTFail() }
        XCTAssertEqual(p.string, "我们在学校里学习中国的历史和文化。")
    }

    func testBig5AndUTF16AreDetectedAndNoiseRefused() throws {
        let traditional = "標題\n\n他說：「這個國家的發展，來自每一個人的努力。」\n"
        let big5 = try XCTUnwrap(TextEncodingDetector.iconvEncode(traditional, to: "BIG5"))
        // Valid GB18030 too, but as GB18030 it is a string of rare characters.
        XCTAssertNotNil(TextEncodingDetector.iconvDecode(big5, from: "GB18030"))
        let decoded = try TextEncodingDetector.decode(big5, path: "t.txt")
        XCTAssertEqual(decoded.encoding, .big5)
        XCTAssertEqual(decoded.text, traditional)
        let utf16: [UInt8] = [0xFF, 0xFE] + traditional.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(try TextEncodingDetector.decode(utf16, path: "t.txt").text, traditional)
        // Too few characters to tell: an error, not a guess.
        XCTAssertThrowsError(try TextEncodingDetector.decode([0xB1, 0xEA, 0xCC, 0xE2], path: "t.txt"))
    }

    func testDatesAreNormalised() {
        XCTAssertEqual(WebArchiveReader.normalisedDate("2024年7月3日"), "2024-07-03")
        XCTAssertEqual(WebArchiveReader.normalisedDate("2024/07/31 10:20"), "2024-07-31")
        XCTAssertNil(WebArchiveReader.normalisedDate("昨天"))
    }
}
