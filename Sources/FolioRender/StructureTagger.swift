/// The PDF's structure tree (a tagged PDF: what screen readers, search engines and reflowing
/// readers read), through Cairo's tags, page by page:
///
/// - furniture first and untagged — running heads, folios, rules, tints, barcodes, crop marks —
///   and half-page ads — so it is no element's content (Cairo 1.16 has no `/Artifact`);
/// - then the page's group (`Art` on an article's pages, `Sect` on covers, contents and ads), in
///   it the text in reading order: `H1` (title), `H2`/`H3` (headings), `Caption`, `BlockQuote`
///   (block and pull quotes), `P` (the rest);
///   images and PDF graphics as `Figure` at the first point where no paragraph is open (never
///   inside one); links as `Link` elements there too; the contents page's entries as a `TOC`
///   per section, each entry's link holding its title and page number;
/// - every element is closed at the page's end, because content drawn while an element is open
///   belongs to it and the next page starts with its furniture. A paragraph that goes on at the
///   top of the next page is tagged `Span` there (Cairo 1.16 accepts standard structure types
///   only), and `PDFFinisher` merges it into its `P`, a block quote's rest (tagged `Quote`) into
///   its `BlockQuote`, a table's rows on the next page (tagged `Part`) into its `Table`, a
///   list's (tagged `NonStruct`) into its `L`, and the page groups of one article into one
///   `Art` — so the file says one paragraph, one quote, one table, one list, one article, as
///   the text does.
///
/// (Over 400 lines: one page's tagging is one pass with its open elements — lists, tables, the
/// contents — as local state; split, they would have to be passed round.)
import CPangoCairo
import FolioCore

final class StructureTagger {
    /// The element a paragraph's rest on the next page is first tagged as (see above).
    static let continuation = "Span"
    /// The element a table's rows on the next page are first tagged as: the finisher moves its
    /// rows into the `Table` before it (the header repeated there is furniture, untagged).
    static let tableContinuation = "Part"
    /// The element a block quote's rest on the next page is first tagged as.
    static let quoteContinuation = "Quote"
    /// Each continuation element and the element it joins (PDFFinisher).
    static let continuations = [continuation: "P", tableContinuation: "Table", quoteContinuation: "BlockQuote"]
    /// What an element of type `tag` that goes on at the top of a page is begun as there: its
    /// continuation, joined to it by the finisher (a paragraph's, a block quote's), or itself.
    static func continued(_ tag: String) -> String {
        tag == "P" ? continuation : tag == "BlockQuote" ? quoteContinuation : tag
    }
    /// The element a list that goes on from the page before is first tagged as (at each depth
    /// it goes on at): the finisher puts its items into the `L` before it, and what comes before
    /// its first item — the rest of the item the page before ended in, a paragraph's rest as
    /// `continuation`, an inner list's as this again — into that list's last `LBody`.
    static let listContinuation = "NonStruct"
    /// An element in another language is begun as this type (Cairo 1.16 takes no attributes,
    /// and no type outside PDF's standard ones); `otherLanguages` says, in drawing order, what
    /// each such element is and its language, and the finisher makes it so. Folio uses `Div`
    /// for nothing else.
    static let otherLanguage = "Div"
    private(set) var otherLanguages: [(type: String, language: String)] = []
    /// Each element of a table, box or pull quote that waited for a later page's column head
    /// (`TextItem.waited`) is begun as this type, and each place where one was written
    /// (`TextItem.readsAfter`) as an empty element of `waitedFrom`'s, both at the group's top
    /// level; `waited` and `waitedAt` say, in drawing order, what each is and its key, and the
    /// finisher moves each such block's elements to where it was written (Folio uses the two
    /// types for nothing else).
    static let waitedBlock = "Private", waitedFrom = "Index"
    private(set) var waited: [(type: String, key: String)] = []
    private(set) var waitedAt: [String] = []
    /// The key of the block an article numbered `number` (`TextItem.waited`).
    private func waitKey(_ number: Int) -> String { "\((groupArticles.last ?? nil) ?? "")#\(number)" }

    /// The document's language, and each article's where it differs (for the runs below).
    var documentLanguage: String?
    var articleLanguages: [String: String] = [:]

    /// Whether Han text in lines of `language` is tagged as Chinese: a piece of Han characters
    /// and CJK punctuation in a Uyghur, Kazakh, Mongolian or English line — a label the
    /// template has no wording for in the article's language (`文／`, `来源：`), a Chinese name —
    /// is an element of its own in the `P`, `Span` with `/Lang zh-Hans`, so that a screen reader
    /// reads it as Chinese. `PDFFinisher` looks inside the elements of such a language.
    static func marksChineseRuns(in language: String?) -> Bool {
        guard let language, !language.isEmpty else { return false }
        return LanguageInfo(language).hanIsChinese
    }

