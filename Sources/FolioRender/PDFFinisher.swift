/// What Cairo 1.16 has no API for, done on the PDF it wrote with libqpdf (Debian libqpdf-dev),
/// through the PDF's object model — never by searching its bytes:
/// - `/TrimBox` and `/BleedBox` on every page (inset from the MediaBox by the marks' slug and the bleed);
/// - the pages drawn last (covers, contents: drawn once the page numbers are known) moved to the front;
/// - `/Lang` on the catalog (the document's language, for screen readers and search), on each
///   article in another language, and on each element the tagger marked as another language's;
/// - Adobe CMYK JPEGs (which store inverted inks) given the `/Decode` array that prints them positive;
/// - JPEGs passed through with an ICC profile given it as `/ICCBased`, and the print variant's
///   CMYK stand-ins replaced by their inks (`ImageStreamFix`);
/// - XMP metadata and `/DisplayDocTitle` (PDFMetadata.swift);
/// - furniture (what no structure element owns) marked `/Artifact` (PDFArtifacts.swift);
/// - the font subsets Cairo stored coded in Huffman codes fitted to them, their ToUnicode maps deflated with libdeflate (PDFFonts.swift).
/// qpdf writes the file anew (a correct cross-reference table, a deterministic /ID, small
/// objects packed into object streams), keeping
/// every other object as Cairo made it.
import CQPDF
import CQPDFPlus
import FolioCore
import Foundation

public struct PDFFinisher {
    /// Distance from the media edge to the bleed edge (crop-mark slug), and from there to the trim.
    public var slug: Pt = 0
    public var bleed: Pt = 0
    /// How many pages, drawn last, go to the front.
    public var moveLastToFront = 0
    /// BCP 47 language of the document (`zh-Hans`, `ug`, `mn-Mong`), or nil.
    public var language: String?
    /// The article of each page group in drawing order (`StructureTagger`): an article's groups
    /// become one `Art`, and each `continuation` joins the `P` it continues.
    public var groupArticles: [String?] = []
    /// The text alternative of each `Figure` element in drawing order (empty: none), as `/Alt`.
    public var figureAlts: [String] = []
    /// What each element begun as `StructureTagger.otherLanguage` is, and its `/Lang`, in drawing order.
    public var otherLanguages: [(type: String, language: String)] = []
    /// Articles in another language than the document's, by id: their `Art` gets `/Lang`.
    public var articleLanguages: [String: String] = [:]
    /// The document's title and the rest, for the XMP metadata (nil: none written).
    public var info: DocumentInfo?
    /// What each named destination is (an article's title, from the outline): the text of the
    /// links that go there (`/Contents`).
    public var destinationTitles: [String: String] = [:]
    /// Changes to image streams Cairo wrote verbatim, by the SHA-256 of their bytes.
    var imageFixes: [String: ImageStreamFix] = [:]
    /// Soft masks (an image's alpha) made hard masks: the print variant, as PDF/X-3 allows no
    /// transparency (Ghostscript would otherwise turn the whole page into pixels).
    var hardensMasks = false
    /// The print variant's output condition: its flat colours become inks (`PrintX4.swift`); nil: not.
    var printIntent: PrintIntent?
    /// And the file declares PDF/X-4 (the output intent, `/Trapped`, the XMP identification).
    var declaresPDFX4 = false
    /// Written linearized (`PDFOptions.linearize`).
    var linearize = false

    public init(slug: Pt = 0, bleed: Pt = 0, moveLastToFront: Int = 0, language: String? = nil) {
        self.slug = slug; self.bleed = bleed; self.moveLastToFront = moveLastToFront; self.language = language
    }

    /// Set by a command whose process ends once its PDF is written (`folio render`): a long
    /// document's libqpdf objects are then left for the exit to return at once, as compilers
    /// leave their syntax trees to it (clang's -disable-free), instead of being freed one by
    /// one — 65 ms of the 518-page issue's 1.5 s. A process that goes on (serve, watch, batch,
    /// the tests) frees them.
    nonisolated(unsafe) public static var processEndsAfterWriting = false
    /// The documents whose libqpdf objects were left to the process's exit, so far.
    nonisolated(unsafe) public private(set) static var leftToExit = 0

