/*
 * book-xlsx.c — .xlsx (and .xlsm) workbooks: the zip read from memory
 * with minizip, each XML part streamed through expat.
 *
 * Parts, in the order read: _rels/.rels (which part is the workbook),
 * xl/workbook.xml (sheet names and order, the 1904 date system), its
 * relationships xl/_rels/workbook.xml.rels (each sheet's part, the shared
 * strings and the styles), xl/sharedStrings.xml, xl/styles.xml (number
 * formats of the cell formats), then each worksheet (cells, merges).
 *
 * The file is untrusted.  Before a part is unpacked its size, its packing
 * ratio and the total unpacked so far are checked against the zip's
 * directory (minizip never unpacks more than the directory says); the XML
 * nesting depth is limited and a DOCTYPE (the door to entity expansion)
 * is refused; sheets, cells, strings, merges, cell formats and zip
 * entries are counted against jxlimits.h.  Each breach is one error.
 *
 * minizip is loaded when the first workbook is read (lazylib.h): its
 * functions are called through UNZ, the table jx_book_read_xlsx checks
 * is there first.
 */
#include "book-read.h"
#include "jxlimits.h"
#include "lazylib.h"
#include "xalloc.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unzip.h>

/* minizip's functions (lazylib.h); only used after jx_book_read_xlsx has
 * found the library. */
#define UNZ (*jx_minizip(NULL))

/* ---- the zip in memory: minizip's file functions over a buffer ----------- */

typedef struct jx_zip_mem {
  const char *data;
  size_t size, pos;
} jx_zip_mem;

/* minizip passes the "file name" it was opened with: the jx_zip_mem. */
static voidpf ZCALLBACK jx_zip_open(voidpf opaque, const void *name, int mode) {
  (void)opaque, (void)mode;
  return (voidpf)name;
}

static uLong ZCALLBACK jx_zip_read(voidpf opaque, voidpf stream, void *buf,
                                   uLong size) {
  (void)opaque;
  jx_zip_mem *m = stream;
  size_t left = m->size - m->pos;
  if (size > left)
    size = (uLong)left;
  if (size)
    memcpy(buf, m->data + m->pos, size);
  m->pos += size;
  return size;
}

static uLong ZCALLBACK jx_zip_write(voidpf opaque, voidpf stream,
                                    const void *buf, uLong size) {
  (void)opaque, (void)stream, (void)buf, (void)size;
  return 0;
}

static ZPOS64_T ZCALLBACK jx_zip_tell(voidpf opaque, voidpf stream) {
  (void)opaque;
  return ((jx_zip_mem *)stream)->pos;
}

static long ZCALLBACK jx_zip_seek(voidpf opaque, voidpf stream, ZPOS64_T offset,
                                  int origin) {
  (void)opaque;
  jx_zip_mem *m = stream;
  size_t base = origin == ZLIB_FILEFUNC_SEEK_CUR   ? m->pos
                : origin == ZLIB_FILEFUNC_SEEK_END ? m->size
                                                   : 0;
  if (offset > m->size - base)
    return -1;
  m->pos = base + (size_t)offset;
  return 0;
}

static int ZCALLBACK jx_zip_close(voidpf opaque, voidpf stream) {
  (void)opaque, (void)stream;
  return 0;
}

static int ZCALLBACK jx_zip_error(voidpf opaque, voidpf stream) {
  (void)opaque, (void)stream;
  return 0;
}

/* ---- the reader's state -------------------------------------------------- */

typedef struct jx_custom_format {
  uint32_t id;
  const char *code;
} jx_custom_format;

/* A relationship of a part: its id, type and the part it points to. */
typedef struct jx_rel {
  const char *id, *type, *target;
} jx_rel;

/* A sheet as the workbook part lists it. */
typedef struct jx_sheet_entry {
  const char *name, *rel_id;
} jx_sheet_entry;

/* A zip entry: its name and where minizip finds it. */
typedef struct jx_zip_entry {
  const char *name;
  unz64_file_pos pos;
} jx_zip_entry;

typedef struct jx_xlsx {
  jx_book_reader *r;
  unzFile zip;
  jx_zip_mem mem;
  jx_zip_entry *zip_entries; /* sorted by name, any letter case */
  size_t zip_entry_count;
  size_t unpacked; /* bytes the directory says the parts read so far hold */
  const char *workbook_part;
  jx_rel *rels; /* of the part being read: _rels/.rels, then the workbook's */
  size_t rel_count, rel_cap;
  jx_sheet_entry *entries;
  size_t entry_count, entry_cap;
  const char **strings;
  size_t string_count, string_cap;
  jx_custom_format *formats;
  size_t format_count, format_cap;
  uint32_t *xf_format_ids; /* cellXfs: each cell format's number format */
  size_t xf_count, xf_cap;
  jx_numstyle *xf_styles; /* resolved, xf_count of them */
} jx_xlsx;

/* ---- XML parts through expat --------------------------------------------- */

typedef struct jx_xml jx_xml;
/* Element handlers get the local name (no namespace). */
typedef void (*jx_xml_start_fn)(jx_xml *x, const char *name,
                                const char **attrs);
typedef void (*jx_xml_end_fn)(jx_xml *x, const char *name);

struct jx_xml {
  jx_xlsx *z;
  const char *part;
  XML_Parser parser;
  int depth;
  bool failed; /* an error was recorded: parsing stops */
  jx_xml_start_fn start;
  jx_xml_end_fn end;
  bool collect; /* character data goes to `text` */
  char *text;   /* malloc'd, NUL-terminated */
  size_t len, cap;
  void *user;
  const jx_sheet *sheet; /* the sheet being read, for diagnostics */
};

/* Expat names elements "namespace|local". */
static const char *jx_local(const char *name) {
  const char *bar = strrchr(name, '|');
  return bar ? bar + 1 : name;
}

/* The value of the attribute with local name `name`, or NULL. */
static const char *jx_attr(const char **attrs, const char *name) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (!strcmp(jx_local(attrs[i]), name))
      return attrs[i + 1];
  return NULL;
}

