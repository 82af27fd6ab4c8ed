/*
 * book-xls.c — .xls workbooks (BIFF 2 to 8: Excel 97-2003, WPS) through
 * libfreexl, and the checks of the OLE container that tell an encrypted
 * .xlsx (an OLE file too) or a Word .doc apart from an .xls.
 *
 * libfreexl 1.0.6 is not safe on hostile files: fuzz_book found a crafted
 * .xls that makes it read past a buffer, and it counts dates day by day
 * (millions of far-future dates keep it busy for hours).  So it runs in a
 * child process: the child opens the file with freexl and writes each
 * sheet and cell down a pipe; the parent reads them under the book's
 * limits and a time limit (JX_LIMIT_BOOK_XLS_SECONDS), kills the child
 * when it has to, and turns a child that dies into "the workbook is
 * damaged".  freexl opens files by name: a workbook held in memory is
 * first written to a temporary file (mkstemp under $TMPDIR, else /tmp),
 * removed once the child is done.
 *
 * freexl 1.0.6 gives values only: no number formats (but dates, which
 * it gives as text: "2025-01-17", "2025-01-17 08:30:00", "08:30:00",
 * turned back here into serial days), no formulas (FORMULA records are
 * skipped) and no merged ranges.  A small reader of the compound file
 * and of BIFF 8 records, run in the same child, adds them: each number
 * cell's format from its XF and FORMAT records (classified as in .xlsx),
 * the saved result of each formula (formula set), and MERGECELLS.  In
 * BIFF 5 files (Excel 95) it reads nothing: numbers are General there,
 * and formulas and merges are missing.
 *
 * libfreexl is loaded when the first .xls is read (lazylib.h), by the
 * parent before the child starts: its functions are called through XLS.
 */
#include "book-read.h"
#include "jxlimits.h"
#include "lazylib.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* libfreexl's functions (lazylib.h); only used after jx_xls_run has
 * found the library. */
#define XLS (*jx_freexl(NULL))

#if defined(__SANITIZE_ADDRESS__)
#define JX_XLS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JX_XLS_SANITIZED 1
#endif
#endif

/* ---- the OLE container --------------------------------------------------- */

/* Compound-file directory entries are 128 bytes, in sectors of 512 or
 * 4096 bytes after the 512-byte header: the name (UTF-16LE, 64 bytes),
 * its length in bytes with the terminating NUL at 64, the entry type at
 * 66 (1 storage, 2 stream, 5 root). */
bool jx_ole_has_stream(const char *data, size_t size, const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > 31)
    return false;
  for (size_t off = 512; off + 128 <= size; off += 128) {
    const unsigned char *e = (const unsigned char *)data + off;
    size_t name_bytes = (size_t)e[64] | (size_t)e[65] << 8;
    if (name_bytes != (n + 1) * 2 || (e[66] != 1 && e[66] != 2))
      continue;
    size_t i = 0;
    while (i < n && e[2 * i] == (unsigned char)name[i] && e[2 * i + 1] == 0)
      i++;
    if (i == n)
      return true;
  }
  return false;
}

static void jx_xls_password(jx_book_reader *r) {
  jx_error(r->diags, r->pos,
           "the workbook is protected by a password and cannot be read; "
           "open it in Excel or WPS, save a copy without the password and "
           "import that");
}

/* Records what the OLE file is when it is not an .xls: an encrypted
 * workbook, a Word or PowerPoint file.  False when it may be a workbook
 * (freexl decides). */
static bool jx_xls_not_a_workbook(jx_book_reader *r, const char *data,
                                  size_t size) {
  if (jx_ole_has_stream(data, size, "EncryptionInfo") ||
      jx_ole_has_stream(data, size, "EncryptedPackage")) {
    jx_xls_password(r);
    return true;
  }
  if (jx_ole_has_stream(data, size, "Workbook") ||
      jx_ole_has_stream(data, size, "Book"))
    return false;
  if (jx_ole_has_stream(data, size, "WordDocument")) {
    jx_error(r->diags, r->pos,
             "this is a Word document (.doc), not an Excel workbook; "
             "import the workbook (.xlsx, .xls or .csv) instead");
    return true;
  }
  if (jx_ole_has_stream(data, size, "PowerPoint Document")) {
    jx_error(r->diags, r->pos,
             "this is a PowerPoint presentation (.ppt), not an Excel "
             "workbook; import the workbook (.xlsx, .xls or .csv) instead");
    return true;
  }
  return false;
}

/* ---- the child: freexl, writing down the pipe -------------------------------
 * Messages, each a tag byte and its fields in the machine's own layout:
 *   'O' int32 rc         freexl_open failed
 *   'P'                  the workbook is encrypted (FILEPASS)
 *   'M' uint8            1 for the 1904 date system
 *   'C' uint32           the sheet count
 *   'S' uint32 n, n bytes  a sheet begins: its name
 *   'L'                  the sheets' grids pass JX_LIMIT_BOOK_XLS_GRID
 *   'N' jx_xls_number    a number (or TRUE/FALSE) cell
 *   'T' jx_xls_text, bytes  a text (or error) cell
 *   'G' jx_merge         a merged range of the sheet
 *   'Z'                  all sent */

typedef struct jx_xls_number {
  uint32_t row, col;
  double number;
  int32_t format;    /* jx_numfmt */
  int32_t decimals;  /* -1 for General */
  uint8_t thousands; /* the format groups thousands */
  uint8_t kind;      /* JX_CELL_NUMBER or JX_CELL_BOOL */
  uint8_t formula;   /* a formula's saved result */
} jx_xls_number;

typedef struct jx_xls_text {
  uint32_t row, col, len;
  uint8_t kind; /* JX_CELL_TEXT or JX_CELL_ERROR */
  uint8_t formula;
} jx_xls_text;

static void jx_put(FILE *out, char tag, const void *data, size_t n) {
  fputc(tag, out);
  if (n)
    fwrite(data, 1, n, out);
}

