#!/usr/bin/env python3
"""make_variants.py TEXT OUTDIR -- pages the OCR has never seen, degraded the
ways the pledge samples are (and a few more), for bench/ocr/run.py.

Renders the first ~28 wrapped lines of TEXT (UTF-8) with ImageMagick and the
DejaVu fonts as an A4 page, then writes OUTDIR/NAME.{png,jpg} with
OUTDIR/NAME.gt.txt (the truth, the rendered lines) for:
  gen-clean      300 dpi, serif
  gen-150dpi     150 dpi, sans
  gen-100dpi     100 dpi, serif (small letters: upscaling)
  gen-skew7      7 degree skew, noise, JPEG
  gen-slant30    30 degrees askew (a phone held at a slant), noise, JPEG
  gen-slant110   a quarter turn and 20 degrees more, sans, JPEG
  gen-upside     upside down
  gen-grain      heavy scanner grain on a half-full page, JPEG
  gen-grain-upside the same, upside down, sans
  gen-sideways   a quarter turn anticlockwise, JPEG
  gen-sideways-cw  a quarter turn clockwise, sans
  gen-upside-photo the phone-style photo below, upside down
  gen-stamped    red seal rings and a blue signature over the text (RGBA PNG),
                 painted opaque, as the samples' signed page: the letters under
                 the rings are gone
  gen-stamped-ink  the same rings and strokes as translucent ink (multiplied, as
                 real stamp ink lies on a print): the letters stay dark under it
  gen-photo      uneven light, perspective, blur, small JPEG
  gen-photo-strong a stronger perspective, turned 3 degrees, shaded, soft
  gen-photo-tilted corners pulled in by 2-7%, turned 4 degrees: lines leaning
                 2-6 degrees, the sweep's confidence low
  gen-photo-fan  corners pulled unevenly by up to 10%: the lines fan out, the
                 top ones leaning one way, the bottom ones the other
  gen-warm       warm colour cast (multiplied), soft focus, 180 dpi JPEG
"""
import os
import subprocess
import sys
import textwrap

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def lines_of(path, width=62, count=28):
    with open(path, encoding="utf-8") as f:
        paras = [p.strip() for p in f.read().split("\n") if p.strip()]
    out = []
    for p in paras:
        # Skip photo file names and bylines: keep running text.
        if len(p) < 40:
            continue
        out.extend(textwrap.wrap(p, width))
        if len(out) >= count:
            break
    return out[:count]


def render(lines, out, font, scale=1.0):
    w, h = int(2480 * scale), int(3508 * scale)
    pt = 44 * scale
    step = int(92 * scale)
    cmd = ["convert", "-size", "%dx%d" % (w, h), "xc:white", "-font", font,
           "-pointsize", "%.1f" % pt, "-fill", "black"]
    for i, ln in enumerate(lines):
        cmd += ["-annotate", "+%d+%d" % (int(180 * scale), int(260 * scale) + i * step), ln]
    cmd += ["-density", "%d" % int(300 * scale), "-units", "PixelsPerInch", "-alpha", "off",
            "-depth", "8", out]
    subprocess.run(cmd, check=True)


