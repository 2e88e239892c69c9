#!/bin/sh
# ntds.dit: an Active Directory database written here (tests/helpers/mkntds,
# from the ESE format as libesedb documents and reads it) with users, a
# group, computers, a trust and a container.  libesedb's esedbexport reads
# it back, and every account field shodo reports is compared with the value
# esedbexport exports from the same column (name, RID from the SID, enabled
# and the password flags from userAccountControl, last logon = the later of
# lastLogon and lastLogonTimestamp, password set, last failed logon, logon
# and bad password counts, created, display name, description, admin from
# adminCount); the password columns are never read; the same through a
# triage of an NTFS disk holding the database.  Then robustness: random
# bytes, an ESE signature over zeros and a truncated header each fail with a
# clear message, never a crash.
. "$(dirname "$0")/../lib/common.sh"
need jq jq
need python3 python3
need esedbexport libesedb-utils
need sqlite3 sqlite3

# FILETIME of a UTC date (plus 100 ns ticks), and whenCreated's seconds since 1601
ft() { echo $(( ($(date -u -d "$1" +%s) + 11644473600) * 10000000 + ${2:-0} )); }
ds() { echo $(( $(date -u -d "$1" +%s) + 11644473600 )); }
D=S-1-5-21-3623811015-3361044348-30300820
PW=5eC12e7a5eC12e7a5eC12e7a5eC12e7a  # a stand-in hash: must appear nowhere shodo writes
T9=$(printf '\t')
rec() { printf '%s' "$1"; shift; for f in "$@"; do printf '\t%s' "$f"; done; printf '\n'; }
{
	rec ATTm3=Users ATTm13="Default container for upgraded user accounts" ATTl131074="$(ds '2023-06-01 12:00:00')"
	rec ATTm3=Administrator ATTm590045=Administrator ATTj590126=805306368 ATTr589970="$D-500" \
	    ATTj589832=66048 ATTj589974=1 ATTj589993=57 ATTj589836=2 ATTj589922=513 \
	    ATTq589876="$(ft '2024-03-09 08:00:00' 1234567)" ATTq591520="$(ft '2024-03-05 10:11:12')" \
	    ATTq589920="$(ft '2023-11-01 09:30:00')" ATTq589873="$(ft '2024-03-08 22:14:05' 5)" \
	    ATTl131074="$(ds '2023-06-01 12:05:00')" ATTm13="Built-in account for administering the computer/domain" \
	    ATTk589914="$PW" ATTk589879="$PW" ATTk589949="$PW$PW"
	rec ATTm3=krbtgt ATTm590045=krbtgt ATTj590126=805306368 ATTr589970="$D-502" ATTj589832=514 ATTj589974=1 \
	    ATTj589993=0 ATTj589836=0 ATTq589876=0 ATTq589920="$(ft '2023-06-01 12:06:00')" \
	    ATTl131074="$(ds '2023-06-01 12:06:00')" ATTm13="Key Distribution Center Service Account" ATTk589914="$PW"
	rec "ATTm3=Alice Sato" ATTm590045=alice.sato ATTj590126=805306368 ATTr589970="$D-1104" ATTj589832=512 \
	    ATTj589993=321 ATTj589836=0 ATTj589922=513 "ATTm131085=佐藤 アリス" ATTm590480=alice.sato@corp.example \
	    ATTq589876="$(ft '2024-02-20 07:45:00')" ATTq591520="$(ft '2024-03-07 18:30:15' 9999999)" \
	    ATTq589920="$(ft '2024-01-15 08:00:00')" ATTl131074="$(ds '2023-09-12 10:00:00')"
	rec ATTm3=svc_backup ATTm590045=svc_backup ATTj590126=805306368 ATTr589970="$D-1105" ATTj589832=66080 \
	    ATTj589974=1 ATTj589993=4 ATTj589836=7 ATTq589876="$(ft '2024-03-09 03:02:01')" \
	    ATTq589873="$(ft '2024-03-09 03:01:00')" "ATTm131085=Backup service" ATTl131074="$(ds '2024-03-01 23:59:59')"
	rec ATTm3=DC01 'ATTm590045=DC01$' ATTj590126=805306369 ATTr589970="$D-1000" ATTj589832=532480 ATTj589993=999
	rec ATTm3=WS01 'ATTm590045=WS01$' ATTj590126=805306369 ATTr589970="$D-1106" ATTj589832=4096
	rec "ATTm3=Domain Admins" "ATTm590045=Domain Admins" ATTj590126=268435456 ATTr589970="$D-512" ATTj589974=1
	rec ATTm3=CORP2 'ATTm590045=CORP2$' ATTj590126=805306370 ATTr589970="$D-1107" ATTj589832=2080
} > records
"$HELPERS/mkntds" ntds.dit < records || fail "mkntds failed"
grep -c . records | grep -qx 9 || fail "records: $(cat records)"

