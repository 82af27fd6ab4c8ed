/*
 * pdffont.c — font embedding shared by both PDF writers (pdffont.h):
 * code points drawn per font, hb-subset, ToUnicode CMap, /W array.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "pdffont.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-subset.h>
#include <hb.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define JX_BMP_WORDS (0x10000 / 64)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels refuse it */
#endif

/* qsort order of page addresses. */
static int cmp_address(const void *a, const void *b) {
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return (x > y) - (x < y);
}

/* Entry `gid` of a 'loca' table: the offset of the glyph in 'glyf'. */
static uint32_t loca_entry(const unsigned char *loca, bool long_loca,
                           uint32_t gid) {
  const unsigned char *e = loca + (long_loca ? 4 : 2) * (size_t)gid;
  return long_loca ? (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 |
                         (uint32_t)e[2] << 8 | e[3]
                   : ((uint32_t)e[0] << 8 | e[1]) * 2u;
}
/* Entries per bfchar block (the CMap format's limit). */
#define JX_CMAP_BLOCK 100
/* Missing characters listed in one diagnostic before "…". */
#define JX_MISSING_SHOWN 8

void jx_glyph_use_init(jx_glyph_use *use, const jx_fonts *fonts) {
  memset(use, 0, sizeof *use);
  jx_glyph_use_update(use, fonts);
}

void jx_glyph_use_update(jx_glyph_use *use, const jx_fonts *fonts) {
  size_t old = use->face_count, n = fonts->count;
  if (n <= old)
    return;
  use->slot = jx_xrealloc(use->slot, n * sizeof *use->slot);
  use->bits = jx_xrealloc(use->bits, n * JX_BMP_WORDS * sizeof *use->bits);
  memset(use->bits + old * JX_BMP_WORDS, 0,
         (n - old) * JX_BMP_WORDS * sizeof *use->bits);
  for (size_t i = old; i < n; i++) {
    const jx_face *f = &fonts->faces[i];
    use->slot[i] = (int)i;
    for (size_t k = 0; k < i; k++) {
      const jx_face *g = &fonts->faces[k];
      if (f->path && g->path && f->index == g->index &&
          strcmp(f->path, g->path) == 0) {
        use->slot[i] = use->slot[k];
        break;
      }
    }
  }
  use->face_count = n;
}

void jx_glyph_use_free(jx_glyph_use *use) {
  free(use->slot);
  free(use->bits);
  memset(use, 0, sizeof *use);
}

void jx_glyph_use_merge(jx_glyph_use *into, const jx_glyph_use *from) {
  size_t n =
      into->face_count < from->face_count ? into->face_count : from->face_count;
  for (size_t w = 0; w < n * JX_BMP_WORDS; w++)
    into->bits[w] |= from->bits[w];
}

/* Checks that the face has every code point in `used` (`have`: the subset
 * plan's code point → glyph map); lists the missing ones otherwise. */
static bool check_coverage(jx_diag_list *diags, jx_pos pos, const char *spec,
                           const uint64_t *used, const hb_map_t *have) {
  jx_buf list = {0};
  size_t missing = 0;
  for (uint32_t cp = 0x20; cp <= 0xFFFF; cp++) {
    if (!jx_bit_get(used, cp) || hb_map_has(have, cp))
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
      buf_puts(&list, ", …");
    }
    missing++;
  }
  if (missing)
    jx_error(diags, pos,
             "cannot write the PDF: font %s has no glyph for %zu character%s "
             "drawn with it: %s",
             spec, missing, missing == 1 ? "" : "s", list.data);
  free(list.data);
  return missing == 0;
}

/* Maps in, with one system call per run of pages, the pages of the 'glyf'
 * table that hold the glyphs of the code points in `used` (of the
 * session face `f`), before hb-subset reads them.  A CJK font's glyphs
 * lie far apart in a table of many megabytes, and each page touched
 * costs a page fault (90 for samples/02 in AR PL UMing); in bulk they
 * cost less: a one-form render took 0.92 of the time (farm-bench, 40
 * pairs, on the project's VM).  Composite glyphs' parts fault in as
 * before.  Nothing changes on a kernel without MADV_POPULATE_READ
 * (Linux 5.14): the call fails and the pages fault in as they did. */
