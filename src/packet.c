/*
 * packet.c — the pipeline that `render`, `packet` and --split share
 * (jx_pipeline_run, document.h), and the public jx_packet_render
 * (jxform.h):
 *
 *   - workers take inputs in order from a shared counter; each loads,
 *     validates and lays out its project (render gives it loaded) with
 *     its own face table (same specs, same order as the session's, so face
 *     ids agree) and its own measuring context over them (fonts.h,
 *     jx_measure), then encodes the pages with its encoder of the
 *     document's sink when that sink encodes (packets: the streaming
 *     sink), or keeps the display pages for the document to hand to the
 *     sink (render: the libharu sink), or, for --split, writes the
 *     project's own PDF, a plain document through a streaming sink of its
 *     own (write_one).  Packets run N worker threads; render runs one
 *     worker on the calling thread, with the session's face table;
 *   - the calling thread is the one writer: it takes the results strictly
 *     in input order (a window of WINDOW inputs bounds memory), copies
 *     their diagnostics into the session and hands their pages to the
 *     document (document.c), which writes them at once and, at the end,
 *     finishes it (a packet: orders, numbers, adds the front matter and
 *     footers); or, for --split, puts each project's PDF in the folder
 *     under its name (splitname.c).
 * The output depends only on the inputs: objects are numbered in input
 * order whatever the thread timing.
 */
#include "document.h"

#include "jxlimits.h"
#include "layout.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Inputs in flight at once (finished but not yet written, or being laid
 * out): bounds the memory held by page streams. */
#define WINDOW 16

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- what a worker hands to the writer ---- */

typedef struct jx_result {
  bool done, ok;
  jx_diag_list diags;
  jx_entry e;       /* the project: its fields and page count and size */
  jx_bytes *pages;  /* e.page_count of them, encoded; or NULL and */
  jx_layout layout; /* its display pages, for a sink that does not encode */
  jx_arena *arena;  /* holding them (malloc'd), or NULL */
  const jx_template *tpl;
  char *split_tmp; /* --split: the file written, to be renamed */
} jx_result;

typedef struct jx_shared {
  jx_session *session;
  const char *const *inputs;
  jx_project *const *projects; /* loaded already (render), or NULL */
  size_t count;
  const jx_packet_options *opt;
  pthread_mutex_t lock; /* everything below, and the session's templates */
  /* the writer waits on `done` for its next result, the workers on
   * `room` for the window to move: each side wakes only the other */
  pthread_cond_t done, room;
  size_t next;    /* next input to take */
  size_t written; /* inputs consumed by the writer */
  bool stop;
  jx_result slots[WINDOW];
  jx_sink *sink;          /* the document's (NULL for --split) */
  bool encode;            /* its encoders encode the pages on the workers;
                             else the display pages go to the document */
  jx_sink_encoder **encs; /* per worker (not for --split): the sink's */
  jx_fonts *fonts;        /* per worker (on the caller: the session's) */
  jx_measure *measures;   /* per worker (on the caller: the session's) */
} jx_shared;

typedef struct jx_worker {
  jx_shared *sh;
  size_t id;
} jx_worker;

static void result_clear(jx_result *r) {
  jx_diag_list_free(&r->diags);
  for (size_t i = 0; r->pages && i < r->e.page_count; i++)
    free(r->pages[i].data);
  free(r->pages);
  if (r->arena) {
    jx_arena_free(r->arena);
    free(r->arena);
  }
  free(r->e.dept_code), free(r->e.dept_name), free(r->e.name), free(r->e.year);
  free(r->split_tmp);
  memset(r, 0, sizeof *r);
}

/* Copies face specs the session has loaded since into `wf`, in order, so
 * that face ids agree.  Called with the lock held. */
static void sync_fonts(jx_shared *sh, jx_fonts *wf) {
  jx_fonts *sf = jx_session_fonts(sh->session);
  jx_diag_list ignore = {0};
  while (wf->count < sf->count) {
    /* the session's file and face, not resolved again */
    if (jx_fonts_load_like(wf, &ignore, &sf->faces[wf->count]) < 0)
      break; /* the session loaded it: cannot fail on the same machine */
  }
  jx_diag_list_free(&ignore);
}

