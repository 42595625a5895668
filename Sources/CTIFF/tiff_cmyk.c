#include "folio_tiff.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct { char *text; size_t capacity; } message;

// libtiff's errors go into the caller's buffer (the first one), never to stderr.
static int keep_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif; (void)module;
    message *m = user;
    if (m->text[0] == 0) vsnprintf(m->text, m->capacity, fmt, ap);
    return 1;
}

static int ignore_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif; (void)user; (void)module; (void)fmt; (void)ap;
    return 1;
}

int folio_tiff_read_cmyk(const char *path, uint32_t max_pixels, uint32_t *width, uint32_t *height,
                         uint16_t *orientation, uint8_t **pixels, uint8_t **icc, uint32_t *icc_length,
                         char *error, size_t error_capacity) {
    *pixels = NULL; *icc = NULL; *icc_length = 0;
    if (error_capacity) error[0] = 0;
    message m = { error, error_capacity };
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, keep_error, &m);
    TIFFOpenOptionsSetWarningHandlerExtR(options, ignore_warning, NULL);
    TIFF *tif = TIFFOpenExt(path, "r", options);
    TIFFOpenOptionsFree(options);
    if (!tif) return -1;
    uint16_t photometric = 0, samples = 0, bits = 0, planar = 0, inkset = INKSET_CMYK;
    uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    if (photometric != PHOTOMETRIC_SEPARATED || inkset != INKSET_CMYK || samples < 4 || bits != 8
        || planar != PLANARCONFIG_CONTIG) {
        TIFFClose(tif);
        return 1;
    }
    if (w == 0 || h == 0 || (uint64_t)w * h > max_pixels) {
        snprintf(error, error_capacity, "%u × %u pixels", w, h);
        TIFFClose(tif);
        return -1;
    }
    uint16_t o = ORIENTATION_TOPLEFT;
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &o);
    uint8_t *out = malloc((size_t)w * h * 4);
    int ok = out != NULL;
    if (ok && TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        tmsize_t size = TIFFTileSize(tif);
        uint8_t *tile = (tw && th && size >= (tmsize_t)tw * th * samples) ? malloc(size) : NULL;
        ok = tile != NULL;
        for (uint32_t y0 = 0; ok && y0 < h; y0 += th)
            for (uint32_t x0 = 0; ok && x0 < w; x0 += tw) {
                if (TIFFReadTile(tif, tile, x0, y0, 0, 0) < 0) { ok = 0; break; }
                for (uint32_t y = y0; y < y0 + th && y < h; y++)
                    for (uint32_t x = x0; x < x0 + tw && x < w; x++)
                        memcpy(out + ((size_t)y * w + x) * 4, tile + ((size_t)(y - y0) * tw + (x - x0)) * samples, 4);
            }
        free(tile);
    } else if (ok) {
        tmsize_t size = TIFFScanlineSize(tif);
        uint8_t *line = size >= (tmsize_t)w * samples ? malloc(size) : NULL;
        ok = line != NULL;
        for (uint32_t y = 0; ok && y < h; y++) {
            if (TIFFReadScanline(tif, line, y, 0) < 0) { ok = 0; break; }
            for (uint32_t x = 0; x < w; x++) memcpy(out + ((size_t)y * w + x) * 4, line + (size_t)x * samples, 4);
        }
        free(line);
    }
    uint32_t length = 0;
    void *profile = NULL;
    if (ok && TIFFGetField(tif, TIFFTAG_ICCPROFILE, &length, &profile) && length > 0 && profile) {
        *icc = malloc(length);
        if (*icc) { memcpy(*icc, profile, length); *icc_length = length; }
    }
    TIFFClose(tif);
    if (!ok) {
        if (error_capacity && error[0] == 0) snprintf(error, error_capacity, "its pixels cannot be read");
        free(out); free(*icc); *icc = NULL; *icc_length = 0;
        return -1;
    }
    *width = w; *height = h; *orientation = o; *pixels = out;
    return 0;
}
