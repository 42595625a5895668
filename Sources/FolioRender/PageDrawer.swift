/// Draws one `Page` value onto a Cairo context. PDF and PNG both go through here, so a preview
/// shows exactly the layout the PDF gets.
import CPangoCairo
import CQPDFPlus
import FolioCore

final class PageDrawer {
    let fonts = CairoFonts()
    let images: ImageCache
    let pdfPages = PDFPageCache()
    let vectors = VectorImageCache()

    init(images: ImageCache.Mode) { self.images = ImageCache(mode: images) }

    /// Under `GlyphCacheLock.lock`.
    func draw(_ page: Page, on cr: OpaquePointer) throws {
        for item in page.items { try draw(item, on: cr) }
        try check(page, cr)
    }

    /// One item (the structure tagger draws a page's items in its own order).
    func draw(_ item: PageItem, on cr: OpaquePointer) throws {
        switch item {
        case .rect(let r): drawRect(r, cr)
        case .image(let i): try drawImage(i, cr)
        case .text(let t): try drawText(t, cr)
        case .link(let l):
            cairo_tag_begin(cr, CAIRO_TAG_LINK, Self.attributes(of: l))
            cairo_tag_end(cr, CAIRO_TAG_LINK)
        case .anchor(let a):
            cairo_tag_begin(cr, CAIRO_TAG_DEST, "name='\(escape(a.name))' x=\(a.point.x) y=\(a.point.y)")
            cairo_tag_end(cr, CAIRO_TAG_DEST)
        case .barcode(let b): try BarcodeDrawer.draw(b, on: cr)
        case .pdfPage(let p): try pdfPages.draw(p, on: cr, standIns: images.keepsInks ? images : nil)
        }
    }

    /// A link tag's attributes: where it goes, and the area that opens it (whatever is drawn
    /// inside the tag: a contents entry's title and page number, `StructureTagger`).
    static func attributes(of l: LinkItem) -> String {
        let f = l.frame
        return "dest='\(escape(l.destination))' rect=[\(f.x) \(f.y) \(f.width) \(f.height)]"
    }

