#!/bin/sh
# Runs the libFuzzer harnesses (built by fuzz/build.sh).
#
#   fuzz/run.sh SECONDS [HARNESS...]   fuzz each harness for SECONDS from its
#                                      seed corpus (fuzz/corpus/<harness>);
#                                      a crasher is saved in
#                                      fuzz/crashers/<harness>/
#   fuzz/run.sh --replay [HARNESS...]  run every kept regression input
#                                      (fuzz/regressions/<harness>/) and seed
#                                      once: a crash fixed once stays fixed
#
# Exits 1 when any harness crashed (or leaked, or broke the plugin ABI:
# fuzz_host.c aborts), 0 otherwise.  Inputs found while fuzzing grow a
# working corpus in the build dir, never in the source tree.
#
# Environment: PLEDGEX_FUZZ_BUILD (build dir, as for build.sh),
# PLEDGEX_FUZZ_NOBUILD=1 (use the binaries as they are), FUZZ_KEEP_GOING=1
# (long runs: go on after a crash, in libFuzzer's fork mode, and save all),
# FUZZ_JOBS (harnesses run at once, default 1), FUZZ_RSS_LIMIT_MB (default
# 4096), FUZZ_RUNS (reproducible mode: that many runs from FUZZ_SEED,
# default 1, and a fresh working corpus; what CI uses).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${PLEDGEX_FUZZ_BUILD:-${TMPDIR:-/tmp}/pledgex-fuzz-$(id -u)}
ALL="text encoding article extract photo_meta photo archive office"

mode=fuzz
if [ "${1:-}" = --replay ]; then
    mode=replay
    shift
else
    case ${1:-} in
    '' | *[!0-9]*) echo "usage: fuzz/run.sh SECONDS [HARNESS...] | --replay [HARNESS...]" >&2; exit 2 ;;
    esac
    seconds=$1
    shift
fi
harnesses=${*:-$ALL}

[ "${PLEDGEX_FUZZ_NOBUILD:-0}" = 1 ] || "$top/fuzz/build.sh" $harnesses >"$out.build.log" 2>&1 || {
    cat "$out.build.log" >&2
    echo "fuzz: build failed" >&2
    exit 1
}

symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
# intercept_tls_get_addr=0: the leak checker of clang 14 tracks the dynamic
# TLS blocks of dlopen'd libraries by reading a glibc 2.19 header before each
# block; on glibc 2.36 it sometimes read garbage sizes and its tracer crashed
# at exit ("Tracer caught signal 11", after every test had passed), depending
# on where blocks happened to land.  Those blocks stay reachable through the
# thread's DTV, so leaks are still found.
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:intercept_tls_get_addr=0${symbolizer:+:external_symbolizer_path=$symbolizer}"
LSAN_OPTIONS="suppressions=$top/fuzz/lsan.supp:print_suppressions=0"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
PLEDGEX_DATA_DIR="$top/data"
OMP_THREAD_LIMIT=1
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS PLEDGEX_DATA_DIR OMP_THREAD_LIMIT

# replay_one HARNESS: every regression input and seed, once.
replay_one() {
    h=$1 bin=$out/bin/fuzz_$1
    set --
    for f in "$top/fuzz/regressions/$h"/* "$top/fuzz/corpus/$h"/*; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    [ $# -gt 0 ] || return 0
    if "$bin" -timeout=60 -rss_limit_mb="$rss" "$@" >"$out/log/$h.replay.log" 2>&1; then
        echo "fuzz: $h: $# input(s) replayed, no crash"
    else
        echo "fuzz: $h: CRASH on replay (log below)"
        tail -n 60 "$out/log/$h.replay.log"
        return 1
    fi
}

# fuzz_one HARNESS: SECONDS of fuzzing from the seeds and the working corpus.
fuzz_one() {
    h=$1 bin=$out/bin/fuzz_$1
    mkdir -p "$out/corpus/$h" "$top/fuzz/crashers/$h"
    before=$(ls "$top/fuzz/crashers/$h" | wc -l)
    keep=""
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
    work=$out/corpus/$h
    if [ -n "${FUZZ_RUNS:-}" ]; then
        # Reproducible mode (CI): a fixed seed, a fixed number of runs and a
        # fresh working corpus, so the same tree gives the same inputs here
        # and on the CI machine; SECONDS is only a guard.
        keep="$keep -runs=$FUZZ_RUNS -seed=${FUZZ_SEED:-1}"
        work=$out/corpus-fixed/$h
        rm -rf "$work"
        mkdir -p "$work"
    fi
    rc=0
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb="$rss" -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$top/fuzz/crashers/$h/" $keep \
        "$work" "$top/fuzz/corpus/$h" >"$out/log/$h.log" 2>&1 || rc=$?
    after=$(ls "$top/fuzz/crashers/$h" | wc -l)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log/$h.log" | tail -n 1)
    # fork mode (FUZZ_KEEP_GOING) prints no final stats: its last "#N:" line
    [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\):* .*/\1/p' "$out/log/$h.log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$out/log/$h.log" | tail -n 1)
    if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
        echo "fuzz: $h: CRASH after ${seconds}s (${runs:-?} runs, $cov); new in fuzz/crashers/$h: $((after - before))"
        grep -E -A 30 '^==[0-9]+==ERROR|runtime error|fuzz_host: |fuzz_[a-z_]*: ' "$out/log/$h.log" | head -n 60
        return 1
    fi
    echo "fuzz: $h: ${runs:-?} runs${FUZZ_RUNS:+ (seed ${FUZZ_SEED:-1})}, $cov, no crash"
}

# Memory an input may use before it counts as a finding: what a worker may
# map by default (--max-memory-mb 4096); above that the pipeline fails the
# input anyway.  At 2048 the photo smoke once stopped on a transient peak
# that no single input reproduces (fuzz/FINDINGS.md).
rss=${FUZZ_RSS_LIMIT_MB:-4096}
# The harnesses' scratch dirs (fuzz_host.c) go under the build dir: one left
# by a process libFuzzer ended (crash, OOM) is removed with the others below.
TMPDIR="$out/tmp"
export TMPDIR
mkdir -p "$out/log" "$TMPDIR"
status=0
running=0
for h in $harnesses; do
    if [ ! -x "$out/bin/fuzz_$h" ]; then
        echo "fuzz: $h: not built (see $out.build.log), skipped"
        continue
    fi
    if [ "$mode" = replay ]; then
        replay_one "$h" || status=1
    elif [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
        (fuzz_one "$h") >"$out/log/$h.summary" 2>&1 &
        running=$((running + 1))
        if [ "$running" -ge "$FUZZ_JOBS" ]; then
            wait || true
            running=0
        fi
    else
        fuzz_one "$h" || status=1
    fi
done
if [ "$mode" = fuzz ] && [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
    wait || true
    for h in $harnesses; do
        [ -f "$out/log/$h.summary" ] || continue
        cat "$out/log/$h.summary"
        grep -q CRASH "$out/log/$h.summary" && status=1
        rm -f "$out/log/$h.summary"
    done
fi
rm -rf "$TMPDIR"
exit $status
