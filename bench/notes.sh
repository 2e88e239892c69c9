#!/bin/sh
# bench/notes.sh — ransom-note detection quality: recall on the corpus notes,
# false-positive rate on benign text files of this machine, family accuracy
# where a family is attributed.  Prints one line per measure, and with -v the
# misses and false positives.
#   SHODO_CORPUS=path   corpus root (default ../shared/corpus)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${SHODO_BUILD:-$top/build}
scan=$build/tests/helpers/notes_scan
corpus=${SHODO_CORPUS:-$top/../shared/corpus}
verbose=0; [ "${1:-}" = -v ] && verbose=1
[ -x "$scan" ] || { echo "bench/notes.sh: build first (make check builds $scan)" >&2; exit 1; }
[ -d "$corpus/ransom_notes" ] || { echo "bench/notes.sh: no corpus at $corpus; skipped"; exit 0; }
tmp=$(mktemp -d /tmp/shodo-notes.XXXXXX); trap 'rm -rf "$tmp"' EXIT
. "$top/tests/analysis/benign-files"
nb=$(benign_files "$tmp/benign" 2000)
find "$corpus/ransom_notes" -type f | "$scan" - > "$tmp/notes.tsv"
find "$tmp/benign" -type f | "$scan" - > "$tmp/benign.tsv"
python3 - "$corpus" "$tmp/notes.tsv" "$tmp/benign.tsv" "$verbose" <<'PY'
import json, sys, os
corpus, notes, benign, verbose = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
truth = {}
for line in open(os.path.join(corpus, "truth", "ransom_notes.jsonl")):
    r = json.loads(line)
    truth[os.path.normpath(os.path.join(corpus, r["path"]))] = r["family"]
def rows(p):
    for line in open(p, encoding="utf-8", errors="replace"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 12:
            yield f
import re
n = hit = att = ok = unseen = 0
miss = []; wrong = []
for f in rows(notes):
    path = os.path.normpath(f[11])
    if path not in truth: continue
    n += 1
    if f[0] == "note":
        hit += 1
        # as if the family were unknown: the family-marker points removed
        m = re.search(r"family:(\d+)", f[10])
        if int(f[1]) - (int(m.group(1)) if m else 0) >= 60:
            unseen += 1
        if f[2] != "-":
            att += 1
            if f[2] == truth[path]: ok += 1
            else: wrong.append((truth[path], f[2], path))
    else:
        miss.append((f[1], f[10], path))
b = fp = 0; fps = []
for f in rows(benign):
    b += 1
    if f[0] == "note":
        fp += 1; fps.append((f[1], f[10], f[11]))
print("ransom notes:    %d/%d detected, recall %.4f" % (hit, n, hit / n if n else 0))
print("unseen families: %d/%d still detected without family markers, recall %.4f" %
      (unseen, n, unseen / n if n else 0))
print("benign files:    %d/%d flagged, false-positive rate %.4f" % (fp, b, fp / b if b else 0))
print("family:          attributed %d/%d detected notes (%.2f), correct %d/%d (accuracy %.4f)" %
      (att, hit, att / hit if hit else 0, ok, att, ok / att if att else 0))
if verbose:
    for m in miss: print("miss", *m, sep="\t")
    for m in fps: print("false-positive", *m, sep="\t")
    for m in wrong: print("family", *m, sep="\t")
PY
