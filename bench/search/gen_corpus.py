#!/usr/bin/env python3
"""Generates a corpus of Vietnamese public-sector documents for the search
benchmark by recombining real sentences (the sample texts) with our own
public-sector sentences, varying units, places and years.

usage: gen_corpus.py N OUTDIR [SEED]
Writes OUTDIR/dNNNNNN.txt (about 1 KB each, NFC UTF-8) and OUTDIR.tsv
(file, unit, year, date) so a driver can attach unit and date entities.
Deterministic for a given seed."""
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.environ.get("PLEDGEX_SAMPLES",
                         os.path.join(HERE, "..", "..", "..", "shared", "samples"))

PROVINCES = ["Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế",
             "Đà Nẵng", "Quảng Nam", "Bình Định", "Phú Yên", "Khánh Hòa", "Đắk Lắk",
             "Lâm Đồng", "Đồng Nai", "Bình Dương", "Cần Thơ", "An Giang", "Hải Phòng",
             "Hà Nội", "Thái Bình", "Nam Định", "Ninh Bình", "Lào Cai", "Yên Bái"]
AGENCIES = ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ đội Biên phòng tỉnh",
            "Sở Tư pháp", "Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh",
            "Cục Thi hành án dân sự tỉnh", "Thanh tra tỉnh", "Sở Nội vụ", "Sở Y tế",
            "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Đảng bộ Khối các cơ quan tỉnh",
            "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn", "Liên đoàn Lao động tỉnh"]

OWN = """Ủy ban nhân dân tỉnh {p} phát động phong trào thi đua yêu nước năm {y}.
Các đơn vị trong Khối thi đua ký giao ước thi đua hoàn thành xuất sắc nhiệm vụ được giao.
{a} {p} đăng ký danh hiệu Cờ thi đua của Chính phủ năm {y}.
Đảng bộ {a} lãnh đạo thực hiện thắng lợi nghị quyết đại hội nhiệm kỳ {y0}-{y1}.
Đẩy mạnh cải cách hành chính, chuyển đổi số, nâng cao chất lượng phục vụ nhân dân.
Thực hành tiết kiệm, chống lãng phí, phòng chống tham nhũng, tiêu cực.
Hội đồng Thi đua - Khen thưởng tỉnh {p} tổng kết công tác thi đua, khen thưởng năm {y}.
Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến, gương người tốt việc tốt.
Tăng cường quan hệ phối hợp giữa các đơn vị trong Khối; hoà hợp, đoàn kết, thống nhất.
Chủ tịch Ủy ban nhân dân tỉnh trao Bằng khen cho {n} tập thể và cá nhân có thành tích xuất sắc.
Bảo đảm an ninh chính trị, trật tự an toàn xã hội trên địa bàn tỉnh {p}.
Cán bộ, chiến sĩ Bộ đội Biên phòng giữ vững chủ quyền an ninh biên giới quốc gia.
Tòa án nhân dân tỉnh nâng cao chất lượng xét xử, hòa giải thành các vụ việc dân sự.
Toà án nhân dân hai cấp giải quyết {n} vụ án, đạt tỷ lệ {k} phần trăm.
Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh vận động nhân dân xây dựng nông thôn mới.
Thi đua lập thành tích chào mừng kỷ niệm ngày thành lập {a}.
Kế hoạch số {n}/KH-UBND ngày {d}/{m}/{y} về tổ chức phong trào thi đua.
Quyết định số {n}/QĐ-UBND về việc tặng danh hiệu Tập thể lao động xuất sắc năm {y}.
Năm {y}, đơn vị hoàn thành {k} chỉ tiêu, vượt kế hoạch đề ra.
Sở Tư pháp tuyên truyền, phổ biến giáo dục pháp luật đến {n} lượt người dân.
Viện Kiểm sát nhân dân tỉnh thực hành quyền công tố, kiểm sát hoạt động tư pháp.
Cục Thi hành án dân sự thi hành xong {n} việc, thu được {k} tỷ đồng.
Thanh tra tỉnh tiến hành {n} cuộc thanh tra hành chính, kiến nghị thu hồi {k} tỷ đồng.
Công an tỉnh đấu tranh, triệt phá {n} chuyên án về ma túy và tội phạm công nghệ cao.
Bộ Chỉ huy Quân sự tỉnh hoàn thành chỉ tiêu tuyển quân năm {y} với {n} tân binh.
Phong trào "Toàn dân bảo vệ an ninh Tổ quốc" được triển khai sâu rộng.
Phong trào "Dân vận khéo" gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.
Quang cảnh hội nghị ký kết giao ước thi đua năm {y}. Ảnh: KL
Lãnh đạo các đơn vị ký giao ước thi đua tại hội trường {a}.
Đồng chí Trưởng ban Thi đua - Khen thưởng phát biểu chỉ đạo hội nghị.
Đại biểu dự hội nghị sơ kết sáu tháng đầu năm {y} của Khối thi đua.
Tập thể cán bộ, công chức, viên chức, người lao động quyết tâm thực hiện thắng lợi nhiệm vụ."""


