/*
 * describe.c — a template's content written out for people and editors:
 * the skeleton of `jxform new` (a commented project file with every
 * field) and the JSON Schema of `jxform schema` (what yaml-language-server
 * uses to complete and check project files).
 *
 * Both walk the declared fields in the template's order and nest them by
 * their dotted ids, so they follow the template with no code per form.
 */
#include "i18n.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* ---- the tree of keys -------------------------------------------------- */

/* A key of the project file: a field, a group of keys, or a grid. */
typedef struct jx_dnode {
  const char *key;
  const char *label;
  int field; /* field index, or -1 */
  int grid;  /* grid index, or -1 */
  struct jx_dnode *kids;
  size_t kid_count, kid_cap;
} jx_dnode;

static jx_dnode *kid(jx_arena *arena, jx_dnode *parent, const char *key,
                     size_t len) {
  for (size_t i = 0; i < parent->kid_count; i++)
    if (strlen(parent->kids[i].key) == len &&
        !strncmp(parent->kids[i].key, key, len))
      return &parent->kids[i];
  parent->kids = jx_arena_grow(arena, parent->kids, sizeof *parent->kids,
                               &parent->kid_cap, parent->kid_count + 1);
  jx_dnode *n = &parent->kids[parent->kid_count++];
  memset(n, 0, sizeof *n);
  n->key = jx_arena_strndup(arena, key, len);
  n->field = n->grid = -1;
  return n;
}

/* The fields and grids of `c` as a tree of keys, in declaration order. */
static jx_dnode *build_tree(jx_arena *arena, const jx_content *c) {
  jx_dnode *root = jx_arena_alloc(arena, sizeof *root);
  root->field = root->grid = -1;
  for (size_t i = 0; i < c->field_count; i++) {
    const char *id = c->fields[i].id;
    jx_dnode *at = root;
    const char *part = id;
    for (const char *dot = strchr(part, '.'); dot; dot = strchr(part, '.')) {
      at = kid(arena, at, part, (size_t)(dot - part));
      size_t len = (size_t)(dot - id);
      for (size_t g = 0; g < c->group_count && !at->label; g++)
        if (strlen(c->groups[g].id) == len &&
            !strncmp(c->groups[g].id, id, len))
          at->label = c->groups[g].label;
      part = dot + 1;
    }
    jx_dnode *leaf = kid(arena, at, part, strlen(part));
    leaf->field = (int)i;
    leaf->label = c->fields[i].label;
  }
  for (size_t g = 0; g < c->grid_count; g++) {
    jx_dnode *n = kid(arena, root, c->grids[g].id, strlen(c->grids[g].id));
    n->grid = (int)g;
    n->label = c->grids[g].label;
  }
  return root;
}

/* ---- the skeleton ------------------------------------------------------ */

/* Writes "INDENTkey: value" padded to a comment column, then "# comment". */
/* Columns `s` takes on a terminal: Chinese characters (3-byte UTF-8 and
 * longer) take two, ASCII one. */
static int display_width(const char *s) {
  int w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x80)
      w++;
    else if ((*p & 0xE0) == 0xC0)
      w++;
    else if ((*p & 0xC0) != 0x80)
      w += 2;
  }
  return w;
}

static void skel_line(FILE *out, int indent, const char *key, const char *value,
                      const char *comment) {
  fprintf(out, "%*s%s:%s%s", indent, "", key, value[0] ? " " : "", value);
  /* the comments line up, whatever the key and value are written in */
  int n = indent + display_width(key) + 1 + (value[0] ? 1 : 0) +
          display_width(value);
  if (comment && comment[0]) {
    for (; n < 30; n++)
      fputc(' ', out);
    fprintf(out, "  # %s", comment);
  }
  fputc('\n', out);
}

