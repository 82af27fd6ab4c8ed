/*
 * test_packet.c — a packet's order and numbering (src/order.c,
 * src/document.c): the
 * order of projects alone (jx_packet_sort, packet.h: department code,
 * then names in 拼音 order by ICU's collator — 安 < 白 < 张 < 赵, not their
 * code point order 安 张 白 赵 —, then byte order, then input position;
 * --order=input and --order=name); and through the public
 * jx_packet_render, on project files written to a temporary folder: the
 * contents in that order, the summary (files, projects, pages, left
 * out), the forms' page count, the page labels (封面, 目录1…, 1…), the
 * footers (第 N 页 共 M 页, by pdftotext) and --duplex starting every
 * project on an odd page; and the pipeline render and packet share
 * (jx_pipeline_run, document.h), through a sink that records the pages
 * it is given: the same form pages in the same order from render's way
 * (projects loaded first, laid out on the caller, display pages handed
 * over) and the packet's (worker threads, pages encoded there, front
 * matter and footers added), and what each does with a bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "document.h"
#include "jxform/jxform.h"
#include "packet.h"
#include "sink.h"
#include "testutil.h" /* test_replace, test_read_file */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATES JX_SOURCE_DIR "/templates"
#define SAMPLE02 JX_SOURCE_DIR "/samples/02-daolu-wajue.yaml"

/* ---- the order alone ---- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Sorts `keys` (input positions 0..n-1 as given) and checks that the
 * names then read `want`, in order. */
static void assert_order(jx_packet_key *keys, size_t n, jx_packet_order order,
                         const char *const *want) {
  for (size_t i = 0; i < n; i++)
    keys[i].input = i;
  assert_true(jx_packet_sort(keys, n, order)); /* ICU has zh */
  for (size_t i = 0; i < n; i++) {
    if (strcmp(keys[i].name, want[i])) {
      for (size_t k = 0; k < n; k++)
        fprintf(stderr, "  %zu: %s %s %s (input %zu)\n", k, keys[k].dept_code,
                keys[k].dept_name, keys[k].name, keys[k].input);
    }
    assert_string_equal(keys[i].name, want[i]);
  }
}

/* One department: names in 拼音 order, whatever the order given. */
static void test_pinyin(void **state) {
  (void)state;
  jx_packet_key keys[] = {
      {"045", "城管局", "赵庄道路维修", 0},
      {"045", "城管局", "安置房配套", 0},
      {"045", "城管局", "张家巷改造", 0},
      {"045", "城管局", "白羊墅排水", 0},
  };
  static const char *const want[] = {"安置房配套", "白羊墅排水", "张家巷改造",
                                     "赵庄道路维修"};
  assert_order(keys, COUNT(keys), JX_ORDER_DEPT, want);
  /* the same four by name only */
  assert_order(keys, COUNT(keys), JX_ORDER_NAME, want);
}

/* Departments by code first (byte order), then names within each. */
static void test_departments(void **state) {
  (void)state;
  jx_packet_key keys[] = {
      {"045", "城管局", "安置房配套", 0}, {"003", "财政局", "赵庄道路维修", 0},
      {"045", "城管局", "白羊墅排水", 0}, {"010", "教育局", "张家巷改造", 0},
      {"003", "财政局", "白羊墅排水", 0},
  };
  static const char *const dept[] = {"白羊墅排水", "赵庄道路维修", "张家巷改造",
                                     "安置房配套", "白羊墅排水"};
  assert_order(keys, COUNT(keys), JX_ORDER_DEPT, dept);
  assert_string_equal(keys[0].dept_code, "003");
  assert_string_equal(keys[3].dept_code, "045");
  /* by name: 安 白 白 张 赵; the two 白 by department code */
  static const char *const name[] = {"安置房配套", "白羊墅排水", "白羊墅排水",
                                     "张家巷改造", "赵庄道路维修"};
  assert_order(keys, COUNT(keys), JX_ORDER_NAME, name);
  assert_string_equal(keys[1].dept_code, "003");
  assert_string_equal(keys[2].dept_code, "045");
  /* one code, two department names: the names in 拼音 order */
  jx_packet_key same_code[] = {{"045", "张店街道", "甲", 0},
                               {"045", "安泰街道", "乙", 0}};
  static const char *const by_dept_name[] = {"乙", "甲"};
  assert_order(same_code, 2, JX_ORDER_DEPT, by_dept_name);
}

