// libxml2 (Debian libxml2-dev) behind one C function: reading an SVG's root element when an
// image is probed. A C target, not a module map over libxml2's headers: they include ICU's,
// which clash with Foundation's own ICU in a Swift module. Only plain C types cross this line.
#include <stdint.h>

// Parses `length` bytes as XML (no network, no messages). Returns -1 if they are not
// well-formed, 0 if the root element is not <svg>, 1 if it is; then copies the root's width,
// height and viewBox attributes (empty when absent) into the three buffers of `capacity` bytes.
int32_t folio_svg_root(const char *bytes, int32_t length, char *width, char *height, char *viewBox, int32_t capacity);
