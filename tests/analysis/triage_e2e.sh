#!/bin/sh
# shodo triage end to end on an NTFS image with real artifacts: a Security
# log with an SMB password-guessing run, a log with an RDP logon, SAM and
# SYSTEM hives, a ransom note in four folders next to a benign README, and
# files with an appended extension.  The summary's answers are checked
# against peer tools (evtxexport for the failed-logon count, hivexget for
# the computer name), then shodo report and shodo export run on the case.
. "$SHODO_TOP/tests/lib/common.sh"
need_corpus
need evtxexport libevtx-utils; need hivexget libhivex-bin; need sqlite3 sqlite3
sec="$CORPUS/evtx/deepbluecli/evtx/smb-password-guessing-security.evtx"
rdp="$CORPUS/evtx/sbousseaden/Command and Control/DE_RDP_Tunnel_5156.evtx"
note="$CORPUS/ransom_notes/akira/akira_readme.txt"
for f in "$sec" "$rdp" "$note" "$CORPUS/hives/regipy/SAM" "$CORPUS/hives/regipy/SYSTEM"; do
	[ -f "$f" ] || skip "corpus file missing: $f"
done
ntfs_image disk.raw 64
m=$T/mnt
mkdir -p "$m/Windows/System32/winevt/Logs" "$m/Windows/System32/config" "$m/Users/anna/Documents" \
	"$m/Users/anna/Desktop" "$m/Users/Public" "$m/Users/bob/Desktop" "$m/Program Files/Tool"
cp "$sec" "$m/Windows/System32/winevt/Logs/Security.evtx"
cp "$rdp" "$m/Windows/System32/winevt/Logs/Archive-Security-2019.evtx"
cp "$CORPUS/hives/regipy/SAM" "$CORPUS/hives/regipy/SYSTEM" "$m/Windows/System32/config/"
for d in Users/anna/Documents Users/anna/Desktop Users/Public Users/bob/Desktop; do
	cp "$note" "$m/$d/akira_readme.txt"
done
cp /usr/share/common-licenses/GPL-2 "$m/Program Files/Tool/README.txt"
i=0
while [ $i -lt 30 ]; do
	head -c 3000 /dev/urandom > "$m/Users/anna/Documents/report$i.docx.akira"
	i=$((i + 1))
done
touch -d '2024-03-02 03:10:00 UTC' "$m/Users/anna/Documents/report0.docx.akira"
touch -d '2024-03-02 03:40:00 UTC' "$m/Users/anna/Documents/report29.docx.akira"
touch -d '2024-03-02 03:20:00 UTC' "$m"/Users/anna/Documents/report1*.docx.akira
touch -d '2024-03-02 03:20:00 UTC' "$m"/Users/anna/Documents/report2?.docx.akira "$m"/Users/anna/Documents/report[2-9].docx.akira
touch -d '2024-03-02 03:40:00 UTC' "$m/Users/anna/Documents/report29.docx.akira"
ntfs_umount

shodo triage disk.raw --case case --evidence WS1 --profile full -q; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
s=case/WS1/triage/summary.txt
[ -s "$s" ] || fail "no summary.txt"
cat "$s"
line() { grep -Fxq -- "$1" "$s" || fail "summary.txt lacks the line: $1"; }
line "RANSOM NOTES: 1 distinct, 4 copies, family akira"
line "ENCRYPTION: 30 files, 2024-03-02 03:10:00Z .. 2024-03-02 03:40:00Z"
line "  .akira: 30 files (family akira, from its ransom note), e.g. p1@1048576:Users/anna/Documents/report0.docx.akira"
# the benign README is not a note
[ "$(sqlite3 case/WS1/triage/triage.db "select count(*) from ransom_notes where path = 'Program Files/Tool/README.txt'")" = 0 ] ||
	fail "the GPL README was called a ransom note"
# failed logons: as many as evtxexport sees 4625 records
want=$(evtxexport "$sec" 2>/dev/null | grep -c '^Event identifier.*(4625)$')
[ "$want" -gt 1000 ] || fail "evtxexport found only $want failed logons"
line "FAILED LOGONS: $(sqlite3 case/WS1/triage/triage.db 'select sum(count) from failed_logons') in $(sqlite3 case/WS1/triage/triage.db 'select count(*) from failed_logons') account/source groups"
[ "$(sqlite3 case/WS1/triage/triage.db 'select sum(count) from failed_logons')" = "$want" ] ||
	fail "failed logons grouped: $(sqlite3 case/WS1/triage/triage.db 'select sum(count) from failed_logons'), evtxexport: $want"
# one 4624 type 10 in the RDP log (truth): one session
grep -q '^RDP SESSIONS: 1 from 1 source (' "$s" && grep -q '(loopback: tunnelled RDP?)' "$s" || fail "the tunnelled RDP logon is not in the summary"
host=$(hivexget "$CORPUS/hives/regipy/SYSTEM" 'ControlSet001\Control\ComputerName\ComputerName' ComputerName)
grep -q "^Host: $host[ ,]" "$s" || fail "host name is not $host"
grep -q '^POLICY (sam): lockout threshold ' "$s" || fail "no policy line"
ok "the benign README is not a note"
# the timeline holds the events and the encryption, sorted
[ "$(sqlite3 case/WS1/triage/triage.db "select count(*) from timeline where kind='logon_failure'")" = "$want" ] ||
	fail "timeline lacks failed logons"
[ "$(sqlite3 case/WS1/triage/triage.db "select time from timeline where kind='encryption_start'")" = "2024-03-02T03:10:00Z" ] ||
	fail "encryption start not in the timeline"
grep -q '<h2 id="notes">' case/WS1/triage/report.html || fail "report.html"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS after triage"

shodo report case -q || fail "shodo report"
grep -Fxq "RANSOM NOTES: on 1 of 1 hosts, 4 copies, family akira" case/summary.txt || fail "fleet summary"
shodo export case --to timesketch -o tl.jsonl -q || fail "export"
[ "$(grep -c '"kind":"logon_failure"' tl.jsonl)" = "$want" ] || fail "exported failed logons"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS after report"
ok "triage answers agree with evtxexport ($want failed logons) and hivexget ($host)"
