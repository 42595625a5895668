/// What `PDFFinisher` changes in the image streams Cairo wrote, through libqpdf's object model:
/// - a stream named in `imageFixes` (by the SHA-256 of its bytes, which Cairo embeds verbatim):
///   a CMYK stand-in replaced by its inks, a PDF page's stand-in by the page as a form XObject,
///   or a JPEG given its ICC profile as `/ICCBased`;
/// - an Adobe CMYK JPEG (inverted inks) given the `/Decode` array that prints it positive;
/// - in the print variant, an image's soft mask (`/SMask`, its alpha) made a hard mask (`/Mask`,
///   painted where the alpha is at least one half): PDF/X-3 allows no transparency.
import CQPDF
import FolioCore
import Foundation

extension PDFFinisher {
    /// Every image of every page, and of the form XObjects they draw (PDF graphics, ads, SVGs).
    func fixImages(_ pdf: qpdf_data, pages: Int, foreign: ForeignPDFs) throws {
        var profiles: [Data: qpdf_oh] = [:]
        var seen = Set<Int32>()
        var replaced: [Int32: qpdf_oh] = [:]   // an image's object id → the form drawn instead
        for i in 0..<pages {
            forEachImage(pdf, resourcesOf: qpdf_get_page_n(pdf, i), depth: 0) { x in
                let id = qpdf_oh_get_object_id(pdf, x)
                guard seen.insert(id).inserted else { return replaced[id] }
                let d = qpdf_oh_get_dict(pdf, x)
                if qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, d, "/Filter"), "/DCTDecode") == QPDF_TRUE,
                   let form = fixJPEG(pdf, x, d, profiles: &profiles, foreign: foreign) {
                    replaced[id] = form
                    return form
                }
                if hardensMasks { hardenMask(pdf, d) }
                return nil
            }
        }
        if let problem = foreign.problems.first { throw FolioError(problem) }
    }

    /// `body` for each image, which may give an XObject to draw instead.
    private func forEachImage(_ pdf: qpdf_data, resourcesOf owner: qpdf_oh, depth: Int, _ body: (qpdf_oh) -> qpdf_oh?) {
        guard depth < 4 else { return }
        let dict = qpdf_oh_is_stream(pdf, owner) == QPDF_TRUE ? qpdf_oh_get_dict(pdf, owner) : owner
        let xobjects = qpdf_oh_get_key(pdf, qpdf_oh_get_key(pdf, dict, "/Resources"), "/XObject")
        guard qpdf_oh_is_dictionary(pdf, xobjects) == QPDF_TRUE else { return }
        var names: [String] = []
        qpdf_oh_begin_dict_key_iter(pdf, xobjects)
        while qpdf_oh_dict_more_keys(pdf) == QPDF_TRUE { names.append(String(cString: qpdf_oh_dict_next_key(pdf))) }
        for name in names {
            let x = qpdf_oh_get_key(pdf, xobjects, name)
            guard qpdf_oh_is_stream(pdf, x) == QPDF_TRUE else { continue }
            let subtype = qpdf_oh_get_key(pdf, qpdf_oh_get_dict(pdf, x), "/Subtype")
            if qpdf_oh_is_name_and_equals(pdf, subtype, "/Form") == QPDF_TRUE {
                forEachImage(pdf, resourcesOf: x, depth: depth + 1, body)
            } else if qpdf_oh_is_name_and_equals(pdf, subtype, "/Image") == QPDF_TRUE, let instead = body(x) {
                qpdf_oh_replace_key(pdf, xobjects, name, instead)
            }
        }
    }

    /// A JPEG image: fixed as `imageFixes` says, else an Adobe CMYK one given its `/Decode`;
    /// a PDF page's stand-in gives the form to draw instead.
    private func fixJPEG(_ pdf: qpdf_data, _ x: qpdf_oh, _ d: qpdf_oh, profiles: inout [Data: qpdf_oh], foreign: ForeignPDFs) -> qpdf_oh? {
        let cmyk = qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, d, "/ColorSpace"), "/DeviceCMYK") == QPDF_TRUE
        guard !imageFixes.isEmpty || (cmyk && qpdf_oh_has_key(pdf, d, "/Decode") != QPDF_TRUE) else { return nil }
        var filtered: QPDF_BOOL = QPDF_FALSE
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard succeeded(qpdf_oh_get_stream_data(pdf, x, qpdf_dl_none, &filtered, &buffer, &length)), let buffer else { return nil }
        defer { free(buffer) }
        if !imageFixes.isEmpty {
            var digest = SHA256()
            digest.update(UnsafeBufferPointer(start: buffer, count: length))
            switch imageFixes[digest.hexDigest()] {
            case .inks(let w, let h, let deflated)?:
                replaceData(pdf, x, [UInt8](deflated), filter: "/FlateDecode")
                qpdf_oh_replace_key(pdf, d, "/Width", qpdf_oh_new_integer(pdf, Int64(w)))
                qpdf_oh_replace_key(pdf, d, "/Height", qpdf_oh_new_integer(pdf, Int64(h)))
                qpdf_oh_replace_key(pdf, d, "/ColorSpace", qpdf_oh_new_name(pdf, "/DeviceCMYK"))
                qpdf_oh_replace_key(pdf, d, "/BitsPerComponent", qpdf_oh_new_integer(pdf, 8))
                qpdf_oh_remove_key(pdf, d, "/Decode")
                return nil
            case .pdfPage(let path, let page)?:
                return foreign.form(pdf, path: path, page: page)
            case .profile(let profile, let n)?:
                let space = qpdf_oh_new_array(pdf)
                qpdf_oh_append_item(pdf, space, qpdf_oh_new_name(pdf, "/ICCBased"))
                qpdf_oh_append_item(pdf, space, profiles[profile] ?? profileStream(pdf, profile, components: n, into: &profiles))
                qpdf_oh_replace_key(pdf, d, "/ColorSpace", space)
            case nil: break
            }
        }
        guard cmyk, qpdf_oh_has_key(pdf, d, "/Decode") != QPDF_TRUE,
              JPEGInfo.isAdobe(Data(bytes: buffer, count: min(length, 4096))) else { return nil }
        let decode = qpdf_oh_new_array(pdf)
        for v in [1, 0, 1, 0, 1, 0, 1, 0] { qpdf_oh_append_item(pdf, decode, qpdf_oh_new_integer(pdf, Int64(v))) }
        qpdf_oh_replace_key(pdf, d, "/Decode", decode)
        return nil
    }

    /// An ICC profile stream (`/N`, Flate), made once per profile.
    private func profileStream(_ pdf: qpdf_data, _ profile: Data, components: Int, into profiles: inout [Data: qpdf_oh]) -> qpdf_oh {
        let stream = qpdf_oh_new_stream(pdf)
        replaceData(pdf, stream, deflating: [UInt8](profile))
        qpdf_oh_replace_key(pdf, qpdf_oh_get_dict(pdf, stream), "/N", qpdf_oh_new_integer(pdf, Int64(components)))
        profiles[profile] = stream
        return stream
    }

    /// The image's `/SMask` (1 or 8 bits, as Cairo writes them) as a `/Mask` image mask: a
    /// sample of 1 (alpha below one half) leaves the page as it was.
    private func hardenMask(_ pdf: qpdf_data, _ d: qpdf_oh) {
        let smask = qpdf_oh_get_key(pdf, d, "/SMask")
        guard qpdf_oh_is_stream(pdf, smask) == QPDF_TRUE else { return }
        let sd = qpdf_oh_get_dict(pdf, smask)
        let w = Int(qpdf_oh_get_int_value(pdf, qpdf_oh_get_key(pdf, sd, "/Width")))
        let h = Int(qpdf_oh_get_int_value(pdf, qpdf_oh_get_key(pdf, sd, "/Height")))
        let bits = Int(qpdf_oh_get_int_value(pdf, qpdf_oh_get_key(pdf, sd, "/BitsPerComponent")))
        var filtered: QPDF_BOOL = QPDF_FALSE
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard w > 0, h > 0, bits == 1 || bits == 8,
              succeeded(qpdf_oh_get_stream_data(pdf, smask, qpdf_dl_generalized, &filtered, &buffer, &length)), let buffer else { return }
        defer { free(buffer) }
        let inRow = (w * bits + 7) / 8, outRow = (w + 7) / 8
        guard filtered == QPDF_TRUE, length >= inRow * h else { return }
        var mask = [UInt8](repeating: 0, count: outRow * h)
        for y in 0..<h {
            for x in 0..<w {
                let opaque = bits == 8 ? buffer[y * inRow + x] >= 128 : buffer[y * inRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0
                if !opaque { mask[y * outRow + x / 8] |= 0x80 >> UInt8(x % 8) }
            }
        }
        let stream = qpdf_oh_new_stream(pdf)
        replaceData(pdf, stream, deflating: mask)
        let md = qpdf_oh_get_dict(pdf, stream)
        qpdf_oh_replace_key(pdf, md, "/Type", qpdf_oh_new_name(pdf, "/XObject"))
        qpdf_oh_replace_key(pdf, md, "/Subtype", qpdf_oh_new_name(pdf, "/Image"))
        qpdf_oh_replace_key(pdf, md, "/Width", qpdf_oh_new_integer(pdf, Int64(w)))
        qpdf_oh_replace_key(pdf, md, "/Height", qpdf_oh_new_integer(pdf, Int64(h)))
        qpdf_oh_replace_key(pdf, md, "/ImageMask", qpdf_oh_new_bool(pdf, QPDF_TRUE))
        qpdf_oh_replace_key(pdf, md, "/BitsPerComponent", qpdf_oh_new_integer(pdf, 1))
        qpdf_oh_replace_key(pdf, d, "/Mask", stream)
        qpdf_oh_remove_key(pdf, d, "/SMask")
    }


    /// Sets a stream's bytes, already encoded by `filter` (nil: none).
    private func replaceData(_ pdf: qpdf_data, _ stream: qpdf_oh, _ bytes: [UInt8], filter: String?) {
        bytes.withUnsafeBufferPointer {
            qpdf_oh_replace_stream_data(pdf, stream, $0.baseAddress!, $0.count,
                                        filter.map { qpdf_oh_new_name(pdf, $0) } ?? qpdf_oh_new_null(pdf), qpdf_oh_new_null(pdf))
        }
    }

    /// Sets a stream's bytes, Flate-compressed.
    func replaceData(_ pdf: qpdf_data, _ stream: qpdf_oh, deflating bytes: [UInt8], fastest: Bool = false) {
        if let deflated = Deflate.bytes(bytes, fastest: fastest) { replaceData(pdf, stream, deflated, filter: "/FlateDecode") } else { replaceData(pdf, stream, bytes, filter: nil) }
    }
}

