/// Shaping: a paragraph's text and styles go in; clusters of positioned glyphs come out, in
/// logical order, with the break opportunities UAX #14 gives. Pango itemises (script, font
/// fallback, bidi level) and HarfBuzz shapes; line breaking happens later on these values, so
/// each paragraph is shaped once whatever the measure.
import CPangoCairo
import FolioCore

/// One glyph inside a cluster: its id and offset from the cluster's pen position.
struct ShapedGlyph: Hashable {
    var id: UInt32
    var dx: Pt
    var dy: Pt
}

/// The smallest unit a line can hold: one or more characters and the glyphs that show them.
struct ShapedCluster: Hashable {
    /// Unicode-scalar range in the paragraph text.
    var range: Range<Int>
    /// UTF-8 byte range in the paragraph text.
    var bytes: Range<Int>
    var glyphs: Range<Int>
    var advance: Pt
    /// Index into `ShapedParagraph.fonts`.
    var font: Int
    /// The bidi embedding level (UAX #9): odd is right-to-left.
    var level: UInt8
    var rtl: Bool { level % 2 == 1 }
    /// For a full-width punctuation mark: which half of its em box the ink sits in, read from
    /// the font actually used (nil for other characters).
    var inkSide: InkSide? = nil
    /// An enclosing mark drawn in another font than the character it encloses: a cluster of
    /// its own, but nothing (no glue, no break) may come between it and that character.
    var attachedToPrevious = false
}

/// Where a full-width mark's ink sits along the line, which decides the half that may be
/// squeezed (clreq C8, C11): in GB fonts ，。！？ sit in the start half; in TC fonts they are
/// centred; “（ sit in the end half.
enum InkSide: Hashable, Sendable {
    /// Ink in the first half: the second half is blank (a closing mark's behaviour).
    case start
    /// Ink in the second half: the first half is blank (an opening mark's behaviour).
    case end
    case centre

    /// Classifies ink from `inkLeft` to `inkRight` in an advance of `advance` (same units).
    init(inkLeft: Double, inkRight: Double, advance: Double) {
        // A twentieth of the em of tolerance: ！ in Noto CJK SC spans 194–303 of 1000.
        let mid = advance / 2, slack = advance / 20
        if inkRight <= mid + slack { self = .start } else if inkLeft >= mid - slack { self = .end } else { self = .centre }
    }
}

/// A shaped paragraph: plain values, no Pango objects.
struct ShapedParagraph {
    var scalars: [Unicode.Scalar]
    var utf8: [UInt8]
    var clusters: [ShapedCluster]
    var glyphs: [ShapedGlyph]
    var fonts: [FontSystem.FontInfo]
    /// For each scalar index (and one past the end): may a line break before it (UAX #14)?
    var breakBefore: [Bool]
    var mustBreakBefore: [Bool]
    /// Scalar indices no configured font covers.
    var uncovered: [Int]
    /// The web and e-mail addresses in the text (`Addresses.ranges`), by scalar offsets.
    var addresses: [Range<Int>] = []
    /// What of the text leads somewhere: its links (Markdown's `[text](https://…)`), and the
    /// addresses not inside one, to themselves; sorted.
    var links: [(range: Range<Int>, uri: String)] = []
    /// The code in the text (`InlineStyle.code` spans: a code block, inline code), by scalar
    /// offsets: set as written (`ItemBuilder`).
    var code: [Range<Int>] = []

    /// Whether cluster `i` is code (set as written).
    func isCode(cluster i: Int) -> Bool {
        !code.isEmpty && i < clusters.count && code.contains { $0.contains(clusters[i].range.lowerBound) }
    }
}

/// The font roles and size to shape one span with.
struct SpanFont {
    var families: [String]
    var size: Pt
    var weight: Int
}

extension FontSystem {
    /// Combining enclosing marks (⃝ ⃞ ⃟ ⃠ ⃡ ⃢ ⃣ ⃤), shaped with no advance of their own.
    static let enclosingMarks: ClosedRange<UInt32> = 0x20DD...0x20E4

    /// The glyph value Pango uses for "no glyph needed" (zero-width characters).
    static let emptyGlyph: UInt32 = 0x0FFF_FFFF
    static let unknownGlyphFlag: UInt32 = 0x1000_0000

