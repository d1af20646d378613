#!/usr/bin/env python3
"""bench/ocr/run.py -- OCR quality and speed of the pledgex "ocr" plugin,
side by side with stock tesseract and ocrmypdf, measured in one run.

    bench/ocr/run.py BUILD_DIR [--out RESULTS.md] [--no-ocrmypdf] [--ablate]
                     [--baseline OLD_BUILD_DIR] [--rounds N]

BUILD_DIR is the (out of tree) build directory holding plugins/ocr/.libs
and bench/ocr/ocr-bench.  Pages: every variant of
samples/pledge-2024 (truth pledge.gt.txt) and samples/real-pages (truth
NAME.gt.txt).  Everything runs with OMP_THREAD_LIMIT=1 (one thread per
worker, as pledgex runs tesseract).

Also pages it has never seen (make_variants.py: another text, other fonts,
skewed, upside down, sideways, 150 dpi, stamped, photographed).

Reported per page: CER (cer.py: NFC, white space collapsed) and seconds for
  - stock:    tesseract PAGE out -l vie
  - ocrmypdf: ocrmypdf -l vie --deskew --rotate-pages --jobs 1 (once: slow)
  - pledgex:  one ocr-bench process (one tesseract handle) over all pages,
              default options,
then the throughput of the pledgex batch run as two worker processes
(-j 2) against the limit 2 x stock single-thread pages/s, and the peak
memory (max RSS, /usr/bin/time -v) of one worker.  The throughput is
measured in --rounds rounds (default 3), each timing stock tesseract on the
batch's pages and then the -j 2 batch (the other way round every other
round), and the median of the rounds' ratios is quoted: on a shared machine
the speed drifts within minutes, and a ratio of two timings taken far apart
in the run moved by 0.1 from one run to the next.  With --ablate, each
preprocessing step is switched off (or on) alone to show what it brings.
With --baseline, another build of the plugin (e.g. before a change) is
measured in the same run: its CER column and its -j 2 batch beside ours.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cer import cer  # noqa: E402

SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "samples"))


def pages(gendir=None):
    """(name, image, truth file) of every benchmark page."""
    out = []
    pl = os.path.join(SAMPLES, "pledge-2024")
    for v in ("clean", "signed", "scan", "photo", "sideways"):
        for ext in ("png", "jpg"):
            f = os.path.join(pl, "pledge.%s.%s" % (v, ext))
            if os.path.exists(f):
                out.append((v, f, os.path.join(pl, "pledge.gt.txt")))
    rp = os.path.join(SAMPLES, "real-pages")
    if os.path.isdir(rp):
        for f in sorted(os.listdir(rp)):
            base, ext = os.path.splitext(f)
            if ext in (".png", ".tif", ".jpg") and os.path.exists(os.path.join(rp, base + ".gt.txt")):
                out.append((base, os.path.join(rp, f), os.path.join(rp, base + ".gt.txt")))
    if gendir:
        for f in sorted(os.listdir(gendir)):
            base, ext = os.path.splitext(f)
            if ext in (".png", ".jpg") and os.path.exists(os.path.join(gendir, base + ".gt.txt")):
                out.append((base, os.path.join(gendir, f), os.path.join(gendir, base + ".gt.txt")))
    return out


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def env1():
    e = dict(os.environ)
    e["OMP_THREAD_LIMIT"] = "1"
    return e


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_stock(pgs, tmp):
    """{name: (cer, wall seconds, cpu seconds)}"""
    res = {}
    for name, img, gt in pgs:
        base = os.path.join(tmp, "stock-" + name)
        t0, c0 = time.monotonic(), child_cpu()
        p = subprocess.run(["tesseract", img, base, "-l", "vie"], env=env1(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        secs, cpu = time.monotonic() - t0, child_cpu() - c0
        ok = p.returncode == 0 and os.path.exists(base + ".txt")
        res[name] = (cer(read(gt), read(base + ".txt")) if ok else None, secs, cpu)
    return res


def run_ocrmypdf(pgs, tmp):
    res = {}
    for name, img, gt in pgs:
        side = os.path.join(tmp, "omp-%s.txt" % name)
        pdf = os.path.join(tmp, "omp-%s.pdf" % name)
        t0 = time.monotonic()
        p = subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--deskew", "--rotate-pages",
                            "--jobs", "1", "--image-dpi", "300", "--sidecar", side, img, pdf],
                           env=env1(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        secs = time.monotonic() - t0
        if p.returncode == 0 and os.path.exists(side):
            res[name] = (cer(read(gt), read(side)), secs)
        else:
            why = p.stderr.decode("utf-8", "replace").strip().splitlines()
            res[name] = (None, secs, why[-1] if why else "exit %d" % p.returncode)
    return res


def bench_env(build):
    e = env1()
    e["PLEDGEX_PLUGIN_PATH"] = os.path.join(build, "plugins", "ocr", ".libs")
    return e


def run_pledgex(build, pgs, tmp, prep=None, lang=None, timed=False, first=None):
    """One worker over all pages: {name: (cer, secs)}, max RSS kB."""
    outdir = tempfile.mkdtemp(dir=tmp)
    cmd = [os.path.join(build, "bench", "ocr", "ocr-bench"), "-o", outdir]
    if prep is not None:
        cmd += ["-p", prep]
    if lang:
        cmd += ["-l", lang]
    if first is not None:
        cmd += ["-f", first]
    cmd += [img for _, img, _ in pgs]
    if timed:
        cmd = ["/usr/bin/time", "-v"] + cmd
    p = subprocess.run(cmd, env=bench_env(build), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    secs = {}
    for ln in lines:
        f = ln.split("\t")
        if len(f) >= 3:
            secs[f[0]] = float(f[2])
    res = {}
    for name, img, gt in pgs:
        out = os.path.join(outdir, os.path.basename(img) + ".txt")
        res[name] = (cer(read(gt), read(out)) if os.path.exists(out) else None, secs.get(img, 0.0))
    rss = None
    m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if m:
        rss = int(m.group(1))
    return res, rss


def run_parallel(build, pgs, tmp, jobs):
    """Wall-clock and CPU seconds for the pages split over `jobs` workers."""
    imgs = [img for _, img, _ in pgs]
    parts = [imgs[i::jobs] for i in range(jobs)]
    t0, c0 = time.monotonic(), child_cpu()
    procs = [subprocess.Popen([os.path.join(build, "bench", "ocr", "ocr-bench")] + part,
                              env=bench_env(build), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for part in parts if part]
    for p in procs:
        p.wait()
    return time.monotonic() - t0, child_cpu() - c0


def throughput_round(a, batch, tmp, r):
    """One round: stock tesseract on each of the batch's distinct pages, one
    at a time, and the -j 2 batch (and the baseline's), in turns: stock first
    in even rounds, last in odd ones.  {"stock"|"px"|"old": (wall, cpu)}."""
    once = batch[:len(batch) // 2]

    def stock():
        res = run_stock(once, tmp)
        return (sum(v[1] for v in res.values()), sum(v[2] for v in res.values()))

    steps = [("stock", stock), ("px", lambda: run_parallel(a.build, batch, tmp, 2))]
    if a.baseline:
        steps.append(("old", lambda: run_parallel(a.baseline, batch, tmp, 2)))
    if r % 2:
        steps.reverse()
    return {k: f() for k, f in steps}


def pct(x):
    return "—" if x is None else "%.2f%%" % (100 * x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--ablate", action="store_true")
    ap.add_argument("--baseline", help="another build dir, measured side by side")
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds (median quoted)")
    a = ap.parse_args()
    load0 = os.getloadavg()[0]
    tmp = tempfile.mkdtemp(prefix="pledgex-ocr-bench.")
    gendir = None
    if shutil.which("convert"):
        # Unseen pages degraded the same ways: another text, other fonts.
        gendir = os.path.join(tmp, "gen")
        subprocess.run([sys.executable, os.path.join(HERE, "make_variants.py"),
                        os.path.join(SAMPLES, "articles", "baonghean-2024-03-19.txt"), gendir],
                       check=True)
    pgs = pages(gendir)
    try:
        stock = run_stock(pgs, tmp)
        omp = {} if a.no_ocrmypdf or not shutil.which("ocrmypdf") else run_ocrmypdf(pgs, tmp)
        px, rss = run_pledgex(a.build, pgs, tmp, timed=True)
        old = run_pledgex(a.baseline, pgs, tmp)[0] if a.baseline else None
        # Throughput on the pledge pages (the batch-like set), twice over.
        batch = [p for p in pgs if p[0] in ("clean", "signed", "scan", "photo", "sideways")] * 2
        rounds = [throughput_round(a, batch, tmp, r) for r in range(max(1, a.rounds))]
        abl = []
        if a.ablate:
            for label, prep, lang in (("no osd", "-osd", None), ("no deskew", "-deskew", None),
                                      ("no bgnorm", "-bgnorm", None), ("no ink", "-ink", None),
                                      ("no upscale", "-upscale", None), ("no tidy", "-tidy", None),
                                      ("no phrases", "-phrases", None),
                                      ("+marks (hunspell)", "+marks", None),
                                      ("one pass (no vie first pass)", "", None),
                                      ("all steps off",
                                       "-osd,-deskew,-bgnorm,-ink,-upscale,-tidy,-phrases",
                                       None),
                                      ("lang vie+eng", None, "vie+eng"),
                                      ("lang vie", None, "vie"),
                                      ("lang Vietnamese", None, "Vietnamese"),
                                      ("lang vie+Vietnamese", None, "vie+Vietnamese")):
                if prep == "":  # the whole page read with the default languages
                    r, _ = run_pledgex(a.build, pgs, tmp, first="")
                else:
                    r, _ = run_pledgex(a.build, pgs, tmp, prep=prep, lang=lang)
                abl.append((label, r))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    L = []
    L.append("# OCR benchmark (bench/ocr/run.py)\n")
    L.append("Generated by `bench/ocr/run.py BUILD_DIR%s` on %s; one run each, "
             "OMP_THREAD_LIMIT=1, %d cores, load average %.1f at the start and %.1f at the end "
             "(the machine is shared: absolute times vary, ratios are measured side by side).\n"
             % (" --ablate" if a.ablate else "", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                os.cpu_count() or 0, load0, os.getloadavg()[0]))
    L.append("| page | stock `tesseract -l vie` CER | s | ocrmypdf CER | s | pledgex CER | s |"
             + (" baseline pledgex CER |" if old else ""))
    L.append("|---|---|---|---|---|---|---|" + ("---|" if old else ""))
    for name, _, _ in pgs:
        s = stock[name]
        o = omp.get(name)
        p = px[name]
        ocell = ("n/a", "") if o is None else \
            ((pct(o[0]), "%.1f" % o[1]) if o[0] is not None else ("refuses: " + o[2][:60], "—"))
        L.append("| %s | %s | %.1f | %s | %s | %s | %.1f |" % (
            name, pct(s[0]), s[1], ocell[0], ocell[1], pct(p[0]), p[1])
            + (" %s |" % pct(old[name][0]) if old else ""))
    ps = [px[n][1] for n, _, _ in pgs]
    ss = [stock[n][1] for n, _, _ in pgs]
    L.append("")
    L.append("Median seconds/page: stock %.2f, pledgex %.2f%s." % (
        statistics.median(ss), statistics.median(ps),
        (", ocrmypdf %.2f" % statistics.median([v[1] for v in omp.values() if v[0] is not None]))
        if omp else ""))
    # Throughput: per round, the -j 2 batch against 2 x stock single-thread
    # pages/s on the same pages (each page twice: stock's time doubled).
    bnames = [n for n, _, _ in batch[:len(batch) // 2]]
    med = statistics.median
    wall_r = [r["stock"][0] / r["px"][0] for r in rounds]
    cpu_r = [2 * r["stock"][1] / r["px"][1] for r in rounds]
    pps2 = med(len(batch) / r["px"][0] for r in rounds)
    limit = med(2 * len(bnames) / r["stock"][0] for r in rounds)
    L.append("")
    L.append("Throughput, %d pledge pages as 2 worker processes (-j 2), %d rounds each timing "
             "stock single-thread on the same pages: median %.2f pages/s against a limit (2 x "
             "stock single-thread) of %.2f pages/s; **ratio %.2f** (median of the rounds: %s; "
             "wall clock, shared machine)." % (
                 len(batch), len(rounds), pps2, limit, med(wall_r),
                 ", ".join("%.2f" % x for x in wall_r)))
    mid = sorted(rounds, key=lambda r: 2 * r["stock"][1] / r["px"][1])[len(rounds) // 2]
    L.append("In CPU time (what bounds throughput when both cores are ours), the median round: "
             "stock %.1f s, pledgex -j 2 %.1f s for the same %d pages: pledgex needs %.2f x "
             "stock's CPU, **throughput ratio %.2f** (rounds: %s; target 0.85, i.e. at most "
             "1.18 x)." % (2 * mid["stock"][1], mid["px"][1], len(batch), 1 / med(cpu_r),
                            med(cpu_r), ", ".join("%.2f" % x for x in cpu_r)))
    if a.baseline:
        ow = [r["stock"][0] / r["old"][0] for r in rounds]
        oc = [2 * r["stock"][1] / r["old"][1] for r in rounds]
        L.append("Baseline build (%s), same pages, in the same rounds: ratio %.2f wall clock "
                 "(%s), %.2f in CPU (%s): %.2f x stock's CPU." % (
                     a.baseline, med(ow), ", ".join("%.2f" % x for x in ow), med(oc),
                     ", ".join("%.2f" % x for x in oc), 1 / med(oc)))
    if omp:
        ok = [omp[n][1] for n in bnames if n in omp and omp[n][0] is not None]
        if ok:
            opps = len(ok) / sum(ok)
            L.append("ocrmypdf (--jobs 1) on the pages it accepts: %.2f pages/s; pledgex -j 2 is "
                     "%.1f x that." % (opps, pps2 / opps))
    if rss:
        L.append("")
        L.append("Peak memory of one pledgex worker over all pages: %.0f MB (max RSS)." % (rss / 1024))
    if abl:
        L.append("")
        L.append("## Ablation: one step changed against the defaults (CER)\n")
        L.append("| variant | " + " | ".join(n for n, _, _ in pgs) + " | mean |")
        L.append("|---|" + "---|" * (len(pgs) + 1))
        rows = [("defaults", px)] + abl
        for label, r in rows:
            vals = [r[n][0] for n, _, _ in pgs]
            mean = statistics.mean(v for v in vals if v is not None)
            L.append("| %s | %s | %s |" % (label, " | ".join(pct(v) for v in vals), pct(mean)))
    text = "\n".join(L) + "\n"
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
