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
    /// What each element begun as `StructureTagger.waitedBlock` is and its key, and the key of
    /// each empty `waitedFrom` element, in drawing order: the block goes where that one is.
    public var waited: [(type: String, key: String)] = []
    public var waitedAt: [String] = []
    /// What a screen reader reads for each contents entry's `Reference` in drawing order
    /// (`StructureTagger.entryTexts`), as its `/ActualText`.
    public var entryTexts: [String] = []
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
    /// Whether some line draws a link (`StructureTagger.drawsLineLinks`): a link broken over
    /// lines is then made one `Link` element (`joinBrokenLinks`).
    var joinsBrokenLinks = false
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
}
