/*
 * frontmatter.c — the pages a packet adds to its forms, as its template's
 * `packet` section says (template.h jx_tpacket, docs/templates.md 3.17):
 * the cover and the contents are rows of the template, their
 * placeholders filled here from the packet's facts and laid out by
 * layout.c (jx_layout_rows) like a form's bands; the footer of each form
 * page is the template's pattern.  Here are only the facts: how many
 * departments, projects and pages, the years, each project's amount and
 * first page, the totals of each department and of the packet per kind
 * of total (元 and 万元 are never added together), and which row comes
 * where.  No word of the cover or contents is in this file.
 */
#include "document.h"

#include "layout.h"
#include "text.h"
#include "xalloc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ---- */

/* Draws `text` on `page` with its left end at x (align left), its centre
 * at x (center) or its right end at x (right), baseline y.  Text no face
 * can draw is left out (layout has already reported it for project
 * text). */
static void put_text(jx_measure *ms, jx_arena *arena, jx_dpage *page,
                     const jx_font_role *r, const char *text, double x,
                     double y, jx_halign align) {
  /* runs point into the text: keep it as long as the layout */
  text = jx_arena_strdup(arena, text);
  size_t len = strlen(text);
  jx_diag_list ignore = {0};
  jx_pos pos = {NULL, 0, 0};
  bool ok = len && jx_text_check(ms, &r->chain, text, len, pos, &ignore);
  jx_diag_list_free(&ignore);
  if (!ok)
    return;
  double w = jx_text_width(ms, &r->chain, text, len);
  if (align == JX_HALIGN_CENTER)
    x -= w / 2;
  else if (align == JX_HALIGN_RIGHT)
    x -= w;
  jx_text_emit(ms, arena, page, &r->chain, text, len, x, y);
}

/* `pattern` with each {name} replaced by lookup(arg, name) (NULL: blank)
 * and {{ }} by braces, into out[0..cap). */
static void fill(const char *pattern,
                 const char *(*lookup)(const void *, const char *),
                 const void *arg, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = pattern; *p && n + 1 < cap;) {
    const char *end = p[0] == '{' && p[1] != '{' ? strchr(p, '}') : NULL;
    if (end) {
      char name[64];
      snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
      const char *v = lookup(arg, name);
      n += (size_t)snprintf(out + n, cap - n, "%s", v ? v : "");
      if (n >= cap)
        n = cap - 1;
      p = end + 1;
      continue;
    }
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
      p++;
    out[n++] = *p++;
  }
  out[n] = '\0';
}
/* ---- sums of money ---- */

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

/* ---- kinds of total ---- */

/* A kind of total: what its templates call it and its unit.  Totals of
 * different kinds (元 and 万元, or two different amounts) are never
 * added together. */
struct jx_kind {
  const char *label, *unit;
  bool fixed; /* some form of this kind prints two decimals always */
  jx_sum total;
};

jx_kind *jx_kinds_number(jx_entry *const *es, size_t n, size_t *count,
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

/* The packet's facts ({packet.*}), as text. */
typedef struct jx_facts {
  const char *title, *years, *departments, *projects, *pages, *form_pages,
      *front_pages, *blank, *kinds, *more;
} jx_facts;

/* The values of one row's placeholders. */
typedef struct jx_rowvals {
  const jx_facts *f;
  const char *dept_title, *dept_code, *dept_name, *project, *kind, *amount,
      *unit, *page;
} jx_rowvals;

/* The value of placeholder `name` of the row `arg` (a jx_rowvals). */
static const char *row_value(const void *arg, const char *name) {
  const jx_rowvals *v = arg;
  const jx_facts *f = v->f;
  static const struct {
    const char *name;
    size_t facts, vals; /* offset + 1 in jx_facts or jx_rowvals */
  } at[] = {{"packet.title", offsetof(jx_facts, title) + 1, 0},
            {"packet.years", offsetof(jx_facts, years) + 1, 0},
            {"packet.departments", offsetof(jx_facts, departments) + 1, 0},
            {"packet.projects", offsetof(jx_facts, projects) + 1, 0},
            {"packet.pages", offsetof(jx_facts, pages) + 1, 0},
            {"packet.form_pages", offsetof(jx_facts, form_pages) + 1, 0},
            {"packet.front_pages", offsetof(jx_facts, front_pages) + 1, 0},
            {"packet.blank", offsetof(jx_facts, blank) + 1, 0},
            {"packet.kinds", offsetof(jx_facts, kinds) + 1, 0},
            {"packet.more", offsetof(jx_facts, more) + 1, 0},
            {"dept.title", 0, offsetof(jx_rowvals, dept_title) + 1},
            {"dept.code", 0, offsetof(jx_rowvals, dept_code) + 1},
            {"dept.name", 0, offsetof(jx_rowvals, dept_name) + 1},
            {"project.name", 0, offsetof(jx_rowvals, project) + 1},
            {"kind.label", 0, offsetof(jx_rowvals, kind) + 1},
            {"amount", 0, offsetof(jx_rowvals, amount) + 1},
            {"unit", 0, offsetof(jx_rowvals, unit) + 1},
            {"page", 0, offsetof(jx_rowvals, page) + 1}};
  for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
    if (strcmp(at[i].name, name))
      continue;
    const char *const *p =
        at[i].facts ? (const char *const *)((const char *)f + at[i].facts - 1)
                    : (const char *const *)((const char *)v + at[i].vals - 1);
    return *p;
  }
  return NULL;
}

