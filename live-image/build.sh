#!/bin/sh
# build.sh — builds the shodo stick: a hybrid image (BIOS and UEFI; write it
# to a USB stick with dd, or boot it as a CD) of Debian 12 with shodo inside.
#
#   sh live-image/build.sh --deb build/deb/shodo_*.deb [--variant full|lite] OUTPUT.img
#   (`make live-image` builds the package and runs this; run as root)
#
# Variants: full (default) is for real hardware and carries the non-free
# firmware of storage, USB and graphics controllers (packages/full.list);
# lite leaves it out (CI, virtual machines).
#
# How: debootstrap a minimal Debian 12 root, install packages/base.list
# (+ full.list) and the shodo package, add rootfs/ (write protection, the
# front end on tty1, unattended runs), compress it into a squashfs (zstd) that
# live-boot mounts at boot, and put it with the kernel and GRUB (BIOS and
# EFI images made by grub-mkimage) into an ISO 9660 image with xorriso.  The
# image ends with an exFAT partition labelled SHODO_CASES: the stick's own
# case partition (`make live-usb` grows it to the end of the stick).
#
# Mirrors: the Debian and security archives named in this machine's apt
# configuration (/etc/apt/sources.list, /etc/apt/sources.list.d/); nothing is
# fetched from anywhere else.  The debootstrap + package stage is cached in
# $SHODO_LIVE_CACHE (default /var/cache/shodo-live), keyed on the package
# lists, the mirrors and this script's version of that stage; a cached root is
# brought up to date with apt-get upgrade.  Work files live in a temporary
# folder under $SHODO_LIVE_WORK (default /var/tmp) that is removed at the end,
# also on failure.  apt waits for another apt's lock instead of failing.
#
# Environment: SHODO_MIRROR, SHODO_SECURITY_MIRROR override the mirrors;
# SHODO_CASES_SIZE (default 256M) is the size of the case partition in the
# image; SHODO_LIVE_CACHE_DAYS (default 7) is how long a cached stage is used.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
variant=full
deb=
out=
print_mirrors=0
# SHODO_APT_ETC: another apt configuration folder than /etc/apt (tests)
apt_etc=${SHODO_APT_ETC:-/etc/apt}
cache=${SHODO_LIVE_CACHE-/var/cache/shodo-live}
suite=bookworm
# bump when the cached stage below changes in a way its key cannot see
stage_version=1

usage() {
	echo "usage: sh live-image/build.sh --deb SHODO.deb [--variant full|lite] [--no-cache] OUTPUT.img"
	echo "       sh live-image/build.sh --mirrors   (prints the mirrors it takes from the apt configuration)"
}
die() { echo "shodo: live-image: $*" >&2; exit 3; }
say() { echo "live-image: $*"; }

while [ $# -gt 0 ]; do
	case $1 in
	--variant) variant=${2:?}; shift 2 ;;
	--deb) deb=${2:?}; shift 2 ;;
	--no-cache) cache=; shift ;;
	--mirrors) print_mirrors=1; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) [ -z "$out" ] || { usage >&2; exit 2; }; out=$1; shift ;;
	esac
done

