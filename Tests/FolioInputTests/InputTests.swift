/// Reading articles, manifests, templates and images: values with locations, and clear errors.
@testable import FolioInput
import FolioCore
import Foundation
import XCTest

/// The repository's folder (examples, layouts).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

final class InputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) -> String {
        let url = dir.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A manifest of magazine 刊名, issue 2024年第6期 and `sections` (YAML, from line 4).
    func manifest(_ name: String, sections: String) -> String {
        write(name, "magazine: 刊名\nissue: 2024年第6期\nsections:\n" + sections)
    }

    func errors(_ body: () throws -> Void) -> [Diagnostic] {
        do { try body(); return [] } catch let e as FolioError { return e.diagnostics } catch { return [.error("\(error)")] }
    }

    func testFrontMatterAndBlocks() throws {
        let path = write("a.md", """
        ---
        title: 标题
        kicker: 栏目
        author: 作者
        ---

        第一段**加粗**和*强调*。

        ## 小标题

        > 引文

        - 甲
        - 乙
        """)
        let a = try ArticleLoader.load(path: path).article
        XCTAssertEqual(a.id, "a")
        XCTAssertEqual(a.meta.title, "标题")
        XCTAssertEqual(a.meta.kicker, "栏目")
        guard case .paragraph(let p, let loc) = a.blocks[0] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(p.string, "第一段加粗和强调。")
        XCTAssertEqual(p.spans, [StyledSpan(range: 3..<5, style: .strong), StyledSpan(range: 6..<8, style: .emphasis)])
        XCTAssertEqual(loc.line, 7, "locations count the front matter lines")
        guard case .heading(2, let h, _) = a.blocks[1] else { return XCTFail() }
        XCTAssertEqual(h.string, "小标题")
        guard case .quote = a.blocks[2], case .list(false, let items, _) = a.blocks[3] else { return XCTFail() }
        XCTAssertEqual(items.count, 2)
    }

