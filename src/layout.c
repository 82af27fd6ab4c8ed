/*
 * layout.c — template + model → display list (pages of rules and runs).
 *
 * The table is a list of rows across all bands.  Each band has its own
 * columns; a cell covers columns [col, col+colspan) of its band and rows
 * [row, row+rowspan) of the table.  Steps:
 *   1. build cells: fixed rows from the template, indicator rows from the
 *      model grouped by the template's frame; empty cells fill every
 *      position no cell covers, so every border is drawn;
 *   2. break each cell's text into lines (text.c) and size the rows:
 *      a row is as tall as its tallest one-row cell, and the last row of a
 *      span grows when the spanning cell needs more;
 *   3. paginate between rows; a row taller than a whole page is split
 *      between lines; a spanning cell cut by a page break is drawn in
 *      each part with its text repeated (the original repeats its
 *      grid label, first- and second-level groups that way);
 *   4. draw: each cell part strokes its bottom and right edges (plus top
 *      at a page's table top and left at the table's left edge; none in a
 *      band without borders but a cell's rule_above); collinear rules are
 *      merged; text is aligned inside the padding.
 * jx_layout_rows runs the same steps on rows the caller makes from
 * template rows (a packet's cover and contents): rows kept with the next
 * one move to a new page together, and a hidden row is drawn only as the
 * repeated header of the rows that name it (a department going on).
 */
#include "layout.h"
#include "jxlimits.h"
#include "text.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct jx_lcell {
  const char *text;
  size_t len;
  jx_pos pos;
  int row, rowspan;
  double x, w; /* points from the table's left edge */
  jx_halign halign;
  jx_valign valign;
  int font;
  bool vertical;
  int text_row;    /* first row of the span that holds the text (0 = all) */
  bool borderless; /* its band has no rules ... */
  bool rule_above; /* ... but this line over the cell */
  jx_line *lines;
  size_t line_count;
} jx_lcell;

typedef struct jx_lrow {
  double height;
  double min_height; /* the template's minimum for this row, points */
  int page;          /* index into layout pages (absolute) */
  double y;          /* top, points from the page top */
  /* the first header row to repeat above this row when it starts a page
   * (a grid with repeat_header), or -1; header_count rows from it */
  int header_row;
  int header_count;
  bool keep;   /* on one page with the next row */
  bool hidden; /* drawn only as another row's header (jx_layout_rows) */
} jx_lrow;

/* A header row drawn again at the top of a continuation page. */
typedef struct jx_repeat {
  int page;
  int header_row, header_count;
  double y;
} jx_repeat;

typedef struct jx_lctx {
  jx_layout *layout;
  jx_arena *arena;
  jx_measure *ms; /* the thread's measuring context */
  /* baseline_offset's last role and answer */
  const jx_font_role *baseline_role;
  double baseline;
  const jx_template *tpl;
  const jx_model *model;
  jx_diag_list *diags;
  size_t errors_before;
  jx_lcell *cells;
  size_t cell_count, cell_cap;
  jx_lrow *rows;
  size_t row_count, row_cap;
  size_t first_page; /* this form's first page */
  jx_repeat *repeats;
  size_t repeat_count, repeat_cap;
  /* jx_layout_rows: the values of the placeholders of the row being
   * built (instead of the model's), and whether its rule_above is off */
  const char *(*lookup)(const void *arg, const char *name);
  const void *lookup_arg;
  bool no_rule_above;
} jx_lctx;

/* ---- patterns ---------------------------------------------------------- */

/* A choice field printed as check boxes, "☑A  ☐B": every choice of `f`,
 * ticked when it is the value `t` (a value that is no choice is added
 * ticked at the end, so nothing written is lost).  In the arena. */
static const char *check_boxes(jx_lctx *cx, const jx_field *f,
                               const jx_text *t) {
  static const char on[] = "\u2611", off[] = "\u2610";
  bool matched = false;
  size_t len = 1;
  for (size_t k = 0; k < f->choice_count; k++)
    len += strlen(f->choices[k]) + sizeof on + 2;
  if (t && t->present)
    len += strlen(t->str) + sizeof on + 2;
  char *out = jx_arena_alloc(cx->arena, len);
  for (size_t k = 0; k < f->choice_count; k++) {
    bool ticked = t && t->present && !strcmp(t->str, f->choices[k]);
    matched |= ticked;
    if (k)
      strcat(out, "  ");
    strcat(out, ticked ? on : off);
    strcat(out, f->choices[k]);
  }
  if (t && t->present && t->str[0] && !matched) {
    strcat(out, "  ");
    strcat(out, on);
    strcat(out, t->str);
  }
  return out;
}

/* Expands a pattern's {path} placeholders with the model's values.  When
 * the pattern starts with a placeholder and all its placeholders are blank
 * the result is "" (so "{department.code}-{department.name}" is not a lone
 * "-"); a pattern starting with literal text ("LABEL：{footer.responsible}")
 * keeps it.  *pos gets
 * the position of the first present field (for diagnostics). */
