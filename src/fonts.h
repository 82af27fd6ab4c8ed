/*
 * fonts.h — the session's face table.
 *
 * Each face named by a template (a family name resolved through
 * fontconfig, or a file path, "file.ttc#N" for face N of a collection) is
 * loaded once per session with FreeType and HarfBuzz.  Layout measures
 * and shapes with these faces; render embeds the same files, so what is
 * measured is what is drawn.  Faces are referred to by their index.
 *
 * The face table is read-only once its faces are loaded: what measuring
 * learns of a face (advances, shaping classes) and the memory it reuses
 * live in a measuring context (jx_measure), one per thread.
 */
#ifndef JX_FONTS_H
#define JX_FONTS_H

#include "diag.h"
#include <stdbool.h>
#include <stdint.h>

/* The language text is shaped in (text.c), and fonts.c reads the face's
 * rules for. */
#define JX_SHAPE_LANGUAGE "zh"

typedef struct FT_LibraryRec_ *FT_Library;
typedef struct FT_FaceRec_ *FT_Face;
typedef struct hb_font_t hb_font_t;
typedef struct hb_buffer_t hb_buffer_t;

typedef struct jx_face {
  char *spec;   /* as written in the template */
  char *path;   /* resolved file */
  int index;    /* face index within the file */
  char *family; /* family name the file reports */
  FT_Face ft;
  hb_font_t *hb; /* unscaled: font units (upem) */
  unsigned upem;
} jx_face;

typedef struct jx_fonts {
  FT_Library ft;
  jx_face *faces;
  size_t count, cap;
} jx_fonts;

/* Initialises FreeType; returns false if it cannot. */
bool jx_fonts_init(jx_fonts *fonts);
/* Frees every face and FreeType. */
void jx_fonts_free(jx_fonts *fonts);

/* Resolves and loads `spec` once (later calls with the same spec return the
 * same index).  A family name must match a family fontconfig knows exactly
 * (no silent substitution).  Returns the face index, or -1 after recording
 * an error at `pos` that names the font and what to install or change. */
int jx_fonts_load(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                  const char *spec);
/* jx_fonts_load, told where family `spec` usually is (`usual_file`,
 * "path[#N]", or NULL): when that file is there and one of its family
 * names is `spec`, it is taken without asking fontconfig; otherwise the
 * family is resolved as jx_fonts_load resolves it. */
int jx_fonts_load_usual(jx_fonts *fonts, jx_diag_list *diags, jx_pos pos,
                        const char *spec, const char *usual_file);
/* Loads into `fonts` the face `like` of another table (same spec, file
 * and face index, nothing resolved again), once.  Returns its index, or
 * -1 after recording an error. */
int jx_fonts_load_like(jx_fonts *fonts, jx_diag_list *diags,
                       const jx_face *like);

/* True if face `face` has a glyph for code point `cp` (asks HarfBuzz
 * every time; measuring uses jx_measure_has_char). */
bool jx_face_has_char(const jx_fonts *fonts, uint16_t face, uint32_t cp);
/* Horizontal advance of `cp` in face `face`, in font units (0 if absent;
 * asks HarfBuzz every time; measuring uses jx_measure_advance). */
int jx_face_advance(const jx_fonts *fonts, uint16_t face, uint32_t cp);

/* What a measuring context has learnt of one face, filled as it goes. */
typedef struct jx_face_memo {
  int16_t *advance;     /* per BMP code point, the complement (~) of its
                           advance in font units, -1 unknown (stored as 0),
                           -2 no glyph; NULL until first needed */
  uint8_t *shape_class; /* per BMP code point, its JX_SHAPE_* class (0:
                           not yet known); NULL until first needed */
  /* the glyphs a GSUB/GPOS rule HarfBuzz applies could start at (NULL
   * until the first jx_measure_shape_class) */
  struct jx_face_rules *rules;
} jx_face_memo;

/* A measuring context: what measuring and shaping (text.c) reuse from
 * call to call over a face table they only read.  One per thread (a
 * packet's worker, the session's own): it is not shared.  Everything in
 * it is freed by jx_measure_free. */