    public func process(_ data: Data) throws -> Data {
        var q: qpdf_data? = qpdf_init()
        guard let pdf = q else { throw FolioError("internal error: libqpdf could not start") }
        var leaveToExit = false
        defer { if leaveToExit { Self.leftToExit += 1 } else { qpdf_cleanup(&q) } }
        qpdf_silence_errors(pdf)
        qpdf_set_suppress_warnings(pdf, QPDF_TRUE)
        func check(_ what: String) throws {
            if qpdf_has_error(pdf) == QPDF_TRUE, let e = qpdf_get_error(pdf) {
                throw FolioError("internal error: libqpdf \(what): \(String(cString: qpdf_get_error_full_text(pdf, e)))")
            }
        }
        try data.withUnsafeBytes { raw in
            _ = qpdf_read_memory(pdf, "cairo.pdf", raw.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(raw.count), nil)
            try check("reading Cairo's PDF")
        }
        let count = Int(qpdf_get_num_pages(pdf))
        try check("counting pages")
        leaveToExit = Self.processEndsAfterWriting && count > PDFWriter.longDocument
        // Each step's handles are released after it (the C API keeps every handle it gave out,
        // a map entry each, until then: some 100,000 for a 500-page issue's structure).
        for i in 0..<count {
            let page = qpdf_get_page_n(pdf, i)
            setBoxes(pdf, page)
            describeLinks(pdf, page)
        }
        qpdf_oh_release_all(pdf)
        mergeStructure(pdf)
        qpdf_oh_release_all(pdf)
        let foreign = ForeignPDFs()
        try fixImages(pdf, pages: count, foreign: foreign)
        qpdf_oh_release_all(pdf)
        markArtifacts(pdf, pages: count)
        qpdf_oh_release_all(pdf)
        compressFonts(pdf, pages: count)
        qpdf_oh_release_all(pdf)
        // The last pages to the front, in their order: the last one first, then the one before it…
        for _ in 0..<min(moveLastToFront, count) {
            let last = qpdf_get_page_n(pdf, Int(qpdf_get_num_pages(pdf)) - 1)
            _ = qpdf_remove_page(pdf, last)
            _ = qpdf_add_page(pdf, pdf, last, QPDF_TRUE)
            try check("moving the front matter")
        }
        if let language, !language.isEmpty {
            qpdf_oh_replace_key(pdf, qpdf_get_root(pdf), "/Lang", qpdf_oh_new_unicode_string(pdf, language))
        }
        if let info { addMetadata(pdf, info) }
        if let printIntent, declaresPDFX4 { declarePDFX4(pdf, printIntent) }
        _ = qpdf_init_write_memory(pdf)
        _ = Self.fastestObjectStreams
        qpdf_set_object_stream_mode(pdf, qpdf_o_generate)
        if linearize { qpdf_set_linearization(pdf, QPDF_TRUE) }
        qpdf_set_stream_data_mode(pdf, qpdf_s_preserve)
        qpdf_set_deterministic_ID(pdf, QPDF_TRUE)
        withExtendedLifetime(foreign) { _ = qpdf_write(pdf) }
        try check("writing the PDF")
        guard let buffer = qpdf_get_buffer(pdf) else { throw FolioError("internal error: libqpdf wrote nothing") }
        let written = Data(bytes: buffer, count: qpdf_get_buffer_length(pdf))
        return try printIntent.map { try Self.printColours(written, $0) } ?? written
    }

    /// The object streams (the structure tree, most of a tagged issue's objects) compressed at
    /// zlib's fastest level: the 518-page issue's PDF 2 % larger, its writing ≈ 40 ms shorter.
    /// Set once, for every libqpdf in the process. (The page streams are Cairo's, kept as they are.)
    private static let fastestObjectStreams: Bool = {
        folio_qpdf_set_compression_level(1)
        return true
    }()

