#!/usr/bin/env python3
"""bench/ocr/random_pages.py -- pledge pages laid out as offices print them,
degraded at random, read by one or two builds of the "ocr" plugin.

    bench/ocr/random_pages.py BUILD_DIR [--baseline OLD_BUILD_DIR]
                              [--seed N] [--count N] [--work DIR] [--spaced]

Each page: a pledge text (fixtures/extract/pledge-*.txt,
fixtures/demo/pledge-hatinh-2025.txt and the sample's pledge.gt.txt) laid
out on A4 at 300 dpi, its column rows (the document header: agency left,
motto right; the signature block: one column per signing unit) as columns
lined up the way a word processor's table lines them up, or with --spaced
as one line with spaces (as the sample's page was rendered).  With a
probability each: seal rings and signature strokes painted opaque over the
signature block, uneven light, perspective, a turn of up to 8 degrees, a
quarter or half turn, noise, blur, 50-100% scale, JPEG.  The truth is the
text row by row, as a person types the page.

Each page's truth is written beside it (pageNN.gt.txt).  Reported per
page: CER (cer.py) of each build, and the words of the truth missing from
the reading (in any order) -- a page with a high CER and few missing words
is read in the wrong order, one with many has lost letters (under seals
mostly).  Fonts: whichever of DejaVu, Noto, Liberation and
FreeFont are installed (fonts-noto-core, fonts-liberation2 and
fonts-freefont-ttf add the last three).  OMP_THREAD_LIMIT=1.
"""
import argparse
import collections
import os
import random
import re
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from cer import cer, norm  # noqa: E402

