/*
 * cli-packet.c — `jxform packet INPUTS... -o packet.pdf`.
 *
 * INPUTS are project files, folders (searched recursively for .yaml,
 * .yml and .json files, entries in byte order, so the input order is
 * reproducible) or @LIST (a text file naming one input per line; blank
 * lines and lines starting with # are skipped): cli_inputs (cli-common.c)
 * collects them, each file once however often it is reached.  Everything
 * else is jx_packet_render's: this file shows progress on a terminal and
 * lists the inputs left out.
 */
#include "cli.h"
#include "i18n.h"
#include "packet.h"
#include "render.h"
#include "xalloc.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- progress ---- */

typedef struct progress_state {
  double last;
  bool shown;
} progress_state;

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One status line on stderr, rewritten at most ten times a second. */
static void show_progress(const jx_packet_progress *p, void *user) {
  progress_state *st = user;
  double t = mono();
  bool last = p->inputs_done == p->inputs_total;
  if (!last && t - st->last < 0.1)
    return;
  st->last = t;
  double rate = p->seconds > 0 ? p->pages_done / p->seconds : 0;
  double left = p->inputs_done
                    ? p->seconds * (double)(p->inputs_total - p->inputs_done) /
                          (double)p->inputs_done
                    : 0;
  fputs("\r\033[K", stderr);
  fprintf(stderr, _("%zu/%zu projects, %zu pages, %.0f pages/s, %d:%02d left"),
          p->inputs_done, p->inputs_total, p->pages_done, rate, (int)left / 60,
          (int)left % 60);
  if (p->failed)
    fprintf(stderr, _(", %zu left out"), p->failed);
  st->shown = true;
}

/* The orders --order names (jxform.h), and the older name of dept. */
static const struct {
  const char *name;
  jx_packet_order order;
} orders[] = {{"dept", JX_ORDER_DEPT},
              {"name", JX_ORDER_NAME},
              {"input", JX_ORDER_INPUT},
              {"sorted", JX_ORDER_DEPT}};

/* n with thousands separators: 1,234. */
static const char *grouped(size_t n, char buf[32]) {
  char digits[24];
  int nd = snprintf(digits, sizeof digits, "%zu", n);
  size_t len = 0;
  for (int i = 0; i < nd; i++) {
    if (i && (nd - i) % 3 == 0)
      buf[len++] = ',';
    buf[len++] = digits[i];
  }
  buf[len] = '\0';
  return buf;
}

/* "1 project" or "12 projects" into char array `out`: `one` when n is
 * 1, else `many` (a format with one %s) with n grouped.  A macro, so that
 * the format is checked. */
#define COUNTED(out, n, one, many)                                             \
  do {                                                                         \
    char num_[32];                                                             \
    if ((n) == 1)                                                              \
      snprintf(out, sizeof out, "%s", one);                                    \
    else                                                                       \
      snprintf(out, sizeof out, many, grouped(n, num_));                       \
  } while (0)

/* The line every run ends with: what was written, what was left out.  A
 * packet's pages are counted as its cover counts them: the forms' pages
 * (numbered in the footers), then all of them with the cover and the
 * contents. */
static void final_line(const char *output, const char *split,
                       const jx_packet_summary *sum, size_t form_pages,
                       size_t left_out) {
  char files[96], projects[96], pages[96], all[96], out[96];
  if (!left_out)
    snprintf(out, sizeof out, "%s", _("nothing left out"));
  else
    COUNTED(out, left_out, _("1 input left out (listed above)"),
            _("%s inputs left out (listed above)"));
  if (!sum->files) {
    fprintf(stderr, _("jxform: nothing written; %s\n"), out);
    return;
  }
  COUNTED(projects, sum->projects, _("1 project"), _("%s projects"));
  if (output) {
    COUNTED(pages, form_pages, _("1 page"), _("%s pages"));
    COUNTED(all, sum->pages, _("1 page"), _("%s pages"));
    /* TRANSLATORS: "wrote packet.pdf: 6 projects on 7 pages, 9 pages with
       the cover and contents; nothing left out": the forms' pages (those
       numbered in the footers, as the cover says), then all pages */
    fprintf(stderr,
            _("jxform: wrote %s: %s on %s, %s with the cover and contents; "
              "%s\n"),
            output, projects, pages, all, out);
  } else {
    COUNTED(pages, sum->pages, _("1 page"), _("%s pages"));
    COUNTED(files, sum->files, _("1 PDF"), _("%s PDFs"));
    fprintf(stderr, _("jxform: wrote %s in %s: %s, %s; %s\n"), files, split,
            projects, pages, out);
  }
}

