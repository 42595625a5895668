/// The print variant as PDF/X-4, made by Folio itself rather than by Ghostscript (and the
/// colours of the PDF/X-3 variant before Ghostscript converts its images): what the
/// screen PDF is — tagged structure, text, vectors, images as embedded — with its colours as a
/// press wants them and the file saying what it is made for:
/// - every flat colour (text, rules, tints) as inks of the output profile: neutral ones as black
///   ink alone (black text prints on one plate, not as a four-colour black), others through
///   lcms2 (relative colorimetric, black point compensation); solid black overprints (a hair of
///   misregistration leaves no white edge around black text on a tint), white never does;
/// - images, gradients and transparency groups stay RGB, as ICC-based sRGB (PDF/X-4's late
///   binding: the printer's RIP converts them to the press), and CMYK images keep their inks;
/// - the output intent (the CMYK profile embedded), `/Trapped /False`, and the XMP identifying
///   PDF/X-4 (`pdfxid:GTS_PDFXVersion`, the document and version ids).
/// The colours are rewritten by libqpdf's content-stream tokenizer (`folio_qpdf_print_colours`,
/// C++); the rest through its C API like every finishing step.
import CLCMS2
import CQPDF
import CQPDFPlus
import FolioCore
import Foundation

/// The output condition a PDF/X-4 file is made for: the press's CMYK profile.
public struct PrintIntent: Sendable {
    /// The ICC profile's bytes (CMYK) and its name (its description, else its file's).
    public let profile: Data
    public let name: String
    /// Whether it is Ghostscript's default profile (a SWOP-like coated condition, CGATS TR 001).
    let isDefault: Bool

    /// sRGB as an ICC profile (v2, no date: the same bytes every time), for the RGB that stays.
    static let srgbPath = "/usr/share/color/icc/ghostscript/srgb.icc"

    /// Reads the CMYK profile at `path`.
    public init(profilePath path: String) throws {
        try PrintConverter.checkProfile(path)
        guard let data = FileManager.default.contents(atPath: path) else { throw FolioError("cannot read the ICC profile \(path)") }
        guard let p = data.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, cmsUInt32Number($0.count)) }) else {
            throw FolioError("\(path) is not an ICC profile lcms2 can read")
        }
        defer { cmsCloseProfile(p) }
        guard cmsGetColorSpace(p) == cmsSigCmykData else { throw FolioError("\(path) is not a CMYK profile: PDF/X-4 prints to CMYK") }
        var text = [CChar](repeating: 0, count: 256)
        let n = cmsGetProfileInfoASCII(p, cmsInfoDescription, "en", "US", &text, cmsUInt32Number(text.count))
        let description = n > 1 ? String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingCharacters(in: .whitespaces) : ""
        profile = data
        name = description.isEmpty ? URL(fileURLWithPath: path).lastPathComponent : description
        isDefault = RegularFile.resolved(path) == RegularFile.resolved(PrintConverter.defaultProfile)
    }
}

extension PDFFinisher {
    /// The output intent, and `/Trapped` and the PDF/X version in `/Info` (the XMP says the same:
    /// `PDFMetadata`).
    func declarePDFX4(_ pdf: qpdf_data, _ intent: PrintIntent) {
        let profile = qpdf_oh_new_stream(pdf)
        intent.profile.withUnsafeBytes {
            qpdf_oh_replace_stream_data(pdf, profile, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count, qpdf_oh_new_null(pdf), qpdf_oh_new_null(pdf))
        }
        qpdf_oh_replace_key(pdf, qpdf_oh_get_dict(pdf, profile), "/N", qpdf_oh_new_integer(pdf, 4))
        let oi = qpdf_oh_new_dictionary(pdf)
        qpdf_oh_replace_key(pdf, oi, "/Type", qpdf_oh_new_name(pdf, "/OutputIntent"))
        qpdf_oh_replace_key(pdf, oi, "/S", qpdf_oh_new_name(pdf, "/GTS_PDFX"))
        qpdf_oh_replace_key(pdf, oi, "/OutputConditionIdentifier", qpdf_oh_new_unicode_string(pdf, intent.isDefault ? "CGATS TR 001" : "Custom"))
        qpdf_oh_replace_key(pdf, oi, "/OutputCondition", qpdf_oh_new_unicode_string(pdf, intent.name))
        qpdf_oh_replace_key(pdf, oi, "/Info", qpdf_oh_new_unicode_string(pdf, intent.name))
        qpdf_oh_replace_key(pdf, oi, "/RegistryName", qpdf_oh_new_unicode_string(pdf, "http://www.color.org"))
        qpdf_oh_replace_key(pdf, oi, "/DestOutputProfile", profile)
        let intents = qpdf_oh_new_array(pdf)
        qpdf_oh_append_item(pdf, intents, oi)
        qpdf_oh_replace_key(pdf, qpdf_get_root(pdf), "/OutputIntents", intents)
        let info = qpdf_oh_get_key(pdf, qpdf_get_trailer(pdf), "/Info")
        if qpdf_oh_is_dictionary(pdf, info) == QPDF_TRUE {
            qpdf_oh_replace_key(pdf, info, "/Trapped", qpdf_oh_new_name(pdf, "/False"))
            qpdf_oh_replace_key(pdf, info, "/GTS_PDFXVersion", qpdf_oh_new_unicode_string(pdf, "PDF/X-4"))
        }
    }