/* True if freexl's value is a date, a time or both. */
static bool jx_xls_is_date(const FreeXL_CellValue *v) {
  return v->type == FREEXL_CELL_DATE || v->type == FREEXL_CELL_DATETIME ||
         v->type == FREEXL_CELL_TIME;
}

/* ---- what freexl skips: formula results and merged ranges ------------------
 * freexl 1.0.6 reads neither FORMULA nor MERGECELLS records.  This small
 * reader finds the workbook stream in the compound file and walks each
 * sheet's BIFF 8 records for them.  It runs in the child, after freexl,
 * and trusts nothing: every offset and length is checked, and a chain of
 * sectors is followed at most as many steps as its table has entries. */

#define JX_CFB_END 0xFFFFFFFEu

typedef struct jx_cfb {
  const unsigned char *data;
  size_t size, sector_size, sectors; /* sectors after the header */
  uint32_t *fat, *minifat;
  size_t fat_count, minifat_count;
  unsigned char *ministream;
  size_t ministream_size;
} jx_cfb;

static uint16_t jx_le16(const unsigned char *p) {
  return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t jx_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* Sector `id` of the file, or NULL past its end. */
static const unsigned char *jx_cfb_sector(const jx_cfb *c, uint32_t id) {
  return id < c->sectors ? c->data + ((size_t)id + 1) * c->sector_size : NULL;
}

/* Appends the FAT sector `id`'s entries; false when it is not in the file. */
static bool jx_cfb_fat_sector(jx_cfb *c, uint32_t id) {
  const unsigned char *s = jx_cfb_sector(c, id);
  if (!s)
    return false;
  for (size_t j = 0; j < c->sector_size / 4; j++)
    c->fat[c->fat_count++] = jx_le32(s + 4 * j);
  return true;
}

/* Reads the FAT from the header's list and the DIFAT chain. */
static bool jx_cfb_fat(jx_cfb *c) {
  const unsigned char *h = c->data;
  size_t count = jx_le32(h + 44), per = c->sector_size / 4, done = 0;
  if (count > c->sectors)
    return false;
  c->fat = malloc((count * per + 1) * sizeof *c->fat);
  if (!c->fat)
    return false;
  for (size_t i = 0; i < 109 && done < count; i++, done++)
    if (!jx_cfb_fat_sector(c, jx_le32(h + 76 + 4 * i)))
      return false;
  uint32_t difat = jx_le32(h + 68);
  for (size_t steps = 0; done < count && steps < c->sectors; steps++) {
    const unsigned char *s = jx_cfb_sector(c, difat);
    if (!s)
      return false;
    for (size_t i = 0; i + 1 < per && done < count; i++, done++)
      if (!jx_cfb_fat_sector(c, jx_le32(s + 4 * i)))
        return false;
    difat = jx_le32(s + 4 * (per - 1));
  }
  return done == count;
}

/* The `size` bytes of the chain from `start`, in the big sectors or (mini)
 * in the 64-byte sectors of the mini stream; malloc'd, NULL when the
 * chain is broken. */
static unsigned char *jx_cfb_read(const jx_cfb *c, uint32_t start, size_t size,
                                  bool mini) {
  size_t unit = mini ? 64 : c->sector_size;
  const uint32_t *table = mini ? c->minifat : c->fat;
  size_t count = mini ? c->minifat_count : c->fat_count, done = 0;
  unsigned char *out = size <= c->size ? malloc(size + 1) : NULL;
  uint32_t id = start;
  for (size_t steps = 0; out && done < size; steps++) {
    const unsigned char *src = !mini ? jx_cfb_sector(c, id)
                               : (size_t)id < c->ministream_size / 64
                                   ? c->ministream + (size_t)id * 64
                                   : NULL;
    if (!src || steps > count) {
      free(out);
      return NULL;
    }
    size_t n = size - done < unit ? size - done : unit;
    memcpy(out + done, src, n);
    done += n;
    if (done < size && id >= count) {
      free(out);
      return NULL;
    }
    if (done < size)
      id = table[id];
  }
  return out;
}

/* The number of sectors in the big-sector chain from `start`, or 0 when
 * it does not end. */
static size_t jx_cfb_chain_length(const jx_cfb *c, uint32_t start) {
  size_t n = 0;
  for (uint32_t id = start; id != JX_CFB_END; id = c->fat[id]) {
    if (id >= c->fat_count || ++n > c->fat_count)
      return 0;
  }
  return n;
}

/* The directory entry (128 bytes) named `name` (ASCII) of type `type`. */
static const unsigned char *jx_cfb_entry(const unsigned char *dir, size_t size,
                                         const char *name, int type) {
  size_t n = strlen(name);
  for (size_t off = 0; off + 128 <= size; off += 128) {
    const unsigned char *e = dir + off;
    if (jx_le16(e + 64) != (n + 1) * 2 || e[66] != type)
      continue;
    size_t i = 0;
    while (i < n && e[2 * i] == (unsigned char)name[i] && e[2 * i + 1] == 0)
      i++;
    if (i == n)
      return e;
  }
  return NULL;
}

/* Reads the mini stream and its table (for streams under 4096 bytes). */
static bool jx_cfb_mini(jx_cfb *c, const unsigned char *root) {
  const unsigned char *h = c->data;
  size_t sectors = jx_le32(h + 64);
  if (sectors > c->sectors)
    return false;
  unsigned char *raw =
      jx_cfb_read(c, jx_le32(h + 60), sectors * c->sector_size, false);
  c->minifat_count = sectors * c->sector_size / 4;
  c->minifat = raw ? malloc((c->minifat_count + 1) * sizeof *c->minifat) : NULL;
  for (size_t i = 0; c->minifat && i < c->minifat_count; i++)
    c->minifat[i] = jx_le32(raw + 4 * i);
  free(raw);
  c->ministream_size = jx_le32(root + 120);
  c->ministream =
      jx_cfb_read(c, jx_le32(root + 116), c->ministream_size, false);
  return c->minifat && c->ministream;
}

/* Finds and reads the workbook stream of the compound file c->data, once
 * its FAT is read: malloc'd (*length set), or NULL.  *dir gets the
 * directory (malloc'd), for the caller to free. */
static unsigned char *jx_cfb_find_workbook(jx_cfb *c, unsigned char **dir,
                                           size_t *length) {
  uint32_t first_dir = jx_le32(c->data + 48);
  size_t dir_size = jx_cfb_chain_length(c, first_dir) * c->sector_size;
  *dir = dir_size ? jx_cfb_read(c, first_dir, dir_size, false) : NULL;
  if (!*dir || dir_size < 128 || (*dir)[66] != 5)
    return NULL;
  const unsigned char *e = jx_cfb_entry(*dir, dir_size, "Workbook", 2);
  if (!e)
    return NULL;
  *length = jx_le32(e + 120);
  bool mini = *length < jx_le32(c->data + 56);
  if (mini && !jx_cfb_mini(c, *dir))
    return NULL;
  return jx_cfb_read(c, jx_le32(e + 116), *length, mini);
}

/* The workbook stream of the compound file data[0..size) (malloc'd,
 * *length set), or NULL. */
static unsigned char *jx_cfb_workbook(const char *data, size_t size,
                                      size_t *length) {
  jx_cfb c = {.data = (const unsigned char *)data, .size = size};
  uint16_t shift = size >= 512 ? jx_le16(c.data + 30) : 0;
  if (shift != 9 && shift != 12)
    return NULL;
  c.sector_size = (size_t)1 << shift;
  c.sectors = size / c.sector_size ? size / c.sector_size - 1 : 0;
  unsigned char *dir = NULL, *stream = NULL;
  if (jx_cfb_fat(&c))
    stream = jx_cfb_find_workbook(&c, &dir, length);
  free(dir);
  free(c.fat);
  free(c.minifat);
  free(c.ministream);
  return stream;
}

/* The next BIFF record at *pos of s[0..size): its type, length and body;
 * false at the end of the stream or when the record runs past it. */
static bool jx_biff_next(const unsigned char *s, size_t size, size_t *pos,
                         uint16_t *type, const unsigned char **body,
                         uint16_t *len) {
  if (size < 4 || *pos > size - 4)
    return false;
  *type = jx_le16(s + *pos);
  *len = jx_le16(s + *pos + 2);
  if (*len > size - *pos - 4)
    return false;
  *body = s + *pos + 4;
  *pos += 4 + (size_t)*len;
  return true;
}

/* Latin-1 or UTF-16LE characters as UTF-8, NUL-terminated (malloc'd). */
static char *jx_biff_utf8(const unsigned char *p, size_t chars, bool wide) {
  char *out = malloc(chars * 3 + 1), *o = out;
  for (size_t i = 0; out && i < chars; i++) {
    unsigned cp = wide ? jx_le16(p + 2 * i) : p[i];
    if (wide && cp >= 0xD800 && cp <= 0xDBFF && i + 1 < chars) {
      unsigned lo = jx_le16(p + 2 * i + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i++;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
      cp = 0xFFFD;
    if (cp < 0x80) {
      *o++ = (char)cp;
    } else if (cp < 0x800) {
      *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
      *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
      *o++ = (char)(0xF0 | cp >> 18), *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
      *o++ = (char)(0x80 | (cp >> 6 & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    }
  }
  if (out)
    *o = '\0';
  return out;
}

/* What the BIFF 8 globals say: where each sheet starts, and the number
 * style of each cell format (XF). */
typedef struct jx_biff {
  const unsigned char *s; /* the workbook stream */
  size_t size;
  uint32_t *sheets; /* each sheet's BOF offset, in BOUNDSHEET order */
  size_t sheet_count;
  jx_numstyle *xf_styles; /* by XF index */
  size_t xf_count;
} jx_biff;

/* A FORMAT record: a number format's id and style. */
typedef struct jx_biff_format {
  uint32_t id;
  jx_numstyle style;
} jx_biff_format;

/* The number style of the cell at (row, col), from its XF. */
typedef struct jx_cell_style {
  uint32_t row, col;
  jx_numstyle style;
} jx_cell_style;

static int jx_biff_format_cmp(const void *a, const void *b) {
  uint32_t x = ((const jx_biff_format *)a)->id,
           y = ((const jx_biff_format *)b)->id;
  return x < y ? -1 : x > y;
}

static int jx_cell_style_cmp(const void *a, const void *b) {
  const jx_cell_style *x = a, *y = b;
  if (x->row != y->row)
    return x->row < y->row ? -1 : 1;
  return x->col < y->col ? -1 : x->col > y->col;
}

/* A FORMAT record's id and style (its code read as UTF-8). */
static jx_biff_format jx_biff_format_record(const unsigned char *b,
                                            uint16_t len) {
  jx_biff_format f = {len >= 2 ? jx_le16(b) : 0, {JX_NUMFMT_GENERAL, -1, 0}};
  if (len < 5)
    return f;
  bool wide = b[4] & 1;
  size_t chars = jx_le16(b + 2), room = (size_t)(len - 5) / (wide ? 2 : 1);
  char *code = jx_biff_utf8(b + 5, chars < room ? chars : room, wide);
  if (code)
    f.style = jx_numstyle_of_code(code);
  free(code);
  return f;
}

/* Counts the globals' BOUNDSHEET, XF and FORMAT records from `pos`. */
static void jx_biff_count(const jx_biff *bk, size_t pos, size_t counts[3]) {
  uint16_t type, len;
  const unsigned char *b;
  while (jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) &&
         type != 0x000A) { /* EOF */
    counts[0] += type == 0x0085;
    counts[1] += type == 0x00E0;
    counts[2] += type == 0x041E;
  }
}

/* Gives each XF the style of its number format. */
static void jx_biff_xf_styles(jx_biff *bk, const uint16_t *xf_formats,
                              jx_biff_format *formats, size_t format_count) {
  if (format_count)
    qsort(formats, format_count, sizeof *formats, jx_biff_format_cmp);
  for (size_t i = 0; i < bk->xf_count; i++) {
    jx_biff_format key = {xf_formats[i], {JX_NUMFMT_GENERAL, -1, 0}};
    const jx_biff_format *f = format_count
                                  ? bsearch(&key, formats, format_count,
                                            sizeof key, jx_biff_format_cmp)
                                  : NULL;
    bk->xf_styles[i] = f ? f->style : jx_numstyle_builtin(key.id);
  }
}

/* Reads the globals of a BIFF 8 workbook stream; false for another BIFF
 * version or when memory runs out. */
static bool jx_biff_globals(jx_biff *bk) {
  size_t pos = 0, counts[3] = {0, 0, 0}, formats_n = 0;
  uint16_t type, len;
  const unsigned char *b;
  if (!jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) || type != 0x0809 ||
      len < 2 || jx_le16(b) != 0x0600)
    return false;
  jx_biff_count(bk, pos, counts);
  bk->sheets = malloc((counts[0] + 1) * sizeof *bk->sheets);
  bk->xf_styles = malloc((counts[1] + 1) * sizeof *bk->xf_styles);
  uint16_t *xf_formats = malloc((counts[1] + 1) * sizeof *xf_formats);
  jx_biff_format *formats = malloc((counts[2] + 1) * sizeof *formats);
  bool ok = bk->sheets && bk->xf_styles && xf_formats && formats;
  while (ok && jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) &&
         type != 0x000A) {
    if (type == 0x0085 && len >= 4) /* BOUNDSHEET */
      bk->sheets[bk->sheet_count++] = jx_le32(b);
    else if (type == 0x00E0) /* XF */
      xf_formats[bk->xf_count++] = len >= 4 ? jx_le16(b + 2) : 0;
    else if (type == 0x041E) /* FORMAT */
      formats[formats_n++] = jx_biff_format_record(b, len);
  }
  if (ok)
    jx_biff_xf_styles(bk, xf_formats, formats, formats_n);
  free(xf_formats);
  free(formats);
  return ok;
}

/* The style of cell format `xf`; General for an unknown one. */
static jx_numstyle jx_biff_style(const jx_biff *bk, uint32_t xf) {
  jx_numstyle general = {JX_NUMFMT_GENERAL, -1, false};
  return xf < bk->xf_count ? bk->xf_styles[xf] : general;
}

static void jx_send_text(FILE *out, uint32_t row, uint32_t col,
                         const char *text, uint8_t kind) {
  jx_xls_text t = {row, col, (uint32_t)strlen(text), kind, 1};
  if (!t.len)
    return;
  jx_put(out, 'T', &t, sizeof t);
  fwrite(text, 1, t.len, out);
}

/* Sends a FORMULA record's saved result, shown per `style`; a string
 * result comes in the STRING record that follows: `pending` then holds
 * its cell. */
static void jx_biff_formula(FILE *out, const unsigned char *b, uint16_t len,
                            jx_numstyle style, uint32_t pending[2],
                            bool *has_pending) {
  static const struct {
    uint8_t code;
    const char *text;
  } errors[] = {{0x00, "#NULL!"}, {0x07, "#DIV/0!"}, {0x0F, "#VALUE!"},
                {0x17, "#REF!"},  {0x1D, "#NAME?"},  {0x24, "#NUM!"},
                {0x2A, "#N/A"}};
  uint32_t row = jx_le16(b), col = jx_le16(b + 2);
  const unsigned char *v = b + 6;
  jx_xls_number num = {row,
                       col,
                       0,
                       (int32_t)style.format,
                       style.decimals,
                       style.thousands,
                       JX_CELL_NUMBER,
                       1};
  if (v[6] != 0xFF || v[7] != 0xFF) {
    uint64_t bits = (uint64_t)jx_le32(v) | (uint64_t)jx_le32(v + 4) << 32;
    memcpy(&num.number, &bits, sizeof num.number);
    if (num.number == num.number) /* not NaN */
      jx_put(out, 'N', &num, sizeof num);
  } else if (v[0] == 0) {
    pending[0] = row, pending[1] = col, *has_pending = true;
  } else if (v[0] == 1) {
    num = (jx_xls_number){row, col, v[2] ? 1 : 0, JX_NUMFMT_GENERAL,
                          -1,  0,   JX_CELL_BOOL, 1};
    jx_put(out, 'N', &num, sizeof num);
  } else if (v[0] == 2) {
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
      if (errors[i].code == v[2])
        jx_send_text(out, row, col, errors[i].text, JX_CELL_ERROR);
  }
  (void)len;
}

/* Sends a STRING record's text for the pending formula cell. */
static void jx_biff_string(FILE *out, const unsigned char *b, uint16_t len,
                           const uint32_t pending[2]) {
  if (len < 3)
    return;
  bool wide = b[2] & 1;
  size_t chars = jx_le16(b), room = (size_t)(len - 3) / (wide ? 2 : 1);
  char *text = jx_biff_utf8(b + 3, chars < room ? chars : room, wide);
  if (text)
    jx_send_text(out, pending[0], pending[1], text, JX_CELL_TEXT);
  free(text);
}

/* Sends a MERGECELLS record's ranges. */
static void jx_biff_merges(FILE *out, const unsigned char *b, uint16_t len) {
  size_t count = len >= 2 ? jx_le16(b) : 0;
  for (size_t i = 0; i < count && 2 + 8 * (i + 1) <= len; i++) {
    const unsigned char *r = b + 2 + 8 * i;
    jx_merge m = {jx_le16(r), jx_le16(r + 4), jx_le16(r + 2), jx_le16(r + 6)};
    jx_put(out, 'G', &m, sizeof m);
  }
}

/* The number of number cells (NUMBER, RK, MULRK, FORMULA) a sheet's
 * records from `pos` hold, an upper bound of its styled cells. */
static size_t jx_biff_number_cells(const jx_biff *bk, size_t pos) {
  uint16_t type, len;
  const unsigned char *b;
  size_t n = 0;
  while (jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) &&
         type != 0x000A) {
    if (type == 0x0203 || type == 0x027E || type == 0x0006)
      n++;
    else if (type == 0x00BD && len >= 6)
      n += (size_t)(len - 6) / 6;
  }
  return n;
}

/* A sheet's number cells with a style other than plain General. */
typedef struct jx_cell_styles {
  jx_cell_style *items;
  size_t count, cap;
} jx_cell_styles;

static void jx_styles_add(jx_cell_styles *st, uint32_t row, uint32_t col,
                          jx_numstyle style) {
  if (st->count < st->cap && (style.format != JX_NUMFMT_GENERAL ||
                              style.decimals >= 0 || style.thousands))
    st->items[st->count++] = (jx_cell_style){row, col, style};
}

/* Notes the styles of a NUMBER, RK or MULRK record's cells. */
static void jx_biff_number_styles(const jx_biff *bk, uint16_t type,
                                  const unsigned char *b, uint16_t len,
                                  jx_cell_styles *st) {
  if (type != 0x00BD) { /* NUMBER, RK: rw, col, ixfe */
    if (len >= 6)
      jx_styles_add(st, jx_le16(b), jx_le16(b + 2),
                    jx_biff_style(bk, jx_le16(b + 4)));
    return;
  }
  /* MULRK: rw, colFirst, (ixfe, rk) ..., colLast */
  for (size_t i = 0; len >= 6 && i < (size_t)(len - 6) / 6; i++)
    jx_styles_add(st, jx_le16(b), jx_le16(b + 2) + (uint32_t)i,
                  jx_biff_style(bk, jx_le16(b + 4 + 6 * i)));
}

/* Walks the sheet whose BOF is at `offset`: sends its formula results
 * and merges, and fills `st` (sorted) with its number cells' styles. */
static void jx_biff_sheet(FILE *out, const jx_biff *bk, uint32_t offset,
                          jx_cell_styles *st) {
  size_t pos = offset;
  uint16_t type, len;
  const unsigned char *b;
  uint32_t pending[2] = {0, 0};
  bool has_pending = false;
  st->count = 0;
  if (!jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) || type != 0x0809)
    return;
  size_t cells = jx_biff_number_cells(bk, pos);
  free(st->items);
  st->items = malloc((cells + 1) * sizeof *st->items);
  st->cap = st->items ? cells : 0;
  while (jx_biff_next(bk->s, bk->size, &pos, &type, &b, &len) &&
         type != 0x000A) {
    if (type == 0x0006 && len >= 20) { /* FORMULA */
      jx_numstyle style = jx_biff_style(bk, jx_le16(b + 4));
      has_pending = false;
      jx_biff_formula(out, b, len, style, pending, &has_pending);
    } else if (type == 0x0207 && has_pending) { /* STRING */
      jx_biff_string(out, b, len, pending);
      has_pending = false;
    } else if (type == 0x00E5) { /* MERGECELLS */
      jx_biff_merges(out, b, len);
    } else if (type == 0x0203 || type == 0x027E || type == 0x00BD) {
      jx_biff_number_styles(bk, type, b, len, st);
    }
  }
  if (st->count)
    qsort(st->items, st->count, sizeof *st->items, jx_cell_style_cmp);
}

