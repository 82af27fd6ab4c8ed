/*
 * cli-memory.c — the tool's working memory, faulted in at once (see
 * cli.h, cli_reserve_memory).
 *
 * A page of memory is mapped by the kernel the first time it is touched:
 * a page fault each.  On the virtual machines many servers are, a fault
 * costs far more than mapping the same page in bulk: measured on the
 * project's 2-core test VM, 12 us a page by faulting against 0.6 us by
 * madvise(MADV_POPULATE_WRITE).  Rendering one form touches about 600
 * pages of heap, 7 ms of its ~35 ms.  So `render` grows the heap once,
 * by the memory a form needs, and has every page mapped in one call; the
 * allocator is told to keep that memory (no trimming) and to serve large
 * blocks from it too, rather than from fresh mappings.
 *
 * This is process policy, so it lives in the tool, not in the library:
 * a program embedding libjxform keeps its own allocator settings.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "cli.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels refuse it */
#endif

void cli_reserve_memory(size_t bytes) {
  /* Blocks up to 32 MiB come from the heap, which is never trimmed below
   * 64 MiB: freed memory is reused rather than unmapped and faulted in
   * again. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  if (bytes == 0)
    return;
  char *block = malloc(bytes);
  if (!block)
    return;
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t from = ((uintptr_t)block + page - 1) & ~(page - 1);
  uintptr_t to = ((uintptr_t)block + bytes) & ~(page - 1);
  if (to > from) /* a kernel without it leaves the pages to be faulted */
    (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
  free(block); /* back to the heap's top, kept there (no trimming) */
}
