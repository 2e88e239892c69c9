#!/bin/sh
# shodo's EVTX reader against libevtx on every corpus event log, record by
# record and field by field:
#  - libevtx's record API (evtx_dump --libevtx): record and recovered-record
#    counts; per record the identifier, written time, event identifier,
#    source name and computer;
#  - evtxexport's XML (the value-level truth): per record the event ID,
#    EventRecordID, provider, channel, computer, TimeCreated, Security
#    UserID and every EventData <Data Name=...> and UserData value, in order;
#  - the logons table `shodo parse` fills: target user and domain, source IP,
#    workstation and logon type per logon record, against evtxexport's values.
# The logs neither evtxexport nor python-evtx can read (a value-text token in
# attributes) must be read whole, with the event IDs their names claim.
# The reader gives the same records whatever the number of threads, with a
# log's first chunks on the calling thread or every chunk on the threads,
# in a whole-file run or a run over a list of chunks.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
need evtxexport libevtx-utils
DUMP=$HELPERS/evtx_dump
[ -x "$DUMP" ] || fail "helper evtx_dump not built"
mkdir -p "$T/cmp"
# per log: shodo's reader, libevtx's API, evtxexport (allocated, recovered);
# per batch: shodo parse; then one python compares everything
# shellcheck disable=SC2016
(cd "$CORPUS" && find evtx -name '*.evtx' -print0) |
	(cd "$CORPUS" && xargs -0 -n 40 -P 2 sh -c '
	out=$0 dump=$1 bin=$2; shift 2
	b=$(mktemp "$out/batch.XXXXXX")
	for f in "$@"; do
		h=$(printf %s "$f" | sha256sum | cut -c1-16)
		"$dump" "$f" > "$out/$h.mine" || { echo "evtx_dump failed on $f" >&2; exit 1; }
		# every chunk handed to two threads (the default reads a small log
		# on the calling thread): the same lines
		"$dump" --threads 2 --solo -1 "$f" | cmp -s - "$out/$h.mine" ||
			{ echo "evtx_dump: other records from threads on $f" >&2; exit 1; }
		"$dump" --libevtx "$f" > "$out/$h.lib" 2>/dev/null
		evtxexport -f xml -m items "$f" > "$out/$h.items" 2>/dev/null && printf "%s\t%s\n" "$f" "$out/$h.items" >> "$b.logons"
		evtxexport -f xml -m recovered "$f" > "$out/$h.recov" 2>/dev/null
		printf "%s\t%s\t%s\t%s\t%s\n" "$f" "$out/$h.mine" "$out/$h.lib" "$out/$h.items" "$out/$h.recov" >> "$b.cmp"
	done
	# logons against evtxexport where evtxexport can export the log
	"$bin" parse --json --tables logons "$@" > "$b.json" 2>/dev/null
	[ $? -le 1 ] || { echo "shodo parse failed on a batch" >&2; exit 1; }
	exit 0' "$T/cmp" "$DUMP" "$SHODO_BIN") || fail "a batch failed"
for b in "$T"/cmp/batch.*.cmp; do
	python3 "$SHODO_TOP/tests/parsers/evtx_compare.py" --batch "$b" >> "$T/cmp/compare.jsonl"
done
for b in "$T"/cmp/batch.*.logons; do
	python3 "$SHODO_TOP/tests/parsers/evtx_logons_truth.py" --batch "${b%.logons}.json" "$b" >> "$T/cmp/logons.jsonl"
done
python3 - "$T/cmp" "$CORPUS" <<'PY' || fail "shodo's reader and libevtx disagree"
import collections, glob, hashlib, json, os, sys
out, corpus = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(os.path.join(out, "compare.jsonl"))]
logons = [json.loads(l) for l in open(os.path.join(out, "logons.jsonl"))]
bad = [r for r in rows if r["mismatches"]] + [r for r in logons if r["mismatches"]]
truth = [json.loads(l) for l in open(os.path.join(corpus, "truth", "evtx.jsonl"))]
print("files %d, records %d, fields compared %d, mismatches %d" % (
    len(rows), sum(r["records"] for r in rows), sum(r["fields"] for r in rows), sum(r["mismatches"] for r in rows)))
print("logon records %d, logon values compared with evtxexport %d, mismatches %d" % (
    sum(r["records"] for r in logons), sum(r["values"] for r in logons), sum(r["mismatches"] for r in logons)))
