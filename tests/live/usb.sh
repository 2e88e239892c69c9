# make live-usb (live-image/write-usb.sh): the image is written to the stick
# whole, and its case partition grows to the end of the stick, on a MiB
# boundary, as an empty exFAT file system labelled SHODO_CASES; the ISO and
# its UUID (the boot medium's identity) are untouched.  It refuses a
# partition, a mounted device and a stick smaller than the image, and asks
# for the device name.  A loop device stands in for the stick.
. "$SHODO_TOP/tests/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
need xorriso xorriso; need mkfs.exfat exfatprogs; need sfdisk fdisk; need partx util-linux; need blkid util-linux
W=$SHODO_TOP/live-image/write-usb.sh
mkdir -p iso/live && head -c 300000 /dev/urandom > iso/live/filesystem.squashfs
mkimg cases.img 8M && mkfs.exfat -L SHODO_CASES cases.img >/dev/null || fail "mkfs.exfat"
xorriso -as mkisofs -quiet -r -V SHODO --modification-date=2025052001020300 \
	-append_partition 3 0x07 cases.img -o shodo.img iso 2>/dev/null || fail "xorriso"
mkimg usb.img 96M
mkimg tiny.img 4M
DEV=$(loop_attach usb.img) || skip "no loop device"
TINY=$(loop_attach tiny.img) || { loop_detach "$DEV"; skip "no loop device"; }
trap 'umount "$T/m" 2>/dev/null; loop_detach "$DEV"; loop_detach "$TINY"' EXIT

echo nope | sh "$W" shodo.img "$DEV" > no.txt 2>&1; rc=$?
[ $rc = 1 ] && grep -q "nothing written" no.txt || fail "a wrong confirmation must write nothing (exit $rc: $(cat no.txt))"
[ -z "$(blkid -p -o value -s TYPE "$DEV")" ] || fail "the stick was written without confirmation"
expect_exit 3 sh "$W" shodo.img "$TINY" --yes > tiny.txt 2>&1
grep -q "smaller than the image" tiny.txt || fail "tiny stick: $(cat tiny.txt)"

echo "$DEV" | sh "$W" shodo.img "$DEV" > out.txt 2>&1 || { cat out.txt; fail "write-usb.sh exited $?"; }
loop_detach "$DEV"; DEV=$(loop_attach usb.img) || fail "reattach"
[ "$(blkid -p -o value -s UUID "$DEV")" = 2025-05-20-01-02-03-00 ] || fail "the ISO's UUID changed"
start=$(partx -g -n 3 -o START "$DEV" | tr -d ' '); end=$(partx -g -n 3 -o END "$DEV" | tr -d ' ')
[ $((start % 2048)) = 0 ] || fail "the case partition starts at sector $start, not on a MiB boundary"
[ "$start" -ge $(( $(stat -c %s shodo.img) / 512 - 16384 )) ] || fail "the case partition overlaps the ISO"
[ "$end" = $((96 * 2048 - 1)) ] || fail "the case partition ends at $end, not at the end of the stick"
P=$(ls -d "$DEV"p* | tail -n 1)
[ "$(blkid -p -o value -s LABEL "$P")" = SHODO_CASES ] || fail "no SHODO_CASES on $P"
[ "$(blkid -p -o value -s TYPE "$P")" = exfat ] || fail "$P is not exFAT"
# the ISO part of the stick is the image's, byte for byte (but for the
# partition table entry of the case partition in the first sector)
cmp -n 478 shodo.img "$DEV" || fail "the boot code or the ISO's partition entry differs"
cmp -i 512 -n $(( $(partx -g -n 1 -o END "$DEV" | tr -d ' ') * 512 )) shodo.img "$DEV" || fail "the ISO on the stick differs"
ok "make live-usb: image written, case partition $(( (end - start + 1) / 2048 )) MiB to the end of the stick"
