#!/bin/sh
# A full destination (ENOSPC injected after N bytes) stops cleanly with exit 3,
# one line saying what failed, a hint naming --resume, and nothing that looks
# complete; --resume then finishes an image equal to the source.  The same
# after a process killed with SIGKILL (at a byte count, and with kill -9 from
# outside while it runs).
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
{ "$HELPERS/mkdisk" 8M 11 && head -c 12582912 /dev/urandom; } > "$T/src.img" || fail "mkdisk"
src_hash "$T/src.img"

incomplete() {  # DIR ID: the stopped state, not something that looks complete
	[ -f "$1/$2.state.json" ] || fail "$2: no state file after a stop"
	[ ! -e "$1/acquisition.json" ] || fail "$2: acquisition.json after a stop"
	! ls "$1"/*.txt >/dev/null 2>&1 || fail "$2: a log after a stop"
}
finished() {  # DIR ID FIRST
	[ ! -e "$1/$2.state.json" ] || fail "$2: state file left after completion"
	[ "$(json_get "$1/acquisition.json" .hashes.sha256)" = "$SRC_SUM" ] || fail "$2: sha256"
	[ "$(json_get "$1/acquisition.json" .verification.result)" = match ] || fail "$2: verification"
	expect_exit 0 shodo verify "$1/$3" >/dev/null
}

# 1. ENOSPC, E01 and raw
for fmt in e01 raw; do
	id=F-$fmt; dir="$T/case/$id/image"
	FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_LIMIT=3000000 LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --format $fmt --segment-size 1M \
		--compression none > /dev/null 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; fail "$fmt: expected exit 3 on a full destination, got $rc"; }
	[ "$(grep -c '^shodo: ' "$T/err")" = 1 ] || { cat "$T/err"; fail "$fmt: not one error line"; }
	grep -q "^shodo: acquisition stopped at offset [0-9]* of 20971520: cannot write .*: No space left on device" "$T/err" \
		|| { cat "$T/err"; fail "$fmt: message"; }
	grep -q "^hint: .*--resume" "$T/err" || fail "$fmt: no --resume hint"
	incomplete "$dir" $id
	expect_exit 3 shodo image "$T/src.img" --case "$T/case" --evidence $id --format $fmt 2>"$T/err2"
	grep -q "add --resume" "$T/err2" || fail "$fmt: a second run without --resume does not point to --resume"
	shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q || fail "$fmt: resume exit $?"
	[ "$(json_get "$dir/acquisition.json" .image.format)" = $fmt ] || fail "$fmt: resume changed the format"
done
finished "$T/case/F-e01/image" F-e01 F-e01.E01
e01_check "$T/case/F-e01/image/F-e01.E01" "$T/src.img"
finished "$T/case/F-raw/image" F-raw F-raw.001
cat "$T/case/F-raw/image/F-raw.0"?? | cmp - "$T/src.img" || fail "resumed raw differs"
[ "$(json_get "$T/case/F-raw/image/acquisition.json" .resumed_at)" -gt 0 ] || fail "raw did not resume past 0"
ok "1. ENOSPC, E01 and raw"

# 2. killed (SIGKILL) after 3 MB written (writes slowed down, so that the
# run has time to have its first segments confirmed): every finished segment
# was fsynced while the run went on, the state file says how many, and
# libewf resumes after the last of them
id=K1; dir="$T/case/$id/image"
FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL=3000000 FAULTIO_WRITE_DELAY_US=20000 \
	FAULTIO_FSYNC_LOG="$T/fsync-K1.log" LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --segment-size 1M -q 2>/dev/null
[ $? -eq 137 ] || fail "the injector did not kill the run"
incomplete "$dir" $id
confirmed=$(json_get "$dir/$id.state.json" .synced_segments)
[ "$confirmed" -ge 1 ] || fail "no finished segment was confirmed before the kill (synced_segments $confirmed)"
i=1
while [ $i -le "$confirmed" ]; do
	grep -qx "$dir/$id.E0$i" "$T/fsync-K1.log" || fail "segment E0$i counted as confirmed but never fsynced"
	i=$((i + 1))
done
shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q || fail "resume after SIGKILL"
[ "$(json_get "$dir/acquisition.json" .resumed_at)" -gt 0 ] || fail "E01 did not resume past 0"
finished "$dir" $id $id.E01
e01_check "$dir/$id.E01" "$T/src.img"
ok "2. killed (SIGKILL) after 3 MB written: finished segments were fsynced while it ran, and the resume continues after them"

# 2b. killed right after creating a new segment (still empty): resume drops it
id=K3; dir="$T/case/$id/image"
FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL=3000000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --segment-size 1M -q 2>/dev/null
[ $? -eq 137 ] || fail "the injector did not kill the run"
last=$(ls "$dir/$id".E?? | tail -n 1)
: > "$last"
shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q || fail "resume with an empty last segment"
finished "$dir" $id $id.E01
e01_check "$dir/$id.E01" "$T/src.img"
ok "2b. killed right after creating a new segment (still empty): resume drops it"

# 2c. killed after the chunks of a later segment but before it was closed:
# libewf writes the sectors descriptor again, then the table, table2 and
# "next" sections only after the chunks.  A segment with its tables but no
# "next" opens for resume, but libewf's next chunk then disagrees with the
# offset it reports ("invalid chunk: N already exists"): an unclosed last
# segment is dropped instead.  The moments: before E02's table2 (2nd
# "table2" write), before its "next" (2nd "next"), and before its real
# sectors descriptor (4th "sectors": two per segment).
for moment in table2:2 next:2 sectors:4; do
	sec=${moment%:*}; nth=${moment#*:}
	id=K4-$sec; dir="$T/case/$id/image"
	FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL_BEFORE=$sec FAULTIO_WRITE_KILL_NTH=$nth \
		LD_PRELOAD="$FIO" "$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --segment-size 1M -q 2>/dev/null
	[ $? -eq 137 ] || fail "$sec: the injector did not kill the run"
	[ -e "$dir/$id.E02" ] && [ ! -e "$dir/$id.E03" ] || fail "$sec: not killed while the second segment was written"
	incomplete "$dir" $id
	shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q 2>"$T/err" || { cat "$T/err"; fail "$sec: resume"; }
	finished "$dir" $id $id.E01
	e01_check "$dir/$id.E01" "$T/src.img"
done
ok "2c. killed after a segment's chunks, before it was closed: resume drops that segment and the image equals the source"

# 3. kill -9 from outside while it writes (writes slowed down, killed once E03 exists)
id=K2; dir="$T/case/$id/image"
FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_DELAY_US=2000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --segment-size 1M -q 2>/dev/null &
pid=$!
i=0
while [ ! -e "$dir/$id.E04" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$dir/$id.E04" ] || { kill -9 $pid; fail "the slowed run never reached its fourth segment"; }
kill -9 $pid; wait $pid 2>/dev/null
[ -e "$dir/acquisition.json" ] && fail "the run finished before it was killed (writes not slowed?)"
incomplete "$dir" $id
shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q || fail "resume after kill -9"
finished "$dir" $id $id.E01
e01_check "$dir/$id.E01" "$T/src.img"
ok "3. kill -9 from outside while it writes (writes slowed down, killed once E03 exists)"
# 4. unreadable sectors before the stop stay zeros after --resume, even when
# the source reads them fine the second time
cp "$T/src.img" "$T/expect.img"
dd if=/dev/zero of="$T/expect.img" bs=512 seek=200 count=2 conv=notrunc 2>/dev/null
for fmt in e01 raw; do
	id=BR-$fmt; dir="$T/case/$id/image"
	FAULTIO_READ_PATH="$T/src.img" FAULTIO_READ_BAD=102400:1024 FAULTIO_WRITE_MATCH="/$id/image/$id." \
		FAULTIO_WRITE_LIMIT=3000000 LD_PRELOAD="$FIO" "$SHODO_BIN" image "$T/src.img" --case "$T/case" \
		--evidence $id --format $fmt --segment-size 1M --compression none --retries 0 >/dev/null 2>&1
	[ $? -eq 3 ] || fail "$fmt: bad sectors + full disk: expected exit 3"
	expect_exit 1 shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -q 2>/dev/null
	aj="$dir/acquisition.json"
	[ "$(json_get "$aj" '.unreadable[0].offset'):$(json_get "$aj" '.unreadable[0].length')" = 102400:1024 ] \
		|| fail "$fmt: the first run's unreadable range was lost on resume"
	[ "$(json_get "$aj" .hashes.sha256)" = "$(sha256 "$T/expect.img")" ] || fail "$fmt: hashes are not those of the image"
	[ "$(json_get "$aj" .verification.result)" = match ] || fail "$fmt: verification after resume"
done
e01_check "$T/case/BR-e01/image/BR-e01.E01" "$T/expect.img"
cat "$T/case/BR-raw/image/BR-raw.0"?? | cmp - "$T/expect.img" || fail "raw: resumed image with bad sectors"

# 5. a power loss: the machine went down after the kill, and written pages
# that had not reached the disk read back as zeros.  The state file says how
# much of the image the destination had confirmed; here it confirmed less
# than what is on disk (the state is edited to say so), and the part after
# it is zeroed, as a lost write-back leaves it.  The resume writes that part
# again: the image equals the source.  (Trusting the files as they are, it
# kept the zeros, and the digests, read from the source, did not match.)
for fmt in e01 raw; do
	id=PL-$fmt; dir="$T/case/$id/image"
	FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL=6000000 LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --format $fmt --segment-size 1M \
		--compression none -q 2>/dev/null
	[ $? -eq 137 ] || fail "$fmt: the injector did not kill the run"
	st="$dir/$id.state.json"
	if [ $fmt = e01 ]; then
		[ -e "$dir/$id.E05" ] || fail "e01: killed before the fifth segment"
		jq '.synced_segments = 2' "$st" > "$T/st" && cat "$T/st" > "$st"
		dd if=/dev/zero of="$dir/$id.E03" bs=65536 seek=4 count=2 conv=notrunc 2>/dev/null
	else
		[ -e "$dir/$id.005" ] || fail "raw: killed before the fifth piece"
		jq '.synced_offset = 1048576' "$st" > "$T/st" && cat "$T/st" > "$st"
		dd if=/dev/zero of="$dir/$id.003" bs=65536 seek=4 count=2 conv=notrunc 2>/dev/null
		# the pieces after the one the resume continues in go before it
		# writes (killed at its first write here): left in place they
		# would look finished, and be counted as confirmed
		FAULTIO_WRITE_MATCH="/$id/image/$id." FAULTIO_WRITE_KILL=1 LD_PRELOAD="$FIO" \
			"$SHODO_BIN" image "$T/src.img" --case "$T/case" --evidence $id --resume -v 2>"$T/err" >/dev/null
		[ $? -eq 137 ] || fail "raw: the injector did not kill the resume"
		grep -q 'had confirmed 1048576 of' "$T/err" || { cat "$T/err"; fail "raw: the resume does not say what it writes again"; }
		[ "$(ls "$dir" | grep -c "^$id\.0[0-9][0-9]\$")" = 2 ] || { ls "$dir"; fail "raw: pieces after the resume point left in place"; }
		# what the first run confirmed stays confirmed in the resume's state
		[ "$(json_get "$st" .synced_offset)" = 1048576 ] || fail "raw: the resume forgot what was confirmed"
	fi
	shodo image "$T/src.img" --case "$T/case" --evidence $id --resume -v 2>"$T/err" >/dev/null \
		|| { cat "$T/err"; fail "$fmt: resume after a power loss"; }
	[ $fmt = raw ] || grep -q 'not confirmed' "$T/err" || { cat "$T/err"; fail "$fmt: the resume does not say what it writes again"; }
done
finished "$T/case/PL-e01/image" PL-e01 PL-e01.E01
e01_check "$T/case/PL-e01/image/PL-e01.E01" "$T/src.img"
[ "$(json_get "$T/case/PL-e01/image/acquisition.json" .resumed_at)" -gt 0 ] || fail "e01: did not resume after the confirmed segment"
finished "$T/case/PL-raw/image" PL-raw PL-raw.001
cat "$T/case/PL-raw/image/PL-raw.0"?? | cmp - "$T/src.img" || fail "raw: resumed image differs from the source"
[ "$(json_get "$T/case/PL-raw/image/acquisition.json" .resumed_at)" = 1048576 ] || fail "raw: did not resume at the confirmed offset"
ok "5. after a power loss the resume writes again what the destination had not confirmed"

src_unchanged "$T/src.img"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
grep -q '"action":"acquire-stopped"' "$T/case/custody.jsonl" || fail "custody lacks the stop"
grep -q '"action":"acquire-resume"' "$T/case/custody.jsonl" || fail "custody lacks the resume"
ok "destination full and killed runs resume to images equal to the source"
