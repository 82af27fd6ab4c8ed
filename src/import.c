/*
 * import.c — workbook → projects (import.h; docs/import-layouts.md is the
 * contract).
 *
 * A sheet is read in three passes over its cells, each marking the cells
 * it takes so that a later pass does not read them again:
 *   1. grids: a header row of the grid's column labels, its data rows
 *      below it, each row's side (a side column, a title row, a label
 *      merged down the left), level1/level2 taken from above when empty;
 *   2. money cross tables: a row of a block's column labels over a
 *      column of its row labels;
 *   3. fields: a label cell with its value right of it; a money row label
 *      alone takes its column from the money label above it.
 * A table sheet (layout 2) has one project a row under a header row of
 * labels; its grids are found by a key column (the project's name or
 * department code).
 *
 * The projects are then written as YAML (double-quoted strings, amounts
 * from number cells as plain digits) with the place of every line.
 */
#include "import.h"
#include "filename.h"

#include "utf8.h"
#include "xalloc.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- labels ---- */

/* What a normalised text is, as a label of the template. */
typedef enum {
  LK_FIELD,     /* a field's label or id: a = field */
  LK_MONEY_ROW, /* a money row label alone: a = block, b = row */
  LK_MONEY_COL, /* a money column label: a = block, b = column */
  LK_GRID_COL,  /* a grid column label: a = grid, b = column */
  LK_SIDE,      /* a side label, or side + grid label: a = grid, b = side */
  LK_SIDE_COL,  /* side labels joined by '/': a = grid */
  LK_GROUP,     /* a group's label: a = group; its value
                   holds the group's code and name when it has just those
                   two fields (group_value) */
  LK_OTHER      /* a block or grid label: a label, nothing else */
} label_kind;

typedef struct label {
  const char *norm;
  label_kind kind;
  int a, b;
} label;

/* What one cell matched: every label its text equals (few). */
#define MAX_HITS 8
typedef struct hits {
  const label *h[MAX_HITS];
  int n;
} hits;

/* ---- the projects being built ---- */

typedef struct val {
  const char *text;        /* NULL: not found; "": found empty (written null) */
  bool plain;              /* written unquoted (an amount from a number cell) */
  const char *place;       /* where the value is */
  const char *label_place; /* where its label is (for repeats) */
} val;

typedef struct irow {
  val *cells; /* a value per grid column */
  const char *place;
} irow;

typedef struct ilist {
  irow *items;
  size_t count, cap;
} ilist;

typedef struct iproj {
  const jx_sheet *sheet;
  const char *anchor;
  uint32_t row; /* table projects: their row */
  val *fields;
  ilist **lists;      /* [grid][side] */
  size_t found;       /* fields with a value found */
  jx_diag_list diags; /* what the mapping says about it */
} iproj;

/* An index of a sheet: its rows, each cell's label hits, and which cells
 * a pass has taken. */
typedef struct sheet_ix {
  const jx_sheet *sh;
  size_t *row_start; /* rows + 1 entries: first cell of each row */
  hits *hits;        /* per cell */
  bool *used;        /* per cell */
} sheet_ix;

typedef struct imp {
  jx_arena *arena;
  jx_diag_list *diags; /* about the book */
  jx_diag_list *cur;   /* about the project being read */
  const jx_book *book;
  const jx_content *ct;
  label *labels;
  size_t label_count, label_cap;
  const char **units; /* "(元)" normalised, per money block */
  iproj **projects;
  size_t project_count, project_cap;
  const jx_sheet *tpl_sheet; /* the `template` cell, left alone */
  uint32_t tpl_row, tpl_col;
  const char *const *titles; /* the form's title lines (patterns) */
  size_t title_count;
} imp;

/* ---- normalising ---- */

/* Appends code point `cp` to buf (at *n; buf has room). */
static void put_cp(char *buf, size_t *n, uint32_t cp) {
  *n += jx_utf8_put(cp, buf + *n);
}

/* Steps 1-3 of the contract: full-width forms to ASCII, no spaces or
 * line breaks, Chinese punctuation to ASCII.  In `arena`. */
static char *norm_chars(jx_arena *arena, const char *text) {
  size_t len = strlen(text);
  char *out = jx_arena_alloc(arena, len + 1);
  size_t n = 0, i = 0;
  const unsigned char *s = (const unsigned char *)text;
  while (i < len) {
    size_t at = i;
    uint32_t cp = jx_utf8_next(s, len, &i);
    if (cp == JX_UTF8_BAD) {
      out[n++] = (char)s[at];
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E)
      cp -= 0xFEE0;
    else if (cp == 0x3000)
      cp = ' ';
    else if (cp == 0x3010)
      cp = '[';
    else if (cp == 0x3011)
      cp = ']';
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
        cp == 0x0B || cp == 0x0C || cp == 0x2028 || cp == 0x2029 ||
        cp == 0x200B || cp == 0xFEFF)
      continue;
    put_cp(out, &n, cp);
  }
  out[n] = '\0';
  return out;
}

/* Removes trailing ':' and '*' (and leading '*', a required mark too). */
static void strip_marks(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ':' || s[n - 1] == '*'))
    s[--n] = '\0';
  size_t lead = 0;
  while (s[lead] == '*')
    lead++;
  if (lead)
    memmove(s, s + lead, n - lead + 1);
}

/* True if `s` is the normalised label of a money row or a money field. */
static bool is_money_row(const imp *im, const char *s) {
  for (size_t i = 0; i < im->label_count; i++) {
    const label *l = &im->labels[i];
    if ((l->kind == LK_MONEY_ROW ||
         (l->kind == LK_FIELD && im->ct->fields[l->a].money_block >= 0)) &&
        !strcmp(l->norm, s))
      return true;
  }
  return false;
}

/* The whole normalisation; `im` may have no labels yet (then 其中: is
 * kept). */
static const char *norm_text(imp *im, const char *text) {
  char *s = norm_chars(im->arena, text);
  for (int round = 0; round < 2; round++) {
    strip_marks(s);
    size_t n = strlen(s);
    for (size_t b = 0; b < im->ct->money_count; b++) {
      const char *u = im->units[b];
      size_t k = u ? strlen(u) : 0;
      if (k && n > k && !strcmp(s + n - k, u)) {
        s[n - k] = '\0';
        break;
      }
    }
  }
  static const char qizhong[] = "其中:";
  size_t q = sizeof qizhong - 1;
  if (!strncmp(s, qizhong, q) && s[q] && is_money_row(im, s + q))
    s += q;
  return s;
}

static void add_label(imp *im, const char *text, label_kind kind, int a,
                      int b) {
  if (!text || !*text)
    return;
  im->labels = jx_arena_grow(im->arena, im->labels, sizeof *im->labels,
                             &im->label_cap, im->label_count + 1);
  im->labels[im->label_count++] = (label){text, kind, a, b};
}

/* The label table of the template: every text a cell may be compared
 * with, normalised. */
static void build_labels(imp *im) {
  const jx_content *ct = im->ct;
  im->units = jx_arena_alloc(im->arena, (ct->money_count + 1) * sizeof(char *));
  for (size_t b = 0; b < ct->money_count; b++) {
    const char *u = ct->money[b].unit;
    im->units[b] =
        u && *u ? norm_chars(im->arena, jx_arena_printf(im->arena, "(%s)", u))
                : NULL;
  }
  /* money rows first: norm_text of the others looks them up (其中:) */
  for (size_t b = 0; b < ct->money_count; b++) {
    const jx_money_block *mb = &ct->money[b];
    for (size_t r = 0; r < mb->row_count; r++)
      add_label(im, norm_text(im, mb->row_labels[r]), LK_MONEY_ROW, (int)b,
                (int)r);
  }
  for (size_t f = 0; f < ct->field_count; f++) {
    add_label(im, norm_text(im, ct->fields[f].label), LK_FIELD, (int)f, 0);
    add_label(im, ct->fields[f].id, LK_FIELD, (int)f, 0);
  }
  for (size_t b = 0; b < ct->money_count; b++) {
    const jx_money_block *mb = &ct->money[b];
    for (size_t c = 0; c < mb->column_count; c++)
      add_label(im, norm_text(im, mb->column_labels[c]), LK_MONEY_COL, (int)b,
                (int)c);
    add_label(im, norm_text(im, mb->label), LK_OTHER, (int)b, 0);
  }
  for (size_t g = 0; g < ct->grid_count; g++) {
    const jx_grid_def *gd = &ct->grids[g];
    for (size_t c = 0; c < gd->col_count; c++) {
      add_label(im, norm_text(im, gd->cols[c].label), LK_GRID_COL, (int)g,
                (int)c);
      add_label(im, gd->cols[c].id, LK_GRID_COL, (int)g, (int)c);
    }
    const char *joined = "";
    for (size_t s = 0; s < gd->side_count; s++) {
      const char *side = norm_text(im, gd->side_labels[s]);
      add_label(im, side, LK_SIDE, (int)g, (int)s);
      add_label(
          im,
          jx_arena_printf(im->arena, "%s%s", side, norm_text(im, gd->label)),
          LK_SIDE, (int)g, (int)s);
      joined = jx_arena_printf(im->arena, "%s%s%s", joined, s ? "/" : "", side);
    }
    if (gd->side_count > 1)
      add_label(im, joined, LK_SIDE_COL, (int)g, 0);
    add_label(im, norm_text(im, gd->label), LK_OTHER, (int)g, 0);
  }
  for (size_t i = 0; i < ct->group_count; i++)
    add_label(im, norm_text(im, ct->groups[i].label), LK_GROUP, (int)i, 0);
}

