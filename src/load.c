/*
 * load.c — a project file → jx_model, read against the fields, money
 * blocks and grids its template declares (content.h).
 *
 * Two steps, so that the template can be chosen by the file itself:
 * jx_load_tree parses the YAML (yaml.c) and checks the encoding;
 * jx_load_model walks the tree against the template's content and reports
 * every problem of the file at the line and column of the value (or key)
 * concerned, then returns NULL if there was any.
 *
 * The file's shape follows the field ids: `project.department.code` is
 * read from
 *
 *   project:
 *     department:
 *       code: "045"
 *
 * and a field's (or a group's, or a grid's) label may stand for its key:
 * `LABEL: …` under `project:`, or at the top level for any field whose
 * label is unique.  A grid with sides is `ID: {SIDE: [row…]}`, without
 * `ID: [row…]`; each row is a mapping of its columns (ids or labels).
 * `schema: 1` and `template: NAME` are the file's own settings.
 *
 * Text values are any scalar, taken as their raw text; null (`~`, empty)
 * is absent.  Money is 123, 123.4, 123.45 or "34,060,000.00"; null or ""
 * is absent (blank on the form), which is not 0.
 *
 * The mistakes of a Chinese keyboard are named with what to type
 * instead: full-width digits and separators in an amount (３８６００００,
 * an error), a key with full-width spaces before it or a full-width colon
 * after it, and a text value cut short by ' #' (a warning, text-comment,
 * which --strict makes an error: validate.c).  So is a comma that cut a
 * value short in a { } item ("value: 1,340元" is 'value: 1' and a key
 * '340元'): the unknown key is explained, with the value in quotes.  A
 * UTF-8 byte-order mark is allowed.
 */
#include "jxlimits.h"
#include "model.h"
#include "utf8.h"
#include "xalloc.h"
#include "ynode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest amount accepted, in hundredths: 999,999,999,999,999.99. */
#define JX_AMOUNT_MAX_CENTS INT64_C(99999999999999999)

/* What a key of the file stands for. */
typedef enum { JX_K_NONE, JX_K_FIELD, JX_K_GROUP, JX_K_GRID } jx_kind;

/* Where a field's or group's value was found in the file. */
typedef struct jx_found {
  const jx_ynode *value, *key;
} jx_found;

typedef struct jx_loader {
  jx_arena *arena;
  jx_diag_list *diags;
  jx_model *model;
  const jx_content *content;
  jx_found *fields;     /* per field */
  jx_found *groups;     /* per group */
  jx_found *grids;      /* per grid */
  bool *suggested;      /* per field: an unknown key was said to stand for it */
  bool *group_reported; /* per group: its absence was reported */
  const jx_ynode *root;
  /* The YAML parse stopped early (syntax error): keys after that point are
   * missing from the tree, so "missing required key" is not reported. */
  bool partial;
  size_t first_diag; /* diagnostics of this file start here */
  bool capped;       /* JX_LIMIT_DIAGNOSTICS reached: unknown keys no
                        longer reported */
} jx_loader;

/* True if an error of this file is already recorded at `pos` (an alias or
 * a refused key left a placeholder there): nothing more is said about it,
 * so that one mistake gives one message. */
static bool jx_reported_at(const jx_loader *ld, jx_pos pos) {
  for (size_t i = ld->first_diag; i < ld->diags->count; i++) {
    const jx_diagnostic *d = &ld->diags->items[i];
    if (d->severity == JX_SEV_ERROR && d->line == pos.line &&
        d->column == pos.col)
      return true;
  }
  return false;
}

/* ---- keys: what a mapping may hold, and "did you mean" ----------------- */

static char jx_ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Edit distance (insert, delete, substitute, swap two neighbours),
 * ignoring ASCII case and treating '-' and ' ' as '_'.  Stops counting at
 * 9: only small distances matter. */
static size_t jx_key_distance(const char *a, const char *b) {
  enum { MAX_LEN = 40 };
  size_t la = strlen(a), lb = strlen(b);
  if (la > MAX_LEN || lb > MAX_LEN)
    return 9;
  char na[MAX_LEN + 1], nb[MAX_LEN + 1];
  for (size_t i = 0; i <= la; i++)
    na[i] = (a[i] == '-' || a[i] == ' ') ? '_' : jx_ascii_lower(a[i]);
  for (size_t j = 0; j <= lb; j++)
    nb[j] = (b[j] == '-' || b[j] == ' ') ? '_' : jx_ascii_lower(b[j]);
  size_t d = jx_name_distance(na, nb); /* content.c */
  return d < 9 ? d : 9;
}

/* The known key closest to `key` among `known`, or NULL when none is close
 * enough to be a likely typo (distance ≤ 1 for short keys, ≤ 2 from 5
 * characters). */
static const char *jx_suggest(const char *key, const char *const *known,
                              size_t count) {
  size_t limit = strlen(key) >= 5 ? 2 : 1;
  const char *best = NULL;
  size_t best_distance = limit + 1;
  for (size_t i = 0; i < count; i++) {
    size_t distance = jx_key_distance(key, known[i]);
    if (distance < best_distance) {
      best = known[i];
      best_distance = distance;
    }
  }
  return best;
}

/* The last part of a dotted id ("code" of "project.department.code"). */
static const char *jx_last_part(const char *id) {
  const char *dot = strrchr(id, '.');
  return dot ? dot + 1 : id;
}

/* True if `id` is directly inside `prefix` ("" = the top level). */
static bool jx_child_of(const char *id, const char *prefix) {
  size_t n = strlen(prefix);
  if (n == 0)
    return !strchr(id, '.');
  return !strncmp(id, prefix, n) && id[n] == '.' && !strchr(id + n + 1, '.');
}

/* One key a mapping may hold: what it stands for, its id and label. */
typedef struct jx_child {
  jx_kind kind;
  int index; /* field, group or grid index */
  const char *id, *key, *label;
  const char *alt; /* another label it is known by (a money row's own
                      label under its column), or NULL */
} jx_child;

/* The keys the mapping at group `prefix` may hold, in the template's
 * order, into *out (arena); returns how many. */
static size_t jx_children(jx_loader *ld, const char *prefix, jx_child **out) {
  const jx_content *c = ld->content;
  size_t cap = c->field_count + c->group_count + c->grid_count + 1, n = 0;
  jx_child *list = jx_arena_alloc(ld->arena, cap * sizeof *list);
  size_t plen = strlen(prefix);
  /* In the order of the fields: a field here, or the group that holds it
   * one level down. */
  for (size_t i = 0; i < c->field_count; i++) {
    const char *id = c->fields[i].id;
    if (jx_child_of(id, prefix)) {
      const char *alt = NULL;
      int b = c->fields[i].money_block;
      if (b >= 0) /* ID.COLUMN.ROW: the row's label */
        alt = c->money[b].row_labels[(i - c->money[b].first_field) %
                                     c->money[b].row_count];
      list[n++] = (jx_child){JX_K_FIELD,         (int)i, id, jx_last_part(id),
                             c->fields[i].label, alt};
      continue;
    }
    if (plen && (strncmp(id, prefix, plen) || id[plen] != '.'))
      continue;
    const char *part = plen ? id + plen + 1 : id;
    const char *dot = strchr(part, '.');
    if (!dot)
      continue;
    size_t glen = (size_t)(dot - id);
    for (size_t g = 0; g < c->group_count; g++) {
      const char *gid = c->groups[g].id;
      if (strlen(gid) != glen || strncmp(gid, id, glen))
        continue;
      bool seen = false;
      for (size_t k = 0; k < n && !seen; k++)
        seen = list[k].kind == JX_K_GROUP && list[k].index == (int)g;
      if (!seen)
        list[n++] =
            (jx_child){JX_K_GROUP,         (int)g, gid, jx_last_part(gid),
                       c->groups[g].label, NULL};
    }
  }
  if (!plen)
    for (size_t i = 0; i < c->grid_count; i++)
      list[n++] =
          (jx_child){JX_K_GRID,         (int)i, c->grids[i].id, c->grids[i].id,
                     c->grids[i].label, NULL};
  *out = list;
  return n;
}

/* Label comparison that forgives spaces and full-width/half-width
 * brackets and colons: "资金（元）" = "资金(元)". */
static bool jx_label_eq(const char *a, const char *b) {
  static const char *const same[][2] = {
      {"（", "("}, {"）", ")"}, {"：", ":"}, {"　", " "}};
  while (*a || *b) {
    while (*a == ' ')
      a++;
    while (*b == ' ')
      b++;
    if (!*a || !*b)
      return !*a && !*b;
    bool matched = false;
    for (size_t i = 0; i < JX_COUNT(same) && !matched; i++)
      for (int k = 0; k < 2 && !matched; k++) {
        size_t na = strlen(same[i][k]), nb = strlen(same[i][!k]);
        if (!strncmp(a, same[i][k], na) &&
            (!strncmp(b, same[i][!k], nb) || !strncmp(b, same[i][k], na))) {
          a += na;
          b += !strncmp(b, same[i][!k], nb) ? nb : na;
          matched = true;
        }
      }
    if (matched)
      continue;
    if (*a != *b)
      return false;
    a++, b++;
  }
  return true;
}

