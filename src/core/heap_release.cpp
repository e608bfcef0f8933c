#include "core/heap_release.h"

#include <malloc.h>

namespace edgeport {

void release_free_heap_pages() { ::malloc_trim(0); }

}  // namespace edgeport
