#!/usr/bin/env python3
"""bench/pdf/run.py [BUILD_DIR] -- benchmark of the "pdf" plugin.

Builds, in a fresh temp dir:
  scanned.pdf    the five degraded pledge pages of ../shared/samples/pledge-2024
                 (clean, signed, scan, photo, sideways) as one A4 PDF (img2pdf;
                 the RGBA page flattened on white first: img2pdf refuses alpha)
  born.pdf       the pledge text typeset by pango-view (a born-digital PDF)
  born-scan.pdf  born.pdf printed at 300 dpi and scanned back (pdftoppm +
                 img2pdf): the same page through OCR, for the speed ratio
and measures, in one run:
  - pledgex (bench/pdf/pdf-bench, the plugin through the test harness as one
    worker runs it): CER per page, seconds per page, peak memory, and the
    CER of `pdftotext` on the searchable PDF it writes (--pdf-out);
  - ocrmypdf -l vie --deskew --rotate-pages --sidecar (one job, run once per
    file: it is slow): CER per page of its sidecar and of `pdftotext` on its
    output, seconds per page, peak memory;
  - born.pdf: pledgex's median time over 21 runs in one process and
    hyperfine's median of the whole program, against the OCR of born-scan.pdf.
Writes a Markdown report to stdout (bench/pdf/RESULTS.md holds the last one).
CER: edit distance / truth length after NFC and white-space folding.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "/tmp/build-pdf")
SAMPLES = os.environ.get("PLEDGEX_SAMPLES",
                         os.path.join(os.path.dirname(SRC), "shared", "samples", "pledge-2024"))
VARIANTS = ["clean", "signed", "scan", "photo", "sideways"]
BENCH = os.path.join(BUILD, "bench", "pdf", "pdf-bench")


def norm(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth, hyp):
    a, b = norm(truth), norm(hyp)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(a))


def run(cmd, env=None, timed=False):
    """Runs cmd; returns (stdout, seconds, peak KiB when timed)."""
    if timed:
        cmd = ["/usr/bin/time", "-f", "%e %M"] + cmd
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    secs = time.monotonic() - t0
    if p.returncode not in (0,):
        sys.stderr.write("run.py: %s exited %d\n%s\n" % (cmd[0], p.returncode, p.stderr[-2000:]))
    peak = None
    if timed:
        last = p.stderr.strip().splitlines()[-1].split()
        secs, peak = float(last[0]), int(last[1])
    return p.stdout, secs, peak


def pdftotext_pages(pdf, npages, raw=False):
    """Text of each page; raw keeps the order of the text layer (pdftotext's
    default reorders a two-column header such as the pledge's)."""
    opt = ["-raw"] if raw else []
    return [run(["pdftotext"] + opt + ["-f", str(i), "-l", str(i), pdf, "-"])[0]
            for i in range(1, npages + 1)]


def pct(x):
    return "%.1f%%" % (100 * x) if x is not None else "—"


def main():
    for tool in ("img2pdf", "pango-view", "pdftoppm", "pdftotext", "ocrmypdf", "hyperfine"):
        if not shutil.which(tool):
            sys.exit("run.py: %s is missing (scripts/install-deps.sh)" % tool)
    if not os.access(BENCH, os.X_OK):
        sys.exit("run.py: build %s first (make bench/pdf/pdf-bench)" % BENCH)
    work = tempfile.mkdtemp(prefix="pdf-bench.")
    env = dict(os.environ, OMP_THREAD_LIMIT="1",
               PLEDGEX_PLUGIN_PATH="%s/plugins/pdf/.libs:%s/plugins/ocr/.libs" % (BUILD, BUILD))
    truth = open(os.path.join(SAMPLES, "pledge.gt.txt"), encoding="utf-8").read()

    # Fixtures.
    pages = []
    for v in VARIANTS:
        src = [f for f in os.listdir(SAMPLES) if f.startswith("pledge.%s." % v)][0]
        path = os.path.join(SAMPLES, src)
        if src.endswith(".png"):
            flat = os.path.join(work, "%s.png" % v)
            run(["convert", path, "-background", "white", "-alpha", "remove", "-alpha", "off",
                 flat])
            path = flat
        pages.append(path)
    scanned = os.path.join(work, "scanned.pdf")
    run(["img2pdf", "--pagesize", "A4", "-o", scanned] + pages)
    born = os.path.join(work, "born.pdf")
    run(["pango-view", "-q", "--dpi=72", "--font=DejaVu Serif 11", "--width=500",
         "--margin=40", "-o", born, os.path.join(SAMPLES, "pledge.gt.txt")])
    run(["pdftoppm", "-r", "300", "-gray", "-png", born, os.path.join(work, "born-scan")])
    scans = sorted(f for f in os.listdir(work) if f.startswith("born-scan") and f.endswith(".png"))
    born_scan = os.path.join(work, "born-scan.pdf")
    run(["img2pdf", "--pagesize", "A4", "-o", born_scan] + [os.path.join(work, f) for f in scans])

    # pledgex on the scanned PDF, with a searchable PDF out.
    out_px, pdf_px = os.path.join(work, "px"), os.path.join(work, "px-pdf")
    os.makedirs(out_px)
    os.makedirs(pdf_px)
    stdout, px_secs, px_peak = run([BENCH, "-o", out_px, "-d", pdf_px, scanned], env, True)
    px_text = []
    for i in range(1, len(VARIANTS) + 1):
        f = os.path.join(out_px, "scanned.pdf.p%d.txt" % i)
        px_text.append(open(f, encoding="utf-8").read() if os.path.exists(f) else "")
    px_kinds = dict((int(l.split("\t")[1]), l.split("\t")[2]) for l in stdout.splitlines()
                    if l.split("\t")[1] != "all")
    searchable = [os.path.join(pdf_px, f) for f in os.listdir(pdf_px)]
    px_pdf_text = pdftotext_pages(searchable[0], len(VARIANTS)) if len(searchable) == 1 else []
    px_pdf_raw = (pdftotext_pages(searchable[0], len(VARIANTS), True)
                  if len(searchable) == 1 else [])

    # ocrmypdf on the same file, once.
    side = os.path.join(work, "ocrmypdf.txt")
    omp_pdf = os.path.join(work, "ocrmypdf.pdf")
    _, om_secs, om_peak = run(["ocrmypdf", "-q", "-l", "vie", "--deskew", "--rotate-pages",
                               "--jobs", "1", "--sidecar", side, scanned, omp_pdf], env, True)
    om_text = open(side, encoding="utf-8").read().split("\f") if os.path.exists(side) else []
    om_pdf_text = pdftotext_pages(omp_pdf, len(VARIANTS)) if os.path.exists(omp_pdf) else []
    om_pdf_raw = pdftotext_pages(omp_pdf, len(VARIANTS), True) if os.path.exists(omp_pdf) else []

    # Born-digital: text layer vs OCR of the same page.
    out_born = os.path.join(work, "born")
    os.makedirs(out_born)
    stdout, _, _ = run([BENCH, "-n", "21", "-o", out_born, born], env)
    alls = [l.split("\t") for l in stdout.splitlines() if l.split("\t")[1] == "all"]
    born_secs = float(alls[0][3])
    born_pages = int(alls[0][4])
    born_text = "\n".join(open(os.path.join(out_born, f), encoding="utf-8").read()
                          for f in sorted(os.listdir(out_born)))
    born_kinds = sorted(set(l.split("\t")[2] for l in stdout.splitlines()
                            if l.split("\t")[1] != "all"))
    hf_json = os.path.join(work, "hf.json")
    run(["hyperfine", "-N", "--warmup", "2", "--runs", "15", "--export-json", hf_json,
         "%s %s" % (BENCH, born)], env)
    hf = json.load(open(hf_json))["results"][0]
    hf_median = hf["median"]
    os.makedirs(os.path.join(work, "born-scan-out"))
    stdout, _, _ = run([BENCH, "-o", os.path.join(work, "born-scan-out"), born_scan], env)
    alls = [l.split("\t") for l in stdout.splitlines() if l.split("\t")[1] == "all"]
    ocr_secs = float(alls[0][3]) / max(1, int(alls[0][4]))
    _, om_born_secs, _ = run(["ocrmypdf", "-q", "-l", "vie", "--skip-text", "--jobs", "1",
                              "--sidecar", os.path.join(work, "born-om.txt"), born,
                              os.path.join(work, "born-om.pdf")], env, True)

    # Report.
    n = len(VARIANTS)
    print("## PDF benchmark (bench/pdf/run.py, %s)\n" % time.strftime("%Y-%m-%d %H:%M UTC",
                                                                      time.gmtime()))
    print("Scanned PDF: the five pledge pages as one A4 PDF (img2pdf), one process, "
          "OMP_THREAD_LIMIT=1, ocrmypdf with --jobs 1.\n")
    print("pdftotext CER is given as `pdftotext` / `pdftotext -raw` (layer order).\n")
    print("| page | pledgex kind | pledgex CER | pledgex searchable PDF: pdftotext CER "
          "| ocrmypdf sidecar CER | ocrmypdf PDF: pdftotext CER |")
    print("|---|---|---|---|---|---|")

    def pair(texts, raws, i):
        if i >= len(texts) or i >= len(raws):
            return "—"
        return "%s / %s" % (pct(cer(truth, texts[i])), pct(cer(truth, raws[i])))

    for i, v in enumerate(VARIANTS):
        print("| %s | %s | %s | %s | %s | %s |" % (
            v, px_kinds.get(i + 1, "—"), pct(cer(truth, px_text[i])),
            pair(px_pdf_text, px_pdf_raw, i),
            pct(cer(truth, om_text[i])) if i < len(om_text) else "—",
            pair(om_pdf_text, om_pdf_raw, i)))
    print("\n| | pledgex | ocrmypdf |\n|---|---|---|")
    print("| seconds per page | %.2f | %.2f |" % (px_secs / n, om_secs / n))
    print("| peak memory (MiB) | %.0f | %.0f (main process) |" % (px_peak / 1024, om_peak / 1024))
    print("| searchable PDFs written | %d (%d pages) | 1 |" % (
        len(searchable), len(px_pdf_text)))
    print("\nBorn-digital PDF (pango-view, %d page%s, pledgex reads it as %s):\n" % (
        born_pages, "s" if born_pages > 1 else "", ", ".join(born_kinds)))
    print("| | seconds per page | vs OCR of the same page |\n|---|---|---|")
    print("| pledgex, text layer (median of 21 in one process) | %.4f | %.0f× faster |" % (
        born_secs / born_pages, ocr_secs / (born_secs / born_pages)))
    print("| pledgex, whole program incl. start-up (hyperfine median) | %.4f | %.0f× faster |" % (
        hf_median / born_pages, ocr_secs / (hf_median / born_pages)))
    print("| pledgex OCR of the same page printed and scanned at 300 dpi | %.2f | 1× |" % ocr_secs)
    print("| ocrmypdf --skip-text on the born-digital PDF (whole program) | %.2f | — |"
          % (om_born_secs / born_pages))
    print("\nBorn-digital CER against pledge.gt.txt: %s" % pct(cer(truth, born_text)))
    print("\nWork files: %s" % work)


if __name__ == "__main__":
    main()
