/*
 * floor.c — the library work of a packet, replayed alone (issue 12).
 *
 * Not part of the CMake build: bench/floor.sh compiles it with cc and
 * pkg-config and runs it on the same inputs as `jxform packet`.
 *
 *   floor FONT FACE LEVEL STREAMS FILE.yaml...   replay, print CPU seconds
 *   floor --run CMD ARGS...                      run CMD, print its CPU seconds
 *
 * The replay does only what no packet renderer can avoid:
 *   1. read each project file and parse it with libyaml (events only, no
 *      tree), keeping every scalar that is a value (not a key);
 *   2. find the line-break opportunities of every such value with
 *      libunibreak (set_linebreaks_utf8, language "zh"), repeats included;
 *   3. shape each distinct value once with HarfBuzz (hb_shape on face FACE
 *      of FONT, LTR, language "zh", script guessed), as a cache keyed by
 *      the string would;
 *   4. deflate (libdeflate, zlib format, level LEVEL) the packet's page
 *      content streams, read from STREAMS (u32 little-endian length, then
 *      the bytes, per stream; bench/floor.sh extracts them, inflated, from
 *      the PDF jxform wrote).
 * Loading the font and the STREAMS file is set-up and not counted.  The
 * rest is counted with getrusage(RUSAGE_SELF), user + system, per phase
 * (the phases run one after another, so each is timed alone).
 * The output is one line of key=value pairs.
 *
 * --run runs CMD (fork/exec, wait4) and prints its user + system CPU
 * seconds, wall seconds and peak RSS from the rusage wait4 returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <hb.h>
#include <libdeflate.h>
#include <linebreak.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

static void die(const char *what) {
  fprintf(stderr, "floor: %s%s%s\n", what, errno ? ": " : "",
          errno ? strerror(errno) : "");
  exit(1);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    die("out of memory");
  return p;
}

static double cpu_now(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- a set of strings (open addressing, FNV-1a) ---- */

typedef struct {
  char **keys;
  size_t *lens;
  size_t cap, count;
} strset;