# the values scoping reads, by name: how many were compared with evtxexport
scoping = ["TargetUserName", "TargetDomainName", "IpAddress", "LogonType", "WorkstationName", "SubjectUserName",
           "ServiceName", "ImagePath", "CommandLine", "NewProcessName", "TaskName", "ScriptBlockText", "MemberSid"]
n = collections.Counter()
for path in glob.glob(os.path.join(out, "*.items")):
    mine = path[:-6] + ".mine"
    for line in open(mine, encoding="utf-8", errors="replace"):
        r = json.loads(line)
        for f in r.get("data", []):
            if f[0] in scoping and not r["recovered"]:
                n[f[0]] += 1
print("scoping values compared: " + ", ".join("%s %d" % (k, n[k]) for k in scoping))
if len(rows) != len(truth):
    print("compared %d logs, the corpus has %d" % (len(rows), len(truth)))
    bad.append(1)
# logs no peer decodes: every allocated record read, the IDs the names claim
for t in truth:
    if t["truth_status"] == "complete":
        continue
    h = hashlib.sha256(t["path"].encode()).hexdigest()[:16]
    recs = [json.loads(l) for l in open(os.path.join(out, h + ".mine"))]
    alloc = [r for r in recs if "summary" not in r and not r["recovered"]]
    ids = {r.get("event_id") for r in alloc}
    ok = len(alloc) == t["records"] and all(r["state"] == "ok" for r in alloc) and \
        set(t["event_ids_claimed_by_file_name"]) <= ids
    print("%s: %d of %d records read, event IDs %s (name claims %s)%s" % (
        t["path"], sum(r["state"] == "ok" for r in alloc), t["records"], sorted(ids),
        t["event_ids_claimed_by_file_name"], "" if ok else "  <- WRONG"))
    if not ok:
        bad.append(t["path"])
for r in bad[:20]:
    if isinstance(r, dict):
        print("MISMATCH", r.get("file"), r.get("examples"))
sys.exit(1 if bad else 0)
PY
ok "every corpus log: records and values as libevtx and evtxexport read them; logons as evtxexport shows them"
ok "every corpus log: the same records read on the calling thread and by two threads"
# the same records from one thread or several (chunks handed out to a pool)
big=$(cd "$CORPUS" && find evtx -iname '*security*.evtx' -size +1M | sort | head -n 1)
[ -n "$big" ] || fail "no multi-chunk Security log in the corpus"
python3 "$SHODO_TOP/bench/mkbigevtx.py" "$CORPUS/$big" many.evtx 24 || fail "mkbigevtx.py failed"
"$DUMP" --threads 1 many.evtx > t1.jsonl || fail "evtx_dump (1 thread) failed"
"$DUMP" --threads 3 many.evtx > t3.jsonl || fail "evtx_dump (3 threads) failed"
cmp -s t1.jsonl t3.jsonl || fail "records differ between 1 and 3 threads"
ok "the same records, values and order from 1 and 3 threads"
# 3 threads from the first chunk, or after 5 on the calling thread; a run
# over a list of every chunk (as shodo parse reads recovered records again)
for a in "--solo -1" "--solo 5" "--again" "--solo -1 --again" "--solo 5 --again"; do
	# shellcheck disable=SC2086
	"$DUMP" --threads 3 $a many.evtx > ta.jsonl || fail "evtx_dump --threads 3 $a failed"
	cmp -s t1.jsonl ta.jsonl || fail "records differ between 1 thread and 3 threads with $a"
done
ok "the same records from the calling thread, from threads alone or after the first chunks, and from a run over a chunk list"
[ "$(wc -l < t1.jsonl)" -gt 10000 ] || fail "too few records in the generated log: $(wc -l < t1.jsonl)"
"$DUMP" --libevtx many.evtx | tail -n 1 > lib.sum
python3 - t1.jsonl lib.sum <<'PY' || fail "record counts of the generated log differ from libevtx's"
import json, sys
mine = json.loads(open(sys.argv[1]).read().splitlines()[-1])["summary"]
lib = json.loads(open(sys.argv[2]).read())["summary"]
print("generated log: %d records, %d recovered (libevtx %d, %d)" % (mine["records"], mine["recovered"], lib["records"], lib["recovered"]))
sys.exit(0 if (mine["records"], mine["recovered"]) == (lib["records"], lib["recovered"]) else 1)
PY
ok "shodo's EVTX reader matches libevtx and evtxexport on every corpus log, field by field"
