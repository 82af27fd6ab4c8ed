/*
 * cli-packet.c — `jxform packet INPUTS... -o packet.pdf`.
 *
 * INPUTS are YAML files, folders (searched recursively for *.yaml and
 * *.yml, entries in byte order, so the input order is reproducible) or
 * @LIST (a text file naming one input per line; blank lines and lines
 * starting with # are skipped).  Everything else is jx_packet_render's:
 * this file collects the inputs, shows progress on a terminal and lists
 * the inputs left out.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Folder nesting followed before giving up (symlink loops). */
#define MAX_DEPTH 32

typedef struct inputs {
  char **items;
  size_t count, cap;
} inputs;

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p)
    abort();
  return memcpy(p, s, n);
}

static void push(inputs *in, char *path) {
  if (in->count == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 64;
    in->items = realloc(in->items, in->cap * sizeof *in->items);
    if (!in->items)
      abort();
  }
  in->items[in->count++] = path;
}

static bool has_yaml_ext(const char *name) {
  size_t n = strlen(name);
  return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
         (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool add_input(inputs *in, const char *arg, int depth);

/* Adds the YAML files under folder `dir`, in byte order of names. */
static bool add_folder(inputs *in, const char *dir, int depth) {
  if (depth > MAX_DEPTH) {
    fprintf(stderr, "jxform: %s: folders nested too deep (symlink loop?)\n",
            dir);
    return false;
  }
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "jxform: %s: %s\n", dir, strerror(errno));
    return false;
  }
  inputs names = {0};
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.')
      push(&names, dupstr(e->d_name));
  closedir(d);
  qsort(names.items, names.count, sizeof *names.items, cmp_str);
  bool ok = true;
  for (size_t i = 0; i < names.count; i++) {
    size_t n = strlen(dir) + strlen(names.items[i]) + 2;
    char *path = malloc(n);
    if (!path)
      abort();
    snprintf(path, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
             names.items[i]);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      ok = add_folder(in, path, depth + 1) && ok;
      free(path);
    } else if (has_yaml_ext(names.items[i])) {
      push(in, path);
    } else {
      free(path);
    }
    free(names.items[i]);
  }
  free(names.items);
  return ok;
}

/* Adds the inputs named in list file `path`, one a line. */
static bool add_list(inputs *in, const char *path, int depth) {
  FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if (!f) {
    fprintf(stderr, "jxform: @%s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = true;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                     line[n - 1] == ' ' || line[n - 1] == '\t'))
      line[--n] = '\0';
    char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p && *p != '#')
      ok = add_input(in, p, depth + 1) && ok;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  return ok;
}

static bool add_input(inputs *in, const char *arg, int depth) {
  if (arg[0] == '@' && arg[1])
    return depth > MAX_DEPTH ? false : add_list(in, arg + 1, depth);
  struct stat st;
  if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
    return add_folder(in, arg, depth);
  /* a file, or a missing one: the loader reports it as a broken input */
  push(in, dupstr(arg));
  return true;
}

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
  fprintf(stderr,
          "\r\033[K%zu/%zu projects, %zu pages, %.0f pages/s, %d:%02d left%s",
          p->inputs_done, p->inputs_total, p->pages_done, rate, (int)left / 60,
          (int)left % 60, p->failed ? "" : "");
  if (p->failed)
    fprintf(stderr, ", %zu left out", p->failed);
  st->shown = true;
}

static const char packet_usage[] =
    "usage: jxform packet INPUTS... -o PACKET.pdf [options]\n"
    "       jxform packet INPUTS... --split DIR [--name PATTERN] [options]\n";