# --- mirrors from this machine's apt configuration ------------------------
# prints "URI SUITE" for every enabled deb source (one-line and deb822 files)
apt_sources() {
	for f in "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } print $i, $(i + 1) }' "$f"
	done
	for f in "$apt_etc"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			types = ""; uris = ""; suites = ""; en = "yes"
			for (k = 1; k <= NF; k++) {
				line = $k
				if (line ~ /^[ \t#]/ || index(line, ":") == 0) continue
				key = tolower(substr(line, 1, index(line, ":") - 1))
				val = substr(line, index(line, ":") + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
				if (key == "types") types = val; else if (key == "uris") uris = val
				else if (key == "suites") suites = val; else if (key == "enabled") en = tolower(val)
			}
			if (en == "no" || (" " types " ") !~ / deb /) next
			n = split(uris, U, " "); m = split(suites, S, " ")
			for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print U[a], S[b]
		}' "$f"
	done
}
mirror_for() { apt_sources | awk -v s="$1" '$2 == s { sub(/\/$/, "", $1); print $1; exit }'; }
mirror=${SHODO_MIRROR:-$(mirror_for "$suite")}
security=${SHODO_SECURITY_MIRROR:-$(mirror_for "$suite-security")}
updates=$(mirror_for "$suite-updates")
[ -n "$mirror" ] || die "no '$suite' source in this machine's apt configuration ($apt_etc/sources.list*); set SHODO_MIRROR"
if [ "$print_mirrors" = 1 ]; then
	printf 'mirror %s\nsecurity %s\nupdates %s\n' "$mirror" "${security:--}" "${updates:--}"
	exit 0
fi
[ -n "$security" ] || say "warning: no '$suite-security' source in the apt configuration: the image gets no security updates"
if [ -z "$out" ] || [ -z "$deb" ]; then usage >&2; exit 2; fi
case $variant in full|lite) ;; *) usage >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, loop devices)"
[ -f "$deb" ] || die "no shodo package '$deb' (make deb builds it)"
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $deb in /*) ;; *) deb=$(pwd)/$deb ;; esac
[ -d "$(dirname "$out")" ] || die "the folder of '$out' does not exist"
start=$(date +%s)

# apt on this machine: wait for another apt or dpkg instead of failing
host_apt() {
	n=0
	until DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq "$@"; do
		n=$((n + 1))
		[ $n -lt 30 ] || return 1
		say "apt-get $1 failed (another apt holds its lock?); retrying in 20 s"
		sleep 20
	done
}
need_tools=
for t in debootstrap:debootstrap mksquashfs:squashfs-tools xorriso:xorriso grub-mkimage:grub-common \
	mcopy:mtools mkfs.fat:dosfstools mkfs.exfat:exfatprogs zstd:zstd; do
	command -v "${t%%:*}" >/dev/null || need_tools="$need_tools ${t#*:}"
done
[ -d /usr/lib/grub/i386-pc ] || need_tools="$need_tools grub-pc-bin"
[ -d /usr/lib/grub/x86_64-efi ] || need_tools="$need_tools grub-efi-amd64-bin"
if [ -n "$need_tools" ]; then
	say "installing build tools:$need_tools"
	host_apt update || die "apt-get update failed"
	# shellcheck disable=SC2086 # a list of package names
	host_apt install -y --no-install-recommends $need_tools || die "cannot install$need_tools"
fi

components=main
[ "$variant" = full ] && components="main non-free-firmware"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "no Debian archive keyring at '$keyring' (package debian-archive-keyring)"
say "variant $variant; mirror $mirror${security:+, security $security}${updates:+, updates $updates}"

# packages: the lists, plus what the shodo package depends on
packages=$(sed 's/#.*//' "$here/packages/base.list")
[ "$variant" = full ] && packages="$packages $(sed 's/#.*//' "$here/packages/full.list")"
shodo_deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/[[:space:]]//g' | grep . || true)
# shellcheck disable=SC2086 # lists of package names
packages=$(printf '%s\n' $packages $shodo_deps | sort -u | tr '\n' ' ')

# --- work folder, removed at the end ----------------------------------------
work=$(mktemp -d "${SHODO_LIVE_WORK:-/var/tmp}/shodo-live.XXXXXX")
root=$work/root
iso=$work/iso
unmount_chroot() {
	for m in dev/pts dev proc sys run; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	return 0
}
cleanup() {
	rc=$?
	unmount_chroot
	rm -rf --one-file-system "$work"
	[ $rc = 0 ] || echo "shodo: live-image: failed; work files removed" >&2
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
say "work folder $work (removed at the end)"

mount_chroot() {
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t devpts devpts "$root/dev/pts"
	mount -t tmpfs tmpfs "$root/run"
}
# apt inside the image: no daemons started, no questions, no recommends
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive INITRD=No "$@"; }
root_apt() { in_root apt-get -qq -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confold "$@"; }

write_sources() {
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s' "$mirror" "$suite"
		[ -n "$updates" ] && [ "$updates" = "$mirror" ] && printf ' %s-updates' "$suite"
		printf '\nComponents: %s\nSigned-By: %s\n' "$components" "$keyring"
		if [ -n "$updates" ] && [ "$updates" != "$mirror" ]; then
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-updates\nComponents: %s\nSigned-By: %s\n' \
				"$updates" "$suite" "$components" "$keyring"
		fi
		if [ -n "$security" ]; then
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: %s\nSigned-By: %s\n' \
				"$security" "$suite" "$components" "$keyring"
		fi
	} > "$root/etc/apt/sources.list.d/debian.sources"
	: > "$root/etc/apt/sources.list"
}

# --- stage 1: debootstrap and packages (cached) ---------------------------
key=$( { echo "stage $stage_version $suite amd64 $components"; echo "$mirror $security $updates"
	echo "$packages"; } | sha256sum | cut -c1-16)
cached=${cache:+$cache/stage1-$variant-$key.tar.zst}
max_days=${SHODO_LIVE_CACHE_DAYS:-7}
mkdir -p "$root"
if [ -n "$cached" ] && [ -f "$cached" ] && [ -n "$(find "$cached" -mtime -"$max_days" 2>/dev/null)" ]; then
	say "stage 1 from the cache ($cached)"
	zstd -dc "$cached" | tar -C "$root" --numeric-owner -xpf -
