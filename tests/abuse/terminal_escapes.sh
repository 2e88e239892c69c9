#!/bin/sh
# Attack: names from evidence that carry terminal control sequences (ESC, BEL:
# set the window title, clear the screen, hide text).  They reach the
# terminal (triage -v naming a ransom note, shodo verify naming a stray
# file), summary.txt and the CSVs only escaped: no ESC or BEL byte, the name
# still recognisable (\x1b).
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
ESC=$(printf '\033'); BEL=$(printf '\007')
EVIL="${ESC}]0;PWNED${BEL}${ESC}[2Jreadme"
ntfs_image "$T/disk.img" 40
mkdir -p "$T/mnt/Users/Public"
printf 'All your files have been encrypted!\nTo decrypt your files you must buy our decryptor.\nContact: recover@onionmail.org\nBTC: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\n' > "$T/mnt/Users/Public/$EVIL.txt"
ntfs_umount
src_hash "$T/disk.img"
shodo triage "$T/disk.img" --case "$T/case" --evidence H -v >"$T/out" 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "triage"; }
for f in "$T/out" "$T/err" "$T/case/H/triage/summary.txt" "$T/case/H/triage/"*.csv "$T/case/summary.txt"; do
	[ -f "$f" ] || continue
	if tr -d '\r\n\t' < "$f" | LC_ALL=C grep -q '[[:cntrl:]]'; then
		LC_ALL=C grep -n '[[:cntrl:]]' "$f" | head -3 | cat -v
		fail "a control character in $(basename "$f")"
	fi
done
grep -q 'x1b\]0;PWNED' "$T/err" || { cat "$T/err"; fail "the hostile name does not appear (escaped) in the terminal output: test not meaningful"; }
# shodo verify names a stray file without letting its name drive the terminal
printf 'x' > "$T/case/${ESC}]0;OWNED${BEL}stray"
"$SHODO_BIN" verify "$T/case" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "verify: a stray file must make it fail"
grep -q 'x1b\]0;OWNED' "$T/err" || { cat -v "$T/err"; fail "verify does not name the stray file"; }
tr -d '\r\n\t' < "$T/err" | LC_ALL=C grep -q '[[:cntrl:]]' && fail "verify: a control character on the terminal"
src_unchanged "$T/disk.img"
ok "control characters from evidence are escaped in terminal output, summaries and CSVs"
