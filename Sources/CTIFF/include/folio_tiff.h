// libtiff (Debian libtiff-dev) behind one C function: TIFFGetField is variadic, which Swift
// cannot call. Only plain C types cross this line.
#include <stddef.h>
#include <stdint.h>

// The first page of an 8-bit CMYK TIFF (PHOTOMETRIC_SEPARATED, InkSet CMYK, contiguous
// samples, strips or tiles, any compression libtiff decodes), as stored: rows top to bottom,
// C M Y K per pixel, 0 = no ink. `*pixels` (width × height × 4 bytes) and `*icc` (its embedded
// ICC profile, or NULL) are malloc'ed for the caller to free; `*orientation` is the TIFF
// orientation tag (1–8, not applied). Returns 0 on success, 1 when the file is a TIFF of
// another kind (the caller decodes it otherwise), -1 on an error described in `error`.
int folio_tiff_read_cmyk(const char *path, uint32_t max_pixels, uint32_t *width, uint32_t *height,
                         uint16_t *orientation, uint8_t **pixels, uint8_t **icc, uint32_t *icc_length,
                         char *error, size_t error_capacity);
