#!/usr/bin/env python3
"""Compares `shodo parse --json` output with the corpus truth (truth/*.jsonl).

usage: truth_check.py KIND CORPUS PARSED.json...
  KIND     evtx | prefetch | hives
  CORPUS   corpus root (holds truth/)
  PARSED   JSON documents from `shodo parse --json` (several batches)

Prints per-field mismatch counts and the first mismatches; exits 1 when a
field that must match does not (see the rules per kind below).
"""
import collections
import datetime
import json
import os
import sys

kind, corpus, outputs = sys.argv[1], sys.argv[2], sys.argv[3:]
# KIND+subset: compare only the files that appear in the outputs
subset = kind.endswith("+subset")
kind = kind.split("+")[0]
truth = {}
with open(os.path.join(corpus, "truth", kind + ".jsonl"), encoding="utf-8") as fp:
    for line in fp:
        row = json.loads(line)
        truth[row["path"]] = row

parsed = {}
for o in outputs:
    with open(o, encoding="utf-8") as fp:
        doc = json.load(fp)
    for f in doc["files"]:
        rel = os.path.relpath(f["file"], corpus)
        parsed[rel] = f

checked = collections.Counter()
mism = collections.Counter()
examples = collections.defaultdict(list)


def bad(field, path, want, got):
    mism[field] += 1
    if len(examples[field]) < 5:
        examples[field].append("%s: want %r got %r" % (path, want, got))


def check(field, path, want, got):
    checked[field] += 1
    if want != got:
        bad(field, path, want, got)


if subset:
    truth = {p: t for p, t in truth.items() if p in parsed}
missing = [p for p in truth if p not in parsed]
for p in missing:
    bad("file not parsed", p, "a result", None)

SEC = "Microsoft-Windows-Security-Auditing"
QUAL = {
    "4624": (SEC, 4624), "4625": (SEC, 4625), "4648": (SEC, 4648), "4672": (SEC, 4672),
    "4688": (SEC, 4688), "4720": (SEC, 4720), "4732": (SEC, 4732),
    "7045": ("Service Control Manager", 7045),
    "1102": ("Microsoft-Windows-Eventlog", 1102), "104": ("Microsoft-Windows-Eventlog", 104),
    "lsm_21": ("Microsoft-Windows-TerminalServices-LocalSessionManager", 21),
    "lsm_24": ("Microsoft-Windows-TerminalServices-LocalSessionManager", 24),
    "lsm_25": ("Microsoft-Windows-TerminalServices-LocalSessionManager", 25),
    "1149": ("Microsoft-Windows-TerminalServices-RemoteConnectionManager", 1149),
}


def sccainfo_time(s):
    # "Jan 13, 2016 18:06:55.334457700 UTC" -> "2016-01-13T18:06:55.3344577Z"
    d, frac = s.replace(" UTC", "").rsplit(".", 1)
    t = datetime.datetime.strptime(d, "%b %d, %Y %H:%M:%S")
    frac = frac[:7].rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac.ljust(7, "0") if frac else "") + "Z"


