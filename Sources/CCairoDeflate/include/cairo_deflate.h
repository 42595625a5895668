/* The zlib level of the next stream Cairo 1.16 compresses on the calling thread.
 *
 * Cairo deflates every page's content stream at zlib's default level and has no setting for it;
 * Folio's finisher then inflates each of those streams, marks its artifacts and deflates it
 * again (PDFArtifacts.swift) — so Cairo's slow, thorough compression of them was thrown away
 * (some 0.07–0.1 s of the 518-page benchmark issue). Folio now has Cairo store them (level 0)
 * and deflates them once, in the finisher, on every core. Folio defines zlib's `deflateInit_` (the
 * function zlib's `deflateInit` macro calls), which the dynamic linker gives Cairo instead of
 * zlib's own (symbol interposition: the executable comes first). It passes every call on to
 * zlib — the first one after `folio_deflate_level_for_next_stream` on the same thread at that
 * level, every other one unchanged. (Only that one: the images Cairo writes right after a
 * page's content keep zlib's default, which makes some a quarter of the size level 1 does.)
 * Were the order of Cairo's streams to change, only sizes and times would, never a PDF's content. */
#ifndef FOLIO_CAIRO_DEFLATE_H
#define FOLIO_CAIRO_DEFLATE_H

/* The next stream begun on this thread is compressed at `level` (0–9); any other value
 * (`folio_deflate_level_for_next_stream(-1)`, before one is begun): at its caller's level. */
void folio_deflate_level_for_next_stream(int level);

/* Every stream begun on this thread from now on is compressed at `level` (0–9), until
 * `folio_deflate_level_for_every_stream(-1)`. Folio has Cairo store the streams it writes when
 * the document is finished (the font subsets, their ToUnicode maps), which the finisher deflates
 * with libdeflate on every core (PDFFonts.swift). */
void folio_deflate_level_for_every_stream(int level);

#endif
