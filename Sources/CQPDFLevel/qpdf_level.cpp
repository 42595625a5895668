#include "qpdf_level.h"
// qpdf 11 asks its users to say they use no PointerHolder (qpdf/PointerHolder.hh).
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Pl_Flate.hh>

void folio_qpdf_set_compression_level(int level) {
    Pl_Flate::setCompressionLevel(level);
}
