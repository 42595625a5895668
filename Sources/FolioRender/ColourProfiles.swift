/// Colour as the image's maker meant it: an embedded ICC profile (a camera's Adobe RGB, a
/// printer's CMYK) is honoured with lcms2 (Debian liblcms2-dev) when pixels are decoded for the
/// screen, and CMYK pixels are converted to screen RGB through a CMYK profile rather than by
/// arithmetic. The profiles themselves are read here from JPEG (APP2) and PNG (iCCP) files.
import CLCMS2
import CPangoCairo
import CZlib
import FolioCore
import Foundation

/// lcms2 transforms to sRGB, made once per profile. Not thread-safe: one per `ImageCache`.
final class ColourTransforms {
    private enum Kind: Hashable { case rgb(premultiplied: Bool), cmyk }
    private struct Key: Hashable { let profile: Data; let kind: Kind }
    /// nil: the profile is sRGB already, of another colour space, or unreadable (pixels are left).
    private var transforms: [Key: cmsHTRANSFORM?] = [:]

    /// The CMYK profile for CMYK pixels that carry none: Ghostscript's default (SWOP-like), as
    /// for the print variant's output intent.
    static let defaultCMYK: Data? = FileManager.default.contents(atPath: PrintConverter.defaultProfile)

    deinit { for case let t?? in transforms.values { cmsDeleteTransform(t) } }

    /// Converts a Cairo surface's pixels (B, G, R, A/X bytes; premultiplied when `alpha`) from
    /// `profile` to sRGB in place. Does nothing for an sRGB or non-RGB profile.
    func toSRGB(_ surface: OpaquePointer, profile: Data, alpha: Bool) {
        guard let t = transform(profile, .rgb(premultiplied: alpha)) else { return }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        for y in 0..<h { cmsDoTransform(t, data + y * stride, data + y * stride, cmsUInt32Number(w)) }
        cairo_surface_mark_dirty(surface)
    }

    /// CMYK pixels (C, M, Y, K bytes, 255 = full ink) as screen colours in an RGB24 surface
    /// through `profile` (the image's own, else the default CMYK profile); by arithmetic only
    /// when no CMYK profile can be read.
    func cmykToSurface(_ cmyk: UnsafePointer<UInt8>, width w: Int, height h: Int, profile: Data?) -> OpaquePointer {
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        cairo_surface_flush(s)
        let data = cairo_image_surface_get_data(s)!, stride = Int(cairo_image_surface_get_stride(s))
        let t = (profile.flatMap { transform($0, .cmyk) }) ?? Self.defaultCMYK.flatMap { transform($0, .cmyk) }
        for y in 0..<h {
            let from = cmyk + y * w * 4, to = data + y * stride
            if let t {
                cmsDoTransform(t, from, to, cmsUInt32Number(w))
                for x in 0..<w { to[4 * x + 3] = 255 }
            } else {
                for x in 0..<w {
                    let k = 255 - Int(from[4 * x + 3])
                    to[4 * x + 2] = UInt8((255 - Int(from[4 * x])) * k / 255)
                    to[4 * x + 1] = UInt8((255 - Int(from[4 * x + 1])) * k / 255)
                    to[4 * x] = UInt8((255 - Int(from[4 * x + 2])) * k / 255)
                    to[4 * x + 3] = 255
                }
            }
        }
        cairo_surface_mark_dirty(s)
        return s
    }

    private func transform(_ profile: Data, _ kind: Kind) -> cmsHTRANSFORM? {
        let key = Key(profile: profile, kind: kind)
        if let known = transforms[key] { return known }
        let made = makeTransform(profile, kind)
        transforms[key] = made
        return made
    }