else
	say "stage 1: debootstrap $suite"
	debootstrap --variant=minbase --arch=amd64 --components="$(echo "$components" | tr ' ' ',')" \
		--keyring="$keyring" "$suite" "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
	write_sources
	# initramfs: zstd (the kernel reads it), never resume from a disk's swap
	mkdir -p "$root/etc/initramfs-tools/conf.d"
	printf 'COMPRESS=zstd\nRESUME=none\n' > "$root/etc/initramfs-tools/conf.d/shodo"
	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
	mount_chroot
	root_apt update
	say "stage 1: installing $(echo "$packages" | wc -w) packages"
	# shellcheck disable=SC2086
	root_apt install -y --no-install-recommends $packages > "$work/apt.log" 2>&1 ||
		{ tail -n 30 "$work/apt.log" >&2; die "installing packages failed"; }
	root_apt clean
	unmount_chroot
	if [ -n "$cached" ]; then
		mkdir -p "$cache"
		rm -f "$cache"/stage1-"$variant"-*.tar.zst
		tar -C "$root" --numeric-owner -cpf - . | zstd -q -T0 -3 > "$cached.tmp" && mv "$cached.tmp" "$cached"
		say "stage 1 cached as $cached"
	fi
fi

# --- stage 2: up to date, shodo, the stick's own files --------------------
mount_chroot
write_sources
root_apt update
{ root_apt -y full-upgrade && root_apt -y autoremove --purge; } > "$work/upgrade.log" 2>&1 ||
	{ tail -n 20 "$work/upgrade.log" >&2; die "apt-get upgrade failed"; }
cp "$deb" "$root/tmp/shodo.deb"
root_apt install -y --no-install-recommends /tmp/shodo.deb > "$work/shodo.log" 2>&1 ||
	{ tail -n 20 "$work/shodo.log" >&2; die "installing the shodo package failed"; }
rm -f "$root/tmp/shodo.deb"

cp -R "$here/rootfs/." "$root/"
chmod 0755 "$root/usr/lib/shodo/"* "$root/usr/local/sbin/"* "$root/etc/initramfs-tools/hooks/shodo-readonly"
echo shodo > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tshodo\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
printf 'LANG=C.UTF-8\n' > "$root/etc/default/locale"
: > "$root/etc/fstab"
# consoles: the front end on tty1, root shells on tty2 and the first serial port
in_root systemctl enable getty@tty2.service serial-getty@ttyS0.service >/dev/null 2>&1
# nothing that writes to disks or waits for a network on its own
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
	fstrim.timer man-db.timer systemd-timesyncd.service >/dev/null 2>&1 || true

