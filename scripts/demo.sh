#!/bin/sh
# The main job on the project's own demo inputs: installs what is missing,
# builds, ingests a batch (an article, a scanned pledge, captioned photos,
# a ZIP) into the embedded index, and shows searches.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PLEDGEX_BUILD_DIR:-$top/build}
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"
"$top/scripts/make-demo-inputs.sh" "$build/demo-input"
db="$build/demo.db"
rm -f "$db" "$db-wal" "$db-shm"
px="$build/core/pledgex"
set -x
"$px" ingest --db "$db" "$build/demo-input"
"$px" search --db "$db" "giao uoc thi dua"
"$px" search --db "$db" --unit "Sở Kế hoạch và Đầu tư" "Trần Văn Bình"
"$px" units --db "$db"