/* `text` with each `from` replaced by `to` (in the arena). */
static const char *replace_all(jx_arena *arena, const char *text,
                               const char *from, const char *to) {
  size_t nf = strlen(from), nt = strlen(to), count = 0;
  if (!nf)
    return text;
  for (const char *p = strstr(text, from); p; p = strstr(p + nf, from))
    count++;
  if (!count)
    return text;
  char *out = jx_arena_alloc(arena, strlen(text) + count * nt + 1);
  char *o = out;
  for (const char *p = text;;) {
    const char *hit = strstr(p, from);
    size_t n = hit ? (size_t)(hit - p) : strlen(p);
    memcpy(o, p, n);
    o += n;
    if (!hit)
      break;
    memcpy(o, to, nt);
    o += nt;
    p = hit + nf;
  }
  *o = '\0';
  return out;
}

/* The comment for field `f`: its label, (required), the choices, the
 * template's hint; a required field written with the template's example
 * says to replace it.  The year field's hint shows the year written
 * (`year`) where it shows the template's example year: "印在标题下：
 * （2026年度）" under "year: 2026". */
static const char *field_comment(jx_arena *arena, const jx_field *f, int year) {
  const char *text = f->label;
  if (f->required)
    text = jx_arena_printf(arena, "%s（必填）", text);
  if (f->type == JX_FT_CHOICE && f->choice_count) {
    size_t len = 1;
    for (size_t k = 0; k < f->choice_count; k++)
      len += strlen(f->choices[k]) + 4;
    char *list = jx_arena_alloc(arena, len);
    for (size_t k = 0; k < f->choice_count; k++) {
      if (k)
        strcat(list, " / ");
      strcat(list, f->choices[k]);
    }
    /* TRANSLATORS: a field's label, then its choices ("a / b / c") */
    text = jx_arena_printf(arena, _("%s: %s"), text, list);
  }
  const char *hint = f->hint;
  if (hint && f->type == JX_FT_YEAR && f->example)
    hint = replace_all(arena, hint, f->example,
                       jx_arena_printf(arena, "%d", year));
  if (hint)
    /* TRANSLATORS: a field's label, then the template's hint for it */
    text = jx_arena_printf(arena, _("%s; %s"), text, hint);
  else if (f->example && f->type != JX_FT_YEAR && !f->required)
    /* TRANSLATORS: a field's label, then an example value */
    text = jx_arena_printf(arena, _("%s; e.g. %s"), text, f->example);
  if (f->required && f->example && f->type != JX_FT_YEAR)
    /* TRANSLATORS: a required field's comment in the skeleton of `jxform
       new`, whose value is the template's example (某某项目): the
       clerk writes the real one over it */
    text = jx_arena_printf(arena, _("%s; an example: write your own"), text);
  return text;
}

static void skel_grid(FILE *out, jx_arena *arena, const jx_grid_def *g,
                      int indent) {
  /* One item per 二级 group of the frame (or one empty item). */
  size_t groups = 0;
  for (size_t f = 0; f < g->frame_count; f++)
    groups += g->frame[f].level2_count;
  size_t items = groups ? groups : 1;
  size_t f = 0, k = 0;
  for (size_t i = 0; i < items; i++) {
    bool first = true;
    for (size_t c = 0; c < g->col_count; c++) {
      const jx_gcol *col = &g->cols[c];
      const char *value = "";
      if (groups && (int)c == g->level1)
        value = g->frame[f].level1;
      else if (groups && (int)c == g->level2)
        value = g->frame[f].level2[k].name;
      else if (col->required && col->example)
        value = col->example; /* checks clean, to be replaced */
      fprintf(out, "%*s%s", indent, "", first ? "- " : "  ");
      const char *comment =
          value[0] ? NULL
                   : (col->required
                          ? jx_arena_printf(arena, "%s（必填）", col->label)
                          : col->label);
      skel_line(out, 0, col->id, value, comment);
      first = false;
    }
    if (groups && ++k == g->frame[f].level2_count)
      f++, k = 0;
  }
}