/* The style of freexl's number cell at (row, col), or NULL. */
static const jx_numstyle *jx_styles_find(const jx_cell_styles *st, uint32_t row,
                                         uint32_t col) {
  jx_cell_style key = {row, col, {JX_NUMFMT_GENERAL, -1, false}};
  const jx_cell_style *found =
      st->count
          ? bsearch(&key, st->items, st->count, sizeof key, jx_cell_style_cmp)
          : NULL;
  return found ? &found->style : NULL;
}

/* Sends the cell at (row, col) of freexl's value, if it has one, a
 * number with its `style` (may be NULL).  A date freexl gives as text
 * goes as its serial day; one that does not parse goes as text. */
static void jx_xls_send_cell(FILE *out, const FreeXL_CellValue *v, uint32_t row,
                             uint32_t col, bool date1904,
                             const jx_numstyle *style) {
  jx_xls_number num = {row, col, 0, JX_NUMFMT_GENERAL, -1, 0, JX_CELL_NUMBER,
                       0};
  jx_numfmt format = JX_NUMFMT_GENERAL;
  if (v->type == FREEXL_CELL_INT || v->type == FREEXL_CELL_DOUBLE) {
    num.number =
        v->type == FREEXL_CELL_INT ? v->value.int_value : v->value.double_value;
    if (style) {
      num.format = (int32_t)style->format;
      num.decimals = style->decimals;
      num.thousands = style->thousands;
    }
  } else if (jx_xls_is_date(v) && v->value.text_value &&
             jx_book_parse_datetime(v->value.text_value, date1904, &num.number,
                                    &format)) {
    num.format = (int32_t)format;
  } else if (jx_xls_is_date(v) || v->type == FREEXL_CELL_TEXT ||
             v->type == FREEXL_CELL_SST_TEXT) {
    const char *s = v->value.text_value;
    if (!s || !s[0])
      return;
    jx_xls_text text = {row, col, (uint32_t)strlen(s), JX_CELL_TEXT, 0};
    jx_put(out, 'T', &text, sizeof text);
    fwrite(s, 1, text.len, out);
    return;
  } else {
    return;
  }
  jx_put(out, 'N', &num, sizeof num);
}