# what this stick is: shodo's version, the Debian archive's date, the packages
# shellcheck disable=SC2016 # dpkg-query's format
shodo_version=$(in_root dpkg-query -W -f '${Version}' shodo)
snapshot=
for f in "$root"/var/lib/apt/lists/*_dists_"$suite"_InRelease "$root"/var/lib/apt/lists/*_dists_"$suite"-security_InRelease; do
	[ -f "$f" ] || continue
	d=$(sed -n 's/^Date: //p' "$f" | head -n 1)
	d=$(date -u -d "$d" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "$d")
	case $f in *-security_InRelease) snapshot="$snapshot, security $d" ;; *) snapshot="$d$snapshot" ;; esac
done
mkdir -p "$root/usr/share/shodo"
# shellcheck disable=SC2016 # dpkg-query's format
in_root dpkg-query -W -f '${Package} ${Version}\n' > "$root/usr/share/shodo/live-packages.txt"
pkgsum=$(sha256sum < "$root/usr/share/shodo/live-packages.txt" | cut -d' ' -f1)
cat > "$root/etc/shodo-release" <<EOF
SHODO_VERSION=$shodo_version
SHODO_LIVE_VARIANT=$variant
DEBIAN_VERSION=$(cat "$root/etc/debian_version")
DEBIAN_SNAPSHOT=$snapshot
BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
PACKAGES=$(wc -l < "$root/usr/share/shodo/live-packages.txt") packages, /usr/share/shodo/live-packages.txt sha256 $pkgsum
EOF
say "shodo $shodo_version on Debian $(cat "$root/etc/debian_version") (archive $snapshot)"

kver=$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
ia=-c
[ -e "$root/boot/initrd.img-$kver" ] && ia=-u
in_root update-initramfs "$ia" -k "$kver" > "$work/initramfs.log" 2>&1 ||
	{ tail -n 20 "$work/initramfs.log" >&2; die "update-initramfs failed"; }
root_apt clean
rm -f "$root/usr/sbin/policy-rc.d"
rm -rf "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root"/var/tmp/* "$root"/var/log/*.log \
	"$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
: > "$root/etc/machine-id"
unmount_chroot

# --- the ISO tree: squashfs, kernel, GRUB ------------------------------------
mkdir -p "$iso/live" "$iso/boot/grub"
cp "$root/boot/vmlinuz-$kver" "$iso/live/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$iso/live/initrd.img"
cp "$root/usr/share/shodo/live-packages.txt" "$root/etc/shodo-release" "$iso/live/"
say "squashfs (zstd)"
t=$(date +%s)
mksquashfs "$root" "$iso/live/filesystem.squashfs" -comp zstd -Xcompression-level "${SHODO_SQUASHFS_LEVEL:-15}" \
	-noappend -quiet -no-progress -wildcards -e 'boot/vmlinuz*' 'boot/initrd.img*' 'boot/System.map*' \
	> "$work/mksquashfs.log" 2>&1 || { cat "$work/mksquashfs.log" >&2; die "mksquashfs failed"; }
say "squashfs: $(du -m "$iso/live/filesystem.squashfs" | cut -f1) MiB in $(( $(date +%s) - t )) s"
rm -rf --one-file-system "$root"

# the ISO's UUID is its modification time: fixed here, so that the boot
# loader can name it (shodo.medium=) and shodo can recognise the stick
stamp=$(date -u +%Y%m%d%H%M%S)00
uuid=$(echo "$stamp" | sed 's/^\(....\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)$/\1-\2-\3-\4-\5-\6-\7/')
sed "s/@UUID@/$uuid/g; s/@VERSION@/$shodo_version/g; s/@VARIANT@/$variant/g" "$here/grub.cfg" > "$iso/boot/grub/grub.cfg"
# shellcheck disable=SC2016 # $root is GRUB's variable
printf 'search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/boot/grub\n' "$uuid" > "$work/early.cfg"
mods="part_msdos part_gpt iso9660 fat exfat ext2 normal search search_fs_uuid linux echo test configfile
	serial terminal sleep halt reboot ls cat true"
for plat in i386-pc x86_64-efi; do
	mkdir -p "$iso/boot/grub/$plat"
	cp /usr/lib/grub/"$plat"/*.mod /usr/lib/grub/"$plat"/*.lst "$iso/boot/grub/$plat/"
done
# shellcheck disable=SC2086
grub-mkimage -O i386-pc-eltorito -p /boot/grub -c "$work/early.cfg" -o "$iso/boot/grub/i386-pc/eltorito.img" \
	biosdisk $mods
# shellcheck disable=SC2086
grub-mkimage -O x86_64-efi -p /boot/grub -c "$work/early.cfg" -o "$work/bootx64.efi" efi_gop efi_uga $mods
truncate -s 8M "$work/efi.img"
mkfs.fat -n EFI "$work/efi.img" >/dev/null
mmd -i "$work/efi.img" ::/EFI ::/EFI/BOOT
mcopy -i "$work/efi.img" "$work/bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI

# the stick's own case partition (exFAT: readable on the analysts' machines)
truncate -s "${SHODO_CASES_SIZE:-256M}" "$work/cases.img"
mkfs.exfat -L SHODO_CASES "$work/cases.img" >/dev/null

say "hybrid image"
xorriso -as mkisofs -quiet -r -J -joliet-long -V SHODO -A "shodo $shodo_version ($variant)" \
	--modification-date="$stamp" \
	-b boot/grub/i386-pc/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table --grub2-boot-info \
	--grub2-mbr /usr/lib/grub/i386-pc/boot_hybrid.img \
	-append_partition 2 0xef "$work/efi.img" \
	-append_partition 3 0x07 "$work/cases.img" \
	-eltorito-alt-boot -e --interval:appended_partition_2:all:: -no-emul-boot \
	-o "$work/shodo.img" "$iso" 2> "$work/xorriso.log" || { cat "$work/xorriso.log" >&2; die "xorriso failed"; }
# the case partition is mostly zeros: keep the file sparse
fallocate --dig-holes "$work/shodo.img" 2>/dev/null || true
mv "$work/shodo.img" "$out"
cp "$iso/live/live-packages.txt" "$out.packages"
secs=$(( $(date +%s) - start ))
say "$out: $(du -h --apparent-size "$out" | cut -f1) ($(du -h "$out" | cut -f1) on disk), shodo $shodo_version, $variant, built in $((secs / 60)) min $((secs % 60)) s"
say "package list: $out.packages; boot medium UUID $uuid"
