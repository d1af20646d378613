#!/bin/sh
# Installs the Debian 12 packages pledgex needs to build, test and benchmark.
# Only missing packages are installed; safe to run repeatedly.  Needs root.
set -eu

BUILD="build-essential autoconf automake libtool pkg-config git ca-certificates
 libarchive-dev libzip-dev libmagic-dev libtesseract-dev libleptonica-dev
 libcunit1-dev libsqlite3-dev libutf8proc-dev libxml2-dev libexif-dev
 libiptcdata0-dev libhunspell-dev libpoppler-glib-dev nettle-dev libzstd-dev"
RUNTIME="tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
 tesseract-ocr-script-viet hunspell-vi hunspell-en-us file"
TESTTOOLS="libimage-exiftool-perl imagemagick zip unzip p7zip-full libarchive-tools
 cpio genisoimage zstd xz-utils bzip2 img2pdf poppler-utils fonts-dejavu-core
 python3 pango1.0-tools qpdf hyperfine ocrmypdf time recollcmd"
# Only for fuzz/build.sh and scripts/sanitize.sh, which set PLEDGEX_WITH_FUZZ=1:
# clang, its libFuzzer/ASan/UBSan runtimes and llvm-symbolizer for stacks.
FUZZ="clang libclang-rt-14-dev llvm-14"

want=""
for p in $BUILD $RUNTIME $TESTTOOLS ${PLEDGEX_WITH_FUZZ:+$FUZZ} ${PLEDGEX_EXTRA_PACKAGES:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || want="$want $p"
done
if [ -n "$want" ]; then
    echo "install-deps: installing:$want"
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: run as root (or with sudo) to install packages" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $want
fi