def sentences_from_samples():
    out = []
    for rel in ("pledge-2024/pledge.gt.txt", "articles/baonghean-2024-03-19.txt"):
        try:
            with open(os.path.join(SAMPLES, rel), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        for para in text.split("\n"):
            para = para.strip()
            if len(para) < 30 or para.upper().endswith(".JPG"):
                continue
            for s in re.split(r"(?<=[.;!?])\s+", para):
                if len(s) >= 30:
                    out.append(s)
    return out


def ocr_damage(s, rng):
    """Replaces one letter's tone or one letter, as OCR does."""
    tones = {"ò": "ỏ", "à": "ả", "ư": "u", "ơ": "o", "ế": "ề", "ộ": "ỗ", "đ": "d", "n": "u"}
    chars = list(s)
    idx = [i for i, c in enumerate(chars) if c in tones]
    if idx:
        i = rng.choice(idx)
        chars[i] = tones[chars[i]]
    return "".join(chars)


def main():
    n = int(sys.argv[1])
    outdir = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    os.makedirs(outdir, exist_ok=True)
    real = sentences_from_samples()
    own = OWN.split("\n")
    units = [(a, p) for p in PROVINCES for a in AGENCIES]
    manifest = open(outdir.rstrip("/") + ".tsv", "w", encoding="utf-8")
    for i in range(n):
        a, p = rng.choice(units)
        y = rng.randint(2015, 2025)
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        unit = f"{a} {p}"
        head = [f"ỦY BAN NHÂN DÂN TỈNH {p.upper()}", unit.upper(),
                f"{p}, ngày {d} tháng {m} năm {y}"]
        body = []
        size = sum(len(h) for h in head)
        while size < 900:
            pool = real if rng.random() < 0.5 else own
            s = rng.choice(pool).format(p=p, a=a, y=y, y0=y - 1, y1=y + 4,
                                        n=rng.randint(2, 900), k=rng.randint(80, 120),
                                        d=d, m=m)
            s = re.sub(r"\b20(1\d|2\d)\b", str(y), s) if rng.random() < 0.7 else s
            if rng.random() < 0.05:
                s = ocr_damage(s, rng)
            if rng.random() < 0.02:
                s = s.upper()
            body.append(s)
            size += len(s.encode("utf-8")) // 1 + 1
        text = "\n".join(head) + "\n\n" + " ".join(body) + "\n"
        text = unicodedata.normalize("NFC", text)
        name = f"d{i:06d}.txt"
        sub = os.path.join(outdir, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, name), "w", encoding="utf-8") as f:
            f.write(text)
        manifest.write(f"{i // 1000:03d}/{name}\t{unit}\t{y}\t{y}-{m:02d}-{d:02d}\n")
    manifest.close()


if __name__ == "__main__":
    main()