static const char *expand(jx_lctx *cx, const char *pattern, jx_pos *pos) {
  if (!strpbrk(pattern, "{}")) /* no placeholder: the text itself */
    return jx_arena_strdup(cx->arena, pattern);
  size_t cap = strlen(pattern) + 64, n = 0;
  char *out = malloc(cap);
  bool any_placeholder = false, any_value = false;
  if (!out)
    abort();
  for (const char *p = pattern; *p;) {
    const char *piece = p;
    size_t piece_len = 1;
    char pathbuf[128];
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      p += 2;
    } else if (p[0] == '{' && strchr(p, '}')) {
      const char *end = strchr(p, '}');
      size_t plen = (size_t)(end - p - 1);
      if (plen >= sizeof pathbuf)
        plen = sizeof pathbuf - 1;
      memcpy(pathbuf, p + 1, plen);
      pathbuf[plen] = '\0';
      p = end + 1;
      any_placeholder = true;
      char *bar = strchr(pathbuf, '|');
      if (bar)
        *bar = '\0'; /* {id|check}: the template checked the format */
      /* jx_model_text, with the field's index looked up once (no model:
       * the packet's rows, whose values come from cx->values) */
      int field =
          cx->model ? jx_content_field(cx->model->content, pathbuf) : -1;
      const jx_text *t = !cx->model ? NULL
                         : !strcmp(pathbuf, "template")
                             ? &cx->model->template_name
                         : field >= 0 ? &cx->model->fields[field]
                                      : NULL;
      piece = "";
      if (cx->lookup) { /* a packet's facts */
        piece = cx->lookup(cx->lookup_arg, pathbuf);
        if (!piece)
          piece = "";
      } else if (bar && !strcmp(bar + 1, "check")) {
        /* every choice, the one written ticked: ☑A  ☐B */
        piece = check_boxes(cx, &cx->model->content->fields[field], t);
        if (t && t->present && !any_value)
          *pos = t->pos;
      } else if (t && t->present) {
        piece =
            field >= 0 ? jx_model_print(cx->arena, cx->model, field) : t->str;
        if (!any_value)
          *pos = t->pos;
      }
      piece_len = strlen(piece);
      if (piece_len)
        any_value = true;
    } else {
      /* plain text up to the next brace (a lone one is plain text too) */
      piece_len = strcspn(p, "{}");
      if (!piece_len)
        piece_len = 1;
      p += piece_len;
    }
    if (n + piece_len + 1 > cap) {
      cap = (n + piece_len + 1) * 2;
      char *nb = realloc(out, cap);
      if (!nb)
        abort();
      out = nb;
    }
    memcpy(out + n, piece, piece_len);
    n += piece_len;
  }
  const char *res = (any_placeholder && !any_value && pattern[0] == '{')
                        ? ""
                        : jx_arena_strndup(cx->arena, out, n);
  free(out);
  return res;
}

/* ---- cells ------------------------------------------------------------- */

static jx_lcell *add_cell(jx_lctx *cx, const jx_tband *band, int row, int col,
                          int colspan, int rowspan, const char *text,
                          jx_pos pos, jx_halign h, jx_valign v, int font) {
  cx->cells = jx_arena_grow(cx->arena, cx->cells, sizeof *cx->cells,
                            &cx->cell_cap, cx->cell_count + 1);
  jx_lcell *c = &cx->cells[cx->cell_count++];
  memset(c, 0, sizeof *c);
  double x = 0;
  for (int k = 0; k < col; k++)
    x += band->columns[k];
  double w = 0;
  for (int k = col; k < col + colspan; k++)
    w += band->columns[k];
  c->x = x;
  c->w = w;
  c->row = row;
  c->rowspan = rowspan;
  c->text = text ? text : "";
  c->len = strlen(c->text);
  if (memchr(c->text, '\t', c->len)) {
    /* a tab pasted from a spreadsheet prints as a space (check warns:
     * text-tab), as render and check agree */
    char *copy = jx_arena_strndup(cx->arena, c->text, c->len);
    for (char *p = copy; *p; p++)
      if (*p == '\t')
        *p = ' ';
    c->text = copy;
  }
  c->pos = pos;
  c->halign = h;
  c->valign = v;
  c->font = font;
  c->borderless = band->borderless;
  return c;
}

static int add_rows(jx_lctx *cx, size_t n) {
  int first = (int)cx->row_count;
  cx->rows = jx_arena_grow(cx->arena, cx->rows, sizeof *cx->rows, &cx->row_cap,
                           cx->row_count + n);
  memset(cx->rows + cx->row_count, 0, n * sizeof *cx->rows);
  for (size_t i = 0; i < n; i++)
    cx->rows[cx->row_count + i].header_row = -1;
  cx->row_count += n;
  return first;
}

/* Marks the band grid positions a cell covers. */
static void cover(unsigned char *taken, size_t ncols, int row0, int row,
                  int rowspan, int col, int colspan) {
  for (int r = row; r < row + rowspan; r++)
    for (int c = col; c < col + colspan; c++)
      taken[(size_t)(r - row0) * ncols + (size_t)c] = 1;
}

/* Adds an empty cell at every position of the band no cell covers. */
static void fill_gaps(jx_lctx *cx, const jx_tband *band, unsigned char *taken,
                      int row0, size_t nrows) {
  size_t ncols = band->column_count;
  for (size_t r = 0; r < nrows; r++)
    for (size_t c = 0; c < ncols; c++)
      if (!taken[r * ncols + c])
        add_cell(cx, band, row0 + (int)r, (int)c, 1, 1, "", (jx_pos){0},
                 JX_HALIGN_LEFT, JX_VALIGN_TOP, cx->tpl->body_font);
}

static void add_template_cell(jx_lctx *cx, const jx_tband *band,
                              const jx_tcell *tc, int row) {
  jx_pos pos = tc->pos;
  const char *text = expand(cx, tc->pattern, &pos);
  jx_lcell *c = add_cell(cx, band, row, tc->col, tc->colspan, tc->rowspan, text,
                         pos, tc->vertical ? JX_HALIGN_CENTER : tc->halign,
                         tc->valign, tc->font);
  c->vertical = tc->vertical;
  c->text_row = tc->text_row < tc->rowspan ? tc->text_row : tc->rowspan - 1;
  c->rule_above = tc->rule_above && !cx->no_rule_above;
}

static void build_fixed_band(jx_lctx *cx, const jx_tband *band) {
  int row0 = add_rows(cx, band->row_count);
  size_t ncols = band->column_count;
  unsigned char *taken = jx_arena_alloc(cx->arena, band->row_count * ncols + 1);
  for (size_t r = 0; r < band->row_count; r++) {
    const jx_trow *tr = &band->rows[r];
    cx->rows[row0 + (int)r].min_height = tr->min_height;
    cx->rows[row0 + (int)r].keep = tr->keep_with_next;
    for (size_t i = 0; i < tr->count; i++) {
      const jx_tcell *tc = &tr->cells[i];
      jx_tcell clipped = *tc;
      if ((size_t)clipped.rowspan > band->row_count - r)
        clipped.rowspan = (int)(band->row_count - r);
      add_template_cell(cx, band, &clipped, row0 + (int)r);
      cover(taken, ncols, row0, row0 + (int)r, clipped.rowspan, clipped.col,
            clipped.colspan);
    }
  }
  fill_gaps(cx, band, taken, row0, band->row_count);
}

