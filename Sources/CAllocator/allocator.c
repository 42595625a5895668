/* See include/allocator.h. */
#include "allocator.h"

__attribute__((visibility("default"), used)) const char *malloc_conf = "narenas:1";

/* jemalloc's control interface (declared here rather than through <jemalloc/jemalloc.h>, whose
 * declarations of malloc and free would clash with the C library's). */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

void folio_keep_freed_pages(void) {
    ssize_t never = -1;
    /* Arenas made from now on (the one for allocations over 8 MB, made on the first), then
     * every arena there is (MALLCTL_ARENAS_ALL). */
    mallctl("arenas.dirty_decay_ms", NULL, NULL, &never, sizeof never);
    mallctl("arena.4096.dirty_decay_ms", NULL, NULL, &never, sizeof never);
}
