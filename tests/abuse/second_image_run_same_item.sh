#!/bin/sh
# Mistake: starting a second run on an evidence item while the first still
# writes it (image, image --resume, triage).  One writer per evidence item:
# the second is refused with exit 3 naming the running process, the hint never
# says "interrupted: add --resume" while a run is alive, the first run ends
# with an image that ewfverify accepts, and custody has one acquire-end.
# After kill -9 the lock is gone: then, and only then, --resume is the hint
# and the resume works.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
fat_disk "$T/src.img" 24000000
src_hash "$T/src.img"

# a run slowed down by the fault injector, in the background
slow_run() {  # ID [args]
	id=$1; shift
	FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_DELAY_US=3000 LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence "$id" --segment-size 1M \
		--compression none -q "$@" 2>"$T/first.err" &
	pid=$!
	i=0
	while [ ! -e "$T/case/$id/image/$id.E02" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$T/case/$id/image/$id.E02" ] || { kill -9 $pid; fail "the slowed run never reached its second segment"; }
}

slow_run A
for args in "" "--resume"; do
	"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence A $args >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; kill -9 $pid; fail "second image $args: expected exit 3, got $rc"; }
	grep -q "^shodo: evidence item 'A' is being written by pid $pid (shodo image, started " "$T/err" \
		|| { cat "$T/err"; kill -9 $pid; fail "second image $args: the running process is not named"; }
	grep -q -- "--resume" "$T/err" && { cat "$T/err"; kill -9 $pid; fail "a false hint to resume while pid $pid writes"; }
done
# triage of the same evidence item while it is imaged
"$SHODO_BIN" triage "$T/src.img" --case "$T/case" --evidence A -q >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || { cat "$T/err"; kill -9 $pid; fail "triage during image: expected exit 3, got $rc"; }
grep -q "evidence item 'A' is being written by pid $pid" "$T/err" || { cat "$T/err"; kill -9 $pid; fail "triage: holder not named"; }
[ ! -e "$T/case/A/triage" ] || fail "the refused triage created A/triage"

# verify while it is written: not a match, and says who writes it
"$SHODO_BIN" verify "$T/case" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; kill -9 $pid; fail "verify during the run: expected exit 1, got $rc"; }
grep -q "A: being written by pid $pid" "$T/err" || { cat "$T/err"; kill -9 $pid; fail "verify does not say the item is being written"; }
wait $pid || { cat "$T/first.err"; fail "the first run did not finish cleanly (exit $?)"; }
e01_check "$T/case/A/image/A.E01" "$T/src.img"
[ "$(grep -c '"action":"acquire-end","evidence":"A"' "$T/case/custody.jsonl")" = 1 ] || fail "custody: not exactly one acquire-end"
grep -q '"action":"acquire-resume"' "$T/case/custody.jsonl" && fail "custody records a resume that was refused"
expect_exit 0 shodo verify "$T/case" >/dev/null

# kill -9: the kernel drops the lock; the hint to resume is now true
slow_run B
kill -9 $pid; wait $pid 2>/dev/null
expect_exit 3 shodo image "$T/src.img" --case "$T/case" --evidence B 2>"$T/err"
grep -q "being written" "$T/err" && fail "a killed run still holds the lock"
grep -q "^hint: .*add --resume" "$T/err" || { cat "$T/err"; fail "no --resume hint after kill -9"; }
shodo image "$T/src.img" --case "$T/case" --evidence B --resume -q || fail "resume after kill -9: exit $?"
e01_check "$T/case/B/image/B.E01" "$T/src.img"
src_unchanged "$T/src.img"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "one writer per evidence item; the loser is told who writes; kill -9 frees the item"