static bool text_eq(const jx_text *t, const char *s) {
  return t->present && !strcmp(t->str, s);
}

static void add_style_cell(jx_lctx *cx, const jx_tband *band, int row, int col,
                           int rowspan, const jx_text *t, const jx_tstyle *st,
                           unsigned char *taken, int row0) {
  if (col < 0)
    return;
  add_cell(cx, band, row, col, 1, rowspan, t && t->present ? t->str : "",
           t ? t->pos : (jx_pos){0}, st->halign, st->valign, st->font);
  cover(taken, band->column_count, row0, row, rowspan, col, 1);
}

/* True if `row` belongs to 一级 `level1`, 二级 `level2` of grid `def`. */
static bool in_group(const jx_grid_def *def, const jx_row *row,
                     const char *level1, const char *level2) {
  return text_eq(&row->cells[def->level1], level1) &&
         text_eq(&row->cells[def->level2], level2);
}

/* The most rows any side of band grid `g` has in one 二级 group. */
static size_t group_rows(const jx_lctx *cx, const jx_tgrid *g,
                         const jx_grid_def *def, const jx_tgroup *grp,
                         size_t k) {
  size_t most = 0;
  for (size_t s = 0; s < g->side_count; s++) {
    const jx_rows *rows = &cx->model->lists[g->grid][g->sides[s].list];
    size_t n = 0;
    for (size_t i = 0; i < rows->count; i++)
      if (in_group(def, &rows->items[i], grp->level1, grp->level2[k].name))
        n++;
    if (n > most)
      most = n;
  }
  return most;
}

/* The cells of one row of side `ts` (all columns but the frame's). */
static void add_row_cells(jx_lctx *cx, const jx_tband *band,
                          const jx_grid_def *def, const jx_tside *ts,
                          const jx_row *row, int at, unsigned char *taken,
                          int row0) {
  for (size_t c = 0; c < def->col_count; c++) {
    if ((int)c == def->level1 || (int)c == def->level2)
      continue;
    add_style_cell(cx, band, at, ts->col_at[c], 1, &row->cells[c],
                   &ts->styles[c], taken, row0);
  }
}

/* True if rows a and b of a plain list agree in merged column `upto` and
 * every merged column before it, none of them blank. */
static bool same_run(const jx_tgrid *g, const jx_rows *rows, size_t a, size_t b,
                     size_t upto) {
  for (size_t c = 0; c <= upto; c++) {
    if (!g->merge[c])
      continue;
    const jx_text *x = &rows->items[a].cells[c], *y = &rows->items[b].cells[c];
    if (!x->present || !x->str[0] || !y->present || strcmp(x->str, y->str))
      return false;
  }
  return true;
}

/* The rows of a plain list whose band merges columns: a run of rows with
 * the same value in a merged column (and the merged columns before it)
 * prints that value once, in a cell spanning the run. */
static void add_merged_rows(jx_lctx *cx, const jx_tband *band,
                            const jx_tgrid *g, const jx_grid_def *def,
                            const jx_tside *ts, const jx_rows *rows, int row,
                            unsigned char *taken, int row0) {
  for (size_t i = 0; i < rows->count; i++)
    for (size_t c = 0; c < def->col_count; c++) {
      int at = ts->col_at[c];
      if (at < 0)
        continue;
      size_t run = 1;
      if (g->merge[c]) {
        if (i > 0 && same_run(g, rows, i - 1, i, c))
          continue; /* inside the run above */
        while (i + run < rows->count &&
               same_run(g, rows, i + run - 1, i + run, c))
          run++;
      }
      add_style_cell(cx, band, row + (int)i, at, (int)run,
                     &rows->items[i].cells[c], &ts->styles[c], taken, row0);
    }
}

/* The grid band: header row, then either one block of rows per 二级 group
 * of the frame (max(1, items on the fuller side) rows each; groups with no
 * rows left out with hide_empty_groups), or, without a frame, the rows in
 * the order given (at least min_rows). */
