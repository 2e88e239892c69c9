#!/bin/sh
# Mistake: Ctrl-C during a triage (or a run that failed half-way: killed,
# destination full).  The evidence ID is not used up: the next run under the
# same ID replaces the unfinished attempt automatically, custody keeps the
# cancellation and the replacement, and the case verifies.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
fat_disk "$T/disk.img" 8388608
# forty ransom-note candidates, so that collection has something to copy
mkdir -p "$T/notes"
for i in $(seq 1 40); do printf 'YOUR FILES ARE ENCRYPTED.\nTo get them back write to back@cock.li with your personal ID %s.\n' $i > "$T/notes/readme$i.txt"; done
mcopy -i "$T/disk.img@@1M" "$T/notes/"*.txt :: || fail "mcopy"
src_hash "$T/disk.img"

# Ctrl-C (SIGINT) while it copies (writes into the case slowed down)
FAULTIO_WRITE_MATCH="/A/triage/files/" FAULTIO_WRITE_DELAY_US=200000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" triage "$T/disk.img" --case "$T/case" --evidence A -q 2>/dev/null &
pid=$!
i=0; while [ -z "$(ls "$T/case/A/triage/files/"*/ 2>/dev/null)" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid; wait $pid
rc=$?
[ $rc -ne 0 ] || fail "the cancelled run exited 0"
grep -q '"action":"triage-cancelled","evidence":"A"' "$T/case/custody.jsonl" || fail "custody lacks the cancellation"
shodo triage "$T/disk.img" --case "$T/case" --evidence A -q 2>"$T/err" || { cat "$T/err"; fail "retry after Ctrl-C: exit $?"; }
grep -q '"action":"triage-retry","evidence":"A"' "$T/case/custody.jsonl" || fail "custody lacks the retry"
grep -q '"action":"triage-cancelled","evidence":"A"' "$T/case/custody.jsonl" || fail "the cancellation left custody"
grep -qi "readme40.txt" "$T/case/A/triage/manifest.jsonl" || fail "the retry did not collect"
expect_exit 0 shodo verify "$T/case" >/dev/null
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"

# killed (no record at all): the same
FAULTIO_WRITE_MATCH="/B/triage/" FAULTIO_WRITE_KILL=200000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" triage "$T/disk.img" --case "$T/case" --evidence B -q 2>/dev/null
[ $? -eq 137 ] || fail "the injector did not kill the run"
shodo triage "$T/disk.img" --case "$T/case" --evidence B -q 2>"$T/err" || { cat "$T/err"; fail "retry after kill: exit $?"; }
grep '"action":"triage-retry","evidence":"B"' "$T/case/custody.jsonl" | grep -q "no end record" || fail "custody: killed attempt"
expect_exit 0 shodo verify "$T/case" >/dev/null
src_unchanged "$T/disk.img"
ok "a cancelled or killed triage can be run again under the same ID"
