/*
 * fonts.h — the session's face table.
 *
 * Each face named by a template (a family name resolved through
 * fontconfig, or a file path, "file.ttc#N" for face N of a collection) is
 * loaded once per session with FreeType and HarfBuzz.  Layout measures
 * and shapes with these faces; render embeds the same files, so what is
 * measured is what is drawn.  Faces are referred to by their index.
 */
#ifndef JX_FONTS_H
#define JX_FONTS_H

#include "diag.h"
#include <stdbool.h>
#include <stdint.h>

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
  int16_t *advance_cache; /* per BMP code point, font units; -1 unknown,
                             -2 no glyph */
} jx_face;

typedef struct jx_fonts {
  FT_Library ft;
  jx_face *faces;
  size_t count, cap;
  /* Working memory text.c reuses from call to call (so measuring does
   * not allocate per paragraph); freed by jx_fonts_free.  A jx_fonts is
   * therefore used by one thread at a time. */
  void *scratch;
  size_t scratch_size;
  hb_buffer_t *hb_buffer;
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

/* True if face `face` has a glyph for code point `cp`. */
bool jx_face_has_char(const jx_fonts *fonts, uint16_t face, uint32_t cp);
/* Horizontal advance of `cp` in face `face`, in font units (0 if absent). */
int jx_face_advance(jx_fonts *fonts, uint16_t face, uint32_t cp);

#endif