static void jx_xml_stop(jx_xml *x) {
  x->failed = true;
  XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL jx_xml_on_start(void *data, const XML_Char *name,
                                    const XML_Char **attrs) {
  jx_xml *x = data;
  if (x->failed)
    return;
  if (++x->depth > JX_LIMIT_BOOK_XML_DEPTH) {
    jx_error(x->z->r->diags, x->z->r->pos,
             "the workbook is damaged or was not made by a spreadsheet "
             "program: its inner file %s nests more than %d levels deep",
             x->part, JX_LIMIT_BOOK_XML_DEPTH);
    jx_book_at_sheet(x->z->r, x->sheet);
    jx_xml_stop(x);
    return;
  }
  if (x->start)
    x->start(x, jx_local(name), attrs);
}

static void XMLCALL jx_xml_on_end(void *data, const XML_Char *name) {
  jx_xml *x = data;
  if (x->failed)
    return;
  x->depth--;
  if (x->end)
    x->end(x, jx_local(name));
}

static void XMLCALL jx_xml_on_text(void *data, const XML_Char *s, int len) {
  jx_xml *x = data;
  if (x->failed || !x->collect || len <= 0)
    return;
  if (x->len + (size_t)len + 1 > x->cap) {
    x->cap = (x->len + (size_t)len + 1) * 2;
    x->text = jx_xrealloc(x->text, x->cap);
  }
  memcpy(x->text + x->len, s, (size_t)len);
  x->len += (size_t)len;
  x->text[x->len] = '\0';
}

static void XMLCALL jx_xml_on_doctype(void *data, const XML_Char *name,
                                      const XML_Char *sysid,
                                      const XML_Char *pubid,
                                      int has_internal_subset) {
  (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
  jx_xml *x = data;
  if (x->failed)
    return;
  jx_error(x->z->r->diags, x->z->r->pos,
           "the workbook is damaged or was not made by a spreadsheet "
           "program: its inner file %s has a document type declaration "
           "(<!DOCTYPE>), which Excel never writes",
           x->part);
  jx_book_at_sheet(x->z->r, x->sheet);
  jx_xml_stop(x);
}

/* The collected text (never NULL) and an empty buffer for the next. */
static const char *jx_xml_text(jx_xml *x) { return x->text ? x->text : ""; }

static void jx_xml_clear(jx_xml *x) {
  x->len = 0;
  if (x->text)
    x->text[0] = '\0';
}

/* ---- zip entries --------------------------------------------------------- */

static void jx_xlsx_damaged(jx_xlsx *z, const char *part,
                            const jx_sheet *sheet) {
  jx_error(z->r->diags, z->r->pos,
           "the workbook is damaged: its inner file %s cannot be unpacked; "
           "open it in Excel or WPS and save it again",
           part);
  jx_book_at_sheet(z->r, sheet);
}

static void jx_xlsx_password(jx_book_reader *r) {
  jx_error(r->diags, r->pos,
           "the workbook is protected by a password and cannot be read; "
           "open it in Excel or WPS, save a copy without the password and "
           "import that");
}

/* Checks the current entry before unpacking it: not encrypted, not too
 * large, not packed too tightly, not over the book's total.  False after
 * an error. */
static bool jx_xlsx_entry_ok(jx_xlsx *z, const char *part,
                             const jx_sheet *sheet) {
  unz_file_info64 info;
  if (UNZ.unzGetCurrentFileInfo64(z->zip, &info, NULL, 0, NULL, 0, NULL, 0) !=
      UNZ_OK) {
    jx_xlsx_damaged(z, part, sheet);
    return false;
  }
  jx_book_reader *r = z->r;
  if (info.flag & 1) {
    jx_xlsx_password(r);
    return false;
  }
  if (info.uncompressed_size > JX_LIMIT_BOOK_PART_BYTES) {
    jx_error(r->diags, r->pos,
             "the workbook's inner file %s is larger than the %s limit once "
             "unpacked; split the workbook into smaller ones",
             part, JX_LIMIT_BOOK_PART_TEXT);
    jx_book_at_sheet(r, sheet);
    return false;
  }
  if (info.uncompressed_size > JX_LIMIT_BOOK_RATIO_FLOOR &&
      info.uncompressed_size / JX_LIMIT_BOOK_RATIO >= info.compressed_size) {
    jx_error(r->diags, r->pos,
             "the workbook's inner file %s unpacks to more than %d times its "
             "packed size, which a real workbook never does: the file may "
             "be made to overload the computer, and is not read",
             part, JX_LIMIT_BOOK_RATIO);
    jx_book_at_sheet(r, sheet);
    return false;
  }
  if (info.uncompressed_size > JX_LIMIT_BOOK_UNPACKED_BYTES - z->unpacked) {
    jx_error(r->diags, r->pos,
             "the workbook is larger than the %s limit once unpacked; "
             "split it into smaller workbooks",
             JX_LIMIT_BOOK_UNPACKED_TEXT);
    return false;
  }
  z->unpacked += (size_t)info.uncompressed_size;
  return true;
}

static int jx_zip_entry_cmp(const void *a, const void *b) {
  return strcasecmp(((const jx_zip_entry *)a)->name,
                    ((const jx_zip_entry *)b)->name);
}

/* Makes the entry named `part` (any letter case, as Excel) the current
 * one; false when the zip has none. */
static bool jx_xlsx_has(jx_xlsx *z, const char *part) {
  jx_zip_entry key = {.name = part};
  const jx_zip_entry *e =
      z->zip_entry_count ? bsearch(&key, z->zip_entries, z->zip_entry_count,
                                   sizeof key, jx_zip_entry_cmp)
                         : NULL;
  return e && UNZ.unzGoToFilePos64(z->zip, &e->pos) == UNZ_OK;
}

/* Streams the unpacked current entry through the parser; false after an
 * error (recorded here unless x->failed says a handler recorded one). */
static bool jx_xml_feed(jx_xml *x) {
  jx_xlsx *z = x->z;
  char buf[65536];
  for (;;) {
    int n = UNZ.unzReadCurrentFile(z->zip, buf, sizeof buf);
    if (n < 0) {
      if (!x->failed)
        jx_xlsx_damaged(z, x->part, x->sheet);
      return false;
    }
    if (XML_Parse(x->parser, buf, n, n == 0) != XML_STATUS_OK) {
      if (!x->failed) {
        jx_error(z->r->diags, z->r->pos,
                 "the workbook is damaged: its inner file %s is garbled "
                 "(line %lu); open it in Excel or WPS and save it again",
                 x->part, (unsigned long)XML_GetCurrentLineNumber(x->parser));
        jx_book_at_sheet(z->r, x->sheet);
        jx_diag_set_detail(z->r->diags,
                           XML_ErrorString(XML_GetErrorCode(x->parser)));
      }
      return false;
    }
    if (n == 0 || x->failed)
      return !x->failed;
  }
}

typedef enum { JX_PART_OK, JX_PART_MISSING, JX_PART_FAILED } jx_part_status;

/* Reads the part `x->part` through x's handlers.  MISSING (nothing
 * recorded) when the zip has no such entry; FAILED after an error. */
static jx_part_status jx_xml_read(jx_xml *x) {
  jx_xlsx *z = x->z;
  if (!jx_xlsx_has(z, x->part))
    return JX_PART_MISSING;
  if (!jx_xlsx_entry_ok(z, x->part, x->sheet))
    return JX_PART_FAILED;
  if (UNZ.unzOpenCurrentFile(z->zip) != UNZ_OK) {
    jx_xlsx_damaged(z, x->part, x->sheet);
    return JX_PART_FAILED;
  }
  x->parser = XML_ParserCreateNS(NULL, '|');
  if (!x->parser) {
    fputs("jxform: out of memory\n", stderr);
    abort();
  }
  XML_SetUserData(x->parser, x);
  XML_SetElementHandler(x->parser, jx_xml_on_start, jx_xml_on_end);
  XML_SetCharacterDataHandler(x->parser, jx_xml_on_text);
  XML_SetStartDoctypeDeclHandler(x->parser, jx_xml_on_doctype);
  bool ok = jx_xml_feed(x);
  if (UNZ.unzCloseCurrentFile(z->zip) != UNZ_OK && ok) {
    jx_xlsx_damaged(z, x->part, x->sheet);
    ok = false;
  }
  XML_ParserFree(x->parser);
  x->parser = NULL;
  free(x->text);
  x->text = NULL;
  x->len = x->cap = 0;
  return ok ? JX_PART_OK : JX_PART_FAILED;
}

/* ---- part names ---------------------------------------------------------- */

/* The folder of part `part` with its trailing '/' ("xl/" for
 * "xl/workbook.xml"), in the arena. */
static const char *jx_part_dir(jx_arena *arena, const char *part) {
  const char *slash = strrchr(part, '/');
  return slash ? jx_arena_strndup(arena, part, (size_t)(slash - part + 1)) : "";
}

/* The part a relationship target names, from the folder `dir` of the
 * part holding the relationship: "/xl/a.xml" is from the root,
 * "worksheets/sheet1.xml" and "../x.xml" from `dir`; "." and ".." are
 * folded.  In the arena. */
static const char *jx_part_resolve(jx_arena *arena, const char *dir,
                                   const char *target) {
  const char *joined = target[0] == '/'
                           ? target + 1
                           : jx_arena_printf(arena, "%s%s", dir, target);
  size_t n = strlen(joined);
  char *out = jx_arena_alloc(arena, n + 1);
  size_t len = 0;
  for (const char *p = joined; *p;) {
    const char *end = p;
    while (*end && *end != '/' && *end != '\\')
      end++;
    size_t seg = (size_t)(end - p);
    if (seg == 2 && !memcmp(p, "..", 2)) {
      while (len > 0 && out[len - 1] != '/')
        len--;
      if (len > 0)
        len--;
      while (len > 0 && out[len - 1] != '/')
        len--;
    } else if (seg > 0 && !(seg == 1 && *p == '.')) {
      memcpy(out + len, p, seg);
      len += seg;
      if (*end)
        out[len++] = '/';
    }
    p = *end ? end + 1 : end;
  }
  out[len] = '\0';
  return out;
}

static bool jx_ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), k = strlen(tail);
  return n >= k && !strcmp(s + n - k, tail);
}

