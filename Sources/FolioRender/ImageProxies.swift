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
    static var folder: String? { UserCache.folder.map { $0 + "/proxies" } }

    /// The binary's own stamp, read once.
    private static let binary: String = {
        let s = FileStamp(path: "/proc/self/exe")
        return "\(s.size)\u{0}\(s.modified)\u{0}\(s.inode)"
    }()

    /// Where the proxy of `image` at `share`, as its file is now, is (or would be) kept; nil for
    /// an image too small to keep, or no cache folder.
    static func path(of image: ImageInfo, share: Double) -> String? {
        guard image.format == .jpeg, image.pixelWidth * image.pixelHeight >= smallest, let folder else { return nil }
        let stamp = FileStamp(path: image.path)
        guard stamp.size >= 0 else { return nil }
        var h = SHA256()
        h.update("\(RegularFile.resolved(image.path))\u{0}\(stamp.size)\u{0}\(stamp.modified)\u{0}\(stamp.inode)\u{0}\(share)\u{0}\(binary)")
        return folder + "/" + h.hexDigest().prefix(40)
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
        let pixels = cairo_image_surface_get_data(s)!
        var done = 0
        let total = Int(stride) * Int(h)
        while done < total {
            let n = read(fd, pixels + done, total - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { cairo_surface_destroy(s); return nil }
            done += n
        }
        cairo_surface_mark_dirty(s)
        _ = futimens(fd, nil)
        return s
    }

    /// Keeps `surface` at `path` (written whole, then renamed into place), and removes the proxies
    /// used longest ago while the folder holds more than `limit` bytes.
    static func store(_ surface: OpaquePointer, at path: String) {
        guard cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24, let folder else { return }
        let (w, h, stride) = (cairo_image_surface_get_width(surface), cairo_image_surface_get_height(surface), cairo_image_surface_get_stride(surface))
        guard let pixels = cairo_image_surface_get_data(surface) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var bytes = magic
        for v in [w, h, stride] { bytes += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        bytes += UnsafeBufferPointer(start: pixels, count: Int(stride) * Int(h))
        guard (try? AtomicFile.write(bytes, to: path)) != nil else { return }
        trim(folder)
    }

    /// Removes the proxies used longest ago while `folder` holds more than `limit` bytes, and
    /// the partial ones a process ended before finishing (a preview does not wait for a photo
    /// decoded ahead that its page did not need).
    private static func trim(_ folder: String) {
        AtomicFile.removeStalePartials(in: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var files: [(path: String, used: Int64, size: Int)] = []
        for name in names where !name.hasPrefix(".") {
            var st = stat()
            let p = folder + "/" + name
            if stat(p, &st) == 0 { files.append((p, Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), Int(st.st_size))) }
        }
        var held = files.reduce(0) { $0 + $1.size }
        for f in files.sorted(by: { $0.used < $1.used }) where held > limit {
            unlink(f.path)
            held -= f.size
        }
    }
}
