/// Font subsets made with HarfBuzz before Cairo sees the fonts.
///
/// Cairo 1.16 subsets CFF fonts itself when a PDF is finished, but it first copies the whole
/// `CFF ` table and writes every global and local subroutine of the font into each PDF. For the
/// CJK fonts (26 MB collections, 65,535 glyphs) that was three quarters of the time of a short
/// PDF. HarfBuzz cuts a CFF font down to a few thousand glyphs (subroutines expanded, glyphs
/// numbered anew), and Cairo embeds from that small font instead: same outlines, a fraction of
/// the time and of the bytes. `CairoFonts` keeps such subsets across the PDFs a thread writes.
import CLibdeflate
import CPangoCairo
import FolioCore
import Foundation

/// A font face: a file and the face's index in it (any size).
struct FaceKey: Hashable {
    let file: String
    let index: Int
    init(_ ref: FontRef) { file = ref.file; index = ref.index }
}

final class FontSubsetter {
    /// Opened font files (hb_face_t), kept for the PDFs this thread writes.
    private var faces: [FaceKey: OpaquePointer] = [:]
    /// Whether the face has CFF outlines (the fonts Cairo is slow with); others are left alone.
    private var isCFF: [FaceKey: Bool] = [:]

    deinit { for f in faces.values { hb_face_destroy(f) } }

    /// The glyphs each font face draws on `pages`.
    static func glyphs(on pages: [Page]) -> [FaceKey: Set<UInt32>] {
        // A bit per glyph id while the pages are walked, each font's set made once at the end:
        // a 518-page issue draws half a million glyphs, which, inserted into sets one by one,
        // took 25 ms (of a serial 0.09 s before drawing). Ids past 16 bits (none a font has:
        // Pango's unknown-glyph marks) are kept in a set as they are.
        var keys: [FaceKey] = [], bits: [[UInt64]] = [], beyond: [Set<UInt32>] = []
        var k = -1
        for page in pages {
            for case .text(let t) in page.items {
                for run in t.line.runs where !run.glyphs.isEmpty {
                    let key = FaceKey(run.font)
                    if k < 0 || keys[k] != key {
                        if let i = keys.firstIndex(of: key) { k = i } else {
                            keys.append(key); bits.append([UInt64](repeating: 0, count: 1 << 10)); beyond.append([])
                            k = keys.count - 1
                        }
                    }
                    bits[k].withUnsafeMutableBufferPointer { words in
                        run.glyphs.withUnsafeBufferPointer { glyphs in
                            for g in glyphs {
                                if g.id < 1 << 16 { words[Int(g.id >> 6)] |= 1 << UInt64(g.id & 63) } else { beyond[k].insert(g.id) }
                            }
                        }
                    }
                }
            }
        }
        var used: [FaceKey: Set<UInt32>] = [:]
        for (i, key) in keys.enumerated() {
            var set = beyond[i]
            set.reserveCapacity(set.count + bits[i].reduce(0) { $0 + $1.nonzeroBitCount })
            for (w, word) in bits[i].enumerated() where word != 0 {
                var rest = word
                while rest != 0 {
                    set.insert(UInt32(w << 6 + rest.trailingZeroBitCount))
                    rest &= rest - 1
                }
            }
            used[key] = set
        }
        return used
    }

    /// A Cairo face holding some glyphs of a font, numbered anew.
    struct Subset {
        let face: OpaquePointer
        /// The glyphs it holds, by their ids in the whole font.
        let glyphs: Set<UInt32>
        /// Each glyph's id in the subset, at its id in the whole font (0 for the glyphs it lacks).
        let ids: [UInt16]
        /// Its cmap as Cairo reads it back, to be cut to each document's glyphs (`SubsetCmap`).
        var cmap: SubsetCmap? = nil

        /// Readies the subset for a document drawing `glyphs` (ids in the whole font).
        func serve(_ glyphs: Set<UInt32>) {
            cmap?.serve(glyphs.lazy.map { Int(self.ids[Int($0)]) })
        }
    }

