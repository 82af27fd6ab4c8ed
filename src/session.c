/*
 * session.c — the public API (include/jxform/jxform.h) over the stages.
 *
 * A session owns the diagnostics, the face table and the templates loaded
 * so far (each loaded once, in the session's arena).  A project owns its
 * arena, which holds its model.
 */
#include "jxform/jxform.h"

#include "arena.h"
#include "datadir.h"
#include "diag.h"
#include "fonts.h"
#include "import.h"
#include "jxlimits.h"
#include "layout.h"
#include "model.h"
#include "packet.h"
#include "render.h"
#include "session.h"
#include "template.h"
#include "validate.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct jx_tentry {
  const char *name;
  jx_template *tpl; /* NULL: loading it failed */
} jx_tentry;

/* The template of a project file that names none. */
#define JX_DEFAULT_TEMPLATE "yangquan-2025"

struct jx_session {
  jx_diag_list diags;
  jx_fonts fonts;
  bool fonts_ready;
  jx_measure measure; /* the calling thread's measuring context */
  jx_arena arena;
  const char *template_dir;
  bool strict; /* warnings of the consistency rules count as errors */
  bool pdfa;   /* render writes PDF/A-2b */
  jx_tentry *templates;
  size_t template_count, template_cap;
  const char *import_template; /* workbooks: the template, or NULL */
  /* Workbooks of several projects, imported once: PATH#1 … PATH#N each
   * load from here instead of reading the whole book again (which made
   * checking a book of 600 projects take minutes). */
  struct jx_book_entry **books;
  size_t book_count, book_cap;
  pthread_mutex_t book_lock;
};

/* A workbook as imported: its projects' YAML, what reading it said, and
 * the file it was read from (its identity and time: a book changed on
 * disk is read again).  Everything in `arena`. */
typedef struct jx_book_entry {
  char *path;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
  jx_arena arena;
  jx_diag_list diags; /* what reading and mapping the book said */
  jx_import imp;
  const jx_template *tpl;
  bool ok; /* jx_session_import succeeded */
} jx_book_entry;

struct jx_project {
  jx_arena arena;
  jx_model *model;
  const jx_template *tpl;
};

jx_session *jx_session_new(const jx_options *options) {
  jx_session *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  jx_arena_init(&s->arena);
  const char *dir = options ? options->template_dir : NULL;
  if (!dir || !*dir)
    dir = jx_default_template_dir();
  s->template_dir = jx_arena_strdup(&s->arena, dir);
  if (options && options->import_template && *options->import_template)
    s->import_template = jx_arena_strdup(&s->arena, options->import_template);
  s->fonts_ready = jx_fonts_init(&s->fonts);
  jx_measure_init(&s->measure, &s->fonts);
  pthread_mutex_init(&s->book_lock, NULL);
  return s;
}

static void book_entry_free(jx_book_entry *e) {
  jx_import_free(&e->imp);
  jx_diag_list_free(&e->diags);
  jx_arena_free(&e->arena);
  free(e->path);
}

void jx_session_free(jx_session *s) {
  if (!s)
    return;
  jx_measure_free(&s->measure);
  if (s->fonts_ready)
    jx_fonts_free(&s->fonts);
  for (size_t i = 0; i < s->book_count; i++) {
    book_entry_free(s->books[i]);
    free(s->books[i]);
  }
  free(s->books);
  pthread_mutex_destroy(&s->book_lock);
  jx_diag_list_free(&s->diags);
  jx_arena_free(&s->arena);
  free(s);
}

void jx_session_set_strict(jx_session *s, bool strict) { s->strict = strict; }

void jx_session_set_pdfa(jx_session *s, bool pdfa) { s->pdfa = pdfa; }

bool jx_session_pdfa(const jx_session *s) { return s->pdfa; }

size_t jx_diagnostic_count(const jx_session *s) { return s->diags.count; }

const jx_diagnostic *jx_diagnostic_at(const jx_session *s, size_t i) {
  return i < s->diags.count ? &s->diags.items[i] : NULL;
}

size_t jx_error_count(const jx_session *s) { return s->diags.errors; }