int cmd_packet(int argc, char **argv) {
  const char *output = NULL, *template_dir = NULL, *split = NULL,
             *pattern = NULL, *title = NULL;
  bool order_input = false, duplex = false, fail_fast = false, quiet = false,
       options_done = false;
  unsigned threads = 0;
  inputs in = {0};
  bool inputs_ok = true;
  bool strict = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define TAKE(opt)                                                              \
  (!strcmp(a, opt) ? (i + 1 < argc ? (val = argv[++i]) : NULL)                 \
   : !strncmp(a, opt "=", strlen(opt) + 1) ? (val = a + strlen(opt) + 1)       \
                                           : NULL)
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      inputs_ok = add_input(&in, a, 0) && inputs_ok;
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
      if (!strcmp(val, "input"))
        order_input = true;
      else if (!strcmp(val, "sorted"))
        order_input = false;
      else
        return cli_usage_error("--order takes 'input' or 'sorted', not", val);
    } else if (!strcmp(a, "--duplex")) {
      duplex = true;
    } else if (!strcmp(a, "--fail-fast")) {
      fail_fast = true;
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(packet_usage, stdout);
      return EXIT_OK;
    } else {
      return cli_usage_error("unknown option (or missing value)", a);
    }
#undef TAKE
  }
  int status = EXIT_OK;
  if (!inputs_ok)
    status = EXIT_INPUT;
  if ((!output) == (!split)) {
    for (size_t i = 0; i < in.count; i++)
      free(in.items[i]);
    free(in.items);
    return cli_usage_error(
        output ? "give either -o PACKET.pdf or --split DIR, not both"
               : "packet needs -o PACKET.pdf or --split DIR",
        NULL);
  }
  if (in.count == 0) {
    free(in.items);
    return cli_usage_error("packet found no YAML input", NULL);
  }
  if (split) {
    struct stat st;
    if (stat(split, &st) != 0 && mkdir(split, 0777) != 0) {
      fprintf(stderr, "jxform: cannot create folder %s: %s\n", split,
              strerror(errno));
      return EXIT_INPUT;
    }
  }
  for (size_t i = 0; output && i < in.count; i++)
    if (cli_same_file(in.items[i], output) || !strcmp(in.items[i], output)) {
      fprintf(stderr,
              "jxform: refusing to write the output over the input '%s'\n",
              in.items[i]);
      return EXIT_USAGE;
    }

#ifdef __GLIBC__
  /* Each project's layout arena is freed as soon as its pages are
   * encoded: keep that memory in the process instead of returning it to
   * the kernel and faulting it back in for the next project. */
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
  jx_session *s = cli_session_new(template_dir);
  if (!s)
    return EXIT_INPUT;
  jx_session_set_strict(s, strict);
  progress_state ps = {0};
  bool tty = !quiet && isatty(STDERR_FILENO);
  jx_packet_options po = {.order_input = order_input,
                          .duplex = duplex,
                          .fail_fast = fail_fast,
                          .split_dir = split,
                          .split_pattern = pattern,
                          .title = title,
                          .threads = threads,
                          .progress = tty ? show_progress : NULL,
                          .progress_user = &ps};
  bool *failed = calloc(in.count, sizeof *failed);
  if (!failed)
    abort();
  bool ok = jx_packet_render(s, (const char *const *)in.items, in.count, &po,
                             output, failed);
  if (ps.shown)
    fputs("\r\033[K", stderr);
  size_t shown = 0;
  cli_print_diagnostics(s, &shown);
  size_t nfailed = 0;
  for (size_t i = 0; i < in.count; i++)
    nfailed += failed[i];
  if (nfailed) {
    fprintf(stderr, "jxform: %zu input%s left out:\n", nfailed,
            nfailed == 1 ? "" : "s");
    for (size_t i = 0; i < in.count; i++)
      if (failed[i])
        fprintf(stderr, "  %s\n", in.items[i]);
  }
  if (!ok)
    status = EXIT_INPUT;
  if (tty && ok)
    fprintf(stderr, "jxform: wrote %s (%zu projects)\n",
            output ? output : split, in.count - nfailed);
  free(failed);
  for (size_t i = 0; i < in.count; i++)
    free(in.items[i]);
  free(in.items);
  jx_session_free(s);
  return status;
}
