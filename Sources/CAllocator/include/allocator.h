/* Folio's memory allocator: jemalloc (Debian libjemalloc-dev), with one arena.
 *
 * The `folio` executable links libjemalloc ahead of the C library, so every malloc and free —
 * Swift's, Cairo's, libqpdf's, Pango's, those of the libraries loaded later (poppler, librsvg) —
 * goes to jemalloc (symbol interposition, as for `CCairoDeflate`). A batch article makes some
 * 48,000 allocations (jemalloc's count: 221,788 for 2 articles, 706,900 for 12) — libqpdf's
 * object model, Cairo's recording of each page, Swift's arrays — and a batch worker prints
 * thousands of articles: glibc's malloc took an eighth of the CPU (malloc, free and the
 * consolidation of freed chunks; `perf`). With jemalloc a `--jobs 1` batch of 300 archive
 * articles takes 10–12 % less CPU (two alternating runs of five). `malloc_conf` (read by
 * jemalloc before its first allocation) asks for one arena instead of its default four per
 * core, with which the 518-page issue's peak memory rose from 124 to 159–161 MB (its composing
 * threads each take an arena); with one it is 125–127 MB, at the same speed (alternating runs).
 * Each thread still allocates from its own cache first, and a batch's workers are processes,
 * each with its own jemalloc.
 *
 * The AddressSanitizer build (`make asan`) keeps the C library's malloc, which ASan replaces:
 * Package.swift leaves this target out when FOLIO_SYSTEM_MALLOC is set. */
#ifndef FOLIO_ALLOCATOR_H
#define FOLIO_ALLOCATOR_H

#include <stddef.h>
#include <sys/types.h>

/* jemalloc's options, compiled in (`MALLOC_CONF` in the environment is read after them). */
extern const char *malloc_conf;

/* Pages freed are kept for the next allocation instead of going back to the system as they age
 * (jemalloc's `dirty_decay_ms`, 10 s by default, purges them along a curve as they age): a batch
 * process's memory then stays at its high-water mark, which it reaches again with every article.
 * Drawing from a kept font subset of every ideograph (`CairoFonts`), Cairo reads the font's 9 MB
 * CFF table into a fresh buffer twice per PDF; with those pages given back and faulted in again
 * each time, 120 archive articles with rare characters took 540,000 page faults and 1.4 s of
 * system time — 25,000 and 0.2 s with them kept, at the same peak memory (142 MB). Called by
 * `folio batch` and its workers. */
void folio_keep_freed_pages(void);

#endif
