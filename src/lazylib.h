/*
 * lazylib.h — libraries only some commands need, loaded with dlopen when
 * first used rather than by the dynamic loader at every start: ICU (a
 * packet's 拼音 order, the version text), libxlsxwriter (`new --xlsx`),
 * minizip and libfreexl (reading .xlsx and .xls workbooks).
 * Linking them costs every run, `jxform render` of one form included,
 * several milliseconds of loading and relocating (they pull in
 * libstdc++, libicudata, libcrypto).
 *
 * Each library is opened by its SONAME, which the build takes from the
 * library it compiled against (CMakeLists.txt), and its functions are
 * looked up under the names the headers give them (ICU's carry its major
 * version: ucol_open is ucol_open_72), with the headers' own prototypes.
 * A library is opened once per process, on first use, from any thread.
 */
#ifndef JX_LAZYLIB_H
#define JX_LAZYLIB_H

#include <freexl.h>
#include <unicode/ucol.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>
#include <unzip.h>
#include <xlsxwriter.h>

/* The ICU functions jxform calls. */
typedef struct jx_icu_api {
  __typeof__(&ucol_open) open;
  __typeof__(&ucol_strcollUTF8) strcoll_utf8;
  __typeof__(&ucol_close) close;
  __typeof__(&u_errorName) error_name;
  __typeof__(&u_getVersion) get_version;
  __typeof__(&u_versionToString) version_to_string;
} jx_icu_api;

/* ICU's functions, or NULL when the library cannot be loaded; then *why
 * (when `why` is not NULL) says why, in the loader's words (a static
 * string). */
const jx_icu_api *jx_icu(const char **why);

/* The libxlsxwriter functions book-write.c calls, under their own names. */
typedef struct jx_xlsxwriter_api {
  __typeof__(&workbook_new_opt) workbook_new_opt;
  __typeof__(&workbook_add_format) workbook_add_format;
  __typeof__(&workbook_add_worksheet) workbook_add_worksheet;
  __typeof__(&workbook_set_properties) workbook_set_properties;
  __typeof__(&workbook_close) workbook_close;
  __typeof__(&worksheet_activate) worksheet_activate;
  __typeof__(&worksheet_data_validation_range) worksheet_data_validation_range;
  __typeof__(&worksheet_fit_to_pages) worksheet_fit_to_pages;
  __typeof__(&worksheet_freeze_panes) worksheet_freeze_panes;
  __typeof__(&worksheet_hide) worksheet_hide;
  __typeof__(&worksheet_merge_range) worksheet_merge_range;
  __typeof__(&worksheet_protect) worksheet_protect;
  __typeof__(&worksheet_repeat_rows) worksheet_repeat_rows;
  __typeof__(&worksheet_set_column) worksheet_set_column;
  __typeof__(&worksheet_set_landscape) worksheet_set_landscape;
  __typeof__(&worksheet_set_paper) worksheet_set_paper;
  __typeof__(&worksheet_set_row) worksheet_set_row;
  __typeof__(&worksheet_write_blank) worksheet_write_blank;
  __typeof__(&worksheet_write_number) worksheet_write_number;
  __typeof__(&worksheet_write_string) worksheet_write_string;
  __typeof__(&format_set_align) format_set_align;
  __typeof__(&format_set_bg_color) format_set_bg_color;
  __typeof__(&format_set_bold) format_set_bold;
  __typeof__(&format_set_border) format_set_border;
  __typeof__(&format_set_font_color) format_set_font_color;
  __typeof__(&format_set_font_size) format_set_font_size;
  __typeof__(&format_set_indent) format_set_indent;
  __typeof__(&format_set_italic) format_set_italic;
  __typeof__(&format_set_num_format) format_set_num_format;
  __typeof__(&format_set_text_wrap) format_set_text_wrap;
  __typeof__(&format_set_unlocked) format_set_unlocked;
  __typeof__(&lxw_col_to_name) lxw_col_to_name;
  __typeof__(&lxw_strerror) lxw_strerror;
} jx_xlsxwriter_api;

/* libxlsxwriter's functions, or NULL (and *why, as for jx_icu) when the
 * library cannot be loaded. */
const jx_xlsxwriter_api *jx_xlsxwriter(const char **why);

/* The minizip functions book-xlsx.c calls, under their own names. */
typedef struct jx_minizip_api {
  __typeof__(&unzOpen2_64) unzOpen2_64;
  __typeof__(&unzClose) unzClose;
  __typeof__(&unzGetGlobalInfo64) unzGetGlobalInfo64;
  __typeof__(&unzGoToFirstFile) unzGoToFirstFile;
  __typeof__(&unzGoToNextFile) unzGoToNextFile;
  __typeof__(&unzGetCurrentFileInfo64) unzGetCurrentFileInfo64;
  __typeof__(&unzGetFilePos64) unzGetFilePos64;
  __typeof__(&unzGoToFilePos64) unzGoToFilePos64;
  __typeof__(&unzOpenCurrentFile) unzOpenCurrentFile;
  __typeof__(&unzReadCurrentFile) unzReadCurrentFile;
  __typeof__(&unzCloseCurrentFile) unzCloseCurrentFile;
} jx_minizip_api;

/* minizip's functions, or NULL (and *why, as for jx_icu). */
const jx_minizip_api *jx_minizip(const char **why);

/* The libfreexl functions book-xls.c calls, under their own names. */
typedef struct jx_freexl_api {
  __typeof__(&freexl_open) freexl_open;
  __typeof__(&freexl_get_info) freexl_get_info;
  __typeof__(&freexl_get_worksheet_name) freexl_get_worksheet_name;
  __typeof__(&freexl_select_active_worksheet) freexl_select_active_worksheet;
  __typeof__(&freexl_worksheet_dimensions) freexl_worksheet_dimensions;
  __typeof__(&freexl_get_cell_value) freexl_get_cell_value;
} jx_freexl_api;

/* libfreexl's functions, or NULL (and *why, as for jx_icu). */
const jx_freexl_api *jx_freexl(const char **why);

typedef enum jx_lazy_lib {
  JX_LAZY_ICU,
  JX_LAZY_XLSXWRITER,
  JX_LAZY_MINIZIP,
  JX_LAZY_FREEXL
} jx_lazy_lib;

/* Tests: the file dlopen opens for `lib` instead of its SONAME (a name it
 * cannot find makes the library missing).  Takes effect only before the
 * library's first use; `file` must live as long as the process. */
void jx_lazylib_set_file(jx_lazy_lib lib, const char *file);

#endif
