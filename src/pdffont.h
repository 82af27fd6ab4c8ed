/*
 * pdffont.h — font embedding shared by both PDF writers: which code
 * points each font draws, the hb-subset of a face to them, the ToUnicode
 * CMap and the compact /W array.
 */
#ifndef JX_PDFFONT_H
#define JX_PDFFONT_H

#include "deflate.h"
#include "diag.h"
#include "fonts.h"
#include "pdfbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Appends the ToUnicode CMap of `used` (as jx_to_unicode_cmap) to `out`. */
void jx_to_unicode_text(const uint64_t *used, jx_buf *out);

/* Appends the /W array of the ascending code points `cps` with widths
 * `w` in thousandths (n of each), leaving out widths equal to `dw`
 * (jx_width_runs): "c1 c2 w" for a range of one width, "c [w1 w2 …]" for
 * a list. */
void jx_width_array(const uint32_t *cps, const long long *w, size_t n,
                    long long dw, jx_buf *out);

/* Bit `cp` of a code-point bitmap (one bit per code point). */
static inline bool jx_bit_get(const uint64_t *bits, uint32_t cp) {
  return (bits[cp >> 6] >> (cp & 63)) & 1u;
}

static inline void jx_bit_set(uint64_t *bits, uint32_t cp) {
  bits[cp >> 6] |= (uint64_t)1 << (cp & 63);
}

#endif
