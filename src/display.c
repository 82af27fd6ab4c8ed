/* display.c — placeholder, being written. */
typedef int jx_placeholder_display;
