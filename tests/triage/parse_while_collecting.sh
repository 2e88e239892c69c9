#!/bin/sh
# Artifacts are parsed while the walk goes on copying the next ones (each
# one as soon as its copy is complete and listed in the manifest).  What
# the case folder says does not depend on when that happens:
#  - a run whose walk stalls on a late copy (so that the event logs, the
#    hives and the notes before it are parsed during collection) writes
#    every CSV, summary.txt, manifest.jsonl and triage.db row by row the
#    same as a run that does not stall; a parser that fails during the
#    collection (a damaged hive) rolls back its own rows only: every copy
#    the manifest lists keeps its files and artifacts rows;
#  - Ctrl-C while an artifact is parsed during the collection: custody says
#    triage-cancelled, the folder verifies, every listed copy has its rows,
#    no artifact that was not parsed to the end has rows of its own, and
#    the retry under the same evidence ID writes what an undisturbed run
#    writes.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need_corpus
need jq jq; need sqlite3 sqlite3
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"

ntfs_file vol.img 40
trap 'umount "$T/mnt" 2>/dev/null' EXIT
W=$T/mnt/Windows
mkdir -p "$W/System32/config" "$W/System32/winevt/Logs" "$W/Temp" "$T/mnt/ProgramData"
E=$CORPUS/evtx/deepbluecli/evtx
cp "$E/many-events-application.evtx" "$W/System32/winevt/Logs/Application.evtx"
cp "$E/smb-password-guessing-security.evtx" "$W/System32/winevt/Logs/Security.evtx"
# archived logs: parses queue up behind the walk
for i in 1 2 3 4 5 6; do
	cp "$E/smb-password-guessing-security.evtx" "$W/System32/winevt/Logs/Archive-Security-$i.evtx"
done
# a damaged hive: its header checksum no longer matches, the parser fails
cp "$CORPUS/hives/regipy/SAM" "$W/System32/config/SAM"
printf 'XXXX' | dd of="$W/System32/config/SAM" bs=1 seek=16 conv=notrunc status=none
printf 'YOUR FILES ARE ENCRYPTED.\nWrite to back@cock.li with your personal ID 4711 to get them back.\n' \
	> "$T/mnt/ProgramData/HOW_TO_DECRYPT.txt"
# the last copy of the walk, which the fault injector slows down
head -c 240000 /dev/urandom | base64 > "$W/Temp/zz-stall.bat"   # 5 writes of 64 KiB
ntfs_file_umount
trap - EXIT
before=$(sha256 vol.img)

# what a case folder says, to compare two runs (same evidence ID)
answers() {
	tri=$1/E/triage
	(cd $tri && sha256sum summary.txt manifest.jsonl *.csv) || fail "answers of $1"
	sqlite3 $tri/triage.db .dump | sha256sum
}
# every copy the manifest lists has its artifacts row (and its files row
# when it is not a ransom note, which has one per copy found); rows of an
# artifact that was not parsed to the end are not there
rows_hold() {
	tri=$1/E/triage
	db=$tri/triage.db
	jq -r '[.extracted, .path, .category] | @tsv' $tri/manifest.jsonl | while IFS="$(printf '\t')" read -r x p c; do
		[ "$(sqlite3 $db "select count(*) from artifacts where source='$x'")" = 1 ] ||
			fail "$1: no artifacts row for $x"
		[ $c = ransom_note ] || [ "$(sqlite3 $db "select count(*) from files where path='$p' and extracted='$x'")" = 1 ] ||
			fail "$1: no files row for $p"
	done || exit 1
	bad=$(sqlite3 $db "select count(*) from events where source in (select source from artifacts
		where status not in ('ok', 'warning'))")
	[ "$bad" = 0 ] || fail "$1: $bad event rows of artifacts that were not parsed to the end"
}

shodo triage vol.img --case a --evidence E -q 2>/dev/null; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
rows_hold a
[ "$(sqlite3 a/E/triage/triage.db "select status from artifacts where source like '%config/SAM'")" = failed ] ||
	fail "the damaged hive was not recorded as failed"
[ "$(sqlite3 a/E/triage/triage.db "select count(*) from events where source like '%Security.evtx'")" -gt 0 ] ||
	fail "no events from Security.evtx"
answers a > a.answers

# the walk stalls on its last copy (0.5 s before each write of it)
FAULTIO_WRITE_MATCH=zz-stall FAULTIO_WRITE_DELAY_US=500000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" triage vol.img --case b --evidence E -q 2>/dev/null; rc=$?
[ $rc -le 1 ] || fail "triage with a stalled walk exited $rc"
rows_hold b
answers b > b.answers
cmp -s a.answers b.answers || { diff a.answers b.answers; fail "a stalled walk changed the answers"; }
ok "parsed during or after the walk: the same CSVs, summary, manifest and database rows"
# not a check (it depends on timing): whether the parses did overlap the stall
l=$(grep -n "analyse: .*Security.evtx' (evtx)" b/E/triage/triage.log | cut -d: -f1)
w=$(grep -n "collect: fs@0: .* entries listed" b/E/triage/triage.log | cut -d: -f1)
[ -n "$l" ] && [ -n "$w" ] && [ "$l" -lt "$w" ] && echo "note: Security.evtx was parsed before the walk ended"

# Ctrl-C once Security.evtx, the last log, is listed (the parses of the
# logs before it may still be queued, its own starts then), while the walk
# stalls on its last copy for a long time
FAULTIO_WRITE_MATCH=zz-stall FAULTIO_WRITE_DELAY_US=3000000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" triage vol.img --case c --evidence E -q 2>/dev/null &
pid=$!
i=0
while ! grep -q 'Security.evtx' c/E/triage/manifest.jsonl 2>/dev/null && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
kill -INT $pid; wait $pid; rc=$?
[ $rc -ne 0 ] || fail "the cancelled run exited 0"
grep -q '"action":"triage-cancelled","evidence":"E"' c/custody.jsonl || fail "custody lacks the cancellation"
expect_exit 0 shodo verify c >/dev/null
(cd c && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c after Ctrl-C"
rows_hold c
st=$(sqlite3 c/E/triage/triage.db "select group_concat(status, ' ') from artifacts where category='evtx'")
echo "note: the event logs' status when cancelled (not a check: it depends on timing): $st"
ok "Ctrl-C while parsing during collection: custody, verification and rows hold"
shodo triage vol.img --case c --evidence E -q 2>/dev/null; rc=$?
[ $rc -le 1 ] || fail "the retry exited $rc"
answers c > c.answers
cmp -s a.answers c.answers || { diff a.answers c.answers; fail "the retry differs from an undisturbed run"; }
expect_exit 0 shodo verify c >/dev/null
[ "$(sha256 vol.img)" = "$before" ] || fail "the source changed"
ok "the retry after Ctrl-C writes what an undisturbed run writes"