static void build_grid_band(jx_lctx *cx, const jx_tband *band) {
  const jx_tgrid *g = &band->grid;
  const jx_grid_def *def = &cx->model->content->grids[g->grid];
  size_t ncols = band->column_count;
  size_t heads = g->header_count ? g->header_count : 1;
  size_t total = heads;
  bool framed = def->frame_count > 0;
  if (framed) {
    for (size_t f = 0; f < def->frame_count; f++)
      for (size_t k = 0; k < def->frame[f].level2_count; k++) {
        size_t most = group_rows(cx, g, def, &def->frame[f], k);
        total += most ? most : g->hide_empty ? 0 : 1;
      }
  } else {
    size_t most = 0;
    for (size_t s = 0; s < g->side_count; s++) {
      size_t n = cx->model->lists[g->grid][g->sides[s].list].count;
      if (n > most)
        most = n;
    }
    total += most > (size_t)g->min_rows ? most : (size_t)g->min_rows;
  }
  int row0 = add_rows(cx, total);
  if (g->repeat_header)
    for (size_t r = heads; r < total; r++) {
      cx->rows[row0 + (int)r].header_row = row0;
      cx->rows[row0 + (int)r].header_count = (int)heads;
    }
  unsigned char *taken = jx_arena_alloc(cx->arena, total * ncols + 1);
  /* header rows; a header cell's rowspan stays within them */
  for (size_t h = 0; h < g->header_count; h++)
    for (size_t i = 0; i < g->header[h].count; i++) {
      jx_tcell tc = g->header[h].cells[i];
      if ((size_t)tc.rowspan > heads - h)
        tc.rowspan = (int)(heads - h);
      add_template_cell(cx, band, &tc, row0 + (int)h);
      cover(taken, ncols, row0, row0 + (int)h, tc.rowspan, tc.col, tc.colspan);
    }
  if (g->label_col >= 0) {
    jx_lcell *c =
        add_cell(cx, band, row0, g->label_col, 1, (int)total,
                 g->label ? g->label : "", (jx_pos){cx->tpl->path, 0, 0},
                 g->label_align, g->label_style.valign, g->label_style.font);
    c->vertical = true;
    cover(taken, ncols, row0, row0, (int)total, g->label_col, 1);
  }
  int row = row0 + (int)heads;
  if (!framed) {
    for (size_t s = 0; s < g->side_count; s++) {
      const jx_tside *ts = &g->sides[s];
      const jx_rows *rows = &cx->model->lists[g->grid][ts->list];
      if (g->merge) {
        add_merged_rows(cx, band, g, def, ts, rows, row, taken, row0);
        continue;
      }
      for (size_t i = 0; i < rows->count; i++)
        add_row_cells(cx, band, def, ts, &rows->items[i], row + (int)i, taken,
                      row0);
    }
    fill_gaps(cx, band, taken, row0, total);
    return;
  }
  for (size_t f = 0; f < def->frame_count; f++) {
    const jx_tgroup *grp = &def->frame[f];
    int group_row = row;
    for (size_t k = 0; k < grp->level2_count; k++) {
      size_t most = group_rows(cx, g, def, grp, k);
      if (!most && g->hide_empty)
        continue;
      if (!most)
        most = 1;
      for (size_t s = 0; s < g->side_count; s++) {
        const jx_tside *ts = &g->sides[s];
        const jx_rows *rows = &cx->model->lists[g->grid][ts->list];
        jx_text label = {grp->level2[k].name, true, {cx->tpl->path, 0, 0}, 0};
        add_style_cell(cx, band, row, ts->col_at[def->level2], (int)most,
                       &label, &ts->styles[def->level2], taken, row0);
        size_t r = 0;
        for (size_t i = 0; i < rows->count; i++) {
          const jx_row *item = &rows->items[i];
          if (in_group(def, item, grp->level1, grp->level2[k].name))
            add_row_cells(cx, band, def, ts, item, row + (int)r++, taken, row0);
        }
      }
      row += (int)most;
    }
    if (g->level1_col >= 0 && row > group_row) {
      jx_text label = {grp->level1, true, {cx->tpl->path, 0, 0}, 0};
      if (g->level1_repeat)
        for (int r = group_row; r < row; r++)
          add_style_cell(cx, band, r, g->level1_col, 1, &label,
                         &g->level1_style, taken, row0);
      else
        add_style_cell(cx, band, group_row, g->level1_col, row - group_row,
                       &label, &g->level1_style, taken, row0);
    }
  }
  fill_gaps(cx, band, taken, row0, total);
}

/* ---- measuring --------------------------------------------------------- */

static const jx_font_role *role_of(const jx_lctx *cx, int font) {
  return &cx->tpl->fonts[font];
}

/* Breaks every cell's text into lines; vertical cells get one character a
 * line.  Records an error for characters no font can draw. */
static void break_cells(jx_lctx *cx) {
  const jx_template *t = cx->tpl;
  for (size_t i = 0; i < cx->cell_count; i++) {
    jx_lcell *c = &cx->cells[i];
    const jx_font_role *role = role_of(cx, c->font);
    if (c->len == 0)
      continue;
    if (!c->vertical) {
      /* checked and broken in one walk over the text */
      jx_text_check_break(cx->ms, cx->arena, c->text, c->len, &role->chain,
                          c->w - 2 * t->padding_x, &t->rules, c->pos, cx->diags,
                          &c->lines, &c->line_count);
      continue;
    }
    if (!jx_text_check(cx->ms, &role->chain, c->text, c->len, c->pos,
                       cx->diags))
      continue;
    if (memchr(c->text, '\n', c->len)) {
      /* the template's own lines (年度\n履职\n目标), each centred */
      size_t n = 1;
      for (size_t k = 0; k < c->len; k++)
        n += c->text[k] == '\n';
      c->lines = jx_arena_alloc(cx->arena, (n + 1) * sizeof *c->lines);
      size_t k = 0;
      for (size_t b = 0; b <= c->len;) {
        const char *nl = memchr(c->text + b, '\n', c->len - b);
        size_t e = nl ? (size_t)(nl - c->text) : c->len;
        c->lines[k].start = (uint32_t)b;
        c->lines[k].end = (uint32_t)e;
        c->lines[k].width =
            jx_text_width(cx->ms, &role->chain, c->text + b, e - b);
        k++;
        b = e + 1;
      }
      c->line_count = k;
    } else { /* one character a line */
      size_t n = 0;
      for (size_t k = 0; k < c->len; k++)
        if (((unsigned char)c->text[k] & 0xC0) != 0x80)
          n++;
      c->lines = jx_arena_alloc(cx->arena, (n + 1) * sizeof *c->lines);
      size_t k = 0;
      for (size_t b = 0; b < c->len;) {
        size_t e = b + 1;
        while (e < c->len && ((unsigned char)c->text[e] & 0xC0) == 0x80)
          e++;
        c->lines[k].start = (uint32_t)b;
        c->lines[k].end = (uint32_t)e;
        c->lines[k].width =
            jx_text_width(cx->ms, &role->chain, c->text + b, e - b);
        k++;
        b = e;
      }
      c->line_count = k;
    }
  }
}

static double cell_need(const jx_lctx *cx, const jx_lcell *c) {
  size_t n = c->line_count ? c->line_count : 1;
  return (double)n * role_of(cx, c->font)->line_pitch + 2 * cx->tpl->padding_y;
}

