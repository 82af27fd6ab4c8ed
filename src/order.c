/*
 * order.c — the order of a packet's projects and its departments: by
 * department (code, then name), then project name in 拼音 order (ICU's
 * Chinese collation); or by name; or as given (document.h; jx_packet_sort
 * in packet.h sorts keys alone, for tests).  Also which entries share a
 * department and what the contents and bookmarks call it.
 */
#include "document.h"
#include "lazylib.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The collator of the packet being sorted (ICU's Chinese: 拼音 order),
 * or NULL (byte order), and ICU's functions (lazylib.h: ICU is loaded on
 * first use).  qsort takes no context: they are set around the sort, per
 * thread, so packets made at once on several threads never share one. */
static _Thread_local const UCollator *sort_coll;
static _Thread_local const jx_icu_api *sort_icu;

/* Compares two UTF-8 names in 拼音 order, then byte by byte: 0 only for
 * the same bytes. */
static int name_cmp(const char *a, const char *b) {
  if (sort_coll) {
    UErrorCode st = U_ZERO_ERROR;
    UCollationResult r = sort_icu->strcoll_utf8(sort_coll, a, -1, b, -1, &st);
    if (U_SUCCESS(st) && r != UCOL_EQUAL)
      return r == UCOL_LESS ? -1 : 1;
  }
  return strcmp(a, b);
}

/* Departments: by code (byte order: codes are digits of one length),
 * then name. */
static int dept_cmp(const jx_entry *x, const jx_entry *y) {
  int c = strcmp(x->dept_code, y->dept_code);
  return c ? c : name_cmp(x->dept_name, y->dept_name);
}

static int input_cmp(const jx_entry *x, const jx_entry *y) {
  return x->input < y->input ? -1 : x->input > y->input;
}

/* JX_ORDER_DEPT: department, project name, input position. */
static int entry_cmp_dept(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  int c = dept_cmp(x, y);
  if (!c)
    c = name_cmp(x->name, y->name);
  return c ? c : input_cmp(x, y);
}

/* JX_ORDER_NAME: project name, department, input position. */
static int entry_cmp_name(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  int c = name_cmp(x->name, y->name);
  if (!c)
    c = dept_cmp(x, y);
  return c ? c : input_cmp(x, y);
}

static int entry_cmp_dept_only(const void *a, const void *b) {
  const jx_entry *x = *(const jx_entry *const *)a;
  const jx_entry *y = *(const jx_entry *const *)b;
  return dept_cmp(x, y);
}

/* ICU's Chinese collator (拼音 order), or NULL when ICU cannot be loaded
 * or has no Chinese collation data; then *why (when `why` is not NULL)
 * says why (a static string).  Sets *icu to ICU's functions (NULL when
 * it is missing). */
static UCollator *chinese_collator(const jx_icu_api **icu, const char **why) {
  const char *reason = NULL;
  *icu = jx_icu(&reason);
  if (!*icu) {
    if (why)
      *why = reason;
    return NULL;
  }
  UErrorCode st = U_ZERO_ERROR;
  UCollator *coll = (*icu)->open("zh", &st);
  if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING) {
    if (coll)
      (*icu)->close(coll);
    if (why)
      *why = (*icu)->error_name(st);
    return NULL;
  }
  return coll;
}

/* Puts es[0..n) in `order` (names compared with sort_coll). */
static void sort_entries(jx_entry **es, size_t n, jx_packet_order order) {
  if (n > 1 && order == JX_ORDER_DEPT)
    qsort(es, n, sizeof *es, entry_cmp_dept);
  else if (n > 1 && order == JX_ORDER_NAME)
    qsort(es, n, sizeof *es, entry_cmp_name);
}

bool jx_packet_sort(jx_packet_key *keys, size_t n, jx_packet_order order) {
  const jx_icu_api *icu;
  UCollator *coll = chinese_collator(&icu, NULL);
  jx_entry *e = jx_xcalloc(n ? n : 1, sizeof *e);
  jx_entry **es = jx_xcalloc(n ? n : 1, sizeof *es);
  jx_packet_key *sorted = jx_xcalloc(n ? n : 1, sizeof *sorted);
  for (size_t i = 0; i < n; i++) {
    /* read only: the comparators do not write */
    e[i].dept_code = (char *)keys[i].dept_code;
    e[i].dept_name = (char *)keys[i].dept_name;
    e[i].name = (char *)keys[i].name;
    e[i].input = keys[i].input;
    es[i] = &e[i];
  }
  sort_coll = coll;
  sort_icu = icu;
  sort_entries(es, n, order);
  sort_coll = NULL;
  sort_icu = NULL;
  for (size_t i = 0; i < n; i++)
    sorted[i] = keys[es[i] - e];
  if (n)
    memcpy(keys, sorted, n * sizeof *keys);
  free(sorted);
  free(es);
  free(e);
  if (coll)
    icu->close(coll);
  return coll != NULL;
}

bool jx_same_dept(const jx_entry *x, const jx_entry *y) {
  return !strcmp(x->dept_code, y->dept_code) &&
         !strcmp(x->dept_name, y->dept_name);
}

/* Numbers the departments of es[0..n) in department order (sets each
 * entry's dept); returns how many there are.  Uses sort_coll. */
static size_t number_depts(jx_entry *const *es, size_t n) {
  jx_entry **by = jx_xcalloc(n ? n : 1, sizeof *by);
  memcpy(by, es, n * sizeof *by);
  if (n > 1)
    qsort(by, n, sizeof *by, entry_cmp_dept_only);
  size_t depts = 0;
  for (size_t i = 0; i < n; i++) {
    if (i && !jx_same_dept(by[i], by[i - 1]))
      depts++;
    by[i]->dept = depts;
  }
  free(by);
  return n ? depts + 1 : 0;
}

size_t jx_entries_order(jx_entry **es, size_t n, jx_packet_order order,
                        const char **no_collation) {
  const jx_icu_api *icu;
  /* no ICU or no Chinese collation data: byte (code point) order */
  *no_collation = NULL;
  UCollator *coll = chinese_collator(&icu, no_collation);
  sort_coll = coll;
  sort_icu = icu;
  sort_entries(es, n, order);
  size_t depts = number_depts(es, n);
  sort_coll = NULL;
  sort_icu = NULL;
  if (coll)
    icu->close(coll);
  return depts;
}

const char *jx_dept_title(jx_arena *arena, const jx_entry *e) {
  if (!*e->dept_code && !*e->dept_name)
    return "（未注明部门）";
  if (!*e->dept_code)
    return e->dept_name;
  if (!*e->dept_name)
    return e->dept_code;
  return jx_arena_printf(arena, "%s　%s", e->dept_code, e->dept_name);
}
