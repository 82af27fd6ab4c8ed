/*
 * text.h — measuring, line breaking and shaping of cell text.
 *
 * Line breaking uses UAX #14 (libunibreak) tailored for Chinese by the
 * template's rules: a character in `no_start` never begins a line, one in
 * `no_end` never ends one, and between two CJK characters a break is
 * otherwise allowed.  Runs of Latin letters and digits (with . , between
 * digits) stay whole where they fit; a unit wider than the line is broken
 * between characters rather than overflowing.
 *
 * Widths for *breaking* are integers in 1/units_per_em of the font size
 * (the seed's measured model: CJK 100, ASCII 51); widths for *drawing* are
 * HarfBuzz advances in points.
 */
#ifndef JX_TEXT_H
#define JX_TEXT_H

#include "arena.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tailoring and measuring rules, from the template. */
typedef struct jx_break_rules {
  const char *no_start; /* UTF-8 characters that never start a line */
  const char *no_end;   /* UTF-8 characters that never end a line */
  int units_per_em;     /* measuring units per em, e.g. 100 */
  int ascii_units;      /* measured width of printable ASCII; 0 = font's */
  /* 标点挤压: a full-width closing mark (、。，and closing brackets and
   * quotes, whose ink is in the left half of the em) followed by another
   * full-width bracket, quote or such mark takes half an em */
  bool compress_punctuation;
} jx_break_rules;

/* A font role resolved: faces in fallback order. */
typedef struct jx_font_chain {
  const uint16_t *faces;
  size_t count;
  double size; /* points */
  bool bold;
} jx_font_chain;

/* One line of a broken paragraph: bytes [start, end) of the text, leading
 * and trailing break spaces excluded (leading spaces of the paragraph's
 * first line are kept: they are indentation). */
/* A piece of a line drawn in one face: bytes [start, end) of the text. */
typedef struct jx_line_seg {
  uint32_t start, end;
  double width; /* drawn width, points (HarfBuzz advances) */
  uint16_t face;
} jx_line_seg;

typedef struct jx_line {
  uint32_t start, end;
  double width; /* drawn width, points */
  /* the line cut where the face changes, as shaped when it was broken
   * (jx_text_emit_line draws these without shaping again) */
  const jx_line_seg *segs;
  uint32_t seg_count;
} jx_line;

/* Checks that every character of `text` can be drawn: it is at most
 * U+FFFF (libharu's limit) and some face of `chain` has it.  Records one
 * error per offending character at `pos` (naming the character and its
 * code point) and returns false if there was any. */
bool jx_text_check(jx_measure *ms, const jx_font_chain *chain, const char *text,
                   size_t len, jx_pos pos, jx_diag_list *diags);

/* Breaks `text` into lines no wider than `width_pt` (measured by `rules`).
 * A '\n' in the text forces a break.  Returns the number of lines (at
 * least 1 for non-empty text, 0 for empty) and sets *lines to an array in
 * `arena`. */
size_t jx_text_break(jx_measure *ms, jx_arena *arena, const char *text,
                     size_t len, const jx_font_chain *chain, double width_pt,
                     const jx_break_rules *rules, jx_line **lines);

/* jx_text_check, then jx_text_break if the check passed, in one walk
 * over the text (none for a string broken before with the same chain,
 * width and rules).  Returns false after recording the check's errors
 * (then *lines is NULL and *count 0). */
bool jx_text_check_break(jx_measure *ms, jx_arena *arena, const char *text,
                         size_t len, const jx_font_chain *chain,
                         double width_pt, const jx_break_rules *rules,
                         jx_pos pos, jx_diag_list *diags, jx_line **lines,
                         size_t *count);

/* Drawn width of text in points (HarfBuzz advances, face fallback). */
double jx_text_width(jx_measure *ms, const jx_font_chain *chain,
                     const char *text, size_t len);

/* Appends runs drawing `text` with its left end at x and baseline y:
 * consecutive characters from the same face make one run.  The text must
 * have passed jx_text_check.  Returns the drawn width in points. */
double jx_text_emit(jx_measure *ms, jx_arena *arena, jx_dpage *page,
                    const jx_font_chain *chain, const char *text, size_t len,
                    double x, double y);

/* Appends the runs of a line made by jx_text_break (its segments, shaped
 * once already) at x, baseline y.  `text` is the string that was broken.
 * Returns the drawn width in points. */
double jx_text_emit_line(jx_arena *arena, jx_dpage *page,
                         const jx_font_chain *chain, const char *text,
                         const jx_line *line, double x, double y);

#endif
