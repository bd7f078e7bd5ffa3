/* output.c - whole-or-nothing outputs, bounded inputs, temporaries removed
 * on signals, checked standard output (see output.h, docs/security.md). */
#define _GNU_SOURCE /* fopencookie, renameat2, syscall */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* ---- temporaries -------------------------------------------------------- */

#define TMP_SLOTS 64

static struct tmp_slot {
    _Atomic int state; /* 0 free, 1 being filled, 2 live */
    pid_t pid;         /* a forked child must not remove its parent's */
    int tree;
    char path[PATH_MAX];
} slots[TMP_SLOTS];

/* Remove name (relative to dirfd) and, if it is a folder, everything in
 * it, without following symbolic links. Only system calls and a buffer on
 * the stack: this runs in a signal handler. */
static void rm_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return;
    if (depth > 16)
        return;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    /* Entries removed while reading may shift the rest: read again until
     * a pass finds nothing (normally the second). */
    for (int pass = 0, found = 1; found && pass < 4; pass++) {
        found = 0;
        lseek(fd, 0, SEEK_SET);
        char buf[4096];
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino, off, reclen, type, name */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char *d = buf + off + 19;
                off += reclen;
                if (d[0] == '.' && (!d[1] || (d[1] == '.' && !d[2])))
                    continue;
                found = 1;
                rm_at(fd, d, depth + 1);
            }
        }
    }
    close(fd);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void cleanup_temps(void)
{
    pid_t me = getpid();
    for (int i = 0; i < TMP_SLOTS; i++) {
        if (atomic_load(&slots[i].state) != 2 || slots[i].pid != me)
            continue;
        if (slots[i].tree)
            rm_at(AT_FDCWD, slots[i].path, 0);
        else
            unlink(slots[i].path);
    }
}

/* Tools run in process groups of their own (run_cmd_in): a signal to
 * ternforge alone (kill, a batch system) would otherwise leave make and
 * g++ running, writing into folders being removed. */
#define CHILD_SLOTS 16
static struct {
    _Atomic pid_t pgid;
    pid_t owner;
} children[CHILD_SLOTS];

int child_register(pid_t pgid)
{
    for (int i = 0; i < CHILD_SLOTS; i++) {
        pid_t expect = 0;
        if (atomic_compare_exchange_strong(&children[i].pgid, &expect, pgid)) {
            children[i].owner = getpid();
            return i;
        }
    }
    return -1;
}

void child_forget(int slot)
{
    if (slot >= 0 && slot < CHILD_SLOTS)
        atomic_store(&children[slot].pgid, 0);
}

/* Signal every tool this process started, with all it started. */
static void signal_children(int sig)
{
    pid_t me = getpid();
    for (int i = 0; i < CHILD_SLOTS; i++) {
        pid_t g = atomic_load(&children[i].pgid);
        if (g > 0 && children[i].owner == me)
            kill(-g, sig);
    }
}

/* 1 once no process of any of this process's tool groups is left (at
 * most `ms` milliseconds of waiting). Reaps the tools themselves. */
static int children_gone(int ms)
{
    pid_t me = getpid();
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    for (int k = 0; k <= ms / 10; k++) {
        int left = 0;
        for (int i = 0; i < CHILD_SLOTS; i++) {
            pid_t g = atomic_load(&children[i].pgid);
            if (g <= 0 || children[i].owner != me)
                continue;
            waitpid(g, NULL, WNOHANG);
            left |= kill(-g, 0) == 0;
        }
        if (!left)
            return 1;
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* Stop every tool before the temporaries are removed, so nothing writes
 * into them afterwards: SIGTERM first (g++ and make then delete their own
 * temporary files), SIGKILL after half a second. Async-signal-safe. */
static void kill_children(void)
{
    signal_children(SIGTERM);
    signal_children(SIGCONT);
    if (!children_gone(500)) {
        signal_children(SIGKILL);
        children_gone(2000);
    }
}

static void on_signal(int sig)
{
    kill_children();
    cleanup_temps();
    /* SA_RESETHAND restored the default action; the signal is blocked in
     * here, so it is delivered (and kills us) when the handler returns. */
    raise(sig);
}

static void install_handlers(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* nohup, or a background job: leave it ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
    atexit(cleanup_temps);
}

int tmp_register(const char *path, int tree)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_handlers);
    if (strlen(path) >= PATH_MAX)
        return -1;
    for (int i = 0; i < TMP_SLOTS; i++) {
        int expect = 0;
        if (!atomic_compare_exchange_strong(&slots[i].state, &expect, 1))
            continue;
        strcpy(slots[i].path, path);
        slots[i].pid = getpid();
        slots[i].tree = tree;
        atomic_store(&slots[i].state, 2);
        return i;
    }
    return -1;
}

