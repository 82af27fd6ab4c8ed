/*
 * render.c — display list → PDF, the streaming writer and its page sink
 * (jx_sink_stream_*, sink.h), used by `jxform packet` and its --split
 * files: libharu (render-hpdf.c, used by `jxform render`) holds the whole
 * document in memory until it saves, while this writer keeps only object
 * offsets, so a packet of thousands of forms stays small in memory.  What
 * both writers share lives in modules of its own: font embedding
 * (pdffont.c), compression (deflate.c), MD5 (md5.c), PDF/A metadata and
 * dates (pdfmeta.c), atomic output (outfile.c), UTF-8 (utf8.c).
 *
 * The PDF is written directly, object by object:
 *   1. each page is encoded into a content stream (rules, boxes, then one
 *      text object of runs; numbers with at most three decimals, text
 *      positioned relative to the previous run, strings as 2-byte codes)
 *      and compressed (deflate.c) — encode_page: on the sink's thread
 *      (jx_sink_add_page) or on a worker's (jx_sink_encode);
 *   2. the writer appends the stream objects to a temporary file in the
 *      target folder as they come (pdf_add_stream), remembering only
 *      their offsets;
 *   3. at close: per embedded face, hb-subset to the code points drawn;
 *      the subset font, its CIDToGIDMap, a /W array listing only the
 *      widths that differ from /DW, and a ToUnicode CMap of one bfrange
 *      per 256 codes used; then the shared resources, the page dicts, the
 *      page tree, outlines, page labels, info, catalog and cross-reference
 *      table; fsync and rename.
 *
 * Text is Identity-H with CID = Unicode code point (BMP only), so a page
 * can be encoded before the font is subset, and the same content streams
 * work for any subset.  Widths come from HarfBuzz, as layout measured.
 * Output is byte-for-byte reproducible: no clock (dates only from
 * SOURCE_DATE_EPOCH), no random /ID, subset tags derived from the subset.
 */
#include "render.h"
#include "i18n.h"
#include "pdfbuf.h"
#include "utf8.h"
#include "xalloc.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-subset.h>
#include <hb.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JX_BMP_WORDS (0x10000 / 64)
/* Entries per bfchar block (the CMap format's limit). */
#define JX_CMAP_BLOCK 100
/* Missing characters listed in one diagnostic before "…". */
#define JX_MISSING_SHOWN 8
/* Compression level of fonts and maps unless the sink says otherwise
 * (libdeflate's 1..12; zlib's stop at 9; sink.h, jx_sink_stream_opt). */
#define JX_ZLEVEL_ONCE 12

/* Appends a number given in grid steps (render.h), exactly: 1/8 is 125
 * thousandths. */
static void buf_grid(jx_buf *b, long long steps) {
  _Static_assert(1000 % JX_TEXT_GRID == 0, "grid steps in 3 decimals");
  buf_decimal(b, steps * (1000 / JX_TEXT_GRID), 3);
}

static long long milli(double v) { return llround(v * 1000.0); }

static void buf_num(jx_buf *b, double v) { buf_milli(b, milli(v)); }

/* ---- stage 1: page content ---- */

/* Graphics state tracked per page to avoid redundant operators (each
 * page's content starts from the PDF defaults). */
typedef struct jx_gstate {
  long long line_width; /* thousandths */
  long long fill_gray;
  int font;
  long long font_size;
  long long char_space;
  bool bold;
  bool word_space; /* Tw 0.001 rather than 0 (see encode_runs) */
} jx_gstate;

static void encode_boxes(jx_buf *b, const jx_dpage *dp, double height,
                         jx_gstate *gs) {
  for (size_t i = 0; i < dp->box_count;) {
    double gray = dp->boxes[i].gray;
    if (milli(gray) != gs->fill_gray) {
      gs->fill_gray = milli(gray);
      buf_milli(b, gs->fill_gray);
      buf_puts(b, " g\n");
    }
    /* One path per run of boxes of the same gray. */
    for (; i < dp->box_count && dp->boxes[i].gray == gray; i++) {
      const jx_dbox *x = &dp->boxes[i];
      buf_num(b, x->x);
      buf_putc(b, ' ');
      buf_num(b, height - x->y - x->h);
      buf_putc(b, ' ');
      buf_num(b, x->w);
      buf_putc(b, ' ');
      buf_num(b, x->h);
      buf_puts(b, " re\n");
    }
    buf_puts(b, "f\n");
  }
}

static void encode_rules(jx_buf *b, const jx_dpage *dp, double height,
                         jx_gstate *gs) {
  for (size_t i = 0; i < dp->rule_count;) {
    double width = dp->rules[i].width;
    if (milli(width) != gs->line_width) {
      gs->line_width = milli(width);
      buf_milli(b, gs->line_width);
      buf_puts(b, " w\n");
    }
    /* One path per run of rules of the same width. */
    for (; i < dp->rule_count && dp->rules[i].width == width; i++) {
      const jx_drule *r = &dp->rules[i];
      buf_num(b, r->x0);
      buf_putc(b, ' ');
      buf_num(b, height - r->y0);
      buf_puts(b, " m ");
      buf_num(b, r->x1);
      buf_putc(b, ' ');
      buf_num(b, height - r->y1);
      buf_puts(b, " l\n");
    }
    buf_puts(b, "S\n");
  }
}

/* Appends the run's text as a literal string of 2-byte codes (CID = code
 * point), marking each code point in `bits`.  Returns false after
 * recording an error for malformed text. */
