/*
 * render.c — display list → PDF through libharu (see render.h).
 *
 * The only file that includes hpdf.h.  The steps, in order:
 *   1. collect, per distinct font file and face, the BMP code points drawn;
 *   2. subset each such face with hb-subset to those code points, write the
 *      subset to a temporary TrueType file, load it into libharu (embedded,
 *      Identity-H through libharu's UTF-8 encoder, so CID = code point) and
 *      replace libharu's malformed /ToUnicode CMap with a correct one;
 *   3. draw each page: boxes, then rules, then one text object of runs;
 *   4. save to memory and write the bytes atomically (temporary file in the
 *      target folder, fsync, rename).
 *
 * libharu's errors are sticky: the first one is caught by an error handler
 * that only records it, and checked at stage boundaries; it becomes one jx
 * diagnostic with a readable message.  Never call HPDF_Page_TextWidth or
 * HPDF_Font_TextWidth here: they mark glyphs as used (layout measures with
 * HarfBuzz).
 */
#include "render.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JX_BMP_WORDS (0x10000 / 64)
/* Entries per bfchar/bfrange block (the CMap format's limit). */
#define JX_CMAP_BLOCK 100
/* Missing characters listed in one diagnostic before "…". */
#define JX_MISSING_SHOWN 8

/* One embedded font: a distinct (file, face index) pair, shared by every
 * session face that resolves to it. */
typedef struct jx_rfont {
  const char *path;
  int index;
  const char *spec; /* for diagnostics: the first face's spec */
  uint64_t *used;   /* bitmap of the BMP code points drawn */
  const char *name; /* libharu's base font name (owned by libharu) */
  HPDF_Font font;
} jx_rfont;

/* A growable byte buffer (malloc). */
typedef struct jx_buf {
  char *data;
  size_t len, cap;
} jx_buf;

typedef struct jx_render_ctx {
  const jx_layout *layout;
  jx_fonts *fonts;
  jx_diag_list *diags;
  const char *out_path;
  HPDF_Doc pdf;
  HPDF_STATUS hpdf_code;   /* first libharu error, 0 if none */
  HPDF_STATUS hpdf_detail; /* its detail (errno for file errors) */
  jx_rfont *rfonts;
  size_t rfont_count;
  int *face_font; /* per session face: index into rfonts, -1 if unused */
  jx_buf text;    /* NUL-terminated copy of the current run */
} jx_render_ctx;

/* ---- diagnostics ---- */

static jx_pos out_pos(const jx_render_ctx *ctx) {
  jx_pos pos = {ctx->out_path, 0, 0};
  return pos;
}

/* libharu has no code-to-text table; these are the codes rendering can
 * meet, in words a user can act on. */
static const struct {
  HPDF_STATUS code;
  const char *text;
} hpdf_messages[] = {
    {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
    {HPDF_FILE_IO_ERROR, "file read or write error"},
    {HPDF_FILE_OPEN_ERROR, "cannot open file"},
    {HPDF_FONT_EXISTS, "a font with the same name is already loaded"},
    {HPDF_INVALID_DOCUMENT, "the document is unusable after an earlier error"},
    {HPDF_INVALID_ENCODER, "the UTF-8 encoder is not available"},
    {HPDF_INVALID_ENCODING_NAME, "unknown encoding name"},
    {HPDF_INVALID_FONTDEF_DATA, "invalid font data"},
    {HPDF_INVALID_FONTDEF_TYPE, "unsupported font type"},
    {HPDF_INVALID_FONT_NAME, "unknown font name"},
    {HPDF_INVALID_PARAMETER, "invalid parameter"},
    {HPDF_INVALID_TTC_FILE, "not a TrueType collection"},
    {HPDF_INVALID_TTC_INDEX, "face index past the end of the collection"},
    {HPDF_PAGE_INVALID_FONT, "invalid font on page"},
    {HPDF_PAGE_INVALID_FONT_SIZE, "font size out of range (0 < size <= 600)"},
    {HPDF_PAGE_INVALID_GMODE, "drawing operator used in the wrong state"},
    {HPDF_PAGE_INVALID_SIZE, "page size out of range (3 to 14400 points)"},
    {HPDF_PAGE_OUT_OF_RANGE, "value out of range"},
    {HPDF_REAL_OUT_OF_RANGE, "number out of range"},
    {HPDF_STRING_OUT_OF_RANGE, "text too long (more than 65535 bytes)"},
    {HPDF_TTF_CANNOT_EMBEDDING_FONT,
     "the font's licence (OS/2 fsType) forbids embedding"},
    {HPDF_TTF_INVALID_CMAP, "the font has no usable Unicode cmap"},
    {HPDF_TTF_INVALID_FOMAT, "invalid TrueType font (name table)"},
    {HPDF_TTF_MISSING_TABLE,
     "a required TrueType table is missing (CFF/OpenType-CFF fonts are not "
     "supported, only TrueType outlines)"},
    {HPDF_UNSUPPORTED_FONT_TYPE, "unsupported font type"},
    {HPDF_ZLIB_ERROR, "compression (zlib) error"},
};

static const char *hpdf_message(HPDF_STATUS code) {
  for (size_t i = 0; i < sizeof hpdf_messages / sizeof hpdf_messages[0]; i++)
    if (hpdf_messages[i].code == code)
      return hpdf_messages[i].text;
  return "internal libharu error";
}

/* Records libharu's first error; later ones are consequences of it. */
static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail,
                                       void *user) {
  jx_render_ctx *ctx = user;
  /* End of stream is how HPDF_ReadFromStream says "done", not an error. */
  if (ctx->hpdf_code == 0 && code != HPDF_STREAM_EOF) {
    ctx->hpdf_code = code;
    ctx->hpdf_detail = detail;
  }
}

