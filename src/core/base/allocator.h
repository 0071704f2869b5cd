// Process-wide allocator policy for programs that run the model repeatedly.
//
// A forward pass allocates and frees tens of megabytes of activations. With
// glibc's defaults those blocks are handed back to the kernel on free (mmap
// for large blocks, heap trimming for the rest), so the next pass page-faults
// every page in again: measured here, that doubled the ECNN forward time
// (256x256: 64 ms -> 30 ms once memory is kept). Call this once at start-up.
#pragma once

namespace convlab {

// Keeps freed memory in the process for reuse (glibc: mmap only for blocks
// over 32 MiB, no trimming below 1 GiB of free heap). No effect elsewhere.
void keep_freed_memory_for_reuse();

}  // namespace convlab
