#!/bin/sh
# Event-log fields cannot be spoofed: a log written here holds, for each
# field the scoping uses, records whose earlier values try to pose as that
# field ('admin Name="IpAddress"/' once hid a brute-force source IP,
# '</Data><Data Name="X">...' tries to inject one).  Every row shodo stores
# must carry the true values, and evtxexport (a reader nobody here wrote)
# must show the same values in the same fields.  A record with a processing
# instruction (valid binary XML Windows never writes) goes through libevtx,
# the reader of last resort, and must be spoof-proof as well.
. "$(dirname "$0")/../lib/common.sh"
need python3 python3
need evtxexport libevtx-utils
python3 - "$T" <<'PY' || fail "could not write the test log"
import json, os, sys
t = sys.argv[1]
SEC = "Microsoft-Windows-Security-Auditing"
recs, want = [], []
HIDE = ['x Name="%s"/', 'x</Data><Data Name="%s">6.6.6.6', 'x" Name="%s">6.6.6.6<', '<%s>6.6.6.6</%s>']

def payload(i, field):
    p = HIDE[i % len(HIDE)]
    return p.replace("%s", field)

# failed logons (4625): every logon column, each hunted by the values before it
order = ["SubjectUserName", "SubjectDomainName", "TargetUserName", "TargetDomainName", "Status", "SubStatus",
         "LogonType", "LogonProcessName", "AuthenticationPackageName", "WorkstationName", "ProcessName",
         "IpAddress"]
truth = {"TargetUserName": "alice", "TargetDomainName": "CORP", "WorkstationName": "WS-7",
         "ProcessName": "C:\\Windows\\System32\\svchost.exe", "AuthenticationPackageName": "NTLM",
         "IpAddress": "203.0.113.7"}
col = {"TargetUserName": "target_user", "TargetDomainName": "target_domain", "WorkstationName": "workstation",
       "ProcessName": "process", "AuthenticationPackageName": "auth_package", "IpAddress": "source_ip",
       "LogonType": "logon_type"}
n = 0
for k, victim in enumerate(list(col)):
    for variant in range(len(HIDE)):
        vals = dict(truth)
        vals["SubjectUserName"] = payload(variant, victim)
        vals["SubjectDomainName"] = payload(variant + 1, victim)
        vals["LogonProcessName"] = payload(variant + 2, victim)
        if victim != "TargetUserName":
            vals["TargetUserName"] = "alice" if variant % 2 else payload(variant, victim).replace("x", "alice", 1)
        data = []
        for f in order:
            if f in ("Status", "SubStatus"):
                data.append([f, "hex32", 0xc000006d if f == "Status" else 0xc000006a])
            elif f == "LogonType":
                data.append([f, "u32", 3])
            else:
                data.append([f, "s", vals.get(f, "-")])
        n += 1
        recs.append({"provider": SEC, "id": 4625, "computer": "DC01", "time": "2022-03-01T10:00:%02dZ" % (n % 60),
                     "data": data})
        want.append({"table": "logons", "record": n, "cols": {
            "target_user": vals["TargetUserName"], "target_domain": "CORP", "workstation": "WS-7",
            "process": truth["ProcessName"], "auth_package": "NTLM", "source_ip": "203.0.113.7",
            "logon_type": 3, "status": "0xc000006d/0xc000006a"}})
# admin logon (4672): the account is SubjectUserName; PrivilegeList tries to replace it
n += 1
recs.append({"provider": SEC, "id": 4672, "data": [["SubjectUserSid", "sid", "S-1-5-21-1-2-3-500"],
             ["SubjectUserName", "s", "bob"], ["SubjectDomainName", "s", "CORP"],
             ["SubjectLogonId", "hex64", 999], ["PrivilegeList", "s", 'SeDebugPrivilege</Data><Data Name="SubjectUserName">SYSTEM']]})
want.append({"table": "logons", "record": n, "cols": {"target_user": "bob", "target_domain": "CORP", "logon_id": "0x00000000000003e7"}})
# service installed (7045): the name tries to hide and to replace the image path and the account
for variant in range(len(HIDE)):
    n += 1
    name = payload(variant, "ImagePath") + payload(variant + 1, "AccountName")
    recs.append({"provider": "Service Control Manager", "id": 7045, "channel": "System", "data": [
        ["ServiceName", "s", name], ["ImagePath", "s", "C:\\Users\\Public\\evil.exe -k"],
        ["ServiceType", "s", "user mode service"], ["StartType", "s", "auto start"], ["AccountName", "s", "LocalSystem"]]})
    want.append({"table": "persistence", "record": n, "cols": {"name": name, "command": "C:\\Users\\Public\\evil.exe -k",
                 "account": "LocalSystem"}})
# process creation (4688): the user name tries to hide the command line that deletes shadow copies
for variant in range(len(HIDE)):
    n += 1
    recs.append({"provider": SEC, "id": 4688, "data": [
        ["SubjectUserName", "s", payload(variant, "CommandLine")], ["SubjectDomainName", "s", "CORP"],
        ["NewProcessName", "s", "C:\\Windows\\System32\\vssadmin.exe"],
        ["CommandLine", "s", "vssadmin.exe delete shadows /all /quiet"]]})
    want.append({"table": "events", "record": n, "cols": {"category": "process_suspicious",
                 "detail": "vssadmin.exe delete shadows /all /quiet"}})