    /// Shapes `text` with one font per span. `fontFor` maps a span style to fonts.
    /// The corresponding C calls: `pango_itemize`, `pango_shape_with_flags`, `pango_get_log_attrs`.
    func shape(_ text: StyledText, language: String, rightToLeft: Bool = false, features: String? = nil,
               fontFor: (InlineStyle) -> SpanFont) -> ShapedParagraph {
        let scalars = Array(text.string.unicodeScalars)
        let utf8 = Array(text.string.utf8)
        // scalar index → byte offset, and back.
        var byteOf = [Int](repeating: 0, count: scalars.count + 1)
        var scalarAt = [Int32](repeating: -1, count: utf8.count + 1)
        var b = 0
        for (i, s) in scalars.enumerated() {
            byteOf[i] = b
            scalarAt[b] = Int32(i)
            b += UTF8.width(s)
        }
        byteOf[scalars.count] = b
        scalarAt[b] = Int32(scalars.count)

        var shaped = ShapedParagraph(scalars: scalars, utf8: utf8, clusters: [], glyphs: [], fonts: [],
                                     breakBefore: [], mustBreakBefore: [], uncovered: [])
        let lang = pango_language_from_string(pangoLanguage(language))
        let attrs = pango_attr_list_new()
        defer { pango_attr_list_unref(attrs) }
        func addFont(_ f: SpanFont, _ range: Range<Int>) {
            let desc = pango_font_description_new()
            pango_font_description_set_family(desc, f.families.joined(separator: ","))
            pango_font_description_set_size(desc, Int32((f.size * Double(PANGO_SCALE)).rounded()))
            pango_font_description_set_weight(desc, PangoWeight(rawValue: UInt32(f.weight)))
            let attr = pango_attr_font_desc_new(desc)!
            attr.pointee.start_index = UInt32(byteOf[range.lowerBound])
            attr.pointee.end_index = UInt32(byteOf[range.upperBound])
            pango_attr_list_insert(attrs, attr)
            pango_font_description_free(desc)
        }
        addFont(fontFor(.regular), 0..<scalars.count)
        for span in text.spans where span.style != .regular {
            addFont(fontFor(span.style), span.range.clamped(to: 0..<scalars.count))
        }
        let langAttr = pango_attr_language_new(lang)!
        pango_attr_list_insert(attrs, langAttr)
        if let features, let attr = pango_attr_font_features_new(features) {
            pango_attr_list_insert(attrs, attr)
        }
        // Web and e-mail addresses without kerning or ligatures: a line may end between any two
        // of their characters (`Addresses`), and a pair kerned together (`w.`) would then
        // overhang the measure by what the kerning took.
        shaped.addresses = Addresses.ranges(in: scalars)
        shaped.code = text.spans.filter { $0.style == .code }.map { $0.range.clamped(to: 0..<scalars.count) }.filter { !$0.isEmpty }
        let linked = text.links.map { ($0.range.clamped(to: 0..<scalars.count), $0.target) }
        shaped.links = (linked + shaped.addresses.filter { a in !linked.contains { $0.0.overlaps(a) } }.map {
            ($0, Addresses.uri(String(String.UnicodeScalarView(scalars[$0]))))
        }).filter { !$0.0.isEmpty }.sorted { $0.0.lowerBound < $1.0.lowerBound }
        // The interpunct of a name or date written in Chinese, 阿依古丽·买买提, 一二·九 (clreq's
        // 间隔号, U+00B7): a full-width mark, its dot centred in the em — in the CJK fonts U+00B7
        // is Latin's narrow middle dot (0.33 em, set tight against the characters) unless asked
        // for its full-width form (`fwid`). Not in Korean or Japanese text, which keep theirs.
        if !language.hasPrefix("ko") && !language.hasPrefix("ja") {
            for i in scalars.indices where scalars[i] == "\u{B7}"
                && ((i > 0 && ScriptClasses.isHan(scalars[i - 1])) || (i + 1 < scalars.count && ScriptClasses.isHan(scalars[i + 1]))) {
                guard let attr = pango_attr_font_features_new("fwid 1") else { continue }
                attr.pointee.start_index = UInt32(byteOf[i])
                attr.pointee.end_index = UInt32(byteOf[i + 1])
                pango_attr_list_insert(attrs, attr)
            }
        }
        for a in shaped.addresses {
            guard let attr = pango_attr_font_features_new("kern 0, liga 0") else { continue }
            attr.pointee.start_index = UInt32(byteOf[a.lowerBound])
            attr.pointee.end_index = UInt32(byteOf[a.upperBound])
            pango_attr_list_insert(attrs, attr)
        }

        // Break opportunities (UAX #14), refined later by the language rules.
        var logAttrs = [PangoLogAttr](repeating: PangoLogAttr(), count: scalars.count + 1)
        text.string.withCString { cstr in
            pango_get_log_attrs(cstr, Int32(utf8.count), -1, lang, &logAttrs, Int32(scalars.count + 1))
        }
        logAttrs.withUnsafeBufferPointer { p in
            shaped.breakBefore = (0...scalars.count).map { folio_can_break_before(p.baseAddress, Int32($0)) != 0 }
            shaped.mustBreakBefore = (0...scalars.count).map { folio_must_break_before(p.baseAddress, Int32($0)) != 0 }
        }

        guard !scalars.isEmpty else { return shaped }
        var fontIndex: [UnsafeMutableRawPointer: Int] = [:]
        // The paragraph's base direction decides the embedding levels (UAX #9 P2/P3 by fiat).
        pango_context_set_base_dir(context, rightToLeft ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR)
        defer { pango_context_set_base_dir(context, PANGO_DIRECTION_LTR) }
        text.string.withCString { cstr in
            let items = pango_itemize(context, cstr, 0, Int32(utf8.count), attrs, nil)
            defer { g_list_free_full(items) { pango_item_free($0?.assumingMemoryBound(to: PangoItem.self)) } }
            let glyphString = pango_glyph_string_new()!
            defer { pango_glyph_string_free(glyphString) }
            var node = items
            while let n = node {
                let item = folio_list_data(n)!.assumingMemoryBound(to: PangoItem.self)
                node = folio_list_next(n)
                var analysis = item.pointee.analysis
                let offset = Int(item.pointee.offset), length = Int(item.pointee.length)
                pango_shape_with_flags(cstr + offset, Int32(length), cstr, Int32(utf8.count), &analysis, glyphString, PANGO_SHAPE_NONE)
                guard let font = analysis.font else { continue }
                let fi: Int
                if let known = fontIndex[UnsafeMutableRawPointer(font)] { fi = known } else {
                    fi = shaped.fonts.count
                    shaped.fonts.append(info(of: font))
                    fontIndex[UnsafeMutableRawPointer(font)] = fi
                }
                let firstCluster = shaped.clusters.count
                appendClusters(of: glyphString.pointee, itemBytes: offset..<(offset + length),
                               level: analysis.level, font: fi, scalarAt: scalarAt, into: &shaped)
                for c in firstCluster..<shaped.clusters.count where shaped.clusters[c].glyphs.count == 1 {
                    if Self.enclosingMarks.contains(shaped.scalars[shaped.clusters[c].range.lowerBound].value) {
                        // An enclosing mark (keycap ⃣, circle ⃝) is shaped with no advance; its
                        // cluster takes its ink box, so `foldAttachedClusters` can make room for it.
                        let g = shaped.clusters[c].glyphs.lowerBound
                        var ink = PangoRectangle(), logical = PangoRectangle()
                        GlyphCacheLock.lock.withLock { pango_font_get_glyph_extents(font, shaped.glyphs[g].id, &ink, &logical) }
                        if ink.width > 0 {
                            shaped.glyphs[g].dx -= Double(ink.x) / 1024
                            shaped.clusters[c].advance = max(shaped.clusters[c].advance, Double(ink.width) / 1024)
                        }
                        continue
                    }
                    let cls = CharClass.of(shaped.scalars[shaped.clusters[c].range.lowerBound])
                    guard cls == .closing || cls == .opening || cls == .fullwidthOther else { continue }
                    shaped.clusters[c].inkSide = inkSide(of: shaped.glyphs[shaped.clusters[c].glyphs.lowerBound].id, in: font,
                                                         advance: shaped.clusters[c].advance)
                }
            }
        }
        foldAttachedClusters(&shaped)
        return shaped
    }

