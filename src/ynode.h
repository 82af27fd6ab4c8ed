/*
 * ynode.h — a YAML document as a small tree with positions.
 *
 * Built from libyaml's *event* API (yaml_parser_parse), so every node keeps
 * the file, line and column where it starts.  Used by the project loader
 * and the template loader.  The whole tree lives in the caller's arena.
 *
 * Refused with a diagnostic (all reported, parsing goes on where it can):
 * syntax errors, aliases and anchors (no billion laughs), duplicate keys,
 * non-scalar keys, more than one document, nesting deeper than
 * JX_YAML_MAX_DEPTH, invalid UTF-8 (libyaml's reader reports it).  A
 * syntax error caused by a full-width colon after a key or full-width
 * spaces in the indentation is named as such.
 */
#ifndef JX_YNODE_H
#define JX_YNODE_H

#include "arena.h"
#include "diag.h"
#include "jxlimits.h"
#include <stdbool.h>
#include <stddef.h>

#define JX_YAML_MAX_DEPTH JX_LIMIT_YAML_DEPTH

typedef enum { JX_YSCALAR, JX_YMAP, JX_YSEQ } jx_ynode_kind;

typedef struct jx_ynode jx_ynode;
struct jx_ynode {
  jx_ynode_kind kind;
  jx_pos pos; /* start of the node (1-based line and column) */
  /* scalars */
  const char *str; /* NUL-terminated UTF-8 ("" for empty) */
  size_t len;
  bool quoted;  /* written with ' or " or as a block scalar */
  bool is_null; /* plain "", "~", "null", "Null", "NULL" */
  /* A plain value (not a key) followed on its line by one space and a
   * '#' with text right after it ("measures: 对 #3 教学楼"): YAML takes
   * " #" as the start of a comment, so the value was likely cut short.
   * `comment` is that text, from the '#' to the end of the line, at
   * `comment_pos`; NULL when there is none. */
  const char *comment;
  jx_pos comment_pos;
  /* mappings: keys[i] (always scalars) map to items[i];
   * sequences: items[i] */
  jx_ynode **keys;
  jx_ynode **items;
  size_t count;
};

/* Parses `data` (one YAML document).  Returns the root node, or NULL when
 * the file has errors (all recorded in diags, file name `name`).  An empty
 * document returns a NULL-scalar node. */
jx_ynode *jx_yaml_parse(jx_arena *arena, jx_diag_list *diags, const char *name,
                        const char *data, size_t size);

/* As jx_yaml_parse, but returns the tree even when the file has errors,
 * so that the caller can report the schema problems of the same file too.
 * *complete is false when parsing stopped early (a syntax error, a second
 * document, nesting too deep): what follows that point is missing from
 * the tree.  Returns NULL when nothing could be read (invalid UTF-8, an
 * error before the first key). */
jx_ynode *jx_yaml_parse_partial(jx_arena *arena, jx_diag_list *diags,
                                const char *name, const char *data, size_t size,
                                bool *complete);
/* As jx_yaml_parse_partial, for data the caller has found to be valid
 * UTF-8 (jx_utf8_valid): it is not walked again to check it. */
jx_ynode *jx_yaml_parse_partial_utf8(jx_arena *arena, jx_diag_list *diags,
                                     const char *name, const char *data,
                                     size_t size, bool *complete);

/* Value of `key` in mapping `map`, or NULL when absent or map is not a
 * mapping. */
const jx_ynode *jx_ymap_get(const jx_ynode *map, const char *key);

/* Kind name for messages: "a scalar", "a mapping", "a sequence". */
const char *jx_ynode_kind_name(const jx_ynode *node);

#endif