static int by_rowspan(const void *a, const void *b) {
  const jx_lcell *x = *(const jx_lcell *const *)a;
  const jx_lcell *y = *(const jx_lcell *const *)b;
  if (x->rowspan != y->rowspan)
    return x->rowspan < y->rowspan ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void size_rows(jx_lctx *cx) {
  double min =
      role_of(cx, cx->tpl->body_font)->line_pitch + 2 * cx->tpl->padding_y;
  for (size_t r = 0; r < cx->row_count; r++)
    cx->rows[r].height =
        cx->rows[r].min_height > min ? cx->rows[r].min_height : min;
  size_t nspan = 0;
  for (size_t i = 0; i < cx->cell_count; i++) {
    jx_lcell *c = &cx->cells[i];
    if (c->rowspan == 1) {
      double need = cell_need(cx, c);
      if (need > cx->rows[c->row].height)
        cx->rows[c->row].height = need;
    } else {
      nspan++;
    }
  }
  if (!nspan)
    return;
  jx_lcell **spans = malloc(nspan * sizeof *spans);
  if (!spans)
    abort();
  size_t k = 0;
  for (size_t i = 0; i < cx->cell_count; i++)
    if (cx->cells[i].rowspan > 1)
      spans[k++] = &cx->cells[i];
  qsort(spans, nspan, sizeof *spans, by_rowspan);
  for (size_t i = 0; i < nspan; i++) {
    jx_lcell *c = spans[i];
    double sum = 0; /* the rows that hold the text */
    for (int r = c->row + c->text_row; r < c->row + c->rowspan; r++)
      sum += cx->rows[r].height;
    double need = cell_need(cx, c);
    if (need > sum)
      cx->rows[c->row + c->rowspan - 1].height += need - sum;
  }
  free(spans);
}

/* ---- pagination -------------------------------------------------------- */

static jx_dpage *new_page(jx_lctx *cx, int form_index) {
  jx_dpage *p = jx_layout_add_page(cx->layout);
  p->form_index = form_index;
  p->form_page = (int)(cx->layout->page_count - cx->first_page);
  return p;
}

/* True if row r can be split between lines: every cell touching it is a
 * one-row cell. */
static bool row_splittable(const jx_lctx *cx, size_t r) {
  for (size_t i = 0; i < cx->cell_count; i++) {
    const jx_lcell *c = &cx->cells[i];
    if (c->row <= (int)r && (int)r < c->row + c->rowspan && c->rowspan != 1)
      return false;
  }
  return true;
}

/* Splits row r so that its first part is at most `space` tall: the lines
 * that do not fit move to a new row r+1.  Returns false if not even one
 * line fits. */
static bool split_row(jx_lctx *cx, size_t r, double space) {
  const jx_template *t = cx->tpl;
  double pitch = role_of(cx, t->body_font)->line_pitch;
  size_t fit = (size_t)floor((space - 2 * t->padding_y) / pitch + 1e-9);
  if (fit < 1)
    return false;
  add_rows(cx, 1);
  memmove(cx->rows + r + 2, cx->rows + r + 1,
          (cx->row_count - r - 2) * sizeof *cx->rows);
  cx->rows[r + 1].header_row = cx->rows[r].header_row;
  cx->rows[r + 1].header_count = cx->rows[r].header_count;
  cx->rows[r + 1].min_height = 0; /* the rest of a split row */
  for (size_t k = 0; k < cx->row_count; k++)
    if (cx->rows[k].header_row > (int)r)
      cx->rows[k].header_row++;
  size_t n = cx->cell_count;
  for (size_t i = 0; i < n; i++)
    if (cx->cells[i].row > (int)r)
      cx->cells[i].row++;
  for (size_t i = 0; i < n; i++) {
    jx_lcell *c = &cx->cells[i];
    if (c->row != (int)r)
      continue;
    size_t keep = c->line_count < fit ? c->line_count : fit;
    jx_lcell rest = *c;
    rest.row = (int)r + 1;
    rest.lines = c->lines ? c->lines + keep : NULL; /* empty cell: no lines */
    rest.line_count = c->line_count - keep;
    c->line_count = keep;
    cx->cells = jx_arena_grow(cx->arena, cx->cells, sizeof *cx->cells,
                              &cx->cell_cap, cx->cell_count + 1);
    cx->cells[cx->cell_count++] = rest;
  }
  double min = pitch + 2 * t->padding_y;
  cx->rows[r].height = min;
  cx->rows[r + 1].height = min;
  for (size_t i = 0; i < cx->cell_count; i++) {
    jx_lcell *c = &cx->cells[i];
    if (c->row == (int)r || c->row == (int)r + 1) {
      double need = cell_need(cx, c);
      if (need > cx->rows[c->row].height)
        cx->rows[c->row].height = need;
    }
  }
  return true;
}

/* Starts a continuation page for row r: sets *page and *y, and when the
 * row belongs to a grid that repeats its header, reserves the header's
 * height and records it for drawing. */
static void continue_on_new_page(jx_lctx *cx, int form_index, size_t r,
                                 int *page, double *y) {
  const jx_template *t = cx->tpl;
  new_page(cx, form_index);
  *page = (int)cx->layout->page_count - 1;
  *y = t->margin_top + t->table_top_next;
  int h = cx->rows[r].header_row;
  if (h >= 0) {
    int n = cx->rows[r].header_count;
    cx->repeats = jx_arena_grow(cx->arena, cx->repeats, sizeof *cx->repeats,
                                &cx->repeat_cap, cx->repeat_count + 1);
    cx->repeats[cx->repeat_count++] = (jx_repeat){*page, h, n, *y};
    for (int k = 0; k < n; k++)
      *y += cx->rows[h + k].height;
  }
}

static void paginate(jx_lctx *cx, int form_index, double *end_y) {
  const jx_template *t = cx->tpl;
  double bottom = t->page_height - t->margin_bottom;
  double top_next = t->margin_top + t->table_top_next;
  double y = t->margin_top + t->table_top_first;
  int page = (int)cx->layout->page_count - 1;
  bool page_empty = true;
  for (size_t r = 0; r < cx->row_count; r++) {
    jx_lrow *row = &cx->rows[r];
    if (row->hidden)
      continue;
    if (row->keep && !page_empty) {
      /* the rows kept together go to a new page when they fit on one */
      double need = 0;
      size_t k = r;
      for (; k < cx->row_count && (cx->rows[k].keep || k == r); k++)
        need += cx->rows[k].hidden ? 0 : cx->rows[k].height;
      if (k < cx->row_count && !cx->rows[k].hidden)
        need += cx->rows[k].height; /* the last one kept with */
      if (y + need > bottom + 1e-6 && need <= bottom - top_next) {
        continue_on_new_page(cx, form_index, r, &page, &y);
        row = &cx->rows[r];
      }
    }
    if (y + row->height > bottom + 1e-6) {
      double space = bottom - y;
      double full = bottom - top_next;
      if (row->height > full && row_splittable(cx, r) &&
          split_row(cx, r, page_empty || space > full / 4 ? space : full)) {
        row = &cx->rows[r];
        if (y + row->height > bottom + 1e-6)
          continue_on_new_page(cx, form_index, r, &page, &y);
      } else if (!page_empty) {
        continue_on_new_page(cx, form_index, r, &page, &y);
      }
    }
    row->page = page;
    row->y = y;
    y += row->height;
    page_empty = false;
  }
  *end_y = y;
}

/* ---- drawing ----------------------------------------------------------- */

/* Baseline offset below a line's top: centres the ideographic em box
 * (taken from the first face's ascender and descender) in the pitch. */
static double baseline_offset(jx_lctx *cx, const jx_font_role *role) {
  if (role == cx->baseline_role)
    return cx->baseline;
  double asc = 0.88, desc = -0.12;
  if (role->chain.count) {
    const jx_face *f = &cx->ms->fonts->faces[role->chain.faces[0]];
    if (f->ft && f->ft->units_per_EM) {
      asc = (double)f->ft->ascender / f->ft->units_per_EM;
      desc = (double)f->ft->descender / f->ft->units_per_EM;
    }
  }
  double box = asc - desc;
  /* scale the box to 1 em, then centre it */
  double asc_em = asc / box;
  cx->baseline_role = role;
  cx->baseline =
      role->line_pitch / 2 - role->chain.size / 2 + asc_em * role->chain.size;
  return cx->baseline;
}

static void draw_lines(jx_lctx *cx, jx_dpage *page, const jx_lcell *c,
                       double top, double height, double table_x) {
  const jx_template *t = cx->tpl;
  const jx_font_role *role = role_of(cx, c->font);
  if (!c->line_count)
    return;
  double block = (double)c->line_count * role->line_pitch;
  double inner = height - 2 * t->padding_y;
  double y0 = top + t->padding_y;
  if (c->valign == JX_VALIGN_MIDDLE && inner > block)
    y0 += (inner - block) / 2;
  else if (c->valign == JX_VALIGN_BOTTOM && inner > block)
    y0 += inner - block;
  double off = baseline_offset(cx, role);
  double left = table_x + c->x + t->padding_x;
  double avail = c->w - 2 * t->padding_x;
  /* Text that starts with spaces is an indented item ("     <source>"):
   * its continuation lines keep the indent (hanging indent) when they fit,
   * so the wrapped part stays under the item and not under its parent. */
  double indent = 0;
  if (!c->vertical && c->line_count > 1 && c->text[c->lines[0].start] == ' ') {
    size_t k = c->lines[0].start;
    while (k < c->lines[0].end && c->text[k] == ' ')
      k++;
    indent = jx_text_width(cx->ms, &role->chain, c->text + c->lines[0].start,
                           k - c->lines[0].start);
  }
  for (size_t i = 0; i < c->line_count; i++) {
    const jx_line *ln = &c->lines[i];
    double x = left;
    if (i > 0 && c->halign == JX_HALIGN_LEFT && !c->vertical &&
        ln->width + indent <= avail + 1e-6)
      x += indent;
    jx_halign h = c->halign;
    if (h == JX_HALIGN_CENTER)
      x += (avail - ln->width) / 2;
    else if (h == JX_HALIGN_RIGHT)
      x += avail - ln->width;
    double baseline = y0 + (double)i * role->line_pitch + off;
    if (ln->seg_count) /* shaped when broken: draw as measured */
      jx_text_emit_line(cx->arena, page, &role->chain, c->text, ln, x,
                        baseline);
    else
      jx_text_emit(cx->ms, cx->arena, page, &role->chain, c->text + ln->start,
                   ln->end - ln->start, x, baseline);
  }
}

/* Draws one part of a cell on page `page`, from `top` to `bottom`: its
 * bottom and right edges, its top edge when it starts the page's table,
 * its left edge at the table's left, and its text, set from `text_top`
 * down. */
static void draw_part(jx_lctx *cx, const jx_lcell *c, int page, double top,
                      double text_top, double bottom, bool page_top) {
  const jx_template *t = cx->tpl;
  double tx = t->margin_left, rw = t->rule_width;
  jx_dpage *pg = &cx->layout->pages[page];
  double x0 = tx + c->x, x1 = tx + c->x + c->w;
  if (c->borderless) {
    if (c->rule_above)
      jx_dpage_add_rule(cx->arena, pg, x0, top, x1, top, rw);
    draw_lines(cx, pg, c, text_top, bottom - text_top, tx);
    return;
  }
  jx_dpage_add_rule(cx->arena, pg, x0, bottom, x1, bottom, rw);
  jx_dpage_add_rule(cx->arena, pg, x1, top, x1, bottom, rw);
  if (page_top)
    jx_dpage_add_rule(cx->arena, pg, x0, top, x1, top, rw);
  if (c->x < 1e-6)
    jx_dpage_add_rule(cx->arena, pg, x0, top, x0, bottom, rw);
  draw_lines(cx, pg, c, text_top, bottom - text_top, tx);
}

/* The repeated header on `page`, or NULL. */
static const jx_repeat *repeat_on(const jx_lctx *cx, int page) {
  for (size_t i = 0; i < cx->repeat_count; i++)
    if (cx->repeats[i].page == page)
      return &cx->repeats[i];
  return NULL;
}

static void draw_cells(jx_lctx *cx) {
  for (size_t i = 0; i < cx->cell_count; i++) {
    const jx_lcell *c = &cx->cells[i];
    int r = c->row, last = c->row + c->rowspan - 1;
    if (cx->rows[r].hidden)
      continue; /* drawn only where it repeats */
    while (r <= last) {
      int page = cx->rows[r].page;
      int e = r;
      while (e < last && cx->rows[e + 1].page == page)
        e++;
      double top = cx->rows[r].y;
      bool page_top = r == 0 || cx->rows[r - 1].page != page;
      /* a cell that spans a repeated header (the vertical label) reaches
       * up over the repeat too */
      const jx_repeat *rp = page_top ? repeat_on(cx, page) : NULL;
      if (rp && c->row <= rp->header_row && rp->header_row <= last)
        top = rp->y;
      double bottom = cx->rows[e].y + cx->rows[e].height;
      /* the text starts at the cell's text row when this part holds it */
      int tr = c->row + c->text_row;
      double text_top = tr > r && tr <= e ? cx->rows[tr].y : top;
      draw_part(cx, c, page, top, text_top, bottom, page_top);
      r = e + 1;
    }
  }
  for (size_t k = 0; k < cx->repeat_count; k++) {
    const jx_repeat *rp = &cx->repeats[k];
    int first = rp->header_row, end = rp->header_row + rp->header_count;
    for (size_t i = 0; i < cx->cell_count; i++) {
      const jx_lcell *c = &cx->cells[i];
      /* the header's own cells, not the label that spans the grid */
      if (c->row < first || c->row + c->rowspan > end)
        continue;
      double top = rp->y;
      for (int r = first; r < c->row; r++)
        top += cx->rows[r].height;
      double bottom = top;
      for (int r = c->row; r < c->row + c->rowspan; r++)
        bottom += cx->rows[r].height;
      draw_part(cx, c, rp->page, top, top, bottom, c->row == first);
    }
  }
}

/* A rule's place in the order of merge_rules: horizontal rules first,
 * then by their line (y of a horizontal, x of a vertical), then by where
 * they start along it; `index` is the rule's. */
typedef struct jx_rule_key {
  double line, start;
  uint32_t vertical, index;
} jx_rule_key;

static inline bool key_before(const jx_rule_key *x, const jx_rule_key *y) {
  if (x->vertical != y->vertical)
    return x->vertical < y->vertical;
  if (x->line != y->line)
    return x->line < y->line;
  return x->start < y->start;
}

/* Sorts k[0, n) by key_before, stably (equal keys keep the order the
 * rules were drawn in): insertion sort of short runs, then merges
 * through `tmp` (room for n keys).  Returns where the result is (k or
 * tmp). */
static jx_rule_key *sort_keys(jx_rule_key *k, size_t n, jx_rule_key *tmp) {
  enum { RUN = 16 };
  for (size_t lo = 0; lo < n; lo += RUN) {
    size_t hi = lo + RUN < n ? lo + RUN : n;
    for (size_t i = lo + 1; i < hi; i++) {
      jx_rule_key v = k[i];
      size_t j = i;
      for (; j > lo && key_before(&v, &k[j - 1]); j--)
        k[j] = k[j - 1];
      k[j] = v;
    }
  }
  jx_rule_key *from = k, *to = tmp;
  for (size_t width = RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, o = lo;
      while (i < mid && j < hi)
        to[o++] = key_before(&from[j], &from[i]) ? from[j++] : from[i++];
      while (i < mid)
        to[o++] = from[i++];
      while (j < hi)
        to[o++] = from[j++];
    }
    jx_rule_key *t = from;
    from = to;
    to = t;
  }
  return from;
}

