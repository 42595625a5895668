/// Image surfaces for drawing: PNG through Cairo, JPEG either passed through untouched (PDF:
/// the file's bytes become the image stream) or decoded with libturbojpeg (PNG previews).
import CPangoCairo
import CTurboJPEG
import FolioCore
import Foundation

final class ImageCache {
    enum Mode { case passThrough, decode }
    private var surfaces: [String: OpaquePointer] = [:]
    let mode: Mode

    init(mode: Mode) { self.mode = mode }
    deinit { for s in surfaces.values { cairo_surface_destroy(s) } }

    /// The surface for an image, loaded once per renderer.
    func surface(for image: ImageInfo) throws -> OpaquePointer {
        if let s = surfaces[image.path] { return s }
        let s: OpaquePointer
        switch image.format {
        case .png:
            guard let p = cairo_image_surface_create_from_png(image.path), cairo_surface_status(p) == CAIRO_STATUS_SUCCESS else {
                throw FolioError("cannot decode the PNG image \(image.path)")
            }
            s = p
        case .jpeg:
            let data = try Data(contentsOf: URL(fileURLWithPath: image.path))
            s = mode == .passThrough ? try jpegPassThrough(data, image) : try jpegDecoded(data, image)
        }
        surfaces[image.path] = s
        return s
    }

    /// A surface of the right size whose JPEG bytes Cairo's PDF backend embeds as they are
    /// (`cairo_surface_set_mime_data`, DCTDecode, no recompression). Its pixels are never read.
    private func jpegPassThrough(_ data: Data, _ image: ImageInfo) throws -> OpaquePointer {
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(image.pixelWidth), Int32(image.pixelHeight))!
        let bytes = malloc(data.count)!
        data.copyBytes(to: bytes.assumingMemoryBound(to: UInt8.self), count: data.count)
        let status = cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self),
                                                 UInt(data.count), { free($0) }, bytes)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw FolioError("cannot attach the JPEG data of \(image.path)")
        }
        return s
    }

    /// Decodes a JPEG to a Cairo RGB24 surface (B, G, R, X bytes on little-endian machines).
    private func jpegDecoded(_ data: Data, _ image: ImageInfo) throws -> OpaquePointer {
        guard let tj = tjInitDecompress() else { throw FolioError("libturbojpeg is unavailable") }
        defer { tjDestroy(tj) }
        var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, space: Int32 = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            tjDecompressHeader3(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &w, &h, &sub, &space) == 0
        }
        guard ok, w > 0, h > 0 else { throw FolioError("cannot read the JPEG image \(image.path)") }
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)!
        let stride = cairo_image_surface_get_stride(s)
        cairo_surface_flush(s)
        let pixels = cairo_image_surface_get_data(s)
        let decoded = data.withUnsafeBytes { raw -> Bool in
            tjDecompress2(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), pixels,
                          w, stride, h, Int32(TJPF_BGRX.rawValue), 0) == 0
        }
        cairo_surface_mark_dirty(s)
        guard decoded else {
            cairo_surface_destroy(s)
            throw FolioError("cannot decode the JPEG image \(image.path)")
        }
        return s
    }
}
