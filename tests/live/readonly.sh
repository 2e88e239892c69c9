# The live system's write protection (live-image/rootfs/usr/lib/shodo/shodo-readonly), run on
# loop devices as udev would run it: evidence disks and their partitions
# become read-only in the kernel; a SHODO_CASES destination stays writable.
. "$SHODO_TOP/tests/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
need sfdisk fdisk; need mkfs.ext4 e2fsprogs; need blockdev util-linux
RO="$SHODO_TOP/live-image/rootfs/usr/lib/shodo/shodo-readonly"
export SHODO_RO_LOG="$T/ro.log" SHODO_RO_ALL=1 SHODO_CMDLINE="$T/cmdline"
echo "BOOT_IMAGE=/live/vmlinuz boot=live" > "$T/cmdline"

# an evidence disk with two partitions
mkimg ev.img 32M
printf 'label: dos\nstart=2048, size=20480, type=7\nstart=22528, type=83\n' | sfdisk -q ev.img >/dev/null
dd if=/dev/urandom of=ev.img bs=1M seek=1 count=8 conv=notrunc status=none
EV=$(loop_attach ev.img) || skip "no loop device"
# a destination disk with a SHODO_CASES partition
mkimg dst.img 32M
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q dst.img >/dev/null
DST=$(loop_attach dst.img) || { loop_detach "$EV"; skip "no loop device"; }
# a disk named on the kernel command line
mkimg kc.img 8M
KC=$(loop_attach kc.img) || { loop_detach "$EV"; loop_detach "$DST"; skip "no loop device"; }
trap 'for d in "$EV" "$DST" "$KC"; do blockdev --setrw "$d" 2>/dev/null; for p in "$d"p*; do [ -b "$p" ] && blockdev --setrw "$p"; done; loop_detach "$d"; done' EXIT
mkfs.ext4 -q -F -L SHODO_CASES "${DST}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
echo "BOOT_IMAGE=/live/vmlinuz boot=live shodo.rw=$(basename "$KC")" > "$T/cmdline"

before=$(sha256sum < "$EV")
# udev runs the helper for the disk and each partition as they appear
for d in "$EV" "${EV}p1" "${EV}p2" "$DST" "${DST}p1" "$KC"; do
	sh "$RO" "$d" || fail "shodo-readonly $d exited $?"
done
for d in "$EV" "${EV}p1" "${EV}p2"; do
	[ "$(blockdev --getro "$d")" = 1 ] || fail "$d is not read-only"
done
ok "udev runs the helper for the disk and each partition as they appear"
# the kernel refuses writes: to the disk and through a partition
if dd if=/dev/zero of="$EV" bs=512 count=1 conv=notrunc status=none 2>/dev/null; then fail "writing $EV succeeded"; fi
if dd if=/dev/zero of="${EV}p2" bs=512 count=1 conv=notrunc,fsync status=none 2>/dev/null; then fail "writing ${EV}p2 succeeded"; fi
# and a file system cannot be mounted read-write from it
if mkfs.ext4 -q -F "${EV}p2" >/dev/null 2>&1; then fail "mkfs on a read-only partition succeeded"; fi
[ "$(sha256sum < "$EV")" = "$before" ] || fail "the evidence disk changed"

for d in "$DST" "${DST}p1" "$KC"; do
	[ "$(blockdev --getro "$d")" = 0 ] || fail "$d should have stayed writable"
done
grep -q "$(basename "$DST")p1 left writable (label SHODO_CASES)" ro.log || fail "log: $(cat ro.log)"
grep -q "$(basename "$DST") left writable (holds SHODO_CASES" ro.log || fail "log: $(cat ro.log)"
grep -q "$(basename "$KC") left writable (shodo.rw)" ro.log || fail "log: $(cat ro.log)"
grep -q "$(basename "$EV")p2 set read-only" ro.log || fail "log: $(cat ro.log)"
ok "and a file system cannot be mounted read-write from it"
# virtual devices are left alone unless asked
SHODO_RO_ALL=0 sh "$RO" "$KC"
grep -q "$(basename "$KC") skipped (virtual)" ro.log || fail "virtual devices must be skipped by default"
ok "live write protection"
