#!/usr/bin/env python3
"""End-to-end batch benchmark (issue 9), one run, one table.

  bench/e2e/run.py [--build DIR] [--baseline DIR] [--repeat K] [--ocr-pages N]
                   [--scales 1,4,16] [--out FILE]

1. OCR batch: N page images (the degraded pledge variants and the album page of
   ../shared/samples, reused), ingested with `pledgex ingest -j 2`; pages per
   second against the machine's limit, 2 x the pages per second of raw
   single-thread `tesseract -l vie` on the same images (measured in the same
   run), and against ocrmypdf on a few of them.
2. Non-OCR batch (captioned photos in ZIPs, articles, text pledges) at 1x, 4x
   and 16x: documents per second and peak memory at each size, to show the
   per-document cost stays flat.
3. Peak memory of the -j 2 OCR run (GNU time's maximum resident set, which
   for a process tree is its largest process).
The OCR batch runs K times (default 3; the median counts); with --baseline,
another build's pledgex runs the same batch alternately with this one, so the
two are compared on the same machine in the same minutes.
Everything is generated under a temporary directory and removed after.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(os.path.dirname(TOP), "shared", "samples")


def run_timed(cmd, env=None):
    """(seconds, max RSS in MB, completed process) of cmd under /usr/bin/time -v."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    dt = time.monotonic() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return dt, (int(m.group(1)) / 1024 if m else float("nan")), p


def cpu_of(p):
    """User + system seconds of a process tree run under /usr/bin/time -v."""
    u = re.search(r"User time \(seconds\): ([\d.]+)", p.stderr)
    s = re.search(r"System time \(seconds\): ([\d.]+)", p.stderr)
    return (float(u.group(1)) if u else 0.0) + (float(s.group(1)) if s else 0.0)


def ocr_pages(workdir, n):
    src = [os.path.join(SAMPLES, "pledge-2024", f) for f in
           ("pledge.clean.png", "pledge.signed.png", "pledge.scan.jpg", "pledge.photo.jpg",
            "pledge.sideways.jpg")]
    src.append(os.path.join(SAMPLES, "ceremony-2024", "photos", "album_page_07.jpg"))
    src = [s for s in src if os.path.exists(s)]
    out = os.path.join(workdir, "ocr")
    os.makedirs(out)
    pages = []
    for i in range(n):
        s = src[i % len(src)]
        d = os.path.join(out, "p%04d%s" % (i, os.path.splitext(s)[1]))
        shutil.copy(s, d)
        pages.append(d)
    return out, pages


