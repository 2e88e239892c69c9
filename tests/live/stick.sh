# timeout: 5400
# The stick, booted: the lite image in QEMU (TCG) as a USB stick, once with
# BIOS (SeaBIOS) and once with UEFI (OVMF), beside two suspect disks built
# here (SATA with MBR: NTFS holding a real SYSTEM hive + ext4; NVMe with GPT:
# ext4 + NTFS with another SYSTEM hive) and a USB destination drive labelled
# SHODO_CASES.
#   BIOS: the menu counts down, the default entry boots with no key press;
#     the front end is on tty1 (its screen read through /dev/vcs1), a root
#     shell on tty2; the stick is flagged as boot medium and never a source,
#     the squashfs loop device as live system; the stick's boot and EFI
#     partitions are read-only, its case partition writable, and
#     shodo-unlock refuses all of them; every suspect disk and partition is
#     read-only in the kernel and writes to them fail; so is a USB disk
#     hot-plugged through the QEMU monitor; /etc/shodo-release is in `shodo
#     --version`.  Last, auto = triage,image goes into shodo.conf on the
#     stick's case partition, as a responder sets it once for all PCs.
#   UEFI: the menu's "copied to RAM (toram)" entry (its hotkey over the
#     serial console): the stick is still flagged and not a source, the
#     unattended triage + image (from shodo.conf, with case number and
#     examiner) takes the two suspect disks only: DONE on tty1 with the host
#     names and hashes; the PC powers off when the stick is pulled
#     (device_del).
# Then, from the host: the case folder on the stick's own case partition
# (exFAT) passes `shodo verify` and names both hosts, its triage.log the
# stick's shodo and Debian archive; the E01s on the destination pass
# ewfverify and hold the MD5 of the suspect disk files, their acquisition
# logs name the stick; the image's mirrors came from the apt configuration
# and its work folder is gone (when built in this run); the
# sha256 of every suspect disk file (and the hot-plugged one) is unchanged.
#
# The image is built (live-image/build.sh --variant lite) when no image for
# the same inputs is in $SHODO_LIVE_CACHE (default /var/cache/shodo-live):
# the source files (not tests/, bench/, .ci/ or *.md) and this machine's
# apt sources.
# SHODO_LIVE_IMAGE=FILE boots that image instead (e.g. the full variant).
#
# It takes half an hour or more (the build, two emulated boots), so a plain
# `make check` runs it only with SHODO_LIVE_TEST=1, which `make check-all`
# (the README's test command, what CI runs) and `make live-test` set.  Under
# `make check-asan` it passes at once when the same inputs already passed:
# the stick carries the ordinary build, no sanitizer.
. "$SHODO_TOP/tests/lib/common.sh"
[ "${SHODO_LIVE_TEST:-0}" = 1 ] ||
	skip "the stick's boot test (builds the lite image, boots it twice in QEMU: 30 min or more) runs in make check-all, make live-test or with SHODO_LIVE_TEST=1"
[ "$(id -u)" = 0 ] || skip "building and checking the stick needs root (debootstrap, loop devices)"
need qemu-system-x86_64 qemu-system-x86; need python3 python3; need ewfverify ewf-tools; need ewfinfo ewf-tools
need mkntfs ntfs-3g; need sfdisk fdisk; need mkfs.ext4 e2fsprogs; need debugfs e2fsprogs
need mount.exfat-fuse exfat-fuse; need debootstrap debootstrap; need mksquashfs squashfs-tools; need xorriso xorriso
need_corpus
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
[ -f "$OVMF_CODE" ] || skip "no OVMF firmware (Debian package ovmf)"
[ -d /usr/lib/grub/i386-pc ] && [ -d /usr/lib/grub/x86_64-efi ] || skip "GRUB images (grub-pc-bin, grub-efi-amd64-bin)"

# --- the image, built once per set of inputs ----------------------------------
cache=${SHODO_LIVE_CACHE:-/var/cache/shodo-live}
mkdir -p "$cache"
key=$( { cd "$SHODO_TOP" && git ls-files -co --exclude-standard -z -- . ':!tests' ':!bench' ':!.ci' ':!*.md' |
	xargs -0 sha256sum
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null; } |
	sha256sum | cut -c1-16)