static bool encode_string(jx_buf *b, const jx_drun *run, size_t page_no,
                          uint64_t *bits, const char *where,
                          jx_diag_list *diags) {
  const unsigned char *s = (const unsigned char *)run->text;
  jx_pos pos = {where, 0, 0};
  size_t i = 0;
  buf_reserve(b, run->len * 2 + 8);
  b->data[b->len++] = '(';
  while (i < run->len) {
    size_t at = i;
    uint32_t cp = jx_utf8_next(s, run->len, &i);
    if (cp == JX_UTF8_BAD) {
      jx_error(diags, pos,
               "cannot write the PDF: page %zu: the text at (%.2f, %.2f) "
               "is not valid UTF-8 (byte %zu is 0x%02X)",
               page_no, run->x, run->y, at, (unsigned)s[at]);
      return false;
    }
    if (cp < 0x20 || cp == 0x7F) {
      jx_error(diags, pos,
               "cannot write the PDF: page %zu: the text at (%.2f, %.2f) "
               "has control character U+%04X at byte %zu",
               page_no, run->x, run->y, (unsigned)cp, at);
      return false;
    }
    if (cp > 0xFFFF) {
      jx_error(diags, pos,
               "cannot write the PDF: page %zu: character U+%04X (%.*s) "
               "is outside the Basic Multilingual Plane, which the "
               "renderer cannot draw",
               page_no, (unsigned)cp, (int)(i - at), run->text + at);
      return false;
    }
    jx_bit_set(bits, cp);
    unsigned char two[2] = {(unsigned char)(cp >> 8), (unsigned char)cp};
    buf_reserve(b, 4);
    for (int k = 0; k < 2; k++) {
      unsigned char c = two[k];
      /* An unescaped CR (or CR LF) in a literal string reads as LF. */
      if (c == '(' || c == ')' || c == '\\')
        b->data[b->len++] = '\\', b->data[b->len++] = (char)c;
      else if (c == '\r')
        b->data[b->len++] = '\\', b->data[b->len++] = 'r';
      else
        b->data[b->len++] = (char)c;
    }
  }
  buf_puts(b, ") Tj\n");
  return true;
}

static bool encode_runs(jx_buf *b, const jx_dpage *dp, double height,
                        const jx_fonts *fonts, jx_glyph_use *use,
                        size_t page_no, jx_gstate *gs, const char *where,
                        jx_diag_list *diags) {
  bool any = false;
  for (size_t i = 0; i < dp->run_count && !any; i++)
    any = dp->runs[i].len > 0;
  if (!any)
    return true;
  if (gs->fill_gray != 0) {
    buf_puts(b, "0 g\n");
    gs->fill_gray = 0;
  }
  buf_puts(b, "BT\n");
  long long tx = 0, ty = 0; /* the text line matrix's origin */
  bool first = true;
  for (size_t i = 0; i < dp->run_count; i++) {
    const jx_drun *run = &dp->runs[i];
    if (run->len == 0)
      continue;
    jx_gstate before = *gs;
    if (run->face >= fonts->count || run->face >= use->face_count ||
        !fonts->faces[run->face].path) {
      jx_error(diags, ((jx_pos){where, 0, 0}),
               "cannot write the PDF: page %zu draws text with face %u, "
               "which is not loaded",
               page_no, (unsigned)run->face);
      return false;
    }
    int slot = use->slot[run->face];
    if (slot != gs->font || milli(run->size) != gs->font_size) {
      gs->font = slot;
      gs->font_size = milli(run->size);
      buf_printf(b, "/F%d ", slot);
      buf_milli(b, gs->font_size);
      buf_puts(b, " Tf\n");
    }
    if (milli(run->char_spacing) != gs->char_space) {
      gs->char_space = milli(run->char_spacing);
      buf_milli(b, gs->char_space);
      buf_puts(b, " Tc\n");
    }
    if (run->bold != gs->bold) {
      buf_puts(b, run->bold ? "2 Tr\n" : "0 Tr\n");
      gs->bold = run->bold;
    }
    if (run->bold && milli(0.03 * run->size) != gs->line_width) {
      gs->line_width = milli(0.03 * run->size);
      buf_milli(b, gs->line_width);
      buf_puts(b, " w\n");
    }
    long long x = jx_text_grid_steps(run->x),
              y = jx_text_grid_steps(height - run->y);
    /* Ghostscript's pdfwrite joins a run to the one before it when both
     * are on one baseline in the same text state, moving to it with a TJ
     * offset in 1/1000 of the font size, written with six significant
     * digits: the run lands up to 1/2000 pt off its column, and
     * pdftotext then reads the rewritten page in another order.  A
     * different word spacing keeps them apart (each is placed with an
     * exact Td): Tw applies only to the one-byte code 32, which a font
     * with 2-byte codes (Identity-H) does not have, so it changes nothing
     * drawn. */
    if (!first && y == ty && gs->font == before.font &&
        gs->font_size == before.font_size &&
        gs->char_space == before.char_space && gs->bold == before.bold) {
      gs->word_space = !gs->word_space;
      buf_puts(b, gs->word_space ? "0.001 Tw\n" : "0 Tw\n");
    }
    first = false;
    buf_grid(b, x - tx);
    buf_putc(b, ' ');
    buf_grid(b, y - ty);
    buf_puts(b, " Td\n");
    tx = x, ty = y;
    if (!encode_string(b, run, page_no, use->bits + (size_t)slot * JX_BMP_WORDS,
                       where, diags))
      return false;
  }
  buf_puts(b, "ET\n");
  return true;
}

/* Encodes one page into `raw` (uncompressed). */
static bool encode_page_raw(const jx_dpage *page, double page_height,
                            const jx_fonts *fonts, jx_glyph_use *use,
                            size_t page_no, const char *where,
                            jx_diag_list *diags, jx_buf *raw) {
  jx_gstate gs = {.line_width = 1000, .fill_gray = 0, .font = -1};
  encode_boxes(raw, page, page_height, &gs);
  encode_rules(raw, page, page_height, &gs);
  return encode_runs(raw, page, page_height, fonts, use, page_no, &gs, where,
                     diags);
}