    /// Variation selectors (U+FE00–FE0F, U+E0100–E01EF; a name's 葛 + U+E0100) and enclosing
    /// marks (the keycap U+20E3 of `1` U+FE0F U+20E3) belong to the character before them, but
    /// Pango leaves them clusters of their own — an enclosing mark often in a fallback font. Left
    /// alone they would take Han–Latin spacing or justification glue and open a gap, or an
    /// enclosing mark would sit over the next character. Each joins the cluster before it: a
    /// selector adds no width; an enclosing mark is centred on that character, the cluster as
    /// wide as the wider of the two. A mark whose glyph comes from another font stays a cluster
    /// of its own (a cluster draws in one font), placed the same way and `attachedToPrevious`.
    private func foldAttachedClusters(_ shaped: inout ShapedParagraph) {
        func isSelector(_ v: UInt32) -> Bool { (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) }
        func isEnclosing(_ v: UInt32) -> Bool { Self.enclosingMarks.contains(v) }
        // Almost every paragraph has neither: leave its clusters as they are.
        guard shaped.scalars.contains(where: { isSelector($0.value) || isEnclosing($0.value) }) else { return }
        func attached(_ c: ShapedCluster) -> (selector: Bool, enclosing: Bool) {
            let scalars = shaped.scalars[c.range]
            guard let first = scalars.first?.value else { return (false, false) }
            let selector = scalars.allSatisfy { isSelector($0.value) }
            return (selector, isEnclosing(first) && scalars.allSatisfy { isEnclosing($0.value) || isSelector($0.value) })
        }
        var folded: [ShapedCluster] = []
        folded.reserveCapacity(shaped.clusters.count)
        for c in shaped.clusters {
            guard var prev = folded.last, prev.level == c.level, prev.range.upperBound == c.range.lowerBound,
                  prev.glyphs.upperBound == c.glyphs.lowerBound else { folded.append(c); continue }
            let kind = attached(c)
            guard kind.selector || kind.enclosing else { folded.append(c); continue }
            if kind.enclosing {
                let width = max(prev.advance, c.advance)
                for g in prev.glyphs { shaped.glyphs[g].dx += (width - prev.advance) / 2 }
                if c.font != prev.font && !c.glyphs.isEmpty {
                    // The character takes the left part of the width, the mark's cluster the rest;
                    // the mark's glyph reaches back to centre on the pair.
                    var mark = c
                    let lead = (width + prev.advance) / 2
                    for g in c.glyphs { shaped.glyphs[g].dx += (width - c.advance) / 2 - lead }
                    prev.advance = lead
                    mark.advance = width - lead
                    mark.attachedToPrevious = true
                    folded[folded.count - 1] = prev
                    folded.append(mark)
                    continue
                }
                for g in c.glyphs { shaped.glyphs[g].dx += (width - c.advance) / 2 }
                prev.advance = width
            } else {
                guard c.font == prev.font || c.glyphs.isEmpty else { folded.append(c); continue }
                for g in c.glyphs { shaped.glyphs[g].dx += prev.advance }
                prev.advance += c.advance
            }
            prev.range = prev.range.lowerBound..<c.range.upperBound
            prev.bytes = prev.bytes.lowerBound..<c.bytes.upperBound
            prev.glyphs = prev.glyphs.lowerBound..<c.glyphs.upperBound
            folded[folded.count - 1] = prev
        }
        shaped.clusters = folded
    }