    /// Cairo's error state after drawing `page`, as a FolioError.
    func check(_ page: Page, _ cr: OpaquePointer) throws {
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw FolioError("Cairo failed drawing page \(page.number): \(String(cString: cairo_status_to_string(status)))")
        }
    }

    /// Crop marks at the trim corners and bleed marks at the bleed corners, in the slug outside
    /// the bleed, in the registration colour (black on screen; every plate in the print
    /// variants, `folio_qpdf_print_colours`); they never reach into the bleed.
    func drawMarks(_ page: Page, slug: Pt, on cr: OpaquePointer) {
        let trim = page.trim, bleed = page.bleed
        let length = slug - 2, offset = bleed + 2
        cairo_save(cr)
        cairo_set_source_rgb(cr, FOLIO_REGISTRATION_RED, FOLIO_REGISTRATION_GREEN, FOLIO_REGISTRATION_BLUE)
        cairo_set_line_width(cr, 0.25)
        for (x, dx) in [(trim.x, -1.0), (trim.maxX, 1.0)] {
            for (y, dy) in [(trim.y, -1.0), (trim.maxY, 1.0)] {
                // Crop marks: continue the trim edges outwards, starting outside the bleed.
                cairo_move_to(cr, x, y + dy * offset); cairo_line_to(cr, x, y + dy * (offset + length))
                cairo_move_to(cr, x + dx * offset, y); cairo_line_to(cr, x + dx * (offset + length), y)
                // Bleed marks: short ticks on the bleed edges.
                let bx = x + dx * bleed, by = y + dy * bleed
                cairo_move_to(cr, bx, y + dy * (offset + length / 2)); cairo_line_to(cr, bx, y + dy * (offset + length))
                cairo_move_to(cr, x + dx * (offset + length / 2), by); cairo_line_to(cr, x + dx * (offset + length), by)
            }
        }
        cairo_stroke(cr)
        cairo_restore(cr)
    }

    private func setColor(_ c: Color, _ cr: OpaquePointer) { cairo_set_source_rgb(cr, c.red, c.green, c.blue) }

    private func drawRect(_ r: RectItem, _ cr: OpaquePointer) {
        if r.copies > 1, r.step > r.frame.width, let fill = r.fill, r.stroke == nil {
            // A row of filled rectangles (a dotted leader): one dashed line as thick as they are
            // tall, each dash one of them — a few bytes in the PDF where each rectangle filled
            // on its own took an operation of Cairo's and a marked-content sequence.
            let extent = r.extent
            var dashes = [r.frame.width, r.step - r.frame.width]
            cairo_save(cr)
            setColor(fill, cr)
            cairo_set_line_width(cr, r.frame.height)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
            cairo_set_dash(cr, &dashes, 2, 0)
            cairo_move_to(cr, extent.x, extent.y + extent.height / 2)
            cairo_line_to(cr, extent.x + extent.width, extent.y + extent.height / 2)
            cairo_stroke(cr)
            cairo_restore(cr)
            return
        }
        for k in 0..<max(r.copies, 1) { cairo_rectangle(cr, r.frame.x + Double(k) * r.step, r.frame.y, r.frame.width, r.frame.height) }
        if let fill = r.fill {
            setColor(fill, cr)
            if r.stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke = r.stroke {
            setColor(stroke, cr)
            cairo_set_line_width(cr, r.lineWidth)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    private func drawImage(_ item: ImageItem, _ cr: OpaquePointer) throws {
        let f = item.frame
        guard let info = item.image else {
            // A missing image: a marked placeholder (grey box with a cross); the caption says which.
            cairo_rectangle(cr, f.x, f.y, f.width, f.height)
            cairo_set_source_rgb(cr, 0.92, 0.92, 0.92)
            cairo_fill_preserve(cr)
            cairo_set_source_rgb(cr, 0.6, 0.6, 0.6)
            cairo_set_line_width(cr, 0.75)
            cairo_stroke(cr)
            cairo_move_to(cr, f.x, f.y); cairo_line_to(cr, f.maxX, f.maxY)
            cairo_move_to(cr, f.maxX, f.y); cairo_line_to(cr, f.x, f.maxY)
            cairo_stroke(cr)
            return
        }
        if info.format == .pdf {
            return try pdfPages.draw(PDFPageItem(frame: f, path: info.path, page: info.page), on: cr, standIns: images.keepsInks ? images : nil)
        }
        if info.isVector { return try vectors.draw(info, in: f, on: cr) }
        // The frame in device pixels (a preview's): how much of the image it can show.
        var (wx, wy, hx, hy) = (f.width, 0.0, 0.0, f.height)
        cairo_user_to_device_distance(cr, &wx, &wy)
        cairo_user_to_device_distance(cr, &hx, &hy)
        let needed = images.needed(for: info, in: Size(width: (wx * wx + wy * wy).squareRoot(), height: (hx * hx + hy * hy).squareRoot()))
        var surface = try images.surface(for: info, needed: needed)
        // Stored size; seen size after the EXIF orientation (a quarter turn swaps them).
        var w = Double(cairo_image_surface_get_width(surface)), h = Double(cairo_image_surface_get_height(surface))
        guard w > 0, h > 0 else { return }
        var (seenW, seenH) = info.quarterTurned ? (h, w) : (w, h)
        // A frame of other proportions shows the centre of the image: only that part goes in.
        if let shown = PixelRect.shown(seenWidth: Int(seenW), seenHeight: Int(seenH), frame: f),
           let part = try images.surface(for: info, cropped: PixelRect.stored(seen: shown, orientation: info.orientation, width: Int(w), height: Int(h)),
                                         needed: needed) {
            surface = part
            w = Double(cairo_image_surface_get_width(part)); h = Double(cairo_image_surface_get_height(part))
            (seenW, seenH) = info.quarterTurned ? (h, w) : (w, h)
        }
        cairo_save(cr)
        cairo_rectangle(cr, f.x, f.y, f.width, f.height)
        cairo_clip(cr)
        // Fill the frame, keeping the aspect ratio (the frame was cut to the image's ratio).
        let scale = max(f.width / seenW, f.height / seenH)
        cairo_translate(cr, f.x + (f.width - seenW * scale) / 2, f.y + (f.height - seenH * scale) / 2)
        cairo_scale(cr, scale, scale)
        // The stored pixels turned as the camera said (the JPEG itself passes through untouched).
        var turn = Self.orientationMatrix(info.orientation, width: w, height: h)
        cairo_transform(cr, &turn)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// The matrix taking stored pixels (w × h) to how EXIF orientation `o` says they are seen:
    /// 2 mirrors, 3 turns a half, 4 flips, 5 transposes, 6 turns a quarter clockwise, 7
    /// transverses, 8 turns a quarter counter-clockwise (CIPA DC-008, tag 0x0112).
    static func orientationMatrix(_ o: Int, width w: Double, height h: Double) -> cairo_matrix_t {
        switch o {
        case 2: return cairo_matrix_t(xx: -1, yx: 0, xy: 0, yy: 1, x0: w, y0: 0)
        case 3: return cairo_matrix_t(xx: -1, yx: 0, xy: 0, yy: -1, x0: w, y0: h)
        case 4: return cairo_matrix_t(xx: 1, yx: 0, xy: 0, yy: -1, x0: 0, y0: h)
        case 5: return cairo_matrix_t(xx: 0, yx: 1, xy: 1, yy: 0, x0: 0, y0: 0)
        case 6: return cairo_matrix_t(xx: 0, yx: 1, xy: -1, yy: 0, x0: h, y0: 0)
        case 7: return cairo_matrix_t(xx: 0, yx: -1, xy: -1, yy: 0, x0: h, y0: w)
        case 8: return cairo_matrix_t(xx: 0, yx: -1, xy: 1, yy: 0, x0: 0, y0: w)
        default: return cairo_matrix_t(xx: 1, yx: 0, xy: 0, yy: 1, x0: 0, y0: 0)
        }
    }

    /// A line of glyph runs, turned a quarter for vertical lines.
    private func drawText(_ t: TextItem, _ cr: OpaquePointer) throws {
        // Its addresses are links (a PDF's; other surfaces draw no tags), over the line's height
        // (a vertical line's width: its line coordinates turned a quarter clockwise onto the page).
        let links = t.line.links.map { link in
            let (ascent, descent, length) = (t.line.ascent, t.line.descent, link.end - link.start)
            let (x, y, w, h) = t.vertical ? (t.origin.x - descent, t.origin.y + link.start, ascent + descent, length)
                                          : (t.origin.x + link.start, t.origin.y - ascent, length, ascent + descent)
            // `#name`: another article's first page in this document (`ArticleLinks`).
            let target = link.uri.hasPrefix("#") ? "dest='\(escape(String(link.uri.dropFirst())))'" : "uri='\(escape(link.uri))'"
            return "\(target) rect=[\(x) \(y) \(w) \(h)]"
        }
        if t.vertical {
            // A vertical line: turn the line a quarter clockwise about its origin (mlreq M1).
            cairo_save(cr)
            cairo_translate(cr, t.origin.x, t.origin.y)
            cairo_rotate(cr, Double.pi / 2)
            var local = t
            local.vertical = false
            local.origin = .zero
            try drawRuns(local, links: links, cr)
            cairo_restore(cr)
        } else {
            try drawRuns(t, links: links, cr)
        }
    }

    /// Wraps the drawing of each piece of a line — pieces of Chinese text (Han characters with
    /// the CJK punctuation among them, `true`) and the text between them — so that the tagger
    /// can make them elements of their own (see `StructureTagger.marksChineseRuns`). nil, as
    /// for PNG previews: text is drawn whole. (A link's text is drawn in its link's element.)
    var aroundPiece: ((_ chinese: Bool, _ draw: () throws -> Void) throws -> Void)?
    /// Whether runs are cut where Chinese text begins and ends (else only around links).
    var cutsChinese = false

    /// The runs are drawn in reading order, wherever they sit on the line: the PDF's text layer
    /// is read in drawing order, and a right-to-left line of several runs (a Kazakh word with a
    /// hyphen from another font) drawn left to right read its pieces backwards. The text of each
    /// of the line's links (`links`: their tags' attributes) is drawn inside its link's tag, so
    /// that the `Link` element holds the words it opens as well as the annotation.
    private func drawRuns(_ t: TextItem, links: [String], _ cr: OpaquePointer) throws {
        var open: Int?, tagged = Set<Int>()
        func link(_ k: Int?) {
            guard k != open else { return }
            if open != nil { cairo_tag_end(cr, CAIRO_TAG_LINK) }
            if let k { cairo_tag_begin(cr, CAIRO_TAG_LINK, links[k]); tagged.insert(k) }
            open = k
        }
        for run in t.line.runsInReadingOrder where !run.glyphs.isEmpty || !run.text.isEmpty {
            let font = try fonts.font(run.font)
            cairo_set_scaled_font(cr, font.font)
            setColor(run.color, cr)
            let glyphs = run.glyphs.map { cairo_glyph_t(index: font.glyph(Int($0.id)), x: t.origin.x + $0.x, y: t.origin.y + $0.y) }
            let clusters = Self.carried(run.clusters), utf8 = Array(run.text.utf8)
            let pieces = aroundPiece == nil || !cutsChinese || run.backward
                ? [Piece(clusters: clusters.indices, bytes: utf8.indices, glyphs: glyphs.indices, chinese: false)]
                : Self.pieces(utf8, clusters)
            for whole in pieces {
                for piece in Self.split(whole, by: t.line.links, glyphs: run.glyphs, clusters: clusters, backward: run.backward) {
                    link(piece.link)
                    let draw = { self.drawClusters(run, t, utf8[piece.bytes], glyphs[piece.glyphs], clusters[piece.clusters], cr) }
                    if piece.link == nil, let around = aroundPiece { try around(piece.chinese, draw) } else { draw() }
                }
            }
        }
        link(nil)
        // A link none of whose text was found (a right-to-left run it covers in part): its annotation alone.
        for k in links.indices where !tagged.contains(k) {
            cairo_tag_begin(cr, CAIRO_TAG_LINK, links[k])
            cairo_tag_end(cr, CAIRO_TAG_LINK)
        }
    }

    /// A piece of a run: its clusters, bytes and glyphs, whether it is Chinese, and the link
    /// (an index into the line's) its text is the text of.
    struct Piece: Equatable {
        var clusters: Range<Int>, bytes: Range<Int>, glyphs: Range<Int>
        var chinese: Bool
        var link: Int? = nil
    }

    /// `piece` cut where its clusters go into or out of one of `links`: a cluster is a link's
    /// when it starts before the link's end and its middle (halfway to the next cluster's
    /// origin) is past the link's start — a link's extent begins at the ink of an opening mark,
    /// `《`, the blank half of which lies before it. A backward run's piece is a link's only if
    /// all its glyphs are.
    static func split(_ piece: Piece, by links: [LineLink], glyphs: [PlacedGlyph], clusters: [ClusterMap], backward: Bool) -> [Piece] {
        guard !links.isEmpty else { return [piece] }
        func link(from x: Pt, to next: Pt) -> Int? { links.firstIndex { (x + next) / 2 >= $0.start - 0.01 && x < $0.end - 0.01 } }
        if backward {
            let all = Set(glyphs[piece.glyphs].map { link(from: $0.x, to: $0.x) })
            var one = piece
            one.link = all.count == 1 ? all.first! : nil
            return [one]
        }
        var out: [Piece] = []
        var byte = piece.bytes.lowerBound, glyph = piece.glyphs.lowerBound
        var current: Int?
        for k in piece.clusters {
            let c = clusters[k]
            var here = current
            if c.glyphs > 0 {
                let x = glyphs[glyph].x, next = glyph + c.glyphs < glyphs.count ? glyphs[glyph + c.glyphs].x : x
                here = link(from: x, to: next)
            }
            if out.isEmpty || here != current {
                out.append(Piece(clusters: k..<k, bytes: byte..<byte, glyphs: glyph..<glyph, chinese: piece.chinese, link: here))
                current = here
            }
            byte += c.bytes
            glyph += c.glyphs
            out[out.count - 1].clusters = out[out.count - 1].clusters.lowerBound..<(k + 1)
            out[out.count - 1].bytes = out[out.count - 1].bytes.lowerBound..<byte
            out[out.count - 1].glyphs = out[out.count - 1].glyphs.lowerBound..<glyph
        }
        return out.isEmpty ? [piece] : out
    }

    /// A run cut where it goes from Chinese text (clusters of Han and CJK punctuation, with at
    /// least one Han character) to other text and back.
    static func pieces(_ utf8: [UInt8], _ clusters: [ClusterMap]) -> [Piece] {
        var out: [Piece] = []
        var byte = 0, glyph = 0, start = (cluster: 0, byte: 0, glyph: 0), han = false, current: Bool?
        func close(_ k: Int) {
            guard let c = current, k > start.cluster else { return }
            if let last = out.last, !last.chinese, !(c && han) {   // punctuation without Han: joined to the text before
                out[out.count - 1] = Piece(clusters: last.clusters.lowerBound..<k, bytes: last.bytes.lowerBound..<byte,
                                           glyphs: last.glyphs.lowerBound..<glyph, chinese: false)
            } else {
                out.append(Piece(clusters: start.cluster..<k, bytes: start.byte..<byte, glyphs: start.glyph..<glyph, chinese: c && han))
            }
        }
        for (k, cluster) in clusters.enumerated() {
            let scalars = String(decoding: utf8[byte..<(byte + cluster.bytes)], as: UTF8.self).unicodeScalars
            let chinese = !scalars.isEmpty && scalars.allSatisfy(ScriptClasses.isChinese)
            if chinese != current {
                close(k)
                (start, han, current) = ((k, byte, glyph), false, chinese)
            }
            if chinese && scalars.contains(where: ScriptClasses.isHan) { han = true }
            byte += cluster.bytes
            glyph += cluster.glyphs
        }
        close(clusters.count)
        return out
    }

    /// Some clusters of a run: shown as they are, or upright in a turned line (each cluster
    /// turned back about its em box's centre).
    private func drawClusters(_ run: GlyphRun, _ t: TextItem, _ utf8: ArraySlice<UInt8>, _ glyphs: ArraySlice<cairo_glyph_t>,
                              _ clusters: ArraySlice<ClusterMap>, _ cr: OpaquePointer) {
        guard run.upright else {
            if !utf8.isEmpty { show(utf8, glyphs, clusters, backward: run.backward, cr) }
            return
        }
        let size = run.font.size
        var byte = utf8.startIndex, g = glyphs.startIndex
        for k in clusters.indices {
            let cluster = clusters[k], piece = glyphs[g..<(g + cluster.glyphs)]
            if let first = piece.first {
                let cx = first.x + size / 2, cy = t.origin.y - 0.38 * size
                cairo_save(cr)
                cairo_translate(cr, cx, cy)
                cairo_rotate(cr, -Double.pi / 2)
                cairo_translate(cr, -cx, -cy)
                show(utf8[byte..<(byte + cluster.bytes)], piece, clusters[k...k], backward: false, cr)
                cairo_restore(cr)
            }
            byte += cluster.bytes
            g += cluster.glyphs
        }
    }

    /// Text that draws no glyph (a Mongolian vowel separator U+180E, a space between words)
    /// carried by the cluster after it (the one before, at the end): Cairo writes a glyphless
    /// cluster as an empty `/ActualText` span, which text extraction skips; carried, it is part
    /// of the next glyph's `/ActualText` and extracts in its place.
    static func carried(_ clusters: [ClusterMap]) -> [ClusterMap] {
        guard clusters.contains(where: { $0.glyphs == 0 }), clusters.contains(where: { $0.glyphs > 0 }) else { return clusters }
        var out: [ClusterMap] = []
        var pending = 0
        for c in clusters {
            if c.glyphs == 0 { pending += c.bytes; continue }
            out.append(ClusterMap(bytes: c.bytes + pending, glyphs: c.glyphs))
            pending = 0
        }
        if pending > 0, let last = out.indices.last { out[last].bytes += pending }
        return out
    }

    /// The corresponding C call: `cairo_show_text_glyphs` — glyphs with the text they show, so
    /// the PDF's text extracts as the source text.
    private func show(_ utf8: ArraySlice<UInt8>, _ glyphs: ArraySlice<cairo_glyph_t>, _ clusters: ArraySlice<ClusterMap>, backward: Bool,
                      _ cr: OpaquePointer) {
        let map = clusters.map { cairo_text_cluster_t(num_bytes: Int32($0.bytes), num_glyphs: Int32($0.glyphs)) }
        let flags = backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : cairo_text_cluster_flags_t(rawValue: 0)
        utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                glyphs.withUnsafeBufferPointer { g in
                    cairo_show_text_glyphs(cr, chars.baseAddress, Int32(chars.count), g.baseAddress, Int32(g.count), map, Int32(map.count), flags)
                }
            }
        }
    }
}
