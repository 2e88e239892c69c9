# Review mode at 200x60: a case folder written by the CLI (a triaged and
# imaged Windows disk, an image of a file) is opened
# from the devices screen; its items show their image and triage state;
# verify of the whole case runs as a job and counts the files sha256sum -c
# checks; an item's logons are filtered and the rows shown are the rows the
# same filter finds in triage.db.  Help (F1, ?) on each of these screens.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/windisk.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need sqlite3 sqlite3; need jq jq
[ "$(id -u)" = 0 ] || skip "building the NTFS disk needs root"
windisk disk.img
shodo triage disk.img --case case --evidence WARD --case-number HOSP-9 --examiner "A. Sato" -q 2>/dev/null
[ $? -le 1 ] || fail "CLI triage"
shodo image disk.img --case case --evidence WARD -q || fail "CLI image"
head -c 3145728 /dev/urandom > f.raw
shodo image f.raw --case case --evidence FILE1 -q || fail "CLI image of a file"

tui_start 200 60
waitfor "Devices"
keys o
waitfor "Review a case"
keys C-u; typed "$T/case"; keys Enter
waitfor "Case $T/case: number HOSP-9, examiner A. Sato"
waitfor "2 evidence items"
c=$(screen)
echo "$c" | grep -q "WARD  *e01, verified  *host $WIN_HOST" || { echo "$c"; fail "the WARD item"; }
echo "$c" | grep -q "FILE1  *e01, verified  *-" || { echo "$c"; fail "the FILE1 item"; }
ok "review lists the items with image and triage state"
# help on the review screens too (? and F1)
help_here() {  # TITLE TEXT
	keys F1
	waitfor "Help: $1"
	seef "$2" "the help of $1 does not explain the screen"
	keys Escape
	waitgone "Help: $1"
}
help_here Review "Review"
# verify the whole case
keys V
waitfor "Verify the case"
keys y
waitfor "Jobs"
waitfor "verify $T/case  verified" 300
keys Enter
waitfor "Verification of the case"
files=$(wc -l < case/SHA256SUMS)
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
waitfor "Files that match SHA256SUMS: $files"
ok "verify of the whole case: $files files match, as sha256sum -c finds"
keys Escape Escape
waitfor "2 evidence items"
# an item, its logons, filtered
pick "WARD "
keys Enter
waitfor "Evidence WARD in $T/case"
waitfor "All logons"
help_here Results "Results of one evidence item."
pick "Summary"
keys Enter
waitfor "| Summary (summary.txt)"
keys ?
waitfor "Help: Summary (summary.txt)"
keys Escape
waitgone "Help: Summary"
keys Escape
waitfor "Evidence WARD in $T/case"
pick "All logons"
keys Enter
DB=case/WARD/triage/triage.db
all=$(sqlite3 -batch -noheader "$DB" "select count(*) from logons")
waitfor "Logons of WARD: $all row"
keys F1
waitfor "Help: "
seef "filter" "the help of a view does not explain the filter"
keys Escape
waitfor "Logons of WARD: $all row"
ok "help on the review, results, text and view screens"
keys /
waitfor "Keep the rows where any column holds"
typed "admin01"; keys Enter
want=$(sqlite3 -batch -noheader "$DB" "select count(*) from logons where instr(lower(ifnull(target_domain || '\\', '') || ifnull(target_user,'') || ' ' || ifnull(source_ip,'') || ' ' || ifnull(workstation,'') || ' ' || result || ' ' || ifnull(logon_type,'') || ' ' || time || ' ' || event_id), 'admin01') > 0")
[ "$want" -gt 0 ] || fail "the test disk has no logon of admin01"
waitfor "Logons of WARD: $want row"
waitfor "filter: admin01"
shown=$(screen | grep -c "^[> ] 20[0-9][0-9]-.*admin01")
[ "$shown" = "$want" ] || { screen; fail "$shown rows shown, $want in triage.db"; }
screen | grep "^[> ] 20[0-9][0-9]-" | grep -vq admin01 && fail "a row without admin01 passed the filter"
ok "the logons filtered for admin01: the $want rows triage.db holds"
for k in 1 2 3 4 5; do keys Escape; done
waitfor "Devices"
# an E01 set as a source: listed as such, and triage is all that is offered for it
keys a
waitfor "Add an image file"
typed "$T/case/FILE1/image/FILE1.E01"; keys Enter
waitfor "$T/case/FILE1/image/FILE1.E01  3.0 MiB  E01 set, 1 segment"
pick "$T/case/FILE1/image/FILE1.E01"
keys Enter
waitfor "Destination"
keys End Enter
waitfor "The case folder:"
keys C-u; typed "$T/case3"; keys Enter
waitfor "Case and evidence"
keys F5
waitfor "Action and options"
see "(\*) triage only" "an E01 source is not set to triage only"
typed i
waitfor "(*) image only"
keys F5
waitfor "is an E01 image already: it is not imaged again"
screen | grep -q "\[ Start \]" && fail "Start is offered for imaging an E01"
ok "an E01 set is a source for triage only"
for k in 1 2 3 4; do keys Escape; done
waitfor "Devices"
keys q
tui_wait_exit
grep -q "exit=0" "$T/exit" || fail "exit status: $(cat "$T/exit")"
terminal_restored
ok "review"
