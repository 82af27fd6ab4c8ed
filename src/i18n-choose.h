#ifndef JX_I18N_CHOOSE_H
#define JX_I18N_CHOOSE_H
/*
 * i18n-choose.h — the program's choice of message language.
 */

/* Chooses the language of messages for the whole process: `forced`
 * ("zh" or "en", from --lang) when given, else the first of LANGUAGE,
 * LC_ALL, LC_MESSAGES and LANG that is set (a Chinese one gives "zh",
 * anything else "en").  Sets the process's LC_MESSAGES locale and
 * LANGUAGE so that gettext follows.  Returns "zh" or "en".  Call it once,
 * before any message is looked up and before threads start. */
const char *jx_i18n_choose(const char *forced);

#endif