/* ---- relationships (_rels/.rels, xl/_rels/workbook.xml.rels) ------------- */

static void jx_rels_start(jx_xml *x, const char *name, const char **attrs) {
  if (strcmp(name, "Relationship"))
    return;
  jx_xlsx *z = x->z;
  const char *id = jx_attr(attrs, "Id"), *type = jx_attr(attrs, "Type");
  const char *target = jx_attr(attrs, "Target");
  const char *mode = jx_attr(attrs, "TargetMode");
  if (!id || !type || !target || (mode && !strcmp(mode, "External")))
    return;
  if (z->rel_count >= JX_LIMIT_BOOK_ENTRIES) {
    jx_error(z->r->diags, z->r->pos,
             "the workbook is made of more than %d inner files, far more than "
             "a spreadsheet needs; it is not read",
             JX_LIMIT_BOOK_ENTRIES);
    jx_xml_stop(x);
    return;
  }
  jx_arena *arena = z->r->arena;
  z->rels = jx_arena_grow(arena, z->rels, sizeof *z->rels, &z->rel_cap,
                          z->rel_count + 1);
  z->rels[z->rel_count++] =
      (jx_rel){jx_arena_strdup(arena, id), jx_arena_strdup(arena, type),
               jx_part_resolve(arena, (const char *)x->user, target)};
}

/* Reads the relationships of the part `source` (its .rels beside it in
 * _rels/) into z->rels.  False after an error; a missing .rels is none. */
