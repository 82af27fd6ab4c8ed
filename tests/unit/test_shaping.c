/*
 * test_shaping.c — the shortcuts of text.c change nothing: a run that
 * HarfBuzz would leave as nominal glyphs takes the plain advances without
 * shaping (fonts.c, jx_measure_shape_class), and a string broken before is
 * copied from the measuring context's cache.
 *
 * Every project of samples/, samples/forms/, tests/golden/ and
 * tests/regress/ is laid out twice, with the shortcuts and with the
 * reference path (every segment shaped by HarfBuzz, every string broken
 * afresh), and the display lists must be equal to the last bit.  Strings
 * that do need shaping (combining marks, a ligature of the face, U+2003,
 * U+2044, ...) must take HarfBuzz's way, and random strings mixing them
 * with plain text must break the same both ways -- with the project's
 * faces, and with others that have other rules where installed (GPOS
 * pair kerning: DejaVu Sans written out without its 'kern' table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glob.h>
#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "template.h"
#include "text.h"

#define SIZE 8.0

static const jx_pos here = {"test.yaml", 1, 1};

/* ------------------------------------------------------------------ */
/* Strings                                                              */

typedef struct fixture {
  jx_fonts fast_fonts, ref_fonts;
  jx_measure fast, ref; /* the shortcuts; the reference path */
  jx_diag_list diags;
  jx_arena arena;
  uint16_t faces[2]; /* AR PL UMing CN, HanaMinA (same in both) */
  jx_font_chain body, chain;
  jx_break_rules rules;
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  if (!fx || !jx_fonts_init(&fx->fast_fonts) || !jx_fonts_init(&fx->ref_fonts))
    return -1;
  jx_measure_init(&fx->fast, &fx->fast_fonts);
  jx_measure_init(&fx->ref, &fx->ref_fonts);
  fx->ref.always_shape = true;
  fx->ref.no_text_cache = true;
  jx_fonts *both[2] = {&fx->fast_fonts, &fx->ref_fonts};
  for (int i = 0; i < 2; i++) {
    int u = jx_fonts_load(both[i], &fx->diags, here, "AR PL UMing CN");
    int h = jx_fonts_load(both[i], &fx->diags, here, "HanaMinA");
    if (u != 0 || h != 1)
      return -1;
  }
  fx->faces[0] = 0;
  fx->faces[1] = 1;
  fx->body = (jx_font_chain){fx->faces, 1, SIZE, false};
  fx->chain = (jx_font_chain){fx->faces, 2, SIZE, false};
  fx->rules = (jx_break_rules){"，；。、：！？）》", "（《", 100, 51, true};
  jx_arena_init(&fx->arena);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  jx_measure_free(&fx->fast);
  jx_measure_free(&fx->ref);
  jx_fonts_free(&fx->fast_fonts);
  jx_fonts_free(&fx->ref_fonts);
  jx_diag_list_free(&fx->diags);
  jx_arena_free(&fx->arena);
  free(fx);
  return 0;
}

/* Width of `s` in the body chain with `ms`; *shaped gets whether a
 * segment went to HarfBuzz. */
static double width_of(jx_measure *ms, const jx_font_chain *chain,
                       const char *s, bool *shaped) {
  unsigned long before = ms->shaped_segments;
  double w = jx_text_width(ms, chain, s, strlen(s));
  *shaped = ms->shaped_segments > before;
  return w;
}

/* Asserts that two sets of lines are equal to the last bit. */
static void assert_same_lines(const jx_line *a, size_t na, const jx_line *b,
                              size_t nb, const char *what) {
  if (na != nb)
    fail_msg("%s: %zu lines against %zu", what, na, nb);
  for (size_t i = 0; i < na; i++) {
    if (a[i].start != b[i].start || a[i].end != b[i].end ||
        memcmp(&a[i].width, &b[i].width, sizeof(double)) ||
        a[i].seg_count != b[i].seg_count)
      fail_msg("%s: line %zu: [%u,%u) %.17g against [%u,%u) %.17g", what, i,
               a[i].start, a[i].end, a[i].width, b[i].start, b[i].end,
               b[i].width);
    for (uint32_t k = 0; k < a[i].seg_count; k++) {
      const jx_line_seg *x = &a[i].segs[k], *y = &b[i].segs[k];
      if (x->start != y->start || x->end != y->end || x->face != y->face ||
          memcmp(&x->width, &y->width, sizeof(double)))
        fail_msg("%s: line %zu segment %u differs", what, i, k);
    }
  }
}

