#include "core/heap_release.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace edgeport {
namespace {

// Below glibc's smallest mmap threshold, so the blocks come from a heap.
constexpr std::size_t kBlockBytes = 64 * 1024;
constexpr std::size_t kBlocks = 64;

std::size_t heap_bytes_from_system() { return ::mallinfo2().arena; }

TEST(HeapRelease, BlocksAWorkerThreadFreedServeTheMainThread) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator has no glibc heaps";
#endif
  // Each test runs in a process of its own: this thread is the first to
  // allocate after the call.
  share_one_heap_between_threads();
  void* fence = nullptr;
  std::thread worker([&fence] {
    std::vector<void*> blocks;
    for (std::size_t b = 0; b < kBlocks; ++b) {
      blocks.push_back(std::malloc(kBlockBytes));
      std::memset(blocks.back(), 1, kBlockBytes);
    }
    // Kept allocated above the blocks, so that freeing them leaves a hole
    // rather than shrinking the heap.
    fence = std::malloc(kBlockBytes);
    for (void* block : blocks) std::free(block);
  });
  worker.join();

  const std::size_t before = heap_bytes_from_system();
  std::vector<void*> blocks;
  for (std::size_t b = 0; b < kBlocks; ++b) blocks.push_back(std::malloc(kBlockBytes));
  const std::size_t grown = heap_bytes_from_system() - before;
  for (void* block : blocks) std::free(block);
  std::free(fence);
  EXPECT_LT(grown, kBlocks * kBlockBytes / 4) << "the main thread took new memory instead of the worker's freed blocks";
}

}  // namespace
}  // namespace edgeport
