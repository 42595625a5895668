/// One thread at a time in Cairo's glyph cache, for every stage that touches it.
///
/// Cairo 1.16 keeps one glyph cache for the whole process; when it is full, a thread adding a
/// glyph evicts a glyph of some other font, locking that font while holding the cache — and a
/// thread working with that font holds the font while waiting for the cache: the two wait for
/// ever (seen with two batch workers writing PDFs). FolioRender therefore draws, shows pages,
/// finishes PDFs and releases fonts under this lock, and FolioText takes it for the one Pango
/// call that measures glyphs through Cairo (a font's metrics). Shaping (HarfBuzz) needs no lock.
/// Recursive, so that releasing fonts while drawing cannot deadlock on it.
import Foundation

public enum GlyphCacheLock {
    public static let lock = NSRecursiveLock()
}
