#!/bin/sh
# bench/search/run.sh -- search benchmark: ingest rate, index size and
# search latency of pledgex at 10k and 100k documents, against recoll and a
# bare batched FTS5 insert measured in the same run.
#
# usage: bench/search/run.sh [BUILD_DIR] [WORK_DIR] [SIZES]
#   BUILD_DIR  a configured and built pledgex tree (default /tmp/build-search)
#   WORK_DIR   scratch space, ~2 GB at 100k (default /tmp/pledgex-bench-search)
#   SIZES      document counts (default "10000 100000")
# Needs: python3, hyperfine, recoll (recollindex, recollq: Debian recollcmd),
# /usr/bin/time, all installed by scripts/install-deps.sh.
# Output: WORK_DIR/results.tsv and a log on stdout; RESULTS.md quotes a run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-/tmp/build-search}
work=${2:-${TMPDIR:-/tmp}/pledgex-bench-search}
sizes=${3:-"10000 100000"}
mkdir -p "$work"
out="$work/results.tsv"
: > "$out"
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >> "$out"; }

# The in-process driver (a check program of the build: tests/local.mk).
# BENCH_MAKE_ARGS: extra make arguments, e.g. LIBS=... for a partial tree.
# shellcheck disable=SC2086
make -s -C "$build" bench/search/search-bench core/pledgex plugins/text/text.la ${BENCH_MAKE_ARGS:-}
cp "$build/bench/search/search-bench" "$work/search-bench"
# The program itself, not a libtool wrapper script (which starts a shell
# and costs more than a search): core/pledgex links the engine in, so it is
# the program; older trees had it in core/.libs.
pledgex="$build/core/pledgex"
head -c 4 "$pledgex" | grep -q ELF || pledgex="$build/core/.libs/pledgex"
export LD_LIBRARY_PATH="$build/core/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PLEDGEX_PLUGIN_PATH="$build/plugins/text/.libs"

# Peak RSS (kB), elapsed and CPU (user + system, children included)
# seconds of a command, from GNU time.  On a shared machine the CPU time is
# the steadier measure.
timed() {
    /usr/bin/time -f '%M %e %U %S' -o "$work/time.txt" "$@" > "$work/cmd.out" 2>&1 || {
        cat "$work/cmd.out" >&2; return 1; }
    read -r rss secs user sys < "$work/time.txt"
    cpu=$(echo "$user + $sys" | bc)
}

say "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
    corpus="$work/c$n"
    if [ ! -f "$corpus.tsv" ] || [ "$(wc -l < "$corpus.tsv")" -ne "$n" ]; then
        rm -rf "$corpus" "$corpus.tsv"
        python3 "$here/gen_corpus.py" "$n" "$corpus"
    fi
    raw=$(cut -f1 "$corpus.tsv" | (cd "$corpus" && xargs cat) | wc -c)
    say "corpus	$n	raw_bytes	$raw"

    # 1. pledgex ingest, the whole command (workers = cores).
    rm -f "$work/ing$n.db"*
    timed "$pledgex" ingest -q --db "$work/ing$n.db" "$corpus"
    say "pledgex_ingest	$n	secs	$secs	docs_per_s	$(echo "$n / $secs" | bc)	cpu_s	$cpu	peak_kb	$rss	db_bytes	$(stat -c %s "$work/ing$n.db")"

    # 2. The index alone, through the writer's API, with unit and date
    #    entities (the search database for the rest).
    rm -f "$work/idx$n.db"*
    timed "$work/search-bench" load "$work/idx$n.db" "$corpus.tsv" "$corpus"
    say "index_put	$n	secs	$secs	docs_per_s	$(echo "$n / $secs" | bc)	cpu_s	$cpu	peak_kb	$rss	db_bytes	$(stat -c %s "$work/idx$n.db")"
    "$work/search-bench" fts-stats "$work/idx$n.db" | sed "s/^/index_parts	$n	/" | tee -a "$out"

    # 3. Bare FTS5, batched, from Python.
    timed python3 "$here/fts5_baseline.py" "$corpus.tsv" "$corpus" "$work/fts$n.db"
    say "fts5_baseline	$n	secs	$(cut -f3 "$work/cmd.out" | cut -d' ' -f1)	docs_per_s	$(cut -f4 "$work/cmd.out" | cut -d' ' -f1)	cpu_s	$cpu	peak_kb	$rss	db_bytes	$(stat -c %s "$work/fts$n.db")"

    # 4. Recoll on the same files.
    conf="$work/recoll$n"
    rm -rf "$conf"
    mkdir -p "$conf"
    printf 'topdirs = %s\ndbdir = %s/xapiandb\nloglevel = 1\n' "$corpus" "$conf" > "$conf/recoll.conf"
    timed recollindex -c "$conf"
    say "recollindex	$n	secs	$secs	docs_per_s	$(echo "$n / $secs" | bc)	cpu_s	$cpu	peak_kb	$rss	index_bytes	$(du -sb "$conf/xapiandb" | cut -f1)"

    # 5. In-process search latency over the query set (3 rounds), as
    #    the writer left the index (it merges the FTS5 segments its session
    #    wrote when it closes: core/index_sqlite.c, merge_segments) and
    #    after a whole 'optimize', which should change little.
    "$work/search-bench" query "$work/idx$n.db" "$here/queries.tsv" 3 | sed "s/^/inproc	$n	/" | tee -a "$out"
    # and on the index `pledgex ingest` made (step 1): its documents name
    # every unit and date the extraction found, so the filters pass more.
    "$work/search-bench" query "$work/ing$n.db" "$here/queries.tsv" 3 | sed "s/^/inproc_ingest_db	$n	/" | tee -a "$out"
    "$work/search-bench" optimize "$work/idx$n.db" | sed "s/^/index_optimize	$n	/" | tee -a "$out"
    "$work/search-bench" fts-stats "$work/idx$n.db" | sed "s/^/index_parts_optimized	$n	/" | tee -a "$out"
    say "index_optimized	$n	db_bytes	$(stat -c %s "$work/idx$n.db")"
    "$work/search-bench" query "$work/idx$n.db" "$here/queries.tsv" 3 | sed "s/^/inproc_optimized	$n	/" | tee -a "$out"

    # 6. Whole commands, median of hyperfine runs: pledgex search vs recollq.
    for q in "thi dua" "thi đua" "giao ước thi đua" "Bộ đội Biên phòng" "tân binh"; do
        hyperfine -N -w 2 -r 15 --export-json "$work/h.json" \
            "$pledgex search --db $work/idx$n.db --limit 20 '$q'" \
            "recollq -c $conf -n 20 '$q'" > /dev/null 2>&1
        python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"]
print("whole_cmd\t%s\t%s\tpledgex_median_ms\t%.2f\trecollq_median_ms\t%.2f" % (sys.argv[2], sys.argv[3], r[0]["median"]*1e3, r[1]["median"]*1e3))' "$work/h.json" "$n" "$q" | tee -a "$out"
    done
    # Documents found for `thi đua` typed with and without accents (the
    # corpus says `thi đua`; a few sentences carry generated OCR damage).
    for q in "thi đua" "thi dua" "dang bo"; do
        p=$("$work/search-bench" count "$work/idx$n.db" "$q")
        r=$(recollq -c "$conf" -n 1 "$q" 2>/dev/null | sed -n 's/^\([0-9]*\) results.*/\1/p')
        say "found	$n	$q	pledgex	$p	recollq	${r:-0}"
    done
done