/* Returns true if libharu has reported no error; otherwise records one
 * diagnostic saying what we were `doing` and returns false. */
static bool hpdf_ok(jx_render_ctx *ctx, const char *doing) {
  if (ctx->hpdf_code == 0)
    return true;
  HPDF_STATUS code = ctx->hpdf_code, detail = ctx->hpdf_detail;
  if ((code == HPDF_FILE_IO_ERROR || code == HPDF_FILE_OPEN_ERROR) &&
      detail != 0)
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: libharu failed while %s: %s: %s "
             "(libharu error 0x%04X)",
             doing, hpdf_message(code), strerror((int)detail), (unsigned)code);
  else
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: libharu failed while %s: %s "
             "(libharu error 0x%04X, detail %u)",
             doing, hpdf_message(code), (unsigned)code, (unsigned)detail);
  return false;
}

/* ---- small helpers ---- */

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("jxform: out of memory\n", stderr);
    abort();
  }
  return p;
}

static void *xrealloc(void *p, size_t size) {
  p = realloc(p, size);
  if (!p) {
    fputs("jxform: out of memory\n", stderr);
    abort();
  }
  return p;
}

static void buf_reserve(jx_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

static void buf_printf(jx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void buf_printf(jx_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* Decodes one UTF-8 sequence from s[*i..len).  Returns the code point and
 * advances *i, or returns UINT32_MAX for malformed input (overlong forms,
 * surrogates, truncation, values past U+10FFFF). */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *i) {
  unsigned c = s[*i];
  uint32_t cp, min;
  size_t n;
  if (c < 0x80) {
    (*i)++;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    cp = c & 0x1F, n = 1, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    cp = c & 0x0F, n = 2, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    cp = c & 0x07, n = 3, min = 0x10000;
  } else {
    return UINT32_MAX;
  }
  if (n >= len - *i) /* truncated: bytes *i+1 .. *i+n must exist */
    return UINT32_MAX;
  for (size_t k = 1; k <= n; k++) {
    unsigned cc = s[*i + k];
    if ((cc & 0xC0) != 0x80)
      return UINT32_MAX;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return UINT32_MAX;
  *i += n + 1;
  return cp;
}

static bool bit_get(const uint64_t *bits, uint32_t cp) {
  return (bits[cp >> 6] >> (cp & 63)) & 1u;
}

static void bit_set(uint64_t *bits, uint32_t cp) {
  bits[cp >> 6] |= (uint64_t)1 << (cp & 63);
}

/* ---- stage 1: which code points each font draws ---- */

/* Returns the embedded-font slot for session face `face`, creating it on
 * first use (faces resolving to the same file and index share a slot, as
 * libharu cannot load two fonts with one name). */
static int font_slot(jx_render_ctx *ctx, uint16_t face) {
  if (ctx->face_font[face] >= 0)
    return ctx->face_font[face];
  const jx_face *f = &ctx->fonts->faces[face];
  for (size_t i = 0; i < ctx->rfont_count; i++) {
    if (ctx->rfonts[i].index == f->index &&
        strcmp(ctx->rfonts[i].path, f->path) == 0) {
      ctx->face_font[face] = (int)i;
      return (int)i;
    }
  }
  jx_rfont *r = &ctx->rfonts[ctx->rfont_count];
  r->path = f->path;
  r->index = f->index;
  r->spec = f->spec ? f->spec : f->path;
  r->used = xcalloc(JX_BMP_WORDS, sizeof(uint64_t));
  ctx->face_font[face] = (int)ctx->rfont_count;
  return (int)ctx->rfont_count++;
}

/* Marks every code point of every run; reports malformed runs (which
 * layout should never produce) rather than drawing something else. */
static bool collect_code_points(jx_render_ctx *ctx) {
  const jx_layout *layout = ctx->layout;
  for (size_t p = 0; p < layout->page_count; p++) {
    const jx_dpage *page = &layout->pages[p];
    for (size_t r = 0; r < page->run_count; r++) {
      const jx_drun *run = &page->runs[r];
      if (run->len == 0)
        continue;
      if (run->face >= ctx->fonts->count ||
          !ctx->fonts->faces[run->face].path) {
        jx_error(ctx->diags, out_pos(ctx),
                 "cannot write the PDF: page %zu draws text with face %u, "
                 "which is not loaded",
                 p + 1, (unsigned)run->face);
        return false;
      }
      jx_rfont *rf = &ctx->rfonts[font_slot(ctx, run->face)];
      const unsigned char *s = (const unsigned char *)run->text;
      size_t i = 0;
      while (i < run->len) {
        size_t at = i;
        uint32_t cp = utf8_next(s, run->len, &i);
        if (cp == UINT32_MAX) {
          jx_error(ctx->diags, out_pos(ctx),
                   "cannot write the PDF: page %zu: the text at (%.2f, %.2f) "
                   "is not valid UTF-8 (byte %zu is 0x%02X)",
                   p + 1, run->x, run->y, at, (unsigned)s[at]);
          return false;
        }
        if (cp < 0x20 || cp == 0x7F) {
          jx_error(ctx->diags, out_pos(ctx),
                   "cannot write the PDF: page %zu: the text at (%.2f, %.2f) "
                   "has control character U+%04X at byte %zu",
                   p + 1, run->x, run->y, (unsigned)cp, at);
          return false;
        }
        if (cp > 0xFFFF) {
          jx_error(ctx->diags, out_pos(ctx),
                   "cannot write the PDF: page %zu: character U+%04X (%.*s) "
                   "is outside the Basic Multilingual Plane, which libharu "
                   "cannot draw",
                   p + 1, (unsigned)cp, (int)(i - at), run->text + at);
          return false;
        }
        bit_set(rf->used, cp);
      }
    }
  }
  return true;
}

/* ---- stage 2: subset, load, fix ToUnicode ---- */

/* Checks that `face` has every code point in `used`; lists the missing
 * ones otherwise. */
static bool check_coverage(jx_render_ctx *ctx, const jx_rfont *rf,
                           hb_face_t *face) {
  hb_set_t *have = hb_set_create();
  hb_face_collect_unicodes(face, have);
  jx_buf list = {0};
  size_t missing = 0;
  for (uint32_t cp = 0x20; cp <= 0xFFFF; cp++) {
    if (!bit_get(rf->used, cp) || hb_set_has(have, cp))
      continue;
    if (missing < JX_MISSING_SHOWN) {
      char utf8[4];
      int n;
      if (cp < 0x80)
        utf8[0] = (char)cp, n = 1;
      else if (cp < 0x800)
        utf8[0] = (char)(0xC0 | cp >> 6), utf8[1] = (char)(0x80 | (cp & 63)),
        n = 2;
      else
        utf8[0] = (char)(0xE0 | cp >> 12),
        utf8[1] = (char)(0x80 | ((cp >> 6) & 63)),
        utf8[2] = (char)(0x80 | (cp & 63)), n = 3;
      buf_printf(&list, "%sU+%04X %.*s", missing ? ", " : "", (unsigned)cp, n,
                 utf8);
    } else if (missing == JX_MISSING_SHOWN) {
      buf_printf(&list, ", …");
    }
    missing++;
  }
  hb_set_destroy(have);
  if (missing)
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: font %s has no glyph for %zu character%s "
             "drawn with it: %s",
             rf->spec, missing, missing == 1 ? "" : "s", list.data);
  free(list.data);
  return missing == 0;
}

/* Writes all of `data` to `fd`; returns false with errno set on error. */
static bool write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += n;
    len -= (size_t)n;
  }
  return true;
}