    /// A subset of the CFF font `key` holding `glyphs` (plus .notdef, and with `common` the glyphs
    /// of the common characters), or nil when the font is not CFF or cannot be subset — the
    /// caller then draws with the whole font. What Cairo embeds from a subset depends only on the
    /// glyphs a document draws, not on which subset it was drawn from (DESIGN principle 6: the
    /// same bytes whatever was written before): Cairo numbers the glyphs it embeds in the order
    /// the document first draws them, whatever their ids in the subset — all but the subset's
    /// name tag, which Cairo makes from those ids and the finisher makes again from the font
    /// program (`PDFFonts.swift`). (Kept under their ids in the whole font — HarfBuzz's
    /// RETAIN_GIDS — a subset of a CJK font has 65,535 glyphs, nearly all empty, which Cairo
    /// reads and frees for every PDF: 6 % of a batch's time.)
    /// The corresponding C calls: `hb_subset_plan_create_or_fail`,
    /// `hb_subset_plan_old_to_new_glyph_mapping`, `hb_subset_plan_execute_or_fail`,
    /// `FT_New_Memory_Face`, `cairo_ft_font_face_create_for_ft_face`.
    /// `wide`: with the glyphs of every CJK Unified Ideograph too (`wideCharacters`); `onlyCached`:
    /// nil unless the cache holds it.
    func subset(_ key: FaceKey, glyphs: Set<UInt32>, common withCommon: Bool, wide: Bool = false, onlyCached: Bool = false) -> Subset? {
        guard let face = face(key), isCFF[key] == true else { return nil }
        let count = hb_face_get_glyph_count(face)
        guard glyphs.allSatisfy({ $0 < count }) else { return nil }
        let glyphs = wide ? glyphs.union(widened(key, face)) : withCommon ? glyphs.union(common(key, face)) : glyphs.union([0])
        // A subset with the common characters (7,000 glyphs: 0.08–0.12 s each, the largest part
        // of a batch worker's start) or every ideograph (21,000: ~0.3 s) is kept in the user's
        // cache for the next worker and run.
        let sorted = withCommon || wide ? glyphs.sorted() : []
        let kept = sorted.isEmpty ? nil : Self.cache.map { ($0, $0.file(Self.cacheKey(key), bytes: Self.bytes(of: sorted))) }
        let made = kept.flatMap { Self.cached(in: $0.0, at: $0.1, glyphs: sorted, fontGlyphs: count) }
        guard let (blob, ids) = made ?? (onlyCached ? nil : make(face, glyphs: glyphs, count: count)) else { return nil }
        defer { hb_blob_destroy(blob) }
        if made == nil, let (folder, file) = kept { Self.keep(blob, ids: ids, glyphs: sorted, in: folder, at: file) }
        // (Writable in place: HarfBuzz made the blob, or it holds bytes read from the cache; the
        // face is opened on these bytes.)
        let characters = characters(key, face)
        var length: UInt32 = 0
        let cmap = hb_blob_get_data_writable(blob, &length).flatMap { data in
            let subsetFace = hb_face_create(blob, 0)
            defer { hb_face_destroy(subsetFace) }
            var read = [Int32](repeating: -1, count: Int(hb_face_get_glyph_count(subsetFace)))
            for g in glyphs where characters[Int(g)] != Self.noCharacter && Int(ids[Int(g)]) < read.count {
                read[Int(ids[Int(g)])] = Int32(characters[Int(g)])
            }
            return SubsetCmap(sfnt: UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self), length: Int(length), characters: read)
        }
        guard let cairoFace = folio_cairo_face_from_blob(blob) else { return nil }
        guard cairo_font_face_status(cairoFace) == CAIRO_STATUS_SUCCESS else {
            cairo_font_face_destroy(cairoFace)
            return nil
        }
        return Subset(face: cairoFace, glyphs: glyphs, ids: ids, cmap: cmap)
    }

    /// The subset with the common characters and the glyphs of `glyphs` beyond them (`extras`),
    /// if the cache holds it; nil, having made nothing, when it does not (or holds no subset at
    /// all: then not even the common characters are looked up).
    func cachedSeed(_ key: FaceKey, holding glyphs: Set<UInt32>) -> (subset: Subset, extras: Set<UInt32>)? {
        guard let folder = Self.cache, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
              names.contains(where: { !$0.hasPrefix(".") }), let face = face(key), isCFF[key] == true else { return nil }
        let extras = glyphs.subtracting(common(key, face))
        return subset(key, glyphs: extras, common: true, onlyCached: true).map { ($0, extras) }
    }

    /// The subset of `face` holding `glyphs`, as a font file's bytes, and each glyph's id in it
    /// (at its id in the whole font, which has `count` glyphs).
    private func make(_ face: OpaquePointer, glyphs: Set<UInt32>, count: UInt32) -> (OpaquePointer, [UInt16])? {
        made += 1
        guard let input = hb_subset_input_create_or_fail() else { return nil }
        defer { hb_subset_input_destroy(input) }
        let set = hb_subset_input_glyph_set(input)
        for g in glyphs { hb_set_add(set, g) }
        // (No characters asked for: HarfBuzz keeps in the subset's cmap every character the
        // font maps to a glyph it holds, which `SubsetCmap` then cuts to a document's.)
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_DESUBROUTINIZE.rawValue
                                  | HB_SUBSET_FLAGS_NOTDEF_OUTLINE.rawValue)
        // Only the tables Cairo reads to embed a CFF font are kept: shaping is done, and the PDF's
        // text comes from the runs (ToUnicode); the small cmap only spares Cairo its slow lookup.
        let drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
        for tag in Self.dropped { hb_set_add(drop, Self.tag(tag)) }
        guard let plan = hb_subset_plan_create_or_fail(face, input) else { return nil }
        defer { hb_subset_plan_destroy(plan) }
        let mapping = hb_subset_plan_old_to_new_glyph_mapping(plan)
        var ids = [UInt16](repeating: 0, count: Int(count))
        for g in glyphs {
            guard hb_map_has(mapping, g) != 0 else { return nil }
            ids[Int(g)] = UInt16(truncatingIfNeeded: hb_map_get(mapping, g))
        }
        guard let subset = hb_subset_plan_execute_or_fail(plan) else { return nil }
        defer { hb_face_destroy(subset) }
        return (hb_face_reference_blob(subset), ids)
    }
    /// How many subsets HarfBuzz made (not read from the cache).
    private(set) var made = 0
    private static let dropped = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG"]

    // MARK: Subsets kept between runs

    /// The cache folder of subsets (a few megabytes each); nil when there is no user cache.
    static var cache: CacheFolder? { CacheFolder("subsets", limit: cacheLimit) }
    nonisolated(unsafe) static var cacheLimit = 64 << 20
    private static let magic: [UInt8] = Array("FSB1".utf8)

    /// What a subset of `key` is made from besides its glyphs: the font file as it is now and
    /// the HarfBuzz that cuts it (and, in the name `CacheFolder` makes, this binary).
    private static func cacheKey(_ key: FaceKey) -> String {
        let stamp = FileStamp(path: key.file)
        return "subset\u{0}\(key.file)\u{0}\(key.index)\u{0}\(stamp.size)\u{0}\(stamp.modified)\u{0}\(stamp.inode)\u{0}"
            + String(cString: hb_version_string()) + "\u{0}" + dropped.joined(separator: ",")
    }

    /// The glyph ids, four bytes each.
    private static func bytes(of glyphs: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * glyphs.count)
        for g in glyphs { bytes.appendLittleEndian(g) }
        return bytes
    }

    /// A subset kept at `file` in `folder`: "FSB1", the number of glyphs n, the font's length and
    /// CRC-32, the glyphs' ids in the whole font (in order, four bytes each) and in the subset
    /// (two bytes each), all little-endian, then the font's bytes. nil when there is none, or it is not whole or not
    /// of these glyphs.
    private static func cached(in folder: CacheFolder, at file: String, glyphs: [UInt32], fontGlyphs count: UInt32) -> (OpaquePointer, [UInt16])? {
        guard let bytes = folder.read(file), bytes.count > 16, Array(bytes[0..<4]) == magic else { return nil }
        func field(_ at: Int, _ size: Int) -> UInt32 { bytes[at..<at + size].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        let (n, length, crc) = (Int(field(4, 4)), Int(field(8, 4)), field(12, 4))
        let font = 16 + 6 * n
        guard n == glyphs.count, bytes.count == font + length else { return nil }
        var ids = [UInt16](repeating: 0, count: Int(count))
        for (i, g) in glyphs.enumerated() {
            guard field(16 + 4 * i, 4) == g else { return nil }
            ids[Int(g)] = UInt16(field(16 + 4 * n + 2 * i, 2))
        }
        guard let data = malloc(length) else { return nil }
        bytes.withUnsafeBytes { data.copyMemory(from: $0.baseAddress! + font, byteCount: length) }
        guard UInt32(libdeflate_crc32(0, data, length)) == crc else {
            free(data)
            return nil
        }
        // (Writable, for `SubsetCmap`; no face is made on it here, as that would make it read-only.)
        return (hb_blob_create(data.assumingMemoryBound(to: CChar.self), UInt32(length), HB_MEMORY_MODE_WRITABLE, data, { free($0) })!, ids)
    }

    /// Keeps a subset made of `glyphs` (in order) at `file` in `folder` (see `cached`).
    private static func keep(_ blob: OpaquePointer, ids: [UInt16], glyphs: [UInt32], in folder: CacheFolder, at file: String) {
        var length: UInt32 = 0
        guard let data = hb_blob_get_data(blob, &length) else { return }
        var bytes = magic
        bytes.reserveCapacity(16 + 6 * glyphs.count + Int(length))
        bytes.appendLittleEndian(glyphs.count)
        bytes.appendLittleEndian(length)
        bytes.appendLittleEndian(libdeflate_crc32(0, data, Int(length)))
        bytes += Self.bytes(of: glyphs)
        for g in glyphs { bytes.appendLittleEndian(ids[Int(g)], bytes: 2) }
        bytes += UnsafeRawBufferPointer(start: data, count: Int(length)).bindMemory(to: UInt8.self)
        folder.store(bytes, at: file)
    }

    /// The glyphs of the characters most documents use — ASCII, Latin-1, the common punctuation
    /// and the 6,763 Hanzi of GB 2312, with their local forms — put in a kept subset, so that
    /// the next document rarely needs a larger one.
    private func common(_ key: FaceKey, _ face: OpaquePointer) -> Set<UInt32> {
        if let c = commonGlyphs[key] { return c }
        let font = hb_font_create(face)
        defer { hb_font_destroy(font) }
        let set = hb_set_create()
        defer { hb_set_destroy(set) }
        hb_set_add(set, 0)
        for u in Self.commonCharacters {
            var g: hb_codepoint_t = 0
            if hb_font_get_nominal_glyph(font, u, &g) != 0 { hb_set_add(set, g) }
        }
        // And the forms the digits, quotes and punctuation take in Chinese and in Latin text
        // (GSUB `locl`): a Latin run's digits are the font's proportional ones, other glyphs
        // than the cmap's, so without them the first documents of a batch each needed a subset
        // of their own for a digit or two (20 ms each). (Not every language's forms: the
        // regional ideographs would take a kept subset past `CairoFonts.largest`.)
        let buffer = hb_buffer_create()
        defer { hb_buffer_destroy(buffer) }
        for language in ["zh-Hans", "en"] {
            for u in Self.commonCharacters where u < 0x4E00 {
                hb_buffer_clear_contents(buffer)
                hb_buffer_add_codepoints(buffer, [u], 1, 0, 1)
                hb_buffer_set_language(buffer, hb_language_from_string(language, -1))
                hb_buffer_guess_segment_properties(buffer)
                if language == "en" { hb_buffer_set_script(buffer, HB_SCRIPT_LATIN) }
                hb_shape(font, buffer, nil, 0)
                var count: UInt32 = 0
                if let infos = hb_buffer_get_glyph_infos(buffer, &count) { for i in 0..<Int(count) { hb_set_add(set, infos[i].codepoint) } }
            }
        }
        var glyphs: Set<UInt32> = []
        var g = hb_codepoint_t.max   // HB_SET_VALUE_INVALID: start before the first
        while hb_set_next(set, &g) != 0 { glyphs.insert(g) }
        commonGlyphs[key] = glyphs
        return glyphs
    }
    private var commonGlyphs: [FaceKey: Set<UInt32>] = [:]

    /// The common glyphs and those of every CJK Unified Ideograph (U+4E00–U+9FFF: GBK's and
    /// Big5's Hanzi and more, some 20,900 in the CJK fonts): what a kept subset widens to when a
    /// worker's documents keep bringing rare characters that recur in no other document (names
    /// and places), each of which needed a subset of its own — HarfBuzz making it and FreeType
    /// loading each of its glyphs again, three times the CPU of an article drawn from the kept
    /// subset.
    private func widened(_ key: FaceKey, _ face: OpaquePointer) -> Set<UInt32> {
        if let w = wideGlyphs[key] { return w }
        let font = hb_font_create(face)
        defer { hb_font_destroy(font) }
        var glyphs = common(key, face)
        for u in Self.wideCharacters {
            var g: hb_codepoint_t = 0
            if hb_font_get_nominal_glyph(font, u, &g) != 0 { glyphs.insert(g) }
        }
        wideGlyphs[key] = glyphs
        return glyphs
    }
    private var wideGlyphs: [FaceKey: Set<UInt32>] = [:]

    /// Whether a glyph of font `key` in `glyphs` is one of the `wideCharacters`.
    func holdsIdeograph<S: Sequence>(_ key: FaceKey, _ glyphs: S) -> Bool where S.Element == UInt32 {
        guard let face = face(key) else { return false }
        let characters = characters(key, face)
        return glyphs.contains { Int($0) < characters.count && Self.wideCharacters.contains(characters[Int($0)]) }
    }
    static let wideCharacters = UInt32(0x4E00)...0x9FFF

    /// Each glyph's character in the font's cmap, read once per face: the lowest one mapped to it
    /// that is its own compatibility form — 示 (U+793A), not the Kangxi radical ⽰ (U+2F70) drawn
    /// with the same glyph — or else the lowest. The character Cairo puts in a PDF's ToUnicode
    /// map for a glyph that shows more or less than one character (`SubsetCmap`). At the
    /// glyph's id (`noCharacter` for none): an array, as a dictionary filled from a CJK font's
    /// 45,000 characters took 5 ms a font.
    private func characters(_ key: FaceKey, _ face: OpaquePointer) -> [UInt32] {
        if let c = characterOf[key] { return c }
        let all = hb_set_create()
        defer { hb_set_destroy(all) }
        hb_face_collect_unicodes(face, all)
        let font = hb_font_create(face)
        defer { hb_font_destroy(font) }
        var map = [UInt32](repeating: Self.noCharacter, count: Int(hb_face_get_glyph_count(face)))
        var shared: [UInt32: [UInt32]] = [:]
        var u = hb_codepoint_t.max   // HB_SET_VALUE_INVALID: start before the first
        while hb_set_next(all, &u) != 0 {
            var g: hb_codepoint_t = 0
            guard hb_font_get_nominal_glyph(font, u, &g) != 0, Int(g) < map.count else { continue }
            if map[Int(g)] != Self.noCharacter { shared[g, default: [map[Int(g)]]].append(u) } else { map[Int(g)] = u }
        }
        for (g, candidates) in shared { map[Int(g)] = candidates.first(where: Self.isOwnCompatibilityForm) ?? candidates[0] }
        characterOf[key] = map
        return map
    }
    static let noCharacter = UInt32.max

    /// Whether NFKC leaves the character as it is (not a radical, a compatibility ideograph, a
    /// micro or ohm sign…).
    static func isOwnCompatibilityForm(_ u: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(u) else { return false }
        let s = String(scalar)
        return s.precomposedStringWithCompatibilityMapping == s
    }
    private var characterOf: [FaceKey: [UInt32]] = [:]

    static let commonCharacters: [UInt32] = {
        var chars = Array(UInt32(0x20)...0x7E) + Array(UInt32(0xA0)...0xFF) + Array(UInt32(0x2010)...0x2027)
            + Array(UInt32(0x3000)...0x301F) + Array(UInt32(0xFF01)...0xFF5E)
        // GB 2312 rows 16–87 (bytes B0–F7): the Hanzi of levels 1 and 2, decoded by iconv one cell
        // at a time (some rows end in empty cells).
        let cd = iconv_open("UTF-32LE", "GB2312")
        guard cd != iconv_t(bitPattern: -1) else { return chars }
        defer { iconv_close(cd) }
        for row in UInt8(0xB0)...0xF7 {
            for cell in UInt8(0xA1)...0xFE {
                var input: [UInt8] = [row, cell]
                var output = [UInt8](repeating: 0, count: 4)
                let ok = input.withUnsafeMutableBufferPointer { i in
                    output.withUnsafeMutableBufferPointer { o in
                        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress!).assumingMemoryBound(to: CChar.self)
                        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
                        var inLeft = 2, outLeft = 4
                        return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 && outLeft == 0
                    }
                }
                if ok { chars.append(UInt32(output[0]) | UInt32(output[1]) << 8 | UInt32(output[2]) << 16 | UInt32(output[3]) << 24) }
            }
        }
        return chars
    }()

    /// How many font faces are open for subsetting.
    var openFaces: Int { faces.count }

    /// Closes a font file opened for subsetting: the pages of it that subsetting read (for a
    /// CJK font, most of its 20 MB) leave the process's memory. Opened again when needed.
    func close(_ key: FaceKey) {
        if let f = faces.removeValue(forKey: key) { hb_face_destroy(f) }
    }

    private func face(_ key: FaceKey) -> OpaquePointer? {
        if let f = faces[key] { return f }
        let blob = hb_blob_create_from_file(key.file)
        defer { hb_blob_destroy(blob) }
        guard let f = hb_face_create(blob, UInt32(key.index)), hb_face_get_glyph_count(f) > 0 else { return nil }
        let cff = hb_face_reference_table(f, Self.tag("CFF "))
        isCFF[key] = hb_blob_get_length(cff) > 0
        hb_blob_destroy(cff)
        faces[key] = f
        return f
    }

    private static func tag(_ s: String) -> hb_tag_t {
        s.utf8.reduce(0) { $0 << 8 | hb_tag_t($1) }
    }
}
