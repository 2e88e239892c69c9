#!/bin/sh
# Mistake: with the suspect volume mounted, triaging (or imaging) its device
# with the case folder on that very volume, and --force to get past the
# "mounted read-write" refusal.  A case folder on any device that is a source
# of the run is refused always (exit 3); --force only overrides "mounted
# read-write".  Nothing is created on the suspect volume.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
# the suspect volume: NTFS on a loop device, mounted read-write (ntfs-3g)
ntfs_image "$T/disk.img" 24
printf 'evidence\n' > "$T/mnt/file.txt"; sync
cleanup() { ntfs_umount; }
trap cleanup EXIT
before=$(sha256sum "$LOOP" | cut -d' ' -f1)

for src in "$LOOP"; do
	for cmd in triage image; do
		for force in "" --force; do
			"$SHODO_BIN" $cmd "$src" --case "$T/mnt/case" --evidence A $force >/dev/null 2>"$T/err"
			rc=$?
			[ $rc -eq 3 ] || { cat "$T/err"; fail "$cmd $src $force: expected exit 3, got $rc"; }
			if [ -n "$force" ]; then
				grep -q "^shodo: .*the case folder '$T/mnt/case' is on " "$T/err" || { cat "$T/err"; fail "$cmd $src --force: message"; }
				grep -q "force does not override" "$T/err" || { cat "$T/err"; fail "$cmd $src --force: hint"; }
			fi
			[ ! -e "$T/mnt/case" ] || fail "$cmd $src $force: a case folder was created on the suspect volume"
		done
	done
done
[ "$(sha256sum "$LOOP" | cut -d' ' -f1)" = "$before" ] || fail "the suspect volume changed"
# --force still lets a read-write-mounted source be read into a case elsewhere
"$SHODO_BIN" triage "$LOOP" --case "$T/case" --evidence A --force -q >/dev/null 2>"$T/err"
rc=$?; [ $rc -le 1 ] || { cat "$T/err"; fail "--force into another folder: exit $rc"; }
"$SHODO_BIN" image "$LOOP" --case "$T/case" --evidence B --force -q >/dev/null 2>"$T/err" \
	|| { cat "$T/err"; fail "image --force into another folder"; }
ntfs_umount; trap - EXIT
ok "a case folder on a source device is refused, --force or not"
