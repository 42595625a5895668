/// Image surfaces for drawing: PNG through Cairo, JPEG either passed through untouched (PDF:
/// the file's bytes become the image stream) or decoded with libturbojpeg (PNG previews), GIF,
/// WebP and TIFF through gdk-pixbuf, CMYK TIFFs through libtiff (CMYKImages.swift). Embedded ICC
/// profiles are honoured (ColourProfiles.swift): decoded pixels are converted to sRGB, a JPEG
/// passed through keeps its profile as the PDF's `/ICCBased` colour space.
import CLazyGraphics
import CPangoCairo
import CTurboJPEG
import FolioCore
import Foundation

final class ImageCache {
    enum Mode { case passThrough, decode }
    private var surfaces: [String: OpaquePointer] = [:]
    /// Parts of images shown in frames of other proportions (ImageCrops.swift).
    var cropSurfaces: [String: OpaquePointer] = [:]
    private let colours = ColourTransforms()
    let mode: Mode
    /// The print variant: CMYK images keep their inks (drawn as stand-ins, see `streamFixes`).
    var keepsInks = false
    /// What `PDFFinisher` changes in the image streams Cairo wrote verbatim, by their SHA-256.
    private(set) var streamFixes: [String: ImageStreamFix] = [:]
    /// Images drawn as CMYK stand-ins (no pixels of their own to cut), by path.
    private(set) var standIns: Set<String> = []

    static let prefetchPixels = 16_000_000
    /// Decodings started on other cores by `prefetch`, by path, with the share of the image's
    /// pixels per side each keeps.
    private var started: [String: (decoding: Decoding, share: Double)] = [:]
    /// The page, in device pixels, that the images this cache decodes are drawn on (a preview's,
    /// at its resolution): what a JPEG decoded ahead, before its frame is known, is decoded for
    /// (`needed(for:in:)`). nil: full size.
    var drawArea: Size?
    /// JPEGs are decoded at the smallest of libjpeg-turbo's scales (n/8) that still gives the
    /// page a pixel of the image for each of its own; false: always whole.
    var scalesJPEGs = true
    /// How many images were decoded (tests: a prefetched one is not decoded again).
    private(set) var decodeCount = 0
    /// Kept for many drawings (the live preview's, between the PNGs it serves): an image whose
    /// file changed is decoded again, and the decoded pixels are held to `keptBytes`, the
    /// images drawn longest ago let go first. nil: one drawing (a PDF's, a preview's).
    var kept: (bytes: Int, stamps: [String: FileStamp], order: [String])?
    static let keptBytes = 128 << 20

    init(mode: Mode) { self.mode = mode }
    deinit {
        for s in Array(surfaces.values) + Array(cropSurfaces.values) { cairo_surface_destroy(s) }
        for d in started.values { d.decoding.abandon() }
    }