/* Subsets the face of `rf` to the code points it draws and writes it to a
 * new temporary file, whose path is stored in `tmp` (size `tmp_size`).
 * Returns true on success; the caller unlinks the file. */
static bool subset_to_file(jx_render_ctx *ctx, const jx_rfont *rf, char *tmp,
                           size_t tmp_size) {
  bool ok = false;
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(rf->path);
  if (!blob) {
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: cannot read font file %s", rf->path);
    return false;
  }
  hb_face_t *face = hb_face_create(blob, (unsigned)rf->index);
  hb_blob_destroy(blob);
  hb_subset_input_t *input = NULL;
  hb_face_t *sub = NULL;
  hb_blob_t *out = NULL;
  int fd = -1;
  tmp[0] = '\0';

  if (!check_coverage(ctx, rf, face))
    goto done;

  input = hb_subset_input_create_or_fail();
  if (!input) {
    jx_error(ctx->diags, out_pos(ctx), "cannot write the PDF: out of memory");
    goto done;
  }
  hb_set_t *unicodes = hb_subset_input_unicode_set(input);
  for (uint32_t w = 0; w < JX_BMP_WORDS; w++) {
    uint64_t bits = rf->used[w];
    while (bits) {
      int b = __builtin_ctzll(bits);
      hb_set_add(unicodes, w * 64 + (uint32_t)b);
      bits &= bits - 1;
    }
  }
  /* libharu takes the font's name from name IDs 6 and 2 (Mac Roman or
   * Windows US English records): keep every language and legacy
   * records so that whatever the font has survives. */
  hb_set_t *langs = hb_subset_input_set(input, HB_SUBSET_SETS_NAME_LANG_ID);
  hb_set_clear(langs);
  hb_set_invert(langs);
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NAME_LEGACY | HB_SUBSET_FLAGS_NO_HINTING);

  sub = hb_subset_or_fail(face, input);
  if (!sub) {
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: HarfBuzz could not subset font %s",
             rf->spec);
    goto done;
  }
  out = hb_face_reference_blob(sub);
  unsigned size = 0;
  const char *data = hb_blob_get_data(out, &size);
  if (size == 0) {
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: HarfBuzz could not subset font %s",
             rf->spec);
    goto done;
  }

  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  if ((size_t)snprintf(tmp, tmp_size, "%s/jxform-font-XXXXXX", dir) >=
      tmp_size) {
    tmp[0] = '\0';
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: temporary folder path too long: %s", dir);
    goto done;
  }
  fd = mkstemp(tmp);
  if (fd < 0) {
    int err = errno;
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: cannot create a temporary font file in "
             "%s: %s",
             dir, strerror(err));
    tmp[0] = '\0';
    goto done;
  }
  if (!write_all(fd, data, size) || close(fd) != 0) {
    int err = errno;
    fd = -1;
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: cannot write temporary font file %s: %s",
             tmp, strerror(err));
    goto done;
  }
  fd = -1;
  ok = true;