/* Ties: names the collator finds equal are then compared byte by byte;
 * the very same department and name keep their input order. */
static void test_ties(void **state) {
  (void)state;
  /* U+00AD (soft hyphen) is ignored by the collator: "安\u00AD项目" and
   * "安项目" collate equal: byte order (0xC2 < 0xE9) decides, not the
   * input order */
  jx_packet_key soft[] = {{"045", "城管局", "安项目", 0},
                          {"045", "城管局", "安\xC2\xAD项目", 0}};
  static const char *const bytes[] = {"安\xC2\xAD项目", "安项目"};
  assert_order(soft, 2, JX_ORDER_DEPT, bytes);
  /* the same name in the same department: input order, both ways */
  jx_packet_key twins[] = {{"045", "城管局", "张家巷改造", 0},
                           {"045", "城管局", "安置房配套", 0},
                           {"045", "城管局", "张家巷改造", 0}};
  for (size_t i = 0; i < 3; i++)
    twins[i].input = i;
  twins[0].input = 7; /* given later than the other 张 */
  assert_true(jx_packet_sort(twins, 3, JX_ORDER_DEPT));
  assert_string_equal(twins[0].name, "安置房配套");
  assert_int_equal(twins[1].input, 2);
  assert_int_equal(twins[2].input, 7);
  assert_true(jx_packet_sort(twins, 3, JX_ORDER_NAME));
  assert_int_equal(twins[1].input, 2);
  assert_int_equal(twins[2].input, 7);
}

/* --order=input: as given, whatever the names. */
static void test_input_order(void **state) {
  (void)state;
  jx_packet_key keys[] = {
      {"045", "城管局", "赵庄道路维修", 0},
      {"003", "财政局", "安置房配套", 0},
      {"045", "城管局", "张家巷改造", 0},
      {"001", "人大", "白羊墅排水", 0},
  };
  static const char *const want[] = {"赵庄道路维修", "安置房配套", "张家巷改造",
                                     "白羊墅排水"};
  assert_order(keys, COUNT(keys), JX_ORDER_INPUT, want);
  assert_true(jx_packet_sort(keys, 0, JX_ORDER_DEPT)); /* nothing to sort */
}

/* ---- through jx_packet_render ---- */

typedef struct pfixture {
  char dir[64];
  char *paths[8];
  size_t count;
  char pdf[96];
} pfixture;

/* Writes project file `file` into the fixture's folder: sample 02 (one
 * page) with department `code`, project `name` and every amount of
 * 22,487,000 made `amount` (which tells the projects apart in the
 * contents). */
static void add_project(pfixture *f, const char *file, const char *code,
                        const char *name, const char *amount) {
  char *text = test_read_file(SAMPLE02, NULL);
  char code_line[32], name_line[256];
  snprintf(code_line, sizeof code_line, "code: \"%s\"", code);
  snprintf(name_line, sizeof name_line, "name: %s  # 项目名称", name);
  char *a = test_replace(text, "code: \"045\"", code_line);
  char *b = test_replace(a, "name: 道路挖掘修复费  # 项目名称", name_line);
  char *c = test_replace(b, "22487000", amount);
  char path[128];
  snprintf(path, sizeof path, "%s/%s", f->dir, file);
  FILE *out = fopen(path, "wb");
  assert_non_null(out);
  fputs(c, out);
  assert_int_equal(fclose(out), 0);
  f->paths[f->count++] = strdup(path);
  free(c);
  free(b);
  free(a);
  free(text);
}

