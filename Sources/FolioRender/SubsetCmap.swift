/// The cmap Cairo reads a subset's characters back from, cut to the document's glyphs.
///
/// Cairo 1.16 finds the character of every glyph a PDF draws for the first time by reading the
/// font's (3,1) format 4 cmap subtable again — copied out of the font, then scanned segment by
/// segment — once per glyph. A kept subset (`CairoFonts`) holds the common characters, some
/// 3,700 segments, and a short article's few hundred glyphs cost a tenth of a batch's time in
/// that scan. Before a document is drawn from a subset, the subtable, in the font's own memory,
/// is replaced by one of only the document's glyphs: a few kilobytes.
///
/// Each glyph is mapped there to one character, chosen from the whole font
/// (`FontSubsetter.characters`): the character Cairo puts in the PDF's ToUnicode map when the
/// glyph first shows text that is not one character (a space carried by the character after
/// it). Scanning HarfBuzz's subtable, Cairo took the first segment that maps the glyph, and
/// which one that was depended on the subset — 示 read back as the Kangxi radical ⽰ (U+2F70)
/// from a subset of one document's glyphs, as 示 (U+793A) from the kept one: the bytes of a
/// PDF depended on what was written before (DESIGN principle 6).
///
/// FreeType read the cmap when the face was opened; its Unicode charmap is the format 12
/// subtable when there is one (a kept subset's: the format 4 bytes are then read by Cairo
/// alone). Otherwise it is this format 4 one, read as it is now but with the number of
/// segments it counted when the face was opened: the document's table then keeps that number,
/// closing 0xFFFF segments after its own (where Cairo's scan stops). The PDF embeds no cmap (a
/// CFF font).
final class SubsetCmap {
    /// The (3,1) format 4 subtable, in the font's memory, and its length there.
    private let table: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private let original: [UInt8]
    /// The length of the subtable now in place, and whether it is the font's own.
    private(set) var served: Int
    private var holdsOriginal = true
    /// The subtable's number of segments when FreeType's charmap is this subtable (nil: it is
    /// a format 12 one).
    let segmentsFreeTypeCounts: Int?
    /// Each glyph's character, by id in the subset; -1 for none in the Basic Multilingual Plane
    /// (Cairo then walks FreeType's charmap, as it did before).
    let characters: [Int32]

    /// nil when the font has no (3,1) format 4 cmap subtable, or more than one. `characters`:
    /// each glyph's, by id in the subset (-1: none).
    init?(sfnt: UnsafeMutablePointer<UInt8>, length: Int, characters: [Int32]) {
        func u16(_ at: Int) -> Int { Int(sfnt[at]) << 8 | Int(sfnt[at + 1]) }
        func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
        guard length >= 12 else { return nil }
        var cmap: (offset: Int, length: Int)?
        for i in 0..<u16(4) where 12 + 16 * i + 16 <= length {
            let record = 12 + 16 * i
            if u32(record) == 0x636D_6170 { cmap = (u32(record + 8), u32(record + 12)) }   // 'cmap'
        }
        guard let cmap, cmap.length >= 4, cmap.offset + cmap.length <= length else { return nil }
        let base = cmap.offset
        var format4: Int?, ucs4: [Int] = []
        for i in 0..<u16(base + 2) {
            let record = base + 4 + 8 * i
            guard record + 8 <= base + cmap.length else { return nil }
            let (platform, encoding, offset) = (u16(record), u16(record + 2), u32(record + 4))
            guard offset + 4 <= cmap.length else { return nil }
            let format = u16(base + offset)
            if platform == 3 && encoding == 1 {
                guard format == 4, format4 == nil || format4 == offset else { return nil }   // Cairo scans each (3,1) one
                format4 = offset
            }
            // FreeType's Unicode charmap is a UCS-4 subtable when there is one.
            if (platform == 3 && encoding == 10) || (platform == 0 && encoding == 4) { ucs4.append(offset) }
        }
        guard let format4 else { return nil }
        let start = base + format4, size = u16(start + 2)
        guard size >= 24, format4 + size <= cmap.length else { return nil }
        table = sfnt + start
        capacity = size
        original = Array(UnsafeBufferPointer(start: table, count: size))
        self.characters = characters
        served = size
        segmentsFreeTypeCounts = ucs4.contains { $0 != format4 } ? nil : u16(start + 6) / 2
    }

    /// The subtable for a document drawing `glyphs` (ids in the subset): one delta segment per
    /// run of them with consecutive characters and ids, then the closing 0xFFFF segment. (The
    /// whole subtable again in the rare case that would not fit in its place — HarfBuzz's
    /// subtable of a subset made for the document is seldom smaller — and Cairo then reads
    /// characters from it as it did before.)
    func serve(_ glyphs: some Sequence<Int>) {
        var pairs: [(c: Int, g: Int)] = []
        for g in glyphs where g < characters.count && (0..<0xFFFF).contains(characters[g]) { pairs.append((Int(characters[g]), g)) }
        pairs.sort { ($0.c, $0.g) < ($1.c, $1.g) }
        var segments: [(start: Int, end: Int, delta: Int)] = []
        for (k, (c, g)) in pairs.enumerated() where k == 0 || pairs[k - 1] != (c, g) {
            if let last = segments.last, c == last.end + 1, (c + last.delta) & 0xFFFF == g {
                segments[segments.count - 1].end = c
            } else {
                segments.append((c, c, (g - c) & 0xFFFF))
            }
        }
        let closing = (start: 0xFFFF, end: 0xFFFF, delta: 1)
        segments.append(closing)
        if let count = segmentsFreeTypeCounts, segments.count < count {
            segments += Array(repeating: closing, count: count - segments.count)
        }
        let bytes = Self.format4(segments, language: Int(original[4]) << 8 | Int(original[5]))
        guard bytes.count <= capacity, segments.count == (segmentsFreeTypeCounts ?? segments.count) else {
            if !holdsOriginal { original.withUnsafeBufferPointer { table.update(from: $0.baseAddress!, count: capacity) } }
            (served, holdsOriginal) = (capacity, true)
            return
        }
        bytes.withUnsafeBufferPointer { table.update(from: $0.baseAddress!, count: bytes.count) }
        (served, holdsOriginal) = (bytes.count, false)
    }

    /// A format 4 subtable of delta segments (sorted, the 0xFFFF one last).
    static func format4(_ segments: [(start: Int, end: Int, delta: Int)], language: Int) -> [UInt8] {
        let n = segments.count
        var out: [UInt8] = []
        out.reserveCapacity(16 + 8 * n)
        func put(_ v: Int) { out.append(UInt8(v >> 8 & 0xFF)); out.append(UInt8(v & 0xFF)) }
        var power = 1, log = 0
        while power * 2 <= n { power *= 2; log += 1 }
        put(4); put(16 + 8 * n); put(language)
        put(2 * n); put(2 * power); put(log); put(2 * n - 2 * power)
        for s in segments { put(s.end) }
        put(0)
        for s in segments { put(s.start) }
        for s in segments { put(s.delta) }
        for _ in segments { put(0) }
        return out
    }
}
