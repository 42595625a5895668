/// Streams pages into a PDF through Cairo, then records TrimBox and BleedBox on every page and
/// moves the file into place atomically. Half-written files never appear under the final name.
import CCairoDeflate
import CPangoCairo
import FolioCore
import Foundation

/// Print options of a PDF.
public struct PDFOptions: Sendable {
    /// Crop and bleed marks outside the bleed, on a slug of this width around every page.
    public var marks = false
    /// Link annotations (the contents page's); the print variant leaves them out (PDF/X).
    public var links = true
    /// The print variant: CMYK images keep their inks, and with `printIntent` flat colours become
    /// the inks of its output condition, black overprinting (PrintX4.swift). Declared PDF/X-4
    /// here (`pdfx4`), or made PDF/X-3 next by Ghostscript (which leaves `/DeviceCMYK` and the
    /// overprint alone; soft masks become hard ones: PDF/X-3 allows no transparency).
    public var forPrint = false
    public var printIntent: PrintIntent?
    public var pdfx4 = false
    /// Linearized ("fast web view": the first page shows before the file has arrived), for
    /// PDFs read online — the archive's (`batch`) and `render --web`.
    public var linearize = false
    public var slug: Pt { marks ? mm(10) : 0 }
    public init(marks: Bool = false, links: Bool = true, forPrint: Bool = false, linearize: Bool = false) {
        self.marks = marks; self.links = links; self.forPrint = forPrint; self.linearize = linearize
    }
}

public final class PDFWriter {
    private let options: PDFOptions
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let drawer: PageDrawer
    private let finalPath: String
    private let tempPath: String
    private let sink: PDFSink
    private var bleed: Pt = 0
    private var finished = false
    private let info: DocumentInfo
    private let tagger = StructureTagger()
    public private(set) var pageCount = 0