/* Encodes `page` into *out (malloc'd), compressed at `level`, marking
 * the code points drawn in `use` (grown to `fonts` first).  Safe to call
 * from several threads with different `use` and `diags`.  Returns false
 * after recording an error at `where` (malformed text, a face not
 * loaded); page_no names the page in it. */
static bool encode_page(const jx_dpage *page, double page_height,
                        const jx_fonts *fonts, jx_glyph_use *use,
                        size_t page_no, int level, const char *where,
                        jx_diag_list *diags, jx_bytes *out) {
  jx_buf raw = {0};
  out->data = NULL;
  out->len = 0;
  jx_glyph_use_update(use, fonts);
  bool ok = encode_page_raw(page, page_height, fonts, use, page_no, where,
                            diags, &raw);
  if (ok)
    jx_deflate(raw.data ? raw.data : "", raw.len, level, out);
  free(raw.data);
  return ok;
}

/* ---- stage 2: the writer ---- */

typedef struct jx_pdf jx_pdf;

struct jx_pdf {
  FILE *f;
  jx_diag_list *diags;
  const char *where; /* for diagnostics: out_path or "<memory>" */
  jx_out out;        /* the output file (all zero when writing to memory) */
  char *mem;         /* open_memstream buffer */
  size_t mem_size;
  uint64_t *offsets; /* per object number (index 0 unused) */
  uint64_t pos;      /* bytes written so far */
  size_t obj_count, obj_cap;
  int write_errno; /* first write error, 0 if none */
  int font_level;  /* compression of fonts and maps (1..12) */
  char **kept;     /* jx_sink_stream_unique: gets the file name at close */
  jx_md5 md5;      /* of every byte written so far: the trailer's /ID */
};

static jx_pos pdf_pos(const jx_pdf *pdf) {
  jx_pos pos = {pdf->where, 0, 0};
  return pos;
}

/* Reserves the next object number. */
static uint32_t obj_new(jx_pdf *pdf) {
  if (pdf->obj_count + 1 >= pdf->obj_cap) {
    pdf->obj_cap = pdf->obj_cap ? pdf->obj_cap * 2 : 1024;
    pdf->offsets =
        jx_xrealloc(pdf->offsets, pdf->obj_cap * sizeof *pdf->offsets);
  }
  pdf->obj_count++;
  pdf->offsets[pdf->obj_count] = 0;
  return (uint32_t)pdf->obj_count;
}

static void pdf_write(jx_pdf *pdf, const void *data, size_t len) {
  if (pdf->write_errno || len == 0)
    return;
  if (fwrite(data, 1, len, pdf->f) != len)
    pdf->write_errno = errno ? errno : EIO;
  jx_md5_update(&pdf->md5, data, len);
  pdf->pos += len;
}

/* Starts object `n` (reserved with obj_new) at the current offset. */
static void obj_begin(jx_pdf *pdf, uint32_t n, jx_buf *b) {
  pdf->offsets[n] = pdf->pos + b->len;
  buf_printf(b, "%" PRIu32 " 0 obj\n", n);
}

/* Writes a whole non-stream object: "n 0 obj\n<body>\nendobj\n". */
static void obj_write(jx_pdf *pdf, uint32_t n, const char *body, size_t len) {
  jx_buf b = {0};
  obj_begin(pdf, n, &b);
  buf_put(&b, body, len);
  buf_puts(&b, "\nendobj\n");
  pdf_write(pdf, b.data, b.len);
  free(b.data);
}

/* Writes stream object `n`: `dict_extra` (keys without << >>, may be "")
 * plus /Length and, when `flate`, /Filter. */
static void stream_write(jx_pdf *pdf, uint32_t n, const char *dict_extra,
                         const void *data, size_t len, bool flate) {
  jx_buf b = {0};
  obj_begin(pdf, n, &b);
  buf_printf(&b, "<<%s/Length %zu%s>>stream\n", dict_extra, len,
             flate ? "/Filter/FlateDecode" : "");
  pdf_write(pdf, b.data, b.len);
  pdf_write(pdf, data, len);
  pdf_write(pdf, "\nendstream\nendobj\n", 18);
  free(b.data);
}

/* Compresses `data` at the document's font level and writes it as stream
 * `n`, or writes it as is when that is smaller. */
static void stream_write_packed(jx_pdf *pdf, uint32_t n, const char *extra,
                                const void *data, size_t len) {
  jx_bytes z;
  jx_deflate(data, len, pdf->font_level, &z);
  if (z.len + 20 < len)
    stream_write(pdf, n, extra, z.data, z.len, true);
  else
    stream_write(pdf, n, extra, data, len, false);
  free(z.data);
}

/* PDF 1.7 (ISO 32000-1), which PDF/A-2 is based on; the comment of four
 * bytes above 127 marks the file as binary. */
static const char pdf_header[] = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

static jx_pdf *pdf_new(jx_diag_list *diags, const char *where) {
  jx_pdf *pdf = jx_xcalloc(1, sizeof *pdf);
  pdf->diags = diags;
  pdf->where = where;
  pdf->out.fd = -1;
  pdf->font_level = JX_ZLEVEL_ONCE;
  jx_md5_init(&pdf->md5);
  return pdf;
}

static void pdf_free(jx_pdf *pdf) {
  if (pdf->f)
    fclose(pdf->f);
  free(pdf->mem);
  jx_out_free(&pdf->out);
  free(pdf->offsets);
  free(pdf);
}

/* Starts writing `pdf` to its open file pdf->out.  Returns pdf, or NULL
 * after recording an error (pdf freed, the file removed). */