/* Breaks `s` at `width` both ways and asserts the same lines. */
static void same_both_ways(fixture *fx, const jx_font_chain *chain,
                           const char *s, double width) {
  jx_line *a, *b;
  size_t na = jx_text_break(&fx->fast, &fx->arena, s, strlen(s), chain, width,
                            &fx->rules, &a);
  size_t nb = jx_text_break(&fx->ref, &fx->arena, s, strlen(s), chain, width,
                            &fx->rules, &b);
  assert_same_lines(a, na, b, nb, s);
  double wa = jx_text_width(&fx->fast, chain, s, strlen(s));
  double wb = jx_text_width(&fx->ref, chain, s, strlen(s));
  if (memcmp(&wa, &wb, sizeof wa))
    fail_msg("%s: width %.17g against %.17g", s, wa, wb);
}

/* Text of the forms takes the plain advances. */
static void test_plain_text(void **state) {
  fixture *fx = *state;
  static const char *const plain[] = {
      "城市道路维护管理",
      "≥95%",
      "117条",
      "340元/平方米",
      "2023年7月—2024年1月",
      "PM2.5浓度下降", /* Latin letters: GPOS marks attach to them, but
                          only a mark sets the lookup off */
      "ABC abc 0123456789 ,.;:!?()[]{}",
      "（一）保障措施：“三到位”、《办法》……",
      "招标采购", /* 招 begins the face's ligature 招財進寶 */
      "財務",
      "　全角空格",
  };
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
    bool shaped;
    width_of(&fx->fast, &fx->body, plain[i], &shaped);
    if (shaped)
      fail_msg("'%s' went to HarfBuzz", plain[i]);
    same_both_ways(fx, &fx->body, plain[i], 30);
  }
  assert_int_equal(jx_measure_shape_class(&fx->fast, 0, 0x62DB), /* 招 */
                   JX_SHAPE_PLAIN | JX_SHAPE_LIG_FIRST);
  assert_true(jx_measure_shape_class(&fx->fast, 0, 0x8CA1) & /* 財 */
              JX_SHAPE_LIG_NEXT);
  assert_int_equal(jx_measure_shape_class(&fx->fast, 0, 0x4E00),
                   JX_SHAPE_PLAIN);
  assert_int_equal(jx_measure_shape_class(&fx->fast, 0, 'A'), JX_SHAPE_PLAIN);
}

/* What HarfBuzz does more than map and advance is left to it. */
static void test_needs_shaping(void **state) {
  fixture *fx = *state;
  static const char *const needed[] = {
      "e\u0301",            /* a combining mark: positioned, zero width */
      "A\u0300B",           /* (uming has both and GPOS 'mark') */
      "招財進寶",           /* the face's ligature */
      "他说\u2003好",       /* EM SPACE: space fallback if no glyph */
      "1\u20442",           /* FRACTION SLASH: automatic fractions */
      "\u00E9t\u00E9",      /* é: a canonical decomposition */
      "\u212B",             /* ANGSTROM SIGN: a singleton decomposition */
      "a\u200Db",           /* ZWJ: a default ignorable */
      "\uFF8A\uFF9E",       /* half-width ﾊﾞ: one cluster */
      "\u2260",             /* ≠: = + U+0338 canonically */
      "\u0627\u0644\u0639", /* Arabic: its own shaper */
      "\uAC00",             /* Hangul: its own shaper */
      "x\ty",               /* a control character */
      "\u00A0",             /* NO-BREAK SPACE */
  };
  for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
    bool shaped;
    width_of(&fx->fast, &fx->chain, needed[i], &shaped);
    if (!shaped)
      fail_msg("'%s' did not go to HarfBuzz", needed[i]);
    same_both_ways(fx, &fx->chain, needed[i], 30);
  }
  /* what shaping does here: the mark takes no room, the four characters
   * make one glyph of their own advance */
  bool shaped;
  double e = width_of(&fx->fast, &fx->body, "e", &shaped);
  assert_false(shaped);
  assert_true(width_of(&fx->fast, &fx->body, "e\u0301", &shaped) == e);
  double lig = width_of(&fx->fast, &fx->body, "招財進寶", &shaped);
  double sum = 0;
  static const uint32_t four[] = {0x62DB, 0x8CA1, 0x9032, 0x5BF6};
  for (size_t i = 0; i < 4; i++)
    sum += jx_measure_advance(&fx->fast, 0, four[i]) * SIZE / 1024;
  assert_true(lig != sum);
  /* classes */
  assert_true(jx_measure_shape_class(&fx->fast, 0, 0x0301) & JX_SHAPE_NEEDED);
  assert_true(jx_measure_shape_class(&fx->fast, 0, 0x2003) & JX_SHAPE_NEEDED);
  assert_true(jx_measure_shape_class(&fx->fast, 0, 0x2044) & JX_SHAPE_NEEDED);
  assert_true(jx_measure_shape_class(&fx->fast, 0, 0x1F600) & JX_SHAPE_NEEDED);
  assert_true(jx_measure_shape_class(&fx->fast, 9, 'a') & JX_SHAPE_NEEDED);
}

