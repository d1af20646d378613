#!/bin/sh
# A second build with AddressSanitizer and UndefinedBehaviorSanitizer, out of
# tree in ./build-asan (or $PLEDGEX_ASAN_BUILD_DIR), running the whole
# `make check` there.  Fails on a failing test and on any sanitizer report,
# including one printed by a worker process or a child `pledgex` whose exit
# status a test does not look at: the test logs are searched too.
#
# Sanitizer settings, and why:
#   abort_on_error=1, halt_on_error=1, -fno-sanitize-recover=all
#                        a report ends the process, so it cannot pass unseen;
#   detect_leaks=1       with fuzz/lsan.supp for third-party leaks only;
#   allocator_may_return_null=1
#                        malloc(huge) returns NULL as glibc's does, so the
#                        code's own out-of-memory paths are what is tested;
#   handle_segv=0, handle_sigbus=0, handle_sigfpe=0
#                        the isolation tests crash a worker on purpose and
#                        check that the parent reports "crashed: SIGSEGV";
#                        ASan would turn that into SIGABRT.  A real crash
#                        still fails its test.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PLEDGEX_ASAN_BUILD_DIR:-$top/build-asan}
CC=${PLEDGEX_ASAN_CC:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

PLEDGEX_WITH_FUZZ=1 "$top/scripts/install-deps.sh"
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
mkdir -p "$build"
cd "$build"
[ -f Makefile ] || "$top/configure" -q CC="$CC" CFLAGS="-O1 -g $SAN" LDFLAGS="$SAN"
make -j"$(nproc)" >/dev/null

symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
# intercept_tls_get_addr=0: the leak checker of clang 14 tracks the dynamic
# TLS blocks of dlopen'd libraries by reading a glibc 2.19 header before each
# block; on glibc 2.36 it sometimes read garbage sizes and its tracer crashed
# at exit ("Tracer caught signal 11", after every test had passed), depending
# on where blocks happened to land.  Those blocks stay reachable through the
# thread's DTV, so leaks are still found.
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:detect_stack_use_after_return=0:intercept_tls_get_addr=0${symbolizer:+:external_symbolizer_path=$symbolizer}"
LSAN_OPTIONS="suppressions=$top/fuzz/lsan.supp:print_suppressions=0"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

status=0
find . -name '*.log' -path '*tests*' -exec rm -f {} +
make -j"$(nproc)" check || status=$?
# Reports in any test log, even from a process whose failure a test ignored.
reports=$(grep -l -E '^==[0-9]+==ERROR: (Address|Leak)Sanitizer|runtime error: ' \
    $(find . -name '*.log' -path '*tests*') 2>/dev/null || true)
for log in $reports; do
    echo "=== sanitizer report in $log"
    grep -E -A 40 '^==[0-9]+==ERROR: (Address|Leak)Sanitizer|runtime error: ' "$log" | head -n 80
    status=1
done
if [ "$status" -ne 0 ]; then
    for log in $(find . -name '*.log' -path '*tests*'); do
        grep -q -E '^(FAIL|ERROR)' "${log%.log}.trs" 2>/dev/null && { echo "=== $log"; tail -n 60 "$log"; }
    done
    exit 1
fi
echo "sanitize: make check passed under ASan+UBSan, no reports"