void tmp_forget(int slot)
{
    if (slot >= 0 && slot < TMP_SLOTS)
        atomic_store(&slots[slot].state, 0);
}

/* ---- single files ------------------------------------------------------- */

/* The mode a new file gets from open(..., 0666): the umask read from /proc
 * (umask() would change the mask for a moment under other threads). */
static mode_t umask_value = 022;

static void read_umask(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    unsigned int m;
    while (fp && fgets(line, sizeof line, fp))
        if (sscanf(line, "Umask: %o", &m) == 1)
            umask_value = (mode_t)m;
    if (fp)
        fclose(fp);
}

static mode_t new_mode(mode_t want)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_umask);
    return want & ~umask_value;
}

/* Messages about files in a folder being built name the folder it will
 * become: "out/tf_top.v", not "./.out.tmp-Ab12Cd/tf_top.v". */
static struct {
    pthread_mutex_t lock;
    const struct outdir *od[8];
} building = { PTHREAD_MUTEX_INITIALIZER, { 0 } };

static void building_set(const struct outdir *od, int on)
{
    pthread_mutex_lock(&building.lock);
    for (int i = 0; i < 8; i++)
        if (on ? !building.od[i] : building.od[i] == od) {
            building.od[i] = on ? od : NULL;
            break;
        }
    pthread_mutex_unlock(&building.lock);
}

/* The path to show for path (a fresh string). */
static char *shown(const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    pthread_mutex_lock(&building.lock);
    for (int i = 0; i < 8 && !sb.buf; i++) {
        const struct outdir *od = building.od[i];
        size_t n = od && od->tmp ? strlen(od->tmp) : 0;
        if (n && !strncmp(path, od->tmp, n) && path[n] == '/')
            sb_addf(&sb, "%s%s", od->path, path + n);
    }
    pthread_mutex_unlock(&building.lock);
    if (!sb.buf)
        sb_adds(&sb, path);
    return sb_detach(&sb);
}

static const char *file_type(mode_t m)
{
    return S_ISREG(m)    ? "a regular file"
           : S_ISLNK(m)  ? "a symbolic link"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
           : S_ISDIR(m)  ? "a folder"
                         : "not a regular file";
}

/* The regular files this process has opened to read (input_note): an
 * output never replaces one, so `-o` or `--junit` naming the parameter
 * file, a matrix or a technology file is refused instead of destroying
 * it (docs/security.md). (A command reads a handful of files; merge reads
 * three a shard.) */
struct input_id {
    dev_t dev;
    ino_t ino;
};
static struct input_id *inputs_seen;
static int n_inputs, cap_inputs;

void input_note(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    if (n_inputs == cap_inputs) {
        cap_inputs = cap_inputs ? 2 * cap_inputs : 16;
        inputs_seen = xrealloc(inputs_seen, (size_t)cap_inputs * sizeof *inputs_seen);
    }
    inputs_seen[n_inputs].dev = st.st_dev;
    inputs_seen[n_inputs].ino = st.st_ino;
    n_inputs++;
}

/* The index of the input st is, or -1. */
static int input_index(const struct stat *st)
{
    for (int i = 0; i < n_inputs; i++)
        if (inputs_seen[i].dev == st->st_dev && inputs_seen[i].ino == st->st_ino)
            return i;
    return -1;
}

static int is_input(const struct stat *st)
{
    return input_index(st) >= 0;
}

void input_allow_write(const char *path)
{
    struct stat st;
    for (int i; stat(path, &st) == 0 && (i = input_index(&st)) >= 0;)
        inputs_seen[i] = inputs_seen[--n_inputs];
}

int check_output_file(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : error("%s: error: cannot write: %s", path, strerror(errno));
    if (S_ISREG(st.st_mode) && is_input(&st))
        return error("%s: error: is an input of this command; refusing to write over it "
                     "(choose another output; docs/security.md)", path);
    if (S_ISREG(st.st_mode))
        return 0;
    return error("%s: error: exists and is %s; refusing to replace it (ternforge writes "
                 "regular files only, see docs/security.md)", path, file_type(st.st_mode));
}