/* Random strings from plain and special characters, in several widths:
 * the lines and widths are the same both ways (and again from the
 * cache). */
static void test_random_strings(void **state) {
  fixture *fx = *state;
  static const char *const plain[] = {
      "城", "市", "道", "路", "，", "。", "、", "（",       "）", "《", "》",
      "“",  "”",  "—",  "…",  " ",  "　", "a",  "e",        "A",  "o",  "1",
      "2",  "9",  "%",  ".",  "-",  "/",  "≥",  "℃",        "招", "財", "進",
      "寶", "ｶ",  "∑",  "Ω",  "ж",  "㐀", "〇", "招財進寶",
  };
  static const char *const special[] = {
      "é",  "Å",    "\u0301", "\u0300", "\u2003", "\u2044",
      "≠",  "ﾊ",    "ﾞ",      "\n",     "\u200D", "\u00A0",
      "𠀀", "\xFF", "\u3099", "\uFE0F", "\t",     "\r\n",
  };
  unsigned long seed = 12345;
  char s[400];
  for (int iter = 0; iter < 3000; iter++) {
    size_t n = 0;
    seed = seed * 6364136223846793005ul + 1442695040888963407ul;
    size_t count = 1 + (seed >> 33) % 40;
    for (size_t k = 0; k < count; k++) {
      seed = seed * 6364136223846793005ul + 1442695040888963407ul;
      /* mostly plain: a special one time in eight */
      const char *p =
          (seed >> 20) % 8
              ? plain[(seed >> 33) % (sizeof plain / sizeof *plain)]
              : special[(seed >> 33) % (sizeof special / sizeof *special)];
      size_t l = strlen(p);
      memcpy(s + n, p, l);
      n += l;
    }
    s[n] = '\0';
    double width = 8 + (double)((seed >> 13) % 120);
    const jx_font_chain *chain = iter % 2 ? &fx->chain : &fx->body;
    same_both_ways(fx, chain, s, width);
    same_both_ways(fx, chain, s, width); /* now from the cache */
  }
  assert_true(fx->fast.plain_segments > 0);
  assert_true(fx->fast.shaped_segments > 0);
}

/* Appends the UTF-8 of cp to s[*n]. */
static void put_utf8(char *s, size_t *n, uint32_t cp) {
  if (cp < 0x80) {
    s[(*n)++] = (char)cp;
  } else if (cp < 0x800) {
    s[(*n)++] = (char)(0xC0 | cp >> 6);
    s[(*n)++] = (char)(0x80 | (cp & 0x3F));
  } else {
    s[(*n)++] = (char)(0xE0 | cp >> 12);
    s[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[(*n)++] = (char)(0x80 | (cp & 0x3F));
  }
}

/* Writes DejaVu Sans without its 'kern' table (so that its GPOS pair
 * kerning is what HarfBuzz applies) to a temporary file; its path, or
 * NULL if DejaVu Sans is not installed. */
static char *dejavu_without_kern(char *path, size_t size) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  if (!blob)
    return NULL;
  hb_face_t *face = hb_face_create(blob, 0);
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  assert_non_null(input);
  hb_set_add_range(hb_subset_input_unicode_set(input), 0x20, 0x24F);
  hb_set_add(hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG),
             HB_TAG('k', 'e', 'r', 'n'));
  hb_face_t *sub = hb_subset_or_fail(face, input);
  assert_non_null(sub);
  hb_blob_t *out = hb_face_reference_blob(sub);
  unsigned len;
  const char *data = hb_blob_get_data(out, &len);
  snprintf(path, size, "%s/jx-test-shaping-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  assert_int_equal(fwrite(data, 1, len, f), len);
  fclose(f);
  hb_blob_destroy(out);
  hb_face_destroy(sub);
  hb_subset_input_destroy(input);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return path;
}