const char *jx_import_norm(jx_arena *arena, const jx_content *content,
                           const char *text) {
  imp im = {.arena = arena, .ct = content};
  build_labels(&im);
  return norm_text(&im, text);
}

/* The hits of normalised text `s`. */
static hits match(const imp *im, const char *s) {
  hits h = {{NULL}, 0};
  if (!*s)
    return h;
  for (size_t i = 0; i < im->label_count && h.n < MAX_HITS; i++)
    if (!strcmp(im->labels[i].norm, s))
      h.h[h.n++] = &im->labels[i];
  return h;
}

static const label *hit_of(const hits *h, label_kind kind, int a) {
  for (int i = 0; i < h->n; i++)
    if (h->h[i]->kind == kind && (a < 0 || h->h[i]->a == a))
      return h->h[i];
  return NULL;
}

/* ---- sheets ---- */

static sheet_ix *index_sheet(imp *im, const jx_sheet *sh) {
  sheet_ix *ix = jx_arena_alloc(im->arena, sizeof *ix);
  ix->sh = sh;
  ix->row_start =
      jx_arena_alloc(im->arena, ((size_t)sh->rows + 1) * sizeof *ix->row_start);
  size_t k = 0;
  for (uint32_t r = 0; r <= sh->rows; r++) {
    while (k < sh->cell_count && sh->cells[k].row < r)
      k++;
    ix->row_start[r] = k;
  }
  ix->hits = jx_arena_alloc(im->arena, (sh->cell_count + 1) * sizeof *ix->hits);
  ix->used = jx_arena_alloc(im->arena, (sh->cell_count + 1) * sizeof *ix->used);
  for (size_t i = 0; i < sh->cell_count; i++) {
    const jx_cell *c = &sh->cells[i];
    ix->hits[i].n = 0;
    ix->used[i] = false;
    if (c->kind == JX_CELL_TEXT)
      ix->hits[i] = match(im, norm_text(im, c->text));
    if (sh == im->tpl_sheet && c->row == im->tpl_row &&
        (c->col == im->tpl_col || c->col == im->tpl_col + 1))
      ix->used[i] = true;
  }
  return ix;
}

/* The index of the cell at (r, c) in the sheet, or -1. */
static long cell_index(const sheet_ix *ix, uint32_t r, uint32_t c) {
  if (r >= ix->sh->rows)
    return -1;
  size_t lo = ix->row_start[r], hi = ix->row_start[r + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->sh->cells[mid].col < c)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ix->row_start[r + 1] && ix->sh->cells[lo].col == c ? (long)lo
                                                                 : -1;
}

/* The cell showing at (r, c): the top-left one of a merged range. */
static long shown_index(const sheet_ix *ix, uint32_t r, uint32_t c) {
  const jx_merge *m = jx_sheet_merge(ix->sh, r, c);
  if (m)
    return cell_index(ix, m->row0, m->col0);
  return cell_index(ix, r, c);
}

/* True if `s` holds nothing but spaces (ASCII, no-break, ideographic). */
static bool blank_text(const char *s) {
  while (*s) {
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
      s++;
    else if (!strncmp(s, "\u3000", 3))
      s += 3;
    else if (!strncmp(s, "\u00a0", 2))
      s += 2;
    else
      return false;
  }
  return true;
}

/* True if the cell is empty: absent, or text of spaces only. */
static bool blank_cell(const jx_cell *c) {
  return !c || (c->kind == JX_CELL_TEXT && blank_text(c->text));
}

static const jx_cell *cell_of(const sheet_ix *ix, long i) {
  return i < 0 ? NULL : &ix->sh->cells[i];
}

static const hits *hits_of(const sheet_ix *ix, long i) {
  static const hits none = {{NULL}, 0};
  return i < 0 ? &none : &ix->hits[i];
}

/* True if row r has no non-blank cell. */
static bool blank_row(const sheet_ix *ix, uint32_t r) {
  if (r >= ix->sh->rows)
    return true;
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++)
    if (!blank_cell(&ix->sh->cells[k]))
      return false;
  return true;
}

static const char *place(imp *im, const jx_sheet *sh, uint32_t r, uint32_t c) {
  return jx_cell_place(im->arena, sh, r, c);
}

/* ---- values ---- */

/* A number without exponent or thousands separators: with `decimals`
 * places when 0..15, else as few as it needs (15 significant digits). */
static void plain_number(double x, int decimals, char *buf, size_t size) {
  if (x == 0)
    x = 0; /* no "-0" */
  if (decimals >= 0 && decimals <= 15) {
    snprintf(buf, size, "%.*f", decimals, x);
    return;
  }
  snprintf(buf, size, "%.15g", x);
  if (!strchr(buf, 'e'))
    return;
  if (fabs(x) >= 1) {
    snprintf(buf, size, "%.0f", x);
    return;
  }
  snprintf(buf, size, "%.15f", x);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '0')
    buf[--n] = '\0';
  if (n > 1 && buf[n - 1] == '.')
    buf[--n] = '\0';
}

/* `text` without the spaces (ASCII, no-break, ideographic) around it. */
static const char *trimmed(jx_arena *arena, const char *text) {
  const char *b = text, *e = text + strlen(text);
  for (;;) {
    if (b < e && strchr(" \t\r\n", *b))
      b++;
    else if (e - b >= 3 && !strncmp(b, "\u3000", 3))
      b += 3;
    else if (e - b >= 2 && !strncmp(b, "\u00a0", 2))
      b += 2;
    else
      break;
  }
  for (;;) {
    if (e > b && strchr(" \t\r\n", e[-1]))
      e--;
    else if (e - b >= 3 && !strncmp(e - 3, "\u3000", 3))
      e -= 3;
    else if (e - b >= 2 && !strncmp(e - 2, "\u00a0", 2))
      e -= 2;
    else
      break;
  }
  return jx_arena_strndup(arena, b, (size_t)(e - b));
}

/* The text of cell `c` as a value of type `type` (grid values are
 * `value`): the contract's table of values.  *plain is set for amounts
 * from number cells; problems of the cell go to the diagnostics (and
 * *bad).  `what` names the field for messages. */
static const char *cell_value(imp *im, const jx_cell *c, jx_ftype type,
                              const char *at, const char *what, bool *plain,
                              bool *bad) {
  *plain = false;
  if (!c)
    return "";
  jx_pos pos = {im->book->path, 0, 0};
  char buf[96];
  switch (c->kind) {
  case JX_CELL_ERROR:
    jx_error(im->cur, pos,
             "this cell shows the error %s instead of a value for %s: "
             "correct the formula or type the value",
             c->text, what);
    jx_diag_set_cell(im->cur, at);
    *bad = true;
    return "";
  case JX_CELL_TEXT:
    return trimmed(im->arena, c->text);
  case JX_CELL_BOOL:
    return c->text;
  case JX_CELL_NUMBER:
    break;
  }
  /* a code held as a number: whatever the cell's format now says (a
   * number typed before the cell was made text stays a number), its
   * leading 0 is gone */
  jx_numfmt format = type == JX_FT_CODE ? JX_NUMFMT_GENERAL : c->format;
  switch (format) {
  case JX_NUMFMT_PERCENT: {
    double p = c->number * 100;
    if (c->decimals < 0)
      p = round(p * 1e9) / 1e9;
    plain_number(p, c->decimals, buf, sizeof buf - 1);
    strcat(buf, "%");
    return jx_arena_strdup(im->arena, buf);
  }
  case JX_NUMFMT_DATE:
  case JX_NUMFMT_DATETIME: {
    int y, m, d;
    if (jx_serial_date(c->number, im->book->date1904, &y, &m, &d)) {
      snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
      return jx_arena_strdup(im->arena, buf);
    }
    return c->text;
  }
  case JX_NUMFMT_TIME:
  case JX_NUMFMT_TEXT:
    return c->text;
  case JX_NUMFMT_GENERAL:
    break;
  }
  switch (type) {
  case JX_FT_MONEY:
  case JX_FT_DECIMAL:
    plain_number(c->number, c->decimals, buf, sizeof buf);
    *plain = type == JX_FT_MONEY && c->number >= 0;
    return jx_arena_strdup(im->arena, buf);
  case JX_FT_INTEGER:
  case JX_FT_YEAR:
    plain_number(c->number, -1, buf, sizeof buf);
    return jx_arena_strdup(im->arena, buf);
  case JX_FT_CODE:
    plain_number(c->number, -1, buf, sizeof buf);
    jx_warning(im->cur, pos,
               "%s is a number in the workbook (%s): a code that starts "
               "with 0, like \"045\", loses its 0 that way; format the cell "
               "as text and type the code again",
               what, buf);
    jx_diag_set_cell(im->cur, at);
    return jx_arena_strdup(im->arena, buf);
  default:
    if (strchr(c->text, 'E') || strchr(c->text, 'e')) {
      plain_number(c->number, -1, buf, sizeof buf);
      return jx_arena_strdup(im->arena, buf);
    }
    return c->text;
  }
}

