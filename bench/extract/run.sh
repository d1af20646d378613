#!/bin/sh
# bench/extract/run.sh [BUILD_DIR] -- scores extraction (issue 6) against
# gold files, on true text and on OCR output of degraded scans, and times it.
#
#   true text : fixtures/extract/*.txt with their .gold.json, the sample
#               pledge-2024/pledge.gt.txt with pledge.gold.json, and the sample
#               article with bench/extract/gold/baonghean-2024-03-19.gold.json
#   OCR       : `tesseract -l vie` output of the sample's five renderings
#               (clean, signed, scan, photo, sideways), and of every pledge
#               fixture rendered with pango-view and degraded with ImageMagick
#               (1.5 deg skew, noise, blur, JPEG q50) -- what a phone or a tired
#               scanner gives
#   speed     : hyperfine, extraction of all texts with and without the
#               gazetteer, against `cat` of the same files as the baseline
#
# OCR output is cached in $WORK (delete it to redo).  Prints Markdown; the
# numbers in RESULTS.md come from this script.  Environment: PLEDGEX_SAMPLES
# (default ../shared/samples next to the source tree), PLEDGEX_BENCH_TMP.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-/tmp/build-extract}
DUMP=$BUILD/bench/extract/extract-dump
SAMPLES=${PLEDGEX_SAMPLES:-$SRC/../shared/samples}
WORK=${PLEDGEX_BENCH_TMP:-$BUILD/bench/extract/work}
EVAL="python3 $SRC/bench/extract/eval.py"
GZ="-g $SRC/data/units.tsv"
export OMP_THREAD_LIMIT=1

make -s -C "$BUILD" bench/extract/extract-dump >&2
mkdir -p "$WORK/out" "$WORK/ocr"

# dump TEXT NAME: extraction of one text file into $WORK/out/NAME.json
dump() {
    "$DUMP" $GZ "$1" > "$WORK/out/$2.json"
}

ocr() { # IMAGE NAME
    [ -s "$WORK/ocr/$2.txt" ] || nice tesseract "$1" "$WORK/ocr/$2" -l vie >/dev/null 2>&1 ||
        : > "$WORK/ocr/$2.txt"
}

echo "# Extraction benchmark ($(date -u +%Y-%m-%d), $(tesseract --version 2>&1 | head -1))"
echo