static void prefetch_glyphs(const jx_face *f, hb_face_t *face,
                            const uint64_t *used) {
  hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
  hb_blob_t *loca = hb_face_reference_table(face, HB_TAG('l', 'o', 'c', 'a'));
  hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
  unsigned head_len, loca_len, glyf_len;
  const unsigned char *h = (const void *)hb_blob_get_data(head, &head_len);
  const unsigned char *l = (const void *)hb_blob_get_data(loca, &loca_len);
  const char *g = hb_blob_get_data(glyf, &glyf_len);
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t *pages = NULL;
  size_t count = 0, cap = 0;
  if (h && head_len >= 54 && l && g) {
    bool long_loca = h[51] != 0; /* head.indexToLocFormat */
    size_t entries = loca_len / (long_loca ? 4 : 2);
    for (uint32_t w = 0; w < JX_BMP_WORDS; w++) {
      for (uint64_t bits = used[w]; bits; bits &= bits - 1) {
        hb_codepoint_t gid;
        uint32_t cp = w * 64 + (uint32_t)__builtin_ctzll(bits);
        if (!hb_font_get_nominal_glyph(f->hb, cp, &gid) || gid + 1 >= entries)
          continue;
        uint32_t from = loca_entry(l, long_loca, gid);
        uint32_t to = loca_entry(l, long_loca, gid + 1);
        if (to <= from || to > glyf_len)
          continue;
        uintptr_t a = ((uintptr_t)g + from) & ~(page - 1);
        uintptr_t b = ((uintptr_t)g + to - 1) & ~(page - 1);
        for (; a <= b; a += page) {
          if (count == cap)
            pages =
                jx_xrealloc(pages, (cap = cap ? 2 * cap : 256) * sizeof *pages);
          pages[count++] = a;
        }
      }
    }
  }
  if (count)
    qsort(pages, count, sizeof *pages, cmp_address);
  /* runs of pages, gaps of up to 8 pages bridged (mapping 8 more pages
   * costs about what another system call does) */
  for (size_t i = 0; i < count;) {
    size_t j = i + 1;
    while (j < count && pages[j] - pages[j - 1] <= 8 * page)
      j++;
    (void)madvise((void *)pages[i], pages[j - 1] - pages[i] + page,
                  MADV_POPULATE_READ);
    i = j;
  }
  free(pages);
  hb_blob_destroy(glyf);
  hb_blob_destroy(loca);
  hb_blob_destroy(head);
}

bool jx_subset_face(const jx_face *f, const uint64_t *used, unsigned flags,
                    const char *where, jx_diag_list *diags, jx_subset *out) {
  memset(out, 0, sizeof *out);
  jx_pos pos = {where, 0, 0};
  const char *spec = f->spec ? f->spec : f->path;
  /* The session's face (fonts.c), whose file is mapped already and whose
   * tables HarfBuzz has already read (a face without a HarfBuzz font, not
   * made by fonts.c, reads its file). */
  hb_face_t *face = NULL;
  if (f->hb) {
    face = hb_face_reference(hb_font_get_face(f->hb));
    prefetch_glyphs(f, face, used);
  } else {
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob) {
      jx_error(diags, pos, "cannot write the PDF: cannot read font file %s",
               f->path);
      return false;
    }
    face = hb_face_create(blob, (unsigned)f->index);
    hb_blob_destroy(blob);
  }
  bool ok = false;
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  if (!input) {
    jx_error(diags, pos, "cannot write the PDF: out of memory");
    goto done;
  }
  hb_set_t *unicodes = hb_subset_input_unicode_set(input);
  for (uint32_t w = 0; w < JX_BMP_WORDS; w++) {
    uint64_t bits = used[w];
    while (bits) {
      int k = __builtin_ctzll(bits);
      hb_set_add(unicodes, w * 64 + (uint32_t)k);
      bits &= bits - 1;
      out->count++;
    }
  }
  unsigned hb_flags = HB_SUBSET_FLAGS_NO_HINTING;
  if (flags & JX_SUBSET_ALL_NAMES) {
    /* Every language, and the legacy (Mac) records too. */
    hb_set_t *langs = hb_subset_input_set(input, HB_SUBSET_SETS_NAME_LANG_ID);
    hb_set_clear(langs);
    hb_set_invert(langs);
    hb_flags |= HB_SUBSET_FLAGS_NAME_LEGACY;
  }
  hb_subset_input_set_flags(input, hb_flags);
  /* Names: only family, subfamily, full and PostScript name (libharu's
   * loader needs 2 and 6); nothing reads the others of an embedded
   * subset, and the copyright notice alone is about 1 KB. */
  hb_set_t *ids = hb_subset_input_set(input, HB_SUBSET_SETS_NAME_ID);
  hb_set_clear(ids);
  static const unsigned name_ids[] = {1, 2, 4, 6};
  for (size_t i = 0; i < sizeof name_ids / sizeof name_ids[0]; i++)
    hb_set_add(ids, name_ids[i]);
  /* A PDF viewer positions glyphs by /W and picks them by CIDToGIDMap,
   * horizontally: layout, vertical-metric and hinting tables are never
   * read (keeping GSUB would also pull in its substitutes' glyphs), and
   * ISO 32000-1 §9.9 requires a cmap only for simple fonts, not for a
   * CIDFontType2. */
  hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF",
                                        "vhea", "vmtx", "VORG", "gasp", "hdmx",
                                        "LTSH", "VDMX", "kern", "DSIG"};
  for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
    hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
  if (!(flags & JX_SUBSET_KEEP_CMAP))
    hb_set_add(drop, HB_TAG('c', 'm', 'a', 'p'));
  out->plan = hb_subset_plan_create_or_fail(face, input);
  if (out->plan &&
      !check_coverage(diags, pos, spec, used,
                      hb_subset_plan_unicode_to_old_glyph_mapping(out->plan)))
    goto done;
  out->face = out->plan ? hb_subset_plan_execute_or_fail(out->plan) : NULL;
  if (out->face)
    out->blob = hb_face_reference_blob(out->face);
  if (!out->blob || hb_blob_get_length(out->blob) == 0) {
    jx_error(diags, pos,
             "cannot write the PDF: HarfBuzz could not subset font %s", spec);
    goto done;
  }
  ok = true;