/* Returns the template called `name`, loading it on first use; NULL after
 * recording diagnostics when it cannot be loaded. */
static const jx_template *session_template(jx_session *s, jx_diag_list *diags,
                                           const char *name, jx_pos pos) {
  for (size_t i = 0; i < s->template_count; i++)
    if (!strcmp(s->templates[i].name, name)) {
      if (!s->templates[i].tpl)
        jx_error(diags, pos, "template '%s' could not be loaded", name);
      return s->templates[i].tpl;
    }
  if (!s->fonts_ready) {
    jx_error(diags, pos, "cannot initialise FreeType");
    return NULL;
  }
  size_t before = diags->errors;
  jx_template *t =
      jx_template_load(&s->arena, diags, &s->fonts, s->template_dir, name);
  if (!t && diags->errors == before)
    jx_error(diags, pos, "template '%s' could not be loaded", name);
  if (!t) {
    /* Found but broken, or not there at all: two different fixes. */
    char *file =
        jx_arena_printf(&s->arena, "%s/%s.yaml", s->template_dir, name);
    if (!strchr(name, '/') && access(file, F_OK) == 0)
      jx_error(diags, pos,
               "the project's template '%s' (%s) has the errors above; fix "
               "the template, or name another one",
               name, file);
    else
      jx_error(diags, pos, "the project asks for template '%s' (looked in %s)",
               name, s->template_dir);
  }
  s->templates = jx_arena_grow(&s->arena, s->templates, sizeof *s->templates,
                               &s->template_cap, s->template_count + 1);
  s->templates[s->template_count++] =
      (jx_tentry){jx_arena_strdup(&s->arena, name), t};
  return t;
}

/* The template called `name`, looked up in the session under `lock`
 * (when not NULL), its diagnostics going to `diags`. */
static const jx_template *find_template(jx_session *s, jx_diag_list *diags,
                                        const char *name, jx_pos pos,
                                        pthread_mutex_t *lock) {
  if (lock)
    pthread_mutex_lock(lock);
  const jx_template *t = session_template(s, diags, name, pos);
  if (lock)
    pthread_mutex_unlock(lock);
  return t;
}

static jx_model *load_book(jx_session *s, jx_arena *arena, jx_diag_list *diags,
                           const char *input, const char *path, size_t index,
                           pthread_mutex_t *lock, const jx_template **tpl);

/* Reads a project (from `path`, or from data[0..size) named `path`) into
 * `arena` against the template it asks for, and validates it.  The
 * template is looked up in the session under `lock` (when not NULL), its
 * diagnostics going to `diags` too.  Sets *tpl; returns the model, or
 * NULL when the file has errors (recorded in `diags`).  A workbook
 * (PATH, or PATH#N for its project N) is imported (import.h). */
static jx_model *load_project(jx_session *s, jx_arena *arena,
                              jx_diag_list *diags, const char *path,
                              const char *data, size_t size,
                              pthread_mutex_t *lock, const jx_template **tpl) {
  *tpl = NULL;
  size_t first_diag = diags->count, errors_before = diags->errors;
  if (!data) {
    const char *book = NULL;
    size_t index = 0;
    jx_import_split(arena, path, &book, &index);
    if (index || jx_book_path(book))
      return load_book(s, arena, diags, path, book, index, lock, tpl);
    /* read once: the bytes tell a workbook (jx_import_is_book) */
    bool regular;
    data = jx_load_read_file(arena, diags, path, &size, &regular);
    if (!data)
      return NULL;
    if (regular && jx_import_is_book_head((const unsigned char *)data, size))
      return load_book(s, arena, diags, path, book, index, lock, tpl);
  }
  bool complete = false;
  const jx_ynode *root =
      jx_load_tree(arena, diags, path, data, size, &complete);
  if (!root)
    return NULL;
  jx_pos pos;
  const char *name = jx_load_template_name(root, JX_DEFAULT_TEMPLATE, &pos);
  const jx_template *t = find_template(s, diags, name, pos, lock);
  if (!t)
    return NULL;
  jx_model *m = jx_load_model(arena, diags, path, false, root, complete,
                              &t->content, name, first_diag, errors_before);
  if (!m || !jx_validate(m, t, s->strict, diags))
    return NULL;
  *tpl = t;
  return m;
}