/* The text of field index `field` (-1: the template names none), ""
 * when absent. */
static const char *field(const jx_model *m, int field) {
  const jx_text *t = jx_model_field(m, field);
  return t && t->present ? t->str : "";
}

/* Writes one project's PDF (--split) through `sink` as a plain document:
 * entry `e` (its size and page count) laid out in `layout`.  Returns
 * false after recording an error at `where` in `diags`. */
static bool write_one(jx_sink *sink, const jx_template *tpl, const jx_entry *e,
                      const jx_layout *layout, const jx_render_info *info,
                      const char *where, jx_diag_list *diags) {
  jx_document doc;
  jx_document_open_sink(&doc, NULL, sink, info, where, diags);
  jx_entry one = {.page_count = e->page_count,
                  .page_width = e->page_width,
                  .page_height = e->page_height};
  jx_document_add(&doc, tpl, &one, NULL, layout);
  size_t pdf_pages, form_pages;
  bool ok = jx_document_finish(&doc, &pdf_pages, &form_pages);
  jx_document_free(&doc);
  return ok;
}

/* Loads, lays out and encodes input `i` into `r`. */
static void do_input(jx_shared *sh, size_t wid, size_t i, jx_result *r) {
  const char *path = sh->inputs[i];
  jx_fonts *wf = &sh->fonts[wid];
  jx_arena arena;
  jx_arena_init(&arena);
  const jx_template *tpl = NULL;
  jx_model *m = sh->projects
                    ? jx_project_parts(sh->projects[i], &tpl)
                    : jx_session_load_model(sh->session, &arena, path,
                                            &r->diags, &sh->lock, &tpl);
  if (m) {
    pthread_mutex_lock(&sh->lock);
    sync_fonts(sh, wf);
    pthread_mutex_unlock(&sh->lock);
    jx_layout layout = {0};
    layout.arena = &arena;
    if (jx_layout_form(&layout, &sh->measures[wid], tpl, m, 0, &r->diags)) {
      r->ok = true;
      r->tpl = tpl;
      r->e.page_count = layout.page_count;
      r->e.page_width = layout.page_width;
      r->e.page_height = layout.page_height;
      const jx_content *ct = m->content;
      r->e.dept_code = jx_xstrdup(field(m, ct->index_dept_code));
      r->e.dept_name = jx_xstrdup(field(m, ct->index_dept_name));
      r->e.name = jx_xstrdup(field(m, ct->index_name));
      r->e.year = jx_xstrdup(field(m, ct->index_year));
      const jx_text *a = jx_model_field(m, ct->index_total);
      r->e.annual_present = a && a->present;
      r->e.annual_cents = r->e.annual_present ? a->cents : 0;
      if (ct->index_total >= 0) {
        const jx_field *tf = &ct->fields[ct->index_total];
        r->e.total_label =
            ct->index_total_label ? ct->index_total_label : tf->label;
        r->e.total_unit = ct->money[tf->money_block].unit;
        r->e.total_fixed =
            ct->money[tf->money_block].decimals == JX_DECIMALS_FIXED;
      }
      if (sh->opt->split_dir) {
        /* A file of its own (a unique name, created exclusively), renamed
         * by the writer: two runs into one folder never share one. */
        jx_render_info info = {.title = tpl->title,
                               .subject = r->e.name,
                               .author = tpl->author ? tpl->author : "jxform",
                               .pdfa = !sh->opt->no_pdfa};
        jx_sink *sink = jx_sink_stream_unique(sh->opt->split_dir, path, wf,
                                              &JX_SINK_STREAM_ONE, &r->diags,
                                              &r->split_tmp);
        r->ok = sink &&
                write_one(sink, tpl, &r->e, &layout, &info, path, &r->diags);
      } else if (sh->encode) {
        r->pages = jx_xcalloc(layout.page_count, sizeof *r->pages);
        for (size_t p = 0; p < layout.page_count && r->ok; p++)
          r->ok =
              jx_sink_encode(sh->sink, sh->encs[wid], &layout.pages[p],
                             layout.page_height, path, &r->diags, &r->pages[p]);
      } else {
        /* the sink draws display pages: they go to the document whole */
        r->arena = jx_xmalloc(sizeof *r->arena);
        *r->arena = arena;
        r->layout = layout;
        r->layout.arena = r->arena;
      }
    }
  }
  if (!r->arena)
    jx_arena_free(&arena);
}