img=$cache/test-lite-$key.img
if [ "$(basename "${SHODO_BUILD:-build}")" = build-asan ] && [ -f "$img.passed" ] && [ -z "${SHODO_LIVE_IMAGE:-}" ]; then
	ok "the stick built from these inputs passed its boot test on $(cat "$img.passed")"
	exit 0
fi
t0=$(date +%s)
exec 9> "$cache/.test-image.lock"
flock 9
if [ -n "${SHODO_LIVE_IMAGE:-}" ]; then
	img=$SHODO_LIVE_IMAGE
	echo "booting $img"
elif [ ! -f "$img" ]; then
	deb=${SHODO_LIVE_DEB:-}
	if [ -z "$deb" ]; then
		make -C "$SHODO_TOP" --no-print-directory deb BUILD=build > make-deb.log 2>&1 || { cat make-deb.log; fail "make deb"; }
		deb=$(ls "$SHODO_TOP"/build/deb/shodo_*.deb)
	fi
	sh "$SHODO_TOP/live-image/build.sh" --variant lite --deb "$deb" "$img.tmp" > build.log 2>&1 ||
		{ tail -n 30 build.log; rm -f "$img.tmp" "$img.tmp.packages"; fail "building the lite image"; }
	rm -f "$cache"/test-lite-*.img "$cache"/test-lite-*.img.packages "$cache"/test-lite-*.img.passed
	mv "$img.tmp.packages" "$img.packages" && mv "$img.tmp" "$img"
	echo "built $img in $(( $(date +%s) - t0 )) s: $(tail -n 2 build.log | head -n 1)"
	# the mirrors came from this machine's apt configuration; the work folder is gone
	sh "$SHODO_TOP/live-image/build.sh" --mirrors > mirrors.txt || fail "build.sh --mirrors"
	m=$(awk '$1 == "mirror" { print $2 }' mirrors.txt) s=$(awk '$1 == "security" { print $2 }' mirrors.txt)
	grep -qF "mirror $m, security $s" build.log || fail "the build did not use the apt configuration's mirrors ($m, $s): $(head -n 1 build.log)"
	w=$(sed -n 's/^live-image: work folder \(.*\) (removed at the end)$/\1/p' build.log)
	[ -n "$w" ] && [ ! -e "$w" ] || fail "the build's work folder '$w' was left behind"
	ok "the lite image built from the Debian and security mirrors of the apt configuration ($m, $s), its work folder removed"
else
	echo "reusing $img (same inputs)"
fi
flock -u 9

