/*
 * render-hpdf.c — display list → PDF through libharu: the libharu page
 * sink (jx_sink_hpdf_*, sink.h), the mandated writer, used by `jxform
 * render` and jx_render_pdf* (session.c).
 *
 * The only file that includes hpdf.h.  libharu builds the whole document
 * in memory and writes it at save time, so memory grows with the page
 * count: packets, which can have thousands of pages, go through the
 * streaming sink of render.c instead.  The sink copies each display page
 * it is given (jx_sink_add_page); at close, for the pages the document
 * lists (each one or two contents drawn in order), in order:
 *   1. collect, per distinct font file and face, the BMP code points drawn;
 *   2. subset each such face to those code points with render.c's
 *      jx_subset_face (keeping the cmap libharu's loader needs), write it
 *      to a temporary TrueType file, load it into libharu (embedded,
 *      Identity-H through libharu's UTF-8 encoder, so CID = code point);
 *      then, through libharu's internals (version 2.3.0, checked at run
 *      time): replace the malformed /ToUnicode CMap with render.c's, the
 *      per-CID /W array with a compact one (/DW 1000 and ranges, from
 *      render.c's jx_width_runs), drop /DW2 and correct the ordering;
 *   3. draw each page: boxes, then rules, then one text object of runs;
 *      then the bookmarks and page labels the document has;
 *   4. before saving: drop what libharu writes needlessly (the obsolete
 *      /ProcSet, /Length2, /Length3 and a zero /XHeight, the cmap of the
 *      embedded font — a CIDFontType2 is addressed through CIDToGIDMap),
 *      move the media box and resources every page repeats to the page
 *      tree, and recompress every stream with render.c's jx_deflate
 *      (libdeflate at its highest level compresses better than libharu's
 *      zlib);
 *   5. save to libharu's memory stream; copy it to a file through
 *      render.c's jx_out (a temporary file in the target folder, fsync,
 *      rename), or into a malloc'd buffer.
 *
 * libharu's errors are sticky: the first one is caught by an error handler
 * that only records it, and checked at stage boundaries; it becomes one jx
 * diagnostic with a readable message.  Never call HPDF_Page_TextWidth or
 * HPDF_Font_TextWidth here: they mark glyphs as used (layout measures with
 * HarfBuzz).  Output is byte-for-byte reproducible (no dates, no /ID).
 */
#include "i18n.h"
#include "pdfbuf.h"
#include "render.h"
#include "utf8.h"
#include "xalloc.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JX_BMP_WORDS (0x10000 / 64)
/* Compression level of the recompressed streams (jx_deflate: 1..12).
 * One form is mostly its font subset, compressed once: level 12 took
 * half the CPU time of `render` (39 ms against 20 ms at level 6, on
 * samples/02) for a file 2.3 % smaller. */
#define JX_HPDF_ZLEVEL 6
/* The /DW of every font: the width of Han characters and full-width
 * punctuation, which are most of what a form draws. */
#define JX_HPDF_DW 1000

/* One embedded font: a distinct (file, face index) pair, shared by every
 * session face that resolves to it. */
typedef struct jx_rfont {
  const jx_face *face; /* the first session face using it */
  const char *spec;    /* for diagnostics */
  uint64_t *used;      /* bitmap of the BMP code points drawn */
  uint32_t cmap_at;    /* offset of the cmap saved with the font, after the */
  uint32_t cmap_len;   /* subset in the loaded file (see drop_font_cmap) */
  const char *name;    /* libharu's base font name (owned by libharu) */
  HPDF_Font font;
} jx_rfont;

/* One content added to the sink: a copy of a display page, drawn at
 * close. */
typedef struct jx_hcontent {
  jx_dpage page;
  double height; /* of the page it was laid out on: y is flipped with it */
} jx_hcontent;

typedef struct jx_render_ctx {
  const jx_sink_doc *doc;
  const jx_hcontent *contents; /* the sink's, numbered from 1 */
  jx_fonts *fonts;
  jx_diag_list *diags;
  const char *where; /* out_path, or "<memory>" */
  HPDF_Doc pdf;
  HPDF_STATUS hpdf_code;   /* first libharu error, 0 if none */
  HPDF_STATUS hpdf_detail; /* its detail (errno for file errors) */
  jx_rfont *rfonts;
  size_t rfont_count;
  int *face_font; /* per session face: index into rfonts, -1 if unused */
  HPDF_Page *pages;
  jx_buf text;        /* NUL-terminated copy of the current run */
  bool pdfa;          /* PDF/A-2b (render.h) */
  char *info_text[3]; /* PDF/A: title, subject, author (jx_pdfa_text) */
} jx_render_ctx;

/* ---- libharu's copy and fill ---- */

/* libharu copies and fills memory one byte at a time (hpdf_utils.c),
 * through its exported HPDF_MemCpy and HPDF_MemSet, which it calls through
 * the PLT: these definitions, with the same results (the end of the
 * written bytes), take their place for the whole process.  A one-form
 * render spent 10 % of its CPU time in the two loops (the font subset,
 * the 128 KiB CIDToGIDMap and the encoder's tables pass through them).
 * They are visible outside so that the dynamic linker finds them first. */
#define JX_INTERPOSE __attribute__((visibility("default")))
JX_INTERPOSE HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in,
                                    HPDF_UINT n);
JX_INTERPOSE void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n);

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n) {
  if (n)
    memcpy(out, in, n);
  return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n) {
  if (n)
    memset(s, c, n);
  return (HPDF_BYTE *)s + n;
}

/* ---- diagnostics ---- */

static jx_pos out_pos(const jx_render_ctx *ctx) {
  jx_pos pos = {ctx->where, 0, 0};
  return pos;
}

/* libharu has no code-to-text table; these are the codes rendering can
 * meet, in words a user can act on. */
static const struct {
  HPDF_STATUS code;
  const char *text;
} hpdf_messages[] = {
    {HPDF_FAILD_TO_ALLOC_MEM, N_("out of memory")},
    {HPDF_FILE_IO_ERROR, N_("file read or write error")},
    {HPDF_FILE_OPEN_ERROR, N_("cannot open file")},
    {HPDF_FONT_EXISTS, N_("a font with the same name is already loaded")},
    {HPDF_INVALID_DOCUMENT,
     N_("the document is unusable after an earlier error")},
    {HPDF_INVALID_ENCODER, N_("the UTF-8 encoder is not available")},
    {HPDF_INVALID_ENCODING_NAME, N_("unknown encoding name")},
    {HPDF_INVALID_FONTDEF_DATA, N_("invalid font data")},
    {HPDF_INVALID_FONTDEF_TYPE, N_("unsupported font type")},
    {HPDF_INVALID_FONT_NAME, N_("unknown font name")},
    {HPDF_INVALID_PARAMETER, N_("invalid parameter")},
    {HPDF_INVALID_TTC_FILE, N_("not a TrueType collection")},
    {HPDF_INVALID_TTC_INDEX, N_("face index past the end of the collection")},
    {HPDF_PAGE_INVALID_FONT, N_("invalid font on page")},
    {HPDF_PAGE_INVALID_FONT_SIZE,
     N_("font size out of range (0 < size <= 600)")},
    {HPDF_PAGE_INVALID_GMODE, N_("drawing operator used in the wrong state")},
    {HPDF_PAGE_INVALID_SIZE, N_("page size out of range (3 to 14400 points)")},
    {HPDF_PAGE_OUT_OF_RANGE, N_("value out of range")},
    {HPDF_REAL_OUT_OF_RANGE, N_("number out of range")},
    {HPDF_STRING_OUT_OF_RANGE, N_("text too long (more than 65535 bytes)")},
    {HPDF_TTF_CANNOT_EMBEDDING_FONT,
     N_("the font's licence (OS/2 fsType) forbids embedding")},
    {HPDF_TTF_INVALID_CMAP, N_("the font has no usable Unicode cmap")},
    {HPDF_TTF_INVALID_FOMAT, N_("invalid TrueType font (name table)")},
    {HPDF_TTF_MISSING_TABLE,
     N_("a required TrueType table is missing (CFF/OpenType-CFF fonts are not "
        "supported, only TrueType outlines)")},
    {HPDF_UNSUPPORTED_FONT_TYPE, N_("unsupported font type")},
    {HPDF_ZLIB_ERROR, N_("compression (zlib) error")},
};

