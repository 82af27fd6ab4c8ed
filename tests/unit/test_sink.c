/*
 * test_sink.c — the page-sink interface (sink.h): both sinks, the
 * libharu one and the streaming one, driven with the same display pages
 * into the same document — a form page with a footer drawn over it, a
 * blank page of another size, a second form page, bookmarks with Chinese
 * titles, page labels with a Chinese prefix — and each PDF checked with
 * poppler and qpdf: page count, media boxes, the text of each page, the
 * labels and the bookmarks' titles and pages.  The streaming sink takes
 * the footer from an encoder (the path packet workers use); the libharu
 * sink has none and draws it itself.
 */
#include "arena.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include "render.h"
#include "render_checks.h"
#include "sink.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state) {
  return rc_setup(state, "test_sink", rc_render_stream);
}

static int teardown(void **state) { return rc_teardown(state); }

#define FOOTER "第 1 页 共 2 页"

/* Writes the test document through `sink`: the two pages of
 * build_two_pages as pages 1 and 3, FOOTER over page 1 (through an
 * encoder when the sink has one), a blank 300 × 400 pt page 2. */
static bool write_document(fixture *fx, jx_sink *sink, jx_diag_list *diags) {
  jx_layout layout;
  jx_arena arena;
  build_two_pages(&layout, &arena, fx->face);
  jx_layout foot = {.arena = &arena};
  jx_dpage *fp = jx_layout_add_page(&foot);
  add_run(&arena, fp, fx->face, 250, 820, 9, FOOTER, false, 0);

  jx_sink_page pages[3] = {
      {{0}, 595.28, 841.89}, {{0}, 300, 400}, {{0}, 595.28, 841.89}};
  pages[0].contents[0] =
      jx_sink_add_page(sink, &layout.pages[0], layout.page_height);
  if (jx_sink_encodes(sink)) {
    jx_sink_encoder *enc = jx_sink_encoder_new(sink, &fx->fonts);
    assert_non_null(enc);
    jx_bytes b;
    assert_true(jx_sink_encode(sink, enc, &foot.pages[0], layout.page_height,
                               "footer", diags, &b));
    pages[0].contents[1] = jx_sink_add_encoded(sink, &b);
    free(b.data);
    jx_sink_encoder_free(sink, enc);
  } else {
    assert_null(jx_sink_encoder_new(sink, &fx->fonts));
    pages[0].contents[1] =
        jx_sink_add_page(sink, &foot.pages[0], layout.page_height);
  }
  pages[2].contents[0] =
      jx_sink_add_page(sink, &layout.pages[1], layout.page_height);
  /* the pages may go now: the sink holds what it needs */
  jx_arena_free(&arena);
  assert_int_equal(pages[0].contents[0], 1);
  assert_int_equal(pages[0].contents[1], 2);
  assert_int_equal(pages[2].contents[0], 3);

  jx_sink_outline ol[] = {{"部门一", 0, -1, true},
                          {"项目甲", 0, 0, false},
                          {"部门二", 2, -1, false},
                          {"项目乙 B", 2, 2, false}};
  jx_sink_label labels[] = {{0, 0, "封面", 0}, {2, 'D', NULL, 1}};
  jx_sink_doc doc = {
      .pages = pages,
      .page_count = 3,
      .outlines = ol,
      .outline_count = 4,
      .labels = labels,
      .label_count = 2,
      .info = {.title = TITLE, .subject = "两个写法", .author = "市财政局"},
      .show_outlines = true};
  return jx_sink_close(sink, &doc);
}

/* Fails unless `hay` contains `needle`. */
static void want(const char *hay, const char *needle, const char *what) {
  if (!strstr(hay, needle))
    fail_msg("%s: no '%s' in:\n%s", what, needle, hay);
}