/* What a field is called in messages: its label, with its id. */
static const char *field_name(imp *im, int f) {
  const jx_field *fd = &im->ct->fields[f];
  return jx_arena_printf(im->arena, "'%s' (%s)", fd->label, fd->id);
}

/* Sets field `f` of `p` from the value cell at (vr, vc) (with `read`
 * false: found, but left empty), its label at (lr, lc).  A label given
 * twice with two different values is an error at the second. */
static void set_field_text(imp *im, iproj *p, int f, const char *text,
                           bool plain, const char *at, const char *label_at);

static void set_field(imp *im, iproj *p, const sheet_ix *ix, int f, uint32_t lr,
                      uint32_t lc, uint32_t vr, uint32_t vc, bool read) {
  const jx_field *fd = &im->ct->fields[f];
  const char *at = place(im, ix->sh, vr, vc);
  const char *what = field_name(im, f);
  bool plain = false, bad = false; /* a bad cell is said at the cell */
  long vi = read ? shown_index(ix, vr, vc) : -1;
  im->cur = &p->diags;
  const char *text =
      cell_value(im, cell_of(ix, vi), fd->type, at, what, &plain, &bad);
  if (vi >= 0)
    ix->used[vi] = true;
  set_field_text(im, p, f, text, plain, at, place(im, ix->sh, lr, lc));
}

/* Sets field `f` of project `p` to `text` (from the cell at `at`, its
 * label at `label_at`), unless it has a value already: the same value
 * is fine, another one an error at the label. */
static void set_field_text(imp *im, iproj *p, int f, const char *text,
                           bool plain, const char *at, const char *label_at) {
  const char *what = field_name(im, f);
  val *v = &p->fields[f];
  if (v->text) {
    if (!*text || !strcmp(text, v->text))
      return;
    if (*v->text) {
      jx_pos pos = {im->book->path, 0, 0};
      jx_error(&p->diags, pos,
               "%s is given twice with different values: '%s' at %s and "
               "'%s' here; keep one of them",
               what, v->text, v->label_place, text);
      jx_diag_set_cell(&p->diags, label_at);
      return;
    }
  } else {
    p->found++;
  }
  *v = (val){text, plain, at, label_at};
}

static iproj *new_project(imp *im, const jx_sheet *sh, uint32_t row,
                          bool whole) {
  iproj *p = jx_arena_alloc(im->arena, sizeof *p);
  memset(p, 0, sizeof *p);
  p->sheet = sh;
  p->row = row;
  p->anchor = place(im, sh, whole ? 0 : row, 0);
  const jx_content *ct = im->ct;
  p->fields =
      jx_arena_alloc(im->arena, (ct->field_count + 1) * sizeof *p->fields);
  memset(p->fields, 0, (ct->field_count + 1) * sizeof *p->fields);
  p->lists = jx_arena_alloc(im->arena, (ct->grid_count + 1) * sizeof *p->lists);
  for (size_t g = 0; g < ct->grid_count; g++) {
    size_t n = jx_grid_lists(&ct->grids[g]);
    p->lists[g] = jx_arena_alloc(im->arena, n * sizeof **p->lists);
    memset(p->lists[g], 0, n * sizeof **p->lists);
  }
  im->projects = jx_arena_grow(im->arena, im->projects, sizeof *im->projects,
                               &im->project_cap, im->project_count + 1);
  im->projects[im->project_count++] = p;
  return p;
}

/* ---- grids ---- */

/* A grid's header row found in a sheet. */
typedef struct gheader {
  int grid;
  uint32_t row;
  long *col; /* sheet column of each grid column, or -1 */
  long side_col, key_col;
  bool key_is_code;     /* key_col holds department codes */
  uint32_t first, last; /* the columns it spans */
} gheader;

/* If row r of `ix` is a header row of grid g (two of its column labels,
 * one of them the name column, or the first when it has none), fills *h
 * and returns true. */
static bool grid_header(imp *im, const sheet_ix *ix, int g, uint32_t r,
                        gheader *h) {
  const jx_grid_def *gd = &im->ct->grids[g];
  if (r >= ix->sh->rows)
    return false;
  long *col = jx_arena_alloc(im->arena, gd->col_count * sizeof *col);
  for (size_t k = 0; k < gd->col_count; k++)
    col[k] = -1;
  size_t matched = 0;
  long side_col = -1, key_col = -1;
  bool key_code = false;
  uint32_t first = UINT32_MAX, last = 0;
  int name = gd->name >= 0 ? gd->name : 0;
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
    if (ix->used[k])
      continue;
    const hits *hs = &ix->hits[k];
    uint32_t c = ix->sh->cells[k].col;
    const label *l = hit_of(hs, LK_GRID_COL, g);
    bool taken = false;
    if (l && col[l->b] < 0) {
      col[l->b] = c;
      matched++;
      taken = true;
    } else if (hit_of(hs, LK_SIDE_COL, g) && side_col < 0) {
      side_col = c;
      taken = true;
    } else if (key_col < 0) {
      const label *fl = hit_of(hs, LK_FIELD, -1);
      if (fl &&
          (fl->a == im->ct->index_name || fl->a == im->ct->index_dept_code)) {
        key_col = c;
        key_code = fl->a != im->ct->index_name;
        taken = true;
      }
    }
    if (taken) {
      first = c < first ? c : first;
      last = c > last ? c : last;
    }
  }
  if (matched < 2 || col[name] < 0)
    return false;
  *h = (gheader){g, r, col, side_col, key_col, key_code, first, last};
  return true;
}

/* The side a title cell names (side label, or side + grid label), or -1. */
static int side_of(const hits *hs, int g) {
  const label *l = hit_of(hs, LK_SIDE, g);
  return l ? l->b : -1;
}

/* If row r is a side title row of grid g (its only non-blank cells name
 * one side), returns the side; else -1. */
static int title_row(const sheet_ix *ix, int g, uint32_t r) {
  if (r >= ix->sh->rows)
    return -1;
  int side = -1;
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
    const jx_cell *c = &ix->sh->cells[k];
    if (blank_cell(c))
      continue;
    int s = side_of(&ix->hits[k], g);
    if (s < 0 || (side >= 0 && s != side))
      return -1;
    side = s;
  }
  /* a title merged across the row from a cell further left is fine:
   * cells inside the merge are absent */
  return side;
}

/* True if the first non-blank cell of row r up to column `last` is a
 * field label (the grid has ended). */
static bool field_row(const sheet_ix *ix, uint32_t r, uint32_t last, int g) {
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
    const jx_cell *c = &ix->sh->cells[k];
    if (c->col > last)
      break;
    if (blank_cell(c))
      continue;
    const hits *hs = &ix->hits[k];
    return hit_of(hs, LK_FIELD, -1) && !hit_of(hs, LK_GRID_COL, g) &&
           !hit_of(hs, LK_SIDE, g);
  }
  return false;
}

/* Appends a row to list `l`. */
static irow *add_row(imp *im, ilist *l, size_t cols) {
  if (l->count == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    irow *bigger = jx_arena_alloc(im->arena, l->cap * sizeof *bigger);
    if (l->count)
      memcpy(bigger, l->items, l->count * sizeof *bigger);
    l->items = bigger;
  }
  irow *row = &l->items[l->count++];
  row->cells = jx_arena_alloc(im->arena, cols * sizeof *row->cells);
  memset(row->cells, 0, cols * sizeof *row->cells);
  row->place = NULL;
  return row;
}

/* The project a table grid row belongs to: the one whose name (code) is
 * `key`; NULL after an error at `at`. */
