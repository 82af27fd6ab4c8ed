/*
 * test_template.c — template loading: the 阳泉 template's geometry in
 * points, the content it declares (fields, money, grids, rules, index),
 * `extends` (a variant laid over its base), and its errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "template.h"

typedef struct fixture {
  jx_arena arena;
  jx_diag_list diags;
  jx_fonts fonts;
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  jx_arena_init(&fx->arena);
  if (!fx || !jx_fonts_init(&fx->fonts))
    return -1;
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  jx_fonts_free(&fx->fonts);
  jx_diag_list_free(&fx->diags);
  jx_arena_free(&fx->arena);
  free(fx);
  return 0;
}

static jx_template *load(fixture *fx, const char *dir, const char *name) {
  return jx_template_load(&fx->arena, &fx->diags, &fx->fonts, dir, name);
}

/* Column widths are em of em_pt (8 pt); every band spans 65.25 em. */
static void test_geometry_in_points(void **state) {
  fixture *fx = *state;
  jx_template *t = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  assert_non_null(t);
  assert_true(t->table_width > 521.99 && t->table_width < 522.01);
  assert_true(t->bands[0].columns[1] > 380.07 &&
              t->bands[0].columns[1] < 380.09);
  assert_int_equal(t->rules.ascii_units, 51);
  assert_int_equal(t->band_count, 6);
  assert_int_equal(t->bands[5].kind, JX_BAND_GRID);
  int g = t->bands[5].grid.grid;
  assert_int_equal(g, jx_content_grid(&t->content, "indicators"));
  assert_int_equal(t->content.grids[g].frame_count, 3);
}

/* What the 阳泉 form holds, as its template declares it: the fields in
 * the form's order (the money block where `{money: funds}` stands), the
 * groups' labels, the money block column by column, the indicator grid
 * with its frame (units, aliases), the rules and the packet index. */
