#!/bin/sh
# Hostile destination: a disk that takes the image's writes into memory and
# refuses them when they are written back (a failing or pulled USB disk; the
# kernel then fails fsync with EIO).  shodo image must not call such an image
# done: every segment is fsynced before the verification and the logs, and a
# refused one stops the run with a one-line reason, no acquisition.json, the
# item left incomplete (shodo verify says so) and the source untouched.
# On a good destination, every segment of an E01 and of a split raw image
# is fsynced (the injector logs every fsync) and then dropped from memory
# (fincore), so that the read-back reads the destination.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
"$HELPERS/mkdisk" 5M 7 > "$T/src.img"
src_hash "$T/src.img"

# a good destination: every segment is fsynced, E01 and raw
FAULTIO_FSYNC_LOG="$T/fsync.log" LD_PRELOAD="$FIO" "$SHODO_BIN" image "$T/src.img" --case "$T/case" \
	--evidence GOOD --segment-size 1M -q || fail "image onto a good destination"
n=0
for seg in "$T"/case/GOOD/image/GOOD.E??; do
	n=$((n + 1))
	grep -qxF "$(realpath "$seg")" "$T/fsync.log" || { cat "$T/fsync.log"; fail "segment $seg was never fsynced"; }
done
[ "$n" -ge 2 ] || fail "expected several segments, got $n"
[ "$(jq -r .verification.result "$T/case/GOOD/image/acquisition.json")" = match ] || fail "verification"
e01_check "$T/case/GOOD/image/GOOD.E01" "$T/src.img"
: > "$T/fsync.log"
FAULTIO_FSYNC_LOG="$T/fsync.log" LD_PRELOAD="$FIO" "$SHODO_BIN" image "$T/src.img" --case "$T/case" \
	--evidence RAW --format raw --segment-size 2M -q || fail "raw image onto a good destination"
n=0
for seg in "$T"/case/RAW/image/RAW.[0-9][0-9][0-9]; do
	n=$((n + 1))
	grep -qxF "$(realpath "$seg")" "$T/fsync.log" || { cat "$T/fsync.log"; fail "raw piece $seg was never fsynced"; }
done
[ "$n" -eq 3 ] || fail "expected 3 raw pieces, got $n"
cat "$T"/case/RAW/image/RAW.[0-9][0-9][0-9] | cmp - "$T/src.img" || fail "raw pieces differ from the source"
ok "every segment is fsynced before the image is called done (E01 and raw)"

# and then dropped from memory, so that a read-back reads the destination:
# without a read-back, the segments hashed while acquiring (all but the
# last) are no longer in the page cache (tmpfs keeps its pages whatever)
if [ "$(stat -f -c %T "$T")" = tmpfs ]; then
	skip_part "the page cache check needs a disk-backed \$TMPDIR, not tmpfs"
else
	need fincore util-linux
	shodo image "$T/src.img" --case "$T/case" --evidence NOVERIFY --segment-size 1M --no-verify -q \
		|| fail "image --no-verify"
	n=0
	for seg in "$T"/case/NOVERIFY/image/NOVERIFY.E0[1-4]; do
		n=$((n + 1))
		res=$(fincore -n -b -o PAGES "$seg") || fail "fincore $seg"
		[ "$res" -eq 0 ] || { fincore "$seg"; fail "$seg is still in memory after the run ($res pages)"; }
	done
	[ "$n" -eq 4 ] || fail "expected 4 segments before the last, got $n"
	ok "the segments are dropped from memory once on the destination (a read-back reads the disk)"
fi

# a destination that refuses the write-back of the second segment
FAULTIO_FSYNC_MATCH="/BAD/image/BAD.E02" LD_PRELOAD="$FIO" "$SHODO_BIN" image "$T/src.img" --case "$T/case" \
	--evidence BAD --segment-size 1M >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || { cat "$T/err"; fail "expected exit 3 for a refused write-back, got $rc"; }
grep -q "^shodo: .*the destination did not keep the image: '.*BAD.E02'" "$T/err" || { cat "$T/err"; fail "message"; }
grep -q "Input/output error" "$T/err" || { cat "$T/err"; fail "the system's reason is not given"; }
[ ! -e "$T/case/BAD/image/acquisition.json" ] || fail "an image the disk did not keep has an acquisition.json"
[ -e "$T/case/BAD/image/BAD.state.json" ] || fail "the item is not left incomplete (no state file)"
if grep -q '"verify"' "$T/case/custody.jsonl" && jq -e 'select(.object == "BAD" and .action == "verify")' \
	"$T/case/custody.jsonl" >/dev/null 2>&1; then
	fail "a verification was recorded for an image the disk did not keep"
fi
"$SHODO_BIN" verify "$T/case" --json >"$T/v.json" 2>/dev/null
[ "$(jq -r .result "$T/v.json")" = incomplete ] || { cat "$T/v.json"; fail "shodo verify does not call the case incomplete"; }
[ "$(jq -r '.incomplete[0].evidence' "$T/v.json")" = BAD ] || fail "the unkept item is not named"
src_unchanged "$T/src.img"
ok "a destination that refuses the write-back fails the acquisition: exit 3, no log, item incomplete"
