#include "CProcdLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>
#include <pwd.h>

// Only async-signal-safe calls run between fork and exec (signal-safety(7)).
static void write_pid(char *entry, pid_t pid) {
    while (*entry != '\0' && *entry != '=') entry++;
    if (*entry == '=') entry++;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid > 0 && n < 20);
    char *out = entry;
    while (n > 0) *out++ = digits[--n];
    *out = '\0';
}

static void close_from(int first, int keep) {
    // close_range(2) skipping `keep`, the error pipe, which exec closes itself.
    if (keep >= first) {
        if (keep > first) syscall(SYS_close_range, (unsigned)first, (unsigned)(keep - 1), 0u);
        syscall(SYS_close_range, (unsigned)(keep + 1), ~0u, 0u);
    } else {
        syscall(SYS_close_range, (unsigned)first, ~0u, 0u);
    }
}

int procd_spawn_forked(pid_t *pid, const char *path, char *const argv[], char *envp[],
                       const char *cwd, const int *fds, int nfds, const int *pid_slots, int npid_slots,
                       const struct procd_identity *identity) {
    int sources[64];
    int moved[64];
    if (nfds > 64) return EINVAL;
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    for (int i = 0; i < nfds; i++) {
        sources[i] = fds[i];
        moved[i] = -1;
        if (fds[i] < nfds && fds[i] != i) {
            int copy = fcntl(fds[i], F_DUPFD_CLOEXEC, nfds);
            if (copy < 0) {
                int saved = errno;
                for (int j = 0; j < i; j++)
                    if (moved[j] >= 0) close(moved[j]);
                close(report[0]);
                close(report[1]);
                return saved;
            }
            sources[i] = moved[i] = copy;
        }
    }
    // The error pipe must not sit on a target number either.
    if (report[1] < nfds) {
        int copy = fcntl(report[1], F_DUPFD_CLOEXEC, nfds);
        close(report[1]);
        report[1] = copy;
    }

    pid_t child = fork();
    if (child == 0) {
        setpgid(0, 0);
        sigset_t empty;
        sigemptyset(&empty);
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, NULL);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        for (int i = 0; i < nfds; i++) {
            if (sources[i] == i) {
                fcntl(i, F_SETFD, 0);
            } else if (dup2(sources[i], i) < 0) {
                goto fail;
            }
        }
        close_from(nfds, report[1]);
        if (identity != NULL) {
            if (setgroups((size_t)identity->ngroups, identity->groups) != 0) goto fail;
            if (setgid(identity->gid) != 0) goto fail;
            if (setuid(identity->uid) != 0) goto fail;
        }
        if (cwd != NULL && chdir(cwd) != 0) goto fail;
        for (int i = 0; i < npid_slots; i++) write_pid(envp[pid_slots[i]], getpid());
        execve(path, argv, envp);
    fail:;
        int code = errno;
        ssize_t ignored = write(report[1], &code, sizeof code);
        (void)ignored;
        _exit(127);
    }
    int saved = errno;
    close(report[1]);
    for (int i = 0; i < nfds; i++)
        if (moved[i] >= 0) close(moved[i]);
    if (child < 0) {
        close(report[0]);
        return saved;
    }
    int code = 0;
    ssize_t n;
    do {
        n = read(report[0], &code, sizeof code);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof code) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return code ? code : EINVAL;
    }
    *pid = child;
    return 0;
}

int procd_lookup_user(const char *name, uid_t *uid, gid_t *gid, char *home, int size) {
    struct passwd entry;
    struct passwd *found = NULL;
    char buffer[4096];
    if (getpwnam_r(name, &entry, buffer, sizeof buffer, &found) != 0 || found == NULL) return -1;
    *uid = entry.pw_uid;
    *gid = entry.pw_gid;
    if (size > 0) {
        strncpy(home, entry.pw_dir ? entry.pw_dir : "/", (size_t)size - 1);
        home[size - 1] = '\0';
    }
    return 0;
}

int procd_lookup_group(const char *name, gid_t *gid) {
    struct group entry;
    struct group *found = NULL;
    char buffer[8192];
    if (getgrnam_r(name, &entry, buffer, sizeof buffer, &found) != 0 || found == NULL) return -1;
    *gid = entry.gr_gid;
    return 0;
}

int procd_user_groups(const char *name, gid_t gid, gid_t *groups, int max) {
    int count = max;
    if (getgrouplist(name, gid, groups, &count) < 0) return max;
    return count;
}
