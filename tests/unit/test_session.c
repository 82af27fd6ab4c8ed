/*
 * test_session.c — the public session API (src/session.c): sessions made
 * and freed; the template folder taken from jx_options, else from
 * $JXFORM_TEMPLATE_DIR; projects loaded from a buffer with their
 * diagnostics (file, line, column, severity, rule); jx_check_projects on
 * two projects; --strict turning warnings into errors, at load and
 * across projects; error counts; and the summaries the rules across
 * projects run on (jx_across, session.h): the same diagnostics as the
 * rule on whole models (validate.c), after the projects are freed; and
 * render of several projects through the pipeline (one PDF, their pages
 * in turn).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jxform/jxform.h"
#include "session.h"
#include "testutil.h" /* test_load */
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATES JX_SOURCE_DIR "/templates"
#define SAMPLE01 JX_SOURCE_DIR "/samples/01-chengshi-daolu.yaml"
#define SAMPLE02 JX_SOURCE_DIR "/samples/02-daolu-wajue.yaml"

/* Folders made by main() before any session: `env_dir` holds a copy of
 * yangquan-2025 named mine.yaml and is $JXFORM_TEMPLATE_DIR; `empty_dir`
 * holds no template. */
static char env_dir[] = "/tmp/jx-test-session-env-XXXXXX";
static char empty_dir[] = "/tmp/jx-test-session-empty-XXXXXX";
static char mine_path[sizeof env_dir + 16];

/* ---- helpers ---- */

static void write_all(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  assert_int_equal(fclose(f), 0);
}

static jx_session *session_at(const char *dir) {
  jx_options opt = {.template_dir = dir};
  jx_session *s = jx_session_new(&opt);
  assert_non_null(s);
  return s;
}

static jx_project *load_text(jx_session *s, const char *name,
                             const char *text) {
  return jx_project_load_buffer(s, name, text, strlen(text));
}

static void print_all(const jx_session *s) {
  for (size_t i = 0; i < jx_diagnostic_count(s); i++)
    jx_diagnostic_print(jx_diagnostic_at(s, i), stderr);
}