/* Sends freexl's cells of the active sheet, numbers with their `styles`;
 * false when the grids of the sheets so far pass the limit. */
static bool jx_xls_send_cells(FILE *out, const void *xls, bool date1904,
                              const jx_cell_styles *styles, size_t *scanned) {
  unsigned int rows = 0;
  unsigned short cols = 0;
  if (XLS.freexl_worksheet_dimensions(xls, &rows, &cols) != FREEXL_OK)
    return true; /* an empty sheet */
  size_t grid = (size_t)rows * cols;
  if (grid > JX_LIMIT_BOOK_XLS_GRID - *scanned)
    return false;
  *scanned += grid;
  for (unsigned int row = 0; row < rows && row < JX_LIMIT_BOOK_ROWS; row++)
    for (unsigned short col = 0; col < cols; col++) {
      FreeXL_CellValue v;
      if (XLS.freexl_get_cell_value(xls, row, col, &v) == FREEXL_OK)
        jx_xls_send_cell(out, &v, row, col, date1904,
                         jx_styles_find(styles, row, col));
    }
  return true;
}

/* Sends the open workbook's date system, sheets and cells: freexl's, with
 * the number styles and the formula results and merges freexl skips,
 * read from the workbook stream in data[0..size). */
static void jx_xls_send_book(FILE *out, const void *xls, const char *data,
                             size_t size) {
  unsigned int info = 0, count = 0;
  if (XLS.freexl_get_info(xls, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info != FREEXL_BIFF_PLAIN) {
    jx_put(out, 'P', NULL, 0);
    return;
  }
  uint8_t date1904 =
      XLS.freexl_get_info(xls, FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_DATEMODE_1904;
  jx_put(out, 'M', &date1904, 1);
  if (XLS.freexl_get_info(xls, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
    count = 0;
  uint32_t sheets = count;
  jx_put(out, 'C', &sheets, sizeof sheets);
  jx_biff bk = {0};
  bk.s = jx_cfb_workbook(data, size, &bk.size);
  bool biff8 = bk.s && jx_biff_globals(&bk);
  jx_cell_styles styles = {0};
  size_t scanned = 0;
  bool complete = true;
  for (unsigned int i = 0; i < count && i <= JX_LIMIT_BOOK_SHEETS; i++) {
    const char *name = NULL;
    if (XLS.freexl_get_worksheet_name(xls, (unsigned short)i, &name) !=
        FREEXL_OK)
      name = NULL;
    uint32_t len = name ? (uint32_t)strlen(name) : 0;
    jx_put(out, 'S', &len, sizeof len);
    fwrite(name ? name : "", 1, len, out);
    styles.count = 0;
    if (biff8 && i < bk.sheet_count)
      jx_biff_sheet(out, &bk, bk.sheets[i], &styles);
    if (XLS.freexl_select_active_worksheet(xls, (unsigned short)i) ==
            FREEXL_OK &&
        !jx_xls_send_cells(out, xls, date1904, &styles, &scanned)) {
      jx_put(out, 'L', NULL, 0);
      complete = false;
      break;
    }
  }
  if (complete)
    jx_put(out, 'Z', NULL, 0);
  free(styles.items);
  free(bk.sheets);
  free(bk.xf_styles);
  free((void *)bk.s);
}

/* The child's work: open `path` (holding data[0..size)) with freexl,
 * send everything, exit. */
static _Noreturn void jx_xls_child(int fd, const char *path, const char *data,
                                   size_t size) {
  /* A crash ends the child quietly, not in the program's own handlers. */
  static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
  for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
    signal(fatal[i], SIG_DFL);
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0)
    dup2(null, STDERR_FILENO); /* freexl's (or a sanitizer's) messages */
#ifndef JX_XLS_SANITIZED       /* AddressSanitizer reserves terabytes */
  struct rlimit memory = {2048ul << 20, 2048ul << 20}; /* 2 GiB */
  setrlimit(RLIMIT_AS, &memory);
#endif
  FILE *out = fdopen(fd, "wb");
  if (!out)
    _exit(1);
  const void *xls = NULL;
  int rc = XLS.freexl_open(path, &xls);
  if (rc != FREEXL_OK) {
    int32_t code = rc;
    jx_put(out, 'O', &code, sizeof code);
  } else {
    jx_xls_send_book(out, xls, data, size);
  }
  fflush(out);
  _exit(0); /* no atexit handlers, no freeing: the process ends */
}

/* ---- the parent: reading the pipe ---------------------------------------- */

typedef struct jx_pipe {
  int fd;
  struct timespec deadline;
  bool timed_out;
  size_t len, pos;
  char buf[65536];
} jx_pipe;

/* Milliseconds left before the deadline (0 when past). */
static int jx_pipe_ms_left(const jx_pipe *p) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long ms = (long long)(p->deadline.tv_sec - now.tv_sec) * 1000 +
                 (p->deadline.tv_nsec - now.tv_nsec) / 1000000;
  return ms < 0 ? 0 : (int)ms;
}

/* Refills the buffer; false at the end of the pipe, on an error or past
 * the deadline (then timed_out). */
static bool jx_pipe_fill(jx_pipe *p) {
  for (;;) {
    struct pollfd pfd = {p->fd, POLLIN, 0};
    int ms = jx_pipe_ms_left(p);
    int ready = ms > 0 ? poll(&pfd, 1, ms) : 0;
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0) {
      p->timed_out = true;
      return false;
    }
    ssize_t n = ready > 0 ? read(p->fd, p->buf, sizeof p->buf) : -1;
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p->len = (size_t)n, p->pos = 0;
    return true;
  }
}

/* Reads exactly n bytes; false when they do not come. */
static bool jx_pipe_read(jx_pipe *p, void *out, size_t n) {
  char *o = out;
  while (n) {
    if (p->pos == p->len && !jx_pipe_fill(p))
      return false;
    size_t k = p->len - p->pos < n ? p->len - p->pos : n;
    memcpy(o, p->buf + p->pos, k);
    p->pos += k, o += k, n -= k;
  }
  return true;
}

typedef enum {
  JX_XLS_DONE,     /* everything read */
  JX_XLS_REPORTED, /* stopped after recording an error */
  JX_XLS_BROKEN    /* the child died, lied or took too long */
} jx_xls_status;

/* The state of the parent while it reads. */
typedef struct jx_xls_reader {
  jx_book_reader *r;
  jx_pipe *pipe;
  uint32_t sheet_count;
  size_t sheet; /* sheets begun */
  jx_sheet_fill fill;
} jx_xls_reader;

/* Records why freexl_open failed with `rc`. */
static void jx_xls_open_error(jx_book_reader *r, int rc) {
  if (rc == FREEXL_INSUFFICIENT_MEMORY) {
    jx_error(r->diags, r->pos,
             "the workbook (.xls) declares sheets too large to read; open "
             "it in Excel or WPS, save it as an Excel workbook (.xlsx) and "
             "import that");
  } else if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) {
    jx_error(r->diags, r->pos,
             "this is an old-style Office file that holds no Excel "
             "workbook; import the workbook (.xlsx, .xls or .csv) instead");
  } else {
    jx_error(r->diags, r->pos,
             "the workbook (.xls) is damaged and cannot be read; open it "
             "in Excel or WPS and save it again");
    char detail[48];
    snprintf(detail, sizeof detail, "freexl error %d", rc);
    jx_diag_set_detail(r->diags, detail);
  }
}

