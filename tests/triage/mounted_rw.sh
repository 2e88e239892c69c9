#!/bin/sh
# A block device with a file system mounted read-write is refused (exit 3,
# with a hint) unless --force is given; once unmounted it is read.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq; need mkntfs ntfs-3g
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, FUSE)"
mkimg vol.img 16M
mkntfs -q -F -f vol.img >/dev/null 2>&1 || fail mkntfs
L=$(losetup -f --show vol.img) || skip "no loop device"
trap 'umount mnt 2>/dev/null; losetup -d "$L" 2>/dev/null' EXIT
mkdir mnt
ntfs-3g "$L" mnt || skip "ntfs-3g mount failed"
rnd mnt/Windows/System32/config/SYSTEM 8192 regf
sync
expect_exit 3 shodo triage "$L" --case case --evidence M1 2> err.txt
grep -q "mounted read-write" err.txt || fail "no clear message: $(cat err.txt)"
grep -q "^hint: .*--force" err.txt || fail "no hint: $(cat err.txt)"
[ -e case/M1/triage/manifest.jsonl ] && fail "refused triage wrote a manifest"
umount mnt
# exit 1: the generated stand-ins for logs and hives fail to parse, as they should
shodo triage "$L" --case case --evidence M2 --json > res.json; rc=$?
[ $rc -le 1 ] || fail "triage of the unmounted device exited $rc"
[ "$(jq -r 'select(.path=="Windows/System32/config/SYSTEM") | .category' case/M2/triage/manifest.jsonl)" = registry ] ||
	fail "hive not collected from the device"
ok "a read-write mounted device is refused"
