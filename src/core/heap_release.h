#pragma once

namespace edgeport {

// Hands the allocator's free pages back to the system. A page of malloc's heap
// stays resident after the block on it is freed, and glibc serves blocks of
// several MB from the heap once one such block has been freed: a phase that
// frees a model-sized set of buffers and then makes the next set would hold
// both. Called between the phases of a deep model's export, never per run: a
// page handed back costs a page fault when it is used again.
void release_free_heap_pages();

// Makes every thread allocate from the one heap. glibc gives each new thread
// its own heap, and a block freed there can only serve that thread again: the
// quantizer's worker threads left ~90 MB of resnet50 temporaries that the
// main thread's sessions could not reuse (bench/export_memory.sh). Call before
// any thread starts.
void share_one_heap_between_threads();

}  // namespace edgeport