/* ---- workbooks (import.h) ---- */

bool jx_session_import(jx_session *s, jx_arena *arena, jx_diag_list *diags,
                       const char *path, pthread_mutex_t *lock, jx_import *out,
                       const jx_template **tpl) {
  *tpl = NULL;
  memset(out, 0, sizeof *out);
  jx_book *book = jx_book_read(arena, diags, path, NULL, 0);
  if (!book)
    return false;
  const char *where = NULL;
  const char *name = s->import_template;
  if (!name)
    name = jx_import_template_name(arena, book, &where);
  if (!name)
    name = JX_DEFAULT_TEMPLATE;
  size_t before = diags->count;
  const jx_template *t =
      find_template(s, diags, name, (jx_pos){path, 0, 0}, lock);
  if (where)
    for (size_t i = before; i < diags->count; i++)
      if (diags->items[i].file && !strcmp(diags->items[i].file, path) &&
          !diags->items[i].cell)
        diags->items[i].cell = jx_xstrdup(where);
  if (!t)
    return false;
  *tpl = t;
  const char **titles =
      jx_arena_alloc(arena, (t->heading_count + 1) * sizeof *titles);
  for (size_t i = 0; i < t->heading_count; i++)
    titles[i] = t->heading[i].pattern;
  return jx_import_book(arena, diags, book, &t->content, titles,
                        t->heading_count, name, out);
}

jx_model *jx_session_load_import(jx_session *s, jx_arena *arena,
                                 jx_diag_list *diags, const jx_import *imp,
                                 size_t index, const char *name,
                                 const jx_template *t) {
  const jx_import_project *p = &imp->projects[index];
  for (size_t i = 0; i < p->diags.count; i++)
    jx_diag_add_copy(diags, &p->diags.items[i]);
  size_t first_diag = diags->count, errors_before = diags->errors;
  bool complete = false;
  const jx_ynode *root =
      jx_load_tree(arena, diags, name, p->yaml, p->size, &complete);
  jx_model *m = NULL;
  if (root) {
    m = jx_load_model(arena, diags, name, true, root, complete, &t->content,
                      imp->template_name, first_diag, errors_before);
    if (m && !jx_validate(m, t, s->strict, diags))
      m = NULL;
  }
  jx_import_move_diags(diags, first_diag, name, imp->book->path, p);
  if (m)
    jx_import_relocate(arena, m, name, imp->book->path, p);
  return p->errors ? NULL : m;
}

