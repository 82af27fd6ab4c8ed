/*
 * arena.h — bump allocator: one per document, freed once.
 *
 * Everything a project's model and layout need is allocated here and
 * released together by jx_arena_free.  Allocation failure aborts the
 * process with a message (there is no sensible recovery for a form
 * renderer that cannot allocate a few kilobytes).
 */
#ifndef JX_ARENA_H
#define JX_ARENA_H

#include <stddef.h>

typedef struct jx_arena_block jx_arena_block;
typedef struct jx_arena {
  jx_arena_block *head;
  size_t total; /* bytes handed out, for limits and statistics */
} jx_arena;

void jx_arena_init(jx_arena *arena);
void jx_arena_free(jx_arena *arena);
/* Returns zeroed memory aligned for any type, owned by the arena. */
void *jx_arena_alloc(jx_arena *arena, size_t size);
/* Copies n bytes and appends a NUL; owned by the arena. */
char *jx_arena_strndup(jx_arena *arena, const char *s, size_t n);
char *jx_arena_strdup(jx_arena *arena, const char *s);
/* printf into the arena. */
char *jx_arena_printf(jx_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grows a vector stored in the arena: returns a pointer to an array of
 * at least `need` elements holding the old contents (old memory is left
 * to the arena).  *cap is updated. */
void *jx_arena_grow(jx_arena *arena, void *items, size_t elem_size, size_t *cap,
                    size_t need);

#endif
