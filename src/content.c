/*
 * content.c — reads a template's content keys (fields, groups, money,
 * grids, rules, index) into a jx_content.  See content.h and
 * docs/templates.md.
 *
 * Every problem is reported at its line and column in the template, with
 * the prefix "template:".  Field ids are checked to be ASCII dotted paths
 * that do not collide (a field cannot also be a group of fields).
 */
#include "content.h"
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const jx_ftype_names[JX_FT_COUNT] = {
    "text",       "paragraph", "money", "integer", "decimal", "percent", "date",
    "date range", "duration",  "code",  "phone",   "choice",  "year"};

typedef struct {
  jx_arena *arena;
  jx_diag_list *diags;
  jx_content *c;
  size_t field_cap, group_cap;
} jx_cload;

/* The messages about one kind of item of a template, named as callers of
 * jx_template_keys name it ("a field"): a key it does not know (with the
 * closest known key; with the list of them), and, for items read by
 * cmap(), the item not being a mapping.  One message per item and case,
 * rather than the item's name as an argument, so that a diagnostic's
 * arguments are the same in every language: only the message is
 * translated. */
typedef struct {
  const char *what;
  const char *unknown_close; /* key, closest known key */
  const char *unknown_list;  /* key, the known keys */
  const char *not_seq;       /* NULL: not read by cmap() */
  const char *not_scalar;
} jx_item_msgs;

/* ---- small readers ----------------------------------------------------- */

static const char *cstr(jx_cload *ld, const jx_ynode *map, const char *key,
                        bool required) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (!v || (v->kind == JX_YSCALAR && v->is_null)) {
    if (required)
      jx_error(ld->diags, map->pos, "template: missing key '%s'", key);
    return NULL;
  }
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

bool jx_template_bool(jx_diag_list *diags, const jx_ynode *map, const char *key,
                      bool fallback) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (!v)
    return fallback;
  if (v->kind == JX_YSCALAR && !strcmp(v->str, "true"))
    return true;
  if (v->kind == JX_YSCALAR && !strcmp(v->str, "false"))
    return false;
  jx_error(diags, v->pos, "template: '%s' must be true or false", key);
  return fallback;
}

static bool cbool(jx_cload *ld, const jx_ynode *map, const char *key,
                  bool fallback) {
  return jx_template_bool(ld->diags, map, key, fallback);
}

static const jx_ynode *clist(jx_cload *ld, const jx_ynode *map,
                             const char *key) {
  const jx_ynode *v = jx_ymap_get(map, key);
  if (v && v->kind != JX_YSEQ) {
    jx_error(ld->diags, v->pos, "template: '%s' must be a list", key);
    return NULL;
  }
  return v;
}

static const jx_item_msgs *item_msgs(const char *what);
static void item_error(jx_diag_list *diags, jx_pos pos, const char *msgid,
                       const char *a, const char *b);

/* False (reported) unless `v` is a mapping; `what` names the item as
 * jx_template_keys's `what` does. */
static bool cmap(jx_cload *ld, const jx_ynode *v, const char *what) {
  if (v->kind == JX_YMAP)
    return true;
  const jx_item_msgs *m = item_msgs(what);
  bool seq = v->kind == JX_YSEQ;
  if (m && m->not_seq)
    item_error(ld->diags, v->pos, seq ? m->not_seq : m->not_scalar, NULL, NULL);
  else if (seq)
    jx_error(ld->diags, v->pos,
             "template: %s must be a mapping, not a sequence", what);
  else
    jx_error(ld->diags, v->pos, "template: %s must be a mapping, not a scalar",
             what);
  return false;
}

/* An id is ASCII letters, digits and '_' (dots between parts when
 * `dotted`), starting with a letter. */
static bool id_ok(const char *id, bool dotted) {
  bool start = true;
  for (const char *p = id; *p; p++) {
    char ch = *p;
    bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    bool digit = ch >= '0' && ch <= '9';
    if (start && !letter)
      return false;
    if (ch == '.' && dotted) {
      start = true;
      continue;
    }
    if (!letter && !digit && ch != '_')
      return false;
    start = false;
  }
  return id[0] && !start;
}

static const char *cid(jx_cload *ld, const jx_ynode *map, bool dotted) {
  const char *id = cstr(ld, map, "id", true);
  if (id && !id_ok(id, dotted)) {
    jx_pos at = jx_ymap_get(map, "id")->pos;
    if (dotted)
      jx_error(ld->diags, at,
               "template: id '%s' must be ASCII letters, digits and '_' "
               "(parts joined by '.'), starting with a letter",
               id);
    else
      jx_error(ld->diags, at,
               "template: id '%s' must be ASCII letters, digits and '_', "
               "starting with a letter",
               id);
    return NULL;
  }
  return id;
}

static jx_ftype ctype(jx_cload *ld, const jx_ynode *map, jx_ftype fallback) {
  const char *name = cstr(ld, map, "type", false);
  if (!name)
    return fallback;
  for (int t = 0; t < JX_FT_COUNT; t++)
    if (!strcmp(name, jx_ftype_names[t]) ||
        (t == JX_FT_DATE_RANGE && !strcmp(name, "date_range")))
      return (jx_ftype)t;
  char known[256] = "";
  for (int t = 0; t < JX_FT_COUNT; t++) {
    if (t)
      strcat(known, ", ");
    strcat(known, jx_ftype_names[t]);
  }
  jx_error(ld->diags, jx_ymap_get(map, "type")->pos,
           "template: unknown type '%s' (one of: %s)", name, known);
  return fallback;
}

