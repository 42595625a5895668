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
        for name in dictionaryKeys(pdf, xobjects) {
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
}

/// Sets a stream's bytes, already encoded by `filter` (nil: none).
func replaceData(_ pdf: qpdf_data, _ stream: qpdf_oh, _ bytes: [UInt8], filter: String?) {
    bytes.withUnsafeBufferPointer {
        qpdf_oh_replace_stream_data(pdf, stream, $0.baseAddress!, $0.count,
                                    filter.map { qpdf_oh_new_name(pdf, $0) } ?? qpdf_oh_new_null(pdf), qpdf_oh_new_null(pdf))
    }
}

/// Sets a stream's bytes, Flate-compressed (stored as they are if zlib fails).
func replaceData(_ pdf: qpdf_data, _ stream: qpdf_oh, deflating bytes: [UInt8], fastest: Bool = false) {
    if let deflated = Deflate.bytes(bytes, fastest: fastest) { replaceData(pdf, stream, deflated, filter: "/FlateDecode") } else { replaceData(pdf, stream, bytes, filter: nil) }
}

/// The keys of a dictionary, read before anything changes it (libqpdf's C API iterates one at a time).
func dictionaryKeys(_ pdf: qpdf_data, _ dictionary: qpdf_oh) -> [String] {
    var names: [String] = []
    qpdf_oh_begin_dict_key_iter(pdf, dictionary)
    while qpdf_oh_dict_more_keys(pdf) == QPDF_TRUE { names.append(String(cString: qpdf_oh_dict_next_key(pdf))) }
    return names
}

/// The data of a `/FlateDecode` stream that Cairo stored (zlib at level 0, which `PDFWriter` asks
/// for the page contents and font subsets the finisher deflates itself): read from its stored
/// blocks (`Deflate.stored`), or decoded by libqpdf if it holds more than those or has
/// `/DecodeParms`. nil for any other stream — compressed (its first block not a stored one), or
/// not Flate.
func storedStreamData(_ pdf: qpdf_data, _ stream: qpdf_oh) -> [UInt8]? {
    let dictionary = qpdf_oh_get_dict(pdf, stream)
    var filtered: QPDF_BOOL = QPDF_FALSE
    var buffer: UnsafeMutablePointer<UInt8>?
    var length = 0
    guard qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, dictionary, "/Filter"), "/FlateDecode") == QPDF_TRUE,
          succeeded(qpdf_oh_get_stream_data(pdf, stream, qpdf_dl_none, &filtered, &buffer, &length)), let raw = buffer else { return nil }
    let isStored = length > 2 && raw[0] & 0x0F == 8 && (raw[2] >> 1) & 3 == 0   // zlib's header, then a block of type 0
    let plain = qpdf_oh_is_null(pdf, qpdf_oh_get_key(pdf, dictionary, "/DecodeParms")) == QPDF_TRUE
    let read = isStored && plain ? Deflate.stored(UnsafeBufferPointer(start: raw, count: length)) : nil
    free(raw)
    if let read { return read }
    guard isStored, succeeded(qpdf_oh_get_stream_data(pdf, stream, qpdf_dl_generalized, &filtered, &buffer, &length)), let data = buffer else { return nil }
    defer { free(data) }
    return filtered == QPDF_TRUE ? Array(UnsafeBufferPointer(start: data, count: length)) : nil
}

/// A libqpdf call's result without errors (warnings, e.g. earlier ones still queued, are no failure).
func succeeded(_ code: QPDF_ERROR_CODE) -> Bool { code & QPDF_ERROR_CODE(QPDF_ERRORS) == 0 }