/* The rows of a table being made (jx_layout_rows). */
typedef struct jx_rows_in {
  jx_row_in *items;
  size_t count, cap;
  jx_arena *arena;
} jx_rows_in;

/* Appends template row `row` of `band` with values `v` (copied into the
 * arena); NULL when the template has no such row (nothing added). */
static jx_row_in *add_row(jx_rows_in *rs, const jx_tband *band,
                          const jx_trow *row, const jx_rowvals *v) {
  if (!row->count)
    return NULL;
  if (rs->count == rs->cap) {
    rs->cap = rs->cap ? 2 * rs->cap : 64;
    rs->items = jx_xrealloc(rs->items, rs->cap * sizeof *rs->items);
  }
  jx_rowvals *copy = jx_arena_alloc(rs->arena, sizeof *copy);
  *copy = *v;
  jx_row_in *r = &rs->items[rs->count++];
  *r = (jx_row_in){
      .band = band, .row = row, .lookup = row_value, .arg = copy, .repeat = -1};
  return r;
}

/* {first} and {last} of a range of years (arg: the two). */
static const char *year_value(const void *arg, const char *name) {
  const char *const *pair = arg;
  return !strcmp(name, "first")  ? pair[0]
         : !strcmp(name, "last") ? pair[1]
                                 : NULL;
}

/* The years of the projects: one, or the template's range of the first
 * and last. */
static const char *years_of(jx_arena *arena, const jx_front_in *in) {
  char lo[32] = "", hi[32] = "";
  for (size_t i = 0; i < in->n; i++) {
    const char *y = in->es[i]->year;
    if (*y && (!*lo || strcmp(y, lo) < 0))
      snprintf(lo, sizeof lo, "%s", y);
    if (*y && strcmp(y, hi) > 0)
      snprintf(hi, sizeof hi, "%s", y);
  }
  if (!strcmp(lo, hi))
    return jx_arena_strdup(arena, lo);
  const char *pair[2] = {lo, hi};
  char out[160];
  fill(in->tpl->packet.year_range, year_value, pair, out, sizeof out);
  return jx_arena_strdup(arena, out);
}

static const char *money(jx_arena *arena, jx_sum cents, bool fixed) {
  char text[64];
  format_money(cents, fixed, text, sizeof text);
  return jx_arena_strdup(arena, text);
}

/* Of two rows, `kinds` when the packet has several kinds of total and the
 * template has it, else `plain`. */
static const jx_trow *kind_row(const jx_tpacket *pk, jx_prow_kind plain,
                               jx_prow_kind kinds, bool multi) {
  return multi && pk->rows[kinds].count ? &pk->rows[kinds] : &pk->rows[plain];
}

/* Appends a sum's row of `kind` (one of `run`: a run of sums draws its
 * rule_above over the first only). */
static void add_sum(jx_rows_in *rs, const jx_tband *band, const jx_trow *row,
                    const jx_rowvals *v, bool *run) {
  jx_row_in *r = add_row(rs, band, row, v);
  if (!r)
    return;
  r->no_rule_above = *run;
  *run = true;
}

