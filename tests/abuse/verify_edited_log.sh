#!/bin/sh
# Mistake (or attack): the acquisition log is edited and its SHA256SUMS line
# rewritten to match, so sha256sum -c passes.  Custody still records the
# original sha256 of the log: shodo verify DIR compares custody's recorded
# hashes with the files and says which file differs (exit 1).  The same for
# acquisition.json and an image segment.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence A --segment-size 1M -q || fail "image"
expect_exit 0 shodo verify "$T/case" >/dev/null
cp -a "$T/case" "$T/clean"

# rewrite FILE's line in SHA256SUMS so that sha256sum -c accepts the edit
resum() {
	new=$(sha256sum "$T/case/$1" | cut -d' ' -f1)
	sed -i "s|^[0-9a-f]*  $1\$|$new  $1|" "$T/case/SHA256SUMS"
	(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "the attack setup: sha256sum -c should pass"
}
for f in A/image/A.E01.txt A/image/acquisition.json A/image/A.E02; do
	rm -rf "$T/case"; cp -a "$T/clean" "$T/case"
	chmod u+w "$T/case/$f"
	case $f in
	*.txt) sed -i 's/^Examiner: .*/Examiner:               Somebody Else/' "$T/case/$f" ;;
	*.json) sed -i 's/"bytes_read": [0-9]*/"bytes_read": 1/' "$T/case/$f" ;;
	*) printf 'X' | dd of="$T/case/$f" bs=1 seek=70000 conv=notrunc 2>/dev/null ;;
	esac
	resum "$f"
	"$SHODO_BIN" verify "$T/case" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "$f edited, SHA256SUMS rewritten: expected exit 1, got $rc"; }
	grep -q "$f: sha256 differs from the one recorded in custody" "$T/err" || { cat "$T/err"; fail "$f: not named"; }
	grep -q ": match" "$T/out" && fail "$f: verify still prints match"
done
src_unchanged "$T/src.img"
ok "custody's recorded hashes catch an edit that SHA256SUMS was rewritten to hide"
