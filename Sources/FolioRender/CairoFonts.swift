/// Cairo font faces opened from `FontRef`s (file + index + size), cached per renderer.
/// The same files Pango measured are drawn, at 72 dpi with unhinted metrics, so PDF and PNG match.
///
/// A document whose pages are known before they are drawn (`beginDocument`) is drawn from
/// subsets of its CFF fonts (`FontSubsetter`): one per font kept across documents — the first
/// document's glyphs, then (from the second document on) the common characters and the glyphs
/// the document shares with earlier ones, a subset the user's cache keeps for the next worker
/// and run — or, when that lacks some of the document's glyphs, one made for the document
/// alone; once documents keep lacking rare ideographs, widened to every CJK Unified Ideograph
/// (`Kept.wide`). Once documents keep drawing glyphs seen before, a second, smaller subset of
/// just the glyphs documents drew serves those it holds (`Kept.usual`): Cairo copies the whole
/// font program of the subset a document is drawn from, twice per PDF.
import CPangoCairo
import FolioCore

final class CairoFonts {
    private var faces: [FaceKey: OpaquePointer] = [:]       // → cairo_font_face_t
    private var scaled: [FontRef: OpaquePointer] = [:]      // → cairo_scaled_font_t
    private let options: OpaquePointer

    /// A font's kept subset, the glyphs documents needed beyond it, and how many documents needed
    /// only glyphs that earlier documents had needed too (a larger kept subset would have served).
    struct Kept {
        var subset: FontSubsetter.Subset
        /// Whether it holds the common characters (added when a second document needs more than
        /// the first: a single PDF, `folio render`, never pays for them).
        var seeded = false
        var wanted: Set<UInt32> = []
        var wouldHaveServed = 0
        /// Every glyph the documents drew, and a subset of just those (made when `usualGrowth`
        /// documents drew only glyphs seen before and it lacked some of them): an archive's
        /// documents draw a thousand or two of the seeded subset's 7,000 glyphs, and Cairo copies
        /// the whole font program of the subset a document is drawn from, twice per PDF — with
        /// the smaller one a batch article takes a tenth less CPU.
        var seen: Set<UInt32> = []
        var usual: FontSubsetter.Subset?
        var usualWouldHaveServed = 0
        var usualMade = 0
        /// How many documents that drew only glyphs seen before make the usual subset again:
        /// twice as many each time, so that a font whose documents keep bringing new glyphs is
        /// subset a few times per worker, not once every few documents.
        var usualGrowth: Int { CairoFonts.growth << usualMade }
        /// The glyphs beyond the common characters it was seeded with (see `prepare`).
        var extras: Set<UInt32> = []
        /// Documents since it was seeded, how many of them needed a subset of their own for
        /// ideographs among other glyphs, and whether it was widened to every CJK Unified Ideograph
        /// (`FontSubsetter.widened`): once `growth` documents, and a quarter of those since
        /// seeding, needed their own for ideographs it lacked.
        var sinceSeeded = 0
        var owned = 0
        var wide = false
    }
    private(set) var kept: [FaceKey: Kept] = [:]
    /// Whether the first document is drawn from a seeded subset in the cache when there is one
    /// for it (`RenderResources.manyDocuments`).
    var firstFromCache = false
    /// The kept subsets' scaled fonts, by face (a font has its kept and its usual subset) and size.
    private struct Scaled: Hashable {
        let face: UInt
        let ref: FontRef
        init(_ face: OpaquePointer, _ ref: FontRef) { (self.face, self.ref) = (Self.id(face), ref) }
        static func id(_ face: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: face)) }
    }
    private var keptScaled: [Scaled: OpaquePointer] = [:]
    /// The current document's subsets, by font: kept ones, or its own (`own`, released after it).
    private(set) var document: [FaceKey: FontSubsetter.Subset] = [:]
    private(set) var own: Set<FaceKey> = []
    private var documentScaled: [FontRef: OpaquePointer] = [:]
    private var retiredScaled: [OpaquePointer] = []
    private var retiredFaces: [OpaquePointer] = []
    private(set) lazy var subsetter = FontSubsetter()
    /// A kept subset grows (is made again with every glyph documents wanted) once `growth`
    /// documents needed only glyphs that earlier ones had wanted too — names and places that
    /// recur. Glyphs that never recur (a stream of rare characters) do not make it grow, and it
    /// stops at `largest` glyphs.
    static let growth = 4
    static let largest = 12_000
    /// The usual subset is made only while documents have drawn at most this many glyphs of the
    /// font, and fewer than half of the kept subset's: past that it would save little.
    static let usualLargest = 3_000

    init() {
        options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    }

    deinit {
        GlyphCacheLock.lock.withLock {
            endDocument()
            for s in keptScaled.values { cairo_scaled_font_destroy(s) }
            for k in kept.values { cairo_font_face_destroy(k.subset.face); k.usual.map { cairo_font_face_destroy($0.face) } }
            for s in scaled.values { cairo_scaled_font_destroy(s) }
            for f in faces.values { cairo_font_face_destroy(f) }
        }
        cairo_font_options_destroy(options)
    }

    /// A font to draw with, and the ids its glyphs have in it.
    struct Drawn {
        /// A `cairo_scaled_font_t`.
        let font: OpaquePointer
        /// A subset's ids of the glyphs, at their ids in the whole font; nil: the whole font.
        let ids: [UInt16]?

        /// The id in this font of the whole font's glyph `id`.
        func glyph(_ id: Int) -> UInt { ids.map { UInt($0[id]) } ?? UInt(id) }
    }

    /// The face to draw `ref` with: the document's subset of the font, or the whole font.
    func font(_ ref: FontRef) throws -> Drawn {
        let key = FaceKey(ref)
        guard let subset = document[key] else { return Drawn(font: try scaledFont(ref), ids: nil) }
        if own.contains(key) { return Drawn(font: try cachedScale(&documentScaled, ref, subset.face, ref), ids: subset.ids) }
        return Drawn(font: try cachedScale(&keptScaled, Scaled(subset.face, ref), subset.face, ref), ids: subset.ids)
    }

    /// The whole font. The corresponding C calls: `cairo_ft_font_face_create_for_pattern`,
    /// `cairo_scaled_font_create`.
    func scaledFont(_ ref: FontRef) throws -> OpaquePointer {
        if let s = scaled[ref] { return s }
        let key = FaceKey(ref)
        let face: OpaquePointer
        if let f = faces[key] { face = f } else {
            guard let pattern = FcPatternCreate() else { throw FolioError("out of memory opening \(ref.file)") }
            defer { FcPatternDestroy(pattern) }
            _ = FcPatternAddString(pattern, FC_FILE, ref.file)
            _ = FcPatternAddInteger(pattern, FC_INDEX, Int32(ref.index))
            guard let f = cairo_ft_font_face_create_for_pattern(pattern), cairo_font_face_status(f) == CAIRO_STATUS_SUCCESS else {
                throw FolioError("Cairo cannot open the font \(ref.file)")
            }
            faces[key] = f
            face = f
        }
        let s = try scale(face, ref)
        scaled[ref] = s
        return s
    }

    /// Draws the CFF fonts of `pages` from subsets until `endDocument`. Makes subsets (HarfBuzz)
    /// but releases no Cairo font, so it may run outside `GlyphCacheLock.lock`. `closingFiles`:
    /// each font file is closed once its subset is made (a long document, `PDFWriter`).
    func beginDocument(_ pages: [Page], closingFiles: Bool = false) {
        for (key, glyphs) in FontSubsetter.glyphs(on: pages) {
            prepare(key, glyphs)
            document[key]?.serve(glyphs)   // its cmap cut to these glyphs (`SubsetCmap`)
            if closingFiles { subsetter.close(key) }
        }
    }

    /// The subset to draw font `key` with in this document: the usual one, the kept one, grown,
    /// or its own.
    private func prepare(_ key: FaceKey, _ glyphs: Set<UInt32>) {
        guard var k = kept[key] else {
            // The first document of many: drawn from a seeded subset an earlier worker or run kept
            // in the cache when it holds the document's glyphs beyond the common characters (read
            // in a few milliseconds: making a subset of the document's glyphs took 5–20), else
            // from one of its glyphs alone. (A single PDF is drawn faster from the small one:
            // Cairo and FreeType read less.)
            if firstFromCache, let seeded = subsetter.cachedSeed(key, holding: glyphs) {
                kept[key] = Kept(subset: seeded.subset, seeded: true, seen: glyphs, extras: seeded.extras)
                document[key] = seeded.subset
            } else if let made = subsetter.subset(key, glyphs: glyphs, common: false) {
                kept[key] = Kept(subset: made, seen: glyphs)
                document[key] = made
            }
            return
        }
        defer { kept[key] = k }
        if k.seeded { k.sinceSeeded += 1 }
        // (Filtered: `subtracting` walked the kept subset's thousands of glyphs for every document.)
        if let usual = k.usual, glyphs.allSatisfy(usual.glyphs.contains) {
            document[key] = usual
            return
        }
        let seenBefore = glyphs.allSatisfy(k.seen.contains)
        // The glyphs beyond the common characters that a kept subset is seeded with: those this
        // document shares with earlier ones (a template's ornaments, not a name's rare
        // characters), so that workers and runs printing the same kind of document seed it with
        // the same glyphs and find it in the cache (`FontSubsetter.cache`).
        let recurring = k.seeded ? [] : glyphs.intersection(k.seen)
        k.seen.formUnion(glyphs)
        if k.seeded && seenBefore { k.usualWouldHaveServed += 1 }
        if k.usualWouldHaveServed >= k.usualGrowth, k.seen.count <= Self.usualLargest, 2 * k.seen.count < k.subset.glyphs.count,
           let made = subsetter.subset(key, glyphs: k.seen, common: false) {
            if let old = k.usual { retire(old.face) }
            k.usual = made
            k.usualWouldHaveServed = 0
            k.usualMade += 1
            document[key] = made
            return
        }
        let missing = glyphs.filter { !k.subset.glyphs.contains($0) }
        if missing.isEmpty {
            document[key] = k.subset
            return
        }
        var lacking = missing
        if !k.seeded, let seeded = subsetter.subset(key, glyphs: recurring, common: true) {
            retire(k.subset.face)
            (k.subset, k.seeded, k.wanted, k.wouldHaveServed, k.extras) = (seeded, true, [], 0, recurring)
            lacking = glyphs.filter { !seeded.glyphs.contains($0) }
            if lacking.isEmpty {
                document[key] = seeded
                return
            }
            k.wanted = lacking
        } else {
            if missing.isSubset(of: k.wanted) { k.wouldHaveServed += 1 }
            k.wanted.formUnion(missing)
            if k.seeded, k.wouldHaveServed >= Self.growth, k.subset.glyphs.count < Self.largest || k.wide,
               let grown = subsetter.subset(key, glyphs: k.subset.glyphs.union(k.wanted), common: false) {
                retire(k.subset.face)
                (k.subset, k.wanted, k.wouldHaveServed) = (grown, [], 0)
                document[key] = grown
                return
            }
        }
        if k.seeded, !k.wide, subsetter.holdsIdeograph(key, lacking) {
            k.owned += 1
            // (Widened with the glyphs it was seeded with and those documents lacked — beyond
            // the ideographs, which it holds all of, mostly a template's forms that no character
            // maps to: the same glyphs in every worker, found in the cache.)
            if k.owned >= Self.growth, 4 * k.owned >= k.sinceSeeded,
               let wide = subsetter.subset(key, glyphs: k.extras.union(k.wanted).union(lacking), common: true, wide: true) {
                retire(k.subset.face)
                (k.subset, k.wide, k.wanted, k.wouldHaveServed) = (wide, true, [], 0)
                if glyphs.allSatisfy(wide.glyphs.contains) {
                    document[key] = wide
                    return
                }
            }
        }
        if let made = subsetter.subset(key, glyphs: glyphs, common: false) {   // else the whole font
            document[key] = made
            own.insert(key)
        }
    }

    /// A kept face replaced: released, with its scaled fonts, once the document is drawn.
    private func retire(_ face: OpaquePointer) {
        for (scaledKey, font) in keptScaled where scaledKey.face == Scaled.id(face) {
            retiredScaled.append(font)
            keptScaled[scaledKey] = nil
        }
        retiredFaces.append(face)
    }

    /// Back to the whole fonts (a streamed document's glyphs are not known in advance); the
    /// document's own subsets, and kept ones that grew, are released (Cairo keeps them while a
    /// surface still needs them). Under `GlyphCacheLock.lock`.
    func endDocument() {
        for s in documentScaled.values + retiredScaled { cairo_scaled_font_destroy(s) }
        for f in own.map({ document[$0]!.face }) + retiredFaces { cairo_font_face_destroy(f) }
        retiredScaled = []
        retiredFaces = []
        documentScaled = [:]
        document = [:]
        own = []
    }

    private func cachedScale<Key: Hashable>(_ cache: inout [Key: OpaquePointer], _ key: Key, _ face: OpaquePointer, _ ref: FontRef) throws -> OpaquePointer {
        if let s = cache[key] { return s }
        let s = try scale(face, ref)
        cache[key] = s
        return s
    }

    private func scale(_ face: OpaquePointer, _ ref: FontRef) throws -> OpaquePointer {
        var matrix = cairo_matrix_t(), ctm = cairo_matrix_t()
        cairo_matrix_init_scale(&matrix, ref.size, ref.size)
        cairo_matrix_init_identity(&ctm)
        let s = cairo_scaled_font_create(face, &matrix, &ctm, options)!
        guard cairo_scaled_font_status(s) == CAIRO_STATUS_SUCCESS else {
            throw FolioError("Cairo cannot scale the font \(ref.file) to \(ref.size) pt")
        }
        return s
    }
}