/* A list of strings at `key`; NULL and *count 0 when absent. */
static const char **cstrings(jx_cload *ld, const jx_ynode *map, const char *key,
                             size_t *count) {
  *count = 0;
  const jx_ynode *v = clist(ld, map, key);
  if (!v)
    return NULL;
  const char **out = jx_arena_alloc(ld->arena, (v->count + 1) * sizeof *out);
  for (size_t i = 0; i < v->count; i++) {
    if (v->items[i]->kind != JX_YSCALAR || v->items[i]->is_null) {
      jx_error(ld->diags, v->items[i]->pos,
               "template: '%s' must be a list of strings", key);
      continue;
    }
    out[(*count)++] = v->items[i]->str;
  }
  return out;
}

static void load_money_block(jx_cload *ld, const jx_ynode *v);
static const jx_ynode *find_money(const jx_ynode *list, const char *id);

/* ---- fields and groups ------------------------------------------------- */

static jx_field *add_field(jx_cload *ld, const char *id, const char *label,
                           jx_ftype type, jx_pos pos) {
  jx_content *c = ld->c;
  if (jx_content_field(c, id) >= 0) {
    jx_error(ld->diags, pos, "template: field '%s' is declared twice", id);
    return NULL;
  }
  c->fields = jx_arena_grow(ld->arena, c->fields, sizeof *c->fields,
                            &ld->field_cap, c->field_count + 1);
  jx_field *f = &c->fields[c->field_count++];
  memset(f, 0, sizeof *f);
  f->id = id;
  f->label = label ? label : id;
  f->type = type;
  f->pos = pos;
  f->money_block = -1;
  return f;
}

/* Reads `fields`; an item `{money: ID}` reads that money block there,
 * so that its fields come in the form's order (marked in *done). */
static void load_fields(jx_cload *ld, const jx_ynode *list,
                        const jx_ynode *money, bool *done) {
  for (size_t i = 0; list && i < list->count; i++) {
    const jx_ynode *v = list->items[i];
    if (!cmap(ld, v, "a field"))
      continue;
    const jx_ynode *anchor = jx_ymap_get(v, "money");
    static const char *const field_keys[] = {
        "id",      "label", "type",    "required", "warn_empty",
        "example", "hint",  "choices", "open",     NULL};
    static const char *const anchor_keys[] = {"money", NULL};
    jx_template_keys(ld->diags, v, "a field",
                     anchor ? anchor_keys : field_keys);
    if (anchor) {
      const jx_ynode *block =
          anchor->kind == JX_YSCALAR ? find_money(money, anchor->str) : NULL;
      if (!block) {
        jx_error(ld->diags, anchor->pos,
                 "template: no money block '%s' under 'money'",
                 anchor->kind == JX_YSCALAR ? anchor->str : "?");
        continue;
      }
      for (size_t k = 0; k < money->count; k++)
        if (money->items[k] == block) {
          if (!done[k])
            load_money_block(ld, block);
          done[k] = true;
        }
      continue;
    }
    const char *id = cid(ld, v, true);
    const char *label = cstr(ld, v, "label", true);
    if (!id || !label)
      continue;
    jx_ftype type = ctype(ld, v, JX_FT_TEXT);
    if (type == JX_FT_MONEY) {
      jx_error(ld->diags, v->pos,
               "template: money fields are declared in a 'money' block");
      continue;
    }
    jx_field *f = add_field(ld, id, label, type, v->pos);
    if (!f)
      continue;
    f->required = cbool(ld, v, "required", false);
    f->warn_empty = cbool(ld, v, "warn_empty", false);
    f->example = cstr(ld, v, "example", false);
    f->hint = cstr(ld, v, "hint", false);
    f->choices = cstrings(ld, v, "choices", &f->choice_count);
    f->open_choice = cbool(ld, v, "open", true);
    if (type == JX_FT_CHOICE && f->choice_count == 0)
      jx_error(ld->diags, v->pos,
               "template: a choice field needs 'choices: [...]'");
    if (type == JX_FT_YEAR)
      ld->c->year_field = (int)(f - ld->c->fields);
  }
}

static void add_group(jx_cload *ld, const char *id, const char *label,
                      const char *example) {
  jx_content *c = ld->c;
  for (size_t i = 0; i < c->group_count; i++)
    if (!strcmp(c->groups[i].id, id)) {
      if (label &&
          (!c->groups[i].label || c->groups[i].label == c->groups[i].id))
        c->groups[i].label = label;
      if (example)
        c->groups[i].example = example;
      return;
    }
  c->groups = jx_arena_grow(ld->arena, c->groups, sizeof *c->groups,
                            &ld->group_cap, c->group_count + 1);
  c->groups[c->group_count++] = (jx_group){id, label ? label : id, example};
}

static void load_groups(jx_cload *ld, const jx_ynode *list) {
  for (size_t i = 0; list && i < list->count; i++) {
    const jx_ynode *v = list->items[i];
    if (!cmap(ld, v, "a group"))
      continue;
    static const char *const keys[] = {"id", "label", "example", NULL};
    jx_template_keys(ld->diags, v, "a group", keys);
    const char *id = cid(ld, v, true);
    const char *label = cstr(ld, v, "label", true);
    if (id && label)
      add_group(ld, id, label, cstr(ld, v, "example", false));
  }
}

/* ---- money ------------------------------------------------------------- */