# log cleared (104): UserData; the user name tries to pose as the cleared channel
n += 1
recs.append({"provider": "Microsoft-Windows-Eventlog", "id": 104, "channel": "System",
             "userdata": ["LogFileCleared", [["SubjectUserName", "s", "mallory</SubjectUserName><Channel>Application"],
                                             ["SubjectDomainName", "s", "CORP"], ["Channel", "s", "Security"]]]})
want.append({"table": "events", "record": n, "cols": {"category": "log_cleared", "target": "Security",
             "user": "CORP\\mallory</SubjectUserName><Channel>Application"}})
# RDP authentication (1149, Param1..3) and an RDP session (LSM 21, User/Address)
n += 1
recs.append({"provider": "Microsoft-Windows-TerminalServices-RemoteConnectionManager", "id": 1149,
             "channel": "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational",
             "userdata": ["EventXML", [["Param1", "s", 'eve Name="Param3"/'], ["Param2", "s", "CORP"], ["Param3", "s", "198.51.100.23"]]]})
want.append({"table": "logons", "record": n, "cols": {"target_user": 'eve Name="Param3"/', "source_ip": "198.51.100.23", "logon_type": 10}})
n += 1
recs.append({"provider": "Microsoft-Windows-TerminalServices-LocalSessionManager", "id": 21,
             "channel": "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
             "userdata": ["EventXML", [["User", "s", "CORP\\frank</User><Address>LOCAL"], ["SessionID", "u32", 3],
                                       ["Address", "s", "192.0.2.44"]]]})
want.append({"table": "logons", "record": n, "cols": {"target_user": "frank</User><Address>LOCAL", "target_domain": "CORP",
             "source_ip": "192.0.2.44", "logon_type": 10}})
# group membership (4732): the member's name tries to change the group
n += 1
recs.append({"provider": SEC, "id": 4732, "data": [["MemberName", "s", 'CN=x</Data><Data Name="TargetUserName">Users'],
             ["MemberSid", "sid", "S-1-5-21-1-2-3-1105"], ["TargetUserName", "s", "Administrators"],
             ["TargetDomainName", "s", "Builtin"], ["SubjectUserName", "s", "bob"], ["SubjectDomainName", "s", "CORP"]]})
want.append({"table": "events", "record": n, "cols": {"category": "group_member_added",
             "detail": "added to group Builtin\\Administrators (member S-1-5-21-1-2-3-1105)"}})
# a record only libevtx reads (processing instruction): the spoof fails there too
n += 1
recs.append({"provider": SEC, "id": 4625, "pi": True, "data": [["TargetUserName", "s", 'root Name="IpAddress"/'],
             ["LogonType", "u32", 3], ["IpAddress", "s", "203.0.113.99"]]})
want.append({"table": "logons", "record": n, "cols": {"target_user": 'root Name="IpAddress"/', "source_ip": "203.0.113.99"}})
with open(os.path.join(t, "recs.jsonl"), "w") as fp:
    for r in recs:
        fp.write(json.dumps(r) + "\n")
with open(os.path.join(t, "want.json"), "w") as fp:
    json.dump(want, fp)
PY
python3 "$SHODO_TOP/tests/parsers/mkevtx.py" Security.evtx < recs.jsonl || fail "mkevtx.py failed"
h0=$(sha256 Security.evtx)
shodo parse --json --tables logons,events,persistence,evtx_stats Security.evtx > out.json || fail "shodo parse exited $?"
[ "$(sha256 Security.evtx)" = "$h0" ] || fail "the log was changed"
evtxexport -f xml Security.evtx > export.xml 2>/dev/null || fail "evtxexport cannot read the test log"
python3 - "$SHODO_TOP/tests/parsers" out.json want.json export.xml recs.jsonl <<'PY' || fail "a spoofed value reached the store"
import json, re, sys
sys.argv, here = sys.argv, sys.argv[1]
out = json.load(open(sys.argv[2]))["files"][0]
want = json.load(open(sys.argv[3]))
recs = [json.loads(l) for l in open(sys.argv[5])]
# evtxexport's XML, with the comparison tool's parser
sys.path.insert(0, here)
sys.path.insert(0, here)
import evtx_compare
ns = vars(evtx_compare)
events = ns["load_xml"](sys.argv[4])
bad = 0
if len(events) != len(recs):
    print("evtxexport shows %d events, %d written" % (len(events), len(recs)))
    bad += 1
checked = 0
for i, (ev, r) in enumerate(zip(events, recs)):
    got = {n: v for n, v, _ in ev["data"]}
    for n, k, v in r.get("data", []) + (r["userdata"][1] if r.get("userdata") else []):
        if k == "s":
            checked += 1
            if got.get(n) != v:
                print("evtxexport: record %d %s: wrote %r, reads %r" % (i + 1, n, v, got.get(n)))
                bad += 1
rows = {t: [x for x in out.get(t, [])] for t in ("logons", "events", "persistence")}
for w in want:
    match = [x for x in rows[w["table"]] if x.get("record") == w["record"]]
    if not match:
        print("no %s row for record %d" % (w["table"], w["record"]))
        bad += 1
        continue
    for c, v in w["cols"].items():
        checked += 1
        if match[0].get(c) != v:
            print("record %d %s.%s: want %r, stored %r" % (w["record"], w["table"], c, v, match[0].get(c)))
            bad += 1
print("%d values checked, %d wrong" % (checked, bad))
sys.exit(1 if bad else 0)
PY
jq -e '.files[0].message | test("read through libevtx")' out.json > /dev/null ||
	fail "the processing-instruction record did not go to libevtx: $(jq -r '.files[0].message' out.json)"
ok "no value posed as another field, in shodo's reader or through libevtx"