/* Finishes the sheet being filled, if any. */
static void jx_xls_end_sheet(jx_xls_reader *x) {
  if (x->fill.sheet)
    jx_book_finish_sheet(x->r, x->fill.sheet);
  x->fill = (jx_sheet_fill){0};
}

/* 'C': the sheet count. */
static jx_xls_status jx_xls_on_count(jx_xls_reader *x) {
  if (x->r->book->sheets ||
      !jx_pipe_read(x->pipe, &x->sheet_count, sizeof x->sheet_count))
    return JX_XLS_BROKEN;
  if (!jx_book_sheets(x->r, x->sheet_count))
    return JX_XLS_REPORTED;
  if (x->sheet_count == 0) {
    jx_error(x->r->diags, x->r->pos, "the workbook has no sheets");
    return JX_XLS_REPORTED;
  }
  return JX_XLS_DONE;
}

/* 'S': a sheet begins. */
static jx_xls_status jx_xls_on_sheet(jx_xls_reader *x) {
  uint32_t len;
  if (x->sheet >= x->sheet_count || !jx_pipe_read(x->pipe, &len, sizeof len) ||
      len > 65536)
    return JX_XLS_BROKEN;
  char *name = jx_arena_alloc(x->r->arena, (size_t)len + 1);
  if (!jx_pipe_read(x->pipe, name, len) ||
      !jx_utf8_valid((const unsigned char *)name, len, NULL) ||
      memchr(name, '\0', len))
    return JX_XLS_BROKEN;
  jx_xls_end_sheet(x);
  jx_sheet *sheet = &x->r->book->sheets[x->sheet++];
  sheet->name = len ? jx_book_sheet_name(x->r->arena, name)
                    : jx_arena_printf(x->r->arena, "Sheet%zu", x->sheet);
  x->fill.sheet = sheet;
  return JX_XLS_DONE;
}

