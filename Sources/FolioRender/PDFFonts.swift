/// The font subsets compressed once, fast: Cairo 1.16 deflates every stream it writes when the
/// document is finished (the font subsets, their ToUnicode maps) with zlib's default level — a
/// subset of desubroutinized CFF outlines deflates by only a sixth, slowly: a fifth of an archive
/// article's time. `PDFWriter.finish` has Cairo store them instead (level 0, `CCairoDeflate`)
/// and the finisher codes each program in Huffman codes fitted to its bytes, without matches
/// (`HuffmanDeflate`: a tenth of libdeflate's fastest level's time, which saved 16 % of the bytes
/// where this saves 8 %), and deflates the ToUnicode maps with libdeflate (`Deflate.bytes`).
///
/// And each subset named after its font program: Cairo makes a subset's tag (the `ABCDEF+` of
/// `ABCDEF+NotoSerifCJKsc-Regular`) from the ids its glyphs have in the font it embeds from,
/// which for a HarfBuzz subset (`FontSubsetter`) depend on what else that subset holds — on
/// what a batch worker wrote before. Made again from the embedded program's bytes, the same
/// glyphs drawn give the same PDF whatever was written before (DESIGN principle 6).
import CLibdeflate
import CQPDF
import FolioCore
import Foundation

extension PDFFinisher {
    /// Every font file and ToUnicode map the pages (and the forms they draw) use that Cairo
    /// stored uncompressed, deflated; every subset's tag made from its font program.
    func compressFonts(_ pdf: qpdf_data, pages count: Int) {
        var streams: [qpdf_oh] = [], seen = Set<Int32>()
        /// The font dictionaries, in the order met, with the stream of the program they embed.
        var programs: [(names: [(qpdf_oh, String)], file: qpdf_oh)] = []
        /// Not met before (a direct object, id 0, is never shared).
        func first(_ object: qpdf_oh) -> Bool {
            let id = qpdf_oh_get_object_id(pdf, object)
            return id == 0 || seen.insert(id).inserted
        }
        func add(_ stream: qpdf_oh) {
            if qpdf_oh_is_stream(pdf, stream) == QPDF_TRUE, first(stream) { streams.append(stream) }
        }
        func fonts(_ resources: qpdf_oh, depth: Int) {
            guard depth < 4, qpdf_oh_is_dictionary(pdf, resources) == QPDF_TRUE else { return }
            let named = qpdf_oh_get_key(pdf, resources, "/Font")
            if qpdf_oh_is_dictionary(pdf, named) == QPDF_TRUE {
                for name in dictionaryKeys(pdf, named) {
                    let font = qpdf_oh_get_key(pdf, named, name)
                    guard first(font) else { continue }
                    add(qpdf_oh_get_key(pdf, font, "/ToUnicode"))
                    let descendants = qpdf_oh_get_key(pdf, font, "/DescendantFonts")
                    let described = qpdf_oh_is_array(pdf, descendants) == QPDF_TRUE ? qpdf_oh_get_array_item(pdf, descendants, 0) : font
                    let descriptor = qpdf_oh_get_key(pdf, described, "/FontDescriptor")
                    for key in ["/FontFile", "/FontFile2", "/FontFile3"] {
                        let file = qpdf_oh_get_key(pdf, descriptor, key)
                        guard qpdf_oh_is_stream(pdf, file) == QPDF_TRUE else { continue }
                        add(file)
                        programs.append(([(font, "/BaseFont"), (described, "/BaseFont"), (descriptor, "/FontName")], file))
                    }
                }
            }
            let xobjects = qpdf_oh_get_key(pdf, resources, "/XObject")
            guard qpdf_oh_is_dictionary(pdf, xobjects) == QPDF_TRUE else { return }
            for name in dictionaryKeys(pdf, xobjects) {
                let x = qpdf_oh_get_key(pdf, xobjects, name)
                guard qpdf_oh_is_stream(pdf, x) == QPDF_TRUE, first(x) else { continue }
                let d = qpdf_oh_get_dict(pdf, x)
                if qpdf_oh_is_name_and_equals(pdf, qpdf_oh_get_key(pdf, d, "/Subtype"), "/Form") == QPDF_TRUE {
                    fonts(qpdf_oh_get_key(pdf, d, "/Resources"), depth: depth + 1)
                }
            }
        }
        for i in 0..<count { fonts(qpdf_oh_get_key(pdf, qpdf_get_page_n(pdf, i), "/Resources"), depth: 0) }
        // The stored ones (`storedStreamData`), as bytes to compress; the font programs'
        // checksums from the same bytes (Cairo stores every one it writes).
        var stored: [(stream: qpdf_oh, bytes: [UInt8], program: Bool)] = []
        var checksums: [Int32: UInt64] = [:]
        let programIDs = Set(programs.map { qpdf_oh_get_object_id(pdf, $0.file) })
        for stream in streams {
            guard let bytes = storedStreamData(pdf, stream) else { continue }
            let id = qpdf_oh_get_object_id(pdf, stream), program = programIDs.contains(id)
            if program {
                checksums[id] = bytes.withUnsafeBytes { UInt64(libdeflate_crc32(0, $0.baseAddress, $0.count)) << 32 | UInt64(libdeflate_adler32(1, $0.baseAddress, $0.count)) }
            }
            stored.append((stream, bytes, program))
        }
        // The font programs in codes fitted to their bytes, without matches (`HuffmanDeflate`:
        // outlines repeat little); the ToUnicode maps, text, with libdeflate.
        nonisolated(unsafe) var compressed = [[UInt8]?](repeating: nil, count: stored.count)
        Parallel.each(stored.count) { i in
            let (_, bytes, program) = stored[i]
            compressed[i] = program ? HuffmanDeflate.zlib(bytes) : Deflate.bytes(bytes, fastest: true)
        }
        for ((stream, _, _), bytes) in zip(stored, compressed) {
            if let bytes { replaceData(pdf, stream, bytes, filter: "/FlateDecode") }
        }
        for program in programs {
            guard let checksum = checksums[qpdf_oh_get_object_id(pdf, program.file)] else { continue }
            for (dictionary, key) in program.names {
                let name = qpdf_oh_get_key(pdf, dictionary, key)
                guard qpdf_oh_is_name(pdf, name) == QPDF_TRUE, let old = qpdf_oh_get_name(pdf, name),
                      let new = Self.retagged(String(cString: old), checksum) else { continue }
                qpdf_oh_replace_key(pdf, dictionary, key, qpdf_oh_new_name(pdf, new))
            }
        }
    }

    /// A subset font's name (`/ABCDEF+Name`) with the tag made from `checksum`: six capital
    /// letters, as the PDF reference asks; nil for a name without a tag (a whole font).
    static func retagged(_ name: String, _ checksum: UInt64) -> String? {
        let bytes = Array(name.utf8)
        guard bytes.count > 8, bytes[0] == UInt8(ascii: "/"), bytes[7] == UInt8(ascii: "+"),
              bytes[1...6].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return nil }
        var rest = checksum, tag = ""
        for _ in 0..<6 {
            tag.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(rest % 26)))
            rest /= 26
        }
        return "/" + tag + String(decoding: bytes[7...], as: UTF8.self)
    }
}
