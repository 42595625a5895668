// ICU's word break iterator (Debian libicu-dev) for display text that may break only between
// words: its dictionary segments Chinese into words. A C target, not a module map over ICU's
// headers: Swift's Foundation carries its own ICU headers, and both cannot be imported into one
// Swift module. Only plain C types cross this line.
#include <stdint.h>

// Word boundaries of `text` (UTF-16, `length` units) in `locale`, as UTF-16 offsets written to
// `out` (at most `capacity`); returns how many, or -1 on an ICU error.
int32_t folio_word_boundaries(const uint16_t *text, int32_t length, const char *locale, int32_t *out, int32_t capacity);
