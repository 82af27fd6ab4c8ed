/*
 * template.c — loads templates/NAME.yaml into a jx_template.
 *
 * The template file is parsed into a jx_ynode tree (yaml.c) and walked
 * here; every problem is reported with the template's file, line and
 * column.  Lengths are converted to points: keys ending in _pt are points,
 * column widths and footer x positions are in em of em_pt.
 *
 * Grammar (see templates/yangquan-2025.yaml for a complete example):
 *   extends                   optional: the name of a base template this
 *                             one is laid over (its keys replace the
 *                             base's; mappings such as styles or page are
 *                             merged one level down)
 *   name, title, author       strings
 *   page: {width_pt, height_pt, margin_{top,bottom,left,right}_pt}
 *   em_pt                     number
 *   fonts: {ROLE: {faces: [spec...], size_pt, line_pitch_pt, bold}}
 *   text: {units_per_em, ascii_units, no_start, no_end}
 *   cell_padding_x_pt, cell_padding_y_pt, rule_width_pt
 *   styles: {NAME: {align, valign, font}}
 *   heading: [{text, font, baseline_pt, align}]
 *   table_top_first_pt, table_top_next_pt
 *   footer: {gap_pt, align, item_gap, items: [{text, x, font}]}
 *     (align given: the items run on in one line, item_gap em apart,
 *      aligned in the table's width; otherwise each item sits at its x)
 *   fields, groups, money, grids, rules, index
 *                             what the form holds: read by content.c
 *   bands: [{columns: [em | "*"...], borders,
 *            rows: [[cell...] | {min_height_pt, keep_with_next, cells}]}
 *          | {columns, grid: {list, label, label_col, label_style,
 *             label_align, repeat_header, header, level1_col,
 *             level1_repeat, hide_empty_groups, min_rows,
 *             sides: [{side, cols: {COLUMN: band col}, styles}] | cols,
 *             styles: {COLUMN: style}}}]
 *   cell: {text, style, col, colspan, rowspan, vertical, text_row,
 *          rule_above}
 *   packet: {cover_label, contents_label, years, blank,
 *            cover: {top_pt, columns, rows (a row may have each: total |
 *                    more)},
 *            contents: {top_pt, next_top_pt, columns, head,
 *                       rows: {department, continued, project, …}},
 *            footer: {text, font, align, bottom_pt}}
 *     the packet's cover, contents and footers; patterns name the
 *     packet's facts ({packet.projects}, {amount}, {page}, …)
 *   (docs/templates.md describes every key)
 */
#include "template.h"
#include "ynode.h"

#include "jxlimits.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  const char *name;
  jx_tstyle style;
} jx_named_style;

/* Loader state for one template file. */
typedef struct {
  jx_arena *arena;
  jx_diag_list *diags;
  jx_fonts *fonts;
  jx_template *tpl;
  double em;
  jx_named_style *styles;
  size_t style_count;
  size_t errors_before;
  /* loading the packet section: the placeholders its patterns may name
   * (NULL-terminated; NULL: the form's fields), and whether on the cover */
  const char *const *names;
  bool cover;
  const jx_ynode *font_files; /* the template's font_files mapping, or NULL */
} jx_tload;

static bool failed(const jx_tload *ld) {
  return ld->diags->errors > ld->errors_before;
}

static const jx_ynode *need(jx_tload *ld, const jx_ynode *map,
                            const char *key) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (!v)
    jx_error(ld->diags, map->pos, "template: missing key '%s'", key);
  return v;
}

static const char *str_of(jx_tload *ld, const jx_ynode *v, const char *key) {
  if (!v)
    return NULL;
  if (v->kind != JX_YSCALAR) {
    if (v->kind == JX_YMAP)
      jx_error(ld->diags, v->pos,
               "template: '%s' must be a string, not a mapping", key);
    else
      jx_error(ld->diags, v->pos,
               "template: '%s' must be a string, not a sequence", key);
    return NULL;
  }
  return v->str;
}

/* The range each numeric key of a template may take: a template is
 * untrusted input, and a page 0 pt tall, a padding of 1e9 pt or a font of
 * 1e30 pt would make nonsense pages or keep layout from finishing. */
static const struct {
  const char *key;
  double lo, hi;
} jx_ranges[] = {{"width_pt", 100, 5000},
                 {"height_pt", 100, 5000},
                 {"margin_top_pt", 0, 1000},
                 {"margin_bottom_pt", 0, 1000},
                 {"margin_left_pt", 0, 1000},
                 {"margin_right_pt", 0, 1000},
                 {"em_pt", 1, 100},
                 {"size_pt", 1, 200},
                 {"line_pitch_pt", 1, 500},
                 {"units_per_em", 10, 10000},
                 {"ascii_units", 0, 20000},
                 {"cell_padding_x_pt", 0, 50},
                 {"cell_padding_y_pt", 0, 50},
                 {"rule_width_pt", 0, 10},
                 {"table_top_first_pt", 0, 2000},
                 {"table_top_next_pt", 0, 2000},
                 {"gap_pt", 0, 500},
                 {"item_gap", 0, 100},
                 {"baseline_pt", 0, 2000},
                 {"x", 0, 1000},
                 {"columns", 0.1, 1000},
                 {"col", 0, 1000},
                 {"colspan", 1, 1000},
                 {"rowspan", 1, 1000},
                 {"text_row", 0, 1000},
                 {"label_col", 0, 1000},
                 {"level1_col", 0, 1000},
                 {"min_rows", 0, 100},
                 {"min_height_pt", 0, 700},
                 {"top_pt", 0, 2000},
                 {"next_top_pt", 0, 2000},
                 {"bottom_pt", 0, 1000}};

static bool num_of(jx_tload *ld, const jx_ynode *v, const char *key,
                   double *out) {
  if (!v)
    return false;
  if (v->kind == JX_YSCALAR && !v->is_null) {
    char *end = NULL;
    errno = 0;
    double d = strtod(v->str, &end);
    if (end != v->str && *end == '\0' && errno == 0 && isfinite(d)) {
      for (size_t i = 0; i < sizeof jx_ranges / sizeof *jx_ranges; i++)
        if (!strcmp(key, jx_ranges[i].key) &&
            (d < jx_ranges[i].lo || d > jx_ranges[i].hi)) {
          jx_error(ld->diags, v->pos,
                   "template: '%s' is %g; it must be between %g and %g", key, d,
                   jx_ranges[i].lo, jx_ranges[i].hi);
          return false;
        }
      *out = d;
      return true;
    }
  }
  jx_error(ld->diags, v->pos, "template: '%s' must be a number", key);
  return false;
}

/* Reads an optional number; keeps *out when absent. */
static void opt_num(jx_tload *ld, const jx_ynode *map, const char *key,
                    double *out) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (v)
    num_of(ld, v, key, out);
}

static double req_num(jx_tload *ld, const jx_ynode *map, const char *key) {
  double d = 0;
  num_of(ld, need(ld, map, key), key, &d);
  return d;
}