static const char *hpdf_message(HPDF_STATUS code) {
  for (size_t i = 0; i < sizeof hpdf_messages / sizeof hpdf_messages[0]; i++)
    if (hpdf_messages[i].code == code)
      return _(hpdf_messages[i].text);
  return _("internal libharu error");
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

/* Records that this libharu does not look like the 2.3.0 whose internals
 * we adjust (`what` failed); returns false. */
static bool hpdf_unexpected(jx_render_ctx *ctx, const jx_rfont *rf,
                            const char *what) {
  jx_error(ctx->diags, out_pos(ctx),
           "cannot write the PDF: this libharu does not build fonts the way "
           "2.3.0 does (%s, font %s)",
           what, rf->spec);
  return false;
}

/* ---- small helpers ---- */

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

/* ---- stage 1: which code points each font draws ---- */

/* Returns the embedded-font slot for session face `face`, creating it on
 * first use (faces resolving to the same file and index share a slot, as
 * libharu cannot load two fonts with one name). */
static int font_slot(jx_render_ctx *ctx, uint16_t face) {
  if (ctx->face_font[face] >= 0)
    return ctx->face_font[face];
  const jx_face *f = &ctx->fonts->faces[face];
  for (size_t i = 0; i < ctx->rfont_count; i++) {
    const jx_face *g = ctx->rfonts[i].face;
    if (g->index == f->index && strcmp(g->path, f->path) == 0) {
      ctx->face_font[face] = (int)i;
      return (int)i;
    }
  }
  jx_rfont *r = &ctx->rfonts[ctx->rfont_count];
  r->face = f;
  r->spec = f->spec ? f->spec : f->path;
  r->used = jx_xcalloc(JX_BMP_WORDS, sizeof(uint64_t));
  ctx->face_font[face] = (int)ctx->rfont_count;
  return (int)ctx->rfont_count++;
}

/* Marks every code point of every run; reports malformed runs (which
 * layout should never produce) rather than drawing something else. */
static bool collect_code_points(jx_render_ctx *ctx) {
  const jx_sink_doc *doc = ctx->doc;
  for (size_t k = 0; k < 2 * doc->page_count; k++) {
    size_t p = k / 2;
    jx_sink_content c = doc->pages[p].contents[k % 2];
    if (!c)
      continue;
    const jx_dpage *page = &ctx->contents[c - 1].page;
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
        uint32_t cp = jx_utf8_next(s, run->len, &i);
        if (cp == JX_UTF8_BAD) {
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
        jx_bit_set(rf->used, cp);
      }
    }
  }
  return true;
}

/* ---- stage 2: subset, load, fix the font dictionaries ---- */

/* True if `face` has the name records libharu's loader requires: name IDs
 * 6 (PostScript name) and 2 (subfamily), Mac Roman or Windows US English
 * (hpdf_fontdef_tt.c, ParseName). */
static bool has_libharu_names(hb_face_t *face) {
  hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('n', 'a', 'm', 'e'));
  unsigned len = 0;
  const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &len);
  bool id2 = false, id6 = false;
  if (p && len >= 6) {
    unsigned count = (unsigned)p[2] << 8 | p[3];
    for (unsigned i = 0; i < count && 6 + 12 * (i + 1) <= len; i++) {
      const unsigned char *r = p + 6 + 12 * i;
      unsigned platform = (unsigned)r[0] << 8 | r[1];
      unsigned encoding = (unsigned)r[2] << 8 | r[3];
      unsigned lang = (unsigned)r[4] << 8 | r[5];
      unsigned id = (unsigned)r[6] << 8 | r[7];
      bool usable = (platform == 1 && encoding == 0) ||
                    (platform == 3 && encoding == 1 && lang == 0x409);
      id2 |= usable && id == 2;
      id6 |= usable && id == 6;
    }
  }
  hb_blob_destroy(blob);
  return id2 && id6;
}

/* Subsets the face of `rf` to the code points it draws and returns it as
 * a libharu memory stream, positioned at its start, for the TrueType
 * loader (load_font), which owns it from then on.  After the subset the
 * stream holds the cmap to save with the font, at rf->cmap_at (see
 * drop_font_cmap): one with no subtables, or for PDF/A a copy of the
 * subset's own; then 8 zero bytes.  Returns NULL after recording an
 * error.  (A memory stream rather than a temporary file: libharu reads
 * the glyphs again when saving, a seek and a read each.) */
static HPDF_Stream subset_to_stream(jx_render_ctx *ctx, jx_rfont *rf) {
  jx_subset subset;
  if (!jx_subset_face(rf->face, rf->used, JX_SUBSET_KEEP_CMAP, ctx->where,
                      ctx->diags, &subset))
    return NULL;
  /* Only Windows US English names are kept by default; a font without
   * them needs its other records for libharu to load it. */
  if (!has_libharu_names(subset.face)) {
    jx_subset_free(&subset);
    if (!jx_subset_face(rf->face, rf->used,
                        JX_SUBSET_KEEP_CMAP | JX_SUBSET_ALL_NAMES, ctx->where,
                        ctx->diags, &subset))
      return NULL;
  }
  unsigned size = 0;
  const char *data = hb_blob_get_data(subset.blob, &size);
  /* At a 4-byte boundary: the subset's cmap (PDF/A), or one of version 0
   * with no encoding records (4 bytes); then zeros, so that the table can
   * be lengthened by 4 bytes (see pad_saved_font). */
  static const unsigned char zeros[3 + 3 + 8] = {0};
  hb_blob_t *cmap_blob =
      ctx->pdfa
          ? hb_face_reference_table(subset.face, HB_TAG('c', 'm', 'a', 'p'))
          : hb_blob_get_empty();
  unsigned cmap_size = 0;
  const char *cmap = hb_blob_get_data(cmap_blob, &cmap_size);
  if (!cmap_size)
    cmap = (const char *)zeros, cmap_size = 4;
  size_t pad = (4 - size % 4) % 4, cmap_pad = (4 - cmap_size % 4) % 4;
  rf->cmap_at = (uint32_t)(size + pad);
  rf->cmap_len = cmap_size;

  size_t total = rf->cmap_at + cmap_size + cmap_pad + 8;
  HPDF_Stream stream = HPDF_MemStream_New(ctx->pdf->mmgr, (HPDF_UINT)total);
  if (stream) {
    HPDF_Stream_Write(stream, (const HPDF_BYTE *)data, size);
    HPDF_Stream_Write(stream, zeros, (HPDF_UINT)pad);
    HPDF_Stream_Write(stream, (const HPDF_BYTE *)cmap, cmap_size);
    HPDF_Stream_Write(stream, zeros, (HPDF_UINT)(cmap_pad + 8));
    HPDF_Stream_Seek(stream, 0, HPDF_SEEK_SET);
  }
  hb_blob_destroy(cmap_blob);
  jx_subset_free(&subset);
  if (stream && HPDF_Stream_Size(stream) == total && !ctx->hpdf_code)
    return stream;
  if (stream)
    HPDF_Stream_Free(stream);
  ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_FAILD_TO_ALLOC_MEM;
  char doing[512];
  snprintf(doing, sizeof doing, _("loading font %s"), rf->spec);
  hpdf_ok(ctx, doing);
  return NULL;
}

/* Loads the embedded TrueType font in `stream` (subset_to_stream's; owned
 * by the font definition once loaded, freed here otherwise) into the
 * document, as HPDF_LoadTTFontFromFile does with a file: the definition
 * is listed by the document and named with the next subset tag (HPDFAA,
 * HPDFAB, ...).  Returns its base font name (owned by libharu), or NULL
 * (libharu's error is in ctx->hpdf_code, or `stream` was NULL). */
static const char *load_font(jx_render_ctx *ctx, HPDF_Stream stream) {
  if (!stream)
    return NULL;
  HPDF_Doc pdf = ctx->pdf;
  HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, stream, HPDF_TRUE);
  if (!def) {
    HPDF_Stream_Free(stream);
    return NULL;
  }
  if (HPDF_Doc_FindFontDef(pdf, def->base_font)) {
    /* the same PostScript name as a font loaded before (load_fonts) */
    ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_FONT_EXISTS;
    HPDF_FontDef_Free(def);
    return NULL;
  }
  if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
    HPDF_FontDef_Free(def);
    return NULL;
  }
  if (pdf->ttfont_tag[0] == 0) {
    memcpy(pdf->ttfont_tag, "HPDFAA", 6);
  } else {
    for (int i = 5; i >= 0; i--) {
      pdf->ttfont_tag[i] += 1;
      if (pdf->ttfont_tag[i] > 'Z')
        pdf->ttfont_tag[i] = 'A';
      else
        break;
    }
  }
  HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
  return def->base_font;
}

