/*
 * frontmatter.c — the pages a packet adds to its forms, laid out by hand
 * with the template's fonts (document.h): the cover (title, years, how
 * many departments, projects and pages, the totals), the contents (each
 * department, its projects with their amount and first page, a 小计 per
 * department and a 合计, per kind of total: 元 and 万元 are never added
 * together) and the footer of each form page (第 N 页 共 M 页).
 */
#include "document.h"

#include "text.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ---- */

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
static void put_text(jx_measure *ms, jx_arena *arena, jx_dpage *page,
                     const jx_font_role *r, const char *text, double x,
                     double y, char align) {
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
  if (align == 'c')
    x -= w / 2;
  else if (align == 'r')
    x -= w;
  jx_text_emit(ms, arena, page, &r->chain, text, len, x, y);
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

/* Lays out the cover. */
static void build_cover(jx_measure *ms, const jx_front_in *in, jx_front *fr) {
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
  put_text(ms, L->arena, cover, title, t, W / 2, H * 0.30, 'c');
  snprintf(line, sizeof line, "（%s年度）", years);
  put_text(ms, L->arena, cover, sub, line, W / 2, H * 0.30 + 32, 'c');
  put_text(ms, L->arena, cover, title, "汇　编", W / 2, H * 0.30 + 90, 'c');
  double x = W / 2 - 110, y = H * 0.55;
  snprintf(line, sizeof line, "年　　度：%s", years);
  put_text(ms, L->arena, cover, sub, line, x, y, 'l');
  snprintf(line, sizeof line, "部 门 数：%zu 个", in->depts);
  put_text(ms, L->arena, cover, sub, line, x, y += 24, 'l');
  snprintf(line, sizeof line, "项 目 数：%zu 个", in->n);
  put_text(ms, L->arena, cover, sub, line, x, y += 24, 'l');
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
      put_text(ms, L->arena, cover, sub, line, x, y += 24, 'l');
      break;
    }
    const jx_kind *kd = &in->kinds[k];
    format_money(kd->total, kd->fixed, money, sizeof money);
    snprintf(line, sizeof line, "%s：%s %s", kd->label, money, kd->unit);
    put_text(ms, L->arena, cover, sub, line, x, y += 24, 'l');
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
    runs += i == 0 || !jx_same_dept(in->es[i], in->es[i - 1]);
  bool grouped = runs == in->depts;
  jx_sum *sum = jx_xcalloc(kinds ? kinds : 1, sizeof *sum);
  bool *used = jx_xcalloc(kinds ? kinds : 1, sizeof *used);
  const char *dept = NULL;
  for (size_t i = 0; i < n; i++) {
    const jx_entry *e = in->es[i];
    if (i == 0 || !jx_same_dept(e, in->es[i - 1])) {
      dept = jx_dept_title(arena, e);
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
    if (!grouped || !(i + 1 == n || !jx_same_dept(in->es[i + 1], e)))
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
        const char *title = jx_dept_title(arena, first[d]);
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
static double wider(jx_measure *ms, const jx_font_role *r, const char *text,
                    double w) {
  if (!text)
    return w;
  double t = jx_text_width(ms, &r->chain, text, strlen(text));
  return t > w ? t : w;
}

/* Lays out the contents (page numbers from the entries' first_page,
 * relative to the first form page `main0`): a line per department, its
 * projects with their amount and the number of their first page, its
 * subtotals; the grand totals at the end.  Names wrap in their column,
 * clear of the amount, unit and page columns. */
static void build_contents(jx_measure *ms, const jx_front_in *in, size_t main0,
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
    pw = wider(ms, body, rs.items[i].page, pw);
    uw = wider(ms, body, rs.items[i].unit, uw);
    aw = wider(ms, body, rs.items[i].amount, aw);
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
    nl[i] = jx_text_break(ms, L->arena, r->text, strlen(r->text),
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
        put_text(ms, L->arena, pg, title, "目　录", W / 2, y, 'c');
        y += 30;
      }
      fresh = true;
      if (r->dept && r->type != ROW_DEPT) {
        /* a department going on from the page before */
        y += pitch;
        put_text(ms, L->arena, pg, sub,
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
        put_text(ms, L->arena, pg, font, t, x, y, 'l');
      }
    }
    /* amount, unit and page number on the row's last line */
    if (r->amount) {
      put_text(ms, L->arena, pg, body, r->amount, amount_r, y, 'r');
      bool rule = (r->type == ROW_SUBTOTAL || r->type == ROW_TOTAL) && i &&
                  rs.items[i - 1].type != r->type;
      if (rule) /* the sum's line over the amounts it adds up */
        jx_dpage_add_rule(L->arena, pg, amount_l, y - em - 1.5, amount_r,
                          y - em - 1.5, 0.4);
    }
    if (r->unit)
      put_text(ms, L->arena, pg, body, r->unit, unit_x, y, 'l');
    if (r->page)
      put_text(ms, L->arena, pg, body, r->page, page_r, y, 'r');
  }
  fr->contents_pages = L->page_count - first_contents;
  free(lines);
  free(nl);
  free(rs.items);
}

void jx_front_build(jx_measure *ms, const jx_front_in *in, size_t main0,
                    jx_front *fr) {
  fr->layout.page_width = in->tpl->page_width;
  fr->layout.page_height = in->tpl->page_height;
  build_cover(ms, in, fr);
  build_contents(ms, in, main0, fr);
  /* The pages, as a reader counts them: the forms' (the footers' 共 M 页)
   * and the rest, so that the PDF reader's count adds up. */
  size_t front = fr->layout.page_count;
  front += in->opt->duplex && front % 2; /* the blank page after them */
  char line[160];
  snprintf(line, sizeof line,
           "页　　数：共 %zu 页（正文 %zu 页，封面和目录%s %zu 页）",
           front + in->main_pages, in->main_pages,
           front > 1 + fr->contents_pages ? "及空白页" : "", front);
  put_text(ms, fr->layout.arena, &fr->layout.pages[0],
           role(in->tpl, "subtitle"), line, fr->pages_x, fr->pages_y, 'l');
}

/* ---- page footers ---- */

void jx_footer_page(jx_measure *ms, const jx_template *tpl, size_t num,
                    size_t total, jx_layout *L) {
  jx_dpage *pg = jx_layout_add_page(L);
  const jx_font_role *body = &tpl->fonts[tpl->body_font];
  char text[96];
  snprintf(text, sizeof text, "第 %zu 页 共 %zu 页", num, total);
  double y = tpl->page_height - tpl->margin_bottom / 2 + body->chain.size / 3;
  put_text(ms, L->arena, pg, body, text, tpl->page_width / 2, y, 'c');
}