SAMPLES = os.path.normpath(os.path.join(SRC, "..", "shared", "samples"))
FONTS = [
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
COLUMN_GAP = re.compile(r"\s{3,}")


def texts():
    out = []
    fx = os.path.join(SRC, "fixtures", "extract")
    out += [os.path.join(fx, f) for f in sorted(os.listdir(fx))
            if f.startswith("pledge-") and f.endswith(".txt")]
    out.append(os.path.join(SRC, "fixtures", "demo", "pledge-hatinh-2025.txt"))
    gt = os.path.join(SAMPLES, "pledge-2024", "pledge.gt.txt")
    if os.path.exists(gt):
        out.append(gt)
    return out


def layout(path, pt, spaced):
    """Rows of the page: lists of column texts (one for running text)."""
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        parts = COLUMN_GAP.split(line)
        if len(parts) > 1:
            rows.append([line] if spaced else parts)
        else:
            rows.extend([w] for w in textwrap.wrap(line, int(66 * 40 / pt)))
    return rows


def make_page(rng, n, outdir, spaced):
    text, font = rng.choice(texts()), rng.choice([f for f in FONTS if os.path.exists(f)])
    pt = rng.choice([36, 40, 44])
    step = pt * 2
    rows = layout(text, pt, spaced)[: (3508 - 400) // step]
    cmd = ["convert", "-size", "2480x3508", "xc:white", "-font", font, "-pointsize", str(pt),
           "-fill", "black"]
    truth, last_cols = [], []
    for k, parts in enumerate(rows):
        y = 220 + k * step
        colw = (2480 - 300) // len(parts)
        for c, p in enumerate(parts):
            cmd += ["-annotate", "+%d+%d" % (150 + c * colw, y), p]
        truth.append(" ".join(" ".join(parts).split()))
        if k > 5 and (len(parts) > 1 or COLUMN_GAP.search(parts[0])):
            # the signature block's columns: where each starts, this row
            starts = [150 + c * colw for c in range(len(parts))] if len(parts) > 1 else \
                [150 + int(m.start() * pt * 0.5) for m in re.finditer(r"(?:^|(?<=\s{3}))\S", parts[0])]
            last_cols.append((y, starts))
    desc = [os.path.basename(text), os.path.basename(font).split("-")[0].split(".")[0], str(pt)]
    if last_cols and rng.random() < 0.7:
        ys = [y for y, _ in last_cols]
        cy = (min(ys) + max(ys)) // 2
        for x in last_cols[-1][1]:
            cx, r = x + rng.randint(100, 350), rng.randint(120, 170)
            cmd += ["-fill", "none", "-strokewidth", str(rng.choice([8, 10, 12])), "-stroke", "#d02030",
                    "-draw", "circle %d,%d %d,%d" % (cx, cy, cx, cy + r), "-strokewidth", "6",
                    "-stroke", "#2030c0", "-draw", "bezier %d,%d %d,%d %d,%d %d,%d" % (
                        cx - 200, cy + 20, cx - 50, cy - 80, cx + 50, cy + 90, cx + 250, cy - 30)]
        desc.append("seals")
    base = os.path.join(outdir, "base.png")
    subprocess.run(cmd + ["-density", "300", "-units", "PixelsPerInch", "-depth", "8", base],
                   check=True)
    ops = []
    if rng.random() < 0.4:
        light = rng.choice(["gradient:#ffffff-#8a8a80", "radial-gradient:#ffffff-#808078"])
        ops += ["(", "-size", "2480x3508", light, ")", "-compose", "multiply", "-composite"]
        desc.append("light")
    if rng.random() < 0.4:
        c = [rng.randint(0, 160) for _ in range(8)]
        ops += ["-virtual-pixel", "white", "-distort", "Perspective",
                "0,0 %d,%d 2480,0 %d,%d 0,3508 %d,%d 2480,3508 %d,%d" % (
                    c[0], c[1], 2480 - c[2], c[3], c[4], 3508 - c[5], 2480 - c[6], 3508 - c[7])]
        desc.append("perspective")
    if rng.random() < 0.5:
        a = round(rng.uniform(-8, 8), 1)
        ops += ["-background", "white", "-rotate", str(a)]
        desc.append("turned %s" % a)
    if rng.random() < 0.25:
        q = rng.choice([90, 180, 270])
        ops += ["-rotate", str(q)]
        desc.append("quarter %d" % q)
    if rng.random() < 0.5:
        ops += ["-seed", str(n), "-attenuate", "%.2f" % rng.uniform(0.2, 0.5), "+noise", "Gaussian"]
        desc.append("noise")
    if rng.random() < 0.4:
        b = round(rng.uniform(0.5, 1.2), 1)
        ops += ["-blur", "0x%s" % b]
        desc.append("blur %s" % b)
    s = rng.choice([100, 80, 60, 50])
    ops += ["-resize", "%d%%" % s]
    desc.append("%d%%" % s)
    name = "page%02d" % n
    if rng.choice(["jpg", "jpg", "png"]) == "jpg":
        out = os.path.join(outdir, name + ".jpg")
        subprocess.run(["convert", base] + ops + ["-alpha", "off", "-quality",
                                                  str(rng.randint(60, 90)), out], check=True)
    else:
        out = os.path.join(outdir, name + ".png")
        subprocess.run(["convert", base] + ops + ["PNG32:" + out], check=True)
    os.remove(base)
    # The truth beside the page (pageNN.gt.txt, as the samples name theirs),
    # so that one page can be read and scored again without the whole run.
    text = "\n".join(truth) + "\n"
    with open(os.path.join(outdir, name + ".gt.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    return out, text, " ".join(desc)


def read_all(build, files, outdir):
    os.makedirs(outdir, exist_ok=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1",
               PLEDGEX_PLUGIN_PATH=os.path.join(build, "plugins", "ocr", ".libs"),
               LD_LIBRARY_PATH=os.path.join(build, "core", ".libs"))
    subprocess.run([os.path.join(build, "bench", "ocr", "ocr-bench"), "-o", outdir] + files,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return {f: open(os.path.join(outdir, os.path.basename(f) + ".txt"), encoding="utf-8").read()
            for f in files}


def missing_words(truth, text):
    t, h = collections.Counter(norm(truth).split()), collections.Counter(norm(text).split())
    return sum((t - h).values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--baseline")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                   "pledgex-random-pages"))
    ap.add_argument("--spaced", action="store_true")
    a = ap.parse_args()
    pages_dir = os.path.join(a.work, "pages-%d%s" % (a.seed, "-spaced" if a.spaced else ""))
    os.makedirs(pages_dir, exist_ok=True)
    rng = random.Random(a.seed)
    pages = [make_page(rng, n, pages_dir, a.spaced) for n in range(a.count)]
    files = [p for p, _, _ in pages]
    builds = [("pledgex", a.build)] + ([("baseline", a.baseline)] if a.baseline else [])
    readings = {tag: read_all(b, files, os.path.join(a.work, "out-%s" % tag)) for tag, b in builds}
    head = " | ".join("%s CER | words missing" % tag for tag, _ in builds)
    print("Seed %d, %d pages%s.\n" % (a.seed, a.count, ", rows with spaces" if a.spaced else ""))
    print("| page | degradations | %s |" % head)
    print("|---|---|" + "---|---|" * len(builds))
    cers = collections.defaultdict(list)
    for f, truth, desc in pages:
        cells = []
        for tag, _ in builds:
            c = cer(truth, readings[tag][f])
            cers[tag].append(c)
            cells.append("%.2f%% | %d" % (100 * c, missing_words(truth, readings[tag][f])))
        print("| %s | %s | %s |" % (os.path.basename(f), desc, " | ".join(cells)))
    print()
    for tag, _ in builds:
        cs = sorted(cers[tag])
        print("%s: median CER %.2f%%, mean %.2f%%, pages over 1%%: %d of %d" % (
            tag, 100 * cs[len(cs) // 2], 100 * sum(cs) / len(cs), sum(c > 0.01 for c in cs), len(cs)))


if __name__ == "__main__":
    main()
