/*
 * datadir.c — where jxform finds its data (see datadir.h).
 */
#define _GNU_SOURCE /* dladdr */
#include "datadir.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef JX_TEMPLATE_DIR
#define JX_TEMPLATE_DIR "templates"
#endif
#ifndef JX_LOCALE_DIR
#define JX_LOCALE_DIR "locale"
#endif
/* The install's data folder relative to its bin and lib folders
 * (CMake computes them from the install layout). */
#ifndef JX_BIN_TO_DATA
#define JX_BIN_TO_DATA "../share"
#endif
#ifndef JX_LIB_TO_DATA
#define JX_LIB_TO_DATA "../share"
#endif

static pthread_once_t jx_dirs_once = PTHREAD_ONCE_INIT;
static char jx_self[PATH_MAX];
static char jx_template_dir[PATH_MAX + 64];
static char jx_locale_dir[PATH_MAX + 64];

static int jx_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int jx_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file holding this code: libjxform.so, or the program it is linked
 * into. */
static void jx_find_self(void) {
  Dl_info info;
  if (dladdr((void *)jx_find_self, &info) && info.dli_fname &&
      realpath(info.dli_fname, jx_self))
    return;
  ssize_t n = readlink("/proc/self/exe", jx_self, sizeof jx_self - 1);
  jx_self[n > 0 ? n : 0] = '\0';
}

/* Writes "<folder of self>/<rel>/<tail>" to out when that path exists
 * (as a folder, or as the file `probe` under it when probe is given). */
static int jx_beside_self(const char *rel, const char *tail, const char *probe,
                          char *out, size_t cap) {
  const char *slash = strrchr(jx_self, '/');
  if (!slash)
    return 0;
  int n = snprintf(out, cap, "%.*s/%s/%s", (int)(slash - jx_self), jx_self, rel,
                   tail);
  if (n < 0 || (size_t)n >= cap)
    return 0;
  if (!probe)
    return jx_is_dir(out);
  char path[PATH_MAX + 128];
  snprintf(path, sizeof path, "%s/%s", out, probe);
  return jx_is_file(path);
}

static void jx_find_dirs(void) {
  jx_find_self();
  const char *env = getenv("JXFORM_TEMPLATE_DIR");
  const char *data = getenv("JXFORM_DATA_DIR");
  if (env && *env)
    snprintf(jx_template_dir, sizeof jx_template_dir, "%s", env);
  else if (data && *data)
    snprintf(jx_template_dir, sizeof jx_template_dir, "%s/templates", data);
  else if (!jx_beside_self(JX_BIN_TO_DATA, "jxform/templates", NULL,
                           jx_template_dir, sizeof jx_template_dir) &&
           !jx_beside_self(JX_LIB_TO_DATA, "jxform/templates", NULL,
                           jx_template_dir, sizeof jx_template_dir))
    snprintf(jx_template_dir, sizeof jx_template_dir, "%s", JX_TEMPLATE_DIR);

  static const char probe[] = "zh_CN/LC_MESSAGES/jxform.mo";
  env = getenv("JXFORM_LOCALE_DIR");
  if (env && *env)
    snprintf(jx_locale_dir, sizeof jx_locale_dir, "%s", env);
  else if (!jx_beside_self(JX_BIN_TO_DATA, "locale", probe, jx_locale_dir,
                           sizeof jx_locale_dir) &&
           !jx_beside_self(JX_LIB_TO_DATA, "locale", probe, jx_locale_dir,
                           sizeof jx_locale_dir))
    snprintf(jx_locale_dir, sizeof jx_locale_dir, "%s", JX_LOCALE_DIR);
}

const char *jx_default_template_dir(void) {
  pthread_once(&jx_dirs_once, jx_find_dirs);
  return jx_template_dir;
}

const char *jx_default_locale_dir(void) {
  pthread_once(&jx_dirs_once, jx_find_dirs);
  return jx_locale_dir;
}

const char *jx_self_path(void) {
  pthread_once(&jx_dirs_once, jx_find_dirs);
  return jx_self;
}
