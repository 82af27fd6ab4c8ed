/*
 * render_checks.h — helpers and tests shared by test_render.c (the
 * streaming sink) and test_render_hpdf.c (the libharu sink), sink.h:
 * display lists built by hand,
 * poppler's tools run on the output, and a fixture holding the renderer
 * under test, so the tests both writers must pass are written once.
 *
 * Every helper fails the running cmocka test on an unexpected error.
 */
#ifndef JX_RENDER_CHECKS_H
#define JX_RENDER_CHECKS_H

#include "arena.h"
#include "diag.h"
#include "display.h"
#include "fonts.h"
#include "render.h"

#include <stdbool.h>
#include <stdint.h>

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc#0"
#define TITLE "2025年度项目支出绩效目标表"

/* rc_render_stream or rc_render_hpdf. */
typedef bool (*rc_render_fn)(const jx_layout *layout, jx_fonts *fonts,
                             const jx_render_info *info, jx_diag_list *diags,
                             const char *out_path);

typedef struct fixture {
  char dir[256];    /* output folder */
  char tmpdir[300]; /* $TMPDIR for font subsets */
  char source[64];  /* "<name>.c", the file of font diagnostics */
  rc_render_fn render;
  jx_fonts fonts;
  jx_diag_list diags;
  int face; /* AR PL UMing */
} fixture;

/* Strings drawn on the two-page document; each must come back out. */
extern const char *const page1_texts[5];
extern const char *const page2_texts[2];
/* The document information every test renders with. */
extern const jx_render_info rc_info;

/* Writes `layout` to out_path through a sink opened for it, with
 * one content a page: the streaming sink (one document's compression)
 * or the libharu sink.  Return true on success. */
bool rc_render_stream(const jx_layout *layout, jx_fonts *fonts,
                      const jx_render_info *info, jx_diag_list *diags,
                      const char *out_path);
bool rc_render_hpdf(const jx_layout *layout, jx_fonts *fonts,
                    const jx_render_info *info, jx_diag_list *diags,
                    const char *out_path);
/* The same through the libharu sink into memory (*data malloc'd). */
bool rc_render_hpdf_memory(const jx_layout *layout, jx_fonts *fonts,
                           const jx_render_info *info, jx_diag_list *diags,
                           char **data, size_t *size);

/* Adds a run of `text` (not copied: it must outlive the layout). */
jx_drun *add_run(jx_arena *arena, jx_dpage *page, int face, double x, double y,
                 double size, const char *text, bool bold, double char_spacing);
/* An empty A4 layout titled TITLE, with a new arena (the caller frees it
 * with jx_arena_free). */
void init_layout(jx_layout *layout, jx_arena *arena);
/* Two pages: a title in bold, rules forming a small table, a gray box,
 * and page1_texts/page2_texts (one with character spacing). */
void build_two_pages(jx_layout *layout, jx_arena *arena, int face);

/* Runs `cmd`, returning its stdout (malloc'ed) and putting its stderr in
 * *err (malloc'ed).  Fails the test if the command fails. */
char *run_command(const char *cmd, char **err);
/* A malloc'ed copy of `s` without whitespace (pdftotext's line breaks and
 * the spaces it may add for character spacing are not what we check). */
char *squeeze(const char *s);
/* Size of the file at `path`, or -1 if there is none. */
long file_size(const char *path);
/* True if the files at `a` and `b` both exist and hold the same bytes. */
bool same_bytes(const char *a, const char *b);
/* Number of entries in `dir` other than . and .., or -1. */
int count_entries(const char *dir);
/* Monotonic time in seconds. */
double now(void);
/* True if pdfinfo's output `out` has `key:` followed by spaces and
 * exactly `value` on its line. */
bool info_is(const char *out, const char *key, const char *value);
/* True if a diagnostic's file or message contains `s`. */
bool diags_mention(const jx_diag_list *diags, const char *s);
void print_diags(const jx_diag_list *diags);
/* Checks the PDF of build_two_pages at `path` with poppler: fonts
 * embedded+subset+unicode, every string extracted with no warnings,
 * pages, title, renders cleanly. */
void check_with_poppler(const char *path, int pages);

/* cmocka group setup: a fixture for `name` (the test program, naming its
 * temporary folder /tmp/<name>_XXXXXX) rendering with `render`, AR PL
 * UMing loaded.  Returns 0, or -1 on failure. */
int rc_setup(void **state, const char *name, rc_render_fn render);
/* cmocka group teardown: removes the folder and frees the fixture;
 * returns -1 if a font subset was left in $TMPDIR. */
int rc_teardown(void **state);

/* Tests run alike for both writers (fx->render). */
void test_two_pages(void **state);
void test_size_and_time(void **state);
void test_missing_folder(void **state);
void test_failed_write_keeps_existing(void **state);
void test_undrawable_text(void **state);
void test_positions_on_grid(void **state);
void test_pdfa(void **state);

/* Runs tests/e2e/pdfa_check.py with options `opts` on `path`; fails the
 * test when it reports a problem. */
void check_pdfa(const char *path, const char *opts);
/* qpdf --check finds nothing; Ghostscript's pdfwrite and mutool clean
 * leave pdftotext's text of `path` as it is. */
void check_round_trips(const char *path);

#endif