/* The contents' rows: its head, each department's heading, its projects
 * and its subtotal per kind of total, then the grand total per kind.
 * When departments interleave (--order=input or name), the headings
 * follow the runs of projects and the departments' subtotals come
 * together after them, in department order.  Each department's
 * `continued` row is hidden at the end, drawn over its rows on a page
 * they go on to. */
static void contents_rows(jx_arena *arena, const jx_front_in *in,
                          const jx_facts *f, size_t main0, jx_rows_in *rs) {
  const jx_tpacket *pk = &in->tpl->packet;
  const jx_tband *band = &pk->contents.bands[0];
  size_t n = in->n, kinds = in->kind_count;
  bool multi = kinds > 1;
  jx_rowvals v = {.f = f};
  for (size_t i = 0; i < band->row_count; i++)
    add_row(rs, band, &band->rows[i], &v);
  size_t runs = 0;
  for (size_t i = 0; i < n; i++)
    runs += i == 0 || !jx_same_dept(in->es[i], in->es[i - 1]);
  bool grouped = runs == in->depts;
  jx_sum *sum = jx_xcalloc(kinds ? kinds : 1, sizeof *sum);
  bool *used = jx_xcalloc(kinds ? kinds : 1, sizeof *used);
  /* the hidden rows: each run's `continued`, added after the rest */
  jx_rowvals *cont = jx_xcalloc(runs ? runs : 1, sizeof *cont);
  /* (row, run) of each row under a department heading */
  size_t *refs = jx_xcalloc(2 * (n + kinds * runs) + 2, sizeof *refs);
  size_t nref = 0, run = 0;
  bool have_cont = pk->rows[JX_PROW_CONTINUED].count > 0;
  for (size_t i = 0; i < n; i++) {
    const jx_entry *e = in->es[i];
    if (i == 0 || !jx_same_dept(e, in->es[i - 1])) {
      v = (jx_rowvals){.f = f,
                       .dept_title = jx_dept_title(arena, e),
                       .dept_code = e->dept_code,
                       .dept_name = e->dept_name};
      cont[run++] = v;
      jx_row_in *r = add_row(rs, band, &pk->rows[JX_PROW_DEPARTMENT], &v);
      if (r)
        r->keep = true;
    }
    jx_rowvals pv = v;
    pv.project = e->name;
    pv.page = jx_arena_printf(arena, "%zu", e->first_page - main0 + 1);
    if (e->kind != SIZE_MAX) {
      const jx_kind *kd = &in->kinds[e->kind];
      pv.kind = kd->label;
      if (e->annual_present) {
        pv.amount = money(arena, e->annual_cents, e->total_fixed);
        pv.unit = kd->unit;
      } else {
        pv.amount = pk->missing;
      }
      sum_add(&sum[e->kind], e->annual_cents); /* below the kind's total */
      used[e->kind] = true;
    }
    if (add_row(rs, band, &pk->rows[JX_PROW_PROJECT], &pv) && have_cont)
      refs[nref++] = rs->count - 1, refs[nref++] = run - 1;
    if (!grouped || !(i + 1 == n || !jx_same_dept(in->es[i + 1], e)))
      continue;
    /* the department's last project: its subtotals */
    const jx_trow *row =
        kind_row(pk, JX_PROW_SUBTOTAL, JX_PROW_SUBTOTAL_KINDS, multi);
    bool sums = false;
    for (size_t k = 0; k < kinds; k++) {
      if (!used[k])
        continue;
      if (row->count)
        rs->items[rs->count - 1].keep = true;
      const jx_kind *kd = &in->kinds[k];
      jx_rowvals sv = v;
      sv.kind = kd->label;
      sv.amount = money(arena, sum[k], kd->fixed);
      sv.unit = kd->unit;
      size_t before = rs->count;
      add_sum(rs, band, row, &sv, &sums);
      if (rs->count > before && have_cont)
        refs[nref++] = rs->count - 1, refs[nref++] = run - 1;
      sum[k] = 0;
      used[k] = false;
    }
  }
  free(sum);
  free(used);
  /* the continued rows, hidden, and the rows that repeat them */
  size_t hidden0 = rs->count;
  if (have_cont)
    for (size_t d = 0; d < run; d++) {
      jx_row_in *r = add_row(rs, band, &pk->rows[JX_PROW_CONTINUED], &cont[d]);
      r->hidden = true;
    }
  for (size_t k = 0; k + 1 < nref; k += 2)
    rs->items[refs[k]].repeat = (int)(hidden0 + refs[k + 1]);
  free(cont);
  free(refs);
  /* rows after the hidden ones would be kept with them: move those up */
  size_t tail0 = rs->count;
  if (kinds && !grouped) {
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
    jx_rowvals sv = {.f = f};
    jx_row_in *r = add_row(rs, band, &pk->rows[JX_PROW_SECTION], &sv);
    if (r)
      r->keep = true;
    const jx_trow *row =
        kind_row(pk, JX_PROW_DEPT_SUM, JX_PROW_DEPT_SUM_KINDS, multi);
    bool sums = false;
    for (size_t d = 0; d < depts; d++)
      for (size_t k = 0; k < kinds; k++) {
        if (!du[d * kinds + k])
          continue;
        const jx_kind *kd = &in->kinds[k];
        const jx_entry *e = first[d];
        sv = (jx_rowvals){.f = f,
                          .dept_title = jx_dept_title(arena, e),
                          .dept_code = e->dept_code,
                          .dept_name = e->dept_name,
                          .kind = kd->label,
                          .amount = money(arena, ds[d * kinds + k], kd->fixed),
                          .unit = kd->unit};
        add_sum(rs, band, row, &sv, &sums);
      }
    free(ds);
    free(du);
    free(first);
  }
  const jx_trow *row = kind_row(pk, JX_PROW_TOTAL, JX_PROW_TOTAL_KINDS, multi);
  bool sums = false;
  for (size_t k = 0; k < kinds; k++) {
    const jx_kind *kd = &in->kinds[k];
    jx_rowvals tv = {.f = f,
                     .kind = kd->label,
                     .amount = money(arena, kd->total, kd->fixed),
                     .unit = kd->unit};
    size_t before = rs->count;
    add_sum(rs, band, row, &tv, &sums);
    if (rs->count > before)
      rs->items[rs->count - 1].keep = k + 1 < kinds;
  }
  /* put the hidden rows last, so that keeping rows together never
   * reaches one */
  size_t hidden = tail0 - hidden0, tail = rs->count - tail0;
  if (hidden && tail) {
    jx_row_in *tmp = jx_xcalloc(hidden, sizeof *tmp);
    memcpy(tmp, rs->items + hidden0, hidden * sizeof *tmp);
    memmove(rs->items + hidden0, rs->items + tail0, tail * sizeof *tmp);
    memcpy(rs->items + hidden0 + tail, tmp, hidden * sizeof *tmp);
    free(tmp);
    for (size_t i = 0; i < hidden0; i++)
      if (rs->items[i].repeat >= 0)
        rs->items[i].repeat += (int)tail;
  }
}