    func testUnknownFrontMatterKeySuggestsTheClosest() {
        let path = write("b.md", "---\ntitle: 标题\nauthr: 某某\n---\n\n正文。\n")
        let d = errors { _ = try ArticleLoader.load(path: path) }
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.location?.line, 3)
        XCTAssertEqual(d.first?.location?.column, 1)
        XCTAssertTrue(d.first?.message.contains("did you mean 'author'") ?? false, d.description)
    }

    /// RFC 3339 timestamps, whose day is an article's date, and what is not one.
    func testTimestampsAreToldFromOtherDates() {
        for s in ["2024-05-01T10:00", "2024-05-01 10:00:00", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.125+08:00",
                  "2024-05-01T10:00-05:30"] {
            XCTAssertTrue(ArticleLoader.isTimestamp(s), s)
        }
        for s in ["2024-05-01", "2024-05-01T10", "2024-05-01T10:00:", "2024-05-01T10:00:00.", "2024-05-01T10:00+0800",
                  "2024-05-01T10:00:00ZZ", "2024-5-01T10:00", "２０２４-05-01T10:00", "2024-05-01x10:00", ""] {
            XCTAssertFalse(ArticleLoader.isTimestamp(s), s)
        }
    }

    /// Hugo's TOML front matter (`+++`) reads like the YAML; its habits are kept: a timestamp's
    /// day is the date, `description` is the deck when there is none, tags and categories,
    /// `draft`, `slug` and `weight` are kept; tables, bad lines and unknown keys are located.
    func testHugoTOMLFrontMatter() throws {
        let toml = "+++\ntitle = \"草原上的新学校\"\ndate = 2024-05-01T10:00:00+08:00\ndraft = true\n" +
            "tags = [\"教育\", \"内蒙古\"]\ncategories = ['民族教育']\nslug = \"new-school\"\n" +
            "description = \"牧区孩子的新课堂\"\nweight = 3\n+++\n\n正文第一段。\n"
        let a = try ArticleLoader.parse(toml, path: "/tmp/h.md").article
        XCTAssertEqual(a.meta.title, "草原上的新学校")
        XCTAssertEqual(a.meta.date, "2024-05-01")
        XCTAssertEqual(a.meta.deck, "牧区孩子的新课堂")
        XCTAssertEqual(a.meta.tags, ["教育", "内蒙古"])
        XCTAssertEqual(a.meta.categories, ["民族教育"])
        XCTAssertEqual(a.meta.slug, "new-school")
        XCTAssertEqual(a.meta.weight, 3)
        XCTAssertTrue(a.meta.draft)
        guard case .paragraph = a.blocks.first else { return XCTFail("the body follows the closing +++") }
        // The same keys in YAML, a deck that wins over the description, a single tag.
        let y = try ArticleLoader.parse("---\ntitle: 题\ndeck: 导语\ndescription: 描述\ntags: 教育\ndraft: false\n---\n\n文。\n", path: "/tmp/y.md").article
        XCTAssertEqual(y.meta.deck, "导语")
        XCTAssertEqual(y.meta.tags, ["教育"])
        XCTAssertFalse(y.meta.draft)
        // Problems keep the TOML line and column.
        let bad = errors { _ = try ArticleLoader.parse("+++\ntitle = \"x\"\n[params]\nno equals here\n+++\n\n文。\n", path: "/tmp/t.md") }
        XCTAssertEqual(bad.map { $0.location?.line }, [3, 4], bad.description)
        XCTAssertTrue(bad.first?.message.contains("TOML tables") ?? false, bad.description)
        let key = errors { _ = try ArticleLoader.parse("+++\ntitle = \"x\"\nautor = \"y\"\ndate = 2024-02-30\n+++\n\n文。\n", path: "/tmp/t.md") }
        XCTAssertEqual(key.map { $0.location?.line }, [3, 4], key.description)
        XCTAssertTrue(key.first?.message.contains("did you mean 'author'") ?? false, key.description)
        XCTAssertEqual(key.last?.location?.column, 8, "the date's column in the TOML line")
        let open = errors { _ = try ArticleLoader.parse("+++\ntitle = \"x\"\n\n文。\n", path: "/tmp/t.md") }
        XCTAssertTrue(open.first?.message.contains("never closed with a '+++' line") ?? false, open.description)
    }

    /// A heading's attribute block (Hugo's and pandoc's `{#id .class key=value}`, pandoc's `{-}`)
    /// is markup: taken off the heading, its id kept by the heading's line. A brace group that is
    /// not attributes, or is code, stays text. (Before, `## 新的变化 {#change}` printed its `{#change}`.)
    func testHeadingAttributesAreMarkupNotText() throws {
        let md = "---\ntitle: 题\n---\n\n## 新的变化 {#change}\n\n## 琴的来历 {#origin .red data-x=1}\n\n## 附录 {-}\n\n## 集合 {注}\n\n## {#only}\n\n## 语法 `{#id}`\n\n文。\n"
        let a = try ArticleLoader.parse(md, path: "/tmp/attributes.md").article
        let headings = a.blocks.compactMap { b -> String? in if case .heading(_, let t, _) = b { return t.string } else { return nil } }
        XCTAssertEqual(headings, ["新的变化", "琴的来历", "附录", "集合 {注}", "{#only}", "语法 {#id}"])
        XCTAssertEqual(a.headingIDs, [5: "change", 7: "origin"])
    }

    func testSoftBreaksJoinCJKWithoutSpaceAndLatinWithSpace() throws {
        let path = write("c.md", "---\ntitle: t\n---\n中文换行\n继续 English\nwords here\n")
        let a = try ArticleLoader.load(path: path).article
        guard case .paragraph(let p, _) = a.blocks[0] else { return XCTFail() }
        XCTAssertEqual(p.string, "中文换行继续 English words here")
    }

    func testMissingImageIsAnErrorWithLocationUnlessAllowed() throws {
        let path = write("d.md", "---\ntitle: t\n---\n\n段落。\n\n![说明](images/none.jpg)\n")
        let d = errors { _ = try ArticleLoader.load(path: path) }
        XCTAssertEqual(d.first?.location?.line, 7)
        XCTAssertTrue(d.first?.message.contains("image not found") ?? false, d.description)
        let lenient = try ArticleLoader.load(path: path, options: InputOptions(allowMissingImages: true))
        XCTAssertEqual(lenient.warnings.count, 1)
        guard case .figure(let f) = lenient.article.blocks[1] else { return XCTFail() }
        XCTAssertNil(f.image)
        XCTAssertEqual(f.caption.string, "说明")
    }

    func testImagePathsMayNotLeaveTheArticleFolder() {
        let path = write("sub/e.md", "---\ntitle: t\n---\n\n![x](../../etc/passwd)\n")
        let d = errors { _ = try ArticleLoader.load(path: path) }
        XCTAssertTrue(d.first?.message.contains("leaves the article's folder") ?? false, d.description)
    }

    func testManifestNamingAMissingArticleGivesItsLine() {
        let path = manifest("issue.yaml", sections: """
          - title: 栏目
            articles:
              - nowhere.md
        """)
        let d = errors { _ = try ManifestLoader.load(path: path) }
        XCTAssertEqual(d.first?.location?.line, 6)
        XCTAssertEqual(d.first?.location?.column, 9)
        XCTAssertTrue(d.first?.message.contains("nowhere.md") ?? false)
    }

    /// An article listed twice is said where it is listed again (a copy-and-paste slip prints it
    /// twice); a section of ads only is told apart from an empty one.
    func testAnArticleListedTwiceAndASectionOfAdsOnlyAreSaidWhereTheyAre() throws {
        _ = write("a.md", "---\ntitle: 甲\n---\n\n正文。\n")
        let twice = manifest("twice.yaml", sections: """
          - title: 栏目
            articles:
              - a.md
              - a.md
        """)
        let loaded = try ManifestLoader.load(path: twice)
        XCTAssertEqual(loaded.issue.articles.count, 2)
        XCTAssertEqual(loaded.warnings.map(\.message), ["'a.md' is listed again (first on line 6): it is printed twice"])
        XCTAssertEqual(loaded.warnings.first?.location?.line, 7)
        XCTAssertEqual(loaded.warnings.first?.location?.file, twice)
        // What reading the file found is said once, however often it is listed.
        let b = write("b.md", "---\ntitle: 乙\n---\n\n正文。\n\n![图](nope.jpg)\n")
        let listings = """
          - title: 栏目
            articles: [b.md]
          - title: 又一栏目
            articles: [b.md]
        """
        var lenient = InputOptions(); lenient.allowMissingImages = true
        let warned = try ManifestLoader.load(path: manifest("warned.yaml", sections: listings), options: lenient)
        XCTAssertEqual(warned.warnings.filter { $0.location?.file == b }.map(\.message), ["image not found: \(dir.path)/nope.jpg"])
        let failed = errors { _ = try ManifestLoader.load(path: manifest("failed.yaml", sections: listings)) }
        XCTAssertEqual(failed.map(\.message), ["image not found: \(dir.path)/nope.jpg (use --allow-missing-images to print a placeholder instead)"])

        let adsOnly = manifest("ads.yaml", sections: """
          - title: 栏目
            articles: [a.md]
          - title: 广告
            articles:
              - ad: \(repositoryRoot.path)/examples/sample-issue/ads/subscribe.pdf
        """)
        let d = errors { _ = try ManifestLoader.load(path: adsOnly) }
        XCTAssertEqual(d.map(\.message), ["section '广告' lists only ads: a full-page ad goes among a section's articles, after the one it follows"])
        XCTAssertEqual(d.first?.location?.line, 6)
    }

    func testParallelSectionsPairTheirArticles() throws {
        _ = write("ug.md", "---\ntitle: ئا\nlanguage: ug\n---\n\nتېكىست\n")
        _ = write("zh.md", "---\ntitle: 汉\n---\n\n正文。\n")
        let path = manifest("pair.yaml", sections: """
          - title: 双语
            facing: parallel
            articles: [ug.md, zh.md]
          - title: 对页
            facing: true
            articles: [ug.md, zh.md]
        """)
        let issue = try ManifestLoader.load(path: path).issue
        XCTAssertEqual(issue.sections.map(\.parallel), [true, false])
        XCTAssertEqual(issue.sections.map(\.facing), [true, true])

        let odd = write("odd.yaml", "magazine: 刊名\nissue: 期\nsections:\n  - title: 双语\n    facing: parallel\n    articles: [ug.md]\n")
        let d = errors { _ = try ManifestLoader.load(path: odd) }
        XCTAssertEqual(d.first?.location?.line, 4)
        XCTAssertTrue(d.first?.message.contains("pairs its articles") ?? false, d.description)
        let wrong = write("wrong.yaml", "magazine: 刊名\nissue: 期\nsections:\n  - title: 双语\n    facing: paralel\n    articles: [ug.md, zh.md]\n")
        let w = errors { _ = try ManifestLoader.load(path: wrong) }
        XCTAssertEqual(w.first?.location?.line, 5)
        XCTAssertTrue(w.first?.message.contains("true, false or parallel") ?? false, w.description)
    }

    func testYAMLSyntaxErrorHasAPosition() {
        let path = write("bad.yaml", "magazine: x\nissue: [unclosed\n")
        let d = errors { _ = try ManifestLoader.load(path: path) }
        XCTAssertEqual(d.count, 1)
        XCTAssertNotNil(d.first?.location)
        XCTAssertTrue(d.first!.description.hasPrefix(path + ":"), d.description)
        // An unclosed `[` is noticed on a later line; the message points at the `[` (2:8).
        let flow = write("flow.yaml", "magazine: x\nissue: [unclosed\nsections: []\n")
        let e = errors { _ = try ManifestLoader.load(path: flow) }
        XCTAssertEqual(e.map(\.description), ["\(flow):2:8: error: invalid YAML: this flow sequence is not closed (did not find expected ',' or ']' at line 3)"])
    }

    func testTemplateValuesAndErrors() throws {
        let t = try TemplateLoader.parse("page: {trim: 210x285, bleed: 3}\ngrid: {body-size: 10pt, pitch: 17pt, columns: 3}\n", file: "t.yaml")
        XCTAssertEqual(t.page.trim.width, mm(210), accuracy: 1e-9)
        XCTAssertEqual(t.grid.columns, 3)
        let d = errors { _ = try TemplateLoader.parse("grid: {pitch: 30pt, colums: 2}\n", file: "t.yaml") }
        XCTAssertTrue(d.contains { $0.message.contains("did you mean 'columns'") }, d.description)
        XCTAssertTrue(d.contains { $0.message.contains("clreq C2") }, d.description)
    }

    func testTypographySettings() throws {
        let t = try TemplateLoader.parse("typography: {kinsoku: strict, adjacent-punctuation: 1em, breaker: greedy, widows: 3}\n", file: "t.yaml")
        XCTAssertEqual(t.typography.kinsoku, .strict)
        XCTAssertEqual(t.typography.adjacentPunctuation, 1)
        XCTAssertEqual(t.typography.breaker, .greedy)
        XCTAssertEqual(t.typography.widows, 3)
        XCTAssertEqual(t.typography.hangulBreaks, .words, "Hangul lines break between words unless the template says")
        let d = errors { _ = try TemplateLoader.parse("typography:\n  kinsoku: loose\n", file: "t.yaml") }
        XCTAssertEqual(d.first?.location?.line, 2)
        XCTAssertTrue(d.first?.message.contains("basic, gb or strict") ?? false, d.description)

        XCTAssertEqual(try TemplateLoader.parse("typography: {hangul-breaks: characters}\n", file: "t.yaml").typography.hangulBreaks, .characters)
        let h = errors { _ = try TemplateLoader.parse("typography:\n  kinsoku: basic\n  hangul-breaks: syllables\n", file: "t.yaml") }
        XCTAssertEqual(h.first?.location?.line, 3)
        XCTAssertTrue(h.first?.message.contains("words or characters (klreq K2)") ?? false, h.description)
    }

    func testShippedTemplateLoads() throws {
        let root = repositoryRoot
        let t = try TemplateLoader.load(path: root.appendingPathComponent("layouts/magazine-16k.yaml").path)
        XCTAssertEqual(t.grid.bodySize, 10)
        XCTAssertEqual(t.style("body").firstLineIndent, 2)
    }

    func testInvalidUTF8IsReportedWithByteOffset() throws {
        let url = dir.appendingPathComponent("bad.md")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0xE4, 0xB8]).write(to: url)
        let d = errors { _ = try InputFile.readText(url.path) }
        XCTAssertTrue(d.first?.message.contains("byte offset 4") ?? false, d.description)
        XCTAssertEqual(d.first?.location?.line, 2)
    }

    /// A JPEG found whole by an earlier run, as it is now, is probed from its head alone (a
    /// camera photo is megabytes); changed, it is read and checked whole again.
    func testAJPEGFoundWholeIsProbedFromItsHead() throws {
        setenv("XDG_CACHE_HOME", dir.appendingPathComponent("cache").path, 1)
        defer { unsetenv("XDG_CACHE_HOME") }
        let root = repositoryRoot
        // The sample illustration with a megabyte after its end (as some cameras leave): a large file.
        var bytes = try Data(contentsOf: root.appendingPathComponent("examples/sample-issue/images/grassland.jpg"))
        bytes.append(Data(count: 1 << 20))
        let photo = dir.appendingPathComponent("photo.jpg").path
        try bytes.write(to: URL(fileURLWithPath: photo))
        let reads = ImageProbe.wholeReads
        let first = try ImageProbe.probe(photo)
        XCTAssertEqual(ImageProbe.wholeReads, reads + 1)
        let again = try ImageProbe.probe(photo)
        XCTAssertEqual(ImageProbe.wholeReads, reads + 1, "its head only")
        XCTAssertEqual([again.pixelWidth, again.pixelHeight, again.orientation], [first.pixelWidth, first.pixelHeight, first.orientation])
        XCTAssertEqual([again.pixelWidth, again.pixelHeight], [1500, 1000])
        var later = [timespec(tv_sec: time(nil) + 60, tv_nsec: 0), timespec(tv_sec: time(nil) + 60, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, photo, &later, 0), 0)
        _ = try ImageProbe.probe(photo)
        XCTAssertEqual(ImageProbe.wholeReads, reads + 2, "changed: read whole again")
    }

    func testImageProbeReadsSizes() throws {
        let root = repositoryRoot
        let jpeg = try ImageProbe.probe(root.appendingPathComponent("examples/sample-issue/images/grassland.jpg").path)
        XCTAssertEqual(jpeg.format, .jpeg)
        XCTAssertEqual(jpeg.pixelWidth, 1500)
        XCTAssertEqual(jpeg.pixelHeight, 1000)
        let png = try ImageProbe.probe(root.appendingPathComponent("examples/sample-issue/images/ornament.png").path)
        XCTAssertEqual([png.pixelWidth, png.pixelHeight], [1200, 800])
        let truncated = dir.appendingPathComponent("t.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).write(to: truncated)
        XCTAssertThrowsError(try ImageProbe.probe(truncated.path))
        // A PNG header declaring 100000 × 100000 pixels is refused before any decoding.
        var huge = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        huge.append(contentsOf: [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0])
        let hugeURL = dir.appendingPathComponent("huge.png")
        try huge.write(to: hugeURL)
        XCTAssertThrowsError(try ImageProbe.probe(hugeURL.path)) { e in
            XCTAssertTrue("\(e)".contains("100000 × 100000"), "\(e)")
        }
    }
}

final class PipeTableTests: XCTestCase {
    func testPipeTablesBecomeTables() throws {
        let md = "---\ntitle: 表\n---\n\n| 项目 | 代码 | 价格 |\n|:---|:---:|---:|\n| 全年 | 00-000 | 120元 |\n| 半年 | a\\|b | 60元 |\n\n正文。\n"
        let a = try ArticleLoader.parse(md, path: "/tmp/t.md").article
        guard case .table(let t) = a.blocks[0] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(t.header, ["项目", "代码", "价格"])
        XCTAssertEqual(t.alignments, [.start, .center, .end])
        XCTAssertEqual(t.rows, [["全年", "00-000", "120元"], ["半年", "a|b", "60元"]])
        XCTAssertEqual(t.location.line, 5)
        guard case .paragraph = a.blocks[1] else { return XCTFail() }
    }

