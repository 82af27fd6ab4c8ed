/*
 * packet.c — many projects into one packet PDF (or one PDF each): the
 * public jx_packet_render (jxform.h).
 *
 * Pipeline:
 *   - worker threads take inputs in order from a shared counter; each
 *     loads, validates and lays out its project with its own face table
 *     (same specs, same order as the session's, so face ids agree) and
 *     encodes the pages into compressed content streams (render.h);
 *   - the calling thread is the one writer: it takes the results strictly
 *     in input order (a window of WINDOW inputs bounds memory), copies
 *     their diagnostics into the session and appends their page streams
 *     to the PDF, keeping only object numbers and a few strings per
 *     project;
 *   - at the end it sorts the projects (department code, then name in
 *     拼音 order by ICU's Chinese collation; or by name; or as given),
 *     numbers the pages (blank pages for --duplex), lays out the cover and
 *     the contents (each project's amount and first page, a 小计 per
 *     department and a 合计, per kind of total: 元 and 万元 are never
 *     added together) and the page footers (第 N 页 共 M 页) with the
 *     template's fonts, and closes the PDF with the page tree in that
 *     order, a bookmark per department and project and page labels (封面,
 *     目录1…, then 1… matching the footers).
 * Page content streams do not depend on where a page ends up, so pages
 * are written once, as they come; the front matter is written last.  The
 * output depends only on the inputs: objects are numbered in input order
 * whatever the thread timing.
 */
#include "packet.h"
#include "utf8.h"

#include "jxlimits.h"
#include "layout.h"
#include "render.h"
#include "text.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/ucol.h>
#include <unicode/utypes.h>
#include <unistd.h>

/* Inputs in flight at once (finished but not yet written, or being laid
 * out): bounds the memory held by page streams. */
#define WINDOW 16
/* Longest file name written by --split, in bytes (ext4, XFS, APFS, NTFS
 * all take 255). */
#define JX_NAME_MAX 240

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- what a worker hands to the writer ---- */

typedef struct jx_result {
  bool done, ok;
  jx_diag_list diags;
  jx_bytes *pages;
  size_t page_count;
  double page_width, page_height;
  char *dept_code, *dept_name, *name, *year;
  int64_t annual_cents;
  bool annual_present;
  const char *total_label, *total_unit; /* the template's, or NULL */
  bool total_fixed; /* its form prints two decimals always */
  const jx_template *tpl;
  char *split_tmp; /* --split: the file written, to be renamed */
} jx_result;

/* One project in the packet (kept until the end: small). */
typedef struct jx_entry {
  size_t input;
  char *dept_code, *dept_name, *name, *year;
  int64_t annual_cents;
  bool annual_present;
  /* what the total is, as its template names it (templates live as long
   * as the session): totals of different forms are added up apart */
  const char *total_label, *total_unit;
  bool total_fixed; /* its form prints two decimals always */
  size_t kind;      /* its kind of total (number_kinds), SIZE_MAX: none */
  size_t dept;      /* its department's number (number_depts) */
  uint32_t *objs;   /* content stream per page */
  size_t page_count;
  double page_width, page_height;
  size_t first_page; /* physical index, set when numbering */
} jx_entry;

typedef struct jx_shared {
  jx_session *session;
  const char *const *inputs;
  size_t count;
  const jx_packet_options *opt;
  pthread_mutex_t lock; /* everything below, and the session's templates */
  pthread_cond_t cond;
  size_t next;    /* next input to take */
  size_t written; /* inputs consumed by the writer */
  bool stop;
  jx_result slots[WINDOW];
  jx_glyph_use *uses; /* per worker, merged at the end */
  jx_fonts *fonts;    /* per worker */
} jx_shared;

typedef struct jx_worker {
  jx_shared *sh;
  size_t id;
} jx_worker;

static void result_clear(jx_result *r) {
  jx_diag_list_free(&r->diags);
  for (size_t i = 0; r->pages && i < r->page_count; i++)
    free(r->pages[i].data);
  free(r->pages);
  free(r->dept_code), free(r->dept_name), free(r->name), free(r->year);
  free(r->split_tmp);
  memset(r, 0, sizeof *r);
}

/* Copies face specs the session has loaded since into `wf`, in order, so
 * that face ids agree.  Called with the lock held. */
static void sync_fonts(jx_shared *sh, jx_fonts *wf) {
  jx_fonts *sf = jx_session_fonts(sh->session);
  jx_diag_list ignore = {0};
  while (wf->count < sf->count) {
    jx_pos pos = {NULL, 0, 0};
    if (jx_fonts_load(wf, &ignore, pos, sf->faces[wf->count].spec) < 0)
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

/* Loads, lays out and encodes input `i` into `r`. */
static void do_input(jx_shared *sh, size_t wid, size_t i, jx_result *r) {
  const char *path = sh->inputs[i];
  jx_fonts *wf = &sh->fonts[wid];
  jx_arena arena;
  jx_arena_init(&arena);
  const jx_template *tpl = NULL;
  jx_model *m = jx_session_load_model(sh->session, &arena, path, &r->diags,
                                      &sh->lock, &tpl);
  if (m) {
    pthread_mutex_lock(&sh->lock);
    sync_fonts(sh, wf);
    pthread_mutex_unlock(&sh->lock);
    jx_layout layout = {0};
    layout.arena = &arena;
    if (jx_layout_form(&layout, wf, tpl, m, 0, &r->diags)) {
      r->ok = true;
      r->tpl = tpl;
      r->page_count = layout.page_count;
      r->page_width = layout.page_width;
      r->page_height = layout.page_height;
      const jx_content *ct = m->content;
      r->dept_code = jx_xstrdup(field(m, ct->index_dept_code));
      r->dept_name = jx_xstrdup(field(m, ct->index_dept_name));
      r->name = jx_xstrdup(field(m, ct->index_name));
      r->year = jx_xstrdup(field(m, ct->index_year));
      const jx_text *a = jx_model_field(m, ct->index_total);
      r->annual_present = a && a->present;
      r->annual_cents = r->annual_present ? a->cents : 0;
      if (ct->index_total >= 0) {
        const jx_field *tf = &ct->fields[ct->index_total];
        r->total_label =
            ct->index_total_label ? ct->index_total_label : tf->label;
        r->total_unit = ct->money[tf->money_block].unit;
        r->total_fixed =
            ct->money[tf->money_block].decimals == JX_DECIMALS_FIXED;
      }
      if (sh->opt->split_dir) {
        /* A file of its own (a unique name, created exclusively), renamed
         * by the writer: two runs into one folder never share one. */
        jx_render_info info = {.title = tpl->title,
                               .subject = r->name,
                               .author = tpl->author ? tpl->author : "jxform",
                               .pdfa = !sh->opt->no_pdfa};
        r->ok = jx_render_unique(&layout, wf, &info, &r->diags,
                                 sh->opt->split_dir, path, &r->split_tmp);
      } else {
        r->pages = jx_xcalloc(layout.page_count, sizeof *r->pages);
        for (size_t p = 0; p < layout.page_count && r->ok; p++)
          r->ok = jx_page_encode(&layout.pages[p], layout.page_height, wf,
                                 &sh->uses[wid], path, &r->diags, &r->pages[p]);
      }
    }
  }
  jx_arena_free(&arena);
}

static void *worker_main(void *arg) {
  jx_worker *w = arg;
  jx_shared *sh = w->sh;
  pthread_mutex_lock(&sh->lock);
  for (;;) {
    while (!sh->stop && sh->next < sh->count &&
           sh->next >= sh->written + WINDOW)
      pthread_cond_wait(&sh->cond, &sh->lock);
    if (sh->stop || sh->next >= sh->count)
      break;
    size_t i = sh->next++;
    pthread_mutex_unlock(&sh->lock);
    jx_result r = {0};
    do_input(sh, w->id, i, &r);
    pthread_mutex_lock(&sh->lock);
    r.done = true;
    sh->slots[i % WINDOW] = r;
    pthread_cond_broadcast(&sh->cond);
  }
  pthread_mutex_unlock(&sh->lock);
  return NULL;
}

/* ---- names for --split ---- */

/* Appends `s` to `out` made safe as part of a file name on any common
 * file system: no / \ : * ? " < > | or control characters (each becomes
 * _), no leading dots or spaces. */
static void append_safe(char *out, size_t *len, size_t cap, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
      c = '_';
    if (*len == 0 && (c == '.' || c == ' '))
      continue;
    if (*len + 1 < cap)
      out[(*len)++] = (char)c;
  }
  out[*len] = '\0';
}

/* strncasecmp for ASCII letters only (locale-independent). */
static int strncasecmp_ascii(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
    if (ca != cb || !ca)
      return ca - cb;
  }
  return 0;
}

