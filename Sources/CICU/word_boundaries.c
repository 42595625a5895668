// See include/folio_icu.h. The corresponding ICU calls: ubrk_open(UBRK_WORD), ubrk_setText,
// ubrk_first, ubrk_next, ubrk_close. Opening a dictionary-based iterator is costly, so each
// thread keeps one per locale and only gives it new text; it is closed when the thread ends.
#include "folio_icu.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>

typedef struct {
    UBreakIterator *iterator;
    char locale[32];
} cached_iterator;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void close_cached(void *p) {
    cached_iterator *c = p;
    if (c->iterator) ubrk_close(c->iterator);
    free(c);
}

static void make_key(void) { pthread_key_create(&cache_key, close_cached); }

int32_t folio_word_boundaries(const uint16_t *text, int32_t length, const char *locale, int32_t *out, int32_t capacity) {
    pthread_once(&cache_once, make_key);
    cached_iterator *c = pthread_getspecific(cache_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) return -1;
        pthread_setspecific(cache_key, c);
    }
    UErrorCode status = U_ZERO_ERROR;
    if (c->iterator && strncmp(c->locale, locale, sizeof c->locale) == 0) {
        ubrk_setText(c->iterator, (const UChar *)text, length, &status);
    } else {
        if (c->iterator) ubrk_close(c->iterator);
        c->iterator = ubrk_open(UBRK_WORD, locale, (const UChar *)text, length, &status);
        strncpy(c->locale, locale, sizeof c->locale - 1);
        c->locale[sizeof c->locale - 1] = 0;
    }
    if (U_FAILURE(status)) {
        if (c->iterator) ubrk_close(c->iterator);
        c->iterator = NULL;
        return -1;
    }
    int32_t n = 0;
    for (int32_t b = ubrk_first(c->iterator); b != UBRK_DONE && n < capacity; b = ubrk_next(c->iterator)) out[n++] = b;
    return n;
}