/* The child that `key` names: by its key, else by its label; at the top
 * level also any field by a label no other field has.  NULL if none. */
static const jx_child *jx_resolve(jx_loader *ld, const char *key,
                                  const jx_child *list, size_t n, bool top,
                                  jx_child *scratch) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(key, list[i].key))
      return &list[i];
  for (size_t i = 0; i < n; i++)
    if (jx_label_eq(key, list[i].label) ||
        (list[i].alt && jx_label_eq(key, list[i].alt)))
      return &list[i];
  if (!top)
    return NULL;
  const jx_content *c = ld->content;
  int hit = -1;
  for (size_t i = 0; i < c->field_count; i++)
    if (jx_label_eq(key, c->fields[i].label)) {
      if (hit >= 0)
        return NULL; /* two fields share the label: not a unique name */
      hit = (int)i;
    }
  if (hit < 0)
    return NULL;
  *scratch = (jx_child){JX_K_FIELD,           hit,
                        c->fields[hit].id,    c->fields[hit].id,
                        c->fields[hit].label, NULL};
  return scratch;
}

/* "a, b, c" of the children's keys, in the arena. */
static const char *jx_join_keys(jx_arena *arena, const jx_child *list,
                                size_t n) {
  size_t len = 1;
  for (size_t i = 0; i < n; i++)
    len += strlen(list[i].key) + strlen(list[i].label) + 8;
  char *text = jx_arena_alloc(arena, len);
  for (size_t i = 0; i < n; i++) {
    if (i)
      strcat(text, ", ");
    strcat(text, list[i].key);
    if (strcmp(list[i].key, list[i].label)) {
      strcat(text, " (");
      strcat(text, list[i].label);
      strcat(text, ")");
    }
  }
  return text;
}

/* The group, other than `prefix`, whose mapping has a key `key`: where a
 * misplaced key belongs ("" for the top level), or NULL. */
static const char *jx_belongs(jx_loader *ld, const char *key,
                              const char *prefix) {
  const jx_content *c = ld->content;
  for (size_t i = 0; i < c->field_count; i++) {
    const char *id = c->fields[i].id;
    if (strcmp(jx_last_part(id), key) || c->fields[i].money_block >= 0)
      continue;
    size_t parent = (size_t)(jx_last_part(id) - id);
    parent = parent ? parent - 1 : 0;
    if (strlen(prefix) == parent && !strncmp(id, prefix, parent))
      continue;
    return jx_arena_strndup(ld->arena, id, parent);
  }
  return NULL;
}

/* U+3000 IDEOGRAPHIC SPACE and U+FF1A FULLWIDTH COLON, as a Chinese input
 * method types them in place of ' ' and ':'. */
#define JX_FW_SPACE "\xE3\x80\x80"
#define JX_FW_COLON "\xEF\xBC\x9A"
#define JX_FW_LEN 3

/* Marks the field that `name` stands for in `list` as accounted for, so
 * that it is not also reported missing. */
static void jx_mark_meant(jx_loader *ld, const char *name, const char *prefix,
                          const jx_child *list, size_t n) {
  jx_child scratch;
  const jx_child *child = jx_resolve(ld, name, list, n, !prefix[0], &scratch);
  if (child && child->kind == JX_K_FIELD)
    ld->suggested[child->index] = true;
}

/* Reports `key` (unknown at `prefix`, "" for the top level) when a
 * Chinese keyboard made it: indentation typed with full-width spaces
 * ("　　implementer", the spaces became part of the key) or a key
 * followed by a full-width colon ("level1：产出" in a { } item, read
 * as one key).  Returns true when it did.  Each case is a whole message
 * (at the top level and in a mapping), for the catalogue. */
static bool jx_keyboard_key(jx_loader *ld, const jx_ynode *key,
                            const char *prefix, const jx_child *list,
                            size_t n) {
  const char *s = key->str;
  const char *p = s;
  bool top = !prefix[0];
  bool wide = false;
  while (*p == ' ' || !strncmp(p, JX_FW_SPACE, JX_FW_LEN)) {
    wide |= *p != ' ';
    p += *p == ' ' ? 1 : JX_FW_LEN;
  }
  if (wide && *p) {
    jx_child scratch;
    const jx_child *child = jx_resolve(ld, p, list, n, top, &scratch);
    const char *belongs = child ? NULL : jx_belongs(ld, p, prefix);
    jx_mark_meant(ld, p, prefix, list, n);
    if (child && !top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s': it starts with full-width spaces "
               "'\u3000' (U+3000, 全角空格), which YAML does not count as "
               "indentation; delete them and indent '%s' with ordinary "
               "half-width spaces, like the other keys of '%s'",
               s, prefix, p, prefix);
    else if ((child || (belongs && !belongs[0])) && top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level: it starts with full-width "
               "spaces '\u3000' (U+3000, 全角空格), which YAML does not count "
               "as indentation; delete them: '%s' belongs at the top level, "
               "with no indentation",
               s, p);
    else if (child || (belongs && !belongs[0]))
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s': it starts with full-width spaces "
               "'\u3000' (U+3000, 全角空格), which YAML does not count as "
               "indentation; delete them: '%s' belongs at the top level, "
               "with no indentation",
               s, prefix, p);
    else if (belongs && top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level: it starts with full-width "
               "spaces '\u3000' (U+3000, 全角空格), which YAML does not count "
               "as indentation; delete them and indent '%s' with ordinary "
               "half-width spaces under '%s:'",
               s, p, jx_last_part(belongs));
    else if (belongs)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s': it starts with full-width spaces "
               "'\u3000' (U+3000, 全角空格), which YAML does not count as "
               "indentation; delete them and indent '%s' with ordinary "
               "half-width spaces under '%s:'",
               s, prefix, p, jx_last_part(belongs));
    else if (top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level: it starts with full-width "
               "spaces '\u3000' (U+3000, 全角空格), which YAML does not count "
               "as indentation; delete them and indent with ordinary "
               "half-width spaces",
               s);
    else
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s': it starts with full-width spaces "
               "'\u3000' (U+3000, 全角空格), which YAML does not count as "
               "indentation; delete them and indent with ordinary half-width "
               "spaces",
               s, prefix);
    return true;
  }
  const char *colon = strstr(s, JX_FW_COLON);
  if (!colon || colon == s)
    return false;
  char *name = jx_arena_strndup(ld->arena, s, (size_t)(colon - s));
  for (size_t len = strlen(name); len > 0 && name[len - 1] == ' ';)
    name[--len] = '\0';
  const char *value = colon + JX_FW_LEN;
  while (*value == ' ' || !strncmp(value, JX_FW_SPACE, JX_FW_LEN))
    value += *value == ' ' ? 1 : JX_FW_LEN;
  jx_mark_meant(ld, name, prefix, list, n);
  if (top)
    jx_error(ld->diags, key->pos,
             "unknown key '%s' at the top level: the key '%s' is followed by "
             "a full-width colon '：' (全角冒号), which YAML does not read as "
             "':'; type a half-width ':' and a space instead: '%s:%s%s'",
             s, name, name, *value ? " " : "", value);
  else
    jx_error(ld->diags, key->pos,
             "unknown key '%s' in '%s': the key '%s' is followed by a "
             "full-width colon '：' (全角冒号), which YAML does not read as "
             "':'; type a half-width ':' and a space instead: '%s:%s%s'",
             s, prefix, name, name, *value ? " " : "", value);
  return true;
}

/* True if `next` (a key) starts on the line where plain value `prev` ends,
 * one comma (and spaces) after it: in a { } mapping, "value: 1,340元"
 * is read as 'value: 1' and a key '340元'.  Sets *gap to the columns
 * between them. */
static bool jx_comma_after(const jx_ynode *prev, const jx_ynode *next,
                           size_t *gap) {
  if (!prev || prev->kind != JX_YSCALAR || prev->quoted || prev->is_null ||
      next->kind != JX_YSCALAR || next->quoted ||
      prev->pos.line != next->pos.line)
    return false;
  size_t end = prev->pos.col + jx_utf8_chars(prev->str);
  if (next->pos.col <= end || next->pos.col > end + 3)
    return false;
  *gap = next->pos.col - end;
  return true;
}

/* True if entry `i` of `map` is a key with no value ("340元/平方米") that
 * continues the entry before it on its line after a comma. */