static iproj *project_by_key(imp *im, const char *key, bool code,
                             const char *at) {
  int f = code ? im->ct->index_dept_code : im->ct->index_name;
  iproj *found = NULL;
  size_t n = 0;
  for (size_t i = 0; i < im->project_count; i++) {
    iproj *p = im->projects[i];
    if (p->row == UINT32_MAX || f < 0 || !p->fields[f].text)
      continue; /* a form sheet's project, or no key */
    if (!strcmp(p->fields[f].text, key)) {
      if (!found)
        found = p;
      n++;
    }
  }
  jx_pos pos = {im->book->path, 0, 0};
  if (!found) {
    jx_error(im->diags, pos,
             "no project in the workbook has %s '%s': this row of "
             "indicators belongs to none; correct the name or add the project",
             field_name(im, f), key);
    jx_diag_set_cell(im->diags, at);
  } else if (n > 1) {
    jx_error(&found->diags, pos,
             "%zu projects have %s '%s': this row of indicators cannot tell "
             "which one it belongs to; add a column %s",
             n, field_name(im, f), key,
             im->ct->index_name >= 0 ? im->ct->fields[im->ct->index_name].label
                                     : "");
    jx_diag_set_cell(&found->diags, at);
    return NULL;
  }
  return found;
}

/* Reads the data rows under header `h` into project `p` (or, with a key
 * column, into the project each row names).  `side` is the side the rows
 * start in (-1: unknown).  Marks the cells read.  Returns the row after
 * the last one read. */
static uint32_t read_grid(imp *im, sheet_ix *ix, const gheader *h, iproj *p,
                          int side) {
  const jx_grid_def *gd = &im->ct->grids[h->grid];
  int g = h->grid;
  size_t ncols = gd->col_count;
  for (size_t k = ix->row_start[h->row]; k < ix->row_start[h->row + 1]; k++) {
    uint32_t c = ix->sh->cells[k].col;
    if (c >= h->first && c <= h->last)
      ix->used[k] = true;
  }
  /* what level1 / level2 and the key column were in the row above */
  const char *prev_l1 = NULL, *prev_l2 = NULL, *prev_l1_at = NULL,
             *prev_l2_at = NULL;
  const char *prev_key = NULL;
  iproj *target = p;
  uint32_t r = h->row + 1;
  for (; r < ix->sh->rows; r++) {
    gheader again;
    if (grid_header(im, ix, g, r, &again))
      break;
    int t = title_row(ix, g, r);
    if (t >= 0) {
      side = t;
      prev_l1 = prev_l2 = NULL;
      for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++)
        ix->used[k] = true;
      continue;
    }
    if (blank_row(ix, r)) {
      /* one blank row before a side title row does not end the grid */
      if (title_row(ix, g, r + 1) >= 0 && !blank_row(ix, r + 1))
        continue;
      break;
    }
    if (field_row(ix, r, h->last, g))
      break;
    /* the side of this row: its side column, else a side label on its
     * left (merged down, or written in the first row of the side) */
    int row_side = -1;
    if (h->side_col >= 0) {
      long si = shown_index(ix, r, (uint32_t)h->side_col);
      row_side = side_of(hits_of(ix, si), g);
      if (si >= 0)
        ix->used[si] = true;
    }
    for (uint32_t c = 0; row_side < 0 && c < h->first; c++) {
      long si = shown_index(ix, r, c);
      if (si >= 0 && !blank_cell(cell_of(ix, si)))
        row_side = side_of(hits_of(ix, si), g);
    }
    if (row_side >= 0 && row_side != side) {
      side = row_side;
      prev_l1 = prev_l2 = NULL;
    }
    /* the key column (table layout) */
    if (h->key_col >= 0) {
      long ki = shown_index(ix, r, (uint32_t)h->key_col);
      const char *key = ki >= 0 && !blank_cell(cell_of(ix, ki))
                            ? trimmed(im->arena, cell_of(ix, ki)->text)
                            : prev_key;
      if (ki >= 0)
        ix->used[ki] = true;
      if (!key)
        continue;
      if (!prev_key || strcmp(key, prev_key)) {
        target = project_by_key(im, key, h->key_is_code,
                                place(im, ix->sh, r, (uint32_t)h->key_col));
        prev_l1 = prev_l2 = NULL;
      }
      prev_key = key;
      if (!target)
        continue;
    }
    /* the cells */
    im->cur = &target->diags;
    val *cells = jx_arena_alloc(im->arena, ncols * sizeof *cells);
    memset(cells, 0, ncols * sizeof *cells);
    bool any = false, bad = false;
    for (size_t k = 0; k < ncols; k++) {
      if (h->col[k] < 0)
        continue;
      uint32_t c = (uint32_t)h->col[k];
      bool frame = (int)k == gd->level1 || (int)k == gd->level2;
      long ci = frame ? shown_index(ix, r, c) : cell_index(ix, r, c);
      const jx_cell *cell = cell_of(ix, ci);
      const char *at =
          place(im, ix->sh, ci >= 0 ? cell->row : r, ci >= 0 ? cell->col : c);
      const char *what = jx_arena_printf(im->arena, "'%s' (%s)",
                                         gd->cols[k].label, gd->cols[k].id);
      bool plain = false;
      const char *text =
          cell_value(im, cell, gd->cols[k].type, at, what, &plain, &bad);
      if (ci >= 0)
        ix->used[ci] = true;
      if (!frame && *text)
        any = true;
      cells[k] = (val){text, false, at, NULL};
    }
    /* level1 / level2 left empty: taken from above */
    if (gd->level1 >= 0 && h->col[gd->level1] >= 0) {
      val *l1 = &cells[gd->level1];
      bool inherited = false;
      if (!*l1->text && prev_l1) {
        *l1 = (val){prev_l1, false, prev_l1_at, NULL};
        inherited = true;
      }
      if (gd->level2 >= 0 && h->col[gd->level2] >= 0) {
        val *l2 = &cells[gd->level2];
        if (!*l2->text && prev_l2 &&
            (inherited || (prev_l1 && !strcmp(prev_l1, l1->text))))
          *l2 = (val){prev_l2, false, prev_l2_at, NULL};
      }
    }
    if (gd->level1 >= 0 && h->col[gd->level1] >= 0 && *cells[gd->level1].text) {
      prev_l1 = cells[gd->level1].text;
      prev_l1_at = cells[gd->level1].place;
    }
    if (gd->level2 >= 0 && h->col[gd->level2] >= 0 && *cells[gd->level2].text) {
      prev_l2 = cells[gd->level2].text;
      prev_l2_at = cells[gd->level2].place;
    }
    if (!any && !bad) {
      /* a frame row with no indicator in it (a printed form lists every
       * group): nothing to import */
      continue;
    }
    if (side < 0 && gd->side_count == 1)
      side = 0;
    if (gd->side_count > 1 && side < 0) {
      jx_pos pos = {im->book->path, 0, 0};
      jx_error(&target->diags, pos,
               "this row of %s does not say whether it is %s or %s: add a "
               "column '%s/%s' (or a row holding only '%s' above the rows "
               "of each)",
               gd->label, gd->side_labels[0], gd->side_labels[1],
               gd->side_labels[0], gd->side_labels[1], gd->side_labels[0]);
      jx_diag_set_cell(&target->diags, place(im, ix->sh, r, h->first));
      side = 0; /* said once */
    }
    irow *row = add_row(im, &target->lists[g][side < 0 ? 0 : side], ncols);
    memcpy(row->cells, cells, ncols * sizeof *cells);
    row->place = place(im, ix->sh, r, h->first);
    /* a grid column not in the sheet stays absent */
    for (size_t k = 0; k < ncols; k++)
      if (h->col[k] < 0)
        row->cells[k].text = NULL;
  }
  return r;
}

/* The side named in the (at most two) rows above header row r, or -1. */
static int side_above(const sheet_ix *ix, int g, uint32_t r) {
  for (uint32_t up = 1; up <= 2 && up <= r; up++) {
    if (blank_row(ix, r - up))
      continue;
    return title_row(ix, g, r - up);
  }
  return -1;
}

/* Reads every grid of `ix` without a key column into `p` (a form sheet,
 * or a grid sheet of the one form sheet). */
static void form_grids(imp *im, sheet_ix *ix, iproj *p) {
  for (size_t g = 0; g < im->ct->grid_count; g++) {
    for (uint32_t r = 0; r < ix->sh->rows;) {
      gheader h;
      if (grid_header(im, ix, (int)g, r, &h) && h.key_col < 0) {
        r = read_grid(im, ix, &h, p, side_above(ix, (int)g, r));
        if (r == h.row + 1)
          r++;
        continue;
      }
      r++;
    }
  }
}

/* Reads the grids with a key column of `ix` (layout 2). */
static void table_grids(imp *im, sheet_ix *ix) {
  for (size_t g = 0; g < im->ct->grid_count; g++) {
    for (uint32_t r = 0; r < ix->sh->rows;) {
      gheader h;
      if (grid_header(im, ix, (int)g, r, &h) && h.key_col >= 0) {
        uint32_t next = read_grid(im, ix, &h, NULL, side_above(ix, (int)g, r));
        r = next > r ? next : r + 1;
        continue;
      }
      r++;
    }
  }
}

