#!/bin/sh
# Block device sources: a read-only loop device (losetup -r) imaged and
# compared, its read-only flag in acquisition.json and the log; a device
# with a partition mounted read-write is refused (exit 3) unless --force;
# a case folder on the source device is refused even then; a read-only
# mount is fine.
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
[ "$(json_get "$aj" .source.reads)" = direct ] || fail "a device is not read with O_DIRECT by default"
grep -q "^Reads: *direct (O_DIRECT" "$T/case/LOOP/image/LOOP.E01.txt" || fail "the log does not say how the device was read"
# losetup -r: the kernel refuses writes to it, and the log says so (a write blocker's record)
[ "$(json_get "$aj" .source.read_only)" = true ] || fail "a read-only device not recorded as read-only"
grep -q "^Read-only: *yes (the kernel refused writes" "$T/case/LOOP/image/LOOP.E01.txt" || fail "the log does not say the device was read-only"
ok "1. read-only loop device"

# 1b. how the device is read, seen at the system calls (the fault injector
# logs every read of the device with its descriptor's O_DIRECT flag):
# past the page cache by default, through it with --buffered; a device that
# refuses O_DIRECT reads (EINVAL) is read buffered, never taken for
# unreadable sectors; unreadable sectors read directly on a device with
# 4 KiB logical sectors are narrowed to those sectors and zero-filled
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
reads_of() { awk '{n[$1] += $3} END {printf "direct=%d buffered=%d", n["direct"], n["buffered"]}' "$1"; }
size=$(stat -c %s "$T/disk.img")
for how in default buffered; do
	rm -f "$T/reads"
	flag=; [ $how = buffered ] && flag=--buffered
	FAULTIO_READ_PATH="$LOOP" FAULTIO_READ_LOG="$T/reads" LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$LOOP" --case "$T/case" --evidence R-$how --format raw $flag -q || fail "$how: exit $?"
	cmp "$T/case/R-$how/image/R-$how.raw" "$T/disk.img" || fail "$how: raw image differs"
	got=$(reads_of "$T/reads")
	case "$how:$got" in
	default:direct=*" buffered=0"|buffered:direct=0" buffered="*) ;;
	*) fail "$how: reads of the device: $got" ;;
	esac
	n=${got#*=}; n=${n%% *}; [ $how = buffered ] && n=${got##*=}
	[ "$n" -ge "$size" ] || fail "$how: only $n of $size bytes read ($got)"
done
[ "$(json_get "$T/case/R-buffered/image/acquisition.json" .source.reads)" = buffered ] || fail "--buffered: reads not recorded"
ok "1b. the device read past the page cache by default (every read O_DIRECT), through it with --buffered"

rm -f "$T/reads"
FAULTIO_READ_PATH="$LOOP" FAULTIO_READ_DIRECT_EINVAL=1 FAULTIO_READ_LOG="$T/reads" LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$LOOP" --case "$T/case" --evidence REFUSED --format raw > "$T/out" 2> "$T/err" \
	|| { cat "$T/err"; fail "a device refusing O_DIRECT: exit $?"; }
! grep -qi "unreadable\|read error" "$T/err" || { cat "$T/err"; fail "a refused O_DIRECT read was taken for a bad sector"; }
cmp "$T/case/REFUSED/image/REFUSED.raw" "$T/disk.img" || fail "a device refusing O_DIRECT: raw image differs"
[ "$(json_get "$T/case/REFUSED/image/acquisition.json" .source.reads)" = buffered ] || fail "refused: reads not recorded as buffered"
[ "$(json_get "$T/case/REFUSED/image/acquisition.json" '.unreadable | length')" = 0 ] || fail "refused: unreadable ranges recorded"
grep -q "^direct " "$T/reads" || fail "refused: O_DIRECT was not tried"
ok "a device that refuses O_DIRECT is read through the page cache, with nothing called unreadable"

# 1c. the disk disconnected mid-run (the fault injector: after 8 MiB of
# reads, 2 of them the free-space estimate's, its reads end and its size
# becomes 0, as the kernel makes a pulled disk's): the run stops with exit 3,
# says where, zero-fills nothing and calls nothing done; with the disk back,
# --resume finishes an image equal to it
# pulled SOURCE ID WHAT: the source pulled after 8 MiB of reads, then resumed
pulled() {
	FAULTIO_READ_PATH="$1" FAULTIO_READ_GONE_AFTER=$((8 * 1024 * 1024)) LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$1" --case "$T/case" --evidence "$2" > "$T/out" 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; fail "$3 pulled mid-run: expected exit 3, got $rc"; }
	grep -q "^shodo: the source '$1' is gone at offset [1-9][0-9]* of $size: it was disconnected" "$T/err" \
		|| { cat "$T/err"; fail "$3 pulled mid-run: no message saying so"; }
	grep -q "^hint: .*reconnect the source and run the same command with --resume" "$T/err" || { cat "$T/err"; fail "$3: hint"; }
	! grep -qi "unreadable\|zero-filled in the image\|read error" "$T/err" || { cat "$T/err"; fail "$3: the rest was taken for unreadable sectors"; }
	d="$T/case/$2/image"
	[ ! -e "$d/acquisition.json" ] || fail "$3: the acquisition was called done"
	[ -f "$d/$2.state.json" ] || fail "$3: no state file to resume from"
	[ "$(json_get "$d/$2.state.json" '.unreadable | length')" = 0 ] || fail "$3: unreadable ranges in the state"
	shodo image "$1" --case "$T/case" --evidence "$2" --resume -q || fail "$3: resume exit $?"
	e01_check "$d/$2.E01" "$T/disk.img"
	[ "$(json_get "$d/acquisition.json" .hashes.sha256)" = "$SRC_SUM" ] || fail "$3: resumed sha256"
	[ "$(json_get "$d/acquisition.json" '.unreadable | length')" = 0 ] || fail "$3: resumed image has unreadable ranges"
}
pulled "$LOOP" GONE "a disk"
ok "a disk disconnected mid-run: stopped with exit 3, nothing zero-filled; --resume finishes it"

# the same for an image file on a disk that was disconnected: the file keeps
# its size (its inode is in memory) while its reads end; the disk's node in
# /sys/dev/block is gone (the injector hides it once the reads have ended)
pulled "$T/disk.img" GONEF "an image file's disk"
ok "an image file on a disk disconnected mid-run: the same stop, and the resume"
loop_detach "$LOOP"; LOOP=

# 4 KiB logical sectors, read directly, two ranges unreadable: whole 4 KiB
# sectors are lost (the one holding byte 1050112, and 40 KiB at 8372224)
head -c $((16 * 1024 * 1024)) "$T/disk.img" > "$T/disk4k.img"
LOOP=$(losetup -r -b 4096 -f --show "$T/disk4k.img" 2>/dev/null) || skip "losetup cannot make a 4 KiB-sector loop device"
[ "$(blockdev --getss "$LOOP")" = 4096 ] || fail "the loop device has $(blockdev --getss "$LOOP")-byte sectors"
cp "$T/disk4k.img" "$T/expect4k.img"
dd if=/dev/zero of="$T/expect4k.img" bs=4096 seek=256 count=1 conv=notrunc 2>/dev/null
dd if=/dev/zero of="$T/expect4k.img" bs=4096 seek=2044 count=10 conv=notrunc 2>/dev/null
for fmt in raw e01; do
	rm -f "$T/reads"
	FAULTIO_READ_PATH="$LOOP" FAULTIO_READ_BAD="1050112:512,8372224:40960" FAULTIO_READ_LOG="$T/reads" \
		LD_PRELOAD="$FIO" "$SHODO_BIN" image "$LOOP" --case "$T/case" --evidence K4-$fmt --format $fmt \
		--retries 0 > "$T/out" 2> "$T/err"
	rc=$?
	[ $rc -eq 1 ] || { cat "$T/err"; fail "4K $fmt: expected exit 1, got $rc"; }
	grep -q "^shodo: image: 45056 bytes in 2 ranges were unreadable" "$T/err" || { cat "$T/err"; fail "4K $fmt: loss"; }
	! grep -q "^buffered " "$T/reads" || fail "4K $fmt: buffered reads of the device"
	aj="$T/case/K4-$fmt/image/acquisition.json"
	[ "$(json_get "$aj" '[.unreadable[] | "\(.offset):\(.length)"] | join(",")')" = "1048576:4096,8372224:40960" ] \
		|| fail "4K $fmt: unreadable ranges $(json_get "$aj" .unreadable)"
	[ "$(json_get "$aj" .source.sector_size)" = 4096 ] || fail "4K $fmt: sector size"
done
cmp "$T/case/K4-raw/image/K4-raw.raw" "$T/expect4k.img" || fail "4K raw: image differs"
ewfinfo "$T/case/K4-e01/image/K4-e01.E01" </dev/null > "$T/info" || fail "4K ewfinfo"
rm -f "$T/export.raw"
ewfexport -u -q -f raw -S 0 -t "$T/export" "$T/case/K4-e01/image/K4-e01.E01" </dev/null >/dev/null 2>&1 || fail "4K ewfexport"
cmp "$T/export.raw" "$T/expect4k.img" || fail "4K e01: ewfexport differs"
grep -q "Bytes per sector:[[:space:]]*4096" "$T/info" || { cat "$T/info"; fail "4K e01: the E01 does not say 4096 bytes per sector"; }
loop_detach "$LOOP"; LOOP=
ok "4 KiB sectors read directly: unreadable ones narrowed to the sector and zero-filled (raw, E01)"

# a disk with 4 KiB sectors counts its partition table in 4 KiB units: an
# ext2 partition at sector 256 (1 MiB) is found in the E01 (ewfinfo, mmls,
# fls) and by triage of the device, of the E01 and of the raw image file
# (which does not say its sector size: the MBR is read again in 4 KiB units)
need mkfs.ext2 e2fsprogs
truncate -s 32M "$T/mbr4k.img"
LOOP=$(losetup -b 4096 -f --show "$T/mbr4k.img") || fail "losetup -b 4096"
printf 'label: dos\nstart=256, type=83\n' | sfdisk -q "$LOOP" >/dev/null 2>&1 || fail "sfdisk on the 4 KiB device"
loop_detach "$LOOP"
LOOP=$(loop_attach -b 4096 "$T/mbr4k.img") || fail "losetup -b 4096 -P"
[ -b "${LOOP}p1" ] || skip "no partition node for $LOOP"
mkfs.ext2 -q -F "${LOOP}p1" >/dev/null 2>&1 || fail "mkfs.ext2 on ${LOOP}p1"
mkdir -p "$T/mnt"
mount "${LOOP}p1" "$T/mnt" || fail "mount ${LOOP}p1"
cp "$T/files/README.TXT" "$T/mnt/" && umount "$T/mnt" || fail "copy onto ${LOOP}p1"
loop_detach "$LOOP"; LOOP=
LOOP=$(losetup -r -b 4096 -f --show "$T/mbr4k.img") || fail "losetup -r -b 4096"
shodo image "$LOOP" --case "$T/case" --evidence MBR4K -q || fail "4K MBR: imaging exit $?"
e01="$T/case/MBR4K/image/MBR4K.E01"
e01_check "$e01" "$T/mbr4k.img"
ewfinfo "$e01" </dev/null | grep -q "Bytes per sector:[[:space:]]*4096" || fail "4K MBR: E01 bytes per sector"
mmls "$e01" > "$T/mmls" 2>&1 || { cat "$T/mmls"; fail "4K MBR: mmls of the E01"; }
grep -q "Units are in 4096-byte sectors" "$T/mmls" || { cat "$T/mmls"; fail "4K MBR: mmls units"; }
grep -q "^002: *000:000 *0000000256 .*Linux (0x83)" "$T/mmls" || { cat "$T/mmls"; fail "4K MBR: partition not at 4 KiB sector 256"; }
fls -o 256 "$e01" | grep -q "README.TXT" || fail "4K MBR: fls of the E01's partition lists no README.TXT"
for what in device E01 raw; do
	src=$LOOP; [ $what = E01 ] && src=$e01; [ $what = raw ] && src=$T/mbr4k.img
	shodo triage "$src" --case "$T/case" --evidence TRI4K-$what -q || fail "4K MBR: triage of the $what exit $?"
	grep -q "collect: p1@1048576: ext2" "$T/case/TRI4K-$what/triage/triage.log" \
		|| { grep collect "$T/case/TRI4K-$what/triage/triage.log"; fail "4K MBR: triage of the $what did not find the partition at 1 MiB"; }
done
loop_detach "$LOOP"; LOOP=
ok "a disk with 4 KiB sectors: the E01 records them, mmls and fls find its partition, triage reads device, E01 and raw image"

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
grep -q "the case folder '$T/mnt/case' is on that disk" "$T/err" || { cat "$T/err"; fail "destination on source not refused"; }
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
[ "$(json_get "$T/case/RO/image/acquisition.json" .source.read_only)" = false ] || fail "a writable device recorded as read-only"
grep -q "^Read-only: *no (the kernel would have accepted writes" "$T/case/RO/image/RO.E01.txt" || fail "the log does not say the device was writable"
loop_detach "$LOOP2"; LOOP2=

# 4. the source is the first partition, the case folder on the second
# partition of the same disk: still the evidence disk, refused by image and
# triage even with --force, and nothing is written there
rm -f "$T/two.img"; truncate -s 48M "$T/two.img"
printf 'label: dos\nstart=2048, size=32768, type=83\nstart=34816, type=83\n' | sfdisk -q "$T/two.img" >/dev/null 2>&1 || fail "sfdisk two"
LOOP2=$(loop_attach "$T/two.img") || skip "no loop device available"
[ -b "${LOOP2}p2" ] || skip "no partition nodes for $LOOP2"
mkfs.ext2 -q "${LOOP2}p1" && mkfs.ext2 -q "${LOOP2}p2" || fail "mkfs.ext2 on $LOOP2"
mount "${LOOP2}p2" "$T/mnt" || fail "mount ${LOOP2}p2"
ls -A "$T/mnt" > "$T/p2.before"
expect_exit 3 shodo image "${LOOP2}p1" --case "$T/mnt/case" --evidence P1 --force 2> "$T/err"
grep -q "^shodo: refusing to image '${LOOP2}p1': the case folder '$T/mnt/case' is on that disk" "$T/err" \
	|| { cat "$T/err"; fail "a case folder on the source partition's disk was not refused"; }
expect_exit 3 shodo triage "${LOOP2}p1" --case "$T/mnt/case" --evidence P1T --force 2> "$T/err"
grep -q "^shodo: refusing to triage '${LOOP2}p1': the case folder '$T/mnt/case' is on that disk" "$T/err" \
	|| { cat "$T/err"; fail "triage: a case folder on the source partition's disk was not refused"; }
ls -A "$T/mnt" > "$T/p2.after"
cmp -s "$T/p2.before" "$T/p2.after" || fail "something was written to the source's disk"
umount "$T/mnt"
loop_detach "$LOOP2"; LOOP2=
ok "a case folder on another partition of the source's disk: refused (image, triage, even with --force)"

src_unchanged "$T/disk.img"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "loop device sources, mount refusals"
