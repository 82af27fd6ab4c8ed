/*
 * test_limits.c — every named limit of src/jxlimits.h, hit and just
 * missed, and the pathological inputs of issue 7: a 1 MB cell, 10,000
 * indicators, nesting 10,000 deep, a 5,000-character unbreakable run, a
 * file of 100,000 empty lines.  Each must end quickly with a diagnostic
 * naming the limit, or with a correct PDF.
 *
 * Inputs are samples/01-chengshi-daolu.yaml with one part replaced, so
 * that they pass validation and reach layout and render.
 */
#include "arena.h"
#include "diag.h"
#include "jxlimits.h"
#include "model.h"
#include "session.h"
#include "testutil.h" /* test_load */
#include "ynode.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE JX_SOURCE_DIR "/samples/01-chengshi-daolu.yaml"
/* Upper bound for any one pathological input, sanitizers included. */
#define MAX_SECONDS 20.0

/* ---- helpers ------------------------------------------------------------
 */

/* A growable string. */
typedef struct str {
  char *data;
  size_t len, cap;
} str;

static void str_add(str *s, const char *data, size_t len) {
  if (s->len + len + 1 > s->cap) {
    s->cap = (s->len + len + 1) * 2;
    s->data = realloc(s->data, s->cap);
    assert_non_null(s->data);
  }
  memcpy(s->data + s->len, data, len);
  s->len += len;
  s->data[s->len] = '\0';
}

static void str_puts(str *s, const char *text) {
  str_add(s, text, strlen(text));
}

/* Appends `text` `n` times. */
static void str_repeat(str *s, const char *text, size_t n) {
  for (size_t i = 0; i < n; i++)
    str_puts(s, text);
}

/* The sample project, read whole (malloc'd). */
static char *read_sample(void) {
  FILE *f = fopen(SAMPLE, "rb");
  assert_non_null(f);
  str s = {0};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    str_add(&s, buf, n);
  fclose(f);
  return s.data;
}

/* The sample with the part from line "KEY:" up to the next top-level key
 * (a line starting with a letter) replaced by `text`. */
static str sample_with(const char *key, const char *text) {
  char *sample = read_sample();
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\n%s:", key);
  char *start = strstr(sample, pattern);
  assert_non_null(start);
  start++;
  char *end = start;
  do {
    end = strchr(end, '\n');
    end = end ? end + 1 : sample + strlen(sample);
  } while (*end && !((*end >= 'a' && *end <= 'z') || *end == '#'));
  str s = {0};
  str_add(&s, sample, (size_t)(start - sample));
  str_puts(&s, text);
  str_puts(&s, end);
  free(sample);
  return s;
}

/* An `overview:` line holding `n` copies of `unit`. */
static str overview_of(const char *unit, size_t n) {
  str line = {0};
  str_puts(&line, "overview: \"");
  str_repeat(&line, unit, n);
  str_puts(&line, "\"\n");
  str s = sample_with("overview", line.data);
  free(line.data);
  return s;
}

/* An `indicators:` section with `period` and `annual` rows whose value
 * is `value_chars` copies of 值 (at least "1"). */
