#include <lcms2.h>
// lcms2's pixel formats are macros built from macros, which Swift does not import.
static const cmsUInt32Number folio_TYPE_BGRA_8 = TYPE_BGRA_8;
static const cmsUInt32Number folio_TYPE_BGRA_8_PREMUL = TYPE_BGRA_8_PREMUL;
static const cmsUInt32Number folio_TYPE_CMYK_8 = TYPE_CMYK_8;
static const cmsUInt32Number folio_TYPE_RGB_DBL = TYPE_RGB_DBL;
static const cmsUInt32Number folio_TYPE_CMYK_DBL = TYPE_CMYK_DBL;
