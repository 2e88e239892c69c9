# The stick's scripts pass shellcheck (POSIX sh: the initramfs ones also run
# in busybox), and the udev rule runs the write protection for every block
# device.
. "$SHODO_TOP/tests/lib/common.sh"
need shellcheck shellcheck
cd "$SHODO_TOP/live-image" || fail "no live-image/"
shellcheck -s sh build.sh mkdeb.sh write-usb.sh rootfs/usr/lib/shodo/shodo-readonly \
	rootfs/usr/lib/shodo/shodo-cases rootfs/usr/lib/shodo/shodo-auto rootfs/usr/lib/shodo/shodo-console \
	rootfs/usr/local/sbin/shodo-unlock rootfs/etc/initramfs-tools/hooks/shodo-readonly \
	rootfs/etc/initramfs-tools/scripts/init-premount/shodo-medium || fail "shellcheck"
grep -q 'RUN+="/usr/lib/shodo/shodo-readonly $devnode"' rootfs/etc/udev/rules.d/00-shodo-readonly.rules || fail "udev rule"
# every menu entry boots live-boot from this medium only, with the stick's UUID named for shodo
grep -q 'live-media=/dev/disk/by-uuid/@UUID@ shodo.medium=@UUID@' grub.cfg || fail "grub.cfg: live-media and shodo.medium"
[ "$(grep -c '^menuentry' grub.cfg)" = "$(grep -c 'linux /live/vmlinuz \$shodo' grub.cfg)" ] || fail "grub.cfg: an entry without the stick's options"
ok "live image scripts"
