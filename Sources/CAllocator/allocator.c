/* See include/allocator.h. */
#include "allocator.h"

__attribute__((visibility("default"), used)) const char *malloc_conf = "narenas:1";
