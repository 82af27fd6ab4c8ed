/*
 * cli-packet.c — `jxform packet INPUTS... -o packet.pdf`.
 *
 * INPUTS are YAML files, folders (searched recursively for *.yaml and
 * *.yml, entries in byte order, so the input order is reproducible) or
 * @LIST (a text file naming one input per line; blank lines and lines
 * starting with # are skipped).  Each file is put in once, however often
 * it is reached (see seen_set below).  Everything else is
 * jx_packet_render's:
 * this file collects the inputs, shows progress on a terminal and lists
 * the inputs left out.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "cli.h"
#include "i18n.h"
#include "render.h"
#include "xalloc.h"

#include <dirent.h>
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

/* Folder nesting followed before giving up. */
#define MAX_DEPTH 32

/* Files, folders and lists are told apart by identity (device and inode,
 * after following links), never by name: a folder reached again through
 * a link (`ln -s . a`) is not searched again, a list that includes itself
 * is not read again, and a file given twice (by itself and in its
 * folder, or through a link) is put in the packet once.  Each is
 * reported as a warning. */
typedef struct seen_entry {
  dev_t dev;
  ino_t ino;
  char *name;  /* the path it was first reached by (owned) */
  bool active; /* lists: being read now */
} seen_entry;

/* A hash set of identities (open addressing). */
typedef struct seen_set {
  seen_entry *slots;
  bool *used;
  size_t cap, count;
} seen_set;

static size_t seen_hash(dev_t dev, ino_t ino) {
  uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15u ^ (uint64_t)ino;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9u;
  return (size_t)(h ^ (h >> 29));
}

/* The entry of (dev, ino), or NULL. */
static seen_entry *seen_find(seen_set *set, const struct stat *st) {
  if (!set->cap)
    return NULL;
  size_t i = seen_hash(st->st_dev, st->st_ino) & (set->cap - 1);
  for (; set->used[i]; i = (i + 1) & (set->cap - 1))
    if (set->slots[i].dev == st->st_dev && set->slots[i].ino == st->st_ino)
      return &set->slots[i];
  return NULL;
}

static seen_entry *seen_add(seen_set *set, const struct stat *st,
                            const char *name) {
  if (2 * (set->count + 1) > set->cap) {
    seen_set bigger = {0};
    bigger.cap = set->cap ? 2 * set->cap : 64;
    bigger.slots = jx_xcalloc(bigger.cap, sizeof *bigger.slots);
    bigger.used = jx_xcalloc(bigger.cap, sizeof *bigger.used);
    for (size_t k = 0; k < set->cap; k++) {
      if (!set->used[k])
        continue;
      size_t i =
          seen_hash(set->slots[k].dev, set->slots[k].ino) & (bigger.cap - 1);
      while (bigger.used[i])
        i = (i + 1) & (bigger.cap - 1);
      bigger.used[i] = true;
      bigger.slots[i] = set->slots[k];
    }
    bigger.count = set->count;
    free(set->slots);
    free(set->used);
    *set = bigger;
  }
  size_t i = seen_hash(st->st_dev, st->st_ino) & (set->cap - 1);
  while (set->used[i])
    i = (i + 1) & (set->cap - 1);
  set->used[i] = true;
  set->slots[i] = (seen_entry){st->st_dev, st->st_ino, jx_xstrdup(name), false};
  set->count++;
  return &set->slots[i];
}

static void seen_free(seen_set *set) {
  for (size_t i = 0; i < set->cap; i++)
    if (set->used[i])
      free(set->slots[i].name);
  free(set->slots);
  free(set->used);
  memset(set, 0, sizeof *set);
}

typedef struct inputs {
  char **items;
  size_t count, cap;
  seen_set files, folders, lists;
  const char *reading; /* the list being read, or NULL */
  char *root;          /* the folder given (resolved) being searched, or
                          NULL: links out of it are reported */
} inputs;

static void push(inputs *in, char *path) {
  if (in->count == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 64;
    in->items = jx_xrealloc(in->items, in->cap * sizeof *in->items);
  }
  in->items[in->count++] = path;
}