def non_ocr_batch(workdir, scale):
    """100 photos in 5 ZIPs, 50 articles and 50 text pledges per 1x."""
    out = os.path.join(workdir, "nonocr-%d" % scale)
    os.makedirs(out)
    photos = [os.path.join(SAMPLES, "ceremony-2024", "photos", f)
              for f in ("4.JPG", "8.JPG", "IMG_0528.JPG", "IMG_0587.JPG")]
    article = open(os.path.join(TOP, "fixtures", "demo", "article-hatinh-2025.txt"), encoding="utf-8").read()
    pledge = open(os.path.join(TOP, "fixtures", "demo", "pledge-hatinh-2025.txt"), encoding="utf-8").read()
    ndocs = 0
    for z in range(5 * scale):
        with zipfile.ZipFile(os.path.join(out, "ceremony-%04d.zip" % z), "w", zipfile.ZIP_STORED) as zf:
            for k in range(20):
                zf.write(photos[k % len(photos)], "IMG_%04d_%02d.JPG" % (z, k))
                ndocs += 1
        ndocs += 1
    for a in range(50 * scale):
        with open(os.path.join(out, "article-%05d.txt" % a), "w", encoding="utf-8") as f:
            f.write(article.replace("2025", str(2000 + a % 26)))
        ndocs += 1
    for a in range(50 * scale):
        with open(os.path.join(out, "pledge-%05d.txt" % a), "w", encoding="utf-8") as f:
            f.write(pledge.replace("2025", str(2000 + a % 26)))
        ndocs += 1
    return out, ndocs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--ocr-pages", type=int, default=60)
    ap.add_argument("--ocrmypdf-pages", type=int, default=3)
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", help="another build dir, run alternately on the OCR batch")
    a = ap.parse_args()
    px = os.path.join(a.build, "core", "pledgex")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    work = tempfile.mkdtemp(prefix="pledgex-e2e.")
    rows = []
    try:
        ocr_dir, pages = ocr_pages(work, a.ocr_pages)
        # pledgex -j 2, K times, each time after raw single-thread tesseract
        # on the same images (the limit, measured in the same minutes as
        # what it bounds), and the baseline build alternately
        builds = [("this", px)]
        if a.baseline:
            builds.append(("baseline", os.path.join(a.baseline, "core", "pledgex")))
        runs = {name: [] for name, _ in builds}
        raw = []  # (wall s, CPU s) of the whole batch, one page after another
        for k in range(a.repeat):
            wall = cpu = 0.0
            for pg in pages:
                t, _, p = run_timed(["tesseract", pg, "-", "-l", "vie"], env)
                wall += t
                cpu += cpu_of(p)
            raw.append((wall, cpu))
            for name, exe in builds:
                db = os.path.join(work, "ocr-%s-%d.db" % (name, k))
                dt, rss, p = run_timed([exe, "ingest", "-q", "-j", "2", "--db", db, ocr_dir], env)
                runs[name].append((dt, rss, cpu_of(p)))
                if name == "this" and k == 0:
                    out = subprocess.run([exe, "export", "--db", db], capture_output=True,
                                         text=True).stdout
                    ocr_done = out.count('"kind":"ocr"')
                os.remove(db)
        raw_pps = len(pages) / statistics.median(r[0] for r in raw)
        limit = 2 * raw_pps
        # In CPU: what the batch costs against raw tesseract's CPU for the
        # same pages (on a busy machine the steadier measure).
        cpu_ratio = (statistics.median(r[1] for r in raw) /
                     statistics.median(r[2] for r in runs["this"]))
        dt = statistics.median(r[0] for r in runs["this"])
        rss = max(r[1] for r in runs["this"])
        px_pps = len(pages) / dt
        # ocrmypdf on a few pages (it is slow)
        t_omp = []
        for pg in pages[:a.ocrmypdf_pages]:
            pdf = os.path.join(work, "omp.pdf")
            t0 = time.monotonic()
            r = subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--deskew", "--rotate-pages",
                                "--image-dpi", "300", pg, pdf], capture_output=True, env=env)
            if r.returncode == 0:
                t_omp.append(time.monotonic() - t0)
        omp_spp = statistics.median(t_omp) if t_omp else float("nan")
        rows.append(("OCR batch, %d pages, -j 2" % len(pages),
                     "%.3f pages/s (%.2f s/page)" % (px_pps, 1 / px_pps),
                     "limit 2 x raw tesseract = %.3f pages/s -> %.2f x limit; ocrmypdf median %.1f s/page -> %.1f x ocrmypdf"
                     % (limit, px_pps / limit, omp_spp, px_pps * omp_spp),
                     "%.0f MB" % rss, "%d OCR blocks; wall s of %d runs: %s; CPU s: %s; "
                     "raw tesseract wall s: %s, CPU s: %s; in CPU %.2f x the limit" % (
                         ocr_done, a.repeat, " ".join("%.1f" % r[0] for r in runs["this"]),
                         " ".join("%.1f" % r[2] for r in runs["this"]),
                         " ".join("%.1f" % r[0] for r in raw),
                         " ".join("%.1f" % r[1] for r in raw), cpu_ratio)))
        if a.baseline:
            bdt = statistics.median(r[0] for r in runs["baseline"])
            rows.append(("same OCR batch, baseline build %s" % a.baseline,
                         "%.3f pages/s" % (len(pages) / bdt),
                         "%.2f x limit; this build / baseline = %.3f (wall), %.3f (CPU)" % (
                             len(pages) / bdt / limit, bdt / dt,
                             statistics.median(r[2] for r in runs["baseline"]) /
                             statistics.median(r[2] for r in runs["this"])),
                         "%.0f MB" % max(r[1] for r in runs["baseline"]),
                         "wall s: %s; CPU s: %s" % (
                             " ".join("%.1f" % r[0] for r in runs["baseline"]),
                             " ".join("%.1f" % r[2] for r in runs["baseline"]))))
        for scale in [int(x) for x in a.scales.split(",")]:
            d, ndocs = non_ocr_batch(work, scale)
            db = os.path.join(work, "n%d.db" % scale)
            dt, rss, p = run_timed([px, "ingest", "-q", "-j", "2", "--db", db, d], env)
            rows.append(("non-OCR batch %dx, %d documents, -j 2" % (scale, ndocs),
                         "%.0f docs/s" % (ndocs / dt), "%.2f ms per document" % (1000 * dt / ndocs),
                         "%.0f MB" % rss, "exit %d" % p.returncode))
            shutil.rmtree(d)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["# End-to-end batch benchmark", "",
             "`bench/e2e/run.py --ocr-pages %d --scales %s`, %s, on this machine (2 cores)." %
             (a.ocr_pages, a.scales, time.strftime("%Y-%m-%d")), "",
             "| batch | throughput | against baselines / per document | peak memory | notes |",
             "|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