    /// Opens `<path>.partial-<pid>` for writing. The corresponding C call: `cairo_pdf_surface_create`.
    /// `resources` may be shared by the PDFs one thread writes in turn (fonts and images are then
    /// opened once, not once per file).
    public init(path: String, info: DocumentInfo, options: PDFOptions = PDFOptions(), resources: RenderResources? = nil) throws {
        self.options = options
        tagger.documentLanguage = info.language
        tagger.articleLanguages = info.articleLanguages
        self.info = info
        drawer = (resources ?? RenderResources()).pdfDrawer
        drawer.images.keepsInks = options.forPrint
        finalPath = path
        tempPath = AtomicFile.temporaryPath(for: path)
        // The partial file is made now, so that an output folder that cannot be written is
        // reported before anything is composed; it is written when the PDF is finished.
        try AtomicFile.closeChecked(try AtomicFile.create(tempPath, finalPath: path), path: path)
        sink = PDFSink()
        guard let s = cairo_pdf_surface_create_for_stream(PDFSink.write, sink.closure, 595, 842),
              cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            unlink(tempPath)
            throw FolioError("cannot start the PDF \(path)")
        }
        surface = s
        cr = cairo_create(s)
        cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, info.title)
        if let a = info.author { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, a) }
        if let subj = info.subject { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subj) }
        if let k = info.keywords { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, k) }
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Folio")
        // Fixed dates: the same inputs give the same bytes (DESIGN principle 6).
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, info.date)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, info.date)
    }

    deinit {
        if !finished {
            GlyphCacheLock.lock.withLock {
                cairo_destroy(cr)
                cairo_surface_destroy(surface)
                drawer.fonts.endDocument()
            }
            unlink(tempPath)
        }
    }

    /// Pages are held until `finish`, so that the fonts can be subset for exactly the glyphs they
    /// draw (`FontSubsetter`: a PDF is written in a fraction of the time and size, and Cairo
    /// does not copy and subset whole 20 MB CJK fonts at the end — 50 MB of a 500-page issue's
    /// peak memory). A page held costs about 80 KB; past this many pages (a bound volume of an
    /// archive) the document streams instead: held pages are drawn with the whole fonts and
    /// released, and so is every later page, so memory stays flat.
    public static let heldPagesLimit = 1024
    private var held: [Page] = []
    private var streaming = false
    private var drawn = 0
    private var outline: [OutlineEntry] = []

    /// Takes one page: held for font subsetting, or drawn and released once the document streams.
    public func write(_ page: Page) throws {
        pageCount += 1
        if streaming { return try draw(page) }
        held.append(page)
        if held.count > Self.heldPagesLimit {
            streaming = true
            try drawHeld()
        }
    }

    /// Draws the held pages, each released once drawn. A long document gives their memory back
    /// as it goes (`folio_return_freed_memory`: pages made on the layout threads are freed into
    /// those threads' arenas, which the drawing on this thread would not reuse).
    private func drawHeld() throws {
        held.reverse()
        while let page = held.popLast() {
            try draw(page)
            if isLong && held.count % 128 == 0 { folio_return_freed_memory() }
        }
    }

    /// A document of more pages than this is not one of a batch's articles: its font files are
    /// closed once its subsets are made (reopening them costs little against such a document,
    /// and its peak memory is lower by the part of each 20 MB font that subsetting read), and
    /// the memory it frees is given back as it goes.
    public static let longDocument = 64
    private var isLong: Bool { pageCount > Self.longDocument }

    private func draw(_ page: Page) throws {
        try GlyphCacheLock.lock.withLock { try drawLocked(page) }
    }

    private func drawLocked(_ page: Page) throws {
        let slug = options.slug
        cairo_pdf_surface_set_size(surface, page.size.width + 2 * slug, page.size.height + 2 * slug)
        // Labels go by position in the finished file (pages drawn last may move to the front):
        // the caller numbers pages consecutively, so position k carries number first + k.
        cairo_pdf_surface_set_page_label(surface, "\(firstNumber + drawn)")
        bleed = page.bleed
        cairo_save(cr)
        cairo_translate(cr, slug, slug)
        try tagger.draw(options.links ? page : page.withoutLinks, with: drawer, on: cr)
        if options.marks { drawer.drawMarks(page, slug: slug, on: cr) }
        cairo_restore(cr)
        // Cairo writes the page's content stream now, the first stream it begins (then the
        // images and forms first drawn on the page): stored, not compressed, as the finisher
        // reads it, marks its artifacts and deflates it (PDFArtifacts.swift).
        folio_deflate_level_for_next_stream(0)
        cairo_show_page(cr)
        folio_deflate_level_for_next_stream(-1)
        drawn += 1
    }

    /// The page number (label) of the first page of the finished file.
    public var firstNumber = 1

    /// Adds outline entries (bookmarks), written when the document is finished; destinations
    /// must be anchors on its pages.
    public func addOutline(_ entries: [OutlineEntry]) { outline += entries }

    /// What named destinations other than the outline's are (headings links lead to), for the
    /// descriptions (`/Contents`) of the links that open them.
    public var destinationTitles: [String: String] = [:]

    /// The corresponding C call: `cairo_pdf_surface_add_outline`.
    private func writeOutline(_ entries: [OutlineEntry], parent: Int32 = 0) {
        for e in entries {
            let id = cairo_pdf_surface_add_outline(surface, parent, e.title, "dest='\(escape(e.destination))'",
                                                   cairo_pdf_outline_flags_t(rawValue: e.children.isEmpty ? 0 : 1))
            writeOutline(e.children, parent: id)
        }
    }

    /// Warnings about how pages were drawn (a PDF ad that cannot print as it is), in words.
    public var notes: [String] { drawer.pdfPages.notes }

    /// Finishes the PDF, adds the print boxes, moves the last `moveLastToFront` pages (a
    /// contents page drawn once page numbers were known) to the front, and renames it into place.

    public func finish(moveLastToFront: Int = 0) throws {
        if !held.isEmpty {
            if isLong { folio_return_freed_memory() }   // what composing the pages left behind
            drawer.fonts.beginDocument(held, closingFiles: isLong)
            try drawHeld()
        }
        writeOutline(outline)
        let status = GlyphCacheLock.lock.withLock {
            tagger.finish(on: cr)
            cairo_destroy(cr)
            // The font subsets and the rest Cairo writes now: stored, deflated by the finisher
            // with libdeflate (PDFFonts.swift), twice as fast as Cairo's zlib, no larger.
            folio_deflate_level_for_every_stream(0)
            cairo_surface_finish(surface)
            folio_deflate_level_for_every_stream(-1)
            let status = cairo_surface_status(surface)
            cairo_surface_destroy(surface)
            drawer.fonts.endDocument()
            return status
        }
        finished = true
        if isLong { folio_return_freed_memory() }   // Cairo's, before libqpdf reads the file
        do {
            guard status == CAIRO_STATUS_SUCCESS else {
                throw FolioError("writing \(finalPath) failed: \(String(cString: cairo_status_to_string(status)))")
            }
            let data = sink.take()
            var finisher = PDFFinisher(slug: options.slug, bleed: bleed, moveLastToFront: moveLastToFront, language: tagger.documentLanguage)
            finisher.groupArticles = tagger.groupArticles
            finisher.figureAlts = tagger.figureAlts
            finisher.otherLanguages = tagger.otherLanguages
            (finisher.waited, finisher.waitedAt) = (tagger.waited, tagger.waitedAt)
            finisher.entryTexts = tagger.entryTexts
            finisher.joinsBrokenLinks = tagger.drawsLineLinks
            finisher.articleLanguages = tagger.articleLanguages
            finisher.info = info
            // The outline's articles (its leaves: a section's entry goes to its first article's page).
            func articles(_ entries: [OutlineEntry]) -> [(String, String)] { entries.flatMap { $0.children.isEmpty ? [($0.destination, $0.title)] : articles($0.children) } }
            finisher.destinationTitles = Dictionary(articles(outline), uniquingKeysWith: { first, _ in first })
                .merging(destinationTitles) { outline, _ in outline }
            finisher.imageFixes = drawer.images.streamFixes
            finisher.hardensMasks = options.forPrint && !options.pdfx4
            finisher.printIntent = options.printIntent
            finisher.declaresPDFX4 = options.pdfx4
            finisher.linearize = options.linearize
            let boxed = try finisher.process(data)
            try AtomicFile.write(boxed, to: finalPath)
        } catch {
            unlink(tempPath)
            throw error
        }
    }
}

