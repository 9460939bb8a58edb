#ifndef CPROCD_LINUX_H
#define CPROCD_LINUX_H

#include <stdint.h>
#include <sys/types.h>

// Thin wrappers over Linux calls that Swift's Glibc module does not expose.
// Every function returns -1 and leaves errno set on failure, unless it says otherwise.
// Every descriptor created here is close-on-exec.

// epoll(7)
int procd_epoll_create(void);
int procd_epoll_add(int epfd, int fd, uint32_t events, uint64_t data);
int procd_epoll_modify(int epfd, int fd, uint32_t events, uint64_t data);
int procd_epoll_remove(int epfd, int fd);
/// Waits like epoll_wait(2), copying each event's data and mask out (struct epoll_event
/// is packed on x86-64, which Swift cannot import).
int procd_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);

extern const uint32_t PROCD_EPOLLIN;
extern const uint32_t PROCD_EPOLLOUT;
extern const uint32_t PROCD_EPOLLHUP;
extern const uint32_t PROCD_EPOLLERR;
extern const uint32_t PROCD_EPOLLRDHUP;

// signalfd(2): blocks the given signals in the calling thread and returns a
// non-blocking descriptor that reads them.
int procd_signalfd(const int *signals, int count);
/// Reads one pending signal; returns its number, 0 when none is pending, -1 on error.
int procd_signalfd_read(int fd);
/// Unblocks every signal and restores default dispositions for those listed.
void procd_reset_signals(void);
/// Ignores SIGPIPE for the calling process.
void procd_ignore_sigpipe(void);

int procd_pipe(int fds[2], int nonblocking);
int procd_set_nonblocking(int fd, int on);
int procd_set_pipe_size(int fd, int size);
int procd_prctl_subreaper(void);
/* The name top, ps -o comm and pgrep show (at most 15 bytes). */
int procd_set_name(const char *name);
int procd_isatty(int fd);
/// Terminal width of fd, or 0 when it is not a terminal.
int procd_terminal_columns(int fd);
/// Terminal rows and columns of fd; -1 when it is not a terminal.
int procd_terminal_size(int fd, int *rows, int *cols);
/// Puts the terminal in raw mode, saving its settings in an opaque buffer of
/// procd_termios_size() bytes; procd_terminal_restore puts them back.
int procd_termios_size(void);
int procd_terminal_raw(int fd, void *saved);
int procd_terminal_restore(int fd, const void *saved);

// Unix-domain sockets (SOCK_STREAM, close-on-exec).
int procd_unix_listen(const char *path, int backlog);
int procd_unix_connect(const char *path);
int procd_accept(int fd);
/// Fills the peer's pid, uid and gid from SO_PEERCRED.
int procd_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// Advisory exclusive lock without waiting: 0 when taken, -1 (EWOULDBLOCK) when held.
int procd_lock_file(int fd);



/// The identity a child takes before exec (root only): groups first, then gid, then uid.
struct procd_identity {
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    int ngroups;
};

/// Looks up a user: uid, primary gid and home directory (copied into home, size bytes).
/// Returns 0, or -1 when there is no such user.
int procd_lookup_user(const char *name, uid_t *uid, gid_t *gid, char *home, int size);
/// Looks up a group by name; returns 0, or -1 when there is none.
int procd_lookup_group(const char *name, gid_t *gid);
/// The supplementary groups of a user (getgrouplist(3)); returns the count (at most max).
int procd_user_groups(const char *name, gid_t gid, gid_t *groups, int max);

/// Spawns `path` with clone(CLONE_VM|CLONE_VFORK) and execve(2). Child descriptor i is a
/// copy of fds[i] for i < nfds; everything else is closed. The child leads a new process
/// group (or a new session when new_session is set), has every signal disposition back
/// at default (1 to 64) and an empty mask, takes `identity` when not NULL, and starts in
/// cwd (when not NULL). Each envp[pid_slots[i]] is a "NAME=" entry with room for 20 digits
/// after the '=' where the child writes its own pid (LISTEN_PID, WATCHDOG_PID).
/// Returns 0 and sets *pid, or an errno value (exec, chdir and identity failures included),
/// with *failed_step telling which step of the child failed (a PROCD_STEP_ value).
int procd_spawn(pid_t *pid, const char *path, char *const argv[], char *envp[], const char *cwd,
                const int *fds, int nfds, const int *pid_slots, int npid_slots,
                const struct procd_identity *identity, int new_session, int *failed_step);