    /// A decoding running on another core: its surface, or nil if it failed (the image is then
    /// decoded again when drawn, to report why).
    private final class Decoding: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var surface: OpaquePointer?
        private var abandoned = false
        init(_ work: @escaping @Sendable () -> OpaquePointer?) {
            DispatchQueue.global().async { [self] in
                let s = work()
                lock.withLock {
                    if abandoned { s.map(cairo_surface_destroy) } else { surface = s }
                }
                done.signal()
            }
        }
        /// The surface, once decoded (the caller owns it).
        func wait() -> OpaquePointer? {
            done.wait()
            return lock.withLock { defer { surface = nil }; return surface }
        }
        /// Not wanted after all (its cache is gone): destroyed now, or when it is done.
        func abandon() {
            lock.withLock {
                abandoned = true
                surface.map(cairo_surface_destroy)
                surface = nil
            }
        }
    }

    /// Starts decoding the PNG and JPEG images among `images` on other cores, each into a surface
    /// of its own (Cairo's image surfaces and libpng/libturbojpeg need no lock; the glyph cache
    /// is not touched), so that a preview composes its article meanwhile and its drawing finds
    /// them decoded: a page's photo took a tenth of a preview's time (issue 18).
    /// At most `prefetchPixels` are decoded ahead (64 MB of surfaces): an article of many large
    /// photos does not have them all in memory at once for the one page a preview shows.
    /// A JPEG is decoded for the largest frame of its proportions on the page (`drawArea`): the
    /// frame of a photo across the page's columns or its width needs the same share, one in a
    /// column may need a smaller one, and is decoded again then (at a quarter of the pixels or
    /// less) — what is drawn never depends on what was decoded ahead.
    func prefetch(_ images: [ImageInfo]) {
        guard mode == .decode, !keepsInks else { return }
        var pixels = 0
        for image in images where [.png, .jpeg].contains(image.format) && surfaces[image.path] == nil && started[image.path] == nil {
            let share = decoding(image, needed: needed(for: image, in: nil)).share
            pixels += Int(Double(image.pixelWidth) * share) * Int(Double(image.pixelHeight) * share)
            guard pixels <= Self.prefetchPixels else { break }
            decodeCount += 1
            started[image.path] = (Decoding {
                let colours = ColourTransforms()
                return try? image.format == .png ? Self.png(image, colours: colours) : Self.jpegDecoded(image, share: share, colours: colours)
            }, share)
        }
    }

    /// The share of `image`'s pixels per side that a frame of `size` device pixels shows one
    /// of for each of its own, filling the frame (the image cut to its proportions): 1 and
    /// more, every pixel counts.
    static func share(of image: ImageInfo, drawnAt size: Size) -> Double {
        guard image.pixelWidth > 0, image.pixelHeight > 0 else { return 1 }
        return max(size.width / Double(image.pixelWidth), size.height / Double(image.pixelHeight))
    }

    /// The share of `image`'s pixels per side to decode for drawing it in `frame` (device
    /// pixels): a pixel of the image for each of the frame's. Not known yet (nil: decoding
    /// ahead), the largest frame of the image's proportions that the page (`drawArea`) holds.
    func needed(for image: ImageInfo, in frame: Size?) -> Double {
        if let frame { return Self.share(of: image, drawnAt: frame) }
        guard let area = drawArea, image.pixelWidth > 0, image.pixelHeight > 0 else { return 1 }
        return min(area.width / Double(image.pixelWidth), area.height / Double(image.pixelHeight))
    }

    /// The scales libjpeg-turbo decodes at (n/8 from 1/8 up), smallest first.
    static let jpegScales: [Double] = {
        var n: Int32 = 0
        guard let factors = tjGetScalingFactors(&n) else { return [1] }
        return (0..<Int(n)).map { Double(factors[$0].num) / Double(factors[$0].denom) }.filter { $0 > 0 && $0 <= 1 }.sorted()
    }()

    /// The share a JPEG is decoded at when `needed` of its pixels per side are drawn: the
    /// smallest of libjpeg-turbo's scales that is not less (the whole image at 1 and above).
    func jpegShare(needed: Double) -> Double {
        guard mode == .decode, scalesJPEGs, !keepsInks else { return 1 }
        return Self.jpegScales.first { $0 >= needed } ?? 1
    }

    /// The share of `image`'s pixels per side it is decoded at when `needed` of them are drawn
    /// (only a JPEG is decoded smaller), and what its surfaces' keys carry after its path.
    func decoding(_ image: ImageInfo, needed: Double) -> (share: Double, key: String) {
        let share = image.format == .jpeg ? jpegShare(needed: needed) : 1
        return (share, (keepsInks ? "\u{0}inks" : "") + (share < 1 ? "\u{0}\(share)" : ""))
    }

    /// For a cache `kept` between drawings: forgets the image at `path` if its file changed
    /// since it was decoded, and the images drawn longest ago while the pixels held pass `keptBytes`.
    private func keep(_ path: String) {
        guard var k = kept else { return }
        let stamp = FileStamp(path: path)
        if let old = k.stamps[path], old != stamp { forget(path) }
        k.stamps[path] = stamp
        k.order.removeAll { $0 == path }
        k.order.append(path)
        var held = (surfaces.values.map(Self.bytes) + cropSurfaces.values.map(Self.bytes)).reduce(0, +)
        while held > k.bytes, k.order.count > 1 {
            let oldest = k.order.removeFirst()
            k.stamps[oldest] = nil
            held -= forget(oldest)
        }
        kept = k
    }

    /// Lets go of every surface made of the image at `path`; returns their bytes.
    @discardableResult
    private func forget(_ path: String) -> Int {
        var freed = 0
        func drop(_ table: inout [String: OpaquePointer]) {
            for key in table.keys where key == path || key.hasPrefix(path + "\u{0}") {
                let s = table.removeValue(forKey: key)!
                freed += Self.bytes(of: s)
                cairo_surface_destroy(s)
            }
        }
        drop(&surfaces)
        drop(&cropSurfaces)
        return freed
    }

    /// The bytes of an image surface's pixels.
    private static func bytes(of s: OpaquePointer) -> Int { Int(cairo_image_surface_get_stride(s)) * Int(cairo_image_surface_get_height(s)) }

    /// The print variant's stand-in for page `page` of the PDF at `path`: a 1 × 1 image that the
    /// finisher replaces by the page itself as a form XObject (`ImageStreamFix.pdfPage`).
    func pdfPageStandIn(_ path: String, page: Int) throws -> OpaquePointer {
        let key = path + "\u{0}page \(page)"
        if let s = surfaces[key] { return s }
        let (s, fix) = try standInSurface(named: "Folio PDF page \(page) of \(path)", width: 1, height: 1)
        streamFixes[fix] = .pdfPage(path: path, page: page)
        surfaces[key] = s
        return s
    }

    /// The surface for an image, loaded once per renderer. `needed`: the share of its pixels
    /// per side to keep (`needed(for:in:)`); a JPEG being previewed is decoded with no more
    /// than the next of libjpeg-turbo's scales (a 12-megapixel photo across a page at 110 dpi:
    /// a quarter of its width and height), again if another share is asked for.
    func surface(for image: ImageInfo, needed: Double = 1) throws -> OpaquePointer {
        // A JPEG decoded smaller is kept apart from the same image at another share.
        let (share, suffix) = decoding(image, needed: needed)
        let key = image.path + suffix
        if kept != nil { keep(image.path) }
        if let s = surfaces[key] { return s }
        if !keepsInks, let prefetched = started[image.path], prefetched.share == share {
            started[image.path] = nil
            if let s = prefetched.decoding.wait() {
                surfaces[key] = s
                return s
            }
        }
        decodeCount += 1
        let s: OpaquePointer
        switch image.format {
        case .png:
            s = try Self.png(image, colours: colours)
        case .jpeg:
            s = mode == .passThrough ? try jpegPassThrough(Data(try RegularFile.read(image.path, noun: "image")), image)
                                     : try Self.jpegDecoded(image, share: share, colours: colours)
        case .tiff:
            if let cmyk = try CMYKPixels.tiff(image.path, maxPixels: image.pixelWidth * image.pixelHeight) {
                if keepsInks {
                    let standIn = try cmyk.standIn()
                    streamFixes[standIn.key] = standIn.fix
                    standIns.insert(image.path)
                    s = standIn.surface
                } else {
                    s = cmyk.inks.withUnsafeBufferPointer {
                        colours.cmykToSurface($0.baseAddress!, width: cmyk.width, height: cmyk.height, profile: cmyk.profile)
                    }
                }
            } else {
                s = try pixbufSurface(image)
            }
        case .gif, .webp:
            s = try pixbufSurface(image)
        case .svg, .pdf:
            // SVGs and PDF graphics are drawn as vectors, never as a surface.
            throw FolioError("internal error: the SVG image \(image.path) asked for as pixels")
        }
        surfaces[key] = s
        return s
    }

    /// A PNG image decoded by Cairo (libpng), in sRGB when the file carries another profile.
    private static func png(_ image: ImageInfo, colours: ColourTransforms) throws -> OpaquePointer {
        if let problem = RegularFile.problem(image.path, noun: "image") { throw FolioError(problem) }
        guard let p = cairo_image_surface_create_from_png(image.path), cairo_surface_status(p) == CAIRO_STATUS_SUCCESS else {
            throw FolioError("cannot decode the PNG image \(image.path)")
        }
        if let profile = FileManager.default.contents(atPath: image.path).flatMap(EmbeddedProfile.png) {
            colours.toSRGB(p, profile: profile, alpha: cairo_image_surface_get_format(p) == CAIRO_FORMAT_ARGB32)
        }
        return p
    }

    /// GIF (first frame), WebP and RGB or grey TIFF decoded by gdk-pixbuf into a premultiplied
    /// ARGB32 surface, in sRGB when the file carries another profile.
    /// The corresponding C calls: `gdk_pixbuf_new_from_file`, `gdk_pixbuf_get_pixels`.
    private func pixbufSurface(_ image: ImageInfo) throws -> OpaquePointer {
        if let problem = RegularFile.problem(image.path, noun: "image") { throw FolioError(problem) }
        var error: UnsafeMutableRawPointer?
        guard let pixbuf = folio_gdk_pixbuf_new_from_file(image.path, &error) else {
            let why = takeMessage(error)
            throw FolioError("cannot decode the image \(image.path): \(why)")
        }
        // libtiff applies a TIFF's flips; the quarter turn left in the "orientation" option is applied here.
        let upright = folio_gdk_pixbuf_apply_embedded_orientation(pixbuf)
        let profile = folio_gdk_pixbuf_get_option(pixbuf, "icc-profile").flatMap { Data(base64Encoded: String(cString: $0)) }
        g_object_unref(pixbuf)
        guard let upright else { throw FolioError("cannot decode the image \(image.path)") }
        defer { g_object_unref(upright) }
        let w = Int(folio_gdk_pixbuf_get_width(upright)), h = Int(folio_gdk_pixbuf_get_height(upright))
        let channels = Int(folio_gdk_pixbuf_get_n_channels(upright)), stride = Int(folio_gdk_pixbuf_get_rowstride(upright))
        let alpha = folio_gdk_pixbuf_get_has_alpha(upright) != 0
        guard w > 0, h > 0, channels >= 3, let src = folio_gdk_pixbuf_get_pixels(upright) else { throw FolioError("cannot decode the image \(image.path)") }
        let s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        cairo_surface_flush(s)
        let dst = cairo_image_surface_get_data(s)!, dstStride = Int(cairo_image_surface_get_stride(s))
        for y in 0..<h {
            let from = src + y * stride, to = dst + y * dstStride
            for x in 0..<w {
                let p = from + x * channels
                let a = alpha ? Int(p[3]) : 255
                // Cairo wants B, G, R, A (little-endian ARGB32), colours premultiplied by alpha.
                to[4 * x] = UInt8(Int(p[2]) * a / 255); to[4 * x + 1] = UInt8(Int(p[1]) * a / 255)
                to[4 * x + 2] = UInt8(Int(p[0]) * a / 255); to[4 * x + 3] = UInt8(a)
            }
        }
        cairo_surface_mark_dirty(s)
        if let profile { colours.toSRGB(s, profile: profile, alpha: alpha) }
        return s
    }

    /// A surface of the right size whose JPEG bytes Cairo's PDF backend embeds as they are
    /// (`cairo_surface_set_mime_data`, DCTDecode, no recompression). Its pixels are never read.
    private func jpegPassThrough(_ data: Data, _ image: ImageInfo) throws -> OpaquePointer {
        // The stored size: the file's pixels, before the EXIF orientation turns them.
        let (w, h) = image.quarterTurned ? (image.pixelHeight, image.pixelWidth) : (image.pixelWidth, image.pixelHeight)
        return try jpegPassThrough(data, width: w, height: h, image)
    }

    /// The same for JPEG bytes of a known stored size (a cropped part of `image`).
    func jpegPassThrough(_ data: Data, width w: Int, height h: Int, _ image: ImageInfo) throws -> OpaquePointer {
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        let bytes = malloc(data.count)!
        data.copyBytes(to: bytes.assumingMemoryBound(to: UInt8.self), count: data.count)
        let status = cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self),
                                                 UInt(data.count), { free($0) }, bytes)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw FolioError("cannot attach the JPEG data of \(image.path)")
        }
        if let profile = EmbeddedProfile.jpeg(data), !ColourTransforms.isSRGB(profile) {
            var digest = SHA256()
            digest.update(data)
            if let n = JPEGInfo.components(data), EmbeddedProfile.components(profile) == n {
                streamFixes[digest.hexDigest()] = .profile(profile, components: n)
            }
        }
        return s
    }

    /// A JPEG decoded at `share` for a preview: from its proxy, when an earlier run kept one
    /// (`ImageProxies`), else from the file — and kept as a proxy if it is large.
    private static func jpegDecoded(_ image: ImageInfo, share: Double, colours: ColourTransforms) throws -> OpaquePointer {
        let proxy = ImageProxies.path(of: image, share: share)
        if let proxy, let s = ImageProxies.load(proxy) { return s }
        let s = try jpegDecoded(Data(RegularFile.read(image.path, noun: "image")), image, share: share, colours: colours)
        // Kept while the page is drawn (the preview waits for it before it ends).
        if let proxy { ImageProxies.storeLater(s, at: proxy) }
        return s
    }

    /// Decodes a JPEG to a Cairo RGB24 surface (B, G, R, X bytes on little-endian machines), in
    /// sRGB; CMYK (print) JPEGs through their own or the default CMYK profile. `share`: one of
    /// `jpegScales` — libjpeg-turbo scales while it decodes (in the DCT, no pixel made and dropped).
    private static func jpegDecoded(_ data: Data, _ image: ImageInfo, share: Double = 1, colours: ColourTransforms) throws -> OpaquePointer {
        guard let tj = tjInitDecompress() else { throw FolioError("libturbojpeg is unavailable") }
        defer { tjDestroy(tj) }
        var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, space: Int32 = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            tjDecompressHeader3(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &w, &h, &sub, &space) == 0
        }
        guard ok, w > 0, h > 0 else { throw FolioError("cannot read the JPEG image \(image.path)") }
        // The scaled size as libjpeg-turbo makes it (TJSCALED: rounded up), asked for exactly.
        let eighths = Int32((share * 8).rounded())
        if eighths < 8 { (w, h) = ((w * eighths + 7) / 8, (h * eighths + 7) / 8) }
        let profile = EmbeddedProfile.jpeg(data)
        if space == Int32(TJCS_CMYK.rawValue) || space == Int32(TJCS_YCCK.rawValue) {
            var cmyk = [UInt8](repeating: 0, count: Int(w) * Int(h) * 4)
            let decoded = data.withUnsafeBytes { raw in
                tjDecompress2(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &cmyk, w, 0, h, Int32(TJPF_CMYK.rawValue), 0) == 0
            }
            guard decoded else { throw FolioError("cannot decode the JPEG image \(image.path)") }
            // Adobe's files, the common ones, store inverted inks (255 = none).
            if JPEGInfo.isAdobe(data) { for i in cmyk.indices { cmyk[i] = 255 - cmyk[i] } }
            return cmyk.withUnsafeBufferPointer { colours.cmykToSurface($0.baseAddress!, width: Int(w), height: Int(h), profile: profile) }
        }
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)!
        let stride = cairo_image_surface_get_stride(s)
        cairo_surface_flush(s)
        let pixels = cairo_image_surface_get_data(s)!
        let decoded = data.withUnsafeBytes { raw -> Bool in
            tjDecompress2(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), pixels,
                          w, stride, h, Int32(TJPF_BGRX.rawValue), 0) == 0
        }
        cairo_surface_mark_dirty(s)
        guard decoded else {
            cairo_surface_destroy(s)
            throw FolioError("cannot decode the JPEG image \(image.path)")
        }
        if let profile { colours.toSRGB(s, profile: profile, alpha: false) }
        return s
    }
}

/// Facts about a JPEG file read from its markers (FolioCore's `JPEGSegments`).
enum JPEGInfo {
    /// Whether the file carries Adobe's APP14 marker (its CMYK values are then stored inverted).
    static func isAdobe(_ data: Data) -> Bool {
        let b = [UInt8](data.prefix(4096))
        return JPEGSegments.read(b).contains { $0.marker == 0xEE && b[$0.payload].starts(with: "Adobe".utf8) }
    }

    /// The number of colour components its frame header declares (1 grey, 3 colour, 4 CMYK).
    static func components(_ data: Data) -> Int? {
        let b = [UInt8](data.prefix(65536))
        return JPEGSegments.frame(b).map { Int(b[$0.payload.lowerBound + 5]) }
    }
}
