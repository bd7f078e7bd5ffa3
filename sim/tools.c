/* tools.c - running external tools and the shared cache directory (see
 * tools.h). Tools run through fork/exec, never a shell: file names with
 * spaces or quotes need no escaping. */
#define _GNU_SOURCE /* execvpe */
#include "tools.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

static int exit_code(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int wait_status(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return exit_code(st);
}

/* wait_status, printing "\rWHAT: N s" on stderr every second while the
 * child runs (a terminal's progress line), ended when it ends. */
static int wait_progress(pid_t pid, const char *what)
{
    double t0 = wall_seconds(), shown = 0;
    const struct timespec tick = { 0, 100 * 1000 * 1000 };
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
        nanosleep(&tick, NULL);
        double t = wall_seconds() - t0;
        if (t - shown >= 1) {
            shown = t;
            fprintf(stderr, "\r%s: %.0f s ", what, t);
            fflush(stderr);
        }
    }
    if (shown > 0)
        fprintf(stderr, "\r%s: %.1f s, done\n", what, wall_seconds() - t0);
    return r < 0 ? -1 : exit_code(st);
}

void args_add(struct args *a, const char *s)
{
    if (a->n + 2 > a->alloc) {
        a->alloc = a->alloc ? 2 * a->alloc : 16;
        a->v = xrealloc(a->v, (size_t)a->alloc * sizeof *a->v);
    }
    a->v[a->n++] = xstrdup(s);
    a->v[a->n] = NULL;
}

void args_addf(struct args *a, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    args_add(a, sb.buf);
    sb_release(&sb);
}

void args_free(struct args *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->alloc = 0;
}

/* argv[0] as found in PATH, made absolute: the tool runs after a chdir,
 * where a relative PATH entry ("bin") would find another program than the
 * one `tool -V` found. NULL: not found (execvp says so). */
static char *find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (strchr(name, '/') || !path)
        return NULL;
    for (const char *p = path;; p++) {
        size_t n = strcspn(p, ":");
        struct strbuf f = STRBUF_INIT;
        if (!n || p[0] != '/') {
            char *cwd = getcwd(NULL, 0);
            sb_addf(&f, "%s/", cwd ? cwd : ".");
            free(cwd);
        }
        sb_addf(&f, "%.*s%s%s", (int)n, p, n ? "/" : "", name);
        struct stat st;
        if (stat(f.buf, &st) == 0 && S_ISREG(st.st_mode) && access(f.buf, X_OK) == 0)
            return sb_detach(&f);
        sb_release(&f);
        p += n;
        if (!*p)
            return NULL;
    }
}

/* The environment for a tool: $TMPDIR replaced by /tmp when make or a
 * shell could not take it as it is. Yosys pastes $TMPDIR/yosys-abc-XXXXXX
 * into the command line that starts ABC (a shell): TMPDIR='/t/$(cmd)' ran
 * cmd. */
static char **tool_environ(void)
{
    const char *t = getenv("TMPDIR");
    if (!t || !unsafe_in_script(t, " $#'\"`\\;&|<>(){}*?[]!~"))
        return environ;
    int n = 0;
    while (environ[n])
        n++;
    char **env = xcalloc((size_t)n + 1, sizeof *env);
    for (int i = 0, j = 0; i < n; i++)
        env[j++] = strncmp(environ[i], "TMPDIR=", 7) ? environ[i] : "TMPDIR=/tmp";
    return env;
}

int run_cmd_progress(const char *dir, char *const argv[], const char *log, int verbose,
                     const char *what)
{
    if (verbose) {
        fprintf(stderr, "+");
        if (dir)
            fprintf(stderr, " (cd %s &&", dir);
        for (int i = 0; argv[i]; i++)
            fprintf(stderr, " %s", argv[i]);
        fprintf(stderr, "%s > %s\n", dir ? ")" : "", log);
    }
    char *exe = dir ? find_in_path(argv[0]) : NULL;
    char **env = tool_environ();
    fflush(stdout);
    fflush(stderr);
    /* No signal between fork and child_register: the child would be left. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        free(exe);
        if (env != environ)
            free(env);
        return error("%s: error: fork: %s", tf_progname, strerror(errno));
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        setpgid(0, 0); /* its own group: see child_register */
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0 && in != 0) {
            dup2(in, 0);
            close(in);
        }
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        if (dir && chdir(dir) != 0) {
            fprintf(stderr, "cannot change to %s: %s\n", dir, strerror(errno));
            _exit(127);
        }
        if (exe)
            execve(exe, argv, env);
        execvpe(argv[0], argv, env);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(exe);
    if (env != environ)
        free(env);
    setpgid(pid, pid); /* before a signal could find it in another group */
    int slot = child_register(pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    int st = what ? wait_progress(pid, what) : wait_status(pid);
    child_forget(slot);
    return st;
}