/* ---- money cross tables ---- */

static void cross_tables(imp *im, sheet_ix *ix, iproj *p) {
  const jx_content *ct = im->ct;
  for (size_t b = 0; b < ct->money_count; b++) {
    const jx_money_block *mb = &ct->money[b];
    if (mb->column_count < 2)
      continue;
    for (uint32_t r = 0; r < ix->sh->rows; r++) {
      long *hcol = jx_arena_alloc(im->arena, mb->column_count * sizeof *hcol);
      size_t n = 0;
      uint32_t leftmost = UINT32_MAX;
      for (size_t c = 0; c < mb->column_count; c++)
        hcol[c] = -1;
      for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
        const label *l =
            ix->used[k] ? NULL : hit_of(&ix->hits[k], LK_MONEY_COL, (int)b);
        if (l && hcol[l->b] < 0) {
          hcol[l->b] = ix->sh->cells[k].col;
          leftmost =
              ix->sh->cells[k].col < leftmost ? ix->sh->cells[k].col : leftmost;
          n++;
        }
      }
      if (n < 2)
        continue;
      /* the column of row labels below, left of the header cells */
      long label_col = -1;
      for (uint32_t rr = r + 1;
           rr < ix->sh->rows && rr <= r + 2 && label_col < 0; rr++)
        for (size_t k = ix->row_start[rr]; k < ix->row_start[rr + 1]; k++)
          if (ix->sh->cells[k].col < leftmost &&
              hit_of(&ix->hits[k], LK_MONEY_ROW, (int)b)) {
            label_col = ix->sh->cells[k].col;
            break;
          }
      if (label_col < 0)
        continue;
      for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++)
        if (hit_of(&ix->hits[k], LK_MONEY_COL, (int)b))
          ix->used[k] = true;
      uint32_t rr = r + 1;
      for (; rr < ix->sh->rows; rr++) {
        long li = cell_index(ix, rr, (uint32_t)label_col);
        const label *l =
            li >= 0 ? hit_of(&ix->hits[li], LK_MONEY_ROW, (int)b) : NULL;
        if (!l) {
          if (li < 0 || blank_cell(cell_of(ix, li)))
            continue; /* a gap */
          break;
        }
        ix->used[li] = true;
        for (size_t c = 0; c < mb->column_count; c++)
          if (hcol[c] >= 0) {
            int f = (int)(mb->first_field + c * mb->row_count + (size_t)l->b);
            set_field(im, p, ix, f, rr, (uint32_t)label_col, rr,
                      (uint32_t)hcol[c], true);
          }
      }
    }
  }
}

/* ---- fields of a form sheet ---- */

/* True if any label of the template is in cell `i`. */
static bool is_label(const sheet_ix *ix, long i) {
  return i >= 0 && ix->hits[i].n > 0;
}

/* The column right of the label cell at (r, c) (past its merged range). */
static uint32_t right_of(const sheet_ix *ix, uint32_t r, uint32_t c) {
  const jx_merge *m = jx_sheet_merge(ix->sh, r, c);
  return (m ? m->col1 : c) + 1;
}

/* The money column of a row label at (r, c) of block b: the column of the
 * nearest money field label of b above it in the same sheet column; the
 * only column of a one-column block; else -1. */
static int money_column_above(imp *im, const sheet_ix *ix, int b, uint32_t r,
                              uint32_t c) {
  const jx_money_block *mb = &im->ct->money[b];
  for (uint32_t up = r; up-- > 0;) {
    long i = cell_index(ix, up, c);
    if (i < 0)
      continue;
    const hits *hs = &ix->hits[i];
    for (int k = 0; k < hs->n; k++) {
      const label *l = hs->h[k];
      if (l->kind != LK_FIELD || im->ct->fields[l->a].money_block != b)
        continue;
      return (int)(((size_t)l->a - mb->first_field) / mb->row_count);
    }
  }
  return mb->column_count == 1 ? 0 : -1;
}

/* The two fields of group `g` when it has just two, one a code and the
 * other text (a department's code and name): sets *code and *name to
 * their indexes and returns true. */
static bool code_and_name(const imp *im, int g, int *code, int *name) {
  const char *gid = im->ct->groups[g].id;
  size_t len = strlen(gid);
  int n = 0;
  *code = *name = -1;
  for (size_t f = 0; f < im->ct->field_count; f++) {
    const jx_field *fd = &im->ct->fields[f];
    if (strncmp(fd->id, gid, len) || fd->id[len] != '.' ||
        strchr(fd->id + len + 1, '.'))
      continue;
    n++;
    if (fd->type == JX_FT_CODE)
      *code = (int)f;
    else if (fd->type == JX_FT_TEXT)
      *name = (int)f;
  }
  return n == 2 && *code >= 0 && *name >= 0;
}

/* A group's label with its value beside it, as the printed form has it:
 * LABEL | 045-NAME.  When the group is a code and a
 * name (code_and_name), the value is split at the first dash (or space)
 * after the code's digits and letters into the two fields.  Returns false
 * when the group is not such a pair or its value cell is empty (the cell
 * is then left to other passes). */
static bool group_value(imp *im, iproj *p, sheet_ix *ix, int g, uint32_t r,
                        uint32_t lc, uint32_t vc) {
  int code, name;
  long vi = shown_index(ix, r, vc);
  if (!code_and_name(im, g, &code, &name) || vi < 0 ||
      blank_cell(cell_of(ix, vi)))
    return false;
  const char *at = place(im, ix->sh, r, vc);
  const char *label_at = place(im, ix->sh, r, lc);
  bool plain = false, bad = false;
  im->cur = &p->diags;
  const char *text = cell_value(im, cell_of(ix, vi), JX_FT_TEXT, at,
                                field_name(im, code), &plain, &bad);
  ix->used[vi] = true;
  size_t n = strspn(text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                          "nopqrstuvwxyz");
  size_t gap = n ? strspn(text + n, " -_") : 0;
  if (!gap && n && !strncmp(text + n, "－", strlen("－")))
    gap = strlen("－"); /* a full-width dash */
  if (!n || !gap || !text[n + gap]) {
    jx_pos pos = {im->book->path, 0, 0};
    /* the example of each field, without the quotes YAML needs */
    const char *ex[2];
    for (int i = 0; i < 2; i++) {
      const char *e = im->ct->fields[i ? name : code].example;
      e = e ? e : "…";
      size_t len = strlen(e);
      ex[i] = len >= 2 && e[0] == '"' && e[len - 1] == '"'
                  ? jx_arena_strndup(im->arena, e + 1, len - 2)
                  : e;
    }
    jx_warning(&p->diags, pos,
               "'%s' holds '%s', which is not a code and a name joined by "
               "'-' (e.g. %s-%s): %s and %s are left empty",
               im->ct->groups[g].label, text, ex[0], ex[1],
               field_name(im, code), field_name(im, name));
    jx_diag_set_cell(&p->diags, at);
    return true;
  }
  set_field_text(im, p, code, jx_arena_strndup(im->arena, text, n), false, at,
                 label_at);
  set_field_text(im, p, name, trimmed(im->arena, text + n + gap), false, at,
                 label_at);
  return true;
}

static void form_fields(imp *im, sheet_ix *ix, iproj *p) {
  const jx_sheet *sh = ix->sh;
  for (size_t k = 0; k < sh->cell_count; k++) {
    if (ix->used[k] || !ix->hits[k].n)
      continue;
    const jx_cell *c = &sh->cells[k];
    const hits *hs = &ix->hits[k];
    uint32_t vc = right_of(ix, c->row, c->col);
    long vi = shown_index(ix, c->row, vc);
    bool label_right = is_label(ix, vi) && !ix->used[vi];
    const label *fl = hit_of(hs, LK_FIELD, -1);
    if (fl) {
      bool ambiguous = hit_of(hs, LK_MONEY_COL, -1) || hit_of(hs, LK_SIDE, -1);
      if (ambiguous && (label_right || vi < 0 || blank_cell(cell_of(ix, vi))))
        continue;
      ix->used[k] = true;
      /* no value when the next cell is another label */
      set_field(im, p, ix, fl->a, c->row, c->col, c->row, vc, !label_right);
      continue;
    }
    const label *gl = hit_of(hs, LK_GROUP, -1);
    if (gl && !label_right &&
        group_value(im, p, ix, gl->a, c->row, c->col, vc)) {
      ix->used[k] = true;
      continue;
    }
    const label *ml = hit_of(hs, LK_MONEY_ROW, -1);
    if (ml) {
      int col = money_column_above(im, ix, ml->a, c->row, c->col);
      if (col < 0)
        continue;
      const jx_money_block *mb = &im->ct->money[ml->a];
      int f =
          (int)(mb->first_field + (size_t)col * mb->row_count + (size_t)ml->b);
      ix->used[k] = true;
      set_field(im, p, ix, f, c->row, c->col, c->row, vc, !label_right);
    }
  }
}