static bool opt_bool(jx_tload *ld, const jx_ynode *map, const char *key) {
  return jx_template_bool(ld->diags, map, key, false);
}

static int font_index(jx_tload *ld, const jx_ynode *v) {
  const char *name = str_of(ld, v, "font");
  if (!name)
    return ld->tpl->body_font;
  for (size_t i = 0; i < ld->tpl->font_count; i++)
    if (!strcmp(ld->tpl->fonts[i].name, name))
      return (int)i;
  jx_error(ld->diags, v->pos, "template: unknown font role '%s'", name);
  return ld->tpl->body_font;
}

static jx_halign halign_of(jx_tload *ld, const jx_ynode *v) {
  const char *s = str_of(ld, v, "align");
  if (!s || !strcmp(s, "left"))
    return JX_HALIGN_LEFT;
  if (!strcmp(s, "center"))
    return JX_HALIGN_CENTER;
  if (!strcmp(s, "right"))
    return JX_HALIGN_RIGHT;
  jx_error(ld->diags, v->pos,
           "template: align must be left, center or right, not '%s'", s);
  return JX_HALIGN_LEFT;
}

static jx_valign valign_of(jx_tload *ld, const jx_ynode *v) {
  const char *s = str_of(ld, v, "valign");
  if (!s || !strcmp(s, "top"))
    return JX_VALIGN_TOP;
  if (!strcmp(s, "middle"))
    return JX_VALIGN_MIDDLE;
  if (!strcmp(s, "bottom"))
    return JX_VALIGN_BOTTOM;
  jx_error(ld->diags, v->pos,
           "template: valign must be top, middle or bottom, not '%s'", s);
  return JX_VALIGN_TOP;
}

/* Checks the template's font_files (family -> the file it is usually in,
 * "path[#N]") and keeps it for load_fonts. */
static void load_font_files(jx_tload *ld, const jx_ynode *files) {
  if (!files)
    return;
  if (files->kind != JX_YMAP) {
    jx_error(ld->diags, files->pos,
             "template: 'font_files' must map font families to the files "
             "they are usually in");
    return;
  }
  for (size_t i = 0; i < files->count; i++)
    if (!str_of(ld, files->items[i], "font_files"))
      return;
  ld->font_files = files;
}

static void load_fonts(jx_tload *ld, const jx_ynode *fonts) {
  jx_template *t = ld->tpl;
  if (!fonts || fonts->kind != JX_YMAP || fonts->count == 0) {
    jx_error(ld->diags, fonts ? fonts->pos : ((jx_pos){t->path, 1, 1}),
             "template: 'fonts' must map role names to fonts");
    return;
  }
  t->fonts = jx_arena_alloc(ld->arena, fonts->count * sizeof *t->fonts);
  t->font_count = fonts->count;
  t->body_font = 0;
  for (size_t i = 0; i < fonts->count; i++) {
    jx_font_role *role = &t->fonts[i];
    const jx_ynode *spec = fonts->items[i];
    role->name = fonts->keys[i]->str;
    if (!strcmp(role->name, "body"))
      t->body_font = (int)i;
    if (spec->kind != JX_YMAP) {
      jx_error(ld->diags, spec->pos,
               "template: font role '%s' must be a mapping", role->name);
      continue;
    }
    static const char *const keys[] = {"faces", "size_pt", "line_pitch_pt",
                                       "bold", NULL};
    jx_template_keys(ld->diags, spec, "a font role", keys);
    const jx_ynode *faces = need(ld, spec, "faces");
    role->chain.size = req_num(ld, spec, "size_pt");
    role->line_pitch = role->chain.size * 1.25;
    opt_num(ld, spec, "line_pitch_pt", &role->line_pitch);
    role->chain.bold = opt_bool(ld, spec, "bold");
    if (!faces)
      continue;
    if (faces->kind != JX_YSEQ || faces->count == 0) {
      jx_error(ld->diags, faces->pos,
               "template: 'faces' must be a list of font families or files");
      continue;
    }
    uint16_t *ids = jx_arena_alloc(ld->arena, faces->count * sizeof *ids);
    size_t n = 0;
    for (size_t k = 0; k < faces->count; k++) {
      const char *name = str_of(ld, faces->items[k], "faces");
      if (!name)
        continue;
      const jx_ynode *usual = jx_ymap_get(ld->font_files, name);
      int id = jx_fonts_load_usual(ld->fonts, ld->diags, faces->items[k]->pos,
                                   name, usual ? usual->str : NULL);
      if (id >= 0)
        ids[n++] = (uint16_t)id;
    }
    role->chain.faces = ids;
    role->chain.count = n;
  }
}

static void load_styles(jx_tload *ld, const jx_ynode *styles) {
  if (!styles)
    return;
  if (styles->kind != JX_YMAP) {
    jx_error(ld->diags, styles->pos, "template: 'styles' must be a mapping");
    return;
  }
  ld->styles = jx_arena_alloc(ld->arena, styles->count * sizeof *ld->styles);
  for (size_t i = 0; i < styles->count; i++) {
    const jx_ynode *s = styles->items[i];
    static const char *const keys[] = {"align", "valign", "font", NULL};
    jx_template_keys(ld->diags, s, "a style", keys);
    jx_named_style *ns = &ld->styles[ld->style_count++];
    ns->name = styles->keys[i]->str;
    ns->style.halign = halign_of(ld, jx_ymap_get(s, "align"));
    ns->style.valign = valign_of(ld, jx_ymap_get(s, "valign"));
    ns->style.font = jx_ymap_get(s, "font")
                         ? font_index(ld, jx_ymap_get(s, "font"))
                         : ld->tpl->body_font;
  }
}

static jx_tstyle style_named(jx_tload *ld, const jx_ynode *v) {
  jx_tstyle def = {JX_HALIGN_LEFT, JX_VALIGN_TOP, ld->tpl->body_font};
  if (!v)
    return def;
  const char *name = str_of(ld, v, "style");
  if (!name)
    return def;
  for (size_t i = 0; i < ld->style_count; i++)
    if (!strcmp(ld->styles[i].name, name))
      return ld->styles[i].style;
  jx_error(ld->diags, v->pos, "template: unknown style '%s'", name);
  return def;
}

