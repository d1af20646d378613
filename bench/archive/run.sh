#!/bin/sh
# Benchmarks of the archive plugin and of `pledgex pack` (issue 4).
#
# usage: bench/archive/run.sh BUILD_DIR [WORK_DIR]
#   BUILD_DIR  an out-of-tree build (core/pledgex, plugins/*/.libs)
#   WORK_DIR   scratch space, default /tmp/pledgex-bench-archive (needs ~4.5 GB
#              free for the 2 GB tar; everything is deleted at the end)
#
# 1. listing-only ingest (members of a type no plugin reads: each is hashed,
#    typed and recorded, none is OCR'd) of a 10000-member tar and ZIP, against
#    `bsdtar -tf` and `unzip -l` in the same hyperfine run;
# 2. peak memory (/usr/bin/time -v) of ingesting a 2 GB tar and a 200 MB tar:
#    flat memory means it does not grow with the archive;
# 3. `pledgex pack --no-metadata` against `zip -0 -r -X` on the same photos.
# Needs hyperfine, bsdtar, zip/unzip, python3, /usr/bin/time.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [WORK_DIR]}" && pwd)
WORK=${2:-${TMPDIR:-/tmp}/pledgex-bench-archive}
PX="$BUILD/core/pledgex"
PLEDGEX_PLUGIN_PATH="$BUILD/plugins/archive/.libs:$BUILD/plugins/text/.libs"
export PLEDGEX_PLUGIN_PATH OMP_THREAD_LIMIT=1
SAMPLES=${PLEDGEX_SAMPLES:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/samples}
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

echo "## machine"
echo "$(nproc) cores, $(uname -r), $(bsdtar --version | head -1), $(zip -v | sed -n 2p | cut -c1-30)"

echo "## 1. listing-only ingest of 10000 members"
python3 - <<'PY'
import os, random, tarfile, zipfile, io
rnd = random.Random(1)
with tarfile.open("many.tar", "w") as t, zipfile.ZipFile("many.zip", "w", zipfile.ZIP_STORED) as z:
    for i in range(10000):
        # A fixed head so libmagic says "data": no plugin reads it.
        data = b"\0PXBENCH" + rnd.randbytes(512 + i % 1024)
        name = "d%02d/member-%05d.bin" % (i % 50, i)
        info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 1710835200
        t.addfile(info, io.BytesIO(data))
        z.writestr(zipfile.ZipInfo(name, (2024, 3, 19, 8, 0, 0)), data)
PY
ls -l many.tar many.zip
hyperfine -N --warmup 1 --runs 3 --export-markdown listing.md \
  --prepare "rm -f $WORK/l.db" \
  "$PX ingest -q -j 1 --db $WORK/l.db many.tar" \
  "$PX ingest -q -j 1 --db $WORK/l.db many.zip" \
  "bsdtar -tf many.tar" \
  "unzip -l many.zip"
cat listing.md

echo "## 2. peak memory: 2 GB tar vs 200 MB tar"
mkdir -p big
# 16 members of 128 MiB of incompressible bytes (no bomb, no dedup).
for i in $(seq -w 1 16); do head -c 134217728 /dev/urandom > big/part-$i.bin; done
tar -cf big2g.tar big
tar -cf big200m.tar big/part-01.bin big/part-02.bin
rm -rf big
ls -l big2g.tar big200m.tar
for t in big200m.tar big2g.tar; do
  rm -f m.db
  /usr/bin/time -v "$PX" ingest -q --in-process --db m.db "$t" 2> time.txt || true
  printf '%s in-process: max RSS %s kB, wall %s\n' "$t" \
    "$(awk -F': ' '/Maximum resident/{print $2}' time.txt)" \
    "$(awk -F': ' '/Elapsed \(wall/{print $2}' time.txt)"
  rm -f m.db
  /usr/bin/time -v "$PX" ingest -q -j 1 --db m.db "$t" 2> time.txt || true
  printf '%s -j 1 (parent; worker is a child): max RSS %s kB, wall %s\n' "$t" \
    "$(awk -F': ' '/Maximum resident/{print $2}' time.txt)" \
    "$(awk -F': ' '/Elapsed \(wall/{print $2}' time.txt)"
done
rm -f big2g.tar big200m.tar

echo "## 3. pack vs zip -0 on the same photos"
mkdir -p photos
# The sample ceremony photos, 100 copies each (JPEGs as cameras write them).
for k in $(seq -w 1 100); do
  for f in "$SAMPLES"/ceremony-2024/photos/*; do
    cp "$f" "photos/$k-$(basename "$f")"
  done
done
du -sh photos
hyperfine -N --warmup 1 --runs 5 --export-markdown pack.md \
  --prepare "rm -f $WORK/p.zip $WORK/z.zip" \
  "$PX pack -q --no-metadata -o $WORK/p.zip photos" \
  "zip -0 -r -q -X $WORK/z.zip photos"
cat pack.md
"$PX" pack -q --no-metadata -o p1.zip photos
"$PX" pack -q --no-metadata -o p2.zip photos
cmp p1.zip p2.zip && echo "pack twice: identical bytes ($(stat -c %s p1.zip) bytes)"
"$PX" verify p1.zip