# the reference: libesedb's own export of the same table
esedbexport -t ref ntds.dit > export.log 2>&1 || { cat export.log; fail "esedbexport cannot read the database"; }
tab=$(ls ref.export/datatable.* 2>/dev/null)
[ -f "$tab" ] || fail "esedbexport wrote no datatable: $(ls ref.export)"
[ "$(tail -n +2 "$tab" | wc -l)" = 9 ] || fail "esedbexport reads $(tail -n +2 "$tab" | wc -l) records, 9 written"
ok "esedbexport reads the written database: 9 records in datatable"

cp ntds.dit ntds.orig
before=$(sha256 ntds.dit)
mkdir dc && cp ntds.dit dc/ntds.dit
shodo parse --json --db parse.db dc/ntds.dit > out.json || fail "shodo parse exit $? on the database: $(cat out.json)"
[ "$(sha256 dc/ntds.dit)" = "$before" ] || fail "the database changed while read"
[ "$(jq -r '.files[0] | .parser + ":" + .status' out.json)" = "ntds:ok" ] || fail "graded $(jq -c '.files[0]' out.json)"
[ "$(jq -r '.files[0].message' out.json)" = "4 user accounts, 2 computer accounts" ] ||
	fail "message: $(jq -r '.files[0].message' out.json)"
ok "parsed: 4 user accounts, 2 computer accounts (the group, the trust and the container skipped)"