done:
  if (fd >= 0)
    close(fd);
  hb_blob_destroy(out);
  hb_face_destroy(sub);
  hb_subset_input_destroy(input);
  hb_face_destroy(face);
  return ok;
}

/* Appends to `out` a ToUnicode CMap mapping each 2-byte code in `used`
 * to the same Unicode value: runs of consecutive codes as bfrange, the
 * rest as bfchar, at most 100 entries a block.  Ranges never cross a 256
 * boundary (a range's codes may differ only in their last byte). */
static void build_to_unicode(const uint64_t *used, jx_buf *out) {
  typedef struct {
    uint32_t lo, hi;
  } range;
  size_t cap = 256, nranges = 0, nsingles = 0;
  range *ranges = xcalloc(cap, sizeof *ranges);
  uint32_t *singles = xcalloc(cap, sizeof *singles);
  size_t scap = cap;

  for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
    if (!bit_get(used, cp))
      continue;
    uint32_t hi = cp;
    while (hi < 0xFFFF && (hi & 0xFF) != 0xFF && bit_get(used, hi + 1))
      hi++;
    if (hi == cp) {
      if (nsingles == scap) {
        scap *= 2;
        singles = xrealloc(singles, scap * sizeof *singles);
      }
      singles[nsingles++] = cp;
    } else {
      if (nranges == cap) {
        cap *= 2;
        ranges = xrealloc(ranges, cap * sizeof *ranges);
      }
      ranges[nranges].lo = cp;
      ranges[nranges++].hi = hi;
    }
    cp = hi;
  }

  buf_printf(out, "/CIDInit /ProcSet findresource begin\n"
                  "12 dict begin\n"
                  "begincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                  "/Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n"
                  "/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  for (size_t i = 0; i < nsingles; i += JX_CMAP_BLOCK) {
    size_t n = nsingles - i < JX_CMAP_BLOCK ? nsingles - i : JX_CMAP_BLOCK;
    buf_printf(out, "%zu beginbfchar\n", n);
    for (size_t k = i; k < i + n; k++)
      buf_printf(out, "<%04X> <%04X>\n", (unsigned)singles[k],
                 (unsigned)singles[k]);
    buf_printf(out, "endbfchar\n");
  }
  for (size_t i = 0; i < nranges; i += JX_CMAP_BLOCK) {
    size_t n = nranges - i < JX_CMAP_BLOCK ? nranges - i : JX_CMAP_BLOCK;
    buf_printf(out, "%zu beginbfrange\n", n);
    for (size_t k = i; k < i + n; k++)
      buf_printf(out, "<%04X> <%04X> <%04X>\n", (unsigned)ranges[k].lo,
                 (unsigned)ranges[k].hi, (unsigned)ranges[k].lo);
    buf_printf(out, "endbfrange\n");
  }
  buf_printf(out, "endcmap\n"
                  "CMapName currentdict /CMap defineresource pop\n"
                  "end\n"
                  "end\n");
  free(ranges);
  free(singles);
}