    private var started = false
    /// The article of each group (`Art`, or nil for a `Sect`) in drawing order: one per page,
    /// two on a page where a run-on article starts (the finisher merges an article's `Art`s).
    private(set) var groupArticles: [String?] = []
    /// Each `Figure` element's text alternative (its caption), in drawing order: the finisher
    /// writes them as `/Alt` (Cairo 1.16 takes no attributes on structure tags).
    private(set) var figureAlts: [String] = []
    /// What a screen reader reads for each contents entry, in drawing order: its title, a space,
    /// its page number — drawn apart, across the dotted leader, they are one word in the text
    /// (`读书声4`, read as 读书声四). The finisher writes it as the entry's `Reference`'s `/ActualText`.
    private(set) var entryTexts: [String] = []
    /// Whether a line with a link was drawn (the finisher then joins the pieces of links broken over lines).
    private(set) var drawsLineLinks = false

    /// The indices of the lines of the element the text line at `start` begins or goes on: the
    /// lines of its role from there, up to one of another role or one that begins another
    /// paragraph (furniture and other items between them skipped).
    static func run(of role: TextRole, in items: [PageItem], from start: Int) -> [Int] {
        var out: [Int] = []
        for k in start..<items.count {
            guard case .text(let t) = items[k], !isFurniture(items[k]) else { continue }
            guard t.role == role, out.isEmpty || t.line.range.lowerBound > 0 else { break }
            out.append(k)
        }
        return out
    }

    /// Whether a line draws elements of its own inside its element: a link, or (`marking`) a
    /// piece of Chinese text (`PageDrawer.pieces`: Han characters, in runs drawn forward).
    static func holdsElements(_ item: PageItem, marking: Bool) -> Bool {
        guard case .text(let t) = item else { return false }
        return !t.line.links.isEmpty || marking && t.line.runs.contains { !$0.backward && $0.text.unicodeScalars.contains(where: ScriptClasses.isHan) }
    }

    /// The headings seen so far, for the level of a box's title and headings.
    private var headingLevels = HeadingLevels()

    private static func isFurniture(_ item: PageItem) -> Bool {
        switch item {
        case .rect, .barcode, .anchor: return true
        case .text(let t): return tag(for: t.role) == nil
        case .image(let i): return i.decorative
        case .pdfPage, .link: return false
        }
    }

    /// Rects that lie over a figure drawn before them (the tint under a full-bleed photograph's
    /// caption), by index, and the frame of the image each lies over: drawn after that image
    /// (unowned, an artifact), not first with the rest of the furniture, under it.
    static func overlays(in items: [PageItem]) -> [Int: Rect] {
        var images: [Rect] = [], over: [Int: Rect] = [:]
        for (n, item) in items.enumerated() {
            switch item {
            case .image(let i) where !i.decorative: images.append(i.frame)
            case .rect(let r): if let under = images.last(where: { $0.intersects(r.frame) }) { over[n] = under }
            default: break
            }
        }
        return over
    }

