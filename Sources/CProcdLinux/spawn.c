#include "CProcdLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The spawn path: clone(CLONE_VM | CLONE_VFORK) as posix_spawn does, but with the child
// doing exactly what procd needs, through raw system calls only. The child shares the
// parent's memory (the parent is suspended until exec), so it must not call into libc
// functions that take locks, allocate, or broadcast to threads (setuid/setgroups do).

struct spawn_args {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    const int *sources;
    int nfds;
    const int *pid_slots;
    int npid_slots;
    const struct procd_identity *identity;
    int new_session;
    int error;
    int step;
};

// The kernel's struct sigaction for rt_sigaction(2) on x86-64 and arm64.
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

static void write_pid(char *entry, long pid) {
    while (*entry != '\0' && *entry != '=') entry++;
    if (*entry == '=') entry++;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid > 0 && n < 20);
    while (n > 0) *entry++ = digits[--n];
    *entry = '\0';
}

static int child_main(void *opaque) {
    struct spawn_args *a = opaque;
    // Every disposition back to default, 1 to 64 (glibc's own 32 and 33 included, which
    // its sigaction refuses and posix_spawn leaves ignored).
    struct kernel_sigaction dfl = {SIG_DFL, 0, NULL, 0};
    for (long sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(unsigned long));
    }
    a->step = PROCD_STEP_SESSION;
    if (a->new_session) {
        if (syscall(SYS_setsid) < 0) goto fail;
    } else if (syscall(SYS_setpgid, 0, 0) != 0) {
        goto fail;
    }
    a->step = PROCD_STEP_DESCRIPTORS;
    for (int i = 0; i < a->nfds; i++) {
        if (a->sources[i] == i) {
            if (syscall(SYS_fcntl, i, F_SETFD, 0) != 0) goto fail;
        } else if (syscall(SYS_dup2, a->sources[i], i) < 0) {
            goto fail;
        }
    }
    syscall(SYS_close_range, (unsigned)a->nfds, ~0u, 0u);
    a->step = PROCD_STEP_IDENTITY;
    if (a->identity != NULL) {
        if (syscall(SYS_setgroups, (long)a->identity->ngroups, a->identity->groups) != 0) goto fail;
        if (syscall(SYS_setgid, (long)a->identity->gid) != 0) goto fail;
        if (syscall(SYS_setuid, (long)a->identity->uid) != 0) goto fail;
    }
    a->step = PROCD_STEP_CHDIR;
    if (a->cwd != NULL && syscall(SYS_chdir, a->cwd) != 0) goto fail;
    long pid = syscall(SYS_getpid);
    for (int i = 0; i < a->npid_slots; i++) write_pid(a->envp[a->pid_slots[i]], pid);
    unsigned long empty = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, sizeof empty);
    a->step = PROCD_STEP_EXEC;
    syscall(SYS_execve, a->path, a->argv, a->envp);
fail:
    a->error = errno ? errno : EINVAL;
    syscall(SYS_exit, 127);
    return 127;
}

int procd_spawn(pid_t *pid, const char *path, char *const argv[], char *envp[], const char *cwd,
                const int *fds, int nfds, const int *pid_slots, int npid_slots,
                const struct procd_identity *identity, int new_session, int *failed_step) {
    int sources[64];
    int moved[64];
    if (nfds > 64) return EINVAL;
    // Sources that sit on a target number would be clobbered by an earlier dup2: move
    // them above every target first (the copies are close-on-exec).
    for (int i = 0; i < nfds; i++) {
        sources[i] = fds[i];
        moved[i] = -1;
        if (fds[i] < nfds && fds[i] != i) {
            int copy = fcntl(fds[i], F_DUPFD_CLOEXEC, nfds);
            if (copy < 0) {
                int saved = errno;
                for (int j = 0; j < i; j++)
                    if (moved[j] >= 0) close(moved[j]);
                return saved;
            }
            sources[i] = moved[i] = copy;
        }
    }
    size_t stack_size = 256 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        int saved = errno;
        for (int i = 0; i < nfds; i++)
            if (moved[i] >= 0) close(moved[i]);
        return saved;
    }
    struct spawn_args args = {path, argv, envp, cwd, sources, nfds, pid_slots, npid_slots, identity, new_session, 0, 0};
    *failed_step = 0;
    // No signal may be handled while the child runs on our memory.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int saved_errno = errno;
    pid_t child = clone(child_main, (char *)stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
    int clone_errno = errno;
    errno = saved_errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    munmap(stack, stack_size);
    for (int i = 0; i < nfds; i++)
        if (moved[i] >= 0) close(moved[i]);
    if (child < 0) return clone_errno;
    if (args.error != 0) {
        *failed_step = args.step;
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return args.error;
    }
    *pid = child;
    return 0;
}