int check_work_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : error("%s: error: cannot use as a work folder: %s", path,
                                           strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return error("%s: error: --work: exists and is %s, not a folder", path,
                     file_type(st.st_mode));
    return 0;
}

/* Writes of an atomic file go through this sink, which keeps the first
 * errno: stdio forgets it once a failed buffer flush has passed. */
struct af_sink {
    int fd, err;
};

static ssize_t sink_write(void *c, const char *buf, size_t n)
{
    struct af_sink *s = c;
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(s->fd, buf + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (!s->err)
                s->err = k < 0 ? errno : EIO;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)k;
    }
    return (ssize_t)done;
}

static int sink_close(void *c)
{
    struct af_sink *s = c;
    int rc = 0;
    if (s->fd > 2 && close(s->fd) != 0) {
        if (!s->err)
            s->err = errno;
        rc = -1;
    }
    return rc;
}

static FILE *sink_open(struct af_sink *s)
{
    cookie_io_functions_t io = { NULL, sink_write, NULL, sink_close };
    FILE *fp = fopencookie(s, "w", io);
    if (!fp)
        die("%s: error: out of memory", tf_progname);
    return fp;
}

int af_open(struct atomic_file *af, const char *path)
{
    memset(af, 0, sizeof *af);
    af->slot = -1;
    if (!strcmp(path, "-")) {
        af->path = xstrdup("-");
        af->fp = stdout;
        return 0;
    }
    if (check_output_file(path))
        return -1;
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s.tmp-XXXXXX", path);
    int fd = mkostemp(sb.buf, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        char *p = shown(path);
        sb_release(&sb);
        error("%s: error: cannot write: %s", p, strerror(e));
        free(p);
        return -1;
    }
    af->tmp = sb_detach(&sb);
    af->slot = tmp_register(af->tmp, 0);
    af->path = xstrdup(path);
    fchmod(fd, new_mode(0666));
    struct af_sink *s = xcalloc(1, sizeof *s);
    s->fd = fd;
    af->fp = sink_open(s);
    af->sink = s;
    return 0;
}

static void af_release(struct atomic_file *af)
{
    tmp_forget(af->slot);
    free(af->path);
    free(af->tmp);
    free(af->sink);
    memset(af, 0, sizeof *af);
    af->slot = -1;
}

int af_commit(struct atomic_file *af)
{
    int rc = 0;
    if (af->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = error("%s: error: standard output: write failed: %s", tf_progname,
                       strerror(errno ? errno : EIO));
        af_release(af);
        return rc;
    }
    int bad = fflush(af->fp) != 0 || ferror(af->fp);
    bad |= fclose(af->fp) != 0;
    af->fp = NULL;
    char *p = shown(af->path);
    if (bad || af->sink->err) {
        int e = af->sink->err ? af->sink->err : EIO;
        unlink(af->tmp);
        rc = error("%s: error: write failed: %s", p, strerror(e));
    } else if (check_output_file(af->path)) {
        /* something not a regular file appeared meanwhile */
        unlink(af->tmp);
        rc = -1;
    } else if (rename(af->tmp, af->path) != 0) {
        int e = errno;
        unlink(af->tmp);
        rc = error("%s: error: cannot rename into place: %s", p, strerror(e));
    }
    free(p);
    af_release(af);
    return rc;
}

void af_abort(struct atomic_file *af)
{
    if (af->fp && af->fp != stdout)
        fclose(af->fp);
    if (af->tmp)
        unlink(af->tmp);
    af_release(af);
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
    struct atomic_file af;
    if (af_open(&af, path))
        return -1;
    if (len)
        fwrite(data, 1, len, af.fp);
    return af_commit(&af);
}

/* ---- inputs ------------------------------------------------------------- */

size_t input_limit(void)
{
    const char *e = getenv("TERNFORGE_MAX_INPUT_BYTES");
    if (e && *e) {
        char *end;
        unsigned long long v = strtoull(e, &end, 10);
        if (!*end && v > 0 && v < SIZE_MAX / 2)
            return (size_t)v;
    }
    return (size_t)1 << 20;
}