/* Other faces, with other rules (pair kerning, ligatures, mark
 * attachment, a 'kern' table): random strings of the characters each
 * has, neighbours in its cmap mostly, break and measure the same both
 * ways.  The faces past the first three are used where installed. */
static void test_other_faces(void **state) {
  (void)state;
  char kerned[512];
  const char *nokern = dejavu_without_kern(kerned, sizeof kerned);
  const char *specs[] = {
      "/usr/share/fonts/truetype/arphic/uming.ttc#1",
      "/usr/share/fonts/truetype/arphic/uming.ttc#2",
      "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
      "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
      nokern ? nokern : "/nonexistent",
  };
  static const uint32_t extra[] = {0x301, 0x300, 0x2003, 0x2044, 0x200D,
                                   0xA0,  ' ',   '\n',   0x3000, 0x2260};
  jx_break_rules rules = {"，。", "（", 100, 0, true};
  for (size_t f = 0; f < sizeof specs / sizeof *specs; f++) {
    char path[256];
    snprintf(path, sizeof path, "%s", specs[f]);
    char *hash = strchr(path, '#');
    if (hash)
      *hash = '\0';
    FILE *probe = fopen(path, "rb");
    if (!probe) {
      assert_true(f >= 3); /* the project's own fonts are there */
      continue;
    }
    fclose(probe);
    jx_fonts fast_fonts, ref_fonts;
    jx_measure fast, ref;
    jx_diag_list diags = {0};
    assert_true(jx_fonts_init(&fast_fonts) && jx_fonts_init(&ref_fonts));
    jx_measure_init(&fast, &fast_fonts);
    jx_measure_init(&ref, &ref_fonts);
    ref.always_shape = ref.no_text_cache = true;
    assert_int_equal(jx_fonts_load(&fast_fonts, &diags, here, specs[f]), 0);
    assert_int_equal(jx_fonts_load(&ref_fonts, &diags, here, specs[f]), 0);
    if (specs[f] == nokern)
      remove(nokern); /* open in both, and gone whatever happens next */
    /* the BMP characters the face has */
    uint32_t *pool = malloc(0x10000 * sizeof *pool);
    size_t np = 0;
    for (uint32_t cp = 0x20; cp < 0x10000; cp++)
      if (jx_face_has_char(&fast_fonts, 0, cp))
        pool[np++] = cp;
    assert_true(np > 100);
    uint16_t face = 0;
    jx_font_chain chain = {&face, 1, 9, false};
    jx_arena arena;
    jx_arena_init(&arena);
    unsigned long seed = 99 + f;
    char s[200];
    for (int iter = 0; iter < 1500; iter++) {
      size_t n = 0;
      seed = seed * 6364136223846793005ul + 1442695040888963407ul;
      size_t count = 1 + (seed >> 33) % 30, base = (seed >> 20) % np;
      for (size_t k = 0; k < count; k++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        unsigned r = (seed >> 30) % 16;
        uint32_t cp = r == 0  ? extra[(seed >> 40) % 10]
                      : r < 5 ? pool[(seed >> 35) % np]
                      : r < 9 ? 0x20 + (uint32_t)((seed >> 35) % 95)
                              : pool[(base + (seed >> 35) % 200) % np];
        put_utf8(s, &n, cp);
      }
      s[n] = '\0';
      double width = 10 + (double)((seed >> 13) % 200);
      jx_line *a, *b;
      size_t na = jx_text_break(&fast, &arena, s, n, &chain, width, &rules, &a);
      size_t nb = jx_text_break(&ref, &arena, s, n, &chain, width, &rules, &b);
      assert_same_lines(a, na, b, nb, s);
      double wa = jx_text_width(&fast, &chain, s, n);
      double wb = jx_text_width(&ref, &chain, s, n);
      if (memcmp(&wa, &wb, sizeof wa))
        fail_msg("%s: '%s': width %.17g against %.17g", specs[f], s, wa, wb);
    }
    if (f < 3)
      assert_true(fast.plain_segments > 0 && fast.shaped_segments > 0);
    free(pool);
    jx_arena_free(&arena);
    jx_measure_free(&fast);
    jx_measure_free(&ref);
    jx_fonts_free(&fast_fonts);
    jx_fonts_free(&ref_fonts);
    jx_diag_list_free(&diags);
  }
}

/* The cache: a hit gives the lines of a fresh break; the check is not
 * skipped for a string that fails it; it stays bounded and right when
 * it fills up. */