/* Reads one money block and declares its fields `ID.COLUMN.ROW`. */
static void load_money_block(jx_cload *ld, const jx_ynode *v) {
  jx_content *c = ld->c;
  if (!cmap(ld, v, "a money block"))
    return;
  static const char *const keys[] = {"id",        "label",    "unit",
                                     "thousands", "decimals", "warn_empty",
                                     "columns",   "rows",     NULL};
  jx_template_keys(ld->diags, v, "a money block", keys);
  jx_money_block *b = &c->money[c->money_count];
  memset(b, 0, sizeof *b);
  b->pos = v->pos;
  b->id = cid(ld, v, true);
  b->label = cstr(ld, v, "label", true);
  b->unit = cstr(ld, v, "unit", false);
  if (!b->unit)
    b->unit = "";
  b->thousands = cbool(ld, v, "thousands", true);
  b->warn_empty = cbool(ld, v, "warn_empty", true);
  const char *dec = cstr(ld, v, "decimals", false);
  b->decimals = JX_DECIMALS_AUTO;
  if (dec && !strcmp(dec, "fixed"))
    b->decimals = JX_DECIMALS_FIXED;
  else if (dec && !strcmp(dec, "as_written"))
    b->decimals = JX_DECIMALS_WRITTEN;
  else if (dec && strcmp(dec, "auto"))
    jx_error(ld->diags, jx_ymap_get(v, "decimals")->pos,
             "template: 'decimals' is auto, fixed or as_written");
  const jx_ynode *cols = clist(ld, v, "columns");
  const jx_ynode *rows = clist(ld, v, "rows");
  if (!b->id || !b->label || !cols || !rows || !cols->count || !rows->count) {
    if (b->id && (!cols || !rows || !cols->count || !rows->count))
      jx_error(ld->diags, v->pos,
               "template: a money block needs 'columns' and 'rows' lists");
    return;
  }
  for (size_t i = 0; i < c->money_count; i++)
    if (!strcmp(c->money[i].id, b->id)) {
      jx_error(ld->diags, v->pos,
               "template: money block '%s' is declared "
               "twice",
               b->id);
      return;
    }
  b->column_ids = jx_arena_alloc(ld->arena, cols->count * sizeof(char *));
  b->column_labels = jx_arena_alloc(ld->arena, cols->count * sizeof(char *));
  for (size_t k = 0; k < cols->count; k++) {
    const jx_ynode *col = cols->items[k];
    if (!cmap(ld, col, "a money column"))
      return;
    static const char *const col_keys[] = {"id", "label", NULL};
    jx_template_keys(ld->diags, col, "a money column", col_keys);
    b->column_ids[k] = cid(ld, col, false);
    b->column_labels[k] = cstr(ld, col, "label", true);
    if (!b->column_ids[k] || !b->column_labels[k])
      return;
  }
  b->column_count = cols->count;
  b->row_ids = jx_arena_alloc(ld->arena, rows->count * sizeof(char *));
  b->row_labels = jx_arena_alloc(ld->arena, rows->count * sizeof(char *));
  b->total_row = -1;
  for (size_t k = 0; k < rows->count; k++) {
    const jx_ynode *row = rows->items[k];
    if (!cmap(ld, row, "a money row"))
      return;
    static const char *const row_keys[] = {"id", "label", "total", NULL};
    jx_template_keys(ld->diags, row, "a money row", row_keys);
    b->row_ids[k] = cid(ld, row, false);
    b->row_labels[k] = cstr(ld, row, "label", true);
    if (!b->row_ids[k] || !b->row_labels[k])
      return;
    if (cbool(ld, row, "total", false)) {
      if (b->total_row >= 0)
        jx_error(ld->diags, row->pos,
                 "template: a money block has one total row");
      b->total_row = (int)k;
    }
  }
  b->row_count = rows->count;
  b->first_field = c->field_count;
  add_group(ld, b->id, b->label, NULL);
  for (size_t k = 0; k < b->column_count; k++) {
    add_group(ld, jx_arena_printf(ld->arena, "%s.%s", b->id, b->column_ids[k]),
              b->column_labels[k], NULL);
    for (size_t r = 0; r < b->row_count; r++) {
      const char *id = jx_arena_printf(ld->arena, "%s.%s.%s", b->id,
                                       b->column_ids[k], b->row_ids[r]);
      const char *label = jx_arena_printf(
          ld->arena, "%s%s", b->column_labels[k], b->row_labels[r]);
      jx_field *f = add_field(ld, id, label, JX_FT_MONEY, v->pos);
      if (f)
        f->money_block = (int)c->money_count;
    }
  }
  c->money_count++;
}

/* The money block `id` of the template's `money` list, or NULL. */
static const jx_ynode *find_money(const jx_ynode *list, const char *id) {
  for (size_t i = 0; list && i < list->count; i++) {
    const jx_ynode *v = jx_ymap_get(list->items[i], "id");
    if (v && v->kind == JX_YSCALAR && !strcmp(v->str, id))
      return list->items[i];
  }
  return NULL;
}

/* Reads the money blocks not yet read (those no `{money: ID}` item of
 * `fields` placed). */
static void load_money(jx_cload *ld, const jx_ynode *list, bool *done) {
  for (size_t i = 0; list && i < list->count; i++)
    if (!done[i])
      load_money_block(ld, list->items[i]);
}

/* ---- grids ------------------------------------------------------------- */

