/*
 * import.h — workbook → project files: the projects a jx_book holds, as
 * the YAML text `jxform new` writes, with the workbook place each line
 * came from (docs/import-layouts.md is the contract).
 *
 * Which cell is what is decided by the template's content alone (field
 * labels, money blocks, grids: content.h); import.c knows no label.  The
 * text is then loaded like any project file (jx_load_tree); what the
 * loader and the validator say about a line is moved back to its cell
 * (jx_import_move_diags), and so are the model's positions
 * (jx_import_relocate), so that every problem is reported as
 * `book.xlsx:项目表!C12: error: …`.
 *
 * The second half (jx_session_import …) is implemented in session.c,
 * which owns the templates.
 */
#ifndef JX_IMPORT_H
#define JX_IMPORT_H

#include "arena.h"
#include "book.h"
#include "content.h"
#include "diag.h"
#include "jxform/jxform.h"
#include "model.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One project of a workbook, as YAML. */
typedef struct jx_import_project {
  const char *yaml; /* the project file's text (NUL-terminated) */
  size_t size;      /* its length */
  /* places[i]: the workbook place of line i + 1 ("项目表!C12"), never
   * NULL: lines with no cell of their own (schema:, mappings) get
   * `anchor` */
  const char **places;
  size_t line_count;
  const char *sheet;     /* the sheet it came from */
  const char *anchor;    /* its first cell: the sheet's A1 or its row's A */
  const char *name;      /* the index fields (content.h index), "" when */
  const char *dept_code; /* absent: for file names */
  /* What the mapping says about this project (its cells), kept apart
   * from what it says about the book: loading project N of a workbook
   * reports N's alone.  `errors`: its errors (then it does not load). */
  jx_diag_list diags;
  size_t errors;
} jx_import_project;

/* The projects of a workbook, in workbook order (sheets, then rows). */
typedef struct jx_import {
  const jx_book *book;
  const char *template_name;
  jx_import_project *projects;
  size_t count;
} jx_import;

/* `text` normalised as docs/import-layouts.md says (full-width forms,
 * spaces and line breaks, Chinese punctuation, trailing ':' and '*', a
 * leading 其中: before a money row label, a trailing (UNIT) of a money
 * block), in `arena`: what a cell is compared with a label by. */
const char *jx_import_norm(jx_arena *arena, const jx_content *content,
                           const char *text);

/* The template a workbook names: the text right of a cell holding
 * `template`, or NULL; *place (when not NULL) is set to that cell's
 * place, in `arena`. */
const char *jx_import_template_name(jx_arena *arena, const jx_book *book,
                                    const char **place);

/* Maps `book` to the projects of template `template_name` (whose content
 * is `content`).  Problems go to `diags`, or to a project's own `diags`
 * when they are about its cells, with the book's path and the cell.
 * `titles` are the patterns of the form's title lines (the template's
 * `heading`): a form sheet that copies a line holding one {field}, such as
 * "（{year}年度）", gives that field when no label of its own does.
 * Returns false when the book holds no project (said in `diags`).
 * Everything is allocated in `arena`; free the projects' diagnostics
 * with jx_import_free. */
bool jx_import_book(jx_arena *arena, jx_diag_list *diags, const jx_book *book,
                    const jx_content *content, const char *const *titles,
                    size_t title_count, const char *template_name,
                    jx_import *out);
void jx_import_free(jx_import *imp);

/* Moves the diagnostics of `diags` from index `first` on that are about
 * the text of `p` (file `yaml_name`, no cell) to the workbook: file
 * `book_path`, the cell of their line, line and column 0. */
void jx_import_move_diags(jx_diag_list *diags, size_t first,
                          const char *yaml_name, const char *book_path,
                          const jx_import_project *p);

/* Rewrites the positions in `model` that point into the text of `p`
 * (file `yaml_name`) as "BOOK:PLACE" with line 0, so that what is said
 * about the project after loading (layout, the rules across files)
 * names the cell as the load diagnostics do. */
void jx_import_relocate(jx_arena *arena, jx_model *model, const char *yaml_name,
                        const char *book_path, const jx_import_project *p);

/* Splits an input "PATH#N" (N ≥ 1, PATH a workbook by its name or an
 * existing file) into *path (in `arena`) and *index = N; anything else
 * gives *path = input and *index = 0. */
void jx_import_split(jx_arena *arena, const char *input, const char **path,
                     size_t *index);

/* True if `path` is a workbook: by its name (jx_book_path), or a regular
 * file starting as .xlsx or .xls files do. */
bool jx_import_is_book(const char *path);
/* True if a regular file's first n bytes are those of an .xlsx or .xls
 * file (jx_import_is_book's test of the bytes). */
bool jx_import_is_book_head(const unsigned char *head, size_t n);

/* The file name for project `p` (index `index`, 0-based, for a project
 * with neither code nor name): "{dept_code}-{name}.yaml", made safe for
 * any file system; in `arena`. */
const char *jx_import_file_name(jx_arena *arena, const jx_import_project *p,
                                size_t index);

/* ---- in session.c: the same through the session's templates ---- */

/* Reads workbook `path` ("PATH#N" is not split here) and maps it with the
 * template chosen for it: the session's import_template option, else the
 * book's `template` cell, else the default.  The template is looked up
 * under `lock` when not NULL.  Diagnostics go to `diags`.  Returns false
 * when nothing could be read or mapped; *tpl is set to the template when
 * it loaded. */
struct jx_template;
bool jx_session_import(jx_session *session, jx_arena *arena,
                       jx_diag_list *diags, const char *path,
                       pthread_mutex_t *lock, jx_import *out,
                       const struct jx_template **tpl);

/* Loads project `index` (0-based) of `imp` (template `tpl`) as a project
 * file named `name` in diagnostics, validates it, moves its diagnostics
 * to the workbook and relocates the model; the project's own import
 * diagnostics are copied to `diags` first.  Returns the model (in
 * `arena`), or NULL when it has errors (recorded in `diags`). */
jx_model *jx_session_load_import(jx_session *session, jx_arena *arena,
                                 jx_diag_list *diags, const jx_import *imp,
                                 size_t index, const char *name,
                                 const struct jx_template *tpl);

#endif
