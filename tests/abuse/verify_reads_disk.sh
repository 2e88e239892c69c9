#!/bin/sh
# Mistake: checking a copy right after making it.  A case folder copied onto
# a disk that does not keep what it is given (failing, or a counterfeit stick)
# still reads back right from the copy the kernel holds in memory.  shodo
# verify reads what the disk holds: the disk is a loop device over a file,
# and after the copy (synced) one block of the image is changed in that file,
# under the file system, as a disk that lost it would.  shodo verify of the
# case folder and of the image report the damage (exit 1) although the page
# cache still held the right bytes; sha256sum -c, reading the page cache,
# does not see it.  On ntfs-3g (FUSE on the device), the verification reads
# the whole image from the device.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
[ "$(id -u)" = 0 ] || skip "needs root (loop devices)"
need mkfs.ext4 e2fsprogs; need filefrag e2fsprogs; need mkntfs ntfs-3g
head -c $((6 * 1024 * 1024)) /dev/urandom > "$T/src.bin"
shodo image "$T/src.bin" --case "$T/case" --evidence X --compression none -q || fail "imaging exit $?"
L=
cleanup() { umount "$T/mnt" 2>/dev/null; [ -n "$L" ] && losetup -d "$L" 2>/dev/null; }
trap cleanup EXIT
mkdir -p "$T/mnt"

# ext4: the copy, then one block of X.E01 changed on the "disk" under it
truncate -s 64M "$T/disk.img"
L=$(losetup -f --show "$T/disk.img") || skip "no loop device"
mkfs.ext4 -q -b 4096 "$L" && mount "$L" "$T/mnt" || fail "ext4 on $L"
cp -a "$T/case" "$T/mnt/case" && sync || fail "copy"
e01="$T/mnt/case/X/image/X.E01"
blk=$(filefrag -v -b4096 "$e01" | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4 }')
[ -n "$blk" ] || fail "no extent for X.E01"
# 1 MiB into the file: chunk data, well past the headers
dd if=/dev/urandom of="$T/disk.img" bs=4096 seek=$((blk + 256)) count=1 conv=notrunc status=none || fail "dd"
(cd "$T/mnt/case" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1 && cached=1 || cached=0
expect_exit 1 shodo verify "$T/mnt/case" 2> "$T/err"
grep -q "X/image/X.E01" "$T/err" || { cat "$T/err"; fail "the damaged segment is not named"; }
expect_exit 1 shodo verify "$e01" 2> "$T/err"
umount "$T/mnt"; losetup -d "$L"; L=
ok "ext4: a block the disk lost under the file system is found by shodo verify (sha256sum -c read the cache: $([ $cached = 1 ] && echo passed || echo failed))"

# ntfs-3g: the verification reads the image from the device
rm -f "$T/disk.img"; truncate -s 64M "$T/disk.img"
L=$(losetup -f --show "$T/disk.img") || skip "no loop device"
mkntfs -q -F -f "$L" >/dev/null 2>&1 && ntfs-3g "$L" "$T/mnt" || fail "ntfs-3g on $L"
cp -a "$T/case" "$T/mnt/case" && sync || fail "copy onto ntfs-3g"
dev=$(basename "$L")
r0=$(awk '{print $3}' "/sys/block/$dev/stat")
shodo verify "$T/mnt/case/X/image/X.E01" -q || fail "ntfs-3g: verify exit $?"
r1=$(awk '{print $3}' "/sys/block/$dev/stat")
img=$(stat -c %s "$T/mnt/case/X/image/X.E01")
[ $(( (r1 - r0) * 512 )) -ge "$img" ] || fail "ntfs-3g: verify read $(( (r1 - r0) * 512 )) bytes from the device, the image is $img"
ok "ntfs-3g: shodo verify read the whole image from the device"