/* True if a and b are the same name on a case-insensitive file system
 * (ASCII case only). */
static bool same_name_ci(const char *a, const char *b) {
  size_t n = strlen(a);
  return n == strlen(b) && strncasecmp_ascii(a, b, n) == 0;
}

/* True if s[0..n) is all separators: what a name pattern puts between
 * two placeholders ("{dept_code}-{name}"): - _ . , + ~ and spaces, and the
 * full-width － — 、 · and 　. */
static bool all_separators(const char *s, size_t n) {
  static const char *const wide[] = {"－", "—", "、", "·", "　"};
  size_t i = 0;
  while (i < n) {
    if (strchr("-_.,+~ ", s[i]) && s[i]) {
      i++;
      continue;
    }
    size_t k = 0, nw = sizeof wide / sizeof *wide;
    while (k < nw && (strlen(wide[k]) > n - i ||
                      strncmp(s + i, wide[k], strlen(wide[k]))))
      k++;
    if (k == nw)
      return false;
    i += strlen(wide[k]);
  }
  return n > 0;
}

/* The file name of entry `e` (input `index`) from `pattern`, made safe:
 * placeholders expanded, unsafe characters replaced, trailing dots and
 * spaces removed (Windows), reserved device names (CON, NUL, COM1…)
 * prefixed with _, length limited.  The separators between placeholders
 * are written only between two texts: an empty placeholder (a form with
 * no department code) leaves none at the start or end of the name, nor
 * two in a row ("{dept_code}-{name}" of a project with no code is
 * "NAME.pdf", not "-NAME.pdf").  Written to out (size cap). */
/* The value of the placeholder at p ({dept_code}, {name}…; *skip set to
 * its length), or NULL when none starts there.  {index} is written into
 * num. */
static const char *key_at(const char *p, const jx_result *r, size_t index,
                          char num[32], size_t *skip) {
  static const char *const keys[] = {"{dept_code}", "{dept_name}", "{name}",
                                     "{year}", "{index}"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    if (strncmp(p, keys[k], strlen(keys[k])))
      continue;
    *skip = strlen(keys[k]);
    switch (k) {
    case 0:
      return r->dept_code;
    case 1:
      return r->dept_name;
    case 2:
      return r->name;
    case 3:
      return r->year;
    default:
      snprintf(num, 32, "%zu", index + 1);
      return num;
    }
  }
  return NULL;
}

static void split_name(const char *pattern, const jx_result *r, size_t index,
                       char *out, size_t cap) {
  size_t len = 0, skip = 0;
  out[0] = '\0';
  char num[32];
  for (const char *p = pattern; *p;) {
    const char *val = key_at(p, r, index, num, &skip);
    if (val) {
      append_safe(out, &len, cap, val);
      p += skip;
      continue;
    }
    /* literal text, up to the next placeholder */
    const char *q = p + 1;
    while (*q && !key_at(q, r, index, num, &skip))
      q++;
    if (all_separators(p, (size_t)(q - p))) {
      /* kept only between two texts */
      const char *next = *q ? key_at(q, r, index, num, &skip) : NULL;
      if (len == 0 || !next || !*next)
        p = q;
    }
    for (; p < q; p++) {
      char one[2] = {*p, '\0'};
      append_safe(out, &len, cap, one);
    }
  }
  /* keep the extension when cutting a long name */
  const char *dot = strrchr(out, '.');
  char ext[16] = "";
  if (dot && strlen(dot) < sizeof ext) {
    strcpy(ext, dot);
    out[dot - out] = '\0';
  }
  jx_utf8_cut(out, JX_NAME_MAX - strlen(ext));
  len = strlen(out);
  while (len > 0 && (out[len - 1] == '.' || out[len - 1] == ' '))
    out[--len] = '\0';
  if (len == 0)
    snprintf(out, cap, "project-%zu", index + 1);
  /* CON, PRN, AUX, NUL, COM1-9, LPT1-9, alone or before a dot */
  size_t stem = strcspn(out, ".");
  bool reserved = false;
  if (stem == 3)
    for (const char *r3 = "CONPRNAUXNUL"; *r3 && !reserved; r3 += 3)
      reserved = !strncasecmp_ascii(out, r3, 3);
  if (stem == 4 && isdigit((unsigned char)out[3]) && out[3] != '0')
    reserved =
        !strncasecmp_ascii(out, "COM", 3) || !strncasecmp_ascii(out, "LPT", 3);
  if (reserved) {
    memmove(out + 1, out, strlen(out) + 1);
    out[0] = '_';
  }
  strncat(out, ext, cap - strlen(out) - 1);
}

/* ---- front matter and footers ---- */

/* The template's font role called `name`, else the body role. */
static const jx_font_role *role(const jx_template *tpl, const char *name) {
  for (size_t i = 0; i < tpl->font_count; i++)
    if (tpl->fonts[i].name && !strcmp(tpl->fonts[i].name, name))
      return &tpl->fonts[i];
  return &tpl->fonts[tpl->body_font];
}

/* Draws `text` on `page` with its left end at x (align 'l'), its centre
 * at x ('c') or its right end at x ('r'), baseline y.  Text no face can
 * draw is left out (layout has already reported it for project text). */