/* True if a cell message from the child is one the parent can take. */
static bool jx_xls_cell_ok(uint32_t row, uint32_t col, int kind_a, int kind_b,
                           int kind) {
  return row < JX_LIMIT_BOOK_ROWS && col < JX_LIMIT_BOOK_COLS &&
         (kind == kind_a || kind == kind_b);
}

/* 'N': a number or TRUE/FALSE cell of the current sheet. */
static jx_xls_status jx_xls_on_number(jx_xls_reader *x) {
  jx_xls_number num;
  if (!jx_pipe_read(x->pipe, &num, sizeof num) || !x->fill.sheet ||
      !jx_xls_cell_ok(num.row, num.col, JX_CELL_NUMBER, JX_CELL_BOOL,
                      num.kind) ||
      num.format < 0 || num.format > JX_NUMFMT_TEXT || num.decimals < -1 ||
      num.decimals > 30)
    return JX_XLS_BROKEN;
  jx_cell *cell = jx_sheet_add_cell(x->r, &x->fill, num.row, num.col);
  if (!cell)
    return JX_XLS_REPORTED;
  cell->kind = (jx_cell_kind)num.kind;
  cell->number = num.number == 0 ? 0 : num.number; /* no -0 */
  cell->format = (jx_numfmt)num.format;
  cell->decimals = num.decimals;
  cell->thousands = num.thousands != 0;
  cell->formula = num.formula != 0;
  cell->text = cell->kind == JX_CELL_BOOL
                   ? (cell->number ? "1" : "0")
                   : jx_book_number_text(x->r->arena, cell->number);
  return JX_XLS_DONE;
}

