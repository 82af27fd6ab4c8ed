/*
 * fonts.c — the session's face table (see fonts.h).
 *
 * A template names a font either by file ("path/x.ttf", "x.ttc#2") or by
 * family ("AR PL UMing CN").  Families are resolved with fontconfig (in
 * the standard font folders first, see resolve_family) and must match one
 * of the face's family names exactly (ignoring ASCII case):
 * fontconfig's usual best-match substitution would silently change every
 * measurement, so an unknown family is an error instead.
 *
 * Each face is opened twice over one mapping of its file (HarfBuzz's
 * file blob): with FreeType (to check it is a TrueType-outline face
 * libharu can embed, and for whoever needs an FT_Face) and with HarfBuzz
 * (shaping and advances, in unscaled font units).  Everything a face owns is
 * malloc'ed here and released by jx_fonts_free.
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
#include <hb-ot.h>
#include <hb.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define JX_ADVANCE_UNKNOWN (-1) /* as jx_measure_memo (fonts.h) says */
#define JX_ADVANCE_NO_GLYPH (-2)
#define JX_BMP_SIZE 0x10000

static void rules_free(struct jx_face_rules *r);

/* Closes a face open_face opened, then releases the file mapping it was
 * read from (the HarfBuzz blob in ft->generic.data, if any). */
static void done_face(FT_Face ft) {
  hb_blob_t *blob = ft->generic.data;
  FT_Done_Face(ft);
  hb_blob_destroy(blob);
}

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
    if (f->hb)
      hb_font_destroy(f->hb);
    if (f->ft)
      done_face(f->ft);
  }
  free(fonts->faces);
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

/* The standard font folders of fontconfig's own default configuration
 * (Debian's /etc/fonts/fonts.conf), with their caches.  Reading these
 * caches takes about 2 ms; reading the whole configuration (some fifty
 * XML files under /etc/fonts) about 8 ms, a fifth of a one-form render. */
static const char quick_config_xml[] =
    "<fontconfig>"
    "<dir>/usr/share/fonts</dir>"
    "<dir>/usr/local/share/fonts</dir>"
    "<dir prefix=\"xdg\">fonts</dir>"
    "<dir>~/.fonts</dir>"
    "<cachedir>/var/cache/fontconfig</cachedir>"
    "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
    "<cachedir>~/.fontconfig</cachedir>"
    "</fontconfig>";

static FcConfig *quick_config;
static pthread_once_t quick_config_once = PTHREAD_ONCE_INIT;

/* Builds quick_config (NULL when it cannot be built, or when the
 * environment names a configuration of its own, which is then read
 * whole).  Kept for the life of the process, as FcInit's is. */
static void make_quick_config(void) {
  if (getenv("FONTCONFIG_FILE") || getenv("FONTCONFIG_PATH") ||
      getenv("FONTCONFIG_SYSROOT"))
    return;
  FcConfig *config = FcConfigCreate();
  if (!config)
    return;
  if (!FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)quick_config_xml,
                                      FcFalse) ||
      !FcConfigBuildFonts(config)) {
    FcConfigDestroy(config);
    return;
  }
  quick_config = config;
}

/* Picks, among the faces of `config` (NULL: fontconfig's whole
 * configuration) one of whose family names equals `family` (ASCII case
 * ignored), the most regular one (upright, weight nearest to regular),
 * then the smallest path and index, so the choice does not depend on
 * fontconfig's list order.  Returns a malloc'ed path (caller frees) and
 * sets *index, or NULL. */
