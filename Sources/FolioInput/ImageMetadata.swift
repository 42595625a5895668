/// What an image's own metadata says about how it is seen: a JPEG's EXIF orientation (cameras
/// store a portrait photo on its side and say so), and an SVG's intrinsic size (its root
/// element's width and height, or its viewBox), with the SVG checked to be well-formed XML.
import FolioCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

enum ImageMetadata {
    /// The EXIF orientation tag (0x0112) of a JPEG's APP1 segment, 1 when there is none.
    static func jpegOrientation(_ b: [UInt8]) -> Int {
        var i = 2
        while i + 4 < b.count, b[i] == 0xFF {
            let marker = b[i + 1], length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if marker == 0xDA || length < 2 { break }
            if marker == 0xE1, i + 10 + 8 < b.count, b[(i + 4)..<(i + 10)].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                return tiffOrientation(Array(b[(i + 10)..<min(b.count, i + 2 + length)])) ?? 1
            }
            i += 2 + length
        }
        return 1
    }

    /// The orientation entry of a TIFF structure's first IFD (EXIF's container).
    static func tiffOrientation(_ t: [UInt8]) -> Int? {
        guard t.count >= 8 else { return nil }
        let little = t[0] == 0x49
        func u16(_ o: Int) -> Int? { o + 1 < t.count ? (little ? Int(t[o]) | Int(t[o + 1]) << 8 : Int(t[o]) << 8 | Int(t[o + 1])) : nil }
        func u32(_ o: Int) -> Int? { guard let a = u16(o), let b = u16(o + 2) else { return nil }; return little ? a | b << 16 : a << 16 | b }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for k in 0..<min(count, 256) {
            let entry = ifd + 2 + 12 * k
            if u16(entry) == 0x0112, let value = u16(entry + 8), (1...8).contains(value) { return value }
        }
        return nil
    }

    /// Whether the bytes look like an SVG document (an `<svg` element near the start).
    static func isSVG(_ b: [UInt8]) -> Bool {
        String(decoding: b.prefix(4096), as: UTF8.self).range(of: "<svg", options: .caseInsensitive) != nil
    }

    /// The SVG's intrinsic size in points (px are 0.75 pt), or why it has none.
    static func svgSize(_ b: [UInt8], path: String) throws -> (width: Int, height: Int) {
        let parser = XMLParser(data: Data(b))
        let root = RootAttributes()
        parser.delegate = root
        guard parser.parse() || root.attributes != nil else {
            throw FolioError("the SVG image \(path) is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "unreadable"))")
        }
        let a = root.attributes ?? [:]
        func length(_ s: String?) -> Double? {
            guard let s = s?.trimmingCharacters(in: .whitespaces), !s.hasSuffix("%") else { return nil }
            let units: [(String, Double)] = [("pt", 1), ("px", 0.75), ("mm", 72 / 25.4), ("cm", 72 / 2.54), ("in", 72)]
            for (u, f) in units where s.hasSuffix(u) { return Double(s.dropLast(u.count)).map { $0 * f } }
            return Double(s).map { $0 * 0.75 }
        }
        if let w = length(a["width"]), let h = length(a["height"]), w > 0, h > 0 { return (Int(w.rounded(.up)), Int(h.rounded(.up))) }
        let box = (a["viewBox"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        if box.count == 4, box[2] > 0, box[3] > 0 { return (Int((box[2] * 0.75).rounded(.up)), Int((box[3] * 0.75).rounded(.up))) }
        throw FolioError("the SVG image \(path) has no size: give its root element width and height, or a viewBox")
    }

    /// Collects the root element's attributes and stops.
    private final class RootAttributes: NSObject, XMLParserDelegate {
        var attributes: [String: String]?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if self.attributes == nil { self.attributes = attributes }
        }
    }
}
