#!/usr/bin/env python3
"""Value-level truth for the logons table: every allocated logon record of a
log, as evtxexport writes it, against the row `shodo parse` stored for it.

usage: evtx_logons_truth.py PARSED.json ITEMS.xml [NAME]
       evtx_logons_truth.py --batch PARSED.json LIST
  PARSED.json  `shodo parse --json --tables logons FILE...`
  ITEMS.xml    `evtxexport -f xml -m items FILE`
  LIST         lines of FILE (as given to shodo parse) and ITEMS.xml, tab-separated

Per record (matched in order: both list the allocated records in file
order): target user, target domain, source IP, workstation and logon type of
the Security logons (4624, 4625, 4634, 4647, 4648) and the account of 4672.
Prints one JSON line per log {"file": ..., "records": N, "values": N,
"mismatches": N, "examples": [...]}; exits 1 on a mismatch.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evtx_compare  # noqa: E402

SEC = "Microsoft-Windows-Security-Auditing"
LOGON = {4624, 4625, 4634, 4647, 4648}


def val(s):
    return None if s in (None, "", "-") else s


def ip(s):
    s = val(s)
    if s and s.lower().startswith("::ffff:") and "." in s:
        s = s[7:]
    return s


def check(parsed, items, name):
    events = evtx_compare.load_xml(items)
    want = []
    for ev in events:
        if ev is None or ev.get("provider") != SEC or ev.get("event_id") not in LOGON | {4672}:
            continue
        d = {}
        for n, v, _ in ev["data"]:
            d.setdefault(n, v)
        if ev["event_id"] == 4672:
            want.append({"event_id": 4672, "target_user": val(d.get("SubjectUserName")),
                         "target_domain": val(d.get("SubjectDomainName"))})
            continue
        lt = val(d.get("LogonType"))
        want.append({"event_id": ev["event_id"], "target_user": val(d.get("TargetUserName")),
                     "target_domain": val(d.get("TargetDomainName")), "source_ip": ip(d.get("IpAddress")),
                     "workstation": val(d.get("WorkstationName")), "logon_type": int(lt) if lt else None})
    rows = [r for r in parsed.get("logons", []) if not r.get("recovered") and r["event_id"] in LOGON | {4672}]
    stats = {"file": name, "records": 0, "values": 0, "mismatches": 0, "examples": []}
    if len(rows) != len(want):
        stats["mismatches"] += 1
        stats["examples"].append("logon rows: evtxexport %d, shodo %d" % (len(want), len(rows)))
    for i, (w, r) in enumerate(zip(want, rows)):
        stats["records"] += 1
        for k, v in w.items():
            stats["values"] += 1
            if r.get(k) != v:
                stats["mismatches"] += 1
                if len(stats["examples"]) < 8:
                    stats["examples"].append("logon %d %s: evtxexport %r, shodo %r" % (i, k, v, r.get(k)))
    return stats


if __name__ == "__main__":
    bad = 0
    if sys.argv[1] == "--batch":
        files = {f["file"]: f for f in json.load(open(sys.argv[2]))["files"]}
        for line in open(sys.argv[3], encoding="utf-8"):
            name, items = line.rstrip("\n").split("\t")
            st = check(files.get(name, {}), items, name)
            print(json.dumps(st))
            bad |= st["mismatches"] > 0
    else:
        st = check(json.load(open(sys.argv[1]))["files"][0], sys.argv[2],
                   sys.argv[3] if len(sys.argv) > 3 else sys.argv[1])
        print(json.dumps(st))
        bad = st["mismatches"] > 0
    sys.exit(1 if bad else 0)