static bool jx_comma_piece(const jx_ynode *map, size_t i, size_t *gap) {
  const jx_ynode *value = map->items[i];
  if (i == 0 || !value || value->kind != JX_YSCALAR || !value->is_null ||
      value->quoted)
    return false;
  const jx_ynode *before = map->items[i - 1];
  /* the piece after a piece ("1,340,000元"): after the key before */
  if (before && before->kind == JX_YSCALAR && before->is_null &&
      !before->quoted)
    before = map->keys[i - 1];
  return jx_comma_after(before, map->keys[i], gap);
}

/* Reports unknown key `i` of `map` (at `prefix`, not the top level) when
 * it is the rest of a value that a comma cut short in a { } mapping:
 * "{…, value: 1,340元/平方米}" is read as 'value: 1' and a key
 * '340元/平方米'.  Says what to type: the whole value in quotes.  A
 * later piece of the same value ("1,340,000元": '000元') was reported
 * with the first.  Returns true when the key is accounted for. */
static bool jx_comma_key(jx_loader *ld, const jx_ynode *map, size_t i,
                         const char *prefix) {
  size_t gap;
  if (!prefix[0] || !jx_comma_piece(map, i, &gap))
    return false;
  size_t first = i;
  while (first > 0 && jx_comma_piece(map, first - 1, &gap))
    first--;
  if (first < i)
    return true; /* said with the first piece */
  if (ld->capped || jx_reported_at(ld, map->keys[i]->pos))
    return true;
  /* the value as written: the value before the first piece, then each
   * piece after its comma */
  const jx_ynode *key = map->keys[first - 1];
  size_t len = strlen(map->items[first - 1]->str) + 1;
  for (size_t k = first;
       k < map->count && (k == first || jx_comma_piece(map, k, &gap)); k++)
    len += strlen(map->keys[k]->str) + 4;
  char *text = jx_arena_alloc(ld->arena, len);
  strcpy(text, map->items[first - 1]->str);
  for (size_t k = first; k < map->count && jx_comma_piece(map, k, &gap); k++) {
    strcat(text, gap > 1 ? ", " : ",");
    strcat(text, map->keys[k]->str);
  }
  jx_error(ld->diags, map->keys[i]->pos,
           "unknown key '%s' in '%s': inside { } a comma separates the "
           "entries, so the comma in '%s' cut the value short; put the value "
           "in quotes: %s: \"%s\"",
           map->keys[i]->str, prefix, text, key->str, text);
  return true;
}

/* Reports `key`, unknown in the mapping at `prefix` whose children are
 * `list`: a typo's likely key, where a misplaced key belongs, or the keys
 * it may hold.  Each at the top level and in a mapping is a message of
 * its own, for the catalogue. */
static void jx_unknown_key(jx_loader *ld, const jx_ynode *key,
                           const char *prefix, const jx_child *list, size_t n) {
  if (ld->capped)
    return;
  if (ld->diags->count - ld->first_diag >= JX_LIMIT_DIAGNOSTICS) {
    ld->capped = true;
    jx_error(ld->diags, key->pos,
             "more than %d problems in this file; the rest are not listed "
             "(fix these first)",
             JX_LIMIT_DIAGNOSTICS);
    return;
  }
  if (jx_reported_at(ld, key->pos))
    return;
  bool top = !prefix[0];
  if (jx_keyboard_key(ld, key, prefix, list, n))
    return;
  const char **keys = jx_arena_alloc(ld->arena, (n + 1) * sizeof *keys);
  for (size_t i = 0; i < n; i++)
    keys[i] = list[i].key;
  const char *suggestion = jx_suggest(key->str, keys, n);
  const char *label_hint = NULL; /* a label the key likely misspells */
  if (!suggestion && (unsigned char)key->str[0] >= 0x80) {
    size_t best = 3;
    for (size_t i = 0; i < n; i++) {
      const char *l = list[i].label;
      /* one character off, two in a label of five or more (UTF-8 CJK
       * characters are 3 bytes) */
      size_t limit = strlen(l) >= 15 ? 2 : 1;
      size_t d = jx_name_distance(key->str, l);
      if (d <= limit && d < best) {
        best = d;
        label_hint = l;
        suggestion = list[i].key;
      }
    }
  }
  const char *belongs = suggestion ? NULL : jx_belongs(ld, key->str, prefix);
  if (suggestion) {
    for (size_t i = 0; i < n; i++)
      if (list[i].key == suggestion && list[i].kind == JX_K_FIELD)
        ld->suggested[list[i].index] = true;
    if (label_hint && top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level; did you mean '%s' (%s)?",
               key->str, label_hint, suggestion);
    else if (label_hint)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s'; did you mean '%s' (%s)?", key->str,
               prefix, label_hint, suggestion);
    else if (top)
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level; did you mean '%s'?",
               key->str, suggestion);
    else
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in '%s'; did you mean '%s'?", key->str, prefix,
               suggestion);
  } else if (belongs && !belongs[0]) {
    /* never at the top level: jx_belongs names another mapping */
    jx_error(ld->diags, key->pos,
             "unknown key '%s' in '%s'; it belongs at the top level (no "
             "indentation)",
             key->str, prefix);
  } else if (belongs && top) {
    jx_error(ld->diags, key->pos,
             "unknown key '%s' at the top level; it belongs under '%s:'",
             key->str, jx_last_part(belongs));
  } else if (belongs) {
    jx_error(ld->diags, key->pos,
             "unknown key '%s' in '%s'; it belongs under '%s:'", key->str,
             prefix, jx_last_part(belongs));
  } else if (top) {
    jx_error(ld->diags, key->pos,
             "unknown key '%s' at the top level (expected one of: schema, "
             "template, %s)",
             key->str, jx_join_keys(ld->arena, list, n));
  } else {
    jx_error(ld->diags, key->pos,
             "unknown key '%s' in '%s' (expected one of: %s)", key->str, prefix,
             jx_join_keys(ld->arena, list, n));
  }
}

/* Records where each field, group and grid of the mapping `map` (at group
 * `prefix`) was written, and reports the keys it cannot hold. */
static void jx_walk(jx_loader *ld, const jx_ynode *map, const char *prefix) {
  jx_child *list;
  size_t n = jx_children(ld, prefix, &list);
  bool top = !prefix[0];
  for (size_t i = 0; i < map->count; i++) {
    const jx_ynode *key = map->keys[i], *value = map->items[i];
    if (top && (!strcmp(key->str, "schema") || !strcmp(key->str, "template")))
      continue;
    jx_child scratch;
    const jx_child *child = jx_resolve(ld, key->str, list, n, top, &scratch);
    if (!child) {
      if (!jx_comma_key(ld, map, i, prefix))
        jx_unknown_key(ld, key, prefix, list, n);
      continue;
    }
    jx_found *slot = child->kind == JX_K_FIELD   ? &ld->fields[child->index]
                     : child->kind == JX_K_GROUP ? &ld->groups[child->index]
                                                 : &ld->grids[child->index];
    if (slot->key) {
      if (jx_reported_at(ld, key->pos))
        continue; /* the parser said so: a key written twice */
      jx_error(ld->diags, key->pos,
               "'%s' (%s) is written twice: here and at line %u; keep one",
               child->id, child->label, slot->key->pos.line);
      continue;
    }
    slot->key = key;
    slot->value = value;
    if (child->kind != JX_K_GROUP || !value ||
        (value->kind == JX_YSCALAR && value->is_null))
      continue;
    if (value->kind != JX_YMAP) {
      if (jx_reported_at(ld, value->pos))
        continue; /* the parser said why (a full-width colon …) */
      const jx_group *g = &ld->content->groups[child->index];
      bool seq = value->kind == JX_YSEQ;
      if (g->example && seq)
        jx_error(ld->diags, value->pos,
                 "'%s' must be a mapping (indented 'key: value' lines), not a "
                 "sequence; write it like %s: %s",
                 g->id, jx_last_part(g->id), g->example);
      else if (g->example)
        jx_error(ld->diags, value->pos,
                 "'%s' must be a mapping (indented 'key: value' lines), not a "
                 "scalar; write it like %s: %s",
                 g->id, jx_last_part(g->id), g->example);
      else if (seq)
        jx_error(ld->diags, value->pos,
                 "'%s' must be a mapping (indented 'key: value' lines), not a "
                 "sequence",
                 g->id);
      else
        jx_error(ld->diags, value->pos,
                 "'%s' must be a mapping (indented 'key: value' lines), not a "
                 "scalar",
                 g->id);
      continue;
    }
    jx_walk(ld, value, child->id);
  }
}

/* ---- values ----------------------------------------------------------- */

