#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a while (default 60 s).
#   Tests/Fuzz/run.sh [SECONDS]
# Crashes are written to Tests/Fuzz/findings/; turn each into a unit test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/findings"

# One module per target: the sources without their cross-module imports.
copy() { for f in "$@"; do sed '/^import ProcdCore$/d' "$f" > "$work/src/$(basename "$(dirname "$f")")-$(basename "$f")"; done; }
build() {
  local name="$1"; shift
  rm -rf "$work/src"; mkdir -p "$work/src"
  copy "$@"
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "Fuzz$name" \
    "$work"/src/*.swift "$here/${name}Fuzz.swift" -o "$work/fuzz-$name" 2>&1 | grep -v 'Cannot export local symbol' || true
}

build Wire "$root"/Sources/ProcdCore/*.swift "$root"/Sources/ProcdWire/*.swift
build Config "$root"/Sources/ProcdCore/*.swift
build HTTP "$root"/Sources/ProcdCore/*.swift
build YAML "$root"/Sources/ProcdCore/*.swift "$root"/Sources/ProcdCore/YAML/*.swift "$root"/Sources/ProcdCore/Export/*.swift

status=0
for name in Wire Config HTTP YAML; do
  mkdir -p "$work/corpus-$name"
  echo "== $name: ${seconds}s"
  (cd "$here/findings" && "$work/fuzz-$name" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
      -print_final_stats=1 "$work/corpus-$name" 2>&1 | tail -n 12) || status=1
done
exit $status