static void inputs_free(inputs *in) {
  for (size_t i = 0; i < in->count; i++)
    free(in->items[i]);
  free(in->items);
  seen_free(&in->files);
  seen_free(&in->folders);
  seen_free(&in->lists);
}

/* Adds file `path` (malloc'd; taken), whose stat is *st (NULL when it
 * cannot be read: the loader reports it), unless it is already in. */
static void add_file(inputs *in, char *path, const struct stat *st) {
  if (st) {
    seen_entry *e = seen_find(&in->files, st);
    if (e) {
      if (!strcmp(path, e->name))
        fprintf(stderr, _("jxform: warning: %s is given twice: put in once\n"),
                path);
      else
        fprintf(stderr,
                _("jxform: warning: %s is the same file as %s (given twice): "
                  "put in once\n"),
                path, e->name);
      free(path);
      return;
    }
    seen_add(&in->files, st, path);
  }
  push(in, path);
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

/* Adds the YAML files under folder `dir` (whose stat is *st), in byte
 * order of names; a folder already searched is skipped. */
static bool add_folder(inputs *in, const char *dir, const struct stat *st,
                       int depth) {
  seen_entry *e = seen_find(&in->folders, st);
  if (e) {
    fprintf(stderr,
            _("jxform: warning: %s leads back to folder %s (a link loop, or "
              "the folder given twice): searched once\n"),
            dir, e->name);
    return true;
  }
  if (depth > MAX_DEPTH) {
    fprintf(stderr, _("jxform: %s: folders nested more than %d deep\n"), dir,
            MAX_DEPTH);
    return false;
  }
  seen_add(&in->folders, st, dir);
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "jxform: %s: %s\n", dir, strerror(errno));
    return false;
  }
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    if (count == cap) {
      cap = cap ? 2 * cap : 64;
      names = jx_xrealloc(names, cap * sizeof *names);
    }
    names[count++] = jx_xstrdup(de->d_name);
  }
  closedir(d);
  if (count > 1) /* never qsort(NULL, 0): an empty folder */
    qsort(names, count, sizeof *names, cmp_str);
  bool ok = true;
  size_t dlen = strlen(dir);
  bool slash = dlen && dir[dlen - 1] == '/';
  for (size_t i = 0; i < count; i++) {
    size_t n = dlen + strlen(names[i]) + 2;
    char *path = jx_xmalloc(n);
    snprintf(path, n, "%s%s%s", dir, slash ? "" : "/", names[i]);
    struct stat est, lst;
    bool found = stat(path, &est) == 0;
    if (found && in->root && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
      /* a link that leads out of the folder given: said, then followed */
      char *to = realpath(path, NULL);
      size_t rn = strlen(in->root);
      if (to && (strncmp(to, in->root, rn) || (to[rn] && to[rn] != '/')))
        fprintf(stderr,
                _("jxform: warning: %s is a link out of the folder %s (to %s): "
                  "put in all the same\n"),
                path, in->root, to);
      free(to);
    }
    if (found && S_ISDIR(est.st_mode)) {
      ok = add_folder(in, path, &est, depth + 1) && ok;
      free(path);
    } else if (has_yaml_ext(names[i])) {
      add_file(in, path, found ? &est : NULL);
    } else {
      free(path);
    }
    free(names[i]);
  }
  free(names);
  return ok;
}

/* Adds the inputs named in list file `path`, one a line; a list already
 * being read (one that includes itself) is not read again. */