static jx_col_role crole(jx_cload *ld, const jx_ynode *map) {
  const char *name = cstr(ld, map, "role", false);
  if (!name)
    return JX_COL_PLAIN;
  static const char *const names[] = {"plain", "level1",     "level2", "name",
                                      "value", "comparator", "unit"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(name, names[i]))
      return (jx_col_role)i;
  jx_error(ld->diags, jx_ymap_get(map, "role")->pos,
           "template: unknown role '%s' (plain, level1, level2, name, value, "
           "comparator, unit)",
           name);
  return JX_COL_PLAIN;
}

static void load_frame(jx_cload *ld, const jx_ynode *frame, jx_grid_def *g) {
  g->frame = jx_arena_alloc(ld->arena, (frame->count + 1) * sizeof *g->frame);
  for (size_t i = 0; i < frame->count; i++) {
    const jx_ynode *f = frame->items[i];
    if (!cmap(ld, f, "a frame group"))
      continue;
    static const char *const keys[] = {"level1", "level2", NULL};
    jx_template_keys(ld->diags, f, "a frame group", keys);
    jx_tgroup *grp = &g->frame[g->frame_count];
    grp->level1 = cstr(ld, f, "level1", true);
    const jx_ynode *l2 = jx_ymap_get(f, "level2");
    if (!grp->level1)
      continue;
    if (!l2 || l2->kind != JX_YSEQ || l2->count == 0) {
      jx_error(ld->diags, l2 ? l2->pos : f->pos,
               "template: 'level2' must be a list of the group's 二级 names");
      continue;
    }
    grp->level2 = jx_arena_alloc(ld->arena, l2->count * sizeof *grp->level2);
    for (size_t k = 0; k < l2->count; k++) {
      const jx_ynode *item = l2->items[k];
      jx_level2 *out = &grp->level2[grp->level2_count];
      memset(out, 0, sizeof *out);
      if (item->kind == JX_YSCALAR && !item->is_null) {
        out->name = item->str;
      } else if (item->kind == JX_YMAP) {
        static const char *const l2_keys[] = {"name", "unit", "aliases", NULL};
        jx_template_keys(ld->diags, item, "a 'level2' item", l2_keys);
        out->name = cstr(ld, item, "name", true);
        out->unit = cstr(ld, item, "unit", false);
        out->aliases = cstrings(ld, item, "aliases", &out->alias_count);
      } else {
        jx_error(ld->diags, item->pos,
                 "template: a 'level2' item is a name or {name, unit, "
                 "aliases}");
      }
      if (out->name)
        grp->level2_count++;
    }
    g->frame_count++;
  }
}

static void load_grids(jx_cload *ld, const jx_ynode *list) {
  jx_content *c = ld->c;
  if (!list)
    return;
  c->grids = jx_arena_alloc(ld->arena, (list->count + 1) * sizeof *c->grids);
  for (size_t i = 0; i < list->count; i++) {
    const jx_ynode *v = list->items[i];
    if (!cmap(ld, v, "a grid"))
      continue;
    static const char *const grid_keys[] = {
        "id", "label", "sides", "columns", "frame", "warn_empty", NULL};
    jx_template_keys(ld->diags, v, "a grid", grid_keys);
    jx_grid_def *g = &c->grids[c->grid_count];
    memset(g, 0, sizeof *g);
    g->pos = v->pos;
    g->level1 = g->level2 = g->name = g->value = -1;
    g->comparator = g->unit = -1;
    g->id = cid(ld, v, false);
    g->label = cstr(ld, v, "label", true);
    g->warn_empty = cbool(ld, v, "warn_empty", true);
    const jx_ynode *cols = clist(ld, v, "columns");
    if (!g->id || !g->label)
      continue;
    if (!cols || !cols->count) {
      jx_error(ld->diags, v->pos, "template: a grid needs a 'columns' list");
      continue;
    }
    if (jx_content_grid(c, g->id) >= 0 || jx_content_field(c, g->id) >= 0) {
      jx_error(ld->diags, v->pos, "template: '%s' is declared twice", g->id);
      continue;
    }
    g->cols = jx_arena_alloc(ld->arena, cols->count * sizeof *g->cols);
    for (size_t k = 0; k < cols->count; k++) {
      const jx_ynode *col = cols->items[k];
      if (!cmap(ld, col, "a grid column"))
        continue;
      static const char *const col_keys[] = {
          "id", "label", "role", "type", "required", "example", NULL};
      jx_template_keys(ld->diags, col, "a grid column", col_keys);
      jx_gcol *gc = &g->cols[g->col_count];
      gc->pos = col->pos;
      gc->id = cid(ld, col, false);
      gc->label = cstr(ld, col, "label", true);
      gc->role = crole(ld, col);
      gc->type = ctype(ld, col, JX_FT_TEXT);
      gc->required =
          cbool(ld, col, "required",
                gc->role == JX_COL_LEVEL1 || gc->role == JX_COL_LEVEL2);
      gc->example = cstr(ld, col, "example", false);
      if (!gc->id || !gc->label)
        continue;
      if (jx_grid_col(g, gc->id) >= 0) {
        jx_error(ld->diags, col->pos, "template: column '%s' is declared twice",
                 gc->id);
        continue;
      }
      int *slot = gc->role == JX_COL_LEVEL1       ? &g->level1
                  : gc->role == JX_COL_LEVEL2     ? &g->level2
                  : gc->role == JX_COL_NAME       ? &g->name
                  : gc->role == JX_COL_VALUE      ? &g->value
                  : gc->role == JX_COL_COMPARATOR ? &g->comparator
                  : gc->role == JX_COL_UNIT       ? &g->unit
                                                  : NULL;
      if (slot && *slot >= 0)
        jx_error(ld->diags, col->pos,
                 "template: two columns of grid '%s' have the same role",
                 g->id);
      else if (slot)
        *slot = (int)g->col_count;
      g->col_count++;
    }
    const jx_ynode *sides = clist(ld, v, "sides");
    if (sides && sides->count) {
      g->side_ids = jx_arena_alloc(ld->arena, sides->count * sizeof(char *));
      g->side_labels = jx_arena_alloc(ld->arena, sides->count * sizeof(char *));
      for (size_t k = 0; k < sides->count; k++) {
        const jx_ynode *s = sides->items[k];
        if (!cmap(ld, s, "a side"))
          continue;
        static const char *const side_keys[] = {"id", "label", NULL};
        jx_template_keys(ld->diags, s, "a side", side_keys);
        const char *id = cid(ld, s, false);
        const char *label = cstr(ld, s, "label", true);
        if (!id || !label)
          continue;
        g->side_ids[g->side_count] = id;
        g->side_labels[g->side_count++] = label;
      }
    }
    const jx_ynode *frame = clist(ld, v, "frame");
    if (frame) {
      if (g->level1 < 0 || g->level2 < 0)
        jx_error(ld->diags, frame->pos,
                 "template: a grid with a frame needs columns with role "
                 "level1 and level2");
      else
        load_frame(ld, frame, g);
    }
    add_group(ld, g->id, g->label, NULL);
    c->grid_count++;
  }
}

