/*
 * cli-check.c — `jxform check` and `jxform new` (not written yet).
 */
#include "cli.h"

int cmd_check(int argc, char **argv) {
  (void)argc, (void)argv;
  return cli_usage_error("'check' is not available yet", NULL);
}

int cmd_new(int argc, char **argv) {
  (void)argc, (void)argv;
  return cli_usage_error("'new' is not available yet", NULL);
}