static bool jx_rels_read(jx_xlsx *z, const char *source) {
  jx_arena *arena = z->r->arena;
  const char *dir = jx_part_dir(arena, source);
  const char *base = source + strlen(dir);
  z->rel_count = 0;
  jx_xml x = {.z = z, .start = jx_rels_start, .user = (void *)dir};
  x.part = jx_arena_printf(arena, "%s_rels/%s.rels", dir, base);
  return jx_xml_read(&x) != JX_PART_FAILED;
}

/* True if relationship type `type` (a URI) ends with "/kind". */
static bool jx_rel_type_is(const char *type, const char *kind) {
  size_t n = strlen(type), k = strlen(kind);
  return n > k && type[n - k - 1] == '/' && !strcmp(type + n - k, kind);
}

/* The target of the first relationship of type ".../kind", or (kind
 * NULL) of the one with id `id`; NULL when none. */
static const char *jx_rel_target(const jx_xlsx *z, const char *kind,
                                 const char *id) {
  for (size_t i = 0; i < z->rel_count; i++) {
    const jx_rel *rel = &z->rels[i];
    if (kind ? jx_rel_type_is(rel->type, kind) : !strcmp(rel->id, id))
      return rel->target;
  }
  return NULL;
}

/* ---- which part is the workbook ------------------------------------------ */

/* Records what the zip is when it holds no Excel workbook. */
static void jx_xlsx_not_a_workbook(jx_xlsx *z, const char *target) {
  jx_book_reader *r = z->r;
  if (jx_xlsx_has(z, "word/document.xml"))
    jx_error(r->diags, r->pos,
             "this is a Word document (.docx), not an Excel workbook; "
             "import the workbook (.xlsx, .xls or .csv) instead");
  else if (jx_xlsx_has(z, "ppt/presentation.xml"))
    jx_error(r->diags, r->pos,
             "this is a PowerPoint presentation (.pptx), not an Excel "
             "workbook; import the workbook (.xlsx, .xls or .csv) instead");
  else if (jx_xlsx_has(z, "content.xml") && jx_xlsx_has(z, "mimetype"))
    jx_error(r->diags, r->pos,
             "this is an OpenDocument file (.ods), not an Excel workbook; "
             "open it in WPS or LibreOffice and save it as an Excel "
             "workbook (.xlsx)");
  else if (jx_ends_with(target, ".bin"))
    jx_error(r->diags, r->pos,
             "this is an Excel binary workbook (.xlsb), which cannot be "
             "read; open it in Excel or WPS and save it as an Excel "
             "workbook (.xlsx)");
  else
    jx_error(r->diags, r->pos,
             "this is a zip archive, not an Excel workbook (it has no "
             "xl/workbook.xml); import the workbook (.xlsx, .xls or .csv) "
             "instead");
}

/* Finds the workbook part from _rels/.rels (xl/workbook.xml when it
 * says nothing).  False after an error. */
static bool jx_xlsx_find_workbook(jx_xlsx *z) {
  if (!jx_rels_read(z, ""))
    return false;
  const char *target = jx_rel_target(z, "officeDocument", NULL);
  if (!target)
    target = "xl/workbook.xml";
  if (!jx_ends_with(target, ".xml") || !jx_xlsx_has(z, target) ||
      jx_xlsx_has(z, "word/document.xml") ||
      jx_xlsx_has(z, "ppt/presentation.xml")) {
    jx_xlsx_not_a_workbook(z, target);
    return false;
  }
  z->workbook_part = target;
  return true;
}

/* ---- xl/workbook.xml ----------------------------------------------------- */