static void put_text(jx_fonts *fonts, jx_arena *arena, jx_dpage *page,
                     const jx_font_role *r, const char *text, double x,
                     double y, char align) {
  /* runs point into the text: keep it as long as the layout */
  text = jx_arena_strdup(arena, text);
  size_t len = strlen(text);
  jx_diag_list ignore = {0};
  jx_pos pos = {NULL, 0, 0};
  bool ok = len && jx_text_check(fonts, &r->chain, text, len, pos, &ignore);
  jx_diag_list_free(&ignore);
  if (!ok)
    return;
  double w = jx_text_width(fonts, &r->chain, text, len);
  if (align == 'c')
    x -= w / 2;
  else if (align == 'r')
    x -= w;
  jx_text_emit(fonts, arena, page, &r->chain, text, len, x, y);
}

/* A sum of amounts in cents.  One amount is below 10^17 cents (load.c)
 * and a packet holds at most JX_LIMIT_PACKET_PROJECTS of them, so a sum
 * can pass 2^63 (93 projects at the largest amount) but never 2^80: in
 * 128 bits it cannot overflow.  Without a 128-bit type the sum is 64 bits
 * and an overflow is reported as an error (sum_add). */
#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 jx_sum;
__extension__ typedef unsigned __int128 jx_usum;
#else
typedef int64_t jx_sum;
typedef uint64_t jx_usum;
#endif

/* *acc += v.  Returns false on overflow (*acc unchanged). */
static bool sum_add(jx_sum *acc, int64_t v) {
#ifdef __SIZEOF_INT128__
  *acc += v; /* |sum| < 2^80: see jx_sum */
  return true;
#else
  int64_t r;
  if (__builtin_add_overflow(*acc, v, &r))
    return false;
  *acc = r;
  return true;
#endif
}

/* Formats a sum of cents as 1,234,567.89, always with thousands
 * separators, with two decimals when there are any or when `fixed` (a
 * form that prints 560.00), as jx_money_format does one amount. */
static void format_money(jx_sum cents, bool fixed, char *out, size_t cap) {
  bool negative = cents < 0;
  jx_usum mag = negative ? (jx_usum)0 - (jx_usum)cents : (jx_usum)cents;
  unsigned fraction = (unsigned)(mag % 100);
  mag /= 100;
  char digits[48];
  size_t nd = 0;
  do {
    digits[nd++] = (char)('0' + (unsigned)(mag % 10));
    mag /= 10;
  } while (mag && nd < sizeof digits);
  char text[80];
  size_t len = 0;
  if (negative)
    text[len++] = '-';
  for (size_t i = nd; i-- > 0;) {
    text[len++] = digits[i];
    if (i && i % 3 == 0)
      text[len++] = ',';
  }
  if (fraction || fixed)
    len += (size_t)snprintf(text + len, sizeof text - len, ".%02u", fraction);
  text[len] = '\0';
  snprintf(out, cap, "%s", text);
}

/* ---- order: departments, then names in 拼音 order ---- */

/* The collator of the packet being sorted (ICU's Chinese: 拼音 order),
 * or NULL (byte order).  qsort takes no context: it is set around the
 * sort, per thread, so packets made at once on several threads never
 * share one. */
static _Thread_local const UCollator *sort_coll;

/* Compares two UTF-8 names in 拼音 order, then byte by byte: 0 only for
 * the same bytes. */
static int name_cmp(const char *a, const char *b) {
  if (sort_coll) {
    UErrorCode st = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(sort_coll, a, -1, b, -1, &st);
    if (U_SUCCESS(st) && r != UCOL_EQUAL)
      return r == UCOL_LESS ? -1 : 1;
  }
  return strcmp(a, b);
}

/* Departments: by code (byte order: codes are digits of one length),
 * then name. */
static int dept_cmp(const jx_entry *x, const jx_entry *y) {
  int c = strcmp(x->dept_code, y->dept_code);
  return c ? c : name_cmp(x->dept_name, y->dept_name);
}

static int input_cmp(const jx_entry *x, const jx_entry *y) {
  return x->input < y->input ? -1 : x->input > y->input;
}

/* JX_ORDER_DEPT: department, project name, input position. */
static int entry_cmp_dept(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  int c = dept_cmp(x, y);
  if (!c)
    c = name_cmp(x->name, y->name);
  return c ? c : input_cmp(x, y);
}

/* JX_ORDER_NAME: project name, department, input position. */
static int entry_cmp_name(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  int c = name_cmp(x->name, y->name);
  if (!c)
    c = dept_cmp(x, y);
  return c ? c : input_cmp(x, y);
}

static int entry_cmp_dept_only(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  return dept_cmp(x, y);
}

/* ICU's Chinese collator (拼音 order), or NULL, with *st saying why,
 * when there is no Chinese collation data. */
static UCollator *chinese_collator(UErrorCode *st) {
  UCollator *coll = ucol_open("zh", st);
  if (U_FAILURE(*st) || *st == U_USING_DEFAULT_WARNING) {
    if (coll)
      ucol_close(coll);
    return NULL;
  }
  return coll;
}

/* Puts es[0..n) in `order` (names compared with sort_coll). */
static void sort_entries(jx_entry **es, size_t n, jx_packet_order order) {
  if (n > 1 && order == JX_ORDER_DEPT)
    qsort(es, n, sizeof *es, entry_cmp_dept);
  else if (n > 1 && order == JX_ORDER_NAME)
    qsort(es, n, sizeof *es, entry_cmp_name);
}

bool jx_packet_sort(jx_packet_key *keys, size_t n, jx_packet_order order) {
  UErrorCode st = U_ZERO_ERROR;
  UCollator *coll = chinese_collator(&st);
  jx_entry *e = jx_xcalloc(n ? n : 1, sizeof *e);
  jx_entry **es = jx_xcalloc(n ? n : 1, sizeof *es);
  jx_packet_key *sorted = jx_xcalloc(n ? n : 1, sizeof *sorted);
  for (size_t i = 0; i < n; i++) {
    /* read only: the comparators do not write */
    e[i].dept_code = (char *)keys[i].dept_code;
    e[i].dept_name = (char *)keys[i].dept_name;
    e[i].name = (char *)keys[i].name;
    e[i].input = keys[i].input;
    es[i] = &e[i];
  }
  sort_coll = coll;
  sort_entries(es, n, order);
  sort_coll = NULL;
  for (size_t i = 0; i < n; i++)
    sorted[i] = keys[es[i] - e];
  if (n)
    memcpy(keys, sorted, n * sizeof *keys);
  free(sorted);
  free(es);
  free(e);
  if (coll)
    ucol_close(coll);
  return coll != NULL;
}

/* True when entries x and y are of the same department. */
static bool same_dept(const jx_entry *x, const jx_entry *y) {
  return !strcmp(x->dept_code, y->dept_code) &&
         !strcmp(x->dept_name, y->dept_name);
}

