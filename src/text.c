/*
 * text.c — measuring, line breaking and shaping of cell text (see text.h).
 *
 * Every entry point first decodes the UTF-8 text into an array of
 * characters (code point, byte offset, face of the chain that draws it,
 * measuring width), kept in the measuring context's scratch buffer
 * so that a paragraph costs no allocation once the buffer has grown.
 * That one walk also gives the check's verdict and the code points
 * libunibreak reads (jx_text_check_break), and short strings broken
 * before with the same chain, width and rules are copied from a cache
 * kept in the same context (one per thread).
 *
 * Breaking follows FORM-SPEC §2:
 *   - opportunities come from UAX #14 (libunibreak, language "zh"),
 *     tailored where either neighbour is a wide (East Asian) character:
 *     there a break is allowed unless the next character is in the
 *     template's no_start set or the previous one in its no_end set;
 *   - widths for fitting are integers (rules->units_per_em per em, ASCII
 *     rules->ascii_units), so float error cannot flip a break;
 *   - lines are filled greedily; a unit wider than the line is broken
 *     between code points.
 * Drawn widths are HarfBuzz advances, shaped once per same-face segment;
 * a segment HarfBuzz would leave as the nominal glyphs (no rule of the
 * face applies to it, nothing else it does is needed: fonts.h,
 * JX_SHAPE_*) takes the same plain advances without calling it.
 */
#include "text.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

#include <hb.h>
#include <linebreak.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

/* One decoded character of the text being processed. */
typedef struct jx_tchar {
  uint32_t off;   /* byte offset in the text */
  uint32_t cp;    /* code point; JX_UTF8_BAD for an invalid byte */
  int32_t units;  /* width for fitting, in rules->units_per_em */
  double advance; /* drawn advance, points (filled by shape_advances) */
  uint16_t face;  /* index into the session's face table */
  uint8_t flags;  /* JX_TC_* */
} jx_tchar;

enum {
  JX_TC_BREAK = 1,   /* a line may break before this character */
  JX_TC_MUST = 2,    /* a line must break before this character */
  JX_TC_SPACE = 4,   /* break space: dropped at a break */
  JX_TC_NEWLINE = 8, /* mandatory-break character itself (LF, CR, ...) */
  JX_TC_HALF = 16,   /* compressed to half its width (标点挤压) */
  JX_TC_WIDE = 32,   /* is_wide */
};

/* ------------------------------------------------------------------ */
/* UTF-8 and character classes                                          */

/* A template character set (no_start, no_end) decoded once per call. */
typedef struct jx_cpset {
  uint32_t cps[64];
  size_t count;
  const char *overflow; /* the UTF-8 set, if it has more than 64 */
  /* bit (cp & 63) of `low` and bit ((cp >> 6) & 63) of `high` are set for
   * each member: a code point missing either is not in the set */
  uint64_t low, high;
} jx_cpset;

/* Decodes the UTF-8 characters of `set` (NULL = empty). */
static void cpset_init(jx_cpset *set, const char *utf8) {
  set->count = 0;
  set->overflow = NULL;
  set->low = set->high = 0;
  size_t n = utf8 ? strlen(utf8) : 0, i = 0;
  while (i < n) {
    if (set->count == sizeof set->cps / sizeof set->cps[0]) {
      set->overflow = utf8;
      set->low = set->high = ~(uint64_t)0;
      return;
    }
    uint32_t cp = jx_utf8_next((const unsigned char *)utf8, n, &i);
    set->cps[set->count++] = cp;
    set->low |= (uint64_t)1 << (cp & 63);
    set->high |= (uint64_t)1 << ((cp >> 6) & 63);
  }
}

/* True if `cp` is in the set. */
static bool cpset_has(const jx_cpset *set, uint32_t cp) {
  if (!(set->low >> (cp & 63) & 1) || !(set->high >> ((cp >> 6) & 63) & 1))
    return false;
  if (set->overflow) {
    size_t n = strlen(set->overflow), i = 0;
    while (i < n)
      if (jx_utf8_next((const unsigned char *)set->overflow, n, &i) == cp)
        return true;
    return false;
  }
  for (size_t k = 0; k < set->count; k++)
    if (set->cps[k] == cp)
      return true;
  return false;
}

typedef struct jx_range {
  uint32_t lo, hi;
} jx_range;

/* Characters that behave as full-width in Chinese text: East Asian Wide
 * and Fullwidth, and the Ambiguous symbols and punctuation (“ ” — … ≥ ≤
 * × ° ① ■ ...) that CJK fonts draw 1 em wide.  Ambiguous *letters*
 * (Greek, Cyrillic, accented Latin) are left out: they form words.
 * Sorted, for binary search. */
