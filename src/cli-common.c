/*
 * cli-common.c — helpers the commands of the jxform tool share (see
 * cli.h): usage errors, printing diagnostics, sessions, standard input,
 * and the project files named on the command line (files, folders
 * searched recursively, @LIST files).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "book.h"
#include "cli.h"
#include "i18n.h"
#include "import.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

size_t cli_project_index(const char *input, size_t *base_len) {
  const char *hash = strrchr(input, '#');
  size_t digits = hash ? strspn(hash + 1, "0123456789") : 0;
  *base_len = strlen(input);
  if (!hash || !digits || hash[1 + digits] || hash[1] == '0' || digits > 9)
    return 0;
  *base_len = (size_t)(hash - input);
  return (size_t)strtoul(hash + 1, NULL, 10);
}

/* Prints "jxform: what 'arg'" and a hint; returns the usage exit status. */
int cli_usage_error(const char *what, const char *arg) {
  fprintf(stderr, "jxform: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
  fputs(_("Try 'jxform --help'.\n"), stderr);
  return EXIT_USAGE;
}

void cli_print_diagnostics(jx_session *s, size_t *shown) {
  size_t n = jx_diagnostic_count(s);
  for (; *shown < n; (*shown)++)
    jx_diagnostic_print(jx_diagnostic_at(s, *shown), stderr);
}

const char *cli_import_template, *cli_template_dir;

jx_session *cli_session_new(const char *template_dir) {
  jx_options opts = {.template_dir = template_dir,
                     .import_template = cli_import_template};
  jx_session *s = jx_session_new(&opts);
  if (!s)
    fputs(_("jxform: out of memory\n"), stderr);
  return s;
}

char *cli_read_stdin(size_t *size) {
  size_t cap = 65536, n = 0;
  char *data = malloc(cap);
  while (data) {
    size_t got = fread(data + n, 1, cap - n, stdin);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      char *bigger = cap > (64u << 20) ? NULL : realloc(data, cap * 2);
      if (!bigger) {
        free(data);
        return NULL;
      }
      data = bigger;
      cap *= 2;
    }
  }
  if (data && ferror(stdin)) {
    free(data);
    return NULL;
  }
  *size = n;
  return data;
}

bool cli_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
    return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* ---- the project files named on the command line ---- */

/* Folder and list nesting followed before giving up. */
#define MAX_DEPTH 32

/* Files, folders and lists are told apart by identity (device and inode,
 * after following links), never by name: a folder reached again through
 * a link (`ln -s . a`) is not searched again, a list that includes itself
 * is not read again, and a file given twice (by itself and in its
 * folder, or through a link) is taken once.  Each is reported as a
 * warning. */
typedef struct cli_seen_entry {
  dev_t dev;
  ino_t ino;
  char *name;  /* the path it was first reached by (owned) */
  bool active; /* lists: being read now */
} cli_seen_entry;

static size_t seen_hash(dev_t dev, ino_t ino) {
  uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15u ^ (uint64_t)ino;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9u;
  return (size_t)(h ^ (h >> 29));
}

/* The entry of (dev, ino), or NULL (a hash set, open addressing). */
static cli_seen_entry *seen_find(cli_seen *set, const struct stat *st) {
  if (!set->cap)
    return NULL;
  size_t i = seen_hash(st->st_dev, st->st_ino) & (set->cap - 1);
  for (; set->used[i]; i = (i + 1) & (set->cap - 1))
    if (set->slots[i].dev == st->st_dev && set->slots[i].ino == st->st_ino)
      return &set->slots[i];
  return NULL;
}

