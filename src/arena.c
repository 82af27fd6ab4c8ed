/*
 * arena.c — bump allocator with chained blocks (see arena.h).
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JX_ARENA_BLOCK 65536
#define JX_ARENA_ALIGN 16

struct jx_arena_block {
  jx_arena_block *next;
  size_t used, size;
  _Alignas(JX_ARENA_ALIGN) unsigned char data[];
};

static void jx_out_of_memory(size_t size) {
  fprintf(stderr, "jxform: out of memory (asked for %zu bytes)\n", size);
  abort();
}

void jx_arena_init(jx_arena *arena) {
  arena->head = NULL;
  arena->total = 0;
}

void jx_arena_free(jx_arena *arena) {
  jx_arena_block *b = arena->head;
  while (b) {
    jx_arena_block *next = b->next;
    free(b);
    b = next;
  }
  arena->head = NULL;
  arena->total = 0;
}

/* Returns `size` bytes (rounded up to the alignment) of the arena, not
 * zeroed. */
static void *arena_take(jx_arena *arena, size_t size) {
  size_t rounded = (size + JX_ARENA_ALIGN - 1) & ~(size_t)(JX_ARENA_ALIGN - 1);
  if (rounded < size)
    jx_out_of_memory(size);
  jx_arena_block *b = arena->head;
  if (!b || b->size - b->used < rounded) {
    size_t cap = rounded > JX_ARENA_BLOCK / 4 ? rounded : JX_ARENA_BLOCK;
    jx_arena_block *nb = malloc(sizeof *nb + cap);
    if (!nb)
      jx_out_of_memory(size);
    nb->used = 0;
    nb->size = cap;
    if (b && cap != JX_ARENA_BLOCK) {
      /* A large block goes behind the current one so the current one's
       * free space is not wasted. */
      nb->next = b->next;
      b->next = nb;
      nb->used = rounded;
      arena->total += rounded;
      return nb->data;
    }
    nb->next = b;
    arena->head = nb;
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += rounded;
  arena->total += rounded;
  return p;
}

void *jx_arena_alloc(jx_arena *arena, size_t size) {
  void *p = arena_take(arena, size);
  memset(p, 0, size);
  return p;
}

char *jx_arena_strndup(jx_arena *arena, const char *s, size_t n) {
  char *p = jx_arena_alloc(arena, n + 1);
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *jx_arena_strdup(jx_arena *arena, const char *s) {
  return jx_arena_strndup(arena, s, strlen(s));
}

char *jx_arena_printf(jx_arena *arena, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return jx_arena_strdup(arena, "");
  char *p = jx_arena_alloc(arena, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void *jx_arena_grow(jx_arena *arena, void *items, size_t elem_size, size_t *cap,
                    size_t need) {
  if (need <= *cap)
    return items;
  size_t ncap = *cap ? *cap * 2 : 8;
  while (ncap < need)
    ncap *= 2;
  if (ncap > SIZE_MAX / elem_size)
    jx_out_of_memory(SIZE_MAX);
  size_t old = items ? *cap * elem_size : 0, size = ncap * elem_size;
  unsigned char *n;
  jx_arena_block *b = arena->head;
  size_t rounded_old =
      (old + JX_ARENA_ALIGN - 1) & ~(size_t)(JX_ARENA_ALIGN - 1);
  size_t rounded = (size + JX_ARENA_ALIGN - 1) & ~(size_t)(JX_ARENA_ALIGN - 1);
  if (old && b && (unsigned char *)items + rounded_old == b->data + b->used &&
      b->size - b->used >= rounded - rounded_old) {
    /* the vector is the last thing taken from the current block and the
     * block has room: it grows where it is */
    b->used += rounded - rounded_old;
    arena->total += rounded - rounded_old;
    n = items;
  } else {
    n = arena_take(arena, size);
    if (old)
      memcpy(n, items, old);
  }
  memset(n + old, 0, size - old);
  *cap = ncap;
  return n;
}
