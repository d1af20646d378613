#!/bin/sh
# Builds the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined)
# into $PLEDGEX_FUZZ_BUILD (default: $TMPDIR/pledgex-fuzz-$UID), never into the
# source tree.  The code under test is compiled straight into each harness
# (no dlopen), so libFuzzer's coverage sees it.
#
# A plugin's sources and flags are read from its own local.mk, so a file the
# plugin adds is fuzzed without editing this script; a plugin whose local.mk
# lists no sources yet is skipped with a note.
#
# usage: fuzz/build.sh [HARNESS...]      (default: every harness)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${PLEDGEX_FUZZ_BUILD:-${TMPDIR:-/tmp}/pledgex-fuzz-$(id -u)}
CC=${FUZZ_CC:-clang}

PLEDGEX_WITH_FUZZ=1 "$top/scripts/install-deps.sh"
mkdir -p "$out/conf" "$out/bin" "$out/mk"

# config.h: the one configure writes for clang.
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null
if [ ! -f "$out/conf/config.h" ] || [ "$top/configure" -nt "$out/conf/config.h" ]; then
    (cd "$out/conf" && "$top/configure" -q CC="$CC" >/dev/null)
fi

# A makefile that reads one local.mk with the variables configure would
# give it (pkg-config names from configure.ac) and prints a variable.
print_mk="$out/mk/print.mk"
{
    echo "top_srcdir = $top"
    echo "srcdir = $top"
    echo "abs_top_srcdir = $top"
    echo "abs_top_builddir = $out/conf"
    echo "AM_CFLAGS = -std=c11 -Wall -Wextra"
    echo "AM_CPPFLAGS = -I$top/core -DPLEDGEX_PLUGIN_DIR='\"/nonexistent\"' -DPLEDGEX_DATA_DIR='\"$top/data\"' -DPLEDGEX_BUILD_DIR='\"$out/conf\"' -DPLEDGEX_SOURCE_DIR='\"$top\"'"
    sed -n 's/^PX_NEED(\[\([A-Z0-9_]*\)\], *\[\([^] ]*\).*/\1 \2/p' "$top/configure.ac" |
        while read -r var mod; do
            echo "${var}_CFLAGS := $(pkg-config --cflags "$mod")"
            echo "${var}_LIBS := $(pkg-config --libs "$mod")"
        done
    echo 'include $(MK)'
    echo 'print-%: ; @echo $($*)'
} >"$print_mk"
mkvar() { # local.mk variable
    make -s --no-print-directory -f "$print_mk" MK="$1" "print-$2" 2>/dev/null || true
}

FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
 -fno-sanitize-recover=undefined -I$out/conf -I$top/core -I$top/fuzz"
UTF8PROC="$(pkg-config --cflags --libs libutf8proc)"

# build NAME DRIVER "CPPFLAGS CFLAGS" "SOURCES" "LIBS"
build() {
    name=$1 driver=$2 cflags=$3 srcs=$4 libs=$5
    files=""
    for s in $srcs "core/textnorm.c" "fuzz/fuzz_host.c" "fuzz/$driver"; do
        case $s in *.c) ;; *) continue ;; esac
        case " $files " in *" $top/$s "*) continue ;; esac
        files="$files $top/$s"
    done
    # shellcheck disable=SC2086
    if $CC $FLAGS $cflags -o "$out/bin/fuzz_$name" $files $libs $UTF8PROC -lm; then
        echo "fuzz: built $out/bin/fuzz_$name"
    else
        echo "fuzz: FAILED to build fuzz_$name" >&2
        return 1
    fi
}

# A harness over a plugin's process(): the plugin's local.mk says the rest.
plugin_harness() { # HARNESS PLUGIN DRIVER
    mk="$top/plugins/$2/local.mk"
    v="plugins_$2_$2_la"
    srcs=$(mkvar "$mk" "${v}_SOURCES")
    if [ -z "$srcs" ]; then
        echo "fuzz: skipping fuzz_$1: plugins/$2 lists no sources yet"
        return 0
    fi
    cpp=$(mkvar "$mk" "${v}_CPPFLAGS")
    build "$1" "$3" "-iquote $top/plugins/$2 ${cpp:-$(mkvar "$mk" AM_CPPFLAGS)} $(mkvar "$mk" "${v}_CFLAGS")" \
        "$srcs" "$(mkvar "$mk" "${v}_LIBADD" | tr ' ' '\n' | grep -v '\.la$' | tr '\n' ' ')"
}

extract_harness() {
    mk="$top/core/extract/local.mk"
    srcs=$(mkvar "$mk" core_libpledgex_core_la_SOURCES)
    build extract fuzz_extract.c "$(mkvar "$mk" AM_CPPFLAGS) -I$top/core/extract" \
        "core/doc.c $srcs" ""
}

encoding_harness() {
    build encoding fuzz_encoding.c "$(mkvar "$top/plugins/text/local.mk" AM_CPPFLAGS) -I$top/plugins/text" \
        "plugins/text/encoding.c" ""
}

ALL="text encoding article extract photo_meta photo archive office"
status=0
for h in ${*:-$ALL}; do
    case $h in
    text | article | archive | photo | office | pdf) plugin_harness "$h" "$h" fuzz_plugin.c || status=1 ;;
    photo_meta) plugin_harness photo_meta photo fuzz_photo_meta.c || status=1 ;;
    extract) extract_harness || status=1 ;;
    encoding) encoding_harness || status=1 ;;
    *) echo "fuzz: no harness $h (have: $ALL)" >&2; status=2 ;;
    esac
done
exit $status
