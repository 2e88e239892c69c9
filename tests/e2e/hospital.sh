# The whole first response on one suspect disk, as the hospital's responders
# would run it: image -> verify -> triage -> report -> export -> hand-over
# check.  The disk is an NTFS volume built here with real event logs,
# prefetch files and hives from ../shared/corpus (values checked against the
# corpus truth), plus ransom notes and encrypted files with known times.
. "$SHODO_TOP/tests/lib/common.sh"
need_corpus
need sqlite3 sqlite3; need ewfverify ewf-tools; need python3 python3
C=$CORPUS
ntfs_image disk.raw 160
W=$T/mnt/Windows
mkdir -p "$W/System32/config" "$W/System32/winevt/Logs" "$W/Prefetch" "$T/mnt/Users/Preston/Documents" \
	"$T/mnt/Users/Public/Documents" "$T/mnt/ProgramData" "$T/mnt/Program Files/App"
cp "$C/hives/regipy/SYSTEM" "$W/System32/config/SYSTEM"
cp "$C/hives/regipy/SAM" "$W/System32/config/SAM"
cp "$C/evtx/sbousseaden/Command and Control/DE_RDP_Tunnel_5156.evtx" "$W/System32/winevt/Logs/Security.evtx"
cp "$C/evtx/mdecrevoisier/TA0006-Credential Access/T1110.xxx-Brut force/ID4625-OpenSSH brutforce with non existing users.evtx" \
	"$W/System32/winevt/Logs/Archive-Security-2021-05-01-10-00-00-000.evtx"
cp "$C/evtx/deepbluecli/evtx/new-user-security.evtx" "$W/System32/winevt/Logs/Archive-Security-2021-05-02-10-00-00-000.evtx"
cp "$C/evtx/deepbluecli/evtx/metasploit-psexec-native-target-system.evtx" "$W/System32/winevt/Logs/System.evtx"
cp "$C/prefetch/ez-prefetch/Win7/PING.EXE-B29F6629.pf" "$C/prefetch/ez-prefetch/Win10/CMD.EXE-D269B812.pf" "$W/Prefetch/"
cat > "$T/note.txt" <<'NOTE'
!!! ALL YOUR FILES ARE ENCRYPTED !!!
Your network was penetrated. All patient records, databases and backups are encrypted.
Do not rename encrypted files and do not try to decrypt them with third-party software.
To get the decryption key write to hospital-restore@example.com or open our page in Tor Browser:
http://hospitalrestore2examplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion
If you do not pay within 72 hours your data will be published.
NOTE
for d in Users/Preston/Documents Users/Public/Documents ProgramData; do cp "$T/note.txt" "$T/mnt/$d/RESTORE-MY-FILES.txt"; done
cp /usr/share/common-licenses/GPL-3 "$T/mnt/Program Files/App/LICENSE.txt"
printf 'Please restore the backup tape before Monday.\n' > "$T/mnt/Users/Preston/Documents/todo.txt"
i=0
while [ $i -lt 40 ]; do
	f="$T/mnt/Users/Preston/Documents/ward-report-$i.docx.hospitallock"
	head -c 3000 /dev/urandom > "$f"
	touch -d "2021-05-03 02:$(printf %02d $((i % 60))):00 UTC" "$f"
	i=$((i+1))
done
touch -d "2021-05-03 01:59:00 UTC" "$T/mnt/Users/Public/Documents/RESTORE-MY-FILES.txt"
ntfs_umount
before=$(sha256 disk.raw)

# 1. preserve
shodo image disk.raw --case case --evidence WARD-PC-07 --case-number HOSP-2021-001 --examiner "K. Tanaka" \
	--description "ward PC, encrypted" --notes "seized 2021-05-03" > image.out 2>&1 || fail "image: $(cat image.out)"