# field by field against esedbexport
cat > compare.py <<'PY'
import csv, json, sys, datetime
ref_path, got_path, want_users, want_computers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = list(csv.DictReader(open(ref_path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
got = {a["name"]: a for a in json.load(open(got_path))["files"][0]["accounts"]}

def num(r, c):
    v = r.get(c, "")
    return int(v) if v not in ("", None) else None

def iso(ft):
    if ft is None or ft == 0 or ft >= 0x7fffffffffffffff:
        return None
    secs, frac = divmod(ft - 116444736000000000, 10000000)
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (".%07dZ" % frac if frac else "Z")

bad, users, computers = [], 0, 0
for r in rows:
    kind = num(r, "ATTj590126")
    if kind == 0x30000001:
        computers += 1
    if kind != 0x30000000:
        if r["ATTm590045"] in got:
            bad.append("%s (sAMAccountType %s) listed as a user" % (r["ATTm590045"], kind))
        continue
    users += 1
    name = r["ATTm590045"]
    a = got.get(name)
    if a is None:
        bad.append("%s: missing" % name)
        continue
    sid = bytes.fromhex(r["ATTr589970"])
    uac = num(r, "ATTj589832")
    stamps = [v for v in (num(r, "ATTq589876"), num(r, "ATTq591520")) if v and v < 0x7fffffffffffffff]
    created = num(r, "ATTl131074")
    want = {
        "rid": int.from_bytes(sid[-4:], "big"),
        "enabled": int(not uac & 0x2),
        "password_not_required": int(bool(uac & 0x20)),
        "password_never_expires": int(bool(uac & 0x10000)),
        "logon_count": num(r, "ATTj589993"),
        "bad_password_count": num(r, "ATTj589836"),
        "last_logon": iso(max(stamps)) if stamps else None,
        "last_password_set": iso(num(r, "ATTq589920")),
        "last_failed_logon": iso(num(r, "ATTq589873")),
        "created": iso(created * 10000000) if created else None,
        "full_name": r["ATTm131085"] or None,
        "comment": r["ATTm13"] or None,
        "admin": int(num(r, "ATTj589974") == 1),
        "origin": "ntds",
    }
    for k, v in want.items():
        if a.get(k) != v:
            bad.append("%s.%s: shodo %r, esedbexport %r" % (name, k, a.get(k), v))
if users != want_users or computers != want_computers:
    bad.append("esedbexport has %d users and %d computers" % (users, computers))
if len(got) != users:
    bad.append("shodo lists %d accounts, esedbexport has %d users" % (len(got), users))
print("\n".join(bad) if bad else "%d accounts, %d fields each: equal" % (users, len(want)))
sys.exit(1 if bad else 0)
PY
python3 compare.py "$tab" out.json 4 2 || fail "shodo and esedbexport disagree"
ok "every account field equals esedbexport's value of the same column"

# the values are the ones written (so a fixture mistake cannot hide behind agreement)
[ "$(jq -r '.files[0].accounts[] | select(.name=="Administrator") | [.rid, .last_logon, .logon_count, .bad_password_count, .admin] | @tsv' out.json)" = \
	"500${T9}2024-03-09T08:00:00.1234567Z${T9}57${T9}2${T9}1" ] || fail "Administrator: $(jq -c '.files[0].accounts' out.json)"
[ "$(jq -r '.files[0].accounts[] | select(.name=="alice.sato") | [.rid, .full_name, .last_logon, .enabled] | @tsv' out.json)" = \
	"1104${T9}佐藤 アリス${T9}2024-03-07T18:30:15.9999999Z${T9}1" ] || fail "alice.sato: $(jq -c '.files[0].accounts' out.json)"
[ "$(jq -r '.files[0].accounts[] | select(.name=="krbtgt") | [.enabled, (.last_logon // "never")] | @tsv' out.json)" = \
	"0${T9}never" ] || fail "krbtgt: $(jq -c '.files[0].accounts' out.json)"
ok "the accounts are the ones written (RIDs, the later of the two logon times, Unicode names, never)"

# the password columns are never read: the stand-in hash is nowhere in what shodo wrote
for f in out.json parse.db; do
	grep -qi "$PW" "$f" && fail "the password column's bytes are in $f"
	python3 -c "import sys; sys.exit(bytes.fromhex('$PW') in open('$f','rb').read())" || fail "password bytes in $f"
done
[ "$(sqlite3 parse.db "SELECT count(*) FROM accounts WHERE origin='ntds'")" = 4 ] || fail "store: $(sqlite3 parse.db 'SELECT * FROM accounts')"
ok "no password column is read (the stand-in hash is in neither the JSON nor the store)"

# the same database found by a triage of an NTFS volume, in accounts.csv
ntfs_image disk.raw 16
mkdir -p "$T/mnt/Windows/NTDS" "$T/mnt/Windows/System32/config" && cp ntds.dit "$T/mnt/Windows/NTDS/ntds.dit"
ntfs_umount
shodo triage disk.raw --case case --evidence DC01 --json > tri.json || fail "triage exit $?: $(cat tri.json)"
csv=case/DC01/triage/accounts.csv
[ -f $csv ] || fail "no accounts.csv: $(ls case/DC01/triage)"
python3 - "$csv" out.json <<'PY' || fail "triage's accounts.csv differs from shodo parse"
import csv, json, sys
got = {r["name"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
want = {a["name"]: a for a in json.load(open(sys.argv[2]))["files"][0]["accounts"]}
keys = ["rid", "enabled", "admin", "last_logon", "last_password_set", "last_failed_logon", "logon_count",
        "bad_password_count", "created", "full_name", "comment", "origin"]
bad = ["%s.%s: %r vs %r" % (n, k, got.get(n, {}).get(k), "" if w.get(k) is None else str(w[k]))
       for n, w in want.items() for k in keys
       if got.get(n, {}).get(k) != ("" if w.get(k) is None else str(w[k]))]
if set(got) != set(want):
    bad.append("names %s vs %s" % (sorted(got), sorted(want)))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
ok "a triage of a volume holding the database lists the same accounts in accounts.csv"
cmp -s ntds.dit ntds.orig || fail "the fixture changed"

# hostile inputs fail with a clear message and exit 1, never a crash
mkdir a b c
head -c 70000 /dev/urandom > a/ntds.dit
{ printf '\0\0\0\0\357\315\253\211'; head -c 65536 /dev/zero; } > b/ntds.dit
printf '\0\0\0\0\357\315\253\211\1\2' > c/ntds.dit
shodo parse --json a/ntds.dit b/ntds.dit c/ntds.dit > bad.json; rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1"
[ "$(jq -r '[.files[] | .parser + ":" + .status] | join(",")' bad.json)" = "ntds:failed,ntds:failed,ntds:failed" ] ||
	fail "grades: $(jq -c '[.files[] | [.parser, .status, .message]]' bad.json)"
jq -r '.files[].message' bad.json | grep -qv 'ESE database' && fail "unclear message: $(jq -r '.files[].message' bad.json)"
[ "$(jq -r '[.files[] | .accounts // [] | length] | add' bad.json)" = 0 ] || fail "rows from garbage"
# the same through a directory walk: every file found, each graded
mkdir walk; mv a b c walk/
shodo parse --json walk > walk.json; rc=$?
[ $rc = 1 ] || fail "directory walk: exit $rc"
[ "$(jq -r '[.files[].file] | join(" ")' walk.json)" = "walk/a/ntds.dit walk/b/ntds.dit walk/c/ntds.dit" ] ||
	fail "directory walk: $(jq -c '[.files[].file]' walk.json)"
ok "hostile ntds.dit inputs fail cleanly"
