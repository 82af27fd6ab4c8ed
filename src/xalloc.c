/*
 * xalloc.c — allocation that aborts on failure (see xalloc.h).
 */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns p, or prints the message and aborts if p is NULL. */
static void *checked(void *p) {
  if (!p) {
    fputs("jxform: out of memory\n", stderr);
    abort();
  }
  return p;
}

void *jx_xmalloc(size_t size) { return checked(malloc(size ? size : 1)); }

void *jx_xcalloc(size_t n, size_t size) {
  return checked(calloc(n ? n : 1, size ? size : 1));
}

void *jx_xrealloc(void *p, size_t size) {
  return checked(realloc(p, size ? size : 1));
}

char *jx_xstrdup(const char *s) {
  if (!s)
    s = "";
  size_t n = strlen(s) + 1;
  return memcpy(jx_xmalloc(n), s, n);
}
