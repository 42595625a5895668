/// The document's metadata as XMP (Dublin Core, XMP basic and Adobe PDF schemas), the catalog's
/// `/Metadata` stream, uncompressed as PDF/A and PDF/UA want it: what `/Info` says, for readers
/// and archives that read only XMP. No PDF/UA or PDF/A conformance is claimed in it (README:
/// what is and is not checked), except PDF/X-4 for the print variant that declares it
/// (`pdfxid:GTS_PDFXVersion`, the document and version ids, `pdf:Trapped`). With it, `/ViewerPreferences << /DisplayDocTitle true >>`:
/// a reader's title bar shows the title, not the file name.
import CQPDF
import FolioCore

extension PDFFinisher {
    func addMetadata(_ pdf: qpdf_data, _ info: DocumentInfo) {
        let root = qpdf_get_root(pdf)
        let producer = qpdf_oh_get_key(pdf, qpdf_oh_get_key(pdf, qpdf_get_trailer(pdf), "/Info"), "/Producer")
        let packet = Self.xmp(info, producer: qpdf_oh_is_string(pdf, producer) == QPDF_TRUE ? String(cString: qpdf_oh_get_utf8_value(pdf, producer)) : nil,
                              pdfx4: declaresPDFX4)
        let stream = qpdf_oh_new_stream(pdf)
        let bytes = Array(packet.utf8)
        bytes.withUnsafeBufferPointer { qpdf_oh_replace_stream_data(pdf, stream, $0.baseAddress, $0.count, qpdf_oh_new_null(pdf), qpdf_oh_new_null(pdf)) }
        let dict = qpdf_oh_get_dict(pdf, stream)
        qpdf_oh_replace_key(pdf, dict, "/Type", qpdf_oh_new_name(pdf, "/Metadata"))
        qpdf_oh_replace_key(pdf, dict, "/Subtype", qpdf_oh_new_name(pdf, "/XML"))
        qpdf_oh_replace_key(pdf, root, "/Metadata", stream)
        // Cairo 1.16 writes the dates without their `D:` prefix; they are UTC (as the XMP says).
        let infoDict = qpdf_oh_get_key(pdf, qpdf_get_trailer(pdf), "/Info")
        for key in ["/CreationDate", "/ModDate"] {
            let date = qpdf_oh_get_key(pdf, infoDict, key)
            guard qpdf_oh_is_string(pdf, date) == QPDF_TRUE, let raw = qpdf_oh_get_utf8_value(pdf, date) else { continue }
            let value = String(cString: raw)
            if !value.hasPrefix("D:"), value.count == 14, value.allSatisfy(\.isNumber) {
                qpdf_oh_replace_key(pdf, infoDict, key, qpdf_oh_new_string(pdf, "D:" + value + "Z"))
            }
        }
        let preferences = qpdf_oh_new_dictionary(pdf)
        qpdf_oh_replace_key(pdf, preferences, "/DisplayDocTitle", qpdf_oh_new_bool(pdf, QPDF_TRUE))
        qpdf_oh_replace_key(pdf, root, "/ViewerPreferences", preferences)
    }

    /// The XMP packet saying what `info` says.
    static func xmp(_ info: DocumentInfo, producer: String?, pdfx4: Bool = false) -> String {
        func x(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func alt(_ s: String) -> String { "<rdf:Alt><rdf:li xml:lang=\"x-default\">\(x(s))</rdf:li></rdf:Alt>" }
        var fields = ["<dc:format>application/pdf</dc:format>", "<dc:title>\(alt(info.title))</dc:title>"]
        if let a = info.author { fields.append("<dc:creator><rdf:Seq><rdf:li>\(x(a))</rdf:li></rdf:Seq></dc:creator>") }
        if let d = info.subject { fields.append("<dc:description>\(alt(d))</dc:description>") }
        if let l = info.language { fields.append("<dc:language><rdf:Bag><rdf:li>\(x(l))</rdf:li></rdf:Bag></dc:language>") }
        if let k = info.keywords { fields.append("<pdf:Keywords>\(x(k))</pdf:Keywords>") }
        let date = x(info.date) + (info.date.count == 19 ? "Z" : "")   // UTC, as /Info says
        fields += ["<xmp:CreateDate>\(date)</xmp:CreateDate>", "<xmp:ModifyDate>\(date)</xmp:ModifyDate>",
                   "<xmp:CreatorTool>Folio</xmp:CreatorTool>"]
        if let producer { fields.append("<pdf:Producer>\(x(producer))</pdf:Producer>") }
        if pdfx4 {
            // The same document gets the same id (its title and date): the same bytes every run.
            var h = SHA256()
            h.update(info.title + "\u{0}" + info.date)
            let d = Array(h.hexDigest().prefix(32))
            let uuid = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(d[$0]) }.joined(separator: "-")
            fields += ["<xmp:MetadataDate>\(date)</xmp:MetadataDate>", "<pdf:Trapped>False</pdf:Trapped>",
                       "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>", "<xmpMM:DocumentID>uuid:\(uuid)</xmpMM:DocumentID>",
                       "<xmpMM:VersionID>1</xmpMM:VersionID>", "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>"]
        }
        return ["<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">",
                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
                "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"" +
                (pdfx4 ? " xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">" : ">")]
            .joined(separator: "\n") + "\n" + fields.joined(separator: "\n") + "\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    }
}