/* 'T': a text or error cell of the current sheet. */
static jx_xls_status jx_xls_on_text(jx_xls_reader *x) {
  jx_xls_text text;
  if (!jx_pipe_read(x->pipe, &text, sizeof text) || !x->fill.sheet ||
      !jx_xls_cell_ok(text.row, text.col, JX_CELL_TEXT, JX_CELL_ERROR,
                      text.kind) ||
      text.len > (1u << 20))
    return JX_XLS_BROKEN;
  char *s = jx_arena_alloc(x->r->arena, (size_t)text.len + 1);
  if (!jx_pipe_read(x->pipe, s, text.len) ||
      !jx_utf8_valid((const unsigned char *)s, text.len, NULL) ||
      memchr(s, '\0', text.len))
    return JX_XLS_BROKEN;
  jx_cell *cell = jx_sheet_add_cell(x->r, &x->fill, text.row, text.col);
  if (!cell)
    return JX_XLS_REPORTED;
  cell->kind = (jx_cell_kind)text.kind;
  cell->text = s;
  cell->formula = text.formula != 0;
  return JX_XLS_DONE;
}

/* 'G': a merged range of the current sheet. */
static jx_xls_status jx_xls_on_merge(jx_xls_reader *x) {
  jx_merge m;
  if (!jx_pipe_read(x->pipe, &m, sizeof m) || !x->fill.sheet ||
      m.row0 >= JX_LIMIT_BOOK_ROWS || m.row1 >= JX_LIMIT_BOOK_ROWS ||
      m.col0 >= JX_LIMIT_BOOK_COLS || m.col1 >= JX_LIMIT_BOOK_COLS)
    return JX_XLS_BROKEN;
  return jx_sheet_add_merge(x->r, &x->fill, m) ? JX_XLS_DONE : JX_XLS_REPORTED;
}

