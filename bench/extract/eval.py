#!/usr/bin/env python3
"""Scores extraction against gold files: precision, recall and F1 per field.

Usage: eval.py DUMP GOLD [DUMP GOLD]... [--label NAME] [--json]

DUMP is the output of extract-dump for ONE text file (a JSON list with one
object); GOLD is a gold file in the format of
samples/pledge-2024/pledge.gold.json:

  units, signatories: lists of canonical names
  people: [{"name", "role"}]      dates: [{"value", "role"?}]
  commitments_count: number of items   movements: list of names
  stated_count (optional): the count the text states, when it differs

Names are compared after NFC, case folding and one tone placement (Ủy/Uỷ,
Tòa/Toà are one spelling), so a score measures what was found, not how an
accent sat.  --loose also drops every accent (what OCR damage leaves).
Roles (dates, people) are scored separately, over matched entries whose gold
gives a role.  Scores are micro-averaged over all pairs given.
"""
import json
import re
import sys
import unicodedata

# Tone marks, and the vowel pairs whose tone placement varies (oa, oe, uy).
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tone_old_style(word):
    """Moves a tone on the second vowel of a final oa/oe/uy to the first."""
    d = unicodedata.normalize("NFD", word)
    m = re.match(r"^(.*?)([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])$", d)
    if m:
        d = m.group(1) + m.group(2) + m.group(4) + m.group(3)
    return unicodedata.normalize("NFC", d)


def norm(s, loose=False):
    s = unicodedata.normalize("NFC", s or "").casefold()
    s = re.sub(r"[\s\u00a0]+", " ", s).strip()
    s = re.sub(r"\s*-\s*", " - ", s)
    s = " ".join(tone_old_style(w) for w in s.split(" "))
    if loose:
        s = s.replace("đ", "d")
        s = "".join(c for c in unicodedata.normalize("NFD", s)
                    if unicodedata.category(c) != "Mn")
    return s


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, found, gold):
        found, gold = set(found), set(gold)
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def extract_fields(entities, loose):
    out = {"units": set(), "signatories": set(), "people": {}, "dates": {},
           "items": 0, "movements": set(), "stated": None}
    for e in entities:
        t, role = e["type"], e.get("role")
        if t == "unit":
            out["units"].add(norm(e["value"], loose))
        elif t == "signatory":
            out["signatories"].add(norm(e["value"], loose))
        elif t == "person":
            out["people"][norm(e["text"], loose)] = norm(role, loose) if role else None
        elif t == "date":
            out["dates"][e["value"]] = role
        elif t == "commitment" and role == "item":
            out["items"] += 1
        elif t == "commitment" and role == "movement":
            out["movements"].add(norm(e["text"], loose))
        elif t == "commitment" and role == "count":
            m = re.match(r"stated (\d+) found (\d+)", e.get("value") or "")
            if m:
                out["stated"] = int(m.group(1))
    return out


def main(argv):
    loose = "--loose" in argv
    as_json = "--json" in argv
    label = None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--label":
            label = argv[i + 1]
            i += 2
            continue
        if not argv[i].startswith("--"):
            args.append(argv[i])
        i += 1
    if len(args) % 2 or not args:
        print(__doc__, file=sys.stderr)
        return 2
    fields = ["units", "signatories", "people", "dates", "movements"]
    total = {f: Score() for f in fields}
    roles = {"dates": [0, 0], "people": [0, 0]}
    counts = [0, 0]  # exact item counts, documents
    stated = [0, 0]
    misses = []
    absent = [0, 0]  # missed names not in the input text, missed names
    for dump_path, gold_path in zip(args[0::2], args[1::2]):
        with open(dump_path, encoding="utf-8") as fp:
            dump = json.load(fp)
        with open(gold_path, encoding="utf-8") as fp:
            gold = json.load(fp)
        got = extract_fields(dump[0]["entities"] if dump else [], loose)
        # The input text, to tell misses extraction made from names the text
        # (an OCR output) does not contain at all.
        try:
            with open(dump[0]["file"], encoding="utf-8", errors="replace") as fp:
                text_loose = norm(fp.read(), True)
        except (OSError, IndexError, KeyError):
            text_loose = None
        g_units = {norm(u, loose) for u in gold.get("units", [])}
        g_sig = {norm(u, loose) for u in gold.get("signatories", [])}
        g_people = {norm(p["name"], loose): (norm(p["role"], loose) if p.get("role") else None)
                    for p in gold.get("people", [])}
        g_dates = {d["value"]: d.get("role") for d in gold.get("dates", [])}
        g_mov = {norm(m, loose) for m in gold.get("movements", [])}
        pairs = {"units": (got["units"], g_units), "signatories": (got["signatories"], g_sig),
                 "people": (set(got["people"]), set(g_people)),
                 "dates": (set(got["dates"]), set(g_dates)),
                 "movements": (got["movements"], g_mov)}
        for f, (found, want) in pairs.items():
            total[f].add(found, want)
            for x in sorted(found - want):
                misses.append((dump_path, f, "extra", x))
            for x in sorted(want - found):
                misses.append((dump_path, f, "missed", x))
                if f != "dates" and text_loose is not None:
                    absent[1] += 1
                    absent[0] += norm(x, True) not in text_loose
        for name, role in g_people.items():
            if role and name in got["people"]:
                roles["people"][1] += 1
                roles["people"][0] += got["people"][name] == role
        for value, role in g_dates.items():
            if role and value in got["dates"]:
                roles["dates"][1] += 1
                roles["dates"][0] += got["dates"][value] == role
        counts[1] += 1
        counts[0] += got["items"] == gold.get("commitments_count", 0)
        if got["items"] != gold.get("commitments_count", 0):
            misses.append((dump_path, "items", "count", "%d found, %d in gold" %
                           (got["items"], gold.get("commitments_count", 0))))
        stated[1] += 1
        stated[0] += got["stated"] == gold.get("stated_count")
    result = {"label": label, "documents": counts[1], "loose": loose,
              "fields": {f: dict(zip(("precision", "recall", "f1"), total[f].prf()))
                         for f in fields},
              "role_accuracy": {k: (v[0] / v[1] if v[1] else None) for k, v in roles.items()},
              "exact_item_count": counts[0] / counts[1],
              "stated_count_ok": stated[0] / stated[1],
              "missed_absent_from_text": absent,
              "misses": [list(m) for m in misses]}
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print("## %s (%d documents%s)" % (label or "extraction", counts[1],
                                        ", accents ignored" if loose else ""))
    print()
    print("| field | precision | recall | F1 |")
    print("|---|---|---|---|")
    for f in fields:
        p, r, f1 = total[f].prf()
        print("| %s | %.3f | %.3f | %.3f |" % (f, p, r, f1))
    print()
    for k, v in roles.items():
        if v[1]:
            print("- %s role accuracy: %d/%d" % (k, v[0], v[1]))
    print("- exact item count: %d/%d documents" % (counts[0], counts[1]))
    print("- stated count reported correctly: %d/%d documents" % (stated[0], stated[1]))
    if absent[1]:
        print("- missed names (units, signatories, people, movements) that the input text "
              "does not contain, even without accents: %d/%d" % (absent[0], absent[1]))
    if misses:
        print()
        print("Differences:")
        for path, f, kind, x in misses:
            print("- %s: %s %s: %s" % (path.split("/")[-1], f, kind, x))
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