/// Cairo tag attributes quote strings with single quotes; escape them.
func escape(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") }

/// Fonts and images opened for drawing, to be reused by one thread across the PDFs it writes.
/// Not thread-safe (Cairo objects): one per worker.
public final class RenderResources {
    let pdfDrawer = PageDrawer(images: .passThrough)
    public init() {}
    /// Whether many documents will be drawn (a batch): the first may then be drawn from a kept
    /// font subset an earlier worker or run left in the user's cache (`CairoFonts`). A single
    /// PDF is drawn faster from a subset of its own glyphs.
    public var manyDocuments: Bool {
        get { pdfDrawer.fonts.firstFromCache }
        set { pdfDrawer.fonts.firstFromCache = newValue }
    }
}

/// Where Cairo's PDF bytes go: memory, for `PDFFinisher` (libqpdf reads them from there; the
/// finished file is written once, by `AtomicFile`, which names a failed write by its cause —
/// a full disk, a read-only or vanished volume). Cairo wrote to the partial file in thousands
/// of small writes before, and the file was read back whole.
///
/// Cairo writes a PDF in some 2,000 pieces an archive article (every number it prints): the
/// pieces go into one growing block through a plain pointer — appending to a `Data` held by the
/// sink paid Foundation's and Swift's exclusivity checks on every piece, 1–2 % of a batch — and
/// the block becomes the `Data` handed over without a copy.
final class PDFSink {
    private struct Block {
        var base: UnsafeMutableRawPointer?
        var count = 0
        var capacity = 0
    }
    private let block: UnsafeMutablePointer<Block>
    /// What Cairo's callback gets: the block.
    var closure: UnsafeMutableRawPointer { UnsafeMutableRawPointer(block) }

    init() {
        block = .allocate(capacity: 1)
        block.initialize(to: Block())
    }

    deinit {
        free(block.pointee.base)
        block.deinitialize(count: 1)
        block.deallocate()
    }

    /// The bytes so far, handed over (the sink is empty after).
    func take() -> Data {
        defer { block.pointee = Block() }
        guard let base = block.pointee.base else { return Data() }
        return Data(bytesNoCopy: base, count: block.pointee.count, deallocator: .free)
    }

    /// The corresponding C type: `cairo_write_func_t`.
    static let write: cairo_write_func_t = { closure, data, length in
        let block = closure!.assumingMemoryBound(to: Block.self)
        guard let data, length > 0 else { return CAIRO_STATUS_SUCCESS }
        let n = Int(length), count = block.pointee.count
        if count + n > block.pointee.capacity {
            let capacity = max(64 << 10, 2 * (count + n))
            guard let grown = realloc(block.pointee.base, capacity) else { return CAIRO_STATUS_NO_MEMORY }
            block.pointee.base = grown
            block.pointee.capacity = capacity
        }
        memcpy(block.pointee.base! + count, data, n)
        block.pointee.count = count + n
        return CAIRO_STATUS_SUCCESS
    }
}