/* libharu 2.3.0 attaches its encoder's CMap (a `begincidrange` CID CMap,
 * which is not a valid ToUnicode CMap) as the Type0 font's /ToUnicode
 * stream, kept in the font's attr->cmap_stream.  With the UTF-8 encoder
 * and Identity-H, CID = Unicode code point: replace the stream's contents
 * with render.c's CMap for the drawn codes and drop the CMap-only keys
 * from its dictionary. */
static bool fix_to_unicode(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_FontAttr attr = (HPDF_FontAttr)rf->font->attr;
  HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
  if (!cmap || !cmap->stream ||
      HPDF_Dict_GetItem(rf->font, "ToUnicode", HPDF_OCLASS_DICT) != cmap ||
      cmap->stream->type != HPDF_STREAM_MEMORY)
    return hpdf_unexpected(ctx, rf, _("no /ToUnicode stream to fix"));
  static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo",
                                     "WMode"};
  for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
    HPDF_Dict_RemoveElement(cmap, drop[i]); /* absent keys are fine */

  jx_bytes text;
  jx_to_unicode_cmap(rf->used, &text);
  HPDF_MemStream_FreeData(cmap->stream);
  HPDF_Stream_Write(cmap->stream, text.data, (HPDF_UINT)text.len);
  free(text.data);
  return hpdf_ok(ctx, _("writing a font's ToUnicode map"));
}

/* libharu lists in /W the width of every CID whose width differs from the
 * font's missing width (500 for AR PL UMing), one "cid [w]" group per gap:
 * about 5 bytes per character drawn.  Replace it with /DW 1000 and
 * render.c's compact runs of the other widths, which are the same widths
 * libharu computed (its integers, from the loaded subset), and drop
 * /DW2, which only vertical writing reads. */
static bool compact_widths(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_FontAttr attr = (HPDF_FontAttr)rf->font->attr;
  HPDF_Dict cid = attr->descendant_font;
  HPDF_FontDef def = attr->fontdef;
  if (!cid || !def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
      !HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY))
    return hpdf_unexpected(ctx, rf, _("no /W array"));

  size_t n = 0;
  for (size_t w = 0; w < JX_BMP_WORDS; w++)
    n += (size_t)__builtin_popcountll(rf->used[w]);
  uint32_t *cids = jx_xcalloc(n, sizeof *cids);
  long long *widths = jx_xcalloc(n, sizeof *widths);
  size_t k = 0;
  for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
    if (!jx_bit_get(rf->used, cp))
      continue;
    HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
    cids[k] = cp;
    widths[k++] = HPDF_TTFontDef_GetGidWidth(def, gid);
  }
  jx_width_run *runs;
  size_t nruns = jx_width_runs(cids, widths, n, JX_HPDF_DW, &runs);

  HPDF_Array array = HPDF_Array_New(cid->mmgr);
  HPDF_STATUS st = array ? HPDF_Dict_Add(cid, "W", array) : HPDF_INVALID_OBJECT;
  for (size_t r = 0; r < nruns && st == HPDF_OK; r++) {
    size_t first = runs[r].first, end = first + runs[r].count;
    st = HPDF_Array_AddNumber(array, (HPDF_INT32)cids[first]);
    if (runs[r].same) {
      st |= HPDF_Array_AddNumber(array, (HPDF_INT32)cids[end - 1]);
      st |= HPDF_Array_AddNumber(array, (HPDF_INT32)widths[first]);
      continue;
    }
    HPDF_Array list = HPDF_Array_New(cid->mmgr);
    st |= list ? HPDF_Array_Add(array, list) : HPDF_INVALID_OBJECT;
    for (size_t m = first; m < end && st == HPDF_OK; m++)
      st = HPDF_Array_AddNumber(list, (HPDF_INT32)widths[m]);
  }
  if (st == HPDF_OK)
    st = HPDF_Dict_AddNumber(cid, "DW", JX_HPDF_DW);
  HPDF_Dict_RemoveElement(cid, "DW2"); /* absent is fine */
  /* libharu writes the encoding's name, Identity-H, as the ordering; a
   * CIDFontType2 used with Identity-H has ordering Identity. */
  HPDF_Dict info = HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT);
  if (info && st == HPDF_OK)
    st = HPDF_Dict_Add(info, "Ordering",
                       HPDF_String_New(cid->mmgr, "Identity", NULL));
  free(runs);
  free(widths);
  free(cids);
  if (st != HPDF_OK && ctx->hpdf_code == 0)
    ctx->hpdf_code = HPDF_FAILD_TO_ALLOC_MEM;
  return hpdf_ok(ctx, _("writing a font's widths"));
}

/* Points the loaded font's cmap table at the one written after the subset
 * (rf->cmap_at), which libharu copies when saving: libharu has already
 * read the real one (into memory, for the CIDToGIDMap and the widths).
 * Outside PDF/A that cmap has no subtables, so that the embedded font
 * carries no character map: a viewer maps CIDs to glyphs through
 * CIDToGIDMap, never through a CIDFontType2's cmap (ISO 32000-1 §9.9).
 * For PDF/A it is the subset's own, so that the font file is a whole
 * TrueType font. */
static bool drop_font_cmap(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_FontAttr attr = (HPDF_FontAttr)rf->font->attr;
  HPDF_FontDef def = attr->fontdef;
  HPDF_TTFontDefAttr tt = def ? (HPDF_TTFontDefAttr)def->attr : NULL;
  if (!tt || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !attr->map_stream)
    return hpdf_unexpected(ctx, rf, _("no TrueType font data"));
  for (HPDF_UINT i = 0; i < tt->offset_tbl.num_tables; i++) {
    HPDF_TTFTable *t = &tt->offset_tbl.table[i];
    if (memcmp(t->tag, "cmap", 4) == 0) {
      t->offset = rf->cmap_at;
      t->length = rf->cmap_len;
      return true;
    }
  }
  return hpdf_unexpected(ctx, rf, _("no cmap table"));
}

/* libharu 2.3.0 finds a code point's glyph (HPDF_TTFontDef_GetGlyphid)
 * by scanning the loaded cmap's segments one by one; HPDF_GetFont asks
 * for all 65,536 code points (the CIDToGIDMap and /W it builds), and
 * ShowText once per character drawn.  A subset of a few hundred
 * characters has a few hundred segments: that scan was a tenth of the
 * time of `render` of one form.  Before HPDF_GetFont, replace the cmap
 * libharu parsed (in memory: what is saved with the font is
 * drop_font_cmap's) by one segment 0..FFFF whose glyph array holds, per
 * code point, the glyph libharu's own lookup gives for it (its formula,
 * with its quirks: unsigned index, idDelta added to a 0 from the array).
 * Every lookup then stops at the first segment with the same answer, so
 * the document is the same byte for byte.  A cmap that is not format 4,
 * whose segments are not in order or do not end at FFFF, or that libharu
 * would read past its glyph array, is left as it is. */