/* Checks that every {path} placeholder of a pattern names a model field. */
static void check_pattern(jx_tload *ld, const char *pattern, jx_pos pos) {
  for (const char *p = pattern; *p; p++) {
    if (p[0] == '{' && p[1] == '{') {
      p++;
      continue;
    }
    if (*p != '{')
      continue;
    const char *end = strchr(p, '}');
    if (!end) {
      jx_error(ld->diags, pos, "template: unclosed '{' in \"%s\"", pattern);
      return;
    }
    char path[128];
    size_t n = (size_t)(end - p - 1);
    if (n >= sizeof path)
      n = sizeof path - 1;
    memcpy(path, p + 1, n);
    path[n] = '\0';
    char *format = strchr(path, '|');
    if (format)
      *format++ = '\0';
    if (ld->names) { /* the packet's: its own facts */
      size_t k = 0;
      while (ld->names[k] && strcmp(ld->names[k], path))
        k++;
      if (!ld->names[k] || format) {
        char list[512] = "";
        size_t len = 0;
        for (size_t i = 0; ld->names[i] && len < sizeof list; i++)
          len += (size_t)snprintf(list + len, sizeof list - len, "%s{%s}",
                                  i ? ", " : "", ld->names[i]);
        jx_error(ld->diags, pos,
                 "template: '{%s}' is none of the packet's placeholders "
                 "here: %s",
                 path, *list ? list : "none");
      }
      p = end;
      continue;
    }
    int field = jx_content_field(&ld->tpl->content, path);
    if (field >= 0 && format &&
        (strcmp(format, "check") ||
         ld->tpl->content.fields[field].type != JX_FT_CHOICE))
      jx_error(ld->diags, pos,
               "template: '{%s|%s}': the only format is '|check', for a "
               "choice field (its choices as check boxes)",
               path, format);
    if (field >= 0)
      ld->tpl->content.fields[field].printed = true;
    else if (strcmp(path, "template"))
      jx_error(ld->diags, pos,
               "template: '{%s}' names no field declared under 'fields' "
               "(or a money block)",
               path);
    p = end;
  }
}

/* The placeholders of a packet's patterns (docs/templates.md 3.17): the
 * packet's facts, and in some rows those of a department, a project or
 * a kind of total. */
#define JX_PACKET_FACTS                                                        \
  "packet.title", "packet.years", "packet.departments", "packet.projects",     \
      "packet.pages", "packet.form_pages", "packet.front_pages",               \
      "packet.blank", "packet.kinds"
static const char *const cover_names[] = {JX_PACKET_FACTS, NULL};
static const char *const cover_total_names[] = {JX_PACKET_FACTS, "kind.label",
                                                "amount", "unit", NULL};
static const char *const cover_more_names[] = {JX_PACKET_FACTS, "packet.more",
                                               NULL};
/* the contents are laid out before the cover: their pages are not
 * counted yet */
static const char *const contents_names[] = {"packet.title",
                                             "packet.years",
                                             "packet.departments",
                                             "packet.projects",
                                             "packet.form_pages",
                                             "packet.kinds",
                                             "dept.title",
                                             "dept.code",
                                             "dept.name",
                                             "project.name",
                                             "kind.label",
                                             "amount",
                                             "unit",
                                             "page",
                                             NULL};
static const char *const footer_names[] = {"page", "pages", NULL};
static const char *const year_names[] = {"first", "last", NULL};

static void load_cell(jx_tload *ld, const jx_ynode *v, jx_tcell *c) {
  c->colspan = c->rowspan = 1;
  c->col = -1;
  c->pos = v->pos;
  c->font = ld->tpl->body_font;
  if (v->kind != JX_YMAP) {
    jx_error(ld->diags, v->pos, "template: a cell must be a mapping");
    c->pattern = "";
    return;
  }
  static const char *const keys[] = {
      "text",     "style", "col",    "colspan", "rowspan",    "vertical",
      "text_row", "align", "valign", "font",    "rule_above", NULL};
  jx_template_keys(ld->diags, v, "a cell", keys);
  c->rule_above = opt_bool(ld, v, "rule_above");
  const char *text = str_of(ld, jx_ymap_get(v, "text"), "text");
  c->pattern = text ? text : "";
  check_pattern(ld, c->pattern, v->pos);
  jx_tstyle st = style_named(ld, jx_ymap_get(v, "style"));
  c->halign = st.halign;
  c->valign = st.valign;
  c->font = st.font;
  if (jx_ymap_get(v, "align"))
    c->halign = halign_of(ld, jx_ymap_get(v, "align"));
  if (jx_ymap_get(v, "valign"))
    c->valign = valign_of(ld, jx_ymap_get(v, "valign"));
  if (jx_ymap_get(v, "font"))
    c->font = font_index(ld, jx_ymap_get(v, "font"));
  c->vertical = opt_bool(ld, v, "vertical");
  double d;
  if (jx_ymap_get(v, "col") && num_of(ld, jx_ymap_get(v, "col"), "col", &d))
    c->col = (int)d;
  if (jx_ymap_get(v, "colspan") &&
      num_of(ld, jx_ymap_get(v, "colspan"), "colspan", &d))
    c->colspan = d < 1 ? 1 : (int)d;
  if (jx_ymap_get(v, "rowspan") &&
      num_of(ld, jx_ymap_get(v, "rowspan"), "rowspan", &d))
    c->rowspan = d < 1 ? 1 : (int)d;
  if (jx_ymap_get(v, "text_row") &&
      num_of(ld, jx_ymap_get(v, "text_row"), "text_row", &d))
    c->text_row = d < 0 ? 0 : d >= c->rowspan ? c->rowspan - 1 : (int)d;
}

/* Loads a row of cells, placing cells without `col` in the next column not
 * taken by a rowspan from above (HTML table rules).  `taken` has
 * `ncols` entries counting the rows each column is still taken for. */
static void load_row(jx_tload *ld, const jx_ynode *v, jx_trow *row, int *taken,
                     size_t ncols) {
  row->pos = v->pos;
  if (ld->cover)
    ld->names = cover_names;
  if (v->kind == JX_YMAP) {
    /* {min_height_pt: N, keep_with_next: B, cells: [...]} (and on a
     * packet's cover each: total | more) */
    static const char *const keys[] = {"min_height_pt", "keep_with_next",
                                       "cells", NULL};
    static const char *const cover_keys[] = {"min_height_pt", "keep_with_next",
                                             "each", "cells", NULL};
    jx_template_keys(ld->diags, v, "a row", ld->cover ? cover_keys : keys);
    row->keep_with_next = opt_bool(ld, v, "keep_with_next");
    const jx_ynode *each = ld->cover ? jx_ymap_get(v, "each") : NULL;
    const char *e = str_of(ld, each, "each");
    if (e && !strcmp(e, "total"))
      row->each = JX_EACH_TOTAL;
    else if (e && !strcmp(e, "more"))
      row->each = JX_EACH_MORE;
    else if (e)
      jx_error(ld->diags, each->pos,
               "template: 'each' must be total (a row for each kind of "
               "total) or more (instead of those that do not fit), not '%s'",
               e);
    if (row->each == JX_EACH_TOTAL)
      ld->names = cover_total_names;
    else if (row->each == JX_EACH_MORE)
      ld->names = cover_more_names;
    opt_num(ld, v, "min_height_pt", &row->min_height);
    if (row->min_height < 0 || row->min_height > 700) {
      jx_error(ld->diags, v->pos,
               "template: 'min_height_pt' must be between 0 and 700");
      row->min_height = 0;
    }
    const jx_ynode *cells = need(ld, v, "cells");
    if (!cells)
      return;
    v = cells;
  }
  if (v->kind != JX_YSEQ) {
    jx_error(ld->diags, v->pos, "template: a row must be a list of cells");
    return;
  }
  row->cells = jx_arena_alloc(ld->arena, (v->count + 1) * sizeof *row->cells);
  row->count = v->count;
  int cursor = 0;
  for (size_t i = 0; i < v->count; i++) {
    jx_tcell *c = &row->cells[i];
    load_cell(ld, v->items[i], c);
    if (c->col < 0) {
      while (cursor < (int)ncols && taken[cursor] > 0)
        cursor++;
      c->col = cursor;
    }
    if (c->col + c->colspan > (int)ncols) {
      jx_error(ld->diags, c->pos,
               "template: cell reaches column %d of a band with %zu columns",
               c->col + c->colspan, ncols);
      c->col = 0;
      c->colspan = 1;
    }
    for (int k = c->col; k < c->col + c->colspan; k++)
      taken[k] = c->rowspan;
    cursor = c->col + c->colspan;
  }
  for (size_t k = 0; k < ncols; k++)
    if (taken[k] > 0)
      taken[k]--;
  if (ld->cover)
    ld->names = cover_names;
}

