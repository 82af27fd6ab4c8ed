/*
 * outfile.c — atomic output (outfile.h): both PDF writers, `import` and
 * the workbook writer write through it.
 */
#include "outfile.h"
#include "i18n.h"
#include "pdfbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(O_TMPFILE) && defined(__linux__) &&                               \
    (defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) ||       \
     defined(__arm__) || defined(__riscv))
/* glibc defines it only under _GNU_SOURCE; the value of these ABIs. */
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif
/* Creates the file the PDF is written to, in out->path's folder.  Where
 * the system allows it (Linux, local file systems) the file is anonymous
 * (O_TMPFILE): it has no name until jx_out_commit links it in, so a run
 * killed half-way (kill -9, power cut) leaves nothing behind.  Otherwise
 * it is a hidden mkstemp file named by tmp_path.  Returns the descriptor,
 * or -1 with errno set. */
static int open_temp(jx_out *out) {
#ifdef O_TMPFILE
  /* Naming the file later goes through /proc/self/fd. */
  if (access("/proc/self/fd", X_OK) == 0) {
    int fd = open(out->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) {
      out->anonymous = true;
      return fd;
    }
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      return -1; /* the folder itself is the problem */
  }
#endif
  int fd = mkstemp(out->tmp_path);
  out->named = fd >= 0;
  return fd;
}

/* Creates out->tmp_path's file (open_temp); on failure records why at
 * `pos`, frees `out` and returns false. */
static bool open_temp_or_report(jx_out *out, jx_pos pos, jx_diag_list *diags) {
  out->fd = open_temp(out);
  if (out->fd >= 0)
    return true;
  int err = errno;
  jx_error(diags, pos,
           "cannot write the PDF: cannot create a file in folder %s: %s",
           out->dir, strerror(err));
  jx_out_free(out);
  return false;
}

/* Gives the anonymous file out->fd a unique hidden name beside out->path
 * (tmp_path, whose last six characters are replaced).  Returns false with
 * errno set. */
static bool link_temp(jx_out *out) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", out->fd);
  size_t len = strlen(out->tmp_path);
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t seed = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL) ^
                  (uint64_t)(uintptr_t)out;
  for (int attempt = 0; attempt < 100; attempt++) {
    for (size_t i = len - 6; i < len; i++) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      out->tmp_path[i] = digits[(seed >> 33) % 36];
    }
    if (linkat(AT_FDCWD, proc, AT_FDCWD, out->tmp_path, AT_SYMLINK_FOLLOW) ==
        0) {
      out->named = true;
      return true;
    }
    if (errno != EEXIST)
      return false;
  }
  return false;
}

bool jx_out_open(jx_out *out, const char *path, jx_diag_list *diags) {
  memset(out, 0, sizeof *out);
  out->fd = -1;
  out->path = jx_xstrdup(path);
  jx_pos pos = {out->path, 0, 0};
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (!*path) {
    jx_error(diags, pos, "cannot write the PDF: the output path is empty");
    jx_out_free(out);
    return false;
  }
  if (!*base) {
    jx_error(diags, pos,
             "cannot write the PDF: the output path names a folder, not a "
             "file");
    jx_out_free(out);
    return false;
  }
  /* Renaming over a device, pipe or folder would replace it (as root,
   * -o /dev/null would leave a PDF in /dev): only a regular file, or no
   * file, may be at path. */
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      jx_error(diags, pos,
               "cannot write the PDF: %s is a folder, not a regular file; "
               "choose a file name",
               path);
    else
      jx_error(diags, pos,
               "cannot write the PDF: %s is a device or pipe, not a regular "
               "file; choose a file name",
               path);
    jx_out_free(out);
    return false;
  }
  /* The folder of path: "." without a slash, "/" for "/name". */
  jx_buf dir = {0}, tmp = {0};
  if (!slash)
    buf_puts(&dir, ".");
  else if (slash == path)
    buf_puts(&dir, "/");
  else
    buf_put(&dir, path, (size_t)(slash - path));
  buf_printf(&tmp, "%s/.%s.XXXXXX", dir.data, base);
  out->dir = dir.data;
  out->tmp_path = tmp.data;
  return open_temp_or_report(out, pos, diags);
}

