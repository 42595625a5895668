/* See include/cairo_deflate.h. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>
#include "cairo_deflate.h"

static __thread int next_level = -1;    /* none: the caller's */
static __thread int every_level = -1;   /* none: the caller's */

void folio_deflate_level_for_next_stream(int level) {
    next_level = level >= 0 && level <= 9 ? level : -1;
}

void folio_deflate_level_for_every_stream(int level) {
    every_level = level >= 0 && level <= 9 ? level : -1;
}

typedef int (*deflate_init_f)(z_streamp, int, const char *, int);
static deflate_init_f zlib_deflate_init;
static pthread_once_t found = PTHREAD_ONCE_INIT;
static void find(void) { zlib_deflate_init = (deflate_init_f)dlsym(RTLD_NEXT, "deflateInit_"); }

int deflateInit_(z_streamp stream, int level, const char *version, int stream_size) {
    pthread_once(&found, find);
    if (!zlib_deflate_init) return Z_VERSION_ERROR;   /* no zlib after Folio: cannot happen, Folio links it */
    if (next_level >= 0) {
        level = next_level;
        next_level = -1;
    } else if (every_level >= 0) {
        level = every_level;
    }
    return zlib_deflate_init(stream, level, version, stream_size);
}