/* True if entry `e` is of the file `st` describes, unchanged. */
static bool book_same_file(const jx_book_entry *e, const struct stat *st) {
  return e->dev == st->st_dev && e->ino == st->st_ino &&
         e->size == st->st_size && e->mtime.tv_sec == st->st_mtim.tv_sec &&
         e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The workbook at `path` as imported: the session's cached entry when the
 * file has not changed since, else `local` filled here (*cached false;
 * the caller frees it with book_entry_free), which is moved into the
 * cache when the book holds several projects (those are loaded one by
 * one).  Thread-safe: the cache is under s->book_lock, and entries are
 * read-only once cached. */
static const jx_book_entry *book_get(jx_session *s, const char *path,
                                     pthread_mutex_t *lock,
                                     jx_book_entry *local, bool *cached) {
  struct stat st;
  bool have_stat = stat(path, &st) == 0 && S_ISREG(st.st_mode);
  *cached = false;
  if (have_stat) {
    pthread_mutex_lock(&s->book_lock);
    for (size_t i = 0; i < s->book_count; i++) {
      jx_book_entry *e = s->books[i];
      if (!strcmp(e->path, path) && book_same_file(e, &st)) {
        pthread_mutex_unlock(&s->book_lock);
        *cached = true;
        return e;
      }
    }
    pthread_mutex_unlock(&s->book_lock);
  }
  memset(local, 0, sizeof *local);
  jx_arena_init(&local->arena);
  local->ok = jx_session_import(s, &local->arena, &local->diags, path, lock,
                                &local->imp, &local->tpl);
  if (!have_stat || !local->ok || local->imp.count < 2)
    return local;
  jx_book_entry *e = jx_xmalloc(sizeof *e);
  *e = *local;
  e->path = jx_xstrdup(path);
  e->dev = st.st_dev;
  e->ino = st.st_ino;
  e->size = st.st_size;
  e->mtime = st.st_mtim;
  pthread_mutex_lock(&s->book_lock);
  if (s->book_count == s->book_cap) {
    s->book_cap = s->book_cap ? 2 * s->book_cap : 8;
    s->books = jx_xrealloc(s->books, s->book_cap * sizeof *s->books);
  }
  s->books[s->book_count++] = e; /* a twin another thread added is harmless */
  pthread_mutex_unlock(&s->book_lock);
  memset(local, 0, sizeof *local);
  *cached = true;
  return e;
}

/* Loads project `index` (1-based; 0: the only one) of workbook `path`,
 * given as `input`. */
static jx_model *load_book(jx_session *s, jx_arena *arena, jx_diag_list *diags,
                           const char *input, const char *path, size_t index,
                           pthread_mutex_t *lock, const jx_template **tpl) {
  jx_book_entry local;
  bool cached;
  const jx_book_entry *e = book_get(s, path, lock, &local, &cached);
  /* what reading the book said is said for each of its projects; its
   * errors (a cell that could not be read) fail each of them */
  for (size_t i = 0; i < e->diags.count; i++)
    jx_diag_add_copy(diags, &e->diags.items[i]);
  bool book_errors = e->diags.errors > 0;
  jx_pos pos = {path, 0, 0};
  jx_model *m = NULL;
  if (!e->ok)
    ;
  else if (index == 0 && e->imp.count > 1)
    jx_error(diags, pos,
             "the workbook holds %zu projects: name one as %s#1 to %s#%zu "
             "(render, check, packet and import take the whole workbook)",
             e->imp.count, path, path, e->imp.count);
  else if (index > e->imp.count)
    jx_error(diags, pos,
             "there is no project %zu in the workbook: it holds %zu (%s#1 "
             "to %s#%zu)",
             index, e->imp.count, path, path, e->imp.count);
  else
    m = jx_session_load_import(s, arena, diags, &e->imp, index ? index - 1 : 0,
                               input, e->tpl);
  const jx_template *t = e->tpl;
  if (!cached)
    book_entry_free(&local);
  if (!m || book_errors)
    return NULL;
  *tpl = t;
  return m;
}

size_t jx_workbook_projects(jx_session *s, const char *path) {
  jx_book_entry local;
  bool cached;
  const jx_book_entry *e = book_get(s, path, NULL, &local, &cached);
  size_t n = e->ok ? e->imp.count : 0;
  if (!cached)
    book_entry_free(&local);
  return n;
}

static jx_project *new_project(jx_session *s, const char *name,
                               const char *data, size_t size) {
  jx_project *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  jx_arena_init(&p->arena);
  p->model = load_project(s, &p->arena, &s->diags, name ? name : "<input>",
                          data, size, NULL, &p->tpl);
  if (!p->model) {
    jx_project_free(p);
    return NULL;
  }
  return p;
}

jx_project *jx_project_load(jx_session *s, const char *path) {
  return new_project(s, path, NULL, 0);
}

jx_project *jx_project_load_buffer(jx_session *s, const char *name,
                                   const char *data, size_t size) {
  /* a zero-length buffer still reads as the (empty) file it is */
  return new_project(s, name, data ? data : "", size);
}

bool jx_check_projects(jx_session *s, jx_project *const *projects,
                       size_t count) {
  jx_across *a = jx_across_new();
  for (size_t i = 0; i < count; i++)
    jx_across_add(a, projects[i]);
  bool ok = jx_across_check(s, a);
  jx_across_free(a);
  return ok;
}

bool jx_write_skeleton(jx_session *s, const char *template_name, int year,
                       FILE *out) {
  jx_pos pos = {NULL, 0, 0};
  const jx_template *t = session_template(
      s, &s->diags, template_name ? template_name : JX_DEFAULT_TEMPLATE, pos);
  return t && jx_skeleton_write(t, year, out);
}

bool jx_write_schema(jx_session *s, const char *template_name, FILE *out) {
  jx_pos pos = {NULL, 0, 0};
  const jx_template *t = session_template(
      s, &s->diags, template_name ? template_name : JX_DEFAULT_TEMPLATE, pos);
  return t && jx_schema_write(t, out);
}

void jx_project_free(jx_project *p) {
  if (!p)
    return;
  jx_arena_free(&p->arena);
  free(p);
}

bool jx_project_dump_model(const jx_project *p, FILE *out) {
  jx_model_dump(p->model, out);
  return !ferror(out);
}

/* Lays out `count` projects into `layout` (whose arena the caller owns). */
static bool layout_all(jx_session *s, jx_project *const *projects, size_t count,
                       jx_layout *layout) {
  bool ok = true;
  for (size_t i = 0; i < count; i++)
    if (!jx_layout_form(layout, &s->measure, projects[i]->tpl,
                        projects[i]->model, (int)i, &s->diags))
      ok = false;
  return ok;
}

/* Lays project `p` out; with `out`, prints the layout there.  Returns
 * false after recording diagnostics (or on a write error). */
static bool lay_out_one(jx_session *s, jx_project *p, FILE *out) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_layout layout = {0};
  layout.arena = &arena;
  bool ok = layout_all(s, &p, 1, &layout);
  if (ok && out) {
    jx_layout_dump(&layout, out);
    ok = !ferror(out);
  }
  jx_arena_free(&arena);
  return ok;
}