static bool add_list(inputs *in, const char *path, int depth) {
  bool is_stdin = !strcmp(path, "-");
  FILE *f = is_stdin ? stdin : fopen(path, "r");
  if (!f) {
    fprintf(stderr, "jxform: @%s: %s\n", path, strerror(errno));
    return false;
  }
  struct stat st;
  seen_entry *e = NULL;
  if (fstat(fileno(f), &st) == 0 && !is_stdin) {
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "jxform: @%s: %s\n", path, strerror(EISDIR));
      fclose(f);
      return false;
    }
    e = seen_find(&in->lists, &st);
    if (e) {
      if (e->active)
        fprintf(stderr,
                _("jxform: warning: @%s includes itself (named again in @%s): "
                  "not read again\n"),
                e->name, in->reading ? in->reading : path);
      else if (!strcmp(path, e->name))
        fprintf(stderr,
                _("jxform: warning: @%s was read already: not read again\n"),
                path);
      else
        fprintf(stderr,
                _("jxform: warning: @%s was read already (as @%s): not read "
                  "again\n"),
                path, e->name);
      if (f != stdin)
        fclose(f);
      return true;
    }
    e = seen_add(&in->lists, &st, path);
    e->active = true;
  }
  bool ok = true;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  const char *outer = in->reading;
  in->reading = path;
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
  in->reading = outer;
  if (ferror(f)) {
    fprintf(stderr, "jxform: @%s: %s\n", path, strerror(errno));
    ok = false;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  /* the set may have grown: find the entry again */
  if (!is_stdin && (e = seen_find(&in->lists, &st)))
    e->active = false;
  return ok;
}

static bool add_input(inputs *in, const char *arg, int depth) {
  if (arg[0] == '@' && arg[1]) {
    if (depth > MAX_DEPTH) {
      fprintf(stderr, _("jxform: %s: lists nested more than %d deep\n"), arg,
              MAX_DEPTH);
      return false;
    }
    return add_list(in, arg + 1, depth);
  }
  struct stat st;
  bool found = stat(arg, &st) == 0;
  if (found && S_ISDIR(st.st_mode)) {
    char *outer = in->root;
    in->root = realpath(arg, NULL);
    bool ok = add_folder(in, arg, &st, depth);
    free(in->root);
    in->root = outer;
    return ok;
  }
  /* a file, or a missing one: the loader reports it as a broken input */
  add_file(in, jx_xstrdup(arg), found ? &st : NULL);
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

/* The line every run ends with: what was written, what was left out. */
static void final_line(const char *output, const char *split,
                       const jx_packet_summary *sum, size_t left_out) {
  char files[96], projects[96], pages[96], out[96];
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
  COUNTED(pages, sum->pages, _("1 page"), _("%s pages"));
  if (output) {
    fprintf(stderr, _("jxform: wrote %s: %s, %s; %s\n"), output, projects,
            pages, out);
  } else {
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
  unsigned threads = 0;
  inputs in = {0};
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
      if (!add_input(&in, a, 0)) {
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
        inputs_free(&in);
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
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      inputs_free(&in);
      free(unread);
      return cli_help("packet");
    } else {
      inputs_free(&in);
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
    inputs_free(&in);
    free(unread);
    return cli_usage_error(usage, NULL);
  }
  jx_packet_summary sum = {0};
  if (split) {
    struct stat st;
    if (stat(split, &st) != 0 && mkdir(split, 0777) != 0) {
      fprintf(stderr, _("jxform: cannot create folder %s: %s\n"), split,
              strerror(errno));
      final_line(output, split, &sum, unread_count);
      inputs_free(&in);
      free(unread);
      return EXIT_INPUT;
    }
  }
  for (size_t i = 0; output && i < in.count; i++)
    if (cli_same_file(in.items[i], output) || !strcmp(in.items[i], output)) {
      fprintf(stderr,
              _("jxform: refusing to write the output over the input '%s'\n"),
              in.items[i]);
      inputs_free(&in);
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
    final_line(output, split, &sum, unread_count);
    inputs_free(&in);
    free(unread);
    return EXIT_INPUT;
  }
  jx_session_set_strict(s, strict);
  progress_state ps = {0};
  bool tty = !quiet && isatty(STDERR_FILENO);
  jx_packet_options po = {.order = order,
                          .duplex = duplex,
                          .fail_fast = fail_fast,
                          .split_dir = split,
                          .split_pattern = pattern,
                          .title = title,
                          .threads = threads,
                          .progress = tty ? show_progress : NULL,
                          .progress_user = &ps,
                          .summary = &sum};
  bool *failed = jx_xcalloc(in.count, sizeof *failed);
  bool ok = jx_packet_render(s, (const char *const *)in.items, in.count, &po,
                             output, failed);
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
  final_line(output, split, &sum, nfailed);
  free(failed);
  free(unread);
  inputs_free(&in);
  jx_session_free(s);
  return status;
}
