/*
 * diag.c — the diagnostic list (see diag.h).
 */
#include "diag.h"
#include "i18n.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *jx_dup_or_null(const char *s) { return s ? jx_xstrdup(s) : NULL; }

static void jx_diag_free_one(jx_diagnostic *d) {
  free((char *)d->file);
  free((char *)d->message);
  free((char *)d->rule);
  free((char *)d->field);
  free((char *)d->label);
  free((char *)d->detail);
  free((char *)d->cell);
  for (size_t k = 0; k < d->arg_count; k++)
    free((char *)d->args[k]);
  free((void *)d->args);
}

void jx_diag_list_free(jx_diag_list *list) {
  for (size_t i = 0; i < list->count; i++)
    jx_diag_free_one(&list->items[i]);
  free(list->items);
  memset(list, 0, sizeof *list);
}

static jx_diagnostic *jx_diag_new(jx_diag_list *list) {
  if (list->count == list->cap) {
    size_t ncap = list->cap ? list->cap * 2 : 16;
    list->items = jx_xrealloc(list->items, ncap * sizeof *list->items);
    list->cap = ncap;
  }
  jx_diagnostic *d = &list->items[list->count++];
  memset(d, 0, sizeof *d);
  return d;
}

/* The arguments of printf format `fmt` taken from `ap`, each as text, in
 * order (a NULL-free malloc'd array of malloc'd strings; *count set).
 * Knows the conversions of C17 printf; `*` widths and precisions are
 * consumed, not kept. */
static const char **jx_capture_args(const char *fmt, va_list ap,
                                    size_t *count) {
  const char **args = NULL;
  size_t n = 0, cap = 0;
  for (const char *p = fmt; *p; p++) {
    if (*p != '%')
      continue;
    p++;
    if (*p == '%')
      continue;
    while (*p && strchr("-+ #0'", *p))
      p++;
    if (*p == '*') {
      (void)va_arg(ap, int);
      p++;
    }
    while (*p >= '0' && *p <= '9')
      p++;
    int precision = -1;
    if (*p == '.') {
      p++;
      precision = 0;
      if (*p == '*') {
        precision = va_arg(ap, int);
        p++;
      }
      while (*p >= '0' && *p <= '9')
        precision = precision * 10 + (*p++ - '0');
    }
    char len[3] = "";
    if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
      len[0] = p[0], len[1] = p[1];
      p += 2;
    } else if (*p && strchr("hlzjtL", *p)) {
      len[0] = *p++;
    }
    char text[128];
    switch (*p) {
    case 'd':
    case 'i':
      if (!strcmp(len, "l"))
        snprintf(text, sizeof text, "%ld", va_arg(ap, long));
      else if (!strcmp(len, "ll"))
        snprintf(text, sizeof text, "%lld", va_arg(ap, long long));
      else if (!strcmp(len, "z") || !strcmp(len, "t"))
        snprintf(text, sizeof text, "%td", va_arg(ap, ptrdiff_t));
      else if (!strcmp(len, "j"))
        snprintf(text, sizeof text, "%jd", va_arg(ap, intmax_t));
      else
        snprintf(text, sizeof text, "%d", va_arg(ap, int));
      break;
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      unsigned long long v;
      if (!strcmp(len, "l"))
        v = va_arg(ap, unsigned long);
      else if (!strcmp(len, "ll"))
        v = va_arg(ap, unsigned long long);
      else if (!strcmp(len, "z") || !strcmp(len, "t"))
        v = va_arg(ap, size_t);
      else if (!strcmp(len, "j"))
        v = va_arg(ap, uintmax_t);
      else
        v = va_arg(ap, unsigned);
      snprintf(text, sizeof text,
               *p == 'u'   ? "%llu"
               : *p == 'o' ? "%llo"
               : *p == 'x' ? "%llx"
                           : "%llX",
               v);
      break;
    }
    case 'c':
      snprintf(text, sizeof text, "%c", va_arg(ap, int));
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
      if (!strcmp(len, "L"))
        snprintf(text, sizeof text, "%Lg", va_arg(ap, long double));
      else
        snprintf(text, sizeof text, "%g", va_arg(ap, double));
      break;
    case 'p':
      snprintf(text, sizeof text, "%p", va_arg(ap, void *));
      break;
    case 's': {
      /* a translated fragment is kept as its msgid: the arguments are
       * the same in every language */
      const char *s = jx_tr_source(va_arg(ap, const char *));
      if (!s)
        s = "(null)";
      size_t slen = strlen(s);
      if (precision >= 0 && (size_t)precision < slen)
        slen = (size_t)precision;
      if (n == cap) {
        cap = cap ? cap * 2 : 4;
        args = jx_xrealloc(args, cap * sizeof *args);
      }
      char *copy = jx_xmalloc(slen + 1);
      memcpy(copy, s, slen);
      copy[slen] = '\0';
      args[n++] = copy;
      continue;
    }
    default: /* 'n' or unknown: nothing to keep */
      if (!*p)
        p--;
      continue;
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 4;
      args = jx_xrealloc(args, cap * sizeof *args);
    }
    args[n++] = jx_xstrdup(text);
  }
  *count = n;
  return args;
}

/* Length of the rule id at the end of `message` (" [funds-sum]"), 0 when
 * there is none. */