/* Fields a form sheet's title lines give: a text cell no pass has taken
 * that reads as one of the form's title lines holding one {field}
 * ("（{year}年度）" → "（2025年度）"), the field not given by a label of its
 * own, gets the text in the placeholder's place (compared normalised:
 * full/half width, spaces). */
static void title_fields(imp *im, sheet_ix *ix, iproj *p) {
  for (size_t t = 0; t < im->title_count; t++) {
    const char *pat = im->titles[t];
    const char *open = pat ? strchr(pat, '{') : NULL;
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close || strstr(pat, "{{") || strchr(close + 1, '{'))
      continue;
    int f =
        jx_content_field(im->ct, jx_arena_strndup(im->arena, open + 1,
                                                  (size_t)(close - open - 1)));
    if (f < 0 || p->fields[f].text)
      continue;
    const char *pre = norm_chars(
        im->arena, jx_arena_strndup(im->arena, pat, (size_t)(open - pat)));
    const char *post = norm_chars(im->arena, close + 1);
    size_t np = strlen(pre), nq = strlen(post);
    if (!np && !nq)
      continue; /* a bare {field} would take any cell */
    for (size_t k = 0; k < ix->sh->cell_count; k++) {
      const jx_cell *c = &ix->sh->cells[k];
      if (ix->used[k] || c->kind != JX_CELL_TEXT)
        continue;
      const char *s = norm_chars(im->arena, c->text);
      size_t n = strlen(s);
      if (n <= np + nq || strncmp(s, pre, np) || strcmp(s + n - nq, post))
        continue;
      ix->used[k] = true;
      const char *at = place(im, ix->sh, c->row, c->col);
      im->cur = &p->diags;
      set_field_text(im, p, f, jx_arena_strndup(im->arena, s + np, n - np - nq),
                     false, at, at);
      break;
    }
  }
}

/* The distinct fields whose labels a sheet holds in cells no pass has
 * taken, for telling a form sheet: a label that is also a money column or
 * a side label (年度) does not count, it is in every grid. */
static size_t field_labels(imp *im, const sheet_ix *ix) {
  bool *seen = jx_arena_alloc(im->arena, im->ct->field_count + 1);
  memset(seen, 0, im->ct->field_count + 1);
  size_t n = 0;
  for (size_t k = 0; k < ix->sh->cell_count; k++) {
    const hits *hs = &ix->hits[k];
    const label *l = hit_of(hs, LK_FIELD, -1);
    if (!l || ix->used[k] || hit_of(hs, LK_SIDE, -1) ||
        hit_of(hs, LK_MONEY_COL, -1) || seen[l->a])
      continue;
    seen[l->a] = true;
    n++;
  }
  return n;
}

/* The first non-blank row, or rows when none. */
static uint32_t first_row(const sheet_ix *ix) {
  for (uint32_t r = 0; r < ix->sh->rows; r++)
    if (!blank_row(ix, r))
      return r;
  return ix->sh->rows;
}

/* If `ix` is a table sheet (layout 2), returns true with *header its
 * header row: its first row holds at least three field labels, and the
 * next row holds values under them (a form sheet whose first row has
 * labels and values, LABEL | value | LABEL | value, has more labels
 * there). */
static bool table_sheet(const sheet_ix *ix, uint32_t *header) {
  uint32_t r = first_row(ix);
  if (r >= ix->sh->rows)
    return false;
  size_t labels = 0, others = 0;
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
    if (blank_cell(&ix->sh->cells[k]))
      continue;
    if (hit_of(&ix->hits[k], LK_FIELD, -1))
      labels++;
    else
      others++;
  }
  *header = r;
  if (labels < 3)
    return false;
  uint32_t next = r + 1;
  while (next < ix->sh->rows && blank_row(ix, next))
    next++;
  if (next >= ix->sh->rows)
    return others < labels; /* a header with no project under it */
  size_t under_labels = 0, under_values = 0;
  for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++) {
    if (!hit_of(&ix->hits[k], LK_FIELD, -1))
      continue;
    long i = cell_index(ix, next, ix->sh->cells[k].col);
    if (i < 0 || blank_cell(cell_of(ix, i)))
      continue;
    if (ix->hits[i].n)
      under_labels++;
    else
      under_values++;
  }
  return under_values > under_labels;
}

/* Reads the projects of table sheet `ix`, one a row under header row h,
 * until a blank row or a grid header. */
static void table_projects(imp *im, sheet_ix *ix, uint32_t h) {
  const jx_sheet *sh = ix->sh;
  size_t ncells = ix->row_start[h + 1] - ix->row_start[h];
  int *field = jx_arena_alloc(im->arena, (ncells + 1) * sizeof *field);
  for (size_t k = 0; k < ncells; k++) {
    size_t i = ix->row_start[h] + k;
    const label *l = hit_of(&ix->hits[i], LK_FIELD, -1);
    field[k] = l ? l->a : -1;
    ix->used[i] = true;
  }
  for (uint32_t r = h + 1; r < sh->rows; r++) {
    if (blank_row(ix, r))
      break;
    bool header = false;
    for (size_t g = 0; g < im->ct->grid_count && !header; g++) {
      gheader gh;
      header = grid_header(im, ix, (int)g, r, &gh);
    }
    if (header)
      break;
    bool any = false;
    for (size_t k = 0; k < ncells && !any; k++) {
      if (field[k] < 0)
        continue;
      long i = cell_index(ix, r, sh->cells[ix->row_start[h] + k].col);
      any = i >= 0 && !blank_cell(cell_of(ix, i));
    }
    if (!any)
      continue; /* nothing of the form in this row */
    iproj *p = new_project(im, sh, r, false);
    for (size_t k = 0; k < ncells; k++) {
      if (field[k] < 0)
        continue;
      uint32_t c = sh->cells[ix->row_start[h] + k].col;
      set_field(im, p, ix, field[k], h, c, r, c, true);
    }
    for (size_t k = ix->row_start[r]; k < ix->row_start[r + 1]; k++)
      ix->used[k] = true;
  }
}

/* True if sheet `sh` is named like grid g's sheet (its label, or 指标). */
static bool grid_sheet_name(imp *im, const jx_sheet *sh) {
  const char *n = norm_chars(im->arena, sh->name ? sh->name : "");
  if (!strcmp(n, "指标"))
    return true;
  for (size_t g = 0; g < im->ct->grid_count; g++)
    if (!strcmp(n, norm_chars(im->arena, im->ct->grids[g].label)))
      return true;
  return false;
}

/* ---- writing the YAML ---- */

typedef struct emitter {
  char *buf;
  size_t len, cap;
  const char **places;
  size_t lines, places_cap;
  const char *anchor;
} emitter;

static void emit_raw(emitter *e, const char *s, size_t n) {
  if (e->len + n + 1 > e->cap) {
    while (e->len + n + 1 > e->cap)
      e->cap = e->cap ? 2 * e->cap : 4096;
    e->buf = jx_xrealloc(e->buf, e->cap);
  }
  memcpy(e->buf + e->len, s, n);
  e->len += n;
  e->buf[e->len] = '\0';
}

static void emit_str(emitter *e, const char *s) { emit_raw(e, s, strlen(s)); }

/* Ends a line that came from `at` (NULL: the project's anchor). */
static void emit_end(emitter *e, const char *at) {
  emit_raw(e, "\n", 1);
  if (e->lines == e->places_cap) {
    e->places_cap = e->places_cap ? 2 * e->places_cap : 64;
    e->places = jx_xrealloc(e->places, e->places_cap * sizeof *e->places);
  }
  e->places[e->lines++] = at ? at : e->anchor;
}

/* `s` as a double-quoted YAML scalar: \\ \" and control characters
 * escaped, the line breaks YAML knows (NEL, LS, PS) and the BOM too. */
static void emit_quoted(emitter *e, const char *s) {
  emit_raw(e, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[16];
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      emit_raw(e, esc, 2);
    } else if (*p == '\n') {
      emit_str(e, "\\n");
    } else if (*p == '\t') {
      emit_str(e, "\\t");
    } else if (*p == '\r') {
      emit_str(e, "\\r");
    } else if (*p < 0x20 || *p == 0x7F) {
      snprintf(esc, sizeof esc, "\\x%02X", *p);
      emit_str(e, esc);
    } else if (p[0] == 0xC2 && p[1] == 0x85) {
      emit_str(e, "\\N");
      p++;
    } else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
      emit_str(e, p[2] == 0xA8 ? "\\L" : "\\P");
      p += 2;
    } else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
      emit_str(e, "\\uFEFF");
      p += 2;
    } else {
      emit_raw(e, (const char *)p, 1);
    }
  }
  emit_raw(e, "\"", 1);
}