static void *worker_main(void *arg) {
  jx_worker *w = arg;
  jx_shared *sh = w->sh;
  pthread_mutex_lock(&sh->lock);
  for (;;) {
    while (!sh->stop && sh->next < sh->count &&
           sh->next >= sh->written + WINDOW)
      pthread_cond_wait(&sh->room, &sh->lock);
    if (sh->stop || sh->next >= sh->count)
      break;
    size_t i = sh->next++;
    pthread_mutex_unlock(&sh->lock);
    jx_result r = {0};
    do_input(sh, w->id, i, &r);
    pthread_mutex_lock(&sh->lock);
    r.done = true;
    sh->slots[i % WINDOW] = r;
    if (i == sh->written) /* the writer's next: it may be waiting */
      pthread_cond_signal(&sh->done);
  }
  pthread_mutex_unlock(&sh->lock);
  return NULL;
}

/* ---- the writer ---- */

/* A file's identity (device and inode, after following links), and the
 * input it belongs to. */
typedef struct jx_file_id {
  dev_t dev;
  ino_t ino;
  size_t input;
} jx_file_id;

static int file_id_cmp(const void *a, const void *b) {
  const jx_file_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  return 0;
}

/* The identities of the inputs that exist, sorted (for --split: a PDF
 * must never replace an input). */
static jx_file_id *input_ids(const char *const *inputs, size_t count,
                             size_t *n) {
  jx_file_id *ids = jx_xcalloc(count, sizeof *ids);
  *n = 0;
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    if (stat(inputs[i], &st) == 0)
      ids[(*n)++] = (jx_file_id){st.st_dev, st.st_ino, i};
  }
  if (*n > 1)
    qsort(ids, *n, sizeof *ids, file_id_cmp);
  return ids;
}

/* A finished PDF of --split --fail-fast, named only at the end. */
typedef struct jx_held {
  char *tmp, *dest;
  size_t input;
  size_t pages;
} jx_held;

/* Everything the writer accumulates. */
typedef struct jx_writer {
  jx_session *s;
  const jx_packet_options *opt;
  const jx_pipeline *run;
  jx_document *doc;      /* the document (not for --split) */
  pthread_mutex_t *lock; /* held while touching the session's
                            diagnostics (workers swap them, packet.h);
                            NULL once the workers are joined */
  char **split_names;    /* --split: names used so far */
  size_t split_count;
  jx_file_id *input_ids; /* --split: the inputs' identities, sorted */
  size_t input_id_count;
  jx_held *held; /* --split --fail-fast: PDFs named at the end */
  size_t held_count;
  size_t pages;
  struct jx_project_key *keys; /* the projects put in, for same_projects */
  size_t key_count, key_cap;
} jx_writer;

/* What tells a project from another: its department code, name and year.
 * Two inputs with the same are most likely one project given twice (a
 * copy in another folder, a file saved again under a new name). */
typedef struct jx_project_key {
  const char *dept_code, *name, *year; /* owned by the key */
  size_t input;
} jx_project_key;

static int key_cmp(const void *a, const void *b) {
  const jx_project_key *x = a, *y = b;
  int c = strcmp(x->dept_code, y->dept_code);
  if (!c)
    c = strcmp(x->name, y->name);
  if (!c)
    c = strcmp(x->year, y->year);
  return c ? c : x->input < y->input ? -1 : x->input > y->input;
}