    /// The finished PDF's colours for the press (see the top of this file).
    static func printColours(_ data: Data, _ intent: PrintIntent) throws -> Data {
        guard let srgb = FileManager.default.contents(atPath: PrintIntent.srgbPath) else {
            throw FolioError("PDF/X-4 needs the sRGB profile \(PrintIntent.srgbPath) (apt-get install ghostscript)")
        }
        let inks = try Inks(intent.profile)
        var error = [CChar](repeating: 0, count: 512)
        var length = 0
        let out = data.withUnsafeBytes { pdf in
            srgb.withUnsafeBytes { icc in
                folio_qpdf_print_colours(pdf.baseAddress!.assumingMemoryBound(to: UInt8.self), pdf.count,
                                         icc.baseAddress!.assumingMemoryBound(to: UInt8.self), icc.count,
                                         { context, rgb, cmyk in
                                             Unmanaged<Inks>.fromOpaque(context!).takeUnretainedValue().convert(rgb!, cmyk!)
                                         }, Unmanaged.passUnretained(inks).toOpaque(), &length, &error, error.count)
            }
        }
        guard let out else { throw FolioError("internal error: libqpdf could not set the print colours: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))") }
        defer { free(out) }
        return Data(bytes: out, count: length)
    }
}

/// sRGB colours as the inks of a CMYK profile (lcms2).
final class Inks {
    private let transform: cmsHTRANSFORM

    init(_ profile: Data) throws {
        guard let cmyk = profile.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, cmsUInt32Number($0.count)) }) else {
            throw FolioError("the print profile is not an ICC profile lcms2 can read")
        }
        defer { cmsCloseProfile(cmyk) }
        guard let srgb = cmsCreate_sRGBProfile() else { throw FolioError("internal error: lcms2 has no sRGB") }
        defer { cmsCloseProfile(srgb) }
        guard let t = cmsCreateTransform(srgb, folio_TYPE_RGB_DBL, cmyk, folio_TYPE_CMYK_DBL, cmsUInt32Number(INTENT_RELATIVE_COLORIMETRIC),
                                         cmsUInt32Number(cmsFLAGS_BLACKPOINTCOMPENSATION)) else {
            throw FolioError("lcms2 cannot convert sRGB to the print profile")
        }
        transform = t
    }

    deinit { cmsDeleteTransform(transform) }

    /// `rgb` (three values 0–1) into `cmyk` (four, 0–1). A grey (black, white and every tint
    /// between) is black ink alone.
    func convert(_ rgb: UnsafePointer<Double>, _ cmyk: UnsafeMutablePointer<Double>) {
        if abs(rgb[0] - rgb[1]) < 0.002 && abs(rgb[1] - rgb[2]) < 0.002 {
            cmyk[0] = 0; cmyk[1] = 0; cmyk[2] = 0
            cmyk[3] = 1 - (rgb[0] + rgb[1] + rgb[2]) / 3
            return
        }
        cmsDoTransform(transform, rgb, cmyk, 1)
        for k in 0..<4 { cmyk[k] /= 100 }   // lcms2's floating-point CMYK is 0–100
    }
}
