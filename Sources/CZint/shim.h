// libzint (Debian libzint-dev; no pkg-config file): barcodes as vector rectangles and strings.
// Only FolioRender's BarcodeDrawer imports this module.
#include <zint.h>
