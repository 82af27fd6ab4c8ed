/*
 * model.h — a loaded project, read against its template's declared
 * content (content.h), every value with its origin.
 *
 * Produced by load.c from the YAML file, checked by validate.c, read by
 * layout.c.  The model knows no field by name: values are stored by the
 * index of their field (or grid column) in the template's content, and
 * looked up by the field's id.  All strings are NUL-terminated UTF-8 in
 * the project's arena.
 */
#ifndef JX_MODEL_H
#define JX_MODEL_H

#include "arena.h"
#include "content.h"
#include "diag.h"
#include "ynode.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A value.  present == false: the key was absent or null (`~`, empty).
 * An empty string "" that was written as '' is present.  str is never NULL
 * (it is "" when absent).  Money values also carry their amount in
 * hundredths of the block's unit (`cents`); str is then the amount as
 * written. */
typedef struct jx_text {
  const char *str;
  bool present;
  jx_pos pos; /* position of the value; when absent, of its key written
                 with no value, else of the innermost mapping around it
                 that is present (the top-level mapping at least) */
  int64_t cents;
} jx_text;

/* One row of a grid: a value per declared column. */
typedef struct jx_row {
  jx_text *cells; /* grid->col_count values */
  jx_pos pos;     /* the list item */
} jx_row;

/* The rows of one side of a grid (or of a plain list). */
typedef struct jx_rows {
  jx_row *items;
  size_t count;
  jx_pos pos; /* the list, or where it would go */
} jx_rows;

typedef struct jx_model {
  const char *path; /* the file it came from */
  bool workbook;    /* imported from a workbook (import.h): messages say what
                       to fill in, not what YAML to write */
  const jx_content *content;
  jx_text schema; /* "1" */
  jx_text template_name;
  jx_text *fields; /* content->field_count values */
  /* grids: lists[g] has jx_grid_lists(&content->grids[g]) entries */
  jx_rows **lists;
} jx_model;

/* The value of field `id` ("project.name", "funds.period.total"), also
 * "template"; NULL for an id the template does not declare.  Points into
 * the model. */
const jx_text *jx_model_text(const jx_model *model, const char *id);

/* The value of field index `field`, or NULL when it is -1. */
const jx_text *jx_model_field(const jx_model *model, int field);

/* The text a value prints as: a money value formatted by its block (see
 * content.h: thousands, decimals), anything else as written.  "" when
 * absent.  Allocated in `arena` when formatted. */
const char *jx_model_print(jx_arena *arena, const jx_model *model, int field);

/* Formats `cents` (hundredths) with thousands separators and two decimals
 * when not whole: "34,060,000", "1,234.50". */
char *jx_cents_format(jx_arena *arena, int64_t cents);

/* Formats `cents` as money of `block` prints it (its thousands
 * separators and fixed decimals; an amount has no "as written" here). */
char *jx_money_format(jx_arena *arena, const jx_money_block *block,
                      int64_t cents);

/* Parses a project file's text into a tree and returns the template name
 * it asks for (*template_name, with *template_pos; the default when it
 * names none).  NULL when nothing could be read (diagnostics recorded).
 * The tree is for jx_load_model, in `arena`. */
const jx_ynode *jx_load_tree(jx_arena *arena, jx_diag_list *diags,
                             const char *name, const char *data, size_t size,
                             bool *complete);
/* As jx_load_tree, reading the file `path` (size-limited, FIFOs do not
 * hang). */
const jx_ynode *jx_load_tree_file(jx_arena *arena, jx_diag_list *diags,
                                  const char *path, bool *complete);
/* Reads the file `path` as jx_load_tree_file does, into `arena`: returns
 * its bytes (*size of them; *regular: a regular file), or NULL after
 * recording why it cannot be read. */
const char *jx_load_read_file(jx_arena *arena, jx_diag_list *diags,
                              const char *path, size_t *size, bool *regular);

/* The template a parsed project asks for: the value of `template:`, or
 * `fallback` when absent.  *pos is where it was written. */
const char *jx_load_template_name(const jx_ynode *root, const char *fallback,
                                  jx_pos *pos);

/* Reads a parsed project against `content` (`workbook`: the text was
 * made by the import of a workbook).  On success returns the model
 * (allocated in `arena`); errors go to `diags` — all the file's problems,
 * not only the first, in line order from index `first_diag` (the count
 * before jx_load_tree).  Returns NULL if any error was recorded since
 * `errors_before` (the error count before jx_load_tree).  `complete` is
 * what jx_load_tree set. */
jx_model *jx_load_model(jx_arena *arena, jx_diag_list *diags, const char *name,
                        bool workbook, const jx_ynode *root, bool complete,
                        const jx_content *content, const char *template_name,
                        size_t first_diag, size_t errors_before);

/* Writes `s` as a double-quoted string: \" \\ \n \r \t escaped, other
 * control bytes as \xNN, UTF-8 text as is (the dumps of models and
 * workbooks). */
void jx_dump_quoted(const char *s, FILE *out);

/* Prints the model as stable, position-annotated text. */
void jx_model_dump(const jx_model *model, FILE *out);

#endif
