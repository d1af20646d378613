#!/usr/bin/env python3
"""cer.py TRUTH HYPOTHESIS -- character error rate of HYPOTHESIS against TRUTH.

Both texts are NFC-normalised and every run of white space (line breaks
included) becomes one space, so line wrapping does not count as an error.
Prints the CER as a fraction (edit distance / truth length)."""
import sys
import unicodedata


def norm(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def distance(a, b):
    # Levenshtein distance, two rows.
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(truth, hyp):
    t, h = norm(truth), norm(hyp)
    return distance(t, h) / max(1, len(t))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: cer.py TRUTH HYPOTHESIS")
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        truth = f.read()
    with open(sys.argv[2], encoding="utf-8", errors="replace") as f:
        hyp = f.read()
    print("%.4f" % cer(truth, hyp))
