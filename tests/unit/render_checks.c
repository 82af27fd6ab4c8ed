/*
 * render_checks.c — what test_render.c and test_render_hpdf.c share (see
 * render_checks.h): display lists built by hand, running poppler's tools,
 * the fixture, and the tests both writers must pass alike.
 */
#include "render_checks.h"

#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

/* Strings drawn on the two-page document; each must come back out. */
const char *const page1_texts[] = {
    "项目支出绩效目标表",
    "项目名称：城市道路维修 Project ABC-123",
    "（一）年度目标：完成率≥95％，投诉率≤2‰，＞3项",
    "改造面积 1200㎡；单价 350.00 元/㎡",
    "“质量”达标，【验收】合格！",
};
const char *const page2_texts[] = {
    "第二页：效益指标",
    "满意度≥90％ Satisfaction",
};

/* Writes every page of `layout` through `sink`, one content a page, and
 * closes it, with `info` (may be NULL; a missing title or subject is the
 * layout's).  Frees the sink in every case.  A layout with no pages is an
 * error (recorded at `where`).  Returns true on success.  (The library's
 * writers go through the document, document.c: this drives a sink
 * directly, to test it alone.) */
static bool write_layout(jx_sink *sink, const jx_layout *layout,
                         const jx_render_info *info, const char *where,
                         jx_diag_list *diags) {
  if (layout->page_count == 0) {
    jx_error(diags, ((jx_pos){where, 0, 0}),
             "cannot write the PDF: no pages to write");
    jx_sink_abort(sink);
    return false;
  }
  jx_sink_page *pages = jx_xcalloc(layout->page_count, sizeof *pages);
  bool ok = true;
  for (size_t p = 0; p < layout->page_count && ok; p++) {
    pages[p].contents[0] =
        jx_sink_add_page(sink, &layout->pages[p], layout->page_height);
    pages[p].width = layout->page_width;
    pages[p].height = layout->page_height;
    ok = pages[p].contents[0] != 0;
  }
  jx_sink_doc doc = {.pages = pages, .page_count = layout->page_count};
  doc.info.title = info && info->title ? info->title : layout->title;
  doc.info.subject = info && info->subject ? info->subject : layout->subject;
  doc.info.author = info ? info->author : NULL;
  doc.info.pdfa = info && info->pdfa;
  if (ok)
    ok = jx_sink_close(sink, &doc);
  else
    jx_sink_abort(sink);
  free(pages);
  return ok;
}

bool rc_render_stream(const jx_layout *layout, jx_fonts *fonts,
                      const jx_render_info *info, jx_diag_list *diags,
                      const char *out_path) {
  jx_sink *sink =
      jx_sink_stream_open(out_path, fonts, &JX_SINK_STREAM_ONE, diags);
  return sink && write_layout(sink, layout, info, out_path, diags);
}

bool rc_render_hpdf(const jx_layout *layout, jx_fonts *fonts,
                    const jx_render_info *info, jx_diag_list *diags,
                    const char *out_path) {
  return write_layout(jx_sink_hpdf_open(out_path, fonts, diags), layout, info,
                      out_path, diags);
}

bool rc_render_hpdf_memory(const jx_layout *layout, jx_fonts *fonts,
                           const jx_render_info *info, jx_diag_list *diags,
                           char **data, size_t *size) {
  return write_layout(jx_sink_hpdf_memory(fonts, diags, data, size), layout,
                      info, "<memory>", diags);
}

const jx_render_info rc_info = {
    .title = TITLE, .subject = "城市道路维修", .author = "市财政局"};

jx_drun *add_run(jx_arena *arena, jx_dpage *page, int face, double x, double y,
                 double size, const char *text, bool bold,
                 double char_spacing) {
  jx_drun *run = jx_dpage_add_run(arena, page);
  run->x = x;
  run->y = y;
  run->size = size;
  run->text = text;
  run->len = (uint32_t)strlen(text);
  run->face = (uint16_t)face;
  run->bold = bold;
  run->char_spacing = char_spacing;
  return run;
}