static jx_pdf *pdf_start(jx_pdf *pdf, jx_diag_list *diags) {
  pdf->where = pdf->out.path;
  pdf->f = fdopen(pdf->out.fd, "wb");
  if (!pdf->f) {
    int err = errno;
    jx_out_abort(&pdf->out, NULL);
    jx_error(diags, pdf_pos(pdf), "cannot write the PDF: %s", strerror(err));
    pdf_free(pdf);
    return NULL;
  }
  setvbuf(pdf->f, NULL, _IOFBF, 1 << 16);
  pdf_write(pdf, pdf_header, sizeof pdf_header - 1);
  return pdf;
}

static jx_pdf *pdf_open(const char *out_path, jx_diag_list *diags) {
  jx_pdf *pdf = pdf_new(diags, out_path);
  if (!jx_out_open(&pdf->out, out_path, diags)) {
    pdf_free(pdf);
    return NULL;
  }
  return pdf_start(pdf, diags);
}

/* A writer into memory (jx_sink_stream_memory). */
static jx_pdf *pdf_open_memory(jx_diag_list *diags) {
  jx_pdf *pdf = pdf_new(diags, "<memory>");
  pdf->f = open_memstream(&pdf->mem, &pdf->mem_size);
  if (!pdf->f) {
    jx_error(diags, pdf_pos(pdf), "cannot write the PDF: out of memory");
    pdf_free(pdf);
    return NULL;
  }
  pdf_write(pdf, pdf_header, sizeof pdf_header - 1);
  return pdf;
}

/* Writes one compressed content stream as a new object and returns its
 * object number (a write error is reported at close). */
static uint32_t pdf_add_stream(jx_pdf *pdf, const jx_bytes *content) {
  uint32_t n = obj_new(pdf);
  stream_write(pdf, n, "", content->data, content->len, true);
  return n;
}

/* Abandons the document: removes the temporary file, frees `pdf`. */
static void pdf_abort(jx_pdf *pdf) {
  if (!pdf)
    return;
  jx_out_abort(&pdf->out, pdf->f);
  pdf->f = NULL;
  pdf_free(pdf);
}

/* ---- text strings and names ---- */

/* Appends `s` (UTF-8) as a PDF text string: <FEFF…> UTF-16BE hex, or a
 * plain literal when it is printable ASCII. */
static void buf_text_string(jx_buf *b, const char *s) {
  bool ascii = true;
  for (const unsigned char *p = (const unsigned char *)s; *p && ascii; p++)
    ascii = *p >= 0x20 && *p < 0x7F;
  if (ascii) {
    buf_putc(b, '(');
    for (const char *p = s; *p; p++) {
      if (*p == '(' || *p == ')' || *p == '\\')
        buf_putc(b, '\\');
      buf_putc(b, *p);
    }
    buf_putc(b, ')');
    return;
  }
  buf_puts(b, "<FEFF");
  size_t len = strlen(s), i = 0;
  while (i < len) {
    uint32_t cp = jx_utf8_next((const unsigned char *)s, len, &i);
    if (cp == JX_UTF8_BAD)
      cp = 0xFFFD;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      buf_printf(b, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)),
                 (unsigned)(0xDC00 + (cp & 0x3FF)));
    } else {
      buf_printf(b, "%04X", (unsigned)cp);
    }
  }
  buf_putc(b, '>');
}

/* The font objects of one slot, once written. */
typedef struct jx_wfont {
  int slot;
  uint32_t type0; /* object number */
} jx_wfont;

/* Subsets face `f` to `used`, and writes the Type0 font with its
 * descendant, descriptor, font file, CIDToGIDMap and ToUnicode.  With
 * `keep_cmap` (PDF/A) the font file keeps its cmap table, so that it is a
 * whole TrueType font on its own.  Sets *type0 to the Type0 font's object
 * number. */