static void skel_node(FILE *out, jx_arena *arena, const jx_template *tpl,
                      const jx_dnode *n, int indent, int year) {
  const jx_content *c = &tpl->content;
  for (size_t i = 0; i < n->kid_count; i++) {
    const jx_dnode *k = &n->kids[i];
    if (k->field >= 0) {
      const jx_field *f = &c->fields[k->field];
      /* A required field gets the template's example, so that the
       * skeleton checks clean; the comment says to replace it. */
      char value[256] = "";
      if (f->type == JX_FT_YEAR)
        snprintf(value, sizeof value, "%d", year);
      else if (f->required && f->example)
        snprintf(value, sizeof value, "%s", f->example);
      skel_line(out, indent, k->key, value, field_comment(arena, f, year));
    } else if (k->grid >= 0) {
      const jx_grid_def *g = &c->grids[k->grid];
      fputc('\n', out);
      if (g->frame_count)
        fprintf(out,
                _("# %s: one item per row, in the order below; delete the "
                  "items you do\n# not need, copy an item for more rows.\n"),
                g->label);
      skel_line(out, indent, k->key, "", g->label);
      if (!g->side_count) {
        skel_grid(out, arena, g, indent + 2);
        continue;
      }
      for (size_t s = 0; s < g->side_count; s++) {
        skel_line(out, indent + 2, g->side_ids[s], "", g->side_labels[s]);
        skel_grid(out, arena, g, indent + 4);
      }
    } else {
      if (indent == 0)
        fputc('\n', out);
      skel_line(out, indent, k->key, "", k->label);
      skel_node(out, arena, tpl, k, indent + 2, year);
    }
  }
}

bool jx_skeleton_write(const jx_template *tpl, int year, FILE *out) {
  jx_arena arena;
  jx_arena_init(&arena);
  const jx_content *c = &tpl->content;
  fprintf(out,
          _("# %s — a new project.\n"
            "# Write each value after its ':'; the comment says what it is on "
            "the form.\n"
            "# A value left empty prints blank (for money: blank, not 0).  "
            "Quote values\n"
            "# that start with [ ] { } , & * ! | > ' \" %% @ or contain ': '.  "
            "Then run\n"
            "#   jxform check FILE.yaml\n"
            "# and fix what it reports, before `jxform render FILE.yaml`.\n"),
          tpl->title ? tpl->title : tpl->name);
  for (size_t b = 0; b < c->money_count; b++) {
    const jx_money_block *mb = &c->money[b];
    /* a form with thousands separators counts in large whole amounts (元);
     * one without them in small amounts with decimals (万元) */
    fprintf(out, _("# %s: amounts in %s, like %s.\n"), mb->label, mb->unit,
            mb->thousands ? _("34060000, \"34,060,000\" or 1234.50")
                          : _("386, 386.5 or 1200.00"));
  }
  skel_line(out, 0, "schema", "1", _("file format version, keep 1"));
  skel_line(out, 0, "template", tpl->name, NULL);
  jx_dnode *root = build_tree(&arena, c);
  skel_node(out, &arena, tpl, root, 0, year);
  jx_arena_free(&arena);
  return !ferror(out);
}

/* ---- the JSON Schema --------------------------------------------------- */

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

static void pad(FILE *out, int indent) { fprintf(out, "%*s", indent, ""); }

/* Keys written as the form's labels (Chinese) load too: the schema lets
 * any key with a non-ASCII character through, and jxform check says
 * whether it is a label. */
static void json_label_keys(FILE *out, int indent) {
  pad(out, indent);
  fputs("\"patternProperties\": {\"[^\\u0000-\\u007f]\": {}},\n", out);
}

/* The schema of a scalar of type `type` (YAML scalars may come as numbers
 * or booleans: the loader reads them as text). */
static void json_scalar(FILE *out, int indent, const char *label, bool required,
                        jx_ftype type, const char *const *enums,
                        size_t enum_count, const char *example) {
  pad(out, indent);
  fputs("\"type\": [\"string\", \"number\", \"integer\", \"boolean\", "
        "\"null\"],\n",
        out);
  pad(out, indent);
  fputs("\"description\": ", out);
  char text[512];
  /* TRANSLATORS: a field's label, "（必填）" if it is required, then its
   * type as the template names it ("money", "date") */
  snprintf(text, sizeof text, _("%s%s (%s)"), label, required ? "（必填）" : "",
           jx_ftype_names[type]);
  json_string(out, text);
  if (enum_count || example) {
    fputs(",\n", out);
    pad(out, indent);
    fputs("\"examples\": [", out);
    for (size_t i = 0; i < enum_count; i++) {
      if (i)
        fputs(", ", out);
      json_string(out, enums[i]);
    }
    if (!enum_count)
      json_string(out, example);
    fputc(']', out);
  }
  fputc('\n', out);
}