def im(*args):
    subprocess.run(["convert"] + list(args), check=True)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_variants.py TEXT OUTDIR")
    lines = lines_of(sys.argv[1])
    od = sys.argv[2]
    os.makedirs(od, exist_ok=True)
    truth = "\n".join(lines) + "\n"
    base = os.path.join(od, "base-serif.png")
    sans = os.path.join(od, "base-sans.png")
    render(lines, base, SERIF)
    render(lines, sans, SANS)
    made = {}
    made["gen-clean.png"] = lambda o: im(base, o)
    made["gen-150dpi.png"] = lambda o: render(lines, o, SANS, 0.5)
    made["gen-100dpi.png"] = lambda o: render(lines, o, SERIF, 1 / 3)
    made["gen-skew7.jpg"] = lambda o: im(base, "-seed", "7", "-background", "white", "-rotate", "7",
                                         "-attenuate", "0.4", "+noise", "Gaussian",
                                         "-quality", "80", o)
    made["gen-upside.png"] = lambda o: im(sans, "-rotate", "180", o)
    made["gen-slant30.jpg"] = lambda o: im(base, "-seed", "5", "-background", "white", "-rotate",
                                           "30", "-attenuate", "0.4", "+noise", "Gaussian",
                                           "-quality", "80", o)
    made["gen-slant110.jpg"] = lambda o: im(sans, "-background", "white", "-rotate", "110",
                                            "-quality", "85", o)

    made["gen-sideways.jpg"] = lambda o: im(base, "-rotate", "-90", "-quality", "85", o)
    made["gen-sideways-cw.png"] = lambda o: im(sans, "-rotate", "90", o)
    made["gen-stamped.png"] = lambda o: im(
        sans, "-alpha", "set", "-fill", "none", "-strokewidth", "14", "-stroke", "#d02030",
        "-draw", "circle 700,1300 700,1560", "-draw", "circle 1800,2300 1800,2520",
        "-strokewidth", "8", "-stroke", "#2030c0",
        "-draw", "bezier 300,1350 900,1100 1200,1500 1500,1250",
        "-draw", "bezier 1400,2350 1900,2150 2100,2450 2300,2250", "PNG32:" + o)
    made["gen-stamped-ink.png"] = lambda o: im(
        sans, "-type", "TrueColor", "(", "-size", "2480x3508", "xc:white", "-fill", "none",
        "-strokewidth", "14", "-stroke", "#d02030",
        "-draw", "circle 700,1300 700,1560", "-draw", "circle 1800,2300 1800,2520",
        "-strokewidth", "8", "-stroke", "#2030c0",
        "-draw", "bezier 300,1350 900,1100 1200,1500 1500,1250",
        "-draw", "bezier 1400,2350 1900,2150 2100,2450 2300,2250", ")",
        "-compose", "multiply", "-composite", "-alpha", "set", "PNG32:" + o)
    made["gen-photo.jpg"] = lambda o: im(
        base, "(", "-size", "2480x3508", "gradient:#ffffff-#8a8a80", ")",
        "-compose", "multiply", "-composite",
        "-virtual-pixel", "white", "-distort", "Perspective",
        "0,0 60,40 2480,0 2400,0 0,3508 0,3508 2480,3508 2480,3420",
        "-blur", "0x1.2", "-resize", "1300x", "-quality", "70", o)
    # A stronger perspective: corners pulled in by 3-6%, turned 3 degrees.
    made["gen-photo-strong.jpg"] = lambda o: im(
        base, "(", "-size", "2480x3508", "radial-gradient:#ffffff-#808078", ")",
        "-compose", "multiply", "-composite", "-virtual-pixel", "white", "-distort",
        "Perspective", "0,0 140,90 2480,0 2340,40 0,3508 30,3420 2480,3508 2470,3480",
        "-rotate", "3", "-blur", "0x1.2", "-resize", "1600x", "-quality", "70", o)
    def photo(src, light, corners, turn, blur, width, quality):
        """A phone photo of src: light multiplied over it, its corners
        pulled to `corners` (ImageMagick's Perspective pairs), turned."""
        return lambda o: im(
            src, "(", "-size", "2480x3508", light, ")", "-compose", "multiply", "-composite",
            "-virtual-pixel", "white", "-distort", "Perspective", corners, "-background", "white",
            "-rotate", turn, "-blur", blur, "-resize", width, "-quality", quality, o)
    made["gen-photo-tilted.jpg"] = photo(
        base, "radial-gradient:#ffffff-#808078",
        "0,0 180,120 2480,0 2300,50 0,3508 40,3400 2480,3508 2460,3470", "4", "0x1.2", "1600x", "70")
    made["gen-photo-fan.jpg"] = photo(
        sans, "gradient:#ffffff-#8a8a80",
        "0,0 142,345 2480,0 2352,90 0,3508 174,3220 2480,3508 2377,3414", "-2", "0x1.1", "1300x",
        "72")
    made["gen-upside-photo.jpg"] = lambda o: im(
        base, "(", "-size", "2480x3508", "gradient:#ffffff-#8a8a80", ")",
        "-compose", "multiply", "-composite",
        "-virtual-pixel", "white", "-distort", "Perspective",
        "0,0 60,40 2480,0 2400,0 0,3508 0,3508 2480,3508 2480,3420",
        "-blur", "0x1.2", "-resize", "1300x", "-rotate", "180", "-quality", "70", o)
    # Warm indoor light: a colour cast multiplied over the page, soft focus.
    made["gen-warm.jpg"] = lambda o: im(
        sans, "(", "+clone", "-fill", "#ffe2a8", "-colorize", "100", ")",
        "-compose", "multiply", "-composite", "-blur", "0x0.8", "-resize", "60%",
        "-quality", "75", o)
    for name, fn in made.items():
        fn(os.path.join(od, name))
        with open(os.path.join(od, os.path.splitext(name)[0] + ".gt.txt"), "w",
                  encoding="utf-8") as f:
            f.write(truth)
    # Heavy grain, as a bad scanner or a photocopy of a copy leaves, on a
    # page half full (the end of a letter or a pledge): bare paper with
    # grain is what misled the letter size measure.
    half = lines[:len(lines) // 2]
    grain = os.path.join(od, "base-half.png")
    grain_sans = os.path.join(od, "base-half-sans.png")
    render(half, grain, SERIF)
    render(half, grain_sans, SANS)
    noisy = {
        "gen-grain.jpg": lambda o: im(grain, "-seed", "3", "-attenuate", "0.5", "+noise",
                                      "Gaussian", "-quality", "75", o),
        "gen-grain-upside.jpg": lambda o: im(grain_sans, "-rotate", "180", "-seed", "4",
                                             "-attenuate", "0.5", "+noise", "Gaussian",
                                             "-quality", "75", o),
    }
    for name, fn in noisy.items():
        fn(os.path.join(od, name))
        with open(os.path.join(od, os.path.splitext(name)[0] + ".gt.txt"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(half) + "\n")
    for f in (base, sans, grain, grain_sans):
        os.remove(f)


if __name__ == "__main__":
    main()