/// A libqpdf call's result without errors (warnings, e.g. earlier ones still queued, are no failure).
func succeeded(_ code: QPDF_ERROR_CODE) -> Bool { code & QPDF_ERROR_CODE(QPDF_ERRORS) == 0 }

/// The PDF files whose pages the print variant places as they are (`ImageStreamFix.pdfPage`):
/// each read once by its own libqpdf, which must stay open until the PDF that copies from it
/// is written (libqpdf reads the copied streams then).
final class ForeignPDFs {
    private var documents: [String: qpdf_data] = [:]
    /// Why a page could not be placed, one line each (the render then fails: a blank where an
    /// ad should print is worse than no PDF).
    private(set) var problems: [String] = []

    deinit {
        for document in documents.values {
            var q: qpdf_data? = document
            qpdf_cleanup(&q)
        }
    }

    private func document(_ path: String) -> qpdf_data? {
        if let q = documents[path] { return q }
        var q: qpdf_data? = qpdf_init()
        guard let pdf = q else { return nil }
        qpdf_silence_errors(pdf)
        qpdf_set_suppress_warnings(pdf, QPDF_TRUE)
        _ = qpdf_read(pdf, path, nil)
        if qpdf_has_error(pdf) == QPDF_TRUE || !succeeded(qpdf_push_inherited_attributes_to_page(pdf)) {
            let why = qpdf_get_error(pdf).map { String(cString: qpdf_get_error_full_text(pdf, $0)) } ?? "unreadable"
            problems.append("cannot place the PDF \(path) for print: \(why)")
            qpdf_cleanup(&q)
            return nil
        }
        documents[path] = pdf
        return pdf
    }

