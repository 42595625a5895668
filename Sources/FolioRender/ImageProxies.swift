/// Large JPEGs as a preview decoded them, kept in the user's cache folder between runs
/// (`proxies/`), so that the next preview of their page reads the pixels instead of decoding the
/// photo again: libjpeg-turbo reads a camera photo's entropy-coded data whole at any scale, some
/// 40–60 ms for a 12-megapixel one on the project's machine, which every cold `folio preview`
/// of its page paid. A proxy is the decoded surface's rows as they are (BGRx, sRGB), under a name
/// made of the file's path and stamp (size, time, inode), the share it was decoded at and the
/// stamp of the Folio binary that decoded it — a rebuilt Folio, whose decoding or colour
/// handling may differ, makes its own — so a preview drawn from a proxy is the preview drawn
/// from the file, to the byte. The folder is held to `limit` bytes, proxies used longest ago
/// removed first; where it cannot be written, nothing is kept.
import CPangoCairo
import FolioCore
import Foundation

enum ImageProxies {
    /// JPEGs of fewer pixels decode in a few milliseconds: not worth 4 bytes a pixel on disk.
    nonisolated(unsafe) static var smallest = 4_000_000
    nonisolated(unsafe) static var limit = 256 << 20
    private static let magic: [UInt8] = Array("FPX1".utf8)
    /// The folder, or nil when there is no cache folder.
    static var folder: CacheFolder? { CacheFolder("proxies", limit: limit) }

    /// Where the proxy of `image` at `share`, as its file is now, is (or would be) kept; nil for
    /// an image too small to keep, or no cache folder.
    static func path(of image: ImageInfo, share: Double) -> String? {
        guard image.format == .jpeg, image.pixelWidth * image.pixelHeight >= smallest, let folder else { return nil }
        let stamp = FileStamp(path: image.path)
        guard stamp.size >= 0 else { return nil }
        return folder.file("\(RegularFile.resolved(image.path))\u{0}\(stamp.size)\u{0}\(stamp.modified)\u{0}\(stamp.inode)\u{0}\(share)")
    }

    /// The surface kept at `path`, or nil (none, or not whole). Marked used now.
    static func load(_ path: String) -> OpaquePointer? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        guard read(fd, &header, 16) == 16, Array(header[0..<4]) == magic else { return nil }
        func field(_ at: Int) -> Int32 { header[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int32($1) } }
        let (w, h, stride) = (field(4), field(8), field(12))
        var st = stat()
        guard w > 0, h > 0, w < 1 << 15, h < 1 << 15, stride == cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w),
              fstat(fd, &st) == 0, Int(st.st_size) == 16 + Int(stride) * Int(h),
              let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        cairo_surface_flush(s)
        guard CacheFolder.readAll(fd, into: cairo_image_surface_get_data(s)!, count: Int(stride) * Int(h)) else {
            cairo_surface_destroy(s)
            return nil
        }
        cairo_surface_mark_dirty(s)
        CacheFolder.markUsed(fd)
        return s
    }

    /// The proxies being written.
    private static let storing = DispatchGroup()

    /// Keeps `surface` at `path` on another thread, while the caller draws from it (which
    /// only reads its pixels, as writing them does); `finishStoring` waits until it is kept.
    static func storeLater(_ surface: OpaquePointer, at path: String) {
        // A reference of its own: the caller may destroy the surface first.
        let address = UInt(bitPattern: cairo_surface_reference(surface))
        DispatchQueue.global().async(group: storing) {
            let kept = OpaquePointer(bitPattern: address)!
            store(kept, at: path)
            cairo_surface_destroy(kept)
        }
    }

    /// Waits for the proxies being written (before the process ends: no proxy is left half-written).
    public static func finishStoring() { storing.wait() }

    /// Keeps `surface` at `path`; the proxies used longest ago go while the folder holds more
    /// than `limit` bytes.
    static func store(_ surface: OpaquePointer, at path: String) {
        guard cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24, let folder else { return }
        let (w, h, stride) = (cairo_image_surface_get_width(surface), cairo_image_surface_get_height(surface), cairo_image_surface_get_stride(surface))
        guard let pixels = cairo_image_surface_get_data(surface) else { return }
        var bytes = magic
        for v in [w, h, stride] { bytes.appendLittleEndian(v) }
        bytes += UnsafeBufferPointer(start: pixels, count: Int(stride) * Int(h))
        folder.store(bytes, at: path)
    }
}