static void emit_indent(emitter *e, int indent) {
  for (int i = 0; i < indent; i++)
    emit_raw(e, " ", 1);
}

/* "key: value" (value NULL or "": no value). */
static void emit_value(emitter *e, const val *v) {
  if (!v->text || !*v->text)
    return;
  emit_raw(e, " ", 1);
  if (v->plain)
    emit_str(e, v->text);
  else
    emit_quoted(e, v->text);
}

/* A node of the tree of keys: fields and grids by their dotted ids. */
typedef struct knode {
  const char *key;
  int field, grid; /* -1 when none */
  struct knode **kids;
  size_t kid_count, kid_cap;
} knode;

static knode *knode_child(jx_arena *arena, knode *n, const char *key,
                          size_t len) {
  for (size_t i = 0; i < n->kid_count; i++)
    if (strlen(n->kids[i]->key) == len && !strncmp(n->kids[i]->key, key, len))
      return n->kids[i];
  knode *k = jx_arena_alloc(arena, sizeof *k);
  memset(k, 0, sizeof *k);
  k->key = jx_arena_strndup(arena, key, len);
  k->field = k->grid = -1;
  n->kids = jx_arena_grow(arena, n->kids, sizeof *n->kids, &n->kid_cap,
                          n->kid_count + 1);
  n->kids[n->kid_count++] = k;
  return k;
}

static knode *knode_add(jx_arena *arena, knode *root, const char *id) {
  knode *n = root;
  for (const char *p = id;;) {
    const char *dot = strchr(p, '.');
    size_t len = dot ? (size_t)(dot - p) : strlen(p);
    n = knode_child(arena, n, p, len);
    if (!dot)
      return n;
    p = dot + 1;
  }
}

static bool grid_has_rows(const imp *im, const iproj *p, int g) {
  for (size_t s = 0; s < jx_grid_lists(&im->ct->grids[g]); s++)
    if (p->lists[g][s].count)
      return true;
  return false;
}

static bool knode_has(const imp *im, const iproj *p, const knode *n) {
  if (n->field >= 0 && p->fields[n->field].text)
    return true;
  if (n->grid >= 0 && grid_has_rows(im, p, n->grid))
    return true;
  for (size_t i = 0; i < n->kid_count; i++)
    if (knode_has(im, p, n->kids[i]))
      return true;
  return false;
}

static void emit_rows(emitter *e, const ilist *l, const jx_grid_def *gd,
                      int indent) {
  for (size_t i = 0; i < l->count; i++) {
    const irow *row = &l->items[i];
    bool first = true;
    for (size_t k = 0; k < gd->col_count; k++) {
      const val *v = &row->cells[k];
      if (!v->text)
        continue;
      emit_indent(e, indent);
      emit_str(e, first ? "- " : "  ");
      emit_str(e, gd->cols[k].id);
      emit_raw(e, ":", 1);
      emit_value(e, v);
      emit_end(e, v->place ? v->place : row->place);
      first = false;
    }
    if (first) {
      emit_indent(e, indent);
      emit_str(e, "- {}");
      emit_end(e, row->place);
    }
  }
}

static void emit_node(emitter *e, const imp *im, const iproj *p, const knode *n,
                      int indent) {
  if (!knode_has(im, p, n))
    return;
  emit_indent(e, indent);
  emit_str(e, n->key);
  emit_raw(e, ":", 1);
  if (n->field >= 0) {
    const val *v = &p->fields[n->field];
    emit_value(e, v);
    emit_end(e, v->place);
    return;
  }
  emit_end(e, NULL);
  if (n->grid >= 0) {
    const jx_grid_def *gd = &im->ct->grids[n->grid];
    if (!gd->side_count) {
      emit_rows(e, &p->lists[n->grid][0], gd, indent + 2);
      return;
    }
    for (size_t s = 0; s < gd->side_count; s++) {
      const ilist *l = &p->lists[n->grid][s];
      if (!l->count)
        continue;
      emit_indent(e, indent + 2);
      emit_str(e, gd->side_ids[s]);
      emit_raw(e, ":", 1);
      emit_end(e, l->items[0].place);
      emit_rows(e, l, gd, indent + 4);
    }
    return;
  }
  for (size_t i = 0; i < n->kid_count; i++)
    emit_node(e, im, p, n->kids[i], indent + 2);
}

/* Writes project `p` as YAML into `out`. */
static void write_project(imp *im, const knode *root, const iproj *p,
                          const char *template_name, jx_import_project *out) {
  emitter e = {0};
  e.anchor = p->anchor;
  emit_str(&e, "schema: 1");
  emit_end(&e, NULL);
  emit_str(&e, "template: ");
  emit_quoted(&e, template_name);
  emit_end(&e, NULL);
  for (size_t i = 0; i < root->kid_count; i++)
    emit_node(&e, im, p, root->kids[i], 0);
  out->yaml = jx_arena_strndup(im->arena, e.buf, e.len);
  out->size = e.len;
  out->line_count = e.lines;
  out->places = jx_arena_alloc(im->arena, (e.lines + 1) * sizeof(char *));
  if (e.lines)
    memcpy(out->places, e.places, e.lines * sizeof(char *));
  free(e.buf);
  free(e.places);
  out->sheet = p->sheet->name ? p->sheet->name : "";
  out->anchor = p->anchor;
  const jx_content *ct = im->ct;
  out->name = ct->index_name >= 0 && p->fields[ct->index_name].text
                  ? p->fields[ct->index_name].text
                  : "";
  out->dept_code =
      ct->index_dept_code >= 0 && p->fields[ct->index_dept_code].text
          ? p->fields[ct->index_dept_code].text
          : "";
  out->diags = p->diags;
  out->errors = p->diags.errors;
}

/* ---- the book ---- */

const char *jx_import_template_name(jx_arena *arena, const jx_book *book,
                                    const char **where) {
  for (size_t s = 0; s < book->sheet_count; s++) {
    const jx_sheet *sh = &book->sheets[s];
    for (size_t k = 0; k < sh->cell_count; k++) {
      const jx_cell *c = &sh->cells[k];
      if (c->kind != JX_CELL_TEXT ||
          strcmp(trimmed(arena, c->text), "template"))
        continue;
      const jx_merge *m = jx_sheet_merge(sh, c->row, c->col);
      const jx_cell *v = jx_sheet_cell(sh, c->row, (m ? m->col1 : c->col) + 1);
      if (!v || v->kind != JX_CELL_TEXT || blank_cell(v))
        continue;
      if (where)
        *where = jx_cell_place(arena, sh, c->row, c->col);
      return trimmed(arena, v->text);
    }
  }
  return NULL;
}

/* Says that the book holds no project: for each sheet with something in
 * it, the labels that were looked for. */
static void no_project(imp *im, sheet_ix **ix) {
  const jx_content *ct = im->ct;
  const char *expected = "";
  size_t shown = 0;
  for (size_t f = 0; f < ct->field_count && shown < 4; f++) {
    if (!ct->fields[f].required && shown >= 2)
      continue;
    expected = jx_arena_printf(im->arena, "%s%s%s", expected, shown ? ", " : "",
                               ct->fields[f].label);
    shown++;
  }
  jx_pos pos = {im->book->path, 0, 0};
  bool said = false;
  for (size_t s = 0; s < im->book->sheet_count; s++) {
    const jx_sheet *sh = &im->book->sheets[s];
    if (first_row(ix[s]) >= sh->rows || sh == im->tpl_sheet)
      continue;
    uint32_t header;
    if (table_sheet(ix[s], &header)) {
      jx_error(im->diags, pos,
               "sheet '%s' has a row of the form's labels but no project "
               "under it: fill in one project a row below the labels",
               sh->name ? sh->name : "");
      jx_diag_set_cell(im->diags, place(im, sh, header + 1, 0));
      said = true;
      continue;
    }
    jx_error(im->diags, pos,
             "sheet '%s' holds no field of the form: expected labels like %s, "
             "each with its value in the cell right of it, or a first row of "
             "such labels with one project a row below it",
             sh->name ? sh->name : "", expected);
    jx_diag_set_cell(im->diags, place(im, sh, 0, 0));
    said = true;
  }
  if (!said)
    jx_error(im->diags, pos,
             "the workbook is empty: there is no project in it (expected "
             "labels like %s)",
             expected);
}