/* What is wrong with an amount (jx_parse_amount). */
typedef enum {
  JX_AMOUNT_OK,
  JX_AMOUNT_NEGATIVE,
  JX_AMOUNT_NOT_NUMBER,
  JX_AMOUNT_SEPARATOR,  /* a misplaced thousands separator ',' */
  JX_AMOUNT_DECIMALS,   /* more than two decimal places */
  JX_AMOUNT_UNIT,       /* the block's unit written after the number */
  JX_AMOUNT_OTHER_UNIT, /* another unit after it ("万" in a block of 元) */
  JX_AMOUNT_TOO_LARGE
} jx_amount_problem;

/* Parses an amount written as digits with optional thousands separators
 * ("34,060,000") and at most two decimals, in `unit` (the block's: 元,
 * 万元 …; may be NULL).  Returns JX_AMOUNT_OK and sets *cents, or returns
 * what is wrong with it (for JX_AMOUNT_OTHER_UNIT, *suffix is the unit
 * written, a part of `text`). */
static jx_amount_problem jx_parse_amount(const char *text, const char *unit,
                                         int64_t *cents, const char **suffix) {
  const char *p = text;
  while (*p == ' ')
    p++;
  if (*p == '-')
    return JX_AMOUNT_NEGATIVE;
  if (*p < '0' || *p > '9')
    return JX_AMOUNT_NOT_NUMBER;
  uint64_t yuan = 0;
  size_t group = 0;
  bool commas = false, too_large = false;
  for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
    if (*p == ',') {
      /* The first group has 1-3 digits, every later group exactly 3. */
      if (group == 0 || (commas ? group != 3 : group > 3))
        return JX_AMOUNT_SEPARATOR;
      commas = true;
      group = 0;
      continue;
    }
    group++;
    if (yuan > (uint64_t)JX_AMOUNT_MAX_CENTS / 10)
      too_large = true;
    else
      yuan = yuan * 10 + (uint64_t)(*p - '0');
  }
  if (commas && group != 3)
    return JX_AMOUNT_SEPARATOR;
  unsigned fraction = 0;
  if (*p == '.') {
    p++;
    size_t places = 0;
    for (; *p >= '0' && *p <= '9'; p++, places++)
      if (places < 2)
        fraction = fraction * 10 + (unsigned)(*p - '0');
    if (places == 0 || (*p && *p != ' ' && (unsigned char)*p < 0x80))
      return JX_AMOUNT_NOT_NUMBER;
    if (places > 2)
      return JX_AMOUNT_DECIMALS;
    if (places == 1)
      fraction *= 10;
  }
  while (*p == ' ')
    p++;
  if (*p && unit && unit[0] && !strcmp(p, unit))
    return JX_AMOUNT_UNIT;
  if (*p && unit && unit[0] && (unsigned char)*p >= 0x80) {
    *suffix = p;
    return JX_AMOUNT_OTHER_UNIT;
  }
  if (*p)
    return JX_AMOUNT_NOT_NUMBER;
  if (too_large || yuan > (uint64_t)(JX_AMOUNT_MAX_CENTS / 100))
    return JX_AMOUNT_TOO_LARGE;
  *cents = (int64_t)(yuan * 100 + fraction);
  return JX_AMOUNT_OK;
}

/* Reports amount `value` of `path`, which has `problem` (not
 * JX_AMOUNT_OK; `unit` and `suffix` as jx_parse_amount's): one whole
 * message per problem, for the catalogue. */
static void jx_amount_error(jx_loader *ld, const jx_ynode *value,
                            const char *path, jx_amount_problem problem,
                            const char *unit, const char *suffix) {
  jx_diag_list *d = ld->diags;
  jx_pos pos = value->pos;
  const char *v = value->str;
  switch (problem) {
  case JX_AMOUNT_NEGATIVE:
    jx_error(d, pos, "'%s' must not be negative: '%s'", path, v);
    break;
  case JX_AMOUNT_SEPARATOR:
    jx_error(d, pos, "'%s' has a misplaced thousands separator ',': '%s'", path,
             v);
    break;
  case JX_AMOUNT_DECIMALS:
    jx_error(d, pos, "'%s' has more than two decimal places: '%s'", path, v);
    break;
  case JX_AMOUNT_UNIT:
    jx_error(d, pos,
             "'%s' is not a number of %s as written: leave out the unit "
             "'%s': '%s'",
             path, unit, unit, v);
    break;
  case JX_AMOUNT_OTHER_UNIT:
    jx_error(d, pos,
             "'%s' is not a number of %s: the form's amounts are in %s, so "
             "write the number in %s, without the unit '%s': '%s'",
             path, unit, unit, unit, suffix, v);
    break;
  case JX_AMOUNT_TOO_LARGE:
    jx_error(d, pos,
             "'%s' is too large (the limit is 999,999,999,999,999.99): '%s'",
             path, v);
    break;
  case JX_AMOUNT_NOT_NUMBER:
  case JX_AMOUNT_OK:
  default:
    jx_error(d, pos,
             "'%s' is not a number (write it like 34060000, 34,060,000 or "
             "1234.50): '%s'",
             path, v);
    break;
  }
}

/* The full-width (全角) forms a Chinese input method types for the
 * characters of a number, and what to type instead. */
static const char *const jx_fullwidth[][2] = {
    {"０", "0"}, {"１", "1"}, {"２", "2"}, {"３", "3"}, {"４", "4"},
    {"５", "5"}, {"６", "6"}, {"７", "7"}, {"８", "8"}, {"９", "9"},
    {"，", ","}, {"．", "."}, {"。", "."}, {"－", "-"}, {"\u3000", " "}};

/* `text` with the full-width characters of a number made half-width,
 * into out[size]; the distinct full-width characters found, in order, as
 * "'３', '８' and '６'", into found[found_size]; *digits is true when they
 * are all digits.  Returns how many distinct ones there are (0: none, or
 * `text` is too long to convert). */
static size_t jx_halfwidth(const char *text, char *out, size_t size,
                           char *found, size_t found_size, bool *digits) {
  size_t distinct = 0, len = 0, order[JX_COUNT(jx_fullwidth)];
  bool seen[JX_COUNT(jx_fullwidth)] = {false};
  *digits = true;
  for (const char *p = text; *p;) {
    /* (every full-width form starts with a byte above ASCII) */
    size_t k = (unsigned char)*p < 0x80 ? JX_COUNT(jx_fullwidth) : 0;
    while (k < JX_COUNT(jx_fullwidth) &&
           strncmp(p, jx_fullwidth[k][0], strlen(jx_fullwidth[k][0])))
      k++;
    char put = *p;
    if (k < JX_COUNT(jx_fullwidth)) {
      put = jx_fullwidth[k][1][0];
      p += strlen(jx_fullwidth[k][0]);
      if (!seen[k]) {
        seen[k] = true;
        order[distinct++] = k;
        *digits &= k < 10;
      }
    } else {
      p++;
    }
    if (len + 1 >= size)
      return 0;
    out[len++] = put;
  }
  out[len] = '\0';
  found[0] = '\0';
  for (size_t i = 0; i < distinct; i++) {
    const char *sep = !i ? "" : i + 1 == distinct ? " and " : ", ";
    size_t used = strlen(found);
    snprintf(found + used, found_size - used, "%s'%s'%s", sep,
             jx_fullwidth[order[i]][0],
             order[i] + 1 == JX_COUNT(jx_fullwidth) ? " (U+3000)" : "");
  }
  return distinct;
}

/* Reports an amount typed with full-width characters ("３８６００００"),
 * naming them and the half-width amount to write.  Returns false when
 * it has none. */