static bool write_font(jx_pdf *pdf, const jx_face *f, int slot,
                       const uint64_t *used, bool keep_cmap, uint32_t *type0) {
  jx_subset subset;
  if (!jx_subset_face(f, used, keep_cmap ? JX_SUBSET_KEEP_CMAP : 0, pdf->where,
                      pdf->diags, &subset))
    return false;
  hb_subset_plan_t *plan = subset.plan;
  hb_face_t *sub = subset.face;
  hb_font_t *font = NULL;
  uint32_t *cps = NULL;
  long long *widths = NULL;
  unsigned char *map = NULL;
  jx_buf b = {0};
  size_t n = subset.count;
  unsigned size = 0;
  const char *data = hb_blob_get_data(subset.blob, &size);

  /* Glyph and width of every code point, from the subset itself. */
  font = hb_font_create(sub);
  const hb_map_t *to_old = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
  const hb_map_t *to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
  unsigned upem = hb_face_get_upem(sub);
  if (!upem)
    upem = 1000;
  cps = jx_xmalloc(n * sizeof *cps);
  widths = jx_xmalloc(n * sizeof *widths);
  size_t k = 0;
  uint32_t max_cp = 0;
  for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
    if (jx_bit_get(used, cp))
      cps[k++] = cp, max_cp = cp;
  size_t map_len = 2 * ((size_t)max_cp + 1);
  map = jx_xcalloc(map_len, 1);
  for (size_t i = 0; i < n; i++) {
    /* The subset has no cmap: map through the plan. */
    hb_codepoint_t gid = hb_map_get(to_old, cps[i]);
    gid = gid == HB_MAP_VALUE_INVALID ? 0 : hb_map_get(to_new, gid);
    if (gid == HB_MAP_VALUE_INVALID)
      gid = 0;
    map[2 * cps[i]] = (unsigned char)(gid >> 8);
    map[2 * cps[i] + 1] = (unsigned char)gid;
    /* in thousandths of the PDF's 1/1000 em */
    widths[i] =
        llround((double)hb_font_get_glyph_h_advance(font, gid) * 1e6 / upem);
  }

  /* Name: a tag derived from the subset (6 letters) + PostScript name. */
  const char *ps = f->ft ? FT_Get_Postscript_Name(f->ft) : NULL;
  uint64_t h = (1469598103934665603ull ^ (uint64_t)slot) * 1099511628211ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ cps[i]) * 1099511628211ull;
  char name[96];
  size_t nl = 0;
  for (int i = 0; i < 6; i++, h /= 26)
    name[nl++] = (char)('A' + h % 26);
  name[nl++] = '+';
  for (const char *p = ps && *ps ? ps : "Font"; *p && nl < sizeof name - 1; p++)
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
        (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == ',')
      name[nl++] = *p;
  name[nl] = '\0';

  /* Metrics for the descriptor, in 1/1000 em, from the original face. */
  double scale = 1000.0;
  long bbox[4] = {0, -200, 1000, 900}, ascent = 880, descent = -120, cap = 700;
  if (f->ft && f->ft->units_per_EM) {
    scale = 1000.0 / f->ft->units_per_EM;
    bbox[0] = lround(f->ft->bbox.xMin * scale);
    bbox[1] = lround(f->ft->bbox.yMin * scale);
    bbox[2] = lround(f->ft->bbox.xMax * scale);
    bbox[3] = lround(f->ft->bbox.yMax * scale);
    ascent = lround(f->ft->ascender * scale);
    descent = lround(f->ft->descender * scale);
    TT_OS2 *os2 = FT_Get_Sfnt_Table(f->ft, FT_SFNT_OS2);
    cap = os2 && os2->version >= 2 && os2->sCapHeight
              ? lround(os2->sCapHeight * scale)
              : ascent;
  }

  uint32_t o_type0 = obj_new(pdf), o_cid = obj_new(pdf), o_desc = obj_new(pdf),
           o_file = obj_new(pdf), o_map = obj_new(pdf), o_tou = obj_new(pdf);

  b.len = 0;
  buf_printf(&b,
             "<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H"
             "/DescendantFonts[%" PRIu32 " 0 R]/ToUnicode %" PRIu32 " 0 R>>",
             name, o_cid, o_tou);
  obj_write(pdf, o_type0, b.data, b.len);

  b.len = 0;
  buf_printf(&b,
             "<</Type/Font/Subtype/CIDFontType2/BaseFont/%s"
             "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)"
             "/Supplement 0>>/FontDescriptor %" PRIu32 " 0 R/DW 1000",
             name, o_desc);
  jx_width_array(cps, widths, n, 1000000, &b);
  buf_printf(&b, "/CIDToGIDMap %" PRIu32 " 0 R>>", o_map);
  obj_write(pdf, o_cid, b.data, b.len);

  b.len = 0;
  buf_printf(&b,
             "<</Type/FontDescriptor/FontName/%s/Flags 4"
             "/FontBBox[%ld %ld %ld %ld]/ItalicAngle 0/Ascent %ld"
             "/Descent %ld/CapHeight %ld/StemV 80/FontFile2 %" PRIu32 " 0 R>>",
             name, bbox[0], bbox[1], bbox[2], bbox[3], ascent, descent, cap,
             o_file);
  obj_write(pdf, o_desc, b.data, b.len);

  char extra[48];
  snprintf(extra, sizeof extra, "/Length1 %u", size);
  stream_write_packed(pdf, o_file, extra, data, size);
  stream_write_packed(pdf, o_map, "", map, map_len);
  b.len = 0;
  jx_to_unicode_text(used, &b);
  stream_write_packed(pdf, o_tou, "", b.data, b.len);
  *type0 = o_type0;

  free(b.data);
  free(map);
  free(widths);
  free(cps);
  if (font)
    hb_font_destroy(font);
  jx_subset_free(&subset);
  return true;
}

/* ---- stage 4: document structure ---- */

/* ---- PDF/A: metadata, output intent ---- */

static bool pdfa_default;

void jx_render_set_pdfa_default(bool on) { pdfa_default = on; }

bool jx_render_wants_pdfa(const jx_render_info *info) {
  return pdfa_default || (info && info->pdfa);
}