/* libharu 2.3.0 attaches its encoder's CMap (a `begincidrange` CID CMap,
 * which is not a valid ToUnicode CMap) as the Type0 font's /ToUnicode
 * stream, kept in the font's attr->cmap_stream.  With the UTF-8 encoder
 * and Identity-H, CID = Unicode code point, so the correct CMap maps each
 * drawn code to itself.  Rewrite that stream's contents in place (it is
 * compressed with the font's filter when saved) and drop the CMap-only
 * keys from its dictionary. */
static bool fix_to_unicode(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_FontAttr attr = (HPDF_FontAttr)rf->font->attr;
  HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
  if (!cmap || !cmap->stream ||
      HPDF_Dict_GetItem(rf->font, "ToUnicode", HPDF_OCLASS_DICT) != cmap ||
      cmap->stream->type != HPDF_STREAM_MEMORY) {
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: this libharu does not attach /ToUnicode "
             "the way 2.3.0 does (font %s); cannot fix text extraction",
             rf->spec);
    return false;
  }
  static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo",
                                     "WMode"};
  for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
    HPDF_Dict_RemoveElement(cmap, drop[i]); /* absent keys are fine */

  jx_buf text = {0};
  build_to_unicode(rf->used, &text);
  HPDF_MemStream_FreeData(cmap->stream);
  HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text.data,
                    (HPDF_UINT)text.len);
  free(text.data);
  return hpdf_ok(ctx, "writing a font's ToUnicode map");
}