/* Reads the child's messages to the end ('Z') or the first error. */
static jx_xls_status jx_xls_receive(jx_xls_reader *x) {
  jx_book_reader *r = x->r;
  for (;;) {
    char tag;
    int32_t code;
    uint8_t flag;
    jx_xls_status status = JX_XLS_DONE;
    if (!jx_pipe_read(x->pipe, &tag, 1))
      return JX_XLS_BROKEN;
    switch (tag) {
    case 'O':
      if (!jx_pipe_read(x->pipe, &code, sizeof code))
        return JX_XLS_BROKEN;
      jx_xls_open_error(r, code);
      return JX_XLS_REPORTED;
    case 'P':
      jx_xls_password(r);
      return JX_XLS_REPORTED;
    case 'M':
      if (!jx_pipe_read(x->pipe, &flag, 1))
        return JX_XLS_BROKEN;
      r->book->date1904 = flag == 1;
      break;
    case 'C':
      status = jx_xls_on_count(x);
      break;
    case 'S':
      status = jx_xls_on_sheet(x);
      break;
    case 'N':
      status = jx_xls_on_number(x);
      break;
    case 'T':
      status = jx_xls_on_text(x);
      break;
    case 'G':
      status = jx_xls_on_merge(x);
      break;
    case 'L':
      jx_error(r->diags, r->pos,
               "the workbook's sheets span more than %u cells in all (rows "
               "times columns); split it into smaller workbooks",
               JX_LIMIT_BOOK_XLS_GRID);
      jx_book_at_sheet(r, x->fill.sheet);
      return JX_XLS_REPORTED;
    case 'Z':
      jx_xls_end_sheet(x);
      return x->sheet == x->sheet_count ? JX_XLS_DONE : JX_XLS_BROKEN;
    default:
      return JX_XLS_BROKEN;
    }
    if (status != JX_XLS_DONE)
      return status;
  }
}

/* Writes data[0..size) to a new temporary file; returns its name (in the
 * arena: the caller unlinks it), or NULL after an error. */
static const char *jx_xls_temp_file(jx_book_reader *r, const char *data,
                                    size_t size) {
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  char *path = jx_arena_printf(r->arena, "%s/jxform-xls-XXXXXX", dir);
  int fd = mkstemp(path);
  int err = errno;
  size_t done = 0;
  while (fd >= 0 && done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      err = n < 0 ? errno : ENOSPC;
      break;
    }
    done += (size_t)n;
  }
  if (fd >= 0 && close(fd) != 0 && done == size) {
    err = errno;
    done = 0;
  }
  if (fd < 0 || done < size) {
    if (fd >= 0)
      unlink(path);
    jx_error(r->diags, r->pos,
             "cannot read the .xls workbook: no temporary file can be "
             "written in %s (%s); set TMPDIR to a folder with free space",
             dir, strerror(err));
    return NULL;
  }
  return path;
}

/* Reads the .xls at `path`, holding data[0..size), through a child
 * process running freexl. */
static bool jx_xls_run(jx_book_reader *r, const char *path, const char *data,
                       size_t size) {
  const char *missing = NULL;
  if (!jx_freexl(&missing)) {
    jx_error(r->diags, r->pos, "cannot read the .xls workbook: %s", missing);
    return false;
  }
  int fds[2];
  pid_t pid = -1;
  if (pipe(fds) == 0) {
    pid = fork();
    if (pid == 0) {
      close(fds[0]);
      jx_xls_child(fds[1], path, data, size);
    }
    close(fds[1]);
    if (pid < 0)
      close(fds[0]);
  }
  if (pid < 0) {
    jx_error(r->diags, r->pos, "cannot read the .xls workbook: %s",
             strerror(errno));
    return false;
  }
  jx_pipe *p = jx_arena_alloc(r->arena, sizeof *p);
  p->fd = fds[0];
  clock_gettime(CLOCK_MONOTONIC, &p->deadline);
  p->deadline.tv_sec += JX_LIMIT_BOOK_XLS_SECONDS;
  jx_xls_reader x = {.r = r, .pipe = p};
  jx_xls_status status = jx_xls_receive(&x);
  close(fds[0]);
  kill(pid, SIGKILL); /* done or not, the child has nothing more to say */
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
  if (status == JX_XLS_BROKEN && p->timed_out)
    jx_error(r->diags, r->pos,
             "the workbook (.xls) took longer than %d seconds to read and "
             "was given up; open it in Excel or WPS, save it as an Excel "
             "workbook (.xlsx) and import that",
             JX_LIMIT_BOOK_XLS_SECONDS);
  else if (status == JX_XLS_BROKEN)
    jx_error(r->diags, r->pos,
             "the workbook (.xls) is damaged and cannot be read; open it "
             "in Excel or WPS and save it again");
  return status == JX_XLS_DONE;
}

bool jx_book_read_xls(jx_book_reader *r, const char *data, size_t size) {
  if (jx_xls_not_a_workbook(r, data, size))
    return false;
  const char *path = r->disk_path, *temp = NULL;
  if (!path) {
    path = temp = jx_xls_temp_file(r, data, size);
    if (!path)
      return false;
  }
  bool ok = jx_xls_run(r, path, data, size);
  if (temp)
    unlink(temp);
  return ok;
}