static bool jx_fullwidth_amount(jx_loader *ld, const jx_ynode *value,
                                const char *path, const char *unit) {
  char half[256], found[256];
  bool digits;
  size_t n =
      jx_halfwidth(value->str, half, sizeof half, found, sizeof found, &digits);
  if (!n)
    return false;
  /* English words, the same in every language (a Chinese message leaves
   * them out: its text says 全角字符) */
  const char *what = digits ? (n == 1 ? "digit" : "digits")
                            : (n == 1 ? "character" : "characters");
  const char *them = n == 1 ? "it" : "them";
  int64_t cents;
  const char *suffix = NULL;
  jx_amount_problem problem = jx_parse_amount(half, unit, &cents, &suffix);
  const char *p = half;
  while (*p == ' ')
    p++;
  int shown = (int)strlen(p);
  while (shown > 0 && p[shown - 1] == ' ')
    shown--;
  jx_diag_list *d = ld->diags;
  jx_pos pos = value->pos;
  const char *v = value->str;
  switch (problem) {
  case JX_AMOUNT_OK:
    /* TRANSLATORS: the 3rd %s is "digit", "digits", "character" or
       "characters", the 4th the full-width characters found ("'３' and
       '８'"), the 5th "it" or "them": English words that a translation
       may leave out with %.0s, here and in the messages below. */
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; type %s "
             "half-width (半角; Shift+Space switches the input method): "
             "write %.*s",
             path, v, what, found, them, shown, p);
    break;
  case JX_AMOUNT_NEGATIVE:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which must not be negative",
             path, v, what, found, shown, p);
    break;
  case JX_AMOUNT_SEPARATOR:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which has a misplaced thousands "
             "separator ','",
             path, v, what, found, shown, p);
    break;
  case JX_AMOUNT_DECIMALS:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which has more than two decimal "
             "places",
             path, v, what, found, shown, p);
    break;
  case JX_AMOUNT_UNIT:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which is not a number of %s as "
             "written: leave out the unit '%s'",
             path, v, what, found, shown, p, unit, unit);
    break;
  case JX_AMOUNT_OTHER_UNIT:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which is not a number of %s: the "
             "form's amounts are in %s, so write the number in %s, without "
             "the unit '%s'",
             path, v, what, found, shown, p, unit, unit, unit, suffix);
    break;
  case JX_AMOUNT_TOO_LARGE:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which is too large (the limit "
             "is 999,999,999,999,999.99)",
             path, v, what, found, shown, p);
    break;
  case JX_AMOUNT_NOT_NUMBER:
  default:
    jx_error(d, pos,
             "'%s' '%s' is typed with the full-width (全角) %s %s; in "
             "half-width (半角) it is '%.*s', which is not a number (write it "
             "like 34060000, 34,060,000 or 1234.50)",
             path, v, what, found, shown, p);
    break;
  }
  return true;
}

/* Counts the code points of `value`, reporting more than a cell holds. */
static void jx_check_length(jx_loader *ld, const jx_ynode *value,
                            const char *path) {
  size_t chars = 0; /* bytes that are not continuation bytes */
  for (size_t i = 0; i < value->len; i++)
    chars += ((unsigned char)value->str[i] & 0xC0) != 0x80;
  if (chars > JX_LIMIT_CELL_CHARS)
    jx_error(ld->diags, value->pos,
             "'%s' has %zu characters, more than the limit of %d characters "
             "in one cell; shorten it",
             path, chars, JX_LIMIT_CELL_CHARS);
}

/* `text` cut to `max` characters, with "…" when it was longer (arena). */
static const char *jx_clip(jx_arena *arena, const char *text, size_t max) {
  size_t i = 0, chars = 0;
  while (text[i] && chars < max) {
    i++;
    while (((unsigned char)text[i] & 0xC0) == 0x80)
      i++;
    chars++;
  }
  if (!text[i])
    return text;
  return jx_arena_printf(arena, "%.*s…", (int)i, text);
}

/* Warns about a text value that a comment likely cut short: "对 #3 教学楼"
 * is read as "对", since YAML takes " #" as the start of a comment (the
 * parser noted it, ynode.h).  `label` is the field's, or NULL. */
static void jx_warn_cut_comment(jx_loader *ld, const jx_ynode *value,
                                const char *path, const char *label) {
  if (!value->comment)
    return;
  char *whole = jx_arena_printf(ld->arena, "%s %s", value->str, value->comment);
  char quote = strchr(whole, '"') ? '\'' : '"';
  const char *comment = jx_clip(ld->arena, value->comment, 12);
  const char *kept = jx_clip(ld->arena, value->str, 12);
  const char *shown = jx_clip(ld->arena, whole, 30);
  if (label)
    jx_warning(ld->diags, value->comment_pos,
               "'%s' (%s) is cut short at ' #': YAML reads the text from "
               "' #' on ('%s') as a comment, so only '%s' is kept; to keep it "
               "all, put the whole value in quotes: %c%s%c [text-comment]",
               path, label, comment, kept, quote, shown, quote);
  else
    jx_warning(ld->diags, value->comment_pos,
               "'%s' is cut short at ' #': YAML reads the text from ' #' on "
               "('%s') as a comment, so only '%s' is kept; to keep it all, "
               "put the whole value in quotes: %c%s%c [text-comment]",
               path, comment, kept, quote, shown, quote);
}

/* Reads `value` (NULL when the key is absent) into *text, as money when
 * `money`.  `path` names it in messages, with `label` (or NULL);
 * `absent_pos` is where an absent value is reported. */
static void jx_read_value(jx_loader *ld, const jx_ynode *value,
                          jx_pos absent_pos, const char *path,
                          const char *label, bool money, const char *unit,
                          jx_text *text) {
  text->str = "";
  text->present = false;
  text->cents = 0;
  if (!value || (value->kind == JX_YSCALAR &&
                 (value->is_null || (money && value->str[0] == '\0')))) {
    text->pos = absent_pos;
    return;
  }
  text->pos = value->pos;
  if (value->kind != JX_YSCALAR) {
    if (jx_reported_at(ld, value->pos))
      return;
    bool map = value->kind == JX_YMAP;
    if (money && map)
      jx_error(ld->diags, value->pos, "'%s' must be an amount, not a mapping",
               path);
    else if (money)
      jx_error(ld->diags, value->pos, "'%s' must be an amount, not a sequence",
               path);
    else if (map)
      jx_error(ld->diags, value->pos, "'%s' must be a string, not a mapping",
               path);
    else
      jx_error(ld->diags, value->pos, "'%s' must be a string, not a sequence",
               path);
    return;
  }
  jx_check_length(ld, value, path);
  if (money) {
    if (jx_fullwidth_amount(ld, value, path, unit))
      return;
    const char *suffix = NULL;
    jx_amount_problem problem =
        jx_parse_amount(value->str, unit, &text->cents, &suffix);
    if (problem != JX_AMOUNT_OK) {
      jx_amount_error(ld, value, path, problem, unit, suffix);
      return;
    }
  } else {
    jx_warn_cut_comment(ld, value, path, label);
  }
  text->str = value->str;
  text->present = true;
}

/* Where an absent value `id` is reported: the key written with no value,
 * else the innermost present mapping around it, else the top-level
 * mapping (the file's first key). */
static jx_pos jx_absent_at(jx_loader *ld, const jx_found *found,
                           const char *id) {
  if (found->key)
    return found->key->pos;
  const jx_content *c = ld->content;
  size_t len = strlen(id);
  while (len > 0) {
    while (len > 0 && id[len - 1] != '.')
      len--;
    if (len == 0)
      break;
    len--; /* drop the dot */
    for (size_t g = 0; g < c->group_count; g++)
      if (strlen(c->groups[g].id) == len &&
          !strncmp(c->groups[g].id, id, len) && ld->groups[g].value &&
          ld->groups[g].value->kind == JX_YMAP)
        return ld->groups[g].value->pos;
  }
  return ld->root->pos; /* the top level */
}

/* The outermost group around field `id` that the file leaves out, or
 * -1. */
static int jx_missing_group(jx_loader *ld, const char *id) {
  const jx_content *c = ld->content;
  for (const char *dot = strchr(id, '.'); dot; dot = strchr(dot + 1, '.')) {
    size_t len = (size_t)(dot - id);
    for (size_t g = 0; g < c->group_count; g++)
      if (strlen(c->groups[g].id) == len &&
          !strncmp(c->groups[g].id, id, len)) {
        const jx_ynode *v = ld->groups[g].value;
        if (!v || (v->kind == JX_YSCALAR && v->is_null))
          return (int)g;
        if (v->kind != JX_YMAP)
          return -2; /* reported as not a mapping */
      }
  }
  return -1;
}

/* Reports a required field the file leaves out: once for a whole missing
 * group (with the keys it needs), else the field with what to write. */
