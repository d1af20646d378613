#!/bin/sh
# Builds the demo batch (a folder that looks like what users bring: a news
# article, a scanned pledge, ceremony photos with captions in their
# metadata, and a ZIP of photos) from the texts in fixtures/demo.
# Usage: scripts/make-demo-inputs.sh OUTDIR
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)/fixtures/demo
out=$1
rm -rf "$out"
mkdir -p "$out/scans" "$out/photos" "$out/articles"
cp "$src/article-hatinh-2025.txt" "$out/articles/"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# The pledge as a 200 dpi scan, slightly rotated, with noise (seeded: the
# demo reads the same page every time).
convert -seed 17 -density 200 -units PixelsPerInch -size 1654x2339 xc:white -font "$font" \
    -pointsize 11 -fill black -annotate +120+160 "$(cat "$src/pledge-hatinh-2025.txt")" \
    -rotate 1.2 -background white -flatten -attenuate 0.3 +noise Gaussian \
    -colorspace Gray -quality 85 "$out/scans/pledge-hatinh-2025.jpg"
# Two ceremony photos (no text in the picture) with captions in metadata.
photo() { # name caption
    convert -size 640x427 gradient:'#6a8caf-#d8c8a0' -blur 0x3 \
        -fill '#8b1e1e' -draw 'rectangle 40,300 600,400' -quality 80 "$out/photos/$1"
    exiftool -q -overwrite_original -charset iptc=UTF8 -codedcharacterset=UTF8 \
        -IPTC:Caption-Abstract="$2" -XMP-dc:Description="$2" -EXIF:ImageDescription="$2" \
        -EXIF:DateTimeOriginal='2025:02:14 09:45:00' -IPTC:By-line='MA' "$out/photos/$1"
}
photo DSC_1024.JPG "Ông Trần Văn Bình - Giám đốc Sở Kế hoạch và Đầu tư, Khối trưởng phát biểu khai mạc hội nghị. Ảnh: MA"
photo DSC_1031.JPG "Đại diện lãnh đạo các đơn vị trong Khối ký giao ước thi đua năm 2025. Ảnh: MA"
(cd "$out/photos" && zip -q -X ../ceremony-2025.zip DSC_1031.JPG && rm DSC_1031.JPG)
echo "demo inputs in $out"
