// See include/folio_icu.h. The corresponding ICU calls: ubrk_open(UBRK_WORD), ubrk_first,
// ubrk_next, ubrk_close.
#include "folio_icu.h"
#include <unicode/ubrk.h>

int32_t folio_word_boundaries(const uint16_t *text, int32_t length, const char *locale, int32_t *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) return -1;
    int32_t n = 0;
    for (int32_t b = ubrk_first(bi); b != UBRK_DONE && n < capacity; b = ubrk_next(bi)) out[n++] = b;
    ubrk_close(bi);
    return n;
}