bool jx_out_open_unique(jx_out *out, const char *dir, const char *where,
                        jx_diag_list *diags) {
  memset(out, 0, sizeof *out);
  out->fd = -1;
  out->keep = true;
  out->path = jx_xstrdup(where);
  out->dir = jx_xstrdup(*dir ? dir : ".");
  jx_buf tmp = {0};
  size_t n = strlen(out->dir);
  buf_printf(&tmp, "%s%s.jxform-part.XXXXXX", out->dir,
             out->dir[n - 1] == '/' ? "" : "/");
  out->tmp_path = tmp.data;
  return open_temp_or_report(out, (jx_pos){out->path, 0, 0}, diags);
}

/* The mode open(…, 0666) would give, read once (reading the umask means
 * setting it, which is not safe while other threads create files). */
static mode_t file_mode;
static pthread_once_t file_mode_once = PTHREAD_ONCE_INIT;
static void read_umask(void) {
  mode_t mask = umask(0);
  umask(mask);
  file_mode = 0666 & ~mask;
}

/* What jx_out_commit was doing to the temporary file when it failed. */
typedef enum {
  TEMP_WRITE,
  TEMP_FLUSH,
  TEMP_CHMOD,
  TEMP_NAME,
  TEMP_CLOSE
} temp_step;

/* Records that `step` failed on temporary file `tmp` with errno `err`
 * (one whole sentence per step, for the translations). */
static void report_temp_failure(jx_diag_list *diags, jx_pos pos, temp_step step,
                                const char *tmp, int err) {
  const char *why = strerror(err);
  switch (step) {
  case TEMP_WRITE:
    jx_error(diags, pos,
             "cannot write the PDF: cannot write temporary file %s: %s", tmp,
             why);
    break;
  case TEMP_FLUSH:
    jx_error(diags, pos,
             "cannot write the PDF: cannot flush temporary file %s: %s", tmp,
             why);
    break;
  case TEMP_CHMOD:
    jx_error(diags, pos,
             "cannot write the PDF: cannot set permissions of temporary file "
             "%s: %s",
             tmp, why);
    break;
  case TEMP_NAME:
    jx_error(diags, pos,
             "cannot write the PDF: cannot name temporary file %s: %s", tmp,
             why);
    break;
  case TEMP_CLOSE:
    jx_error(diags, pos,
             "cannot write the PDF: cannot close temporary file %s: %s", tmp,
             why);
    break;
  }
}

bool jx_out_commit(jx_out *out, FILE *f, int write_errno, jx_diag_list *diags) {
  jx_pos pos = {out->path, 0, 0};
  int err = write_errno;
  temp_step failed = TEMP_WRITE;
  if (!err && fsync(out->fd) != 0)
    err = errno, failed = TEMP_FLUSH;
  if (!err) {
    /* mkstemp and O_TMPFILE made it 0600; give it the mode open(…, 0666)
     * would have. */
    pthread_once(&file_mode_once, read_umask);
    if (fchmod(out->fd, file_mode) != 0)
      err = errno, failed = TEMP_CHMOD;
  }
  if (!err && out->anonymous && !link_temp(out))
    err = errno, failed = TEMP_NAME;
  if ((f ? fclose(f) : close(out->fd)) != 0 && !err)
    err = errno, failed = TEMP_CLOSE;
  out->fd = -1;
  if (!err && out->keep)
    return true; /* the caller renames it (jx_out_open_unique) */
  if (!err && rename(out->tmp_path, out->path) != 0) {
    err = errno;
    jx_error(diags, pos,
             "cannot write the PDF: cannot rename temporary file %s to %s: %s",
             out->tmp_path, out->path, strerror(err));
    if (out->named)
      unlink(out->tmp_path);
    return false;
  }
  if (err) {
    report_temp_failure(diags, pos, failed, out->tmp_path, err);
    if (out->named)
      unlink(out->tmp_path);
    return false;
  }
  /* Make the rename durable; failure here loses nothing written. */
  int dfd = open(out->dir, O_RDONLY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

void jx_out_abort(jx_out *out, FILE *f) {
  if (f)
    fclose(f);
  else if (out->fd >= 0)
    close(out->fd);
  out->fd = -1;
  if (out->tmp_path && out->named)
    unlink(out->tmp_path);
}

void jx_out_free(jx_out *out) {
  free(out->path);
  free(out->tmp_path);
  free(out->dir);
  out->path = out->tmp_path = out->dir = NULL;
}