static int col_of(jx_tload *ld, const jx_ynode *map, const char *key,
                  size_t ncols) {
  const jx_ynode *v = jx_ymap_get(map, key);
  double d = -1;
  if (v && !num_of(ld, v, key, &d))
    return -1;
  if (d >= (double)ncols) {
    jx_error(ld->diags, v->pos, "template: '%s' is past the last column", key);
    return -1;
  }
  return (int)d;
}

/* The styles of a grid's columns: `own` (a mapping of column ids to
 * style names) over `base` (NULL: the default style). */
static jx_tstyle *load_col_styles(jx_tload *ld, const jx_ynode *own,
                                  const jx_grid_def *def,
                                  const jx_tstyle *base) {
  jx_tstyle *styles =
      jx_arena_alloc(ld->arena, (def->col_count + 1) * sizeof *styles);
  for (size_t k = 0; k < def->col_count; k++)
    styles[k] = base ? base[k] : style_named(ld, NULL);
  if (!own)
    return styles;
  if (own->kind != JX_YMAP) {
    jx_error(ld->diags, own->pos,
             "template: 'styles' must be a mapping of column ids to style "
             "names");
    return styles;
  }
  for (size_t k = 0; k < own->count; k++) {
    int col = jx_grid_col(def, own->keys[k]->str);
    if (col >= 0)
      styles[col] = style_named(ld, own->items[k]);
    else
      jx_error(ld->diags, own->keys[k]->pos,
               "template: grid '%s' has no column '%s'", def->id,
               own->keys[k]->str);
  }
  return styles;
}

/* Reads a side's `cols` mapping (grid column id → band column). */
static int *load_col_at(jx_tload *ld, const jx_ynode *cols,
                        const jx_grid_def *def, size_t ncols) {
  int *at = jx_arena_alloc(ld->arena, (def->col_count + 1) * sizeof *at);
  for (size_t k = 0; k < def->col_count; k++)
    at[k] = -1;
  if (!cols)
    return at;
  if (cols->kind != JX_YMAP) {
    jx_error(ld->diags, cols->pos,
             "template: 'cols' must be a mapping of column ids to band "
             "columns, like {level3: 3, value: 4}");
    return at;
  }
  for (size_t k = 0; k < cols->count; k++) {
    int col = jx_grid_col(def, cols->keys[k]->str);
    if (col < 0) {
      jx_error(ld->diags, cols->keys[k]->pos,
               "template: grid '%s' has no column '%s'", def->id,
               cols->keys[k]->str);
      continue;
    }
    at[col] = col_of(ld, cols, cols->keys[k]->str, ncols);
  }
  return at;
}

static void load_grid(jx_tload *ld, const jx_ynode *v, jx_tband *band) {
  jx_tgrid *g = &band->grid;
  size_t ncols = band->column_count;
  const jx_content *content = &ld->tpl->content;
  const char *list = str_of(ld, need(ld, v, "list"), "list");
  g->grid = list ? jx_content_grid(content, list) : -1;
  if (list && g->grid < 0) {
    jx_error(ld->diags, jx_ymap_get(v, "list")->pos,
             "template: no grid '%s' is declared under 'grids'", list);
    return;
  }
  if (g->grid < 0)
    return;
  const jx_grid_def *def = &content->grids[g->grid];
  static const char *const keys[] = {"list",          "label",
                                     "label_col",     "label_style",
                                     "label_align",   "repeat_header",
                                     "header",        "level1_col",
                                     "level1_repeat", "hide_empty_groups",
                                     "min_rows",      "sides",
                                     "cols",          "styles",
                                     "merge",         NULL};
  jx_template_keys(ld->diags, v, "a grid band", keys);
  g->label = str_of(ld, jx_ymap_get(v, "label"), "label");
  g->label_col =
      jx_ymap_get(v, "label_col") ? col_of(ld, v, "label_col", ncols) : -1;
  g->label_style = style_named(ld, jx_ymap_get(v, "label_style"));
  g->label_align = jx_ymap_get(v, "label_align")
                       ? halign_of(ld, jx_ymap_get(v, "label_align"))
                       : JX_HALIGN_CENTER;
  g->repeat_header = opt_bool(ld, v, "repeat_header");
  g->level1_repeat = opt_bool(ld, v, "level1_repeat");
  g->hide_empty = opt_bool(ld, v, "hide_empty_groups");
  double d = 1;
  opt_num(ld, v, "min_rows", &d);
  g->min_rows = d < 0 ? 0 : d > 100 ? 100 : (int)d;
  g->level1_col =
      jx_ymap_get(v, "level1_col") ? col_of(ld, v, "level1_col", ncols) : -1;
  const jx_ynode *merge = jx_ymap_get(v, "merge");
  if (merge && (merge->kind != JX_YSEQ || def->frame_count)) {
    jx_error(ld->diags, merge->pos,
             "template: 'merge' is a list of column ids, for a grid with no "
             "frame");
  } else if (merge) {
    g->merge = jx_arena_alloc(ld->arena, def->col_count + 1);
    for (size_t k = 0; k < merge->count; k++) {
      const jx_ynode *id = merge->items[k];
      int col = id->kind == JX_YSCALAR ? jx_grid_col(def, id->str) : -1;
      if (col < 0)
        jx_error(ld->diags, id->pos, "template: grid '%s' has no column '%s'",
                 def->id, id->kind == JX_YSCALAR ? id->str : "?");
      else
        g->merge[col] = true;
    }
  }
  int *taken = jx_arena_alloc(ld->arena, ncols * sizeof *taken);
  /* one row of cells, or a list of rows (a two-level header: a cell with
   * `rowspan` reaches down, one with `colspan` across) */
  const jx_ynode *header = jx_ymap_get(v, "header");
  if (header && header->kind == JX_YSEQ && header->count &&
      header->items[0]->kind == JX_YSEQ) {
    g->header =
        jx_arena_alloc(ld->arena, (header->count + 1) * sizeof *g->header);
    for (size_t r = 0; r < header->count; r++)
      load_row(ld, header->items[r], &g->header[g->header_count++], taken,
               ncols);
  } else if (header) {
    g->header = jx_arena_alloc(ld->arena, sizeof *g->header);
    load_row(ld, header, &g->header[0], taken, ncols);
    g->header_count = 1;
  }
  const jx_ynode *styles = jx_ymap_get(v, "styles");
  jx_tstyle *grid_styles = load_col_styles(ld, styles, def, NULL);
  if (def->level1 >= 0)
    g->level1_style = grid_styles[def->level1];
  const jx_ynode *sides = jx_ymap_get(v, "sides");
  if (!def->side_count) {
    if (sides)
      jx_error(ld->diags, sides->pos,
               "template: grid '%s' has no sides; give its columns as "
               "'cols: {ID: N, …}'",
               def->id);
    g->sides = jx_arena_alloc(ld->arena, sizeof *g->sides);
    g->sides[0].list = 0;
    g->sides[0].col_at = load_col_at(ld, jx_ymap_get(v, "cols"), def, ncols);
    g->sides[0].styles = grid_styles;
    g->side_count = 1;
    return;
  }
  if (!sides || sides->kind != JX_YSEQ) {
    jx_error(ld->diags, sides ? sides->pos : v->pos,
             "template: 'sides' must be a list of {side, cols}");
    return;
  }
  g->sides = jx_arena_alloc(ld->arena, (sides->count + 1) * sizeof *g->sides);
  for (size_t i = 0; i < sides->count; i++) {
    const jx_ynode *s = sides->items[i];
    static const char *const side_keys[] = {"side", "cols", "styles", NULL};
    jx_template_keys(ld->diags, s, "a grid band's side", side_keys);
    jx_tside *side = &g->sides[g->side_count];
    const char *name = str_of(ld, need(ld, s, "side"), "side");
    if (!name)
      continue;
    side->list = -1;
    for (size_t k = 0; k < def->side_count; k++)
      if (!strcmp(name, def->side_ids[k]))
        side->list = (int)k;
    if (side->list < 0) {
      jx_error(ld->diags, s->pos, "template: grid '%s' has no side '%s'",
               def->id, name);
      continue;
    }
    side->col_at = load_col_at(ld, jx_ymap_get(s, "cols"), def, ncols);
    side->styles =
        load_col_styles(ld, jx_ymap_get(s, "styles"), def, grid_styles);
    g->side_count++;
  }
}

