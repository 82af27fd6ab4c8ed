/*
 * render.h — display list → PDF, by two writers.
 *
 *   - render-hpdf.c (jx_render_hpdf): through libharu, for `jxform render`
 *     (jx_render_pdf).  libharu builds the whole document in memory and
 *     writes it when saving, which is fine for the few forms of one
 *     render.  It is the only file that includes hpdf.h.
 *   - render.c (jx_render, the jx_pdf_* streaming writer): PDF written
 *     directly, for `jxform packet` (packet.c), whose thousands of pages
 *     would make libharu's memory grow with the page count.
 *
 * Both embed the same fonts the same way (pdffont.h: hb-subset to the
 * characters drawn, unneeded tables dropped, the ToUnicode CMap, compact
 * /W runs), compress through deflate.h, sign the trailer with md5.h,
 * describe PDF/A with pdfmeta.h and write through outfile.h; this header
 * includes them all.
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

#include "deflate.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include "md5.h"
#include "outfile.h"
#include "pdffont.h"
#include "pdfmeta.h"
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct jx_render_info {
  const char *title;   /* document title */
  const char *subject; /* document subject */
  const char *author;  /* document author */
  bool pdfa;           /* PDF/A-2b (below) */
} jx_render_info;

/* PDF/A-2b (ISO 19005-2, level B): XMP metadata in step with the Info
 * dictionary, the sRGB output intent, and embedded fonts that keep their
 * cmap table.  Either way both writers write a PDF 1.7 header and a
 * trailer /ID (jx_md5 of the bytes before the cross-reference table).
 *
 * For tests: while on, both writers write PDF/A-2b whatever info->pdfa
 * says.  Off by default; set it before rendering, not while another
 * thread renders. */
void jx_render_set_pdfa_default(bool on);
/* Whether a document rendered with `info` (may be NULL) is PDF/A-2b. */
bool jx_render_wants_pdfa(const jx_render_info *info);

/* Writes `layout` to `out_path`.  Returns true on success; on failure
 * records an error (naming the path) and leaves no file at out_path (an
 * existing file there is left untouched). */
bool jx_render(const jx_layout *layout, jx_fonts *fonts,
               const jx_render_info *info, jx_diag_list *diags,
               const char *out_path);

/* Same as jx_render, but into a new file with a unique hidden name in
 * folder `dir` (".jxform-part.XXXXXX", created exclusively: concurrent
 * runs into one folder never share a file), synced and complete, which
 * the caller renames into place or removes.  Sets *tmp_path (malloc'd;
 * the caller frees it) on success; on failure records an error at
 * `where` and leaves no file. */
bool jx_render_unique(const jx_layout *layout, jx_fonts *fonts,
                      const jx_render_info *info, jx_diag_list *diags,
                      const char *dir, const char *where, char **tmp_path);

/* Same as jx_render, but the PDF goes to a malloc'd buffer (*data, *size;
 * the caller frees *data) instead of a file: for the fuzz targets and
 * tests.  Returns false (with *data NULL) after recording an error. */
bool jx_render_memory(const jx_layout *layout, jx_fonts *fonts,
                      const jx_render_info *info, jx_diag_list *diags,
                      char **data, size_t *size);

/* ---- the streaming writer ---- */

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

/* ---- the libharu writer (render-hpdf.c) ---- */

/* Same contract as jx_render: writes `layout` to `out_path` atomically
 * (nothing at out_path on failure, an existing file left untouched).
 * Returns true on success, false after recording an error. */
bool jx_render_hpdf(const jx_layout *layout, jx_fonts *fonts,
                    const jx_render_info *info, jx_diag_list *diags,
                    const char *out_path);

/* Same as jx_render_hpdf, but into a malloc'd buffer (*data, *size; the
 * caller frees *data).  Returns false (with *data NULL) after recording
 * an error. */
bool jx_render_hpdf_memory(const jx_layout *layout, jx_fonts *fonts,
                           const jx_render_info *info, jx_diag_list *diags,
                           char **data, size_t *size);

/* The value of Creator in the Info dictionary and of xmp:CreatorTool. */
#define JX_CREATOR_TOOL "jxform " JXFORM_VERSION

/* Both writers put text positions on a grid of 1/JX_TEXT_GRID pt.  Text
 * is positioned with relative moves (Td); on this grid every move and
 * every sum of moves is exact, in libharu's single precision as in a
 * reader's double, so runs set on one edge stay on exactly one edge in
 * the PDF (pdftotext compares edges exactly when it orders blocks).  The
 * grid is 1/8 pt so that every position and move on a page (under 1000
 * pt) has at most six significant digits: Ghostscript's pdfwrite writes
 * numbers with six (%g), and on a finer grid (1/32 pt was tried) it
 * moves runs of one edge apart by up to 1/2000 pt, which changes the
 * order in which pdftotext reads the blocks of the rewritten file.  A run
 * moves by at most half a step, 1/16 pt. */
#define JX_TEXT_GRID 8

/* `v` points as a whole number of grid steps. */
static inline long long jx_text_grid_steps(double v) {
  return llround(v * JX_TEXT_GRID);
}

#endif