void init_layout(jx_layout *layout, jx_arena *arena) {
  memset(layout, 0, sizeof *layout);
  jx_arena_init(arena);
  layout->arena = arena;
  layout->page_width = 595.28;
  layout->page_height = 841.89;
  layout->title = TITLE;
  layout->subject = "城市道路维修";
}

/* Two pages: a title in bold, rules forming a small table, a gray box,
 * and the strings above (one with character spacing). */
void build_two_pages(jx_layout *layout, jx_arena *arena, int face) {
  init_layout(layout, arena);
  jx_dpage *p1 = jx_layout_add_page(layout);
  p1->form_index = 0;
  p1->form_page = 1;
  jx_dpage_add_box(arena, p1, 50, 100, 495, 24, 0.85);
  for (int i = 0; i <= 5; i++)
    jx_dpage_add_rule(arena, p1, 50, 100 + 24.0 * i, 545, 100 + 24.0 * i,
                      i == 0 || i == 5 ? 1.0 : 0.5);
  jx_dpage_add_rule(arena, p1, 50, 100, 50, 220, 1.0);
  jx_dpage_add_rule(arena, p1, 545, 100, 545, 220, 1.0);
  add_run(arena, p1, face, 200, 80, 18, page1_texts[0], true, 0);
  for (int i = 1; i < 5; i++)
    add_run(arena, p1, face, 56, 100 + 24.0 * i - 7, 10.5, page1_texts[i],
            false, i == 3 ? 0.8 : 0);

  jx_dpage *p2 = jx_layout_add_page(layout);
  p2->form_index = 0;
  p2->form_page = 2;
  jx_dpage_add_rule(arena, p2, 50, 60, 545, 60, 0.75);
  add_run(arena, p2, face, 56, 50, 12, page2_texts[0], true, 0);
  add_run(arena, p2, face, 56, 80, 10.5, page2_texts[1], false, 0);
}

/* Runs `cmd`, returning its stdout (malloc'ed) and putting its stderr in
 * *err (malloc'ed). */
char *run_command(const char *cmd, char **err) {
  char errfile[] = "/tmp/render_checks_err_XXXXXX";
  int efd = mkstemp(errfile);
  assert_true(efd >= 0);
  close(efd);
  char full[2048];
  snprintf(full, sizeof full, "%s 2>%s", cmd, errfile);
  FILE *p = popen(full, "r");
  assert_non_null(p);
  size_t cap = 4096, len = 0;
  char *out = malloc(cap);
  size_t n;
  while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
    len += n;
    if (cap - len < 1024)
      out = realloc(out, cap *= 2);
  }
  out[len] = '\0';
  int status = pclose(p);
  FILE *ef = fopen(errfile, "r");
  char *e = calloc(1, 65536);
  if (ef) {
    size_t m = fread(e, 1, 65535, ef);
    e[m] = '\0';
    fclose(ef);
  }
  unlink(errfile);
  if (status != 0)
    fail_msg("command failed (%d): %s\nstderr: %s", status, cmd, e);
  *err = e;
  return out;
}

/* Copies `s` without whitespace (pdftotext's line breaks and the spaces
 * it may add for character spacing are not what we check). */
char *squeeze(const char *s) {
  char *out = malloc(strlen(s) + 1), *o = out;
  for (; *s; s++)
    if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\f' && *s != '\r')
      *o++ = *s;
  *o = '\0';
  return out;
}

long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

bool same_bytes(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  bool same = fa && fb;
  while (same) {
    int ca = fgetc(fa), cb = fgetc(fb);
    if (ca != cb)
      same = false;
    if (ca == EOF || cb == EOF)
      break;
  }
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  return same;
}

/* Number of entries in `dir` other than . and .. */
int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* True if pdfinfo's output `out` has `key:` followed by spaces and
 * exactly `value` on its line. */