static bool flatten_cmap(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_FontDef def = HPDF_GetFontDef(ctx->pdf, rf->name);
  HPDF_TTFontDefAttr tt = def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE
                              ? (HPDF_TTFontDefAttr)def->attr
                              : NULL;
  if (!tt)
    return hpdf_unexpected(ctx, rf, _("no TrueType font data"));
  HPDF_TTF_CmapRange *cm = &tt->cmap;
  HPDF_UINT segs = cm->seg_count_x2 / 2u;
  if (cm->format != 4 || segs == 0 || cm->end_count[segs - 1] != 0xFFFF)
    return true;
  for (HPDF_UINT i = 1; i < segs; i++)
    if (cm->end_count[i] < cm->end_count[i - 1])
      return true;
  /* the new arrays, each its own allocation (libharu frees each) */
  HPDF_UINT16 *gids = HPDF_GetMem(def->mmgr, 0x10000 * sizeof *gids);
  HPDF_UINT16 *end = HPDF_GetMem(def->mmgr, sizeof *end);
  HPDF_UINT16 *start = HPDF_GetMem(def->mmgr, sizeof *start);
  HPDF_INT16 *delta = HPDF_GetMem(def->mmgr, sizeof *delta);
  HPDF_UINT16 *range = HPDF_GetMem(def->mmgr, sizeof *range);
  void *fresh[] = {gids, end, start, delta, range};
  bool keep = !gids || !end || !start || !delta || !range;
  /* code point cp belongs to the first segment whose end is >= cp */
  HPDF_UINT cp = 0;
  for (HPDF_UINT i = 0; i < segs && !keep; i++) {
    for (; cp <= cm->end_count[i] && !keep; cp++) {
      HPDF_UINT16 gid = 0;
      if (cm->start_count[i] > cp) {
        gid = 0;
      } else if (cm->id_range_offset[i] == 0) {
        gid = (HPDF_UINT16)(cp + cm->id_delta[i]);
      } else {
        HPDF_UINT idx =
            cm->id_range_offset[i] / 2 + (cp - cm->start_count[i]) - (segs - i);
        /* at idx == count libharu reads one past its array: keep its cmap */
        keep = idx == cm->glyph_id_array_count;
        if (idx < cm->glyph_id_array_count)
          gid = (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
      }
      gids[cp] = gid;
    }
  }
  if (keep) {
    for (size_t k = 0; k < sizeof fresh / sizeof fresh[0]; k++)
      if (fresh[k])
        HPDF_FreeMem(def->mmgr, fresh[k]);
    if (ctx->hpdf_code) {
      char doing[512];
      snprintf(doing, sizeof doing, _("preparing font %s"), rf->spec);
      return hpdf_ok(ctx, doing);
    }
    return true;
  }
  HPDF_FreeMem(def->mmgr, cm->end_count);
  HPDF_FreeMem(def->mmgr, cm->start_count);
  HPDF_FreeMem(def->mmgr, cm->id_delta);
  HPDF_FreeMem(def->mmgr, cm->id_range_offset);
  if (cm->glyph_id_array)
    HPDF_FreeMem(def->mmgr, cm->glyph_id_array);
  /* one segment: idx = 2 / 2 + (cp - 0) - (1 - 0) = cp */
  *end = 0xFFFF;
  *start = 0;
  *delta = 0;
  *range = 2;
  cm->end_count = end;
  cm->start_count = start;
  cm->id_delta = delta;
  cm->id_range_offset = range;
  cm->glyph_id_array = gids;
  cm->glyph_id_array_count = 0x10000;
  cm->seg_count_x2 = 2;
  return true;
}

/* Subsets, loads and prepares every font in ctx->rfonts. */
static bool load_fonts(jx_render_ctx *ctx) {
  for (size_t i = 0; i < ctx->rfont_count; i++) {
    jx_rfont *rf = &ctx->rfonts[i];
    HPDF_Stream stream = subset_to_stream(ctx, rf);
    if (!stream)
      return false;
    rf->name = load_font(ctx, stream);
    if (ctx->hpdf_code == HPDF_FONT_EXISTS) {
      jx_error(ctx->diags, out_pos(ctx),
               "cannot write the PDF: font %s has the same PostScript name "
               "as another font of this document; libharu cannot embed both",
               rf->spec);
      return false;
    }
    if (!rf->name || ctx->hpdf_code) {
      char doing[512];
      snprintf(doing, sizeof doing, _("loading font %s"), rf->spec);
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
    if (!flatten_cmap(ctx, rf))
      return false;
    rf->font = HPDF_GetFont(ctx->pdf, rf->name, "UTF-8");
    if (!rf->font) {
      char doing[512];
      snprintf(doing, sizeof doing, _("preparing font %s"), rf->spec);
      ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_INVALID_FONT;
      return hpdf_ok(ctx, doing);
    }
    if (!rf->font->attr)
      return hpdf_unexpected(ctx, rf, _("no font attributes"));
    if (!fix_to_unicode(ctx, rf) || !compact_widths(ctx, rf) ||
        !drop_font_cmap(ctx, rf))
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
  bool word_space; /* Tw 0.001 rather than 0 (see draw_runs) */
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

/* A text position rounded to the writers' grid (render.h). */
static double on_grid(double v) {
  return (double)jx_text_grid_steps(v) / JX_TEXT_GRID;
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
  bool first = true;
  double last_y = 0;
  for (size_t i = 0; i < dp->run_count; i++) {
    const jx_drun *run = &dp->runs[i];
    if (run->len == 0)
      continue;
    jx_gstate before = *gs;
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
    /* Keeps Ghostscript's pdfwrite from joining this run to the one
     * before it on the same baseline (render.c, encode_runs: Tw changes
     * nothing drawn with 2-byte codes). */
    double y = on_grid(height - run->y);
    if (!first && y == last_y && gs->font == before.font &&
        gs->font_size == before.font_size &&
        gs->char_space == before.char_space && gs->bold == before.bold) {
      gs->word_space = !gs->word_space;
      HPDF_Page_SetWordSpace(page, gs->word_space ? 0.001f : 0);
    }
    first = false;
    last_y = y;
    ctx->text.len = 0;
    buf_reserve(&ctx->text, run->len);
    memcpy(ctx->text.data, run->text, run->len);
    ctx->text.data[run->len] = '\0';
    /* libharu turns these into relative moves in single precision; on the
     * grid they stay exact (render.h, JX_TEXT_GRID). */
    HPDF_Page_TextOut(page, (HPDF_REAL)on_grid(run->x), (HPDF_REAL)y,
                      ctx->text.data);
  }
  HPDF_Page_EndText(page);
}

/* Draws each page of the document: its contents in order, the state
 * of the first carried into the second (as a PDF page's content streams
 * are one). */
static bool draw_pages(jx_render_ctx *ctx) {
  const jx_sink_doc *doc = ctx->doc;
  for (size_t p = 0; p < doc->page_count; p++) {
    HPDF_Page page = HPDF_AddPage(ctx->pdf);
    if (!page) {
      ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_INVALID_PAGE;
      return hpdf_ok(ctx, _("adding a page"));
    }
    ctx->pages[p] = page;
    HPDF_Page_SetWidth(page, (HPDF_REAL)doc->pages[p].width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)doc->pages[p].height);
    jx_gstate gs = {.line_width = 1, .fill_gray = 0};
    for (int k = 0; k < 2; k++) {
      jx_sink_content c = doc->pages[p].contents[k];
      if (!c)
        continue;
      const jx_hcontent *hc = &ctx->contents[c - 1];
      draw_boxes(page, &hc->page, hc->height, &gs);
      draw_rules(page, &hc->page, hc->height, &gs);
      draw_runs(ctx, page, &hc->page, hc->height, &gs);
    }
    char doing[64];
    snprintf(doing, sizeof doing, _("drawing page %zu"), p + 1);
    if (!hpdf_ok(ctx, doing))
      return false;
  }
  return true;
}

/* ---- stage 4: trim and recompress ---- */

/* The write hook of a stream recompressed by recompress_stream: libharu
 * drops any /Filter key of a stream it does not filter itself, so the
 * filter is written here, after the dictionary's other keys. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out) {
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Replaces the contents of stream dictionary `d`, which libharu would
 * compress with zlib when saving, by the same bytes compressed with
 * jx_deflate, and marks it as already compressed.  Leaves any other
 * stream (not in memory, other filters, its own write hook) alone. */
static void recompress_stream(HPDF_Dict d) {
  HPDF_Stream s = d->stream;
  if (!s || s->type != HPDF_STREAM_MEMORY ||
      d->filter != HPDF_STREAM_FILTER_FLATE_DECODE || d->write_fn)
    return;
  HPDF_UINT32 size = HPDF_Stream_Size(s);
  if (size == 0)
    return;
  unsigned char *raw = jx_xcalloc(size, 1);
  size_t len = 0;
  for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(s); i++) {
    HPDF_UINT n = 0;
    HPDF_BYTE *part = HPDF_MemStream_GetBufPtr(s, i, &n);
    if (!part || n > size - len) {
      free(raw);
      return;
    }
    memcpy(raw + len, part, n);
    len += n;
  }
  if (len != size) {
    free(raw);
    return;
  }
  jx_bytes z;
  jx_deflate(raw, len, JX_HPDF_ZLEVEL, &z);
  free(raw);
  HPDF_MemStream_FreeData(s);
  HPDF_Stream_Write(s, z.data, (HPDF_UINT)z.len);
  free(z.data);
  d->filter = HPDF_STREAM_FILTER_NONE;
  d->write_fn = write_flate_filter;
}

/* If every page's resources are the same single font under the same name
 * (or nothing), stores that name in `key` (size HPDF_LIMIT_MAX_NAME_LEN +
 * 1; "" for no font) and returns true. */
static bool same_resources(jx_render_ctx *ctx, char *key) {
  key[0] = '\0';
  if (ctx->rfont_count > 1)
    return false;
  for (size_t p = 0; p < ctx->doc->page_count; p++) {
    HPDF_Dict res =
        HPDF_Dict_GetItem(ctx->pages[p], "Resources", HPDF_OCLASS_DICT);
    if (!res)
      return false;
    for (HPDF_UINT i = 0; i < res->list->count; i++) {
      HPDF_DictElement e = HPDF_List_ItemAt(res->list, i);
      HPDF_Dict fonts = strcmp(e->key, "Font") == 0
                            ? HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT)
                            : NULL;
      if (!fonts || fonts->list->count != 1)
        return false;
      HPDF_DictElement f = HPDF_List_ItemAt(fonts->list, 0);
      if (HPDF_Dict_GetItem(fonts, f->key, HPDF_OCLASS_DICT) !=
              ctx->rfonts[0].font ||
          (key[0] && strcmp(key, f->key) != 0))
        return false;
      snprintf(key, HPDF_LIMIT_MAX_NAME_LEN + 1, "%s", f->key);
    }
  }
  return true;
}

/* Moves what every page repeats to the root of the page tree, from which
 * pages inherit it (ISO 32000-1 §7.7.3.4): the media box when all pages
 * have one size (those of a layout do) and, when they are the same, the
 * resources. */
static bool hoist_page_attributes(jx_render_ctx *ctx) {
  HPDF_Dict root = ctx->pdf->root_pages;
  const jx_sink_doc *doc = ctx->doc;
  if (!root)
    return true;
  bool one_size = true;
  for (size_t p = 1; p < doc->page_count && one_size; p++)
    one_size = doc->pages[p].width == doc->pages[0].width &&
               doc->pages[p].height == doc->pages[0].height;
  if (one_size) {
    HPDF_Box box = {0, 0, (HPDF_REAL)doc->pages[0].width,
                    (HPDF_REAL)doc->pages[0].height};
    HPDF_Array media = HPDF_Box_Array_New(root->mmgr, box);
    if (!media || HPDF_Dict_Add(root, "MediaBox", media) != HPDF_OK)
      return hpdf_ok(ctx, _("finishing the pages"));
    for (size_t p = 0; p < doc->page_count; p++)
      HPDF_Dict_RemoveElement(ctx->pages[p], "MediaBox");
  }

  char key[HPDF_LIMIT_MAX_NAME_LEN + 1];
  if (!same_resources(ctx, key) || !key[0])
    return hpdf_ok(ctx, _("finishing the pages"));
  /* Each new dictionary is added to the document before the next one is
   * made: one created but not added would be ours to free (HPDF_Dict_Add
   * frees what it fails to add). */
  HPDF_Dict res = HPDF_Dict_New(root->mmgr);
  if (!res || HPDF_Dict_Add(root, "Resources", res) != HPDF_OK)
    return hpdf_ok(ctx, _("finishing the pages"));
  HPDF_Dict fonts = HPDF_Dict_New(root->mmgr);
  if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK ||
      HPDF_Dict_Add(fonts, key, ctx->rfonts[0].font) != HPDF_OK)
    return hpdf_ok(ctx, _("finishing the pages"));
  for (size_t p = 0; p < doc->page_count; p++)
    HPDF_Dict_RemoveElement(ctx->pages[p], "Resources");
  return hpdf_ok(ctx, _("finishing the pages"));
}

