#include "core/heap_release.h"

#include <malloc.h>

namespace edgeport {

void release_free_heap_pages() { ::malloc_trim(0); }

void share_one_heap_between_threads() { ::mallopt(M_ARENA_MAX, 1); }

}  // namespace edgeport