static char *find_family(FcConfig *config, const char *family, int *index) {
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
  FcFontSet *set = FcFontList(config, pat, os);
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

/* Resolves `family` with fontconfig: in the standard font folders first
 * (quick_config), then, only for a family not found there, in every
 * folder fontconfig's configuration names.  Returns find_family's
 * result. */
static char *resolve_family(const char *family, int *index) {
  pthread_once(&quick_config_once, make_quick_config);
  char *path = quick_config ? find_family(quick_config, family, index) : NULL;
  if (path || !FcInit())
    return path;
  return find_family(NULL, family, index);
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

/* True if one of the family names of `face` (name IDs 1 and 16, in any
 * language) equals `family`, ASCII case ignored, as fontconfig's are
 * matched in find_family. */
static bool face_has_family(hb_face_t *face, const char *family) {
  unsigned count = 0;
  const hb_ot_name_entry_t *names = hb_ot_name_list_names(face, &count);
  char name[256];
  for (unsigned i = 0; i < count; i++) {
    if (names[i].name_id != HB_OT_NAME_ID_FONT_FAMILY &&
        names[i].name_id != HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY)
      continue;
    unsigned len = sizeof name;
    hb_ot_name_get_utf8(face, names[i].name_id, names[i].language, &len, name);
    if (strcasecmp(name, family) == 0)
      return true;
  }
  return false;
}

/* Opens face `index` of `path` (already resolved from `spec`) and appends
 * it to the table.  Returns its index, or -1 after recording an error.
 * With `want_family` (not NULL), a face that does not have that family
 * (face_has_family) is not added: -2, and no error. */
static int open_face(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                     const char *spec, const char *path, int index,
                     const char *want_family) {
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
  /* One mapping of the file for both libraries: FreeType reads the face
   * from HarfBuzz's blob (kept alive by ft->generic.data, released by
   * jx_fonts_free after FT_Done_Face), so the pages both read fault in
   * once and the file is mapped and unmapped once.  A file HarfBuzz
   * cannot map is opened by FreeType itself, for its diagnostics. */
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  unsigned blob_len = 0;
  const char *data = blob ? hb_blob_get_data(blob, &blob_len) : NULL;
  FT_Face ft = NULL;
  FT_Error err = data && blob_len
                     ? FT_New_Memory_Face(fonts->ft, (const FT_Byte *)data,
                                          (FT_Long)blob_len, index, &ft)
                     : FT_New_Face(fonts->ft, file, index, &ft);
  if (err) {
    hb_blob_destroy(blob);
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
  ft->generic.data = blob; /* NULL when FreeType opened the file */
  ft->generic.finalizer = NULL;
  if (!FT_IS_SFNT(ft) || !has_table(ft, TTAG_glyf) ||
      !has_table(ft, TTAG_loca)) {
    report_no_outlines(diags, pos, spec, file);
    done_face(ft);
    free(real);
    return -1;
  }
  hb_face_t *hface = blob ? hb_face_create(blob, (unsigned)index) : NULL;
  if (!hface || hb_face_get_glyph_count(hface) == 0) {
    jx_error(diags, pos,
             "font '%s': HarfBuzz cannot read '%s': the file is damaged; "
             "reinstall it or name another font in the template",
             spec, file);
    hb_face_destroy(hface);
    done_face(ft);
    free(real);
    return -1;
  }
  if (want_family && !face_has_family(hface, want_family)) {
    hb_face_destroy(hface);
    done_face(ft);
    free(real);
    return -2;
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
  jx_face *f = &fonts->faces[fonts->count];
  *f = (jx_face){
      .spec = jx_xstrdup(spec),
      .path = jx_xstrdup(file),
      .index = index,
      .family = jx_xstrdup(ft->family_name ? ft->family_name : spec),
      .ft = ft,
      .hb = hfont,
      .upem = upem,
  };
  free(real);
  return (int)fonts->count++;
}

int jx_fonts_load(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                  const char *spec) {
  return jx_fonts_load_usual(fonts, diags, pos, spec, NULL);
}

/* A copy of the path part of file spec "path[#N]" (caller frees); sets
 * *index.  NULL if `spec` does not name a file (spec_as_file). */
static char *file_of(const char *spec, int *index) {
  size_t path_len;
  if (!spec_as_file(spec, &path_len, index))
    return NULL;
  char *path = jx_xmalloc(path_len + 1);
  memcpy(path, spec, path_len);
  path[path_len] = '\0';
  return path;
}

int jx_fonts_load_usual(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                        const char *spec, const char *usual_file) {
  for (size_t i = 0; i < fonts->count; i++)
    if (strcmp(fonts->faces[i].spec, spec) == 0)
      return (int)i;
  if (spec[0] == '\0') {
    jx_error(diags, pos, "empty font name");
    return -1;
  }
  int index;
  char *path = file_of(spec, &index);
  if (path) {
    int id = open_face(fonts, diags, pos, spec, path, index, NULL);
    free(path);
    return id;
  }
  /* The family's usual file, if it is there and has the family: no need
   * to ask fontconfig (about 2 ms).  Anything else about it is no error:
   * fontconfig is asked. */
  path = usual_file ? file_of(usual_file, &index) : NULL;
  if (path && access(path, R_OK) == 0) {
    jx_diag_list ignored = {0};
    int id = open_face(fonts, &ignored, pos, spec, path, index, spec);
    jx_diag_list_free(&ignored);
    if (id >= 0) {
      free(path);
      return id;
    }
  }
  free(path);
  path = resolve_family(spec, &index);
  if (!path) {
    jx_error(diags, pos,
             "font family '%s' is not installed (install the Debian package "
             "that provides it, e.g. fonts-arphic-uming for AR PL UMing CN, "
             "or name a font file in the template; 'fc-list :lang=zh "
             "family' lists the Chinese families installed)",
             spec);
    return -1;
  }
  int id = open_face(fonts, diags, pos, spec, path, index, NULL);
  free(path);
  return id;
}

int jx_fonts_load_like(jx_fonts *fonts, jx_diag_list *diags,
                       const jx_face *like) {
  for (size_t i = 0; i < fonts->count; i++)
    if (strcmp(fonts->faces[i].spec, like->spec) == 0)
      return (int)i;
  jx_pos pos = {NULL, 0, 0};
  return open_face(fonts, diags, pos, like->spec, like->path, like->index,
                   NULL);
}

/* The advance of `cp` in face `f`, font units, or JX_ADVANCE_NO_GLYPH. */
static int16_t face_advance(const jx_face *f, uint32_t cp) {
  hb_codepoint_t glyph;
  if (!hb_font_get_nominal_glyph(f->hb, cp, &glyph) || glyph == 0)
    return JX_ADVANCE_NO_GLYPH;
  hb_position_t adv = hb_font_get_glyph_h_advance(f->hb, glyph);
  return (int16_t)(adv < 0 ? 0 : adv > INT16_MAX ? INT16_MAX : adv);
}

bool jx_face_has_char(const jx_fonts *fonts, uint16_t face, uint32_t cp) {
  if (face >= fonts->count)
    return false;
  hb_codepoint_t glyph;
  return hb_font_get_nominal_glyph(fonts->faces[face].hb, cp, &glyph) &&
         glyph != 0;
}

int jx_face_advance(const jx_fonts *fonts, uint16_t face, uint32_t cp) {
  if (face >= fonts->count)
    return 0;
  const jx_face *f = &fonts->faces[face];
  if (cp < JX_BMP_SIZE) {
    int16_t a = face_advance(f, cp);
    return a == JX_ADVANCE_NO_GLYPH ? 0 : a;
  }
  hb_codepoint_t glyph;
  if (!hb_font_get_nominal_glyph(f->hb, cp, &glyph) || glyph == 0)
    return 0;
  return hb_font_get_glyph_h_advance(f->hb, glyph);
}

/* ---- the measuring context --------------------------------------------- */

void jx_measure_init(jx_measure *ms, const jx_fonts *fonts) {
  *ms = (jx_measure){.fonts = fonts};
}

void jx_measure_free(jx_measure *ms) {
  for (size_t i = 0; i < ms->memo_count; i++) {
    free(ms->memo[i].advance);
    free(ms->memo[i].shape_class);
    rules_free(ms->memo[i].rules);
  }
  free(ms->memo);
  free(ms->scratch);
  if (ms->text_cache && ms->text_cache_free)
    ms->text_cache_free(ms->text_cache);
  if (ms->hb_buffer)
    hb_buffer_destroy(ms->hb_buffer);
  *ms = (jx_measure){0};
}

/* The memo of face `face` (< ms->fonts->count), the table grown to the
 * faces loaded since. */
static jx_face_memo *memo_of(jx_measure *ms, uint16_t face) {
  if (face >= ms->memo_count) {
    size_t n = ms->fonts->count;
    ms->memo = jx_xrealloc(ms->memo, n * sizeof *ms->memo);
    memset(ms->memo + ms->memo_count, 0,
           (n - ms->memo_count) * sizeof *ms->memo);
    ms->memo_count = n;
  }
  return &ms->memo[face];
}

/* The remembered advance of BMP code point `cp` in face `face` (filled
 * on first use): font units, or JX_ADVANCE_NO_GLYPH. */
static int16_t cached_advance(jx_measure *ms, uint16_t face, uint32_t cp) {
  jx_face_memo *m = memo_of(ms, face);
  /* all 0, i.e. unknown (the memo holds ~advance): calloc gives pages that
   * are zero without being written, so only those measuring touches cost */
  if (!m->advance)
    m->advance = jx_xcalloc(JX_BMP_SIZE, sizeof *m->advance);
  int16_t a = (int16_t)~m->advance[cp];
  if (a == JX_ADVANCE_UNKNOWN) {
    a = face_advance(&ms->fonts->faces[face], cp);
    m->advance[cp] = (int16_t)~a;
  }
  return a;
}

bool jx_measure_has_char_lookup(jx_measure *ms, uint16_t face, uint32_t cp) {
  if (face >= ms->fonts->count)
    return false;
  if (cp < JX_BMP_SIZE)
    return cached_advance(ms, face, cp) != JX_ADVANCE_NO_GLYPH;
  return jx_face_has_char(ms->fonts, face, cp);
}

int jx_measure_advance_lookup(jx_measure *ms, uint16_t face, uint32_t cp) {
  if (face >= ms->fonts->count)
    return 0;
  if (cp < JX_BMP_SIZE) {
    int16_t a = cached_advance(ms, face, cp);
    return a == JX_ADVANCE_NO_GLYPH ? 0 : a;
  }
  return jx_face_advance(ms->fonts, face, cp);
}

/* ---- which characters need shaping -------------------------------------
 *
 * HarfBuzz maps a run to its nominal glyphs at their plain advances and
 * stops there unless something else applies.  What else can: the
 * normalizer (a character with a canonical decomposition, a mark, a
 * variation selector, a character or a space the face has no glyph for),
 * default ignorables (hidden, zero width), grapheme clusters (marks and
 * the half-width kana sound marks join the previous character's cluster),
 * automatic fractions (U+2044), a script with its own shaper (Arabic,
 * Indic, Thai, Hangul, ...), GDEF's mark class (zero width), the AAT
 * tables and the legacy 'kern' table, and a GSUB or GPOS lookup of the
 * features HarfBuzz applies.  A lookup only acts at a glyph its subtables'
 * (first input) coverage lists: the glyph of a single, multiple,
 * alternate or reverse substitution, the first of a ligature or a pair,
 * the mark of a mark attachment, the first input glyph of a contextual
 * rule.  Those glyphs are read here once per face from the lookups of the
 * shape plans of the scripts kept plain (the fraction features, which
 * HarfBuzz applies only around U+2044, left out); a ligature's first
 * glyph counts only with a second component in the same run. */

struct jx_face_rules {
  bool all;            /* every character needs shaping */
  hb_set_t *start;     /* glyphs a lookup may act at */
  hb_set_t *lig_first; /* first components of ligatures (of 2+ glyphs) */
  hb_set_t *lig_next;  /* their second components */
};

static void rules_free(struct jx_face_rules *r) {
  if (!r)
    return;
  hb_set_destroy(r->start);
  hb_set_destroy(r->lig_first);
  hb_set_destroy(r->lig_next);
  free(r);
}

/* The scripts whose runs HarfBuzz shapes with its default shaper; runs of
 * other scripts are always shaped.  HB_SCRIPT_INVALID: a run of Common
 * characters only (hb_buffer_guess_segment_properties finds no script). */
static const hb_script_t jx_plain_scripts[] = {
    HB_SCRIPT_COMMON,   HB_SCRIPT_LATIN,    HB_SCRIPT_GREEK,
    HB_SCRIPT_CYRILLIC, HB_SCRIPT_HAN,      HB_SCRIPT_HIRAGANA,
    HB_SCRIPT_KATAKANA, HB_SCRIPT_BOPOMOFO, HB_SCRIPT_INVALID,
};

/* True if HarfBuzz maps `cp` to its nominal glyph and leaves it alone
 * whatever the face (given the face has a glyph for it). */
static bool unicode_plain(uint32_t cp) {
  hb_unicode_funcs_t *u = hb_unicode_funcs_get_default();
  switch (hb_unicode_general_category(u, cp)) {
  case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
  case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
  case HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED:
  case HB_UNICODE_GENERAL_CATEGORY_PRIVATE_USE:
  case HB_UNICODE_GENERAL_CATEGORY_SURROGATE:
  case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
  case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
    return false;
  case HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR:
    if (cp != 0x20 && cp != 0x3000) /* U+2000.. spaces: space fallback */
      return false;
    break;
  default:
    break;
  }
  switch (cp) {
  case 0x2011: /* non-breaking hyphen: a fallback glyph */
  case 0x2044: /* fraction slash: automatic fractions */
  case 0xFF9E: /* half-width kana sound marks: a cluster with the */
  case 0xFF9F: /* previous character */
    return false;
  default:
    break;
  }
  hb_codepoint_t a, b;
  if (hb_unicode_combining_class(u, cp) != 0 ||
      hb_unicode_decompose(u, cp, &a, &b))
    return false;
  hb_script_t script = hb_unicode_script(u, cp);
  for (size_t i = 0; i < sizeof jx_plain_scripts / sizeof *jx_plain_scripts;
       i++)
    if (script == jx_plain_scripts[i] && script != HB_SCRIPT_INVALID)
      return true;
  return false;
}

/* A GSUB or GPOS table being read; any read out of bounds or structure
 * not understood sets `bad` (the face is then always shaped). */
typedef struct jx_otl {
  const uint8_t *d;
  size_t n;
  bool gpos;
  bool bad;
} jx_otl;

static unsigned rd16(jx_otl *t, size_t off) {
  if (off > t->n || t->n - off < 2) {
    t->bad = true;
    return 0;
  }
  return (unsigned)t->d[off] << 8 | t->d[off + 1];
}

static size_t rd32(jx_otl *t, size_t off) {
  return (size_t)rd16(t, off) << 16 | rd16(t, off + 2);
}

/* Calls fn(glyph, coverage index) for every glyph of the Coverage table
 * at `off`. */
typedef void (*jx_cov_fn)(jx_otl *t, void *ctx, hb_codepoint_t glyph,
                          unsigned index);
static void coverage_each(jx_otl *t, size_t off, jx_cov_fn fn, void *ctx) {
  unsigned format = rd16(t, off), count = rd16(t, off + 2);
  for (unsigned i = 0; i < count && !t->bad; i++) {
    if (format == 1) {
      fn(t, ctx, rd16(t, off + 4 + 2 * (size_t)i), i);
    } else if (format == 2) {
      size_t rec = off + 4 + 6 * (size_t)i;
      unsigned first = rd16(t, rec), last = rd16(t, rec + 2),
               index = rd16(t, rec + 4);
      if (last < first)
        t->bad = true;
      for (unsigned g = first; g <= last && !t->bad; g++)
        fn(t, ctx, g, index + (g - first));
    } else {
      t->bad = true;
    }
  }
}

static void add_start(jx_otl *t, void *ctx, hb_codepoint_t glyph,
                      unsigned index) {
  (void)t, (void)index;
  hb_set_add(((struct jx_face_rules *)ctx)->start, glyph);
}

typedef struct jx_lig_ctx {
  struct jx_face_rules *rules;
  size_t subtable;
  unsigned sets;
} jx_lig_ctx;

/* A first glyph of a ligature substitution and the ligatures of its set:
 * one of a single component acts at the glyph alone. */
static void add_ligature_set(jx_otl *t, void *ctx, hb_codepoint_t glyph,
                             unsigned index) {
  jx_lig_ctx *c = ctx;
  if (index >= c->sets)
    return;
  size_t set_off = rd16(t, c->subtable + 6 + 2 * (size_t)index);
  if (!set_off)
    return;
  size_t set = c->subtable + set_off;
  unsigned count = rd16(t, set);
  for (unsigned i = 0; i < count && !t->bad; i++) {
    size_t lig_off = rd16(t, set + 2 + 2 * (size_t)i);
    if (!lig_off)
      continue;
    size_t lig = set + lig_off;
    unsigned components = rd16(t, lig + 2);
    if (components == 1) {
      hb_set_add(c->rules->start, glyph);
    } else if (components > 1) {
      hb_set_add(c->rules->lig_first, glyph);
      hb_set_add(c->rules->lig_next, rd16(t, lig + 4));
    }
  }
}

/* Reads a subtable of a lookup of `type` at `off`. */
static void read_subtable(jx_otl *t, struct jx_face_rules *r, unsigned type,
                          size_t off, bool in_extension) {
  unsigned format = rd16(t, off);
  unsigned extension = t->gpos ? 9 : 7;
  if (type == extension) {
    unsigned inner = rd16(t, off + 2);
    size_t to = rd32(t, off + 4);
    if (format != 1 || in_extension || inner == extension || !to)
      t->bad = true;
    else
      read_subtable(t, r, inner, off + to, true);
    return;
  }
  bool context = type == (t->gpos ? 7u : 5u);
  bool chain = type == (t->gpos ? 8u : 6u);
  size_t cov;
  if ((context || chain) && format == 3) {
    /* coverage-based: the first input coverage */
    size_t input = context ? off + 2 : off + 4 + 2 * (size_t)rd16(t, off + 2);
    if (rd16(t, input) == 0) {
      t->bad = true;
      return;
    }
    cov = rd16(t, context ? off + 6 : input + 2);
  } else {
    static const unsigned char gsub_formats[9] = {0, 2, 1, 1, 1, 2, 2, 0, 1};
    static const unsigned char gpos_formats[9] = {0, 2, 2, 1, 1, 1, 1, 2, 2};
    unsigned max = type < 9 ? (t->gpos ? gpos_formats : gsub_formats)[type] : 0;
    if (format < 1 || format > max) {
      t->bad = true;
      return;
    }
    cov = rd16(t, off + 2); /* the coverage (a mark attachment's marks') */
  }
  if (!cov || t->bad)
    return; /* a null coverage covers nothing */
  if (!t->gpos && type == 4) {
    jx_lig_ctx c = {r, off, rd16(t, off + 4)};
    coverage_each(t, off + cov, add_ligature_set, &c);
  } else {
    coverage_each(t, off + cov, add_start, r);
  }
}

/* Reads lookup `index` of the table. */
static void read_lookup(jx_otl *t, struct jx_face_rules *r, unsigned index) {
  size_t list = rd16(t, 8);
  if (!list || index >= rd16(t, list))
    return;
  size_t lookup = list + rd16(t, list + 2 + 2 * (size_t)index);
  unsigned type = rd16(t, lookup), count = rd16(t, lookup + 4);
  for (unsigned i = 0; i < count && !t->bad; i++) {
    size_t sub = rd16(t, lookup + 6 + 2 * (size_t)i);
    if (sub)
      read_subtable(t, r, type, lookup + sub, false);
  }
}

/* True if the face has a non-empty table `tag` (HarfBuzz's view). */
static bool hb_has_table(hb_face_t *face, hb_tag_t tag) {
  hb_blob_t *b = hb_face_reference_table(face, tag);
  bool has = hb_blob_get_length(b) > 0;
  hb_blob_destroy(b);
  return has;
}

/* Reads the rules of face `f` (see above). */
static struct jx_face_rules *read_rules(const jx_face *f) {
  struct jx_face_rules *r = jx_xcalloc(1, sizeof *r);
  r->start = hb_set_create();
  r->lig_first = hb_set_create();
  r->lig_next = hb_set_create();
  hb_face_t *face = hb_font_get_face(f->hb);
  /* tables whose effect is not modelled here: AAT substitution,
   * positioning and tracking, legacy kerning, variations */
  static const hb_tag_t whole[] = {
      HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
      HB_TAG('k', 'e', 'r', 'x'), HB_TAG('k', 'e', 'r', 'n'),
      HB_TAG('t', 'r', 'a', 'k'), HB_TAG('f', 'v', 'a', 'r'),
  };
  for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
    if (hb_has_table(face, whole[i]))
      r->all = true;
  if (r->all)
    return r;
  /* the fractions off: HarfBuzz applies them only next to U+2044 */
  static const hb_feature_t no_fractions[] = {
      {HB_TAG('f', 'r', 'a', 'c'), 0, HB_FEATURE_GLOBAL_START,
       HB_FEATURE_GLOBAL_END},
      {HB_TAG('n', 'u', 'm', 'r'), 0, HB_FEATURE_GLOBAL_START,
       HB_FEATURE_GLOBAL_END},
      {HB_TAG('d', 'n', 'o', 'm'), 0, HB_FEATURE_GLOBAL_START,
       HB_FEATURE_GLOBAL_END},
  };
  static const hb_tag_t tables[2] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
  for (int k = 0; k < 2 && !r->all; k++) {
    hb_set_t *lookups = hb_set_create();
    for (size_t i = 0; i < sizeof jx_plain_scripts / sizeof *jx_plain_scripts;
         i++) {
      hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
      props.direction = HB_DIRECTION_LTR;
      props.script = jx_plain_scripts[i];
      props.language = hb_language_from_string(JX_SHAPE_LANGUAGE, -1);
      hb_shape_plan_t *plan = hb_shape_plan_create_cached(
          face, &props, no_fractions,
          sizeof no_fractions / sizeof *no_fractions, NULL);
      hb_ot_shape_plan_collect_lookups(plan, tables[k], lookups);
      hb_shape_plan_destroy(plan);
    }
    if (!hb_set_is_empty(lookups)) {
      hb_blob_t *blob = hb_face_reference_table(face, tables[k]);
      unsigned len = 0;
      const char *data = hb_blob_get_data(blob, &len);
      jx_otl t = {(const uint8_t *)data, len, k == 1, false};
      if (rd16(&t, 0) != 1)
        t.bad = true;
      for (hb_codepoint_t l = HB_SET_VALUE_INVALID;
           !t.bad && hb_set_next(lookups, &l);)
        read_lookup(&t, r, l);
      r->all = t.bad || !hb_set_allocation_successful(r->start) ||
               !hb_set_allocation_successful(r->lig_first) ||
               !hb_set_allocation_successful(r->lig_next);
      hb_blob_destroy(blob);
    }
    hb_set_destroy(lookups);
  }
  return r;
}

/* The JX_SHAPE_* class of BMP code point `cp` in face `face`, whose
 * rules `r` are. */
static unsigned classify(jx_measure *ms, uint16_t face,
                         const struct jx_face_rules *r, uint32_t cp) {
  const jx_face *f = &ms->fonts->faces[face];
  if (r->all || !unicode_plain(cp))
    return JX_SHAPE_NEEDED;
  int16_t adv = cached_advance(ms, face, cp);
  hb_codepoint_t glyph;
  if (adv == JX_ADVANCE_NO_GLYPH || adv == INT16_MAX ||
      !hb_font_get_nominal_glyph(f->hb, cp, &glyph) || glyph == 0)
    return JX_SHAPE_NEEDED;
  if (hb_ot_layout_get_glyph_class(hb_font_get_face(f->hb), glyph) ==
          HB_OT_LAYOUT_GLYPH_CLASS_MARK ||
      hb_set_has(r->start, glyph))
    return JX_SHAPE_NEEDED;
  unsigned c = JX_SHAPE_PLAIN;
  if (hb_set_has(r->lig_first, glyph))
    c |= JX_SHAPE_LIG_FIRST;
  if (hb_set_has(r->lig_next, glyph))
    c |= JX_SHAPE_LIG_NEXT;
  return c;
}

unsigned jx_measure_shape_class_lookup(jx_measure *ms, uint16_t face,
                                       uint32_t cp) {
  if (face >= ms->fonts->count || cp >= JX_BMP_SIZE)
    return JX_SHAPE_NEEDED;
  jx_face_memo *m = memo_of(ms, face);
  if (!m->shape_class)
    m->shape_class = jx_xcalloc(JX_BMP_SIZE, 1);
  unsigned c = m->shape_class[cp];
  if (c)
    return c;
  if (!m->rules)
    m->rules = read_rules(&ms->fonts->faces[face]);
  c = classify(ms, face, m->rules, cp);
  m->shape_class[cp] = (uint8_t)c;
  return c;
}
