/*
 * lazylib.c — ICU, libxlsxwriter, minizip and libfreexl opened with
 * dlopen on first use (see lazylib.h).  Their JX_*_SONAME come from the
 * build (CMakeLists.txt reads them from the libraries it compiled
 * against).
 */
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifndef JX_ICU_SONAME
#error "JX_ICU_SONAME must name ICU's i18n library (libicui18n.so.N)"
#endif
#ifndef JX_XLSXWRITER_SONAME
#error "JX_XLSXWRITER_SONAME must name libxlsxwriter (libxlsxwriter.so.N)"
#endif
#ifndef JX_MINIZIP_SONAME
#error "JX_MINIZIP_SONAME must name minizip (libminizip.so.N)"
#endif
#ifndef JX_FREEXL_SONAME
#error "JX_FREEXL_SONAME must name libfreexl (libfreexl.so.N)"
#endif

/* The text of a macro's expansion: JX_NAME(ucol_open) is "ucol_open_72"
 * with ICU 72's renaming headers. */
#define JX_NAME(f) JX_NAME_TEXT(f)
#define JX_NAME_TEXT(f) #f

/* One function to look up: its name in the library and where the table
 * keeps it. */
typedef struct jx_symbol {
  const char *name;
  size_t offset;
} jx_symbol;

#define JX_ICU_SYMBOL(member, f)                                               \
  { JX_NAME(f), offsetof(jx_icu_api, member) }
static const jx_symbol icu_symbols[] = {
    JX_ICU_SYMBOL(open, ucol_open),
    JX_ICU_SYMBOL(strcoll_utf8, ucol_strcollUTF8),
    JX_ICU_SYMBOL(close, ucol_close),
    JX_ICU_SYMBOL(error_name, u_errorName),
    JX_ICU_SYMBOL(get_version, u_getVersion),
    JX_ICU_SYMBOL(version_to_string, u_versionToString),
};