static int psetup(void **state) {
  pfixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/jx-test-packet-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->pdf, sizeof f->pdf, "%s/packet.pdf", f->dir);
  /* given in neither 拼音 nor code point order; 003 before 045 */
  add_project(f, "1.yaml", "045", "赵庄道路维修", "1100000");
  add_project(f, "2.yaml", "045", "张家巷改造", "1200000");
  add_project(f, "3.yaml", "003", "赵庄道路维修", "1300000");
  add_project(f, "4.yaml", "045", "安置房配套", "1400000");
  add_project(f, "5.yaml", "045", "白羊墅排水", "1500000");
  add_project(f, "6.yaml", "045", "张家巷改造", "1600000"); /* a twin */
  *state = f;
  return 0;
}

static int pteardown(void **state) {
  pfixture *f = *state;
  for (size_t i = 0; i < f->count; i++) {
    unlink(f->paths[i]);
    free(f->paths[i]);
  }
  unlink(f->pdf);
  char broken[96];
  snprintf(broken, sizeof broken, "%s/broken.yaml", f->dir);
  unlink(broken);
  rmdir(f->dir);
  free(f);
  return 0;
}

/* True if the PDF file `path` holds the bytes `s` (PDFs hold NULs). */
static bool pdf_holds(const char *path, const char *s) {
  size_t size, n = strlen(s);
  char *data = test_read_file(path, &size);
  bool found = false;
  for (size_t i = 0; !found && i + n <= size; i++)
    found = !memcmp(data + i, s, n);
  free(data);
  return found;
}

static bool have_pdftotext(void) {
  return system("pdftotext -v > /dev/null 2>&1") == 0;
}

/* The text of pages first..last of `pdf` (pdftotext -layout), malloc'd. */
static char *pdf_text(const char *pdf, int first, int last) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' - 2>&1", first,
           last, pdf);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 16, n = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  size_t got;
  while ((got = fread(text + n, 1, cap - n - 1, p)) > 0) {
    n += got;
    if (n + 1 == cap) {
      cap *= 2;
      text = realloc(text, cap);
      assert_non_null(text);
    }
  }
  text[n] = '\0';
  assert_int_equal(pclose(p), 0);
  return text;
}

/* Checks that `text` shows the amounts `want` (in 元, as printed) in that
 * order. */
static void assert_amounts_in_order(const char *text, const char *const *want,
                                    size_t n) {
  const char *at = text;
  for (size_t i = 0; i < n; i++) {
    const char *next = strstr(at, want[i]);
    if (!next)
      fprintf(stderr, "'%s' not after position %td in:\n%s\n", want[i],
              at - text, text);
    assert_non_null(next);
    at = next + strlen(want[i]);
  }
}

/* The page number the contents give on the line of `amount`: the last
 * number on that line; -1 when there is none. */
static long page_of(const char *contents, const char *amount) {
  const char *at = strstr(contents, amount);
  assert_non_null(at);
  const char *end = strchr(at, '\n');
  if (!end)
    end = at + strlen(at);
  while (end > at && end[-1] == ' ')
    end--;
  const char *start = end;
  while (start > at && start[-1] >= '0' && start[-1] <= '9')
    start--;
  if (start == end || start[-1] != ' ')
    return -1;
  return strtol(start, NULL, 10);
}

static void print_all(const jx_session *s) {
  for (size_t i = 0; i < jx_diagnostic_count(s); i++)
    jx_diagnostic_print(jx_diagnostic_at(s, i), stderr);
}

/* Renders the fixture's projects with `opt`; returns the session. */
static jx_session *render(pfixture *f, jx_packet_options *opt,
                          size_t *form_pages) {
  jx_options so = {.template_dir = TEMPLATES};
  jx_session *s = jx_session_new(&so);
  assert_non_null(s);
  bool ok = jx_packet_render_forms(s, (const char *const *)f->paths, f->count,
                                   opt, f->pdf, NULL, form_pages);
  if (!ok)
    print_all(s);
  assert_true(ok);
  return s;
}

