#!/bin/sh
# write-usb.sh IMAGE DEVICE [--yes] — writes the stick image to a USB stick
# (`make live-usb DEV=/dev/sdX`) and grows its case partition (the exFAT
# SHODO_CASES partition that ends the image) to the end of the stick, so
# that triage results of many PCs fit on it.
#
# Refuses a device that is mounted, holds the running system or is not a
# whole disk; asks for the device name as confirmation unless --yes.  The
# case partition is formatted anew (it is empty in the image).
set -eu
PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
img=${1:-}
dev=${2:-}
yes=${3:-}
die() { echo "shodo: live-usb: $*" >&2; exit 3; }
if [ -z "$img" ] || [ -z "$dev" ]; then echo "usage: make live-usb DEV=/dev/sdX [IMAGE=shodo-live-full.img]" >&2; exit 2; fi
[ "$(id -u)" = 0 ] || die "must run as root"
[ -f "$img" ] || die "no image '$img' (make live-image builds it)"
[ -b "$dev" ] || die "'$dev' is not a block device"
name=$(basename "$(readlink -f "$dev")")
[ -e "/sys/block/$name" ] || die "'$dev' is a partition; name the whole stick (e.g. /dev/sdb)"
if grep -q "^/dev/${name}[0-9p]* " /proc/mounts; then die "'$dev' or one of its partitions is mounted"; fi
if command -v lsblk >/dev/null && lsblk -nro MOUNTPOINT "$dev" 2>/dev/null | grep -qx '/\|/boot\|/boot/efi'; then
	die "'$dev' holds the running system"
fi
isize=$(stat -c %s "$img")
dsize=$(($(cat "/sys/block/$name/size") * 512))
[ "$dsize" -ge "$isize" ] || die "'$dev' ($dsize bytes) is smaller than the image ($isize bytes)"
model=$(cat "/sys/block/$name/device/model" 2>/dev/null || true)
echo "$dev: ${model:-unknown model}, $((dsize / 1000000)) MB, removable=$(cat "/sys/block/$name/removable")"
if [ "$yes" != --yes ]; then
	printf 'Everything on %s will be ERASED. Type the device name to confirm: ' "$dev"
	read -r answer
	[ "$answer" = "$dev" ] || { echo "nothing written"; exit 1; }
fi

echo "writing $img to $dev"
dd if="$img" of="$dev" bs=4M conv=fsync status=progress
blockdev --rereadpt "$dev" 2>/dev/null || partx -u "$dev" 2>/dev/null || true
# partition 3 (the case partition): same start, up to the end of the stick
start=$(partx -g -n 3 -o START "$dev" 2>/dev/null | tr -d ' ')
[ -n "$start" ] || die "no partition 3 (the case partition) on '$dev' after writing"
# on a MiB boundary (flash erase blocks): it is formatted anew anyway
start=$(( (start + 2047) / 2048 * 2048 ))
echo "start=$start, size=+, type=7" | sfdisk -q --no-reread -N 3 "$dev" >/dev/null
blockdev --rereadpt "$dev" 2>/dev/null || true
# kernels that do not scan this device's partitions themselves (loop devices)
partx -u "$dev" 2>/dev/null || true
partx -a "$dev" 2>/dev/null || true
udevadm settle 2>/dev/null || sleep 2
part=
for p in "${name}3" "${name}p3"; do
	# without udev (a container), the node is made from sysfs
	if [ ! -b "/dev/$p" ] && [ -r "/sys/block/$name/$p/dev" ]; then
		mknod "/dev/$p" b "$(cut -d: -f1 "/sys/block/$name/$p/dev")" "$(cut -d: -f2 "/sys/block/$name/$p/dev")"
	fi
	if [ -b "/dev/$p" ]; then part=/dev/$p; fi
done
[ -n "$part" ] || die "no device node for partition 3 of '$dev'"
mkfs.exfat -L SHODO_CASES "$part" >/dev/null
sync
echo "$dev: the shodo stick, with a $(( ($(blockdev --getsize64 "$part")) / 1000000 )) MB SHODO_CASES partition ($part)"