/* The tables libharu 2.3.0 writes into an embedded TrueType font, in its
 * order (hpdf_fontdef_tt.c, REQUIRED_TAGS); one the loaded font lacks is
 * written empty. */
static const char saved_tags[][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf",
                                     "head", "hhea", "hmtx", "loca", "maxp",
                                     "name", "post", "prep"};
#define JX_SAVED_TABLES (sizeof saved_tags / sizeof saved_tags[0])
/* Its header: the offset table and one 16-byte record per table. */
#define JX_SAVED_HEADER (12 + 16 * JX_SAVED_TABLES)
#define JX_TT_HEAD_SIZE 54 /* the head table libharu writes */

static HPDF_TTFTable *tt_table(HPDF_TTFontDefAttr tt, const char *tag) {
  for (HPDF_UINT i = 0; i < tt->offset_tbl.num_tables; i++)
    if (memcmp(tt->offset_tbl.table[i].tag, tag, 4) == 0)
      return &tt->offset_tbl.table[i];
  return NULL;
}

/* The number of bytes of tables HPDF_TTFontDef_SaveFontData writes for the
 * loaded font `tt` with the glyphs marked used now: head rewritten, only
 * the used glyphs of glyf (and a loca for every glyph), name with the
 * subset tag before names 1 and 4, every other table copied whole. */
static HPDF_UINT saved_font_size(HPDF_TTFontDefAttr tt) {
  HPDF_UINT size = 0;
  bool short_loca = tt->header.index_to_loc_format == 0;
  for (size_t i = 0; i < JX_SAVED_TABLES; i++) {
    const char *tag = saved_tags[i];
    HPDF_TTFTable *t = tt_table(tt, tag);
    if (strcmp(tag, "head") == 0) {
      size += JX_TT_HEAD_SIZE;
    } else if (strcmp(tag, "glyf") == 0) {
      for (HPDF_UINT g = 0; g < tt->num_glyphs; g++)
        if (tt->glyph_tbl.flgs[g] == 1) {
          HPDF_UINT len =
              tt->glyph_tbl.offsets[g + 1] - tt->glyph_tbl.offsets[g];
          size += short_loca ? 2 * len : len;
        }
    } else if (strcmp(tag, "loca") == 0) {
      size += ((HPDF_UINT)tt->num_glyphs + 1) * (short_loca ? 2 : 4);
    } else if (strcmp(tag, "name") == 0) {
      size += 6 + 12 * (HPDF_UINT)tt->name_tbl.count;
      for (HPDF_UINT r = 0; r < tt->name_tbl.count; r++) {
        const HPDF_TTF_NameRecord *rec = &tt->name_tbl.name_records[r];
        size += rec->length;
        if (rec->name_id == 1 || rec->name_id == 4)
          size += rec->platform_id == 0 || rec->platform_id == 3
                      ? sizeof tt->tag_name2
                      : sizeof tt->tag_name;
      }
    } else if (t) {
      size += t->length;
    }
  }
  return size;
}

/* libharu writes the tables to a memory stream of HPDF_STREAM_BUF_SIZ-byte
 * blocks, then seeks to each table to sum it.  That stream cannot seek to
 * its very end when the data fills its last block exactly (it looks for a
 * block that does not exist), and the last table, prep, is empty in every
 * subset (hb-subset drops hinting), so it starts at the end: the font
 * cannot be written (HPDF_INVALID_OBJECT, 0x1033), for roughly one subset
 * in a few thousand, whatever its glyphs or face.  In that case lengthen the
 * cmap written after the subset (rf->cmap_at, followed by zero bytes in
 * the file) by 4 bytes, which only adds padding.  Returns the size libharu
 * will write. */
static HPDF_UINT pad_saved_font(const jx_rfont *rf, HPDF_TTFontDefAttr tt) {
  HPDF_UINT size = saved_font_size(tt);
  HPDF_TTFTable *cmap = tt_table(tt, "cmap");
  if (size % HPDF_STREAM_BUF_SIZ == 0 && cmap && cmap->offset == rf->cmap_at &&
      cmap->length == rf->cmap_len) {
    cmap->length += 4;
    size += 4;
  }
  return (HPDF_UINT)JX_SAVED_HEADER + size;
}

/* Builds the font file and descriptor of `rf` now, which libharu's
 * CIDFontType2_BeforeWrite_Func would build while saving, so that they
 * can be trimmed and recompressed too.  Each object is added to the
 * document as soon as it exists, so that HPDF_Free frees it whatever
 * fails next (libharu's own builder loses its new descriptor when writing
 * the font file fails).  Leaves out what libharu writes needlessly:
 * /Length2 and /Length3 (only a Type 1 font file has these parts) and an
 * /XHeight of 0 ("unknown", which leaving it out says too). */