/* ---- rules and index ---------------------------------------------------- */

/* The field named at `key` of `map`: its index, or -1 (reported unless
 * absent and optional). */
static int cfield(jx_cload *ld, const jx_ynode *map, const char *key,
                  bool required) {
  const char *id = cstr(ld, map, key, required);
  if (!id)
    return -1;
  int f = jx_content_field(ld->c, id);
  if (f < 0)
    jx_error(ld->diags, jx_ymap_get(map, key)->pos,
             "template: '%s' names no declared field: '%s'", key, id);
  return f;
}

static void load_rules(jx_cload *ld, const jx_ynode *list) {
  jx_content *c = ld->c;
  if (!list)
    return;
  c->rules = jx_arena_alloc(ld->arena, (list->count + 1) * sizeof *c->rules);
  static const char *const kinds[JX_RULE_COUNT] = {
      "sum", "not-more", "term", "date-near-year", "equal", "column-sum"};
  for (size_t i = 0; i < list->count; i++) {
    const jx_ynode *v = list->items[i];
    if (!cmap(ld, v, "a rule"))
      continue;
    static const char *const rule_keys[] = {
        "rule",     "id",        "block", "field", "than", "choice", "duration",
        "one_time", "recurring", "equal", "to",    "grid", "column", NULL};
    jx_template_keys(ld->diags, v, "a rule", rule_keys);
    jx_rule *r = &c->rules[c->rule_count];
    memset(r, 0, sizeof *r);
    r->pos = v->pos;
    r->block = r->field = r->than = r->equal_a = r->equal_b = -1;
    r->grid = r->column = -1;
    const char *kind = cstr(ld, v, "rule", true);
    if (!kind)
      continue;
    int k = 0;
    while (k < JX_RULE_COUNT && strcmp(kind, kinds[k]))
      k++;
    if (k == JX_RULE_COUNT) {
      jx_error(ld->diags, jx_ymap_get(v, "rule")->pos,
               "template: unknown rule '%s' (sum, not-more, term, "
               "date-near-year, equal, column-sum)",
               kind);
      continue;
    }
    r->kind = (jx_rule_kind)k;
    r->id = cstr(ld, v, "id", false);
    bool ok = true;
    switch (r->kind) {
    case JX_RULE_SUM: {
      const char *block = cstr(ld, v, "block", true);
      for (size_t b = 0; block && b < c->money_count; b++)
        if (!strcmp(c->money[b].id, block))
          r->block = (int)b;
      if (block && r->block < 0)
        jx_error(ld->diags, jx_ymap_get(v, "block")->pos,
                 "template: no money block '%s'", block);
      else if (r->block >= 0 && c->money[r->block].total_row < 0)
        jx_error(ld->diags, v->pos,
                 "template: money block '%s' has no row with 'total: true'",
                 block);
      ok = r->block >= 0;
      break;
    }
    case JX_RULE_NOT_MORE:
      r->field = cfield(ld, v, "field", true);
      r->than = cfield(ld, v, "than", true);
      ok = r->field >= 0 && r->than >= 0;
      if (ok && !((c->fields[r->field].type == JX_FT_MONEY &&
                   c->fields[r->than].type == JX_FT_MONEY) ||
                  (c->fields[r->field].type == JX_FT_DATE &&
                   c->fields[r->than].type == JX_FT_DATE))) {
        jx_error(ld->diags, v->pos,
                 "template: a not-more rule compares two money fields or "
                 "two dates");
        ok = false;
      }
      if (!r->id)
        r->id = "not-more";
      break;
    case JX_RULE_TERM: {
      r->field = cfield(ld, v, "choice", true);
      r->than = cfield(ld, v, "duration", true);
      r->one_time = cstr(ld, v, "one_time", true);
      r->recurring = cstr(ld, v, "recurring", true);
      const jx_ynode *eq = clist(ld, v, "equal");
      if (eq && eq->count == 2) {
        for (size_t e = 0; e < 2; e++) {
          const jx_ynode *item = eq->items[e];
          int f =
              item->kind == JX_YSCALAR ? jx_content_field(c, item->str) : -1;
          if (f < 0 || c->fields[f].type != JX_FT_MONEY)
            jx_error(ld->diags, item->pos,
                     "template: 'equal' names two money fields");
          *(e ? &r->equal_b : &r->equal_a) = f;
        }
      } else if (eq) {
        jx_error(ld->diags, eq->pos,
                 "template: 'equal' names two money fields");
      }
      ok = r->field >= 0 && r->than >= 0 && r->one_time && r->recurring;
      break;
    }
    case JX_RULE_EQUAL:
      r->field = cfield(ld, v, "field", true);
      r->than = cfield(ld, v, "to", true);
      ok = r->field >= 0 && r->than >= 0;
      if (ok && (c->fields[r->field].type != JX_FT_MONEY ||
                 c->fields[r->than].type != JX_FT_MONEY)) {
        jx_error(ld->diags, v->pos,
                 "template: an equal rule compares two money fields");
        ok = false;
      }
      if (!r->id)
        r->id = "equal";
      break;
    case JX_RULE_COLUMN_SUM: {
      const char *grid = cstr(ld, v, "grid", true);
      const char *column = cstr(ld, v, "column", true);
      r->field = cfield(ld, v, "field", true);
      r->grid = grid ? jx_content_grid(c, grid) : -1;
      if (grid && r->grid < 0)
        jx_error(ld->diags, jx_ymap_get(v, "grid")->pos,
                 "template: no grid '%s' under 'grids'", grid);
      if (r->grid >= 0 && column) {
        r->column = jx_grid_col(&c->grids[r->grid], column);
        if (r->column < 0)
          jx_error(ld->diags, jx_ymap_get(v, "column")->pos,
                   "template: grid '%s' has no column '%s'", grid, column);
      }
      ok = r->field >= 0 && r->grid >= 0 && r->column >= 0;
      if (ok && c->fields[r->field].type != JX_FT_MONEY &&
          c->fields[r->field].type != JX_FT_DECIMAL &&
          c->fields[r->field].type != JX_FT_INTEGER) {
        jx_error(ld->diags, v->pos,
                 "template: a column-sum rule adds up to a money, decimal or "
                 "integer field");
        ok = false;
      }
      if (!r->id)
        r->id = "column-sum";
      break;
    }
    case JX_RULE_DATE_NEAR:
      r->field = cfield(ld, v, "field", true);
      ok = r->field >= 0;
      if (!r->id)
        r->id = "date-year";
      break;
    case JX_RULE_COUNT:
      ok = false;
      break;
    }
    if (ok)
      c->rule_count++;
  }
}