static void jx_report_missing(jx_loader *ld, size_t i, jx_pos at) {
  const jx_content *c = ld->content;
  const jx_field *f = &c->fields[i];
  if (ld->partial || ld->suggested[i])
    return;
  const jx_found *found = &ld->fields[i];
  if (found->value && jx_reported_at(ld, found->value->pos))
    return;
  int g = jx_missing_group(ld, f->id);
  if (g == -2)
    return;
  if (g >= 0) {
    if (ld->group_reported[g])
      return;
    ld->group_reported[g] = true;
    const char *gid = c->groups[g].id;
    size_t len = strlen(gid);
    char need[512] = "";
    for (size_t k = 0; k < c->field_count; k++) {
      const char *id = c->fields[k].id;
      if (!c->fields[k].required || strncmp(id, gid, len) || id[len] != '.')
        continue;
      const char *part = id + len + 1;
      const char *dot = strchr(part, '.');
      size_t plen = dot ? (size_t)(dot - part) : strlen(part);
      char word[96];
      snprintf(word, sizeof word, "'%.*s'", (int)plen, part);
      if (strstr(need, word))
        continue;
      if (strlen(need) + strlen(word) + 8 < sizeof need) {
        if (need[0])
          strcat(need, ", ");
        strcat(need, word);
      }
    }
    jx_pos where = jx_absent_at(ld, &ld->groups[g], gid);
    if (ld->model->workbook)
      jx_error(ld->diags, where,
               "'%s' (%s) has no value: fill it in in the workbook",
               c->groups[g].label, gid);
    else if (need[0])
      jx_error(ld->diags, where, "missing required key '%s' (%s) with %s", gid,
               c->groups[g].label, need);
    else
      jx_error(ld->diags, where, "missing required key '%s' (%s)", gid,
               c->groups[g].label);
    return;
  }
  const char *dot = strrchr(f->id, '.');
  const char *example = f->example ? f->example : "…";
  if (ld->model->workbook) { /* imported: no YAML to write */
    jx_error(ld->diags, at,
             "'%s' (%s) has no value: fill it in in the workbook, e.g. %s",
             f->label, f->id, example);
  } else if (!dot) {
    jx_error(ld->diags, at,
             "missing required key '%s' (%s): write '%s: %s' at the top level",
             f->id, f->label, jx_last_part(f->id), example);
  } else {
    const char *parent = f->id;
    for (const char *p = f->id; p < dot; p++)
      if (*p == '.')
        parent = p + 1;
    jx_error(ld->diags, at,
             "missing required key '%s' (%s): write '%s: %s' under '%.*s:'",
             f->id, f->label, jx_last_part(f->id), example, (int)(dot - parent),
             parent);
  }
}

/* True if `s` is digits with at most one '.', optionally signed. */
static bool jx_is_number(const char *s, bool decimals) {
  const char *p = s;
  if (*p == '-' || *p == '+')
    p++;
  bool digit = false, point = false;
  for (; *p; p++) {
    if (*p >= '0' && *p <= '9')
      digit = true;
    else if (*p == '.' && decimals && !point)
      point = true;
    else
      return false;
  }
  return digit;
}

/* The shape a value of type `type` must have (a year of 4 digits, a
 * number): reported as an error of the file. */
static void jx_check_shape(jx_loader *ld, const char *id, jx_ftype type,
                           const jx_text *t) {
  if (!t->present || !t->str[0])
    return;
  const char *s = t->str;
  if (type == JX_FT_YEAR) {
    bool four = strlen(s) == 4;
    for (size_t i = 0; four && i < 4; i++)
      four = s[i] >= '0' && s[i] <= '9';
    if (!four)
      jx_error(ld->diags, t->pos,
               "'%s' must be a 4-digit year like 2025, not '%s'", id, s);
  } else if (type == JX_FT_INTEGER && !jx_is_number(s, false)) {
    jx_error(ld->diags, t->pos, "'%s' must be a whole number like 12, not '%s'",
             id, s);
  } else if (type == JX_FT_DECIMAL && !jx_is_number(s, true)) {
    jx_error(ld->diags, t->pos, "'%s' must be a number like 60.8, not '%s'", id,
             s);
  } else if (type == JX_FT_PERCENT) {
    size_t n = strlen(s);
    char buf[64];
    if (n && n < sizeof buf) {
      memcpy(buf, s, n + 1);
      if (buf[n - 1] == '%')
        buf[n - 1] = '\0';
    }
    if (n == 0 || n >= sizeof buf || !jx_is_number(buf, true))
      jx_error(ld->diags, t->pos,
               "'%s' must be a percentage like 95%% or 95.5%%, not '%s'", id,
               s);
  }
}

static void jx_load_fields(jx_loader *ld) {
  const jx_content *c = ld->content;
  for (size_t i = 0; i < c->field_count; i++) {
    const jx_field *f = &c->fields[i];
    const jx_found *found = &ld->fields[i];
    jx_pos absent = jx_absent_at(ld, found, f->id);
    const char *unit =
        f->money_block >= 0 ? c->money[f->money_block].unit : NULL;
    jx_read_value(ld, found->value, absent, f->id, f->label,
                  f->type == JX_FT_MONEY, unit, &ld->model->fields[i]);
    jx_check_shape(ld, f->id, f->type, &ld->model->fields[i]);
    if (f->required && !ld->model->fields[i].present &&
        !(found->value && found->value->kind != JX_YSCALAR))
      jx_report_missing(ld, i, absent);
  }
}

/* ---- grids ------------------------------------------------------------ */

/* What to write in column `k` of grid `g`, for messages: the column's
 * example, the frame's first names, or "…". */
static const char *jx_col_example(const jx_grid_def *g, size_t k) {
  if (g->cols[k].example)
    return g->cols[k].example;
  if ((int)k == g->level1 && g->frame_count)
    return g->frame[0].level1;
  if ((int)k == g->level2 && g->frame_count)
    return g->frame[0].level2[0].name;
  return NULL;
}

/* Writes a, sep and b one after the other into out[size], as snprintf
 * with "%s%s%s" would (cut to size - 1 bytes, NUL-terminated). */
static void jx_join_path(char *out, size_t size, const char *a, const char *sep,
                         const char *b) {
  const char *parts[3] = {a, sep, b};
  size_t used = 0;
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(parts[k]);
    if (n > size - 1 - used)
      n = size - 1 - used;
    memcpy(out + used, parts[k], n);
    used += n;
  }
  out[used] = '\0';
}

/* Reads one row; `path` is "indicators.period[i]" (for messages). */
static void jx_load_row(jx_loader *ld, const jx_grid_def *g,
                        const jx_ynode *item, const char *path, jx_row *out) {
  out->pos = item->pos;
  out->cells = jx_arena_alloc(ld->arena, (g->col_count + 1) * sizeof(jx_text));
  for (size_t k = 0; k < g->col_count; k++) {
    out->cells[k].str = "";
    out->cells[k].pos = item->pos;
  }
  if (item->kind != JX_YMAP) {
    char example[256] = "";
    size_t shown = 0;
    for (size_t k = 0; k < g->col_count && shown < 4; k++) {
      char one[96];
      const char *ex = jx_col_example(g, k);
      snprintf(one, sizeof one, "%s%s: %s", shown ? ", " : "", g->cols[k].id,
               ex ? ex : "...");
      if (strlen(example) + strlen(one) < sizeof example)
        strcat(example, one);
      shown++;
    }
    if (item->kind == JX_YSEQ)
      jx_error(ld->diags, item->pos,
               "'%s' must be a mapping like {%s}, not a sequence", path,
               example);
    else
      jx_error(ld->diags, item->pos,
               "'%s' must be a mapping like {%s}, not a scalar", path, example);
    return;
  }
  jx_child *list = jx_arena_alloc(ld->arena, (g->col_count + 1) * sizeof *list);
  for (size_t k = 0; k < g->col_count; k++)
    list[k] = (jx_child){JX_K_FIELD,    (int)k,           g->cols[k].id,
                         g->cols[k].id, g->cols[k].label, NULL};
  const jx_ynode **values =
      jx_arena_alloc(ld->arena, (g->col_count + 1) * sizeof *values);
  const jx_ynode **keys =
      jx_arena_alloc(ld->arena, (g->col_count + 1) * sizeof *keys);
  bool *suggested = jx_arena_alloc(ld->arena, g->col_count + 1);
  for (size_t i = 0; i < item->count; i++) {
    const jx_ynode *key = item->keys[i];
    jx_child scratch;
    const jx_child *child =
        jx_resolve(ld, key->str, list, g->col_count, false, &scratch);
    if (!child) {
      bool *saved = ld->suggested;
      ld->suggested = suggested; /* a typo names a column, not a field */
      if (!jx_comma_key(ld, item, i, path))
        jx_unknown_key(ld, key, path, list, g->col_count);
      ld->suggested = saved;
      continue;
    }
    if (keys[child->index]) {
      jx_error(ld->diags, key->pos,
               "'%s' (%s) is written twice in this item; keep one", child->id,
               child->label);
      continue;
    }
    keys[child->index] = key;
    values[child->index] = item->items[i];
  }
  for (size_t k = 0; k < g->col_count; k++) {
    const jx_gcol *col = &g->cols[k];
    char col_path[320];
    jx_join_path(col_path, sizeof col_path, path, ".", col->id);
    jx_pos absent = keys[k] ? keys[k]->pos : item->pos;
    jx_read_value(ld, values[k], absent, col_path, col->label, false, NULL,
                  &out->cells[k]);
    jx_check_shape(ld, col_path, col->type, &out->cells[k]);
    if (col->required && !out->cells[k].present && !ld->partial &&
        !suggested[k] && !(values[k] && values[k]->kind != JX_YSCALAR))
      jx_error(ld->diags, absent,
               "missing required key '%s' (%s): write '%s: %s' to this item",
               col_path, col->label, col->id,
               jx_col_example(g, k) ? jx_col_example(g, k) : "…");
  }
}

