#!/usr/bin/env python3
"""Makes the small fixtures of the core tests (fixtures/core/).  They are
checked in; rerun this only to change them.  Standard library only."""
import io
import os
import struct
import sys
import zipfile
import zlib

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "core")
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def png(width, height):
    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


pledge = ("BẢN GIAO ƯỚC THI ĐUA NĂM 2024\n"
          "Nghệ An, ngày 19 tháng 3 năm 2024\n"
          "Các đơn vị trong Khối thi đua Nội chính thống nhất ký giao ước thi đua.\n"
          "1. Đẩy mạnh phong trào \"Chung sức xây dựng nông thôn mới\".\n"
          "2. Ủy ban nhân dân tỉnh chỉ đạo Tòa án nhân dân tỉnh hoàn thành nhiệm vụ.\n")
write("pledge-vi.txt", pledge.encode("utf-8"))
write("article.html", ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Hội nghị ký giao ước"
                       "</title></head><body><h1>Hội nghị ký giao ước thi đua</h1>"
                       "<p>Khối thi đua Nội chính tổ chức hội nghị.</p></body></html>").encode("utf-8"))
write("blank.png", png(8, 8))
write("png-named.txt", png(4, 4))  # the extension lies: libmagic wins
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(zipfile.ZipInfo("a.txt", (2024, 3, 19, 0, 0, 0)), "thi đua")
write("bundle.zip", buf.getvalue())
write("latin1.txt", "Tòa án nhân dân".encode("utf-8") + b" \xff\xfe broken\n")
print("fixtures written to", out)