/* Subsets, loads and prepares every font in ctx->rfonts. */
static bool load_fonts(jx_render_ctx *ctx) {
  for (size_t i = 0; i < ctx->rfont_count; i++) {
    jx_rfont *rf = &ctx->rfonts[i];
    char tmp[4096];
    if (!subset_to_file(ctx, rf, tmp, sizeof tmp)) {
      if (tmp[0])
        unlink(tmp);
      return false;
    }
    /* libharu keeps the file open (a FILE*) and reads the glyphs again
     * when saving; the path itself is not needed after loading, so the
     * file is unlinked at once and can never be left behind. */
    rf->name = HPDF_LoadTTFontFromFile(ctx->pdf, tmp, HPDF_TRUE);
    unlink(tmp);
    if (ctx->hpdf_code == HPDF_FONT_EXISTS) {
      jx_error(ctx->diags, out_pos(ctx),
               "cannot write the PDF: font %s has the same PostScript name "
               "as another font of this document; libharu cannot embed both",
               rf->spec);
      return false;
    }
    if (!rf->name || ctx->hpdf_code) {
      char doing[512];
      snprintf(doing, sizeof doing, "loading font %s", rf->spec);
      ctx->hpdf_code =
          ctx->hpdf_code ? ctx->hpdf_code : HPDF_INVALID_FONTDEF_DATA;
      return hpdf_ok(ctx, doing);
    }
    for (size_t k = 0; k < i; k++) {
      if (strcmp(ctx->rfonts[k].name, rf->name) == 0) {
        jx_error(ctx->diags, out_pos(ctx),
                 "cannot write the PDF: fonts %s and %s have the same "
                 "PostScript name \"%s\"; libharu cannot embed both in one "
                 "document",
                 ctx->rfonts[k].spec, rf->spec, rf->name);
        return false;
      }
    }
    rf->font = HPDF_GetFont(ctx->pdf, rf->name, "UTF-8");
    if (!rf->font) {
      char doing[512];
      snprintf(doing, sizeof doing, "preparing font %s", rf->spec);
      ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_INVALID_FONT;
      return hpdf_ok(ctx, doing);
    }
    if (!fix_to_unicode(ctx, rf))
      return false;
  }
  return true;
}

/* ---- stage 3: pages ---- */

/* Graphics state we track per page to avoid redundant operators (each
 * page's content starts from the PDF defaults). */
typedef struct jx_gstate {
  double line_width;
  double fill_gray;
  HPDF_Font font;
  double font_size;
  double char_space;
  bool bold;
} jx_gstate;

static void draw_boxes(HPDF_Page page, const jx_dpage *dp, double height,
                       jx_gstate *gs) {
  for (size_t i = 0; i < dp->box_count;) {
    double gray = dp->boxes[i].gray;
    if (gray != gs->fill_gray) {
      HPDF_Page_SetGrayFill(page, (HPDF_REAL)gray);
      gs->fill_gray = gray;
    }
    /* One path per run of boxes of the same gray. */
    for (; i < dp->box_count && dp->boxes[i].gray == gray; i++) {
      const jx_dbox *b = &dp->boxes[i];
      HPDF_Page_Rectangle(page, (HPDF_REAL)b->x,
                          (HPDF_REAL)(height - b->y - b->h), (HPDF_REAL)b->w,
                          (HPDF_REAL)b->h);
    }
    HPDF_Page_Fill(page);
  }
}

static void draw_rules(HPDF_Page page, const jx_dpage *dp, double height,
                       jx_gstate *gs) {
  for (size_t i = 0; i < dp->rule_count;) {
    double width = dp->rules[i].width;
    if (width != gs->line_width) {
      HPDF_Page_SetLineWidth(page, (HPDF_REAL)width);
      gs->line_width = width;
    }
    /* One path per run of rules of the same width. */
    for (; i < dp->rule_count && dp->rules[i].width == width; i++) {
      const jx_drule *r = &dp->rules[i];
      HPDF_Page_MoveTo(page, (HPDF_REAL)r->x0, (HPDF_REAL)(height - r->y0));
      HPDF_Page_LineTo(page, (HPDF_REAL)r->x1, (HPDF_REAL)(height - r->y1));
    }
    HPDF_Page_Stroke(page);
  }
}

