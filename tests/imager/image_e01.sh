#!/bin/sh
# shodo image to E01: a FAT disk whose size is not a multiple of the chunk
# size, checked with ewfverify, ewfinfo, ewfexport + cmp, img_stat/fls,
# md5sum/sha1sum/sha256sum, sha256sum -c and shodo verify.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need ewfacquire ewf-tools

fat_disk "$T/disk.img" $((24 * 1024 * 1024 + 7 * 512))
src_hash "$T/disk.img"
shodo image "$T/disk.img" --case "$T/case" --evidence PC-0042 --case-number 2026-117 \
	--evidence-number 7 --examiner "Ann Example" --description "reception PC disk" \
	--notes "seized 03:10" --segment-size 1M --json > "$T/out.json" 2> "$T/err" || { cat "$T/err"; fail "shodo image exit $?"; }
src_unchanged "$T/disk.img"
img="$T/case/PC-0042/image"
[ -f "$img/PC-0042.E01" ] && [ -f "$img/PC-0042.E02" ] || fail "expected several segments: $(ls "$img")"
e01_check "$img/PC-0042.E01" "$T/disk.img"

# metadata in the E01 header
ewfinfo "$img/PC-0042.E01" </dev/null > "$T/info" 2>&1 || fail "ewfinfo"
for want in "Case number:		2026-117" "Evidence number:	7" "Examiner name:		Ann Example" \
	"Description:		reception PC disk" "Notes:			seized 03:10" "shodo" "EnCase 6" \
	"MD5:			$(md5sum < "$T/disk.img" | cut -d' ' -f1)" "SHA1:			$(sha1sum < "$T/disk.img" | cut -d' ' -f1)"; do
	grep -qF "$want" "$T/info" || { cat "$T/info"; fail "ewfinfo lacks '$want'"; }
done
ok "metadata in the E01 header"

# hashes in acquisition.json and the log match the peers
aj="$img/acquisition.json"
[ "$(json_get "$aj" .hashes.md5)" = "$(md5sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "md5 in acquisition.json"
[ "$(json_get "$aj" .hashes.sha1)" = "$(sha1sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "sha1 in acquisition.json"
[ "$(json_get "$aj" .hashes.sha256)" = "$SRC_SUM" ] || fail "sha256 in acquisition.json"
[ "$(json_get "$aj" .verification.result)" = match ] || fail "verification result"
[ "$(json_get "$aj" .source.size)" = $((24 * 1024 * 1024 + 7 * 512)) ] || fail "source size"
[ "$(json_get "$aj" '.metadata.examiner')" = "Ann Example" ] || fail "metadata"
[ "$(json_get "$aj" '.unreadable | length')" = 0 ] || fail "unreadable ranges on a good source"
cmp "$aj" "$T/out.json" || fail "--json output differs from acquisition.json"
ok "hashes in acquisition.json and the log match the peers"
# per-segment sha256 as listed
n=$(json_get "$aj" '.image.segments | length')
i=0
while [ $i -lt "$n" ]; do
	name=$(json_get "$aj" ".image.segments[$i].name")
	[ "$(json_get "$aj" ".image.segments[$i].sha256")" = "$(sha256 "$img/$name")" ] || fail "segment $name sha256"
	i=$((i + 1))
done
grep -q "SHA-256:  *$SRC_SUM" "$img/PC-0042.E01.txt" || fail "log lacks the SHA-256"
grep -q "no field for SHA-256" "$img/PC-0042.E01.txt" || fail "log does not say E01 cannot hold SHA-256"
grep -q "Result: *match" "$img/PC-0042.E01.txt" || fail "log lacks the verification result"
ok "per-segment sha256 as listed"

# sleuthkit reads the image
img_stat "$img/PC-0042.E01" > "$T/imgstat" 2>&1 || fail "img_stat"
grep -q "Image Type:.*ewf" "$T/imgstat" && grep -q "Size of data in bytes:.*$((24 * 1024 * 1024 + 7 * 512))" "$T/imgstat" || fail "img_stat does not read the E01"
fls -o 2048 "$img/PC-0042.E01" > "$T/fls" 2>&1 || { cat "$T/fls"; fail "fls"; }
grep -q "numbers.txt" "$T/fls" && grep -q "README.TXT" "$T/fls" || fail "fls does not list the files"
ok "sleuthkit reads the image"

# the case folder
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c SHA256SUMS"
grep -q '"action":"acquire-start"' "$T/case/custody.jsonl" || fail "custody: acquire-start"
grep -q '"action":"verify"' "$T/case/custody.jsonl" || fail "custody: verify"
grep -q "\"object\":\"PC-0042/image/PC-0042.E02\",\"sha256\":\"$(sha256 "$img/PC-0042.E02")\"" "$T/case/custody.jsonl" || fail "custody: segment with sha256"
[ "$(stat -c %a "$img/PC-0042.E01")" = 400 ] || fail "segments are not sealed 0400"
[ "$(stat -c %a "$T/case")" = 700 ] || fail "case folder is not 0700"
ok "the case folder"

# shodo verify agrees, and catches a flipped byte
expect_exit 0 shodo verify "$img/PC-0042.E01" >/dev/null
expect_exit 0 shodo verify "$T/case" >/dev/null
cp -r "$T/case" "$T/bad"; chmod -R u+w "$T/bad"
printf 'X' | dd of="$T/bad/PC-0042/image/PC-0042.E02" bs=1 seek=300000 conv=notrunc 2>/dev/null
expect_exit 1 shodo verify "$T/bad/PC-0042/image/PC-0042.E01" >/dev/null 2>"$T/verr"
expect_exit 1 shodo verify "$T/bad" >/dev/null 2>&1
[ "$(wc -l < "$T/verr")" = 1 ] || { cat "$T/verr"; fail "verify mismatch is not one line"; }
ok "shodo verify agrees, and catches a flipped byte"
# shodo verify reads an E01 that ewfacquire wrote, and checks its stored MD5 and SHA-1
ewfacquire -u -q -c deflate:fast -d sha1 -t "$T/peer" "$T/disk.img" </dev/null >/dev/null 2>&1 || fail "ewfacquire"
shodo verify --json "$T/peer.E01" > "$T/pv.json" || fail "shodo verify of an ewfacquire image"
[ "$(jq -r .stored.sha1 "$T/pv.json")" = "$(sha1sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "stored sha1 of the peer image"
[ "$(jq -r .computed.md5 "$T/pv.json")" = "$(md5sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "computed md5 of the peer image"
ok "shodo verify reads an ewfacquire image and agrees with its stored sha1"

# the other compression levels and a single thread give images the peers accept
for c in none best; do
	shodo image "$T/disk.img" --case "$T/case" --evidence C-$c --compression $c --threads 1 -q || fail "--compression $c"
	e01_check "$T/case/C-$c/image/C-$c.E01" "$T/disk.img"
done
ewfinfo "$T/case/C-best/image/C-best.E01" </dev/null | grep -q "Compression level:.*best" || fail "best compression not recorded"
[ "$(stat -c %s "$T/case/C-best/image/C-best.E01")" -le "$(cat "$img"/PC-0042.E?? | wc -c)" ] || fail "best is larger than fast"
[ "$(stat -c %s "$T/case/C-none/image/C-none.E01")" -gt $((24 * 1024 * 1024)) ] || fail "none is compressed"
ok "E01 acquisition checked with ewfverify, ewfinfo, ewfexport, img_stat, fls, sha256sum"
