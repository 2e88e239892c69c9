#!/bin/sh
# Builds the shodo live USB image (amd64, Debian 12, BIOS and UEFI) with
# Debian's live-build.  Run as root on Debian 12 with access to a Debian
# mirror:   sh live-image/build.sh [OUTPUT.img]
# Write the result to a stick with:   dd if=shodo-live.img of=/dev/sdX bs=4M conv=fsync
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${1:-$top/shodo-live.img}
work=${SHODO_LIVE_WORK:-$(mktemp -d /var/tmp/shodo-live.XXXXXX)}
mirror=${SHODO_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" = 0 ] || { echo "shodo: live-image: must run as root" >&2; exit 3; }
command -v lb >/dev/null || apt-get install -y -qq live-build
cd "$work"
lb config \
	--distribution bookworm --architectures amd64 \
	--binary-images iso-hybrid --bootloaders "syslinux,grub-efi" \
	--archive-areas "main contrib non-free-firmware" \
	--mirror-bootstrap "$mirror" --mirror-binary "$mirror" \
	--bootappend-live "boot=live components quiet noautomount nofstab noswap toram" \
	--iso-volume "SHODO" --iso-application "shodo first response" \
	--memtest none --apt-recommends false
cp -a "$here/config/." config/
mkdir -p config/includes.chroot/usr/src/shodo
# the source tree, without build output or case folders
(cd "$top" && git ls-files -z | xargs -0 tar cf -) | tar xf - -C config/includes.chroot/usr/src/shodo
lb build
mv live-image-amd64.hybrid.iso "$out"
echo "shodo live image: $out ($(du -h "$out" | cut -f1))"