ewfverify -q case/WARD-PC-07/image/WARD-PC-07.E01 >/dev/null || fail "ewfverify rejects the image"
shodo verify case/WARD-PC-07/image/WARD-PC-07.E01 >/dev/null || fail "shodo verify of the image"
# 2. scope, from the image as a second responder would
shodo triage case/WARD-PC-07/image/WARD-PC-07.E01 --case case --evidence WARD-PC-07 --profile full > triage.out 2>&1
rc=$?; [ $rc -le 1 ] || fail "triage exited $rc: $(tail -5 triage.out)"
[ "$(sha256 disk.raw)" = "$before" ] || fail "the source changed"
DB=case/WARD-PC-07/triage/triage.db
q() { sqlite3 -batch -noheader "$DB" "$1"; }
ok "2. triage of the image leaves the source unchanged"
# host (truth: hives.jsonl)
[ "$(q "select value from host where key='computer_name' limit 1")" = WKS-WIN732BITA ] || fail "computer name: $(q "select key,value from host")"
q "select value from host where key like 'time%zone%'" | grep -q "Eastern Standard Time" || fail "time zone: $(q "select key,value from host")"
ok "host (truth: hives.jsonl)"
# accounts (truth: SAM users)
[ "$(q "select group_concat(name||':'||rid, ' ') from (select name, rid from accounts order by rid)")" = "Administrator:500 Guest:501 Preston:1000" ] || fail "accounts: $(q "select name,rid from accounts")"
ok "accounts (truth: SAM users)"
# RDP logon type 10 (truth: 1 in Security.evtx) and the brute force (5 failures)
[ "$(q "select count(*) from logons where event_id=4624 and logon_type=10")" = 1 ] || fail "RDP logons: $(q "select count(*) from logons where logon_type=10")"
[ "$(q "select sum(count) from failed_logons")" = 5 ] || fail "failed logons: $(q "select * from failed_logons")"
ok "RDP logon type 10 (truth: 1 in Security.evtx) and the brute force (5 failures)"
# the new account, group change, services installed by psexec (truth: 4720 1, 4732 2, 7045 2)
[ "$(q "select count(*) from events where event_id=4720")" = 1 ] || fail "4720"
[ "$(q "select count(*) from events where event_id=4732")" = 2 ] || fail "4732"
[ "$(q "select count(*) from persistence where kind = 'service'")" = 2 ] || fail "services: $(q "select * from persistence where kind = 'service'")"
# RDP: one session from the one type 10 logon
[ "$(q "select count(*) from sessions where kind = 'rdp'")" = 1 ] || fail "RDP sessions: $(q "select * from sessions")"
ok "the new account, group change, services installed by psexec (truth: 4720 1, 4732 2, 7045 2)"
# programs run
q "select executable||' '||run_count from prefetch" | grep -qx "PING.EXE 14" || fail "prefetch: $(q "select executable, run_count from prefetch")"
ok "programs run"
# ransom notes: the three copies are one note; the licence and the to-do list are not notes
[ "$(q "select count(distinct sha256) from ransom_notes")" = 1 ] || fail "notes: $(q "select path, score from ransom_notes")"
q "select path from ransom_notes" | grep -qi "LICENSE\|todo" && fail "a benign file was taken for a ransom note"
q "select ifnull(emails,'')||' '||ifnull(onions,'') from ransom_notes" | grep -q "hospital-restore@example.com" || fail "contact e-mail not extracted"
ok "ransom notes: the three copies are one note; the licence and the to-do list are not notes"
# encryption window (40 files, 02:00 .. 02:39)
row=$(q "select extension, count, first_mtime, last_mtime from encrypted_extensions order by count desc limit 1")
echo "$row" | grep -q "hospitallock|40|2021-05-03T02:00:00" || fail "encrypted extension: $row"
echo "$row" | grep -q "2021-05-03T02:39:00" || fail "encryption end: $row"
ok "encryption window (40 files, 02:00 .. 02:39)"
# the responder's page
S=case/WARD-PC-07/triage/summary.txt
for w in WKS-WIN732BITA hospitallock hospital-restore@example.com; do grep -q "$w" "$S" || fail "summary.txt lacks $w"; done
[ "$(wc -l < "$S")" -le 60 ] || fail "summary.txt is longer than a screen or two: $(wc -l < "$S") lines"
grep -qi "<script[^>]*src=\|<link[^>]*href=\"http" case/WARD-PC-07/triage/report.html && fail "report.html loads external resources"
ok "the responder's page"
# 3. fleet view, export, hand-over
shodo report case > report.out 2>&1 || fail "report: $(cat report.out)"
[ -s case/summary.txt ] && [ -s case/report.html ] || fail "fleet report missing"
shodo export case --to timesketch -o timeline.jsonl > export.out 2>&1 || fail "export: $(cat export.out)"
python3 -c '
import json,sys
n=0
for l in open("timeline.jsonl"):
    d=json.loads(l); n+=1
    assert d["message"] and d["datetime"] and d["timestamp_desc"], d
assert n > 10, n' || fail "timesketch export"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
shodo verify case > verify.out 2>&1 || fail "verify case: $(cat verify.out)"
find case -type f -perm /077 | grep -v '^case/.shodo/' | head -1 | grep -q . && fail "files readable by others: $(find case -type f -perm /077 | head -3)"
ok "hospital first response"