/* The contents in department and 拼音 order; the summary and numbering
 * of a packet of six one-page forms. */
static void test_render_order(void **state) {
  pfixture *f = *state;
  jx_packet_summary sum;
  size_t forms = 0;
  jx_packet_options opt = {.threads = 2, .summary = &sum};
  jx_session *s = render(f, &opt, &forms);
  assert_int_equal(jx_error_count(s), 0);
  jx_session_free(s);
  assert_int_equal(sum.files, 1);
  assert_int_equal(sum.projects, 6);
  assert_int_equal(sum.left_out, 0);
  assert_int_equal(forms, 6);
  /* cover, one page of contents, the six forms */
  assert_int_equal(sum.pages, 8);
  /* page labels: 封面, 目录1, then 1.. (the catalog is not compressed) */
  assert_true(pdf_holds(f->pdf, "/PageLabels<</Nums[0<</P<FEFF5C019762>>> "
                                "1<</S/D/P<FEFF76EE5F55>>> 2<</S/D>>]>>"));
  if (!have_pdftotext())
    skip();
  /* 003 first; in 045: 安 白 张 张 赵, the two 张 in input order */
  static const char *const dept[] = {"1,300,000", "1,400,000", "1,500,000",
                                     "1,200,000", "1,600,000", "1,100,000"};
  char *contents = pdf_text(f->pdf, 2, 2);
  assert_amounts_in_order(contents, dept, 6);
  for (size_t i = 0; i < 6; i++)
    assert_int_equal(page_of(contents, dept[i]), i + 1);
  free(contents);
  /* the footers: 第 N 页 共 6 页 on the forms' pages, N = 1..6 */
  for (int page = 3; page <= 8; page++) {
    char *text = pdf_text(f->pdf, page, page);
    char footer[64];
    snprintf(footer, sizeof footer, "第 %d 页 共 6 页", page - 2);
    assert_non_null(strstr(text, footer));
    free(text);
  }
  char *cover = pdf_text(f->pdf, 1, 1);
  assert_non_null(strstr(cover, "共 8 页"));
  free(cover);
}

static void test_render_name_and_input_order(void **state) {
  pfixture *f = *state;
  if (!have_pdftotext())
    skip();
  /* by name: 安 白 张(045, 1) 张(045, 6) 赵(003) 赵(045) */
  jx_packet_options opt = {.threads = 1, .order = JX_ORDER_NAME};
  jx_session *s = render(f, &opt, NULL);
  jx_session_free(s);
  static const char *const name[] = {"1,400,000", "1,500,000", "1,200,000",
                                     "1,600,000", "1,300,000", "1,100,000"};
  char *contents = pdf_text(f->pdf, 2, 2);
  assert_amounts_in_order(contents, name, 6);
  free(contents);
  /* as given, with either name of the option */
  static const char *const given[] = {"1,100,000", "1,200,000", "1,300,000",
                                      "1,400,000", "1,500,000", "1,600,000"};
  jx_packet_options by_input[] = {{.threads = 2, .order = JX_ORDER_INPUT},
                                  {.threads = 2, .order_input = true}};
  for (size_t k = 0; k < 2; k++) {
    s = render(f, &by_input[k], NULL);
    jx_session_free(s);
    contents = pdf_text(f->pdf, 2, 2);
    assert_amounts_in_order(contents, given, 6);
    free(contents);
  }
}

/* --duplex: every project starts on an odd page (a blank page after each
 * one-page form but the last), counted in the footers' 共 M 页; a broken
 * input is left out, named, and the rest still written. */
