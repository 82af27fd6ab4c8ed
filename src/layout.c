/* layout.c — placeholder, being written. */
typedef int jx_placeholder_layout;
