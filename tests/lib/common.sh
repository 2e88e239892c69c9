# tests/lib/common.sh — sourced by every shell test.
#   shodo ARGS      runs the binary under test
#   fail MSG        prints and exits 1;   skip MSG   exits 77 (the whole test)
#   ok MSG          one check passed (tests/run counts these lines)
#   skip_part MSG   a part of the test could not run (tests/run lists it,
#                   and fails it where every tool must be present)
#   need CMD PKG    skips the test when CMD is missing, naming the Debian
#                   package PKG (.ci/install-deps installs it; tests never
#                   install anything themselves)
#   expect_exit N CMD...   runs CMD, fails unless it exits N
set -u
: "${SHODO_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SHODO_BIN:=$SHODO_TOP/build/shodo}"
: "${TEST_TMP:=$(mktemp -d /tmp/shodo-test.XXXXXX)}"
CORPUS=${SHODO_CORPUS:-$SHODO_TOP/../shared/corpus}
PRELOAD_DIR=$SHODO_BUILD/tests/preload
HELPERS=$SHODO_BUILD/tests/helpers
T=$TEST_TMP
cd "$T" || exit 1

shodo() { "$SHODO_BIN" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
ok() { echo "ok: $*"; }
skip_part() { echo "skipped part: $*"; }

need() {
	command -v "$1" >/dev/null 2>&1 ||
		skip "$1 is missing (Debian package $2, installed by .ci/install-deps: run 'make deps')"
}

need_corpus() {
	[ -d "$CORPUS" ] || skip "corpus not found at $CORPUS (set SHODO_CORPUS); real-artifact checks skipped"
}

expect_exit() {
	want=$1; shift
	"$@"; got=$?
	[ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*"
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

# mkimg FILE SIZE: a sparse raw file
mkimg() { rm -f "$1"; truncate -s "$2" "$1"; }

# ntfs_image FILE SIZE_MB: an MBR disk with one NTFS partition at 1 MiB,
# mounted with ntfs-3g at $T/mnt until ntfs_umount.  Needs root and FUSE.
ntfs_image() {
	need mkntfs ntfs-3g; need sfdisk fdisk
	[ "$(id -u)" = 0 ] || skip "building NTFS images needs root (loop devices, FUSE)"
	mkimg "$1" "${2}M"
	printf 'label: dos\nstart=2048, type=7\n' | sfdisk -q "$1" >/dev/null || fail "sfdisk"
	LOOP=$(losetup -f --show -o $((2048*512)) --sizelimit $((($2-1)*1024*1024)) "$1") || skip "no loop device"
	mkntfs -q -F -f "$LOOP" >/dev/null 2>&1 || { losetup -d "$LOOP"; fail "mkntfs"; }
	mkdir -p "$T/mnt"
	ntfs-3g "$LOOP" "$T/mnt" 2>/dev/null || { losetup -d "$LOOP"; skip "ntfs-3g mount failed (FUSE unavailable?)"; }
}
ntfs_umount() {
	sync; umount "$T/mnt" 2>/dev/null || fusermount -u "$T/mnt"
	for i in 1 2 3 4 5; do losetup -d "$LOOP" 2>/dev/null && break; sleep 0.5; done
}

# loop_attach FILE: attaches FILE with partition scanning (losetup -P) and
# prints the loop device.  Without udev (containers, the live image before
# udev settles) the partition nodes /dev/loopNpM are created by hand from
# sysfs.  loop_detach LOOP removes them again.
loop_attach() {
	_l=$(losetup -f --show -P "$@") || return 1
	_n=${_l#/dev/}
	# some kernels (loop max_part=0) need the partitions added explicitly
	ls -d /sys/block/$_n/${_n}p* >/dev/null 2>&1 || partx -a "$_l" 2>/dev/null
	for _p in /sys/block/$_n/${_n}p*; do
		[ -e "$_p/dev" ] || continue
		_pn=/dev/$(basename "$_p")
		[ -b "$_pn" ] || mknod "$_pn" b "$(cut -d: -f1 "$_p/dev")" "$(cut -d: -f2 "$_p/dev")"
	done
	echo "$_l"
}
loop_detach() {
	partx -d "$1" 2>/dev/null
	losetup -d "$1" 2>/dev/null
	for _pn in "$1"p*; do [ -b "$_pn" ] && rm -f "$_pn"; done
	return 0
}