static void draw_runs(jx_render_ctx *ctx, HPDF_Page page, const jx_dpage *dp,
                      double height, jx_gstate *gs) {
  bool any = false;
  for (size_t i = 0; i < dp->run_count && !any; i++)
    any = dp->runs[i].len > 0;
  if (!any)
    return;
  if (gs->fill_gray != 0) {
    HPDF_Page_SetGrayFill(page, 0);
    gs->fill_gray = 0;
  }
  HPDF_Page_BeginText(page);
  for (size_t i = 0; i < dp->run_count; i++) {
    const jx_drun *run = &dp->runs[i];
    if (run->len == 0)
      continue;
    HPDF_Font font = ctx->rfonts[ctx->face_font[run->face]].font;
    if (font != gs->font || run->size != gs->font_size) {
      HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)run->size);
      gs->font = font;
      gs->font_size = run->size;
    }
    if (run->char_spacing != gs->char_space) {
      HPDF_Page_SetCharSpace(page, (HPDF_REAL)run->char_spacing);
      gs->char_space = run->char_spacing;
    }
    if (run->bold != gs->bold) {
      HPDF_Page_SetTextRenderingMode(page, run->bold ? HPDF_FILL_THEN_STROKE
                                                     : HPDF_FILL);
      gs->bold = run->bold;
    }
    if (run->bold && 0.03 * run->size != gs->line_width) {
      HPDF_Page_SetLineWidth(page, (HPDF_REAL)(0.03 * run->size));
      gs->line_width = 0.03 * run->size;
    }
    ctx->text.len = 0;
    buf_reserve(&ctx->text, run->len);
    memcpy(ctx->text.data, run->text, run->len);
    ctx->text.data[run->len] = '\0';
    HPDF_Page_TextOut(page, (HPDF_REAL)run->x, (HPDF_REAL)(height - run->y),
                      ctx->text.data);
  }
  HPDF_Page_EndText(page);
}

static bool draw_pages(jx_render_ctx *ctx) {
  const jx_layout *layout = ctx->layout;
  double height = layout->page_height;
  for (size_t p = 0; p < layout->page_count; p++) {
    const jx_dpage *dp = &layout->pages[p];
    HPDF_Page page = HPDF_AddPage(ctx->pdf);
    if (!page) {
      ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_INVALID_PAGE;
      return hpdf_ok(ctx, "adding a page");
    }
    HPDF_Page_SetWidth(page, (HPDF_REAL)layout->page_width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)height);
    jx_gstate gs = {.line_width = 1, .fill_gray = 0};
    draw_boxes(page, dp, height, &gs);
    draw_rules(page, dp, height, &gs);
    draw_runs(ctx, page, dp, height, &gs);
    char doing[64];
    snprintf(doing, sizeof doing, "drawing page %zu", p + 1);
    if (!hpdf_ok(ctx, doing))
      return false;
  }
  return true;
}

/* ---- stage 4: atomic output ---- */

/* Saves the document to libharu's memory stream and writes it to a
 * temporary file beside out_path, then renames it into place.  On any
 * error the temporary file is removed and out_path is left as it was. */
