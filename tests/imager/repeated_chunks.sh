#!/bin/sh
# Repeated chunks and the read-back: a source made of runs of identical 32 KiB
# chunks (random, 0xFF fill across a 1 MiB slot boundary, text, zeros) and a
# short last chunk.  Each chunk equal to the one before it is stored in the
# form computed once for the first; the verification inflates a repeated
# compressed chunk once.  Proven with ewfverify and ewfexport + cmp for every
# compression level, with the digests read back against md5sum, sha1sum and
# sha256sum (by default the strongest selected digest, all of them with
# --verify-all), and with shodo verify of ewfacquire's image of the source.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need ewfacquire ewf-tools

src="$T/src.bin"
head -c 32768 /dev/urandom > "$T/r1"
head -c 32768 /dev/urandom > "$T/r2"
seq 1 100000 | head -c 32768 > "$T/t1"
{
	cat "$T/r1" "$T/r1" "$T/r1" "$T/r1"                               # 4 equal random chunks
	head -c $((1024 * 1024 + 65536)) /dev/zero | tr '\0' '\377'       # 0xFF over the 1 MiB slot boundary
	cat "$T/t1" "$T/t1" "$T/t1"                                       # 3 equal text chunks
	head -c 65536 /dev/zero
	cat "$T/r2" "$T/t1" "$T/r2" "$T/r2"                               # equal, but not adjacent, then adjacent
	head -c 5120 "$T/t1"                                              # a short last chunk (10 sectors)
} > "$src"
src_hash "$src"
MD5=$(md5sum "$src" | cut -d' ' -f1)
SHA1=$(sha1sum "$src" | cut -d' ' -f1)

for comp in fast best none; do
	id=REP-$comp; d="$T/case/$id/image"
	shodo image "$src" --case "$T/case" --evidence $id --compression $comp -q || fail "$comp: image exit $?"
	src_unchanged "$src"
	e01_check "$d/$id.E01" "$src"
	aj="$d/acquisition.json"
	[ "$(json_get "$aj" .verification.result)" = match ] || fail "$comp: verification"
	[ "$(json_get "$aj" '.verification.recomputed | join(",")')" = sha256 ] || fail "$comp: read back more than SHA-256"
	[ "$(json_get "$aj" .verification.sha256)" = "$SRC_SUM" ] || fail "$comp: read-back SHA-256 is not sha256sum of the source"
	[ "$(json_get "$aj" .verification.md5)" = null ] || fail "$comp: an MD5 was reported without being read back"
	grep -q "Read back SHA-256: *$SRC_SUM" "$d/$id.E01.txt" || fail "$comp: the log lacks the read-back SHA-256"
	! grep -q "Read back MD5" "$d/$id.E01.txt" || fail "$comp: the log shows an MD5 that was not read back"
	grep -q "digests not" "$d/$id.E01.txt" || fail "$comp: the log does not say why the other digests are not recomputed"
	expect_exit 0 shodo verify "$d/$id.E01" > "$T/v.out"
	# where the CPU went: one entry per stage that ran, the read-back hashing SHA-256 alone
	# (with --compression none the workers still checksum each stored chunk)
	[ "$(json_get "$aj" '.cpu_seconds.acquire | keys_unsorted | join(" ")')" = "read compress md5 sha1 sha256 write" ] ||
		fail "$comp: cpu_seconds.acquire stages"
	[ "$(json_get "$aj" '[.cpu_seconds.acquire[], .cpu_seconds.verify[], .cpu_seconds.segments_sha256] | all(. >= 0 and . < 600)')" = true ] ||
		fail "$comp: cpu_seconds out of range"
	[ "$(json_get "$aj" '.cpu_seconds.verify | keys_unsorted | join(" ")')" = "read inflate sha256" ] || fail "$comp: cpu_seconds.verify stages"
done
ok "repeated chunks: every compression level exports to the source's bytes, SHA-256 read back"

d="$T/case/REP-all/image"
shodo image "$src" --case "$T/case" --evidence REP-all --verify-all -q || fail "--verify-all: image exit $?"
aj="$d/acquisition.json"
[ "$(json_get "$aj" '.verification.recomputed | join(",")')" = md5,sha1,sha256 ] || fail "--verify-all: not every digest read back"
[ "$(json_get "$aj" .verification.md5)" = "$MD5" ] || fail "--verify-all: read-back MD5 is not md5sum of the source"
[ "$(json_get "$aj" .verification.sha1)" = "$SHA1" ] || fail "--verify-all: read-back SHA-1 is not sha1sum of the source"
[ "$(json_get "$aj" .verification.sha256)" = "$SRC_SUM" ] || fail "--verify-all: read-back SHA-256"
grep -q "Read back MD5: *$MD5" "$d/REP-all.E01.txt" || fail "--verify-all: the log lacks the read-back MD5"
[ "$(json_get "$aj" '.cpu_seconds.verify | keys_unsorted | join(" ")')" = "read inflate md5 sha1 sha256" ] || fail "--verify-all: cpu_seconds.verify stages"
! grep -q "digests not" "$d/REP-all.E01.txt" || fail "--verify-all: the log says digests were not recomputed"
ok "--verify-all reads back MD5, SHA-1 and SHA-256"

d="$T/case/REP-md5/image"
shodo image "$src" --case "$T/case" --evidence REP-md5 --hash md5 --format raw -q || fail "--hash md5: image exit $?"
aj="$d/acquisition.json"
[ "$(json_get "$aj" '.verification.recomputed | join(",")')" = md5 ] || fail "--hash md5: the read-back digest is not MD5"
[ "$(json_get "$aj" .verification.md5)" = "$MD5" ] || fail "--hash md5: read-back MD5"
cmp "$d/REP-md5.raw" "$src" || fail "--hash md5: raw image differs"
ok "with only MD5 selected, MD5 is read back"

expect_exit 2 shodo image "$src" --case "$T/case" --evidence REP-x --no-verify --verify-all -q 2> "$T/err"
grep -q "exclude each other" "$T/err" || fail "--no-verify with --verify-all: $(cat "$T/err")"
ok "--no-verify and --verify-all are refused together"

# another tool's compressed chunks (zlib's zero and 0xFF runs): shodo verify
ewfacquire -u -q -c deflate:fast -t "$T/peer" "$src" </dev/null >/dev/null 2>&1 || fail "ewfacquire"
expect_exit 0 shodo verify "$T/peer.E01" > "$T/pv.out"
grep -q "$MD5" "$T/pv.out" || { cat "$T/pv.out"; fail "shodo verify of ewfacquire's image does not show the MD5"; }
ok "shodo verify reads ewfacquire's image of repeated chunks"
