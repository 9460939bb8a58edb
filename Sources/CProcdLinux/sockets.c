#include "CProcdLinux.h"
#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/inotify.h>
#include <fcntl.h>
#include <unistd.h>

static int listen_on(const struct sockaddr *addr, socklen_t len, int family, int backlog, int reuse_port,
                     int dual_stack) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    int zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (family == AF_INET6 && dual_stack) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(fd, addr, len) != 0 || listen(fd, backlog) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

// The TCP addresses of host:port (the caller frees them); NULL with EADDRNOTAVAIL when
// the host does not resolve.
static struct addrinfo *resolve(const char *host, int port, int flags) {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags | AI_NUMERICSERV;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo *list = NULL;
    if (getaddrinfo(host, service, &hints, &list) != 0 || list == NULL) {
        errno = EADDRNOTAVAIL;
        return NULL;
    }
    return list;
}

int procd_tcp_listen(const char *host, int port, int backlog, int reuse_port) {
    if (host == NULL || host[0] == '\0') {
        struct sockaddr_in6 any6;
        memset(&any6, 0, sizeof any6);
        any6.sin6_family = AF_INET6;
        any6.sin6_addr = in6addr_any;
        any6.sin6_port = htons((uint16_t)port);
        int fd = listen_on((struct sockaddr *)&any6, sizeof any6, AF_INET6, backlog, reuse_port, 1);
        if (fd >= 0 || errno == EADDRINUSE || errno == EACCES) return fd;
        struct sockaddr_in any4;
        memset(&any4, 0, sizeof any4);
        any4.sin_family = AF_INET;
        any4.sin_addr.s_addr = htonl(INADDR_ANY);
        any4.sin_port = htons((uint16_t)port);
        return listen_on((struct sockaddr *)&any4, sizeof any4, AF_INET, backlog, reuse_port, 0);
    }
    struct addrinfo *list = resolve(host, port, AI_PASSIVE);
    if (list == NULL) return -1;
    int fd = -1;
    for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        fd = listen_on(ai->ai_addr, ai->ai_addrlen, ai->ai_family, backlog, reuse_port, 0);
        if (fd >= 0) break;
    }
    int saved = errno;
    freeaddrinfo(list);
    errno = saved;
    return fd;
}

int procd_socket_port(int fd) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0) return -1;
    if (addr.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&addr)->sin_port);
    if (addr.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return -1;
}

int procd_socket_peer(int fd, char *out, size_t size) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    if (getpeername(fd, (struct sockaddr *)&addr, &len) != 0) return -1;
    const void *raw;
    if (addr.ss_family == AF_INET) raw = &((struct sockaddr_in *)&addr)->sin_addr;
    else if (addr.ss_family == AF_INET6) raw = &((struct sockaddr_in6 *)&addr)->sin6_addr;
    else return -1;
    return inet_ntop(addr.ss_family, raw, out, (socklen_t)size) ? 0 : -1;
}

int procd_notify_socket(const char *abstract_name) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t len = strlen(abstract_name);
    if (len + 1 >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(addr.sun_path + 1, abstract_name, len);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&addr, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/// A msghdr of one buffer and a control area, for sendmsg(2) and recvmsg(2).
static struct msghdr message(struct iovec *iov, void *control, size_t control_size) {
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = control_size;
    return msg;
}

int procd_notify_receive(int fd, char *buf, int len, pid_t *pid) {
    struct iovec iov = {.iov_base = buf, .iov_len = (size_t)(len - 1)};
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 16)];
    } control;
    struct msghdr msg = message(&iov, control.space, sizeof control.space);
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    *pid = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred cred;
            memcpy(&cred, CMSG_DATA(c), sizeof cred);
            *pid = cred.pid;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            int *passed = (int *)CMSG_DATA(c);
            for (int i = 0; i < count; i++) close(passed[i]);
        }
    }
    if (n > len - 1) n = len - 1;
    buf[n] = '\0';
    return (int)n;
}

ssize_t procd_send_with_fd(int sock, const void *buf, size_t len, int fd) {
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = message(&iov, control.space, sizeof control.space);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    do {
        n = sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
}

int procd_socketpair(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

int procd_seqpacket_pair(int fds[2]) { return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds); }

ssize_t procd_receive_with_fd(int sock, void *buf, size_t len, int *fd, int wait) {
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct msghdr msg = message(&iov, control.space, sizeof control.space);
    ssize_t n;
    do {
        n = recvmsg(sock, &msg, (wait ? 0 : MSG_DONTWAIT) | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    *fd = -1;
    if (n < 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *passed = (int *)CMSG_DATA(c);
        for (int i = 0; i < count; i++) {
            if (*fd < 0) *fd = passed[i]; else close(passed[i]);
        }
    }
    return n;
}

int procd_tcp_connect(const char *host, int port) {
    struct addrinfo *list = resolve(host, port, 0);
    if (list == NULL) return -1;
    int fd = socket(list->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0 && connect(fd, list->ai_addr, list->ai_addrlen) != 0 && errno != EINPROGRESS) {
        int saved = errno;
        close(fd);
        fd = -1;
        errno = saved;
    }
    int saved = errno;
    freeaddrinfo(list);
    errno = saved;
    return fd;
}

int procd_socket_error(int fd) {
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
    return error;
}

const uint32_t PROCD_IN_ISDIR = IN_ISDIR;
const uint32_t PROCD_IN_IGNORED = IN_IGNORED;
const uint32_t PROCD_IN_CREATE = IN_CREATE;
const uint32_t PROCD_IN_MOVED_TO = IN_MOVED_TO;

int procd_inotify_init(void) { return inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

int procd_inotify_watch_directory(int fd, const char *path) {
    return inotify_add_watch(fd, path, IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                           IN_MODIFY | IN_ATTRIB | IN_ONLYDIR | IN_EXCL_UNLINK);
}