/* The widths of a band's columns (`cols`, em; "*" takes an equal share
 * of what the others leave of the width between the page's margins) into
 * band->columns.  Returns their sum in points, or -1 after an error. */
static double load_columns(jx_tload *ld, const jx_ynode *cols, jx_tband *band) {
  if (!cols || cols->kind != JX_YSEQ || cols->count == 0) {
    if (cols)
      jx_error(ld->diags, cols->pos,
               "template: 'columns' must be a list of widths");
    return -1;
  }
  const jx_template *t = ld->tpl;
  band->columns = jx_arena_alloc(ld->arena, cols->count * sizeof(double));
  band->column_count = cols->count;
  double sum = 0;
  size_t stars = 0;
  for (size_t k = 0; k < cols->count; k++) {
    const jx_ynode *c = cols->items[k];
    if (c->kind == JX_YSCALAR && !strcmp(c->str, "*")) {
      band->columns[k] = -1;
      stars++;
      continue;
    }
    double w = 0;
    num_of(ld, c, "columns", &w);
    band->columns[k] = w * ld->em;
    sum += band->columns[k];
  }
  if (stars) {
    double rest = t->page_width - t->margin_left - t->margin_right - sum;
    if (rest < 1) {
      jx_error(ld->diags, cols->pos,
               "template: the columns leave no width for '*' between the "
               "page's margins");
      return -1;
    }
    for (size_t k = 0; k < cols->count; k++)
      if (band->columns[k] < 0)
        band->columns[k] = rest / (double)stars;
    sum += rest;
  }
  return sum;
}

/* Loads the rows of `band` (its columns loaded) from the list `rows`. */
static void load_rows(jx_tload *ld, const jx_ynode *rows, jx_tband *band) {
  band->rows =
      jx_arena_alloc(ld->arena, (rows->count + 1) * sizeof *band->rows);
  band->row_count = rows->count;
  int *taken = jx_arena_alloc(ld->arena, band->column_count * sizeof *taken);
  for (size_t r = 0; r < rows->count; r++)
    load_row(ld, rows->items[r], &band->rows[r], taken, band->column_count);
}

/* Loads band `b` into `band`; its columns' sum in points, -1 when it has
 * none (the band is then to be dropped).  A packet's band (`packet`) has
 * rows only, no grid. */
static double load_band(jx_tload *ld, const jx_ynode *b, jx_tband *band,
                        bool packet) {
  static const char *const keys[] = {"columns", "rows", "grid", "borders",
                                     NULL};
  static const char *const packet_keys[] = {"columns", "rows", "borders", NULL};
  jx_template_keys(ld->diags, b, "a band", packet ? packet_keys : keys);
  double sum = load_columns(ld, need(ld, b, "columns"), band);
  if (sum < 0)
    return -1;
  band->borderless = !jx_template_bool(ld->diags, b, "borders", true);
  const jx_ynode *grid = packet ? NULL : jx_ymap_get(b, "grid");
  if (grid) {
    band->kind = JX_BAND_GRID;
    load_grid(ld, grid, band);
    return sum;
  }
  const jx_ynode *rows = need(ld, b, "rows");
  if (!rows)
    return sum;
  if (rows->kind != JX_YSEQ) {
    jx_error(ld->diags, rows->pos, "template: 'rows' must be a list");
    return sum;
  }
  band->kind = JX_BAND_ROWS;
  load_rows(ld, rows, band);
  return sum;
}

static void load_bands(jx_tload *ld, const jx_ynode *bands) {
  jx_template *t = ld->tpl;
  if (!bands || bands->kind != JX_YSEQ) {
    if (bands)
      jx_error(ld->diags, bands->pos, "template: 'bands' must be a list");
    return;
  }
  t->bands = jx_arena_alloc(ld->arena, (bands->count + 1) * sizeof *t->bands);
  for (size_t i = 0; i < bands->count; i++) {
    jx_tband *band = &t->bands[t->band_count++];
    double sum = load_band(ld, bands->items[i], band, false);
    if (sum < 0) {
      t->band_count--;
      continue;
    }
    if (i == 0)
      t->table_width = sum;
    else if (fabs(sum - t->table_width) > 0.01)
      jx_error(ld->diags, jx_ymap_get(bands->items[i], "columns")->pos,
               "template: the columns add up to %.2f pt, the first band's to "
               "%.2f pt; every band must span the table's width",
               sum, t->table_width);
  }
}