static bool jx_xml_true(const char *v) {
  return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

static void jx_workbook_start(jx_xml *x, const char *name, const char **attrs) {
  jx_xlsx *z = x->z;
  if (!strcmp(name, "workbookPr")) {
    z->r->book->date1904 = jx_xml_true(jx_attr(attrs, "date1904"));
  } else if (!strcmp(name, "sheet")) {
    if (z->entry_count > JX_LIMIT_BOOK_SHEETS)
      return; /* jx_book_sheets says so */
    jx_arena *arena = z->r->arena;
    const char *sheet_name = jx_attr(attrs, "name");
    const char *rel_id = jx_attr(attrs, "id");
    z->entries = jx_arena_grow(arena, z->entries, sizeof *z->entries,
                               &z->entry_cap, z->entry_count + 1);
    z->entries[z->entry_count] = (jx_sheet_entry){
        sheet_name ? jx_book_sheet_name(arena, sheet_name)
                   : jx_arena_printf(arena, "Sheet%zu", z->entry_count + 1),
        rel_id ? jx_arena_strdup(arena, rel_id) : ""};
    z->entry_count++;
  }
}

/* ---- text: shared strings and inline strings ----------------------------- */

static int jx_hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Writes code point `cp` as UTF-8 at `out`; returns the bytes written. */
static size_t jx_utf8_put(char *out, unsigned cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = (char)(0xE0 | (cp >> 12));
  out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

/* The text of a <t> with OOXML's escapes "_xHHHH_" (a character XML
 * cannot hold, as Excel writes a carriage return: _x000D_) decoded, in
 * the arena.  Escapes of NUL or of a surrogate are kept as written. */
static const char *jx_ooxml_text(jx_arena *arena, const char *s, size_t n) {
  if (!memchr(s, '_', n))
    return jx_arena_strndup(arena, s, n);
  char *out = jx_arena_alloc(arena, n + 1);
  size_t len = 0;
  for (size_t i = 0; i < n;) {
    if (i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
      int h[4] = {jx_hex(s[i + 2]), jx_hex(s[i + 3]), jx_hex(s[i + 4]),
                  jx_hex(s[i + 5])};
      unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
      if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0 && cp != 0 &&
          (cp < 0xD800 || cp > 0xDFFF)) {
        len += jx_utf8_put(out + len, cp); /* at most 3 bytes for 7 */
        i += 7;
        continue;
      }
    }
    out[len++] = s[i++];
  }
  out[len] = '\0';
  return out;
}

typedef struct jx_strings_state {
  bool in_si;
  int in_phonetic; /* inside <rPh>: a reading aid, not the text */
} jx_strings_state;

static void jx_strings_start(jx_xml *x, const char *name, const char **attrs) {
  (void)attrs;
  jx_strings_state *st = x->user;
  if (!strcmp(name, "si")) {
    st->in_si = true;
    jx_xml_clear(x);
  } else if (!strcmp(name, "rPh")) {
    st->in_phonetic++;
  } else if (!strcmp(name, "t") && st->in_si && !st->in_phonetic) {
    x->collect = true;
  }
}

static void jx_strings_end(jx_xml *x, const char *name) {
  jx_strings_state *st = x->user;
  jx_xlsx *z = x->z;
  if (!strcmp(name, "t")) {
    x->collect = false;
  } else if (!strcmp(name, "rPh")) {
    st->in_phonetic--;
  } else if (!strcmp(name, "si") && st->in_si) {
    st->in_si = false;
    if (z->string_count >= JX_LIMIT_BOOK_STRINGS) {
      jx_error(z->r->diags, z->r->pos,
               "the workbook has more than %d different texts; split it "
               "into smaller workbooks",
               JX_LIMIT_BOOK_STRINGS);
      jx_xml_stop(x);
      return;
    }
    jx_arena *arena = z->r->arena;
    z->strings = jx_arena_grow(arena, z->strings, sizeof *z->strings,
                               &z->string_cap, z->string_count + 1);
    z->strings[z->string_count++] =
        jx_ooxml_text(arena, jx_xml_text(x), x->len);
  }
}

/* ---- number formats (xl/styles.xml) -------------------------------------- */

static bool jx_styles_full(jx_xml *x) {
  jx_xlsx *z = x->z;
  if (z->format_count + z->xf_count < JX_LIMIT_BOOK_STYLES)
    return false;
  jx_error(z->r->diags, z->r->pos,
           "the workbook has more than %d cell formats; it was not made "
           "by a spreadsheet program, or is damaged",
           JX_LIMIT_BOOK_STYLES);
  jx_xml_stop(x);
  return true;
}

/* Reads an unsigned decimal of at most 9 digits; false when `s` is not. */
static bool jx_parse_index(const char *s, uint32_t *out) {
  if (!s || !*s || strlen(s) > 9)
    return false;
  uint32_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return false;
    v = v * 10 + (uint32_t)(*s - '0');
  }
  *out = v;
  return true;
}

typedef struct jx_styles_state {
  bool in_cell_xfs;
} jx_styles_state;

static void jx_styles_start(jx_xml *x, const char *name, const char **attrs) {
  jx_styles_state *st = x->user;
  jx_xlsx *z = x->z;
  jx_arena *arena = z->r->arena;
  uint32_t id = 0;
  if (!strcmp(name, "cellXfs")) {
    st->in_cell_xfs = true;
  } else if (!strcmp(name, "numFmt")) {
    const char *code = jx_attr(attrs, "formatCode");
    if (!code || !jx_parse_index(jx_attr(attrs, "numFmtId"), &id) ||
        jx_styles_full(x))
      return;
    z->formats = jx_arena_grow(arena, z->formats, sizeof *z->formats,
                               &z->format_cap, z->format_count + 1);
    z->formats[z->format_count++] =
        (jx_custom_format){id, jx_arena_strdup(arena, code)};
  } else if (!strcmp(name, "xf") && st->in_cell_xfs) {
    if (jx_styles_full(x))
      return;
    if (!jx_parse_index(jx_attr(attrs, "numFmtId"), &id))
      id = 0;
    z->xf_format_ids =
        jx_arena_grow(arena, z->xf_format_ids, sizeof *z->xf_format_ids,
                      &z->xf_cap, z->xf_count + 1);
    z->xf_format_ids[z->xf_count++] = id;
  }
}

static void jx_styles_end(jx_xml *x, const char *name) {
  jx_styles_state *st = x->user;
  if (!strcmp(name, "cellXfs"))
    st->in_cell_xfs = false;
}

