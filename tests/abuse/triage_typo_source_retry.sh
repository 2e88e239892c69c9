#!/bin/sh
# Mistake: a typo'd source, a folder, /dev/zero or a file that is not a disk
# image.  Nothing is created (no case folder, no evidence folder, no custody
# entry), the message says what the source is and what to do (not libtsk's
# raw text), and the retry under the same evidence ID works.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
fat_disk "$T/disk.img" 8388608
src_hash "$T/disk.img"
seq 1 200000 > "$T/notes.txt"
head -c 3000000 /dev/urandom > "$T/random.bin"
mkdir -p "$T/afolder"

try() {  # SOURCE EXPECTED-TEXT
	"$SHODO_BIN" triage "$1" --case "$T/$2" --evidence A >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; fail "$1: expected exit 3, got $rc"; }
	grep -q "$3" "$T/err" || { cat "$T/err"; fail "$1: message lacks '$3'"; }
	grep -q "^hint: " "$T/err" || { cat "$T/err"; fail "$1: no hint"; }
	grep -q "raw_open\|Error stat(ing)\|Invalid magic\|tsk_" "$T/err" && { cat "$T/err"; fail "$1: libtsk's raw text"; }
}
for where in newcase existing; do
	if [ $where = existing ]; then
		shodo image "$T/disk.img" --case "$T/existing" --evidence IMG -q || fail "setup image"
		cp "$T/existing/custody.jsonl" "$T/custody.before"
	fi
	try "$T/dsik.img" $where "cannot open source '$T/dsik.img': No such file or directory"
	try "$T/afolder" $where "is a folder"
	try /dev/zero $where "not a disk"
	try "$T/notes.txt" $where "no partition table and no file system"
	try "$T/random.bin" $where "no partition table and no file system"
	if [ $where = newcase ]; then
		[ ! -e "$T/newcase" ] || fail "a failed triage created the case folder"
	else
		[ ! -e "$T/existing/A" ] || fail "a failed triage created the evidence folder"
		cmp -s "$T/existing/custody.jsonl" "$T/custody.before" || fail "a failed triage wrote custody"
		expect_exit 0 shodo verify "$T/existing" >/dev/null
	fi
	# the right source, same ID
	shodo triage "$T/disk.img" --case "$T/$where" --evidence A -q || fail "$where: retry with the right source: exit $?"
	[ -s "$T/$where/A/triage/manifest.jsonl" ] || fail "$where: no manifest after the retry"
	expect_exit 0 shodo verify "$T/$where" >/dev/null
done
# a finished triage is never overwritten
expect_exit 3 shodo triage "$T/disk.img" --case "$T/newcase" --evidence A 2>"$T/err"
grep -q "already holds a triage" "$T/err" || { cat "$T/err"; fail "finished triage: message"; }
src_unchanged "$T/disk.img"
ok "a source that cannot be opened creates nothing; the same ID works once the source is right"