    /// `/TrimBox` and `/BleedBox` from the page's MediaBox.
    private func setBoxes(_ pdf: qpdf_data, _ page: qpdf_oh) {
        let media = qpdf_oh_get_key(pdf, page, "/MediaBox")
        guard qpdf_oh_is_array(pdf, media) == QPDF_TRUE, qpdf_oh_get_array_n_items(pdf, media) == 4 else { return }
        let n = (0..<4).map { qpdf_oh_get_numeric_value(pdf, qpdf_oh_get_array_item(pdf, media, Int32($0))) }
        func box(_ inset: Double) -> qpdf_oh {
            let a = qpdf_oh_new_array(pdf)
            for v in [n[0] + inset, n[1] + inset, n[2] - inset, n[3] - inset] { qpdf_oh_append_item(pdf, a, qpdf_oh_new_real_from_double(pdf, v, 3)) }
            return a
        }
        qpdf_oh_replace_key(pdf, page, "/TrimBox", box(slug + bleed))
        qpdf_oh_replace_key(pdf, page, "/BleedBox", box(slug))
    }

    /// A page with links is read in the order of its structure (`/Tabs /S`), and each link says
    /// where it goes (`/Contents`: the title of the article it opens, or the address), as PDF/UA asks: Cairo 1.16
    /// writes neither.
    private func describeLinks(_ pdf: qpdf_data, _ page: qpdf_oh) {
        let annotations = qpdf_oh_get_key(pdf, page, "/Annots")
        guard qpdf_oh_is_array(pdf, annotations) == QPDF_TRUE, qpdf_oh_get_array_n_items(pdf, annotations) > 0 else { return }
        qpdf_oh_replace_key(pdf, page, "/Tabs", qpdf_oh_new_name(pdf, "/S"))
        for i in 0..<qpdf_oh_get_array_n_items(pdf, annotations) {
            let link = qpdf_oh_get_array_item(pdf, annotations, i)
            // An address in the text: the link says where it goes.
            let action = qpdf_oh_get_key(pdf, link, "/A")
            if qpdf_oh_has_key(pdf, link, "/Contents") == QPDF_FALSE, qpdf_oh_is_dictionary(pdf, action) == QPDF_TRUE,
               case let uri = qpdf_oh_get_key(pdf, action, "/URI"), qpdf_oh_is_string(pdf, uri) == QPDF_TRUE,
               let address = qpdf_oh_get_utf8_value(pdf, uri) {
                qpdf_oh_replace_key(pdf, link, "/Contents", qpdf_oh_new_unicode_string(pdf, address))
                continue
            }
            let destination = qpdf_oh_get_key(pdf, link, "/Dest")
            guard qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, link, "/Subtype"), "/Link") == QPDF_TRUE,
                  qpdf_oh_has_key(pdf, link, "/Contents") == QPDF_FALSE,
                  qpdf_oh_is_string(pdf, destination) == QPDF_TRUE, let name = qpdf_oh_get_utf8_value(pdf, destination),
                  let title = destinationTitles[String(cString: name)] else { continue }
            qpdf_oh_replace_key(pdf, link, "/Contents", qpdf_oh_new_unicode_string(pdf, title))
        }
    }

    // MARK: Structure (see StructureTagger)

    /// Structure types whose kids are marked content (and links), never a figure or a table.
    static let holdsOnlyContent: Set<String> = ["/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Span", "/Link", "/Lbl", "/TD", "/Caption"]

    /// The structure type (`/S`) of a structure element, or nil for anything else.
    private func type(_ pdf: qpdf_data, _ oh: qpdf_oh) -> String? {
        guard qpdf_oh_is_dictionary(pdf, oh) == QPDF_TRUE else { return nil }
        let s = qpdf_oh_get_key(pdf, oh, "/S")
        defer { qpdf_oh_release(pdf, s) }
        guard qpdf_oh_is_name(pdf, s) == QPDF_TRUE, let name = qpdf_oh_get_name(pdf, s) else { return nil }
        return String(cString: name)
    }

    /// The `/K` kids of `element` as an array of handles.
    private func kids(_ pdf: qpdf_data, _ element: qpdf_oh) -> [qpdf_oh] {
        let k = qpdf_oh_get_key(pdf, element, "/K")
        if qpdf_oh_is_array(pdf, k) == QPDF_TRUE { return (0..<qpdf_oh_get_array_n_items(pdf, k)).map { qpdf_oh_get_array_item(pdf, k, $0) } }
        return qpdf_oh_is_null(pdf, k) == QPDF_TRUE ? [] : [k]
    }

    private func setKids(_ pdf: qpdf_data, _ element: qpdf_oh, _ list: [qpdf_oh]) {
        let a = qpdf_oh_new_array(pdf)
        for k in list { qpdf_oh_append_item(pdf, a, k) }
        qpdf_oh_replace_key(pdf, element, "/K", a)
    }

    private func isElement(_ pdf: qpdf_data, _ oh: qpdf_oh, _ type: String) -> Bool {
        qpdf_oh_is_dictionary(pdf, oh) == QPDF_TRUE && qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, oh, "/S"), type) == QPDF_TRUE
    }

    /// Kids moved from `from` to `into`: marked-content ids given as bare numbers belong to
    /// `from`'s page, so they become marked-content references naming it.
    private func adopt(_ pdf: qpdf_data, _ kid: qpdf_oh, from: qpdf_oh, into: qpdf_oh) -> qpdf_oh {
        if qpdf_oh_is_integer(pdf, kid) == QPDF_TRUE {
            let mcr = qpdf_oh_new_dictionary(pdf)
            qpdf_oh_replace_key(pdf, mcr, "/Type", qpdf_oh_new_name(pdf, "/MCR"))
            qpdf_oh_replace_key(pdf, mcr, "/MCID", kid)
            qpdf_oh_replace_key(pdf, mcr, "/Pg", qpdf_oh_get_key(pdf, from, "/Pg"))
            return mcr
        }
        if qpdf_oh_is_dictionary(pdf, kid) == QPDF_TRUE, qpdf_oh_has_key(pdf, kid, "/S") == QPDF_TRUE {
            qpdf_oh_replace_key(pdf, kid, "/P", into)
        }
        return kid
    }

    /// Joins the page groups of one article into one `Art` and each `continuation` into the `P`
    /// before it, and points the parent tree's entries for the merged elements at the survivors.
    private func mergeStructure(_ pdf: qpdf_data) {
        let treeRoot = qpdf_oh_get_key(pdf, qpdf_get_root(pdf), "/StructTreeRoot")
        guard qpdf_oh_is_dictionary(pdf, treeRoot) == QPDF_TRUE,
              let document = kids(pdf, treeRoot).first(where: { isElement(pdf, $0, "/Document") }) else { return }
        // The page groups, in drawing order, as the tagger began them.
        let drawn = kids(pdf, document)
        guard drawn.count == groupArticles.count else { return }
        var replaced: [Int32: qpdf_oh] = [:]   // merged element's object id → the element it joined
        // One Art per article.
        var groups: [qpdf_oh] = [], groupLanguages: [String?] = []
        var lastArticle: String?
        for (g, id) in zip(drawn, groupArticles) {
            let article = isElement(pdf, g, "/Art") ? id : nil
            if let article, let lang = articleLanguages[article] {
                qpdf_oh_replace_key(pdf, g, "/Lang", qpdf_oh_new_unicode_string(pdf, lang))
            }
            if let article, article == lastArticle, let previous = groups.last {
                setKids(pdf, previous, kids(pdf, previous) + kids(pdf, g).map { adopt(pdf, $0, from: g, into: previous) })
                replaced[qpdf_oh_get_object_id(pdf, g)] = previous
            } else {
                groups.append(g)
                groupLanguages.append(article.flatMap { articleLanguages[$0] } ?? language)
            }
            lastArticle = article
        }
        // Figures in drawing order (the tree's order until the front matter moves) get their /Alt;
        // header cells say they head their column (Cairo 1.16 writes no attributes). Elements
        // that hold only content (paragraphs, headings, cells…) are not searched: a 500-page
        // issue has some 100,000 marked-content ids, and each handle costs libqpdf's C API a map entry.
        var figures: [qpdf_oh] = [], languages = 0
        func collect(_ e: qpdf_oh, _ depth: Int, _ language: String?) {
            guard depth < 32, var t = type(pdf, e) else { return }
            var language = language
            if t == "/" + StructureTagger.otherLanguage, languages < otherLanguages.count {
                // An element in another language: its own type, and its /Lang.
                let (real, own) = otherLanguages[languages]
                languages += 1
                t = "/" + real
                language = own
                qpdf_oh_replace_key(pdf, e, "/S", qpdf_oh_new_name(pdf, t))
                qpdf_oh_replace_key(pdf, e, "/Lang", qpdf_oh_new_unicode_string(pdf, own))
            }
            if t == "/Figure" { return figures.append(e) }
            if t == "/TH" {
                let a = qpdf_oh_new_dictionary(pdf)
                qpdf_oh_replace_key(pdf, a, "/O", qpdf_oh_new_name(pdf, "/Table"))
                qpdf_oh_replace_key(pdf, a, "/Scope", qpdf_oh_new_name(pdf, "/Column"))
                qpdf_oh_replace_key(pdf, e, "/A", a)
            }
            // Elements of text hold only marked content — unless runs of Chinese were tagged in
            // them (`StructureTagger.marksChineseRuns`).
            if Self.holdsOnlyContent.contains(t) || t == "/TH", !StructureTagger.marksChineseRuns(in: language) { return }
            for k in kids(pdf, e) {
                if qpdf_oh_is_dictionary(pdf, k) == QPDF_TRUE && qpdf_oh_has_key(pdf, k, "/S") == QPDF_TRUE { collect(k, depth + 1, language) } else { qpdf_oh_release(pdf, k) }
            }
        }
        for (g, language) in zip(groups, groupLanguages) { collect(g, 0, language) }
        for (figure, alt) in zip(figures, figureAlts) where !alt.isEmpty {
            qpdf_oh_replace_key(pdf, figure, "/Alt", qpdf_oh_new_unicode_string(pdf, alt))
        }
        // The front matter's groups (one per page, drawn last) move to the front with its pages.
        let front = min(moveLastToFront, groups.count)
        setKids(pdf, document, Array(groups.suffix(front)) + Array(groups.dropLast(front)))
        // Each continuation into the element it continues (a P, a Table), within its (now whole) group.
        for g in groups {
            var list: [qpdf_oh] = [], types: [String?] = []
            for e in kids(pdf, g) {
                let t = type(pdf, e)
                if t == "/" + StructureTagger.listContinuation {
                    if let j = types.lastIndex(of: "/L") {
                        mergeList(pdf, e, into: list[j], &replaced)
                    } else {
                        qpdf_oh_replace_key(pdf, e, "/S", qpdf_oh_new_name(pdf, "/L"))
                        list.append(e); types.append("/L")
                    }
                    continue
                }
                guard let t, let (tag, target) = StructureTagger.continuations.first(where: { "/" + $0.key == t }) else {
                    list.append(e); types.append(t)
                    continue
                }
                if let j = types.lastIndex(where: { $0 == "/" + target || $0 == "/" + tag }), types[j] == "/" + target {
                    // The element's own bare ids keep naming its /Pg; the continuation's become references to its page.
                    let into = list[j]
                    setKids(pdf, into, kids(pdf, into) + kids(pdf, e).map { adopt(pdf, $0, from: e, into: into) })
                    replaced[qpdf_oh_get_object_id(pdf, e)] = into
                } else {
                    qpdf_oh_replace_key(pdf, e, "/S", qpdf_oh_new_name(pdf, "/" + target))
                    list.append(e); types.append("/" + target)
                }
            }
            setKids(pdf, g, list)
        }
        guard !replaced.isEmpty else { return }
        repoint(pdf, qpdf_oh_get_key(pdf, treeRoot, "/ParentTree"), replaced, depth: 0)
    }

    /// Joins a list that goes on from the page before (`StructureTagger.listContinuation`) to
    /// its `L`: its items become the list's, what comes before them goes on in the list's last
    /// `LBody` — a paragraph's rest (`continuation`) in that body's last `P`, an inner list's
    /// continuation in that body's last `L`, the same way.
    private func mergeList(_ pdf: qpdf_data, _ e: qpdf_oh, into l: qpdf_oh, _ replaced: inout [Int32: qpdf_oh]) {
        var items = kids(pdf, l)
        let body = items.last { isElement(pdf, $0, "/LI") }.flatMap { kids(pdf, $0).last { isElement(pdf, $0, "/LBody") } }
        var inBody = body.map { kids(pdf, $0) } ?? []
        for k in kids(pdf, e) {
            if isElement(pdf, k, "/LI") || body == nil {
                items.append(adopt(pdf, k, from: e, into: l))
            } else if isElement(pdf, k, "/" + StructureTagger.listContinuation), let inner = inBody.last(where: { isElement(pdf, $0, "/L") }) {
                mergeList(pdf, k, into: inner, &replaced)
            } else if isElement(pdf, k, "/" + StructureTagger.continuation), let p = inBody.last(where: { isElement(pdf, $0, "/P") }) {
                setKids(pdf, p, kids(pdf, p) + kids(pdf, k).map { adopt(pdf, $0, from: k, into: p) })
                replaced[qpdf_oh_get_object_id(pdf, k)] = p
            } else {
                // (Nothing to go on with: a list or paragraph of its own.)
                if isElement(pdf, k, "/" + StructureTagger.listContinuation) { qpdf_oh_replace_key(pdf, k, "/S", qpdf_oh_new_name(pdf, "/L")) }
                if isElement(pdf, k, "/" + StructureTagger.continuation) { qpdf_oh_replace_key(pdf, k, "/S", qpdf_oh_new_name(pdf, "/P")) }
                inBody.append(adopt(pdf, k, from: e, into: body!))
            }
        }
        if let body { setKids(pdf, body, inBody) }
        setKids(pdf, l, items)
        replaced[qpdf_oh_get_object_id(pdf, e)] = l
    }

    /// Replaces references to merged elements in the parent tree (a number tree).
    private func repoint(_ pdf: qpdf_data, _ node: qpdf_oh, _ replaced: [Int32: qpdf_oh], depth: Int) {
        guard depth < 8, qpdf_oh_is_dictionary(pdf, node) == QPDF_TRUE else { return }
        let children = qpdf_oh_get_key(pdf, node, "/Kids")
        if qpdf_oh_is_array(pdf, children) == QPDF_TRUE {
            for i in 0..<qpdf_oh_get_array_n_items(pdf, children) { repoint(pdf, qpdf_oh_get_array_item(pdf, children, i), replaced, depth: depth + 1) }
        }
        let nums = qpdf_oh_get_key(pdf, node, "/Nums")
        guard qpdf_oh_is_array(pdf, nums) == QPDF_TRUE else { return }
        for i in stride(from: 1, to: qpdf_oh_get_array_n_items(pdf, nums), by: 2) {
            let value = qpdf_oh_get_array_item(pdf, nums, i)
            if qpdf_oh_is_array(pdf, value) == QPDF_TRUE {
                for j in 0..<qpdf_oh_get_array_n_items(pdf, value) {
                    if let to = replaced[qpdf_oh_get_object_id(pdf, qpdf_oh_get_array_item(pdf, value, j))] { qpdf_oh_set_array_item(pdf, value, j, to) }
                }
            } else if let to = replaced[qpdf_oh_get_object_id(pdf, value)] {
                qpdf_oh_set_array_item(pdf, nums, i, to)
            }
        }
    }
}