bool jx_import_book(jx_arena *arena, jx_diag_list *diags, const jx_book *book,
                    const jx_content *content, const char *const *titles,
                    size_t title_count, const char *template_name,
                    jx_import *out) {
  memset(out, 0, sizeof *out);
  out->book = book;
  out->template_name = template_name;
  imp im = {.arena = arena,
            .diags = diags,
            .book = book,
            .ct = content,
            .titles = titles,
            .title_count = title_count};
  build_labels(&im);
  /* the `template` cell and its value are not labels of the form */
  for (size_t s = 0; s < book->sheet_count && !im.tpl_sheet; s++) {
    const jx_sheet *sh = &book->sheets[s];
    for (size_t k = 0; k < sh->cell_count; k++)
      if (sh->cells[k].kind == JX_CELL_TEXT &&
          !strcmp(trimmed(arena, sh->cells[k].text), "template")) {
        im.tpl_sheet = sh;
        im.tpl_row = sh->cells[k].row;
        im.tpl_col = sh->cells[k].col;
        break;
      }
  }
  size_t n = book->sheet_count;
  sheet_ix **ix = jx_arena_alloc(arena, (n + 1) * sizeof *ix);
  for (size_t s = 0; s < n; s++)
    ix[s] = index_sheet(&im, &book->sheets[s]);
  /* which sheet is what */
  enum {
    S_NONE,
    S_TABLE,
    S_FORM,
    S_GRID
  } *kind = jx_arena_alloc(arena, (n + 1) * sizeof *kind);
  uint32_t *header = jx_arena_alloc(arena, (n + 1) * sizeof *header);
  size_t forms = 0, tables = 0;
  for (size_t s = 0; s < n; s++) {
    kind[s] = S_NONE;
    if (table_sheet(ix[s], &header[s])) {
      kind[s] = S_TABLE;
      tables++;
    }
  }
  /* table projects first (their grids may be in any sheet) */
  for (size_t s = 0; s < n; s++)
    if (kind[s] == S_TABLE)
      table_projects(&im, ix[s], header[s]);
  if (tables)
    for (size_t s = 0; s < n; s++)
      table_grids(&im, ix[s]);
  /* then the form sheets, in what the tables left */
  for (size_t s = 0; s < n; s++) {
    if (kind[s] == S_TABLE)
      continue;
    if (field_labels(&im, ix[s]) >= 3) {
      kind[s] = S_FORM;
      forms++;
    } else if (grid_sheet_name(&im, &book->sheets[s])) {
      kind[s] = S_GRID;
    }
  }
  /* form sheets: one project each */
  iproj *only_form = NULL;
  for (size_t s = 0; s < n; s++) {
    if (kind[s] != S_FORM)
      continue;
    iproj *p = new_project(&im, &book->sheets[s], 0, true);
    p->row = UINT32_MAX;
    form_grids(&im, ix[s], p);
    cross_tables(&im, ix[s], p);
    form_fields(&im, ix[s], p);
    title_fields(&im, ix[s], p);
    only_form = forms == 1 ? p : NULL;
  }
  for (size_t s = 0; s < n; s++) {
    if (kind[s] != S_GRID)
      continue;
    if (only_form) {
      form_grids(&im, ix[s], only_form);
    } else if (forms > 1) {
      jx_pos pos = {book->path, 0, 0};
      jx_warning(diags, pos,
                 "sheet '%s' is left out: the workbook has %zu forms, so it "
                 "cannot tell which one these indicators belong to; put them "
                 "in the sheet of their form",
                 book->sheets[s].name ? book->sheets[s].name : "", forms);
      jx_diag_set_cell(diags, place(&im, &book->sheets[s], 0, 0));
    }
  }
  if (!im.project_count) {
    no_project(&im, ix);
    return false;
  }
  /* the YAML */
  knode root = {"", -1, -1, NULL, 0, 0};
  for (size_t f = 0; f < content->field_count; f++)
    knode_add(arena, &root, content->fields[f].id)->field = (int)f;
  for (size_t g = 0; g < content->grid_count; g++)
    knode_add(arena, &root, content->grids[g].id)->grid = (int)g;
  out->projects =
      jx_arena_alloc(arena, im.project_count * sizeof *out->projects);
  memset(out->projects, 0, im.project_count * sizeof *out->projects);
  out->count = im.project_count;
  for (size_t i = 0; i < im.project_count; i++)
    write_project(&im, &root, im.projects[i], template_name, &out->projects[i]);
  return true;
}

void jx_import_free(jx_import *all) {
  for (size_t i = 0; i < all->count; i++)
    jx_diag_list_free(&all->projects[i].diags);
  all->count = 0;
}

/* ---- diagnostics and positions back to the workbook ---- */

static const char *line_place(const jx_import_project *p, unsigned line) {
  return line >= 1 && line <= p->line_count ? p->places[line - 1] : p->anchor;
}

void jx_import_move_diags(jx_diag_list *diags, size_t first,
                          const char *yaml_name, const char *book_path,
                          const jx_import_project *p) {
  for (size_t i = first; i < diags->count; i++) {
    jx_diagnostic *d = &diags->items[i];
    if (!d->file || d->cell || strcmp(d->file, yaml_name))
      continue;
    const char *at = line_place(p, d->line);
    free((char *)d->file);
    d->file = jx_xstrdup(book_path);
    d->cell = jx_xstrdup(at);
    d->line = d->column = 0;
  }
}

static void relocate(jx_arena *arena, jx_pos *pos, const char *yaml_name,
                     const char *book_path, const jx_import_project *p) {
  if (!pos->file || strcmp(pos->file, yaml_name))
    return;
  /* the book and the cell, apart (diag.h JX_POS_CELL) */
  pos->file = jx_arena_printf(arena, "%s" JX_POS_CELL "%s", book_path,
                              line_place(p, pos->line));
  pos->line = pos->col = 0;
}

void jx_import_relocate(jx_arena *arena, jx_model *m, const char *yaml_name,
                        const char *book_path, const jx_import_project *p) {
  const jx_content *ct = m->content;
  relocate(arena, &m->schema.pos, yaml_name, book_path, p);
  relocate(arena, &m->template_name.pos, yaml_name, book_path, p);
  for (size_t f = 0; f < ct->field_count; f++)
    relocate(arena, &m->fields[f].pos, yaml_name, book_path, p);
  for (size_t g = 0; g < ct->grid_count; g++) {
    const jx_grid_def *gd = &ct->grids[g];
    for (size_t s = 0; s < jx_grid_lists(gd); s++) {
      jx_rows *rows = &m->lists[g][s];
      relocate(arena, &rows->pos, yaml_name, book_path, p);
      for (size_t k = 0; k < rows->count; k++) {
        relocate(arena, &rows->items[k].pos, yaml_name, book_path, p);
        for (size_t c = 0; c < gd->col_count; c++)
          relocate(arena, &rows->items[k].cells[c].pos, yaml_name, book_path,
                   p);
      }
    }
  }
}

/* ---- paths and names ---- */

void jx_import_split(jx_arena *arena, const char *input, const char **path,
                     size_t *index) {
  *path = input;
  *index = 0;
  const char *hash = strrchr(input, '#');
  if (!hash || hash == input || !hash[1] || hash[1] == '0')
    return;
  size_t n = 0;
  for (const char *p = hash + 1; *p; p++) {
    if (*p < '0' || *p > '9' || n > 100000000)
      return;
    n = n * 10 + (size_t)(*p - '0');
  }
  char *base = jx_arena_strndup(arena, input, (size_t)(hash - input));
  struct stat st;
  if (!jx_book_path(base) && stat(base, &st) != 0)
    return;
  if (stat(input, &st) == 0 && stat(base, &st) != 0)
    return; /* a file really named so */
  *path = base;
  *index = n;
}

bool jx_import_is_book_head(const unsigned char *head, size_t n) {
  return n >= 8 && (!memcmp(head, "PK\x03\x04", 4) ||
                    !memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
}

bool jx_import_is_book(const char *path) {
  if (jx_book_path(path))
    return true;
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0)
    return false;
  struct stat st;
  unsigned char head[8] = {0};
  bool book = false;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      read(fd, head, sizeof head) == (ssize_t)sizeof head)
    book = jx_import_is_book_head(head, sizeof head);
  close(fd);
  return book;
}

const char *jx_import_file_name(jx_arena *arena, const jx_import_project *p,
                                size_t index) {
  char name[256];
  size_t len = 0;
  name[0] = '\0';
  jx_filename_append(name, &len, 200, p->dept_code);
  if (*p->dept_code && *p->name)
    jx_filename_append(name, &len, 200, "-");
  jx_filename_append(name, &len, 200, p->name);
  jx_utf8_cut(name, 200);
  len = strlen(name);
  while (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' '))
    name[--len] = '\0';
  if (!len)
    snprintf(name, sizeof name, "project-%zu", index + 1);
  return jx_arena_printf(arena, "%s.yaml", name);
}