static bool embed_font_file(jx_render_ctx *ctx, jx_rfont *rf) {
  HPDF_Font font = rf->font;
  HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
  HPDF_FontDef def = attr->fontdef;
  HPDF_TTFontDefAttr tt = def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE
                              ? (HPDF_TTFontDefAttr)def->attr
                              : NULL;
  if (!tt || !tt->embedding || !tt->stream || !attr->xref || def->descriptor)
    return hpdf_unexpected(ctx, rf, _("no TrueType font to embed"));
  HPDF_UINT length1 = pad_saved_font(rf, tt);

  HPDF_Dict file = HPDF_DictStream_New(font->mmgr, attr->xref);
  if (!file) {
    ctx->hpdf_code = ctx->hpdf_code ? ctx->hpdf_code : HPDF_FAILD_TO_ALLOC_MEM;
    return hpdf_ok(ctx, _("embedding a font"));
  }
  HPDF_STATUS st = HPDF_TTFontDef_SaveFontData(def, file->stream);
  if (st != HPDF_OK && ctx->hpdf_code == 0)
    ctx->hpdf_code = st;
  if (!hpdf_ok(ctx, _("embedding a font")))
    return false;
  if (tt->length1 != length1)
    return hpdf_unexpected(ctx, rf, _("font file of an unexpected size"));
  file->filter = font->filter;

  HPDF_Dict desc = HPDF_Dict_New(font->mmgr);
  /* HPDF_Xref_Add frees the dictionary if it fails. */
  st = desc ? HPDF_Xref_Add(attr->xref, desc) : HPDF_FAILD_TO_ALLOC_MEM;
  if (st == HPDF_OK) {
    st |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)tt->length1);
    st |= HPDF_Dict_Add(desc, "FontFile2", file);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st |= HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    st |= HPDF_Dict_Add(desc, "FontBBox",
                        HPDF_Box_Array_New(font->mmgr, def->font_bbox));
    st |= HPDF_Dict_AddName(desc, "FontName", tt->base_font);
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st |= HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    if (def->x_height != 0)
      st |= HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
  }
  if (st != HPDF_OK && ctx->hpdf_code == 0)
    ctx->hpdf_code = HPDF_FAILD_TO_ALLOC_MEM;
  if (!hpdf_ok(ctx, _("embedding a font")))
    return false;
  def->descriptor = desc;
  return true;
}

/* ---- PDF/A and the trailer /ID ---- */

/* Adds to the catalog the XMP metadata (Info's values, render.c's
 * jx_xmp_packet; not compressed) and the sRGB output intent (its profile
 * compressed with the other streams).  Each new object is owned by the
 * document before the next one is made. */
static bool add_pdfa_objects(jx_render_ctx *ctx) {
  HPDF_Doc pdf = ctx->pdf;
  HPDF_Dict catalog = pdf->catalog;
  char date[32];
  jx_source_date_xmp(date, sizeof date);
  jx_xmp x = {ctx->info_text[0],
              ctx->info_text[1],
              ctx->info_text[2],
              JX_CREATOR_TOOL,
              HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER),
              date};
  jx_bytes xmp;
  jx_xmp_packet(&x, &xmp);
  HPDF_STATUS st = HPDF_OK;
  HPDF_Dict meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (meta) {
    meta->filter = HPDF_STREAM_FILTER_NONE;
    st |= HPDF_Dict_AddName(meta, "Type", "Metadata");
    st |= HPDF_Dict_AddName(meta, "Subtype", "XML");
    st |= HPDF_Stream_Write(meta->stream, xmp.data, (HPDF_UINT)xmp.len);
    st |= HPDF_Dict_Add(catalog, "Metadata", meta);
  }
  free(xmp.data);
  size_t icc_len;
  const unsigned char *icc = jx_srgb_profile(&icc_len);
  HPDF_Dict profile =
      meta && st == HPDF_OK ? HPDF_DictStream_New(pdf->mmgr, pdf->xref) : NULL;
  if (profile) {
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    st |= HPDF_Dict_AddNumber(profile, "N", 3);
    st |= HPDF_Stream_Write(profile->stream, icc, (HPDF_UINT)icc_len);
  }
  HPDF_Array intents =
      profile && st == HPDF_OK ? HPDF_Array_New(pdf->mmgr) : NULL;
  if (intents)
    st |= HPDF_Dict_Add(catalog, "OutputIntents", intents);
  HPDF_Dict intent = intents && st == HPDF_OK ? HPDF_Dict_New(pdf->mmgr) : NULL;
  if (intent) {
    st |= HPDF_Array_Add(intents, intent);
    st |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    st |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    static const char *const keys[][2] = {
        {"OutputConditionIdentifier", JX_SRGB_NAME},
        {"Info", JX_SRGB_NAME},
        {"RegistryName", "http://www.color.org"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && st == HPDF_OK; i++)
      st |= HPDF_Dict_Add(intent, keys[i][0],
                          HPDF_String_New(pdf->mmgr, keys[i][1], NULL));
    if (st == HPDF_OK)
      st |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  }
  if ((!intent || st != HPDF_OK) && ctx->hpdf_code == 0)
    ctx->hpdf_code = HPDF_FAILD_TO_ALLOC_MEM;
  return hpdf_ok(ctx, _("adding the PDF/A metadata"));
}

/* The trailer's /ID is the MD5 of every byte before the cross-reference
 * table (render.h), known only once libharu has saved the document: it
 * is saved with this placeholder ("JXFORM-ID-------"), which fill_id
 * then overwrites with the digest, same length, in the saved bytes. */
static const unsigned char id_placeholder[16] = "JXFORM-ID-------";

static bool add_id_placeholder(jx_render_ctx *ctx) {
  HPDF_Doc pdf = ctx->pdf;
  HPDF_Array id = HPDF_Array_New(pdf->mmgr);
  HPDF_STATUS st =
      id ? HPDF_Dict_Add(pdf->trailer, "ID", id) : HPDF_FAILD_TO_ALLOC_MEM;
  for (int i = 0; i < 2 && st == HPDF_OK; i++)
    st = HPDF_Array_Add(
        id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id_placeholder, 16));
  if (st != HPDF_OK && ctx->hpdf_code == 0)
    ctx->hpdf_code = st;
  return hpdf_ok(ctx, _("finishing the pages"));
}

/* Replaces the two placeholders of the saved document's /ID with the MD5
 * of the bytes before its cross-reference table, in libharu's memory
 * stream (blocks of HPDF_STREAM_BUF_SIZ bytes). */
static bool fill_id(jx_render_ctx *ctx) {
  HPDF_Stream s = ctx->pdf->stream;
  HPDF_UINT32 xref = ctx->pdf->xref ? ctx->pdf->xref->addr : 0;
  HPDF_UINT blocks = s ? HPDF_MemStream_GetBufCount(s) : 0;
  jx_md5 md5;
  jx_md5_init(&md5);
  /* The digest of [0, xref), and the bytes from xref on, which hold the
   * placeholders: a copy, and where each of its bytes is. */
  jx_buf tail = {0};
  HPDF_BYTE **at = NULL;
  size_t at_cap = 0;
  HPDF_UINT32 pos = 0;
  for (HPDF_UINT i = 0; i < blocks; i++) {
    HPDF_UINT n = 0;
    HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &n);
    if (!p)
      break;
    HPDF_UINT head = pos >= xref ? 0 : xref - pos < n ? xref - pos : n;
    jx_md5_update(&md5, p, head);
    for (HPDF_UINT k = head; k < n; k++) {
      if (tail.len == at_cap) {
        at_cap = at_cap ? 2 * at_cap : 4096;
        at = jx_xrealloc(at, at_cap * sizeof *at);
      }
      at[tail.len] = p + k;
      buf_reserve(&tail, 1);
      tail.data[tail.len++] = (char)p[k];
    }
    pos += n;
  }
  unsigned char digest[16];
  jx_md5_final(&md5, digest);
  char hex[33], want[33];
  for (int i = 0; i < 16; i++) {
    snprintf(hex + 2 * i, 3, "%02X", digest[i]);
    snprintf(want + 2 * i, 3, "%02X", id_placeholder[i]);
  }
  int found = 0;
  for (size_t i = 0; i + 32 <= tail.len; i++) {
    if (memcmp(tail.data + i, want, 32) != 0)
      continue;
    for (size_t k = 0; k < 32; k++)
      *at[i + k] = (HPDF_BYTE)hex[k];
    found++;
    i += 31;
  }
  free(tail.data);
  free(at);
  if (found == 2)
    return true;
  jx_error(ctx->diags, out_pos(ctx),
           "cannot write the PDF: this libharu does not write the trailer "
           "the way 2.3.0 does (%d document IDs to fill in instead of 2)",
           found);
  return false;
}

/* Finishes the document before saving: builds each font's descriptor and
 * font file now (libharu would do it while saving) so that they can be
 * trimmed too, drops the obsolete /ProcSet of every page, moves shared
 * page attributes to the page tree, and recompresses every stream of the
 * document. */
