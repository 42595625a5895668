/// What an image's own metadata says about how it is seen: a JPEG's EXIF orientation (cameras
/// store a portrait photo on its side and say so), and an SVG's intrinsic size (its root
/// element's width and height, or its viewBox), with the SVG checked to be well-formed XML.
import CXML2
import FolioCore
import Foundation

enum ImageMetadata {
    /// The EXIF orientation tag (0x0112) of a JPEG's APP1 segment, 1 when there is none.
    static func jpegOrientation(_ b: [UInt8]) -> Int {
        let exif: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        guard let app1 = JPEGSegments.read(b).first(where: { $0.marker == 0xE1 && b[$0.payload].starts(with: exif) && $0.payload.count > 14 })?.payload
        else { return 1 }
        return TIFFDirectory(Array(b[(app1.lowerBound + 6)..<app1.upperBound]))?.orientation ?? 1
    }

    /// The format and pixel size of a GIF or WebP from its header, nil for other files.
    static func otherRasterSize(_ b: [UInt8]) -> (ImageInfo.Format, (width: Int, height: Int))? {
        func le16(_ o: Int) -> Int { o + 1 < b.count ? Int(b[o]) | Int(b[o + 1]) << 8 : 0 }
        func le24(_ o: Int) -> Int { o + 2 < b.count ? le16(o) | Int(b[o + 2]) << 16 : 0 }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return (.gif, (le16(6), le16(8))) }
        if b.count >= 30, b.starts(with: Array("RIFF".utf8)), b[8..<12].elementsEqual("WEBP".utf8) {
            let chunk = String(decoding: b[12..<16], as: UTF8.self)
            switch chunk {
            case "VP8 ": return (.webp, (le16(26) & 0x3FFF, le16(28) & 0x3FFF))
            case "VP8L":
                let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
                return (.webp, ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1))
            case "VP8X": return (.webp, (le24(24) + 1, le24(27) + 1))
            default: return nil
            }
        }
        return nil
    }

    /// A TIFF file's signature (little- or big-endian).
    static func isTIFF(_ b: [UInt8]) -> Bool { b.starts(with: [0x49, 0x49, 0x2A, 0]) || b.starts(with: [0x4D, 0x4D, 0, 0x2A]) }

    /// Whether the bytes look like an SVG document (an `<svg` element near the start).
    static func isSVG(_ b: [UInt8]) -> Bool {
        String(decoding: b.prefix(4096), as: UTF8.self).range(of: "<svg", options: .caseInsensitive) != nil
    }

    /// The SVG's intrinsic size in points (px are 0.75 pt), or why it has none. The document is
    /// read with libxml2 (no network, no entities from outside), which also checks that it is
    /// well-formed. The corresponding C calls: `xmlReadMemory`, `xmlDocGetRootElement`, `xmlGetProp`.
    static func svgSize(_ b: [UInt8], path: String) throws -> (width: Int, height: Int) {
        let capacity = 256
        var width = [CChar](repeating: 0, count: capacity), height = width, viewBox = width
        let found = b.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                folio_svg_root(chars.baseAddress, Int32(chars.count), &width, &height, &viewBox, Int32(capacity))
            }
        }
        guard found >= 0 else { throw FolioError("the SVG image \(path) is not well-formed XML") }
        guard found == 1 else { throw FolioError("the SVG image \(path) has no <svg> root element") }
        func text(_ c: [CChar]) -> String? {
            let s = String(decoding: c.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return s.isEmpty ? nil : s
        }
        func attribute(_ name: String) -> String? { text(name == "width" ? width : name == "height" ? height : viewBox) }
        func length(_ s: String?) -> Double? {
            guard let s = s?.trimmingCharacters(in: .whitespaces), !s.hasSuffix("%") else { return nil }
            let units: [(String, Double)] = [("pt", 1), ("px", 0.75), ("mm", 72 / 25.4), ("cm", 72 / 2.54), ("in", 72)]
            for (u, f) in units where s.hasSuffix(u) { return Double(s.dropLast(u.count)).map { $0 * f } }
            return Double(s).map { $0 * 0.75 }
        }
        let limit = Double(ImageProbe.maxPixels)
        if let w = length(attribute("width")), let h = length(attribute("height")), w > 0, h > 0, w < limit, h < limit {
            return (Int(w.rounded(.up)), Int(h.rounded(.up)))
        }
        let box = (attribute("viewBox") ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        if box.count == 4, box[2] > 0, box[3] > 0, box[2] < limit, box[3] < limit {
            return (Int((box[2] * 0.75).rounded(.up)), Int((box[3] * 0.75).rounded(.up)))
        }
        throw FolioError("the SVG image \(path) has no size: give its root element width and height, or a viewBox")
    }
}

/// The first directory (IFD) of a TIFF structure — a TIFF file, or the EXIF block of a JPEG:
/// its entries' values (SHORT or LONG), read with the byte order the header gives.
struct TIFFDirectory {
    private var values: [Int: Int] = [:]
    /// The offset of the next directory (0: none).
    private(set) var next = 0
    private let fileSize: Int

    init?(_ t: [UInt8]) {
        guard t.count >= 8 else { return nil }
        let little = t[0] == 0x49
        func u16(_ o: Int) -> Int? { o >= 0 && o + 1 < t.count ? (little ? Int(t[o]) | Int(t[o + 1]) << 8 : Int(t[o]) << 8 | Int(t[o + 1])) : nil }
        func u32(_ o: Int) -> Int? { guard let a = u16(o), let b = u16(o + 2) else { return nil }; return little ? a | b << 16 : a << 16 | b }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        fileSize = t.count
        for k in 0..<min(count, 512) {
            let e = ifd + 2 + 12 * k
            guard let tag = u16(e), let type = u16(e + 2) else { break }
            if values[tag] == nil, let value = type == 3 ? u16(e + 8) : u32(e + 8) { values[tag] = value }
        }
        next = u32(ifd + 2 + 12 * count) ?? 0
    }

    /// ImageWidth (256) and ImageLength (257).
    var size: (width: Int, height: Int)? {
        guard let w = values[256], let h = values[257] else { return nil }
        return (w, h)
    }

    /// The orientation entry (0x0112, 1–8), nil when absent or out of range.
    var orientation: Int? { values[0x0112].flatMap { (1...8).contains($0) ? $0 : nil } }

    /// Whether a second image follows (scanners and fax software write multi-page TIFFs, of
    /// which Folio places the first page).
    var hasMorePages: Bool { next != 0 && next < fileSize }
}
