#include "core/base/allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems, tested below

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace convlab {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  // 32 MiB is the largest mmap threshold glibc accepts on 64-bit (a larger
  // value is refused and the default kept); blocks above it are rare.
  constexpr int kLargestMmapThreshold = 32 << 20;
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kLargestMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kOneGiB);
#endif
}

}  // namespace convlab
