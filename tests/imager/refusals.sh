#!/bin/sh
# What shodo image refuses, with exact exit codes and one-line messages, and
# nothing left behind that looks like a complete image.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"

head -c 3000000 /dev/urandom > "$T/src.img"
src_hash "$T/src.img"

# refuse CMD... : exit code, one "shodo:" line (a "hint:" and "try" line may follow)
refuse() {
	want=$1; shift
	"$@" > "$T/o" 2> "$T/e"; got=$?
	[ "$got" -eq "$want" ] || { cat "$T/e"; fail "expected exit $want, got $got: $*"; }
	[ "$(grep -c '^shodo: ' "$T/e")" = 1 ] || { cat "$T/e"; fail "expected one error line: $*"; }
	[ "$(grep -vc '^shodo: \|^hint: \|^try ' "$T/e")" = 0 ] || { cat "$T/e"; fail "unexpected output: $*"; }
}
complete_image() { [ -f "$1/acquisition.json" ] || ls "$1"/*.txt >/dev/null 2>&1; }

refuse 2 shodo image "$T/src.img" --case "$T/case"
refuse 2 shodo image "$T/src.img" --evidence A
refuse 2 shodo image --case "$T/case" --evidence A
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence ""
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence "../escape"
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence "a/b"
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence ".."
[ ! -e "$T/escape" ] && [ ! -e "$T/case/a" ] || fail "a hostile ID created something"
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence A --format vmdk
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence A --hash crc32
refuse 2 shodo image "$T/src.img" --case "$T/case" --evidence A --segment-size 12
refuse 3 shodo image "$T/missing.img" --case "$T/case" --evidence A
grep -q "missing.img" "$T/e" || fail "missing source not named"
mkdir -p "$T/adir"
refuse 3 shodo image "$T/adir" --case "$T/case" --evidence A
[ ! -e "$T/case/A" ] || fail "a refused run created the evidence folder"
ok "bad options and unusable sources are refused with one line, nothing created"

# unreadable source (root bypasses modes: drop to nobody when possible)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	cp "$T/src.img" "$T/secret.img"; chmod 600 "$T/secret.img"; chmod 755 "$T"
	mkdir -p "$T/pub"; chmod 777 "$T/pub"
	refuse 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$SHODO_BIN" image "$T/secret.img" --case "$T/pub/case" --evidence A
	grep -qi "permission denied" "$T/e" || fail "permission problem not said"
	# unwritable destination
	mkdir -p "$T/ro"; chmod 555 "$T/ro"
	refuse 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$SHODO_BIN" image "$T/src.img" --case "$T/ro/case" --evidence A
	ok "unreadable source and unwritable destination refused"
else
	skip_part "not root: the unreadable source and unwritable destination were not tried"
fi

# an existing image is never overwritten
shodo image "$T/src.img" --case "$T/case" --evidence A -q || fail "first acquisition"
before=$(sha256 "$T/case/A/image/A.E01")
refuse 3 shodo image "$T/src.img" --case "$T/case" --evidence A
grep -q "already exists" "$T/e" || fail "existing image not said"
[ "$(sha256 "$T/case/A/image/A.E01")" = "$before" ] || fail "existing image changed"
refuse 3 shodo image "$T/src.img" --case "$T/case" --evidence A --resume
grep -q "complete" "$T/e" || fail "resume of a complete image not refused clearly"
refuse 3 shodo image "$T/src.img" --case "$T/case" --evidence A --format raw
ok "an existing image is never overwritten"

# an E01 is not a source to image again
refuse 2 shodo image "$T/case/A/image/A.E01" --case "$T/case" --evidence B
src_unchanged "$T/src.img"
ok "an E01 is not a source to image again"

# verify refusals
refuse 3 shodo verify "$T/nothing.E01"
refuse 3 shodo verify "$T/src.img"
refuse 3 shodo verify "$T/adir"
refuse 2 shodo verify
ok "refusals"
