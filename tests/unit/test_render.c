/*
 * test_render.c — the streaming sink (render.c, sink.h): display list →
 * PDF, checked with poppler.
 *
 * Builds small display lists by hand (Han, ASCII, full-width punctuation,
 * ≥ ≤ ＞ ％ ㎡ ‰, a bold run, rules, boxes), renders them with AR PL UMing
 * CN and checks the result with pdftotext (every string, no warnings),
 * pdffonts (embedded, subset, ToUnicode), pdfinfo (pages, title),
 * pdftoppm (renders cleanly), byte-identical reruns, size, and atomic
 * output on failure.  Sizes and times are printed for the record.  The
 * helpers and the tests run alike for the libharu sink are in
 * render_checks.c.
 */
#include "arena.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include "jxform/jxform.h"
#include "render.h"
#include "render_checks.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------
 */

/* `count` distinct hanzi the face has, from U+4E00 on, as UTF-8 runs of
 * `per_line` characters on one page (arena strings). */
static void add_hanzi_page(jx_layout *layout, jx_arena *arena,
                           const jx_fonts *fonts, int face, int count,
                           int per_line, uint32_t *next_cp) {
  jx_dpage *page = jx_layout_add_page(layout);
  int drawn = 0, line = 0;
  while (drawn < count) {
    char *text = jx_arena_alloc(arena, (size_t)per_line * 3 + 1);
    size_t len = 0;
    int n = 0;
    while (n < per_line && drawn < count) {
      uint32_t cp = (*next_cp)++;
      if (!jx_face_has_char(fonts, (uint16_t)face, cp))
        continue;
      text[len++] = (char)(0xE0 | cp >> 12);
      text[len++] = (char)(0x80 | ((cp >> 6) & 63));
      text[len++] = (char)(0x80 | (cp & 63));
      n++, drawn++;
    }
    text[len] = '\0';
    add_run(arena, page, face, 40, 60 + 18.0 * line, 10.5, text, false, 0);
    line++;
  }
  for (int i = 0; i <= line; i++)
    jx_dpage_add_rule(arena, page, 36, 46 + 18.0 * i, 560, 46 + 18.0 * i, 0.5);
}

/* ---- fixture ------------------------------------------------------------
 */

static int setup(void **state) {
  return rc_setup(state, "test_render", rc_render_stream);
}

static int teardown(void **state) { return rc_teardown(state); }

/* ---- tests (the shared ones are in render_checks.c) ---------------------
 */

/* A packet of 600 pages of ~800 hanzi each (6000 distinct characters in
 * all): the per-page cost. */
static void test_packet_time(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  init_layout(&layout, &arena);
  for (int p = 0; p < 600; p++) {
    uint32_t cp = 0x4E00 + (uint32_t)(p % 10) * 1000;
    add_hanzi_page(&layout, &arena, &fx->fonts, fx->face, 800, 40, &cp);
    layout.pages[layout.page_count - 1].form_index = p;
  }
  char path[512];
  snprintf(path, sizeof path, "%s/packet.pdf", fx->dir);
  double t0 = now();
  assert_true(
      rc_render_stream(&layout, &fx->fonts, &rc_info, &fx->diags, path));
  double t1 = now();
  print_message("packet of 600 pages x 800 hanzi: %ld bytes, %.0f ms\n",
                file_size(path), (t1 - t0) * 1e3);
  char cmd[600], *err, *out;
  snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  assert_true(info_is(out, "Pages", "600"));
  free(out), free(err);
  snprintf(cmd, sizeof cmd, "pdftotext -f 600 -l 600 '%s' - >/dev/null", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  free(out), free(err);
  jx_arena_free(&arena);
}

/* A folder that does not exist: error naming the path, no file. */

/* Two different files whose faces have the same PostScript name are
 * embedded as two fonts with distinct subset tags, each drawing its own
 * text. */
static void test_same_name_fonts(void **state) {
  fixture *fx = *state;
  char copy[512], cmd[1200], spec[600];
  snprintf(copy, sizeof copy, "%s/copy.ttc", fx->dir);
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'",
           "/usr/share/fonts/truetype/arphic/uming.ttc", copy);
  assert_int_equal(system(cmd), 0);
  snprintf(spec, sizeof spec, "%s#0", copy);
  jx_pos pos = {"test_render.c", 1, 1};
  int other = jx_fonts_load(&fx->fonts, &fx->diags, pos, spec);
  assert_true(other >= 0 && other != fx->face);

  jx_layout layout;
  jx_arena arena;
  init_layout(&layout, &arena);
  jx_dpage *page = jx_layout_add_page(&layout);
  add_run(&arena, page, fx->face, 50, 50, 12, "项目", false, 0);
  add_run(&arena, page, other, 50, 80, 12, "目标", false, 0);
  char path[512];
  snprintf(path, sizeof path, "%s/same.pdf", fx->dir);
  jx_diag_list diags = {0};
  bool ok = rc_render_stream(&layout, &fx->fonts, &rc_info, &diags, path);
  print_diags(&diags);
  assert_true(ok);
  snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
  char *err, *out = run_command(cmd, &err);
  assert_string_equal(err, "");
  char *first = strstr(out, "+UMingCN");
  assert_non_null(first);
  char *second = strstr(first + 1, "+UMingCN");
  assert_non_null(second);
  assert_true(strncmp(first - 6, second - 6, 6) != 0); /* distinct tags */
  free(out), free(err);
  snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  assert_non_null(strstr(out, "项目"));
  assert_non_null(strstr(out, "目标"));
  free(out), free(err);
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  unlink(copy);
}