#define JX_LXW_SYMBOL(f)                                                       \
  { #f, offsetof(jx_xlsxwriter_api, f) }
static const jx_symbol xlsxwriter_symbols[] = {
    JX_LXW_SYMBOL(workbook_new_opt),
    JX_LXW_SYMBOL(workbook_add_format),
    JX_LXW_SYMBOL(workbook_add_worksheet),
    JX_LXW_SYMBOL(workbook_set_properties),
    JX_LXW_SYMBOL(workbook_close),
    JX_LXW_SYMBOL(worksheet_activate),
    JX_LXW_SYMBOL(worksheet_data_validation_range),
    JX_LXW_SYMBOL(worksheet_fit_to_pages),
    JX_LXW_SYMBOL(worksheet_freeze_panes),
    JX_LXW_SYMBOL(worksheet_hide),
    JX_LXW_SYMBOL(worksheet_merge_range),
    JX_LXW_SYMBOL(worksheet_protect),
    JX_LXW_SYMBOL(worksheet_repeat_rows),
    JX_LXW_SYMBOL(worksheet_set_column),
    JX_LXW_SYMBOL(worksheet_set_landscape),
    JX_LXW_SYMBOL(worksheet_set_paper),
    JX_LXW_SYMBOL(worksheet_set_row),
    JX_LXW_SYMBOL(worksheet_write_blank),
    JX_LXW_SYMBOL(worksheet_write_number),
    JX_LXW_SYMBOL(worksheet_write_string),
    JX_LXW_SYMBOL(format_set_align),
    JX_LXW_SYMBOL(format_set_bg_color),
    JX_LXW_SYMBOL(format_set_bold),
    JX_LXW_SYMBOL(format_set_border),
    JX_LXW_SYMBOL(format_set_font_color),
    JX_LXW_SYMBOL(format_set_font_size),
    JX_LXW_SYMBOL(format_set_indent),
    JX_LXW_SYMBOL(format_set_italic),
    JX_LXW_SYMBOL(format_set_num_format),
    JX_LXW_SYMBOL(format_set_text_wrap),
    JX_LXW_SYMBOL(format_set_unlocked),
    JX_LXW_SYMBOL(lxw_col_to_name),
    JX_LXW_SYMBOL(lxw_strerror),
};

#define JX_UNZ_SYMBOL(f)                                                       \
  { #f, offsetof(jx_minizip_api, f) }
static const jx_symbol minizip_symbols[] = {
    JX_UNZ_SYMBOL(unzOpen2_64),         JX_UNZ_SYMBOL(unzClose),
    JX_UNZ_SYMBOL(unzGetGlobalInfo64),  JX_UNZ_SYMBOL(unzGoToFirstFile),
    JX_UNZ_SYMBOL(unzGoToNextFile),     JX_UNZ_SYMBOL(unzGetCurrentFileInfo64),
    JX_UNZ_SYMBOL(unzGetFilePos64),     JX_UNZ_SYMBOL(unzGoToFilePos64),
    JX_UNZ_SYMBOL(unzOpenCurrentFile),  JX_UNZ_SYMBOL(unzReadCurrentFile),
    JX_UNZ_SYMBOL(unzCloseCurrentFile),
};

#define JX_FREEXL_SYMBOL(f)                                                    \
  { #f, offsetof(jx_freexl_api, f) }
static const jx_symbol freexl_symbols[] = {
    JX_FREEXL_SYMBOL(freexl_open),
    JX_FREEXL_SYMBOL(freexl_get_info),
    JX_FREEXL_SYMBOL(freexl_get_worksheet_name),
    JX_FREEXL_SYMBOL(freexl_select_active_worksheet),
    JX_FREEXL_SYMBOL(freexl_worksheet_dimensions),
    JX_FREEXL_SYMBOL(freexl_get_cell_value),
};

/* A library to open once: its file, its functions, and the outcome. */
typedef struct jx_lazy {
  const char *file;
  const jx_symbol *symbols;
  size_t symbol_count;
  void *table;   /* the api struct, filled by open_lazy */
  bool loaded;   /* every function found */
  char why[512]; /* else the loader's reason */
  pthread_once_t once;
} jx_lazy;

static jx_icu_api icu_api;
static jx_xlsxwriter_api xlsxwriter_api;
static jx_minizip_api minizip_api;
static jx_freexl_api freexl_api;

#define JX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static jx_lazy lazies[] = {
    [JX_LAZY_ICU] = {JX_ICU_SONAME, icu_symbols, JX_COUNT(icu_symbols),
                     &icu_api, false, "", PTHREAD_ONCE_INIT},
    [JX_LAZY_XLSXWRITER] = {JX_XLSXWRITER_SONAME, xlsxwriter_symbols,
                            JX_COUNT(xlsxwriter_symbols), &xlsxwriter_api,
                            false, "", PTHREAD_ONCE_INIT},
    [JX_LAZY_MINIZIP] = {JX_MINIZIP_SONAME, minizip_symbols,
                         JX_COUNT(minizip_symbols), &minizip_api, false, "",
                         PTHREAD_ONCE_INIT},
    [JX_LAZY_FREEXL] = {JX_FREEXL_SONAME, freexl_symbols,
                        JX_COUNT(freexl_symbols), &freexl_api, false, "",
                        PTHREAD_ONCE_INIT},
};

/* Opens `l` and fills its table; on failure records the loader's reason
 * in l->why.  The library stays loaded until the process ends. */
static void open_lazy(jx_lazy *l) {
  void *handle = dlopen(l->file, RTLD_LAZY | RTLD_LOCAL);
  if (!handle) {
    const char *e = dlerror();
    snprintf(l->why, sizeof l->why, "%s", e ? e : l->file);
    return;
  }
  for (size_t i = 0; i < l->symbol_count; i++) {
    dlerror();
    void *f = dlsym(handle, l->symbols[i].name);
    if (!f) {
      const char *e = dlerror();
      snprintf(l->why, sizeof l->why, "%s", e ? e : l->symbols[i].name);
      dlclose(handle);
      return;
    }
    /* the members are function pointers, stored as dlsym returns them
     * (POSIX gives them the representation of a void *) */
    *(void **)((char *)l->table + l->symbols[i].offset) = f;
  }
  l->loaded = true;
}

static void open_icu(void) { open_lazy(&lazies[JX_LAZY_ICU]); }
static void open_xlsxwriter(void) { open_lazy(&lazies[JX_LAZY_XLSXWRITER]); }
static void open_minizip(void) { open_lazy(&lazies[JX_LAZY_MINIZIP]); }
static void open_freexl(void) { open_lazy(&lazies[JX_LAZY_FREEXL]); }

/* The table of `lib` once opened, or NULL with *why set. */
static const void *lazy_get(jx_lazy_lib lib, void (*open)(void),
                            const char **why) {
  jx_lazy *l = &lazies[lib];
  pthread_once(&l->once, open);
  if (l->loaded)
    return l->table;
  if (why)
    *why = l->why;
  return NULL;
}

const jx_icu_api *jx_icu(const char **why) {
  return lazy_get(JX_LAZY_ICU, open_icu, why);
}

const jx_xlsxwriter_api *jx_xlsxwriter(const char **why) {
  return lazy_get(JX_LAZY_XLSXWRITER, open_xlsxwriter, why);
}

const jx_minizip_api *jx_minizip(const char **why) {
  return lazy_get(JX_LAZY_MINIZIP, open_minizip, why);
}

const jx_freexl_api *jx_freexl(const char **why) {
  return lazy_get(JX_LAZY_FREEXL, open_freexl, why);
}

void jx_lazylib_set_file(jx_lazy_lib lib, const char *file) {
  lazies[lib].file = file;
}