static int jx_custom_format_cmp(const void *a, const void *b) {
  const jx_custom_format *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Gives each cell format its number style: the custom format of that id
 * when the workbook defines one, else the built-in. */
static void jx_styles_resolve(jx_xlsx *z) {
  if (z->format_count)
    qsort(z->formats, z->format_count, sizeof *z->formats,
          jx_custom_format_cmp);
  z->xf_styles = jx_arena_alloc(z->r->arena, (z->xf_count ? z->xf_count : 1) *
                                                 sizeof *z->xf_styles);
  for (size_t i = 0; i < z->xf_count; i++) {
    jx_custom_format key = {z->xf_format_ids[i], NULL};
    const jx_custom_format *custom =
        z->format_count ? bsearch(&key, z->formats, z->format_count,
                                  sizeof *z->formats, jx_custom_format_cmp)
                        : NULL;
    z->xf_styles[i] = custom ? jx_numstyle_of_code(custom->code)
                             : jx_numstyle_builtin(key.id);
  }
}

/* ---- worksheets ---------------------------------------------------------- */

typedef struct jx_ws_state {
  jx_sheet_fill fill;
  bool row_seen;
  uint32_t row, next_col;
  /* the <c> being read */
  bool in_cell, in_is;
  int in_phonetic;
  uint32_t cell_row, cell_col, style;
  char type[10];
  bool has_formula, has_value;
  size_t unreported; /* formulas without a result past the report limit */
} jx_ws_state;

/* Parses "C12" (letters, then digits) into 0-based row and column.
 * Returns 0 when done, -1 when `ref` is not a cell name, 1 when it names
 * a cell beyond XFD1048576. */
static int jx_parse_ref(const char *ref, uint32_t *row, uint32_t *col) {
  const char *p = ref;
  uint64_t c = 0, r = 0;
  for (; *p; p++) {
    char u = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    if (u < 'A' || u > 'Z')
      break;
    if (c <= JX_LIMIT_BOOK_COLS)
      c = c * 26 + (uint64_t)(u - 'A' + 1);
  }
  if (p == ref || *p < '0' || *p > '9')
    return -1;
  for (; *p >= '0' && *p <= '9'; p++)
    if (r <= JX_LIMIT_BOOK_ROWS)
      r = r * 10 + (uint64_t)(*p - '0');
  if (*p)
    return -1;
  if (r == 0)
    return -1;
  if (c > JX_LIMIT_BOOK_COLS || r > JX_LIMIT_BOOK_ROWS)
    return 1;
  *row = (uint32_t)(r - 1);
  *col = (uint32_t)(c - 1);
  return 0;
}

/* Records that reference `ref` of the sheet is not a cell a sheet can
 * have (beyond = 1) or not a cell name at all (-1), and stops. */
static void jx_bad_ref(jx_xml *x, const char *ref, int beyond) {
  jx_book_reader *r = x->z->r;
  char shown[48]; /* the file's text, cut (on a character) if long */
  size_t n = strlen(ref);
  if (n > 32) {
    n = 32;
    while (n > 0 && ((unsigned char)ref[n] & 0xC0) == 0x80)
      n--;
    snprintf(shown, sizeof shown, "%.*s…", (int)n, ref);
    ref = shown;
  }
  if (beyond > 0)
    jx_error(r->diags, r->pos,
             "the workbook is damaged: it names cell %s, beyond the last "
             "cell a sheet can have (XFD1048576)",
             ref);
  else
    jx_error(r->diags, r->pos,
             "the workbook is damaged: '%s' should name a cell, like "
             "'C12'; open it in Excel or WPS and save it again",
             ref);
  jx_book_at_sheet(r, x->sheet);
  jx_xml_stop(x);
}

static void jx_ws_row(jx_xml *x, jx_ws_state *st, const char **attrs) {
  const char *r = jx_attr(attrs, "r");
  uint32_t n;
  if (r) {
    if (!jx_parse_index(r, &n) || n == 0 || n > JX_LIMIT_BOOK_ROWS) {
      char ref[24];
      snprintf(ref, sizeof ref, "A%.12s", r);
      jx_bad_ref(x, ref, jx_parse_index(r, &n) && n > 0 ? 1 : -1);
      return;
    }
    st->row = n - 1;
  } else {
    st->row = st->row_seen ? st->row + 1 : 0;
    if (st->row >= JX_LIMIT_BOOK_ROWS) {
      jx_bad_ref(x, "A1048577", 1);
      return;
    }
  }
  st->row_seen = true;
  st->next_col = 0;
}

static void jx_ws_cell_start(jx_xml *x, jx_ws_state *st, const char **attrs) {
  const char *ref = jx_attr(attrs, "r"), *type = jx_attr(attrs, "t");
  if (ref) {
    int status = jx_parse_ref(ref, &st->cell_row, &st->cell_col);
    if (status) {
      jx_bad_ref(x, ref, status);
      return;
    }
    st->row = st->cell_row;
    st->row_seen = true;
  } else {
    if (st->next_col >= JX_LIMIT_BOOK_COLS) {
      char name[16];
      jx_bad_ref(x, jx_cell_name(st->row, st->next_col, name), 1);
      return;
    }
    st->cell_row = st->row;
    st->cell_col = st->next_col;
  }
  st->next_col = st->cell_col + 1;
  snprintf(st->type, sizeof st->type, "%s", type ? type : "n");
  if (!jx_parse_index(jx_attr(attrs, "s"), &st->style))
    st->style = 0;
  st->in_cell = true;
  st->in_is = false;
  st->in_phonetic = 0;
  st->has_formula = st->has_value = false;
  jx_xml_clear(x);
}

/* Parses a number as Excel writes it in <v>: optional sign, digits,
 * optional decimals and exponent, spaces around.  False for anything
 * else, or a number out of double range. */
static bool jx_parse_number(const char *s, double *out) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  const char *digits = p;
  while (*p >= '0' && *p <= '9')
    p++;
  bool any = p > digits;
  if (*p == '.') {
    const char *frac = ++p;
    while (*p >= '0' && *p <= '9')
      p++;
    any = any || p > frac;
  }
  if (!any)
    return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    const char *exp = p;
    while (*p >= '0' && *p <= '9')
      p++;
    if (p == exp)
      return false;
  }
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  if (*p)
    return false;
  double v = strtod(s, NULL);
  if (!isfinite(v))
    return false;
  *out = v == 0 ? 0 : v; /* no -0 */
  return true;
}

/* Records that the formula of the cell has no saved result. */
static void jx_ws_no_result(jx_xml *x, jx_ws_state *st) {
  jx_book_reader *r = x->z->r;
  if (!jx_book_cell_diag_ok(r)) {
    st->unreported++;
    return;
  }
  jx_error(r->diags, r->pos,
           "the formula in this cell has no saved result: open the "
           "workbook in Excel or WPS and save it again");
  jx_book_at_cell(r, x->sheet, st->cell_row, st->cell_col);
}

/* Fills a number cell with the number style of cell format `style`. */
static void jx_ws_number(jx_xlsx *z, jx_cell *cell, double v, uint32_t style) {
  cell->kind = JX_CELL_NUMBER;
  cell->number = v;
  cell->text = jx_book_number_text(z->r->arena, v);
  if (style < z->xf_count) {
    const jx_numstyle *ns = &z->xf_styles[style];
    cell->format = ns->format;
    cell->decimals = ns->decimals;
    cell->thousands = ns->thousands;
  }
}

/* The text of a shared-string cell, or NULL (after an error at the cell)
 * when its index is not one of the workbook's texts. */
