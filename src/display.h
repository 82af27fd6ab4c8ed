/*
 * display.h — the display list: what layout hands to render.
 *
 * Pages of rules, filled boxes and positioned glyph runs, in points, with
 * the origin at the page's top-left corner and y growing downwards (the
 * renderer flips it).  No libharu types.  All memory is in the layout's
 * arena.
 */
#ifndef JX_DISPLAY_H
#define JX_DISPLAY_H

#include "arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A straight line of the given width. */
typedef struct jx_drule {
  double x0, y0, x1, y1;
  double width;
} jx_drule;

/* A filled rectangle (gray 0 = black, 1 = white). */
typedef struct jx_dbox {
  double x, y, w, h;
  double gray;
} jx_dbox;

/* A run of text in one face and size, drawn left to right from (x, y),
 * y being the baseline.  `text` is UTF-8 of BMP code points that the face
 * has (layout guarantees both).  `width` is the run's advance in points,
 * as measured by HarfBuzz with the same face.  When `char_spacing` is not
 * zero it is added after every character (used for justification). */
typedef struct jx_drun {
  double x, y;
  double size;
  double width;
  double char_spacing;
  const char *text;
  uint32_t len;  /* bytes */
  uint16_t face; /* index into the session's face table (fonts.h) */
  bool bold;     /* fake bold: fill then stroke */
} jx_drun;

typedef struct jx_dpage {
  jx_drule *rules;
  size_t rule_count, rule_cap;
  jx_dbox *boxes;
  size_t box_count, box_cap;
  jx_drun *runs;
  size_t run_count, run_cap;
  int form_index; /* which project of the batch this page belongs to */
  int form_page;  /* 1-based page number within its form */
} jx_dpage;

typedef struct jx_layout {
  jx_arena *arena;
  double page_width, page_height; /* points */
  jx_dpage *pages;
  size_t page_count, page_cap;
  const char *title;   /* document metadata: the form's title */
  const char *subject; /* the project name */
} jx_layout;

/* Appends a new empty page; returns it (valid until the next add). */
jx_dpage *jx_layout_add_page(jx_layout *layout);
void jx_dpage_add_rule(jx_arena *arena, jx_dpage *page, double x0, double y0,
                       double x1, double y1, double width);
void jx_dpage_add_box(jx_arena *arena, jx_dpage *page, double x, double y,
                      double w, double h, double gray);
jx_drun *jx_dpage_add_run(jx_arena *arena, jx_dpage *page);

/* Prints the display list as stable text (two decimals, one item a line). */
void jx_layout_dump(const jx_layout *layout, FILE *out);

#endif