bool info_is(const char *out, const char *key, const char *value) {
  char k[64];
  snprintf(k, sizeof k, "%s:", key);
  for (const char *line = out; line && *line;) {
    if (strncmp(line, k, strlen(k)) == 0) {
      const char *v = line + strlen(k);
      while (*v == ' ')
        v++;
      size_t n = strcspn(v, "\n");
      return n == strlen(value) && strncmp(v, value, n) == 0;
    }
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  return false;
}

bool diags_mention(const jx_diag_list *diags, const char *s) {
  for (size_t i = 0; i < diags->count; i++) {
    const jx_diagnostic *d = &diags->items[i];
    if ((d->file && strstr(d->file, s)) || strstr(d->message, s))
      return true;
  }
  return false;
}

void print_diags(const jx_diag_list *diags) {
  for (size_t i = 0; i < diags->count; i++)
    jx_diagnostic_print(&diags->items[i], stderr);
}

/* Checks the PDF at `path` with poppler: fonts embedded+subset+unicode,
 * every string extracted with no warnings, pages, title. */
void check_with_poppler(const char *path, int pages) {
  char cmd[1024], *err, *out;

  snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, ""); /* no ToUnicode or other warnings */
  char *text = squeeze(out);
  for (size_t i = 0; i < sizeof page1_texts / sizeof *page1_texts; i++) {
    char *want = squeeze(page1_texts[i]);
    if (!strstr(text, want))
      fail_msg("pdftotext lost \"%s\"; got:\n%s", page1_texts[i], out);
    free(want);
  }
  for (size_t i = 0; i < sizeof page2_texts / sizeof *page2_texts; i++) {
    char *want = squeeze(page2_texts[i]);
    if (!strstr(text, want))
      fail_msg("pdftotext lost \"%s\"; got:\n%s", page2_texts[i], out);
    free(want);
  }
  free(text), free(out), free(err);

  snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  int fonts = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    if (!strstr(line, "+UMingCN"))
      continue;
    fonts++;
    if (!strstr(line, "CID TrueType") || !strstr(line, "Identity-H") ||
        !strstr(line, "yes yes yes"))
      fail_msg("pdffonts: want emb/sub/uni yes: %s", line);
  }
  assert_int_equal(fonts, 1);
  free(out), free(err);

  snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  char want[32];
  snprintf(want, sizeof want, "%d", pages);
  if (!info_is(out, "Pages", want))
    fail_msg("pdfinfo: want %s pages, got:\n%s", want, out);
  if (!info_is(out, "Title", TITLE) ||
      !info_is(out, "Subject", "城市道路维修") ||
      !info_is(out, "Author", "市财政局") ||
      !info_is(out, "Creator", JX_CREATOR_TOOL))
    fail_msg("pdfinfo metadata wrong:\n%s", out);
  if (strstr(out, "CreationDate") || strstr(out, "ModDate"))
    fail_msg("pdfinfo shows a date (output must be reproducible):\n%s", out);
  free(out), free(err);

  snprintf(cmd, sizeof cmd, "pdftoppm -r 36 -gray '%s' > /dev/null", path);
  out = run_command(cmd, &err);
  assert_string_equal(err, "");
  free(out), free(err);
}

/* ---- fixture ------------------------------------------------------------
 */

int rc_setup(void **state, const char *name, rc_render_fn render) {
  fixture *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/%s_XXXXXX", name);
  fx->render = render;
  if (!mkdtemp(fx->dir))
    return -1;
  snprintf(fx->tmpdir, sizeof fx->tmpdir, "%s/tmp", fx->dir);
  mkdir(fx->tmpdir, 0700);
  setenv("TMPDIR", fx->tmpdir, 1);
  if (!jx_fonts_init(&fx->fonts))
    return -1;
  snprintf(fx->source, sizeof fx->source, "%s.c", name);
  jx_pos pos = {fx->source, 1, 1};
  fx->face = jx_fonts_load(&fx->fonts, &fx->diags, pos, UMING);
  if (fx->face < 0) {
    print_diags(&fx->diags);
    return -1;
  }
  *state = fx;
  return 0;
}

int rc_teardown(void **state) {
  fixture *fx = *state;
  /* No font subset may be left behind in $TMPDIR. */
  int left = count_entries(fx->tmpdir);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  if (system(cmd) != 0)
    return -1;
  jx_diag_list_free(&fx->diags);
  jx_fonts_free(&fx->fonts);
  free(fx);
  return left == 0 ? 0 : -1;
}

/* ---- tests --------------------------------------------------------------
 */