static const char *jx_ws_shared(jx_xml *x, jx_ws_state *st, const char *v) {
  jx_xlsx *z = x->z;
  uint32_t index;
  if (jx_parse_index(v, &index) && index < z->string_count)
    return z->strings[index];
  if (jx_book_cell_diag_ok(z->r)) {
    jx_error(z->r->diags, z->r->pos,
             "the workbook is damaged: the text of this cell is missing; "
             "open it in Excel or WPS and save it again");
    jx_book_at_cell(z->r, x->sheet, st->cell_row, st->cell_col);
  }
  return NULL;
}

/* A cell's value from its type (t=) and text; false when it has none
 * (left out). */
static bool jx_ws_value(jx_xml *x, jx_ws_state *st, jx_cell *out) {
  jx_xlsx *z = x->z;
  jx_arena *arena = z->r->arena;
  const char *v = jx_xml_text(x);
  const char *t = st->type;
  double number;
  jx_numfmt format;
  if (!strcmp(t, "s")) {
    out->kind = JX_CELL_TEXT;
    out->text = jx_ws_shared(x, st, v);
  } else if (!strcmp(t, "inlineStr") || !strcmp(t, "str")) {
    out->kind = JX_CELL_TEXT;
    out->text = jx_ooxml_text(arena, v, x->len);
  } else if (!strcmp(t, "e")) {
    out->kind = JX_CELL_ERROR;
    out->text = jx_arena_strndup(arena, v, x->len);
  } else if (!strcmp(t, "b")) {
    out->kind = JX_CELL_BOOL;
    out->number = jx_xml_true(v) ? 1 : 0;
    out->text = out->number ? "1" : "0";
  } else if (!strcmp(t, "d") && jx_book_parse_datetime(v, z->r->book->date1904,
                                                       &number, &format)) {
    jx_ws_number(z, out, number, st->style);
    out->format = format;
  } else if (jx_parse_number(v, &number)) {
    jx_ws_number(z, out, number, st->style);
  } else if (x->len) {
    out->kind = JX_CELL_TEXT; /* not a number: kept as written */
    out->text = jx_arena_strndup(arena, v, x->len);
  }
  return out->text && out->text[0];
}

static void jx_ws_cell_end(jx_xml *x, jx_ws_state *st) {
  st->in_cell = false;
  bool is_text = !strcmp(st->type, "str") || !strcmp(st->type, "inlineStr");
  if (!st->has_value || (!x->len && !is_text)) {
    if (st->has_formula)
      jx_ws_no_result(x, st);
    return;
  }
  jx_cell value = {.text = NULL, .decimals = -1};
  if (!jx_ws_value(x, st, &value))
    return;
  jx_cell *cell =
      jx_sheet_add_cell(x->z->r, &st->fill, st->cell_row, st->cell_col);
  if (!cell) {
    jx_xml_stop(x);
    return;
  }
  value.row = cell->row, value.col = cell->col;
  value.formula = st->has_formula;
  *cell = value;
}

static void jx_ws_merge(jx_xml *x, jx_ws_state *st, const char **attrs) {
  const char *ref = jx_attr(attrs, "ref");
  if (!ref)
    return;
  char a[32] = "", b[32] = "";
  const char *colon = strchr(ref, ':');
  size_t first = colon ? (size_t)(colon - ref) : strlen(ref);
  snprintf(a, sizeof a, "%.*s", (int)(first < 31 ? first : 31), ref);
  snprintf(b, sizeof b, "%.31s", colon ? colon + 1 : a);
  jx_merge m;
  int status = jx_parse_ref(a, &m.row0, &m.col0);
  if (!status)
    status = jx_parse_ref(b, &m.row1, &m.col1);
  if (status) {
    jx_bad_ref(x, ref, status);
    return;
  }
  if (!jx_sheet_add_merge(x->z->r, &st->fill, m))
    jx_xml_stop(x);
}

static void jx_ws_start(jx_xml *x, const char *name, const char **attrs) {
  jx_ws_state *st = x->user;
  if (!strcmp(name, "row")) {
    jx_ws_row(x, st, attrs);
  } else if (!strcmp(name, "c")) {
    if (!st->in_cell)
      jx_ws_cell_start(x, st, attrs);
  } else if (!st->in_cell) {
    if (!strcmp(name, "mergeCell"))
      jx_ws_merge(x, st, attrs);
  } else if (!strcmp(name, "v")) {
    st->has_value = true;
    x->collect = true;
  } else if (!strcmp(name, "f")) {
    st->has_formula = true;
  } else if (!strcmp(name, "is")) {
    st->in_is = st->has_value = true;
  } else if (!strcmp(name, "rPh")) {
    st->in_phonetic++;
  } else if (!strcmp(name, "t") && st->in_is && !st->in_phonetic) {
    x->collect = true;
  }
}

static void jx_ws_end(jx_xml *x, const char *name) {
  jx_ws_state *st = x->user;
  if (!st->in_cell)
    return;
  if (!strcmp(name, "v") || !strcmp(name, "t"))
    x->collect = false;
  else if (!strcmp(name, "rPh"))
    st->in_phonetic--;
  else if (!strcmp(name, "is"))
    st->in_is = false;
  else if (!strcmp(name, "c"))
    jx_ws_cell_end(x, st);
}

/* Reads sheet `index` of the book from its part.  False after an error
 * that stops the whole book. */
static bool jx_xlsx_sheet(jx_xlsx *z, size_t index) {
  jx_book_reader *r = z->r;
  jx_sheet *sheet = &r->book->sheets[index];
  sheet->name = z->entries[index].name;
  const char *part = jx_rel_target(z, NULL, z->entries[index].rel_id);
  jx_ws_state st = {.fill = {.sheet = sheet}};
  jx_xml x = {.z = z,
              .part = part,
              .start = jx_ws_start,
              .end = jx_ws_end,
              .user = &st,
              .sheet = sheet};
  jx_part_status status = part ? jx_xml_read(&x) : JX_PART_MISSING;
  if (status == JX_PART_MISSING) {
    jx_error(r->diags, r->pos,
             "the workbook is damaged: the contents of this sheet are "
             "missing; open it in Excel or WPS and save it again");
    jx_book_at_sheet(r, sheet);
    return false;
  }
  if (st.unreported) {
    jx_error(r->diags, r->pos,
             "%zu more cells of this sheet have formulas with no saved "
             "result: open the workbook in Excel or WPS and save it again",
             st.unreported);
    jx_book_at_sheet(r, sheet);
  }
  jx_book_finish_sheet(r, sheet);
  return status == JX_PART_OK;
}