# ---- true text --------------------------------------------------------
pairs=""
for f in "$SRC"/fixtures/extract/*.txt; do
    b=$(basename "$f" .txt)
    dump "$f" "$b"
    pairs="$pairs $WORK/out/$b.json ${f%.txt}.gold.json"
done
if [ -f "$SAMPLES/pledge-2024/pledge.gt.txt" ]; then
    dump "$SAMPLES/pledge-2024/pledge.gt.txt" sample-gt
    pairs="$pairs $WORK/out/sample-gt.json $SAMPLES/pledge-2024/pledge.gold.json"
fi
if [ -f "$SAMPLES/articles/baonghean-2024-03-19.txt" ]; then
    dump "$SAMPLES/articles/baonghean-2024-03-19.txt" sample-article
    pairs="$pairs $WORK/out/sample-article.json $SRC/bench/extract/gold/baonghean-2024-03-19.gold.json"
fi
$EVAL $pairs --label "true text: fixtures, sample pledge.gt.txt and sample article"

# Without the gazetteer: the rules alone.
nogz=""
for f in "$SRC"/fixtures/extract/*.txt; do
    b=$(basename "$f" .txt)
    "$DUMP" -G "$f" > "$WORK/out/$b.nogz.json"
    nogz="$nogz $WORK/out/$b.nogz.json ${f%.txt}.gold.json"
done
$EVAL $nogz --label "true text without the gazetteer (fixtures)" | sed -n '1,12p'

# ---- OCR of degraded scans ----------------------------------------------
if command -v tesseract >/dev/null 2>&1; then
    pairs=""
    for v in clean signed scan photo sideways; do
        img=$(ls "$SAMPLES"/pledge-2024/pledge.$v.* 2>/dev/null | head -1)
        [ -n "$img" ] || continue
        ocr "$img" "sample-$v"
        dump "$WORK/ocr/sample-$v.txt" "ocr-sample-$v"
        pairs="$pairs $WORK/out/ocr-sample-$v.json $SAMPLES/pledge-2024/pledge.gold.json"
        $EVAL "$WORK/out/ocr-sample-$v.json" "$SAMPLES/pledge-2024/pledge.gold.json" --json |
            python3 -c 'import json,sys; r=json.load(sys.stdin); f=r["fields"]; print("- sample %-9s units F1 %.3f, dates F1 %.3f, signatories F1 %.3f, people F1 %.3f, items %s" % (sys.argv[1], f["units"]["f1"], f["dates"]["f1"], f["signatories"]["f1"], f["people"]["f1"], "exact" if r["exact_item_count"] == 1 else "wrong"))' "$v"
    done
    echo
    $EVAL $pairs --label "OCR of the sample's five renderings"
    # The same images straightened first (orientation from tesseract's OSD,
    # ImageMagick -deskew), as an OCR stage that straightens pages would
    # feed extraction.
    pairs=""
    for v in clean signed scan photo sideways; do
        img=$(ls "$SAMPLES"/pledge-2024/pledge.$v.* 2>/dev/null | head -1)
        [ -n "$img" ] || continue
        if [ ! -s "$WORK/ocr/prep-$v.txt" ]; then
            rot=$(tesseract "$img" - -l osd --psm 0 2>/dev/null | sed -n 's/^Rotate: //p')
            convert "$img" -rotate "${rot:-0}" -deskew 40% -colorspace gray "$WORK/ocr/prep-$v.png"
            ocr "$WORK/ocr/prep-$v.png" "prep-$v"
        fi
        dump "$WORK/ocr/prep-$v.txt" "ocr-prep-$v"
        pairs="$pairs $WORK/out/ocr-prep-$v.json $SAMPLES/pledge-2024/pledge.gold.json"
    done
    $EVAL $pairs --label "OCR of the sample's renderings after orientation and deskew"
    # The same images read by pledgex's own OCR (plugins/ocr: orientation,
    # deskew, ink removal, light normalisation), as ingest feeds extraction.
    PX=$BUILD/core/pledgex
    if [ -x "$PX" ]; then
        pairs=""
        for v in clean signed scan photo sideways; do
            img=$(ls "$SAMPLES"/pledge-2024/pledge.$v.* 2>/dev/null | head -1)
            [ -n "$img" ] || continue
            if [ ! -s "$WORK/ocr/px-$v.txt" ]; then
                rm -f "$WORK/px.db" "$WORK/px.db-wal" "$WORK/px.db-shm"
                "$PX" ingest -q --in-process --db "$WORK/px.db" "$img" >/dev/null 2>&1 || true
                "$PX" export --db "$WORK/px.db" |
                    python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])' \
                        > "$WORK/ocr/px-$v.txt" || : > "$WORK/ocr/px-$v.txt"
            fi
            dump "$WORK/ocr/px-$v.txt" "ocr-px-$v"
            pairs="$pairs $WORK/out/ocr-px-$v.json $SAMPLES/pledge-2024/pledge.gold.json"
        done
        $EVAL $pairs --label "pledgex OCR (plugins/ocr) of the sample's five renderings"
    fi
    if command -v pango-view >/dev/null 2>&1 && command -v convert >/dev/null 2>&1; then
        rp=""
        for f in "$SRC"/fixtures/extract/pledge-*.txt; do
            b=$(basename "$f" .txt)
            if [ ! -s "$WORK/ocr/render-$b.txt" ]; then
                pango-view -q --font="DejaVu Serif 10" --dpi=300 --margin=80 \
                    -o "$WORK/ocr/$b.png" "$f"
                # (a fixed seed: the same noise every run, so runs compare)
                convert "$WORK/ocr/$b.png" -seed 1 -background white -rotate 1.5 \
                    -attenuate 0.3 +noise Gaussian -blur 0x0.6 -colorspace gray \
                    -quality 50 "$WORK/ocr/$b.jpg"
                ocr "$WORK/ocr/$b.jpg" "render-$b"
            fi
            dump "$WORK/ocr/render-$b.txt" "ocr-render-$b"
            rp="$rp $WORK/out/ocr-render-$b.json ${f%.txt}.gold.json"
        done
        $EVAL $rp --label "OCR of degraded renderings of the pledge fixtures"
        if [ -x "$BUILD/core/pledgex" ]; then
            pp=""
            for f in "$SRC"/fixtures/extract/pledge-*.txt; do
                b=$(basename "$f" .txt)
                if [ ! -s "$WORK/ocr/px-render-$b.txt" ]; then
                    rm -f "$WORK/px.db" "$WORK/px.db-wal" "$WORK/px.db-shm"
                    "$BUILD/core/pledgex" ingest -q --in-process --db "$WORK/px.db" \
                        "$WORK/ocr/$b.jpg" >/dev/null 2>&1 || true
                    "$BUILD/core/pledgex" export --db "$WORK/px.db" |
                        python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])' \
                            > "$WORK/ocr/px-render-$b.txt" || : > "$WORK/ocr/px-render-$b.txt"
                fi
                dump "$WORK/ocr/px-render-$b.txt" "ocr-px-render-$b"
                pp="$pp $WORK/out/ocr-px-render-$b.json ${f%.txt}.gold.json"
            done
            $EVAL $pp --label "pledgex OCR of the degraded renderings of the pledge fixtures"
        fi
        $EVAL $rp --loose --label "same, accents ignored" | sed -n '1,12p'
    fi
fi

# ---- speed ----------------------------------------------------------------
if command -v hyperfine >/dev/null 2>&1; then
    files="$SRC/fixtures/extract/*.txt"
    [ -f "$SAMPLES/articles/baonghean-2024-03-19.txt" ] &&
        files="$files $SAMPLES/articles/baonghean-2024-03-19.txt"
    # One bigger text: every fixture and the article, 20 times over.
    for k in $(seq 20); do cat $files; done > "$WORK/all.txt"
    hyperfine -N -w 3 -r 20 --export-json "$WORK/speed.json" \
        -n "cat (baseline)" "cat $WORK/all.txt" \
        -n "extract, no gazetteer" "$DUMP -G $WORK/all.txt" \
        -n "extract, gazetteer" "$DUMP $GZ $WORK/all.txt" >/dev/null 2>&1 || true
    echo "## Speed (hyperfine -N, $(wc -c < "$WORK/all.txt") bytes of text in one file)"
    echo
    python3 - "$WORK/speed.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
base = statistics.median(r[0]["times"])
print("| command | median [ms] | min [ms] | max [ms] | median / baseline |")
print("|---|---|---|---|---|")
for x in r:
    m = statistics.median(x["times"])
    print("| %s | %.1f | %.1f | %.1f | %.1f |" % (x["command"], m * 1e3, min(x["times"]) * 1e3,
                                               max(x["times"]) * 1e3, m / base))
PY
    echo
    # Wall time suffers when other builds share the machine; CPU time less.
    printf 'CPU time (user, median of 5), extraction with the gazetteer: '
    for k in 1 2 3 4 5; do
        /usr/bin/time -f "%U" "$DUMP" $GZ "$WORK/all.txt" 2>&1 >/dev/null | tail -1
    done | sort -n | sed -n '3s/$/ s/p'
    printf 'Peak memory, extraction with the gazetteer (/usr/bin/time -v): '
    /usr/bin/time -v "$DUMP" $GZ "$WORK/all.txt" 2>&1 >/dev/null |
        sed -n 's/^.*Maximum resident set size (kbytes): \(.*\)/\1 kB/p'
fi