/* A packet of the six samples (the streaming writer), in PDF/A-2b:
 * every check of pdfa_check.py, and text that survives Ghostscript and
 * mutool. */
static void test_packet_pdfa(void **state) {
  fixture *fx = *state;
  static const char *const samples[] = {"01-chengshi-daolu", "02-daolu-wajue",
                                        "03-gongjiao-butie", "04-cunji-zuzhi",
                                        "05-rencai-gongzuo", "06-laji-fenshao"};
  char paths[6][512];
  const char *inputs[6];
  for (int i = 0; i < 6; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/samples/%s.yaml", JX_SOURCE_DIR,
             samples[i]);
    inputs[i] = paths[i];
  }
  jx_options opt = {.template_dir = JX_SOURCE_DIR "/templates"};
  jx_session *s = jx_session_new(&opt);
  assert_non_null(s);
  char out[512];
  snprintf(out, sizeof out, "%s/packet-pdfa.pdf", fx->dir);
  jx_packet_options popt = {.threads = 2};
  jx_render_set_pdfa_default(true);
  bool ok = jx_packet_render(s, inputs, 6, &popt, out, NULL);
  jx_render_set_pdfa_default(false);
  for (size_t k = 0; !ok && k < jx_diagnostic_count(s); k++)
    jx_diagnostic_print(jx_diagnostic_at(s, k), stderr);
  assert_true(ok);
  jx_session_free(s);
  check_pdfa(out, "--pdfa --self-test");
  check_round_trips(out);
}

/* jx_pdfa_text: the empty text stays empty (it was left unterminated),
 * malformed bytes and controls become U+FFFD, the rest is kept. */
static void test_pdfa_text(void **state) {
  (void)state;
  /* a freed block of the size the copy asks for, full of bytes that are
   * not NUL: the allocator hands it out again, so an unterminated copy
   * shows */
  char *junk = malloc(1024);
  assert_non_null(junk);
  memset(junk, 'x', 1024);
  free(junk);
  char *t = jx_pdfa_text("");
  assert_non_null(t);
  assert_string_equal(t, "");
  free(t);
  t = jx_pdfa_text("\xe6\xb1\x87\xe7\xbc\x96\x01\xff");
  assert_string_equal(t, "\xe6\xb1\x87\xe7\xbc\x96\xef\xbf\xbd\xef\xbf\xbd");
  free(t);
  assert_null(jx_pdfa_text(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_pages),
      cmocka_unit_test(test_size_and_time),
      cmocka_unit_test(test_packet_time),
      cmocka_unit_test(test_missing_folder),
      cmocka_unit_test(test_failed_write_keeps_existing),
      cmocka_unit_test(test_undrawable_text),
      cmocka_unit_test(test_positions_on_grid),
      cmocka_unit_test(test_pdfa),
      cmocka_unit_test(test_packet_pdfa),
      cmocka_unit_test(test_same_name_fonts),
      cmocka_unit_test(test_pdfa_text),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