/* Sorts a page's rules and merges collinear ones that touch or overlap. */
static void merge_rules(jx_arena *arena, jx_dpage *pg, size_t from) {
  size_t n = pg->rule_count - from;
  if (n < 2)
    return;
  jx_drule *r = pg->rules + from;
  jx_rule_key *keys = jx_arena_alloc(arena, 2 * n * sizeof *keys);
  for (size_t i = 0; i < n; i++) {
    bool h = r[i].y0 == r[i].y1;
    keys[i] = (jx_rule_key){h ? r[i].y0 : r[i].x0, h ? r[i].x0 : r[i].y0, !h,
                            (uint32_t)i};
  }
  const jx_rule_key *sorted = sort_keys(keys, n, keys + n);
  jx_drule *copy = jx_arena_alloc(arena, n * sizeof *copy);
  memcpy(copy, r, n * sizeof *r);
  for (size_t i = 0; i < n; i++)
    r[i] = copy[sorted[i].index];
  size_t out = 0;
  for (size_t i = 1; i < n; i++) {
    jx_drule *a = &r[out], *b = &r[i];
    bool ah = a->y0 == a->y1, bh = b->y0 == b->y1;
    if (ah && bh && fabs(a->y0 - b->y0) < 1e-6 && b->x0 <= a->x1 + 1e-6 &&
        a->width == b->width) {
      if (b->x1 > a->x1)
        a->x1 = b->x1;
    } else if (!ah && !bh && fabs(a->x0 - b->x0) < 1e-6 &&
               b->y0 <= a->y1 + 1e-6 && a->width == b->width) {
      if (b->y1 > a->y1)
        a->y1 = b->y1;
    } else {
      r[++out] = *b;
    }
  }
  pg->rule_count = from + out + 1;
}

