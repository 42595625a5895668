/// zlib (Debian zlib1g-dev) for every Flate stream Folio writes itself: PDF streams the finisher
/// replaces or adds, and the preview PNG's image data.
import CZlib

/// zlib's deflate, at its default level or, for what is written on every page or preview,
/// its fastest.
enum Deflate {
    static func bytes(_ input: [UInt8], fastest: Bool = false) -> [UInt8]? {
        var bound = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        guard compress2(&out, &bound, input, uLong(input.count), fastest ? Z_BEST_SPEED : Z_DEFAULT_COMPRESSION) == Z_OK else { return nil }
        return Array(out.prefix(Int(bound)))
    }
}