    /// Whether page `n` of the PDF at `path` can print as it is: it can be read and every font
    /// it uses is embedded (else the print variant draws it through poppler, with fonts found
    /// here, and its colours become inks like Folio's own); nil if so, else why not.
    static func whyNotPlaceable(_ path: String, page n: Int) -> String? {
        let check = ForeignPDFs()
        guard let source = check.document(path) else { return check.problems.first ?? "unreadable" }
        guard n >= 1, n <= Int(qpdf_get_num_pages(source)) else { return "it has no page \(n)" }
        var missing: [String] = []
        func fonts(_ resources: qpdf_oh, _ depth: Int) {
            guard depth < 8, qpdf_oh_is_dictionary(source, resources) == QPDF_TRUE else { return }
            for (kind, key) in [("font", "/Font"), ("form", "/XObject"), ("form", "/Pattern")] {
                let dict = qpdf_oh_get_key(source, resources, key)
                guard qpdf_oh_is_dictionary(source, dict) == QPDF_TRUE else { continue }
                var names: [String] = []
                qpdf_oh_begin_dict_key_iter(source, dict)
                while qpdf_oh_dict_more_keys(source) == QPDF_TRUE { names.append(String(cString: qpdf_oh_dict_next_key(source))) }
                for name in names {
                    var value = qpdf_oh_get_key(source, dict, name)
                    if kind == "form" {
                        if qpdf_oh_is_stream(source, value) == QPDF_TRUE { value = qpdf_oh_get_dict(source, value) }
                        fonts(qpdf_oh_get_key(source, value, "/Resources"), depth + 1)
                        continue
                    }
                    let subtype = qpdf_oh_get_key(source, value, "/Subtype")
                    if qpdf_oh_is_name_and_equals(source, subtype, "/Type3") == QPDF_TRUE { continue }
                    var font = value
                    if qpdf_oh_is_name_and_equals(source, subtype, "/Type0") == QPDF_TRUE {
                        font = qpdf_oh_get_array_item(source, qpdf_oh_get_key(source, value, "/DescendantFonts"), 0)
                    }
                    let descriptor = qpdf_oh_get_key(source, font, "/FontDescriptor")
                    let files: [String] = ["/FontFile", "/FontFile2", "/FontFile3"]
                    if !files.contains(where: { qpdf_oh_has_key(source, descriptor, $0) == QPDF_TRUE }) {
                        let base = qpdf_oh_get_key(source, value, "/BaseFont")
                        missing.append(qpdf_oh_is_name(source, base) == QPDF_TRUE ? String(String(cString: qpdf_oh_get_name(source, base)).dropFirst()) : name)
                    }
                }
            }
        }
        fonts(qpdf_oh_get_key(source, qpdf_get_page_n(source, n - 1), "/Resources"), 0)
        return missing.isEmpty ? nil : "its font\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not embedded"
    }

