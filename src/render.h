/*
 * render.h — display list → PDF.
 *
 * render.c writes PDF itself (objects, cross-reference table, Flate
 * streams through zlib): pages are encoded into compressed content
 * streams as soon as they are laid out and streamed to the output file,
 * so memory does not grow with the number of pages, and the expensive part
 * (encoding and compressing a page) can run on any thread.  Fonts are
 * written last: each face used is subset with hb-subset to exactly the
 * characters drawn, embedded as a CID TrueType font (Identity-H, CID =
 * Unicode code point) with a compact /W array, CIDToGIDMap and ToUnicode
 * CMap.  Output is written to a temporary file beside out_path and renamed
 * into place when complete.  No clock goes into the file: dates appear
 * only when SOURCE_DATE_EPOCH is set.
 *
 * Two ways in:
 *   - jx_render / jx_render_memory: a whole display list, one call;
 *   - the streaming writer (jx_pdf_*), for packets: encode pages with
 *     jx_page_encode (thread-safe), add them with jx_pdf_add_stream in a
 *     fixed order, then describe the page tree, outlines and page labels
 *     to jx_pdf_close.
 */
#ifndef JX_RENDER_H
#define JX_RENDER_H

#include "diag.h"
#include "display.h"
#include "fonts.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jx_render_info {
  const char *title;   /* document title */
  const char *subject; /* document subject */
  const char *author;  /* document author */
} jx_render_info;

/* Writes `layout` to `out_path`.  Returns true on success; on failure
 * records an error (naming the path) and leaves no file at out_path (an
 * existing file there is left untouched). */
bool jx_render(const jx_layout *layout, jx_fonts *fonts,
               const jx_render_info *info, jx_diag_list *diags,
               const char *out_path);

/* Same as jx_render, but the PDF goes to a malloc'd buffer (*data, *size;
 * the caller frees *data) instead of a file: for the fuzz targets and
 * tests.  Returns false (with *data NULL) after recording an error. */
bool jx_render_memory(const jx_layout *layout, jx_fonts *fonts,
                      const jx_render_info *info, jx_diag_list *diags,
                      char **data, size_t *size);

/* ---- the streaming writer ---- */

/* Bytes in malloc'd memory (free `data`). */
typedef struct jx_bytes {
  unsigned char *data;
  size_t len;
} jx_bytes;

/* Which BMP code points each embedded font draws.  Faces that resolve to
 * the same file and face index share one font (`slot` = the lowest such
 * face index).  Built for one face table; a copy of the face table
 * loaded with the same specs in the same order (one per thread) gives the
 * same slots. */
typedef struct jx_glyph_use {
  size_t face_count;
  int *slot;      /* per face */
  uint64_t *bits; /* face_count × 1024 words; only slot rows are used */
} jx_glyph_use;

void jx_glyph_use_init(jx_glyph_use *use, const jx_fonts *fonts);
/* Grows `use` to a face table that has gained faces since init. */
void jx_glyph_use_update(jx_glyph_use *use, const jx_fonts *fonts);
void jx_glyph_use_free(jx_glyph_use *use);
/* ORs every code point of `from` into `into` (same face table). */
void jx_glyph_use_merge(jx_glyph_use *into, const jx_glyph_use *from);

/* Encodes the drawing of `page` (height `page_height` points) as a
 * Flate-compressed content stream in *out (malloc'd), marking the code
 * points drawn in `use`.  Safe to call from several threads with
 * different `use` and `diags`.  Returns false after recording an error at
 * `where` (malformed text, a face not loaded). */
bool jx_page_encode(const jx_dpage *page, double page_height,
                    const jx_fonts *fonts, jx_glyph_use *use, const char *where,
                    jx_diag_list *diags, jx_bytes *out);

typedef struct jx_pdf jx_pdf;

/* Starts a PDF at out_path (a temporary file beside it until close).
 * Returns NULL after recording an error. */
jx_pdf *jx_pdf_open(const char *out_path, jx_diag_list *diags);

/* Compression level of fonts and maps (1..12; default 12, the smallest;
 * packets use less, for speed). */
void jx_pdf_set_font_level(jx_pdf *pdf, int level);

/* Writes one compressed content stream (from jx_page_encode) as a new
 * object and returns its object number, or 0 after a write error (the
 * error is reported by jx_pdf_close). */
uint32_t jx_pdf_add_stream(jx_pdf *pdf, const jx_bytes *content);

/* One page of the finished document. */
typedef struct jx_pdf_page {
  uint32_t contents[2]; /* content stream objects, 0 = none */
  double width, height; /* points */
} jx_pdf_page;

/* One bookmark.  Items are given in document order; a child follows its
 * parent (parent = index of the parent item, -1 for the top level). */
typedef struct jx_pdf_outline {
  const char *title; /* UTF-8 */
  size_t page;       /* 0-based index into the pages */
  int parent;
  bool open; /* show the children when the document opens */
} jx_pdf_outline;

/* A page label range, from `first_page` to the next range. */
typedef struct jx_pdf_label {
  size_t first_page;
  char style;         /* 'D' decimal, 'r'/'R' roman, 0 = prefix only */
  const char *prefix; /* UTF-8 or NULL */
  int start;          /* first number (1 when 0) */
} jx_pdf_label;

typedef struct jx_pdf_doc {
  const jx_pdf_page *pages;
  size_t page_count;
  const jx_pdf_outline *outlines;
  size_t outline_count;
  const jx_pdf_label *labels;
  size_t label_count;
  jx_render_info info;
  bool show_outlines; /* open the outline panel in viewers */
} jx_pdf_doc;

/* Writes the fonts (every code point of `use`), pages, outlines, labels,
 * metadata and cross-reference table, then moves the file into place.
 * Frees `pdf` in every case.  Returns false after recording an error;
 * out_path is then left as it was. */
bool jx_pdf_close(jx_pdf *pdf, const jx_pdf_doc *doc, const jx_fonts *fonts,
                  const jx_glyph_use *use);

/* Abandons the document: removes the temporary file, frees `pdf`. */
void jx_pdf_abort(jx_pdf *pdf);

#endif