/* Reads the list `list` of grid `g` (side `side`, -1 for a plain list)
 * into *rows; `total` counts the grid's rows so far, for the limit. */
static void jx_load_list(jx_loader *ld, const jx_grid_def *g, int side,
                         const jx_ynode *list, jx_rows *rows, size_t *total) {
  char name[160];
  if (side >= 0)
    snprintf(name, sizeof name, "%s.%s", g->id, g->side_ids[side]);
  else
    snprintf(name, sizeof name, "%s", g->id);
  if (!list || (list->kind == JX_YSCALAR && list->is_null))
    return;
  rows->pos = list->pos;
  if (list->kind != JX_YSEQ) {
    char example[200] = "";
    for (size_t k = 0; k < g->col_count && k < 4; k++) {
      char one[64];
      snprintf(one, sizeof one, "%s%s: ...", k ? ", " : "", g->cols[k].id);
      strcat(example, one);
    }
    if (list->kind == JX_YMAP)
      jx_error(ld->diags, list->pos,
               "'%s' must be a list of '- {%s}' items, not a mapping", name,
               example);
    else
      jx_error(ld->diags, list->pos,
               "'%s' must be a list of '- {%s}' items, not a scalar", name,
               example);
    return;
  }
  *total += list->count;
  if (*total > JX_LIMIT_INDICATORS) {
    jx_error(ld->diags, list->pos,
             "the form has %zu rows in '%s' (all sides together), more than "
             "the limit of %d",
             *total, g->id, JX_LIMIT_INDICATORS);
    return;
  }
  rows->items = jx_arena_alloc(ld->arena, (list->count + 1) * sizeof(jx_row));
  for (size_t i = 0; i < list->count; i++) {
    char path[192], number[32];
    /* items are counted from 1, as a clerk counts rows: [1] is the first */
    size_t digits = sizeof number - 1;
    number[digits] = '\0';
    number[--digits] = ']';
    for (size_t v = i + 1; v; v /= 10)
      number[--digits] = (char)('0' + v % 10);
    jx_join_path(path, sizeof path, name, "[", number + digits);
    jx_load_row(ld, g, list->items[i], path, &rows->items[i]);
  }
  rows->count = list->count;
}

static void jx_load_grids(jx_loader *ld) {
  const jx_content *c = ld->content;
  ld->model->lists =
      jx_arena_alloc(ld->arena, (c->grid_count + 1) * sizeof(jx_rows *));
  for (size_t gi = 0; gi < c->grid_count; gi++) {
    const jx_grid_def *g = &c->grids[gi];
    size_t n = jx_grid_lists(g);
    jx_rows *lists = jx_arena_alloc(ld->arena, (n + 1) * sizeof *lists);
    ld->model->lists[gi] = lists;
    const jx_found *found = &ld->grids[gi];
    jx_pos absent = jx_absent_at(ld, found, g->id);
    for (size_t s = 0; s < n; s++)
      lists[s].pos = absent;
    const jx_ynode *v = found->value;
    if (!v || (v->kind == JX_YSCALAR && v->is_null))
      continue;
    size_t total = 0;
    if (!g->side_count) {
      jx_load_list(ld, g, -1, v, &lists[0], &total);
      continue;
    }
    if (v->kind != JX_YMAP) {
      const char *sep = g->side_count > 1 ? ", " : "";
      const char *second = g->side_count > 1 ? g->side_ids[1] : "";
      if (v->kind == JX_YSEQ)
        jx_error(ld->diags, v->pos,
                 "'%s' must be a mapping of its sides (%s%s%s), not a "
                 "sequence",
                 g->id, g->side_ids[0], sep, second);
      else
        jx_error(ld->diags, v->pos,
                 "'%s' must be a mapping of its sides (%s%s%s), not a scalar",
                 g->id, g->side_ids[0], sep, second);
      continue;
    }
    jx_child *list = jx_arena_alloc(ld->arena, (n + 1) * sizeof *list);
    for (size_t s = 0; s < n; s++)
      list[s] =
          (jx_child){JX_K_GROUP,        (int)s, g->side_ids[s], g->side_ids[s],
                     g->side_labels[s], NULL};
    const jx_ynode **side_values =
        jx_arena_alloc(ld->arena, (n + 1) * sizeof *side_values);
    for (size_t i = 0; i < v->count; i++) {
      jx_child scratch;
      const jx_child *child =
          jx_resolve(ld, v->keys[i]->str, list, n, false, &scratch);
      if (!child) {
        if (!jx_comma_key(ld, v, i, g->id))
          jx_unknown_key(ld, v->keys[i], g->id, list, n);
        continue;
      }
      side_values[child->index] = v->items[i];
      lists[child->index].pos = v->keys[i]->pos;
    }
    for (size_t s = 0; s < n; s++)
      jx_load_list(ld, g, (int)s, side_values[s], &lists[s], &total);
  }
}

/* After a syntax error: the first line up to the error's line whose
 * quoted value is opened and not closed on that line.  libyaml then reads
 * on to the next quote and reports a puzzling error lines later, so a
 * note points at the quote that starts it. */
static void jx_note_open_quote(jx_diag_list *diags, const char *file,
                               const char *data, size_t size, size_t first) {
  uint32_t error_line = 0;
  for (size_t i = first; i < diags->count; i++)
    if (diags->items[i].severity == JX_SEV_ERROR && diags->items[i].line &&
        (!error_line || diags->items[i].line < error_line))
      error_line = diags->items[i].line;
  uint32_t line = 1, col = 1, open_col = 0;
  char quote = 0;
  bool comment = false, line_start = true;
  char prev = ' ';
  for (size_t i = 0; i < size && line <= error_line; i++) {
    char ch = data[i];
    if (ch == '\n') {
      if (quote && line < error_line) {
        jx_pos pos = {file, line, open_col};
        if (quote == '"')
          jx_diag_add(diags, JX_SEV_NOTE, pos,
                      "the double quote opened here is not closed on its "
                      "line; add the closing %c at the end of the value (a "
                      "quoted value runs on to the next %c, which causes the "
                      "error at line %u)",
                      quote, quote, error_line);
        else
          jx_diag_add(diags, JX_SEV_NOTE, pos,
                      "the single quote opened here is not closed on its "
                      "line; add the closing %c at the end of the value (a "
                      "quoted value runs on to the next %c, which causes the "
                      "error at line %u)",
                      quote, quote, error_line);
        return;
      }
      line++, col = 1, quote = 0, comment = false, line_start = true;
      prev = ' ';
      continue;
    }
    if (((unsigned char)ch & 0xC0) != 0x80)
      col++;
    if (comment)
      continue;
    if (quote) {
      if (ch == quote && !(quote == '"' && prev == '\\'))
        quote = 0;
    } else if (ch == '#' && (prev == ' ' || line_start)) {
      comment = true;
    } else if ((ch == '"' || ch == '\'') &&
               (prev == ' ' || prev == ':' || prev == '[' || prev == '{' ||
                prev == ',' || prev == '-' || line_start)) {
      quote = ch;
      open_col = col - 1;
    }
    if (ch != ' ')
      line_start = false;
    prev = ch;
  }
}

/* True if every byte above 0x7F pairs up as a GBK / GB18030 two-byte
 * character (lead 0x81-0xFE, trail 0x40-0xFE but not 0x7F). */
static bool jx_looks_gbk(const unsigned char *s, size_t size) {
  size_t pairs = 0;
  for (size_t i = 0; i < size; i++) {
    if (s[i] < 0x80)
      continue;
    if (s[i] == 0x80 || s[i] == 0xFF || i + 1 == size || s[i + 1] < 0x40 ||
        s[i + 1] == 0x7F || s[i + 1] == 0xFF)
      return false;
    i++;
    pairs++;
  }
  return pairs > 0;
}

/* Checks the encoding before the YAML parser sees the file: a file in
 * GBK, as Chinese Windows saves "ANSI" text, is reported in one line
 * naming the encoding (returns true: nothing more can be read).  Other
 * invalid UTF-8 is left to the YAML parser, which names the byte.  Called
 * for data that is not valid UTF-8, `bad` its first bad byte. */
static bool jx_check_encoding(jx_diag_list *diags, const char *file,
                              const char *data, size_t size, size_t bad) {
  const unsigned char *s = (const unsigned char *)data;
  if (!jx_looks_gbk(s, size))
    return false;
  jx_pos pos = {file, 1, 1};
  for (size_t i = 0; i < bad; i++) {
    if (s[i] == '\n') {
      pos.line++;
      pos.col = 1;
    } else if ((s[i] & 0xC0) != 0x80) {
      pos.col++;
    }
  }
  jx_error(diags, pos,
           "the file is not UTF-8: it looks like GBK (GB2312/GB18030, what "
           "Chinese Windows calls 'ANSI'); save it as UTF-8 (in Notepad: "
           "Save As, Encoding 'UTF-8')");
  return true;
}