static void load_index(jx_cload *ld, const jx_ynode *index) {
  jx_content *c = ld->c;
  c->index_name = c->index_dept_code = c->index_dept_name = c->index_total = -1;
  c->index_year = c->year_field;
  if (!index || !cmap(ld, index, "'index'"))
    return;
  static const char *const keys[] = {
      "name", "dept_code", "dept_name", "total", "total_label", "year", NULL};
  jx_template_keys(ld->diags, index, "'index'", keys);
  c->index_name = cfield(ld, index, "name", false);
  c->index_dept_code = cfield(ld, index, "dept_code", false);
  c->index_dept_name = cfield(ld, index, "dept_name", false);
  c->index_total = cfield(ld, index, "total", false);
  c->index_total_label = cstr(ld, index, "total_label", false);
  if (c->index_total >= 0 && c->fields[c->index_total].type != JX_FT_MONEY)
    jx_error(ld->diags, jx_ymap_get(index, "total")->pos,
             "template: 'index.total' must name a money field");
  if (jx_ymap_get(index, "year"))
    c->index_year = cfield(ld, index, "year", false);
}

/* Every dotted prefix of a field id is a group (a mapping in the project
 * file); a field id must not be another field's group. */
static void derive_groups(jx_cload *ld) {
  jx_content *c = ld->c;
  size_t fields = c->field_count;
  for (size_t i = 0; i < fields; i++) {
    const char *id = c->fields[i].id;
    for (const char *p = strchr(id, '.'); p; p = strchr(p + 1, '.')) {
      const char *prefix = jx_arena_strndup(ld->arena, id, (size_t)(p - id));
      if (jx_content_field(c, prefix) >= 0 || jx_content_grid(c, prefix) >= 0)
        jx_error(ld->diags, c->fields[i].pos,
                 "template: field '%s' is inside '%s', which is a field", id,
                 prefix);
      add_group(ld, prefix, NULL, NULL);
    }
  }
  for (size_t g = 0; g < c->grid_count; g++)
    if (strchr(c->grids[g].id, '.'))
      jx_error(ld->diags, c->grids[g].pos,
               "template: a grid id is one word, not '%s'", c->grids[g].id);
}

