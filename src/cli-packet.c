/*
 * cli-packet.c — `jxform packet` (not written yet).
 */
#include "cli.h"

int cmd_packet(int argc, char **argv) {
  (void)argc, (void)argv;
  return cli_usage_error("'packet' is not available yet", NULL);
}