static jx_tline *load_lines(jx_tload *ld, const jx_ynode *list, size_t *count,
                            bool footer) {
  *count = 0;
  if (!list)
    return NULL;
  if (list->kind != JX_YSEQ) {
    jx_error(ld->diags, list->pos, "template: expected a list of lines");
    return NULL;
  }
  jx_tline *lines =
      jx_arena_alloc(ld->arena, (list->count + 1) * sizeof *lines);
  for (size_t i = 0; i < list->count; i++) {
    const jx_ynode *v = list->items[i];
    static const char *const heading_keys[] = {"text", "font", "baseline_pt",
                                               "align", NULL};
    static const char *const footer_keys[] = {"text", "font", "x", "align",
                                              NULL};
    jx_template_keys(ld->diags, v, footer ? "a footer item" : "a heading line",
                     footer ? footer_keys : heading_keys);
    jx_tline *l = &lines[(*count)++];
    const char *text = str_of(ld, need(ld, v, "text"), "text");
    l->pattern = text ? text : "";
    check_pattern(ld, l->pattern, v->pos);
    l->font = jx_ymap_get(v, "font") ? font_index(ld, jx_ymap_get(v, "font"))
                                     : ld->tpl->body_font;
    l->halign = halign_of(ld, jx_ymap_get(v, "align"));
    if (footer) {
      double x = 0;
      opt_num(ld, v, "x", &x);
      l->x = x * ld->em;
    } else {
      l->baseline = req_num(ld, v, "baseline_pt");
    }
  }
  return lines;
}

/* One text of the packet section, checked against `names`; `def` when
 * the key is absent. */
static const char *packet_text(jx_tload *ld, const jx_ynode *map,
                               const char *key, const char *const *names,
                               const char *def) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (!v)
    return def;
  const char *text = str_of(ld, v, key);
  if (text) {
    ld->names = names;
    check_pattern(ld, text, v->pos);
  }
  return text ? text : def;
}

/* False (reported) unless `v` is a mapping; `what` names it ("'packet'"). */
static bool is_map(jx_tload *ld, const jx_ynode *v, const char *what) {
  if (v->kind == JX_YMAP)
    return true;
  if (v->kind == JX_YSEQ)
    jx_error(ld->diags, v->pos,
             "template: %s must be a mapping, not a sequence", what);
  else
    jx_error(ld->diags, v->pos, "template: %s must be a mapping, not a scalar",
             what);
  return false;
}

/* A packet's cover or contents (`v`, a mapping): its band (borderless
 * unless `borders: true`), from the key `rows_key` (the contents' first
 * rows are its `head`), and where it starts on the page. */
static bool load_part(jx_tload *ld, const jx_ynode *v, jx_tpart *part,
                      const char *what, const char *const *keys,
                      const char *rows_key) {
  if (!is_map(ld, v, what))
    return false;
  jx_template_keys(ld->diags, v, what, keys);
  opt_num(ld, v, "top_pt", &part->top_first);
  part->top_next = part->top_first;
  opt_num(ld, v, "next_top_pt", &part->top_next);
  part->bands = jx_arena_alloc(ld->arena, sizeof *part->bands);
  jx_tband *band = &part->bands[0];
  if (load_columns(ld, need(ld, v, "columns"), band) < 0)
    return false;
  part->band_count = 1;
  band->kind = JX_BAND_ROWS;
  band->borderless = !jx_template_bool(ld->diags, v, "borders", false);
  const jx_ynode *rows = jx_ymap_get(v, rows_key);
  if (!rows)
    return true;
  if (rows->kind != JX_YSEQ) {
    jx_error(ld->diags, rows->pos, "template: '%s' must be a list", rows_key);
    return true;
  }
  load_rows(ld, rows, band);
  return true;
}

/* The keys of `packet.contents.rows`, in jx_prow_kind order. */
static const char *const packet_row_keys[] = {"department",
                                              "continued",
                                              "project",
                                              "subtotal",
                                              "subtotal_kinds",
                                              "departments",
                                              "department_total",
                                              "department_total_kinds",
                                              "total",
                                              "total_kinds",
                                              NULL};

/* The `packet` section: cover, contents, footer and the words around
 * them (docs/templates.md 3.17).  Without it (or left empty) the
 * template has none. */
static void load_packet(jx_tload *ld, const jx_ynode *v) {
  jx_tpacket *pk = &ld->tpl->packet;
  if (!v || (v->kind == JX_YSCALAR && v->is_null))
    return; /* none (a variant may say so: `packet:` with no value) */
  if (!is_map(ld, v, "'packet'"))
    return;
  pk->present = true;
  static const char *const keys[] = {
      "cover",   "contents",    "footer",         "years",   "blank",
      "missing", "cover_label", "contents_label", "subject", NULL};
  jx_template_keys(ld->diags, v, "'packet'", keys);
  static const char *const none[] = {NULL};
  pk->year_range = packet_text(ld, v, "years", year_names, "{first}-{last}");
  pk->blank = packet_text(ld, v, "blank", none, "");
  pk->missing = packet_text(ld, v, "missing", none, "");
  pk->subject = packet_text(ld, v, "subject", cover_names, NULL);
  pk->cover_label = packet_text(ld, v, "cover_label", none, NULL);
  pk->contents_label = packet_text(ld, v, "contents_label", none, NULL);
  const jx_ynode *cover = jx_ymap_get(v, "cover");
  if (cover) {
    static const char *const cover_keys[] = {"top_pt", "columns", "rows",
                                             "borders", NULL};
    ld->names = cover_names;
    ld->cover = true;
    load_part(ld, cover, &pk->cover, "'packet.cover'", cover_keys, "rows");
    ld->cover = false;
  }
  const jx_ynode *contents = jx_ymap_get(v, "contents");
  if (contents) {
    static const char *const contents_keys[] = {
        "top_pt", "next_top_pt", "columns", "head", "rows", "borders", NULL};
    ld->names = contents_names;
    jx_tpart *part = &pk->contents;
    if (load_part(ld, contents, part, "'packet.contents'", contents_keys,
                  "head")) {
      const jx_ynode *rows = need(ld, contents, "rows");
      if (rows && rows->kind != JX_YMAP)
        jx_error(ld->diags, rows->pos,
                 "template: 'packet.contents.rows' must map kinds of row "
                 "(department, project, subtotal, total, …) to rows");
      else if (rows) {
        jx_template_keys(ld->diags, rows, "'packet.contents.rows'",
                         packet_row_keys);
        const jx_tband *band = &part->bands[0];
        for (size_t k = 0; k < JX_PROW_COUNT; k++) {
          const jx_ynode *row = jx_ymap_get(rows, packet_row_keys[k]);
          if (!row)
            continue;
          int *taken =
              jx_arena_alloc(ld->arena, band->column_count * sizeof *taken);
          load_row(ld, row, &pk->rows[k], taken, band->column_count);
        }
        if (!pk->rows[JX_PROW_PROJECT].count)
          jx_error(ld->diags, rows->pos,
                   "template: 'packet.contents.rows' has no 'project' row");
      }
    }
  }
  const jx_ynode *footer = jx_ymap_get(v, "footer");
  if (footer && is_map(ld, footer, "'packet.footer'")) {
    static const char *const footer_keys[] = {"text", "font", "align",
                                              "bottom_pt", NULL};
    jx_template_keys(ld->diags, footer, "'packet.footer'", footer_keys);
    jx_tline *l = &pk->footer;
    l->pattern = packet_text(ld, footer, "text", footer_names, NULL);
    if (!l->pattern)
      need(ld, footer, "text");
    l->font = jx_ymap_get(footer, "font")
                  ? font_index(ld, jx_ymap_get(footer, "font"))
                  : ld->tpl->body_font;
    l->halign = jx_ymap_get(footer, "align")
                    ? halign_of(ld, jx_ymap_get(footer, "align"))
                    : JX_HALIGN_CENTER;
    pk->footer_bottom = ld->tpl->margin_bottom / 2;
    opt_num(ld, footer, "bottom_pt", &pk->footer_bottom);
  }
  ld->names = NULL;
}