void test_two_pages(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  build_two_pages(&layout, &arena, fx->face);

  char a[512], b[512];
  snprintf(a, sizeof a, "%s/a.pdf", fx->dir);
  snprintf(b, sizeof b, "%s/b.pdf", fx->dir);
  int fds = count_entries("/proc/self/fd");
  bool ok = fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, a);
  print_diags(&fx->diags);
  assert_true(ok);
  assert_int_equal(count_entries("/proc/self/fd"), fds); /* nothing leaked */
  assert_int_equal(fx->diags.count, 0);
  check_with_poppler(a, 2);

  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, b));
  assert_true(same_bytes(a, b));
  struct stat st;
  assert_int_equal(stat(a, &st), 0);
  mode_t mask = umask(0);
  umask(mask);
  assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
  /* Only a.pdf, b.pdf and tmp/: no temporary output left behind. */
  assert_int_equal(count_entries(fx->dir), 3);
  assert_int_equal(count_entries(fx->tmpdir), 0);
  print_message("two-page document: %ld bytes\n", file_size(a));
  assert_true(file_size(a) < 30000);
  jx_arena_free(&arena);
}

/* The 3755 level-1 (most common) hanzi of GB 2312, as code points, in
 * GB 2312 order; returns how many were stored. */
static int gb2312_level1(uint32_t *out, int max) {
  iconv_t cd = iconv_open("UTF-32BE", "GB2312");
  assert_true(cd != (iconv_t)-1);
  int n = 0;
  for (int hi = 0xB0; hi <= 0xD7 && n < max; hi++) {
    for (int lo = 0xA1; lo <= 0xFE && n < max; lo++) {
      char in[2] = {(char)hi, (char)lo};
      unsigned char u[4];
      char *ip = in, *op = (char *)u;
      size_t il = 2, ol = 4;
      if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0)
        out[n++] = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
                   (uint32_t)u[2] << 8 | u[3];
    }
  }
  iconv_close(cd);
  return n;
}

/* A page of `count` distinct common hanzi (every `step`-th of GB 2312
 * level 1), `per_line` to a run. */
static void add_common_hanzi_page(jx_layout *layout, jx_arena *arena, int face,
                                  int count, int step, int per_line) {
  static uint32_t common[3755];
  int have = gb2312_level1(common, 3755);
  assert_int_equal(have, 3755);
  jx_dpage *page = jx_layout_add_page(layout);
  int line = 0;
  for (int drawn = 0; drawn < count; line++) {
    char *text = jx_arena_alloc(arena, (size_t)per_line * 3 + 1);
    size_t len = 0;
    for (int n = 0; n < per_line && drawn < count; n++, drawn++) {
      uint32_t cp = common[(drawn * step) % have];
      text[len++] = (char)(0xE0 | cp >> 12);
      text[len++] = (char)(0x80 | ((cp >> 6) & 63));
      text[len++] = (char)(0x80 | (cp & 63));
    }
    add_run(arena, page, face, 40, 60 + 18.0 * line, 10.5, text, false, 0);
  }
}

/* Size and time.  A document's fixed cost (one page, one hanzi) must stay
 * small: without hb-subset it is ~390 KB.  Pages of 600 and 800 distinct
 * common hanzi are dominated by the glyph outlines themselves (AR PL
 * UMing's compress to ~240-300 bytes a hanzi). */
void test_size_and_time(void **state) {
  fixture *fx = *state;
  char path[512];
  {
    jx_layout layout;
    jx_arena arena;
    init_layout(&layout, &arena);
    jx_dpage *page = jx_layout_add_page(&layout);
    add_run(&arena, page, fx->face, 50, 50, 12, "一", false, 0);
    snprintf(path, sizeof path, "%s/one.pdf", fx->dir);
    assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, path));
    print_message("one page, one hanzi: %ld bytes\n", file_size(path));
    assert_true(file_size(path) < 12 * 1024);
    jx_arena_free(&arena);
  }
  int counts[] = {600, 800};
  for (int k = 0; k < 2; k++) {
    jx_layout layout;
    jx_arena arena;
    init_layout(&layout, &arena);
    add_common_hanzi_page(&layout, &arena, fx->face, counts[k],
                          3755 / counts[k], 40);
    snprintf(path, sizeof path, "%s/h%d.pdf", fx->dir, counts[k]);
    double t0 = now();
    assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, path));
    double t1 = now();
    long size = file_size(path);
    print_message("one page, %d distinct common hanzi: %ld bytes "
                  "(%.0f per hanzi), %.1f ms\n",
                  counts[k], size, (double)size / counts[k], (t1 - t0) * 1e3);
    assert_true(size < counts[k] * 340L);

    char cmd[600], *err, *out;
    snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
    out = run_command(cmd, &err);
    assert_string_equal(err, "");
    /* Every character drawn comes back. */
    char *text = squeeze(out);
    for (size_t r = 0; r < layout.pages[0].run_count; r++)
      if (!strstr(text, layout.pages[0].runs[r].text))
        fail_msg("pdftotext lost line %zu", r);
    free(text), free(out), free(err);
    jx_arena_free(&arena);
  }
}