bool jx_project_check_layout(jx_session *s, jx_project *p) {
  return lay_out_one(s, p, NULL);
}

bool jx_project_dump_layout(jx_session *s, jx_project *p, FILE *out) {
  return lay_out_one(s, p, out);
}

void jx_session_clear_diagnostics(jx_session *s) {
  jx_diag_list_free(&s->diags);
}

jx_project *jx_project_reload(jx_session *s, const char *path) {
  jx_project *p = jx_xcalloc(1, sizeof *p);
  jx_arena_init(&p->arena);
  jx_diag_list diags = {0};
  p->model = load_project(s, &p->arena, &diags, path, NULL, 0, NULL, &p->tpl);
  if (!p->model) {
    /* the file changed since: what is wrong with it now is news */
    for (size_t i = 0; i < diags.count; i++)
      jx_diag_add_copy(&s->diags, &diags.items[i]);
    jx_project_free(p);
    p = NULL;
  }
  jx_diag_list_free(&diags);
  return p;
}

/* ---- the rules across projects, over summaries (session.h) ---- */

/* A summary is a jx_model holding only what jx_validate_across reads, so
 * that validate.c's rule runs on it unchanged: the path; every field
 * absent but the money blocks' totals and the project's name; in each
 * grid with a value column, only the rows whose value may be a plain
 * amount, each with that one cell.  Everything lives in the jx_across's
 * arena; `content` is the template's (the session's). */
struct jx_across {
  jx_arena arena;
  const jx_model **models;
  size_t count, cap;
};

jx_across *jx_across_new(void) {
  jx_across *a = jx_xcalloc(1, sizeof *a);
  jx_arena_init(&a->arena);
  return a;
}

void jx_across_free(jx_across *a) {
  if (!a)
    return;
  jx_arena_free(&a->arena);
  free(a->models);
  free(a);
}

size_t jx_across_count(const jx_across *a) { return a->count; }

/* True when a value may be what value-other-total compares: a plain
 * amount ("22487000", "22,487,000元") starts with a digit or a comma.
 * A superset of validate.c's test (jx_value_amount), so the rows left out
 * are rows the rule skips. */
static bool may_be_amount(const jx_text *v) {
  return v->present &&
         ((v->str[0] >= '0' && v->str[0] <= '9') || v->str[0] == ',');
}

/* A copy of `t` in `arena`; its position's file, when it is the
 * project's, becomes `path` (the summary's copy). */
