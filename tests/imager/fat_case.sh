#!/bin/sh
# Mistake: a case disk formatted FAT (many USB disks of 32 GB or less),
# which holds files of up to 4 GiB - 1 byte.  An image whose files would be
# larger (a raw image in one file, or E01 segments over 4095M) is refused
# before anything is written, with the hint, and --force does not change
# that; before, the run failed with EFBIG at 4 GiB, and again on every
# resume.  The default (E01 in 2 GiB segments) and raw segments of 4095M
# are allowed.  FAT is what statfs says (the fault injector says it, since
# the kernel of a test machine may lack vfat).
. "$SHODO_TOP/tests/lib/common.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
truncate -s 5G "$T/src.raw"
mkdir "$T/fat"
fat() { FAULTIO_STATFS_FAT="$T/fat" LD_PRELOAD="$FIO" "$@"; }

for args in "--format raw" "--format raw --force" "--segment-size 5G" "--segment-size 4G --force"; do
	# shellcheck disable=SC2086
	fat "$SHODO_BIN" image "$T/src.raw" --case "$T/fat/case" --evidence E $args 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; fail "$args: exit $rc, expected 3"; }
	grep -q "^shodo: the case folder '$T/fat/case' is on FAT, which holds files of up to 4 GiB - 1 byte" "$T/err" ||
		{ cat "$T/err"; fail "$args: no message naming FAT"; }
	grep -q "^hint: use --segment-size 2G" "$T/err" || { cat "$T/err"; fail "$args: no hint"; }
	[ ! -e "$T/fat/case/E" ] || { find "$T/fat/case/E"; fail "$args: the evidence's folder was made"; }
done
ok "FAT case folder: images with files over 4 GiB - 1 refused before its folder is made (also with --force)"

# what FAT can hold is taken: the run starts (and is stopped with Ctrl-C
# after 2 s: the source is 5 GiB)
for args in "" "--format raw --segment-size 4095M"; do
	# shellcheck disable=SC2086
	fat timeout -s INT 2 "$SHODO_BIN" image "$T/src.raw" --case "$T/fat/case" --evidence E $args --no-verify -q 2> "$T/err"
	! grep -q "is on FAT" "$T/err" || { cat "$T/err"; fail "'$args' refused on FAT"; }
	[ -d "$T/fat/case/E/image" ] || { cat "$T/err"; fail "'$args' on FAT: the image was not begun"; }
	rm -rf "$T/fat/case/E"
done
ok "FAT case folder: E01 in 2 GiB segments (the default) and raw in 4095M segments are begun"
