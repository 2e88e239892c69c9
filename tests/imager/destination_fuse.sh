#!/bin/sh
# The read-back reads the destination's disk, not memory, also when the
# case folder is on a FUSE file system that runs on a block device (ntfs-3g,
# the usual way to write to an NTFS disk, and exfat-fuse), which keeps what it
# wrote in the device's own page cache: the reads that reach the destination
# device during the acquisition (its /sys/block/*/stat) cover the whole image.
# ext4 (a kernel file system) is the control.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, FUSE)"
need mkntfs ntfs-3g; need mkfs.exfat exfatprogs; need mount.exfat-fuse exfat-fuse; need mkfs.ext4 e2fsprogs
head -c $((24 * 1024 * 1024)) /dev/urandom > "$T/src.bin"   # random: the image is as large as the source
L=
cleanup() { umount "$T/mnt" 2>/dev/null; [ -n "$L" ] && losetup -d "$L" 2>/dev/null; }
trap cleanup EXIT
mkdir -p "$T/mnt"
for fs in ntfs-3g exfat-fuse ext4; do
	rm -f "$T/dest.img"; truncate -s 160M "$T/dest.img"
	L=$(losetup -f --show "$T/dest.img") || skip "no loop device"
	case $fs in
	ntfs-3g) mkntfs -q -F -f "$L" >/dev/null 2>&1 && ntfs-3g "$L" "$T/mnt" ;;
	exfat-fuse) mkfs.exfat "$L" >/dev/null 2>&1 && mount.exfat-fuse "$L" "$T/mnt" 2>/dev/null ;;
	ext4) mkfs.ext4 -q "$L" && mount "$L" "$T/mnt" ;;
	esac || fail "$fs: cannot make or mount the destination"
	[ $fs = ext4 ] || grep -q " $T/mnt fuseblk " /proc/mounts || fail "$fs: not a fuseblk mount"
	dev=$(basename "$L")
	r0=$(awk '{print $3}' "/sys/block/$dev/stat")
	shodo image "$T/src.bin" --case "$T/mnt/case" --evidence D --compression none -q || fail "$fs: imaging exit $?"
	r1=$(awk '{print $3}' "/sys/block/$dev/stat")
	img=$(stat -c %s "$T/mnt/case/D/image/D.E01")
	read_bytes=$(( (r1 - r0) * 512 ))
	[ "$read_bytes" -ge "$img" ] || fail "$fs: the read-back read $read_bytes bytes from the destination device, the image is $img"
	[ "$(json_get "$T/mnt/case/D/image/acquisition.json" .verification.result)" = match ] || fail "$fs: verification"
	e01_check "$T/mnt/case/D/image/D.E01" "$T/src.bin"
	umount "$T/mnt" || fail "$fs: umount"
	losetup -d "$L"; L=
	ok "$fs: the read-back read $read_bytes bytes from the destination device for an image of $img"
done