    /// A table in a box, a block quote or a list item is a table too: its lines begin with the
    /// `>`s and indent that hold it, the first after the item's marker (it was printed as the
    /// pipes and dashes written, or with the marker as a first column).
    func testTablesInBoxesQuotesAndListItems() throws {
        let md = """
            ---
            title: 表
            ---

            > [!box] 小知识
            >
            > | 年份 | 人数 |
            > | --- | ---: |
            > | 2020 | 30 |

            > > | 年份 | 人数 |
            > > | --- | --- |
            > > | 2021 | 40 |

            1. 第一项。
            2. | 年份 | 人数 |
               | --- | --- |
               | 2022 | 50 |

            """
        let a = try ArticleLoader.parse(md, path: "/tmp/t.md").article
        func tables(_ blocks: [Block]) -> [Table] {
            blocks.flatMap { b -> [Table] in
                switch b {
                case .table(let t): return [t]
                case .box(_, let inner, _), .quote(let inner, _): return tables(inner)
                case .list(_, let items, _): return items.flatMap(tables)
                default: return []
                }
            }
        }
        let found = tables(a.blocks)
        XCTAssertEqual(found.map(\.header), [["年份", "人数"], ["年份", "人数"], ["年份", "人数"]])
        XCTAssertEqual(found.map(\.rows), [[["2020", "30"]], [["2021", "40"]], [["2022", "50"]]])
        XCTAssertEqual(found.first?.alignments, [.start, .end])
    }

    /// A table written right under a line of text, with no blank line between, is that text
    /// and then the table, as GitHub reads it — under a box's title, in a list item, after text
    /// whose emphasis spans lines, after a line with a pipe of its own (its pipes and dashes were
    /// printed in the paragraph). Where emphasis runs on into the table, it stays text, and a
    /// warning says why and what to do.
    func testATableRightUnderTextIsATable() throws {
        let md = """
            ---
            title: 表
            ---

            兑换标准如下：
            | 项目 | 积分 |
            | --- | ---: |
            | 理发 | 5 |

            > [!box] 盒子
            > | 甲 | 乙 |
            > | --- | --- |
            > | 1 | 2 |

            - 列表项：
              | 丙 | 丁 |
              | --- | --- |

            *强调
            跨行* 之后 | 一条竖线
            | 戊 | 己 |
            |---|---|
            | 5 | 6 |

            *不闭合的强调
            | 庚 | 辛* |
            | --- | --- |

            """
        let parsed = try ArticleLoader.parse(md, path: "/tmp/t.md")
        let a = parsed.article
        guard case .paragraph(let lead, _) = a.blocks[0], case .table(let t) = a.blocks[1] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(lead.string, "兑换标准如下：")
        XCTAssertEqual(t.header, ["项目", "积分"])
        XCTAssertEqual(t.rows, [["理发", "5"]])
        XCTAssertEqual(t.alignments, [.start, .end])
        XCTAssertEqual(t.location.line, 6)
        guard case .box(let title, let inner, _) = a.blocks[2], case .table(let boxed)? = inner.first else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(title, "盒子")
        XCTAssertEqual(boxed.header, ["甲", "乙"])
        guard case .list(_, let items, _) = a.blocks[3], case .paragraph(let item, _)? = items.first?.first,
              case .table(let listed)? = items.first?.last else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(item.string, "列表项：")
        XCTAssertEqual(listed.header, ["丙", "丁"])
        guard case .paragraph(let spanning, _) = a.blocks[4], case .table(let after) = a.blocks[5] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(spanning.string, "强调跨行 之后 | 一条竖线")
        XCTAssertEqual(after.rows, [["5", "6"]])
        guard case .paragraph(let unsplit, _) = a.blocks[6] else { return XCTFail("\(a.blocks)") }
        XCTAssertTrue(unsplit.string.contains("| 庚 |"))
        let said = parsed.warnings.filter { $0.code == "table-after-text" }
        XCTAssertEqual(said.map { $0.location?.line }, [26])
    }

    func testTextWithPipesButNoDelimiterRowStaysAParagraph() throws {
        let a = try ArticleLoader.parse("---\ntitle: 表\n---\n\na | b\nc | d\n", path: "/tmp/t.md").article
        guard case .paragraph = a.blocks[0] else { return XCTFail("\(a.blocks)") }
    }
}

final class TitleLineTests: XCTestCase {
    private func headings(_ a: Article) -> [String] {
        a.blocks.compactMap { if case .heading(let level, let t, _) = $0 { "h\(level) \(t.string)" } else { nil } }
    }

    /// No front matter: a first line `# 标题` is the title (its markup and id not), not a heading too.
    func testAFirstLineHeadingIsTheTitleWhereFrontMatterGivesNone() throws {
        let loaded = try ArticleLoader.parse("\n# 草原上的*新*课堂 {#top}\n\n正文。\n\n## 一、缘起\n\n正文。\n", path: "/tmp/t.md")
        XCTAssertEqual(loaded.article.meta.title, "草原上的新课堂")
        XCTAssertEqual(headings(loaded.article), ["h2 一、缘起"])
        let note = loaded.warnings.first { $0.code == "title" }
        XCTAssertEqual(note?.location?.line, 2)
        // The lines after it keep their numbers.
        guard case .heading(_, _, let at)? = loaded.article.blocks.first(where: { if case .heading = $0 { true } else { false } }) else { return XCTFail() }
        XCTAssertEqual(at.line, 6)
        XCTAssertThrowsError(try ArticleLoader.parse("正文。\n", path: "/tmp/t.md")) { e in
            XCTAssertTrue("\(e)".contains("begin the text with a line '# 标题'"), "\(e)")
        }
    }

    /// The front matter's title written again as the first heading is printed once; another
    /// first heading is the article's own.
    func testTheTitleRepeatedAsTheFirstHeadingIsPrintedOnce() throws {
        let repeated = try ArticleLoader.parse("---\ntitle: 新课堂\n---\n\n# 新课堂\n\n正文。\n", path: "/tmp/t.md")
        XCTAssertEqual(headings(repeated.article), [])
        XCTAssertEqual(repeated.warnings.first { $0.code == "title" }?.location?.line, 5)
        let other = try ArticleLoader.parse("---\ntitle: 新课堂\n---\n\n# 图书室开放\n\n正文。\n", path: "/tmp/t.md")
        XCTAssertEqual(headings(other.article), ["h1 图书室开放"])
        XCTAssertTrue(other.warnings.filter { $0.code == "title" }.isEmpty)
    }

    /// A subtitle line under a title written in the text is the deck; under a front-matter
    /// title, or a line of dialogue, it stays text.
    func testASubtitleLineIsTheDeck() throws {
        for md in ["草原上的账本\n——一个嘎查的十年\n\n正文。\n", "# 草原上的账本\n\n—— 一个嘎查的十年\n\n正文。\n"] {
            let a = try ArticleLoader.parse(md, path: "/tmp/d.md")
            XCTAssertEqual(a.article.meta.title, "草原上的账本", md)
            XCTAssertEqual(a.article.meta.deck, "一个嘎查的十年", md)
            guard case .paragraph(let text, _)? = a.article.blocks.first else { return XCTFail() }
            XCTAssertEqual(text.string, "正文。")
        }
        for md in ["---\ntitle: 账本\n---\n\n——一个嘎查的十年\n\n正文。\n", "# 账本\n\n——你好吗？\n\n正文。\n"] {
            let a = try ArticleLoader.parse(md, path: "/tmp/d.md")
            XCTAssertNil(a.article.meta.deck, md)
            XCTAssertEqual(a.article.blocks.count, 2, md)
        }
    }

    /// A manuscript pasted as text: its first line, short and on its own, is the title where
    /// nothing else gives one; a long first line, or one with a paragraph straight under it, is not.
    func testAPlainFirstLineIsTheTitle() throws {
        let loaded = try ArticleLoader.parse("\n草原上的账本:一个嘎查的十年\n\n　　正文。\n", path: "/tmp/p.md")
        XCTAssertEqual(loaded.article.meta.title, "草原上的账本：一个嘎查的十年")
        XCTAssertEqual(loaded.warnings.filter { $0.code == "title" }.map { $0.location?.line }, [2])
        guard case .paragraph(let text, let at)? = loaded.article.blocks.first else { return XCTFail() }
        XCTAssertEqual(text.string, "正文。")
        XCTAssertEqual(at.line, 4)
        for text in ["正文第一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。\n\n第二段。\n", "一行\n紧接着的一行。\n", "- 列表\n",
                     "文/林晓岚\n\n正文。\n"] {
            XCTAssertThrowsError(try ArticleLoader.parse(text, path: "/tmp/p.md"), text)
        }
    }
}

final class ManuscriptIndentTests: XCTestCase {
    private func read(_ md: String) throws -> LoadedArticle {
        try ArticleLoader.parse("---\ntitle: 稿\n---\n\n" + md, path: "/tmp/m.md")
    }
    private func paragraphs(_ blocks: [Block]) -> [(String, Int)] {
        blocks.compactMap { if case .paragraph(let t, let at) = $0 { (t.string, at.line) } else { nil } }
    }

    /// Pasted text: each paragraph begun with two ideographic spaces, no blank line between.
    func testLinesBegunWithIdeographicSpacesAreParagraphs() throws {
        let loaded = try read("　　第一段，有**强调**。\n　　第二段。\n接着第二段。\n　　第三段。\n\n　　另起一段。\n")
        let got = paragraphs(loaded.article.blocks)
        XCTAssertEqual(got.map(\.0), ["第一段，有强调。", "第二段。接着第二段。", "第三段。", "另起一段。"])
        XCTAssertEqual(got.map(\.1), [5, 6, 8, 10])
        // Emphasis keeps its place in the first.
        guard case .paragraph(let first, _)? = loaded.article.blocks.first else { return XCTFail() }
        XCTAssertEqual(first.spans.map(\.range), [5..<7])
        let notes = loaded.warnings.filter { $0.code == "indent" }
        XCTAssertEqual(notes.map { $0.location?.line }, [5])
        XCTAssertTrue(notes.first?.message.hasPrefix("4 paragraphs begin with ideographic spaces") ?? false, notes.first?.message ?? "")
    }

