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
 * Both embed the same fonts the same way: render.c's jx_subset_face
 * (hb-subset to the characters drawn, unneeded tables dropped), its
 * ToUnicode CMap (jx_to_unicode_cmap), its compact /W runs
 * (jx_width_runs) and its compressor (jx_deflate), declared at the end.
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

/* ---- pieces both writers share (render.c) ---- */

typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_subset_plan_t hb_subset_plan_t;

/* jx_subset_face flags. */
enum {
  /* Keep the subset's cmap (libharu's loader needs one; the streaming
   * writer maps CIDs to glyphs itself and drops it). */
  JX_SUBSET_KEEP_CMAP = 1,
  /* Keep name records of every language and the legacy (Mac) ones, not
   * only Windows US English. */
  JX_SUBSET_ALL_NAMES = 2,
};

/* A face subset to the code points a document draws. */
typedef struct jx_subset {
  hb_subset_plan_t *plan; /* code point → old glyph → new glyph maps */
  hb_face_t *face;        /* the subset face */
  hb_blob_t *blob;        /* its TrueType bytes */
  size_t count;           /* code points asked for */
} jx_subset;

/* Subsets face `f` with hb-subset to the BMP code points set in `used`
 * (1024 words of 64 bits, bit cp & 63 of word cp >> 6), without hinting,
 * with name IDs 1, 2, 4 and 6 only, and without the tables a PDF viewer
 * never reads for a horizontal CIDFontType2 (layout, vertical metrics,
 * kern, DSIG, …; cmap unless JX_SUBSET_KEEP_CMAP).  Returns false after
 * recording an error at `where` (unreadable file, characters the face
 * lacks — listed — or a failed subset); on success the caller frees *out
 * with jx_subset_free. */
bool jx_subset_face(const jx_face *f, const uint64_t *used, unsigned flags,
                    const char *where, jx_diag_list *diags, jx_subset *out);
void jx_subset_free(jx_subset *s);

/* The ToUnicode CMap text for Identity-H with CID = code point: one
 * bfrange per block of 256 codes with any code of `used` (same bitmap as
 * jx_subset_face).  *out is malloc'd; the caller frees out->data. */
void jx_to_unicode_cmap(const uint64_t *used, jx_bytes *out);

/* One entry of a compact /W array: `count` consecutive CIDs from index
 * `first` of the arrays given to jx_width_runs, either all of one width
 * (`same`: written "c1 c2 w") or listed one by one ("c [w1 w2 …]"). */
typedef struct jx_width_run {
  size_t first, count;
  bool same;
} jx_width_run;

/* Splits the widths `w` of the ascending CIDs `cids` (n of each; any unit)
 * into /W entries, leaving out every width equal to `dw` (the /DW).
 * Returns the number of entries, stored in *runs (malloc'd; the caller
 * frees it). */
size_t jx_width_runs(const uint32_t *cids, const long long *w, size_t n,
                     long long dw, jx_width_run **runs);

/* Compresses `len` bytes at `data` into out->data (malloc'd) in zlib
 * format for /FlateDecode, at `level` (1..12; libdeflate when built with
 * it, else zlib capped at 9).  Deterministic; aborts on out of memory. */
void jx_deflate(const void *data, size_t len, int level, jx_bytes *out);

/* ---- PDF/A and the trailer /ID (render.c; both writers use it) ---- */

/* MD5 (RFC 1321): the trailer /ID of both writers is the MD5 of every
 * byte before the cross-reference table, so it is derived from the
 * content and the same input gives the same file. */
typedef struct jx_md5 {
  uint32_t h[4];
  uint64_t len;
  unsigned char buf[64];
} jx_md5;

void jx_md5_init(jx_md5 *m);
void jx_md5_update(jx_md5 *m, const void *data, size_t len);
void jx_md5_final(jx_md5 *m, unsigned char out[16]);

/* The output intent: its condition identifier and ICC profile (sRGB,
 * ICC version 2, from Debian's icc-profiles-free; srgb-icc.h). */
#define JX_SRGB_NAME "sRGB IEC61966-2.1"
const unsigned char *jx_srgb_profile(size_t *len);