/* Numbers the departments of es[0..n) in department order (sets each
 * entry's dept); returns how many there are.  Uses sort_coll. */
static size_t number_depts(jx_entry *const *es, size_t n) {
  jx_entry **by = jx_xcalloc(n ? n : 1, sizeof *by);
  memcpy(by, es, n * sizeof *by);
  if (n > 1)
    qsort(by, n, sizeof *by, entry_cmp_dept_only);
  size_t depts = 0;
  for (size_t i = 0; i < n; i++) {
    if (i && !same_dept(by[i], by[i - 1]))
      depts++;
    by[i]->dept = depts;
  }
  free(by);
  return n ? depts + 1 : 0;
}

/* A department as the contents and bookmarks name it: "code　name". */
static const char *dept_title(jx_arena *arena, const jx_entry *e) {
  if (!*e->dept_code && !*e->dept_name)
    return "（未注明部门）";
  if (!*e->dept_code)
    return e->dept_name;
  if (!*e->dept_name)
    return e->dept_code;
  return jx_arena_printf(arena, "%s　%s", e->dept_code, e->dept_name);
}

/* ---- kinds of total ---- */

/* A kind of total: what its templates call it and its unit.  Totals of
 * different kinds (元 and 万元, or two different amounts) are never
 * added together. */
typedef struct jx_kind {
  const char *label, *unit;
  bool fixed; /* some form of this kind prints two decimals always */
  jx_sum total;
} jx_kind;

/* Sets each entry's kind (SIZE_MAX when its template names no total), in
 * the order the kinds first come in es[0..n), and adds up each kind's
 * total.  Returns the kinds (malloc'd; *count of them).  Sets *overflow
 * when a total cannot be added up (only without a 128-bit type). */
static jx_kind *number_kinds(jx_entry *const *es, size_t n, size_t *count,
                             bool *overflow) {
  jx_kind *kind = NULL;
  size_t kinds = 0;
  for (size_t i = 0; i < n; i++) { /* a few kinds at most */
    jx_entry *e = es[i];
    e->kind = SIZE_MAX;
    if (!e->total_label)
      continue;
    size_t k = 0;
    while (k < kinds && (strcmp(kind[k].label, e->total_label) ||
                         strcmp(kind[k].unit, e->total_unit)))
      k++;
    if (k == kinds) {
      kind = jx_xrealloc(kind, (kinds + 1) * sizeof *kind);
      kind[kinds++] = (jx_kind){e->total_label, e->total_unit, false, 0};
    }
    e->kind = k;
    kind[k].fixed |= e->total_fixed;
    if (!sum_add(&kind[k].total, e->annual_cents))
      *overflow = true;
  }
  *count = kinds;
  return kind;
}

/* ---- cover and contents ---- */

typedef struct jx_front {
  jx_layout layout; /* cover, then contents pages */
  size_t contents_pages;
  double pages_x, pages_y; /* where the cover's 页数 line goes */
} jx_front;

/* What the cover and contents are made from. */
typedef struct jx_front_in {
  const jx_template *tpl;
  const jx_packet_options *opt;
  jx_entry *const *es; /* in packet order, numbered (dept, kind) */
  size_t n;
  const jx_kind *kinds;
  size_t kind_count;
  size_t depts;
  size_t main_pages;
} jx_front_in;

/* Lays out the cover. */
static void build_cover(jx_fonts *fonts, const jx_front_in *in, jx_front *fr) {
  jx_layout *L = &fr->layout;
  const jx_template *tpl = in->tpl;
  double W = tpl->page_width, H = tpl->page_height;
  const jx_font_role *title = role(tpl, "title");
  const jx_font_role *sub = role(tpl, "subtitle");
  char year_lo[32] = "", year_hi[32] = "";
  for (size_t i = 0; i < in->n; i++) {
    const char *y = in->es[i]->year;
    if (*y && (!*year_lo || strcmp(y, year_lo) < 0))
      snprintf(year_lo, sizeof year_lo, "%s", y);
    if (*y && strcmp(y, year_hi) > 0)
      snprintf(year_hi, sizeof year_hi, "%s", y);
  }
  char line[512], money[64], years[80];
  if (strcmp(year_lo, year_hi))
    snprintf(years, sizeof years, "%s—%s", year_lo, year_hi);
  else
    snprintf(years, sizeof years, "%s", year_lo);
  jx_dpage *cover = jx_layout_add_page(L);
  const char *t =
      in->opt->title && *in->opt->title ? in->opt->title : tpl->title;
  put_text(fonts, L->arena, cover, title, t, W / 2, H * 0.30, 'c');
  snprintf(line, sizeof line, "（%s年度）", years);
  put_text(fonts, L->arena, cover, sub, line, W / 2, H * 0.30 + 32, 'c');
  put_text(fonts, L->arena, cover, title, "汇　编", W / 2, H * 0.30 + 90, 'c');
  double x = W / 2 - 110, y = H * 0.55;
  snprintf(line, sizeof line, "年　　度：%s", years);
  put_text(fonts, L->arena, cover, sub, line, x, y, 'l');
  snprintf(line, sizeof line, "部 门 数：%zu 个", in->depts);
  put_text(fonts, L->arena, cover, sub, line, x, y += 24, 'l');
  snprintf(line, sizeof line, "项 目 数：%zu 个", in->n);
  put_text(fonts, L->arena, cover, sub, line, x, y += 24, 'l');
  /* the 页数 line: written when the contents' pages are known */
  fr->pages_x = x, fr->pages_y = y += 24;
  /* The totals, as their templates name them: one line per kind, in the
   * order they first come; those that do not fit are in the contents. */
  double bottom = H - tpl->margin_bottom;
  for (size_t k = 0; k < in->kind_count; k++) {
    /* y + 24 <= bottom here: each line leaves room for one more */
    if (k + 1 < in->kind_count && y + 48 > bottom) {
      snprintf(line, sizeof line, "其余 %zu 项合计见目录末",
               in->kind_count - k);
      put_text(fonts, L->arena, cover, sub, line, x, y += 24, 'l');
      break;
    }
    const jx_kind *kd = &in->kinds[k];
    format_money(kd->total, kd->fixed, money, sizeof money);
    snprintf(line, sizeof line, "%s：%s %s", kd->label, money, kd->unit);
    put_text(fonts, L->arena, cover, sub, line, x, y += 24, 'l');
  }
}

/* One line of the contents (it may wrap). */
typedef enum jx_toc_row_type {
  ROW_DEPT,     /* a department's heading */
  ROW_PROJECT,  /* a project: name, amount, page number */
  ROW_SUBTOTAL, /* 小计: a department's total of one kind */
  ROW_SECTION,  /* the heading of the departments' subtotals */
  ROW_DEPT_SUM, /* a department's subtotal, when departments interleave */
  ROW_TOTAL     /* 合计: the packet's total of one kind */
} jx_toc_row_type;