/* A page of the template with a part's top (the part's own pages have no
 * heading nor footer: jx_layout_rows draws neither). */
static jx_template part_page(const jx_template *tpl, const jx_tpart *part) {
  jx_template t = *tpl;
  t.table_top_first = part->top_first;
  t.table_top_next = part->top_next;
  return t;
}

/* The cover's rows: its template rows, the `each: total` one once for
 * each of the first `shown` kinds of total, the `each: more` one when
 * some are not shown. */
static void cover_rows(jx_arena *arena, const jx_front_in *in, jx_facts *f,
                       size_t shown, jx_rows_in *rs) {
  const jx_tband *band = &in->tpl->packet.cover.bands[0];
  f->more = jx_arena_printf(arena, "%zu", in->kind_count - shown);
  for (size_t i = 0; i < band->row_count; i++) {
    const jx_trow *row = &band->rows[i];
    jx_rowvals v = {.f = f};
    if (row->each == JX_EACH_TOTAL) {
      for (size_t k = 0; k < shown; k++) {
        const jx_kind *kd = &in->kinds[k];
        v.kind = kd->label;
        v.amount = money(arena, kd->total, kd->fixed);
        v.unit = kd->unit;
        add_row(rs, band, row, &v);
      }
    } else if (row->each != JX_EACH_MORE || shown < in->kind_count) {
      add_row(rs, band, row, &v);
    }
  }
}