/* A malloc'd copy of UTF-8 text `s` that the Info dictionary and XMP can
 * both carry alike: malformed bytes, and the characters XML 1.0 cannot
 * hold (controls other than tab, LF and CR; U+FFFE; U+FFFF), each become
 * U+FFFD.  NULL for NULL. */
char *jx_pdfa_text(const char *s);

/* What the XMP metadata of a PDF/A document says, each the same as in its
 * Info dictionary (Title = dc:title, Subject = dc:description, Author =
 * dc:creator, Creator = xmp:CreatorTool, Producer = pdf:Producer, the
 * dates = xmp:CreateDate and xmp:ModifyDate).  NULL or "" = absent. */
typedef struct jx_xmp {
  const char *title, *subject, *author; /* jx_pdfa_text strings */
  const char *creator_tool, *producer;
  const char *date; /* "YYYY-MM-DDThh:mm:ssZ" (jx_source_date_xmp) */
} jx_xmp;

/* The XMP packet (UTF-8, no padding) of `x`, with pdfaid:part 2 and
 * pdfaid:conformance B.  out->data is malloc'd. */
void jx_xmp_packet(const jx_xmp *x, jx_bytes *out);

/* ---- atomic output (render.c; both writers use it) ---- */

/* A file being written: a temporary file beside `path`, renamed over it
 * by jx_out_commit, so `path` is either the whole new file or left as it
 * was.  Strings are malloc'ed and freed by jx_out_free. */
typedef struct jx_out {
  char *path;     /* the target (also the position of diagnostics) */
  char *tmp_path; /* hidden temporary beside it: "<dir>/.<name>.XXXXXX" */
  char *dir;      /* path's folder */
  int fd;         /* the temporary file, -1 when closed */
  bool anonymous; /* the file has no name yet (O_TMPFILE) */
  bool named;     /* tmp_path names the file (remove it on failure) */
  bool keep;      /* jx_out_open_unique: commit leaves it at tmp_path */
} jx_out;

/* Refuses a path naming a folder or a non-regular file, then creates the
 * temporary file (out->fd, mode 0600) in path's folder.  Returns true, or
 * false after recording an error (nothing to free then). */
bool jx_out_open(jx_out *out, const char *path, jx_diag_list *diags);
/* Like jx_out_open, but for a file whose final name is chosen later:
 * creates it with a unique hidden name in folder `dir`; jx_out_commit
 * then syncs, closes and names it (out->tmp_path) without renaming it.
 * Diagnostics are placed at `where`. */
bool jx_out_open_unique(jx_out *out, const char *dir, const char *where,
                        jx_diag_list *diags);
/* Syncs the file, gives it the mode open(…, 0666) would, closes it (with
 * fclose when `f`, the stream over out->fd, is not NULL) and renames it
 * to out->path.  A nonzero `write_errno` (an earlier write error) fails
 * it at once.  Returns true, or false after recording an error, the
 * temporary file removed.  The caller still calls jx_out_free. */
bool jx_out_commit(jx_out *out, FILE *f, int write_errno, jx_diag_list *diags);
/* Closes the file (through `f` if not NULL) and removes it. */
void jx_out_abort(jx_out *out, FILE *f);
/* Frees out's strings. */
void jx_out_free(jx_out *out);

/* The PDF date ("D:YYYYMMDDHHmmSSZ") of the SOURCE_DATE_EPOCH variable
 * in out (size >= 20): returns 1, or 0 with out "" when it is unset, or
 * -1 with out "" when it is not a whole number of seconds from 1970 to
 * the end of 9999 (no date is written then). */
int jx_source_date(char *out, size_t size);
/* The same date as XMP writes it ("YYYY-MM-DDThh:mm:ssZ", out of size >=
 * 21), with the same results. */
int jx_source_date_xmp(char *out, size_t size);

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

/* Bit `cp` of a code-point bitmap (one bit per code point). */
static inline bool jx_bit_get(const uint64_t *bits, uint32_t cp) {
  return (bits[cp >> 6] >> (cp & 63)) & 1u;
}

static inline void jx_bit_set(uint64_t *bits, uint32_t cp) {
  bits[cp >> 6] |= (uint64_t)1 << (cp & 63);
}

#endif