typedef struct jx_toc_row {
  jx_toc_row_type type;
  const char *text;   /* the words on the left, wrapped to their column */
  const char *amount; /* NULL: none */
  const char *unit;   /* NULL: none */
  const char *page;   /* NULL: none */
  const char *dept;   /* the department's title, repeated (续) when its
                         projects go on to a new page; NULL: none */
  bool keep;          /* on one page with the next row */
} jx_toc_row;

typedef struct jx_toc_rows {
  jx_toc_row *items;
  size_t count, cap;
} jx_toc_rows;

static jx_toc_row *add_row(jx_toc_rows *rs, jx_toc_row_type type,
                           const char *text) {
  if (rs->count == rs->cap) {
    rs->cap = rs->cap ? 2 * rs->cap : 64;
    rs->items = jx_xrealloc(rs->items, rs->cap * sizeof *rs->items);
  }
  jx_toc_row *r = &rs->items[rs->count++];
  memset(r, 0, sizeof *r);
  r->type = type;
  r->text = text;
  return r;
}

/* The rows of the contents: each department's heading, its projects and
 * its subtotal per kind of total, then the grand total per kind.  When
 * departments interleave (--order=input or name), the headings follow the
 * runs of projects and the departments' subtotals come together after
 * them, in department order. */
static void contents_rows(jx_arena *arena, const jx_front_in *in, size_t main0,
                          jx_toc_rows *rs) {
  size_t n = in->n, kinds = in->kind_count;
  bool multi = kinds > 1;
  char money[64];
  size_t runs = 0;
  for (size_t i = 0; i < n; i++)
    runs += i == 0 || !same_dept(in->es[i], in->es[i - 1]);
  bool grouped = runs == in->depts;
  jx_sum *sum = jx_xcalloc(kinds ? kinds : 1, sizeof *sum);
  bool *used = jx_xcalloc(kinds ? kinds : 1, sizeof *used);
  const char *dept = NULL;
  for (size_t i = 0; i < n; i++) {
    const jx_entry *e = in->es[i];
    if (i == 0 || !same_dept(e, in->es[i - 1])) {
      dept = dept_title(arena, e);
      add_row(rs, ROW_DEPT, dept)->keep = true;
    }
    jx_toc_row *r = add_row(rs, ROW_PROJECT, e->name);
    r->dept = dept;
    r->page = jx_arena_printf(arena, "%zu", e->first_page - main0 + 1);
    if (e->kind != SIZE_MAX) {
      const jx_kind *kd = &in->kinds[e->kind];
      if (e->annual_present) {
        format_money(e->annual_cents, e->total_fixed, money, sizeof money);
        r->amount = jx_arena_strdup(arena, money);
        r->unit = kd->unit;
      } else {
        r->amount = "—";
      }
      sum_add(&sum[e->kind], e->annual_cents); /* below the kind's total */
      used[e->kind] = true;
    }
    if (!grouped || !(i + 1 == n || !same_dept(in->es[i + 1], e)))
      continue;
    /* the department's last project: its subtotals */
    for (size_t k = 0; k < kinds; k++) {
      if (!used[k])
        continue;
      rs->items[rs->count - 1].keep = true;
      const jx_kind *kd = &in->kinds[k];
      jx_toc_row *t = add_row(
          rs, ROW_SUBTOTAL,
          multi ? jx_arena_printf(arena, "小计（%s）", kd->label) : "小计");
      format_money(sum[k], kd->fixed, money, sizeof money);
      t->amount = jx_arena_strdup(arena, money);
      t->unit = kd->unit;
      t->dept = dept;
      sum[k] = 0;
      used[k] = false;
    }
  }
  free(sum);
  free(used);
  if (!kinds)
    return;
  if (!grouped) {
    /* each department's subtotals, in department order */
    size_t depts = in->depts;
    jx_sum *ds = jx_xcalloc(depts * kinds, sizeof *ds);
    bool *du = jx_xcalloc(depts * kinds, sizeof *du);
    const jx_entry **first = jx_xcalloc(depts, sizeof *first);
    for (size_t i = 0; i < n; i++) {
      const jx_entry *e = in->es[i];
      if (!first[e->dept])
        first[e->dept] = e;
      if (e->kind == SIZE_MAX)
        continue;
      sum_add(&ds[e->dept * kinds + e->kind], e->annual_cents);
      du[e->dept * kinds + e->kind] = true;
    }
    add_row(rs, ROW_SECTION, "各部门小计")->keep = true;
    for (size_t d = 0; d < depts; d++)
      for (size_t k = 0; k < kinds; k++) {
        if (!du[d * kinds + k])
          continue;
        const jx_kind *kd = &in->kinds[k];
        const char *title = dept_title(arena, first[d]);
        jx_toc_row *t =
            add_row(rs, ROW_DEPT_SUM,
                    multi ? jx_arena_printf(arena, "%s（%s）", title, kd->label)
                          : title);
        format_money(ds[d * kinds + k], kd->fixed, money, sizeof money);
        t->amount = jx_arena_strdup(arena, money);
        t->unit = kd->unit;
      }
    free(ds);
    free(du);
    free(first);
  }
  for (size_t k = 0; k < kinds; k++) {
    const jx_kind *kd = &in->kinds[k];
    jx_toc_row *t = add_row(
        rs, ROW_TOTAL,
        multi ? jx_arena_printf(arena, "合计（%s）", kd->label) : "合计");
    format_money(kd->total, kd->fixed, money, sizeof money);
    t->amount = jx_arena_strdup(arena, money);
    t->unit = kd->unit;
    t->keep = k + 1 < kinds;
  }
}

/* Widest of `text` in role r, or `w`. */
static double wider(jx_fonts *fonts, const jx_font_role *r, const char *text,
                    double w) {
  if (!text)
    return w;
  double t = jx_text_width(fonts, &r->chain, text, strlen(text));
  return t > w ? t : w;
}

/* Lays out the contents (page numbers from the entries' first_page,
 * relative to the first form page `main0`): a line per department, its
 * projects with their amount and the number of their first page, its
 * subtotals; the grand totals at the end.  Names wrap in their column,
 * clear of the amount, unit and page columns. */