static bool write_output(jx_render_ctx *ctx) {
  HPDF_SaveToStream(ctx->pdf);
  if (!hpdf_ok(ctx, "assembling the document"))
    return false;
  HPDF_UINT32 total = HPDF_GetStreamSize(ctx->pdf);

  const char *path = ctx->out_path;
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (!*base) {
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: the output path names a folder, not a "
             "file");
    return false;
  }
  /* The folder of out_path: "." without a slash, "/" for "/name". */
  jx_buf dir = {0};
  if (!slash)
    buf_printf(&dir, ".");
  else if (slash == path)
    buf_printf(&dir, "/");
  else
    buf_printf(&dir, "%.*s", (int)(slash - path), path);
  jx_buf tmp = {0};
  buf_printf(&tmp, "%s/.%s.XXXXXX", dir.data, base);

  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    int err = errno;
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: cannot create a file in folder %s: %s",
             dir.data, strerror(err));
    free(tmp.data);
    free(dir.data);
    return false;
  }

  bool ok = true;
  int err = 0;
  const char *failed = NULL;
  enum { CHUNK = 1 << 16 };
  HPDF_BYTE *chunk = xcalloc(CHUNK, 1);
  HPDF_UINT32 done = 0;
  while (ok && done < total) {
    HPDF_UINT32 n = total - done < CHUNK ? total - done : CHUNK;
    HPDF_STATUS st = HPDF_ReadFromStream(ctx->pdf, chunk, &n);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0) {
      ok = hpdf_ok(ctx, "reading back the saved document");
      if (ok) {
        jx_error(ctx->diags, out_pos(ctx),
                 "cannot write the PDF: libharu returned a short document "
                 "(%u of %u bytes)",
                 (unsigned)done, (unsigned)total);
        ok = false;
      }
      break;
    }
    if (!write_all(fd, chunk, n)) {
      err = errno, failed = "write", ok = false;
      break;
    }
    done += n;
  }
  free(chunk);
  if (ok && fsync(fd) != 0)
    err = errno, failed = "flush", ok = false;
  if (ok) {
    /* mkstemp made it 0600; give it the mode open(…, 0666) would have.
     * Reading the umask means setting it: not safe if another thread
     * creates files at this moment (jxform renders on one thread). */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0)
      err = errno, failed = "set permissions of", ok = false;
  }
  if (close(fd) != 0 && ok)
    err = errno, failed = "close", ok = false;
  if (ok && rename(tmp.data, path) != 0) {
    err = errno, ok = false;
    jx_error(ctx->diags, out_pos(ctx),
             "cannot write the PDF: cannot rename temporary file %s to %s: %s",
             tmp.data, path, strerror(err));
  }
  if (!ok) {
    if (failed)
      jx_error(ctx->diags, out_pos(ctx),
               "cannot write the PDF: cannot %s temporary file %s: %s", failed,
               tmp.data, strerror(err));
    unlink(tmp.data);
  } else {
    /* Make the rename durable; failure here loses nothing written. */
    int dfd = open(dir.data, O_RDONLY);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  free(tmp.data);
  free(dir.data);
  return ok;
}

/* ---- entry point ---- */

static void set_info(jx_render_ctx *ctx, const jx_render_info *info) {
  const char *title = info && info->title ? info->title : ctx->layout->title;
  const char *subject =
      info && info->subject ? info->subject : ctx->layout->subject;
  const char *author = info ? info->author : NULL;
  /* Info strings are converted with the current encoder: UTF-8 → UTF-16. */
  HPDF_SetCurrentEncoder(ctx->pdf, "UTF-8");
  if (title && *title)
    HPDF_SetInfoAttr(ctx->pdf, HPDF_INFO_TITLE, title);
  if (subject && *subject)
    HPDF_SetInfoAttr(ctx->pdf, HPDF_INFO_SUBJECT, subject);
  if (author && *author)
    HPDF_SetInfoAttr(ctx->pdf, HPDF_INFO_AUTHOR, author);
  HPDF_SetInfoAttr(ctx->pdf, HPDF_INFO_CREATOR, "jxform");
}

bool jx_render(const jx_layout *layout, jx_fonts *fonts,
               const jx_render_info *info, jx_diag_list *diags,
               const char *out_path) {
  jx_render_ctx ctx = {
      .layout = layout, .fonts = fonts, .diags = diags, .out_path = out_path};
  if (layout->page_count == 0) {
    jx_error(diags, out_pos(&ctx), "cannot write the PDF: no pages to write");
    return false;
  }
  ctx.rfonts = xcalloc(fonts->count, sizeof *ctx.rfonts);
  ctx.face_font = xcalloc(fonts->count, sizeof *ctx.face_font);
  for (size_t i = 0; i < fonts->count; i++)
    ctx.face_font[i] = -1;

  bool ok = collect_code_points(&ctx);
  if (ok) {
    ctx.pdf = HPDF_New(on_hpdf_error, &ctx);
    if (!ctx.pdf) {
      jx_error(diags, out_pos(&ctx), "cannot write the PDF: out of memory");
      ok = false;
    }
  }
  if (ok) {
    /* Compression must be on before any font or page is created. */
    HPDF_SetCompressionMode(ctx.pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(ctx.pdf);
    set_info(&ctx, info);
    ok = hpdf_ok(&ctx, "setting up the document") && load_fonts(&ctx) &&
         draw_pages(&ctx) && write_output(&ctx);
  }

  if (ctx.pdf)
    HPDF_Free(ctx.pdf);
  for (size_t i = 0; i < ctx.rfont_count; i++)
    free(ctx.rfonts[i].used);
  free(ctx.rfonts);
  free(ctx.face_font);
  free(ctx.text.data);
  return ok;
}