    /// Page `n` (from 1) of the PDF at `path` as a form XObject of `pdf` that fills the unit
    /// square upright: its crop box (else media box), turned by its `/Rotate`, as poppler shows it.
    func form(_ pdf: qpdf_data, path: String, page n: Int) -> qpdf_oh? {
        guard let source = document(path) else { return nil }
        guard n >= 1, n <= Int(qpdf_get_num_pages(source)) else {
            problems.append("cannot place the PDF \(path) for print: it has no page \(n)")
            return nil
        }
        let page = qpdf_get_page_n(source, n - 1)
        var box = qpdf_oh_get_key(source, page, "/CropBox")
        if qpdf_oh_is_array(source, box) != QPDF_TRUE { box = qpdf_oh_get_key(source, page, "/MediaBox") }
        let v = (0..<4).map { qpdf_oh_get_numeric_value(source, qpdf_oh_get_array_item(source, box, Int32($0))) }
        let (x0, y0, x1, y1) = (min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3]))
        let (w, h) = (x1 - x0, y1 - y0)
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard w > 0, h > 0, succeeded(qpdf_oh_get_page_content_data(source, page, &buffer, &length)), let buffer else {
            problems.append("cannot place the PDF \(path) for print: page \(n) has no box or unreadable content")
            return nil
        }
        defer { free(buffer) }
        // Page space to the unit square (u right, v up) as the page is shown, turned clockwise by /Rotate.
        let rotate = ((Int(qpdf_oh_get_int_value(source, qpdf_oh_get_key(source, page, "/Rotate"))) % 360) + 360) % 360
        let matrix: [Double]
        switch rotate {
        case 90: matrix = [0, -1 / w, 1 / h, 0, -y0 / h, x1 / w]
        case 180: matrix = [-1 / w, 0, 0, -1 / h, x1 / w, y1 / h]
        case 270: matrix = [0, 1 / w, -1 / h, 0, y1 / h, -x0 / w]
        default: matrix = [1 / w, 0, 0, 1 / h, -x0 / w, -y0 / h]
        }
        let form = qpdf_oh_new_stream(pdf)
        let content = Array(UnsafeBufferPointer(start: buffer, count: length))
        let bytes = Deflate.bytes(content, fastest: true)
        (bytes ?? content).withUnsafeBufferPointer {
            qpdf_oh_replace_stream_data(pdf, form, $0.baseAddress!, $0.count,
                                        bytes == nil ? qpdf_oh_new_null(pdf) : qpdf_oh_new_name(pdf, "/FlateDecode"), qpdf_oh_new_null(pdf))
        }
        let d = qpdf_oh_get_dict(pdf, form)
        qpdf_oh_replace_key(pdf, d, "/Type", qpdf_oh_new_name(pdf, "/XObject"))
        qpdf_oh_replace_key(pdf, d, "/Subtype", qpdf_oh_new_name(pdf, "/Form"))
        func array(_ values: [Double]) -> qpdf_oh {
            let a = qpdf_oh_new_array(pdf)
            for value in values { qpdf_oh_append_item(pdf, a, qpdf_oh_new_real_from_double(pdf, value, 10)) }
            return a
        }
        qpdf_oh_replace_key(pdf, d, "/BBox", array([x0, y0, x1, y1]))
        qpdf_oh_replace_key(pdf, d, "/Matrix", array(matrix))
        // Its resources (fonts, images, colour spaces, graphics states) and transparency group,
        // copied with everything they refer to (libqpdf copies only indirect objects).
        for key in ["/Resources", "/Group"] {
            let value = qpdf_oh_get_key(source, page, key)
            guard qpdf_oh_is_dictionary(source, value) == QPDF_TRUE else { continue }
            let indirect = qpdf_oh_is_indirect(source, value) == QPDF_TRUE ? value : qpdf_make_indirect_object(source, value)
            qpdf_oh_replace_key(pdf, d, key, qpdf_oh_copy_foreign_object(pdf, source, indirect))
        }
        if qpdf_has_error(pdf) == QPDF_TRUE, let e = qpdf_get_error(pdf) {
            problems.append("cannot place the PDF \(path) for print: \(String(cString: qpdf_get_error_full_text(pdf, e)))")
            return nil
        }
        return form
    }
}