int run_cmd_in(const char *dir, char *const argv[], const char *log, int verbose)
{
    return run_cmd_progress(dir, argv, log, verbose, NULL);
}

int run_cmd(char *const argv[], const char *log, int verbose)
{
    return run_cmd_in(NULL, argv, log, verbose);
}

int unsafe_in_script(const char *s, const char *chars)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || strchr(chars, *s))
            return 1;
    return 0;
}

char *cmd_first_line(char *const argv[])
{
    int fd[2];
    if (pipe(fd) != 0)
        return NULL;
    char **env = tool_environ(); /* `iverilog -V` runs a shell command with $TMPDIR in it */
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        if (env != environ)
            free(env);
        return NULL;
    }
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[1]);
        execvpe(argv[0], argv, env);
        _exit(127);
    }
    close(fd[1]);
    struct strbuf sb = STRBUF_INIT;
    if (env != environ)
        free(env);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            sb_add(&sb, buf, (size_t)n);
    close(fd[0]);
    if (wait_status(pid) != 0 || !sb.len) {
        sb_release(&sb);
        return NULL;
    }
    sb.buf[strcspn(sb.buf, "\r\n")] = '\0';
    return sb_detach(&sb);
}

double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void show_log(const char *log, int lines)
{
    char *t = read_file(log, NULL);
    if (!t)
        return;
    /* print the last `lines` lines */
    size_t n = strlen(t);
    const char *p = t + n;
    int c = 0;
    while (p > t && c <= lines)
        if (*--p == '\n')
            c++;
    fprintf(stderr, "%s\n", p == t ? p : p + 1);
    free(t);
}

char *cache_root(void)
{
    struct strbuf sb = STRBUF_INIT;
    const char *e;
    if ((e = getenv("TERNFORGE_CACHE")) && *e)
        sb_adds(&sb, e);
    else if ((e = getenv("XDG_CACHE_HOME")) && *e)
        sb_addf(&sb, "%s/ternforge", e);
    else if ((e = getenv("HOME")) && *e)
        sb_addf(&sb, "%s/.cache/ternforge", e);
    else
        sb_adds(&sb, "/tmp/ternforge-cache");
    return sb_detach(&sb);
}

int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : error("%s: error: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return error("%s: error: cannot read directory: %s", path, strerror(errno));
        int rc = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            struct strbuf p = STRBUF_INIT;
            sb_addf(&p, "%s/%s", path, e->d_name);
            if (remove_tree(p.buf))
                rc = -1;
            sb_release(&p);
        }
        closedir(d);
        if (!rc && rmdir(path) != 0)
            rc = error("%s: error: cannot remove: %s", path, strerror(errno));
        return rc;
    }
    if (unlink(path) != 0)
        return error("%s: error: cannot remove: %s", path, strerror(errno));
    return 0;
}

int write_in_dir(const char *dir, const char *name, const char *text)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", dir, name);
    int rc = write_file_atomic(p.buf, text, strlen(text));
    sb_release(&p);
    return rc;
}

int copy_fd_to_path(int in, const char *path, enum copy_mode mode)
{
    struct atomic_file af;
    FILE *out;
    if (mode == COPY_REPLACE) {
        if (af_open(&af, path))
            return -1;
        out = af.fp;
    } else {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
            return -1;
        if (!(out = fdopen(fd, "w"))) {
            close(fd);
            return -1;
        }
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            break; /* the write error stays in out, for the close below */
    int e = n < 0 ? errno : 0;
    if (mode == COPY_REPLACE) {
        if (!e)
            return af_commit(&af);
        af_abort(&af);
        return error("%s: error: reading a cache entry: %s", path, strerror(e));
    }
    int bad = ferror(out) || e;
    return fclose(out) != 0 || bad ? -1 : 0;
}

int work_dir_open(struct strbuf *dir, const char *keep, const char *what, int *slot)
{
    *slot = -1;
    if (keep) {
        sb_adds(dir, keep);
        if (mkdir_p(dir->buf))
            return error("%s: error: cannot create %s: %s", tf_progname, dir->buf,
                         strerror(errno));
        return 0;
    }
    const char *t = getenv("TMPDIR");
    sb_addf(dir, "%s/ternforge-%s-XXXXXX", t && *t ? t : "/tmp", what);
    if (!mkdtemp(dir->buf))
        return error("%s: error: cannot create a work directory: %s", tf_progname,
                     strerror(errno));
    *slot = tmp_register(dir->buf, 1);
    return 1;
}