static bool same_string(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* True when diagnostic a and b say the same, field by field. */
static bool same_diag(const jx_diagnostic *a, const jx_diagnostic *b) {
  if (a->severity != b->severity || a->line != b->line ||
      a->column != b->column || a->arg_count != b->arg_count ||
      !same_string(a->file, b->file) || !same_string(a->message, b->message) ||
      !same_string(a->rule, b->rule) || !same_string(a->field, b->field) ||
      !same_string(a->label, b->label) || !same_string(a->detail, b->detail))
    return false;
  for (size_t k = 0; k < a->arg_count; k++)
    if (!same_string(a->args[k], b->args[k]))
      return false;
  return true;
}

/* ---- sessions and their template folder ---- */

static void test_new_free(void **state) {
  (void)state;
  jx_session *s = jx_session_new(NULL);
  assert_non_null(s);
  assert_int_equal(jx_diagnostic_count(s), 0);
  assert_int_equal(jx_error_count(s), 0);
  assert_null(jx_diagnostic_at(s, 0));
  jx_session_free(s);
  jx_session_free(NULL); /* allowed, as free(NULL) */
  /* a project is the caller's: freed before or after another */
  s = session_at(TEMPLATES);
  jx_project *p = jx_project_load(s, SAMPLE02);
  jx_project *q = jx_project_load(s, SAMPLE02);
  assert_non_null(p);
  assert_non_null(q);
  jx_project_free(p);
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  assert_true(jx_project_dump_model(q, out));
  fclose(out);
  assert_non_null(strstr(text, "道路挖掘修复费"));
  free(text);
  jx_project_free(q);
  jx_project_free(NULL);
  jx_session_free(s);
}

/* The template folder: jx_options.template_dir when given, else
 * $JXFORM_TEMPLATE_DIR (set by main to env_dir). */
static void test_template_dir(void **state) {
  (void)state;
  char *text = test_read_file(SAMPLE02, NULL);
  char *mine = test_replace(text, "template: yangquan-2025", "template: mine");
  /* no options, or an empty folder name: $JXFORM_TEMPLATE_DIR */
  const jx_options empty_name = {.template_dir = ""};
  const jx_options *defaults[] = {NULL, &empty_name};
  for (size_t k = 0; k < 2; k++) {
    jx_session *s = jx_session_new(defaults[k]);
    assert_non_null(s);
    jx_project *p = load_text(s, "mine.yaml", mine);
    print_all(s);
    assert_non_null(p);
    jx_project_free(p);
    assert_null(load_text(s, "02.yaml", text)); /* no yangquan-2025 there */
    char want[256];
    snprintf(want, sizeof want,
             "the project asks for template 'yangquan-2025' (looked in %s)",
             env_dir);
    const jx_diagnostic *d = jx_diagnostic_at(s, jx_diagnostic_count(s) - 1);
    assert_string_equal(d->message, want);
    assert_string_equal(d->file, "02.yaml");
    assert_int_equal(d->line, 5);
    assert_int_equal(d->column, 11);
    jx_session_free(s);
  }
  /* the option wins over the environment */
  jx_session *s = session_at(TEMPLATES);
  jx_project *p = load_text(s, "02.yaml", text);
  assert_non_null(p);
  jx_project_free(p);
  assert_null(load_text(s, "mine.yaml", mine));
  jx_session_free(s);
  s = session_at(empty_dir);
  assert_null(load_text(s, "02.yaml", text));
  char want[256];
  snprintf(want, sizeof want,
           "the project asks for template 'yangquan-2025' (looked in %s)",
           empty_dir);
  assert_string_equal(jx_diagnostic_at(s, jx_diagnostic_count(s) - 1)->message,
                      want);
  jx_session_free(s);
  free(mine);
  free(text);
}

/* ---- loading, with diagnostics ---- */

static void test_load_buffer(void **state) {
  (void)state;
  jx_session *s = session_at(TEMPLATES);
  size_t size;
  char *text = test_read_file(SAMPLE02, &size);
  jx_project *p = jx_project_load_buffer(s, "good.yaml", text, size);
  assert_non_null(p);
  assert_int_equal(jx_diagnostic_count(s), 0);
  jx_project_free(p);

  /* YAML broken on line 2: one error there, with the file's name */
  assert_null(load_text(s, "broken.yaml", "schema: 1\nyear: [oops\n"));
  assert_true(jx_diagnostic_count(s) >= 1);
  assert_int_equal(jx_error_count(s), jx_diagnostic_count(s));
  const jx_diagnostic *d = jx_diagnostic_at(s, 0);
  assert_int_equal(d->severity, JX_SEV_ERROR);
  assert_string_equal(d->file, "broken.yaml");
  assert_int_equal(d->line, 2);
  size_t before = jx_diagnostic_count(s);

  /* an empty buffer is the empty file it is; NULL data too */
  assert_null(jx_project_load_buffer(s, "empty.yaml", NULL, 0));
  assert_int_equal(jx_diagnostic_count(s), before + 1);
  d = jx_diagnostic_at(s, before);
  assert_string_equal(d->file, "empty.yaml");
  assert_non_null(strstr(d->message, "the file is empty"));

  /* a field the form requires, left out, and two amounts that are not:
   * every problem of the file, in line order, each with its field */
  char *bad = test_replace(text, "  name: 道路挖掘修复费", "  name: ~");
  char *worse = test_replace(bad, "    provincial: 0  # 省级财政资金",
                             "    provincial: abc  # 省级财政资金");
  before = jx_diagnostic_count(s);
  size_t errors = jx_error_count(s);
  assert_null(load_text(s, "worse.yaml", worse));
  assert_int_equal(jx_error_count(s), errors + 3);
  assert_int_equal(jx_diagnostic_count(s), before + 3);
  static const unsigned lines[] = {9, 22, 29};
  static const char *const ids[] = {"'project.name'",
                                    "'funds.period.provincial'",
                                    "'funds.annual.provincial'"};
  for (size_t i = 0; i < 3; i++) {
    d = jx_diagnostic_at(s, before + i);
    assert_string_equal(d->file, "worse.yaml");
    assert_int_equal(d->severity, JX_SEV_ERROR);
    assert_int_equal(d->line, lines[i]);
    assert_non_null(strstr(d->message, ids[i]));
  }

  /* a file that is not there */
  before = jx_diagnostic_count(s);
  assert_null(jx_project_load(s, "/nonexistent/dir/x.yaml"));
  assert_int_equal(jx_diagnostic_count(s), before + 1);
  assert_non_null(
      strstr(jx_diagnostic_at(s, before)->message, "cannot open the file"));
  free(worse);
  free(bad);
  free(text);
  jx_session_free(s);
}

/* Sample 01 has two warnings of its own (22487000 with no unit):
 * --strict makes them errors and the project does not load. */
static void test_strict_load(void **state) {
  (void)state;
  char *text = test_read_file(SAMPLE01, NULL);
  jx_session *s = session_at(TEMPLATES);
  jx_project *p = load_text(s, "01.yaml", text);
  assert_non_null(p);
  jx_project_free(p);
  assert_int_equal(jx_diagnostic_count(s), 2);
  assert_int_equal(jx_error_count(s), 0);
  for (size_t i = 0; i < 2; i++) {
    assert_int_equal(jx_diagnostic_at(s, i)->severity, JX_SEV_WARNING);
    assert_string_equal(jx_diagnostic_at(s, i)->rule, "value-unit");
  }
  jx_session_set_strict(s, true);
  /* (another name: validate.c's --strict also turns the warnings recorded
   * before for a file of the same name into errors) */
  assert_null(load_text(s, "01-strict.yaml", text));
  assert_int_equal(jx_diagnostic_count(s), 4);
  assert_int_equal(jx_error_count(s), 2);
  assert_int_equal(jx_diagnostic_at(s, 2)->severity, JX_SEV_ERROR);
  assert_int_equal(jx_diagnostic_at(s, 2)->line, 59);
  assert_int_equal(jx_diagnostic_at(s, 3)->line, 67);
  /* and back */
  jx_session_set_strict(s, false);
  p = load_text(s, "01.yaml", text);
  assert_non_null(p);
  jx_project_free(p);
  assert_int_equal(jx_error_count(s), 2);
  /* the counts restart with the list */
  jx_session_clear_diagnostics(s);
  assert_int_equal(jx_diagnostic_count(s), 0);
  assert_int_equal(jx_error_count(s), 0);
  jx_session_free(s);
  free(text);
}

/* ---- the rules across projects ---- */

/* Checks the two warnings of samples 01 and 02 checked together, from
 * index `first`: 01's 22487000 (实施期 line 59, 年度 line 67) is 02's
 * total. */
static void assert_other_total(const jx_session *s, size_t first,
                               jx_severity sev) {
  assert_int_equal(jx_diagnostic_count(s), first + 2);
  static const unsigned lines[] = {59, 67};
  static const char *const sides[] = {"实施期", "年度"};
  for (size_t i = 0; i < 2; i++) {
    const jx_diagnostic *d = jx_diagnostic_at(s, first + i);
    assert_int_equal(d->severity, sev);
    assert_string_equal(d->file, SAMPLE01);
    assert_int_equal(d->line, lines[i]);
    assert_int_equal(d->column, 57);
    assert_string_equal(d->rule, "value-other-total");
    assert_string_equal(d->field, "value");
    assert_string_equal(d->label, "指标值");
    assert_int_equal(d->arg_count, 6);
    assert_string_equal(d->args[0], sides[i]);
    assert_string_equal(d->args[2], "22487000");
    assert_string_equal(d->args[3], "实施期资金总额");
    assert_string_equal(d->args[4], "道路挖掘修复费");
    assert_string_equal(d->args[5], SAMPLE02);
  }
}

static void test_check_projects(void **state) {
  (void)state;
  jx_session *s = session_at(TEMPLATES);
  jx_project *p[2] = {jx_project_load(s, SAMPLE01),
                      jx_project_load(s, SAMPLE02)};
  assert_non_null(p[0]);
  assert_non_null(p[1]);
  size_t first = jx_diagnostic_count(s); /* 01's own two warnings */
  assert_int_equal(first, 2);
  assert_true(jx_check_projects(s, p, 2));
  assert_other_total(s, first, JX_SEV_WARNING);
  assert_int_equal(jx_error_count(s), 0);
  /* one project alone, or none: nothing to compare */
  first = jx_diagnostic_count(s);
  assert_true(jx_check_projects(s, p, 1));
  assert_true(jx_check_projects(s, p + 1, 1));
  assert_true(jx_check_projects(s, p, 0));
  assert_int_equal(jx_diagnostic_count(s), first);
  /* 02 first: the same warnings, about 01 */
  jx_project *q[2] = {p[1], p[0]};
  assert_true(jx_check_projects(s, q, 2));
  assert_other_total(s, first, JX_SEV_WARNING);
  /* --strict: errors, and false */
  jx_session_set_strict(s, true);
  first = jx_diagnostic_count(s);
  assert_false(jx_check_projects(s, p, 2));
  assert_other_total(s, first, JX_SEV_ERROR);
  assert_int_equal(jx_error_count(s), 2);
  jx_project_free(p[0]);
  jx_project_free(p[1]);
  jx_session_free(s);
}

/* The summaries outlive their projects: added, the projects freed, then
 * checked, they give jx_check_projects's diagnostics. */
static void test_across_after_free(void **state) {
  (void)state;
  jx_session *s = session_at(TEMPLATES);
  jx_across *a = jx_across_new();
  assert_int_equal(jx_across_count(a), 0);
  static const char *const paths[] = {SAMPLE01, SAMPLE02};
  for (size_t i = 0; i < 2; i++) {
    jx_project *p = jx_project_load(s, paths[i]);
    assert_non_null(p);
    jx_across_add(a, p);
    /* scribble over the freed project's memory, as a reuse would */
    jx_project_free(p);
    char *junk[64];
    for (size_t k = 0; k < 64; k++) {
      junk[k] = malloc(4096);
      assert_non_null(junk[k]);
      memset(junk[k], 'x', 4096);
      junk[k][4095] = '\0';
    }
    for (size_t k = 0; k < 64; k++)
      free(junk[k]);
  }
  assert_int_equal(jx_across_count(a), 2);
  size_t first = jx_diagnostic_count(s);
  assert_true(jx_across_check(s, a));
  assert_other_total(s, first, JX_SEV_WARNING);
  jx_across_free(a);
  jx_across_free(NULL);
  jx_session_free(s);
}

/* The rule on summaries says exactly what it says on whole models
 * (jx_validate_across), whatever the value: plain amounts written every
 * way, a leading comma, the project's own total, amounts of two other
 * projects (the first one named), and values that are not amounts. */
static void test_across_as_whole_models(void **state) {
  (void)state;
  char *t01 = test_read_file(SAMPLE01, NULL);
  char *t02 = test_read_file(SAMPLE02, NULL);
  /* C: another project, total 5,000,000; D: 02's total, another name */
  char *c_amounts = test_replace(t02, "22487000", "5000000");
  char *t_c = test_replace(c_amounts, "name: 道路挖掘修复费", "name: 另一项目");
  char *t_d = test_replace(t02, "name: 道路挖掘修复费", "name: 同额项目");
  static const struct {
    const char *value;
    size_t warnings; /* on each side of project A */
  } cases[] = {
      {"22487000", 1},      {"22,487,000", 1},  {"22487000元", 1},
      {"22,487,000元", 1},  {",22,487,000", 1}, {"0022487000", 1},
      {"5,000,000元", 1},   {"34060000", 0}, /* A's own total */
      {"22487000万元", 0},  {"22487000 元", 0}, {"≥22487000", 0},
      {" 22487000", 0},     {"2248", 0},        {"1234567890123456", 0},
      {"22487000.00元", 0}, {"117条", 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", cases[k].value);
    char *t_a = test_replace(t01, "\"22487000\"", quoted);
    const char *texts[] = {t_a, t_d, t02, t_c};
    const char *names[] = {"a.yaml", "d.yaml", "b.yaml", "c.yaml"};
    for (int strict = 0; strict < 2; strict++) {
      /* whole models, straight to validate.c */
      jx_arena arena;
      jx_arena_init(&arena);
      jx_diag_list whole = {0};
      const jx_model *models[4];
      for (size_t i = 0; i < 4; i++) {
        models[i] = test_load(&arena, &whole, NULL, names[i], texts[i],
                              strlen(texts[i]), NULL);
        assert_non_null(models[i]);
      }
      jx_diag_list_free(&whole);
      bool whole_ok = jx_validate_across(models, 4, strict, &whole);
      /* summaries, through the session */
      jx_session *s = session_at(TEMPLATES);
      jx_project *p[4];
      for (size_t i = 0; i < 4; i++) {
        p[i] = load_text(s, names[i], texts[i]);
        assert_non_null(p[i]);
      }
      jx_session_clear_diagnostics(s);
      jx_session_set_strict(s, strict);
      bool ok = jx_check_projects(s, p, 4);
      assert_int_equal(ok, whole_ok);
      if (jx_diagnostic_count(s) != whole.count) {
        fprintf(stderr,
                "value '%s': %zu diagnostics on summaries, %zu on "
                "whole models\n",
                cases[k].value, jx_diagnostic_count(s), whole.count);
        print_all(s);
      }
      assert_int_equal(jx_diagnostic_count(s), whole.count);
      for (size_t i = 0; i < whole.count; i++)
        assert_true(same_diag(jx_diagnostic_at(s, i), &whole.items[i]));
      /* A's two values (a 22487000 names D, listed before 02) */
      assert_int_equal(whole.count, 2 * cases[k].warnings);
      for (size_t i = 0; i < whole.count; i++) {
        assert_string_equal(whole.items[i].file, "a.yaml");
        assert_string_equal(whole.items[i].args[4],
                            strstr(cases[k].value, "5") == cases[k].value
                                ? "另一项目"
                                : "同额项目");
      }
      for (size_t i = 0; i < 4; i++)
        jx_project_free(p[i]);
      jx_session_free(s);
      jx_diag_list_free(&whole);
      jx_arena_free(&arena);
    }
    free(t_a);
  }
  free(t_d);
  free(t_c);
  free(c_amounts);
  free(t02);
  free(t01);
}

/* The pages of a PDF held in memory: its "/Type /Page" objects (the
 * libharu sink writes no object streams). */
static size_t pdf_pages(const char *data, size_t size) {
  size_t n = 0;
  const char *key = "/Type /Page";
  size_t k = strlen(key);
  for (size_t i = 0; i + k < size; i++)
    n += !memcmp(data + i, key, k) && data[i + k] != 's';
  return n;
}

/* render of several projects runs the pipeline on the calling thread
 * into one plain document: the pages of each in turn, as given (a project
 * twice is there twice); no project is an error. */
static void test_render_pipeline(void **state) {
  (void)state;
  jx_session *s = session_at(TEMPLATES);
  jx_project *p1 = jx_project_load(s, SAMPLE01);
  jx_project *p2 = jx_project_load(s, SAMPLE02);
  assert_non_null(p1);
  assert_non_null(p2);
  char *d = NULL;
  size_t n = 0, pages1, pages2;
  assert_true(jx_render_pdf_memory(s, &p1, 1, &d, &n));
  pages1 = pdf_pages(d, n);
  free(d);
  assert_true(jx_render_pdf_memory(s, &p2, 1, &d, &n));
  pages2 = pdf_pages(d, n);
  free(d);
  assert_true(pages1 >= 1 && pages2 >= 1);
  jx_project *both[] = {p2, p1, p2};
  assert_true(jx_render_pdf_memory(s, both, 3, &d, &n));
  assert_int_equal(pdf_pages(d, n), pages1 + 2 * pages2);
  free(d);
  assert_int_equal(jx_error_count(s), 0);
  /* none: said, nothing written */
  d = (char *)1;
  assert_false(jx_render_pdf_memory(s, both, 0, &d, &n));
  assert_null(d);
  assert_int_equal(jx_error_count(s), 1);
  jx_project_free(p1);
  jx_project_free(p2);
  jx_session_free(s);
}

/* A second pass over a file (render, file by file): its diagnostics are
 * not recorded again; a file broken since says why. */
static void test_reload(void **state) {
  (void)state;
  char dir[] = "/tmp/jx-test-reload-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/01.yaml", dir);
  char *text = test_read_file(SAMPLE01, NULL);
  write_all(path, text);
  jx_session *s = session_at(TEMPLATES);
  jx_project *p = jx_project_load(s, path);
  assert_non_null(p);
  assert_int_equal(jx_diagnostic_count(s), 2); /* its two warnings */
  jx_project *again = jx_project_reload(s, path);
  assert_non_null(again);
  assert_int_equal(jx_diagnostic_count(s), 2);
  /* the same project */
  char *d1 = NULL, *d2 = NULL;
  size_t n1 = 0, n2 = 0;
  FILE *o1 = open_memstream(&d1, &n1), *o2 = open_memstream(&d2, &n2);
  assert_true(jx_project_dump_model(p, o1));
  assert_true(jx_project_dump_model(again, o2));
  fclose(o1);
  fclose(o2);
  assert_string_equal(d1, d2);
  free(d1);
  free(d2);
  jx_project_free(again);
  jx_project_free(p);
  /* broken since the first pass */
  write_all(path, "schema: 1\nyear: [oops\n");
  assert_null(jx_project_reload(s, path));
  assert_true(jx_diagnostic_count(s) > 2);
  assert_string_equal(jx_diagnostic_at(s, 2)->file, path);
  assert_int_equal(jx_diagnostic_at(s, 2)->severity, JX_SEV_ERROR);
  assert_true(jx_error_count(s) > 0);
  jx_session_free(s);
  free(text);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  /* before any session: the default template folder is read once */
  if (!mkdtemp(env_dir) || !mkdtemp(empty_dir))
    return 1;
  snprintf(mine_path, sizeof mine_path, "%s/mine.yaml", env_dir);
  {
    size_t size;
    FILE *in = fopen(TEMPLATES "/yangquan-2025.yaml", "rb");
    FILE *out = fopen(mine_path, "wb");
    if (!in || !out)
      return 1;
    char buf[65536];
    while ((size = fread(buf, 1, sizeof buf, in)) > 0)
      fwrite(buf, 1, size, out);
    fclose(in);
    if (fclose(out) != 0)
      return 1;
  }
  setenv("JXFORM_TEMPLATE_DIR", env_dir, 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_free),
      cmocka_unit_test(test_template_dir),
      cmocka_unit_test(test_load_buffer),
      cmocka_unit_test(test_strict_load),
      cmocka_unit_test(test_check_projects),
      cmocka_unit_test(test_across_after_free),
      cmocka_unit_test(test_across_as_whole_models),
      cmocka_unit_test(test_reload),
      cmocka_unit_test(test_render_pipeline),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  test_templates_free();
  unlink(mine_path);
  rmdir(env_dir);
  rmdir(empty_dir);
  return failed;
}