    /// Text pasted a paragraph a line, with no blank lines: three lines or more of Chinese, each
    /// ending a sentence, are paragraphs; lines wrapped in the editor, two lines, or English
    /// sentences a line each stay one paragraph.
    func testLinesEachEndingASentenceArePastedParagraphs() throws {
        let pasted = try read("第一段。\n他说：“第二段。”\n第三段！\n\n折了行，\n没有句末。\n又一行。\n\n两行。\n两行。\n\nOne.\nTwo.\nThree.\n")
        XCTAssertEqual(paragraphs(pasted.article.blocks).map(\.0), ["第一段。", "他说：“第二段。”", "第三段！", "折了行，没有句末。又一行。", "两行。两行。", "One. Two. Three."])
        XCTAssertEqual(paragraphs(pasted.article.blocks).map(\.1), [5, 6, 7, 9, 13, 16])
        let notes = pasted.warnings.filter { $0.code == "indent" }
        XCTAssertEqual(notes.map { $0.location?.line }, [5])
        XCTAssertTrue(ManuscriptHabits.endsSentence("他问：“真的吗？”  "))
        XCTAssertFalse(ManuscriptHabits.endsSentence("他说："))
        XCTAssertTrue(ManuscriptHabits.endsSentence("他走了."))
        XCTAssertFalse(ManuscriptHabits.endsSentence("版本 3.0 见 p."))
    }

    /// Paragraphs of two lines or more split from pasted text keep their lines together (their
    /// line breaks go with them), and every indented line after them still begins one.
    func testIndentedLinesAfterPiecesOfSeveralLines() throws {
        let loaded = try read("　　甲，\n乙。\n　　丙，\nand more\n　　丁。\n")
        XCTAssertEqual(paragraphs(loaded.article.blocks).map(\.0), ["甲，乙。", "丙，and more", "丁。"])
        XCTAssertEqual(paragraphs(loaded.article.blocks).map(\.1), [5, 7, 9])
    }

    /// A pasted manuscript's numbered section titles, unindented lines between its indented
    /// paragraphs or among lines each ending a sentence, are headings; a numbered line after
    /// text that runs on (`措施有：`) stays in its paragraph.
    func testNumberedTitlesInPastedTextAreHeadings() throws {
        func kinds(_ md: String) throws -> [String] {
            try read(md).article.blocks.map { if case .heading(let l, let t, _) = $0 { "h\(l) \(t.string)" } else if case .paragraph(let t, _) = $0 { t.string } else { "?" } }
        }
        XCTAssertEqual(try kinds("　　开头。\n一、缘起\n　　第一段。\n二、路上\n　　第二段。\n"), ["开头。", "h2 一、缘起", "第一段。", "h2 二、路上", "第二段。"])
        XCTAssertEqual(try kinds("开头。\n一、缘起\n第一段。\n二、路上\n第二段。\n"), ["开头。", "h2 一、缘起", "第一段。", "h2 二、路上", "第二段。"])
        XCTAssertEqual(try kinds("　　措施有：\n一、加强领导\n二、改进作风\n　　第二段。\n"), ["措施有：一、加强领导二、改进作风", "第二段。"])
        // Typed half-width, as pasted text often is.
        XCTAssertEqual(try kinds("　　开头.\n一、缘起\n　　第一段.\n二、路上\n　　第二段.\n"), ["开头。", "h2 一、缘起", "第一段。", "h2 二、路上", "第二段。"])
    }

    /// A list pasted a line an item — bullets, `1、`, `（1）`, `①` — is set a paragraph an item
    /// (the items ran together); an item's wrapped line stays with it; numbers out of order, a
    /// lone marked line or a decimal stay in their paragraph; bulleted items never become marked
    /// section titles.
    func testItemsPastedALineEachAreParagraphs() throws {
        func kinds(_ md: String) throws -> [String] {
            try read(md).article.blocks.map { if case .heading(let l, let t, _) = $0 { "h\(l) \(t.string)" } else if case .paragraph(let t, _) = $0 { t.string } else { "?" } }
        }
        XCTAssertEqual(try kinds("规矩：\n● 不超载放牧；\n● 每户轮换草场；\n● 收入按股分红。\n"), ["规矩：", "● 不超载放牧；", "● 每户轮换草场；", "● 收入按股分红。"])
        XCTAssertEqual(try kinds("做法是：\n1、先清点\n牲畜；\n2、再划分草场。\n\n（1）春季休牧；\n（2）秋季轮牧。\n\n①一条注。\n②两条注。\n"),
                       ["做法是：", "1、先清点牲畜；", "2、再划分草场。", "（1）春季休牧；", "（2）秋季轮牧。", "①一条注。", "②两条注。"])
        XCTAssertEqual(try kinds("做法是：\n1、先清点；\n3、再划分。\n\n增长了\n3.5倍，\n4.2倍。\n\n开头：\n● 只有一条。\n"), ["做法是：1、先清点；3、再划分。", "增长了3.5倍，4.2倍。", "开头：● 只有一条。"])
        let bullets = try read("开头。\n\n规矩：\n● 不超载放牧\n● 每户轮换草场\n\n正文，草原的六月。\n")
        XCTAssertEqual(bullets.article.blocks.compactMap { if case .paragraph(let t, _) = $0 { t.string } else { nil } }, ["开头。", "规矩：", "● 不超载放牧", "● 每户轮换草场", "正文，草原的六月。"])
        XCTAssertEqual(bullets.warnings.filter { $0.code == "indent" }.map { $0.location?.line }, [7])
        XCTAssertFalse(bullets.warnings.contains { $0.code == "marked-heading" })
        XCTAssertEqual(ManuscriptHabits.itemMark("（12）草场")?.kind, "(）")
        XCTAssertNil(ManuscriptHabits.itemMark("2024年"))
        XCTAssertNil(ManuscriptHabits.itemMark("● "))
    }

    /// A list numbered in Chinese numbers, pasted a line an item inside a section numbered the
    /// same way, is a paragraph an item, and the section titles are still headings; short items
    /// that read as titles stay run in (they would be empty sections).
    func testChineseNumberedItemsBesideNumberedTitles() throws {
        let md = "开头。\n\n一、缘起\n\n正文一。做法是：\n一、不超载放牧；\n二、每户轮换\n草场；\n三、冬季舍饲，\n统一采购。\n这几条写进了村规。\n\n二、路上\n\n正文二。要点：\n（一）短句\n（二）短句二\n\n结尾。\n"
        let loaded = try read(md)
        let kinds = loaded.article.blocks.map { if case .heading(let l, let t, _) = $0 { "h\(l) \(t.string)" } else if case .paragraph(let t, _) = $0 { t.string } else { "?" } }
        XCTAssertEqual(kinds, ["开头。", "h2 一、缘起", "正文一。做法是：", "一、不超载放牧；", "二、每户轮换草场；", "三、冬季舍饲，统一采购。", "这几条写进了村规。",
                               "h2 二、路上", "正文二。要点：（一）短句（二）短句二", "结尾。"])
        XCTAssertTrue(loaded.warnings.contains { $0.code == "numbered-heading" })
        // Sentences so numbered in paragraphs of their own are a list too; alone they keep an
        // article from having numbered titles (`一、要加强领导。` is not one).
        let separate = try read("开头。\n\n一、缘起\n\n正文。\n\n一、要加强领导。\n\n二、要落实。\n\n二、路上\n\n正文。\n")
        XCTAssertEqual(separate.article.blocks.compactMap { if case .heading(_, let t, _) = $0 { t.string } else { nil } }, ["一、缘起", "二、路上"])
        let lone = try read("开头。\n\n一、缘起\n\n正文。\n\n一、要加强领导。\n\n二、路上\n\n正文。\n")
        XCTAssertTrue(lone.article.blocks.allSatisfy { if case .heading = $0 { false } else { true } })
        XCTAssertEqual(ManuscriptHabits.itemMark("（十二）草场")?.number, 12)
    }

    /// Paragraphs run together in one with their indents inside it (a web page's text that lost
    /// its line breaks, two Word paragraphs joined) are set apart after a sentence's end, their
    /// emphasis kept; two ideographic spaces not after a sentence's end, or one, stay.
    func testParagraphsRunTogetherWithTheirIndentsAreSetApart() throws {
        let loaded = try read("　　第一段**十年……　　如今**第二段。　　“第三段。”　　第四段\n\n他说　　好。一　个。结尾。　　\n")
        let texts = paragraphs(loaded.article.blocks).map(\.0)
        XCTAssertEqual(texts, ["第一段十年……", "如今第二段。", "“第三段。”", "第四段", "他说　　好。一　个。结尾。"])   // (no blank ems at its end)
        guard case .paragraph(let second, _) = loaded.article.blocks[1] else { return XCTFail() }
        XCTAssertEqual(second.spans.map(\.range), [0..<2])
        XCTAssertEqual(loaded.warnings.filter { $0.message.hasPrefix("paragraphs run together") }.map { $0.location?.line }, [5])
    }

    /// Prose whose paragraphs end with a line break (Word's Shift+Enter) and begin indented:
    /// a paragraph each; a poem's short lines, or a break inside a sentence, keep their breaks.
    func testParagraphsEndedWithALineBreakAndAnIndent() throws {
        let prose = try read("　　第一段，草原上的学校迎来了新学期。孩子们骑马上学。\\\n　　第二段，老师早早地等在门口。  \n　　第三段，铃声响了。\n")
        XCTAssertEqual(paragraphs(prose.article.blocks).map(\.0), ["第一段，草原上的学校迎来了新学期。孩子们骑马上学。", "第二段，老师早早地等在门口。", "第三段，铃声响了。"])
        let poem = try read("　　床前明月光，\\\n　　疑是地上霜。\\\n　　举头望明月，\\\n　　低头思故乡。\n")
        XCTAssertEqual(paragraphs(poem.article.blocks).count, 1)
        let inside = try read("　　第一段，草原上的学校迎来了新学期，孩子们骑马上学\\\n　　接着写。\n")
        XCTAssertEqual(paragraphs(inside.article.blocks).map(\.0), ["第一段，草原上的学校迎来了新学期，孩子们骑马上学\u{2028}　　接着写。"])
    }