bool jx_content_load(jx_arena *arena, jx_diag_list *diags, const jx_ynode *root,
                     jx_content *content) {
  size_t before = diags->errors;
  memset(content, 0, sizeof *content);
  content->year_field = -1;
  jx_cload ld = {arena, diags, content, 0, 0};
  const jx_ynode *fields = clist(&ld, root, "fields");
  if (!fields && !jx_ymap_get(root, "fields"))
    jx_error(diags, root->pos,
             "template: missing key 'fields' (the form's fields; see "
             "docs/templates.md)");
  const jx_ynode *money = clist(&ld, root, "money");
  bool *done = jx_arena_alloc(arena, (money ? money->count : 0) + 1);
  if (money)
    content->money =
        jx_arena_alloc(arena, (money->count + 1) * sizeof *content->money);
  load_fields(&ld, fields, money, done);
  load_money(&ld, money, done);
  load_grids(&ld, clist(&ld, root, "grids"));
  for (size_t g = 0; g < content->grid_count; g++)
    if (jx_content_field(content, content->grids[g].id) >= 0)
      jx_error(diags, content->grids[g].pos,
               "template: grid '%s' has the id of a field",
               content->grids[g].id);
  derive_groups(&ld);
  load_groups(&ld, clist(&ld, root, "groups"));
  load_rules(&ld, clist(&ld, root, "rules"));
  load_index(&ld, jx_ymap_get(root, "index"));
  return diags->errors == before;
}

/* Decodes the code point at *p (valid UTF-8) and advances *p; 0 at the
 * end. */
static uint32_t next_cp(const char **p) {
  const unsigned char *s = (const unsigned char *)*p;
  if (!s[0])
    return 0;
  size_t len = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1   ? s[0]
                : len == 2 ? s[0] & 0x1Fu
                : len == 3 ? s[0] & 0x0Fu
                           : s[0] & 0x07u;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) {
      *p += k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[k] & 0x3Fu);
  }
  *p += len;
  return cp;
}

/* Edit distance (insert, delete, substitute, swap two neighbours)
 * between two UTF-8 strings counted in code points (at most
 * 32 of them; longer strings count as far apart). */
