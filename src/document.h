/*
 * document.h — the pieces of a packet PDF, shared by the files that make
 * it (private to them):
 *
 *   - packet.c: the worker threads, the input window and the entry
 *     points; hands each laid-out project to the document in input order;
 *   - document.c: the document as a whole: takes the projects' pages in
 *     input order, then puts them in the packet's order, numbers the pages
 *     (blank pages for --duplex), adds the front matter and the footers,
 *     bookmarks and page labels, and closes the PDF;
 *   - order.c: the packet's order (departments, then names in 拼音 order)
 *     and its departments;
 *   - frontmatter.c: the pages the packet adds to the forms as its
 *     template's `packet` section says: cover, contents with their
 *     totals, page footers;
 *   - splitname.c: the file names of --split.
 */
#ifndef JX_DOCUMENT_H
#define JX_DOCUMENT_H

#include "packet.h"
#include "render.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One project in the packet (kept until the end: small). */
typedef struct jx_entry {
  size_t input;
  char *dept_code, *dept_name, *name, *year;
  int64_t annual_cents;
  bool annual_present;
  /* what the total is, as its template names it (templates live as long
   * as the session): totals of different forms are added up apart */
  const char *total_label, *total_unit;
  bool total_fixed; /* its form prints two decimals always */
  size_t kind;      /* its kind of total (jx_kinds_number), SIZE_MAX: none */
  size_t dept;      /* its department's number (jx_entries_order) */
  uint32_t *objs;   /* content stream per page */
  size_t page_count;
  double page_width, page_height;
  size_t first_page; /* physical index, set when numbering */
} jx_entry;

/* ---- the document (document.c) ---- */

/* A packet PDF being made: its projects' pages are written as they come,
 * the rest when it is finished. */
typedef struct jx_document {
  jx_session *session; /* its diagnostics */
  const jx_packet_options *opt;
  const char *out_path;
  jx_pdf *pdf;            /* NULL once finished or aborted */
  const jx_template *tpl; /* the first project's: front matter, footers */
  jx_entry *entries;      /* in input order */
  size_t count, cap;
} jx_document;

/* Opens the PDF at out_path for a packet made with `opt`.  Returns true,
 * or false after recording an error in the session (nothing to free). */
bool jx_document_open(jx_document *doc, jx_session *session,
                      const jx_packet_options *opt, const char *out_path);
/* Takes the next project (in input order) laid out with `tpl`: the entry
 * `e` (copied, its strings now owned by the document; objs set here,
 * kind, dept and first_page when finishing) and its e->page_count encoded
 * pages, which are written to the PDF at once (the caller frees them). */
void jx_document_add(jx_document *doc, const jx_template *tpl,
                     const jx_entry *e, const jx_bytes *pages);
/* Finishes the PDF: puts the projects in the packet's order, numbers the
 * pages, lays out the front matter and footers with the glyphs recorded in
 * `use`, adds bookmarks and page labels and closes it.  Sets *pdf_pages
 * (all pages) and *form_pages (those the footers number), 0 on failure.
 * Returns false after recording an error (the PDF is then removed). */
bool jx_document_finish(jx_document *doc, jx_glyph_use *use, size_t *pdf_pages,
                        size_t *form_pages);
/* Removes the unfinished PDF (nothing when finished already). */
void jx_document_abort(jx_document *doc);
/* Frees the entries (after jx_document_finish or jx_document_abort). */
void jx_document_free(jx_document *doc);

/* ---- the order (order.c) ---- */

/* Puts es[0..n) in `order` and numbers their departments in department
 * order (each entry's dept); returns how many departments there are.
 * Names are compared in 拼音 order by ICU's Chinese collation, opened once
 * for the call; without it by code point, and *no_collation is set to
 * ICU's reason (a static string), else to NULL. */
size_t jx_entries_order(jx_entry **es, size_t n, jx_packet_order order,
                        const char **no_collation);
/* True when entries x and y are of the same department. */
bool jx_same_dept(const jx_entry *x, const jx_entry *y);
/* A department as the contents and bookmarks name it: "code　name"
 * (static or in `arena`). */
const char *jx_dept_title(jx_arena *arena, const jx_entry *e);

/* ---- the front matter (frontmatter.c) ---- */

/* A kind of total: projects whose templates name their total alike, with
 * one unit.  Totals of different kinds are never added together. */
typedef struct jx_kind jx_kind;

/* Sets each entry's kind (SIZE_MAX when its template names no total), in
 * the order the kinds first come in es[0..n), and adds up each kind's
 * total.  Returns the kinds (malloc'd, the caller frees; *count of them).
 * Sets *overflow when a total cannot be added up (only without a 128-bit
 * type). */
jx_kind *jx_kinds_number(jx_entry *const *es, size_t n, size_t *count,
                         bool *overflow);

/* The cover and the contents, laid out. */
typedef struct jx_front {
  jx_layout layout;      /* cover, then contents pages (the caller sets
                            its arena and frees it) */
  size_t cover_pages;    /* 1, or 0 when the template has no cover */
  size_t contents_pages; /* how many of them are contents */
  const char *subject;   /* the PDF's subject (the template's pattern,
                            in the arena); NULL: none */
} jx_front;

/* What the cover and contents are made from. */
typedef struct jx_front_in {
  const jx_template *tpl; /* fonts, page size and margins */
  const jx_packet_options *opt;
  jx_entry *const *es; /* in packet order, numbered (dept, kind) */
  size_t n;
  const jx_kind *kinds;
  size_t kind_count;
  size_t depts;
  size_t main_pages;
} jx_front_in;

/* Lays out the cover and the contents of the template's `packet` section
 * (none when it has none) into fr->layout (its arena set by the caller),
 * the projects' page numbers counted from their first_page relative to
 * the first form page `main0`. */
void jx_front_build(jx_fonts *fonts, const jx_front_in *in, size_t main0,
                    jx_front *fr);
/* Encodes the footer of form page `num` of `total` (the pattern of the
 * template's `packet.footer`; an empty page without one) into *out
 * (malloc'd data, the caller frees).  Returns false after recording an
 * error. */
bool jx_footer_stream(jx_fonts *fonts, const jx_template *tpl,
                      jx_glyph_use *use, jx_diag_list *diags, size_t num,
                      size_t total, jx_bytes *out);

/* ---- names for --split (splitname.c) ---- */

/* The file name of project `e` (input `index`) from `pattern` (NULL:
 * "{dept_code}-{name}.pdf"), safe on any common file system and unlike
 * each of used[0..used_count), ignoring ASCII case (-2, -3, … added).
 * Returns it malloc'd; the caller frees. */
char *jx_split_name(const char *pattern, const jx_entry *e, size_t index,
                    char *const *used, size_t used_count);

#endif