    /// Groups a glyph string's glyphs into clusters in logical order.
    private func appendClusters(of gs: PangoGlyphString, itemBytes: Range<Int>, level: UInt8, font: Int,
                                scalarAt: [Int32], into shaped: inout ShapedParagraph) {
        let n = Int(gs.num_glyphs)
        guard n > 0 else { return }
        let order = level % 2 == 1 ? Array((0..<n).reversed()) : Array(0..<n)
        var k = 0
        while k < n {
            let startByte = Int(gs.log_clusters[order[k]])
            var members: [Int] = []
            while k < n, Int(gs.log_clusters[order[k]]) == startByte { members.append(order[k]); k += 1 }
            let endByte = k < n ? Int(gs.log_clusters[order[k]]) : itemBytes.count
            members.sort()  // glyphs within a cluster stay in visual order
            var pen: Pt = 0
            let first = shaped.glyphs.count
            var uncovered = false
            for g in members {
                let info = gs.glyphs[g]
                let id = info.glyph
                if id & FontSystem.unknownGlyphFlag != 0 && id != FontSystem.emptyGlyph { uncovered = true }
                if id != FontSystem.emptyGlyph && id & FontSystem.unknownGlyphFlag == 0 {
                    shaped.glyphs.append(ShapedGlyph(id: id, dx: pen + Double(info.geometry.x_offset) / 1024,
                                                     dy: Double(info.geometry.y_offset) / 1024))
                }
                pen += Double(info.geometry.width) / 1024
            }
            let bytes = (itemBytes.lowerBound + startByte)..<(itemBytes.lowerBound + endByte)
            let lo = Int(scalarAt[bytes.lowerBound]), hi = Int(scalarAt[bytes.upperBound])
            if uncovered { shaped.uncovered.append(contentsOf: lo..<hi) }
            shaped.clusters.append(ShapedCluster(range: lo..<hi, bytes: bytes, glyphs: first..<shaped.glyphs.count,
                                                 advance: pen, font: font, level: level))
        }
    }

    /// BCP 47 tags as Pango expects them (zh-Hans → zh-cn picks the mainland `locl` forms, clreq C11).
    func pangoLanguage(_ tag: String) -> String { LanguageInfo(tag).pangoLanguage }
}
