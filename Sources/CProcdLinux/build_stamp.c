#include "CProcdLinux.h"

// The commit this binary was built from, after the marker. A plain `swift build` leaves
// "unknown": SwiftPM cannot hand a value to a build without a build-tool plugin, and a
// define passed with -Xcc would rebuild every module whenever the commit changes. The
// package tool (procd-package) finds the marker in the copies it ships and writes the
// commit over the bytes after it. Not const, and read through a function in this file,
// so the compiler keeps the bytes in .data and never folds the value into its readers.
char procd_build_stamp[PROCD_BUILD_STAMP_SIZE] = "procd-build-commit:unknown";

const char *procd_build_commit(void) {
    return procd_build_stamp + sizeof "procd-build-commit:" - 1;
}