static void write_outlines(jx_pdf *pdf, const jx_sink_doc *doc,
                           const uint32_t *page_objs, uint32_t *root_out) {
  size_t n = doc->outline_count;
  const jx_sink_outline *it = doc->outlines;
  uint32_t root = obj_new(pdf);
  uint32_t *obj = jx_xmalloc(n * sizeof *obj);
  for (size_t i = 0; i < n; i++)
    obj[i] = obj_new(pdf);
  /* first/last child, next/prev sibling, visible descendants */
  long *first = jx_xmalloc(n * sizeof *first),
       *last = jx_xmalloc(n * sizeof *last),
       *next = jx_xmalloc(n * sizeof *next),
       *prev = jx_xmalloc(n * sizeof *prev),
       *count = jx_xcalloc(n, sizeof *count);
  long root_first = -1, root_last = -1, root_count = 0;
  for (size_t i = 0; i < n; i++)
    first[i] = last[i] = next[i] = prev[i] = -1;
  for (size_t i = 0; i < n; i++) {
    int p = it[i].parent;
    long *pf = p < 0 ? &root_first : &first[p];
    long *pl = p < 0 ? &root_last : &last[p];
    if (*pl >= 0) {
      next[*pl] = (long)i;
      prev[i] = *pl;
    } else {
      *pf = (long)i;
    }
    *pl = (long)i;
  }
  /* Count: items shown below an open item (children in document order
   * come after parents, so walk backwards). */
  for (size_t i = n; i-- > 0;) {
    int p = it[i].parent;
    long shown = 1 + (it[i].open ? count[i] : 0);
    if (p < 0)
      root_count += shown;
    else
      count[p] += shown;
  }
  jx_buf b = {0};
  if (root_first >= 0)
    buf_printf(&b,
               "<</Type/Outlines/First %" PRIu32 " 0 R/Last %" PRIu32
               " 0 R/Count %ld>>",
               obj[root_first], obj[root_last], root_count);
  else
    buf_puts(&b, "<</Type/Outlines/Count 0>>");
  obj_write(pdf, root, b.data, b.len);
  for (size_t i = 0; i < n; i++) {
    b.len = 0;
    buf_puts(&b, "<</Title");
    buf_text_string(&b, it[i].title);
    buf_printf(&b, "/Parent %" PRIu32 " 0 R",
               it[i].parent < 0 ? root : obj[it[i].parent]);
    if (prev[i] >= 0)
      buf_printf(&b, "/Prev %" PRIu32 " 0 R", obj[prev[i]]);
    if (next[i] >= 0)
      buf_printf(&b, "/Next %" PRIu32 " 0 R", obj[next[i]]);
    if (first[i] >= 0)
      buf_printf(&b, "/First %" PRIu32 " 0 R/Last %" PRIu32 " 0 R/Count %ld",
                 obj[first[i]], obj[last[i]],
                 it[i].open ? count[i] : -count[i]);
    size_t pg = it[i].page < doc->page_count ? it[i].page : 0;
    buf_printf(&b, "/Dest[%" PRIu32 " 0 R/XYZ null null null]>>",
               page_objs[pg]);
    obj_write(pdf, obj[i], b.data, b.len);
  }
  free(b.data);
  free(first), free(last), free(next), free(prev), free(count);
  free(obj);
  *root_out = root;
}

/* Writes fonts, pages and the rest, and the trailer.  Returns false after
 * recording an error. */