void jx_front_build(jx_measure *ms, const jx_front_in *in, size_t main0,
                    jx_front *fr) {
  const jx_template *tpl = in->tpl;
  const jx_tpacket *pk = &tpl->packet;
  jx_layout *L = &fr->layout;
  jx_arena *arena = L->arena;
  L->page_width = tpl->page_width;
  L->page_height = tpl->page_height;
  jx_facts f = {.title = in->opt->title && *in->opt->title ? in->opt->title
                                                           : tpl->title,
                .years = years_of(arena, in),
                .departments = jx_arena_printf(arena, "%zu", in->depts),
                .projects = jx_arena_printf(arena, "%zu", in->n),
                .form_pages = jx_arena_printf(arena, "%zu", in->main_pages),
                .kinds = jx_arena_printf(arena, "%zu", in->kind_count),
                .blank = "",
                .more = "0"};
  /* Text a face cannot draw is left out, as it always was on these
   * pages: the projects' own text was reported with its form. */
  jx_diag_list ignore = {0};
  /* the contents first: the cover counts their pages */
  jx_layout C = {.arena = arena,
                 .page_width = tpl->page_width,
                 .page_height = tpl->page_height};
  if (pk->contents.band_count) {
    jx_rows_in rs = {.arena = arena};
    contents_rows(arena, in, &f, main0, &rs);
    jx_template page = part_page(tpl, &pk->contents);
    jx_layout_rows(&C, ms, &page, rs.items, rs.count, &ignore);
    free(rs.items);
  }
  fr->contents_pages = C.page_count;
  fr->cover_pages = pk->cover.band_count ? 1 : 0;
  size_t front = fr->cover_pages + fr->contents_pages;
  bool blank = in->opt->duplex && front % 2; /* a blank page after them */
  f.pages = jx_arena_printf(arena, "%zu", front + blank + in->main_pages);
  f.front_pages = jx_arena_printf(arena, "%zu", front + blank);
  f.blank = blank ? pk->blank : "";
  fr->subject = NULL;
  if (pk->subject) {
    jx_rowvals v = {.f = &f};
    char text[512];
    fill(pk->subject, row_value, &v, text, sizeof text);
    if (*text)
      fr->subject = jx_arena_strdup(arena, text);
  }
  if (fr->cover_pages) {
    /* one page: as many kinds of total as fit, the rest in the contents */
    jx_template page = part_page(tpl, &pk->cover);
    for (size_t shown = in->kind_count + 1; shown-- > 0;) {
      jx_rows_in rs = {.arena = arena};
      cover_rows(arena, in, &f, shown, &rs);
      L->page_count = 0;
      jx_layout_rows(L, ms, &page, rs.items, rs.count, &ignore);
      free(rs.items);
      if (L->page_count == 1)
        break;
    }
    if (L->page_count > 1)
      L->page_count = 1;
    if (L->page_count == 0)
      jx_layout_add_page(L);
  }
  jx_diag_list_free(&ignore);
  for (size_t p = 0; p < C.page_count; p++)
    *jx_layout_add_page(L) = C.pages[p];
}

/* ---- page footers ---- */

/* The footer's placeholders: {page}, {pages} (arg: the two numbers). */
static const char *footer_value(const void *arg, const char *name) {
  const char *const *v = arg;
  return !strcmp(name, "page") ? v[0] : !strcmp(name, "pages") ? v[1] : NULL;
}

void jx_footer_page(jx_measure *ms, const jx_template *tpl, size_t num,
                    size_t total, jx_layout *L) {
  jx_dpage *pg = jx_layout_add_page(L);
  const jx_tpacket *pk = &tpl->packet;
  if (pk->footer.pattern) {
    char n[32], t[32], text[512];
    snprintf(n, sizeof n, "%zu", num);
    snprintf(t, sizeof t, "%zu", total);
    const char *v[2] = {n, t};
    fill(pk->footer.pattern, footer_value, v, text, sizeof text);
    double left = tpl->margin_left, right = tpl->page_width - tpl->margin_right;
    double x = pk->footer.halign == JX_HALIGN_LEFT    ? left
               : pk->footer.halign == JX_HALIGN_RIGHT ? right
                                                      : (left + right) / 2;
    put_text(ms, L->arena, pg, &tpl->fonts[pk->footer.font], text, x,
             tpl->page_height - pk->footer_bottom, pk->footer.halign);
  }
}
