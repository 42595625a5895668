/// CMYK images as printers want them: a CMYK TIFF is read with libtiff as its inks. For the
/// screen PDF and previews the inks become sRGB through a CMYK profile (ColourProfiles.swift);
/// in the print variant they are kept: Cairo, which writes RGB only, is handed a tiny stand-in
/// JPEG that it embeds verbatim, and `PDFFinisher` replaces that stream by the inks
/// (`/DeviceCMYK`, Flate, lossless), which Ghostscript's CMYK conversion then leaves as they are.
import CPangoCairo
import CTIFF
import CTurboJPEG
import FolioCore
import Foundation

/// The inks of an 8-bit CMYK image, upright (C, M, Y, K bytes per pixel, 255 = full ink).
struct CMYKPixels {
    var width: Int
    var height: Int
    var inks: [UInt8]
    var profile: Data?

    /// The first page of `path` when it is an 8-bit CMYK TIFF, turned upright by its orientation
    /// tag; nil for any other TIFF. More than `maxPixels` is an error.
    static func tiff(_ path: String, maxPixels: Int) throws -> CMYKPixels? {
        var w: UInt32 = 0, h: UInt32 = 0, orientation: UInt16 = 1, iccLength: UInt32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?, icc: UnsafeMutablePointer<UInt8>?
        var error = [CChar](repeating: 0, count: 256)
        let status = folio_tiff_read_cmyk(path, UInt32(clamping: maxPixels), &w, &h, &orientation, &pixels, &icc, &iccLength, &error, error.count)
        defer { free(pixels); free(icc) }
        if status == 1 { return nil }
        guard status == 0, let pixels else {
            throw FolioError("cannot decode the TIFF image \(path): \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        let stored = [UInt8](UnsafeBufferPointer(start: pixels, count: Int(w) * Int(h) * 4))
        var image = CMYKPixels(width: Int(w), height: Int(h), inks: stored, profile: icc.map { Data(bytes: $0, count: Int(iccLength)) })
        image.orient(Int(orientation))
        return image
    }

    /// Turns and flips the stored pixels by a TIFF/EXIF orientation (1–8) so that row 0 is the top.
    mutating func orient(_ orientation: Int) {
        guard (2...8).contains(orientation) else { return }
        let (w, h) = (width, height)
        let turned = orientation >= 5
        let (ow, oh) = turned ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: inks.count)
        for y in 0..<oh {
            for x in 0..<ow {
                // The stored pixel shown at (x, y).
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (w - 1 - x, y)
                case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                case 4: (sx, sy) = (x, h - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, h - 1 - x)
                case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                default: (sx, sy) = (w - 1 - y, x)
                }
                let from = (sy * w + sx) * 4, to = (y * ow + x) * 4
                out[to] = inks[from]; out[to + 1] = inks[from + 1]; out[to + 2] = inks[from + 2]; out[to + 3] = inks[from + 3]
            }
        }
        inks = out
        (width, height) = (ow, oh)
    }
}

/// How an image stream Cairo wrote verbatim (a JPEG) is to be changed in the finished PDF,
/// keyed by the SHA-256 of that stream's bytes.
enum ImageStreamFix: Sendable {
    /// Replace the stream by these inks: Flate-compressed `/DeviceCMYK`, 8 bits.
    case inks(width: Int, height: Int, deflated: Data)
    /// Keep the pixels, describe their colours by the embedded ICC profile (`/ICCBased`).
    case profile(Data, components: Int)
    /// Replace the stream by a form XObject that draws page `page` (from 1) of the PDF at
    /// `path` — its own content, colours and fonts — in the unit square the image filled: the
    /// print variant's PDF ads keep their inks (poppler would draw them through Cairo, in RGB).
    case pdfPage(path: String, page: Int)
}

/// A stand-in for what Cairo cannot draw (CMYK pixels, another PDF's page): an RGB24 surface of
/// `width` × `height` pixels whose PDF form is a 1 × 1 CMYK JPEG carrying `name` in a comment, so
/// that its bytes are unique to it; and its key for `ImageStreamFix` (the SHA-256 of the JPEG).
func standInSurface(named name: String, width: Int, height: Int) throws -> (surface: OpaquePointer, key: String) {
    var jpeg = try CMYKPixels.tinyCMYKJPEG()
    let comment = Array(name.utf8)
    jpeg.insert(contentsOf: [0xFF, 0xFE, UInt8((comment.count + 2) >> 8), UInt8((comment.count + 2) & 0xFF)] + comment, at: 2)
    var key = SHA256()
    key.update(jpeg)
    let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
    let bytes = malloc(jpeg.count)!
    jpeg.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: jpeg.count) }
    let status = cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self),
                                             UInt(jpeg.count), { free($0) }, bytes)
    guard status == CAIRO_STATUS_SUCCESS else {
        cairo_surface_destroy(s)
        throw FolioError("internal error: cannot attach a stand-in")
    }
    return (s, key.hexDigest())
}

extension CMYKPixels {
    /// A stand-in for Cairo (which cannot draw CMYK): an RGB24 surface of the image's size whose
    /// PDF form is a 1 × 1 CMYK JPEG naming these inks in a comment, so that its bytes are unique
    /// to them; and the fix that puts the inks in its place.
    func standIn() throws -> (surface: OpaquePointer, key: String, fix: ImageStreamFix) {
        var digest = SHA256()
        digest.update(inks)
        let name = "Folio CMYK \(width)x\(height) \(digest.hexDigest())"
        guard let deflated = Deflate.bytes(inks) else { throw FolioError("internal error: cannot compress a CMYK image") }
        let (s, key) = try standInSurface(named: name, width: width, height: height)
        return (s, key, .inks(width: width, height: height, deflated: Data(deflated)))
    }

    /// A valid 1 × 1 CMYK JPEG (libturbojpeg).
    static func tinyCMYKJPEG() throws -> [UInt8] {
        guard let tj = tjInitCompress() else { throw FolioError("libturbojpeg is unavailable") }
        defer { tjDestroy(tj) }
        var pixel: [UInt8] = [0, 0, 0, 0]
        var out: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        guard tjCompress2(tj, &pixel, 1, 0, 1, Int32(TJPF_CMYK.rawValue), &out, &size, Int32(TJSAMP_444.rawValue), 90, 0) == 0, let out else {
            throw FolioError("internal error: cannot make a JPEG")
        }
        defer { tjFree(out) }
        return [UInt8](UnsafeBufferPointer(start: out, count: Int(size)))
    }
}