typedef struct jx_measure {
  const jx_fonts *fonts;
  jx_face_memo *memo; /* per face of `fonts`, grown as faces are added */
  size_t memo_count;
  /* text.c's working memory (so measuring does not allocate per
   * paragraph) and its HarfBuzz buffer */
  void *scratch;
  size_t scratch_size;
  hb_buffer_t *hb_buffer;
  /* text.c's cache of strings already broken into lines, freed with
   * text_cache_free */
  void *text_cache;
  void (*text_cache_free)(void *cache);
  /* Tests: shape every segment with HarfBuzz, never with the plain
   * advances, and break every string afresh, never from the cache
   * (text.c); how many segments took each way. */
  bool always_shape;
  bool no_text_cache;
  unsigned long shaped_segments, plain_segments;
} jx_measure;

/* Starts a measuring context over `fonts` (which may gain faces later,
 * never lose or change one).  Allocates nothing yet. */
void jx_measure_init(jx_measure *ms, const jx_fonts *fonts);
/* Frees what the context holds (not the face table). */
void jx_measure_free(jx_measure *ms);

/* jx_face_has_char and jx_face_advance, remembered per BMP code point in
 * the context: inline when remembered, else the *_lookup functions (which
 * fill the memo). */
bool jx_measure_has_char_lookup(jx_measure *ms, uint16_t face, uint32_t cp);
int jx_measure_advance_lookup(jx_measure *ms, uint16_t face, uint32_t cp);

/* The remembered advance of `cp` in face `face`: font units, -2 when the
 * face has no glyph for it, -1 when not known yet. */
static inline int jx_measure_memo(const jx_measure *ms, uint16_t face,
                                  uint32_t cp) {
  if (cp < 0x10000 && face < ms->memo_count && ms->memo[face].advance)
    return (int16_t)~ms->memo[face].advance[cp];
  return -1;
}

static inline bool jx_measure_has_char(jx_measure *ms, uint16_t face,
                                       uint32_t cp) {
  int a = jx_measure_memo(ms, face, cp);
  return a == -1 ? jx_measure_has_char_lookup(ms, face, cp) : a != -2;
}

static inline int jx_measure_advance(jx_measure *ms, uint16_t face,
                                     uint32_t cp) {
  int a = jx_measure_memo(ms, face, cp);
  return a == -1 ? jx_measure_advance_lookup(ms, face, cp) : a == -2 ? 0 : a;
}

/* How HarfBuzz treats a character in a face (jx_measure_shape_class).  A
 * run of characters of one face that are all PLAIN shapes, with the
 * template's direction, script and language, to their nominal glyphs
 * (cmap) at their plain advances (jx_measure_advance), one glyph per
 * character in order -- unless it holds both a LIG_FIRST and a LIG_NEXT
 * character, for a ligature might then form.  A run holding a NEEDED
 * character must be shaped. */
enum {
  JX_SHAPE_PLAIN = 1,
  /* plain, but the first component of a ligature the face's rules make */
  JX_SHAPE_LIG_FIRST = 2,
  /* plain, but the second component of such a ligature */
  JX_SHAPE_LIG_NEXT = 4,
  /* HarfBuzz may do more than map and advance: a mark, a default
   * ignorable, a space or character without a glyph, one with a
   * canonical decomposition, a script with its own shaper, the glyph a
   * substitution or positioning rule starts at, a face with AAT or
   * 'kern' tables, ... */
  JX_SHAPE_NEEDED = 8,
};

/* The JX_SHAPE_* class of `cp` in face `face`.  The face's rules are read
 * once per context (at the first call for the face) and each BMP code
 * point's class is remembered in the context (read inline; the lookup,
 * out of line, fills it). */
unsigned jx_measure_shape_class_lookup(jx_measure *ms, uint16_t face,
                                       uint32_t cp);
static inline unsigned jx_measure_shape_class(jx_measure *ms, uint16_t face,
                                              uint32_t cp) {
  if (cp < 0x10000 && face < ms->memo_count && ms->memo[face].shape_class &&
      ms->memo[face].shape_class[cp])
    return ms->memo[face].shape_class[cp];
  return jx_measure_shape_class_lookup(ms, face, cp);
}

#endif
