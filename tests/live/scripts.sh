# The stick's scripts pass shellcheck (POSIX sh: the initramfs ones also run
# in busybox), the udev rule runs the write protection for every block
# device, and build.sh takes its mirrors from the apt configuration.
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

# the build's mirrors come from the apt configuration: one-line sources
# (with options) and deb822 files, disabled entries and deb-src ignored
mkdir -p "$T/apt1/sources.list.d" "$T/apt2/sources.list.d" "$T/apt3"
cat > "$T/apt1/sources.list" <<'EOF'
# deb http://commented.example/debian bookworm main
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian/ bookworm main
deb http://mirror.example/debian bookworm-updates main
EOF
echo "deb http://security.example/debian-security bookworm-security main" > "$T/apt1/sources.list.d/sec.list"
cat > "$T/apt2/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://off.example/debian
Suites: bookworm bookworm-security
Components: main
Enabled: no

Types: deb deb-src
URIs: http://ftp.example.jp/debian
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://ftp.example.jp/debian-security
Suites: bookworm-security
Components: main
EOF
SHODO_APT_ETC=$T/apt1 sh build.sh --mirrors > "$T/m1.txt" 2>&1 || fail "build.sh --mirrors: $(cat "$T/m1.txt")"
SHODO_APT_ETC=$T/apt2 sh build.sh --mirrors > "$T/m2.txt" 2>&1 || fail "build.sh --mirrors (deb822): $(cat "$T/m2.txt")"
[ "$(cat "$T/m1.txt")" = "$(printf 'mirror http://mirror.example/debian\nsecurity http://security.example/debian-security\nupdates http://mirror.example/debian')" ] ||
	fail "one-line sources: $(cat "$T/m1.txt")"
[ "$(cat "$T/m2.txt")" = "$(printf 'mirror http://ftp.example.jp/debian\nsecurity http://ftp.example.jp/debian-security\nupdates http://ftp.example.jp/debian')" ] ||
	fail "deb822 sources: $(cat "$T/m2.txt")"
SHODO_APT_ETC=$T/apt3 sh build.sh --mirrors > "$T/m3.txt" 2>&1 && fail "no sources must be an error"
grep -q "no 'bookworm' source" "$T/m3.txt" || fail "no sources: $(cat "$T/m3.txt")"
ok "the build's Debian, security and updates mirrors are read from the apt configuration (one-line and deb822)"
