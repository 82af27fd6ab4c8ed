/*
 * i18n.c — looking messages up in the catalogue (see i18n.h), and the
 * CLI's choice of language.
 */
#include "i18n.h"
#include "datadir.h"
#include "i18n-choose.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JX_TEXT_DOMAIN "jxform"

static pthread_once_t jx_bind_once = PTHREAD_ONCE_INIT;

/* Binds the text domain to the catalogue folder (datadir.h).  Messages come out
 * in UTF-8 whatever the locale's own encoding. */
static void jx_bind_domain(void) {
  const char *dir = jx_default_locale_dir();
  bindtextdomain(JX_TEXT_DOMAIN, dir);
  bind_textdomain_codeset(JX_TEXT_DOMAIN, "UTF-8");
}

/* The translations handed out so far and their msgids, by the
 * translation's address: a diagnostic keeps its arguments in the source
 * language (jx_tr_source), whatever language its message is in. */
#define JX_TR_SLOTS 2048
static struct { const char *translation, *msgid; } jx_tr_seen[JX_TR_SLOTS];
static pthread_mutex_t jx_tr_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t jx_tr_slot(const char *translation) {
  return ((uintptr_t)translation >> 3) * 2654435761u % JX_TR_SLOTS;
}

const char *jx_tr(const char *msgid) {
  if (!msgid || !*msgid)
    return msgid;
  pthread_once(&jx_bind_once, jx_bind_domain);
  const char *translation = dgettext(JX_TEXT_DOMAIN, msgid);
  if (translation == msgid)
    return translation;
  pthread_mutex_lock(&jx_tr_lock);
  /* open addressing; a full table only stops remembering */
  for (size_t i = jx_tr_slot(translation), n = 0; n < JX_TR_SLOTS;
       i = (i + 1) % JX_TR_SLOTS, n++) {
    if (jx_tr_seen[i].translation == translation)
      break;
    if (!jx_tr_seen[i].translation) {
      jx_tr_seen[i].translation = translation;
      jx_tr_seen[i].msgid = msgid;
      break;
    }
  }
  pthread_mutex_unlock(&jx_tr_lock);
  return translation;
}

const char *jx_tr_source(const char *text) {
  if (!text)
    return text;
  const char *msgid = text;
  pthread_mutex_lock(&jx_tr_lock);
  for (size_t i = jx_tr_slot(text), n = 0; n < JX_TR_SLOTS;
       i = (i + 1) % JX_TR_SLOTS, n++) {
    if (!jx_tr_seen[i].translation)
      break;
    if (jx_tr_seen[i].translation == text) {
      msgid = jx_tr_seen[i].msgid;
      break;
    }
  }
  pthread_mutex_unlock(&jx_tr_lock);
  return msgid;
}

/* "zh" or "en" for a locale or language name ("zh_CN.UTF-8", "zh",
 * "en_US:zh"), NULL when it names neither (only its first entry counts). */
static const char *jx_language_of(const char *name) {
  if (!name || !*name)
    return NULL;
  if (!strncmp(name, "zh", 2))
    return "zh";
  if (!strncmp(name, "en", 2) || !strcmp(name, "C") || !strcmp(name, "POSIX") ||
      !strncmp(name, "C.", 2))
    return "en";
  return NULL;
}

const char *jx_i18n_choose(const char *forced) {
  const char *lang = jx_language_of(forced);
  if (!lang) {
    /* gettext's own order: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; the
     * first one set decides. */
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES",
                                       "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && !lang; i++) {
      const char *v = getenv(vars[i]);
      if (v && *v)
        lang = jx_language_of(v);
      if (v && *v && !lang && i > 0)
        lang = "en"; /* a locale of another language: the msgids */
    }
  }
  if (!lang)
    lang = "en";
  /* gettext ignores LANGUAGE under the "C" locale, and a machine may lack
   * the zh_CN locale (only C.UTF-8 is always there): the messages need a
   * locale that is not "C", not a Chinese one. */
  const char *loc = setlocale(LC_MESSAGES, "");
  if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
    setlocale(LC_MESSAGES, "C.UTF-8");
  /* The C library's own texts (strerror: "没有那个文件或目录") follow
   * LANGUAGE too, and come out as "???" under an ASCII character set. */
  loc = setlocale(LC_CTYPE, "");
  if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
    setlocale(LC_CTYPE, "C.UTF-8");
  setenv("LANGUAGE", !strcmp(lang, "zh") ? "zh_CN" : "en", 1);
  return lang;
}
