#!/bin/sh
# Installs what is missing, builds, and runs every test (make check).
# With PLEDGEX_DISTCHECK=1 also `make distcheck`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PLEDGEX_BUILD_DIR:-$top/build}
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"
cd "$build"
status=0
make -j"$(nproc)" check || status=$?
if [ "$status" -ne 0 ]; then
    # Show why, so a CI log is enough to act on.
    for log in $(find . -name '*.log' -path '*tests*' -newer Makefile); do
        grep -q -E '^(FAIL|ERROR)' "${log%.log}.trs" 2>/dev/null && { echo "=== $log"; tail -n 60 "$log"; }
    done
    exit "$status"
fi
if [ "${PLEDGEX_DISTCHECK:-0}" = 1 ]; then
    make -j"$(nproc)" distcheck >/dev/null
    echo "distcheck passed"
fi
