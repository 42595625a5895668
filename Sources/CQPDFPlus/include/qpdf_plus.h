/* What Folio needs of libqpdf (Debian libqpdf-dev) that its C API does not reach: C++ only,
 * behind C functions. */
#ifndef FOLIO_QPDF_PLUS_H
#define FOLIO_QPDF_PLUS_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* The zlib level (1–9, or -1 for zlib's default) of every stream libqpdf compresses from then
 * on, in this process: the object streams it makes when it writes a PDF. */
void folio_qpdf_set_compression_level(int level);

/* The colour crop and bleed marks are drawn in (PageDrawer.drawMarks): on screen a black like
 * any other, for the press registration — every ink at 100 %, so that the marks are on every
 * plate (/Separation /All). No other colour Folio draws is this one. */
#define FOLIO_REGISTRATION_RED 0.001
#define FOLIO_REGISTRATION_GREEN 0.002
#define FOLIO_REGISTRATION_BLUE 0.003

/* An sRGB colour (0–1 each) as the inks of the output condition (C, M, Y, K, 0–1 each). */
typedef void (*folio_rgb_to_cmyk)(void *context, const double *rgb, double *cmyk);

/* The PDF `pdf` (`length` bytes) with its colours as a PDF/X-4 print file wants them:
 * - every RGB fill and stroke colour set in a content stream (`r g b rg`, `RG`) of a page, a
 *   form XObject or a tiling pattern becomes inks (`c m y k k`, `K`) through `convert`; solid
 *   black (black ink alone, 100 %) overprints, every other colour knocks out (graphics states
 *   /FolioOverprintFill, /FolioKnockoutFill and their Stroke twins, added to the resources);
 *   the registration colour (FOLIO_REGISTRATION_*) becomes `/FolioRegistration cs 1 scn` (`CS`,
 *   `SCN`): /Separation /All, added to the resources, every plate at 100 %;
 * - every colour space still DeviceRGB (images, shadings, transparency groups) becomes
 *   ICC-based on the sRGB profile `srgb` (`srgb_length` bytes), embedded once, and every
 *   resource dictionary maps DeviceRGB to it (`/DefaultRGB`) for whatever else sets RGB.
 * Returns the new PDF (malloc'd, `*out_length` bytes; the caller frees it), or NULL with the
 * reason in `error` (`error_size` bytes). Marked content, text and everything else stay. */
unsigned char *folio_qpdf_print_colours(const unsigned char *pdf, size_t length,
                                        const unsigned char *srgb, size_t srgb_length,
                                        folio_rgb_to_cmyk convert, void *context,
                                        size_t *out_length, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif
#endif