enum { PROCD_STEP_NONE = 0, PROCD_STEP_SESSION, PROCD_STEP_DESCRIPTORS, PROCD_STEP_IDENTITY, PROCD_STEP_CHDIR, PROCD_STEP_EXEC };

// TCP listening sockets for --port: SO_REUSEADDR, close-on-exec, listening with `backlog`.
// host NULL or empty listens on every address (IPv6 dual-stack, else IPv4).
// Returns the descriptor, or -1 with errno (EADDRNOTAVAIL when the host does not resolve).
int procd_tcp_listen(const char *host, int port, int backlog, int reuse_port);
/// The port a socket is bound to, or -1.
int procd_socket_port(int fd);
/* The peer's IP address as text (for throttling failed logins); -1 if it has none. */
int procd_socket_peer(int fd, char *out, size_t size);

// sd_notify(3) receiver: a datagram socket with SO_PASSCRED at an abstract address
// (name without the leading '@'), non-blocking.
int procd_notify_socket(const char *abstract_name);
/// Receives one datagram into buf (at most len-1 bytes, NUL-terminated); sets *pid to the
/// sender's pid from SCM_CREDENTIALS (0 when absent). Descriptors passed along are closed.
/// Returns the length, or -1 (EAGAIN when nothing is pending).
int procd_notify_receive(int fd, char *buf, int len, pid_t *pid);

/// Starts a non-blocking TCP connection (EINPROGRESS is success); -1 with errno.
int procd_tcp_connect(const char *host, int port);
/// The pending error of a socket (SO_ERROR): 0 when the connection succeeded.
int procd_socket_error(int fd);

// inotify(7), non-blocking and close-on-exec.
int procd_inotify_init(void);
/// Watches a directory for changes to its entries; returns the watch descriptor.
int procd_inotify_watch_directory(int fd, const char *path);
extern const uint32_t PROCD_IN_ISDIR;
extern const uint32_t PROCD_IN_IGNORED;
extern const uint32_t PROCD_IN_CREATE;
extern const uint32_t PROCD_IN_MOVED_TO;

/// A connected pair of Unix stream sockets, both close-on-exec (Node's IPC channel).
int procd_socketpair(int fds[2]);
/* A pair of message sockets (each send is one message): the keeper's link. */
int procd_seqpacket_pair(int fds[2]);
/* One message and the first descriptor passed with it (*fd = -1 if none); wait=0 never blocks. */
ssize_t procd_receive_with_fd(int sock, void *buf, size_t len, int *fd, int wait);
/// sendmsg(2) of `len` bytes with descriptor `fd` attached (SCM_RIGHTS), without blocking
/// or SIGPIPE: the bytes sent, or -1 with errno. How a Node app gets a listening socket.
ssize_t procd_send_with_fd(int sock, const void *buf, size_t len, int fd);

/// waitpid(-1, WNOHANG): returns the pid reaped (0 when none is ready, -1 on error,
/// ECHILD when there are no children) and decodes the status.
pid_t procd_reap(int *exited, int *code, int *signal);

int procd_cpu_count(void);

/// waitpid(pid, 0) retrying EINTR; decodes the status like procd_reap.
pid_t procd_wait_pid(pid_t pid, int *exited, int *code, int *signal);

/// pidfd_open(2): a descriptor that becomes readable when the process exits, for a
/// process that need not be our child. Close-on-exec.
int procd_pidfd_open(pid_t pid);

/// Clears or sets close-on-exec on a descriptor (for the in-place upgrade's hand-over).
int procd_set_cloexec(int fd, int on);

// The build stamp: "procd-build-commit:" then the commit, NUL-padded to the size.
#define PROCD_BUILD_STAMP_SIZE 96
/// The commit after the stamp's marker: "unknown" unless the package tool wrote one.
const char *procd_build_commit(void);

#endif