static void add_key(jx_writer *w, const jx_result *r, size_t input) {
  if (w->key_count == w->key_cap) {
    w->key_cap = w->key_cap ? 2 * w->key_cap : 64;
    w->keys = jx_xrealloc(w->keys, w->key_cap * sizeof *w->keys);
  }
  w->keys[w->key_count++] =
      (jx_project_key){jx_xstrdup(r->e.dept_code), jx_xstrdup(r->e.name),
                       jx_xstrdup(r->e.year), input};
}

/* A pair of inputs holding the same project: `later` repeats `first`. */
typedef struct jx_same {
  size_t later, first;
  size_t key; /* later's key */
} jx_same;

static int same_cmp(const void *a, const void *b) {
  const jx_same *x = a, *y = b;
  return x->later < y->later ? -1 : x->later > y->later;
}

/* Warns, in input order, about each input whose project (department
 * code, name, year) an earlier input has already put in: both are put
 * in all the same.  Frees the keys. */
static void same_projects(jx_writer *w, const char *const *inputs) {
  size_t n = w->key_count;
  if (n > 1)
    qsort(w->keys, n, sizeof *w->keys, key_cmp);
  jx_same *same = jx_xcalloc(n ? n : 1, sizeof *same);
  size_t ns = 0;
  for (size_t i = 1, first = 0; i < n; i++) {
    const jx_project_key *a = &w->keys[first], *b = &w->keys[i];
    if (strcmp(a->dept_code, b->dept_code) || strcmp(a->name, b->name) ||
        strcmp(a->year, b->year))
      first = i;
    else
      same[ns++] = (jx_same){b->input, a->input, i};
  }
  if (ns > 1)
    qsort(same, ns, sizeof *same, same_cmp);
  jx_diag_list *diags = jx_session_diags(w->s);
  for (size_t k = 0; k < ns; k++) {
    const jx_project_key *key = &w->keys[same[k].key];
    jx_pos pos = {inputs[same[k].later], 0, 0};
    jx_warning(diags, pos,
               "the same project as %s (department code '%s', name '%s', year "
               "%s): both are put in; if one of them is a copy, leave it out",
               inputs[same[k].first], key->dept_code, key->name, key->year);
  }
  free(same);
  for (size_t i = 0; i < n; i++) {
    free((char *)w->keys[i].dept_code);
    free((char *)w->keys[i].name);
    free((char *)w->keys[i].year);
  }
  free(w->keys);
  w->keys = NULL;
  w->key_count = w->key_cap = 0;
}

/* Checks that a PDF may be put at `dest`: nothing there, or a regular
 * file (or a link) that is not one of the inputs.  Returns true, or false
 * after recording an error. */