static bool write_document(jx_pdf *pdf, const jx_sink_doc *doc,
                           const jx_fonts *fonts, const jx_glyph_use *use) {
  jx_buf b = {0};
  bool ok = true;
  bool pdfa = jx_render_wants_pdfa(&doc->info);

  /* Fonts, in slot order, then the one resource dictionary all pages
   * share. */
  jx_wfont *wf = jx_xcalloc(use->face_count, sizeof *wf);
  size_t nwf = 0;
  for (size_t i = 0; i < use->face_count && ok; i++) {
    if (use->slot[i] != (int)i || i >= fonts->count)
      continue;
    const uint64_t *bits = use->bits + i * JX_BMP_WORDS;
    bool any = false;
    for (size_t w = 0; w < JX_BMP_WORDS && !any; w++)
      any = bits[w] != 0;
    if (!any)
      continue;
    wf[nwf].slot = (int)i;
    ok = write_font(pdf, &fonts->faces[i], (int)i, bits, pdfa, &wf[nwf].type0);
    nwf++;
  }
  if (!ok) {
    free(wf);
    return false;
  }
  uint32_t o_res = obj_new(pdf);
  b.len = 0;
  buf_puts(&b, "<<");
  if (nwf) {
    buf_puts(&b, "/Font<<");
    for (size_t i = 0; i < nwf; i++)
      buf_printf(&b, "/F%d %" PRIu32 " 0 R", wf[i].slot, wf[i].type0);
    buf_puts(&b, ">>");
  }
  buf_puts(&b, ">>");
  obj_write(pdf, o_res, b.data, b.len);
  free(wf);

  /* Pages: one flat page tree. */
  uint32_t o_pages = obj_new(pdf);
  uint32_t *page_objs = jx_xmalloc((doc->page_count + 1) * sizeof *page_objs);
  for (size_t i = 0; i < doc->page_count; i++) {
    const jx_sink_page *p = &doc->pages[i];
    page_objs[i] = obj_new(pdf);
    b.len = 0;
    buf_printf(&b, "<</Type/Page/Parent %" PRIu32 " 0 R/MediaBox[0 0 ",
               o_pages);
    buf_num(&b, p->width);
    buf_putc(&b, ' ');
    buf_num(&b, p->height);
    buf_printf(&b, "]/Resources %" PRIu32 " 0 R", o_res);
    if (p->contents[0] && p->contents[1])
      buf_printf(&b, "/Contents[%" PRIu32 " 0 R %" PRIu32 " 0 R]",
                 p->contents[0], p->contents[1]);
    else if (p->contents[0] || p->contents[1])
      buf_printf(&b, "/Contents %" PRIu32 " 0 R",
                 p->contents[0] ? p->contents[0] : p->contents[1]);
    buf_puts(&b, ">>");
    obj_write(pdf, page_objs[i], b.data, b.len);
  }
  b.len = 0;
  buf_puts(&b, "<</Type/Pages/Kids[");
  for (size_t i = 0; i < doc->page_count; i++)
    buf_printf(&b, "%s%" PRIu32 " 0 R", i ? " " : "", page_objs[i]);
  buf_printf(&b, "]/Count %zu>>", doc->page_count);
  obj_write(pdf, o_pages, b.data, b.len);

  uint32_t o_outlines = 0;
  if (doc->outline_count)
    write_outlines(pdf, doc, page_objs, &o_outlines);
  free(page_objs);

  /* Info, and for PDF/A the same in XMP: text that both can carry. */
  char *title = pdfa ? jx_pdfa_text(doc->info.title) : NULL;
  char *subject = pdfa ? jx_pdfa_text(doc->info.subject) : NULL;
  char *author = pdfa ? jx_pdfa_text(doc->info.author) : NULL;
  static const char producer[] = "jxform " JXFORM_VERSION;
  uint32_t o_info = obj_new(pdf);
  b.len = 0;
  buf_puts(&b, "<<");
  const struct {
    const char *key, *value;
  } infos[] = {{"Title", pdfa ? title : doc->info.title},
               {"Subject", pdfa ? subject : doc->info.subject},
               {"Author", pdfa ? author : doc->info.author},
               {"Creator", JX_CREATOR_TOOL},
               {"Producer", producer}};
  for (size_t i = 0; i < sizeof infos / sizeof infos[0]; i++) {
    if (!infos[i].value || !*infos[i].value)
      continue;
    buf_printf(&b, "/%s", infos[i].key);
    buf_text_string(&b, infos[i].value);
  }
  char date[32], xmp_date[32];
  jx_source_date(date, sizeof date);
  jx_source_date_xmp(xmp_date, sizeof xmp_date);
  if (*date)
    buf_printf(&b, "/CreationDate(%s)/ModDate(%s)", date, date);
  buf_puts(&b, ">>");
  obj_write(pdf, o_info, b.data, b.len);

  /* PDF/A: the metadata stream (not compressed, so that it can be found
   * and read without a PDF library) and the output intent's profile. */
  uint32_t o_meta = 0, o_icc = 0;
  if (pdfa) {
    jx_xmp x = {title, subject, author, JX_CREATOR_TOOL, producer, xmp_date};
    jx_bytes xmp;
    jx_xmp_packet(&x, &xmp);
    o_meta = obj_new(pdf);
    stream_write(pdf, o_meta, "/Type/Metadata/Subtype/XML", xmp.data, xmp.len,
                 false);
    free(xmp.data);
    size_t icc_len;
    const unsigned char *icc = jx_srgb_profile(&icc_len);
    o_icc = obj_new(pdf);
    stream_write_packed(pdf, o_icc, "/N 3", icc, icc_len);
  }
  free(title), free(subject), free(author);

  /* Catalog, with page labels. */
  uint32_t o_cat = obj_new(pdf);
  b.len = 0;
  buf_printf(&b, "<</Type/Catalog/Pages %" PRIu32 " 0 R", o_pages);
  if (o_outlines)
    buf_printf(&b, "/Outlines %" PRIu32 " 0 R%s", o_outlines,
               doc->show_outlines ? "/PageMode/UseOutlines" : "");
  if (doc->label_count) {
    buf_puts(&b, "/PageLabels<</Nums[");
    for (size_t i = 0; i < doc->label_count; i++) {
      const jx_sink_label *l = &doc->labels[i];
      buf_printf(&b, "%s%zu<<", i ? " " : "", l->first_page);
      if (l->style)
        buf_printf(&b, "/S/%c", l->style);
      if (l->prefix && *l->prefix) {
        buf_puts(&b, "/P");
        buf_text_string(&b, l->prefix);
      }
      if (l->start > 1)
        buf_printf(&b, "/St %d", l->start);
      buf_puts(&b, ">>");
    }
    buf_puts(&b, "]>>");
  }
  if (pdfa)
    buf_printf(&b,
               "/Metadata %" PRIu32 " 0 R/OutputIntents[<</Type/OutputIntent"
               "/S/GTS_PDFA1/OutputConditionIdentifier(" JX_SRGB_NAME ")"
               "/Info(" JX_SRGB_NAME ")/RegistryName(http://www.color.org)"
               "/DestOutputProfile %" PRIu32 " 0 R>>]",
               o_meta, o_icc);
  buf_puts(&b, ">>");
  obj_write(pdf, o_cat, b.data, b.len);

  /* Cross-reference table and trailer, whose /ID is the MD5 of every
   * byte before the table. */
  uint64_t xref = pdf->pos;
  unsigned char md5[16];
  jx_md5_final(&pdf->md5, md5);
  char id[33];
  for (int i = 0; i < 16; i++)
    snprintf(id + 2 * i, 3, "%02X", md5[i]);
  b.len = 0;
  buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", pdf->obj_count + 1);
  for (size_t i = 1; i <= pdf->obj_count; i++)
    buf_printf(&b, "%010" PRIu64 " 00000 n \n", pdf->offsets[i]);
  buf_printf(&b,
             "trailer\n<</Size %zu/Root %" PRIu32 " 0 R/Info %" PRIu32
             " 0 R/ID[<%s><%s>]>>\nstartxref\n%" PRIu64 "\n%%%%EOF\n",
             pdf->obj_count + 1, o_cat, o_info, id, id, xref);
  pdf_write(pdf, b.data, b.len);
  free(b.data);
  if (fflush(pdf->f) != 0 && !pdf->write_errno)
    pdf->write_errno = errno ? errno : EIO;
  return true;
}

/* Flushes, syncs and renames the temporary file into place. */
static bool pdf_commit(jx_pdf *pdf) {
  bool ok = jx_out_commit(&pdf->out, pdf->f, pdf->write_errno, pdf->diags);
  pdf->f = NULL;
  return ok;
}

/* Writes the fonts (every code point of `use`), pages, outlines, labels,
 * metadata and cross-reference table, then moves the file into place.
 * Frees `pdf` in every case.  Returns false after recording an error;
 * out_path is then left as it was. */
static bool pdf_close(jx_pdf *pdf, const jx_sink_doc *doc,
                      const jx_fonts *fonts, const jx_glyph_use *use) {
  if (!write_document(pdf, doc, fonts, use)) {
    pdf_abort(pdf);
    return false;
  }
  bool ok = pdf_commit(pdf);
  if (ok && pdf->kept) {
    *pdf->kept = pdf->out.tmp_path;
    pdf->out.tmp_path = NULL;
  }
  pdf_free(pdf);
  return ok;
}