static void build_contents(jx_fonts *fonts, const jx_front_in *in, size_t main0,
                           jx_front *fr) {
  jx_layout *L = &fr->layout;
  const jx_template *tpl = in->tpl;
  double W = tpl->page_width, H = tpl->page_height;
  const jx_font_role *title = role(tpl, "title");
  const jx_font_role *sub = role(tpl, "subtitle");
  const jx_font_role *body = &tpl->fonts[tpl->body_font];
  jx_toc_rows rs = {0};
  contents_rows(L->arena, in, main0, &rs);

  /* columns, from the right: page number, unit, amount, then the names */
  double em = body->chain.size;
  double left = tpl->margin_left, right = W - tpl->margin_right;
  double top = tpl->margin_top, bottom = H - tpl->margin_bottom;
  double pw = 2 * em, uw = 0, aw = 0;
  for (size_t i = 0; i < rs.count; i++) {
    pw = wider(fonts, body, rs.items[i].page, pw);
    uw = wider(fonts, body, rs.items[i].unit, uw);
    aw = wider(fonts, body, rs.items[i].amount, aw);
  }
  double page_r = right;
  double unit_x = page_r - pw - em - uw;
  double amount_r = uw > 0 ? unit_x - em / 4 : unit_x;
  double amount_l = amount_r - aw;
  double name_x = left + 2 * em;
  double text_r = (aw > 0 ? amount_l : unit_x) - 1.5 * em;
  if (text_r < name_x + 6 * em) /* never: amounts are 28 digits at most */
    text_r = name_x + 6 * em;
  double pitch = body->line_pitch + 4, gap = pitch / 2;

  /* rows: wrapped, then placed page by page */
  jx_line **lines = jx_xcalloc(rs.count ? rs.count : 1, sizeof *lines);
  size_t *nl = jx_xcalloc(rs.count ? rs.count : 1, sizeof *nl);
  for (size_t i = 0; i < rs.count; i++) {
    const jx_toc_row *r = &rs.items[i];
    bool head =
        r->type == ROW_DEPT || r->type == ROW_SECTION || r->type == ROW_TOTAL;
    double x = head ? left : name_x;
    double w =
        (r->type == ROW_DEPT || r->type == ROW_SECTION ? right : text_r) - x;
    nl[i] = jx_text_break(fonts, L->arena, r->text, strlen(r->text),
                          &(head && r->type != ROW_TOTAL ? sub : body)->chain,
                          w, &tpl->rules, &lines[i]);
    if (!nl[i]) { /* an empty name: a line all the same */
      nl[i] = 1;
      lines[i] = NULL;
    }
  }
  jx_dpage *pg = NULL;
  size_t first_contents = L->page_count;
  double y = 0;
  for (size_t i = 0; i < rs.count; i++) {
    const jx_toc_row *r = &rs.items[i];
    bool head = r->type == ROW_DEPT || r->type == ROW_SECTION;
    double before = (head || (r->type == ROW_TOTAL && i &&
                              rs.items[i - 1].type != ROW_TOTAL))
                        ? gap
                        : 0;
    /* this row and those kept with it, if they fit on a page at all */
    double need = before + (double)nl[i] * pitch;
    for (size_t k = i; rs.items[k].keep && k + 1 < rs.count; k++)
      need += (double)nl[k + 1] * pitch;
    if (need > bottom - top - 60)
      need = before + pitch;
    bool fresh = false;
    if (!pg || y + need > bottom) {
      pg = jx_layout_add_page(L);
      y = top + 20;
      if (L->page_count - 1 == first_contents) {
        put_text(fonts, L->arena, pg, title, "目　录", W / 2, y, 'c');
        y += 30;
      }
      fresh = true;
      if (r->dept && r->type != ROW_DEPT) {
        /* a department going on from the page before */
        y += pitch;
        put_text(fonts, L->arena, pg, sub,
                 jx_arena_printf(L->arena, "%s（续）", r->dept), left, y, 'l');
      }
    }
    if (!fresh)
      y += before;
    const jx_font_role *font =
        head ? sub : body; /* 合计 in the body font, like its amount */
    double x = head || r->type == ROW_TOTAL ? left : name_x;
    for (size_t k = 0; k < nl[i]; k++) {
      if (y + pitch > bottom) { /* a name longer than a page */
        pg = jx_layout_add_page(L);
        y = top + 20;
      }
      y += pitch;
      if (lines[i] && lines[i][k].end > lines[i][k].start) {
        char *t = jx_arena_strndup(L->arena, r->text + lines[i][k].start,
                                   lines[i][k].end - lines[i][k].start);
        put_text(fonts, L->arena, pg, font, t, x, y, 'l');
      }
    }
    /* amount, unit and page number on the row's last line */
    if (r->amount) {
      put_text(fonts, L->arena, pg, body, r->amount, amount_r, y, 'r');
      bool rule = (r->type == ROW_SUBTOTAL || r->type == ROW_TOTAL) && i &&
                  rs.items[i - 1].type != r->type;
      if (rule) /* the sum's line over the amounts it adds up */
        jx_dpage_add_rule(L->arena, pg, amount_l, y - em - 1.5, amount_r,
                          y - em - 1.5, 0.4);
    }
    if (r->unit)
      put_text(fonts, L->arena, pg, body, r->unit, unit_x, y, 'l');
    if (r->page)
      put_text(fonts, L->arena, pg, body, r->page, page_r, y, 'r');
  }
  fr->contents_pages = L->page_count - first_contents;
  free(lines);
  free(nl);
  free(rs.items);
}

/* Lays out the cover and the contents. */
static void build_front(jx_fonts *fonts, const jx_front_in *in, size_t main0,
                        jx_front *fr) {
  fr->layout.page_width = in->tpl->page_width;
  fr->layout.page_height = in->tpl->page_height;
  build_cover(fonts, in, fr);
  build_contents(fonts, in, main0, fr);
  /* The pages, as a reader counts them: the forms' (the footers' 共 M 页)
   * and the rest, so that the PDF reader's count adds up. */
  size_t front = fr->layout.page_count;
  front += in->opt->duplex && front % 2; /* the blank page after them */
  char line[160];
  snprintf(line, sizeof line,
           "页　　数：共 %zu 页（正文 %zu 页，封面和目录%s %zu 页）",
           front + in->main_pages, in->main_pages,
           front > 1 + fr->contents_pages ? "及空白页" : "", front);
  put_text(fonts, fr->layout.arena, &fr->layout.pages[0],
           role(in->tpl, "subtitle"), line, fr->pages_x, fr->pages_y, 'l');
}