/* Reads the whole file into the arena; NULL (with a diagnostic) on error. */
static char *read_file(jx_arena *arena, jx_diag_list *diags, const char *path,
                       size_t *size) {
  jx_pos at = {path, 0, 0};
  /* A template is untrusted input like a project: a regular file (a FIFO
   * or a device would hang or never end), at most the project limit. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    jx_error(diags, at, "cannot open template: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    jx_error(diags, at, "cannot read template: not a regular file");
    return NULL;
  }
  if (st.st_size > (off_t)JX_LIMIT_FILE_BYTES) {
    close(fd);
    jx_error(diags, at, "template is larger than the %s limit",
             JX_LIMIT_FILE_TEXT);
    return NULL;
  }
  size_t cap = (size_t)st.st_size + 1, n = 0;
  char *buf = jx_arena_alloc(arena, cap + 1);
  for (;;) {
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int err = errno;
      close(fd);
      jx_error(diags, at, "cannot read template: %s", strerror(err));
      return NULL;
    }
    if (got == 0)
      break;
    n += (size_t)got;
    if (n == cap) { /* it grew while we read: refuse rather than chase */
      close(fd);
      jx_error(diags, at, "template changed while it was read");
      return NULL;
    }
  }
  close(fd);
  buf[n] = '\0';
  *size = n;
  return buf;
}

/* Returns a mapping holding base's keys with child's values put over them:
 * a key whose values are mappings on both sides is merged one level down
 * (so a child can change one style or one page margin), anything else in
 * the child replaces the base's value.  Nodes are shared, not copied. */
static jx_ynode *overlay(jx_arena *arena, const jx_ynode *base,
                         const jx_ynode *child, int depth) {
  size_t cap = base->count + child->count;
  jx_ynode *m = jx_arena_alloc(arena, sizeof *m);
  *m = *child;
  m->keys = jx_arena_alloc(arena, (cap + 1) * sizeof *m->keys);
  m->items = jx_arena_alloc(arena, (cap + 1) * sizeof *m->items);
  m->count = 0;
  for (size_t i = 0; i < base->count; i++) {
    const jx_ynode *over = jx_ymap_get(child, base->keys[i]->str);
    jx_ynode *v = base->items[i];
    if (over && depth < 1 && over->kind == JX_YMAP && v->kind == JX_YMAP)
      v = overlay(arena, v, over, depth + 1);
    else if (over)
      v = (jx_ynode *)over;
    m->keys[m->count] = base->keys[i];
    m->items[m->count++] = v;
  }
  for (size_t i = 0; i < child->count; i++)
    if (!jx_ymap_get(base, child->keys[i]->str)) {
      m->keys[m->count] = child->keys[i];
      m->items[m->count++] = child->items[i];
    }
  return m;
}

/* Reads and parses templates/NAME.yaml; a template with `extends: BASE`
 * is laid over its base (recursively, at most `depth` more levels).
 * Returns the root mapping, or NULL after recording errors. */
static jx_ynode *template_tree_data(jx_arena *arena, jx_diag_list *diags,
                                    const char *dir, const char *path,
                                    const char *data, size_t size, int depth);

static jx_ynode *template_tree(jx_arena *arena, jx_diag_list *diags,
                               const char *dir, const char *name,
                               const char **path_out, int depth) {
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == '\\' || (p == name && *p == '.')) {
      jx_error(diags, ((jx_pos){0}), "invalid template name '%s'", name);
      return NULL;
    }
  const char *path = jx_arena_printf(arena, "%s/%s.yaml", dir, name);
  *path_out = path;
  size_t size = 0;
  char *data = read_file(arena, diags, path, &size);
  if (!data)
    return NULL;
  return template_tree_data(arena, diags, dir, path, data, size, depth);
}

/* template_tree for a template already read: `data` (NUL-terminated,
 * `size` bytes) named `path`; its base is looked for in `dir`. */
static jx_ynode *template_tree_data(jx_arena *arena, jx_diag_list *diags,
                                    const char *dir, const char *path,
                                    const char *data, size_t size, int depth) {
  jx_ynode *root = jx_yaml_parse(arena, diags, path, data, size);
  if (!root)
    return NULL;
  if (root->kind != JX_YMAP) {
    jx_error(diags, root->pos, "template: expected a mapping at the top");
    return NULL;
  }
  const jx_ynode *ext = jx_ymap_get(root, "extends");
  if (!ext)
    return root;
  if (ext->kind != JX_YSCALAR || ext->is_null) {
    jx_error(diags, ext->pos, "template: 'extends' must name a template");
    return NULL;
  }
  if (depth <= 0) {
    jx_error(diags, ext->pos,
             "template: 'extends' goes more than 8 templates deep (a loop?)");
    return NULL;
  }
  const char *base_path = NULL;
  jx_ynode *base =
      template_tree(arena, diags, dir, ext->str, &base_path, depth - 1);
  if (!base) {
    jx_error(diags, ext->pos, "template: cannot load the base template '%s'",
             ext->str);
    return NULL;
  }
  return overlay(arena, base, root, 0);
}

static jx_template *template_from_tree(jx_arena *arena, jx_diag_list *diags,
                                       jx_fonts *fonts, jx_ynode *root,
                                       const char *path, size_t errors_before);

jx_template *jx_template_load(jx_arena *arena, jx_diag_list *diags,
                              jx_fonts *fonts, const char *dir,
                              const char *name) {
  const char *path = NULL;
  size_t before = diags->errors;
  jx_ynode *root = template_tree(arena, diags, dir, name, &path, 8);
  return root ? template_from_tree(arena, diags, fonts, root, path, before)
              : NULL;
}

jx_template *jx_template_load_buffer(jx_arena *arena, jx_diag_list *diags,
                                     jx_fonts *fonts, const char *dir,
                                     const char *name, const char *data,
                                     size_t size) {
  size_t before = diags->errors;
  if (size > JX_LIMIT_FILE_BYTES) {
    jx_error(diags, ((jx_pos){name, 0, 0}),
             "template is larger than the %s limit", JX_LIMIT_FILE_TEXT);
    return NULL;
  }
  char *copy = jx_arena_strndup(arena, data, size);
  jx_ynode *root = template_tree_data(arena, diags, dir, name, copy, size, 8);
  return root ? template_from_tree(arena, diags, fonts, root, name, before)
              : NULL;
}

