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
  jx_sink_content *objs; /* content per page */
  size_t page_count;
  double page_width, page_height;
  size_t first_page; /* physical index, set when numbering */
} jx_entry;

/* ---- the document (document.c) ---- */

/* A PDF being made: its projects' pages are handed to its sink as they
 * come, the rest when it is finished.  Either a packet (cover, contents,
 * footers, bookmarks, page labels, the packet's order) or a plain
 * document (`render`, a --split file): the forms' pages in input order,
 * nothing added. */
typedef struct jx_document {
  jx_session *session; /* its diagnostics */
  const jx_packet_options *opt;
  const char *out_path;   /* where errors are recorded */
  jx_sink *sink;          /* (sink.h) NULL once finished or aborted */
  bool packet;            /* a packet; false: a plain document */
  bool failed;            /* a page could not be added (recorded) */
  jx_diag_list *diags;    /* a plain document's errors go here */
  jx_render_info info;    /* a plain document's information */
  const jx_template *tpl; /* the first project's: front matter, footers */
  jx_entry *entries;      /* in input order */
  size_t count, cap;
} jx_document;

/* Opens the PDF at out_path for a packet made with `opt`: a streaming
 * sink, whose encoders the workers encode the forms' pages with.
 * Returns true, or false after recording an error in the session
 * (nothing to free). */
bool jx_document_open(jx_document *doc, jx_session *session,
                      const jx_packet_options *opt, const char *out_path);
/* The same through `sink` (any sink; now owned by the document). */
void jx_document_open_packet(jx_document *doc, jx_session *session,
                             const jx_packet_options *opt, jx_sink *sink,
                             const char *out_path);
/* A plain document written through `sink` (now owned by the document),
 * with information `info` (its strings must outlive the document);
 * errors are recorded at `where` in `diags` (NULL: the session's).  The
 * sink may encode (its encoders then encode the pages on the workers) or
 * not (the document hands it the display pages, in input order). */
void jx_document_open_sink(jx_document *doc, jx_session *session, jx_sink *sink,
                           const jx_render_info *info, const char *where,
                           jx_diag_list *diags);
/* Takes the next project (in input order) laid out with `tpl`: the entry
 * `e` (copied, its strings now owned by the document; objs set here,
 * kind, dept and first_page when finishing) and its e->page_count pages:
 * `pages` encoded by the sink's encoders, or, when `pages` is NULL, the
 * display pages of `layout`, which the document hands to the sink's
 * add_page in order; either is written (or copied) at once, and the
 * caller frees it. */
void jx_document_add(jx_document *doc, const jx_template *tpl,
                     const jx_entry *e, const jx_bytes *pages,
                     const jx_layout *layout);
/* Finishes the PDF (every encoder of its sink freed before).  A packet:
 * puts the projects in the packet's order, numbers the pages, lays out
 * the front matter and footers, adds bookmarks and page labels and
 * closes it.  A plain document: closes it with the pages in input order.
 * Sets *pdf_pages (all pages) and *form_pages (those the footers number;
 * a plain document's all), 0 on failure.  Returns false after recording
 * an error (the PDF is then removed). */
bool jx_document_finish(jx_document *doc, size_t *pdf_pages,
                        size_t *form_pages);
/* Removes the unfinished PDF (nothing when finished already). */
void jx_document_abort(jx_document *doc);
/* Frees the entries (after jx_document_finish or jx_document_abort). */
void jx_document_free(jx_document *doc);

/* ---- the pipeline (packet.c) ---- */

/* One run of the pipeline that `render`, `packet` and --split share:
 * inputs → workers (load, validate, lay out) → the document (in input
 * order) → its sink.  Which sink, whether the document is a packet, and
 * how many threads make the difference. */
typedef struct jx_pipeline {
  const char *const *inputs;   /* count of them, in order: the files the
                                  workers load, or the names of `projects` */
  jx_project *const *projects; /* loaded already (render), or NULL */
  size_t count;
  const jx_packet_options *opt; /* threads, split_dir, fail_fast, progress,
                                   summary (order etc.: the document's) */
  bool on_caller;      /* lay out on the calling thread with the session's
                          faces, no worker thread (render) */
  bool all_or_nothing; /* a bad input writes nothing, and the packet's own
                          messages (the same project twice, nothing could
                          be rendered) are not given (render) */
} jx_pipeline;

/* Runs `run` into `doc` (opened, e.g. jx_document_open; NULL for
 * --split: each project's PDF in opt->split_dir), which it finishes or
 * aborts and frees.  Diagnostics go to the session, in input order;
 * `failed` (when not NULL) gets true at each bad input's index;
 * *form_pages (when not NULL) as jx_packet_render_forms sets it.
 * Returns true when the output was written and every input was good. */
bool jx_pipeline_run(jx_session *session, const jx_pipeline *run,
                     jx_document *doc, const char *out_path, bool *failed,
                     size_t *form_pages);

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
void jx_front_build(jx_measure *ms, const jx_front_in *in, size_t main0,
                    jx_front *fr);
/* Lays out the footer of form page `num` of `total` (the pattern of the
 * template's `packet.footer`; an empty page without one) as a new page of
 * `L` (its arena and page size set by the caller), drawn over the form's
 * page. */
void jx_footer_page(jx_measure *ms, const jx_template *tpl, size_t num,
                    size_t total, jx_layout *L);

/* ---- names for --split (splitname.c) ---- */

/* The file name of project `e` (input `index`) from `pattern` (NULL:
 * "{dept_code}-{name}.pdf"), safe on any common file system and unlike
 * each of used[0..used_count), ignoring ASCII case (-2, -3, … added).
 * Returns it malloc'd; the caller frees. */
char *jx_split_name(const char *pattern, const jx_entry *e, size_t index,
                    char *const *used, size_t used_count);

#endif