static void test_content(void **state) {
  fixture *fx = *state;
  jx_template *t = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  assert_non_null(t);
  const jx_content *c = &t->content;
  static const char *const order[] = {"year",
                                      "project.name",
                                      "project.department.code",
                                      "project.department.name",
                                      "project.implementer",
                                      "project.attribute",
                                      "project.duration",
                                      "funds.period.total"};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    assert_string_equal(c->fields[i].id, order[i]);
  assert_int_equal(c->field_count, 18 + 12);
  int name = jx_content_field(c, "project.name");
  assert_string_equal(c->fields[name].label, "项目名称");
  assert_int_equal(c->fields[name].type, JX_FT_TEXT);
  assert_true(c->fields[name].required);
  int attr = jx_content_field(c, "project.attribute");
  assert_int_equal(c->fields[attr].type, JX_FT_CHOICE);
  assert_int_equal(c->fields[attr].choice_count, 2);
  assert_string_equal(c->fields[attr].choices[0], "一次性项目（1年结束）");
  assert_true(c->fields[attr].warn_empty);
  assert_false(c->fields[attr].required);
  assert_int_equal(c->fields[jx_content_field(c, "footer.date")].type,
                   JX_FT_DATE);
  assert_int_equal(c->year_field, jx_content_field(c, "year"));
  assert_string_equal(jx_content_group(c, "project.department")->label,
                      "主管部门及代码");
  assert_string_equal(jx_content_group(c, "goals")->label, "总体目标");

  assert_int_equal(c->money_count, 1);
  const jx_money_block *b = &c->money[0];
  assert_string_equal(b->unit, "元");
  assert_true(b->thousands);
  assert_int_equal(b->decimals, JX_DECIMALS_AUTO);
  assert_int_equal(b->first_field, 7);
  assert_int_equal(jx_content_field(c, "funds.annual.other"),
                   (int)b->first_field + 1 * 6 + 5);
  assert_int_equal(c->fields[b->first_field].money_block, 0);
  assert_int_equal(c->fields[name].money_block, -1);

  assert_int_equal(c->grid_count, 1);
  const jx_grid_def *g = &c->grids[0];
  assert_string_equal(g->id, "indicators");
  assert_string_equal(g->label, "绩效指标");
  assert_int_equal(g->side_count, 2);
  assert_string_equal(g->side_ids[1], "annual");
  assert_string_equal(g->side_labels[1], "年度");
  assert_int_equal(g->col_count, 4);
  assert_int_equal(jx_grid_col(g, "value"), g->value);
  assert_int_equal(g->cols[g->value].role, JX_COL_VALUE);
  assert_string_equal(g->cols[g->name].label, "三级指标");
  assert_int_equal(jx_grid_col(g, "note"), -1);
  assert_int_equal(g->frame_count, 3);
  assert_string_equal(g->frame[1].level1, "效益指标");
  assert_int_equal(g->frame[1].level2_count, 4);
  const jx_level2 *eco = &g->frame[1].level2[2];
  assert_string_equal(eco->name, "生态效益指标");
  assert_string_equal(eco->unit, "个");
  assert_int_equal(eco->alias_count, 1);
  assert_string_equal(eco->aliases[0], "环境效益指标");
  assert_string_equal(g->frame[0].level2[1].unit, "%");
  assert_int_equal(g->frame[2].level2[0].alias_count, 3);

  assert_int_equal(c->rule_count, 4);
  assert_int_equal(c->rules[0].kind, JX_RULE_SUM);
  assert_int_equal(c->rules[1].kind, JX_RULE_NOT_MORE);
  assert_string_equal(c->rules[1].id, "annual-le-period");
  assert_int_equal(c->rules[1].field,
                   jx_content_field(c, "funds.annual.total"));
  assert_int_equal(c->rules[2].kind, JX_RULE_TERM);
  assert_int_equal(c->rules[3].kind, JX_RULE_DATE_NEAR);
  assert_int_equal(c->index_name, name);
  assert_int_equal(c->index_total, jx_content_field(c, "funds.annual.total"));
  assert_int_equal(c->index_year, c->year_field);

  /* annual-only-2023: one money column of three rows, a 绩效标准 column */
  jx_template *a = load(fx, JX_SOURCE_DIR "/templates", "annual-only-2023");
  assert_non_null(a);
  c = &a->content;
  b = &c->money[0];
  assert_int_equal(b->column_count, 1);
  assert_int_equal(b->row_count, 3);
  assert_true(jx_content_field(c, "funds.annual.fiscal") >= 0);
  assert_int_equal(jx_content_field(c, "funds.period.total"), -1);
  assert_int_equal(jx_content_field(c, "funds.annual.city_county"), -1);
  g = &c->grids[0];
  assert_int_equal(g->side_count, 1);
  int standard = jx_grid_col(g, "standard");
  assert_true(standard >= 0);
  assert_int_equal(g->cols[standard].role, JX_COL_PLAIN);
  assert_string_equal(g->cols[standard].label, "绩效标准");
  assert_int_equal(jx_grid_col(g, "note"), -1);
  assert_int_equal(g->frame_count, 4);
  assert_int_equal(c->rule_count, 2);
  assert_int_equal(fx->diags.errors, 0);
}

/* The centred variant changes styles only: the label cells are centred,
 * the page and the columns are the base's. */
static void test_extends_overlays_base(void **state) {
  fixture *fx = *state;
  jx_template *base = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  jx_template *t =
      load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025-centred");
  assert_non_null(base);
  assert_non_null(t);
  assert_string_equal(t->name, "yangquan-2025-centred");
  assert_true(t->table_width == base->table_width);
  assert_true(t->page_height == base->page_height);
  assert_int_equal(base->bands[0].rows[0].cells[0].halign, JX_HALIGN_LEFT);
  assert_int_equal(t->bands[0].rows[0].cells[0].halign, JX_HALIGN_CENTER);
  /* a style the variant does not name keeps the base's */
  assert_int_equal(t->bands[0].rows[0].cells[1].halign,
                   base->bands[0].rows[0].cells[1].halign);
}

