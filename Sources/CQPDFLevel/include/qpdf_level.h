/* libqpdf's Flate level (Debian libqpdf-dev), which its C API does not reach: C++ only
 * (Pl_Flate::setCompressionLevel), behind one C function. */
#ifndef FOLIO_QPDF_LEVEL_H
#define FOLIO_QPDF_LEVEL_H
#ifdef __cplusplus
extern "C" {
#endif

/* The zlib level (1–9, or -1 for zlib's default) of every stream libqpdf compresses from then
 * on, in this process: the object streams it makes when it writes a PDF. */
void folio_qpdf_set_compression_level(int level);

#ifdef __cplusplus
}
#endif
#endif