static cli_seen_entry *seen_add(cli_seen *set, const struct stat *st,
                                const char *name) {
  if (2 * (set->count + 1) > set->cap) {
    cli_seen bigger = {0};
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
  set->slots[i] =
      (cli_seen_entry){st->st_dev, st->st_ino, jx_xstrdup(name), false};
  set->count++;
  return &set->slots[i];
}

static void seen_free(cli_seen *set) {
  for (size_t i = 0; i < set->cap; i++)
    if (set->used[i])
      free(set->slots[i].name);
  free(set->slots);
  free(set->used);
  memset(set, 0, sizeof *set);
}

static void push(cli_inputs *in, char *path) {
  if (in->count == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 64;
    in->items = jx_xrealloc(in->items, in->cap * sizeof *in->items);
  }
  in->items[in->count++] = path;
}

void cli_inputs_free(cli_inputs *in) {
  for (size_t i = 0; i < in->count; i++)
    free(in->items[i]);
  free(in->items);
  seen_free(&in->files);
  seen_free(&in->folders);
  seen_free(&in->seen_lists);
  free(in->root);
  jx_session_free(in->books);
  memset(in, 0, sizeof *in);
}

/* Adds file `path` (malloc'd; taken), whose stat is *st (NULL when it
 * cannot be read: the loader reports it), unless it is already in. */
static void add_file(cli_inputs *in, char *path, const struct stat *st) {
  in->found++;
  if (st) {
    cli_seen_entry *e = seen_find(&in->files, st);
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
    /* a workbook of several projects: one input each, PATH#1 … PATH#N */
    if (S_ISREG(st->st_mode) && jx_import_is_book(path)) {
      if (!in->books)
        in->books = cli_session_new(cli_template_dir);
      size_t n = in->books ? jx_workbook_projects(in->books, path) : 0;
      if (n > 1) {
        for (size_t i = 1; i <= n; i++) {
          size_t len = strlen(path) + 24;
          char *one = jx_xmalloc(len);
          snprintf(one, len, "%s#%zu", path, i);
          push(in, one);
        }
        free(path);
        return;
      }
    }
  }
  push(in, path);
}

/* True if `name` ends in `ext` (ASCII letters in any case). */
static bool ends_with_ci(const char *name, const char *ext) {
  size_t n = strlen(name), k = strlen(ext);
  if (n <= k)
    return false;
  for (size_t i = 0; i < k; i++) {
    char c = name[n - k + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != ext[i])
      return false;
  }
  return true;
}

/* The length of the project-file extension `name` ends in (.yaml, .yml or
 * .json, any letter case), or 0.  A JSON Schema that `jxform schema`
 * wrote for editors (NAME.schema.json) is not a project file.  Workbooks
 * (.xlsx, .xlsm, .xls, .csv) are, but not the lock file Excel and WPS
 * keep beside an open one (~$NAME.xlsx). */
static size_t project_ext(const char *name) {
  if (jx_book_path(name)) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return strncmp(base, "~$", 2) ? strlen(strrchr(name, '.')) : 0;
  }
  if (ends_with_ci(name, ".yaml"))
    return 5;
  if (ends_with_ci(name, ".yml"))
    return 4;
  if (ends_with_ci(name, ".json") && !ends_with_ci(name, ".schema.json"))
    return 5;
  return 0;
}

/* A project file saved by Notepad gets ".txt" added to its name
 * (项目.yaml.txt, the extension hidden by Windows): named in a warning,
 * with the name to give it, and left out. */
static void notepad_warning(const char *path, const char *name) {
  if (!ends_with_ci(name, ".txt"))
    return;
  char *stem = jx_xstrdup(name);
  stem[strlen(stem) - 4] = '\0';
  if (project_ext(stem))
    fprintf(stderr,
            _("jxform: warning: %s is left out: Notepad added '.txt' to its "
              "name; rename it to %s\n"),
            path, stem);
  free(stem);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool add_input(cli_inputs *in, const char *arg, int depth);

/* Adds the project files under folder `dir` (whose stat is *st), in byte
 * order of names; a folder already searched is skipped. */
static bool add_folder(cli_inputs *in, const char *dir, const struct stat *st,
                       int depth) {
  cli_seen_entry *e = seen_find(&in->folders, st);
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
    } else if (project_ext(names[i])) {
      add_file(in, path, found ? &est : NULL);
    } else {
      notepad_warning(path, names[i]);
      free(path);
    }
    free(names[i]);
  }
  free(names);
  return ok;
}

/* Adds the inputs named in list file `path`, one a line; a list already
 * being read (one that includes itself) is not read again. */
static bool add_list(cli_inputs *in, const char *path, int depth) {
  bool is_stdin = !strcmp(path, "-");
  FILE *f = is_stdin ? stdin : fopen(path, "r");
  if (!f) {
    fprintf(stderr, "jxform: @%s: %s\n", path, strerror(errno));
    return false;
  }
  struct stat st;
  cli_seen_entry *e = NULL;
  if (fstat(fileno(f), &st) == 0 && !is_stdin) {
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "jxform: @%s: %s\n", path, strerror(EISDIR));
      fclose(f);
      return false;
    }
    e = seen_find(&in->seen_lists, &st);
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
    e = seen_add(&in->seen_lists, &st, path);
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
  if (!is_stdin && (e = seen_find(&in->seen_lists, &st)))
    e->active = false;
  return ok;
}

static bool add_input(cli_inputs *in, const char *arg, int depth) {
  if (in->lists && arg[0] == '@' && arg[1]) {
    if (depth > MAX_DEPTH) {
      fprintf(stderr, _("jxform: %s: lists nested more than %d deep\n"), arg,
              MAX_DEPTH);
      return false;
    }
    return add_list(in, arg + 1, depth);
  }
  if (!strcmp(arg, "-")) { /* standard input: the command reads it */
    push(in, jx_xstrdup(arg));
    return true;
  }
  struct stat st;
  bool found = stat(arg, &st) == 0;
  if (found && S_ISDIR(st.st_mode)) {
    char *outer = in->root;
    in->root = realpath(arg, NULL);
    size_t before = in->found;
    bool again = seen_find(&in->folders, &st) != NULL;
    bool ok = add_folder(in, arg, &st, depth);
    free(in->root);
    in->root = outer;
    if (ok && !again && in->found == before) {
      fprintf(stderr,
              _("jxform: %s: no project files (.yaml, .yml, .json, .xlsx, "
                ".xls or .csv) in this folder or its subfolders\n"),
              arg);
      ok = false;
    }
    return ok;
  }
  /* a file, or a missing one: the loader reports it as a broken input */
  add_file(in, jx_xstrdup(arg), found ? &st : NULL);
  return true;
}

bool cli_inputs_add(cli_inputs *in, const char *arg) {
  return add_input(in, arg, 0);
}
