# The responder's journey through the front end, driven in tmux like a
# person at the console (80x25 here; journey_wide.sh runs it at 200x60):
# a loop device holding a Windows disk is listed with its partition, file
# system, label and the host name the SYSTEM hive holds (as hivexget reads
# it); an evidence ID with a space is explained as it is typed; the
# confirmation names source, size, destination, case and what will run;
# triage then image runs; the results show the MD5 and SHA-256 that md5sum
# and sha256sum compute over the disk, "verified" in words, and findings
# that are those of summary.txt; the views drill down (logons of a source,
# the notes' contacts, the timeline at the encryption start).  Then the
# CLI runs the same choices into a second case folder: the two folders hold
# the same files with the same contents, except what carries a time, which
# is compared with the times taken out; the custody actions are the same.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/windisk.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need jq jq; need sqlite3 sqlite3; need ewfinfo ewf-tools; need blkid util-linux
[ "$(id -u)" = 0 ] || skip "loop devices need root"
TW=${TUI_W:-80}; TH=${TUI_H:-25}
windisk disk.img
LOOP=$(loop_attach disk.img) || skip "no free loop device"
tui_cleanup() { loop_detach "$LOOP"; }
trap tui_cleanup EXIT
before=$(sha256 disk.img)
MD5=$(md5sum < "$LOOP" | cut -d' ' -f1); SHA256=$(sha256sum < "$LOOP" | cut -d' ' -f1)
SIZE=$(shodo devices "$LOOP" --json | jq .devices[0].size)

tui_start "$TW" "$TH"
waitfor "Devices"
waitfor "$LOOP"
# the peek: partition, file system and label as blkid reads them, the host as hivexget reads it
fs=$(blkid -p -o value -s TYPE "${LOOP}p1"); label=$(blkid -p -o value -s LABEL "${LOOP}p1")
waitfor_re "$(basename "$LOOP")p1 .* $fs '$label'  host $WIN_HOST" 60
ok "the device list shows ${LOOP}p1: $fs '$label', host $WIN_HOST"
# choose it: move until it is selected
pick "$LOOP "
keys Enter
waitfor "Destination"
waitfor "Another folder"
keys End Enter
waitfor "The case folder:"
typed "$T/case"; keys Enter
waitfor "Case and evidence"
# the evidence ID is suggested from the host name
see "Evidence ID  $WIN_HOST" "evidence ID not suggested from the host name"
ok "evidence ID suggested from the Windows host name"
typed "HOSP-1"; keys Tab; typed "K. Tanaka"; keys Tab C-u
typed "WARD PC"
waitfor "no spaces in an evidence ID (character 5)"
ok "an invalid evidence ID is explained as it is typed"
keys C-u; typed "WARD-PC-07"
waitgone "no spaces in an evidence ID"
keys Tab; typed "ward PC 7"; keys Tab; typed "seized 03:10"; keys Tab Enter
waitfor "Action and options"
see "(\*) triage, then image" "the default action is not triage then image"
see "(\*) E01" "the default format is not E01"
keys F5
waitfor "You are about to TRIAGE, THEN IMAGE"
c=$(screen)
for want in "Source" "$LOOP" "serial unknown" "96.0 MiB" "$T/case" "HOSP-1" "K. Tanaka" "WARD-PC-07" \
	"1. triage, quick profile" "2. image: E01" "verified after writing" "[ Start ]"; do
	echo "$c" | grep -qF -- "$want" || { echo "$c"; fail "the confirmation does not name: $want"; }
done
ok "the confirmation names source, size, destination, case, evidence and what runs"
[ ! -e "$T/case" ] || fail "something was written before the confirmation"
keys Enter
waitfor "Jobs"
waitfor "WARD-PC-07 triage, image  done" 600
ok "triage then image ran"
keys Enter
waitfor "Results"
waitfor "verified: the image matches the source"
see "MD5     $MD5" "the MD5 shown is not md5sum's $MD5"
see "SHA-256 $SHA256" "the SHA-256 shown is not sha256sum's"
see "Unreadable: none" "unreadable ranges"
ok "results: MD5 and SHA-256 equal md5sum and sha256sum of the disk, verified in words"
# the findings are summary.txt's
S=$T/case/WARD-PC-07/triage/summary.txt
keys Home Enter
waitfor "| Summary (summary.txt)"
n=0
screen | sed '1d;$d' | sed '$d' | sed 's/^ //; s/ *$//' | while IFS= read -r l; do
	[ -z "$l" ] && continue
	case $l in *"lines "*" of "*) l=${l%% lines *}; l=$(echo "$l" | sed 's/ *$//') ;; esac
	[ -z "$l" ] && continue
	grep -qF -- "$l" "$S" || { echo "screen line not in summary.txt: [$l]"; exit 1; }