    /// A poem's lines (hard breaks) stay one paragraph; emphasis running over a line end keeps
    /// its lines together; a quote's pasted paragraphs are split as the article's are.
    func testPoemsEmphasisAndQuotes() throws {
        let poem = try read("　　床前明月光，\\\n　　疑是地上霜。\n")
        XCTAssertEqual(paragraphs(poem.article.blocks).map(\.0), ["床前明月光，\u{2028}　　疑是地上霜。"])
        let spanning = try read("　　一段**强调\n　　跨行**的话。\n")
        XCTAssertEqual(paragraphs(spanning.article.blocks).count, 1)
        let quoted = try read("> 　　引文一。\n> 　　引文二。\n")
        guard case .quote(let inner, _)? = quoted.article.blocks.first else { return XCTFail("\(quoted.article.blocks)") }
        XCTAssertEqual(paragraphs(inner).map(\.0), ["引文一。", "引文二。"])
        // Nothing to note where no paragraph was indented.
        XCTAssertTrue(try read("正文。\n").warnings.filter { $0.code == "indent" }.isEmpty)
    }
}

final class CaptionParagraphTests: XCTestCase {
    /// A manuscript's caption under an image written with none: `图为……` or a credit is the caption;
    /// other text under an image, and a paragraph under a captioned image, stay text.
    func testTheParagraphUnderAnUncaptionedImageCaptionsIt() throws {
        let md = "---\ntitle: 图\n---\n\n开头。\n\n![](a.jpg)\n\n图为牧区小学的学生们在上课。\n\n正文。\n\n![](b.jpg)\n\n（本刊记者 林晓岚 摄）\n\n![](c.jpg)\n\n接着写正文。\n\n![说明](d.jpg)\n\n图为另一段。\n"
        let loaded = try ArticleLoader.parse(md, path: "/tmp/c.md", options: InputOptions(allowMissingImages: true))
        let kinds = loaded.article.blocks.map { b -> String in
            switch b {
            case .figure(let f): "figure \(f.path) \(f.caption.string)"
            case .paragraph(let t, _): "p \(t.string)"
            default: "other"
            }
        }
        XCTAssertEqual(kinds, ["p 开头。", "figure a.jpg 图为牧区小学的学生们在上课。", "p 正文。", "figure b.jpg （本刊记者 林晓岚 摄）",
                               "figure c.jpg ", "p 接着写正文。", "figure d.jpg 说明", "p 图为另一段。"])
        let notes = loaded.warnings.filter { $0.code == "caption" }
        XCTAssertEqual(notes.map { $0.location?.line }, [9])
        XCTAssertTrue(notes.first?.message.hasPrefix("this paragraph and 1 other like it are the caption") ?? false, notes.first?.message ?? "")
    }
}