int cmd_packet(int argc, char **argv) {
  const char *output = NULL, *template_dir = NULL, *split = NULL,
             *pattern = NULL, *title = NULL;
  jx_packet_order order = JX_ORDER_DEPT;
  bool duplex = false, fail_fast = false, quiet = false, options_done = false;
  bool no_pdfa = false; /* packets are PDF/A-2b unless --no-pdfa */
  unsigned threads = 0;
  cli_inputs in = {.lists = true};
  /* arguments that could not be read (reported as they were met) */
  const char **unread = NULL;
  size_t unread_count = 0;
  bool strict = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define TAKE(opt)                                                              \
  (!strcmp(a, opt) ? (i + 1 < argc ? (val = argv[++i]) : NULL)                 \
   : !strncmp(a, opt "=", strlen(opt) + 1) ? (val = a + strlen(opt) + 1)       \
                                           : NULL)
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      if (!cli_inputs_add(&in, a)) {
        unread = jx_xrealloc(unread, (unread_count + 1) * sizeof *unread);
        unread[unread_count++] = a;
      }
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (TAKE("-o") || TAKE("--output")) {
      output = val;
    } else if (TAKE("--split")) {
      split = val;
    } else if (TAKE("--name")) {
      pattern = val;
    } else if (TAKE("--title")) {
      title = val;
    } else if (TAKE("--template-dir")) {
      template_dir = val;
    } else if (TAKE("--threads")) {
      threads = (unsigned)strtoul(val, NULL, 10);
    } else if (TAKE("--order")) {
      size_t k = 0, n = sizeof orders / sizeof *orders;
      while (k < n && strcmp(val, orders[k].name))
        k++;
      if (k == n) {
        cli_inputs_free(&in);
        free(unread);
        return cli_usage_error(
            _("--order takes dept (department code, then project name), "
              "name (project name) or input (the order given), not"),
            val);
      }
      order = orders[k].order;
    } else if (!strcmp(a, "--duplex")) {
      duplex = true;
    } else if (!strcmp(a, "--fail-fast")) {
      fail_fast = true;
    } else if (!strcmp(a, "--pdfa")) {
      no_pdfa = false;
    } else if (!strcmp(a, "--no-pdfa")) {
      no_pdfa = true;
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_inputs_free(&in);
      free(unread);
      return cli_help("packet");
    } else {
      cli_inputs_free(&in);
      free(unread);
      return cli_usage_error(_("unknown option (or missing value)"), a);
    }
#undef TAKE
  }
  int status = EXIT_OK;
  if (unread_count)
    status = EXIT_INPUT;
  const char *usage = NULL;
  if ((!output) == (!split))
    usage = output ? _("give either -o PACKET.pdf or --split DIR, not both")
                   : _("packet needs -o PACKET.pdf or --split DIR");
  else if ((output && !*output) || (split && !*split))
    usage = output ? _("-o needs a file name, not an empty one")
                   : _("--split needs a folder, not an empty name");
  else if (in.count == 0)
    usage = _("packet found no YAML input");
  if (usage) {
    cli_inputs_free(&in);
    free(unread);
    return cli_usage_error(usage, NULL);
  }
  jx_packet_summary sum = {0};
  if (split) {
    struct stat st;
    if (stat(split, &st) != 0 && mkdir(split, 0777) != 0) {
      fprintf(stderr, _("jxform: cannot create folder %s: %s\n"), split,
              strerror(errno));
      final_line(output, split, &sum, 0, unread_count);
      cli_inputs_free(&in);
      free(unread);
      return EXIT_INPUT;
    }
  }
  for (size_t i = 0; output && i < in.count; i++)
    if (cli_same_file(in.items[i], output) || !strcmp(in.items[i], output)) {
      fprintf(stderr,
              _("jxform: refusing to write the output over the input '%s'\n"),
              in.items[i]);
      cli_inputs_free(&in);
      free(unread);
      return EXIT_USAGE;
    }

#ifdef __GLIBC__
  /* Each project's layout arena is freed as soon as its pages are
   * encoded: keep that memory in the process instead of returning it to
   * the kernel and faulting it back in for the next project. */
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
  char date[32];
  if (jx_source_date(date, sizeof date) < 0)
    fprintf(stderr,
            _("jxform: warning: SOURCE_DATE_EPOCH='%s' is not a time in "
              "seconds from 1970 to 9999: no date written\n"),
            getenv("SOURCE_DATE_EPOCH"));
  jx_session *s = cli_session_new(template_dir);
  if (!s) {
    final_line(output, split, &sum, 0, unread_count);
    cli_inputs_free(&in);
    free(unread);
    return EXIT_INPUT;
  }
  jx_session_set_strict(s, strict);
  progress_state ps = {0};
  bool tty = !quiet && isatty(STDERR_FILENO);
  jx_packet_options po = {.order = order,
                          .duplex = duplex,
                          .fail_fast = fail_fast,
                          .no_pdfa = no_pdfa,
                          .split_dir = split,
                          .split_pattern = pattern,
                          .title = title,
                          .threads = threads,
                          .progress = tty ? show_progress : NULL,
                          .progress_user = &ps,
                          .summary = &sum};
  bool *failed = jx_xcalloc(in.count, sizeof *failed);
  size_t form_pages = 0;
  bool ok = jx_packet_render_forms(s, (const char *const *)in.items, in.count,
                                   &po, output, failed, &form_pages);
  if (ps.shown)
    fputs("\r\033[K", stderr);
  size_t shown = 0;
  cli_print_diagnostics(s, &shown);
  size_t nfailed = unread_count;
  for (size_t i = 0; i < in.count; i++)
    nfailed += failed[i];
  if (nfailed) {
    char num[32];
    if (nfailed == 1)
      fputs(_("jxform: 1 input left out:\n"), stderr);
    else
      fprintf(stderr, _("jxform: %s inputs left out:\n"),
              grouped(nfailed, num));
    for (size_t i = 0; i < unread_count; i++)
      fprintf(stderr, "  %s\n", unread[i]);
    for (size_t i = 0; i < in.count; i++)
      if (failed[i])
        fprintf(stderr, "  %s\n", in.items[i]);
  }
  if (!ok)
    status = EXIT_INPUT;
  final_line(output, split, &sum, form_pages, nfailed);
  free(failed);
  free(unread);
  cli_inputs_free(&in);
  jx_session_free(s);
  return status;
}
