/// Images cropped to their frame (a spanning figure keeps the full measure and shows a band of
/// the picture): the PDF gets the visible part only, not the whole picture behind a clip — a
/// camera JPEG losslessly, by whole blocks (libturbojpeg's `tjTransform`, the window moved by less
/// than a block to fall on the block grid), decoded pixels by copying the part shown. The
/// file's markers (EXIF orientation, ICC profile, Adobe) go with the cropped JPEG.
import CPangoCairo
import CTurboJPEG
import FolioCore
import Foundation

/// A part of an image's stored pixels (before its EXIF orientation turns them).
struct PixelRect: Hashable {
    var x: Int, y: Int, width: Int, height: Int

    /// The stored pixels behind a part of the image as it is seen (`seen`, in seen pixels) for
    /// EXIF orientation `o`, the stored image being `w` × `h` (CIPA DC-008, tag 0x0112).
    static func stored(seen s: PixelRect, orientation o: Int, width w: Int, height h: Int) -> PixelRect {
        switch o {
        case 2: return PixelRect(x: w - s.x - s.width, y: s.y, width: s.width, height: s.height)
        case 3: return PixelRect(x: w - s.x - s.width, y: h - s.y - s.height, width: s.width, height: s.height)
        case 4: return PixelRect(x: s.x, y: h - s.y - s.height, width: s.width, height: s.height)
        case 5: return PixelRect(x: s.y, y: s.x, width: s.height, height: s.width)
        case 6: return PixelRect(x: s.y, y: h - s.x - s.width, width: s.height, height: s.width)
        case 7: return PixelRect(x: w - s.y - s.height, y: h - s.x - s.width, width: s.height, height: s.width)
        case 8: return PixelRect(x: w - s.y - s.height, y: s.x, width: s.height, height: s.width)
        default: return s
        }
    }

    /// The centred part of a `seenWidth` × `seenHeight` image with the frame's proportions; nil
    /// when the frame shows (within half a pixel) the whole image.
    static func shown(seenWidth: Int, seenHeight: Int, frame: Rect) -> PixelRect? {
        guard frame.width > 0, frame.height > 0, seenWidth > 0, seenHeight > 0 else { return nil }
        let aspect = frame.height / frame.width
        let h = Int((Double(seenWidth) * aspect).rounded()), w = Int((Double(seenHeight) / aspect).rounded())
        if h < seenHeight - 1 { return PixelRect(x: 0, y: (seenHeight - h) / 2, width: seenWidth, height: max(1, h)) }
        if w < seenWidth - 1 { return PixelRect(x: (seenWidth - w) / 2, y: 0, width: max(1, w), height: seenHeight) }
        return nil
    }
}

extension ImageCache {
    /// The surface of `rect` of the image's stored pixels, made once; nil where a crop is not
    /// made (a print variant's CMYK stand-in, a JPEG libturbojpeg cannot crop): the caller clips.
    /// `needed` as for `surface(for:needed:)`: `rect` is in the pixels of the surface decoded for it.
    func surface(for image: ImageInfo, cropped rect: PixelRect, needed: Double = 1) throws -> OpaquePointer? {
        let key = "\(image.path)\u{0}\(rect.x),\(rect.y),\(rect.width),\(rect.height)" + decoding(image, needed: needed).key
        if let s = cropSurfaces[key] { return s }
        let made: OpaquePointer?
        if image.format == .jpeg && mode == .passThrough {
            let data = Data(try RegularFile.read(image.path, noun: "image"))
            made = try Self.croppedJPEG(data, rect).map { try jpegPassThrough($0, width: rect.width, height: rect.height, image) }
        } else {
            let whole = try surface(for: image, needed: needed)
            if keepsInks && standIns.contains(image.path) { return nil }
            let s = cairo_image_surface_create(cairo_image_surface_get_format(whole), Int32(rect.width), Int32(rect.height))!
            let cr = cairo_create(s)!
            cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE)
            cairo_set_source_surface(cr, whole, -Double(rect.x), -Double(rect.y))
            cairo_paint(cr)
            cairo_destroy(cr)
            made = s
        }
        if let made { cropSurfaces[key] = made }
        return made
    }

    /// The JPEG's `rect` cut out without decoding (whole blocks, markers copied): the window is
    /// moved to the block grid (it must start on it), keeping its size. nil if that fails.
    static func croppedJPEG(_ data: Data, _ rect: PixelRect) throws -> Data? {
        guard let tj = tjInitTransform() else { throw FolioError("libturbojpeg is unavailable") }
        defer { tjDestroy(tj) }
        var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, space: Int32 = 0
        let read = data.withUnsafeBytes { raw in
            tjDecompressHeader3(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &w, &h, &sub, &space) == 0
        }
        guard read else { return nil }
        // The MCU of each subsampling (TJSAMP_444, 422, 420, GRAY, 440, 411).
        let blocks: [(Int, Int)] = [(8, 8), (16, 8), (16, 16), (8, 8), (8, 16), (32, 8)]
        let (bw, bh) = sub >= 0 && Int(sub) < blocks.count ? blocks[Int(sub)] : (16, 16)
        func snap(_ v: Int, _ size: Int, _ whole: Int, _ block: Int) -> Int {
            max(0, min(((v + block / 2) / block) * block, ((whole - size) / block) * block))
        }
        let x = snap(rect.x, rect.width, Int(w), bw), y = snap(rect.y, rect.height, Int(h), bh)
        guard x + rect.width <= Int(w), y + rect.height <= Int(h) else { return nil }
        var transform = tjtransform()
        transform.r = tjregion(x: Int32(x), y: Int32(y), w: Int32(rect.width), h: Int32(rect.height))
        transform.op = Int32(TJXOP_NONE.rawValue)
        transform.options = TJXOPT_CROP
        var out: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let ok = data.withUnsafeBytes { raw in
            tjTransform(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), 1, &out, &size, &transform, 0) == 0
        }
        defer { if let out { tjFree(out) } }
        guard ok, let out, size > 0 else { return nil }
        return Data(bytes: out, count: Int(size))
    }
}