static bool finish_document(jx_render_ctx *ctx) {
  for (size_t i = 0; i < ctx->rfont_count; i++) {
    jx_rfont *rf = &ctx->rfonts[i];
    if (!rf->font->before_write_fn)
      return hpdf_unexpected(ctx, rf, _("no font writer"));
    if (!embed_font_file(ctx, rf))
      return false;
    /* CIDFontType2_BeforeWrite_Func, with the descriptor built: sets the
     * filters of the CIDToGIDMap and ToUnicode streams to the Type0
     * font's filter (at every call) and names the base font and the
     * descriptor. */
    HPDF_STATUS st = rf->font->before_write_fn(rf->font);
    if (st != HPDF_OK && ctx->hpdf_code == 0)
      ctx->hpdf_code = st;
    if (!hpdf_ok(ctx, _("embedding a font")))
      return false;
    /* The streams are recompressed below: keep the second call, while
     * saving, from asking libharu to compress them again. */
    rf->font->filter = HPDF_STREAM_FILTER_NONE;
  }
  for (size_t p = 0; p < ctx->doc->page_count; p++) {
    HPDF_Dict res =
        HPDF_Dict_GetItem(ctx->pages[p], "Resources", HPDF_OCLASS_DICT);
    if (res) /* "since PDF 1.4 … obsolete" (ISO 32000-1 §14.2) */
      HPDF_Dict_RemoveElement(res, "ProcSet");
  }
  if (!hpdf_ok(ctx, _("finishing the pages")) || !hoist_page_attributes(ctx))
    return false;
  if (ctx->pdfa && !add_pdfa_objects(ctx))
    return false;
  if (!add_id_placeholder(ctx))
    return false;
  HPDF_List entries = ctx->pdf->xref ? ctx->pdf->xref->entries : NULL;
  for (HPDF_UINT i = 0; entries && i < entries->count; i++) {
    HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
    HPDF_Obj_Header *h = e ? e->obj : NULL;
    if (h && (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT)
      recompress_stream((HPDF_Dict)e->obj);
  }
  return hpdf_ok(ctx, _("compressing the document"));
}

/* ---- stage 5: output ---- */

/* Copies the saved document from libharu's memory stream to a temporary
 * file beside out_path, then renames it into place (render.c's jx_out).
 * On any error the temporary file is removed and out_path is left as it
 * was. */
static bool write_output(jx_render_ctx *ctx) {
  HPDF_UINT32 total = HPDF_GetStreamSize(ctx->pdf);
  jx_out out;
  if (!jx_out_open(&out, ctx->where, ctx->diags))
    return false;

  bool ok = true;
  int err = 0;
  enum { CHUNK = 1 << 16 };
  HPDF_BYTE *chunk = jx_xcalloc(CHUNK, 1);
  HPDF_UINT32 done = 0;
  while (ok && done < total) {
    HPDF_UINT32 n = total - done < CHUNK ? total - done : CHUNK;
    HPDF_STATUS rs = HPDF_ReadFromStream(ctx->pdf, chunk, &n);
    if ((rs != HPDF_OK && rs != HPDF_STREAM_EOF) || n == 0) {
      ok = hpdf_ok(ctx, _("reading back the saved document"));
      if (ok) {
        jx_error(ctx->diags, out_pos(ctx),
                 "cannot write the PDF: libharu returned a short document "
                 "(%u of %u bytes)",
                 (unsigned)done, (unsigned)total);
        ok = false;
      }
      break;
    }
    if (!write_all(out.fd, chunk, n)) {
      err = errno;
      break;
    }
    done += n;
  }
  free(chunk);
  if (ok)
    ok = jx_out_commit(&out, NULL, err, ctx->diags);
  else
    jx_out_abort(&out, NULL);
  jx_out_free(&out);
  return ok;
}

/* Copies the saved document into a malloc'd buffer. */
static bool read_output(jx_render_ctx *ctx, char **data, size_t *size) {
  HPDF_UINT32 total = HPDF_GetStreamSize(ctx->pdf);
  char *out = jx_xcalloc(total, 1);
  HPDF_UINT32 done = 0;
  while (done < total) {
    HPDF_UINT32 n = total - done;
    HPDF_STATUS rs = HPDF_ReadFromStream(ctx->pdf, (HPDF_BYTE *)out + done, &n);
    if ((rs != HPDF_OK && rs != HPDF_STREAM_EOF) || n == 0) {
      free(out);
      if (hpdf_ok(ctx, _("reading back the saved document")))
        jx_error(ctx->diags, out_pos(ctx),
                 "cannot write the PDF: libharu returned a short document "
                 "(%u of %u bytes)",
                 (unsigned)done, (unsigned)total);
      return false;
    }
    done += n;
  }
  *data = out;
  *size = total;
  return true;
}

/* ---- entry points ---- */

/* True if `s` is printable ASCII only. */
static bool is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
      return false;
  return true;
}

static void set_info(jx_render_ctx *ctx, const jx_render_info *info) {
  const char *title = info->title, *subject = info->subject,
             *author = info->author;
  if (ctx->pdfa) {
    /* Text that XMP can carry as well, the same in both. */
    title = ctx->info_text[0] = jx_pdfa_text(title);
    subject = ctx->info_text[1] = jx_pdfa_text(subject);
    author = ctx->info_text[2] = jx_pdfa_text(author);
  }
  const struct {
    HPDF_InfoType type;
    const char *value;
  } infos[] = {{HPDF_INFO_TITLE, title},
               {HPDF_INFO_SUBJECT, subject},
               {HPDF_INFO_AUTHOR, author},
               {HPDF_INFO_CREATOR, JX_CREATOR_TOOL}};
  /* Info strings are converted with the current encoder: none (a literal
   * string) for ASCII, then UTF-8 → UTF-16 for the rest. */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1)
      HPDF_SetCurrentEncoder(ctx->pdf, "UTF-8");
    for (size_t i = 0; i < sizeof infos / sizeof infos[0]; i++)
      if (infos[i].value && *infos[i].value &&
          is_ascii(infos[i].value) == (pass == 0))
        HPDF_SetInfoAttr(ctx->pdf, infos[i].type, infos[i].value);
  }
  /* Dates only from SOURCE_DATE_EPOCH, as the streaming writer's:
   * written as they are ("D:YYYYMMDDHHmmSSZ"), which libharu's
   * HPDF_SetInfoDateAttr cannot. */
  char date[32];
  jx_source_date(date, sizeof date);
  HPDF_Dict dict = ctx->pdf->info;
  for (int i = 0; i < 2 && *date && dict; i++)
    HPDF_Dict_Add(dict, i ? "ModDate" : "CreationDate",
                  HPDF_String_New(dict->mmgr, date, NULL));
}

/* libharu's encoder for `text`: none (a literal string) for ASCII, UTF-8
 * (written as UTF-16) for the rest. */
static HPDF_Encoder text_encoder(jx_render_ctx *ctx, const char *text) {
  return is_ascii(text) ? NULL : HPDF_GetEncoder(ctx->pdf, "UTF-8");
}