static void test_cache(void **state) {
  fixture *fx = *state;
  const char *s = "服务对象满意度指标";
  jx_line *a, *b, *c;
  size_t na = jx_text_break(&fx->fast, &fx->arena, s, strlen(s), &fx->body, 40,
                            &fx->rules, &a);
  unsigned long plain = fx->fast.plain_segments;
  size_t nb = jx_text_break(&fx->fast, &fx->arena, s, strlen(s), &fx->body, 40,
                            &fx->rules, &b);
  assert_int_equal(fx->fast.plain_segments, plain); /* not measured again */
  assert_true(a != b);
  assert_same_lines(a, na, b, nb, s);
  /* another width, another chain, other rules: not the same lines */
  size_t nc = jx_text_break(&fx->fast, &fx->arena, s, strlen(s), &fx->body, 80,
                            &fx->rules, &c);
  assert_true(nc < na);
  jx_break_rules other = fx->rules;
  other.ascii_units = 0;
  jx_text_break(&fx->fast, &fx->arena, s, strlen(s), &fx->body, 40, &other, &c);
  assert_true(fx->fast.plain_segments > plain);

  /* a string that fails the check, broken first without it */
  const char *bad = "甲\x01乙";
  jx_text_break(&fx->fast, &fx->arena, bad, strlen(bad), &fx->body, 40,
                &fx->rules, &c);
  for (int round = 0; round < 2; round++) {
    jx_line dummy, *l = &dummy;
    size_t errors = fx->diags.errors, n = 7;
    assert_false(jx_text_check_break(&fx->fast, &fx->arena, bad, strlen(bad),
                                     &fx->body, 40, &fx->rules, here,
                                     &fx->diags, &l, &n));
    assert_int_equal(fx->diags.errors, errors + 1);
    assert_null(l);
    assert_int_equal(n, 0);
  }
  size_t n;
  assert_true(jx_text_check_break(&fx->fast, &fx->arena, s, strlen(s),
                                  &fx->body, 40, &fx->rules, here, &fx->diags,
                                  &c, &n));
  assert_same_lines(a, na, c, n, s);

  /* more distinct strings than the cache keeps */
  char t[64];
  for (int i = 0; i < 20000; i++) {
    snprintf(t, sizeof t, "指标%d项", i);
    jx_line *x, *y;
    size_t nx = jx_text_break(&fx->fast, &fx->arena, t, strlen(t), &fx->body,
                              20, &fx->rules, &x);
    size_t ny = jx_text_break(&fx->ref, &fx->arena, t, strlen(t), &fx->body, 20,
                              &fx->rules, &y);
    assert_same_lines(x, nx, y, ny, t);
  }
  nb = jx_text_break(&fx->fast, &fx->arena, s, strlen(s), &fx->body, 40,
                     &fx->rules, &b);
  assert_same_lines(a, na, b, nb, s);
}

/* ------------------------------------------------------------------ */
/* Whole forms                                                          */

/* One side of the comparison: its fonts and the templates loaded there. */
typedef struct side {
  jx_fonts fonts;
  jx_measure measure; /* over fonts */
  const char *names[16];
  jx_template *tpls[16];
  size_t count;
} side;

static jx_template *template_of(side *sd, jx_arena *arena, const char *name) {
  for (size_t i = 0; i < sd->count; i++)
    if (!strcmp(sd->names[i], name))
      return sd->tpls[i];
  jx_diag_list diags = {0};
  jx_template *t = jx_template_load(arena, &diags, &sd->fonts,
                                    JX_SOURCE_DIR "/templates", name);
  jx_diag_list_free(&diags);
  if (sd->count < 16) {
    sd->names[sd->count] = jx_arena_strdup(arena, name);
    sd->tpls[sd->count++] = t;
  }
  return t;
}

/* Lays out `path` with side `sd` into `out`; false if it does not load
 * or lay out (*errors gets the count of errors). */
static bool lay_out(side *sd, jx_arena *arena, const char *path, jx_layout *out,
                    size_t *errors) {
  jx_diag_list diags = {0};
  bool complete = false;
  memset(out, 0, sizeof *out);
  out->arena = arena;
  const jx_ynode *root = jx_load_tree_file(arena, &diags, path, &complete);
  jx_model *m = NULL;
  if (root) {
    jx_pos pos;
    const char *name = jx_load_template_name(root, "yangquan-2025", &pos);
    jx_template *t = strchr(name, '/') ? NULL : template_of(sd, arena, name);
    if (t)
      m = jx_load_model(arena, &diags, path, false, root, complete, &t->content,
                        name, 0, 0);
    if (m)
      jx_layout_form(out, &sd->measure, t, m, 0, &diags);
  }
  *errors = diags.errors;
  jx_diag_list_free(&diags);
  return m != NULL;
}