/* ---- the streaming sink (sink.h) ---- */

typedef struct jx_stream_sink {
  jx_sink base;
  jx_pdf *pdf;
  const jx_fonts *fonts;
  jx_glyph_use use; /* the code points drawn: pages added, encoders freed */
  jx_sink_stream_opt opt;
  size_t contents; /* added so far */
  char **data;     /* into memory: where close puts the bytes */
  size_t *size;
} jx_stream_sink;

struct jx_sink_encoder {
  const jx_fonts *fonts; /* the worker's */
  jx_glyph_use use;
  int level;
};

static jx_sink_content stream_add_page(jx_sink *base, const jx_dpage *page,
                                       double page_height) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  jx_bytes z;
  if (!encode_page(page, page_height, s->fonts, &s->use, s->contents + 1,
                   s->opt.page_level, s->pdf->where, s->pdf->diags, &z))
    return 0;
  uint32_t n = pdf_add_stream(s->pdf, &z);
  free(z.data);
  s->contents++;
  return n;
}

static jx_sink_encoder *stream_encoder_new(jx_sink *base,
                                           const jx_fonts *fonts) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  jx_sink_encoder *enc = jx_xcalloc(1, sizeof *enc);
  enc->fonts = fonts;
  enc->level = s->opt.page_level;
  jx_glyph_use_init(&enc->use, fonts);
  return enc;
}

static bool stream_encode(jx_sink_encoder *enc, const jx_dpage *page,
                          double page_height, const char *where,
                          jx_diag_list *diags, jx_bytes *out) {
  return encode_page(page, page_height, enc->fonts, &enc->use,
                     page->form_page > 0 ? (size_t)page->form_page : 1,
                     enc->level, where, diags, out);
}

static void stream_encoder_free(jx_sink *base, jx_sink_encoder *enc) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  jx_glyph_use_update(&s->use, s->fonts);
  jx_glyph_use_merge(&s->use, &enc->use);
  jx_glyph_use_free(&enc->use);
  free(enc);
}

static jx_sink_content stream_add_encoded(jx_sink *base,
                                          const jx_bytes *content) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  s->contents++;
  return pdf_add_stream(s->pdf, content);
}

static void stream_free(jx_stream_sink *s) {
  jx_glyph_use_free(&s->use);
  free(s);
}

static void stream_abort(jx_sink *base) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  pdf_abort(s->pdf);
  stream_free(s);
}

static bool stream_close(jx_sink *base, const jx_sink_doc *doc) {
  jx_stream_sink *s = (jx_stream_sink *)base;
  jx_pdf *pdf = s->pdf;
  jx_glyph_use_update(&s->use, s->fonts);
  bool ok;
  if (s->data) {
    ok = write_document(pdf, doc, s->fonts, &s->use);
    if (ok && (fflush(pdf->f) != 0 || pdf->write_errno)) {
      jx_error(pdf->diags, pdf_pos(pdf), "cannot write the PDF: out of memory");
      ok = false;
    }
    if (ok) {
      fclose(pdf->f);
      pdf->f = NULL;
      *s->data = pdf->mem;
      *s->size = pdf->mem_size;
      pdf->mem = NULL;
    }
    pdf_free(pdf);
  } else {
    ok = pdf_close(pdf, doc, s->fonts, &s->use);
  }
  stream_free(s);
  return ok;
}

static const jx_sink_ops stream_ops = {
    .add_page = stream_add_page,
    .encoder_new = stream_encoder_new,
    .encode = stream_encode,
    .encoder_free = stream_encoder_free,
    .add_encoded = stream_add_encoded,
    .close = stream_close,
    .abort = stream_abort,
};

/* Wraps the open writer `pdf` (NULL after an error: returns NULL). */
static jx_sink *stream_new(jx_pdf *pdf, const jx_fonts *fonts,
                           const jx_sink_stream_opt *opt) {
  if (!pdf)
    return NULL;
  jx_stream_sink *s = jx_xcalloc(1, sizeof *s);
  s->base.ops = &stream_ops;
  s->pdf = pdf;
  s->fonts = fonts;
  s->opt = opt ? *opt : JX_SINK_STREAM_ONE;
  pdf->font_level = s->opt.font_level;
  jx_glyph_use_init(&s->use, fonts);
  return &s->base;
}

jx_sink *jx_sink_stream_open(const char *out_path, const jx_fonts *fonts,
                             const jx_sink_stream_opt *opt,
                             jx_diag_list *diags) {
  return stream_new(pdf_open(out_path, diags), fonts, opt);
}

jx_sink *jx_sink_stream_unique(const char *dir, const char *where,
                               const jx_fonts *fonts,
                               const jx_sink_stream_opt *opt,
                               jx_diag_list *diags, char **tmp_path) {
  *tmp_path = NULL;
  jx_pdf *pdf = pdf_new(diags, where);
  if (!jx_out_open_unique(&pdf->out, dir, where, diags)) {
    pdf_free(pdf);
    return NULL;
  }
  pdf = pdf_start(pdf, diags);
  if (pdf)
    pdf->kept = tmp_path;
  return stream_new(pdf, fonts, opt);
}

jx_sink *jx_sink_stream_memory(const jx_fonts *fonts,
                               const jx_sink_stream_opt *opt,
                               jx_diag_list *diags, char **data, size_t *size) {
  *data = NULL;
  *size = 0;
  jx_sink *sink = stream_new(pdf_open_memory(diags), fonts, opt);
  if (sink) {
    ((jx_stream_sink *)sink)->data = data;
    ((jx_stream_sink *)sink)->size = size;
  }
  return sink;
}