/* The checks both PDFs must pass. */
static void check_document(const char *path) {
  char cmd[1200], *err, *out;
  snprintf(cmd, sizeof cmd, "pdfinfo -f 1 -l 3 '%s'", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  assert_true(info_is(out, "Pages", "3"));
  assert_true(info_is(out, "Title", TITLE));
  assert_true(info_is(out, "Subject", "两个写法"));
  want(out, "Page    1 size:  595.28 x 841.89 pts", "page 1 size");
  want(out, "Page    2 size:  300 x 400 pts", "page 2 size");
  want(out, "Page    3 size:  595.28 x 841.89 pts", "page 3 size");
  free(out), free(err);

  for (int p = 1; p <= 3; p++) {
    snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d '%s' -", p, p, path);
    out = run_command(cmd, &err);
    assert_string_equal(err, "");
    char *text = squeeze(out);
    if (p == 1) {
      for (size_t i = 0; i < 5; i++) {
        char *s = squeeze(page1_texts[i]);
        want(text, s, "page 1");
        free(s);
      }
      want(text, "第1页共2页", "page 1's footer");
    } else if (p == 2) {
      assert_string_equal(text, "");
    } else {
      for (size_t i = 0; i < 2; i++) {
        char *s = squeeze(page2_texts[i]);
        want(text, s, "page 3");
        free(s);
      }
      assert_null(strstr(text, "第1页"));
    }
    free(text), free(out), free(err);
  }

  snprintf(cmd, sizeof cmd,
           "qpdf --json --json-key=pagelabels --json-key=outlines '%s' | "
           "python3 -c 'import json,sys; d=json.load(sys.stdin); "
           "print([(l[\"index\"], l[\"label\"].get(\"/P\"), "
           "l[\"label\"].get(\"/S\")) for l in d[\"pagelabels\"]]); "
           "w=lambda o: [(x[\"title\"], x[\"destpageposfrom1\"], "
           "x[\"open\"], w(x[\"kids\"])) for x in o]; "
           "print(w(d[\"outlines\"]))'",
           path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  /* qpdf calls an item open unless its /Count is negative: leaves are */
  assert_string_equal(out, "[(0, 'u:封面', None), (2, None, '/D')]\n"
                           "[('部门一', 1, True, [('项目甲', 1, True, [])]), "
                           "('部门二', 3, False, [('项目乙 B', 3, True, [])])]"
                           "\n");
  free(out), free(err);
  snprintf(cmd, sizeof cmd, "qpdf --check '%s'", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  free(out), free(err);
}

static void test_both_sinks(void **state) {
  fixture *fx = *state;
  char hpdf[512], stream[512];
  snprintf(hpdf, sizeof hpdf, "%s/hpdf.pdf", fx->dir);
  snprintf(stream, sizeof stream, "%s/stream.pdf", fx->dir);
  jx_diag_list diags = {0};
  bool ok =
      write_document(fx, jx_sink_hpdf_open(hpdf, &fx->fonts, &diags), &diags);
  print_diags(&diags);
  assert_true(ok);
  jx_sink *sink =
      jx_sink_stream_open(stream, &fx->fonts, &JX_SINK_STREAM_ONE, &diags);
  assert_non_null(sink);
  ok = write_document(fx, sink, &diags);
  print_diags(&diags);
  assert_true(ok);
  assert_int_equal(diags.count, 0);
  check_document(hpdf);
  check_document(stream);
  jx_diag_list_free(&diags);
}

/* A page naming a content never added: an error, and no file. */
static void test_unknown_content(void **state) {
  fixture *fx = *state;
  char path[512];
  snprintf(path, sizeof path, "%s/unknown.pdf", fx->dir);
  jx_diag_list diags = {0};
  jx_sink *sink = jx_sink_hpdf_open(path, &fx->fonts, &diags);
  jx_sink_page pages[1] = {{{7, 0}, 100, 100}};
  jx_sink_doc doc = {.pages = pages, .page_count = 1};
  assert_false(jx_sink_close(sink, &doc));
  assert_true(diags_mention(&diags, strerror(EINVAL)));
  assert_int_equal(file_size(path), -1);
  jx_diag_list_free(&diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_both_sinks),
      cmocka_unit_test(test_unknown_content),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
