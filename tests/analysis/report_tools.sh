#!/bin/sh
# Tools on disk and installed services in the reports: two Windows volumes
# triaged for real (mimikatz.exe on both, PsExec64.exe on one, an ordinary
# program; SYSTEM hives whose services run from user-writable folders next
# to an ordinary one).  Each host report lists the executables (sha256 as
# sha256sum computes it, the flagged ones first) and the services (image
# paths as hivexget reads them, the flagged ones first); the fleet view says
# which hosts hold which tool and which flagged service, in summary.txt,
# --json, the hosts table and a section each.  Drawn in headless Chromium.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need hivexget libhivex-bin; need sqlite3 sqlite3; need python3 python3
need chromium chromium; need chromedriver chromium-driver
[ "$(id -u)" = 0 ] || skip "ntfs-3g mounts need root"
cleanup() { mountpoint -q "$T/mnt" 2>/dev/null && { umount "$T/mnt" 2>/dev/null || fusermount -u "$T/mnt"; }; return 0; }
trap cleanup EXIT INT TERM

S='ControlSet001\Services'
hive() { # OUT NAME [gdrv]
	{
		printf 'R\tROOT\nD\tSelect\tCurrent\t1\n'
		printf 'S\tControlSet001\\Control\\ComputerName\\ComputerName\tComputerName\t%s\n' "$2"
		printf 'X\t%s\\Spooler\tImagePath\t%%SystemRoot%%\\System32\\spoolsv.exe\nD\t%s\\Spooler\tStart\t2\nD\t%s\\Spooler\tType\t0x110\n' "$S" "$S" "$S"
		printf 'X\t%s\\updater\tImagePath\tC:\\Users\\Public\\Libraries\\upd.exe -service\nD\t%s\\updater\tStart\t2\nD\t%s\\updater\tType\t0x10\n' "$S" "$S" "$S"
		printf 'W\t%s\\updater\t133552920000000000\n' "$S"
		[ "${3:-}" = gdrv ] && printf 'X\t%s\\gdrv\tImagePath\t\\??\\C:\\Windows\\Temp\\gdrv.sys\nD\t%s\\gdrv\tStart\t3\nD\t%s\\gdrv\tType\t1\n' "$S" "$S" "$S"
	} | "$HELPERS/mkhive" "$1" || fail "mkhive $1"
}
{ printf 'MZ'; head -c 20000 /dev/urandom; } > mimi.bin
{ printf 'MZ'; head -c 30000 /dev/urandom; } > psexec.bin
{ printf 'MZ'; head -c 10000 /dev/urandom; } > tool.bin
hive SYSTEM.a WS-A; hive SYSTEM.b WS-B gdrv
[ "$(hivexget SYSTEM.b "$S\\updater" ImagePath)" = 'C:\Users\Public\Libraries\upd.exe -service' ] || fail "hivexget: updater"
[ "$(hivexget SYSTEM.b "$S\\gdrv" ImagePath)" = '\??\C:\Windows\Temp\gdrv.sys' ] || fail "hivexget: gdrv"
[ "$(hivexget SYSTEM.a "$S\\gdrv" ImagePath 2>/dev/null)" = "" ] || fail "hivexget: WS-A has no gdrv"
vol() { # IMG HIVE FILE:PATH...
	img=$1; h=$2; shift 2
	ntfs_file "$img" 24
	mkdir -p "$T/mnt/Windows/System32/config"; cp "$h" "$T/mnt/Windows/System32/config/SYSTEM"
	for fp in "$@"; do mkdir -p "$T/mnt/$(dirname "${fp#*:}")"; cp "${fp%%:*}" "$T/mnt/${fp#*:}"; done
	ntfs_file_umount
}
vol a.img SYSTEM.a mimi.bin:Users/bob/Downloads/mimikatz.exe tool.bin:Users/bob/Downloads/tool.exe
vol b.img SYSTEM.b mimi.bin:ProgramData/x/mimikatz.exe psexec.bin:Windows/Temp/PsExec64.exe
for e in A B; do
	img=$(echo $e | tr AB ab).img
	shodo triage "$img" --case case --evidence "$e" -q; [ $? -le 1 ] || fail "triage $e"
done
sqlite3 case/B/triage/triage.db "select path, flag from executables order by path"
shodo report case --json --no-pdf -q > r.json || fail "shodo report"
cat case/summary.txt

python3 - case "$(sha256 mimi.bin)" "$(sha256 psexec.bin)" "$(sha256 tool.bin)" <<'PY' || fail "values in the pages"
import json, re, sys
case, mimi, psx, tool = sys.argv[1:5]
def data(p):
    page = open(p, encoding="utf-8").read()
    return json.loads(re.search(r'<script type="application/json" id="shodo-data">(.*?)</script>', page, re.S).group(1))["tables"]
def rows(t, *cols):
    ix = [t["cols"].index(c) for c in cols]
    return [tuple(r[i] for i in ix) for r in t["rows"]]
def text(v):
    return v[0] if isinstance(v, list) else v
# host reports: every executable with its hash, the flagged first; every service, the flagged first
a, b = data(case + "/A/triage/report.html"), data(case + "/B/triage/report.html")
got = [(f, p.rsplit("/", 1)[-1], h) for f, p, h in rows(a["ondisk"], "tool", "path", "sha256")]
assert len(got) == 2 and got[1] == (None, "tool.exe", tool) and got[0][1:] == ("mimikatz.exe", mimi) and "mimikatz" in got[0][0], got
got = [(f, p.rsplit("/", 1)[-1], h) for f, p, h in rows(b["ondisk"], "tool", "path", "sha256")]
assert sorted(x[1:] for x in got) == sorted([("mimikatz.exe", mimi), ("PsExec64.exe", psx)]) and all(x[0] for x in got), got
flag_psx = [x[0] for x in got if x[1] == "PsExec64.exe"][0]
flag_mimi = [x[0] for x in got if x[1] == "mimikatz.exe"][0]
src = [text(r[-1]) for r in b["ondisk"]["rows"]]
assert all(s and s.startswith("B/") for s in src), src
svc = rows(b["services"], "service", "image", "flag")
assert [s[0] for s in svc] == ["gdrv", "updater", "Spooler"], svc
assert svc[1][1] == "C:\\Users\\Public\\Libraries\\upd.exe -service" and svc[0][1] == "\\??\\C:\\Windows\\Temp\\gdrv.sys", svc
assert "user-writable" in svc[1][2] and svc[2][2] is None, svc
w = rows(b["services"], "key written")[1][0]
assert text(w).startswith("2024-03-19 03:20:00"), w
assert [s[0] for s in rows(a["services"], "service")] == ["updater", "Spooler"]
# the fleet: which hosts hold which tool and which flagged service
f = data(case + "/report.html")
hosts = {text(r[0]): (r[1], r[2]) for r in rows(f["hosts"], "host", "tools on disk", "services flagged (SYSTEM hive)")}
assert hosts["WS-A"] == (flag_mimi + ": mimikatz.exe", "updater"), hosts
assert hosts["WS-B"] == ("\n".join(sorted([flag_mimi + ": mimikatz.exe", flag_psx + ": PsExec64.exe"])), "gdrv\nupdater"), hosts
od = {r[0]: r[1:] for r in f["ondisk"]["rows"]}
assert od[flag_mimi][:2] == ["mimikatz.exe", 2] and od[flag_mimi][4] == mimi, od
assert [x[0] for x in od[flag_mimi][5]] == ["WS-A", "WS-B"] and od[flag_mimi][5][0][1] == "A/triage/executables.csv", od
assert od[flag_psx][:2] == ["PsExec64.exe", 1] and od[flag_psx][4] == psx and [x[0] for x in od[flag_psx][5]] == ["WS-B"], od
sv = {r[0]: r for r in f["services"]["rows"]}
assert sorted(sv) == ["gdrv", "updater"], sorted(sv)
assert sv["updater"][4] == 2 and [x[0] for x in sv["updater"][7]] == ["WS-A", "WS-B"], sv["updater"]
assert sv["gdrv"][1] == "\\??\\C:\\Windows\\Temp\\gdrv.sys" and sv["gdrv"][4] == 1, sv["gdrv"]
r = json.load(open("r.json"))
assert {(x["tool"], x["hosts"], x["host_names"]) for x in r["tools_on_disk"]} == {(flag_mimi, 2, "WS-A, WS-B"), (flag_psx, 1, "WS-B")}, r["tools_on_disk"]
assert [(x["name"], x["hosts"], x["host_names"]) for x in r["services_flagged"]] == [("updater", 2, "WS-A, WS-B"), ("gdrv", 1, "WS-B")], r["services_flagged"]
PY
grep -Fxq "TOOLS ON DISK (flagged, user-writable places): 2 on 2 hosts" case/summary.txt || fail "fleet summary: tools on disk"
grep -q "^  .*mimikatz.* (mimikatz.exe): 2 hosts (WS-A, WS-B), seen run on 0$" case/summary.txt || fail "fleet summary: mimikatz"
grep -Fxq "SERVICES FLAGGED (SYSTEM hive): 2 on 2 hosts" case/summary.txt || fail "fleet summary: services"
grep -Fq '  updater: 2 hosts (WS-A, WS-B), C:\Users\Public\Libraries\upd.exe -service (runs from a user-writable folder)' case/summary.txt ||
	fail "fleet summary: updater"
ok "host reports list tools on disk and services with their values; the fleet says which hosts hold which"

screens=$SHODO_TOP/tests/out/$(basename "$SHODO_BUILD")/screens
PYTHONPATH=$SHODO_TOP/tests/lib python3 - case "$screens" <<'PY' || fail "the sections in Chromium"
import sys
from browser import Browser
case, screens = sys.argv[1], sys.argv[2]
with Browser(screens) as b:
    b.open(case + "/report.html")
    n = lambda t: b.js("return document.querySelectorAll('#t-%s tbody tr').length" % t)
    assert (n("ondisk"), n("services")) == (2, 2), (n("ondisk"), n("services"))
    cells = b.js("return Array.from(document.querySelectorAll('#t-services tbody tr')).map(r => r.cells[0].textContent)")
    assert cells == ["updater", "gdrv"], cells
    b.js("document.getElementById('ondisk').scrollIntoView()")
    b.shot("fleet-tools")
    b.open(case + "/B/triage/report.html")
    assert (n("ondisk"), n("services")) == (2, 3), (n("ondisk"), n("services"))
    first = b.js("return document.querySelector('#t-services tbody tr').cells[0].textContent")
    assert first == "gdrv", first
    b.js("document.getElementById('services').scrollIntoView()")
    b.shot("host-services")
PY
ok "the tools and services sections drawn in Chromium (screenshots in $screens)"