    private func makeTransform(_ profile: Data, _ kind: Kind) -> cmsHTRANSFORM? {
        let source = profile.withUnsafeBytes { cmsOpenProfileFromMem($0.baseAddress, cmsUInt32Number($0.count)) }
        guard let source else { return nil }
        defer { cmsCloseProfile(source) }
        let space = cmsGetColorSpace(source)
        let input: cmsUInt32Number
        switch kind {
        case .rgb(let premultiplied):
            guard space == cmsSigRgbData, !Self.isSRGB(source) else { return nil }
            input = premultiplied ? folio_TYPE_BGRA_8_PREMUL : folio_TYPE_BGRA_8
        case .cmyk:
            guard space == cmsSigCmykData else { return nil }
            input = folio_TYPE_CMYK_8
        }
        let output: cmsUInt32Number = kind == .rgb(premultiplied: true) ? folio_TYPE_BGRA_8_PREMUL : folio_TYPE_BGRA_8
        guard let srgb = cmsCreate_sRGBProfile() else { return nil }
        defer { cmsCloseProfile(srgb) }
        let flags = cmsUInt32Number(cmsFLAGS_BLACKPOINTCOMPENSATION) | (kind == .cmyk ? 0 : cmsUInt32Number(cmsFLAGS_COPY_ALPHA))
        return cmsCreateTransform(source, input, srgb, output, cmsUInt32Number(INTENT_PERCEPTUAL), flags)
    }

    /// Whether `data` is an sRGB profile (or none lcms2 reads): nothing to honour.
    static func isSRGB(_ data: Data) -> Bool {
        guard let p = data.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, cmsUInt32Number($0.count)) }) else { return true }
        defer { cmsCloseProfile(p) }
        return isSRGB(p)
    }

    /// An sRGB profile by its description ("sRGB IEC61966-2.1", "sRGB built-in"): converting
    /// through it would change nothing but the time taken.
    private static func isSRGB(_ profile: cmsHPROFILE) -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", &buffer, cmsUInt32Number(buffer.count))
        return n > 0 && String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).contains("sRGB")
    }
}

/// ICC profiles embedded in image files.
enum EmbeddedProfile {
    /// A JPEG's profile: its APP2 `ICC_PROFILE` segments, joined in their sequence order.
    static func jpeg(_ data: Data) -> Data? {
        let bytes = [UInt8](data), tag = Array("ICC_PROFILE".utf8) + [0]
        let parts = JPEGSegments.read(bytes).filter { $0.marker == 0xE2 && $0.payload.count > 14 && bytes[$0.payload].starts(with: tag) }
            .map { (Int(bytes[$0.payload.lowerBound + 12]), bytes[($0.payload.lowerBound + 14)..<$0.payload.upperBound]) }
        guard !parts.isEmpty else { return nil }
        return Data(parts.sorted { $0.0 < $1.0 }.flatMap { $0.1 })
    }

    /// How many components a profile's colour space has (its header's signature), nil for others.
    static func components(_ profile: Data) -> Int? {
        guard profile.count >= 20 else { return nil }
        switch String(decoding: profile[profile.startIndex + 16 ..< profile.startIndex + 20], as: UTF8.self) {
        case "GRAY": return 1
        case "RGB ": return 3
        case "CMYK": return 4
        default: return nil
        }
    }

    /// A PNG's profile: its `iCCP` chunk (name, a zero, the method, the zlib-compressed profile).
    static func png(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        var i = 8
        while i + 12 <= bytes.count {
            let length = bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard length >= 0, i + 12 + length <= bytes.count else { return nil }
            if type == "iCCP" {
                let chunk = bytes[(i + 8)..<(i + 8 + length)]
                guard let zero = chunk.firstIndex(of: 0), zero + 2 < chunk.endIndex else { return nil }
                return inflate(Array(chunk[(zero + 2)...]))
            }
            if type == "IDAT" || type == "IEND" { return nil }
            i += 12 + length
        }
        return nil
    }

    /// zlib data inflated (at most 16 MB: an ICC profile is far smaller), nil if it is not zlib data.
    private static func inflate(_ input: [UInt8]) -> Data? {
        var capacity = max(4096, input.count * 4)
        while capacity <= 16 << 20 {
            var out = [UInt8](repeating: 0, count: capacity)
            var length = uLong(capacity)
            let status = uncompress(&out, &length, input, uLong(input.count))
            if status == Z_OK { return Data(out.prefix(Int(length))) }
            guard status == Z_BUF_ERROR else { return nil }
            capacity *= 4
        }
        return nil
    }
}