for path, t in sorted(truth.items()):
    f = parsed.get(path)
    if f is None:
        continue
    checked["files"] += 1
    if kind == "evtx":
        complete = t.get("truth_status") == "complete"
        stats = (f.get("evtx_stats") or [{}])[0]
        # every file, also the ones peers cannot decode, must report its records
        check("records", path, t["records"], stats.get("records"))
        if not complete:
            continue
        check("recovered_records", path, t["recovered_records"], stats.get("recovered"))
        # warning is right when libevtx (like evtxinfo) calls the log corrupted
        check("status ok or warning", path, True, f["status"] in ("ok", "warning"))
        counts = collections.Counter()
        hist = collections.Counter()
        for c in f.get("event_counts", []):
            counts[(c["provider"], c["event_id"])] += c["count"]
            hist[str(c["event_id"])] += c["count"]
        for key, want in t["key_counts"].items():
            if key.startswith("4624_logontype"):
                lt = int(key[len("4624_logontype"):])
                got = sum(1 for l in f.get("logons", [])
                          if l["event_id"] == 4624 and l.get("logon_type") == lt and not l.get("recovered"))
            else:
                got = counts.get(QUAL[key], 0)
            check("key_counts." + key, path, want, got)
        check("event_id_histogram", path, dict(sorted(t["event_id_histogram"].items())), dict(sorted(hist.items())))
        # logons rows must be one per allocated logon event
        n4624 = sum(1 for l in f.get("logons", []) if l["event_id"] == 4624 and not l.get("recovered"))
        check("logons rows 4624", path, t["key_counts"]["4624"], n4624)
    elif kind == "prefetch":
        rows = f.get("prefetch", [])
        if not t.get("valid"):
            check("invalid file fails", path, "failed", f["status"])
            check("invalid file has no rows", path, 0, len(rows))
            continue
        if t.get("truth_source") != "sccainfo":
            # format 31: values from plaso's test expectations (sccainfo
            # cannot read it); shodo decodes it itself
            r = rows[0] if rows else {}
            check("format31.status", path, "ok", f["status"])
            check("format31.run_count", path, t["run_count"], r.get("run_count"))
            check("format31.executable", path, t["executable"], r.get("executable"))
            check("format31.prefetch_hash", path, t["prefetch_hash"], r.get("prefetch_hash"))
            check("format31.format_version", path, t["format_version"], r.get("format_version"))
            vols = json.loads(r.get("volumes") or "[]")
            check("format31.volume_serials", path, t["volume_serials"], [v.get("serial") for v in vols])
            continue
        check("status ok", path, "ok", f["status"])
        r = rows[0] if rows else {}
        check("executable", path, t["executable"], r.get("executable"))
        check("format_version", path, t["format_version"], r.get("format_version"))
        check("prefetch_hash", path, t["prefetch_hash"], r.get("prefetch_hash"))
        check("run_count", path, t["run_count"], r.get("run_count"))
        want = [sccainfo_time(x) for x in t["last_run_times"]]
        check("last_run_times", path, want, json.loads(r.get("last_runs") or "[]"))
        vols = json.loads(r.get("volumes") or "[]")
        check("volume_serials", path, t["volume_serials"], [v.get("serial") for v in vols])
        if t.get("filename_count") is not None:
            check("filename_count", path, t["filename_count"], len(json.loads(r.get("loaded_from") or "[]")))
    elif kind == "hives":
        hk = t.get("hive_kind")
        if hk == "unparseable":
            check("unparseable hive fails", path, "failed", f["status"])
            continue
        check("status not failed", path, True, f["status"] in ("ok", "warning"))
        if hk == "SAM":
            got = sorted(({"name": a["name"], "rid": a["rid"]} for a in f.get("accounts", [])),
                         key=lambda x: x["name"].lower())
            want = sorted(t["users"], key=lambda x: x["name"].lower())
            check("sam users", path, want, got)
            check("parser", path, "hive_sam", f.get("parser"))
        elif hk == "SYSTEM":
            host = {h["key"]: h["value"] for h in f.get("host", [])}
            check("parser", path, "hive_system", f.get("parser"))
            check("computer_name", path, t["computer_name"], host.get("computer_name"))
            check("current_control_set", path, t["current_control_set"],
                  int(host["current_control_set"]) if "current_control_set" in host else None)
            check("timezone_key_name", path, t["timezone_key_name"], host.get("timezone_key_name"))
        elif hk == "SECURITY":
            check("parser", path, "hive_security", f.get("parser"))
        elif hk.startswith("NTUSER"):
            # user hives (also a user's Software subtree saved alone) are
            # named, not mistaken for a machine SOFTWARE hive
            check("parser", path, "hive_other", f.get("parser"))
            check("user hive named", path, True, "NTUSER" in (f.get("message") or ""))

print("%s: %d truth rows, %d results" % (kind, len(truth), len(parsed)))
for field in sorted(checked):
    print("  %-40s checked %5d  mismatches %d" % (field, checked[field], mism[field]))
for field in sorted(mism):
    if field not in checked:
        print("  %-40s mismatches %d" % (field, mism[field]))
for field, ex in sorted(examples.items()):
    for e in ex:
        print("    %s: %s" % (field, e))
sys.exit(1 if sum(mism.values()) else 0)