/* A folder that does not exist: error naming the path, no file. */
void test_missing_folder(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  build_two_pages(&layout, &arena, fx->face);
  char path[512];
  snprintf(path, sizeof path, "%s/no/such/folder/out.pdf", fx->dir);
  jx_diag_list diags = {0};
  assert_false(fx->render(&layout, &fx->fonts, &rc_info, &diags, path));
  assert_true(diags.errors >= 1);
  assert_true(diags_mention(&diags, path));
  print_diags(&diags);
  assert_int_equal(file_size(path), -1);
  jx_diag_list_free(&diags);

  /* A target that is a folder: the rename fails, nothing is left. */
  snprintf(path, sizeof path, "%s/folder.pdf", fx->dir);
  assert_int_equal(mkdir(path, 0755), 0);
  int before = count_entries(fx->dir);
  assert_false(fx->render(&layout, &fx->fonts, &rc_info, &diags, path));
  assert_true(diags_mention(&diags, path));
  print_diags(&diags);
  assert_int_equal(count_entries(fx->dir), before);
  assert_int_equal(count_entries(path), 0);
  rmdir(path);
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
}

/* An unwritable folder (only meaningful when not root), and a write that
 * fails half-way (file size limit, works as root too): the error names
 * the path, the existing file is untouched and no temporary is left. */
void test_failed_write_keeps_existing(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  build_two_pages(&layout, &arena, fx->face);

  char sub[512], path[600];
  snprintf(sub, sizeof sub, "%s/out", fx->dir);
  assert_int_equal(mkdir(sub, 0755), 0);
  snprintf(path, sizeof path, "%s/report.pdf", sub);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("previous contents", f);
  fclose(f);

  jx_diag_list diags = {0};
  if (geteuid() != 0) {
    assert_int_equal(chmod(sub, 0555), 0);
    assert_false(fx->render(&layout, &fx->fonts, &rc_info, &diags, path));
    assert_true(diags_mention(&diags, path));
    print_diags(&diags);
    jx_diag_list_free(&diags);
    chmod(sub, 0755);
  } else {
    print_message("running as root: unwritable-folder case skipped\n");
  }

  /* A write that fails half-way: a document with a tiny font subset but
   * a big page (many rules), and every write past 24 KB failing with
   * EFBIG.  The failure must come from the output file, not the font. */
  jx_layout big;
  jx_arena big_arena;
  init_layout(&big, &big_arena);
  jx_dpage *page = jx_layout_add_page(&big);
  add_run(&big_arena, page, fx->face, 50, 50, 12, "A", false, 0);
  uint32_t seed = 1;
  for (int i = 0; i < 6000; i++) {
    seed = seed * 1103515245u + 12345u;
    double x = (seed >> 8) % 50000 / 100.0;
    seed = seed * 1103515245u + 12345u;
    double y = (seed >> 8) % 80000 / 100.0;
    jx_dpage_add_rule(&big_arena, page, x, y, x + 10, y + 7, 0.5);
  }
  struct rlimit old, lim;
  getrlimit(RLIMIT_FSIZE, &old);
  lim = old;
  lim.rlim_cur = 24 * 1024;
  void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  bool ok = fx->render(&big, &fx->fonts, &rc_info, &diags, path);
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, prev);
  assert_false(ok);
  assert_true(diags_mention(&diags, path));
  assert_true(diags_mention(&diags, "/out/.report.pdf."));
  print_diags(&diags);
  jx_arena_free(&big_arena);

  f = fopen(path, "r");
  assert_non_null(f);
  char buf[64] = {0};
  assert_non_null(fgets(buf, sizeof buf, f));
  fclose(f);
  assert_string_equal(buf, "previous contents");
  assert_int_equal(count_entries(sub), 1); /* no .report.pdf.XXXXXX left */
  jx_diag_list_free(&diags);
  jx_arena_free(&arena);
}