static uint64_t fnv(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static void set_grow(strset *s);

/* Adds s[0..n) if absent: returns the set's copy if it was new, else NULL. */
static const char *set_add(strset *s, const char *str, size_t n) {
  if (2 * (s->count + 1) > s->cap)
    set_grow(s);
  size_t i = fnv(str, n) & (s->cap - 1);
  while (s->keys[i]) {
    if (s->lens[i] == n && memcmp(s->keys[i], str, n) == 0)
      return NULL;
    i = (i + 1) & (s->cap - 1);
  }
  s->keys[i] = xmalloc(n + 1);
  memcpy(s->keys[i], str, n);
  s->keys[i][n] = 0;
  s->lens[i] = n;
  s->count++;
  return s->keys[i];
}

static void set_grow(strset *s) {
  strset t = {0};
  t.cap = s->cap ? 2 * s->cap : 1024;
  t.keys = calloc(t.cap, sizeof *t.keys);
  t.lens = calloc(t.cap, sizeof *t.lens);
  if (!t.keys || !t.lens)
    die("out of memory");
  for (size_t i = 0; i < s->cap; i++)
    if (s->keys[i]) {
      size_t j = fnv(s->keys[i], s->lens[i]) & (t.cap - 1);
      while (t.keys[j])
        j = (j + 1) & (t.cap - 1);
      t.keys[j] = s->keys[i];
      t.lens[j] = s->lens[i];
      t.count++;
    }
  free(s->keys);
  free(s->lens);
  *s = t;
}

/* ---- the replay ---- */

typedef struct {
  strset seen;      /* distinct values, shaped once each */
  hb_font_t *font;  /* the body face */
  hb_buffer_t *buf; /* reused */
  char *brks;       /* break opportunities, reused */
  size_t brks_cap;
  size_t values, bytes, shaped, glyphs;
  long advance_sum;  /* keeps the shaping observable */
  long breaks;       /* keeps the breaking observable */
  const char **todo; /* distinct values in order of first sight */
  size_t *todo_len, ntodo, todo_cap;
  char *vals; /* every value, NUL-separated, in order (for breaking) */
  size_t vals_len, vals_cap;
} replay;

/* Keeps a value (parse phase). */
static void do_value(replay *r, const char *s, size_t n) {
  if (n == 0)
    return;
  r->values++;
  r->bytes += n;
  if (r->vals_len + n + 1 > r->vals_cap) {
    r->vals_cap = 2 * (r->vals_len + n + 1) + (1 << 20);
    r->vals = realloc(r->vals, r->vals_cap);
    if (!r->vals)
      die("out of memory");
  }
  memcpy(r->vals + r->vals_len, s, n);
  r->vals[r->vals_len + n] = 0;
  r->vals_len += n + 1;
}

/* Breaks one value, and keeps it for shaping if it is new (break phase). */
static void break_value(replay *r, const char *s, size_t n) {
  if (n > r->brks_cap) {
    free(r->brks);
    r->brks_cap = 2 * n;
    r->brks = xmalloc(r->brks_cap);
  }
  set_linebreaks_utf8((const utf8_t *)s, n, "zh", r->brks);
  for (size_t i = 0; i < n; i++)
    r->breaks += r->brks[i] == LINEBREAK_ALLOWBREAK;
  const char *copy = set_add(&r->seen, s, n);
  if (!copy)
    return;
  if (r->ntodo == r->todo_cap) {
    r->todo_cap = r->todo_cap ? 2 * r->todo_cap : 1024;
    r->todo = realloc(r->todo, r->todo_cap * sizeof *r->todo);
    r->todo_len = realloc(r->todo_len, r->todo_cap * sizeof *r->todo_len);
    if (!r->todo || !r->todo_len)
      die("out of memory");
  }
  r->todo[r->ntodo] = copy;
  r->todo_len[r->ntodo++] = n;
}

/* Shapes one distinct value. */
static void shape(replay *r, const char *s, size_t n) {
  hb_buffer_clear_contents(r->buf);
  hb_buffer_add_utf8(r->buf, s, (int)n, 0, (int)n);
  hb_buffer_set_direction(r->buf, HB_DIRECTION_LTR);
  hb_buffer_set_language(r->buf, hb_language_from_string("zh", -1));
  hb_buffer_guess_segment_properties(r->buf);
  hb_shape(r->font, r->buf, NULL, 0);
  unsigned g;
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(r->buf, &g);
  for (unsigned k = 0; k < g; k++)
    r->advance_sum += pos[k].x_advance;
  r->shaped++;
  r->glyphs += g;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die(path);
  size_t cap = 1 << 14, n = 0;
  char *b = xmalloc(cap);
  size_t k;
  while ((k = fread(b + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap)
      b = realloc(b, cap *= 2);
    if (!b)
      die("out of memory");
  }
  fclose(f);
  *len = n;
  return b;
}

/* Parses one file, event by event; values go to do_value. */
static void do_yaml(replay *r, const char *path) {
  size_t len;
  char *text = read_file(path, &len);
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    die("yaml_parser_initialize");
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  /* per open collection: is it a mapping, and is its next node a key */
  char kind[64], key[64];
  int depth = 0;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e)) {
      fprintf(stderr, "floor: %s: %s\n", path, p.problem ? p.problem : "?");
      exit(1);
    }
    yaml_event_type_t t = e.type;
    int is_node = t == YAML_SCALAR_EVENT || t == YAML_MAPPING_START_EVENT ||
                  t == YAML_SEQUENCE_START_EVENT || t == YAML_ALIAS_EVENT;
    int as_key =
        is_node && depth > 0 && kind[depth - 1] == 'm' && key[depth - 1];
    if (t == YAML_SCALAR_EVENT && !as_key)
      do_value(r, (const char *)e.data.scalar.value, e.data.scalar.length);
    if (is_node && depth > 0 && kind[depth - 1] == 'm')
      key[depth - 1] = !key[depth - 1];
    if ((t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) &&
        depth < 64) {
      kind[depth] = t == YAML_MAPPING_START_EVENT ? 'm' : 's';
      key[depth] = 1;
      depth++;
    }
    if ((t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) &&
        depth > 0)
      depth--;
    yaml_event_delete(&e);
    if (t == YAML_STREAM_END_EVENT)
      break;
  }
  yaml_parser_delete(&p);
  free(text);
}