static bool dest_allowed(jx_writer *w, const char *const *inputs,
                         const char *dest) {
  struct stat st;
  const char *why = NULL, *input = NULL;
  if (lstat(dest, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
    why = S_ISDIR(st.st_mode) ? "a folder" : "a device or pipe";
  if (!why && w->input_id_count && stat(dest, &st) == 0) {
    jx_file_id key = {st.st_dev, st.st_ino, 0};
    const jx_file_id *hit =
        bsearch(&key, w->input_ids, w->input_id_count, sizeof key, file_id_cmp);
    if (hit)
      input = inputs[hit->input];
  }
  if (!why && !input)
    return true;
  jx_pos pos = {dest, 0, 0};
  pthread_mutex_lock(w->lock);
  if (input)
    jx_error(jx_session_diags(w->s), pos,
             "refusing to write the PDF over the input '%s'; choose another "
             "--name pattern or --split folder",
             input);
  else
    jx_error(jx_session_diags(w->s), pos,
             "cannot write the PDF: %s is %s, not a regular file", dest, why);
  pthread_mutex_unlock(w->lock);
  return false;
}

/* Renames the finished PDF `tmp` to `dest`; on failure records an error
 * and removes `tmp`. */
static bool place_split(jx_writer *w, const char *tmp, const char *dest) {
  if (rename(tmp, dest) == 0)
    return true;
  int err = errno;
  jx_pos pos = {dest, 0, 0};
  if (w->lock)
    pthread_mutex_lock(w->lock);
  jx_error(jx_session_diags(w->s), pos, "cannot write the PDF: %s",
           strerror(err));
  if (w->lock)
    pthread_mutex_unlock(w->lock);
  unlink(tmp);
  return false;
}

/* Copies a worker's diagnostics into the session, in order.  Called with
 * the lock held. */
static void copy_diags(jx_session *s, const jx_diag_list *from) {
  jx_diag_list *to = jx_session_diags(s);
  for (size_t i = 0; i < from->count; i++) {
    jx_diag_add_copy(to, &from->items[i]);
  }
}

/* Takes the --split file of good result `i`: names it and puts it in the
 * folder (or holds it back for --fail-fast).  Returns false when it could
 * not be put there. */
static bool take_split(jx_writer *w, const char *const *inputs, size_t i,
                       jx_result *r) {
  char *name = jx_split_name(w->opt->split_pattern, &r->e, i, w->split_names,
                             w->split_count);
  w->split_names = jx_xrealloc(w->split_names,
                               (w->split_count + 1) * sizeof *w->split_names);
  w->split_names[w->split_count++] = name;
  size_t n = strlen(w->opt->split_dir) + strlen(name) + 2;
  char *dest = jx_xcalloc(n, 1);
  snprintf(dest, n, "%s/%s", w->opt->split_dir, name);
  bool ok = dest_allowed(w, inputs, dest);
  if (ok && w->opt->fail_fast) {
    /* named at the end, when no input has failed: a stopped run
     * writes nothing */
    w->held = jx_xrealloc(w->held, (w->held_count + 1) * sizeof *w->held);
    w->held[w->held_count++] =
        (jx_held){r->split_tmp, dest, i, r->e.page_count};
    r->split_tmp = NULL;
    dest = NULL;
  } else if (ok) {
    ok = place_split(w, r->split_tmp, dest);
  } else {
    unlink(r->split_tmp);
  }
  free(dest);
  if (ok)
    w->pages += r->e.page_count;
  return ok;
}

/* Hands good result `i` to the document: the project (its strings moved
 * out of `r`) and its pages. */
static void take_pages(jx_writer *w, size_t i, jx_result *r) {
  r->e.input = i;
  jx_document_add(w->doc, r->tpl, &r->e, r->pages, &r->layout);
  r->e.dept_code = r->e.dept_name = r->e.name = r->e.year = NULL;
  w->pages += r->e.page_count;
}

/* Takes result `i`: diagnostics, then its pages or its split file.
 * Returns false when the input was bad. */
static bool take(jx_writer *w, const char *const *inputs, size_t i,
                 jx_result *r) {
  pthread_mutex_lock(w->lock);
  copy_diags(w->s, &r->diags);
  pthread_mutex_unlock(w->lock);
  if (!r->ok) {
    if (r->split_tmp)
      unlink(r->split_tmp);
    return false;
  }
  if (!w->run->all_or_nothing)
    add_key(w, r, i);
  if (w->opt->split_dir)
    return take_split(w, inputs, i, r);
  take_pages(w, i, r);
  return true;
}

bool jx_packet_render(jx_session *s, const char *const *inputs, size_t count,
                      const jx_packet_options *options, const char *out_path,
                      bool *failed) {
  return jx_packet_render_forms(s, inputs, count, options, out_path, failed,
                                NULL);
}

bool jx_packet_render_forms(jx_session *s, const char *const *inputs,
                            size_t count, const jx_packet_options *options,
                            const char *out_path, bool *failed,
                            size_t *form_pages) {
  jx_packet_options none = {0};
  const jx_packet_options *opt = options ? options : &none;
  if (opt->summary)
    memset(opt->summary, 0, sizeof *opt->summary);
  if (form_pages)
    *form_pages = 0;
  jx_diag_list *diags = jx_session_diags(s);
  jx_pos where = {opt->split_dir ? opt->split_dir : out_path, 0, 0};
  if (count == 0) {
    jx_error(diags, where, "no project to put in the packet");
    return false;
  }
  if (count > JX_LIMIT_PACKET_PROJECTS) {
    jx_error(diags, where,
             "cannot put %zu projects in one packet: the limit is %d; split "
             "the inputs into several packets",
             count, JX_LIMIT_PACKET_PROJECTS);
    return false;
  }
  jx_document doc = {0};
  if (!opt->split_dir && !jx_document_open(&doc, s, opt, out_path))
    return false;
  jx_pipeline run = {.inputs = inputs, .count = count, .opt = opt};
  return jx_pipeline_run(s, &run, opt->split_dir ? NULL : &doc, out_path,
                         failed, form_pages);
}

bool jx_pipeline_run(jx_session *s, const jx_pipeline *run, jx_document *doc,
                     const char *out_path, bool *failed, size_t *form_pages) {
  const char *const *inputs = run->inputs;
  size_t count = run->count;
  const jx_packet_options *opt = run->opt;
  if (form_pages)
    *form_pages = 0;
  jx_diag_list *diags = jx_session_diags(s);
  jx_pos where = {opt->split_dir ? opt->split_dir : out_path, 0, 0};
  jx_writer w = {.s = s, .opt = opt, .run = run, .doc = doc};
  if (opt->split_dir)
    w.input_ids = input_ids(inputs, count, &w.input_id_count);

  unsigned nthreads = opt->threads;
  if (!nthreads) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = cpus > 0 ? (unsigned)cpus : 1;
  }
  if (nthreads > 64)
    nthreads = 64;
  if (nthreads > count)
    nthreads = (unsigned)count;
  if (run->on_caller)
    nthreads = 1;

  jx_shared sh = {.session = s,
                  .inputs = inputs,
                  .projects = run->projects,
                  .count = count,
                  .opt = opt};
  pthread_mutex_init(&sh.lock, NULL);
  pthread_cond_init(&sh.done, NULL);
  pthread_cond_init(&sh.room, NULL);
  w.lock = &sh.lock;
  sh.encs = jx_xcalloc(nthreads, sizeof *sh.encs);
  sh.sink = doc ? doc->sink : NULL;
  sh.encode = sh.sink && jx_sink_encodes(sh.sink);
  /* on the caller: the session's faces and measuring context, no copy */
  sh.fonts = run->on_caller ? jx_session_fonts(s)
                            : jx_xcalloc(nthreads, sizeof *sh.fonts);
  sh.measures = run->on_caller ? jx_session_measure(s)
                               : jx_xcalloc(nthreads, sizeof *sh.measures);
  for (unsigned t = 0; t < nthreads; t++) {
    if (!run->on_caller) {
      jx_fonts_init(&sh.fonts[t]);
      jx_measure_init(&sh.measures[t], &sh.fonts[t]);
      sync_fonts(&sh, &sh.fonts[t]);
    }
    if (sh.encode)
      sh.encs[t] = jx_sink_encoder_new(sh.sink, &sh.fonts[t]);
  }
  unsigned nworkers = run->on_caller ? 0 : nthreads;
  jx_worker *ws = jx_xcalloc(nthreads, sizeof *ws);
  pthread_t *tids = jx_xcalloc(nthreads, sizeof *tids);
  for (unsigned t = 0; t < nworkers; t++) {
    ws[t] = (jx_worker){&sh, t};
    pthread_create(&tids[t], NULL, worker_main, &ws[t]);
  }

  double t0 = now();
  size_t bad = 0, done_projects = 0;
  bool stopped = false;
  for (size_t i = 0; i < count; i++) {
    jx_result r = {0};
    if (run->on_caller) {
      do_input(&sh, 0, i, &r);
    } else {
      pthread_mutex_lock(&sh.lock);
      while (!sh.slots[i % WINDOW].done)
        pthread_cond_wait(&sh.done, &sh.lock);
      r = sh.slots[i % WINDOW];
      memset(&sh.slots[i % WINDOW], 0, sizeof r);
      pthread_mutex_unlock(&sh.lock);
    }

    bool good = take(&w, inputs, i, &r);
    result_clear(&r);
    if (!good) {
      bad++;
      if (failed)
        failed[i] = true;
    } else {
      done_projects++;
    }
    pthread_mutex_lock(&sh.lock);
    sh.written = i + 1;
    if (!good && opt->fail_fast)
      sh.stop = stopped = true;
    pthread_cond_broadcast(&sh.room);
    pthread_mutex_unlock(&sh.lock);
    if (opt->progress) {
      jx_packet_progress pr = {i + 1,   count, done_projects,
                               w.pages, bad,   now() - t0};
      opt->progress(&pr, opt->progress_user);
    }
    if (stopped)
      break;
  }
  for (unsigned t = 0; t < nworkers; t++)
    pthread_join(tids[t], NULL);
  /* results finished after a --fail-fast stop */
  for (size_t k = 0; k < WINDOW; k++) {
    if (sh.slots[k].split_tmp)
      unlink(sh.slots[k].split_tmp);
    result_clear(&sh.slots[k]);
  }

  /* what the workers' pages draw goes to the document's sink */
  for (unsigned t = 0; t < nthreads; t++) {
    if (sh.encode)
      jx_sink_encoder_free(sh.sink, sh.encs[t]);
    if (!run->on_caller) {
      jx_measure_free(&sh.measures[t]);
      jx_fonts_free(&sh.fonts[t]);
    }
  }
  free(sh.encs);
  if (!run->on_caller) {
    free(sh.measures);
    free(sh.fonts);
  }
  free(ws);
  free(tids);
  pthread_mutex_destroy(&sh.lock);
  pthread_cond_destroy(&sh.done);
  pthread_cond_destroy(&sh.room);
  w.lock = NULL; /* the workers are done: nothing to lock against */
  if (!run->all_or_nothing)
    same_projects(&w, inputs);

  bool ok = true;
  if (run->all_or_nothing && bad) {
    ok = false; /* every input's errors are said: nothing more to say */
  } else if (stopped) {
    jx_error(diags, where,
             "stopped at the first broken input (--fail-fast); %s",
             opt->split_dir ? "no PDF written" : "no packet written");
    ok = false;
  } else if (done_projects == 0) {
    if (opt->split_dir)
      jx_error(diags, where, "no project could be rendered; no PDF written");
    else
      jx_error(diags, where, "no project could be rendered; %s not written",
               out_path);
    ok = false;
  }
  /* --split --fail-fast: the PDFs held back are named now, or removed */
  for (size_t k = 0; k < w.held_count; k++) {
    jx_held *h = &w.held[k];
    if (!ok) {
      unlink(h->tmp);
    } else if (!place_split(&w, h->tmp, h->dest)) {
      bad++;
      done_projects--;
      w.pages -= h->pages;
      if (failed)
        failed[h->input] = true;
    }
    free(h->tmp);
    free(h->dest);
  }
  free(w.held);
  if (opt->split_dir) {
    /* make the renames durable */
    int dfd = open(opt->split_dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  free(w.input_ids);
  jx_packet_summary sum = {0};
  size_t forms = 0;
  if (!opt->split_dir) {
    size_t pdf_pages = 0;
    if (ok)
      ok = jx_document_finish(doc, &pdf_pages, &forms);
    else
      jx_document_abort(doc);
    if (ok)
      sum = (jx_packet_summary){1, done_projects, pdf_pages, 0};
    else
      forms = 0;
  } else if (ok) {
    sum = (jx_packet_summary){done_projects, done_projects, w.pages, 0};
    forms = w.pages;
  }
  if (form_pages)
    *form_pages = forms;
  sum.left_out = bad;
  if (opt->summary)
    *opt->summary = sum;
  if (doc)
    jx_document_free(doc);
  for (size_t i = 0; i < w.split_count; i++)
    free(w.split_names[i]);
  free(w.split_names);
  return ok && bad == 0;
}
