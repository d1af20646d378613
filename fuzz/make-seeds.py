#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into fuzz/corpus/<harness>/.

Seeds are tiny on purpose (a few hundred bytes): libFuzzer mutates small
inputs much faster, and every seed only has to reach a parser's interesting
paths (an EXIF block, an IPTC dataset, an XMP packet, a ZIP central
directory, a date, a unit name), not to look like a real file in full.

Needs: exiftool, ImageMagick (convert), zip, tar, bsdtar, iconv.  The seeds
are checked in; rerun this only to change them.  usage: make-seeds.py [DIR]
"""
import os
import shutil
import subprocess
import sys
import tempfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "fuzz", "corpus")

TEXTS = [
    "Chiều ngày 19/3, tại Thanh tra tỉnh, Khối thi đua Nội chính - Lực lượng vũ trang "
    "tổ chức Hội nghị ký giao ước thi đua năm 2024.",
    "UBND tỉnh Nghệ An\nBẢN GIAO ƯỚC THI ĐUA NĂM 2024\n1. Hoàn thành 100% chỉ tiêu.\n"
    "2. Không có cán bộ vi phạm.\nNghệ An, ngày 19 tháng 3 năm 2024\nTM. CỤM TRƯỞNG\n"
    "GIÁM ĐỐC\nNguyễn Văn A",
    "Quý IV/2023, giai đoạn 2021-2025, trước ngày 30/6. Ủy ban nhân dân huyện Nghi Lộc; "
    "Sở Tư pháp; Công an tỉnh Thanh Hóa; Đại tá Trần Văn B, Giám đốc Công an tỉnh.",
    "Khánh Ly 19/03/2024 17:01\n(Baonghean.vn) - Ảnh: KL\nIMG_0528.JPG\nCác đồng chí Uỷ viên BCH "
    "Đảng bộ tỉnh chủ trì Hội nghị. Ảnh: Thu Hà",
]
CAPTION = "Lễ ký giao ước thi đua năm 2024 của Khối Nội chính. Ảnh: KL"


def put(harness, name, data):
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def run(*cmd, cwd=None):
    subprocess.run(cmd, check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def iconv(text, enc):
    p = subprocess.run(["iconv", "-f", "UTF-8", "-t", enc + "//TRANSLIT"],
                       input=text.encode(), capture_output=True)
    return p.stdout if p.returncode == 0 else None


def text_seeds():
    for i, t in enumerate(TEXTS):
        put("text", "vi-%d" % i, b"\0" + t.encode())
        put("article", "plain-%d" % i, b"\4" + t.encode())
    put("text", "bom-invalid", b"\0\xef\xbb\xbfNg\xe0y 19/3 \xff\xfe")
    # encoding: selector byte (see fuzz_encoding.c) + bytes in that encoding
    put("encoding", "utf8", b"\6" + TEXTS[0].encode())
    put("encoding", "utf16le", b"\4\xff\xfe" + TEXTS[0].encode("utf-16-le"))
    put("encoding", "utf16be-nobom", b"\5" + TEXTS[0].encode("utf-16-be"))
    for sel, enc in ((1, "CP1258"), (2, "VISCII"), (3, "TCVN")):
        b = iconv(TEXTS[0], enc)
        if b:
            put("encoding", enc.lower(), bytes([sel]) + b)
    # article: html (selector 0), xhtml (1), markdown (2)
    html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ký giao ước thi đua"
            "</title><meta property=\"article:published_time\" content=\"2024-03-19T17:01:00+07:00\">"
            "</head><body><article><h1>Đẩy mạnh phong trào thi đua</h1><p class=\"author\">Khánh Ly"
            "</p><p>%s</p><figure><img src=\"IMG_0528.JPG\"><figcaption>%s</figcaption></figure>"
            "<script>var x=1;</script></article></body></html>" % (TEXTS[0], CAPTION))
    put("article", "html", b"\0" + html.encode())
    put("article", "html-cp1258", b"\0" + html.replace("utf-8", "windows-1258")
        .encode("cp1258", "replace"))
    put("article", "xhtml", b"\1<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
        b"<body><p>" + TEXTS[2].encode() + b"</p></body></html>")
    put("article", "markdown", b"\2# " + TEXTS[1].encode() + b"\n\n![" + CAPTION.encode()
        + b"](IMG_0528.JPG)\n")


def extract_seeds():
    for i, t in enumerate(TEXTS):
        put("extract", "vi-%d" % i, t)
    put("extract", "with-context", TEXTS[0] + "\x1f2024-03-19T17:01:00+07:00\x1f2024:03:19 09:00:00"
        "\x1f" + CAPTION)
    put("extract", "caps", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n"
        "ngày 05 tháng 01 năm 2023; năm học 2023-2024; 6 tháng đầu năm")


def image_seeds(tmp):
    jpg = os.path.join(tmp, "p.jpg")
    run("convert", "-size", "8x8", "xc:gray", "-quality", "50", jpg)
    run("exiftool", "-q", "-overwrite_original", "-all=",
        "-EXIF:ImageDescription=" + CAPTION, "-EXIF:XPComment=" + CAPTION,
        "-EXIF:UserComment=" + CAPTION, "-EXIF:DateTimeOriginal=2024:03:19 09:00:00",
        "-EXIF:Artist=Khánh Ly", "-IPTC:Caption-Abstract=" + CAPTION, "-IPTC:By-line=KL",
        "-IPTC:CodedCharacterSet=UTF8", "-IPTC:DateCreated=20240319",
        "-IPTC:TimeCreated=090000+0700", "-XMP-dc:Description=" + CAPTION,
        "-XMP-dc:Creator=Khánh Ly", "-XMP-photoshop:DateCreated=2024-03-19T09:00:00+07:00",
        jpg)
    png = os.path.join(tmp, "p.png")
    run("convert", "-size", "4x4", "xc:white", png)
    run("exiftool", "-q", "-overwrite_original", "-XMP-dc:Description=" + CAPTION,
        "-EXIF:ImageDescription=" + CAPTION, png)
    tif = os.path.join(tmp, "p.tif")
    run("convert", "-size", "4x4", "xc:white", "-compress", "none", tif)
    run("exiftool", "-q", "-overwrite_original", "-EXIF:ImageDescription=" + CAPTION,
        "-IPTC:Caption-Abstract=" + CAPTION, tif)
    plain = os.path.join(tmp, "q.jpg")
    run("convert", "-size", "8x8", "xc:gray", "-quality", "50", plain)
    run("exiftool", "-q", "-overwrite_original", "-all=", plain)
    # photo_meta: 0 jpeg, 1 png, 2 tiff; photo: claims order jpeg, png, tiff, heic,
    # heif, rdf+xml
    for harness in ("photo_meta", "photo"):
        put(harness, "jpeg-all", b"\0" + open(jpg, "rb").read())
        put(harness, "jpeg-bare", b"\0" + open(plain, "rb").read())
        put(harness, "png-xmp", b"\1" + open(png, "rb").read())
        put(harness, "tiff", b"\2" + open(tif, "rb").read())
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           '22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated="2024-03-19">'
           '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt>'
           '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>' % CAPTION)
    put("photo", "sidecar-xmp", b"\5" + xmp.encode())
    put("photo_meta", "xmp-packet", b"\0" + xmp.encode())
    exif = subprocess.run(["exiftool", "-b", "-EXIF", jpg], capture_output=True).stdout
    if exif:
        put("photo_meta", "exif-mem", b"\3Exif\0\0" + exif)


def archive_seeds(tmp):
    src = os.path.join(tmp, "a")
    os.makedirs(os.path.join(src, "ảnh 2024"))
    with open(os.path.join(src, "ảnh 2024", "giao-ước.txt"), "w") as f:
        f.write(TEXTS[0])
    with open(os.path.join(src, "b.txt"), "w") as f:
        f.write("x" * 200)
    os.symlink("../../etc/passwd", os.path.join(src, "link"))

    def arc(name, *cmd):
        run(*cmd, cwd=src)
        return open(os.path.join(tmp, name), "rb").read()

    # selectors: the index of the MIME type among the plugin's exact claims
    # does not matter much: the plugin lets libarchive find the format.
    put("archive", "zip", b"\0" + arc("a.zip", "zip", "-qry", "../a.zip", "."))
    put("archive", "tar", b"\2" + arc("a.tar", "tar", "--format=ustar", "-cf", "../a.tar", "."))
    put("archive", "tar-gz", b"\5" + arc("a.tgz", "tar", "-czf", "../a.tgz", "."))
    put("archive", "cpio", b"\1" + arc("a.cpio", "bsdtar", "--format=cpio", "-cf", "../a.cpio", "."))
    put("archive", "7z", b"\3" + arc("a.7z", "bsdtar", "--format=7zip", "-cf", "../a.7z", "."))
    # a zip inside a zip
    inner = os.path.join(tmp, "a.zip")
    shutil.copy(inner, os.path.join(src, "inner.zip"))
    put("archive", "nested-zip", b"\0" + arc("n.zip", "zip", "-q0", "../n.zip", "inner.zip"))


def office_seeds(tmp):
    import zipfile
    para = "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % t for t in TEXTS[:2])
    docx = os.path.join(tmp, "a.docx")
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document '
                   'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   '<w:body>%s<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Sở Tư pháp</w:t></w:r></w:p>'
                   '</w:tc></w:tr></w:tbl></w:body></w:document>' % para)
        z.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxml'
                   'formats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/'
                   'dc/elements/1.1/"><dc:title>Giao ước</dc:title></cp:coreProperties>')
    odt = os.path.join(tmp, "a.odt")
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                   '<office:text><text:h>%s</text:h><text:p>%s<text:s/>%s</text:p></office:text>'
                   '</office:body></office:document-content>' % (TEXTS[0], TEXTS[1], CAPTION))
    put("office", "docx", b"\0" + open(docx, "rb").read())
    put("office", "odt", b"\1" + open(odt, "rb").read())


def main():
    shutil.rmtree(out, ignore_errors=True)
    text_seeds()
    extract_seeds()
    with tempfile.TemporaryDirectory() as tmp:
        image_seeds(tmp)
        archive_seeds(tmp)
        office_seeds(tmp)


main()
