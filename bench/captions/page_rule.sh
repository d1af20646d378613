#!/bin/sh
# bench/captions/page_rule.sh -- the photo plugin's picture/page rule:
#  1. its features and decision for every image given (default: the
#     caption fixtures and, when present, the shared samples), to check the
#     thresholds in plugins/photo/photo_page.c against what each image is;
#  2. its cost against the cost it saves: hyperfine runs the rule
#     (photo-page) and a full OCR of the same photos (ocr-bench, the
#     baseline), in the same run, and prints medians and their ratio.
# Usage: bench/captions/page_rule.sh [BUILD_DIR] [IMAGES...]
# Run from the source tree; BUILD_DIR defaults to the current directory.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-.}
[ $# -gt 0 ] && shift
page="$build/bench/captions/photo-page"
ocr="$build/bench/ocr/ocr-bench"
if [ $# -eq 0 ]; then
    set -- "$src"/fixtures/captions/*.jpg "$src"/fixtures/captions/*.png \
        "$src"/fixtures/captions/*.tif
    s=${PLEDGEX_SAMPLES:-$src/../shared/samples}
    if [ -d "$s" ]; then
        set -- "$@" "$s"/ceremony-2024/photos/*.JPG "$s"/ceremony-2024/photos/*.jpg \
            "$s"/pledge-2024/*.png "$s"/pledge-2024/*.jpg "$s"/real-pages/*.tif \
            "$s"/real-pages/*.png
    fi
fi
echo "== decisions"
"$page" "$@"

# Timing: ceremony photos (what the rule keeps away from OCR): the shared
# samples' 1600x1067 photos when present, else the small fixtures.
s=${PLEDGEX_SAMPLES:-$src/../shared/samples}
if [ -d "$s/ceremony-2024/photos" ]; then
    photos=$(ls "$s"/ceremony-2024/photos/*.JPG | grep -v " " | head -6 | tr '\n' ' ')
else
    photos=$(ls "$src"/fixtures/captions/photo-*.jpg | head -6 | tr '\n' ' ')
fi
echo "== cost: rule vs OCR on the photos (OMP_THREAD_LIMIT=1): $photos"
export OMP_THREAD_LIMIT=1
export PLEDGEX_PLUGIN_PATH="$build/plugins/ocr/.libs"
if [ -x "$ocr" ] && command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs 5 --export-json /tmp/page_rule.json \
        "$page $photos" "$ocr $photos" >/dev/null
    python3 - <<'PY'
import json, statistics
r = json.load(open('/tmp/page_rule.json'))['results']
rule, ocr = (statistics.median(x['times']) for x in r)
print(f"rule median {rule*1000:.0f} ms, OCR median {ocr*1000:.0f} ms, "
      f"rule/OCR = {rule/ocr:.3f}")
PY
else
    /usr/bin/time -v "$page" $photos 2>&1 | grep -E "Elapsed|Maximum resident"
fi