static const jx_range jx_wide_ranges[] = {
    {0x00A7, 0x00A8},   {0x00B0, 0x00B1},   {0x00B4, 0x00B4},
    {0x00B6, 0x00B7},   {0x00D7, 0x00D7},   {0x00F7, 0x00F7},
    {0x1100, 0x115F},   {0x2010, 0x2010},   {0x2013, 0x2016},
    {0x2018, 0x2019},   {0x201C, 0x201D},   {0x2020, 0x2022},
    {0x2024, 0x2027},   {0x2030, 0x2030},   {0x2032, 0x2033},
    {0x2035, 0x2035},   {0x203B, 0x203B},   {0x2103, 0x2103},
    {0x2105, 0x2105},   {0x2109, 0x2109},   {0x2116, 0x2116},
    {0x2121, 0x2122},   {0x2160, 0x217F},   {0x2190, 0x21FF},
    {0x2200, 0x22FF},   {0x2312, 0x2312},   {0x231A, 0x231B},
    {0x2329, 0x232A},   {0x2460, 0x24FF},   {0x2500, 0x25FF},
    {0x2600, 0x26FF},   {0x2776, 0x277F},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

/* True if `cp` is wide in the sense above. */
static bool is_wide(uint32_t cp) {
  if (cp < 0xA7)
    return false;
  if (cp >= 0x4E00 && cp <= 0x9FFF) /* the ideographs: most of a text */
    return true;
  size_t lo = 0, hi = sizeof jx_wide_ranges / sizeof jx_wide_ranges[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < jx_wide_ranges[mid].lo)
      hi = mid;
    else if (cp > jx_wide_ranges[mid].hi)
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

/* Break spaces: dropped at a soft break, excluded from a line's end. */
static bool is_break_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Characters that end a line by themselves (UAX #14 BK, CR, LF, NL). */
static bool is_newline(uint32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 ||
         cp == 0x2028 || cp == 0x2029;
}

/* Marks that belong to the previous character: never split from it, even
 * when a too-long unit is broken between characters. */
static bool is_extend(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x200D ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
         cp == 0x3099 || cp == 0x309A || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* ------------------------------------------------------------------ */
/* Break opportunities                                                  */

static once_flag jx_linebreak_once = ONCE_FLAG_INIT;
static void linebreak_init(void) { init_linebreak(); }

/* Per BMP code point, how UAX #14 treats it next to an ideograph, for a
 * narrow character beside a wide one: bit 0 = known, bit 1 = no break
 * before it (like , . ) % or a space), bit 2 = no break after it (like
 * ( or a no-break space).  Filled lazily; relaxed atomics keep this free
 * of data races if sessions run on several threads. */
static _Atomic unsigned char jx_sticky[0x10000];
enum { JX_STICKY_KNOWN = 1, JX_STICKY_BEFORE = 2, JX_STICKY_AFTER = 4 };

static unsigned sticky_of(uint32_t cp) {
  const uint32_t ideograph = 0x4E00;
  if (cp >= 0x10000) {
    unsigned v = 0;
    if (is_line_breakable(ideograph, cp, "zh") == LINEBREAK_NOBREAK)
      v |= JX_STICKY_BEFORE;
    if (is_line_breakable(cp, ideograph, "zh") == LINEBREAK_NOBREAK)
      v |= JX_STICKY_AFTER;
    return v;
  }
  unsigned v = atomic_load_explicit(&jx_sticky[cp], memory_order_relaxed);
  if (v & JX_STICKY_KNOWN)
    return v;
  v = JX_STICKY_KNOWN;
  if (is_line_breakable(ideograph, cp, "zh") == LINEBREAK_NOBREAK)
    v |= JX_STICKY_BEFORE;
  if (is_line_breakable(cp, ideograph, "zh") == LINEBREAK_NOBREAK)
    v |= JX_STICKY_AFTER;
  atomic_store_explicit(&jx_sticky[cp], (unsigned char)v, memory_order_relaxed);
  return v;
}

/* Signs that stay with a following ASCII digit (≥95%, ¥20) and ones that
 * stay with a preceding digit (95％, 30℃): UAX #14's PR × NU and NU × PO,
 * kept for the wide forms too. */
static bool is_prefix_sign(uint32_t cp) {
  switch (cp) {
  case 0x2265:
  case 0x2264:
  case 0xFF1E:
  case 0xFF1C:
  case 0xFF1D:
  case 0x2260:
  case 0x2248:
  case 0x00B1:
  case 0xFF0B:
  case 0xFF0D:
  case 0x00A5:
  case 0xFFE5:
  case 0xFF04:
  case 0x2116:
  case 0xFF5E:
  case 0x2212:
    return true;
  default:
    return false;
  }
}
static bool is_postfix_sign(uint32_t cp) {
  switch (cp) {
  case 0xFF05:
  case 0x2030:
  case 0x2031:
  case 0x2103:
  case 0x2109:
  case 0x00B0:
  case 0x2032:
  case 0x2033:
    return true;
  default:
    return false;
  }
}

/* Characters never separated from an identical neighbour (——, ……). */
static bool is_doubled_punct(uint32_t cp) {
  return cp == 0x2014 || cp == 0x2015 || cp == 0x2025 || cp == 0x2026 ||
         cp == 0x2E3A || cp == 0x2E3B;
}

/* True if `dash` joins two numbers as a range ("2023.07-2024.01",
 * "8:00~17:30"): a line may break after it, though UAX #14 keeps a
 * hyphen with the digits that follow (never inside the numbers). */
static bool range_dash(uint32_t before, uint32_t dash, uint32_t after) {
  bool digits = before >= '0' && before <= '9' && after >= '0' && after <= '9';
  return digits && (dash == '-' || dash == '~' || dash == 0x2013 ||
                    dash == 0x2014 || dash == 0xFF5E || dash == 0x2212);
}

/* Whether a line may break between `a` and `b` (not a mandatory break);
 * `uax14` is libunibreak's verdict for the position. */
static bool break_allowed(uint32_t a, bool wa, uint32_t b, bool wb, char uax14,
                          const jx_cpset *no_start, const jx_cpset *no_end) {
  if (!wa && !wb)
    return uax14 == LINEBREAK_ALLOWBREAK;
  if (cpset_has(no_start, b) || cpset_has(no_end, a))
    return false;
  /* A narrow neighbour keeps the UAX #14 behaviour it has next to an
   * ideograph: no break before ",", ")" or a space, none after "(". */
  if (!wb && (sticky_of(b) & JX_STICKY_BEFORE))
    return false;
  if (!wa && (sticky_of(a) & JX_STICKY_AFTER))
    return false;
  if (a == b && is_doubled_punct(a))
    return false;
  if (is_prefix_sign(a) && b >= '0' && b <= '9')
    return false;
  if (a >= '0' && a <= '9' && is_postfix_sign(b))
    return false;
  return true;
}

/* ------------------------------------------------------------------ */
/* Decoding into the scratch buffer                                     */

/* Returns scratch memory of at least `size` bytes, owned by `ms`
 * (valid until the next call). */
static void *scratch_get(jx_measure *ms, size_t size) {
  if (ms->scratch_size < size) {
    size_t n = ms->scratch_size ? ms->scratch_size : 4096;
    while (n < size)
      n *= 2;
    ms->scratch = jx_xrealloc(ms->scratch, n);
    ms->scratch_size = n;
  }
  return ms->scratch;
}

/* The face of `chain` that draws `cp`: the first that has it, else the
 * first face (only for text that did not pass jx_text_check); *found
 * tells which. */
static uint16_t pick_face(jx_measure *ms, const jx_font_chain *chain,
                          uint32_t cp, bool *found) {
  for (size_t k = 0; k < chain->count; k++)
    if (jx_measure_has_char(ms, chain->faces[k], cp)) {
      *found = true;
      return chain->faces[k];
    }
  *found = false;
  return chain->count ? chain->faces[0] : 0;
}

/* What decode learns of a text on its one walk over it. */
typedef struct jx_decoded {
  jx_tchar *chars; /* one per code point, then a sentinel (its end) */
  size_t n;
  /* with `rules` (for breaking) only: */
  utf32_t *cps;  /* the n code points, for libunibreak */
  char *brks;    /* room for libunibreak's verdicts: len + 16 bytes */
  bool drawable; /* every character passes jx_text_check */
  bool bad;      /* an invalid byte or U+FFFF (libunibreak's end mark) */
  bool uax14;    /* two narrow neighbours, or a newline: libunibreak's
                    verdicts matter (break_allowed) */
} jx_decoded;

/* Decodes `text` into the scratch buffer: one jx_tchar per code point with
 * its face and, if `rules` is given, its fitting width, its flags and
 * what jx_decoded keeps for breaking. */
static void decode(jx_measure *ms, const jx_font_chain *chain, const char *text,
                   size_t len, const jx_break_rules *rules, jx_decoded *d) {
  size_t chars_size = (len + 1) * sizeof(jx_tchar);
  size_t extra = rules ? len * sizeof(utf32_t) + len + 16 : 0;
  jx_tchar *chars = scratch_get(ms, chars_size + extra);
  *d = (jx_decoded){.chars = chars, .drawable = true};
  if (rules) {
    d->cps = (utf32_t *)((char *)chars + chars_size);
    d->brks = (char *)(d->cps + len);
  }
  const unsigned char *s = (const unsigned char *)text;
  int upe = rules && rules->units_per_em > 0 ? rules->units_per_em : 100;
  size_t n = 0, i = 0;
  uint16_t prev_face = chain->count ? chain->faces[0] : 0;
  /* the last advance turned into units, and its face */
  int memo_adv = -1, memo_units = 0;
  uint16_t memo_face = 0;
  while (i < len) {
    jx_tchar *c = &chars[n++];
    c->off = (uint32_t)i;
    c->cp = jx_utf8_next(s, len, &i);
    c->flags = 0;
    c->units = 0;
    c->advance = 0;
    /* A combining mark stays in the face of its base character when
     * that face has it; anything else takes the chain's first face that
     * has it. */
    bool found = true;
    if (n > 1 && is_extend(c->cp) && jx_measure_has_char(ms, prev_face, c->cp))
      c->face = prev_face;
    else
      c->face = pick_face(ms, chain, c->cp, &found);
    prev_face = c->face;
    if (!rules) {
      continue;
    }
    uint32_t cp = c->cp;
    d->cps[n - 1] = cp;
    /* jx_text_check's verdict, from the same facts */
    if (cp != '\n' && cp != '\r' &&
        (!found || cp == JX_UTF8_BAD || cp < 0x20 ||
         (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF))
      d->drawable = false;
    if (cp == JX_UTF8_BAD || cp == 0xFFFF)
      d->bad = true;
    if (is_newline(cp)) {
      c->flags |= JX_TC_NEWLINE;
      d->uax14 = true;
      continue;
    }
    if (is_wide(cp))
      c->flags |= JX_TC_WIDE;
    else if (n > 1 && !(chars[n - 2].flags & JX_TC_WIDE))
      d->uax14 = true;
    if (is_break_space(cp))
      c->flags |= JX_TC_SPACE;
    if (cp == '\t')
      cp = ' ';
    if (rules->ascii_units > 0 && cp >= 0x20 && cp <= 0x7E) {
      c->units = rules->ascii_units;
    } else {
      int adv = jx_measure_advance(ms, c->face, cp);
      if (adv != memo_adv || c->face != memo_face) {
        const jx_face *f = &ms->fonts->faces[c->face];
        memo_units =
            (int32_t)lround((double)adv * upe / (f->upem ? f->upem : 1));
        memo_adv = adv;
        memo_face = c->face;
      }
      c->units = memo_units;
    }
  }
  chars[n].off = (uint32_t)len; /* sentinel: end offset */
  d->n = n;
}

/* ------------------------------------------------------------------ */
/* Shaping                                                              */

/* Returns the context's reusable HarfBuzz buffer, emptied. */
static hb_buffer_t *shaping_buffer(jx_measure *ms) {
  if (!ms->hb_buffer) {
    ms->hb_buffer = hb_buffer_create();
    if (!hb_buffer_allocation_successful(ms->hb_buffer)) {
      fputs(_("jxform: out of memory\n"), stderr);
      abort();
    }
  }
  hb_buffer_clear_contents(ms->hb_buffer);
  return ms->hb_buffer;
}

/* True if HarfBuzz would shape chars[from, to) (one face) to their
 * nominal glyphs at their plain advances, one glyph a character: no
 * character needs more (fonts.h, JX_SHAPE_*) and no ligature can form. */
static bool plain_run(jx_measure *ms, const jx_tchar *chars, size_t from,
                      size_t to) {
  if (ms->always_shape)
    return false;
  const unsigned both = JX_SHAPE_LIG_FIRST | JX_SHAPE_LIG_NEXT;
  unsigned all = 0;
  uint16_t face = chars[from].face;
  for (size_t k = from; k < to; k++) {
    unsigned c = jx_measure_shape_class(ms, face, chars[k].cp);
    if (c & JX_SHAPE_NEEDED)
      return false;
    all |= c;
  }
  return (all & both) != both;
}

/* Shapes chars[from, to) (one face) and returns their width in points.
 * If `per_char` is true, also adds each glyph's advance to the
 * character its cluster starts at.  A run HarfBuzz would leave as the
 * characters' nominal glyphs takes their plain advances without calling
 * it: the same numbers, computed the same way. */
static double shape_segment(jx_measure *ms, const char *text, size_t len,
                            jx_tchar *chars, size_t from, size_t to,
                            double size, bool per_char) {
  const jx_face *f = &ms->fonts->faces[chars[from].face];
  double scale = size / (f->upem ? f->upem : 1);
  long total = 0;
  if (plain_run(ms, chars, from, to)) {
    ms->plain_segments++;
    for (size_t k = from; k < to; k++) {
      int adv = jx_measure_advance(ms, chars[k].face, chars[k].cp);
      total += adv;
      if (per_char)
        chars[k].advance += adv * scale;
    }
    return total * scale;
  }
  ms->shaped_segments++;
  hb_buffer_t *buf = shaping_buffer(ms);
  uint32_t start = chars[from].off, end = chars[to].off;
  hb_buffer_add_utf8(buf, text, (int)len, start, (int)(end - start));
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  /* fixed, so shaping does not depend on the process locale */
  hb_buffer_set_language(buf, hb_language_from_string(JX_SHAPE_LANGUAGE, -1));
  hb_buffer_guess_segment_properties(buf); /* the script */
  hb_shape(f->hb, buf, NULL, 0);
  unsigned n;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
  size_t k = from;
  for (unsigned g = 0; g < n; g++) {
    total += pos[g].x_advance;
    if (per_char) {
      while (k + 1 < to && chars[k + 1].off <= info[g].cluster)
        k++;
      chars[k].advance += pos[g].x_advance * scale;
    }
  }
  return total * scale;
}

/* Shapes chars[0, n) segment by segment (runs of one face) and returns
 * the total width in points; per_char as in shape_segment. */
static double shape_all(jx_measure *ms, const char *text, size_t len,
                        jx_tchar *chars, size_t n, double size, bool per_char) {
  double width = 0;
  size_t from = 0;
  while (from < n) {
    size_t to = from + 1;
    while (to < n && chars[to].face == chars[from].face)
      to++;
    width += shape_segment(ms, text, len, chars, from, to, size, per_char);
    from = to;
  }
  return width;
}

/* ------------------------------------------------------------------ */
/* Public functions                                                     */

/* Appends the name of every face of the chain to a message buffer. */
static void chain_names(jx_measure *ms, const jx_font_chain *chain, char *buf,
                        size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < chain->count && used < size; k++) {
    const jx_face *f = &ms->fonts->faces[chain->faces[k]];
    int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "",
                     f->family ? f->family : f->spec);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

bool jx_text_check(jx_measure *ms, const jx_font_chain *chain, const char *text,
                   size_t len, jx_pos pos, jx_diag_list *diags) {
  const unsigned char *s = (const unsigned char *)text;
  uint32_t reported[16];
  size_t nreported = 0;
  bool ok = true;
  size_t i = 0;
  while (i < len) {
    size_t at = i;
    uint32_t cp = jx_utf8_next(s, len, &i);
    if (cp == '\n' || cp == '\r')
      continue;
    bool bmp_char = cp <= 0xFFFF;
    bool drawable = false;
    if (cp != JX_UTF8_BAD && cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0) &&
        bmp_char) {
      for (size_t k = 0; k < chain->count && !drawable; k++)
        drawable = jx_measure_has_char(ms, chain->faces[k], cp);
    }
    if (drawable)
      continue;
    ok = false;
    bool seen = false;
    for (size_t r = 0; r < nreported && !seen; r++)
      seen = reported[r] == cp;
    if (seen)
      continue;
    if (nreported < sizeof reported / sizeof reported[0])
      reported[nreported++] = cp;
    int clen = (int)(i - at);
    if (cp == JX_UTF8_BAD) {
      jx_error(diags, pos, "invalid UTF-8 byte 0x%02X in text", s[at]);
    } else if (cp == '\t') {
      jx_error(diags, pos,
               "control character U+%04X cannot be drawn (a tab: use spaces)",
               (unsigned)cp);
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
      jx_error(diags, pos, "control character U+%04X cannot be drawn",
               (unsigned)cp);
    } else if (!bmp_char) {
      jx_error(diags, pos,
               "character '%.*s' (U+%04X) is outside the Basic Multilingual "
               "Plane (a rare character, as in some names of people and "
               "places), which the form cannot print yet; write a common "
               "character in its place, or describe it in words, like "
               "（“土+延”字）",
               clen, text + at, (unsigned)cp);
    } else {
      char names[512];
      chain_names(ms, chain, names, sizeof names);
      jx_error(diags, pos,
               "character '%.*s' (U+%04X) is in none of the fonts of this "
               "role: %s",
               clen, text + at, (unsigned)cp, names);
    }
  }
  return ok;
}

/* Appends line [chars[from], chars[to]) to the output, dropping trailing
 * break spaces and newline characters; its width is the sum of the
 * characters' drawn advances. */
/* Full-width marks whose ink sits in the left half of the em box (GB
 * style): these can give up their right half. */
static bool is_left_mark(uint32_t cp) {
  static const uint32_t marks[] = {0x3001, 0x3002, 0xFF0C, 0xFF09, 0x300B,
                                   0x300D, 0x300F, 0x3011, 0x3015, 0x3009,
                                   0x3017, 0x201D, 0x2019};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == cp)
      return true;
  return false;
}

/* Full-width opening brackets and quotes (ink in the right half). */
static bool is_right_mark(uint32_t cp) {
  static const uint32_t marks[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x3010,
                                   0x3014, 0x3008, 0x3016, 0x201C, 0x2018};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == cp)
      return true;
  return false;
}

/* 标点挤压: a left-ink mark followed by another bracket, quote or
 * left-ink mark keeps only its left half, both for fitting and drawing
 * (push_line then ends a run after it, so that what follows is drawn
 * half an em further left). */
static void compress_punctuation(jx_tchar *chars, size_t n) {
  for (size_t k = 0; k + 1 < n; k++)
    if (is_left_mark(chars[k].cp) &&
        (is_left_mark(chars[k + 1].cp) || is_right_mark(chars[k + 1].cp))) {
      chars[k].units = (chars[k].units + 1) / 2;
      chars[k].advance /= 2;
      chars[k].flags |= JX_TC_HALF;
    }
}

static void push_line(jx_arena *arena, jx_line **lines, size_t *count,
                      size_t *cap, const jx_tchar *chars, size_t from,
                      size_t to) {
  while (to > from && (chars[to - 1].flags & (JX_TC_SPACE | JX_TC_NEWLINE)))
    to--;
  double width = 0;
  uint32_t nseg = 0;
  /* a new run where the face changes or after a compressed mark */
  for (size_t k = from; k < to; k++) {
    width += chars[k].advance;
    if (k == from || chars[k].face != chars[k - 1].face ||
        (chars[k - 1].flags & JX_TC_HALF))
      nseg++;
  }
  jx_line_seg *segs = nseg ? jx_arena_alloc(arena, nseg * sizeof *segs) : NULL;
  uint32_t s = 0;
  for (size_t k = from; k < to; k++) {
    if (k == from || chars[k].face != chars[k - 1].face ||
        (chars[k - 1].flags & JX_TC_HALF))
      segs[s++] = (jx_line_seg){chars[k].off, chars[k].off, 0, chars[k].face};
    segs[s - 1].end = chars[k + 1].off;
    segs[s - 1].width += chars[k].advance;
  }
  if (*count == *cap)
    *lines = jx_arena_grow(arena, *lines, sizeof **lines, cap, *count + 1);
  (*lines)[(*count)++] = (jx_line){.start = chars[from].off,
                                   .end = chars[to].off,
                                   .width = width,
                                   .segs = segs,
                                   .seg_count = nseg};
}

/* ------------------------------------------------------------------ */
/* The cache of broken strings                                          */

/* A form repeats many strings (the template's labels, indicator names,
 * group names, sources of funds) from project to project; each measuring
 * context (one per thread) keeps the lines of the short ones it broke, to
 * copy instead of breaking again.  The key is everything the lines depend
 * on: the text, the chain's faces and size, the width and the rules.  The
 * memory is bounded: the table is emptied when it is full. */

#define JX_TC_MAX_TEXT 256 /* bytes: longer strings are not kept */
#define JX_TC_MAX_FACES 8
#define JX_TC_SLOTS 16384 /* a power of two */
#define JX_TC_MAX_ENTRIES (JX_TC_SLOTS / 2)
#define JX_TC_MAX_BYTES ((size_t)4 << 20)
#define JX_TC_RULESETS 8

/* One set of rules seen, copied. */
typedef struct jx_tc_rules {
  char *no_start, *no_end;
  int units_per_em, ascii_units;
  bool compress_punctuation;
} jx_tc_rules;

/* A string kept: its key, then (in the same allocation) its lines (their
 * segs holding the index of their first segment), their segments and the
 * text. */
typedef struct jx_tc_entry {
  double width_pt, size;
  uint16_t faces[JX_TC_MAX_FACES];
  uint8_t face_count, rules_id;
  bool drawable; /* the text passes jx_text_check with this chain */
  uint32_t len, line_count, seg_count;
  size_t bytes; /* of the whole allocation */
} jx_tc_entry;

typedef struct jx_tc_slot {
  uint64_t hash;
  jx_tc_entry *entry; /* NULL: empty */
} jx_tc_slot;

typedef struct jx_tcache {
  jx_tc_slot slots[JX_TC_SLOTS];
  jx_arena mem; /* the entries, all freed at once when the table empties */
  size_t entries, bytes;
  jx_tc_rules rules[JX_TC_RULESETS];
  size_t rules_count;
} jx_tcache;

static jx_line *entry_lines(const jx_tc_entry *e) { return (jx_line *)(e + 1); }
static jx_line_seg *entry_segs(const jx_tc_entry *e) {
  return (jx_line_seg *)(entry_lines(e) + e->line_count);
}
static char *entry_text(const jx_tc_entry *e) {
  return (char *)(entry_segs(e) + e->seg_count);
}

static void tcache_clear(jx_tcache *c) {
  jx_arena_free(&c->mem);
  memset(c->slots, 0, sizeof c->slots);
  c->entries = c->bytes = 0;
}

static void tcache_free(void *p) {
  jx_tcache *c = p;
  tcache_clear(c);
  for (size_t i = 0; i < c->rules_count; i++) {
    free(c->rules[i].no_start);
    free(c->rules[i].no_end);
  }
  free(c);
}

static bool same_str(const char *a, const char *b) {
  return !strcmp(a ? a : "", b ? b : "");
}

static char *dup_or_null(const char *s) { return s ? jx_xstrdup(s) : NULL; }

/* The number of `rules` in the cache (the cache emptied if it must make
 * room). */
static uint8_t tcache_rules_id(jx_tcache *c, const jx_break_rules *r) {
  for (size_t i = 0; i < c->rules_count; i++) {
    const jx_tc_rules *k = &c->rules[i];
    if (k->units_per_em == r->units_per_em &&
        k->ascii_units == r->ascii_units &&
        k->compress_punctuation == r->compress_punctuation &&
        same_str(k->no_start, r->no_start) && same_str(k->no_end, r->no_end))
      return (uint8_t)i;
  }
  if (c->rules_count == JX_TC_RULESETS) {
    tcache_clear(c);
    for (size_t i = 0; i < c->rules_count; i++) {
      free(c->rules[i].no_start);
      free(c->rules[i].no_end);
    }
    c->rules_count = 0;
  }
  c->rules[c->rules_count] =
      (jx_tc_rules){dup_or_null(r->no_start), dup_or_null(r->no_end),
                    r->units_per_em, r->ascii_units, r->compress_punctuation};
  return (uint8_t)c->rules_count++;
}

/* Mixes bytes into the hash h, eight at a time. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  const uint64_t k = 0x9E3779B97F4A7C15ull;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
    b += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, b, n);
  h = (h ^ w ^ ((uint64_t)n << 56)) * k;
  return h ^ (h >> 32);
}

/* Fills the key of a string to break and returns its hash. */
static uint64_t tcache_key(jx_tc_entry *k, const char *text, size_t len,
                           const jx_font_chain *chain, double width_pt,
                           uint8_t rules_id) {
  memset(k, 0, sizeof *k);
  k->width_pt = width_pt;
  k->size = chain->size;
  k->face_count = (uint8_t)chain->count;
  for (size_t i = 0; i < chain->count; i++)
    k->faces[i] = chain->faces[i];
  k->rules_id = rules_id;
  k->len = (uint32_t)len;
  uint64_t h = hash_bytes(0xCBF29CE484222325ull, text, len);
  uint64_t num[4] = {0, 0, k->face_count, k->rules_id};
  memcpy(&num[0], &k->width_pt, sizeof k->width_pt);
  memcpy(&num[1], &k->size, sizeof k->size);
  h = hash_bytes(h, num, sizeof num);
  return hash_bytes(h, k->faces, sizeof k->faces);
}

/* The slot of the entry with key `k` (hash h) for `text`, or the empty
 * slot where it would go. */
static jx_tc_slot *tcache_slot(jx_tcache *c, const jx_tc_entry *k, uint64_t h,
                               const char *text) {
  for (size_t i = (size_t)h & (JX_TC_SLOTS - 1);;
       i = (i + 1) & (JX_TC_SLOTS - 1)) {
    jx_tc_slot *s = &c->slots[i];
    const jx_tc_entry *e = s->entry;
    if (!e)
      return s;
    if (s->hash == h && e->len == k->len && e->width_pt == k->width_pt &&
        e->size == k->size && e->face_count == k->face_count &&
        e->rules_id == k->rules_id &&
        !memcmp(e->faces, k->faces, sizeof e->faces) &&
        !memcmp(entry_text(e), text, k->len))
      return s;
  }
}

/* Copies the lines of entry `e` into `arena`. */
static size_t tcache_copy(const jx_tc_entry *e, jx_arena *arena,
                          jx_line **lines) {
  const jx_line *from = entry_lines(e);
  if (!e->line_count)
    return 0; /* *lines stays NULL, as from push_line */
  jx_line *out = jx_arena_alloc(arena, e->line_count * sizeof *out);
  jx_line_seg *segs =
      e->seg_count ? jx_arena_alloc(arena, e->seg_count * sizeof *segs) : NULL;
  if (e->seg_count)
    memcpy(segs, entry_segs(e), e->seg_count * sizeof *segs);
  for (uint32_t i = 0; i < e->line_count; i++) {
    out[i] = from[i];
    out[i].segs = from[i].seg_count ? segs + (uintptr_t)from[i].segs : NULL;
  }
  *lines = out;
  return e->line_count;
}

/* Keeps lines[0, count) of `text` under key `k` (hash h) in slot `s`. */
static void tcache_store(jx_tcache *c, jx_tc_slot *s, const jx_tc_entry *k,
                         uint64_t h, const char *text, const jx_line *lines,
                         size_t count) {
  size_t nseg = 0;
  for (size_t i = 0; i < count; i++)
    nseg += lines[i].seg_count;
  size_t bytes =
      sizeof *k + count * sizeof *lines + nseg * sizeof(jx_line_seg) + k->len;
  if (c->entries >= JX_TC_MAX_ENTRIES || c->bytes + bytes > JX_TC_MAX_BYTES) {
    tcache_clear(c);
    s = tcache_slot(c, k, h, text);
  }
  jx_tc_entry *e = jx_arena_alloc(&c->mem, bytes);
  *e = *k;
  e->line_count = (uint32_t)count;
  e->seg_count = (uint32_t)nseg;
  e->bytes = bytes;
  jx_line *to = entry_lines(e);
  jx_line_seg *segs = entry_segs(e);
  size_t first = 0;
  for (size_t i = 0; i < count; i++) {
    to[i] = lines[i];
    to[i].segs = (const jx_line_seg *)(uintptr_t)first;
    if (lines[i].seg_count)
      memcpy(segs + first, lines[i].segs, lines[i].seg_count * sizeof *segs);
    first += lines[i].seg_count;
  }
  memcpy(entry_text(e), text, k->len);
  s->hash = h;
  s->entry = e;
  c->entries++;
  c->bytes += bytes;
}

/* ------------------------------------------------------------------ */
/* Breaking                                                             */

/* Breaks `text` (see jx_text_break).  With `diags`, first checks it as
 * jx_text_check does and, if it fails, records the errors and returns 0
 * with *ok false.  The text is walked once: decode gives the faces, the
 * widths, the check's verdict and the code points libunibreak reads, and
 * a string broken before the same way is copied from the cache. */
static size_t break_text(jx_measure *ms, jx_arena *arena, const char *text,
                         size_t len, const jx_font_chain *chain,
                         double width_pt, const jx_break_rules *rules,
                         jx_line **lines, jx_pos pos, jx_diag_list *diags,
                         bool *ok) {
  static const jx_break_rules plain = {.units_per_em = 100};
  *lines = NULL;
  *ok = true;
  if (len == 0)
    return 0;
  if (chain->count == 0) {
    if (diags)
      *ok = jx_text_check(ms, chain, text, len, pos, diags);
    return 0;
  }
  if (!rules)
    rules = &plain;

  jx_tcache *cache = NULL;
  jx_tc_entry key;
  jx_tc_slot *slot = NULL;
  uint64_t hash = 0;
  if (!ms->no_text_cache && len <= JX_TC_MAX_TEXT &&
      chain->count <= JX_TC_MAX_FACES) {
    if (!ms->text_cache) {
      ms->text_cache = jx_xcalloc(1, sizeof(jx_tcache)); /* mem: empty */
      ms->text_cache_free = tcache_free;
    }
    cache = ms->text_cache;
    hash = tcache_key(&key, text, len, chain, width_pt,
                      tcache_rules_id(cache, rules));
    slot = tcache_slot(cache, &key, hash, text);
    if (slot->entry) {
      if (diags && !slot->entry->drawable &&
          !(*ok = jx_text_check(ms, chain, text, len, pos, diags)))
        return 0;
      return tcache_copy(slot->entry, arena, lines);
    }
  }

  jx_decoded d;
  decode(ms, chain, text, len, rules, &d);
  if (diags && !d.drawable &&
      !(*ok = jx_text_check(ms, chain, text, len, pos, diags)))
    return 0;
  jx_tchar *chars = d.chars;
  size_t n = d.n;
  /* libunibreak's verdicts: per byte over the UTF-8 (as it reads invalid
   * bytes its own way), per character over the code points, or none when
   * break_allowed would not look at them (no two narrow neighbours, no
   * newline: then libunibreak has no mandatory break before the end) */
  call_once(&jx_linebreak_once, linebreak_init);
  if (d.bad)
    set_linebreaks_utf8((const utf8_t *)text, len, "zh", d.brks);
  else if (d.uax14)
    set_linebreaks_utf32(d.cps, n, "zh", d.brks);
  jx_cpset no_start, no_end;
  cpset_init(&no_start, rules->no_start);
  cpset_init(&no_end, rules->no_end);
  for (size_t k = 1; k < n; k++) {
    char b = d.bad     ? d.brks[chars[k].off - 1]
             : d.uax14 ? d.brks[k - 1]
                       : LINEBREAK_NOBREAK;
    if (b == LINEBREAK_MUSTBREAK)
      chars[k].flags |= JX_TC_MUST;
    else if (break_allowed(chars[k - 1].cp, chars[k - 1].flags & JX_TC_WIDE,
                           chars[k].cp, chars[k].flags & JX_TC_WIDE, b,
                           &no_start, &no_end) ||
             (k >= 2 &&
              range_dash(chars[k - 2].cp, chars[k - 1].cp, chars[k].cp)))
      chars[k].flags |= JX_TC_BREAK;
  }
  shape_all(ms, text, len, chars, n, chain->size, true);
  if (rules->compress_punctuation)
    compress_punctuation(chars, n);

  int upe = rules->units_per_em > 0 ? rules->units_per_em : 100;
  int64_t avail =
      chain->size > 0 ? (int64_t)floor(width_pt / chain->size * upe + 1e-6) : 0;
  size_t count = 0, cap = 0;
  size_t start = 0;
  bool para_start = true; /* keep leading spaces: indentation */
  while (start < n) {
    if (!para_start)
      while (start < n && (chars[start].flags & JX_TC_SPACE))
        start++;
    if (start >= n)
      break;
    int64_t width = 0;
    size_t opportunity = start; /* == start: none yet */
    bool content = false;       /* a non-space character is on the line */
    size_t end = n;
    bool hard = false;
    for (size_t k = start; k < n; k++) {
      if (k > start && (chars[k].flags & JX_TC_MUST)) {
        end = k;
        hard = true;
        break;
      }
      if (content && (chars[k].flags & JX_TC_BREAK))
        opportunity = k;
      if (chars[k].flags & JX_TC_NEWLINE)
        continue;
      width += chars[k].units;
      if (chars[k].flags & JX_TC_SPACE)
        continue; /* trailing spaces do not count until followed */
      if (content && width > avail) {
        if (opportunity > start) {
          end = opportunity;
        } else { /* one unit wider than the line: split it */
          end = k;
          while (end > start + 1 && is_extend(chars[end].cp))
            end--;
        }
        break;
      }
      content = true;
    }
    push_line(arena, lines, &count, &cap, chars, start, end);
    start = end;
    para_start = hard;
  }
  if (cache) {
    key.drawable = d.drawable;
    tcache_store(cache, slot, &key, hash, text, *lines, count);
  }
  return count;
}

size_t jx_text_break(jx_measure *ms, jx_arena *arena, const char *text,
                     size_t len, const jx_font_chain *chain, double width_pt,
                     const jx_break_rules *rules, jx_line **lines) {
  bool ok;
  return break_text(ms, arena, text, len, chain, width_pt, rules, lines,
                    (jx_pos){0}, NULL, &ok);
}

bool jx_text_check_break(jx_measure *ms, jx_arena *arena, const char *text,
                         size_t len, const jx_font_chain *chain,
                         double width_pt, const jx_break_rules *rules,
                         jx_pos pos, jx_diag_list *diags, jx_line **lines,
                         size_t *count) {
  bool ok;
  *count = break_text(ms, arena, text, len, chain, width_pt, rules, lines, pos,
                      diags, &ok);
  return ok;
}

double jx_text_width(jx_measure *ms, const jx_font_chain *chain,
                     const char *text, size_t len) {
  if (len == 0 || chain->count == 0)
    return 0;
  jx_decoded d;
  decode(ms, chain, text, len, NULL, &d);
  return shape_all(ms, text, len, d.chars, d.n, chain->size, false);
}

/* The runs point into `text` itself (not a copy): the caller keeps the
 * string alive as long as the display list (layout allocates both in the
 * project's arena). */
double jx_text_emit(jx_measure *ms, jx_arena *arena, jx_dpage *page,
                    const jx_font_chain *chain, const char *text, size_t len,
                    double x, double y) {
  if (len == 0 || chain->count == 0)
    return 0;
  jx_decoded d;
  decode(ms, chain, text, len, NULL, &d);
  jx_tchar *chars = d.chars;
  size_t n = d.n;
  double x0 = x;
  size_t from = 0;
  while (from < n) {
    size_t to = from + 1;
    while (to < n && chars[to].face == chars[from].face)
      to++;
    double w =
        shape_segment(ms, text, len, chars, from, to, chain->size, false);
    jx_drun *run = jx_dpage_add_run(arena, page);
    run->x = x;
    run->y = y;
    run->size = chain->size;
    run->width = w;
    run->char_spacing = 0;
    run->text = text + chars[from].off;
    run->len = chars[to].off - chars[from].off;
    run->face = chars[from].face;
    run->bold = chain->bold;
    x += w;
    from = to;
  }
  return x - x0;
}

double jx_text_emit_line(jx_arena *arena, jx_dpage *page,
                         const jx_font_chain *chain, const char *text,
                         const jx_line *line, double x, double y) {
  double x0 = x;
  for (uint32_t i = 0; i < line->seg_count; i++) {
    const jx_line_seg *seg = &line->segs[i];
    jx_drun *run = jx_dpage_add_run(arena, page);
    run->x = x;
    run->y = y;
    run->size = chain->size;
    run->width = seg->width;
    run->char_spacing = 0;
    run->text = text + seg->start;
    run->len = seg->end - seg->start;
    run->face = seg->face;
    run->bold = chain->bold;
    x += seg->width;
  }
  return x - x0;
}
