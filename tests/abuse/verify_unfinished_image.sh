#!/bin/sh
# Mistake: handing over a case that holds a cancelled, unfinished image
# (segments plus its resume state).  shodo verify DIR reports the evidence
# item as incomplete and exits 1, even though SHA256SUMS matches.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence DONE -q || fail "image"
FAULTIO_WRITE_MATCH="/HALF/image/HALF." FAULTIO_WRITE_DELAY_US=3000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence HALF --segment-size 1M -q 2>/dev/null &
pid=$!
i=0; while [ ! -e "$T/case/HALF/image/HALF.E02" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid; wait $pid
[ -f "$T/case/HALF/image/HALF.state.json" ] || fail "setup: no resume state"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || { ls -la "$T/case/HALF/image"; cat "$T/case/SHA256SUMS"; fail "setup: SHA256SUMS should still match"; }
"$SHODO_BIN" verify "$T/case" --json >"$T/v.json" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { cat "$T/v.json" "$T/err"; fail "expected exit 1, got $rc"; }
[ "$(jq -r .result "$T/v.json")" = incomplete ] || fail "result is not 'incomplete'"
[ "$(jq -r '.incomplete[0].evidence' "$T/v.json")" = HALF ] || fail "the unfinished item is not named"
"$SHODO_BIN" verify "$T/case" >"$T/out" 2>"$T/err"
grep -q "HALF: image incomplete" "$T/err" || { cat "$T/err"; fail "message"; }
grep -q -- "--resume" "$T/err" || fail "no hint to resume"
# once resumed, the case verifies
shodo image "$T/src.img" --case "$T/case" --evidence HALF --resume -q || fail "resume"
expect_exit 0 shodo verify "$T/case" >/dev/null
src_unchanged "$T/src.img"
ok "an unfinished image makes the case incomplete"