static void test_render_duplex_and_left_out(void **state) {
  pfixture *f = *state;
  char broken[96];
  snprintf(broken, sizeof broken, "%s/broken.yaml", f->dir);
  FILE *out = fopen(broken, "wb");
  assert_non_null(out);
  fputs("schema: 1\nyear: [oops\n", out);
  assert_int_equal(fclose(out), 0);
  const char *inputs[] = {f->paths[0], broken, f->paths[1], f->paths[2]};
  bool failed[4] = {false};
  jx_packet_summary sum;
  jx_packet_options opt = {.threads = 2, .duplex = true, .summary = &sum};
  jx_options so = {.template_dir = TEMPLATES};
  jx_session *s = jx_session_new(&so);
  assert_non_null(s);
  size_t forms = 0;
  assert_false(
      jx_packet_render_forms(s, inputs, 4, &opt, f->pdf, failed, &forms));
  assert_true(jx_error_count(s) > 0);
  assert_string_equal(jx_diagnostic_at(s, 0)->file, broken);
  jx_session_free(s);
  assert_false(failed[0]);
  assert_true(failed[1]);
  assert_false(failed[2]);
  assert_false(failed[3]);
  assert_int_equal(sum.left_out, 1);
  assert_int_equal(sum.projects, 3);
  /* forms on 1, 3, 5: five pages; cover and contents make an even front */
  assert_int_equal(forms, 5);
  assert_int_equal(sum.pages, 7);
  assert_true(pdf_holds(f->pdf, "/PageLabels<</Nums[0<</P<FEFF5C019762>>> "
                                "1<</S/D/P<FEFF76EE5F55>>> 2<</S/D>>]>>"));
  if (!have_pdftotext())
    skip();
  /* 003 赵 on page 1, 045 张 on 3, 045 赵 on 5 */
  static const char *const want[] = {"1,300,000", "1,200,000", "1,100,000"};
  char *contents = pdf_text(f->pdf, 2, 2);
  assert_amounts_in_order(contents, want, 3);
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(page_of(contents, want[i]), 2 * i + 1);
  free(contents);
  for (int page = 3; page <= 7; page++) {
    char *text = pdf_text(f->pdf, page, page);
    char footer[64];
    snprintf(footer, sizeof footer, "第 %d 页 共 5 页", page - 2);
    /* the blank pages (2 and 4 of the forms) carry no form */
    if ((page - 2) % 2)
      assert_non_null(strstr(text, footer));
    else
      assert_null(strstr(text, "项目名称"));
    free(text);
  }
}

/* ---- the pipeline render and packet share (document.h) ----
 *
 * A recording sink stands in for the PDF writers: it keeps a text dump of
 * every display page it is given (jx_layout_dump), whether added whole or
 * encoded on a worker, and, at close, which content each page shows.  So
 * the pages themselves can be compared however the pipeline ran. */

#define SAMPLE01 JX_SOURCE_DIR "/samples/01-chengshi-daolu.yaml"
#define SAMPLE03 JX_SOURCE_DIR "/samples/03-gongjiao-butie.yaml"
#define SAMPLE04 JX_SOURCE_DIR "/samples/04-cunji-zuzhi.yaml"

/* What a recording sink saw; outlives the sink. */
typedef struct rec {
  char *contents[64]; /* dumps, by content number - 1 */
  size_t count;
  size_t encoded;               /* of them, encoded on workers */
  jx_sink_content shown[64][2]; /* each page's contents, at close */
  size_t pages;
  bool closed, aborted;
  char subject[256];
} rec;

typedef struct rec_sink {
  jx_sink base;
  rec *r;
} rec_sink;

/* The dump of one display page (malloc'd). */
static char *dump_page(const jx_dpage *page, double page_height) {
  jx_dpage copy = *page;
  jx_layout one = {.page_width = 595.28,
                   .page_height = page_height,
                   .pages = &copy,
                   .page_count = 1};
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  assert_non_null(f);
  jx_layout_dump(&one, f);
  assert_int_equal(fclose(f), 0);
  return text;
}

static jx_sink_content rec_add_page(jx_sink *base, const jx_dpage *page,
                                    double page_height) {
  rec *r = ((rec_sink *)base)->r;
  assert_true(r->count < 64);
  r->contents[r->count++] = dump_page(page, page_height);
  return (jx_sink_content)r->count;
}