    func draw(_ page: Page, with drawer: PageDrawer, on cr: OpaquePointer) throws {
        if !started { cairo_tag_begin(cr, "Document", ""); started = true }
        let overlays = Self.overlays(in: page.items)
        for (n, item) in page.items.enumerated() where Self.isFurniture(item) && overlays[n] == nil { try drawer.draw(item, on: cr) }
        let group = page.articleID == nil ? "Sect" : "Art"
        cairo_tag_begin(cr, group, "")
        groupArticles.append(page.articleID)
        // Chinese pieces of lines in the group's language (or a line's own) are tagged as such.
        var groupMarks = Self.marksChineseRuns(in: page.articleID.flatMap { articleLanguages[$0] } ?? documentLanguage)
        // Cairo 1.16 marks the content of leaf elements only: an element with a Chinese piece's
        // element or a link's in it has all its other text wrapped in `Span`s too, or that text
        // is left unowned — an artifact no screen reader reads (the author's name after 文／ in a
        // Uyghur byline was, and every paragraph with an address in it). `wrapUntil`: the last
        // item of the run of lines being wrapped so.
        var wrapUntil = -1, wrapping = false, marking = false
        let piece: (Bool, () throws -> Void) throws -> Void = { [unowned self] chinese, draw in
            let isChinese = chinese && marking
            guard isChinese || wrapping else { return try draw() }
            if isChinese { otherLanguages.append(("Span", "zh-Hans")) }
            let tag = isChinese ? Self.otherLanguage : "Span"
            cairo_tag_begin(cr, tag, "")
            try draw()
            cairo_tag_end(cr, tag)
        }
        defer { drawer.aroundPiece = nil; drawer.cutsChinese = false }
        var open: (tag: String, role: TextRole)?
        var waiting: [PageItem] = []
        var firstText = true
        // The lists open, outermost first (`L` > `LI` > `Lbl` + `LBody`, a list inside an item
        // an `L` in its `LBody`). Each item's paragraphs, headings, quotes and code are elements
        // in its `LBody` (Cairo 1.16 marks the content of leaf elements only: in the `LBody`
        // itself the lines would be left unowned once it held an element).
        var lists: [OpenList] = []
        func endChild() {
            guard let c = lists.last?.child else { return }
            cairo_tag_end(cr, c.tag)
            lists[lists.count - 1].child = nil
        }
        func endItem() {
            endChild()
            guard lists.last?.item == true else { return }
            cairo_tag_end(cr, "LBody")
            cairo_tag_end(cr, "LI")
            lists[lists.count - 1].item = false
        }
        func endLists(deeperThan depth: Int) {
            while lists.count > depth {
                endItem()
                cairo_tag_end(cr, lists.removeLast().tag)
            }
        }
        /// Opens lists down to `depth`: on a page that goes on with a list of the page before,
        /// continuations the finisher joins to it, one a level (the last a new `L` if `newList`);
        /// elsewhere `L`s, each in an item of the one before.
        func openLists(to depth: Int, newList: Bool) {
            let continuing = firstText && lists.isEmpty
            while lists.count < depth {
                endChild()
                if let last = lists.last, last.tag == "L", !last.item {
                    cairo_tag_begin(cr, "LI", "")
                    cairo_tag_begin(cr, "LBody", "")
                    lists[lists.count - 1].item = true
                }
                let tag = continuing && !(newList && lists.count + 1 == depth) ? Self.listContinuation : "L"
                cairo_tag_begin(cr, tag, "")
                lists.append(OpenList(tag: tag))
            }
        }
        /// Makes the body of the item at `depth` the one being filled: the lists deeper than it
        /// ended, those down to it opened (at a page's top, the continuations of the page before's).
        func enterItem(_ depth: Int) {
            endLists(deeperThan: depth)
            guard lists.count < depth else { return }
            openLists(to: depth, newList: false)
            if lists[depth - 1].tag == "L" {
                cairo_tag_begin(cr, "LI", "")
                cairo_tag_begin(cr, "LBody", "")
                lists[depth - 1].item = true
            }
        }
        // A section's entries on the contents page: a `TOC` of `TOCI`s, an entry's title and page
        // number the text of its link (`Reference` > `Link`, the annotation's element: a screen
        // reader reads the link by its words) and its deck a `P` after it. `entryLinks`: the
        // link items already drawn so, as their entries' `Link`s.
        var toc = false, tocItem = false
        var reference = "Reference"   // as begun (`otherLanguage` for an entry in another language)
        var entryLinks = Set<Int>()
        func figure(_ item: PageItem) throws {
            if case .link = item { return try drawer.draw(item, on: cr) }   // a Link element of its own
            switch item {
            case .image(let i): figureAlts.append(i.alt ?? "")
            case .pdfPage(let p): figureAlts.append(p.alt ?? "")
            default: figureAlts.append("")
            }
            cairo_tag_begin(cr, "Figure", "")
            try drawer.draw(item, on: cr)
            cairo_tag_end(cr, "Figure")
            guard case .image(let i) = item else { return }
            for n in overlays.keys.sorted() where overlays[n] == i.frame { try drawer.draw(page.items[n], on: cr) }
        }
        // A table: `Table` > `TR` > `TH`/`TD`, the row and cell being filled.
        var table: (row: Int, cell: TableCell?, tag: String)?
        func closeTable() {
            guard let t = table else { return }
            if let c = t.cell { cairo_tag_end(cr, c.row == 0 ? "TH" : "TD") }
            if t.row >= 0 { cairo_tag_end(cr, "TR") }
            cairo_tag_end(cr, t.tag)
            table = nil
        }
        /// Ends the open element; `list`: the lists and the table of contents as well.
        func close(list: Bool = true) throws {
            closeTable()
            if let o = open {
                cairo_tag_end(cr, o.tag)
                if o.tag == "Link" { cairo_tag_end(cr, reference) }
                open = nil
            }
            if list { endLists(deeperThan: 0) }
            if list && tocItem { cairo_tag_end(cr, "TOCI"); tocItem = false }
            if list && toc { cairo_tag_end(cr, "TOC"); toc = false }
            guard open == nil && lists.isEmpty && !toc else { return }
            for item in waiting { try figure(item) }
            waiting = []
        }
        /// Where blocks that waited for a later page were written: before the element `t` begins
        /// (at the group's top level).
        func markWaitedFrom(_ t: TextItem) {
            for number in t.readsAfter {
                cairo_tag_begin(cr, Self.waitedFrom, "")
                cairo_tag_end(cr, Self.waitedFrom)
                waitedAt.append(waitKey(number))
            }
        }
        for (n, item) in page.items.enumerated() where !Self.isFurniture(item) && !entryLinks.contains(n) {
            if let runOn = page.runOns.last(where: { n >= $0.firstItem }), groupArticles.last != runOn.articleID {
                // A run-on article starts here: its own Art.
                try close()
                cairo_tag_end(cr, group)
                cairo_tag_begin(cr, group, "")
                groupArticles.append(runOn.articleID)
                groupMarks = Self.marksChineseRuns(in: articleLanguages[runOn.articleID] ?? documentLanguage)
                firstText = false
            }
            if case .text(let t) = item {
                if !t.line.links.isEmpty { drawsLineLinks = true }
                marking = t.language.map(Self.marksChineseRuns) ?? groupMarks
                // Which lines' elements hold Chinese pieces or links: decided at a run's first
                // line, for the run of lines of its role (an element's lines are among them).
                if n > wrapUntil {
                    let run = Self.run(of: t.role, in: page.items, from: n)
                    wrapUntil = run.last ?? n
                    wrapping = run.contains { Self.holdsElements(page.items[$0], marking: marking) }
                }
                drawer.aroundPiece = marking || wrapping ? piece : nil
                drawer.cutsChinese = marking
            }
            if table != nil, !(item.isTableText) { closeTable() }
            switch item {
            case .text(let t) where t.cell != nil:
                // A table's cell lines: a new row opens a `TR`, a new cell a `TH` (header row) or `TD`.
                let cell = t.cell!
                if table == nil {
                    // (A table in a list item: in the item's `LBody`.)
                    if t.listDepth > 0 { try close(list: false); enterItem(t.listDepth); endChild() } else { try close(); markWaitedFrom(t) }
                    // A page that opens on a body row goes on with the table of the page before.
                    var tag = firstText && cell.row > 0 ? Self.tableContinuation : "Table"
                    if t.listDepth == 0, let number = t.waited {
                        waited.append((tag, waitKey(number)))
                        tag = Self.waitedBlock
                    }
                    cairo_tag_begin(cr, tag, "")
                    table = (-1, nil, tag)
                }
                if table!.cell != cell {
                    if let c = table!.cell { cairo_tag_end(cr, c.row == 0 ? "TH" : "TD") }
                    if table!.row != cell.row {
                        if table!.row >= 0 { cairo_tag_end(cr, "TR") }
                        cairo_tag_begin(cr, "TR", "")
                    }
                    cairo_tag_begin(cr, cell.row == 0 ? "TH" : "TD", "")
                    table = (cell.row, cell, table!.tag)
                }
                firstText = false
                try drawer.draw(item, on: cr)
            case .text(let t) where t.role == .listLabel:
                // A list item begins: its marker, then its body (the lines that follow) — after
                // the item before at its depth, a new list if it is its list's first, a list
                // inside the item open if it is deeper.
                try close(list: false)
                let depth = max(1, t.listDepth)
                endLists(deeperThan: depth)
                if lists.isEmpty { markWaitedFrom(t) }
                if lists.count == depth {
                    endItem()
                    if t.startsList {
                        cairo_tag_end(cr, lists[depth - 1].tag)
                        if depth == 1 { markWaitedFrom(t) }
                        cairo_tag_begin(cr, "L", "")
                        lists[depth - 1].tag = "L"
                    }
                } else {
                    openLists(to: depth, newList: t.startsList)
                }
                cairo_tag_begin(cr, "LI", "")
                cairo_tag_begin(cr, "Lbl", "")
                try drawer.draw(item, on: cr)
                cairo_tag_end(cr, "Lbl")
                cairo_tag_begin(cr, "LBody", "")
                lists[depth - 1].item = true
                firstText = false
            case .text(let t) where t.listDepth > 0:
                // A line of a list item: in its `LBody`, in the element of its role (a paragraph's
                // `P`, a heading, a quote, code), a new one where a paragraph begins; at the top
                // of a page that goes on with an item, the item's continuation.
                try close(list: false)
                let depth = t.listDepth
                enterItem(depth)
                if t.line.runs.isEmpty { continue }   // (an item's number on a line of its own: nothing to read)
                let starts = t.line.range.lowerBound == 0
                if let c = lists[depth - 1].child, c.role == t.role, !starts {
                    // (the element's next line)
                } else {
                    endChild()
                    let tag = headingLevels.tag(for: t.role, starts: starts) ?? Self.tag(for: t.role) ?? "P"
                    let name = !starts && firstText ? Self.continued(tag) : tag
                    cairo_tag_begin(cr, name, "")
                    lists[depth - 1].child = (name, t.role)
                }
                firstText = false
                try drawer.draw(item, on: cr)
            case .text(let t) where t.role == .contentsEntry && t.line.range.lowerBound == 0:
                // A contents entry begins: in its section's `TOC`, its `TOCI`, and in that the
                // link it is (the entry's link item, drawn here with its lines in it).
                try close(list: false)
                if tocItem { cairo_tag_end(cr, "TOCI") }
                if !toc { cairo_tag_begin(cr, "TOC", ""); toc = true }
                cairo_tag_begin(cr, "TOCI", "")
                tocItem = true
                reference = "Reference"
                if let language = t.language { otherLanguages.append((reference, language)); reference = Self.otherLanguage }
                cairo_tag_begin(cr, reference, "")
                entryTexts.append(Self.spokenEntry(page.items[n...]))
                let link = page.items[n...].firstIndex { if case .link = $0 { true } else { false } }
                if let link, case .link(let l) = page.items[link] {
                    cairo_tag_begin(cr, CAIRO_TAG_LINK, PageDrawer.attributes(of: l))
                    entryLinks.insert(link)
                }
                open = (link == nil ? reference : "Link", .contentsEntry)   // (without a link: the `Reference` alone)
                firstText = false
                try drawer.draw(item, on: cr)
            case .text(let t) where tocItem && open?.role == .contentsEntry && (t.role == .contentsEntry || t.role == .contentsPage):
                // The rest of the entry's title, and its page number.
                try drawer.draw(item, on: cr)
            case .text(let t) where tocItem && t.role == .contentsDeck:
                // The entry's deck, after its link.
                if open?.role != .contentsDeck {
                    try close(list: false)
                    var name = "P"
                    if let language = t.language { otherLanguages.append((name, language)); name = Self.otherLanguage }
                    cairo_tag_begin(cr, name, "")
                    open = (name, .contentsDeck)
                }
                try drawer.draw(item, on: cr)
            case .text(let t):
                let starts = t.line.range.lowerBound == 0
                let tag = headingLevels.tag(for: t.role, starts: starts) ?? Self.tag(for: t.role) ?? "P"
                if !lists.isEmpty { try close() }
                if let o = open, starts || o.role != t.role { try close() }
                if open == nil {
                    markWaitedFrom(t)
                    // The rest of a paragraph begun on the page before, or before a pull quote or
                    // a figure set in the middle of it (at a column's head): merged into it afterwards.
                    var name = !starts ? Self.continued(tag) : tag
                    // A line in another language: the element's type carries it until the finisher
                    // makes it a /Lang (Cairo 1.16 writes no attributes on structure elements).
                    if let language = t.language {
                        otherLanguages.append((name, language))
                        name = Self.otherLanguage
                    } else if let number = t.waited {
                        waited.append((name, waitKey(number)))
                        name = Self.waitedBlock
                    }
                    cairo_tag_begin(cr, name, "")
                    open = (name, t.role)
                }
                firstText = false
                try drawer.draw(item, on: cr)
            default:
                if open == nil && lists.isEmpty && !toc { try figure(item) } else { waiting.append(item) }
            }
        }
        try close()
        cairo_tag_end(cr, group)
        try drawer.check(page, cr)
    }

    /// Ends the document element (before the surface is finished).
    func finish(on cr: OpaquePointer) {
        if started { cairo_tag_end(cr, "Document") }
    }
}

extension PageItem {
    /// A line of a table cell (`TextItem.cell`).
    var isTableText: Bool { if case .text(let t) = self { return t.cell != nil } else { return false } }
}