static jx_text summary_text(jx_arena *arena, const jx_text *t,
                            const char *from_path, const char *path) {
  jx_text c = *t;
  c.str = *t->str ? jx_arena_strdup(arena, t->str) : "";
  if (c.pos.file)
    c.pos.file = !strcmp(c.pos.file, from_path)
                     ? path
                     : jx_arena_strdup(arena, c.pos.file);
  return c;
}

void jx_across_add(jx_across *a, const jx_project *p) {
  const jx_model *m = p->model;
  const jx_content *ct = m->content;
  jx_arena *arena = &a->arena;
  jx_model *sm = jx_arena_alloc(arena, sizeof *sm);
  sm->path = jx_arena_strdup(arena, m->path);
  sm->content = ct;
  const jx_text absent = {"", false, {sm->path, 0, 0}, 0};
  sm->schema = sm->template_name = absent;
  sm->fields = jx_arena_alloc(arena, (ct->field_count + 1) * sizeof(jx_text));
  for (size_t f = 0; f < ct->field_count; f++)
    sm->fields[f] = absent;
  for (size_t b = 0; b < ct->money_count; b++) {
    const jx_money_block *mb = &ct->money[b];
    if (mb->total_row < 0)
      continue;
    for (size_t col = 0; col < mb->column_count; col++) {
      size_t f = mb->first_field + col * mb->row_count + (size_t)mb->total_row;
      sm->fields[f] = summary_text(arena, &m->fields[f], m->path, sm->path);
    }
  }
  if (ct->index_name >= 0)
    sm->fields[ct->index_name] =
        summary_text(arena, &m->fields[ct->index_name], m->path, sm->path);
  sm->lists = jx_arena_alloc(arena, (ct->grid_count + 1) * sizeof *sm->lists);
  for (size_t gi = 0; gi < ct->grid_count; gi++) {
    const jx_grid_def *g = &ct->grids[gi];
    size_t sides = jx_grid_lists(g);
    sm->lists[gi] = jx_arena_alloc(arena, sides * sizeof **sm->lists);
    for (size_t side = 0; side < sides; side++) {
      const jx_rows *from = &m->lists[gi][side];
      jx_rows *to = &sm->lists[gi][side];
      to->pos = from->pos;
      to->pos.file = sm->path;
      if (g->value < 0)
        continue;
      size_t kept = 0;
      for (size_t k = 0; k < from->count; k++)
        kept += may_be_amount(&from->items[k].cells[g->value]);
      if (!kept)
        continue;
      to->items = jx_arena_alloc(arena, kept * sizeof *to->items);
      for (size_t k = 0; k < from->count; k++) {
        const jx_row *row = &from->items[k];
        if (!may_be_amount(&row->cells[g->value]))
          continue;
        jx_row *r = &to->items[to->count++];
        r->pos = row->pos;
        r->pos.file = sm->path;
        r->cells = jx_arena_alloc(arena, g->col_count * sizeof *r->cells);
        for (size_t c = 0; c < g->col_count; c++)
          r->cells[c] = absent;
        r->cells[g->value] =
            summary_text(arena, &row->cells[g->value], m->path, sm->path);
      }
    }
  }
  if (a->count == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 64;
    a->models = jx_xrealloc(a->models, a->cap * sizeof *a->models);
  }
  a->models[a->count++] = sm;
}

bool jx_across_check(jx_session *s, const jx_across *a) {
  return jx_validate_across(a->models, a->count, s->strict, &s->diags);
}

/* ---- internal entry points for packets (packet.h) ---- */

jx_fonts *jx_session_fonts(jx_session *s) { return &s->fonts; }

jx_measure *jx_session_measure(jx_session *s) { return &s->measure; }

jx_model *jx_project_parts(jx_project *p, const jx_template **tpl) {
  *tpl = p->tpl;
  return p->model;
}

jx_diag_list *jx_session_diags(jx_session *s) { return &s->diags; }

jx_model *jx_session_load_model(jx_session *s, jx_arena *arena,
                                const char *path, jx_diag_list *diags,
                                pthread_mutex_t *lock,
                                const jx_template **tpl) {
  return load_project(s, arena, diags, path, NULL, 0, lock, tpl);
}