static void draw_line_item(jx_lctx *cx, jx_dpage *pg, const jx_tline *tl,
                           double x, double baseline) {
  jx_pos pos = {cx->tpl->path, 0, 0};
  const char *text = expand(cx, tl->pattern, &pos);
  size_t len = strlen(text);
  const jx_font_role *role = role_of(cx, tl->font);
  if (!len || !jx_text_check(cx->ms, &role->chain, text, len, pos, cx->diags))
    return;
  double w = jx_text_width(cx->ms, &role->chain, text, len);
  if (tl->halign == JX_HALIGN_CENTER)
    x += (cx->tpl->table_width - w) / 2;
  else if (tl->halign == JX_HALIGN_RIGHT)
    x += cx->tpl->table_width - w;
  jx_text_emit(cx->ms, cx->arena, pg, &role->chain, text, len, x, baseline);
}

/* The footer as one run-on line: the items follow each other
 * footer_item_gap apart and the line is aligned in the table's width.
 * Kept as one line on purpose, so that text extraction reads the footer
 * as a unit after the table instead of interleaving far-apart items with
 * the table's last rows. */
static void draw_footer_flow(jx_lctx *cx, jx_dpage *pg, double top) {
  const jx_template *t = cx->tpl;
  size_t n = t->footer_count;
  const char **texts = jx_arena_alloc(cx->arena, (n + 1) * sizeof *texts);
  double *widths = jx_arena_alloc(cx->arena, (n + 1) * sizeof *widths);
  double total = 0;
  size_t shown = 0;
  for (size_t i = 0; i < n; i++) {
    const jx_tline *tl = &t->footer[i];
    const jx_font_role *role = role_of(cx, tl->font);
    jx_pos pos = {t->path, 0, 0};
    texts[i] = expand(cx, tl->pattern, &pos);
    size_t len = strlen(texts[i]);
    widths[i] = 0;
    if (!len ||
        !jx_text_check(cx->ms, &role->chain, texts[i], len, pos, cx->diags)) {
      texts[i] = NULL;
      continue;
    }
    widths[i] = jx_text_width(cx->ms, &role->chain, texts[i], len);
    total += widths[i] + (shown++ ? t->footer_item_gap : 0);
  }
  double x = t->margin_left;
  if (t->footer_align == JX_HALIGN_CENTER)
    x += (t->table_width - total) / 2;
  else if (t->footer_align == JX_HALIGN_RIGHT)
    x += t->table_width - total;
  for (size_t i = 0; i < n; i++) {
    if (!texts[i])
      continue;
    const jx_font_role *role = role_of(cx, t->footer[i].font);
    jx_text_emit(cx->ms, cx->arena, pg, &role->chain, texts[i],
                 strlen(texts[i]), x, top + baseline_offset(cx, role));
    x += widths[i] + t->footer_item_gap;
  }
}