static size_t jx_rule_suffix(const char *message) {
  size_t n = strlen(message);
  if (n < 4 || message[n - 1] != ']')
    return 0;
  size_t i = n - 1;
  while (i > 0 && ((message[i - 1] >= 'a' && message[i - 1] <= 'z') ||
                   (message[i - 1] >= '0' && message[i - 1] <= '9') ||
                   message[i - 1] == '-'))
    i--;
  if (i == n - 1 || i < 2 || message[i - 1] != '[' || message[i - 2] != ' ')
    return 0;
  return n - (i - 2);
}

void jx_diag_vadd(jx_diag_list *list, jx_severity sev, jx_pos pos,
                  const char *fmt, va_list ap) {
  char buf[1536];
  va_list args_ap;
  va_copy(args_ap, ap);
  const char *translated = jx_tr(fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  vsnprintf(buf, sizeof buf, translated, ap);
#pragma GCC diagnostic pop
  jx_diagnostic *d = jx_diag_new(list);
  d->args = jx_capture_args(fmt, args_ap, &d->arg_count);
  va_end(args_ap);
  size_t rule = jx_rule_suffix(buf);
  if (rule) {
    size_t n = strlen(buf);
    buf[n - 1] = '\0';
    d->rule = jx_xstrdup(buf + n - rule + 2);
    buf[n - rule] = '\0';
  }
  d->severity = sev;
  const char *cell = pos.file ? strstr(pos.file, JX_POS_CELL) : NULL;
  if (cell) { /* a workbook cell (JX_POS_CELL) */
    size_t n = (size_t)(cell - pos.file);
    char *file = jx_xmalloc(n + 1);
    memcpy(file, pos.file, n);
    file[n] = '\0';
    d->file = file;
    d->cell = jx_xstrdup(cell + strlen(JX_POS_CELL));
  } else {
    d->file = jx_dup_or_null(pos.file);
  }
  d->line = pos.line;
  d->column = pos.col;
  d->message = jx_xstrdup(buf);
  d->field = jx_dup_or_null(list->subject_field);
  d->label = jx_dup_or_null(list->subject_label);
  if (sev == JX_SEV_ERROR)
    list->errors++;
}

void jx_diag_add(jx_diag_list *list, jx_severity sev, jx_pos pos,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  jx_diag_vadd(list, sev, pos, fmt, ap);
  va_end(ap);
}

void jx_diag_add_copy(jx_diag_list *list, const jx_diagnostic *from) {
  jx_diagnostic *d = jx_diag_new(list);
  d->severity = from->severity;
  d->file = jx_dup_or_null(from->file);
  d->line = from->line;
  d->column = from->column;
  d->message = jx_dup_or_null(from->message);
  d->rule = jx_dup_or_null(from->rule);
  d->field = jx_dup_or_null(from->field);
  d->label = jx_dup_or_null(from->label);
  d->detail = jx_dup_or_null(from->detail);
  d->cell = jx_dup_or_null(from->cell);
  if (from->arg_count) {
    const char **args = jx_xmalloc(from->arg_count * sizeof *args);
    for (size_t k = 0; k < from->arg_count; k++)
      args[k] = jx_xstrdup(from->args[k]);
    d->args = args;
    d->arg_count = from->arg_count;
  }
  if (d->severity == JX_SEV_ERROR)
    list->errors++;
}

void jx_diag_subject(jx_diag_list *list, const char *field, const char *label) {
  list->subject_field = field;
  list->subject_label = label;
}

void jx_diag_set_detail(jx_diag_list *list, const char *detail) {
  if (!list->count || !detail)
    return;
  jx_diagnostic *d = &list->items[list->count - 1];
  free((char *)d->detail);
  d->detail = jx_xstrdup(detail);
}

void jx_diag_set_cell(jx_diag_list *list, const char *cell) {
  if (!list->count || !cell)
    return;
  jx_diagnostic *d = &list->items[list->count - 1];
  free((char *)d->cell);
  d->cell = jx_xstrdup(cell);
  d->line = d->column = 0;
}

/* Diagnostic with its arrival order, for a stable sort. */
typedef struct jx_diag_ref {
  jx_diagnostic diag;
  size_t order;
} jx_diag_ref;

static int jx_compare_diag_ref(const void *pa, const void *pb) {
  const jx_diag_ref *a = pa, *b = pb;
  if (a->diag.line != b->diag.line)
    return a->diag.line < b->diag.line ? -1 : 1;
  if (a->diag.column != b->diag.column)
    return a->diag.column < b->diag.column ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

void jx_diag_sort(jx_diag_list *list, size_t first, jx_arena *arena) {
  size_t n = list->count - first;
  if (n < 2)
    return;
  jx_diag_ref *refs = jx_arena_alloc(arena, n * sizeof *refs);
  for (size_t i = 0; i < n; i++) {
    refs[i].diag = list->items[first + i];
    refs[i].order = i;
  }
  qsort(refs, n, sizeof *refs, jx_compare_diag_ref);
  for (size_t i = 0; i < n; i++)
    list->items[first + i] = refs[i].diag;
}

void jx_diagnostic_print(const jx_diagnostic *d, FILE *out) {
  static const char *const names[] = {N_("note"), N_("warning"), N_("error")};
  if (d->file && d->cell)
    fprintf(out, "%s:%s: ", d->file, d->cell);
  else if (d->file && d->line)
    fprintf(out, "%s:%u:%u: ", d->file, d->line, d->column ? d->column : 1);
  else if (d->file)
    fprintf(out, "%s: ", d->file);
  fprintf(out, "%s: %s", _(names[d->severity]), d->message);
  if (d->rule)
    fprintf(out, " [%s]", d->rule);
  fputc('\n', out);
}