done || fail "the summary screen shows something summary.txt does not say"
head -n 1 "$S" | cut -c1-60 | { read -r first; screen | grep -qF -- "$first"; } || fail "summary.txt's first line is not shown"
grep -q "RANSOM NOTES" "$S" && { screen | grep -q "RANSOM NOTES" || keys NPage; }
ok "the summary screen shows summary.txt"
keys Escape
waitfor "Logons by source"
# logons by source, then the logons of the first source
keys Down Enter
waitfor "Logons by source of WARD-PC-07"
DB=$T/case/WARD-PC-07/triage/triage.db
groups=$(sqlite3 -batch -noheader "$DB" "select count(*) from (select 1 from logons where result='success' group by source_ip, workstation, logon_type, target_domain, target_user)")
waitfor "WARD-PC-07: $groups row"
first=$(sqlite3 -batch -noheader "$DB" "select ifnull(nullif(ifnull(source_ip,''),''), ifnull(workstation,'')) from logons where result='success' group by source_ip, workstation, logon_type, target_domain, target_user order by count(*) desc, ifnull(source_ip,''), ifnull(workstation,'') limit 1")
[ -n "$first" ] || fail "the test disk has no logon with a source"
if [ -n "$first" ]; then
	keys Enter
	waitfor "Logons of WARD-PC-07"
	waitfor "filter: $first"
	n=$(sqlite3 -batch -noheader "$DB" "select count(*) from logons where instr(lower(ifnull(source_ip,'')||' '||ifnull(workstation,'')||' '||ifnull(target_user,'')||' '||ifnull(target_domain,'')||' '||result||' '||time), lower('$first')) > 0")
	waitfor "Logons of WARD-PC-07: $n row"
	ok "drill down: the $n logons of source $first"
	keys Escape
fi
keys Escape
waitfor "Ransom notes and their contacts"
pick "Ransom notes"
keys Enter
waitfor "Ransom notes and their contacts of WARD-PC-07"
keys Enter
waitfor "e-mail: hospital-restore@example.com"
ok "a note's row shows its contact address whole"
keys Escape Escape
waitfor "Timeline around the encryption start"
pick "Timeline around"
keys Enter
waitfor "Timeline of WARD-PC-07"
screen | grep "^>" | grep -q "2021-05-03T02:00:00" || { screen; fail "the timeline does not open at the encryption start"; }
ok "the timeline opens at the encryption start"
# back home and quit
for k in 1 2 3 4 5 6; do keys Escape; done
waitfor "Devices"
keys q
tui_wait_exit
grep -q "exit=0" "$T/exit" || fail "exit status: $(cat "$T/exit") $(cat "$T/tui.err")"
terminal_restored
[ "$(sha256 disk.img)" = "$before" ] || fail "the source changed"

# the CLI with the same choices
shodo triage "$LOOP" --case "$T/cli" --evidence WARD-PC-07 --case-number HOSP-1 --examiner "K. Tanaka" -q 2>/dev/null
[ $? -le 1 ] || fail "CLI triage"
shodo image "$LOOP" --case "$T/cli" --evidence WARD-PC-07 --case-number HOSP-1 --examiner "K. Tanaka" \
	--description "ward PC 7" --notes "seized 03:10" -q || fail "CLI image"
timed='^\./(\.shodo/sumcache|SHA256SUMS|WARD-PC-07/image/WARD-PC-07\.E01|WARD-PC-07/image/WARD-PC-07\.E01\.txt|WARD-PC-07/image/acquisition\.json|WARD-PC-07/triage/triage\.log|case\.json|custody\.jsonl|custody\.head)$'
(cd "$T/case" && find . -type f | sort) > tui.files
(cd "$T/cli" && find . -type f | sort) > cli.files
diff tui.files cli.files || fail "the front end's case folder holds other files than the CLI's"
ok "the same files as the CLI's case folder"
grep -Ev "$timed" tui.files | while read -r f; do
	cmp -s "$T/case/$f" "$T/cli/$f" || { echo "differs: $f"; exit 1; }
done || fail "a file differs from the CLI's"
ok "the same contents (triage results, extracted files, reports) as the CLI's"
norm() { sed -E "s|$T/case|DIR|g; s|$T/cli|DIR|g" "$1" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?Z/TIME/g; s/[0-9]+(\.[0-9]+)? s\b/N s/g; s/[0-9.]+ MB\/s/N MB\/s/g'; }
norm "$T/case/WARD-PC-07/triage/triage.log" > a; norm "$T/cli/WARD-PC-07/triage/triage.log" > b
diff a b || fail "triage.log differs beyond its times"
grep -Ev 'Started|Finished|time:|WARD-PC-07.E01 ' "$T/case/WARD-PC-07/image/WARD-PC-07.E01.txt" > a
grep -Ev 'Started|Finished|time:|WARD-PC-07.E01 ' "$T/cli/WARD-PC-07/image/WARD-PC-07.E01.txt" > b
diff a b || fail "the acquisition log differs beyond its times"
acq='del(.start, .end, .acquire_seconds, .cpu_seconds, .throughput_mb_s, .image.segments[].sha256, .image.segments[].size, .image.bytes_written, .verification.seconds)'
jq -S "$acq" "$T/case/WARD-PC-07/image/acquisition.json" > a; jq -S "$acq" "$T/cli/WARD-PC-07/image/acquisition.json" > b
diff a b || fail "acquisition.json differs beyond its times"
ewfinfo "$T/case/WARD-PC-07/image/WARD-PC-07.E01" | grep -v 'date:' > a
ewfinfo "$T/cli/WARD-PC-07/image/WARD-PC-07.E01" | grep -v 'date:' > b
diff a b || fail "the E01 headers differ beyond their dates"
cj='del(.created) | .evidence |= map(del(.added))'
jq -S "$cj" "$T/case/case.json" > a; jq -S "$cj" "$T/cli/case.json" > b
diff a b || fail "case.json differs"
jq -c 'del(.time, .prev, .sha256)' "$T/case/custody.jsonl" > a
jq -c 'del(.time, .prev, .sha256)' "$T/cli/custody.jsonl" > b
diff a b || fail "the custody actions differ from the CLI's"
cut -c67- "$T/case/SHA256SUMS" > a; cut -c67- "$T/cli/SHA256SUMS" > b
diff a b || fail "SHA256SUMS lists other files"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c in the front end's case folder"
ok "logs, acquisition.json, E01 header, case.json, custody and SHA256SUMS equal the CLI's but for times"
