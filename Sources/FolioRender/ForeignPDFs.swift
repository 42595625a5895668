/// PDF ads and graphics placed as they are in the print variants (`ImageStreamFix.pdfPage`):
/// libqpdf copies the page — content, fonts, colour spaces — into the finished PDF as a form
/// XObject, in place of the stand-in image Cairo drew, so an ad delivered in CMYK keeps its inks.
import CQPDF
import FolioCore
import Foundation

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
                for name in dictionaryKeys(source, dict) {
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
        replaceData(pdf, form, deflating: Array(UnsafeBufferPointer(start: buffer, count: length)), fastest: true)
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