/* Adds the document's bookmarks, each to the top of its page. */
static bool add_outlines(jx_render_ctx *ctx) {
  const jx_sink_doc *doc = ctx->doc;
  if (!doc->outline_count)
    return true;
  HPDF_Outline *made = jx_xcalloc(doc->outline_count, sizeof *made);
  bool ok = true;
  for (size_t i = 0; i < doc->outline_count && ok; i++) {
    const jx_sink_outline *it = &doc->outlines[i];
    HPDF_Outline parent =
        it->parent >= 0 && (size_t)it->parent < i ? made[it->parent] : NULL;
    made[i] = HPDF_CreateOutline(ctx->pdf, parent, it->title,
                                 text_encoder(ctx, it->title));
    if (!made[i]) {
      ok = false;
      break;
    }
    HPDF_Outline_SetOpened(made[i], it->open ? HPDF_TRUE : HPDF_FALSE);
    size_t pg = it->page < doc->page_count ? it->page : 0;
    HPDF_Destination dst = HPDF_Page_CreateDestination(ctx->pages[pg]);
    if (dst)
      HPDF_Outline_SetDestination(made[i], dst);
  }
  free(made);
  if (ok && doc->show_outlines)
    HPDF_SetPageMode(ctx->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (!ok && ctx->hpdf_code == 0)
    ctx->hpdf_code = HPDF_FAILD_TO_ALLOC_MEM;
  return hpdf_ok(ctx, _("finishing the pages"));
}

/* Adds the document's page labels to the catalog, built here: libharu's
 * HPDF_AddPageLabel writes a prefix's UTF-8 bytes as they are. */
static bool add_page_labels(jx_render_ctx *ctx) {
  const jx_sink_doc *doc = ctx->doc;
  if (!doc->label_count)
    return true;
  HPDF_Doc pdf = ctx->pdf;
  HPDF_STATUS st = HPDF_OK;
  /* Each new object is owned by the document before the next is made. */
  HPDF_Dict labels = HPDF_Dict_New(pdf->mmgr);
  st = labels ? HPDF_Dict_Add(pdf->catalog, "PageLabels", labels)
              : HPDF_FAILD_TO_ALLOC_MEM;
  HPDF_Array nums = st == HPDF_OK ? HPDF_Array_New(pdf->mmgr) : NULL;
  if (st == HPDF_OK)
    st = nums ? HPDF_Dict_Add(labels, "Nums", nums) : HPDF_FAILD_TO_ALLOC_MEM;
  for (size_t i = 0; i < doc->label_count && st == HPDF_OK; i++) {
    const jx_sink_label *l = &doc->labels[i];
    st = HPDF_Array_AddNumber(nums, (HPDF_INT32)l->first_page);
    HPDF_Dict d = st == HPDF_OK ? HPDF_Dict_New(pdf->mmgr) : NULL;
    if (st == HPDF_OK)
      st = d ? HPDF_Array_Add(nums, d) : HPDF_FAILD_TO_ALLOC_MEM;
    if (st == HPDF_OK && l->style) {
      char style[2] = {l->style, '\0'};
      st = HPDF_Dict_AddName(d, "S", style);
    }
    if (st == HPDF_OK && l->prefix && *l->prefix)
      st = HPDF_Dict_Add(
          d, "P",
          HPDF_String_New(pdf->mmgr, l->prefix, text_encoder(ctx, l->prefix)));
    if (st == HPDF_OK && l->start > 1)
      st = HPDF_Dict_AddNumber(d, "St", l->start);
  }
  if (st != HPDF_OK && ctx->hpdf_code == 0)
    ctx->hpdf_code = st;
  return hpdf_ok(ctx, _("finishing the pages"));
}

/* Builds and saves the document `doc` of the sink's contents to
 * libharu's memory stream, then writes it to `where` (a file) or, when
 * `data` is not NULL, to *data. */
static bool render(const jx_sink_doc *doc, const jx_hcontent *contents,
                   size_t content_count, jx_fonts *fonts, jx_diag_list *diags,
                   const char *where, char **data, size_t *size) {
  jx_render_ctx ctx = {.doc = doc,
                       .contents = contents,
                       .fonts = fonts,
                       .diags = diags,
                       .where = where,
                       .pdfa = jx_render_wants_pdfa(&doc->info)};
  if (doc->page_count == 0) {
    jx_error(diags, out_pos(&ctx), "cannot write the PDF: no pages to write");
    return false;
  }
  for (size_t p = 0; p < doc->page_count; p++)
    for (int k = 0; k < 2; k++)
      if (doc->pages[p].contents[k] > content_count) {
        /* a caller's mistake (sink.h: contents added before) */
        jx_error(diags, out_pos(&ctx), "cannot write the PDF: %s",
                 strerror(EINVAL));
        return false;
      }
  ctx.rfonts = jx_xcalloc(fonts->count, sizeof *ctx.rfonts);
  ctx.face_font = jx_xcalloc(fonts->count, sizeof *ctx.face_font);
  for (size_t i = 0; i < fonts->count; i++)
    ctx.face_font[i] = -1;
  ctx.pages = jx_xcalloc(doc->page_count, sizeof *ctx.pages);

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
    /* PDF 1.7, which PDF/A-2 is based on (libharu would write 1.3). */
    ctx.pdf->pdf_version = HPDF_VER_17;
    HPDF_UseUTFEncodings(ctx.pdf);
    set_info(&ctx, &doc->info);
    ok = hpdf_ok(&ctx, _("setting up the document")) && load_fonts(&ctx) &&
         draw_pages(&ctx) && add_outlines(&ctx) && add_page_labels(&ctx) &&
         finish_document(&ctx);
  }
  if (ok) {
    HPDF_SaveToStream(ctx.pdf);
    ok = hpdf_ok(&ctx, _("assembling the document")) && fill_id(&ctx);
  }
  if (ok)
    ok = data ? read_output(&ctx, data, size) : write_output(&ctx);

  if (ctx.pdf)
    HPDF_Free(ctx.pdf);
  for (size_t i = 0; i < ctx.rfont_count; i++)
    free(ctx.rfonts[i].used);
  free(ctx.rfonts);
  free(ctx.face_font);
  free(ctx.pages);
  free(ctx.text.data);
  for (int i = 0; i < 3; i++)
    free(ctx.info_text[i]);
  return ok;
}

/* ---- the libharu sink (sink.h) ---- */

typedef struct jx_hpdf_sink {
  jx_sink base;
  jx_fonts *fonts;
  jx_diag_list *diags;
  char *where;    /* out_path (a copy), or "<memory>" */
  jx_arena arena; /* the copies of the display pages */
  jx_hcontent *contents;
  size_t count, cap;
  char **data; /* into memory: where close puts the bytes */
  size_t *size;
} jx_hpdf_sink;

/* Copies `n` items of `size` bytes into the arena (NULL when none). */
static void *arena_copy(jx_arena *arena, const void *items, size_t n,
                        size_t size) {
  if (!n)
    return NULL;
  void *to = jx_arena_alloc(arena, n * size);
  memcpy(to, items, n * size);
  return to;
}

static jx_sink_content hpdf_add_page(jx_sink *base, const jx_dpage *page,
                                     double page_height) {
  jx_hpdf_sink *s = (jx_hpdf_sink *)base;
  if (s->count == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 16;
    s->contents = jx_xrealloc(s->contents, s->cap * sizeof *s->contents);
  }
  jx_hcontent *c = &s->contents[s->count++];
  jx_dpage *to = &c->page;
  *to = *page;
  c->height = page_height;
  to->rules =
      arena_copy(&s->arena, page->rules, page->rule_count, sizeof *page->rules);
  to->boxes =
      arena_copy(&s->arena, page->boxes, page->box_count, sizeof *page->boxes);
  to->runs =
      arena_copy(&s->arena, page->runs, page->run_count, sizeof *page->runs);
  to->rule_cap = to->rule_count;
  to->box_cap = to->box_count;
  to->run_cap = to->run_count;
  for (size_t r = 0; r < to->run_count; r++) {
    /* len bytes, whatever they hold (a NUL is reported when drawing) */
    char *text = jx_arena_alloc(&s->arena, (size_t)page->runs[r].len + 1);
    if (page->runs[r].len)
      memcpy(text, page->runs[r].text, page->runs[r].len);
    text[page->runs[r].len] = '\0';
    to->runs[r].text = text;
  }
  return (jx_sink_content)s->count;
}

static void hpdf_free(jx_hpdf_sink *s) {
  jx_arena_free(&s->arena);
  free(s->contents);
  free(s->where);
  free(s);
}

static bool hpdf_close(jx_sink *base, const jx_sink_doc *doc) {
  jx_hpdf_sink *s = (jx_hpdf_sink *)base;
  bool ok = render(doc, s->contents, s->count, s->fonts, s->diags, s->where,
                   s->data, s->size);
  hpdf_free(s);
  return ok;
}

static void hpdf_abort(jx_sink *base) { hpdf_free((jx_hpdf_sink *)base); }

static const jx_sink_ops hpdf_ops = {
    .add_page = hpdf_add_page,
    .close = hpdf_close,
    .abort = hpdf_abort,
};

static jx_sink *hpdf_new(const char *where, jx_fonts *fonts,
                         jx_diag_list *diags) {
  jx_hpdf_sink *s = jx_xcalloc(1, sizeof *s);
  s->base.ops = &hpdf_ops;
  s->fonts = fonts;
  s->diags = diags;
  s->where = jx_xstrdup(where);
  jx_arena_init(&s->arena);
  return &s->base;
}

jx_sink *jx_sink_hpdf_open(const char *out_path, jx_fonts *fonts,
                           jx_diag_list *diags) {
  return hpdf_new(out_path, fonts, diags);
}

jx_sink *jx_sink_hpdf_memory(jx_fonts *fonts, jx_diag_list *diags, char **data,
                             size_t *size) {
  *data = NULL;
  *size = 0;
  jx_hpdf_sink *s = (jx_hpdf_sink *)hpdf_new("<memory>", fonts, diags);
  s->data = data;
  s->size = size;
  return &s->base;
}
