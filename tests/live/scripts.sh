# The live image's scripts pass shellcheck (POSIX sh: they also run in the
# initramfs's busybox shell).
. "$SHODO_TOP/tests/lib/common.sh"
need shellcheck shellcheck
cd "$SHODO_TOP/live-image" || fail "no live-image/"
shellcheck -s sh build.sh config/includes.chroot/usr/lib/shodo/shodo-readonly \
	config/includes.chroot/usr/local/sbin/shodo-unlock \
	config/includes.chroot/etc/initramfs-tools/hooks/shodo-readonly \
	config/hooks/normal/0500-shodo.hook.chroot || fail "shellcheck"
grep -q 'RUN+="/usr/lib/shodo/shodo-readonly $devnode"' config/includes.chroot/etc/udev/rules.d/00-shodo-readonly.rules || fail "udev rule"
ok "live image scripts"
