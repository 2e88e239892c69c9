#!/bin/sh
# Truncated and corrupted copies of corpus event logs, prefetch files and
# hives (made here with head/dd/python): `shodo parse` must never crash or
# hang, must grade each file (ok, warning or failed) and must keep going
# with the files after a bad one.  Runs under the ASan build too.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
mkdir -p "$T/bad"
# a few of each kind, different sizes and formats
pick() { find "$CORPUS/$1" -type f -name "$2" | sort | awk -v n="$3" 'NR % n == 1' | head -n "$4"; }
{
	pick evtx '*.evtx' 60 8 | sed 's/^/evtx /'
	pick prefetch '*.pf' 6 8 | sed 's/^/prefetch /'
	for h in regipy/SAM regipy/SYSTEM przetom/SYSTEM ez-registry/SECURITY thiagosmith/SAM; do
		echo "registry $CORPUS/hives/$h"
	done
} > "$T/list"
[ -s "$T/list" ] || fail "no corpus files picked"
python3 - "$T/list" "$T/bad" <<'PY' || fail "could not build corrupted copies"
import os, random, sys
lst, out = sys.argv[1], sys.argv[2]
rnd = random.Random(4)
for i, line in enumerate(open(lst).read().split("\n")):
    if not line:
        continue
    cat, path = line.split(" ", 1)
    os.makedirs(os.path.join(out, cat), exist_ok=True)
    data = open(path, "rb").read()
    base = "%02d_%s" % (i, os.path.basename(path).replace(" ", "_"))
    n = len(data)
    variants = {
        "trunc_tiny": data[:7],
        "trunc_half": data[: n // 2],
        "trunc_head": data[: min(n, 4096 + 17)],
    }
    # random garbage over 1..8 spans, keeping the signature so parsers dig in
    for k in range(3):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            off = rnd.randrange(8, max(9, n))
            ln = rnd.randint(1, 512)
            b[off:off + ln] = bytes(rnd.getrandbits(8) for _ in range(min(ln, max(0, n - off))))
        variants["garble%d" % k] = bytes(b)
    # zeroed second half
    variants["zero_tail"] = data[: n // 2] + bytes(n - n // 2)
    for name, blob in variants.items():
        with open(os.path.join(out, cat, base + "." + name), "wb") as fp:
            fp.write(blob)
PY
n=$(find "$T/bad" -type f | wc -l)
# the category comes from the original name, so parsers are chosen as in triage
for cat in evtx prefetch registry; do
	find "$T/bad/$cat" -type f -print0 | xargs -0 -r -n 20 -P 2 sh -c 'bin=$1 cat=$2; shift 2; o=$(mktemp "$0/out.XXXXXX"); timeout 300 "$bin" parse --json --category "$cat" --tables evtx_stats,prefetch,accounts,host "$@" > "$o" 2>"$o.err"; rc=$?; [ $rc -le 1 ] || { echo "exit $rc on a batch" >&2; tail -5 "$o.err" >&2; exit 1; }' "$T" "$SHODO_BIN" "$cat" ||
		fail "shodo parse crashed or hung on corrupted $cat files"
done
# every file is graded; nothing is silently dropped
python3 - "$T" "$n" <<'PY' || fail "a corrupted file was not graded"
import glob, json, sys, collections
t, n = sys.argv[1], int(sys.argv[2])
seen = {}
for o in glob.glob(t + "/out.*"):
    if o.endswith(".err"):
        continue
    for f in json.load(open(o))["files"]:
        seen[f["file"]] = f["status"]
c = collections.Counter(seen.values())
print("graded %d of %d corrupted files: %s" % (len(seen), n, dict(c)))
bad = [s for s in seen.values() if s not in ("ok", "warning", "failed")]
sys.exit(1 if bad or len(seen) != n else 0)
PY
ok "corrupted and truncated artifacts are graded without crashing"
