/* Folio's memory allocator: jemalloc (Debian libjemalloc-dev), with one arena.
 *
 * The `folio` executable links libjemalloc ahead of the C library, so every malloc and free —
 * Swift's, Cairo's, libqpdf's, Pango's, those of the libraries loaded later (poppler, librsvg) —
 * goes to jemalloc (symbol interposition, as for `CCairoDeflate`). A batch article allocates and
 * frees some hundred thousand objects (libqpdf's object model, Cairo's recording of each page,
 * Swift's arrays) and a batch worker does it thousands of times: glibc's malloc spent an eighth
 * of that CPU in malloc, free and the consolidation of freed chunks (`perf`), and jemalloc's
 * thread caches and size classes cut a `--jobs 1` batch's CPU by 13–24 % (three alternating runs
 * of 300 archive articles). `malloc_conf` (read by jemalloc before its first allocation) asks
 * for one arena instead of four per core: with one per thread, the 518-page issue's composing
 * threads left their freed pages in separate arenas and its peak memory rose from 124 to 160 MB;
 * with one, it is 125 MB, at the same speed. Each thread still allocates from its own cache, and
 * a batch's workers are processes, each with its own jemalloc.
 *
 * The AddressSanitizer build (`make asan`) keeps the C library's malloc, which ASan replaces:
 * Package.swift leaves this target out when FOLIO_SYSTEM_MALLOC is set. */
#ifndef FOLIO_ALLOCATOR_H
#define FOLIO_ALLOCATOR_H

/* jemalloc's options, compiled in (`MALLOC_CONF` in the environment is read after them). */
extern const char *malloc_conf;

#endif