/* Writes "required": [...] of node `n` (the keys whose subtree holds a
 * required field). */
static bool subtree_required(const jx_content *c, const jx_dnode *n) {
  if (n->field >= 0)
    return c->fields[n->field].required;
  for (size_t i = 0; i < n->kid_count; i++)
    if (subtree_required(c, &n->kids[i]))
      return true;
  return false;
}

static void json_object(FILE *out, const jx_content *c, const jx_dnode *n,
                        int indent, bool top);

/* The required keys of an object: each by its key or by its label (a
 * key written as the form's label counts), "allOf" of "anyOf"s. */
static void json_required(FILE *out, int indent, const char *const *keys,
                          const char *const *labels, size_t n) {
  if (!n)
    return;
  pad(out, indent);
  fputs("\"allOf\": [", out);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ", " : "", out);
    if (!labels[i] || !strcmp(labels[i], keys[i])) {
      fputs("{\"required\": [", out);
      json_string(out, keys[i]);
      fputs("]}", out);
      continue;
    }
    fputs("{\"anyOf\": [{\"required\": [", out);
    json_string(out, keys[i]);
    fputs("]}, {\"required\": [", out);
    json_string(out, labels[i]);
    fputs("]}]}", out);
  }
  fputs("],\n", out);
}

static void json_grid_row(FILE *out, const jx_grid_def *g, int indent) {
  pad(out, indent);
  fputs("\"type\": \"array\",\n", out);
  pad(out, indent);
  fputs("\"items\": {\n", out);
  pad(out, indent + 2);
  fputs("\"type\": \"object\",\n", out);
  pad(out, indent + 2);
  fputs("\"additionalProperties\": false,\n", out);
  json_label_keys(out, indent + 2);
  const char *keys[64], *labels[64];
  size_t nreq = 0;
  for (size_t k = 0; k < g->col_count && nreq < 64; k++)
    if (g->cols[k].required) {
      keys[nreq] = g->cols[k].id;
      labels[nreq++] = g->cols[k].label;
    }
  json_required(out, indent + 2, keys, labels, nreq);
  pad(out, indent + 2);
  fputs("\"properties\": {\n", out);
  for (size_t k = 0; k < g->col_count; k++) {
    const jx_gcol *col = &g->cols[k];
    pad(out, indent + 4);
    json_string(out, col->id);
    fputs(": {\n", out);
    const char *names[256];
    size_t n = 0;
    for (size_t f = 0; f < g->frame_count && n < 256; f++) {
      if ((int)k == g->level1)
        names[n++] = g->frame[f].level1;
      else if ((int)k == g->level2)
        for (size_t l = 0; l < g->frame[f].level2_count && n < 256; l++)
          names[n++] = g->frame[f].level2[l].name;
    }
    json_scalar(out, indent + 6, col->label, col->required, col->type, names, n,
                col->example);
    pad(out, indent + 4);
    fputs(k + 1 < g->col_count ? "},\n" : "}\n", out);
  }
  pad(out, indent + 2);
  fputs("}\n", out);
  pad(out, indent);
  fputs("}\n", out);
}

