#!/bin/sh
# Mistake: resuming an interrupted acquisition with other options, or inside
# its first segment.  A resume continues with exactly the original parameters:
# conflicting options are refused (exit 2, saying which and what was used),
# the segments keep the original size (ls, ewfinfo), and the log,
# acquisition.json and custody record every interruption and resume.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need ewfinfo ewf-tools
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
head -c 7340032 /dev/urandom > "$T/src.bin"
src_hash "$T/src.bin"

killed_run() {  # ID KILL_AFTER_BYTES args...
	id=$1; k=$2; shift 2
	FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL=$k LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$T/src.bin" --case "$T/case" --evidence "$id" -q "$@" 2>/dev/null
	[ $? -eq 137 ] || fail "$id: the injector did not kill the run"
}
segs_ok() {  # DIR ID MAX: every segment but the last within MAX bytes and more than half of it
	n=$(ls "$1/$2".E?? | wc -l)
	[ "$n" -gt 1 ] || { ls -l "$1"; fail "$2: one segment after resume (segment size ignored)"; }
	i=0
	for f in $(ls "$1/$2".E??); do
		i=$((i + 1)); sz=$(stat -c %s "$f")
		[ "$sz" -le "$3" ] || { ls -l "$1"; fail "$2: $f is $sz bytes, over the segment size $3"; }
		[ $i -eq "$n" ] || [ "$sz" -gt $(($3 / 2)) ] || { ls -l "$1"; fail "$2: $f is only $sz bytes"; }
	done
}

# 1. interrupted inside the first segment (2 MiB segments, killed after 500 kB)
killed_run A 500000 --segment-size 2M --compression none
for bad in "--segment-size 4M" "--compression best" "--format raw" "--hash md5" "--examiner Someone"; do
	"$SHODO_BIN" image "$T/src.bin" --case "$T/case" --evidence A --resume $bad >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] || { cat "$T/err"; fail "resume with $bad: expected exit 2, got $rc"; }
	grep -q "^shodo: cannot resume with ${bad%% *}: the interrupted acquisition of 'A' used " "$T/err" \
		|| { cat "$T/err"; fail "resume with $bad: message"; }
done
# the same options as the first run are fine
shodo image "$T/src.bin" --case "$T/case" --evidence A --resume --segment-size 2M --compression none -q \
	|| fail "resume with the original options: exit $?"
d="$T/case/A/image"
segs_ok "$d" A 2097152
ewfinfo "$d/A.E01" </dev/null > "$T/info" 2>&1 || fail "ewfinfo"
grep -q "Compression level:.*no compression" "$T/info" || { cat "$T/info"; fail "ewfinfo: the compression changed on resume"; }
grep -q "Media size:.*(7340032 bytes)" "$T/info" || { cat "$T/info"; fail "ewfinfo: media size"; }
e01_check "$d/A.E01" "$T/src.bin"
[ "$(json_get "$d/acquisition.json" .image.segment_size)" = 2097152 ] || fail "segment size in acquisition.json"
[ "$(json_get "$d/acquisition.json" .image.compression)" = none ] || fail "compression changed on resume"
[ "$(json_get "$d/acquisition.json" '.interruptions | length')" = 1 ] || fail "the interruption is not in acquisition.json"
[ "$(json_get "$d/acquisition.json" '.interruptions[0].resumed_at')" != null ] || fail "no resume time"
[ "$(json_get "$d/acquisition.json" '.interruptions[0].bytes_discarded')" -gt 0 ] || fail "the rewritten first segment is not recorded"
grep -q "^Interruptions and resumes" "$d/A.E01.txt" || fail "the log does not mention the resume"
grep -q "resumed .* at offset" "$d/A.E01.txt" || fail "the log lacks the resume line"

# 2. interrupted after three segments of 1 MiB; resumed twice (a second kill
# during the resume).  Writes are slowed down so that the finished segments
# are confirmed (fsynced) before the kills: a resume continues after the
# confirmed ones only.
export FAULTIO_WRITE_DELAY_US=20000
killed_run B 3500000 --segment-size 1M --compression fast
FAULTIO_WRITE_MATCH="/B/image/B." FAULTIO_WRITE_KILL=1500000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.bin" --case "$T/case" --evidence B --resume -q 2>/dev/null
[ $? -eq 137 ] || fail "B: the injector did not kill the resume"
unset FAULTIO_WRITE_DELAY_US
shodo image "$T/src.bin" --case "$T/case" --evidence B --resume -q || fail "B: second resume: exit $?"
d="$T/case/B/image"
segs_ok "$d" B 1048576
ewfinfo "$d/B.E01" </dev/null 2>&1 | grep -q "Compression level:.*fast" || fail "B: ewfinfo: compression"
e01_check "$d/B.E01" "$T/src.bin"
[ "$(json_get "$d/acquisition.json" '.interruptions | length')" = 2 ] || fail "B: two interruptions expected"
[ "$(json_get "$d/acquisition.json" .image.compression)" = fast ] || fail "B: compression changed on resume"
[ "$(json_get "$d/acquisition.json" .hashes.sha256)" = "$SRC_SUM" ] || fail "B: sha256"
[ "$(grep -c '"action":"acquire-resume","evidence":"B"' "$T/case/custody.jsonl")" = 2 ] || fail "B: custody resumes"
grep '"action":"acquire-resume","evidence":"B"' "$T/case/custody.jsonl" | grep -q "[1-9][0-9]* bytes re-read" || fail "B: custody lacks bytes re-read"
[ "$(json_get "$d/acquisition.json" '.interruptions[0].bytes_reread')" -gt 0 ] || fail "B: no bytes re-read"

# 3. a cancelled run (SIGINT) is recorded as stopped, with its offset
FAULTIO_WRITE_MATCH="/C/image/C." FAULTIO_WRITE_DELAY_US=3000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.bin" --case "$T/case" --evidence C --segment-size 1M -q 2>/dev/null &
pid=$!
i=0; while [ ! -e "$T/case/C/image/C.E02" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid; wait $pid
grep '"action":"acquire-stopped","evidence":"C"' "$T/case/custody.jsonl" | grep -q "stopped at offset [1-9]" || fail "C: stop not in custody"
shodo image "$T/src.bin" --case "$T/case" --evidence C --resume -q || fail "C: resume exit $?"
[ "$(json_get "$T/case/C/image/acquisition.json" '.interruptions[0].reason')" = cancelled ] || fail "C: reason"
e01_check "$T/case/C/image/C.E01" "$T/src.bin"
src_unchanged "$T/src.bin"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "a resume keeps the original parameters and records every interruption"
