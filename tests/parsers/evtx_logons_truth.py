#!/usr/bin/env python3
"""Value-level truth for the logons table: every allocated logon record of a
log, as evtxexport writes it, against the row `shodo parse` stored for it.

usage: evtx_logons_truth.py PARSED.json ITEMS.xml [NAME]
  PARSED.json  `shodo parse --json --tables logons FILE`
  ITEMS.xml    `evtxexport -f xml -m items FILE`

Per record (matched in order: both list the allocated records in file
order): target user, target domain, source IP, workstation and logon type of
the Security logons (4624, 4625, 4634, 4647, 4648) and the account of 4672.
Prints one JSON line {"records": N, "values": N, "mismatches": N,
"examples": [...]}; exits 1 on a mismatch.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "evtx_compare.py")).read()
ns = {}
exec(src[:src.index("mine, msum = ")].replace("mine_path, lib_path, items_path, recov_path = sys.argv[1:5]", ""), ns)

parsed = json.load(open(sys.argv[1]))["files"][0]
events = ns["load_xml"](sys.argv[2])
SEC = "Microsoft-Windows-Security-Auditing"
LOGON = {4624, 4625, 4634, 4647, 4648}


def val(s):
    return None if s in (None, "", "-") else s


def ip(s):
    s = val(s)
    if s and s.lower().startswith("::ffff:") and "." in s:
        s = s[7:]
    return s


want = []
for ev in events:
    if ev is None or ev.get("provider") != SEC or ev.get("event_id") not in LOGON | {4672}:
        continue
    d = {}
    for n, v, is_data in ev["data"]:
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
stats = {"file": sys.argv[3] if len(sys.argv) > 3 else sys.argv[1], "records": 0, "values": 0, "mismatches": 0, "examples": []}
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
print(json.dumps(stats))
sys.exit(1 if stats["mismatches"] else 0)