/* ---- entry points ----------------------------------------------------- */

const jx_ynode *jx_load_tree(jx_arena *arena, jx_diag_list *diags,
                             const char *name, const char *data, size_t size,
                             bool *complete) {
  size_t errors_before = diags->errors;
  const char *file = jx_arena_strdup(arena, name ? name : "<input>");
  jx_pos file_pos = {file, 0, 0};
  *complete = false;
  if (size > JX_LIMIT_FILE_BYTES) {
    jx_error(diags, file_pos, "file is larger than the %s limit",
             JX_LIMIT_FILE_TEXT);
    return NULL;
  }
  /* A UTF-8 byte-order mark (Notepad's "UTF-8 with BOM") is allowed by
   * YAML and skipped: positions count from the first character after it,
   * as an editor shows them. */
  if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
    data += 3;
    size -= 3;
  }
  size_t first_diag = diags->count;
  size_t bad = 0;
  bool utf8 = jx_utf8_valid((const unsigned char *)data, size, &bad);
  if (!utf8 && jx_check_encoding(diags, file, data, size, bad))
    return NULL;
  jx_ynode *root =
      utf8
          ? jx_yaml_parse_partial_utf8(arena, diags, file, data, size, complete)
          : jx_yaml_parse_partial(arena, diags, file, data, size, complete);
  if (!root || (diags->errors > errors_before && root->kind != JX_YMAP))
    return NULL;
  if (root->kind != JX_YMAP) {
    jx_pos pos = root->pos;
    if (root->kind == JX_YSCALAR && root->is_null)
      jx_error(diags, pos,
               "the file is empty; a project needs at least 'schema' and "
               "the form's required fields");
    else if (root->kind == JX_YSEQ)
      jx_error(diags, pos,
               "a project file must be a mapping of 'key: value' lines, not "
               "a sequence");
    else
      jx_error(diags, pos,
               "a project file must be a mapping of 'key: value' lines, not "
               "a scalar");
    return NULL;
  }
  if (!*complete)
    jx_note_open_quote(diags, file, data, size, first_diag);
  return root;
}

const char *jx_load_template_name(const jx_ynode *root, const char *fallback,
                                  jx_pos *pos) {
  const jx_ynode *v = jx_ymap_get(root, "template");
  if (!v || v->kind != JX_YSCALAR || v->is_null || !v->str[0]) {
    *pos = v ? v->pos : root->pos;
    return fallback;
  }
  *pos = v->pos;
  return v->str;
}

/* Reads `schema` and `template`, the file's own settings. */
static void jx_load_settings(jx_loader *ld, const jx_ynode *root,
                             const char *template_name) {
  jx_model *m = ld->model;
  const jx_ynode *key = NULL, *value = NULL;
  for (size_t i = 0; i < root->count; i++)
    if (!strcmp(root->keys[i]->str, "schema"))
      key = root->keys[i], value = root->items[i];
  jx_read_value(ld, value, key ? key->pos : root->pos, "schema", NULL, false,
                NULL, &m->schema);
  if (!m->schema.present && !ld->partial &&
      !(value && value->kind != JX_YSCALAR))
    jx_error(ld->diags, m->schema.pos,
             "missing required key 'schema' (write 'schema: 1' as the first "
             "line)");
  else if (m->schema.present && strcmp(m->schema.str, "1"))
    jx_error(ld->diags, m->schema.pos,
             "unsupported schema version '%s'; this jxform reads schema 1",
             m->schema.str);
  key = value = NULL;
  for (size_t i = 0; i < root->count; i++)
    if (!strcmp(root->keys[i]->str, "template"))
      key = root->keys[i], value = root->items[i];
  jx_read_value(ld, value, key ? key->pos : root->pos, "template", NULL, false,
                NULL, &m->template_name);
  if (!m->template_name.present)
    m->template_name.str = template_name;
  else if (!m->template_name.str[0])
    jx_error(ld->diags, m->template_name.pos,
             "'template' is empty; leave it out to use '%s'", template_name);
}

jx_model *jx_load_model(jx_arena *arena, jx_diag_list *diags, const char *name,
                        bool workbook, const jx_ynode *root, bool complete,
                        const jx_content *content, const char *template_name,
                        size_t first_diag, size_t errors_before) {
  const char *file = jx_arena_strdup(arena, name ? name : "<input>");
  jx_model *model = jx_arena_alloc(arena, sizeof *model);
  model->path = file;
  model->workbook = workbook;
  model->content = content;
  model->fields =
      jx_arena_alloc(arena, (content->field_count + 1) * sizeof(jx_text));
  jx_loader ld = {0};
  ld.arena = arena;
  ld.diags = diags;
  ld.model = model;
  ld.content = content;
  ld.fields =
      jx_arena_alloc(arena, (content->field_count + 1) * sizeof(jx_found));
  ld.groups =
      jx_arena_alloc(arena, (content->group_count + 1) * sizeof(jx_found));
  ld.grids =
      jx_arena_alloc(arena, (content->grid_count + 1) * sizeof(jx_found));
  ld.suggested = jx_arena_alloc(arena, content->field_count + 1);
  ld.group_reported = jx_arena_alloc(arena, content->group_count + 1);
  ld.partial = !complete;
  ld.first_diag = first_diag;
  ld.root = root;
  jx_load_settings(&ld, root, template_name);
  jx_walk(&ld, root, "");
  jx_load_fields(&ld);
  jx_load_grids(&ld);
  /* The sections are checked one after the other, not in file order. */
  jx_diag_sort(diags, first_diag, arena);
  return diags->errors > errors_before ? NULL : model;
}

/* Reports that the file cannot be opened (or, `reading`, read) for
 * errno `err`.  The common causes are messages of their own, in the
 * catalogue's language and the same arguments in every language;
 * strerror's text, for the others, follows the C library's. */
static void jx_file_error(jx_diag_list *diags, jx_pos pos, bool reading,
                          int err) {
  if (!reading && err == ENOENT)
    jx_error(diags, pos, "cannot open the file: No such file or directory");
  else if (!reading && err == EACCES)
    jx_error(diags, pos, "cannot open the file: Permission denied");
  else if (reading && err == EISDIR)
    jx_error(diags, pos, "cannot read the file: Is a directory");
  else if (reading)
    jx_error(diags, pos, "cannot read the file: %s", strerror(err));
  else
    jx_error(diags, pos, "cannot open the file: %s", strerror(err));
}

const char *jx_load_read_file(jx_arena *arena, jx_diag_list *diags,
                              const char *path, size_t *size_out,
                              bool *regular_out) {
  *size_out = 0;
  *regular_out = false;
  jx_pos file_pos = {path, 0, 0};
  /* Opened without blocking, so that a FIFO nobody writes to cannot hang
   * an unattended run (reading it then ends at once: an empty file); the
   * reads block (F_SETFL 0 clears O_NONBLOCK, the only flag set). */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0 && fcntl(fd, F_SETFL, 0) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    fd = -1;
  }
  if (fd < 0) {
    jx_file_error(diags, file_pos, false, errno);
    return NULL;
  }
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && st.st_size > (off_t)JX_LIMIT_FILE_BYTES) {
    close(fd);
    jx_error(diags, file_pos, "file is larger than the %s limit",
             JX_LIMIT_FILE_TEXT);
    return NULL;
  }
  /* Read at most one byte over the limit, to tell "too large" apart. */
  size_t cap = regular ? (size_t)st.st_size + 1 : 65536;
  char *data = NULL;
  size_t size = 0, alloc = 0;
  data = jx_arena_grow(arena, data, 1, &alloc, cap);
  int read_errno = 0;
  for (;;) {
    if (size == alloc)
      data = jx_arena_grow(arena, data, 1, &alloc, size + 1);
    ssize_t n = read(fd, data + size, alloc - size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      read_errno = errno;
      break;
    }
    size += (size_t)n;
    if (size > JX_LIMIT_FILE_BYTES || n == 0)
      break;
  }
  close(fd);
  if (read_errno) {
    jx_file_error(diags, file_pos, true, read_errno);
    return NULL;
  }
  if (size > JX_LIMIT_FILE_BYTES) {
    jx_error(diags, file_pos, "file is larger than the %s limit",
             JX_LIMIT_FILE_TEXT);
    return NULL;
  }
  *size_out = size;
  *regular_out = regular;
  return data;
}

const jx_ynode *jx_load_tree_file(jx_arena *arena, jx_diag_list *diags,
                                  const char *path, bool *complete) {
  *complete = false;
  size_t size;
  bool regular;
  const char *data = jx_load_read_file(arena, diags, path, &size, &regular);
  if (!data)
    return NULL;
  return jx_load_tree(arena, diags, path, data, size, complete);
}