/* Writes name.yaml into dir. */
static void write_template(const char *dir, const char *name,
                           const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Removes a scratch folder made with mkdtemp. */
static void remove_dir(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* The shipped template gives the 年度 side of the grid its own 指标值
 * style with exactly this text. */
#define SHIPPED_SIDE_STYLES "styles: {value: annual_value}"

/* Reads templates/yangquan-2025.yaml into text (cap bytes); returns where
 * SHIPPED_SIDE_STYLES stands in it. */
static char *read_shipped(char *text, size_t cap) {
  FILE *f = fopen(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", "r");
  assert_non_null(f);
  size_t n = fread(text, 1, cap - 1, f);
  fclose(f);
  text[n] = '\0';
  char *at = strstr(text, SHIPPED_SIDE_STYLES);
  assert_non_null(at);
  return at;
}

static bool has_message(const fixture *fx, const char *part) {
  for (size_t i = 0; i < fx->diags.count; i++)
    if (strstr(fx->diags.items[i].message, part))
      return true;
  return false;
}

static void test_extends_errors(void **state) {
  fixture *fx = *state;
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_template(dir, "loop-a", "extends: loop-b\nname: a\n");
  write_template(dir, "loop-b", "extends: loop-a\nname: b\n");
  write_template(dir, "orphan", "extends: not-there\nname: o\n");
  assert_null(load(fx, dir, "loop-a"));
  assert_true(has_message(fx, "more than 8 templates deep"));
  assert_null(load(fx, dir, "orphan"));
  assert_true(has_message(fx, "cannot load the base template 'not-there'"));
  assert_null(load(fx, dir, "../etc"));
  assert_true(has_message(fx, "invalid template name"));
  remove_dir(dir);
}

/* A side of the indicator grid may give its own styles: the shipped
 * template sets the 年度 指标值 apart; here the 年度 side's 三级 and 指标值
 * are overridden, its 二级 and the 实施期 side keep the grid's. */
static void test_side_styles(void **state) {
  fixture *fx = *state;
  static char text[65536];
  char *at = read_shipped(text, sizeof text);
  char *rest = at + strlen(SHIPPED_SIDE_STYLES);
  char *styles = strstr(text, "\nstyles:\n");
  assert_non_null(styles);
  styles += strlen("\nstyles:\n");
  assert_true(styles < at);
  static char out[70000];
  snprintf(out, sizeof out,
           "%.*s  side_only: {align: right, valign: middle, font: body}\n"
           "%.*sstyles: {level3: side_only, value: side_only}%s",
           (int)(styles - text), text, (int)(at - styles), styles, rest);
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_template(dir, "sided", out);
  jx_template *t = load(fx, dir, "sided");
  assert_non_null(t);
  jx_template *shipped = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  assert_non_null(shipped);
  const jx_tgrid *g = &t->bands[5].grid;
  const jx_tgrid *base = &shipped->bands[5].grid;
  const jx_grid_def *def = &t->content.grids[g->grid];
  int level2 = jx_grid_col(def, "level2"), level3 = jx_grid_col(def, "level3"),
      value = jx_grid_col(def, "value");
  assert_true(level2 >= 0 && level3 >= 0 && value >= 0);
  assert_int_equal(g->side_count, 2);
  assert_int_equal(g->sides[0].list, 0);
  assert_int_equal(g->sides[1].list, 1);
  /* 实施期 keeps the grid's styles (none of them right-aligned) */
  assert_int_equal(g->sides[0].styles[level3].halign,
                   base->sides[0].styles[level3].halign);
  assert_int_equal(g->sides[0].styles[value].halign,
                   base->sides[0].styles[value].halign);
  assert_int_not_equal(g->sides[0].styles[level3].halign, JX_HALIGN_RIGHT);
  assert_int_not_equal(g->sides[0].styles[value].halign, JX_HALIGN_RIGHT);
  /* 年度 has its own for 三级 and 指标值, the grid's for 二级 */
  assert_int_equal(g->sides[1].styles[level3].halign, JX_HALIGN_RIGHT);
  assert_int_equal(g->sides[1].styles[level3].valign, JX_VALIGN_MIDDLE);
  assert_int_equal(g->sides[1].styles[value].halign, JX_HALIGN_RIGHT);
  assert_int_equal(g->sides[1].styles[level2].halign,
                   g->sides[0].styles[level2].halign);
  assert_int_equal(g->sides[1].styles[level2].valign,
                   g->sides[0].styles[level2].valign);
  /* each side puts its columns where `cols` says */
  assert_int_equal(g->sides[0].col_at[value], 4);
  assert_int_equal(g->sides[1].col_at[level2], 5);
  assert_int_equal(g->sides[1].col_at[jx_grid_col(def, "level1")], -1);
  remove_dir(dir);
}

/* A side's `styles` that is not a mapping, or names a cell the side does
 * not have, is an error with its position. */
static void test_side_styles_errors(void **state) {
  fixture *fx = *state;
  static char text[65536], out[70000];
  char *at = read_shipped(text, sizeof text);
  static const char *const bad[] = {"styles: 3", "styles: {level9: label}"};
  static const char *const says[] = {
      "'styles' must be a mapping of column ids to style names",
      "grid 'indicators' has no column 'level9'"};
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  for (int i = 0; i < 2; i++) {
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, bad[i],
             at + strlen(SHIPPED_SIDE_STYLES));
    write_template(dir, "bad-side", out);
    assert_null(load(fx, dir, "bad-side"));
    assert_true(has_message(fx, says[i]));
  }
  remove_dir(dir);
}

/* A template must declare what the form holds: one without `fields` is
 * refused, as is a band naming a grid that is not declared. */
static void test_content_errors(void **state) {
  fixture *fx = *state;
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  static const char bare[] =
      "name: bare\n"
      "page: {width_pt: 595.28, height_pt: 841.89, margin_top_pt: 40,\n"
      "       margin_bottom_pt: 40, margin_left_pt: 40, margin_right_pt: 40}\n"
      "em_pt: 8\n"
      "fonts:\n"
      "  body: {faces: [AR PL UMing CN, HanaMinA, HanaMinB], size_pt: 8}\n"
      "styles:\n"
      "  text: {align: left, valign: top, font: body}\n"
      "bands:\n"
      "  - columns: [10, 20]\n"
      "    rows:\n"
      "      - [{text: 项目名称, style: text}, {text: x, style: text}]\n";
  write_template(dir, "bare", bare);
  assert_null(load(fx, dir, "bare"));
  assert_true(has_message(fx, "template: missing key 'fields'"));
  jx_diag_list_free(&fx->diags);

  /* with fields it loads */
  char text[2048];
  snprintf(text, sizeof text,
           "%sfields:\n"
           "  - {id: project.name, label: 项目名称, required: true}\n",
           bare);
  write_template(dir, "bare", text);
  jx_template *t = load(fx, dir, "bare");
  if (!t)
    for (size_t i = 0; i < fx->diags.count; i++)
      jx_diagnostic_print(&fx->diags.items[i], stderr);
  assert_non_null(t);
  assert_int_equal(t->content.field_count, 1);
  assert_int_equal(t->content.grid_count, 0);

  /* a grid band must name a declared grid */
  write_template(dir, "nogrid",
                 "extends: yangquan-2025\n"
                 "name: nogrid\n"
                 "grids:\n"
                 "  - id: other\n"
                 "    label: 其他\n"
                 "    columns: [{id: a, label: 甲}]\n");
  char link[600];
  snprintf(link, sizeof link, "%s/yangquan-2025.yaml", dir);
  assert_int_equal(symlink(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", link),
                   0);
  assert_null(load(fx, dir, "nogrid"));
  assert_true(has_message(fx,
                          "template: no grid 'indicators' is declared under "
                          "'grids'"));
  jx_diag_list_free(&fx->diags);

  /* a misspelt key is named, never ignored: at the top, in a field, in a
   * cell */
  snprintf(text, sizeof text,
           "%sfields:\n"
           "  - {id: project.name, label: 项目名称, requird: true}\n"
           "cell_pading_x_pt: 3\n",
           bare);
  char *cell = strstr(text, "{text: x, style: text}");
  assert_non_null(cell);
  memcpy(cell, "{txet: x, style: text}", strlen("{txet: x, style: text}"));
  write_template(dir, "bare", text);
  assert_null(load(fx, dir, "bare"));
  assert_true(has_message(fx, "template: unknown key 'requird' in a field; "
                              "did you mean 'required'?"));
  assert_true(has_message(fx, "template: unknown key 'cell_pading_x_pt' in "
                              "the template; did you mean "
                              "'cell_padding_x_pt'?"));
  assert_true(has_message(fx, "template: unknown key 'txet' in a cell; did "
                              "you mean 'text'?"));
  remove_dir(dir);
}

/* The packet section (docs/templates.md 3.17): the cover's rows (one for
 * each kind of total, one for those that do not fit), the contents' kinds
 * of row, a "*" column taking what the others leave between the margins,
 * the footer and the words around them. */
static void test_packet_section(void **state) {
  fixture *fx = *state;
  jx_template *t = load(fx, JX_SOURCE_DIR "/templates", "yangquan-2025");
  assert_non_null(t);
  const jx_tpacket *pk = &t->packet;
  assert_true(pk->present);
  assert_int_equal(pk->cover.band_count, 1);
  const jx_tband *cover = &pk->cover.bands[0];
  assert_true(cover->borderless);
  double between = t->page_width - t->margin_left - t->margin_right;
  assert_true(fabs(cover->columns[0] + cover->columns[1] - between) < 1e-6);
  assert_true(fabs(cover->columns[0] - 18.875 * 8) < 1e-6);
  size_t each = 0, more = 0;
  for (size_t r = 0; r < cover->row_count; r++) {
    each += cover->rows[r].each == JX_EACH_TOTAL;
    more += cover->rows[r].each == JX_EACH_MORE;
  }
  assert_int_equal(each, 1);
  assert_int_equal(more, 1);
  assert_int_equal(pk->rows[JX_PROW_PROJECT].count, 4);
  assert_true(pk->rows[JX_PROW_DEPARTMENT].keep_with_next);
  assert_true(pk->rows[JX_PROW_SUBTOTAL].cells[1].rule_above);
  assert_false(pk->rows[JX_PROW_SUBTOTAL].cells[0].rule_above);
  assert_non_null(pk->footer.pattern);
  assert_non_null(strstr(pk->footer.pattern, "{page}"));
  assert_int_equal(pk->footer.halign, JX_HALIGN_CENTER);
  assert_non_null(pk->cover_label);
  assert_non_null(strstr(pk->year_range, "{last}"));
}

/* Mistakes in a packet section are reported at their line and column,
 * like the rest of the template; a template without one has none. */
/* Puts at `to` a file with the bytes of `from` that fontconfig does not
 * know: a hard link, or a copy where a link cannot be made. */
static void place_font(const char *from, const char *to) {
  if (link(from, to) == 0)
    return;
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
  assert_int_equal(system(cmd), 0);
}

/* The face a fresh font table loads for template `name` of `dir`, body
 * role, first face: its file, in `path` (size 512); false if the
 * template does not load. */
static bool first_body_face(fixture *fx, const char *dir, const char *name,
                            char *path) {
  jx_fonts fonts;
  assert_true(jx_fonts_init(&fonts));
  jx_template *t = jx_template_load(&fx->arena, &fx->diags, &fonts, dir, name);
  if (t)
    snprintf(path, 512, "%s",
             fonts.faces[t->fonts[t->body_font].chain.faces[0]].path);
  jx_fonts_free(&fonts);
  return t != NULL;
}

/* font_files: a family's usual file is taken when it has the family
 * (here a file fontconfig does not know, so it can only come from
 * there); a file of another family, or none, leaves the family to
 * fontconfig, without an error; a malformed font_files is reported. */
static void test_font_files(void **state) {
  fixture *fx = *state;
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char link_path[600], uming[600], hana[600], got[512];
  snprintf(link_path, sizeof link_path, "%s/yangquan-2025.yaml", dir);
  assert_int_equal(
      symlink(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", link_path), 0);
  snprintf(uming, sizeof uming, "%s/u.ttc", dir);
  snprintf(hana, sizeof hana, "%s/h.ttf", dir);
  place_font("/usr/share/fonts/truetype/arphic/uming.ttc", uming);
  place_font("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", hana);
  char text[1600];
  snprintf(text, sizeof text,
           "extends: yangquan-2025\nname: here\n"
           "font_files: {AR PL UMing CN: \"%s#0\"}\n",
           uming);
  write_template(dir, "here", text);
  snprintf(text, sizeof text,
           "extends: yangquan-2025\nname: other\n"
           "font_files: {AR PL UMing CN: %s}\n",
           hana);
  write_template(dir, "other", text);
  write_template(dir, "gone",
                 "extends: yangquan-2025\nname: gone\n"
                 "font_files: {AR PL UMing CN: /nowhere/uming.ttc}\n");
  write_template(dir, "list",
                 "extends: yangquan-2025\nname: list\nfont_files: [a, b]\n");
  write_template(dir, "nested",
                 "extends: yangquan-2025\nname: nested\n"
                 "font_files: {AR PL UMing CN: {file: x}}\n");

  size_t errors = fx->diags.errors;
  assert_true(first_body_face(fx, dir, "here", got));
  assert_string_equal(got, uming);
  assert_true(first_body_face(fx, dir, "other", got));
  assert_string_not_equal(got, hana);
  assert_non_null(strstr(got, "uming.ttc"));
  assert_true(first_body_face(fx, dir, "gone", got));
  assert_non_null(strstr(got, "uming.ttc"));
  assert_int_equal(fx->diags.errors, errors);

  assert_false(first_body_face(fx, dir, "list", got));
  assert_true(has_message(fx, "'font_files' must map font families"));
  assert_false(first_body_face(fx, dir, "nested", got));
  assert_true(has_message(fx, "'font_files' must be a string, not a mapping"));
  remove_dir(dir);
}

static void test_packet_errors(void **state) {
  fixture *fx = *state;
  char dir[] = "/tmp/jx-template-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char link[600];
  snprintf(link, sizeof link, "%s/yangquan-2025.yaml", dir);
  assert_int_equal(symlink(JX_SOURCE_DIR "/templates/yangquan-2025.yaml", link),
                   0);
  write_template(dir, "bad",
                 "extends: yangquan-2025\n"
                 "name: bad\n"
                 "packet:\n"
                 "  cover_lable: x\n"
                 "  cover:\n"
                 "    columns: [10, \"*\"]\n"
                 "    rows:\n"
                 "      - [{text: \"{packet.titel}\", colspan: 2}]\n"
                 "      - {each: totals, cells: [{text: \"{amount}\"}]}\n"
                 "  contents:\n"
                 "    columns: [2, 400, \"*\"]\n"
                 "    rows:\n"
                 "      department: [{text: \"{dept.title}\"}]\n"
                 "  footer: {text: \"{page}/{total}\"}\n");
  assert_null(load(fx, dir, "bad"));
  static const struct {
    int line, col;
    const char *says;
  } want[] = {
      {4, 3,
       "unknown key 'cover_lable' in 'packet'; did you mean "
       "'cover_label'?"},
      {8, 10,
       "'{packet.titel}' is none of the packet's placeholders here: "
       "{packet.title}, "},
      {9, 16, "'each' must be total"},
      {9, 32, "'{amount}' is none of the packet's placeholders here"},
      {11, 14, "the columns leave no width for '*'"},
      {14, 18,
       "'{total}' is none of the packet's placeholders here: "
       "{page}, {pages}"},
  };
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    bool found = false;
    for (size_t i = 0; i < fx->diags.count; i++) {
      const jx_diagnostic *d = &fx->diags.items[i];
      if (strstr(d->message, want[k].says)) {
        found = true;
        assert_int_equal(d->line, want[k].line);
        assert_int_equal(d->column, want[k].col);
      }
    }
    if (!found)
      fprintf(stderr, "no message '%s'\n", want[k].says);
    assert_true(found);
  }
  jx_diag_list_free(&fx->diags);
  /* `packet:` left empty in a variant: none, not an error; a packet
   * that is a list is one */
  write_template(dir, "none", "extends: yangquan-2025\nname: none\npacket:\n");
  jx_template *t = load(fx, dir, "none");
  assert_non_null(t);
  assert_false(t->packet.present);
  assert_int_equal(fx->diags.count, 0);
  write_template(dir, "list",
                 "extends: yangquan-2025\nname: list\npacket: [1]\n");
  assert_null(load(fx, dir, "list"));
  assert_true(has_message(fx, "'packet' must be a mapping, not a sequence"));
  remove_dir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_geometry_in_points),
      cmocka_unit_test(test_content),
      cmocka_unit_test(test_extends_overlays_base),
      cmocka_unit_test(test_extends_errors),
      cmocka_unit_test(test_side_styles),
      cmocka_unit_test(test_side_styles_errors),
      cmocka_unit_test(test_content_errors),
      cmocka_unit_test(test_packet_section),
      cmocka_unit_test(test_packet_errors),
      cmocka_unit_test(test_font_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