static void json_node(FILE *out, const jx_content *c, const jx_dnode *k,
                      int indent) {
  if (k->field >= 0) {
    const jx_field *f = &c->fields[k->field];
    json_scalar(out, indent, f->label, f->required, f->type,
                (const char *const *)f->choices, f->choice_count, f->example);
  } else if (k->grid >= 0) {
    const jx_grid_def *g = &c->grids[k->grid];
    pad(out, indent);
    fputs("\"description\": ", out);
    json_string(out, g->label);
    fputs(",\n", out);
    if (!g->side_count) {
      json_grid_row(out, g, indent);
      return;
    }
    pad(out, indent);
    fputs("\"type\": [\"object\", \"null\"],\n", out);
    pad(out, indent);
    fputs("\"additionalProperties\": false,\n", out);
    pad(out, indent);
    fputs("\"properties\": {\n", out);
    for (size_t s = 0; s < g->side_count; s++) {
      pad(out, indent + 2);
      json_string(out, g->side_ids[s]);
      fputs(": {\n", out);
      pad(out, indent + 4);
      fputs("\"description\": ", out);
      json_string(out, g->side_labels[s]);
      fputs(",\n", out);
      json_grid_row(out, g, indent + 4);
      pad(out, indent + 2);
      fputs(s + 1 < g->side_count ? "},\n" : "}\n", out);
    }
    pad(out, indent);
    fputs("}\n", out);
  } else {
    json_object(out, c, k, indent, false);
  }
}

static void json_object(FILE *out, const jx_content *c, const jx_dnode *n,
                        int indent, bool top) {
  pad(out, indent);
  fputs(top ? "\"type\": \"object\",\n" : "\"type\": [\"object\", \"null\"],\n",
        out);
  if (n->label && !top) {
    pad(out, indent);
    fputs("\"description\": ", out);
    json_string(out, n->label);
    fputs(",\n", out);
  }
  pad(out, indent);
  fputs("\"additionalProperties\": false,\n", out);
  json_label_keys(out, indent);
  const char **keys = calloc(n->kid_count + 2, sizeof *keys);
  const char **labels = calloc(n->kid_count + 2, sizeof *labels);
  if (!keys || !labels)
    abort();
  size_t nreq = 0;
  if (top)
    keys[nreq] = "schema", labels[nreq++] = NULL;
  for (size_t i = 0; i < n->kid_count; i++)
    if (subtree_required(c, &n->kids[i])) {
      keys[nreq] = n->kids[i].key;
      labels[nreq++] = n->kids[i].label;
    }
  json_required(out, indent, keys, labels, nreq);
  free(keys);
  free(labels);
  pad(out, indent);
  fputs("\"properties\": {\n", out);
  if (top) {
    pad(out, indent + 2);
    fputs("\"schema\": {\"description\": ", out);
    json_string(out, _("file format version"));
    fputs(", \"enum\": [1, \"1\"]},\n", out);
    pad(out, indent + 2);
    fputs("\"template\": {\"description\": ", out);
    json_string(out, _("the form (template name)"));
    fputs(", \"type\": \"string\"}", out);
    fputs(n->kid_count ? ",\n" : "\n", out);
  }
  for (size_t i = 0; i < n->kid_count; i++) {
    pad(out, indent + 2);
    json_string(out, n->kids[i].key);
    fputs(": {\n", out);
    json_node(out, c, &n->kids[i], indent + 4);
    pad(out, indent + 2);
    fputs(i + 1 < n->kid_count ? "},\n" : "}\n", out);
  }
  pad(out, indent);
  fputs("}\n", out);
}

bool jx_schema_write(const jx_template *tpl, FILE *out) {
  jx_arena arena;
  jx_arena_init(&arena);
  fputs("{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
        "  \"title\": ",
        out);
  char title[512];
  snprintf(title, sizeof title, _("%s (jxform template %s)"),
           tpl->title ? tpl->title : tpl->name, tpl->name);
  json_string(out, title);
  fputs(",\n  \"description\": ", out);
  char *description = jx_arena_printf(
      &arena,
      _("Written by `jxform schema --template %s` from the template; do not "
        "edit by hand."),
      tpl->name);
  json_string(out, description);
  fputs(",\n", out);
  jx_dnode *root = build_tree(&arena, &tpl->content);
  json_object(out, &tpl->content, root, 2, true);
  fputs("}\n", out);
  jx_arena_free(&arena);
  return !ferror(out);
}