/* ---- the workbook -------------------------------------------------------- */

/* Reads the workbook part, its relationships, the shared strings and the
 * styles.  False after an error. */
static bool jx_xlsx_book_parts(jx_xlsx *z) {
  jx_book_reader *r = z->r;
  jx_xml wb = {.z = z, .part = z->workbook_part, .start = jx_workbook_start};
  jx_part_status status = jx_xml_read(&wb);
  if (status == JX_PART_MISSING) /* found before: the zip lies */
    jx_xlsx_damaged(z, z->workbook_part, NULL);
  if (status != JX_PART_OK || !jx_rels_read(z, z->workbook_part))
    return false;
  if (!jx_book_sheets(r, z->entry_count))
    return false;
  if (z->entry_count == 0) {
    jx_error(r->diags, r->pos, "the workbook has no sheets");
    return false;
  }
  const char *strings = jx_rel_target(z, "sharedStrings", NULL);
  jx_strings_state strings_state = {0};
  jx_xml sx = {.z = z,
               .part = strings ? strings : "xl/sharedStrings.xml",
               .start = jx_strings_start,
               .end = jx_strings_end,
               .user = &strings_state};
  if (jx_xml_read(&sx) == JX_PART_FAILED)
    return false;
  const char *styles = jx_rel_target(z, "styles", NULL);
  jx_styles_state styles_state = {0};
  jx_xml tx = {.z = z,
               .part = styles ? styles : "xl/styles.xml",
               .start = jx_styles_start,
               .end = jx_styles_end,
               .user = &styles_state};
  if (jx_xml_read(&tx) == JX_PART_FAILED)
    return false;
  jx_styles_resolve(z);
  return true;
}

static void jx_xlsx_broken_zip(jx_book_reader *r) {
  jx_error(r->diags, r->pos,
           "the file is damaged: it starts like an Excel workbook (.xlsx) "
           "but its table of contents is missing or broken (was it "
           "copied or downloaded completely?); open it in Excel or WPS "
           "and save it again");
}

static void jx_xlsx_too_many_entries(jx_book_reader *r) {
  jx_error(r->diags, r->pos,
           "the workbook is made of more than %d inner files, far more than "
           "a spreadsheet needs; it is not read",
           JX_LIMIT_BOOK_ENTRIES);
}

/* Lists the zip's entries once (z->zip_entries, sorted), so that a
 * lookup is a binary search and a table of contents broken half-way is
 * found at once.  False after an error. */
static bool jx_xlsx_index(jx_xlsx *z) {
  jx_arena *arena = z->r->arena;
  size_t cap = 0;
  int err = UNZ.unzGoToFirstFile(z->zip);
  while (err == UNZ_OK) {
    char name[1024];
    unz_file_info64 info;
    unz64_file_pos pos;
    if (z->zip_entry_count >= JX_LIMIT_BOOK_ENTRIES) {
      jx_xlsx_too_many_entries(z->r);
      return false;
    }
    err = UNZ.unzGetCurrentFileInfo64(z->zip, &info, name, sizeof name, NULL, 0,
                                      NULL, 0);
    if (err == UNZ_OK)
      err = UNZ.unzGetFilePos64(z->zip, &pos);
    if (err != UNZ_OK)
      break;
    if (info.size_filename < sizeof name) { /* longer names: no part's */
      z->zip_entries =
          jx_arena_grow(arena, z->zip_entries, sizeof *z->zip_entries, &cap,
                        z->zip_entry_count + 1);
      z->zip_entries[z->zip_entry_count++] =
          (jx_zip_entry){jx_arena_strdup(arena, name), pos};
    }
    err = UNZ.unzGoToNextFile(z->zip);
  }
  if (err != UNZ_END_OF_LIST_OF_FILE) {
    jx_xlsx_broken_zip(z->r);
    return false;
  }
  if (z->zip_entry_count)
    qsort(z->zip_entries, z->zip_entry_count, sizeof *z->zip_entries,
          jx_zip_entry_cmp);
  return true;
}

/* Opens the zip and lists its entries; false after an error: not a zip
 * minizip can read, or too many entries. */
static bool jx_xlsx_open(jx_xlsx *z, const char *data, size_t size) {
  z->mem = (jx_zip_mem){data, size, 0};
  zlib_filefunc64_def io = {jx_zip_open,  jx_zip_read, jx_zip_write,
                            jx_zip_tell,  jx_zip_seek, jx_zip_close,
                            jx_zip_error, NULL};
  z->zip = UNZ.unzOpen2_64(&z->mem, &io);
  if (!z->zip) {
    jx_xlsx_broken_zip(z->r);
    return false;
  }
  unz_global_info64 global;
  if (UNZ.unzGetGlobalInfo64(z->zip, &global) != UNZ_OK ||
      global.number_entry > JX_LIMIT_BOOK_ENTRIES) {
    jx_xlsx_too_many_entries(z->r);
    return false;
  }
  return jx_xlsx_index(z);
}

bool jx_book_read_xlsx(jx_book_reader *r, const char *data, size_t size) {
  const char *missing = NULL;
  if (!jx_minizip(&missing)) {
    jx_error(r->diags, r->pos, "cannot read the file: %s", missing);
    return false;
  }
  jx_xlsx z = {.r = r};
  bool ok = jx_xlsx_open(&z, data, size) && jx_xlsx_find_workbook(&z) &&
            jx_xlsx_book_parts(&z);
  for (size_t i = 0; ok && i < r->book->sheet_count; i++)
    ok = jx_xlsx_sheet(&z, i);
  if (z.zip)
    UNZ.unzClose(z.zip);
  return ok;
}