size_t input_limit_at_least(size_t floor)
{
    size_t env = input_limit();
    return env > floor ? env : floor;
}

int check_input_path(const char *path, struct stat *st)
{
    /* Before opening: opening a device can have effects (a tape rewinds,
     * a terminal waits). */
    if (stat(path, st) != 0)
        return error("%s: error: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))
        return error("%s: error: is %s, not a file to read", path, file_type(st->st_mode));
    return 0;
}

int open_input(const char *path)
{
    struct stat st;
    if (check_input_path(path, &st))
        return -1;
    /* O_NONBLOCK: a FIFO without a writer reads as empty instead of
     * blocking the open forever; then reads block as usual */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return error("%s: error: cannot open: %s", path, strerror(errno));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

char *read_input(const char *path, size_t *len)
{
    return read_input_max(path, len, input_limit());
}

char *read_input_max(const char *path, size_t *len, size_t max)
{
    struct stat st;
    if (check_input_path(path, &st))
        return NULL;
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
        return error("%s: error: file of %jd bytes is larger than the limit of %zu "
                     "(TERNFORGE_MAX_INPUT_BYTES, docs/security.md)", path,
                     (intmax_t)st.st_size, max), NULL;
    /* O_NONBLOCK: a FIFO without a writer reads as empty instead of
     * blocking the open forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return error("%s: error: cannot open: %s", path, strerror(errno)), NULL;
    if (fstat(fd, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
        close(fd);
        return error("%s: error: changed while being opened", path), NULL;
    }
    input_note(fd);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    int e = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            break;
        }
        if (n == 0)
            break;
        sb_add(&sb, buf, (size_t)n);
        if (sb.len > max)
            break;
    }
    close(fd);
    if (e) {
        sb_release(&sb);
        return error("%s: error: read failed: %s", path, strerror(e)), NULL;
    }
    if (sb.len > max) {
        sb_release(&sb);
        return error("%s: error: larger than the limit of %zu bytes "
                     "(TERNFORGE_MAX_INPUT_BYTES, docs/security.md)", path, max), NULL;
    }
    const char *nul = sb.len ? memchr(sb.buf, 0, sb.len) : NULL;
    if (nul) {
        int line = 1;
        for (const char *c = sb.buf; c < nul; c++)
            line += *c == '\n';
        sb_release(&sb);
        return error("%s:%d: error: NUL byte: ternforge reads text files (UTF-8)", path, line),
               NULL;
    }
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

/* ---- output folders ------------------------------------------------------ */

int od_gen_file(const char *name)
{
    /* The integration files (sim/integ.c) beside the tf_* Verilog. */
    static const char *const files[] = { "files.f", "files_env.f", "manifest.json",
                                         "synth.ys", "params.xml", "tf.sdc", "tf.core",
                                         "memories.json", NULL };
    for (int i = 0; files[i]; i++)
        if (!strcmp(name, files[i]))
            return 1;
    return !strncmp(name, "tf_", 3);
}

int od_prefix_file(const char *name, const char *prefix)
{
    /* <prefix>_* (Verilog, <prefix>_params.h, <prefix>_inst.vh) and the
     * two integration files named by the prefix alone. */
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n))
        return 0;
    return name[n] == '_' || !strcmp(name + n, ".sdc") || !strcmp(name + n, ".core");
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && !strcmp(s + n - m, suf);
}

int od_sweep_file(const char *name)
{
    /* pareto/ and the front points' parameter files in it: pareto/<index>.xml */
    if (!strncmp(name, "pareto/", 7)) {
        const char *n = name + 7;
        size_t digits = strspn(n, "0123456789");
        return !*n || (digits && !strcmp(n + digits, ".xml"));
    }
    static const char *const files[] = { "points.csv", "pareto.csv", "pareto.json",
                                         "report.md", "sweep.xml", "partial.txt", NULL };
    for (int i = 0; files[i]; i++)
        if (!strcmp(name, files[i]))
            return 1;
    return has_suffix(name, ".svg") || has_suffix(name, ".png");
}

/* A temporary an interrupted earlier run left: NAME.tmp-XXXXXX (this
 * version) or NAME.tmp.PID (earlier ones). */
static int leftover_tmp(const char *name)
{
    const char *t = strstr(name, ".tmp");
    if (!t || t == name)
        return 0;
    while (strstr(t + 1, ".tmp"))
        t = strstr(t + 1, ".tmp");
    if (t[4] == '-')
        return strlen(t + 5) == 6;
    if (t[4] == '.' && t[5])
        return strspn(t + 5, "0123456789") == strlen(t + 5);
    return 0;
}

/* A subfolder of ours (sweep's pareto/): ours("NAME/") says so, and it
 * holds only regular files with ours("NAME/FILE") (or leftovers). */
static int sub_ours(const struct outdir *od, int dirfd, const char *name)
{
    char key[NAME_MAX + 2];
    snprintf(key, sizeof key, "%s/", name);
    if (!od->ours(key))
        return 0;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    if (!d) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int ok = 1;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        struct stat es;
        char path[2 * NAME_MAX + 2];
        snprintf(path, sizeof path, "%s/%s", name, n);
        ok = fstatat(dirfd, path, &es, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(es.st_mode) &&
             !is_input(&es) && (od->ours(path) || leftover_tmp(n));
    }
    closedir(d);
    return ok;
}

/* 0: od->path is absent, or a folder of ours that may be replaced. */
static int check_folder(const struct outdir *od)
{
    struct stat st;
    if (lstat(od->path, &st) != 0)
        return errno == ENOENT ? 0
                               : error("%s: error: cannot write: %s", od->path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return error("%s: error: exists and is %s, not a folder; refusing to replace it",
                     od->path, file_type(st.st_mode));
    DIR *d = opendir(od->path);
    if (!d)
        return error("%s: error: cannot read the folder: %s", od->path, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        struct stat es;
        int st_ok = fstatat(dirfd(d), n, &es, AT_SYMLINK_NOFOLLOW) == 0;
        int file = st_ok && S_ISREG(es.st_mode);
        if (st_ok && S_ISDIR(es.st_mode) && sub_ours(od, dirfd(d), n))
            continue;
        if (file && is_input(&es))
            rc = error("%s: error: the folder holds '%s', an input of this command; refusing "
                       "to replace it (choose another folder; docs/security.md)", od->path, tq(n));
        else if (!(file && (od->ours(n) || leftover_tmp(n))))
            rc = error("%s: error: the folder holds '%s', which this command does not write; "
                       "refusing to replace it (remove it, or choose another folder; "
                       "docs/security.md)", od->path, tq(n));
    }
    closedir(d);
    return rc;
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    char *p = xstrdup(path);
    p[slash - path] = '\0';
    return p;
}

/* Create the missing folders of `dir` (like mkdir -p), remembering them. */
static int make_parents(struct outdir *od, const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) == 0) {
            od->made = xrealloc(od->made, sizeof *od->made * (size_t)(od->nmade + 1));
            od->made[od->nmade++] = xstrdup(p);
        } else if (errno != EEXIST) {
            rc = error("%s: error: cannot create folder: %s", p, strerror(errno));
            break;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return rc;
}

int od_begin(struct outdir *od, const char *path, int (*ours)(const char *name))
{
    memset(od, 0, sizeof *od);
    od->slot = -1;
    od->ours = ours;
    if (!*path || !strcmp(path, "-"))
        return error("%s: error: '%s': this command writes a folder; name it with -o DIR",
                     tf_progname, path);
    od->path = xstrdup(path);
    size_t n = strlen(od->path);
    while (n > 1 && od->path[n - 1] == '/')
        od->path[--n] = '\0';
    const char *base = strrchr(od->path, '/');
    base = base ? base + 1 : od->path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
        return error("%s: error: name the output folder itself (not '.', '..' or '/')",
                     path);
    if (check_folder(od))
        return -1;
    char *parent = parent_of(od->path);
    int rc = strcmp(parent, ".") && strcmp(parent, "/") ? make_parents(od, parent) : 0;
    if (!rc) {
        struct strbuf t = STRBUF_INIT;
        sb_addf(&t, "%s/.%s.tmp-XXXXXX", parent, base);
        if (!mkdtemp(t.buf)) {
            rc = error("%s: error: cannot create a folder beside it: %s", od->path,
                       strerror(errno));
            sb_release(&t);
        } else {
            od->tmp = sb_detach(&t);
            od->slot = tmp_register(od->tmp, 1);
            building_set(od, 1);
            chmod(od->tmp, new_mode(0777)); /* mkdtemp makes it 0700 */
        }
    }
    free(parent);
    return rc;
}

/* The folder part of path resolved (realpath) and its last name: a
 * canonical name for a file that may not exist yet. NULL if the folder
 * cannot be resolved. */
static char *canonical_target(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct strbuf d = STRBUF_INIT;
    if (slash)
        sb_add(&d, path, (size_t)(slash - path) + (slash == path)); /* "/x": "/" */
    else
        sb_adds(&d, ".");
    char *real = realpath(d.buf, NULL);
    sb_release(&d);
    if (!real)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/%s", real, slash ? slash + 1 : path);
    free(real);
    return sb_detach(&sb);
}

int same_output(const char *a, const char *b)
{
    if (!strcmp(a, b) || same_inode(a, b))
        return 1;
    char *x = canonical_target(a), *y = canonical_target(b);
    int same = x && y && !strcmp(x, y);
    free(x);
    free(y);
    return same;
}

int same_inode(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int od_commit(struct outdir *od)
{
    char *parent = parent_of(od->path);
    /* Two runs into one folder publish one after the other, each whole. */
    int lock = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock >= 0)
        while (flock(lock, LOCK_EX) != 0 && errno == EINTR)
            ;
    int rc = check_folder(od);
    struct stat st;
    if (!rc && lstat(od->path, &st) != 0) {
        if (rename(od->tmp, od->path) != 0)
            rc = error("%s: error: cannot move the new folder into place: %s", od->path,
                       strerror(errno));
    } else if (!rc) {
        /* One step: the old folder and the new one trade places. */
        /* TERNFORGE_TEST_NO_EXCHANGE: tests take the fallback on any file system */
        if (getenv("TERNFORGE_TEST_NO_EXCHANGE") ||
            renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->path, RENAME_EXCHANGE) != 0) {
            /* File systems without RENAME_EXCHANGE: two renames. */
            struct strbuf old = STRBUF_INIT;
            sb_addf(&old, "%s.old-XXXXXX", od->tmp);
            if (!mkdtemp(old.buf) || rename(od->path, old.buf) != 0) {
                rc = error("%s: error: cannot replace the folder: %s", od->path,
                           strerror(errno));
                rmdir(old.buf);
            } else if (rename(od->tmp, od->path) != 0) {
                rc = error("%s: error: cannot replace the folder: %s", od->path,
                           strerror(errno));
                rename(old.buf, od->path);
            } else {
                rename(old.buf, od->tmp); /* the old folder, removed below */
            }
            sb_release(&old);
        }
    }
    if (!rc) {
        building_set(od, 0);
        /* od->tmp now names the old folder, or nothing */
        rm_at(AT_FDCWD, od->tmp, 0);
        tmp_forget(od->slot);
        od->slot = -1;
        free(od->tmp);
        od->tmp = NULL;
    }
    if (lock >= 0)
        close(lock);
    free(parent);
    return rc;
}

