#!/bin/sh
# Block device sources: a read-only loop device (losetup -r) imaged and
# compared; a device with a partition mounted read-write is refused (exit 3)
# unless --force; a case folder on the source device is refused even then;
# a read-only mount is fine.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
command -v losetup >/dev/null || skip "losetup not available"

fat_disk "$T/disk.img" $((16 * 1024 * 1024 + 9 * 512))
src_hash "$T/disk.img"

# 1. read-only loop device
LOOP=$(losetup -r -f --show "$T/disk.img") || skip "no loop device available"
cleanup() { umount "$T/mnt" 2>/dev/null; [ -n "${LOOP:-}" ] && loop_detach "$LOOP"; [ -n "${LOOP2:-}" ] && loop_detach "$LOOP2"; }
trap cleanup EXIT
shodo image "$LOOP" --case "$T/case" --evidence LOOP --examiner E -q || fail "imaging $LOOP exit $?"
aj="$T/case/LOOP/image/acquisition.json"
[ "$(json_get "$aj" .source.kind)" = device ] || fail "source kind is not device"
[ "$(json_get "$aj" .source.path)" = "$LOOP" ] || fail "source path"
[ "$(json_get "$aj" .hashes.sha256)" = "$SRC_SUM" ] || fail "sha256 of the device"
ewfinfo "$T/case/LOOP/image/LOOP.E01" </dev/null | grep -q "Is physical:.*yes" || fail "E01 does not say physical"
e01_check "$T/case/LOOP/image/LOOP.E01" "$T/disk.img"
ok "1. read-only loop device"
# O_DIRECT reads give the same image
shodo image "$LOOP" --case "$T/case" --evidence DIRECT --direct --format raw -q || fail "--direct exit $?"
cmp "$T/case/DIRECT/image/DIRECT.raw" "$T/disk.img" || fail "--direct raw image differs"
loop_detach "$LOOP"; LOOP=
ok "O_DIRECT reads give the same image"

# 2. a partition mounted read-write (ext2: the kernel here may lack vfat)
need mkfs.ext2 e2fsprogs
rm -f "$T/ext.img"; truncate -s 16M "$T/ext.img"
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$T/ext.img" >/dev/null 2>&1 || fail "sfdisk"
mkfs.ext2 -q -F -E offset=1048576 "$T/ext.img" 15360 >/dev/null 2>&1 || fail "mkfs.ext2"
LOOP2=$(loop_attach "$T/ext.img") || skip "no loop device available"
[ -b "${LOOP2}p1" ] || skip "no partition node for $LOOP2"
mkdir -p "$T/mnt"
mount "${LOOP2}p1" "$T/mnt" 2>/dev/null || skip "cannot mount ext2"
expect_exit 3 shodo image "$LOOP2" --case "$T/case" --evidence RW 2> "$T/err"
grep -q "^shodo: refusing to image '$LOOP2': ${LOOP2}p1 is mounted read-write on '$T/mnt'" "$T/err" || { cat "$T/err"; fail "refusal message"; }
grep -q "^hint: .*--force" "$T/err" || fail "no --force hint"
[ ! -e "$T/case/RW" ] || fail "a refused run created the evidence folder"
ok "2. a partition mounted read-write (ext2: the kernel here may lack vfat)"
# the case folder on the source device: refused even with --force
expect_exit 3 shodo image "$LOOP2" --case "$T/mnt/case" --evidence RW --force 2> "$T/err"
grep -q "the case folder '$T/mnt/case' is on that device" "$T/err" || { cat "$T/err"; fail "destination on source not refused"; }
[ ! -e "$T/mnt/case" ] || fail "something was written to the source device"
ok "the case folder on the source device: refused even with --force"
# --force images it anyway (and says nothing false about consistency)
shodo image "$LOOP2" --case "$T/case" --evidence RWF --force --no-verify -q || fail "--force"
umount "$T/mnt"
# 3. read-only mount is fine
mount -o ro "${LOOP2}p1" "$T/mnt" || fail "ro mount"
shodo image "$LOOP2" --case "$T/case" --evidence RO -q || fail "a read-only mounted source was refused"
umount "$T/mnt"
e01_check "$T/case/RO/image/RO.E01" "$T/ext.img"
src_unchanged "$T/disk.img"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "loop device sources, mount refusals"
