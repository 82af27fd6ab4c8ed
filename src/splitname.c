/*
 * splitname.c — the file names of `packet --split` (document.h): a name
 * pattern ({dept_code}-{name}.pdf) filled in with a project's fields,
 * made safe on any common file system and unlike the names given before.
 */
#include "document.h"
#include "filename.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Longest file name written by --split, in bytes (ext4, XFS, APFS, NTFS
 * all take 255). */
#define JX_NAME_MAX 240

void jx_filename_append(char *out, size_t *len, size_t cap, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
      c = '_';
    if (*len == 0 && (c == '.' || c == ' '))
      continue;
    if (*len + 1 < cap)
      out[(*len)++] = (char)c;
  }
  out[*len] = '\0';
}

/* strncasecmp for ASCII letters only (locale-independent). */
static int strncasecmp_ascii(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
    if (ca != cb || !ca)
      return ca - cb;
  }
  return 0;
}

/* True if a and b are the same name on a case-insensitive file system
 * (ASCII case only). */
static bool same_name_ci(const char *a, const char *b) {
  size_t n = strlen(a);
  return n == strlen(b) && strncasecmp_ascii(a, b, n) == 0;
}

/* True if s[0..n) is all separators: what a name pattern puts between
 * two placeholders ("{dept_code}-{name}"): - _ . , + ~ and spaces, and the
 * full-width － — 、 · and 　. */
static bool all_separators(const char *s, size_t n) {
  static const char *const wide[] = {"－", "—", "、", "·", "　"};
  size_t i = 0;
  while (i < n) {
    if (strchr("-_.,+~ ", s[i]) && s[i]) {
      i++;
      continue;
    }
    size_t k = 0, nw = sizeof wide / sizeof *wide;
    while (k < nw && (strlen(wide[k]) > n - i ||
                      strncmp(s + i, wide[k], strlen(wide[k]))))
      k++;
    if (k == nw)
      return false;
    i += strlen(wide[k]);
  }
  return n > 0;
}

/* The value of the placeholder at p ({dept_code}, {name}…; *skip set to
 * its length), or NULL when none starts there.  {index} is written into
 * num. */
static const char *key_at(const char *p, const jx_entry *e, size_t index,
                          char num[32], size_t *skip) {
  static const char *const keys[] = {"{dept_code}", "{dept_name}", "{name}",
                                     "{year}", "{index}"};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    if (strncmp(p, keys[k], strlen(keys[k])))
      continue;
    *skip = strlen(keys[k]);
    switch (k) {
    case 0:
      return e->dept_code;
    case 1:
      return e->dept_name;
    case 2:
      return e->name;
    case 3:
      return e->year;
    default:
      snprintf(num, 32, "%zu", index + 1);
      return num;
    }
  }
  return NULL;
}

/* The file name of project `e` (input `index`) from `pattern`, made safe:
 * placeholders expanded, unsafe characters replaced, trailing dots and
 * spaces removed (Windows), reserved device names (CON, NUL, COM1…)
 * prefixed with _, length limited.  The separators between placeholders
 * are written only between two texts: an empty placeholder (a form with
 * no department code) leaves none at the start or end of the name, nor
 * two in a row ("{dept_code}-{name}" of a project with no code is
 * "NAME.pdf", not "-NAME.pdf").  Written to out (size cap). */
static void split_name(const char *pattern, const jx_entry *e, size_t index,
                       char *out, size_t cap) {
  size_t len = 0, skip = 0;
  out[0] = '\0';
  char num[32];
  for (const char *p = pattern; *p;) {
    const char *val = key_at(p, e, index, num, &skip);
    if (val) {
      jx_filename_append(out, &len, cap, val);
      p += skip;
      continue;
    }
    /* literal text, up to the next placeholder */
    const char *q = p + 1;
    while (*q && !key_at(q, e, index, num, &skip))
      q++;
    if (all_separators(p, (size_t)(q - p))) {
      /* kept only between two texts */
      const char *next = *q ? key_at(q, e, index, num, &skip) : NULL;
      if (len == 0 || !next || !*next)
        p = q;
    }
    for (; p < q; p++) {
      char one[2] = {*p, '\0'};
      jx_filename_append(out, &len, cap, one);
    }
  }
  /* keep the extension when cutting a long name */
  const char *dot = strrchr(out, '.');
  char ext[16] = "";
  if (dot && strlen(dot) < sizeof ext) {
    strcpy(ext, dot);
    out[dot - out] = '\0';
  }
  jx_utf8_cut(out, JX_NAME_MAX - strlen(ext));
  len = strlen(out);
  while (len > 0 && (out[len - 1] == '.' || out[len - 1] == ' '))
    out[--len] = '\0';
  if (len == 0)
    snprintf(out, cap, "project-%zu", index + 1);
  /* CON, PRN, AUX, NUL, COM1-9, LPT1-9, alone or before a dot */
  size_t stem = strcspn(out, ".");
  bool reserved = false;
  if (stem == 3)
    for (const char *r3 = "CONPRNAUXNUL"; *r3 && !reserved; r3 += 3)
      reserved = !strncasecmp_ascii(out, r3, 3);
  if (stem == 4 && isdigit((unsigned char)out[3]) && out[3] != '0')
    reserved =
        !strncasecmp_ascii(out, "COM", 3) || !strncasecmp_ascii(out, "LPT", 3);
  if (reserved) {
    memmove(out + 1, out, strlen(out) + 1);
    out[0] = '_';
  }
  strncat(out, ext, cap - strlen(out) - 1);
}

char *jx_split_name(const char *pattern, const jx_entry *e, size_t index,
                    char *const *used, size_t used_count) {
  char name[JX_NAME_MAX + 32];
  split_name(pattern ? pattern : "{dept_code}-{name}.pdf", e, index, name,
             sizeof name);
  /* Two projects with one name (on any file system): -2, -3, … */
  char base[sizeof name];
  snprintf(base, sizeof base, "%s", name);
  for (int k = 2;; k++) {
    bool clash = false;
    for (size_t j = 0; j < used_count && !clash; j++)
      clash = same_name_ci(used[j], name);
    if (!clash)
      break;
    const char *dot = strrchr(base, '.');
    int stem = dot ? (int)(dot - base) : (int)strlen(base);
    snprintf(name, sizeof name, "%.*s-%d%s", stem, base, k, dot ? dot : "");
  }
  return jx_xstrdup(name);
}