# --- the disks ---------------------------------------------------------------------
cp --sparse=always "$img" stick.img
# partition N of a disk image file: "START SIZE" in bytes
part_of() { sfdisk -J "$1" | python3 -c "
import json, sys
t = json.load(sys.stdin)['partitiontable']
p = [x for x in t['partitions'] if x['node'].endswith(str($2))][0]
print(p['start'] * 512, p['size'] * 512)"; }
set -- $(part_of stick.img 3)
CASES_OFF=$1 CASES_SIZE=$2
# the case number and examiner for the unattended run, as a responder sets them
L=$(losetup -f --show -o "$CASES_OFF" --sizelimit "$CASES_SIZE" stick.img) || skip "no loop device"
mkdir -p cm && mount.exfat-fuse "$L" cm || { losetup -d "$L"; fail "cannot mount the stick's case partition"; }
printf 'case = CI-0042\nexaminer = K. Tanaka\nafter = wait\n' > cm/shodo.conf
umount cm; losetup -d "$L"

# ntfs_part FILE START_SECTOR SECTORS HIVE: NTFS with Windows/System32/config/SYSTEM
ntfs_part() {
	L=$(losetup -f --show -o $(($2 * 512)) --sizelimit $(($3 * 512)) "$1") || skip "no loop device"
	mkntfs -q -F -f "$L" >/dev/null 2>&1 || { losetup -d "$L"; fail "mkntfs"; }
	mkdir -p nm && ntfs-3g "$L" nm || { losetup -d "$L"; skip "ntfs-3g mount failed (FUSE unavailable?)"; }
	mkdir -p nm/Windows/System32/config nm/Users/Public
	cp "$4" nm/Windows/System32/config/SYSTEM
	echo "evidence on $1" > nm/Users/Public/note.txt
	sync; umount nm; losetup -d "$L"
}
# ext4_part FILE START_SECTOR SECTORS: ext4 with a few files, written without mounting
ext4_part() {
	rm -rf ed && mkdir -p ed/home && echo "linux data on $1" > ed/home/readme
	mkimg e.img $(($3 * 512)) && mkfs.ext4 -q -F -d ed e.img >/dev/null 2>&1 || fail "mkfs.ext4 -d"
	dd if=e.img of="$1" bs=512 seek="$2" conv=notrunc,sparse status=none
}
mkimg suspect1.img 64M
printf 'label: dos\nstart=2048, size=81920, type=7\nstart=83968, type=83\n' | sfdisk -q suspect1.img >/dev/null || fail "sfdisk"
ntfs_part suspect1.img 2048 81920 "$CORPUS/hives/przetom/SYSTEM"
ext4_part suspect1.img 83968 $((131072 - 83968))
mkimg suspect2.img 48M
printf 'label: gpt\nstart=2048, size=16384, type=0FC63DAF-8377-4AE4-8E47-7D9AA0C9A4F4\nstart=18432, size=77824, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' |
	sfdisk -q suspect2.img >/dev/null || fail "sfdisk gpt"
ext4_part suspect2.img 2048 16384
ntfs_part suspect2.img 18432 77824 "$CORPUS/hives/regipy/SYSTEM"
HOST1=$(shodo parse --tables host "$CORPUS/hives/przetom/SYSTEM" | awk '$1 == "computer_name" { print $2 }')
HOST2=$(shodo parse --tables host "$CORPUS/hives/regipy/SYSTEM" | awk '$1 == "computer_name" { print $2 }')
[ -n "$HOST1" ] && [ -n "$HOST2" ] || fail "no computer names in the corpus hives"
mkimg hot.img 16M
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q hot.img >/dev/null && ext4_part hot.img 2048 30720
# the destination drive, prepared in the lab: ext4 labelled SHODO_CASES
mkimg dest.img 512M
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q dest.img >/dev/null
mkimg d.img $((1046528 * 512)) && mkfs.ext4 -q -F -L SHODO_CASES d.img >/dev/null 2>&1 &&
	dd if=d.img of=dest.img bs=1M seek=1 conv=notrunc,sparse status=none && rm -f d.img e.img || fail "destination"
for f in suspect1 suspect2 hot; do sha256 $f.img > $f.sha256; done

# --- the two boots ----------------------------------------------------------------
cp "$OVMF_VARS" ovmf_vars.fd
python3 -B "$SHODO_TOP/tests/live/boot.py" "$T" "$OVMF_CODE" "$T/ovmf_vars.fd" "$HOST1" "$HOST2" ||
	{ for f in *.serial.log; do echo "---- $f (end)"; tail -c 3000 "$f" | tr -d '\033'; done; fail "boot checks"; }

# --- from the host: the suspects, the stick's case folder, the images -------------
for f in suspect1 suspect2 hot; do
	[ "$(sha256 $f.img)" = "$(cat $f.sha256)" ] || fail "$f.img changed while the stick ran"
done
ok "the suspect disk files (and the hot-plugged one) are unchanged (sha256)"
L=$(losetup -f --show -r -o "$CASES_OFF" --sizelimit "$CASES_SIZE" stick.img) || skip "no loop device"
mount.exfat-fuse -o ro "$L" cm || { losetup -d "$L"; fail "cannot mount the stick's case partition"; }
trap 'umount "$T/cm" 2>/dev/null; losetup -d "$L" 2>/dev/null' EXIT
ID1=$HOST1-SUSPECT1 ID2=$HOST2-SUSPECT2
for id in "$ID1" "$ID2"; do
	[ -f "cm/CI-0042/$id/triage/manifest.jsonl" ] || fail "no triage of $id on the stick: $(ls -R cm | head -n 40)"
	grep -q '"category": *"registry"' "cm/CI-0042/$id/triage/manifest.jsonl" || fail "$id: the SYSTEM hive was not collected"
done
ls cm/CI-0042/auto/*.log >/dev/null 2>&1 || fail "no unattended-run log in the case folder"
grep -q "result: DONE" cm/CI-0042/auto/*.log || fail "the run log does not end in DONE"
shodo verify cm/CI-0042 > verify.txt 2>&1 || { cat verify.txt; fail "shodo verify of the stick's case folder"; }
grep -q '"examiner": *"K. Tanaka"' cm/CI-0042/case.json || fail "case.json: $(cat cm/CI-0042/case.json)"
# the stick's record of itself, read from the image with xorriso
xorriso -osirrox on -indev "$img" -extract /live/shodo-release release.txt >/dev/null 2>&1 &&
	grep -q "^SHODO_VERSION=" release.txt || fail "no /live/shodo-release in the image"
STICK_VER=$(sed -n 's/^SHODO_VERSION=//p' release.txt) SNAP=$(sed -n 's/^DEBIAN_SNAPSHOT=//p' release.txt)
VARIANT=$(sed -n 's/^SHODO_LIVE_VARIANT=//p' release.txt)
[ -n "${SHODO_LIVE_IMAGE:-}" ] || [ "$VARIANT" = lite ] || fail "the test's own image is the '$VARIANT' variant, not lite"
for id in "$ID1" "$ID2"; do
	grep -qF "running on: shodo stick $STICK_VER ($VARIANT), Debian" "cm/CI-0042/$id/triage/triage.log" &&
		grep -qF "archive of $SNAP" "cm/CI-0042/$id/triage/triage.log" ||
		fail "$id: triage.log does not name the stick: $(head -n 3 "cm/CI-0042/$id/triage/triage.log")"
done
ok "triage case folder on the stick's own case partition, verified, evidence IDs $ID1 and $ID2; triage.log names shodo $STICK_VER and the Debian archive of $SNAP"
umount cm; losetup -d "$L"

set -- $(part_of dest.img 1)
L=$(losetup -f --show -r -o "$1" --sizelimit "$2" dest.img) || skip "no loop device"
trap 'losetup -d "$L" 2>/dev/null' EXIT
n=0
for pair in "$ID1:suspect1" "$ID2:suspect2"; do
	id=${pair%%:*} f=${pair#*:}
	rm -rf e01 && mkdir e01
	for seg in $(debugfs -R "ls -p /CI-0042/$id/image" "$L" 2>/dev/null | awk -F/ '$6 ~ /\.E[0-9][0-9]$/ { print $6 }'); do
		debugfs -R "dump /CI-0042/$id/image/$seg e01/$seg" "$L" >/dev/null 2>&1
	done
	[ -f "e01/$id.E01" ] || fail "no E01 of $id on the destination"
	debugfs -R "dump /CI-0042/$id/image/$id.E01.txt e01/log.txt" "$L" >/dev/null 2>&1
	grep -qF "Running on:             shodo stick $STICK_VER ($VARIANT), Debian" e01/log.txt && grep -qF "archive of $SNAP" e01/log.txt ||
		fail "$id: the acquisition log does not name the stick: $(head -n 5 e01/log.txt)"
	ewfverify -q "e01/$id.E01" > ewfverify.txt 2>&1 || { cat ewfverify.txt; fail "ewfverify $id.E01"; }
	want=$(md5sum < $f.img | cut -d' ' -f1)
	got=$(ewfinfo "e01/$id.E01" | sed -n 's/^[[:space:]]*MD5:[[:space:]]*//p' | head -n 1)
	[ "$got" = "$want" ] || fail "$id.E01 holds MD5 '$got', the disk file has '$want'"
	n=$((n + 1))
done
ok "$n E01 images on the destination pass ewfverify and hold the suspect disks' MD5; their acquisition logs name the stick"
[ -n "${SHODO_LIVE_IMAGE:-}" ] || date -u +%Y-%m-%dT%H:%M:%SZ > "$img.passed"
echo "time: $(( $(date +%s) - t0 )) s in all"