static jx_sink_encoder *rec_encoder_new(jx_sink *base, const jx_fonts *fonts) {
  (void)base, (void)fonts;
  return (jx_sink_encoder *)calloc(1, 1);
}

static bool rec_encode(jx_sink_encoder *enc, const jx_dpage *page,
                       double page_height, const char *where,
                       jx_diag_list *diags, jx_bytes *out) {
  (void)enc, (void)where, (void)diags;
  char *text = dump_page(page, page_height);
  out->data = (uint8_t *)text;
  out->len = strlen(text) + 1;
  return true;
}

static void rec_encoder_free(jx_sink *base, jx_sink_encoder *enc) {
  (void)base;
  free(enc);
}

static jx_sink_content rec_add_encoded(jx_sink *base, const jx_bytes *content) {
  rec *r = ((rec_sink *)base)->r;
  assert_true(r->count < 64);
  r->contents[r->count++] = strdup((const char *)content->data);
  r->encoded++;
  return (jx_sink_content)r->count;
}

static bool rec_close(jx_sink *base, const jx_sink_doc *doc) {
  rec *r = ((rec_sink *)base)->r;
  assert_true(doc->page_count <= 64);
  for (size_t p = 0; p < doc->page_count; p++) {
    r->shown[p][0] = doc->pages[p].contents[0];
    r->shown[p][1] = doc->pages[p].contents[1];
  }
  r->pages = doc->page_count;
  snprintf(r->subject, sizeof r->subject, "%s",
           doc->info.subject ? doc->info.subject : "");
  r->closed = true;
  free(base);
  return true;
}

static void rec_abort(jx_sink *base) {
  ((rec_sink *)base)->r->aborted = true;
  free(base);
}

/* Like the libharu sink: takes display pages only. */
static const jx_sink_ops rec_plain_ops = {
    .add_page = rec_add_page, .close = rec_close, .abort = rec_abort};
/* Like the streaming sink: its encoders encode on the workers. */
static const jx_sink_ops rec_encoding_ops = {.add_page = rec_add_page,
                                             .encoder_new = rec_encoder_new,
                                             .encode = rec_encode,
                                             .encoder_free = rec_encoder_free,
                                             .add_encoded = rec_add_encoded,
                                             .close = rec_close,
                                             .abort = rec_abort};

static jx_sink *rec_open(rec *r, bool encodes) {
  memset(r, 0, sizeof *r);
  rec_sink *s = calloc(1, sizeof *s);
  assert_non_null(s);
  s->base.ops = encodes ? &rec_encoding_ops : &rec_plain_ops;
  s->r = r;
  return &s->base;
}

static void rec_free(rec *r) {
  for (size_t i = 0; i < r->count; i++)
    free(r->contents[i]);
}

/* Checks that dumps a and b are the same, showing the first line that
 * differs (cmocka cuts long strings short). */
static void assert_same_dump(const char *a, const char *b) {
  if (strcmp(a, b)) {
    size_t i = 0, line = 1, start = 0;
    for (; a[i] && a[i] == b[i]; i++)
      if (a[i] == '\n')
        line++, start = i + 1;
    fprintf(stderr, "dumps differ at line %zu:\n  %.80s\n  %.80s\n", line,
            a + start, b + start);
  }
  assert_true(strcmp(a, b) == 0);
}

/* The dump shown as page p's form (its first content). */
static const char *rec_page(const rec *r, size_t p) {
  assert_true(p < r->pages);
  assert_true(r->shown[p][0] >= 1 && r->shown[p][0] <= r->count);
  return r->contents[r->shown[p][0] - 1];
}

static const char *const pipeline_inputs[] = {SAMPLE03, SAMPLE01, SAMPLE04};

/* Render's way: the projects loaded first, laid out on the calling thread,
 * into a plain document through a sink that takes display pages. */