static void same_layout(const jx_layout *a, const jx_layout *b,
                        const char *path) {
  if (a->page_count != b->page_count)
    fail_msg("%s: %zu pages against %zu", path, a->page_count, b->page_count);
  for (size_t p = 0; p < a->page_count; p++) {
    const jx_dpage *x = &a->pages[p], *y = &b->pages[p];
    if (x->rule_count != y->rule_count || x->box_count != y->box_count ||
        x->run_count != y->run_count)
      fail_msg("%s page %zu: different counts", path, p + 1);
    if (x->rule_count &&
        memcmp(x->rules, y->rules, x->rule_count * sizeof *x->rules))
      fail_msg("%s page %zu: different rules", path, p + 1);
    if (x->box_count &&
        memcmp(x->boxes, y->boxes, x->box_count * sizeof *x->boxes))
      fail_msg("%s page %zu: different boxes", path, p + 1);
    for (size_t i = 0; i < x->run_count; i++) {
      const jx_drun *r = &x->runs[i], *s = &y->runs[i];
      if (memcmp(&r->x, &s->x, sizeof r->x) ||
          memcmp(&r->y, &s->y, sizeof r->y) ||
          memcmp(&r->size, &s->size, sizeof r->size) ||
          memcmp(&r->width, &s->width, sizeof r->width) ||
          memcmp(&r->char_spacing, &s->char_spacing, sizeof r->char_spacing) ||
          r->len != s->len || memcmp(r->text, s->text, r->len) ||
          r->face != s->face || r->bold != s->bold)
        fail_msg("%s page %zu run %zu ('%.*s'): x %.17g/%.17g width "
                 "%.17g/%.17g",
                 path, p + 1, i, (int)r->len, r->text, r->x, s->x, r->width,
                 s->width);
    }
  }
}

static void test_forms_unchanged(void **state) {
  (void)state;
  static const char *const patterns[] = {
      JX_SOURCE_DIR "/samples/*.yaml",
      JX_SOURCE_DIR "/samples/forms/*.yaml",
      JX_SOURCE_DIR "/tests/golden/*.yaml",
      JX_SOURCE_DIR "/tests/regress/*.yaml",
  };
  static side fast, ref;
  assert_true(jx_fonts_init(&fast.fonts) && jx_fonts_init(&ref.fonts));
  jx_measure_init(&fast.measure, &fast.fonts);
  jx_measure_init(&ref.measure, &ref.fonts);
  ref.measure.always_shape = true;
  ref.measure.no_text_cache = true;
  jx_arena arena;
  jx_arena_init(&arena);
  size_t files = 0, laid_out = 0;
  for (size_t g = 0; g < sizeof patterns / sizeof *patterns; g++) {
    glob_t gl;
    if (glob(patterns[g], 0, NULL, &gl) != 0)
      fail_msg("no files match %s", patterns[g]);
    for (size_t i = 0; i < gl.gl_pathc; i++) {
      const char *path = gl.gl_pathv[i];
      /* twice with the shortcuts: the second time from the cache */
      for (int round = 0; round < 2; round++) {
        jx_layout a, b;
        size_t ea, eb;
        bool la = lay_out(&fast, &arena, path, &a, &ea);
        bool lb = lay_out(&ref, &arena, path, &b, &eb);
        assert_int_equal(la, lb);
        assert_int_equal(ea, eb);
        same_layout(&a, &b, path);
        laid_out += la && a.page_count > 0;
      }
      files++;
    }
    globfree(&gl);
  }
  assert_true(files >= 25);
  assert_true(laid_out >= 2 * 19);
  /* the reference shaped everything; the shortcuts almost nothing */
  assert_int_equal(ref.measure.plain_segments, 0);
  assert_true(fast.measure.plain_segments > 20 * fast.measure.shaped_segments);
  jx_measure_free(&fast.measure);
  jx_measure_free(&ref.measure);
  jx_fonts_free(&fast.fonts);
  jx_fonts_free(&ref.fonts);
  jx_arena_free(&arena);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_text),
      cmocka_unit_test(test_needs_shaping),
      cmocka_unit_test(test_random_strings),
      cmocka_unit_test(test_other_faces),
      cmocka_unit_test(test_cache),
      cmocka_unit_test(test_forms_unchanged),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