/* Encodes a footer "第 N 页 共 M 页" for a page of the given size. */
static bool footer_stream(jx_fonts *fonts, const jx_template *tpl,
                          jx_glyph_use *use, jx_diag_list *diags, size_t num,
                          size_t total, jx_bytes *out) {
  jx_arena arena;
  jx_arena_init(&arena);
  jx_layout L = {0};
  L.arena = &arena;
  jx_dpage *pg = jx_layout_add_page(&L);
  const jx_font_role *body = &tpl->fonts[tpl->body_font];
  char text[96];
  snprintf(text, sizeof text, "第 %zu 页 共 %zu 页", num, total);
  double y = tpl->page_height - tpl->margin_bottom / 2 + body->chain.size / 3;
  put_text(fonts, &arena, pg, body, text, tpl->page_width / 2, y, 'c');
  bool ok = jx_page_encode(pg, tpl->page_height, fonts, use, NULL, diags, out);
  jx_arena_free(&arena);
  return ok;
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
  jx_pdf *pdf;
  jx_entry *entries;
  size_t entry_count, entry_cap;
  const jx_template *tpl; /* the first good project's */
  pthread_mutex_t *lock;  /* held while touching the session's
                             diagnostics (workers swap them, packet.h);
                             NULL once the workers are joined */
  char **split_names;     /* --split: names used so far */
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
      (jx_project_key){jx_xstrdup(r->dept_code), jx_xstrdup(r->name),
                       jx_xstrdup(r->year), input};
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
  add_key(w, r, i);
  if (!w->tpl)
    w->tpl = r->tpl;
  if (w->opt->split_dir) {
    char name[JX_NAME_MAX + 32];
    split_name(w->opt->split_pattern ? w->opt->split_pattern
                                     : "{dept_code}-{name}.pdf",
               r, i, name, sizeof name);
    /* Two projects with one name (on any file system): -2, -3, … */
    char base[sizeof name];
    snprintf(base, sizeof base, "%s", name);
    for (int k = 2;; k++) {
      bool clash = false;
      for (size_t j = 0; j < w->split_count && !clash; j++)
        clash = same_name_ci(w->split_names[j], name);
      if (!clash)
        break;
      const char *dot = strrchr(base, '.');
      int stem = dot ? (int)(dot - base) : (int)strlen(base);
      snprintf(name, sizeof name, "%.*s-%d%s", stem, base, k, dot ? dot : "");
    }
    w->split_names = jx_xrealloc(w->split_names,
                                 (w->split_count + 1) * sizeof *w->split_names);
    w->split_names[w->split_count++] = jx_xstrdup(name);
    size_t n = strlen(w->opt->split_dir) + strlen(name) + 2;
    char *dest = jx_xcalloc(n, 1);
    snprintf(dest, n, "%s/%s", w->opt->split_dir, name);
    bool ok = dest_allowed(w, inputs, dest);
    if (ok && w->opt->fail_fast) {
      /* named at the end, when no input has failed: a stopped run
       * writes nothing */
      w->held = jx_xrealloc(w->held, (w->held_count + 1) * sizeof *w->held);
      w->held[w->held_count++] =
          (jx_held){r->split_tmp, dest, i, r->page_count};
      r->split_tmp = NULL;
      dest = NULL;
    } else if (ok) {
      ok = place_split(w, r->split_tmp, dest);
    } else {
      unlink(r->split_tmp);
    }
    free(dest);
    if (ok)
      w->pages += r->page_count;
    return ok;
  }
  if (w->entry_count == w->entry_cap) {
    w->entry_cap = w->entry_cap ? 2 * w->entry_cap : 64;
    w->entries = jx_xrealloc(w->entries, w->entry_cap * sizeof *w->entries);
  }
  jx_entry *e = &w->entries[w->entry_count++];
  memset(e, 0, sizeof *e);
  e->input = i;
  e->dept_code = r->dept_code, r->dept_code = NULL;
  e->dept_name = r->dept_name, r->dept_name = NULL;
  e->name = r->name, r->name = NULL;
  e->year = r->year, r->year = NULL;
  e->annual_cents = r->annual_cents;
  e->annual_present = r->annual_present;
  e->total_label = r->total_label;
  e->total_unit = r->total_unit;
  e->total_fixed = r->total_fixed;
  e->page_count = r->page_count;
  e->page_width = r->page_width;
  e->page_height = r->page_height;
  e->objs = jx_xcalloc(r->page_count, sizeof *e->objs);
  for (size_t p = 0; p < r->page_count; p++)
    e->objs[p] = jx_pdf_add_stream(w->pdf, &r->pages[p]);
  w->pages += r->page_count;
  return true;
}

/* Puts the entries in the packet's order and numbers their departments
 * and kinds of total (*depts, *kinds, *kind_count).  Names are compared
 * with ICU's Chinese collation (拼音 order), opened once for the packet. */
static void order_entries(jx_writer *w, jx_entry **es, size_t n,
                          const char *out_path, size_t *depts, jx_kind **kinds,
                          size_t *kind_count, bool *overflow) {
  jx_packet_order order = w->opt->order_input ? JX_ORDER_INPUT : w->opt->order;
  UErrorCode st = U_ZERO_ERROR;
  UCollator *coll = chinese_collator(&st);
  if (!coll) {
    /* no Chinese collation data: byte (code point) order */
    jx_pos pos = {out_path, 0, 0};
    jx_warning(jx_session_diags(w->s), pos,
               "ICU has no Chinese collation (%s): names are sorted by code "
               "point, not in pinyin order",
               u_errorName(st));
  }
  sort_coll = coll;
  sort_entries(es, n, order);
  *depts = number_depts(es, n);
  sort_coll = NULL;
  if (coll)
    ucol_close(coll);
  *kinds = number_kinds(es, n, kind_count, overflow);
}

/* Numbers the pages, builds front matter, footers, outlines and labels,
 * and closes the PDF (*pdf_pages pages).  Returns false after recording
 * an error. */