size_t jx_name_distance(const char *a, const char *b) {
  enum { MAX = 32 };
  uint32_t ca[MAX], cb[MAX];
  size_t la = 0, lb = 0;
  uint32_t cp;
  while ((cp = next_cp(&a)) != 0) {
    if (la == MAX)
      return 99;
    ca[la++] = cp;
  }
  while ((cp = next_cp(&b)) != 0) {
    if (lb == MAX)
      return 99;
    cb[lb++] = cp;
  }
  size_t d[MAX + 1][MAX + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (ca[i - 1] != cb[j - 1]);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      /* two neighbours swapped count as one edit */
      if (i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

static const jx_item_msgs jx_items[] = {
    {"a field", N_("template: unknown key '%s' in a field; did you mean '%s'?"),
     N_("template: unknown key '%s' in a field (expected one of: %s)"),
     N_("template: a field must be a mapping, not a sequence"),
     N_("template: a field must be a mapping, not a scalar")},
    {"a group", N_("template: unknown key '%s' in a group; did you mean '%s'?"),
     N_("template: unknown key '%s' in a group (expected one of: %s)"),
     N_("template: a group must be a mapping, not a sequence"),
     N_("template: a group must be a mapping, not a scalar")},
    {"a money block",
     N_("template: unknown key '%s' in a money block; did you mean '%s'?"),
     N_("template: unknown key '%s' in a money block (expected one of: %s)"),
     N_("template: a money block must be a mapping, not a sequence"),
     N_("template: a money block must be a mapping, not a scalar")},
    {"a money column",
     N_("template: unknown key '%s' in a money column; did you mean '%s'?"),
     N_("template: unknown key '%s' in a money column (expected one of: %s)"),
     N_("template: a money column must be a mapping, not a sequence"),
     N_("template: a money column must be a mapping, not a scalar")},
    {"a money row",
     N_("template: unknown key '%s' in a money row; did you mean '%s'?"),
     N_("template: unknown key '%s' in a money row (expected one of: %s)"),
     N_("template: a money row must be a mapping, not a sequence"),
     N_("template: a money row must be a mapping, not a scalar")},
    {"a frame group",
     N_("template: unknown key '%s' in a frame group; did you mean '%s'?"),
     N_("template: unknown key '%s' in a frame group (expected one of: %s)"),
     N_("template: a frame group must be a mapping, not a sequence"),
     N_("template: a frame group must be a mapping, not a scalar")},
    {"a 'level2' item",
     N_("template: unknown key '%s' in a 'level2' item; did you mean '%s'?"),
     N_("template: unknown key '%s' in a 'level2' item (expected one of: %s)"),
     NULL, NULL},
    {"a grid", N_("template: unknown key '%s' in a grid; did you mean '%s'?"),
     N_("template: unknown key '%s' in a grid (expected one of: %s)"),
     N_("template: a grid must be a mapping, not a sequence"),
     N_("template: a grid must be a mapping, not a scalar")},
    {"a grid column",
     N_("template: unknown key '%s' in a grid column; did you mean '%s'?"),
     N_("template: unknown key '%s' in a grid column (expected one of: %s)"),
     N_("template: a grid column must be a mapping, not a sequence"),
     N_("template: a grid column must be a mapping, not a scalar")},
    {"a side", N_("template: unknown key '%s' in a side; did you mean '%s'?"),
     N_("template: unknown key '%s' in a side (expected one of: %s)"),
     N_("template: a side must be a mapping, not a sequence"),
     N_("template: a side must be a mapping, not a scalar")},
    {"a rule", N_("template: unknown key '%s' in a rule; did you mean '%s'?"),
     N_("template: unknown key '%s' in a rule (expected one of: %s)"),
     N_("template: a rule must be a mapping, not a sequence"),
     N_("template: a rule must be a mapping, not a scalar")},
    /* template.c's */
    {"a font role",
     N_("template: unknown key '%s' in a font role; did you mean '%s'?"),
     N_("template: unknown key '%s' in a font role (expected one of: %s)"),
     NULL, NULL},
    {"a style", N_("template: unknown key '%s' in a style; did you mean '%s'?"),
     N_("template: unknown key '%s' in a style (expected one of: %s)"), NULL,
     NULL},
    {"a cell", N_("template: unknown key '%s' in a cell; did you mean '%s'?"),
     N_("template: unknown key '%s' in a cell (expected one of: %s)"), NULL,
     NULL},
    {"a row", N_("template: unknown key '%s' in a row; did you mean '%s'?"),
     N_("template: unknown key '%s' in a row (expected one of: %s)"), NULL,
     NULL},
    {"a grid band",
     N_("template: unknown key '%s' in a grid band; did you mean '%s'?"),
     N_("template: unknown key '%s' in a grid band (expected one of: %s)"),
     NULL, NULL},
    {"a grid band's side",
     N_("template: unknown key '%s' in a grid band's side; did you mean '%s'?"),
     N_("template: unknown key '%s' in a grid band's side (expected one of: "
        "%s)"),
     NULL, NULL},
    {"a band", N_("template: unknown key '%s' in a band; did you mean '%s'?"),
     N_("template: unknown key '%s' in a band (expected one of: %s)"), NULL,
     NULL},
    {"a footer item",
     N_("template: unknown key '%s' in a footer item; did you mean '%s'?"),
     N_("template: unknown key '%s' in a footer item (expected one of: %s)"),
     NULL, NULL},
    {"a heading line",
     N_("template: unknown key '%s' in a heading line; did you mean '%s'?"),
     N_("template: unknown key '%s' in a heading line (expected one of: %s)"),
     NULL, NULL},
    {"the template",
     N_("template: unknown key '%s' in the template; did you mean '%s'?"),
     N_("template: unknown key '%s' in the template (expected one of: %s)"),
     NULL, NULL},
};

/* The messages of the item `what`, or NULL: then its name is an argument
 * of a generic message, which suits a quoted key such as "'page'" (the
 * same in every language); give any other name its entry in jx_items. */
static const jx_item_msgs *item_msgs(const char *what) {
  for (size_t i = 0; i < sizeof jx_items / sizeof *jx_items; i++)
    if (!strcmp(jx_items[i].what, what))
      return &jx_items[i];
  return NULL;
}

/* Reports `msgid`, one of jx_items' (its arguments: up to two strings;
 * those it has no conversion for are ignored). */
static void item_error(jx_diag_list *diags, jx_pos pos, const char *msgid,
                       const char *a, const char *b) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  jx_error(diags, pos, msgid, a, b);
#pragma GCC diagnostic pop
}

bool jx_template_keys(jx_diag_list *diags, const jx_ynode *map,
                      const char *what, const char *const *known) {
  if (!map || map->kind != JX_YMAP)
    return true;
  const jx_item_msgs *m = item_msgs(what);
  bool ok = true;
  for (size_t i = 0; i < map->count; i++) {
    const char *key = map->keys[i]->str;
    size_t n = 0;
    while (known[n] && strcmp(key, known[n]) != 0)
      n++;
    if (known[n])
      continue;
    /* unknown: the nearest known key, if it is near enough */
    const char *close = NULL;
    size_t best = 3;
    for (n = 0; known[n]; n++) {
      size_t d = jx_name_distance(key, known[n]);
      if (d < best && d <= (strlen(known[n]) >= 5 ? 2u : 1u))
        best = d, close = known[n];
    }
    ok = false;
    if (close) {
      if (m)
        item_error(diags, map->keys[i]->pos, m->unknown_close, key, close);
      else
        jx_error(diags, map->keys[i]->pos,
                 "template: unknown key '%s' in %s; did you mean '%s'?", key,
                 what, close);
      continue;
    }
    char list[512] = "";
    for (size_t k = 0; known[k]; k++) {
      if (k)
        strncat(list, ", ", sizeof list - strlen(list) - 1);
      strncat(list, known[k], sizeof list - strlen(list) - 1);
    }
    if (m)
      item_error(diags, map->keys[i]->pos, m->unknown_list, key, list);
    else
      jx_error(diags, map->keys[i]->pos,
               "template: unknown key '%s' in %s (expected one of: %s)", key,
               what, list);
  }
  return ok;
}

int jx_content_field(const jx_content *content, const char *id) {
  for (size_t i = 0; i < content->field_count; i++)
    if (!strcmp(content->fields[i].id, id))
      return (int)i;
  return -1;
}

int jx_content_grid(const jx_content *content, const char *id) {
  for (size_t i = 0; i < content->grid_count; i++)
    if (!strcmp(content->grids[i].id, id))
      return (int)i;
  return -1;
}

const jx_group *jx_content_group(const jx_content *content, const char *id) {
  for (size_t i = 0; i < content->group_count; i++)
    if (!strcmp(content->groups[i].id, id))
      return &content->groups[i];
  return NULL;
}

int jx_grid_col(const jx_grid_def *g, const char *id) {
  for (size_t i = 0; i < g->col_count; i++)
    if (g->cols[i].id && !strcmp(g->cols[i].id, id))
      return (int)i;
  return -1;
}