static str indicators_of(size_t period, size_t annual, size_t value_chars) {
  str sec = {0};
  str_puts(&sec, "indicators:\n");
  size_t counts[2] = {period, annual};
  const char *sides[2] = {"period", "annual"};
  for (int s = 0; s < 2; s++) {
    if (!counts[s])
      continue;
    str_puts(&sec, "  ");
    str_puts(&sec, sides[s]);
    str_puts(&sec, ":\n");
    for (size_t i = 0; i < counts[s]; i++) {
      char head[128];
      snprintf(head, sizeof head,
               "    - {level1: 产出指标, level2: 数量指标, level3: 指标%zu, "
               "value: 1",
               i);
      str_puts(&sec, head);
      str_repeat(&sec, "值", value_chars);
      str_puts(&sec, "}\n");
    }
  }
  str s = sample_with("indicators", sec.data);
  free(sec.data);
  return s;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* True if some diagnostic's message contains `text`. */
static bool mentions(const jx_diag_list *d, const char *text) {
  for (size_t i = 0; i < d->count; i++)
    if (strstr(d->items[i].message, text))
      return true;
  return false;
}

static void print_diags(const jx_diag_list *d) {
  for (size_t i = 0; i < d->count && i < 3; i++)
    print_message("  %s\n", d->items[i].message);
}

/* Loads `data` as a session does before validating (test_load: parse,
 * the template it names, read); returns whether a model came back and
 * leaves the diagnostics in *diags (the caller frees them). */
static bool load(const char *data, size_t size, jx_diag_list *diags) {
  jx_arena arena;
  jx_arena_init(&arena);
  double t0 = now();
  jx_model *m = test_load(&arena, diags, NULL, "t.yaml", data, size, NULL);
  double took = now() - t0;
  jx_arena_free(&arena);
  assert_true(took < MAX_SECONDS);
  if (!m)
    assert_true(diags->errors >= 1); /* never refused without a reason */
  return m != NULL;
}

/* Loads, validates, lays out and renders `data` to memory through a
 * session; returns whether a PDF came out.  Error messages are copied
 * into *diags. */
static bool render(const char *data, size_t size, jx_diag_list *diags,
                   size_t *pdf_size) {
  jx_options opt = {.template_dir = JX_SOURCE_DIR "/templates"};
  jx_session *s = jx_session_new(&opt);
  assert_non_null(s);
  double t0 = now();
  jx_project *p = jx_project_load_buffer(s, "t.yaml", data, size);
  char *pdf = NULL;
  *pdf_size = 0;
  bool ok = p && jx_render_pdf_memory(s, &p, 1, &pdf, pdf_size);
  double took = now() - t0;
  assert_true(took < MAX_SECONDS);
  if (ok) {
    assert_true(*pdf_size > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
  } else {
    assert_true(jx_error_count(s) >= 1);
  }
  for (size_t i = 0; i < jx_diagnostic_count(s); i++) {
    const jx_diagnostic *d = jx_diagnostic_at(s, i);
    jx_pos pos = {d->file, d->line, d->column};
    jx_diag_add(diags, d->severity, pos, "%s", d->message);
  }
  free(pdf);
  jx_project_free(p);
  jx_session_free(s);
  return ok;
}

/* ---- bytes per file ------------------------------------------------------
 */

/* The sample padded with comment lines to exactly `size` bytes. */
static char *padded_sample(size_t size) {
  char *sample = read_sample();
  size_t len = strlen(sample);
  assert_true(size > len + 2);
  char *data = malloc(size);
  assert_non_null(data);
  memcpy(data, sample, len);
  size_t i = len;
  while (i < size) {
    size_t line = size - i < 80 ? size - i : 80;
    memset(data + i, '#', line);
    data[i + line - 1] = '\n';
    i += line;
  }
  free(sample);
  return data;
}

static void test_file_bytes(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  char *data = padded_sample(JX_LIMIT_FILE_BYTES);
  assert_true(load(data, JX_LIMIT_FILE_BYTES, &diags));
  jx_diag_list_free(&diags);
  free(data);

  data = padded_sample(JX_LIMIT_FILE_BYTES + 1);
  assert_false(load(data, JX_LIMIT_FILE_BYTES + 1, &diags));
  assert_true(mentions(&diags, "larger than the 4 MiB limit"));
  print_diags(&diags);
  jx_diag_list_free(&diags);

  /* The same through a file on disk, and through yaml.c directly (the
   * template loader's way in). */
  char path[] = "/tmp/jxform-limits-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, JX_LIMIT_FILE_BYTES + 1),
                   JX_LIMIT_FILE_BYTES + 1);
  close(fd);
  jx_arena arena;
  jx_arena_init(&arena);
  assert_null(test_load(&arena, &diags, NULL, path, NULL, 0, NULL));
  assert_true(mentions(&diags, "larger than the 4 MiB limit"));
  assert_string_equal(diags.items[0].file, path);
  jx_diag_list_free(&diags);
  assert_null(
      jx_yaml_parse(&arena, &diags, "tpl.yaml", data, JX_LIMIT_FILE_BYTES + 1));
  assert_true(mentions(&diags, "larger than the 4 MiB limit"));
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
  unlink(path);
  free(data);
}

/* ---- YAML nesting depth --------------------------------------------------
 */

/* "a: " and then `depth` - 1 nested flow sequences: `depth` levels with
 * the top mapping. */
static str nested(size_t depth) {
  str s = {0};
  str_puts(&s, "a: ");
  str_repeat(&s, "[", depth - 1);
  str_repeat(&s, "]", depth - 1);
  str_puts(&s, "\n");
  return s;
}

static void test_yaml_depth(void **state) {
  (void)state;
  jx_arena arena;
  jx_arena_init(&arena);
  jx_diag_list diags = {0};
  str ok = nested(JX_LIMIT_YAML_DEPTH);
  assert_non_null(jx_yaml_parse(&arena, &diags, "t.yaml", ok.data, ok.len));
  assert_int_equal(diags.count, 0);
  free(ok.data);

  str deep = nested(JX_LIMIT_YAML_DEPTH + 1);
  assert_null(jx_yaml_parse(&arena, &diags, "t.yaml", deep.data, deep.len));
  assert_true(mentions(&diags, "deeper than the limit of 64 levels"));
  jx_diag_list_free(&diags);
  free(deep.data);

  /* 10,000 deep, flow and block style: one diagnostic, at once. */
  str flow = nested(10000);
  assert_false(load(flow.data, flow.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_true(mentions(&diags, "deeper than the limit of 64 levels"));
  jx_diag_list_free(&diags);
  free(flow.data);

  str block = {0}; /* "- - - … x": 10,000 nested block sequences */
  str_repeat(&block, "- ", 10000);
  str_puts(&block, "x\n");
  assert_false(load(block.data, block.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_true(mentions(&diags, "deeper than the limit of 64 levels"));
  jx_diag_list_free(&diags);
  free(block.data);
  jx_arena_free(&arena);
}

/* ---- characters per cell --------------------------------------------------
 */

static void test_cell_chars(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  /* Exactly at the limit: loads, lays out and renders. */
  str s = overview_of("市", JX_LIMIT_CELL_CHARS);
  size_t pdf_size = 0;
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  print_message("  %d-character cell: PDF of %zu bytes\n", JX_LIMIT_CELL_CHARS,
                pdf_size);
  jx_diag_list_free(&diags);
  free(s.data);

  s = overview_of("市", JX_LIMIT_CELL_CHARS + 1);
  assert_false(load(s.data, s.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_true(mentions(&diags, "'overview' has 10001 characters, more than "
                               "the limit of 10000"));
  print_diags(&diags);
  jx_diag_list_free(&diags);
  free(s.data);

  /* A 1 MB cell (350,000 three-byte characters); an indicator value is
   * a cell too. */
  s = overview_of("市", 350000);
  assert_true(s.len > 1000000);
  assert_false(load(s.data, s.len, &diags));
  assert_true(mentions(&diags, "'overview' has 350000 characters"));
  jx_diag_list_free(&diags);
  free(s.data);

  s = indicators_of(1, 0, JX_LIMIT_CELL_CHARS);
  assert_false(load(s.data, s.len, &diags));
  assert_true(mentions(&diags, "'indicators.period[1].value' has 10001"));
  jx_diag_list_free(&diags);
  free(s.data);
}

/* ---- indicators per form --------------------------------------------------
 */

static void test_indicators(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  size_t pdf_size = 0;
  str s = indicators_of(JX_LIMIT_INDICATORS / 2, JX_LIMIT_INDICATORS / 2, 0);
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  print_message("  %d indicators: PDF of %zu bytes\n", JX_LIMIT_INDICATORS,
                pdf_size);
  jx_diag_list_free(&diags);
  free(s.data);

  s = indicators_of(JX_LIMIT_INDICATORS / 2, JX_LIMIT_INDICATORS / 2 + 1, 0);
  assert_false(load(s.data, s.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_true(mentions(&diags, "the form has 501 rows in 'indicators' (all "
                               "sides together)"));
  assert_true(mentions(&diags, "more than the limit of 500"));
  print_diags(&diags);
  jx_diag_list_free(&diags);
  free(s.data);

  s = indicators_of(10000, 0, 0);
  assert_false(load(s.data, s.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_true(mentions(&diags, "the form has 10000 rows in 'indicators'"));
  jx_diag_list_free(&diags);
  free(s.data);
}

/* ---- problems listed per file ---------------------------------------------
 */

/* `head`, then `n` lines of `before`, the line's number (if `numbered`)
 * and `after`. */
static str lines_of(const char *head, const char *before, bool numbered,
                    const char *after, size_t n) {
  str s = {0};
  str_puts(&s, head);
  for (size_t i = 0; i < n; i++) {
    str_puts(&s, before);
    if (numbered) {
      char num[32];
      snprintf(num, sizeof num, "%zu", i);
      str_puts(&s, num);
    }
    str_puts(&s, after);
  }
  return s;
}

/* Loads `s`, which must fail in well under a second with at most
 * JX_LIMIT_DIAGNOSTICS + 5 diagnostics, one of them containing `what`. */
static void expect_capped(str s, const char *what, const char *label) {
  jx_diag_list diags = {0};
  assert_true(s.len < JX_LIMIT_FILE_BYTES);
  double t0 = now();
  assert_false(load(s.data, s.len, &diags));
  double took = now() - t0;
  print_message("  %s: %zu diagnostics, %.2f s\n", label, diags.count, took);
  assert_true(took < 5.0);
  assert_true(diags.count <= JX_LIMIT_DIAGNOSTICS + 5);
  assert_true(mentions(&diags, what));
  jx_diag_list_free(&diags);
  free(s.data);
}

static void test_diagnostics(void **state) {
  (void)state;
  /* 40,000 unknown keys: the loader lists 100, then says it stops. */
  expect_capped(lines_of("schema: 1\nyear: 2025\n", "k", true, ": v\n", 40000),
                "more than 100 problems in this file; the rest are not "
                "listed",
                "40,000 unknown keys");
  /* 40,000 repeated keys, 300,000 aliases: the parser stops at 100. */
  expect_capped(lines_of("a:\n", "  k: ", true, "\n", 40000),
                "more than 100 problems in this file", "40,000 repeated keys");
  expect_capped(lines_of("a: &a x\nb:\n", "  - *a\n", false, "", 300000),
                "more than 100 problems in this file", "300,000 aliases");
  /* 300,000 keys, 1,000,000 list items: too many values to hold. */
  expect_capped(lines_of("", "k", true, ": v\n", 300000),
                "more than 100000 values", "300,000 keys");
  str items = {0};
  str_puts(&items, "overview: [");
  str_repeat(&items, "1,", 1000000);
  str_puts(&items, "1]\n");
  expect_capped(items, "more than 100000 values", "1,000,000 items");
}

/* ---- pages per form --------------------------------------------------------
 */

static void test_pages(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  size_t pdf_size = 0;
  /* 500 indicators of 2,700 characters each: under every other limit
   * (about 4 MB), but well over 100 pages. */
  str s = indicators_of(250, 250, 2700);
  assert_true(s.len < JX_LIMIT_FILE_BYTES);
  assert_false(render(s.data, s.len, &diags, &pdf_size));
  assert_true(mentions(&diags, "more than the limit of 100 pages per form"));
  print_diags(&diags);
  jx_diag_list_free(&diags);
  free(s.data);

  /* A long form under the limit renders. */
  s = indicators_of(250, 250, 50);
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  print_message("  500 indicators of 50 characters: PDF of %zu bytes\n",
                pdf_size);
  jx_diag_list_free(&diags);
  free(s.data);
}

/* ---- projects per PDF
 * --------------------------------------------------------
 */

static void test_projects(void **state) {
  (void)state;
  jx_options opt = {.template_dir = JX_SOURCE_DIR "/templates"};
  jx_session *s = jx_session_new(&opt);
  jx_project *p = jx_project_load(s, SAMPLE);
  assert_non_null(p);
  size_t n = JX_LIMIT_PROJECTS + 1;
  jx_project **many = malloc(n * sizeof *many);
  for (size_t i = 0; i < n; i++)
    many[i] = p;
  char path[] = "/tmp/jxform-limits-projects.pdf";
  unlink(path);
  assert_false(jx_render_pdf(s, many, n, path));
  bool found = false;
  for (size_t i = 0; i < jx_diagnostic_count(s); i++)
    found |= strstr(jx_diagnostic_at(s, i)->message,
                    "cannot put 1001 projects in one PDF: the limit is "
                    "1000") != NULL;
  assert_true(found);
  struct stat st;
  assert_int_not_equal(stat(path, &st), 0);
  free(many);
  jx_project_free(p);

  /* A packet streams its pages, so its limit is far higher; past it, the
   * inputs are not even read. */
  size_t np = JX_LIMIT_PACKET_PROJECTS + 1;
  const char **inputs = malloc(np * sizeof *inputs);
  for (size_t i = 0; i < np; i++)
    inputs[i] = SAMPLE;
  double t0 = now();
  assert_false(jx_packet_render(s, inputs, np, NULL, path, NULL));
  assert_true(now() - t0 < 1.0);
  found = false;
  for (size_t i = 0; i < jx_diagnostic_count(s); i++)
    found |= strstr(jx_diagnostic_at(s, i)->message,
                    "cannot put 100001 projects in one packet: the limit is "
                    "100000") != NULL;
  assert_true(found);
  assert_int_not_equal(stat(path, &st), 0);
  free(inputs);
  jx_session_free(s);
}

/* ---- other pathological inputs
 * ------------------------------------------------
 */

static void test_unbreakable_run(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  size_t pdf_size = 0;
  str s = overview_of("W", 5000);
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  print_message("  5,000-character Latin run: PDF of %zu bytes\n", pdf_size);
  jx_diag_list_free(&diags);
  free(s.data);
  s = overview_of("0", 5000);
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  jx_diag_list_free(&diags);
  free(s.data);
}

static void test_empty_lines(void **state) {
  (void)state;
  jx_diag_list diags = {0};
  str s = {0};
  str_repeat(&s, "\n", 100000);
  assert_false(load(s.data, s.len, &diags));
  assert_true(mentions(&diags, "the file is empty"));
  jx_diag_list_free(&diags);
  /* The same lines before a real project: it loads and renders. */
  char *sample = read_sample();
  str_puts(&s, sample);
  free(sample);
  size_t pdf_size = 0;
  assert_true(render(s.data, s.len, &diags, &pdf_size));
  jx_diag_list_free(&diags);
  free(s.data);
  /* And 100,000 carriage returns (old Mac line ends). */
  s = (str){0};
  str_repeat(&s, "\r", 100000);
  str_puts(&s, "schema: @x\n");
  assert_false(load(s.data, s.len, &diags));
  assert_int_equal(diags.errors, 1);
  assert_int_equal(diags.items[0].line, 100001);
  assert_int_equal(diags.items[0].column, 9);
  jx_diag_list_free(&diags);
  free(s.data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_file_bytes),
      cmocka_unit_test(test_yaml_depth),
      cmocka_unit_test(test_cell_chars),
      cmocka_unit_test(test_indicators),
      cmocka_unit_test(test_diagnostics),
      cmocka_unit_test(test_pages),
      cmocka_unit_test(test_projects),
      cmocka_unit_test(test_unbreakable_run),
      cmocka_unit_test(test_empty_lines),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  test_templates_free();
  return failed;
}
