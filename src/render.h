/*
 * render.h — display list → PDF through libharu.
 *
 * The only module that includes hpdf.h.  Each face used is subset with
 * hb-subset to the characters drawn, embedded as a CID TrueType font
 * (Identity-H), and given a correct ToUnicode CMap.  Output is written to
 * a temporary file beside out_path and renamed into place when complete.
 */
#ifndef JX_RENDER_H
#define JX_RENDER_H

#include "diag.h"
#include "display.h"
#include "fonts.h"
#include <stdbool.h>

typedef struct jx_render_info {
  const char *title;   /* document title */
  const char *subject; /* document subject */
  const char *author;  /* document author */
} jx_render_info;

/* Writes `layout` to `out_path`.  Returns true on success; on failure
 * records an error (naming the path) and leaves no file at out_path (an
 * existing file there is left untouched). */
bool jx_render(const jx_layout *layout, jx_fonts *fonts,
               const jx_render_info *info, jx_diag_list *diags,
               const char *out_path);

#endif
