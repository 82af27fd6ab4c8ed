/*
 * version.c — `jxform --version`: jxform's version, the versions of the
 * libraries it runs with, and the folders it takes its data from.
 */
#include "jxform/jxform.h"

#include "datadir.h"
#include "i18n.h"
#include "lazylib.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <hpdf.h>
#include <yaml.h>
#ifdef JX_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include <stdio.h>

/* libunibreak has no version call: the one it was built against. */
#ifndef JX_UNIBREAK_VERSION
#define JX_UNIBREAK_VERSION "?"
#endif

void jx_print_versions(FILE *out) {
  fprintf(out, "jxform %s\n", JXFORM_VERSION);
  FT_Library ft;
  FT_Int major = 0, minor = 0, patch = 0;
  if (FT_Init_FreeType(&ft) == 0) {
    FT_Library_Version(ft, &major, &minor, &patch);
    FT_Done_FreeType(ft);
  }
  /* ICU is loaded here only for its version (lazylib.h); "?" without it */
  char icu_text[U_MAX_VERSION_STRING_LENGTH] = "?";
  const jx_icu_api *icu_api = jx_icu(NULL);
  if (icu_api) {
    UVersionInfo icu;
    icu_api->get_version(icu);
    icu_api->version_to_string(icu, icu_text);
  }
  fprintf(out,
          _("libraries: libharu %s, HarfBuzz %s, FreeType %d.%d.%d, "
            "libyaml %s, libunibreak %s, ICU %s"),
          HPDF_GetVersion(), hb_version_string(), major, minor, patch,
          yaml_get_version_string(), JX_UNIBREAK_VERSION, icu_text);
#ifdef JX_HAVE_LIBDEFLATE
  fprintf(out, ", libdeflate %s", LIBDEFLATE_VERSION_STRING);
#endif
  fputc('\n', out);
  fprintf(out, _("templates: %s\n"), jx_default_template_dir());
  fprintf(out, _("messages: %s\n"), jx_default_locale_dir());
  fprintf(out, _("program: %s\n"), jx_self_path());
}
