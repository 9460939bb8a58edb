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