/* Starts a layout context that adds pages to `layout` after those it has
 * (taking the template's page size when it has none), for `model` (NULL:
 * rows given by jx_layout_rows). */
static void lctx_begin(jx_lctx *cx, jx_layout *layout, jx_measure *ms,
                       const jx_template *tpl, const jx_model *model,
                       jx_diag_list *diags) {
  *cx = (jx_lctx){.layout = layout,
                  .arena = layout->arena,
                  .ms = ms,
                  .tpl = tpl,
                  .model = model,
                  .diags = diags,
                  .errors_before = diags->errors,
                  .first_page = layout->page_count};
  if (layout->page_count == 0) {
    layout->page_width = tpl->page_width;
    layout->page_height = tpl->page_height;
  }
}

bool jx_layout_form(jx_layout *layout, jx_measure *ms, const jx_template *tpl,
                    const jx_model *model, int form_index,
                    jx_diag_list *diags) {
  jx_lctx cx;
  lctx_begin(&cx, layout, ms, tpl, model, diags);
  for (size_t b = 0; b < tpl->band_count; b++) {
    if (tpl->bands[b].kind == JX_BAND_GRID)
      build_grid_band(&cx, &tpl->bands[b]);
    else
      build_fixed_band(&cx, &tpl->bands[b]);
  }
  break_cells(&cx);
  if (diags->errors > cx.errors_before)
    return false;
  size_rows(&cx);
  jx_dpage *first = new_page(&cx, form_index);
  for (size_t i = 0; i < tpl->heading_count; i++)
    draw_line_item(&cx, first, &tpl->heading[i], tpl->margin_left,
                   tpl->margin_top + tpl->heading[i].baseline);
  double end_y = 0;
  paginate(&cx, form_index, &end_y);
  if (layout->page_count - cx.first_page > JX_LIMIT_PAGES) {
    jx_error(diags, ((jx_pos){model->path, 0, 0}),
             "the form takes %zu pages, more than the limit of %d pages per "
             "form; shorten its texts",
             layout->page_count - cx.first_page, JX_LIMIT_PAGES);
    layout->page_count = cx.first_page;
    return false;
  }
  draw_cells(&cx);
  /* footer: one line after the table */
  if (tpl->footer_count) {
    const jx_font_role *role = role_of(&cx, tpl->body_font);
    double top = end_y + tpl->footer_gap;
    if (top + role->line_pitch > tpl->page_height - tpl->margin_bottom) {
      new_page(&cx, form_index);
      top = tpl->margin_top + tpl->table_top_next;
    }
    jx_dpage *pg = &layout->pages[layout->page_count - 1];
    if (tpl->footer_flow)
      draw_footer_flow(&cx, pg, top);
    else
      for (size_t i = 0; i < tpl->footer_count; i++)
        draw_line_item(
            &cx, pg, &tpl->footer[i], tpl->margin_left + tpl->footer[i].x,
            top + baseline_offset(&cx, role_of(&cx, tpl->footer[i].font)));
  }
  for (size_t p = cx.first_page; p < layout->page_count; p++)
    merge_rules(layout->arena, &layout->pages[p], 0);
  if (diags->errors > cx.errors_before) {
    layout->page_count = cx.first_page;
    return false;
  }
  return true;
}

bool jx_layout_rows(jx_layout *layout, jx_measure *ms, const jx_template *tpl,
                    const jx_row_in *rows, size_t n, jx_diag_list *diags) {
  jx_lctx cx;
  lctx_begin(&cx, layout, ms, tpl, NULL, diags);
  /* one table row per row given, its cells one row tall */
  int row0 = add_rows(&cx, n);
  for (size_t i = 0; i < n; i++) {
    const jx_row_in *in = &rows[i];
    jx_lrow *lr = &cx.rows[row0 + (int)i];
    lr->min_height = in->row->min_height;
    lr->keep = in->keep;
    lr->hidden = in->hidden;
    if (in->repeat >= 0) {
      lr->header_row = row0 + in->repeat;
      lr->header_count = 1;
    }
    cx.lookup = in->lookup;
    cx.lookup_arg = in->arg;
    cx.no_rule_above = in->no_rule_above;
    size_t ncols = in->band->column_count;
    unsigned char *taken = jx_arena_alloc(cx.arena, ncols + 1);
    for (size_t k = 0; k < in->row->count; k++) {
      jx_tcell tc = in->row->cells[k];
      tc.rowspan = 1;
      add_template_cell(&cx, in->band, &tc, row0 + (int)i);
      cover(taken, ncols, row0 + (int)i, row0 + (int)i, 1, tc.col, tc.colspan);
    }
    fill_gaps(&cx, in->band, taken, row0 + (int)i, 1);
  }
  cx.lookup = NULL;
  break_cells(&cx);
  size_rows(&cx);
  new_page(&cx, 0);
  double end_y = 0;
  paginate(&cx, 0, &end_y);
  draw_cells(&cx);
  for (size_t p = cx.first_page; p < layout->page_count; p++)
    merge_rules(layout->arena, &layout->pages[p], 0);
  return diags->errors == cx.errors_before;
}