done:
  hb_subset_input_destroy(input);
  hb_face_destroy(face);
  if (!ok)
    jx_subset_free(out);
  return ok;
}

void jx_subset_free(jx_subset *s) {
  hb_blob_destroy(s->blob);
  hb_face_destroy(s->face);
  hb_subset_plan_destroy(s->plan);
  memset(s, 0, sizeof *s);
}

/* A ToUnicode CMap mapping each 2-byte code drawn to the same Unicode
 * value, one bfchar entry per code.  (One bfrange per block of 256 codes
 * would be shorter, but Ghostscript 10.0 misreads a bfrange whose
 * destination's first byte is not zero, <4E00><4EFF><4E00>, and its
 * pdfwrite then writes wrong text for every Han character.) */
void jx_to_unicode_text(const uint64_t *used, jx_buf *out) {
  size_t n = 0;
  for (size_t w = 0; w < JX_BMP_WORDS; w++)
    n += (size_t)__builtin_popcountll(used[w]);
  buf_puts(out, "/CIDInit/ProcSet findresource begin\n"
                "12 dict begin\n"
                "begincmap\n"
                "/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>"
                "def\n"
                "/CMapName/Adobe-Identity-UCS def\n"
                "/CMapType 2 def\n"
                "1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n");
  buf_reserve(out, n * 13 + (n / JX_CMAP_BLOCK + 1) * 32);
  size_t left = n, in_block = 0;
  for (uint32_t w = 0; w < JX_BMP_WORDS; w++) {
    for (uint64_t bits = used[w]; bits; bits &= bits - 1) {
      unsigned cp = w * 64 + (unsigned)__builtin_ctzll(bits);
      if (in_block == 0)
        buf_printf(out, "%zu beginbfchar\n",
                   left < JX_CMAP_BLOCK ? left : (size_t)JX_CMAP_BLOCK);
      /* Hex strings need no space between them; without it the map
       * compresses to about 60 %. */
      buf_printf(out, "<%04X><%04X>", cp, cp);
      left--;
      if (++in_block == JX_CMAP_BLOCK || left == 0) {
        buf_puts(out, "\nendbfchar\n");
        in_block = 0;
      }
    }
  }
  buf_puts(out, "endcmap\n"
                "CMapName currentdict/CMap defineresource pop\n"
                "end\n"
                "end\n");
}

void jx_to_unicode_cmap(const uint64_t *used, jx_bytes *out) {
  jx_buf b = {0};
  jx_to_unicode_text(used, &b);
  out->data = (unsigned char *)b.data;
  out->len = b.len;
}

size_t jx_width_runs(const uint32_t *cids, const long long *w, size_t n,
                     long long dw, jx_width_run **runs) {
  size_t count = 0, cap = 16;
  *runs = jx_xmalloc(cap * sizeof **runs);
  for (size_t i = 0; i < n;) {
    if (w[i] == dw) {
      i++;
      continue;
    }
    size_t j = i + 1; /* run of consecutive codes, none of width dw */
    while (j < n && cids[j] == cids[j - 1] + 1 && w[j] != dw)
      j++;
    size_t k = i;
    while (k < j) {
      size_t same = k + 1;
      while (same < j && w[same] == w[k])
        same++;
      size_t end = same;
      if (same - k < 3) {
        /* a list up to the next run of three equal widths */
        end = k;
        while (end < j) {
          size_t e2 = end + 1;
          while (e2 < j && w[e2] == w[end])
            e2++;
          if (e2 - end >= 3)
            break;
          end = e2;
        }
      }
      if (count == cap) {
        cap *= 2;
        *runs = jx_xrealloc(*runs, cap * sizeof **runs);
      }
      (*runs)[count++] =
          (jx_width_run){.first = k, .count = end - k, .same = same - k >= 3};
      k = end;
    }
    i = j;
  }
  return count;
}

void jx_width_array(const uint32_t *cps, const long long *w, size_t n,
                    long long dw, jx_buf *out) {
  jx_width_run *runs;
  size_t nruns = jx_width_runs(cps, w, n, dw, &runs);
  buf_puts(out, "/W[");
  for (size_t r = 0; r < nruns; r++) {
    size_t k = runs[r].first, end = k + runs[r].count;
    if (r > 0)
      buf_putc(out, ' ');
    if (runs[r].same) {
      buf_printf(out, "%" PRIu32 " %" PRIu32 " ", cps[k], cps[end - 1]);
      buf_milli(out, w[k]);
      continue;
    }
    buf_printf(out, "%" PRIu32 "[", cps[k]);
    for (size_t m = k; m < end; m++) {
      if (m > k)
        buf_putc(out, ' ');
      buf_milli(out, w[m]);
    }
    buf_putc(out, ']');
  }
  buf_puts(out, "]");
  free(runs);
}