static bool run_render(jx_session *s, const char *const *inputs, size_t n,
                       rec *r) {
  jx_project *ps[8];
  for (size_t i = 0; i < n; i++) {
    ps[i] = jx_project_load(s, inputs[i]);
    assert_non_null(ps[i]);
  }
  jx_document doc;
  jx_render_info info = {.title = "t", .subject = "render"};
  jx_document_open_sink(&doc, s, rec_open(r, false), &info, "<rec>", NULL);
  jx_packet_options opt = {.threads = 1};
  jx_pipeline run = {.inputs = inputs,
                     .projects = ps,
                     .count = n,
                     .opt = &opt,
                     .on_caller = true,
                     .all_or_nothing = true};
  bool ok = jx_pipeline_run(s, &run, &doc, "<rec>", NULL, NULL);
  for (size_t i = 0; i < n; i++)
    jx_project_free(ps[i]);
  return ok;
}

/* The packet's way: files loaded on `threads` worker threads, the pages
 * encoded there, into a packet document (cover, contents, footers). */
static bool run_packet(jx_session *s, const char *const *inputs, size_t n,
                       unsigned threads, rec *r, size_t *forms) {
  jx_document doc;
  jx_packet_options opt = {.order = JX_ORDER_INPUT, .threads = threads};
  jx_document_open_packet(&doc, s, &opt, rec_open(r, true), "<rec>");
  jx_pipeline run = {.inputs = inputs, .count = n, .opt = &opt};
  return jx_pipeline_run(s, &run, &doc, "<rec>", NULL, forms);
}

/* render and packet of the same inputs give the same form pages in the
 * same order, whether laid out on the caller or on worker threads,
 * handed over whole or encoded; the packet adds its front matter before
 * them and a footer over each. */
static void test_pipeline_same_pages(void **state) {
  (void)state;
  jx_options o = {.template_dir = TEMPLATES};
  jx_session *s = jx_session_new(&o);
  rec rr, rp;
  assert_true(run_render(s, pipeline_inputs, 3, &rr));
  assert_true(rr.closed);
  assert_int_equal(rr.encoded, 0);
  assert_string_equal(rr.subject, "render"); /* the info as given */
  size_t forms = 0;
  assert_true(run_packet(s, pipeline_inputs, 3, 3, &rp, &forms));
  assert_true(rp.closed);
  assert_int_equal(jx_error_count(s), 0);

  /* render: every page a form page, in input order, nothing over it */
  assert_true(rr.pages >= 3);
  assert_int_equal(rr.count, rr.pages);
  assert_int_equal(forms, rr.pages);
  for (size_t p = 0; p < rr.pages; p++) {
    assert_int_equal(rr.shown[p][0], p + 1);
    assert_int_equal(rr.shown[p][1], 0);
  }
  /* the inputs' pages in the order given: each project starts with its
   * page 1, and the first input's title is on the first page */
  assert_non_null(strstr(rr.contents[0], "form 1.1 "));
  size_t firsts = 0;
  for (size_t p = 0; p < rr.pages; p++)
    firsts += strstr(rr.contents[p], "form 1.1 ") != NULL;
  assert_int_equal(firsts, 3);

  /* the packet: its front matter, then the same form pages, encoded on
   * the workers, each with a footer drawn over it */
  assert_int_equal(rp.encoded, forms);
  assert_true(rp.pages > forms);
  size_t main0 = rp.pages - forms;
  for (size_t k = 0; k < forms; k++) {
    assert_same_dump(rec_page(&rp, main0 + k), rr.contents[k]);
    assert_int_not_equal(rp.shown[main0 + k][1], 0);
  }
  rec_free(&rr);

  /* one worker thread or several, encoded or whole: the same pages */
  for (unsigned threads = 1; threads <= 2; threads++) {
    rec rt;
    jx_document doc;
    jx_render_info info = {.subject = "x"};
    jx_document_open_sink(&doc, s, rec_open(&rt, threads == 2), &info, "<rec>",
                          NULL);
    jx_packet_options opt = {.threads = threads};
    jx_pipeline run = {.inputs = pipeline_inputs, .count = 3, .opt = &opt};
    assert_true(jx_pipeline_run(s, &run, &doc, "<rec>", NULL, NULL));
    assert_int_equal(rt.pages, forms);
    assert_int_equal(rt.encoded, threads == 2 ? forms : 0);
    for (size_t p = 0; p < forms; p++)
      assert_same_dump(rec_page(&rt, p), rec_page(&rp, main0 + p));
    rec_free(&rt);
  }
  rec_free(&rp);
  jx_session_free(s);
}

