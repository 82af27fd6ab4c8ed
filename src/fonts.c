/*
 * fonts.c — the session's face table (see fonts.h).
 *
 * A template names a font either by file ("path/x.ttf", "x.ttc#2") or by
 * family ("AR PL UMing CN").  Families are resolved with fontconfig and
 * must match one of the face's family names exactly (ignoring ASCII case):
 * fontconfig's usual best-match substitution would silently change every
 * measurement, so an unknown family is an error instead.
 *
 * Each face is opened twice over the same file: with FreeType (to check
 * it is a TrueType-outline face libharu can embed, and for whoever needs
 * an FT_Face) and with HarfBuzz from a file blob (shaping and advances,
 * in unscaled font units).  Everything a face owns is malloc'ed here and
 * released by jx_fonts_free.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "fonts.h"
#include "i18n.h"
#include "xalloc.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <hb.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define JX_ADVANCE_UNKNOWN (-1)
#define JX_ADVANCE_NO_GLYPH (-2)
#define JX_BMP_SIZE 0x10000

bool jx_fonts_init(jx_fonts *fonts) {
  memset(fonts, 0, sizeof *fonts);
  return FT_Init_FreeType(&fonts->ft) == 0;
}

void jx_fonts_free(jx_fonts *fonts) {
  for (size_t i = 0; i < fonts->count; i++) {
    jx_face *f = &fonts->faces[i];
    free(f->spec);
    free(f->path);
    free(f->family);
    free(f->advance_cache);
    if (f->hb)
      hb_font_destroy(f->hb);
    if (f->ft)
      FT_Done_Face(f->ft);
  }
  free(fonts->faces);
  free(fonts->scratch);
  if (fonts->hb_buffer)
    hb_buffer_destroy(fonts->hb_buffer);
  if (fonts->ft)
    FT_Done_FreeType(fonts->ft);
  memset(fonts, 0, sizeof *fonts);
}

/* True if `s` (length n) ends with `suffix`, ignoring ASCII case. */
static bool ends_with_ci(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

/* Splits a file spec "path[#N]".  Returns true if `spec` names a file (it
 * contains '/' or ends in .ttf/.ttc/.otf before an optional "#N"); then
 * *path_len is the length of the path part and *index the face index. */
static bool spec_as_file(const char *spec, size_t *path_len, int *index) {
  size_t n = strlen(spec);
  *path_len = n;
  *index = 0;
  const char *hash = strrchr(spec, '#');
  if (hash && hash[1] != '\0' &&
      strspn(hash + 1, "0123456789") == strlen(hash + 1)) {
    long v = strtol(hash + 1, NULL, 10);
    if (v >= 0 && v <= 0xFFFF) {
      *path_len = (size_t)(hash - spec);
      *index = (int)v;
    }
  }
  size_t pn = *path_len;
  return memchr(spec, '/', pn) != NULL || ends_with_ci(spec, pn, ".ttf") ||
         ends_with_ci(spec, pn, ".ttc") || ends_with_ci(spec, pn, ".otf");
}

/* Resolves `family` with fontconfig.  Among the installed faces one of
 * whose family names equals `family` (ASCII case ignored) it picks the most
 * regular one (upright, weight nearest to regular), then the smallest path
 * and index, so the choice does not depend on fontconfig's list order.
 * Returns a malloc'ed path (caller frees) and sets *index, or NULL. */
static char *resolve_family(const char *family, int *index) {
  if (!FcInit())
    return NULL;
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os =
      FcObjectSetBuild(FC_FAMILY, FC_FILE, FC_INDEX, FC_WEIGHT, FC_SLANT, NULL);
  if (!pat || !os) {
    if (pat)
      FcPatternDestroy(pat);
    if (os)
      FcObjectSetDestroy(os);
    return NULL;
  }
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcFontSet *set = FcFontList(NULL, pat, os);
  char *best = NULL;
  int best_index = 0, best_score = INT_MAX;
  for (int i = 0; set && i < set->nfont; i++) {
    FcPattern *font = set->fonts[i];
    bool match = false;
    FcChar8 *name;
    for (int k = 0; !match && FcPatternGetString(font, FC_FAMILY, k, &name) ==
                                  FcResultMatch;
         k++)
      match = strcasecmp((const char *)name, family) == 0;
    FcChar8 *file;
    int idx = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
    if (!match || FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch)
      continue;
    FcPatternGetInteger(font, FC_INDEX, 0, &idx);
    if (idx < 0 || (idx >> 16) != 0)
      continue; /* a named instance of a variable font */
    FcPatternGetInteger(font, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(font, FC_SLANT, 0, &slant);
    int score =
        abs(weight - FC_WEIGHT_REGULAR) + (slant != FC_SLANT_ROMAN ? 10000 : 0);
    int order = best ? strcmp((const char *)file, best) : -1;
    if (score < best_score ||
        (score == best_score &&
         (order < 0 || (order == 0 && idx < best_index)))) {
      free(best);
      best = jx_xstrdup((const char *)file);
      best_index = idx;
      best_score = score;
    }
  }
  if (set)
    FcFontSetDestroy(set);
  FcObjectSetDestroy(os);
  FcPatternDestroy(pat);
  *index = best_index;
  return best;
}

/* Returns the number of faces in the file, or 0 if FreeType cannot tell. */
static long count_faces(FT_Library lib, const char *path) {
  FT_Face probe;
  if (FT_New_Face(lib, path, -1, &probe) != 0)
    return 0;
  long n = probe->num_faces;
  FT_Done_Face(probe);
  return n;
}

/* True if the face has a non-empty SFNT table `tag`. */
static bool has_table(FT_Face face, FT_ULong tag) {
  FT_ULong len = 0;
  return FT_Load_Sfnt_Table(face, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Records the error for a face libharu cannot embed. */
static void report_no_outlines(jx_diag_list *diags, jx_pos pos,
                               const char *spec, const char *file) {
  jx_error(diags, pos,
           "font '%s': '%s' has no TrueType outlines (no 'glyf'/'loca' "
           "table; CFF/OpenType-CFF fonts cannot be embedded by the PDF "
           "writer): name a TrueType (.ttf/.ttc) font in the template, "
           "e.g. AR PL UMing CN from the Debian package fonts-arphic-uming",
           spec, file);
}

/* Opens face `index` of `path` (already resolved from `spec`) and appends
 * it to the table.  Returns its index, or -1 after recording an error. */
static int open_face(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                     const char *spec, const char *path, int index) {
  char *real = realpath(path, NULL);
  const char *file = real ? real : path;
  for (size_t i = 0; i < fonts->count; i++) {
    if (fonts->faces[i].index == index &&
        strcmp(fonts->faces[i].path, file) == 0) {
      free(real);
      return (int)i;
    }
  }
  /* A font file named by a template is untrusted: only a regular file of
   * sane size is opened (FreeType would wait on a FIFO for ever). */
  struct stat st;
  if (stat(file, &st) == 0 &&
      (!S_ISREG(st.st_mode) || st.st_size > (off_t)256 * 1024 * 1024)) {
    jx_error(diags, pos,
             "font '%s': '%s' is not a font file (not a regular file, or "
             "larger than 256 MiB)",
             spec, file);
    free(real);
    return -1;
  }
  FT_Face ft = NULL;
  FT_Error err = FT_New_Face(fonts->ft, file, index, &ft);
  if (err) {
    long n = index > 0 ? count_faces(fonts->ft, file) : 0;
    if (n > 0 && index >= n)
      jx_error(diags, pos,
               "font '%s': face index %d is out of range ('%s' has %ld "
               "face%s, numbered from 0)",
               spec, index, file, n, n == 1 ? "" : "s");
    else if (err == FT_Err_Locations_Missing || err == FT_Err_Table_Missing)
      report_no_outlines(diags, pos, spec, file);
    else if (err == FT_Err_Cannot_Open_Resource)
      jx_error(diags, pos,
               "font '%s': cannot open the file '%s': %s (correct the path "
               "in the template, or install the font there)",
               spec, file,
               access(file, R_OK) != 0 ? strerror(errno) : _("read error"));
    else
      jx_error(diags, pos,
               "font '%s': '%s' is not a font file FreeType can read "
               "(FreeType error 0x%02X): the file is damaged or not a font; "
               "reinstall it or name another font in the template",
               spec, file, (unsigned)err);
    free(real);
    return -1;
  }
  if (!FT_IS_SFNT(ft) || !has_table(ft, TTAG_glyf) ||
      !has_table(ft, TTAG_loca)) {
    report_no_outlines(diags, pos, spec, file);
    FT_Done_Face(ft);
    free(real);
    return -1;
  }
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  hb_face_t *hface = blob ? hb_face_create(blob, (unsigned)index) : NULL;
  hb_blob_destroy(blob);
  if (!hface || hb_face_get_glyph_count(hface) == 0) {
    jx_error(diags, pos,
             "font '%s': HarfBuzz cannot read '%s': the file is damaged; "
             "reinstall it or name another font in the template",
             spec, file);
    hb_face_destroy(hface);
    FT_Done_Face(ft);
    free(real);
    return -1;
  }
  hb_font_t *hfont = hb_font_create(hface);
  unsigned upem = hb_face_get_upem(hface);
  hb_face_destroy(hface);
  hb_font_set_scale(hfont, (int)upem, (int)upem);

  if (fonts->count == fonts->cap) {
    size_t ncap = fonts->cap ? fonts->cap * 2 : 4;
    fonts->faces = jx_xrealloc(fonts->faces, ncap * sizeof *fonts->faces);
    fonts->cap = ncap;
  }
  int16_t *cache = jx_xmalloc(JX_BMP_SIZE * sizeof *cache);
  memset(cache, 0xFF, JX_BMP_SIZE * sizeof *cache); /* all -1: unknown */
  jx_face *f = &fonts->faces[fonts->count];
  *f = (jx_face){
      .spec = jx_xstrdup(spec),
      .path = jx_xstrdup(file),
      .index = index,
      .family = jx_xstrdup(ft->family_name ? ft->family_name : spec),
      .ft = ft,
      .hb = hfont,
      .upem = upem,
      .advance_cache = cache,
  };
  free(real);
  return (int)fonts->count++;
}

int jx_fonts_load(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                  const char *spec) {
  for (size_t i = 0; i < fonts->count; i++)
    if (strcmp(fonts->faces[i].spec, spec) == 0)
      return (int)i;
  if (spec[0] == '\0') {
    jx_error(diags, pos, "empty font name");
    return -1;
  }
  size_t path_len;
  int index;
  if (spec_as_file(spec, &path_len, &index)) {
    char *path = jx_xmalloc(path_len + 1);
    memcpy(path, spec, path_len);
    path[path_len] = '\0';
    int id = open_face(fonts, diags, pos, spec, path, index);
    free(path);
    return id;
  }
  char *path = resolve_family(spec, &index);
  if (!path) {
    jx_error(diags, pos,
             "font family '%s' is not installed (install the Debian package "
             "that provides it, e.g. fonts-arphic-uming for AR PL UMing CN, "
             "or name a font file in the template; 'fc-list :lang=zh "
             "family' lists the Chinese families installed)",
             spec);
    return -1;
  }
  int id = open_face(fonts, diags, pos, spec, path, index);
  free(path);
  return id;
}

/* Fills and returns the advance cache entry of BMP code point `cp`:
 * its advance in font units, or JX_ADVANCE_NO_GLYPH. */
static int16_t cached_advance(jx_face *f, uint32_t cp) {
  int16_t a = f->advance_cache[cp];
  if (a != JX_ADVANCE_UNKNOWN)
    return a;
  hb_codepoint_t glyph;
  if (!hb_font_get_nominal_glyph(f->hb, cp, &glyph) || glyph == 0) {
    a = JX_ADVANCE_NO_GLYPH;
  } else {
    hb_position_t adv = hb_font_get_glyph_h_advance(f->hb, glyph);
    a = (int16_t)(adv < 0 ? 0 : adv > INT16_MAX ? INT16_MAX : adv);
  }
  f->advance_cache[cp] = a;
  return a;
}

bool jx_face_has_char(const jx_fonts *fonts, uint16_t face, uint32_t cp) {
  if (face >= fonts->count)
    return false;
  jx_face *f = &fonts->faces[face];
  if (cp < JX_BMP_SIZE)
    return cached_advance(f, cp) != JX_ADVANCE_NO_GLYPH;
  hb_codepoint_t glyph;
  return hb_font_get_nominal_glyph(f->hb, cp, &glyph) && glyph != 0;
}

int jx_face_advance(jx_fonts *fonts, uint16_t face, uint32_t cp) {
  if (face >= fonts->count)
    return 0;
  jx_face *f = &fonts->faces[face];
  if (cp < JX_BMP_SIZE) {
    int16_t a = cached_advance(f, cp);
    return a == JX_ADVANCE_NO_GLYPH ? 0 : a;
  }
  hb_codepoint_t glyph;
  if (!hb_font_get_nominal_glyph(f->hb, cp, &glyph) || glyph == 0)
    return 0;
  return hb_font_get_glyph_h_advance(f->hb, glyph);
}
