/// The tagged PDF (issue 15), checked by `scripts/tagcheck.py` (pikepdf; veraPDF is not
/// installable here): everything drawn belongs to a structure element or is an artifact, every
/// figure has its /Alt, the language is set, headings nest — on every kind of page Folio writes.
/// And a table across pages is one `Table`: the rows set on the next page join it (the header
/// repeated there is furniture), so a screen reader reads one table with one header row.
import FolioCore
import Foundation
import XCTest

final class TaggedPDFTests: FolioCommandTestCase {
    func tagcheck(_ pdf: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try shell("python3", [root + "/scripts/tagcheck.py", pdf])
        XCTAssertEqual(r.status, 0, pdf + ": " + r.stdout + r.stderr, file: file, line: line)
        XCTAssertTrue(r.stdout.hasPrefix("ok "), r.stdout, file: file, line: line)
    }

    /// The text no element owns on each page (`structtext.py --artifacts`).
    func artifactTexts(_ pdf: String) throws -> [[String]] {
        let r = try shell("python3", [root + "/scripts/structtext.py", pdf, "--artifacts"])
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String]], r.stdout + r.stderr)
    }

    /// An issue of two articles in `dir` (each file in its folder: `wenhua/matouqin/index.md`), each
    /// its title and body (from line 5 of its file); `continuous`: the section runs on. The manifest.
    func twoArticleIssue(_ dir: String, _ articles: [(file: String, title: String, body: String)], continuous: Bool = false) throws -> String {
        for a in articles {
            try FileManager.default.createDirectory(atPath: PathName.folder(of: dir + "/" + a.file), withIntermediateDirectories: true)
            try "---\ntitle: \(a.title)\n---\n\n\(a.body)\n".write(toFile: dir + "/" + a.file, atomically: true, encoding: .utf8)
        }
        let manifest = dir + "/issue.yaml"
        try "magazine: 刊\nissue: 第1期\nsections:\n  - title: 栏\n\(continuous ? "    flow: continuous\n" : "")    articles: [\(articles.map(\.file).joined(separator: ", "))]\n"
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        return manifest
    }

    /// The sample issue (covers, ads, contents, articles with figures, boxes, a table, lists),
    /// a right-to-left edition, a vertical Mongolian one, vertical Chinese, an archive article
    /// and the image formats (SVG and PDF graphics drawn as vectors): every page passes. Before
    /// the artifacts, every running head, folio and rule was content no element owned (page 3,
    /// the contents, had 817 such paintings); before the clip resets were moved out of the
    /// elements' beginnings and vector graphics drawn as forms, 6 of the sample issue's 12 pages
    /// restored, inside an element, a graphics state saved outside it.
    func testEveryPagePassesTheTagCheck() throws {
        let outputs: [(String, [String])] = [
            ("sample", ["render", "examples/sample-issue/issue.yaml"]),
            ("ug", ["render", "examples/editions/ug/issue.yaml"]),
            ("mn", ["render", "examples/editions/mn/issue.yaml"]),
            ("vertical", ["render", "examples/editions/zh-vertical/zh-vertical.md"]),
            ("archive", ["render", "examples/archive/2024-10-08-minzu-xuexiao.txt"]),
            ("formats", ["render", "examples/formats/formats.md"]),
        ]
        for (name, args) in outputs {
            let pdf = work + "/\(name).pdf"
            let r = try shell(folio, args + ["-o", pdf])
            XCTAssertEqual(r.status, 0, r.stderr)
            try tagcheck(pdf)
        }
    }

    /// The contents page's links say where they go (PDF/UA): each link's `/Contents` is the
    /// title of the article it opens — the outline's entries, in order — and the page is read
    /// in structure order (`/Tabs /S`; `tagcheck` checks every page with links).
    func testContentsLinksSayWhichArticleTheyOpen() throws {
        let pdf = work + "/links.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        let script = """
            import sys, json, pikepdf
            pdf = pikepdf.open(sys.argv[1])
            links = [str(a.get('/Contents', '')) for p in pdf.pages for a in p.obj.get('/Annots', []) if a.get('/Subtype') == '/Link']
            def leaves(items):
                return [t for i in items for t in (leaves(i.children) if i.children else [i.title])]
            with pdf.open_outline() as o:
                print(json.dumps([links, leaves(o.root)], ensure_ascii=False))
            """
        let out = try shell("python3", ["-c", script, pdf])
        let lists = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String]], out.stderr)
        XCTAssertEqual(lists[0].count, 6, "one link per article of the sample issue")
        XCTAssertEqual(lists[0], lists[1])
    }

    /// The contents page reads as a table of contents (a screen reader lists it as one, and reads
    /// each link by its words): `目录` an `H1`, each section's name an `H2` and its entries a
    /// `TOC` of `TOCI`s, in each the entry's link — the `Link` element of its annotation, the
    /// whole entry's area — reading the article's title and page number, then the deck as a `P`.
    /// (The links had been empty `Link` elements beside the entries' text; the thumbnails,
    /// which repeat the titles, are artifacts.)
    func testTheContentsPageIsReadAsATableOfContents() throws {
        let pdf = work + "/toc.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        let tree = try sectionOutline(pdf)
        let start = try XCTUnwrap(tree.firstIndex(of: ["/TOC"]), "no TOC: \(tree)")
        XCTAssertEqual(tree[start - 2 ..< start], [["/H1"], ["/H2"]], "目录, then a section's name before its entries")
        let contents = tree[start ..< (tree[start...].firstIndex(of: ["/H1"]) ?? tree.endIndex)]
        let entries = contents.filter { $0.first == "/TOCI" }
        let titles = ["草原深处的读书声", "一把马头琴的四季", "文化简讯", "牦牛绒织出的好日子", "一条街上的“石榴籽”", "团结简讯"]
        XCTAssertEqual(entries.map { Array($0.dropFirst()) }, titles.map { ["/Reference", "/P", $0] },
                       "each entry: its link (the annotation saying the article's title), then its deck")
        XCTAssertEqual(contents.filter { $0 == ["/TOC"] }.count, 4, "a TOC per section")
        // What a screen reader reads: the entries' links (`Reference`s) say the titles and their
        // page numbers, a space between (`/ActualText`: in the text they are one word, 读书声4).
        let read = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
        let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: String]], read.stderr)
        let links = elements.filter { $0["type"] == "Reference" }.compactMap { $0["text"] }
        XCTAssertEqual(links.count, titles.count, "\(links)")
        for (link, title) in zip(links, titles) {
            XCTAssertTrue(link.hasPrefix(title + " ") && Int(link.dropFirst(title.count + 1)) != nil, "\(link): the title, a space, its page number")
        }
        XCTAssertTrue(elements.contains { $0["type"] == "H1" && $0["text"] == "目录" }, "the contents page's title is a heading")
        try tagcheck(pdf)
    }

    /// A long contents (three pages, one section) with thumbnails: the section's entries go on
    /// in a `TOC` on each page, after its `目录（续）`, and the thumbnails are artifacts (each
    /// repeats its entry's title; as `Figure`s, a screen reader read the title twice).
    func testALongContentsWithThumbnailsIsReadAsATableOfContents() throws {
        let dir = work + "/long-toc"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: dir + "/lead.jpg")
        let articles = (1...36).map { "a\($0).md" }
        for n in 1...36 {
            try "---\ntitle: 第\(n)篇\ndeck: 一句导语。\n---\n\n正文。\(n % 3 == 0 ? "\n\n![草原](lead.jpg)\n" : "")\n"
                .write(toFile: dir + "/a\(n).md", atomically: true, encoding: .utf8)
        }
        try "magazine: 刊\nissue: 第1期\nsections:\n  - title: 栏目\n    articles: [\(articles.joined(separator: ", "))]\n"
            .write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let template = try String(contentsOfFile: root + "/layouts/magazine-16k.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  folio: true\n", with: "  folio: true\n  contents-thumbnails: true\n  contents-columns: 1\n")
        try template.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf, "-q", "--template", dir + "/t.yaml", "--fonts", root + "/fonts"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let tree = try sectionOutline(pdf)
        XCTAssertEqual(tree.filter { $0 == ["/H1"] }.count, 3, "目录 on each of its pages: \(tree)")
        XCTAssertEqual(tree.filter { $0 == ["/TOC"] }.count, 3, "the section's entries go on in a TOC on each page")
        XCTAssertEqual(tree.filter { $0.first == "/TOCI" }.map { $0.last ?? "" }, (1...36).map { "第\($0)篇" })
        XCTAssertFalse(tree.contains(["/Figure"]), "the thumbnails are no figures")
        try tagcheck(pdf)
    }

    /// The headings, tables of contents (`TOCI`: its elements' types and its link's `/Contents`)
    /// and figures in the `Sect`s of a PDF's structure (covers, contents, ads), in order.
    func sectionOutline(_ pdf: String) throws -> [[String]] {
        let script = """
            import sys, json, pikepdf
            pdf = pikepdf.open(sys.argv[1])
            out = []
            def kids(e):
                k = e.get('/K')
                return [] if k is None else (list(k) if isinstance(k, pikepdf.Array) else [k])
            def walk(e, sect=False):
                if not isinstance(e, pikepdf.Dictionary) or '/S' not in e: return
                s = str(e.S)
                sect = sect or s == '/Sect'
                if sect and s in ('/H1', '/H2', '/TOC', '/Figure'):
                    out.append([s])
                if sect and s == '/TOCI':
                    entry = [s] + [str(k.S) for k in kids(e) if isinstance(k, pikepdf.Dictionary) and '/S' in k]
                    refs = [k for k in kids(e) if isinstance(k, pikepdf.Dictionary) and k.get('/S') == '/Reference']
                    links = [l for r in refs for l in kids(r) if isinstance(l, pikepdf.Dictionary) and l.get('/S') == '/Link']
                    objrs = [o for l in links for o in kids(l) if isinstance(o, pikepdf.Dictionary) and o.get('/Type') == '/OBJR']
                    entry += [str(o.Obj.get('/Contents', '')) for o in objrs]
                    out.append(entry)
                for k in kids(e): walk(k, sect)
            for e in kids(pdf.Root.StructTreeRoot): walk(e)
            print(json.dumps(out, ensure_ascii=False))
            """
        let r = try shell("python3", ["-c", script, pdf])
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String]], r.stdout + r.stderr)
    }

    /// Markdown links' text leads to their addresses (web pages and mailboxes; a relative address
    /// nowhere), also across a soft line break, and web and e-mail addresses printed in the text
    /// are links to them (an archived article read online), a long one broken across lines a link on each of its pieces, each saying where it
    /// goes (`/Contents`, PDF/UA); the print variant (PDF/X) has none. The text under each
    /// link's rectangle (Cairo rounds it outwards to whole points: read 1 pt in from each side)
    /// is its piece of the address.
    func testLinksAndAddressesInTheTextAreClickable() throws {
        let source = work + "/addresses.md"
        try """
            ---
            title: 网址
            ---

            本文原载于民族网站，原文地址为https://www.example.gov.cn/minzu/2024/06/15/content_1234567890_abcdefghijklmnopqrstuvwxyz.html，欢迎转载。更多信息请访问 www.neac.gov.cn 或者发送邮件至 editor@example-magazine.com.cn 联系编辑部。

            见[民族网](https://mz.example.cn/)、[编辑部信箱](mailto:bjb@example.cn)和[本刊简介](about.html)，又见 <https://auto.example.cn/x>、[**民族**
            团结](https://tj.example.cn/)与 [National
            Unity](https://unity.example.cn/)。

            """.write(toFile: source, atomically: true, encoding: .utf8)
        let script = """
            import sys, json, fitz
            out, doc = [], fitz.open(sys.argv[1])
            for page in doc:
                for l in page.get_links():
                    if 'uri' in l:
                        out.append([l['uri'], page.get_textbox(l['from'] + (1, 0, -1, 0)).replace('\\n', '').strip(), doc.xref_get_key(l['xref'], 'Contents')[1]])
            print(json.dumps(out, ensure_ascii=False))
            """
        func links(_ args: [String]) throws -> [[String]] {
            let pdf = work + "/addresses-\(args.count).pdf"
            let r = try shell(folio, ["render", source, "-o", pdf] + args)
            XCTAssertEqual(r.status, 0, r.stderr)
            let out = try shell("python3", ["-c", script, pdf])
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String]], out.stderr)
        }
        let found = try links([])
        var pieces: [String: String] = [:]
        for l in found { pieces[l[0], default: ""] += l[1] }
        let long = "https://www.example.gov.cn/minzu/2024/06/15/content_1234567890_abcdefghijklmnopqrstuvwxyz.html"
        XCTAssertEqual(pieces, [long: long, "https://www.neac.gov.cn": "www.neac.gov.cn",
                                "mailto:editor@example-magazine.com.cn": "editor@example-magazine.com.cn",
                                // Markdown's links: their text leads to their address (a relative one nowhere).
                                "https://mz.example.cn/": "民族网", "mailto:bjb@example.cn": "编辑部信箱",
                                "https://auto.example.cn/x": "https://auto.example.cn/x", "https://tj.example.cn/": "民族团结",
                                "https://unity.example.cn/": "National Unity"], "\(found)")
        XCTAssertGreaterThan(found.filter { $0[0] == long }.count, 1, "the long address is broken across lines, a link on each piece")
        for l in found { XCTAssertEqual(l[2], l[0], "the link says where it goes") }
        try tagcheck(work + "/addresses-0.pdf")
        XCTAssertEqual(try links(["--print"]), [], "no links in PDF/X")
    }

    /// In vertical lines too, addresses and links are clickable: each rectangle stands along its
    /// line, over the characters of its piece (read by their centres: a reader's boxes of upright
    /// ideographs overlap their neighbours').
    func testLinksInVerticalLinesAreClickable() throws {
        let source = work + "/vertical-links.md"
        try """
            ---
            title: 竖排网址
            writing-mode: vertical-rl
            ---

            本文原载于民族网站，原文地址为https://www.example.gov.cn/minzu/2024/06/15/content_1234567890.html，欢迎转载。更多信息请访问www.neac.gov.cn或者见[民族网](https://mz.example.cn/)。

            """.write(toFile: source, atomically: true, encoding: .utf8)
        let pdf = work + "/vertical-links.pdf"
        let r = try shell(folio, ["render", source, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = """
            import sys, json, fitz
            out = []
            for page in fitz.open(sys.argv[1]):
                chars = [c for b in page.get_text('rawdict')['blocks'] for l in b.get('lines', []) for s in l['spans'] for c in s['chars']]
                for l in page.get_links():
                    if 'uri' not in l: continue
                    r = l['from']
                    inside = [c['c'] for c in chars if r.x0 <= (c['bbox'][0] + c['bbox'][2]) / 2 <= r.x1 and r.y0 <= (c['bbox'][1] + c['bbox'][3]) / 2 <= r.y1]
                    out.append([l['uri'], ''.join(inside), r.width, r.height])
            print(json.dumps(out, ensure_ascii=False))
            """
        let out = try shell("python3", ["-c", script, pdf])
        let found = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[Any]], out.stderr)
        var pieces: [String: String] = [:]
        for l in found { pieces[l[0] as? String ?? "", default: ""] += l[1] as? String ?? "" }
        let long = "https://www.example.gov.cn/minzu/2024/06/15/content_1234567890.html"
        XCTAssertEqual(pieces, [long: long, "https://www.neac.gov.cn": "www.neac.gov.cn", "https://mz.example.cn/": "民族网"], "\(found)")
        for l in found { XCTAssertGreaterThan(l[3] as? Double ?? 0, l[2] as? Double ?? 0, "a rectangle along its vertical line: \(l)") }
        try tagcheck(pdf)
    }

    /// A Markdown link whose address is another article's file (or its site address) leads to
    /// that article's first page in the issue: a link to its named destination, which says where
    /// it goes (its `/Contents` the article's title) and is a `Link` element. A link to an article
    /// the document lacks prints its text unlinked, with a note at the link's paragraph — also
    /// when the linking article is rendered alone. (Before, every such link printed unlinked.)
    func testALinkToAnotherArticleOpensItsFirstPage() throws {
        let dir = work + "/cross"
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 40)
        _ = try twoArticleIssue(dir, [("caoyuan.md", "草原深处的读书声", "\(filler)\n\n马头琴的故事见[《一把马头琴的四季》](wenhua/matouqin/)，旧事见[上期](../old/gone.md)。"),
                                      ("wenhua/matouqin/index.md", "一把马头琴的四季", filler)])
        // Every link of the text (not the contents page's): its page, the characters under it
        // (their centres a point inside it, and up to a point outside: 《 and 》 are set half an
        // em wide, and the em boxes a reader reports overlap there), the page it opens and whether that page shows the article's title.
        let script = """
            import sys, json, fitz
            d = fitz.open(sys.argv[1])
            out = []
            for n, page in enumerate(d):
                chars = [c for b in page.get_text('rawdict')['blocks'] for l in b.get('lines', []) for s in l['spans'] for c in s['chars']]
                for l in page.get_links():
                    r = l['from']
                    def under(m): return ''.join(c['c'] for c in chars if r.x0 + m < (c['bbox'][0] + c['bbox'][2]) / 2 < r.x1 - m and r.y0 <= (c['bbox'][1] + c['bbox'][3]) / 2 <= r.y1)
                    if '目录' in page.get_text() or 'page' not in l: continue
                    out.append([n + 1, under(1), under(-1), l['page'] + 1, d[l['page']].get_text().find('一把马头琴的四季') >= 0])
            print(json.dumps(out, ensure_ascii=False))
            """
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("caoyuan.md:7:1: note: the link to \(PathName.resolve("../old/gone.md", in: dir)) leads to no article of this document"), r.stderr)
        let found = try shell("python3", ["-c", script, pdf])
        let links = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[Any]], found.stderr)
        XCTAssertEqual(links.count, 1, "one link, to the article in the issue: \(links)")
        let opened = try XCTUnwrap(links.first)
        let (inside, reached) = (opened[1] as? String ?? "", opened[2] as? String ?? "")
        XCTAssertTrue(inside.contains("一把马头琴的四季") && "《一把马头琴的四季》".contains(inside), "over its text: \(links)")
        // Not over the character before it: 《 is set half an em wide after 见, its glyph's blank
        // half drawn over 见 (the rectangle had started there).
        XCTAssertEqual(reached, "《一把马头琴的四季》", "over its text and no more: \(links)")
        XCTAssertEqual(opened.last as? Bool, true, "it opens the page where 一把马头琴的四季 starts: \(links)")
        XCTAssertGreaterThan(opened[3] as? Int ?? 0, opened[0] as? Int ?? 0, "a later page than the link's: \(links)")
        let contents = try shell("python3", ["-c", """
            import sys, pikepdf
            p = pikepdf.open(sys.argv[1])
            print([str(a.Contents) for page in p.pages for a in page.obj.get('/Annots', []) if '/Dest' in a])
            """, pdf])
        XCTAssertTrue(contents.stdout.contains("一把马头琴的四季"), contents.stdout + contents.stderr)
        try tagcheck(pdf)
        // Alone, the article's link leads nowhere in its document: printed, noted, not linked.
        let alone = dir + "/alone.pdf"
        let a = try shell(folio, ["render", dir + "/caoyuan.md", "-o", alone])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertTrue(a.stderr.contains("note: the link to \(dir)/wenhua/matouqin leads to no article of this document"), a.stderr)
        let none = try shell("python3", ["-c", script, alone])
        XCTAssertEqual(none.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]", none.stderr)
    }

    /// A link to a heading — `#新的变化` in its own article (Hugo's id from the text), `…/matouqin/#origin`
    /// in another (the writer's `{#origin}`, which is not printed) — opens the page that heading is
    /// on, and says which (`/Contents`: the article's title · the heading); a heading not found
    /// opens the article and is noted.
    func testALinkToAHeadingOpensItsPage() throws {
        let dir = work + "/headings"
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 30)
        _ = try twoArticleIssue(dir, [
            ("caoyuan.md", "草原深处的读书声",
             "前文见[下面的变化](#新的变化)，又见[琴的来历](wenhua/matouqin/#origin)，再见[别处](wenhua/matouqin/#nothing)。\n\n\(filler)\n\n## 新的变化\n\n\(filler)"),
            ("wenhua/matouqin/index.md", "一把马头琴的四季", "\(filler)\n\n\(filler)\n\n\(filler)\n\n## 琴的来历 {#origin}\n\n\(filler)"),
        ])
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("caoyuan.md:5:1: note: the link to #nothing names no heading of matouqin: it opens the article's first page"), r.stderr)
        // Each link of the text: the words it covers, the page it opens (its lines' text) and its description.
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz, pikepdf
            d = fitz.open(sys.argv[1]); p = pikepdf.open(sys.argv[1])
            out = []
            for n, page in enumerate(d):
                if '目录' in page.get_text(): continue
                described = [str(a.get('/Contents')) for a in p.pages[n].obj.get('/Annots', [])]
                for k, l in enumerate(page.get_links()):
                    out.append([page.get_textbox(l['from']), d[l['page']].get_text(), described[k]])
            print(json.dumps(out, ensure_ascii=False))
            """, pdf])
        let links = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String]], found.stderr)
        XCTAssertEqual(links.count, 3, "\(links)")
        let byText = Dictionary(links.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        let change = try XCTUnwrap(byText.first { $0.key.contains("下面的变化") }?.value, "\(links)")
        XCTAssertTrue(change[1].contains("\n新的变化\n"), "opens the page of 新的变化: \(change[1].prefix(80))")
        XCTAssertEqual(change[2], "草原深处的读书声 · 新的变化")
        let origin = try XCTUnwrap(byText.first { $0.key.contains("琴的来历") }?.value, "\(links)")
        XCTAssertTrue(origin[1].contains("\n琴的来历\n") && !origin[1].contains("{#origin}"), "opens the page of 琴的来历: \(origin[1].prefix(80))")
        XCTAssertEqual(origin[2], "一把马头琴的四季 · 琴的来历")
        let elsewhere = try XCTUnwrap(byText.first { $0.key.contains("别处") }?.value, "\(links)")
        XCTAssertTrue(elsewhere[1].contains("一把马头琴的四季\n"), "opens the article: \(elsewhere[1].prefix(80))")
        XCTAssertFalse(elsewhere[1].contains("\n琴的来历\n"), "its first page, not the heading's")
        try tagcheck(pdf)
    }

    /// In a run-on section (`flow: continuous`) an article starting under another's last lines
    /// has its named destination at its rule, and a heading a link leads to keeps its own at the
    /// heading (the run-on step had moved every destination of the page to the rule).
    func testAHeadingInARunOnArticleKeepsItsDestination() throws {
        let dir = work + "/run-on-heading"
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 12)
        _ = try twoArticleIssue(dir, [("a.md", "草原深处的读书声", "见[琴的来历](b.md#origin)。\n\n\(filler)"),
                                      ("b.md", "一把马头琴的四季", "短文一段。\n\n## 琴的来历 {#origin}\n\n\(filler)")], continuous: true)
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The page the link opens, how far down it points (a destination's y counts from the
        // foot), and where the heading's and the title's lines begin there.
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            d = fitz.open(sys.argv[1])
            for page in d:
                for l in page.get_links():
                    if l.get('nameddest', '').endswith('-line-7'):
                        target = d[l['page']]
                        tops = {}
                        for b in target.get_text('dict')['blocks']:
                            for line in b.get('lines', []):
                                text = ''.join(s['text'] for s in line['spans'])
                                tops.setdefault(text, line['bbox'][1])
                        print(json.dumps([l['page'], target.rect.height - l['to'].y, tops.get('琴的来历'), tops.get('一把马头琴的四季'), page.number]))
            """, pdf])
        let values = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [Any], found.stdout + found.stderr)
        let (opened, at, heading, title) = (values[0] as? Int, values[1] as? Double ?? 0, values[2] as? Double ?? -99, values[3] as? Double ?? -99)
        XCTAssertEqual(opened, values[4] as? Int, "the run-on article shares the linking article's page: \(values)")
        XCTAssertEqual(at, heading, accuracy: 3, "the destination is at the heading: \(values)")
        XCTAssertGreaterThan(heading - title, 50, "and well below the article's title and rule: \(values)")
        try tagcheck(pdf)
    }

    /// A heading in a box or a list a link leads to is a destination as any other (before, the
    /// link opened the article's first page, with a note), and a box's heading is set as its
    /// title is — in the heading font, not indented — not as a line of the box's text.
    func testHeadingsInBoxesAndListsAreDestinationsToo() throws {
        let dir = work + "/box-headings"
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 12)
        _ = try twoArticleIssue(dir, [
            ("a.md", "草原深处的读书声", "见[盒子里的标题](b.md#he)，又见[列表里的标题](b.md#lie)。\n\n\(filler)"),
            ("b.md", "一把马头琴的四季", "\(filler)\n\n> [!box] 相关链接\n>\n> ### 盒子里的标题 {#he}\n>\n> 盒子的内容。\n\n- ## 列表里的标题 {#lie}\n\n  列表的内容。\n\n\(filler)"),
        ])
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("name no heading") || r.stderr.contains("names no heading"), r.stderr)
        // Each link: the page it opens and how far down (a destination's y counts from the foot),
        // the heading's line there (top, left, font) and the box text's first line's left.
        let found = try shell("python3", ["-W", "ignore", "-c", """
            import sys, json, fitz
            d = fitz.open(sys.argv[1])
            out = {}
            for page in d:
                for l in page.get_links():
                    if 'nameddest' not in l or l['page'] < 0: continue
                    target = d[l['page']]
                    lines = {}
                    for b in target.get_text('dict')['blocks']:
                        for line in b.get('lines', []):
                            text = ''.join(s['text'] for s in line['spans'])
                            lines.setdefault(text, [line['bbox'][1], line['bbox'][0], line['spans'][0]['font']])
                    text = page.get_textbox(l['from'])
                    heading = '盒子里的标题' if '盒子' in text else '列表里的标题'
                    # (the list's heading shares its line with the item's marker)
                    line = next((v for k, v in lines.items() if k.endswith(heading)), None)
                    out[heading] = [l['page'], target.rect.height - l['to'].y, line, lines.get('盒子的内容。')]
            print(json.dumps(out, ensure_ascii=False))
            """, pdf])
        let links = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: [Any]], found.stdout + found.stderr)
        for heading in ["盒子里的标题", "列表里的标题"] {
            let values = try XCTUnwrap(links[heading], "a link to \(heading): \(links)")
            let line = try XCTUnwrap(values[2] as? [Any], "\(heading) is on the page the link opens: \(values)")
            XCTAssertEqual(values[1] as? Double ?? 0, line[0] as? Double ?? -99, accuracy: 3, "the destination is at \(heading): \(values)")
        }
        let box = try XCTUnwrap(links["盒子里的标题"]), heading = try XCTUnwrap(box[2] as? [Any]), text = try XCTUnwrap(box[3] as? [Any], "\(box)")
        XCTAssertTrue((heading[2] as? String ?? "").contains("Bold"), "the box's heading in the heading font: \(heading)")
        XCTAssertFalse((text[2] as? String ?? "").contains("Bold"), "its text in the box's: \(text)")
        XCTAssertLessThan(heading[1] as? Double ?? 99, (text[1] as? Double ?? 0) - 10, "the heading not indented, the paragraph under it indented: \(heading) \(text)")
        try tagcheck(pdf)
    }

    /// A box's title is a heading one level under the section the box is in, its headings one
    /// under its title, so that a screen reader's list of
    /// headings shows the sidebar where it is and skips no level. (They were `P`s: no heading at all.)
    func testABoxsTitleAndHeadingsAreHeadingsUnderItsSection() throws {
        let (_, pdf, _) = try renderArticle(work + "/box-levels", "box", """
            ---
            title: 盒子的标题层级
            ---

            正文第一段。

            > [!box] 第一个盒子
            >
            > 盒子的文字。
            >
            > | 年份 | 人数 |
            > | --- | ---: |
            > | 2023 | 120 |
            >
            > ### 盒子里的小标题
            >
            > 小标题下的文字。

            ## 第一节

            一节的正文。

            > [!box] 第二个盒子
            >
            > 第二个盒子的文字。

            节后的正文。

            """)
        let out = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
        let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: String]], out.stdout + out.stderr)
        let headings = elements.filter { ($0["type"] ?? "").hasPrefix("H") }.map { "\($0["type"]!) \($0["text"]!)" }
        XCTAssertEqual(headings, ["H1 盒子的标题层级", "H2 第一个盒子", "H3 盒子里的小标题", "H2 第一节", "H3 第二个盒子"])
        // The box's table is a table, read in its place (it was read as lines of text).
        let types = elements.map { $0["type"] ?? "" }
        XCTAssertEqual(types.filter { $0 == "TH" }.count, 2, "\(types)")
        let table = try XCTUnwrap(types.firstIndex(of: "TH"))
        XCTAssertLessThan(try XCTUnwrap(elements.firstIndex { $0["text"] == "盒子的文字。" }), table)
        XCTAssertLessThan(table, try XCTUnwrap(elements.firstIndex { $0["text"] == "盒子里的小标题" }))
        try tagcheck(pdf)
    }

    /// Heading levels are never skipped: a subheading (`###`) with no heading (`##`) over it
    /// since the title is an `H2` (it was an `H3` right after the title's `H1`, which a screen
    /// reader's list of headings shows as a missing level and `tagcheck` fails), in a list item
    /// too — where a heading after the item's text is inside its `LBody` (it was outside the list).
    func testHeadingLevelsAreNeverSkipped() throws {
        let (_, pdf, _) = try renderArticle(work + "/heading-levels", "levels", """
            ---
            title: 标题的层级
            ---

            正文第一段。

            ### 没有上级的小标题

            小标题下的文字。

            - 第一项的文字。

              ### 项里的小标题

              项里小标题下的文字。

            ## 第一节

            一节的正文。

            ### 节里的小标题

            节里小标题下的文字。

            """)
        let out = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
        let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: String]], out.stdout + out.stderr)
        let headings = elements.filter { ($0["type"] ?? "").hasPrefix("H") }.map { "\($0["type"]!) \($0["text"]!)" }
        XCTAssertEqual(headings, ["H1 标题的层级", "H2 没有上级的小标题", "H2 项里的小标题", "H2 第一节", "H3 节里的小标题"])
        XCTAssertEqual(try listTrees(pdf), ["L(LI(Lbl,LBody(P,H2,P)))"])
        try tagcheck(pdf)
    }

    /// A list item that begins with a heading, and one of two paragraphs, are each one `LI`: the
    /// heading an `H2`/`H3` inside its `LBody` with the item's text after it, each paragraph a
    /// `P` in the same `LBody`. Before, the heading stood outside the list (its item's marker
    /// dropped), a later paragraph was a `BlockQuote`, and — once the heading went inside — the
    /// text after it was left unowned, an artifact no screen reader reads (Cairo 1.16 marks the
    /// content of leaf elements only).
    func testListItemsWithAHeadingOrSeveralParagraphsAreReadAsItems() throws {
        try assertListsRead(in: "list-items", """
            ---
            title: 列表里的标题和段落
            ---

            正文第一段。

            - ## 列表里的标题
              这一项的正文紧跟在标题之后。
            - 第二项只是普通的文字。

            1. ### 编号项的标题
               编号项的正文。
            2. 第二个编号项。

            多段的列表：

            - 第一项的第一段，文字稍微长一些，好让它折到第二行去，看看悬挂的缩进是否对齐。

              第一项的第二段，同样写得长一些，看它的首行缩进和折行是否都落在项目的文字之下。

            - 第二项。

            列表之后的正文段落。

            """) { pdf, found, tree in
            XCTAssertEqual(found["quotes"] as? Int, 0, "no item's paragraph is a quotation")
            XCTAssertEqual(found["items"] as? [[String]], [["/Lbl", "/LBody>/H2>/P"], ["/Lbl", "/LBody>/P"], ["/Lbl", "/LBody>/H3>/P"], ["/Lbl", "/LBody>/P"],
                                                          ["/Lbl", "/LBody>/P>/P"], ["/Lbl", "/LBody>/P"]], tree)
        }
    }

    /// An item that begins with a quote, code or a list of its own is read as an item: its
    /// number, then the quote (a `BlockQuote` in its `LBody`) or code — before, the number was
    /// not printed and the quote was read outside the list, which ended there.
    func testListItemsThatBeginWithAQuoteCodeOrAListAreReadAsItems() throws {
        try assertListsRead(in: "list-quotes", """
            ---
            title: 以引文开始的列表项
            ---

            正文第一段。

            1. 第一项是普通的文字。
            2. > 第二项以引文开始：“草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。”
            3. ```
               code in item three
               ```
            4. - 第四项以子列表开始
               - 子列表的第二项

            列表之后的正文段落。

            """) { pdf, found, tree in
            XCTAssertEqual(found["quotes"] as? Int, 1, tree)
            // (Item 4's list is an `L` in its `LBody`, its two items after it.)
            XCTAssertEqual(found["items"] as? [[String]], [["/Lbl", "/LBody>/P"], ["/Lbl", "/LBody>/BlockQuote"], ["/Lbl", "/LBody>/P"],
                                                          ["/Lbl", "/LBody>/L"], ["/Lbl", "/LBody>/P"], ["/Lbl", "/LBody>/P"]], tree)
            let labels = try shell("pdfinfo", ["-struct-text", pdf]).stdout
            for number in ["1.", "2.", "3.", "4."] { XCTAssertTrue(labels.contains(number), "\(number) printed and read: \(labels)") }
            XCTAssertEqual(try artifactTexts(pdf).joined().joined().filter { !$0.isWhitespace && !$0.isNumber }, "", "no text left to no element")
        }
    }

    /// Lists as they are nested, one after another and across pages: a list inside an item is an
    /// `L` in that item's `LBody` after the item's text, a quote later in an item a `BlockQuote`
    /// in its `LBody` (the list goes on after it), two lists one after the other two `L`s, and a
    /// list that goes on on the next page — an item broken there — one `L` with that item's
    /// paragraph one `P`. Before, an inner list's items were the outer list's, a later quote ended
    /// the list, two lists were one, and the rest of an item broken at a page was read with the
    /// paragraph before the list (joined to it as a paragraph's rest).
    func testListsNestFollowOneAnotherAndGoOnAcrossPages() throws {
        let (md, pdf, _) = try renderArticle(work + "/nested-lists", "nested", """
            ---
            title: 嵌套的列表
            ---

            正文第一段。

            - 第一项的文字。

              > 第一项里的引文。

              第一项引文之后的文字。
            - 第二项的文字。
              1. 里层的第一项。
              2. 里层的第二项。
            - 第三项。

            1. 另一个列表的第一项。
            2. 另一个列表的第二项。

            列表之后的正文段落。

            """)
        XCTAssertEqual(try listTrees(pdf), [
            "L(LI(Lbl,LBody(P,BlockQuote,P)),LI(Lbl,LBody(P,L(LI(Lbl,LBody(P)),LI(Lbl,LBody(P))))),LI(Lbl,LBody(P)))",
            "L(LI(Lbl,LBody(P)),LI(Lbl,LBody(P)))",
        ])
        let order = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", md])
        XCTAssertTrue(order.stdout.hasPrefix("ok "), order.stdout + order.stderr)
        try tagcheck(pdf)

        // Eight long items after twelve paragraphs: the page breaks inside an item.
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 6)
        let items = (1...8).map { "\($0). 第\($0)项：" + String(repeating: "牧区的孩子们每天骑马上学，路上要走两个小时。", count: 9) }
        let (longMD, longPDF, _) = try renderArticle(work + "/long-list", "long", "---\ntitle: 跨页的列表\n---\n\n"
            + Array(repeating: filler, count: 12).joined(separator: "\n\n") + "\n\n列表前的一段话。\n\n" + items.joined(separator: "\n") + "\n\n列表后的一段话。\n")
        let pages = try shell("python3", ["-c", "import fitz, sys; d = fitz.open(sys.argv[1]); print(sum(1 for p in d if '项：' in p.get_text()))", longPDF])
        XCTAssertEqual(pages.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2", "the list is on two pages")
        XCTAssertEqual(try listTrees(longPDF), ["L(" + Array(repeating: "LI(Lbl,LBody(P))", count: 8).joined(separator: ",") + ")"], "one list, each item one paragraph")
        let read = try shell("python3", [root + "/scripts/structtext.py", longPDF, "--source", longMD])
        XCTAssertTrue(read.stdout.hasPrefix("ok "), read.stdout + read.stderr)
        try tagcheck(longPDF)

        // The page breaks inside an item of a list inside an item: the list goes on at both depths.
        let long = String(repeating: "牧区的孩子们每天骑马上学，路上要走两个小时。", count: 9)
        let inner = "- 外层的第一项。\n" + (1...3).map { "  \($0). 里层第\($0)项：" + long }.joined(separator: "\n") + "\n- 外层的第二项。"
        let (nestedMD, nestedPDF, _) = try renderArticle(work + "/nested-long-list", "nested-long", "---\ntitle: 嵌套列表跨页\n---\n\n"
            + Array(repeating: filler, count: 9).joined(separator: "\n\n") + "\n\n列表前的一段话。\n\n" + inner + "\n\n列表后的一段话。\n")
        let second = try shell("python3", ["-c", "import fitz, sys; print(fitz.open(sys.argv[1])[1].get_text().split()[1])", nestedPDF])
        let top = second.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(["里层", "外层", "列表", "•"].contains { top.hasPrefix($0) } || top.first?.isNumber == true, "page 2 goes on inside an inner item: \(top)")
        XCTAssertEqual(try listTrees(nestedPDF), ["L(LI(Lbl,LBody(P,L(LI(Lbl,LBody(P)),LI(Lbl,LBody(P)),LI(Lbl,LBody(P))))),LI(Lbl,LBody(P)))"])
        let nestedOrder = try shell("python3", [root + "/scripts/structtext.py", nestedPDF, "--source", nestedMD])
        XCTAssertTrue(nestedOrder.stdout.hasPrefix("ok "), nestedOrder.stdout + nestedOrder.stderr)
        try tagcheck(nestedPDF)
    }

    /// Random articles of nested lists (`scripts/random_lists.py`: items beginning with quotes or
    /// headings, later paragraphs, quotes and code in items, lists three deep, lists one after
    /// another, long enough to break across columns and pages): each passes the tag check and
    /// reads every character in the order written. (Before the fix it was written for, seven of
    /// sixteen lists-only articles read an inner item's rest after its page break with the outer
    /// item's paragraph.)
    func testRandomNestedListsReadInTheOrderWritten() throws {
        let r = try shell("python3", [root + "/scripts/random_lists.py", folio, work + "/random-lists", "1", "16"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok 16")
    }

    /// A table that waits for the next column's head is read where it is written, before the
    /// text that filled the column it left: on its own page (seed 3007: drawn in written order,
    /// `Flow.moveItems`) and across a page, before a paragraph (3023) and before a list (3042):
    /// the finisher moves its element back (`PDFStructure.inWrittenOrder`). Each of the three
    /// read the table after that text before.
    func testATableThatWaitsIsReadWhereItIsWritten() throws {
        for seed in ["3007", "3023", "3042"] {
            let r = try shell("python3", [root + "/scripts/random_lists.py", folio, work + "/waiting-tables", seed, seed])
            XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok 1", "seed \(seed): " + r.stdout + r.stderr)
        }
    }

    /// A box (a title over a table) that waits for the head of the next page while the text
    /// after it fills the column it left is read where it is written — every element of it,
    /// before that text. (Before, at these lengths the box was read after the paragraph that
    /// filled the column.)
    func testABoxThatWaitsForTheNextPageIsReadWhereItIsWritten() throws {
        let rows = (1...5).map { "> | 第\($0)行 | \($0 * 100) |" }.joined(separator: "\n")
        let box = "> [!box] 资料\n>\n> | 项目 | 人数 |\n> | --- | --- |\n" + rows
        let after = Array(repeating: "后来" + String(repeating: "牧民们在夏季转场时互相帮助，合作社为大家提供了新的服务。", count: 3), count: 16).joined(separator: "\n\n")
        for repeats in [57, 59] {
            let before = "前言" + String(repeating: "草原上的学校迎来了新学期，孩子们骑着马从四面八方赶来。", count: repeats)
            let (_, pdf, _) = try renderArticle(work + "/waiting-box", "box-\(repeats)", "---\ntitle: 盒子\n---\n\n\(before)\n\n\(box)\n\n\(after)\n")
            // It waited: the text after it begins on page 1, the box heads page 2.
            let pages = try shell("python3", ["-c", "import pymupdf, sys; d = pymupdf.open(sys.argv[1]); print(*[next(i for i, p in enumerate(d) if p.search_for(s)) for s in ('后来', '资料')])", pdf])
            XCTAssertEqual(pages.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0 1", "\(repeats): " + pages.stderr)
            let out = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
            let texts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: String]], out.stdout + out.stderr)
                .map { ($0["text"] ?? "").filter { !$0.isWhitespace } }
            let title = try XCTUnwrap(texts.firstIndex { $0.hasPrefix("资料") }), lastCell = try XCTUnwrap(texts.firstIndex { $0.contains("第5行") })
            let firstAfter = try XCTUnwrap(texts.firstIndex { $0.hasPrefix("后来") })
            XCTAssertLessThan(title, firstAfter, "\(repeats): the box's title is read before the text after it")
            XCTAssertLessThan(lastCell, firstAfter, "\(repeats): the box's table is read before the text after it")
            XCTAssertLessThan(texts.firstIndex { $0.hasPrefix("前言") } ?? .max, title)
            try tagcheck(pdf)
        }
    }

    /// A block quote that goes on on the next page is one `BlockQuote`: its rest there is tagged
    /// `Quote` and joined to it by the finisher, as a paragraph's rest is to its `P` (it was two).
    func testABlockQuoteAcrossPagesIsOneQuote() throws {
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 6)
        let quote = String(repeating: "老校长说：牧区的孩子们每天骑马上学，路上要走两个小时，可没有一个人迟到过。", count: 14)
        let (md, pdf, _) = try renderArticle(work + "/long-quote", "quote", "---\ntitle: 引文跨页\n---\n\n"
            + Array(repeating: filler, count: 8).joined(separator: "\n\n") + "\n\n引文前的一段话。\n\n> " + quote + "\n\n引文后的一段话。\n")
        let pages = try shell("python3", ["-c", "import fitz, sys; d = fitz.open(sys.argv[1]); print(sum(1 for p in d if '老校长' in p.get_text() or '迟到过' in p.get_text()))", pdf])
        XCTAssertEqual(pages.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2", "the quote is on two pages")
        let out = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
        let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: String]], out.stdout + out.stderr)
        XCTAssertEqual(elements.filter { $0["type"] == "BlockQuote" }.map { ($0["text"] ?? "").filter { !$0.isWhitespace } }, [quote])
        let order = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", md])
        XCTAssertTrue(order.stdout.hasPrefix("ok "), order.stdout + order.stderr)
        try tagcheck(pdf)
    }

    /// A figure that does not fit at a column's foot waits for the next column's head, where it
    /// may stand in the middle of a paragraph: that paragraph is still one `P`, read after the
    /// figure, as written. (Before, the rest of the paragraph under the figure was a `P` of its
    /// own, read after the caption: 3 of these 5 placements read out of order.)
    func testAParagraphAFigureStandsInIsOneParagraphReadAfterIt() throws {
        let dir = work + "/figure-inside"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: dir + "/lead.jpg")
        let rest = (0..<14).map { "第\($0)段" + String(repeating: "草原上的学校迎来了新学期孩子们骑着马从四面八方赶来", count: 4) + "。" }
        var inside = 0
        for k in stride(from: 26, to: 36, by: 2) {
            let (md, pdf, _) = try renderArticle(dir, "f\(k)", "---\ntitle: 标题\n---\n\n"
                + (Array(repeating: "这是一句短话。", count: k) + ["![草原上的毡房](lead.jpg)"] + rest).joined(separator: "\n\n") + "\n")
            let order = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", md])
            XCTAssertTrue(order.stdout.hasPrefix("ok "), "f\(k): " + order.stdout + order.stderr)
            let out = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
            let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: String]], out.stdout + out.stderr)
            let paragraphs = elements.filter { $0["type"] == "P" }.map { ($0["text"] ?? "").filter { !$0.isWhitespace } }
            XCTAssertEqual(paragraphs.filter { $0.hasPrefix("第") }, rest, "f\(k)")
            // Drawn in the middle of a paragraph: the caption is followed on the page by a paragraph's middle.
            let text = try shell("python3", ["-c", "import pymupdf, sys; print(''.join(p.get_text() for p in pymupdf.open(sys.argv[1])).replace('\\n', ''))", pdf]).stdout
            if let r = text.range(of: "草原上的毡房"), !text[r.upperBound...].hasPrefix("第") { inside += 1 }
            try tagcheck(pdf)
        }
        XCTAssertGreaterThan(inside, 0, "some figure stood in the middle of a paragraph")
    }

    /// Each list at the top of the structure (not inside another's item) as its elements' types
    /// nested: `L(LI(Lbl,LBody(P)),…)` (lists, items, paragraphs, quotes and headings; what is
    /// left of a list continuation shows as `NonStruct`).
    func listTrees(_ pdf: String) throws -> [String] {
        let r = try shell("python3", ["-c", """
            import sys, json, pikepdf
            pdf = pikepdf.open(sys.argv[1])
            KEEP = {'L', 'LI', 'Lbl', 'LBody', 'P', 'BlockQuote', 'H2', 'H3', 'NonStruct'}
            def kids(e):
                k = e.get('/K')
                return [c for c in (k if isinstance(k, pikepdf.Array) else [k]) if isinstance(c, pikepdf.Dictionary) and '/S' in c]
            def sexp(e):
                inner = [sexp(k) for k in kids(e) if str(k.S)[1:] in KEEP]
                return str(e.S)[1:] + ('(' + ','.join(inner) + ')' if inner else '')
            found = []
            def walk(e):
                if str(e.S) in ('/L', '/NonStruct'): return found.append(sexp(e))
                for k in kids(e): walk(k)
            for e in kids(pdf.Root.StructTreeRoot): walk(e)
            print(json.dumps(found))
            """, pdf])
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String], r.stdout + r.stderr)
    }

    /// Renders the article `markdown` in `folder`, checks that it reads in the order written and
    /// passes `tagcheck.py`, and hands `check` the PDF, each `LI`'s kids' types (with their kids',
    /// depth first) and how many `BlockQuote`s it has, and that as JSON text.
    private func assertListsRead(in folder: String, _ markdown: String,
                                 _ check: (_ pdf: String, _ found: [String: Any], _ tree: String) throws -> Void) throws {
        let (md, pdf, _) = try renderArticle(work + "/" + folder, "list", markdown)
        let order = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", md])
        XCTAssertTrue(order.stdout.hasPrefix("ok "), order.stdout + order.stderr)
        // Each LI's kids' types, depth first; and every BlockQuote.
        let tree = try shell("python3", ["-c", """
            import sys, json, pikepdf
            pdf = pikepdf.open(sys.argv[1])
            items, quotes = [], 0
            def kids(e):
                k = e.get('/K')
                return [c for c in (k if isinstance(k, pikepdf.Array) else [k]) if isinstance(c, pikepdf.Dictionary) and '/S' in c]
            def walk(e):
                global quotes
                s = str(e.S)
                if s == '/BlockQuote': quotes += 1
                if s == '/LI':
                    items.append([str(c.S) + ''.join('>' + str(g.S) for g in kids(c)) for c in kids(e)])
                for c in kids(e): walk(c)
            for e in kids(pdf.Root.StructTreeRoot): walk(e)
            print(json.dumps({'items': items, 'quotes': quotes}))
            """, pdf])
        try check(pdf, try XCTUnwrap(JSONSerialization.jsonObject(with: Data(tree.stdout.utf8)) as? [String: Any], tree.stdout + tree.stderr), tree.stdout)
        try tagcheck(pdf)
    }

    /// A paragraph with an address or a link to another article in it is read whole, and each
    /// `Link` element holds the words it opens as well as its annotation. Before, the links were
    /// empty `Link` elements beside the text, and — as Cairo 1.16 marks the content of leaf
    /// elements only — the whole paragraph around them was left to no element: an artifact,
    /// skipped by screen readers.
    func testParagraphsWithLinksAreReadWithTheLinksWordsInThem() throws {
        let dir = work + "/link-paragraphs"
        let filler = String(repeating: "草原上的学校迎来了新学期，孩子们在宽敞的教室里读书写字。", count: 3)
        _ = try twoArticleIssue(dir, [
            ("a.md", "草原深处的读书声", "\(filler)\n\n更多信息可访问 www.example.edu.cn 或见[马头琴的故事](b.md)，再写信至 info@example.edu.cn 联系我们。\n\n\(filler)"),
            ("b.md", "一把马头琴的四季", filler),
        ])
        let pdf = dir + "/issue.pdf"
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let order = try shell("python3", [root + "/scripts/structtext.py", pdf, "--source", dir + "/a.md", "--source", dir + "/b.md"])
        XCTAssertTrue(order.stdout.hasPrefix("ok "), order.stdout + order.stderr)
        let pages = try artifactTexts(pdf)
        for (n, texts) in pages.enumerated() {
            XCTAssertTrue(texts.allSatisfy { $0.allSatisfy(\.isNumber) || $0 == "栏" }, "page \(n + 1): text no element owns but folios and running heads: \(texts)")
        }
        // Each Link element's text, from its marked content.
        let links = try shell("python3", ["-c", """
            import sys, json, pikepdf
            sys.path.insert(0, sys.argv[2])
            from structtext import page_texts
            pdf = pikepdf.open(sys.argv[1])
            texts = page_texts(sys.argv[1])
            pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
            found, annotations = [], []
            def walk(e, page):
                page = pages.get(e.Pg.objgen, page) if '/Pg' in e else page
                k = e.get('/K')
                kids = list(k) if isinstance(k, pikepdf.Array) else [k]
                if str(e.S) == '/Link':
                    found.append(''.join(texts[page].get(int(c), '') if isinstance(c, int)
                                         else texts[pages[c.Pg.objgen]].get(int(c.MCID), '') if isinstance(c, pikepdf.Dictionary) and c.get('/Type') == '/MCR'
                                         else '' for c in kids))
                    annotations.append(sum(1 for c in kids if isinstance(c, pikepdf.Dictionary) and c.get('/Type') == '/OBJR'))
                for c in kids:
                    if isinstance(c, pikepdf.Dictionary) and '/S' in c: walk(c, page)
            walk(pdf.Root.StructTreeRoot.K, 0) if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Dictionary) else [walk(e, 0) for e in pdf.Root.StructTreeRoot.K]
            print(json.dumps([found, annotations], ensure_ascii=False))
            """, pdf, root + "/scripts"])
        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(links.stdout.utf8)) as? [Any], links.stdout + links.stderr)
        let words = try XCTUnwrap(read.first as? [String]), annotations = try XCTUnwrap(read.last as? [Int])
        // (A link broken over two lines — 马头 | 琴的故事 — is one Link holding both lines'
        // annotations: Cairo makes an element of each line's piece, the finisher joins them.)
        for expected in ["www.example.edu.cn", "马头琴的故事", "info@example.edu.cn"] {
            XCTAssertTrue(words.contains(expected), "a Link element reads \(expected): \(words)")
        }
        XCTAssertEqual(words.firstIndex(of: "马头琴的故事").map { annotations[$0] }, 2, "the broken link's element holds both its annotations")
        // and nothing else but the contents page's links, each an article's title and page number
        let entries = ["草原深处的读书声", "一把马头琴的四季"].map { t in words.first { $0.hasPrefix(t) && Int($0.dropFirst(t.count)) != nil } }
        XCTAssertFalse(entries.contains(nil), "the contents entries' links: \(words)")
        XCTAssertFalse(words.contains { !$0.isEmpty && !entries.contains($0) && !"www.example.edu.cn马头琴的故事info@example.edu.cn".contains($0) },
                       "and nothing else: \(words)")
        try tagcheck(pdf)
    }

    /// Reading order and language of the text layer (issue 15): the structure tree read in order
    /// (`scripts/structtext.py`: pdfminer.six for each marked-content sequence's text, pikepdf
    /// for the tree) gives each article's headings, paragraphs, box, pull quote, list items and
    /// table rows in the order written, in elements of its language, and every caption — for the
    /// two-column Chinese issue (boxes, figures, a table across pages, run-on articles), a
    /// right-to-left Uyghur/Chinese parallel spread, a Kazakh one, vertical Mongolian beside
    /// Chinese, and vertical Chinese. (Before: a Kazakh line with a hyphen from another font
    /// read its pieces backwards — runs were drawn left to right.)
    func testStructureOrderReadsLikeTheSource() throws {
        let sample = ["caoyuan-xuexiao", "matouqin", "wenhua-jianxun", "maoniu-hezuoshe", "shequ-xinfeng", "tuanjie-jianxun"]
            .map { "examples/sample-issue/\($0).md" }
        let cases: [(String, [String], [String])] = [
            ("sample", ["render", "examples/sample-issue/issue.yaml"], sample),
            ("ug", ["render", "examples/editions/ug/issue.yaml"], ["examples/editions/ug/ug.md", "examples/editions/ug/zh.md"]),
            ("kk", ["render", "examples/editions/kk/issue.yaml"], ["examples/editions/kk/kk.md", "examples/editions/kk/zh.md"]),
            ("mn", ["render", "examples/editions/mn/issue.yaml"], ["examples/editions/mn/mn.md", "examples/editions/mn/zh.md"]),
            ("vertical", ["render", "examples/editions/zh-vertical/zh-vertical.md"], ["examples/editions/zh-vertical/zh-vertical.md"]),
        ]
        for (name, args, sources) in cases {
            let pdf = work + "/order-\(name).pdf"
            let r = try shell(folio, args + ["-o", pdf])
            XCTAssertEqual(r.status, 0, r.stderr)
            let check = try shell("python3", [root + "/scripts/structtext.py", pdf] + sources.flatMap { ["--source", root + "/" + $0] })
            XCTAssertEqual(check.status, 0, "\(name): " + check.stdout + check.stderr)
            XCTAssertTrue(check.stdout.hasPrefix("ok "), "\(name): " + check.stdout)
            // And no text of the articles is left to no element (an artifact: running heads,
            // folios and ads only) — what `check` cannot see where an element reads it twice.
            let written = try sources.map { try String(contentsOfFile: root + "/" + $0, encoding: .utf8) }.joined().filter { !$0.isWhitespace }
            let pages = try artifactTexts(pdf)
            for (n, texts) in pages.enumerated() {
                for text in texts.map({ $0.filter { !$0.isWhitespace } }) where text.count >= 8 {
                    XCTAssertFalse(written.contains(text), "\(name) page \(n + 1): article text read by no element: \(text)")
                }
            }
        }
    }

    /// Han text in a line of another language is read as Chinese: the labels Folio prints in
    /// Chinese where the template has no wording for the article's language (`文／`, `来源：`),
    /// the Chinese book title in a Uyghur credit line, the Chinese half of a bilingual kicker —
    /// each an element of its own in the paragraph, `/Lang zh-Hans`. Before, they were read with
    /// the Uyghur, Kazakh or Mongolian voice of the line (`scripts/structtext.py --han`). And the
    /// rest of such a line is read too: Cairo 1.16 marks the content of leaf elements only, so
    /// the author's name after 文／, the end mark after 来源：…, the Uyghur half of the contents
    /// page's title had been left to no element — artifacts, skipped by screen readers. Now the
    /// editions' only artifact text is their folios (`structtext.py --artifacts`).
    func testChineseInLinesOfOtherLanguagesReadsAsChinese() throws {
        for edition in ["ug", "kk", "mn"] {
            let pdf = work + "/han-\(edition).pdf"
            let r = try shell(folio, ["render", "examples/editions/\(edition)/issue.yaml", "-o", pdf])
            XCTAssertEqual(r.status, 0, r.stderr)
            let check = try shell("python3", [root + "/scripts/structtext.py", pdf, "--han"])
            XCTAssertEqual(check.status, 0, "\(edition): " + check.stdout + check.stderr)
            let nested = Int(check.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            XCTAssertGreaterThan(nested, 0, "\(edition): Chinese read inside the edition's language: " + check.stdout)
            let pages = try artifactTexts(pdf)
            XCTAssertGreaterThan(pages.count, 1)
            for (n, texts) in pages.enumerated() {
                XCTAssertEqual(texts, ["\(n + 1)"], "\(edition) page \(n + 1): text no element owns but the folio")
            }
            try tagcheck(pdf)
        }
    }

    /// A line in another language than the document's is an element with its own /Lang: on the
    /// Uyghur edition's contents page, the Chinese article's entry and deck read as zh-Hans, the
    /// Uyghur ones as ug (the document's), so a screen reader switches voices.
    func testContentsEntriesInAnotherLanguageCarryTheirLang() throws {
        let pdf = work + "/ug-lang.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/editions/ug/issue.yaml", "-o", pdf]).status, 0)
        let r = try shell("python3", [root + "/scripts/structtext.py", pdf, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let elements = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: String]])
        func lang(of text: String) -> [String] { elements.filter { $0["text"] == text }.compactMap { $0["lang"] } }
        XCTAssertEqual(lang(of: "世界人权宣言（序言） 3").first, "zh-Hans", "the entry on the contents page (its link: title, a space, page number)")
        XCTAssertTrue(elements.contains { ($0["text"] ?? "").hasPrefix("《世界人权宣言》序言的两种文字版本") && $0["lang"] == "zh-Hans" }, "its deck")
        XCTAssertEqual(lang(of: "ئىنسان ھوقۇقى خىتابنامىسى 2").first, "ug", "the Uyghur entry keeps the document's language")
    }

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

    /// The object streams libqpdf makes (most of a tagged issue's objects: the structure tree)
    /// are compressed at zlib's fastest level (`PDFFinisher.fastestObjectStreams`: the 518-page
    /// issue's PDF 2 % larger, written 40 ms sooner): each starts with the zlib header of level 1.
    func testObjectStreamsAreCompressedAtTheFastestLevel() throws {
        let pdf = work + "/sample.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        // (Read from the file's bytes: a PDF library resolves object streams away when it opens one.)
        let script = "import re, sys\nfor m in re.finditer(rb'/Type */ObjStm[^>]*>>\\s*stream\\r?\\n(..)', open(sys.argv[1], 'rb').read(), re.S): print(m.group(1).hex())"
        let headers = try shell("python3", ["-c", script, pdf]).stdout.split(separator: "\n")
        XCTAssertFalse(headers.isEmpty, "object streams")
        XCTAssertEqual(Set(headers), ["7801"], "zlib level 1 (78 01), not the default (78 9c)")
    }

    /// Cairo stores each page's content stream uncompressed (`PDFWriter.draw`: the finisher reads
    /// it back to mark its artifacts) and the font subsets and ToUnicode maps it writes at the end
    /// (`PDFWriter.finish`), and the finisher deflates them (zlib, libdeflate): none of them may
    /// keep stored (uncompressed) deflate blocks in the written PDF, and each page's content,
    /// each font file and each ToUnicode map is smaller than what it decodes to.
    func testNoStreamIsLeftUncompressed() throws {
        let pdf = work + "/sample.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf]).status, 0)
        let script = """
        import pikepdf, sys
        pdf = pikepdf.open(sys.argv[1])
        kinds = {}
        for n, page in enumerate(pdf.pages, 1):
            kinds[page.obj.Contents.objgen] = f"page {n}"
        for font in (o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"):
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in font: kinds[font[key].objgen] = f"font {font.FontName}"
        for font in (o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ToUnicode" in o):
            kinds[font.ToUnicode.objgen] = f"map {font.get('/BaseFont')}"
        for o in pdf.objects:
            if isinstance(o, pikepdf.Stream) and o.objgen in kinds:
                raw = o.read_raw_bytes()
                print(kinds[o.objgen].replace(" ", "_"), o.stream_dict.get("/Filter"), (raw[2] >> 1) & 3, len(raw) < len(o.read_bytes()))
        """
        let lines = try shell("python3", ["-c", script, pdf]).stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("page_") }.count, 10, "the sample issue's pages")
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("font_") }.count, 2, "its fonts")
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("map_") }.count, 2, "their ToUnicode maps")
        for line in lines {
            let f = line.split(separator: " ")
            XCTAssertEqual(f[1], "/FlateDecode", "\(f[0])")
            XCTAssertNotEqual(f[2], "0", "\(f[0]): stored deflate blocks")
            XCTAssertEqual(f[3], "True", "\(f[0]): compressed")
        }
    }

    /// PDFs read online are linearized (issue 15): every archive PDF `batch` writes, and
    /// `render --web`; a plain render is not (print shops do not need it). Every one of them, and
    /// the `--volume` that binds the archive, passes the tag check.
    func testArchiveAndWebPDFsAreLinearized() throws {
        func linearized(_ pdf: String) throws -> Bool {
            try shell("pdfinfo", [pdf]).stdout.contains("Optimized:       yes")
        }
        let r = try shell(folio, ["batch", root + "/examples/archive", "-o", work + "/archive", "--volume", work + "/volume.pdf"])
        XCTAssertTrue([0, 2].contains(r.status), r.stderr)   // 2: an article of the folder is broken on purpose
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: work + "/archive").filter { $0.hasSuffix(".pdf") }
        XCTAssertGreaterThan(pdfs.count, 2)
        for pdf in pdfs {
            XCTAssertTrue(try linearized(work + "/archive/" + pdf), pdf)
            XCTAssertEqual(try shell("qpdf", ["--check-linearization", work + "/archive/" + pdf]).status, 0, pdf)
            // Every PDF Folio writes is tagged: each archive article, and the volume binding them.
            try tagcheck(work + "/archive/" + pdf)
        }
        try tagcheck(work + "/volume.pdf")
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "--web", "-o", work + "/web.pdf"]).status, 0)
        XCTAssertTrue(try linearized(work + "/web.pdf"))
        try tagcheck(work + "/web.pdf")
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", work + "/plain.pdf"]).status, 0)
        XCTAssertFalse(try linearized(work + "/plain.pdf"))
    }

    /// Text that draws no glyph reads back in its place (issue 15): the Mongolian edition's six
    /// vowel separators (U+180E, e.g. `ᠨᠡᠷ᠎ᠡ`) are in poppler's text of the PDF. Cairo wrote each as
    /// an empty `/ActualText` span, which extraction skips; carried by the next glyph's cluster,
    /// they are part of that glyph's `/ActualText`.
    func testGlyphlessTextReadsBackInItsPlace() throws {
        let source = try String(contentsOfFile: root + "/examples/editions/mn/mn.md", encoding: .utf8)
        let separators = source.unicodeScalars.filter { $0.value == 0x180E }.count
        XCTAssertEqual(separators, 6)
        let pdf = work + "/mn.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/editions/mn/issue.yaml", "-o", pdf]).status, 0)
        let text = try shell("pdftotext", [pdf, "-"]).stdout
        XCTAssertEqual(text.unicodeScalars.filter { $0.value == 0x180E }.count, separators)
        XCTAssertTrue(text.contains("ᠨᠡᠷ\u{180E}ᠡ"), "the separator between its letters")
    }
}