/* The template of the merged tree `root` (read from `path`). */
static jx_template *template_from_tree(jx_arena *arena, jx_diag_list *diags,
                                       jx_fonts *fonts, jx_ynode *root,
                                       const char *path, size_t errors_before) {
  jx_tload ld = {.arena = arena,
                 .diags = diags,
                 .fonts = fonts,
                 .em = 8,
                 .errors_before = errors_before};
  jx_template *t = jx_arena_alloc(arena, sizeof *t);
  ld.tpl = t;
  t->path = path;
  t->name = str_of(&ld, need(&ld, root, "name"), "name");
  t->title = str_of(&ld, jx_ymap_get(root, "title"), "title");
  if (!t->title)
    t->title = t->name;
  t->author = str_of(&ld, jx_ymap_get(root, "author"), "author");
  static const char *const root_keys[] = {"extends",
                                          "name",
                                          "title",
                                          "author",
                                          "fields",
                                          "groups",
                                          "money",
                                          "grids",
                                          "rules",
                                          "index",
                                          "page",
                                          "em_pt",
                                          "fonts",
                                          "font_files",
                                          "text",
                                          "cell_padding_x_pt",
                                          "cell_padding_y_pt",
                                          "rule_width_pt",
                                          "styles",
                                          "heading",
                                          "table_top_first_pt",
                                          "table_top_next_pt",
                                          "footer",
                                          "bands",
                                          "packet",
                                          NULL};
  jx_template_keys(diags, root, "the template", root_keys);
  static const char *const page_keys[] = {"width_pt",
                                          "height_pt",
                                          "margin_top_pt",
                                          "margin_bottom_pt",
                                          "margin_left_pt",
                                          "margin_right_pt",
                                          NULL};
  jx_template_keys(diags, jx_ymap_get(root, "page"), "'page'", page_keys);
  static const char *const text_keys[] = {
      "units_per_em", "ascii_units",          "no_start",
      "no_end",       "compress_punctuation", NULL};
  jx_template_keys(diags, jx_ymap_get(root, "text"), "'text'", text_keys);
  static const char *const footer_keys[] = {"gap_pt", "align", "item_gap",
                                            "items", NULL};
  jx_template_keys(diags, jx_ymap_get(root, "footer"), "'footer'", footer_keys);
  jx_content_load(arena, diags, root, &t->content);
  const jx_ynode *page = need(&ld, root, "page");
  if (page) {
    t->page_width = req_num(&ld, page, "width_pt");
    t->page_height = req_num(&ld, page, "height_pt");
    t->margin_top = req_num(&ld, page, "margin_top_pt");
    t->margin_bottom = req_num(&ld, page, "margin_bottom_pt");
    t->margin_left = req_num(&ld, page, "margin_left_pt");
    t->margin_right = req_num(&ld, page, "margin_right_pt");
  }
  ld.em = req_num(&ld, root, "em_pt");
  load_font_files(&ld, jx_ymap_get(root, "font_files"));
  load_fonts(&ld, need(&ld, root, "fonts"));
  const jx_ynode *text = jx_ymap_get(root, "text");
  double d = 100;
  t->rules.units_per_em = 100;
  t->rules.ascii_units = 0;
  t->rules.no_start = "，；。、：！？）》」』】〕〗〙〛｝〉";
  t->rules.no_end = "（《「『【〔〖〘〚｛〈";
  if (text) {
    if (jx_ymap_get(text, "units_per_em")) {
      opt_num(&ld, text, "units_per_em", &d);
      t->rules.units_per_em = (int)d;
    }
    if (jx_ymap_get(text, "ascii_units")) {
      d = 0;
      opt_num(&ld, text, "ascii_units", &d);
      t->rules.ascii_units = (int)d;
    }
    const char *s = str_of(&ld, jx_ymap_get(text, "no_start"), "no_start");
    if (s)
      t->rules.no_start = s;
    s = str_of(&ld, jx_ymap_get(text, "no_end"), "no_end");
    if (s)
      t->rules.no_end = s;
    t->rules.compress_punctuation = opt_bool(&ld, text, "compress_punctuation");
  }
  t->padding_x = t->padding_y = 2;
  t->rule_width = 0.5;
  opt_num(&ld, root, "cell_padding_x_pt", &t->padding_x);
  opt_num(&ld, root, "cell_padding_y_pt", &t->padding_y);
  opt_num(&ld, root, "rule_width_pt", &t->rule_width);
  load_styles(&ld, jx_ymap_get(root, "styles"));
  t->heading =
      load_lines(&ld, jx_ymap_get(root, "heading"), &t->heading_count, false);
  opt_num(&ld, root, "table_top_first_pt", &t->table_top_first);
  opt_num(&ld, root, "table_top_next_pt", &t->table_top_next);
  const jx_ynode *footer = jx_ymap_get(root, "footer");
  if (footer) {
    opt_num(&ld, footer, "gap_pt", &t->footer_gap);
    if (jx_ymap_get(footer, "align")) {
      t->footer_flow = true;
      t->footer_align = halign_of(&ld, jx_ymap_get(footer, "align"));
      t->footer_item_gap = 1;
      opt_num(&ld, footer, "item_gap", &t->footer_item_gap);
      t->footer_item_gap *= ld.em;
    }
    t->footer =
        load_lines(&ld, jx_ymap_get(footer, "items"), &t->footer_count, true);
  }
  load_bands(&ld, need(&ld, root, "bands"));
  load_packet(&ld, jx_ymap_get(root, "packet"));
  if (!failed(&ld) && t->band_count == 0)
    jx_error(diags, root->pos, "template: no bands");
  /* Room for at least a few lines of the tallest font on every page, so
   * that layout always makes progress. */
  double pitch = 0;
  for (size_t i = 0; i < t->font_count; i++)
    if (t->fonts[i].line_pitch > pitch)
      pitch = t->fonts[i].line_pitch;
  double room =
      t->page_height - t->margin_top - t->margin_bottom - t->table_top_next;
  if (!failed(&ld) && room < 3 * (pitch + 2 * t->padding_y))
    jx_error(diags, root->pos,
             "template: a page leaves %.1f pt for the table, less than three "
             "lines of %.1f pt with their padding; make the margins or "
             "table_top_next_pt smaller",
             room, pitch);
  if (!failed(&ld) && t->page_width - t->margin_left - t->margin_right < 50)
    jx_error(diags, root->pos,
             "template: the margins leave less than 50 pt of the page's "
             "width");
  if (!failed(&ld) &&
      t->margin_left + t->table_width + t->margin_right > t->page_width + 0.01)
    jx_error(diags, root->pos,
             "template: the table (%.2f pt) is wider than the page allows",
             t->table_width);
  return failed(&ld) ? NULL : t;
}