/* Text the face cannot draw, or outside the BMP, is an error, never a
 * silent blank; nothing is written. */
void test_undrawable_text(void **state) {
  fixture *fx = *state;
  /* U+0E01 THAI CHARACTER KO KAI is not in AR PL UMing. */
  assert_false(jx_face_has_char(&fx->fonts, (uint16_t)fx->face, 0x0E01));
  const char *bad[] = {"𠮷野家", "\xe4\xb8", "tab\there", "泰文 ก"};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    jx_layout layout;
    jx_arena arena;
    init_layout(&layout, &arena);
    jx_dpage *page = jx_layout_add_page(&layout);
    add_run(&arena, page, fx->face, 50, 50, 12, bad[k], false, 0);
    char path[512];
    snprintf(path, sizeof path, "%s/bad.pdf", fx->dir);
    jx_diag_list diags = {0};
    assert_false(fx->render(&layout, &fx->fonts, &rc_info, &diags, path));
    assert_true(diags.errors >= 1);
    print_diags(&diags);
    assert_int_equal(file_size(path), -1);
    jx_diag_list_free(&diags);
    jx_arena_free(&arena);
  }
}

/* Runs meant to start on one edge start on exactly one edge in the PDF:
 * text positions go on a 1/8 pt grid (render.h), where relative moves
 * (libharu's single-precision ones included) and poppler's double sums
 * are exact, and which Ghostscript's six significant digits keep.
 * Without it, one column edge reached by different relative moves comes
 * out up to 1e-5 pt apart from row to row, and pdftotext's reading order
 * compares such edges exactly.  Checked with pdftotext -bbox: the edge
 * runs share the grid point 180.5, and a run at 100.01 sits at 100. */
void test_positions_on_grid(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  init_layout(&layout, &arena);
  jx_dpage *page = jx_layout_add_page(&layout);
  double edge = 36.64 + 17.74 * 8 + 2; /* 180.56 */
  /* Rows of a table: the edge run, then runs further right, so each
   * edge run is reached by a different relative move. */
  static const char *const rows[] = {"项目属性", "实施期资金", "其中"};
  for (int r = 0; r < 3; r++) {
    add_run(&arena, page, fx->face, edge, 100 + 14.0 * r, 8, rows[r], false, 0);
    add_run(&arena, page, fx->face, 272.56 + 0.37 * r, 100 + 14.0 * r, 8, "0",
            false, 0);
    add_run(&arena, page, fx->face, 477.04 - 1.13 * r, 100 + 14.0 * r, 8,
            "16,559,400", false, 0);
  }
  add_run(&arena, page, fx->face, 100.01, 200, 8, "网格", false, 0);
  char path[512];
  snprintf(path, sizeof path, "%s/grid.pdf", fx->dir);
  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, path));
  char cmd[640];
  snprintf(cmd, sizeof cmd, "pdftotext -bbox '%s' -", path);
  char *err = NULL;
  char *out = run_command(cmd, &err);
  /* The three runs on one edge: one xMin, 180.5 (the grid point). */
  int on_edge = 0;
  for (const char *p = out; (p = strstr(p, "xMin=\"")) != NULL; p++)
    if (strncmp(p + 6, "180.500000\"", 11) == 0)
      on_edge++;
  if (on_edge != 3)
    print_message("%s", out);
  assert_int_equal(on_edge, 3);
  assert_non_null(strstr(out, "xMin=\"100.000000\""));
  free(out);
  free(err);
  jx_arena_free(&arena);
}

/* ---- PDF/A (issue 15) ---- */

