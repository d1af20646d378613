#!/bin/sh
# Configures and builds pledgex out of tree in ./build (or $PLEDGEX_BUILD_DIR).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PLEDGEX_BUILD_DIR:-$top/build}
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
mkdir -p "$build"
cd "$build"
[ -f Makefile ] || "$top/configure" -q ${PLEDGEX_CONFIGURE_FLAGS:-}
make -j"$(nproc)" >/dev/null
echo "built in $build"
