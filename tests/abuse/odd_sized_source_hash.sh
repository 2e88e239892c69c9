#!/bin/sh
# Mistake: imaging a source whose size is not a whole number of sectors
# (12,345,679 bytes).  The hashes in the log, acquisition.json and custody
# must be those of the source's bytes exactly as read (md5sum, sha1sum,
# sha256sum of the source); the E01 stores MD5/SHA-1 of the media padded to
# whole sectors, and the log shows those too, labelled.  shodo verify checks
# both; ewfverify agrees with the padded ones.  Same for raw output.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need ewfinfo ewf-tools
head -c 12345679 /dev/urandom > "$T/src.bin"
src_hash "$T/src.bin"
MD5=$(md5sum "$T/src.bin" | cut -d' ' -f1)
SHA1=$(sha1sum "$T/src.bin" | cut -d' ' -f1)
SHA256=$(sha256sum "$T/src.bin" | cut -d' ' -f1)
cp "$T/src.bin" "$T/padded.bin"; truncate -s 12345856 "$T/padded.bin"   # 24113 sectors
PMD5=$(md5sum "$T/padded.bin" | cut -d' ' -f1)
PSHA1=$(sha1sum "$T/padded.bin" | cut -d' ' -f1)

for fmt in e01 raw; do
	id=ODD-$fmt; d="$T/case/$id/image"
	shodo image "$T/src.bin" --case "$T/case" --evidence $id --format $fmt -q || fail "$fmt: image exit $?"
	aj="$d/acquisition.json"
	[ "$(json_get "$aj" .hashes.md5)" = "$MD5" ] || fail "$fmt: acquisition.json md5 is not md5sum of the source"
	[ "$(json_get "$aj" .hashes.sha1)" = "$SHA1" ] || fail "$fmt: acquisition.json sha1 is not sha1sum of the source"
	[ "$(json_get "$aj" .hashes.sha256)" = "$SHA256" ] || fail "$fmt: acquisition.json sha256 is not sha256sum of the source"
	log=$(ls "$d"/*.txt)
	for h in $MD5 $SHA1 $SHA256; do grep -q "$h" "$log" || fail "$fmt: the log lacks the source hash $h"; done
	grep '"action":"acquire-end"' "$T/case/custody.jsonl" | grep "\"evidence\":\"$id\"" | grep -q "sha256 $SHA256" \
		|| fail "$fmt: custody lacks the source sha256"
	expect_exit 0 shodo verify "$d/$(basename "$log" .txt)" > "$T/v.out"
	grep -q "$SHA256" "$T/v.out" || { cat "$T/v.out"; fail "$fmt: verify does not show the source sha256"; }
done
d="$T/case/ODD-e01/image"
# the E01's own hashes cover the padded media: labelled in the log, and what ewfverify/ewfinfo see
grep -q "Hashes stored in the E01 (the source followed by 177 zero bytes" "$d/ODD-e01.E01.txt" || fail "padded hashes not labelled"
grep -q "$PMD5" "$d/ODD-e01.E01.txt" || fail "the log lacks the E01's stored MD5"
grep -q "$PSHA1" "$d/ODD-e01.E01.txt" || fail "the log lacks the E01's stored SHA-1"
[ "$(json_get "$d/acquisition.json" .image.stored_hashes.md5)" = "$PMD5" ] || fail "stored_hashes.md5"
ewfinfo "$d/ODD-e01.E01" </dev/null 2>/dev/null | grep -qi "MD5.*$PMD5" || fail "ewfinfo: stored MD5 is not that of the padded media"
e01_check "$d/ODD-e01.E01" "$T/padded.bin"
ewfverify -d sha1 -q "$d/ODD-e01.E01" </dev/null 2>&1 | grep -q "$PSHA1" || fail "ewfverify SHA-1"
# raw output is the source byte for byte
cmp "$T/case/ODD-raw/image/ODD-raw.raw" "$T/src.bin" || fail "raw image differs from the source"
# verify checks both: corrupt the stored padded MD5 record and the source sha256 record
chmod 600 "$d/acquisition.json"
jq '.image.stored_hashes.md5="00000000000000000000000000000000"' "$d/acquisition.json" > "$T/a.json" && cp "$T/a.json" "$d/acquisition.json"
expect_exit 1 shodo verify "$d/ODD-e01.E01" 2>"$T/err" >/dev/null
grep -q "padded media" "$T/err" || { cat "$T/err"; fail "verify did not check the padded-media record"; }
jq ".image.stored_hashes.md5=\"$PMD5\" | .hashes.sha256=\"$(printf '0%.0s' $(seq 64))\"" "$d/acquisition.json" > "$T/a.json" && cp "$T/a.json" "$d/acquisition.json"
expect_exit 1 shodo verify "$d/ODD-e01.E01" 2>"$T/err" >/dev/null
grep -q "SHA-256 mismatch.*source" "$T/err" || { cat "$T/err"; fail "verify did not check the source sha256"; }
src_unchanged "$T/src.bin"
ok "logged hashes are the source's own; the E01's padded hashes are shown labelled and checked"
