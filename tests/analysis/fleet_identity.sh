#!/bin/sh
# One machine seen twice is one host in the fleet view, also without a
# machine SID: a Windows volume with a SYSTEM hive (its computer name) and
# no SAM or SECURITY, triaged from its E01 (ewfacquire) and from its
# read-only loop device, is one host listing both evidence items; another
# volume with the same computer name and another volume serial stays a host
# of its own.  The serial triage records is fsstat's, in triage.json, in
# triage.db and in the fleet page's data; the sources are unchanged.  A copy
# of the volume whose SAM is readable (its machine SID), merged in from
# another stick, joins the first two: either rule makes one machine.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need fsstat sleuthkit; need ewfacquire ewf-tools; need ntfslabel ntfs-3g; need sqlite3 sqlite3; need jq jq
need python3 python3
[ "$(id -u)" = 0 ] || skip "loop devices and ntfs-3g mounts need root"
LOOPDEV=
cleanup() {
	[ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2>/dev/null
	mountpoint -q "$T/mnt" 2>/dev/null && { umount "$T/mnt" 2>/dev/null || fusermount -u "$T/mnt"; }
	return 0
}
trap cleanup EXIT INT TERM

"$HELPERS/mkhive" SYSTEM <<EOF || fail "mkhive SYSTEM"
R	ROOT
D	Select	Current	1
S	ControlSet001\Control\ComputerName\ComputerName	ComputerName	PC-LAB7
S	ControlSet001\Control\ProductOptions	ProductType	WinNT
EOF
winvol() { # IMG SERIAL: an NTFS volume holding Windows' SYSTEM hive only
	ntfs_file "$1" 16
	mkdir -p "$T/mnt/Windows/System32/config" "$T/mnt/Users/kato/Documents"
	cp SYSTEM "$T/mnt/Windows/System32/config/SYSTEM"
	echo "minutes" > "$T/mnt/Users/kato/Documents/minutes.txt"
	ntfs_file_umount
	ntfslabel -q --new-serial="$2" "$1" >/dev/null || fail "ntfslabel --new-serial"
}
winvol pc.img 1234abcd5678ef90
winvol other.img 00000000c0ffee01
fs_serial() { fsstat "$1" | sed -n 's/^Volume Serial Number: //p'; }
s_pc=$(fs_serial pc.img); s_other=$(fs_serial other.img)
[ "$s_pc" = 1234ABCD5678EF90 ] && [ "$s_other" = 00000000C0FFEE01 ] || fail "fsstat reads $s_pc and $s_other"
h_pc=$(sha256 pc.img); h_other=$(sha256 other.img)

ewfacquire -u -q -t pc -c fast -C c1 -D d -E PC -e ex -N n pc.img >/dev/null 2>&1 || fail "ewfacquire"
LOOPDEV=$(losetup -r -f --show pc.img) || skip "no loop device"
shodo triage pc.E01 --case case --evidence PC7-E01 --json -q > e01.json; [ $? -le 1 ] || fail "triage of the E01"
shodo triage "$LOOPDEV" --case case --evidence PC7-DEVICE --json -q > dev.json; [ $? -le 1 ] || fail "triage of the device"
losetup -d "$LOOPDEV"; LOOPDEV=
shodo triage other.img --case case --evidence PC7-OTHER --json -q > other.json; [ $? -le 1 ] || fail "triage of the other volume"
[ "$(sha256 pc.img)" = "$h_pc" ] && [ "$(sha256 other.img)" = "$h_other" ] || fail "a source changed"
# the same volume when its SAM was still readable (a copy given a SAM: the serial stays), on another stick
cp pc.img sam.img
"$HELPERS/mksam" --computer PC-LAB7 --sid 111-222-333 sys.txt sam.txt Administrator:500:pw:a >/dev/null || fail "mksam"
"$HELPERS/mkhive" SAM < sam.txt || fail "mkhive SAM"
ntfs-3g sam.img "$T/mnt" 2>/dev/null || skip "ntfs-3g mount failed"
cp SAM "$T/mnt/Windows/System32/config/SAM"
ntfs_file_umount
[ "$(fs_serial sam.img)" = "$s_pc" ] || fail "the copy's serial changed"
shodo triage sam.img --case stick2 --evidence PC7-SAM --json -q > sam.json; [ $? -le 1 ] || fail "triage of the copy with SAM"
[ "$(sqlite3 stick2/PC7-SAM/triage/triage.db "select value from host where key = 'machine_sid'")" = S-1-5-21-111-222-333 ] ||
	fail "the copy's machine SID"

# what triage recorded: fsstat's serial, for the volume holding Windows, and no machine SID
for x in e01:PC7-E01:$s_pc dev:PC7-DEVICE:$s_pc other:PC7-OTHER:$s_other; do
	f=${x%%:*}; r=${x#*:}; e=${r%%:*}; want=${r#*:}
	got=$(jq -r '.volumes[] | select(.windows) | .label + " " + .volume_serial' "$f.json")
	[ "$got" = "fs@0 $want" ] || fail "$e: triage.json says '$got', fsstat '$want'"
	db=case/$e/triage/triage.db
	got=$(sqlite3 "$db" "select volume || ' ' || value || ' ' || source from host where key = 'volume_serial'")
	[ "$got" = "fs@0 $want fs@0: NTFS boot sector" ] || fail "$e: triage.db host row '$got'"
	[ "$(sqlite3 "$db" "select value from host where key = 'computer_name'")" = PC-LAB7 ] || fail "$e: no computer name"
	[ "$(sqlite3 "$db" "select count(*) from host where key = 'machine_sid'")" = 0 ] || fail "$e: a machine SID without SAM or SECURITY"
done
ok "the Windows volume's serial is fsstat's, in triage.json and triage.db; no machine SID"

shodo report case --json --no-pdf -q > r.json || fail "shodo report"
grep -q "^shodo .* fleet summary: 3 evidence items (2 hosts) " case/summary.txt || fail "$(head -1 case/summary.txt)"
grep -Fxq "SAME MACHINE SEEN TWICE: 1 evidence items are other views of a host (counted once)" case/summary.txt ||
	fail "the machine seen twice is not named in summary.txt"
python3 - r.json case/report.html "$s_pc" "$s_other" <<'PY' || fail "the fleet's hosts"
import html, json, re, sys
r = json.load(open(sys.argv[1]))
pc, other = sys.argv[3], sys.argv[4]
h = {x["evidence"]: x for x in r["hosts"]}
assert sorted(h) == ["PC7-DEVICE", "PC7-E01", "PC7-OTHER"], sorted(h)
for e in ("PC7-E01", "PC7-DEVICE"):
    assert h[e]["host"] == "PC-LAB7" and h[e]["vserial"] == pc and not h[e]["sid"], h[e]
    assert h[e]["machine"] == "vol:pc-lab7|" + pc, h[e]["machine"]
    assert h[e]["items"] == "PC7-DEVICE PC7-E01", h[e]["items"]
assert h["PC7-E01"]["primary_"] + h["PC7-DEVICE"]["primary_"] == 1, "not one primary item"
o = h["PC7-OTHER"]
assert o["host"] == "PC-LAB7" and o["vserial"] == other and o["primary_"] == 1 and o["items"] == "PC7-OTHER", o
# the page: two host rows, one listing both items, each with its serial
page = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="shodo-data">(.*?)</script>', page, re.S)
t = json.loads(m.group(1))["tables"]["hosts"]
col = t["cols"].index("machine SID, system volume serial")
rows = sorted(([x[0] for x in r[1]], r[0][0], r[col]) for r in t["rows"])
assert rows == [(["PC7-DEVICE", "PC7-E01"], "PC-LAB7", "volume " + pc),
                (["PC7-OTHER"], "PC-LAB7", "volume " + other)], rows
print(rows)
PY
ok "same name and volume serial: one host with both evidence items; another serial: another host"

# the item whose SID was read (another stick) joins the two whose SID was not (same name and serial)
shodo merge case stick2 -q || fail "merge of the copy with SAM"
shodo report case --json --no-pdf -q > r2.json || fail "shodo report with the copy with SAM"
grep -q "^shodo .* fleet summary: 4 evidence items (2 hosts) " case/summary.txt || fail "$(head -1 case/summary.txt)"
python3 - r2.json "$s_pc" <<'PY' || fail "the items of one machine, with and without its SID"
import json, sys
h = {x["evidence"]: x for x in json.load(open(sys.argv[1]))["hosts"]}
one = ["PC7-DEVICE", "PC7-E01", "PC7-SAM"]
assert {h[e]["machine"] for e in one} == {"sid:S-1-5-21-111-222-333|pc-lab7"}, [h[e]["machine"] for e in one]
assert all(h[e]["items"] == " ".join(one) for e in one) and sum(h[e]["primary_"] for e in one) == 1, h
assert h["PC7-SAM"]["vserial"] == sys.argv[2] and h["PC7-OTHER"]["items"] == "PC7-OTHER", h
PY
ok "an item whose machine SID was read and two whose SID was not, of the same name and serial: one host"