void od_abort(struct outdir *od)
{
    if (!od->path) /* od_begin never ran, or failed first thing */
        return;
    building_set(od, 0);
    if (od->tmp)
        rm_at(AT_FDCWD, od->tmp, 0);
    tmp_forget(od->slot);
    for (int i = od->nmade - 1; i >= 0; i--) {
        rmdir(od->made[i]); /* only if still empty */
        free(od->made[i]);
    }
    free(od->made);
    free(od->tmp);
    free(od->path);
    memset(od, 0, sizeof *od);
    od->slot = -1;
}

/* ---- standard output ----------------------------------------------------- */

static struct af_sink out_sink = { 1, 0 };

static void close_stdout(void)
{
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = out_sink.err ? out_sink.err : errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = out_sink.err ? out_sink.err : errno;
    }
    if (bad) {
        fprintf(stderr, "%s: error: standard output: %s\n", tf_progname,
                strerror(e ? e : EIO));
        cleanup_temps();
        _exit(1);
    }
}

void close_stdout_at_exit(void)
{
    /* stdout through a sink that keeps the first errno (glibc allows
     * assigning stdout); buffered as before: by line on a terminal. */
    fflush(stdout);
    FILE *fp = sink_open(&out_sink);
    setvbuf(fp, NULL, isatty(1) ? _IOLBF : _IOFBF, BUFSIZ);
    stdout = fp;
    atexit(close_stdout);
}