static bool finish_packet(jx_writer *w, jx_glyph_use *use, const char *out_path,
                          size_t *pdf_pages, size_t *form_pages) {
  jx_session *s = w->s;
  jx_fonts *fonts = jx_session_fonts(s);
  jx_diag_list *diags = jx_session_diags(s);
  const jx_template *tpl = w->tpl;
  size_t n = w->entry_count;
  jx_entry **es = jx_xcalloc(n, sizeof *es);
  for (size_t i = 0; i < n; i++)
    es[i] = &w->entries[i];
  size_t depts = 0, kind_count = 0;
  jx_kind *kinds = NULL;
  bool overflow = false;
  order_entries(w, es, n, out_path, &depts, &kinds, &kind_count, &overflow);

  /* main section: numbered 1..M, blank pages to start on odd ones */
  size_t main_pages = 0;
  for (size_t i = 0; i < n; i++) {
    if (w->opt->duplex && main_pages % 2)
      main_pages++;
    es[i]->first_page = main_pages; /* relative for now */
    main_pages += es[i]->page_count;
  }
  /* front matter: its size does not change the numbers above */
  jx_arena arena;
  jx_arena_init(&arena);
  jx_front fr = {0};
  fr.layout.arena = &arena;
  jx_front_in fin = {tpl, w->opt, es, n, kinds, kind_count, depts, main_pages};
  build_front(fonts, &fin, 0, &fr);
  bool ok = true;
  if (overflow) {
    jx_pos pos = {out_path, 0, 0};
    jx_error(diags, pos,
             "the total funds of the packet are too large to add up; make "
             "smaller packets");
    ok = false;
  }
  size_t front = fr.layout.page_count;
  size_t pad = w->opt->duplex && front % 2 ? 1 : 0;
  size_t main0 = front + pad;
  for (size_t i = 0; i < n; i++)
    es[i]->first_page += main0;

  size_t total = main0 + main_pages;
  jx_pdf_page *pages = jx_xcalloc(total, sizeof *pages);
  for (size_t p = 0; p < total; p++)
    pages[p].width = tpl->page_width, pages[p].height = tpl->page_height;
  for (size_t p = 0; p < front && ok; p++) {
    jx_bytes b;
    ok = jx_page_encode(&fr.layout.pages[p], tpl->page_height, fonts, use,
                        out_path, diags, &b);
    if (ok)
      pages[p].contents[0] = jx_pdf_add_stream(w->pdf, &b);
    free(b.data);
  }
  for (size_t i = 0; i < n && ok; i++) {
    for (size_t k = 0; k < es[i]->page_count && ok; k++) {
      size_t p = es[i]->first_page + k;
      pages[p].contents[0] = es[i]->objs[k];
      pages[p].width = es[i]->page_width;
      pages[p].height = es[i]->page_height;
      jx_bytes b;
      ok = footer_stream(fonts, tpl, use, diags, p - main0 + 1, main_pages, &b);
      if (ok)
        pages[p].contents[1] = jx_pdf_add_stream(w->pdf, &b);
      free(b.data);
    }
  }

  /* bookmarks: department → project */
  jx_pdf_outline *ol = jx_xcalloc(2 * n, sizeof *ol);
  size_t no = 0;
  int dept = -1;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || !same_dept(es[i], es[i - 1])) {
      ol[no].title = dept_title(&arena, es[i]);
      ol[no].page = es[i]->first_page;
      ol[no].parent = -1;
      ol[no].open = n <= 100;
      dept = (int)no++;
    }
    ol[no].title = es[i]->name;
    ol[no].page = es[i]->first_page;
    ol[no].parent = dept;
    no++;
  }
  jx_pdf_label labels[3];
  size_t nlab = 0;
  labels[nlab++] = (jx_pdf_label){0, 0, "封面", 0};
  if (fr.contents_pages)
    labels[nlab++] = (jx_pdf_label){1, 'D', "目录", 1};
  labels[nlab++] = (jx_pdf_label){main0, 'D', NULL, 1};

  char subject[128];
  snprintf(subject, sizeof subject, "%zu 个项目，正文 %zu 页，共 %zu 页", n,
           main_pages, total);
  jx_pdf_doc doc = {.pages = pages,
                    .page_count = total,
                    .outlines = ol,
                    .outline_count = no,
                    .labels = labels,
                    .label_count = nlab,
                    .show_outlines = true};
  doc.info.title = w->opt->title && *w->opt->title ? w->opt->title : tpl->title;
  doc.info.subject = subject;
  doc.info.author = tpl->author ? tpl->author : "jxform";
  doc.info.pdfa = !w->opt->no_pdfa;
  if (ok) {
    ok = jx_pdf_close(w->pdf, &doc, fonts, use);
  } else {
    jx_pdf_abort(w->pdf);
  }
  w->pdf = NULL;
  *pdf_pages = ok ? total : 0;
  *form_pages = ok ? main_pages : 0;
  free(ol);
  free(pages);
  free(es);
  free(kinds);
  jx_arena_free(&arena);
  return ok;
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
  jx_writer w = {.s = s, .opt = opt};
  if (opt->split_dir)
    w.input_ids = input_ids(inputs, count, &w.input_id_count);
  if (!opt->split_dir) {
    w.pdf = jx_pdf_open(out_path, diags);
    if (!w.pdf)
      return false;
    jx_pdf_set_font_level(w.pdf, 6); /* once per packet: speed over 0.2% */
  }

  unsigned nthreads = opt->threads;
  if (!nthreads) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = cpus > 0 ? (unsigned)cpus : 1;
  }
  if (nthreads > 64)
    nthreads = 64;
  if (nthreads > count)
    nthreads = (unsigned)count;

  jx_shared sh = {.session = s, .inputs = inputs, .count = count, .opt = opt};
  pthread_mutex_init(&sh.lock, NULL);
  pthread_cond_init(&sh.cond, NULL);
  w.lock = &sh.lock;
  jx_fonts *sfonts = jx_session_fonts(s);
  sh.fonts = jx_xcalloc(nthreads, sizeof *sh.fonts);
  sh.uses = jx_xcalloc(nthreads, sizeof *sh.uses);
  for (unsigned t = 0; t < nthreads; t++) {
    jx_fonts_init(&sh.fonts[t]);
    sync_fonts(&sh, &sh.fonts[t]);
    jx_glyph_use_init(&sh.uses[t], &sh.fonts[t]);
  }
  jx_worker *ws = jx_xcalloc(nthreads, sizeof *ws);
  pthread_t *tids = jx_xcalloc(nthreads, sizeof *tids);
  for (unsigned t = 0; t < nthreads; t++) {
    ws[t] = (jx_worker){&sh, t};
    pthread_create(&tids[t], NULL, worker_main, &ws[t]);
  }

  double t0 = now();
  size_t bad = 0, done_projects = 0;
  bool stopped = false;
  for (size_t i = 0; i < count; i++) {
    pthread_mutex_lock(&sh.lock);
    while (!sh.slots[i % WINDOW].done)
      pthread_cond_wait(&sh.cond, &sh.lock);
    jx_result r = sh.slots[i % WINDOW];
    memset(&sh.slots[i % WINDOW], 0, sizeof r);
    pthread_mutex_unlock(&sh.lock);

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
    pthread_cond_broadcast(&sh.cond);
    pthread_mutex_unlock(&sh.lock);
    if (opt->progress) {
      jx_packet_progress pr = {i + 1,   count, done_projects,
                               w.pages, bad,   now() - t0};
      opt->progress(&pr, opt->progress_user);
    }
    if (stopped)
      break;
  }
  for (unsigned t = 0; t < nthreads; t++)
    pthread_join(tids[t], NULL);
  /* results finished after a --fail-fast stop */
  for (size_t k = 0; k < WINDOW; k++) {
    if (sh.slots[k].split_tmp)
      unlink(sh.slots[k].split_tmp);
    result_clear(&sh.slots[k]);
  }

  jx_glyph_use use;
  jx_glyph_use_init(&use, sfonts);
  for (unsigned t = 0; t < nthreads; t++) {
    jx_glyph_use_merge(&use, &sh.uses[t]);
    jx_glyph_use_free(&sh.uses[t]);
    jx_fonts_free(&sh.fonts[t]);
  }
  free(sh.uses);
  free(sh.fonts);
  free(ws);
  free(tids);
  pthread_mutex_destroy(&sh.lock);
  pthread_cond_destroy(&sh.cond);
  w.lock = NULL; /* the workers are done: nothing to lock against */
  same_projects(&w, inputs);

  bool ok = true;
  if (stopped) {
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
  if (w.pdf) {
    size_t pdf_pages = 0;
    if (ok)
      ok = finish_packet(&w, &use, out_path, &pdf_pages, &forms);
    else
      jx_pdf_abort(w.pdf);
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
  jx_glyph_use_free(&use);
  for (size_t i = 0; i < w.entry_count; i++) {
    jx_entry *e = &w.entries[i];
    free(e->dept_code), free(e->dept_name), free(e->name), free(e->year);
    free(e->objs);
  }
  free(w.entries);
  for (size_t i = 0; i < w.split_count; i++)
    free(w.split_names[i]);
  free(w.split_names);
  return ok && bad == 0;
}
