/*
 * xalloc.h — malloc, calloc, realloc and strdup that abort on failure.
 *
 * For memory that does not belong to a document's arena (buffers that
 * grow, font tables, diagnostics, the packet's queue).  Like the arena,
 * a failure prints "jxform: out of memory" and aborts: there is no
 * sensible recovery.  A size of 0 asks for 1 byte, so the result is
 * never NULL.  The caller frees the result with free().
 */
#ifndef JX_XALLOC_H
#define JX_XALLOC_H

#include <stddef.h>

/* The number of elements of array `array` (not of a pointer). */
#define JX_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* malloc(size): uninitialised memory, never NULL. */
void *jx_xmalloc(size_t size);
/* calloc(n, size): zeroed memory, never NULL. */
void *jx_xcalloc(size_t n, size_t size);
/* realloc(p, size): p's contents moved to at least `size` bytes. */
void *jx_xrealloc(void *p, size_t size);
/* A malloc'ed copy of `s`; NULL is copied as "". */
char *jx_xstrdup(const char *s);

#endif