final class HalfWidthPunctuationTests: XCTestCase {
    /// A Chinese manuscript's marks typed half-width are set full-width, its emphasis and links
    /// kept on their words; code, addresses, English and an English article stay as written.
    func testMarksTypedHalfWidthAreSetFullWidth() throws {
        let md = "---\ntitle: 标点\n---\n\n开头。\n\n孩子们,每天**骑马**上学...[民族网](https://example.org)(草原上)真的吗?\n\n代码 `a,b` 与 https://example.org/a,b 不动,他说“Good morning, everyone!”，好.\n"
        let loaded = try ArticleLoader.parse(md, path: "/tmp/p.md")
        guard case .paragraph(let first, _) = loaded.article.blocks[1], case .paragraph(let second, _) = loaded.article.blocks[2] else {
            return XCTFail("\(loaded.article.blocks)")
        }
        XCTAssertEqual(first.string, "孩子们，每天骑马上学……民族网（草原上）真的吗？")
        let scalars = Array(first.string.unicodeScalars)
        func words(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        XCTAssertEqual(first.spans.map { words($0.range) }, ["骑马"])
        XCTAssertEqual(first.links.map { words($0.range) }, ["民族网"])
        XCTAssertEqual(second.string, "代码 a,b 与 https://example.org/a,b 不动，他说“Good morning, everyone!”，好。")
        let notes = loaded.warnings.filter { $0.code == "punctuation" }
        XCTAssertEqual(notes.map { $0.location?.line }, [7])
        XCTAssertTrue(notes.first?.message.hasPrefix("7 Chinese punctuation marks typed half-width or miswritten set as Chinese sets them (， 2, …… 1, 。 1,") ?? false, notes.first?.message ?? "")
        let english = try ArticleLoader.parse("---\ntitle: t\nlanguage: en\n---\n\nHe said 你好,world.\n", path: "/tmp/e.md")
        guard case .paragraph(let text, _)? = english.article.blocks.first else { return XCTFail() }
        XCTAssertEqual(text.string, "He said 你好,world.")
        XCTAssertTrue(english.warnings.filter { $0.code == "punctuation" }.isEmpty)
        // After a note's mark, as after a Han character.
        var restorer = PunctuationRestorer()
        XCTAssertEqual(restorer.restore("讲给大家听①.起初①,后来"), "讲给大家听①。起初①，后来")
        XCTAssertTrue(ManuscriptHabits.endsSentence("讲给大家听①."))
    }

    /// `folio import` writes the marks a render would set into the Markdown, its syntax as
    /// written: an image after Han keeps its `!`, code spans, link destinations and autolinks are
    /// left alone, an escaped mark restored as the render reads it (its backslash gone with it).
    func testMarksInAMarkdownLineAndItsSyntax() {
        var r = PunctuationRestorer()
        XCTAssertEqual(ManuscriptHabits.restoringPunctuation(inMarkdownLine: "图在此![](a.gif)后面,见[网](https://e.org/a,b(c))与<https://x.org/a,b>,`a,b`与\\(括号\\)!", with: &r),
                       "图在此![](a.gif)后面，见[网](https://e.org/a,b(c))与<https://x.org/a,b>,`a,b`与（括号）！")
        XCTAssertEqual(r.total, 4)
        XCTAssertEqual(ManuscriptHabits.restoringPunctuation(inMarkdownLine: #"他\"好\"\*注\*"#, with: &r), #"他“好”\*注\*"#)
        XCTAssertNil(ManuscriptHabits.restoringPunctuation(inMarkdownLine: "| 年份 | 人数 |", with: &r))
        XCTAssertEqual(ManuscriptHabits.restoringPunctuation(inMarkdownLine: "> [!box] 编者按:他说--好", with: &r), "> [!box] 编者按：他说——好")
    }

    /// Spaces typed between Chinese characters are printed as written (a space between names
    /// may be meant) and named in a note at their paragraph; not in code, nor Han–Latin spaces.
    func testSpacesBetweenChineseCharactersAreNamed() throws {
        let md = "---\ntitle: 空格\n---\n\n开头。\n\n草原上的学校 迎来了新学期，`代码 文字` 与 2024 年。\n\n牧区的孩子们  每天骑马上学。\n"
        let loaded = try ArticleLoader.parse(md, path: "/tmp/s.md")
        guard case .paragraph(let text, _)? = loaded.article.blocks.dropFirst().first else { return XCTFail() }
        XCTAssertEqual(text.string, "草原上的学校 迎来了新学期，代码 文字 与 2024 年。")
        let notes = loaded.warnings.filter { $0.code == "space" }
        XCTAssertEqual(notes.map { $0.location?.line }, [7])
        XCTAssertTrue(notes.first?.message.hasPrefix("2 spaces between Chinese characters printed as written ('学校 迎来', '子们  每天')") ?? false, notes.first?.message ?? "")
        let english = try ArticleLoader.parse("---\ntitle: t\nlanguage: en\n---\n\n学校 迎来\n", path: "/tmp/e.md")
        XCTAssertFalse(english.warnings.contains { $0.code == "space" })
    }

    /// A paragraph whose only wrong marks are not ASCII — GBK's `――`, one `…` — is restored
    /// too (the reader skips a paragraph with none to restore), code left as written.
    func testDashesAndEllipsesWithoutHalfWidthMarks() throws {
        let md = "---\ntitle: 破折号\n---\n\n马头琴――这件古老的乐器――又响了起来\n\n他说…\n\n运行 `a -- b` 与**草原**－－好\n"
        let loaded = try ArticleLoader.parse(md, path: "/tmp/d.md")
        let texts = loaded.article.blocks.compactMap { b -> String? in if case .paragraph(let t, _) = b { t.string } else { nil } }
        XCTAssertEqual(texts, ["马头琴——这件古老的乐器——又响了起来", "他说……", "运行 a -- b 与草原——好"])
        XCTAssertTrue(loaded.warnings.contains { $0.code == "punctuation" && $0.message.hasPrefix("4 Chinese punctuation marks") && $0.location?.line == 5 },
                      loaded.warnings.map(\.message).joined(separator: "\n"))
        // Full-width digits with no other mark: Latin ones, but upright in vertical text; a space
        // after a full-width mark, the only thing to mend in its paragraph, left out.
        for (mode, expected) in [("", ["2024年", "多了18%", "回家的路。”合作社"]), ("writing-mode: vertical-rl\n", ["２０２４年", "多了18％", "回家的路。”合作社"])] {
            let article = try ArticleLoader.parse("---\ntitle: 数字\n\(mode)---\n\n２０２４年\n\n多了18％\n\n回家的路。” 合作社\n", path: "/tmp/n.md").article
            XCTAssertEqual(article.blocks.compactMap { b -> String? in if case .paragraph(let t, _) = b { t.string } else { nil } }, expected)
        }
    }

    /// The heads printed large are restored too: title, kicker, deck, source; the note is then
    /// at the front matter when the body has none.
    func testTheHeadsMarksAreSetFullWidth() throws {
        let md = "---\ntitle: \"草原上的学校:新学期\"\nkicker: 教育(特别报道)\ndeck: 孩子们回来了!\nsource: 新华社\nauthor: \"林晓岚/张三\"\n---\n\n开头。\n"
        let loaded = try ArticleLoader.parse(md, path: "/tmp/h.md")
        let meta = loaded.article.meta
        XCTAssertEqual(meta.title, "草原上的学校：新学期")
        XCTAssertEqual(meta.kicker, "教育（特别报道）")
        XCTAssertEqual(meta.deck, "孩子们回来了！")
        XCTAssertEqual(meta.author, "林晓岚/张三")
        let notes = loaded.warnings.filter { $0.code == "punctuation" }
        XCTAssertEqual(notes.map { $0.location?.line }, [1])
        XCTAssertTrue(notes.first?.message.hasPrefix("4 Chinese punctuation marks") ?? false, notes.first?.message ?? "")
        let title = try ArticleLoader.parse("# 标题:副题\n\n开头。\n", path: "/tmp/t.md")
        XCTAssertEqual(title.article.meta.title, "标题：副题")
    }
}

final class BoldHeadingTests: XCTestCase {
    /// The kinds of top-level block of `md`'s article: "h2 一、缘起", "p".
    private func outline(_ md: String, code: String = "bold-heading") throws -> (kinds: [String], notes: [Diagnostic]) {
        let parsed = try ArticleLoader.parse("---\ntitle: 稿\n---\n\n" + md, path: "/tmp/b.md")
        let kinds = parsed.article.blocks.map { b -> String in
            if case .heading(let level, let text, _) = b { return "h\(level) \(text.string)" }
            return "p"
        }
        return (kinds, parsed.warnings.filter { $0.code == code })
    }

    /// Lines a manuscript marks as section titles, 【缘起】 and ■ 路上, are headings without their
    /// marks where there are two or more; one alone, a sentence and the first block stay text.
    func testMarkedLinesAreHeadings() throws {
        let (kinds, notes) = try outline("■ 开篇\n\n正文。\n\n【缘起】\n\n正文。\n\n■ 路上\n\n正文。\n\n◆ 他说：好。\n\n正文。\n", code: "marked-heading")
        XCTAssertEqual(kinds, ["p", "p", "h2 缘起", "p", "h2 路上", "p", "p", "p"])
        XCTAssertEqual(notes.map { $0.location?.line }, [9])
        XCTAssertEqual(try outline("正文。\n\n【缘起】\n\n正文。\n", code: "marked-heading").kinds, ["p", "p", "p"])
    }

    /// Plain lines numbered as a manuscript numbers its sections (一、 and under them （一）) are
    /// headings where the numbers run in order; an enumeration of sentences, a lone 一、 and
    /// numbers out of order stay text.
    func testNumberedLinesInOrderAreHeadings() throws {
        let (kinds, notes) = try outline("开头。\n\n一、缘起\n\n正文。\n\n（一）草场\n\n正文。\n\n（二）牧民\n\n正文。\n\n二、路上\n\n正文。\n\n(一) 出发\n\n正文。\n\n(二) 到达\n\n正文。\n",
                                         code: "numbered-heading")
        XCTAssertEqual(kinds, ["p", "h2 一、缘起", "p", "h3 （一）草场", "p", "h3 （二）牧民", "p", "h2 二、路上", "p", "h3 （一）出发", "p", "h3 （二）到达", "p"]) // (the marks restored)
        XCTAssertEqual(notes.map { $0.location?.line }, [7])
        XCTAssertTrue(notes.first?.message.contains("'一、缘起' and 5 other numbered lines like it set as headings") ?? false, notes.first?.message ?? "")
        // One in bold or marked up as a heading counts in the run.
        XCTAssertEqual(try outline("开头。\n\n**一、缘起**\n\n正文。\n\n二、路上\n\n正文。\n").kinds, ["p", "h2 一、缘起", "p", "h2 二、路上", "p"])
        // Under the article's own ## headings, a level below them.
        XCTAssertEqual(try outline("## 草原\n\n一、缘起\n\n正文。\n\n二、路上\n\n正文。\n").kinds, ["h2 草原", "h3 一、缘起", "p", "h3 二、路上", "p"])
        for text in ["一、要加强领导。\n\n二、要改进作风。\n\n正文。", "一、缘起\n\n正文。", "一、缘起\n\n正文。\n\n三、路上\n\n正文。",
                     "一、缘起\n\n正文。\n\n二、路上"] {
            let (kinds, notes) = try outline(text + "\n", code: "numbered-heading")
            XCTAssertFalse(kinds.contains { $0.hasPrefix("h") }, "\(text): \(kinds)")
            XCTAssertTrue(notes.isEmpty)
        }
        XCTAssertEqual(["十", "十一", "二十", "二十三", "九十九", "一十", "十十", "零"].map { ManuscriptHabits.NumberedTitle.value(Substring($0)) },
                       [10, 11, 20, 23, 99, 10, nil, nil])
    }

    /// Under （一） the points a manuscript numbers 1． 2． (or 1、) are headings a level below,
    /// their numbers run again under each; numbered lines side by side (a list), sentences,
    /// English and decimals stay text. (`1. ` begins Markdown's numbered list.)
    func testNumberedPointsUnderSubsectionsAreHeadings() throws {
        let (kinds, _) = try outline("开头。\n\n一、缘起\n\n正文。\n\n（一）草场\n\n正文。\n\n1．春季休牧\n\n正文。\n\n2．秋季轮牧\n\n正文。\n\n（二）牧民\n\n正文。\n\n1、收入\n\n正文。\n\n2、支出\n\n正文。\n\n二、路上\n\n正文。\n",
                                     code: "numbered-heading")
        XCTAssertEqual(kinds, ["p", "h2 一、缘起", "p", "h3 （一）草场", "p", "h4 1．春季休牧", "p", "h4 2．秋季轮牧", "p",
                               "h3 （二）牧民", "p", "h4 1、收入", "p", "h4 2、支出", "p", "h2 二、路上", "p"])
        for text in ["1、不超载放牧\n\n2、每户轮换草场\n\n正文。", "1、要加强领导。\n\n正文。\n\n2、要改进作风。\n\n正文。",
                     "1、Introduction\n\n正文。\n\n2、Method\n\n正文。"] {
            XCTAssertFalse(try outline("开头。\n\n" + text + "\n").kinds.contains { $0.hasPrefix("h") }, text)
        }
        XCTAssertNil(ManuscriptHabits.NumberedTitle("3.5倍的增长"))
    }

    func testABoldLineOfItsOwnIsSetAsAHeading() throws {
        let (kinds, notes) = try outline("""
            **草原纪行**

            开头的一段。

            **一、缘起**

            正文。

            **二、路上（上）**

            正文。

            **你为什么回到草原？**

            答。

            **记者：我想问**

            答。

            **一句粗体**的话

            **两句话。合在一起**

            **结尾的粗体**
            """)
        // The first paragraph (a manuscript's bold kicker or byline), a question, a speaker, a
        // partly bold line, two sentences and the last line stay text.
        XCTAssertEqual(kinds, ["p", "p", "h2 一、缘起", "p", "h2 二、路上（上）", "p", "p", "p", "p", "p", "p", "p", "p"])
        XCTAssertEqual(notes.count, 1)
        XCTAssertEqual(notes.first?.location?.line, 9)
        XCTAssertTrue(notes.first?.message.contains("'一、缘起' and 1 other line like it set as headings") ?? false, notes.first?.message ?? "")
    }

    func testABoldLineUnderAnArticlesHeadingsIsASubheading() throws {
        let (kinds, notes) = try outline("开头。\n\n## 一、缘起\n\n正文。\n\n**草原上的课堂**\n\n正文。\n")
        XCTAssertEqual(kinds, ["p", "h2 一、缘起", "p", "h3 草原上的课堂", "p"])
        XCTAssertTrue(notes.first?.message.contains("### 草原上的课堂") ?? false, notes.first?.message ?? "")
    }
}

final class BylineTests: XCTestCase {
    private func read(_ front: String, _ body: String) throws -> (author: String?, first: String, notes: [Diagnostic]) {
        let loaded = try ArticleLoader.parse("---\ntitle: 稿\n\(front)---\n\n" + body + "\n\n正文。\n", path: "/tmp/a.md")
        guard case .paragraph(let text, _)? = loaded.article.blocks.first else { throw FolioError("no paragraph") }
        return (loaded.article.meta.author, text.string, loaded.warnings.filter { $0.code == "author" })
    }

    /// A manuscript's byline — its first paragraph — is the article's author where front matter
    /// names none, and printed once where it names the same; the label the template prints
    /// itself (文／) is not printed twice.
    func testAManuscriptsBylineIsItsAuthor() throws {
        var r = try read("", "□ 本刊记者 林晓岚")
        XCTAssertEqual(r.author, "本刊记者 林晓岚")
        XCTAssertEqual(r.first, "正文。")
        XCTAssertEqual(r.notes.map { $0.location?.line }, [5])
        r = try read("", "**文／林晓岚**")
        XCTAssertEqual(r.author, "林晓岚")
        r = try read("author: 林晓岚\n", "作者： 林 晓岚")
        XCTAssertEqual(r.author, "林晓岚")
        XCTAssertEqual(r.first, "正文。")
        XCTAssertTrue(r.notes.first?.message.contains("repeats the front matter's author") ?? false)
        r = try read("author: 文/林晓岚\n", "开头。")
        XCTAssertEqual(r.author, "林晓岚")
        XCTAssertEqual(r.notes.count, 1)
        XCTAssertEqual(r.first, "开头。")
        // Not bylines: a heading-like line, a sentence, another author than front matter's.
        for (front, body) in [("", "记者手记"), ("", "作者：林晓岚，1985年生"), ("", "记者了解到，草场变了。"), ("author: 张三\n", "文/李四")] {
            r = try read(front, body)
            XCTAssertEqual(r.first, body.replacingOccurrences(of: "**", with: ""), body)
        }
        XCTAssertEqual(ManuscriptHabits.authorName("文 / 林晓岚").name, "林晓岚")
        XCTAssertEqual(ManuscriptHabits.authorName("文学社").name, "文学社")
    }

    /// A byline naming someone the front matter does not — two bylines on the page — is printed
    /// as written with a warning at its line; one sharing a name (a co-author, a reporter's
    /// title before the name) is not warned about.
    func testABylineNamingAnotherAuthorIsWarnedAbout() throws {
        var r = try read("author: 张三\n", "文/李四")
        XCTAssertEqual(r.first, "文/李四")
        XCTAssertEqual(r.notes.map(\.severity), [.warning])
        XCTAssertEqual(r.notes.map { $0.location?.line }, [6])
        XCTAssertTrue(r.notes.first?.message.contains("naming 李四, but the front matter's author is 张三") ?? false, r.notes.first?.message ?? "")
        for (front, body) in [("author: 林晓岚、周明远\n", "文/周明远"), ("author: 林晓岚\n", "本刊记者 林晓岚 周明远")] {
            r = try read(front, body)
            XCTAssertEqual(r.first, body)
            XCTAssertTrue(r.notes.isEmpty, "\(body): \(r.notes)")
        }
    }
}

final class ClosingLineTests: XCTestCase {
    /// A manuscript's closing credits go to the article's credits, its （完） is left out; a
    /// second editor, a sentence and the only paragraph stay text.
    func testClosingCreditsAndEndMarks() throws {
        func read(_ front: String, _ body: String) throws -> (meta: ArticleMeta, texts: [String], notes: Int) {
            let loaded = try ArticleLoader.parse("---\ntitle: 稿\n\(front)---\n\n" + body, path: "/tmp/c.md")
            let texts = loaded.article.blocks.compactMap { if case .paragraph(let t, _) = $0 { t.string } else { nil } }
            return (loaded.article.meta, texts, loaded.warnings.filter { $0.code == "closing" }.count)
        }
        var r = try read("", "正文。\n\n（完）\n\n来源：新华社\n\n（责任编辑：周明远　摄影：林晓岚）\n")
        XCTAssertEqual(r.texts, ["正文。"])
        XCTAssertEqual(r.meta.source, "新华社")
        XCTAssertEqual(r.meta.editor, "周明远　摄影：林晓岚")
        XCTAssertEqual(r.notes, 3)
        r = try read("", "正文。\n\n（作者系中央民族大学教授）\n\n（责任编辑：周明远）\n")
        XCTAssertEqual(r.texts, ["正文。"])
        XCTAssertEqual(r.meta.editor, "周明远　作者系中央民族大学教授")
        r = try read("editor: 王五\n", "正文。\n\n责任编辑：周明远\n")
        XCTAssertEqual(r.texts, ["正文。", "责任编辑：周明远"])
        XCTAssertEqual(r.meta.editor, "王五")
        r = try read("", "（完）\n")
        XCTAssertEqual(r.texts, ["（完）"])
        r = try read("", "正文。\n\n来源：据统计，草场变了。\n\n正文完了。\n")
        XCTAssertEqual(r.texts.count, 3)
        XCTAssertEqual(r.notes, 0)
        // A date alone is the byline's, and its note says so.
        let dated = try ArticleLoader.parse("---\ntitle: 稿\n---\n\n正文。\n\n日期：2024-07-31\n", path: "/tmp/d.md")
        XCTAssertEqual(dated.article.meta.date, "2024-07-31")
        XCTAssertEqual(dated.warnings.filter { $0.code == "closing" }.map(\.message), ["the closing line '日期：2024-07-31' is printed as the article's date"])
        // Before the notes gathered from footnotes.
        let noted = try ArticleLoader.parse("---\ntitle: 稿\n---\n\n正文[^1]。\n\n（完）\n\n[^1]: 注。\n", path: "/tmp/n.md")
        XCTAssertFalse(noted.article.blocks.contains { if case .paragraph(let t, _) = $0 { t.string == "（完）" } else { false } })
        XCTAssertNotNil(noted.article.notesHeading)
    }
}

final class EditorsNoteTests: XCTestCase {
    /// An opening 编者按 is a box titled with its label, after a byline too; one later in the
    /// text, or a label with nothing after it, stays text.
    func testAnEditorsNoteIsABox() throws {
        func first(_ body: String) throws -> (Block?, Int) {
            let loaded = try ArticleLoader.parse("---\ntitle: 稿\n---\n\n" + body + "\n\n正文。\n", path: "/tmp/e.md")
            return (loaded.article.blocks.first, loaded.warnings.filter { $0.code == "editors-note" }.count)
        }
        for body in ["**编者按**：草原上的学校，变了。", "【编者按】 草原上的学校，变了。", "文/林晓岚\n\n编者按:草原上的学校,变了。"] {
            let (block, notes) = try first(body)
            guard case .box(let title, let inner, _)? = block, case .paragraph(let text, _)? = inner.first else { XCTFail("\(body): \(String(describing: block))"); continue }
            XCTAssertEqual(title, "编者按")
            XCTAssertEqual(text.string, "草原上的学校，变了。")
            XCTAssertEqual(notes, 1)
        }
        for body in ["开头。\n\n正文。\n\n编者按：晚了。", "编者按："] {
            let (block, notes) = try first(body)
            if case .box? = block { XCTFail(body) }
            XCTAssertEqual(notes, 0)
        }
    }
}

final class ManuscriptNotesTests: XCTestCase {
    /// A manuscript's own `注释：` over numbered notes to the end is their heading (the notes'
    /// end matter, in the article's language); a reference list's keeps its name; a label with
    /// text after the notes, or none numbered after it, stays text.
    func testAManuscriptsOwnNotesSection() throws {
        func read(_ body: String) throws -> Article {
            try ArticleLoader.parse("---\ntitle: 稿\n---\n\n正文①。\n\n" + body + "\n", path: "/tmp/n.md").article
        }
        var a = try read("注释：\n\n① 第一条。\n\n② 第二条。")
        XCTAssertEqual(a.notesHeading, 1)
        guard case .heading(2, let text, _) = a.blocks[1] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(text.string, "注释")
        a = try read("【参考文献】\n\n[1] 某书。")
        XCTAssertNil(a.notesHeading)
        guard case .heading(2, let refs, _) = a.blocks[1] else { return XCTFail("\(a.blocks)") }
        XCTAssertEqual(refs.string, "参考文献")
        for body in ["注释：\n\n① 第一条。\n\n后记。", "注释：", "注释：\n\n后记。"] {
            a = try read(body)
            XCTAssertFalse(a.blocks.contains { if case .heading = $0 { true } else { false } }, body)
        }
    }
}

final class EmptySectionTests: XCTestCase {
    func testAHeadingWithNothingUnderItIsSaid() throws {
        let md = "---\ntitle: 节\n---\n\n## 一、缘起\n\n### 小节\n\n正文[^1]。\n\n## 二、被删的一节\n\n## 三、现状\n\n> [!pull]\n> 一句话。\n\n## 四、待写\n\n##\n\n[^1]: 注。\n"
        let parsed = try ArticleLoader.parse(md, path: "/tmp/s.md")
        let said = parsed.warnings.filter { $0.code == "empty-section" }
        // A heading above its subheading and one above a pull quote have something under them.
        XCTAssertEqual(said.map { $0.location?.line }, [11, 18, 20])
        XCTAssertEqual(said.map(\.severity), [.warning, .warning, .warning])
        guard said.count == 3 else { return }
        XCTAssertTrue(said[0].message.contains("'二、被删的一节' has nothing under it before the heading '三、现状'"), said[0].message)
        // The notes Folio gathers under their own heading at the end are not the article's text.
        XCTAssertTrue(said[1].message.contains("'四、待写' has nothing under it before an empty heading"), said[1].message)
        XCTAssertTrue(said[2].message.hasPrefix("an empty heading ends the article"), said[2].message)
        // Still printed: the headings are the author's text.
        XCTAssertEqual(parsed.article.blocks.filter { if case .heading = $0 { return true } else { return false } }.count, 7)
    }

    /// A heading that ends its box (the box's text cut below it) is said too; one over the
    /// box's text is not, nor the box's title.
    func testAHeadingThatEndsItsBoxIsSaid() throws {
        let md = "---\ntitle: 框\n---\n\n正文。\n\n> [!box] 资料\n>\n> ### 数据\n>\n> 三千人。\n>\n> ### 来源\n\n后文。\n"
        let said = try ArticleLoader.parse(md, path: "/tmp/b.md").warnings.filter { $0.code == "empty-section" }
        XCTAssertEqual(said.map { $0.location?.line }, [13])
        XCTAssertTrue(said.first?.message.hasPrefix("the heading '来源' ends its box with nothing under it") ?? false, "\(said)")
    }
}

final class CalloutTests: XCTestCase {
    func testBoxAndPullQuoteCallouts() throws {
        let md = "---\ntitle: t\n---\n\n> [!box] 订阅须知\n> 全年十二期。\n>\n> 邮发代号：00-000。\n\n> [!pull]\n> 一句话，放大。\n\n> 普通引文。\n"
        let a = try ArticleLoader.parse(md, path: "/tmp/c.md").article
        guard a.blocks.count == 3 else { return XCTFail("\(a.blocks)") }
        guard case .box(let title, let inner, _) = a.blocks[0] else { return XCTFail("\(a.blocks[0])") }
        XCTAssertEqual(title, "订阅须知")
        let texts = inner.compactMap { b -> String? in if case .paragraph(let t, _) = b { return t.string } else { return nil } }
        XCTAssertEqual(texts, ["全年十二期。", "邮发代号：00-000。"])
        guard case .pullQuote(let q, let optional, _) = a.blocks[1] else { return XCTFail("\(a.blocks[1])") }
        XCTAssertEqual(q.string, "一句话，放大。")
        XCTAssertFalse(optional)
        guard case .quote = a.blocks[2] else { return XCTFail() }
    }

    /// Elements a page budget may leave out: `> [!pull optional]` and an image titled "optional"
    /// (alone or with a placement), which stays an ordinary figure otherwise.
    func testOptionalPullQuotesAndFigures() throws {
        let md = "---\ntitle: t\n---\n\n> [!pull optional]\n> 可删的一句。\n\n![图一](a.jpg \"span optional\")\n\n![图二](b.jpg \"optional\")\n\n![图三](c.jpg \"span\")\n"
        var options = InputOptions()
        options.allowMissingImages = true
        let a = try ArticleLoader.parse(md, path: "/tmp/o.md", options: options).article
        guard case .pullQuote(let q, true, _) = a.blocks[0] else { return XCTFail("\(a.blocks[0])") }
        XCTAssertEqual(q.string, "可删的一句。")
        let figures = a.blocks.compactMap { b -> Figure? in if case .figure(let f) = b { return f } else { return nil } }
        XCTAssertEqual(figures.map(\.optional), [true, true, false])
        XCTAssertEqual(figures.map(\.placement), [.span, .column, .span])
    }
}

/// An article of `body` under a front matter of one title, written to a temporary folder and
/// read as a file is (its body starts on line 5).
func loadArticle(_ body: String) throws -> LoadedArticle {
    let dir = NSTemporaryDirectory() + "article-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "---\ntitle: 标题\n---\n\n\(body)".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
    return try ArticleLoader.load(path: dir + "/a.md")
}

/// CommonMark does not close `**` after a full-width mark before a letter, nor open it between
/// a letter and a mark; Chinese text does both all the time (CJKEmphasis).
final class CJKEmphasisTests: XCTestCase {
    func paragraph(_ markdown: String) throws -> StyledText {
        guard case .paragraph(let p, _) = try loadArticle(markdown + "\n").article.blocks[0] else { throw FolioError("no paragraph") }
        return p
    }

    func testAsteriskAfterAFullStopClosesTheEmphasis() throws {
        let p = try paragraph("**草原图书馆开进牧区。**六月初，一辆车出发。")
        XCTAssertEqual(p.string, "草原图书馆开进牧区。六月初，一辆车出发。", "no asterisk is left in the text")
        XCTAssertEqual(p.spans, [StyledSpan(range: 0..<9, style: .strong)])
    }

    func testAsteriskBetweenALetterAndAQuoteOpensIt() throws {
        let p = try paragraph("他说**“你好”**然后走了，*斜体。*好")
        XCTAssertEqual(p.string, "他说“你好”然后走了，斜体。好")
        XCTAssertEqual(p.spans, [StyledSpan(range: 3..<5, style: .strong), StyledSpan(range: 11..<13, style: .emphasis)])
    }

    func testWhatCommonMarkAlreadyReadsAndCodeStayAsTheyAre() throws {
        XCTAssertEqual(try paragraph("加粗**和**强调。").spans, [StyledSpan(range: 2..<3, style: .strong)])
        XCTAssertEqual(CJKEmphasis.prepare("```\n**代码。**里\n```\n`**行内。**码`"), "```\n**代码。**里\n```\n`**行内。**码`")
        XCTAssertEqual(CJKEmphasis.prepare("* 列表项。\n* 第二项"), "* 列表项。\n* 第二项")
        XCTAssertEqual(CJKEmphasis.prepare("a **b。**c"), "a **b**。c", "the line keeps its length")
        // Paragraphs do not share open delimiters.
        XCTAssertEqual(CJKEmphasis.prepare("**甲\n\n乙。**丙"), "**甲\n\n乙。**丙")
    }
}

/// Markdown footnotes (`[^1]` and `[^1]: note`) become numbered notes under 注释 at the end —
/// libcmark, which knows none, dropped a note without a space in it as a link definition.
final class FootnoteTests: XCTestCase {
    func load(_ body: String) throws -> LoadedArticle { try loadArticle(body) }

    func texts(_ blocks: [Block]) -> [String] {
        blocks.compactMap { b -> String? in
            switch b {
            case .paragraph(let t, _), .heading(_, let t, _): return t.string
            case .code(let c, _): return c
            default: return nil
            }
        }
    }

    func testNotesAreNumberedByTheirMarksAndGatheredAtTheEnd() throws {
        let loaded = try load("""
        第一句[^b]，第二句[^a]，再提[^b]。

        [^a]: 注释甲，没有空格。
        [^b]: A note in English
            that goes on a second line.

        最后一段，行号不变。

        """)
        XCTAssertEqual(texts(loaded.article.blocks), ["第一句①，第二句②，再提①。", "最后一段，行号不变。", "注释",
                                                      "① A note in English that goes on a second line.", "② 注释甲，没有空格。"])
        // The paragraph after the notes keeps its line; one note says what happened.
        guard case .paragraph(_, let loc) = loaded.article.blocks[1] else { return XCTFail() }
        XCTAssertEqual(loc.line, 11)
        XCTAssertEqual(loaded.warnings.map(\.message), ["2 footnotes set as numbered notes under 注释 at the end of the article"])
        XCTAssertEqual(loaded.warnings.first?.location?.line, 7)
        // The heading is Folio's (printed in the article's language); one the writer wrote is theirs.
        XCTAssertEqual(loaded.article.notesHeading, 2)
        XCTAssertNil(try load("正文。\n\n## 注释\n\n① 作者自己的注。\n").article.notesHeading)
    }

    /// The notes' heading is printed in the article's language, from the template (a Korean
    /// edition's 주석): the note names 注释 only for a Chinese article.
    func testTheNoteNamesTheHeadingOnlyWhereItIsKnown() throws {
        let korean = try ArticleLoader.parse("---\ntitle: 제목\nlanguage: ko\n---\n\n본문[^1].\n\n[^1]: 주석 내용.\n", path: "/tmp/ko.md")
        XCTAssertEqual(korean.warnings.map(\.message), ["1 footnote set as numbered notes under the notes heading at the end of the article"])
        let chinese = try ArticleLoader.parse("---\ntitle: 题\n---\n\n正文[^1]。\n\n[^1]: 注。\n", path: "/tmp/zh.md")
        XCTAssertEqual(chinese.warnings.map(\.message), ["1 footnote set as numbered notes under 注释 at the end of the article"])
    }

    func testMarksWithoutNotesAndNotesWithoutMarksAreKeptAndReported() throws {
        let loaded = try load("""
        正文[^1]和`代码[^2]`，还有[^x]。

        ```
        [^2]: 代码里的不是注释
        ```

        [^1]: 第一条。

        [^2]: 没有人引用的注释。

        """)
        XCTAssertEqual(texts(loaded.article.blocks), ["正文①和代码[^2]，还有[^x]。", "[^2]: 代码里的不是注释", "注释", "① 第一条。", "② 没有人引用的注释。"])
        let warnings = loaded.warnings.filter { $0.severity == .warning }
        XCTAssertEqual(warnings.map(\.message), ["the footnote mark [^x] has no note (a line '[^x]: …' of its own); it is printed as written",
                                                 "the note [^2] is called by no mark in the text (or its label is used twice); it is listed under 注释 all the same"])
        XCTAssertEqual(warnings.compactMap(\.location?.line), [5, 13])
    }

    func testTextWithoutNotesIsUnchanged() {
        for text in ["无注释。\n", "数学：x^2 与 [^] 和 [^ a]。\n", ""] {
            XCTAssertEqual(Footnotes.endnotes(in: text, keepLines: true).markdown, text)
        }
    }
}

/// A link prints its text only: where that is not its address, the article says once that
/// addresses are not printed (every input character printed or named by a diagnostic).
final class LinkAddressTests: XCTestCase {
    func testAddressesLinksDoNotShowAreNamedOnce() throws {
        let loaded = try loadArticle("自动 <https://auto.example.cn/> 与 <a@b.cn>。\n\n见[民族网](https://mz.example.cn/)和[参考][r]。\n\n[r]: https://ref.example.cn/\n")
        guard case .paragraph(let first, _) = loaded.article.blocks[0], case .paragraph(let second, _) = loaded.article.blocks[1] else { return XCTFail() }
        XCTAssertEqual(first.string, "自动 https://auto.example.cn/ 与 a@b.cn。")
        XCTAssertEqual(second.string, "见民族网和参考。")
        XCTAssertEqual(loaded.warnings.map(\.message),
                       ["2 links' addresses are not printed, only the link's text (the first: https://mz.example.cn/); the screen PDF's text leads to it, but write an address into the text where print readers need it"])
        XCTAssertEqual(loaded.warnings.first?.location?.line, 7)
    }
}

/// Indented code blocks: CommonMark makes code of anything indented four spaces, and Chinese
/// writers indent paragraphs so; a stretch whose every line holds Chinese (or another script
/// code is not written in) is text, the rest stays code, as fenced blocks always do.
final class CodeBlockTests: XCTestCase {
    func testParagraphsIndentedAsChineseWritersDoAreTextAndCodeStaysCode() throws {
        let loaded = try loadArticle("""
            引言。

                第一段，用四个空格缩进。
                接着一行。

                第二段。

                let x = 1
                if x > 0 {
                    print(x)   // 正数
                }

                第三段。

            ```
            叶子
            ```
            """)
        let blocks = loaded.article.blocks.map { b -> String in
            switch b {
            case .paragraph(let t, let l): return "p\(l.line) \(t.string)"
            case .code(let c, let l): return "c\(l.line) \(c)"
            default: return "other"
            }
        }
        XCTAssertEqual(blocks, ["p5 引言。", "p7 第一段，用四个空格缩进。接着一行。", "p10 第二段。",
                                "c12 let x = 1\nif x > 0 {\n    print(x)   // 正数\n}", "p17 第三段。", "c19 叶子"])
        let notes = loaded.warnings.filter { $0.code == "indented-text" }
        XCTAssertEqual(notes.map { $0.location?.line }, [7], "noted once, at the first such paragraph")
    }
}