void check_pdfa(const char *path, const char *opts) {
  char cmd[2048], *err;
  /* Its report on stderr, which run_command shows when it fails the test
   * (the checker exits non-zero on any problem). */
  snprintf(cmd, sizeof cmd,
           "(python3 '%s/tests/e2e/pdfa_check.py' %s '%s' >&2)", JX_SOURCE_DIR,
           opts, path);
  char *out = run_command(cmd, &err);
  if (strstr(err, "FAIL"))
    fail_msg("%s", err);
  free(out), free(err);
}

/* pdftotext's text of `path` (malloc'd). */
static char *text_of(const char *path) {
  char cmd[1200], *err;
  snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
  char *out = run_command(cmd, &err);
  assert_string_equal(err, "");
  free(err);
  return out;
}

void check_round_trips(const char *path) {
  char cmd[2400], *err, *out;
  snprintf(cmd, sizeof cmd, "qpdf --check '%s'", path);
  out = run_command(cmd, &err); /* exit 0: no errors and no warnings */
  assert_string_equal(err, "");
  free(out), free(err);
  char *want = text_of(path);
  for (int i = 0; i < 2; i++) {
    if (i == 0)
      snprintf(cmd, sizeof cmd,
               "gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite "
               "-sOutputFile='%s.rt' '%s'",
               path, path);
    else
      snprintf(cmd, sizeof cmd, "mutool clean '%s' '%s.rt'", path, path);
    out = run_command(cmd, &err);
    free(out), free(err);
    char rt[1100];
    snprintf(rt, sizeof rt, "%s.rt", path);
    char *got = text_of(rt);
    if (strcmp(got, want) != 0)
      fail_msg("%s changes the text of %s: pdftotext gives\n%s\ninstead of\n%s",
               i == 0 ? "Ghostscript's pdfwrite" : "mutool clean", path, got,
               want);
    free(got);
    unlink(rt);
  }
  free(want);
}

/* PDF/A-2b: every requirement pdfa_check.py checks, and its self-test
 * (broken copies must fail); reproducible bytes; dates only from
 * SOURCE_DATE_EPOCH, the same in Info and XMP; text that XMP cannot
 * carry as it is (markup characters, a control character, CR) the same
 * in both; the round trips.  Without PDF/A: the checks every file
 * passes, and the round trips. */
void test_pdfa(void **state) {
  fixture *fx = *state;
  jx_layout layout;
  jx_arena arena;
  build_two_pages(&layout, &arena, fx->face);
  char a[600], b[600], opts[600];
  snprintf(a, sizeof a, "%s/plain.pdf", fx->dir);
  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, a));
  snprintf(opts, sizeof opts, "--title '%s' --subject '%s' --author '%s'",
           rc_info.title, rc_info.subject, rc_info.author);
  check_pdfa(a, opts);
  check_round_trips(a);

  jx_render_set_pdfa_default(true);
  snprintf(a, sizeof a, "%s/pdfa.pdf", fx->dir);
  snprintf(b, sizeof b, "%s/pdfa2.pdf", fx->dir);
  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, a));
  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, b));
  assert_true(same_bytes(a, b));
  snprintf(opts, sizeof opts,
           "--pdfa --self-test --title '%s' --subject '%s' --author '%s'",
           rc_info.title, rc_info.subject, rc_info.author);
  check_pdfa(a, opts);
  check_round_trips(a);

  setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
  snprintf(a, sizeof a, "%s/dated.pdf", fx->dir);
  assert_true(fx->render(&layout, &fx->fonts, &rc_info, &fx->diags, a));
  unsetenv("SOURCE_DATE_EPOCH");
  check_pdfa(a, "--pdfa --date 1735689600");

  jx_render_info odd = {.title = "表<一>&\"二\" \x01\r三",
                        .subject = "科目 & 部门",
                        .author = "财政局"};
  snprintf(a, sizeof a, "%s/odd.pdf", fx->dir);
  assert_true(fx->render(&layout, &fx->fonts, &odd, &fx->diags, a));
  check_pdfa(a, "--pdfa --title '表<一>&\"二\" �\r三' --author 财政局");
  jx_render_set_pdfa_default(false);
  jx_arena_free(&arena);
}