static int run_cmd(char **argv) {
  double w0 = wall_now();
  pid_t pid = fork();
  if (pid < 0)
    die("fork");
  if (pid == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "floor: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0)
    die("wait4");
  double wall = wall_now() - w0;
  double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  double sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf("cpu=%.4f user=%.4f sys=%.4f wall=%.4f maxrss_kb=%ld status=%d\n",
         user + sys, user, sys, wall, ru.ru_maxrss,
         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--run") == 0)
    return run_cmd(argv + 2);
  if (argc < 6) {
    fputs("usage: floor FONT FACE LEVEL STREAMS FILE.yaml...\n"
          "       floor --run CMD ARGS...\n",
          stderr);
    return 2;
  }
  const char *font_path = argv[1];
  int face_index = atoi(argv[2]), level = atoi(argv[3]);

  /* set-up, not counted: the font, the content streams */
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(font_path);
  if (!blob)
    die(font_path);
  hb_face_t *face = hb_face_create(blob, (unsigned)face_index);
  replay r = {0};
  r.font = hb_font_create(face);
  hb_font_set_scale(r.font, (int)hb_face_get_upem(face),
                    (int)hb_face_get_upem(face));
  r.buf = hb_buffer_create();
  size_t slen;
  char *streams = read_file(argv[4], &slen);
  init_linebreak();

  double w0 = wall_now(), c0 = cpu_now();
  /* 1: parse (keeping the values) */
  for (int i = 5; i < argc; i++)
    do_yaml(&r, argv[i]);
  double c0b = cpu_now();
  /* 2: break every value (and keep each distinct one) */
  for (size_t off = 0; off < r.vals_len;) {
    size_t n = strlen(r.vals + off);
    break_value(&r, r.vals + off, n);
    off += n + 1;
  }
  double c1 = cpu_now();
  /* 3: shape once per distinct value */
  for (size_t i = 0; i < r.ntodo; i++)
    shape(&r, r.todo[i], r.todo_len[i]);
  double c1s = cpu_now();
  /* 4: deflate the content streams */
  struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
  if (!z)
    die("libdeflate_alloc_compressor");
  size_t off = 0, nstreams = 0, raw = 0, packed = 0, outcap = 0;
  unsigned char *out = NULL;
  while (off + 4 <= slen) {
    const unsigned char *h = (const unsigned char *)streams + off;
    size_t n =
        h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16 | (size_t)h[3] << 24;
    off += 4;
    if (off + n > slen)
      die("STREAMS is cut short");
    size_t bound = libdeflate_zlib_compress_bound(z, n);
    if (bound > outcap) {
      free(out);
      out = xmalloc(outcap = 2 * bound);
    }
    size_t k = libdeflate_zlib_compress(z, streams + off, n, out, outcap);
    if (!k)
      die("libdeflate_zlib_compress failed");
    packed += k;
    raw += n;
    nstreams++;
    off += n;
  }
  libdeflate_free_compressor(z);
  double c2 = cpu_now(), w1 = wall_now();
  printf(
      "floor_cpu=%.4f parse=%.4f break=%.4f shape=%.4f deflate=%.4f wall=%.4f "
      "files=%d values=%zu value_bytes=%zu distinct=%zu glyphs=%zu "
      "breaks=%ld streams=%zu stream_bytes=%zu deflated=%zu level=%d "
      "check=%ld\n",
      c2 - c0, c0b - c0, c1 - c0b, c1s - c1, c2 - c1s, w1 - w0, argc - 5,
      r.values, r.bytes, r.shaped, r.glyphs, r.breaks, nstreams, raw, packed,
      level, r.advance_sum);
  return 0;
}