/* A bad input: render's run writes nothing (the sink is abandoned) but
 * reports every bad input, in input order; the packet's leaves it out
 * and writes the others. */
static void test_pipeline_bad_inputs(void **state) {
  pfixture *f = *state;
  char bad1[128], bad2[128];
  snprintf(bad1, sizeof bad1, "%s/bad1.yaml", f->dir);
  snprintf(bad2, sizeof bad2, "%s/bad2.yaml", f->dir);
  FILE *out = fopen(bad1, "wb");
  fputs("project: [unclosed\n", out);
  fclose(out);
  out = fopen(bad2, "wb");
  fputs("template: no-such-template-here\n", out);
  fclose(out);
  f->paths[f->count++] = strdup(bad1);
  f->paths[f->count++] = strdup(bad2);
  const char *inputs[] = {bad1, f->paths[0], bad2};

  jx_options o = {.template_dir = TEMPLATES};
  jx_session *s = jx_session_new(&o);
  rec r;
  jx_document doc;
  jx_render_info info = {.subject = "x"};
  jx_document_open_sink(&doc, s, rec_open(&r, false), &info, "<rec>", NULL);
  jx_packet_options opt = {.threads = 2};
  jx_pipeline run = {
      .inputs = inputs, .count = 3, .opt = &opt, .all_or_nothing = true};
  bool failed[3] = {false, false, false};
  assert_false(jx_pipeline_run(s, &run, &doc, "<rec>", failed, NULL));
  assert_true(r.aborted);
  assert_false(r.closed);
  assert_true(failed[0] && !failed[1] && failed[2]);
  /* both bad files named, the first first; no packet message */
  size_t first1 = SIZE_MAX, first2 = SIZE_MAX;
  for (size_t i = 0; i < jx_diagnostic_count(s); i++) {
    const jx_diagnostic *d = jx_diagnostic_at(s, i);
    assert_null(strstr(d->message, "no project could be rendered"));
    if (d->file && !strcmp(d->file, bad1) && first1 == SIZE_MAX)
      first1 = i;
    if (d->file && !strcmp(d->file, bad2) && first2 == SIZE_MAX)
      first2 = i;
  }
  assert_true(first1 < first2 && first2 != SIZE_MAX);
  size_t errors = jx_error_count(s);
  rec_free(&r);

  /* the packet's way: left out, the good one written */
  jx_document_open_packet(&doc, s, &opt, rec_open(&r, true), "<rec>");
  jx_pipeline prun = {.inputs = inputs, .count = 3, .opt = &opt};
  size_t forms = 0;
  assert_false(jx_pipeline_run(s, &prun, &doc, "<rec>", NULL, &forms));
  assert_true(r.closed);
  assert_int_equal(forms, 1); /* sample 02: one page */
  assert_true(jx_error_count(s) > errors);
  rec_free(&r);
  jx_session_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pinyin),
      cmocka_unit_test(test_departments),
      cmocka_unit_test(test_ties),
      cmocka_unit_test(test_input_order),
      cmocka_unit_test_setup_teardown(test_render_order, psetup, pteardown),
      cmocka_unit_test_setup_teardown(test_render_name_and_input_order, psetup,
                                      pteardown),
      cmocka_unit_test_setup_teardown(test_render_duplex_and_left_out, psetup,
                                      pteardown),
      cmocka_unit_test(test_pipeline_same_pages),
      cmocka_unit_test_setup_teardown(test_pipeline_bad_inputs, psetup,
                                      pteardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
