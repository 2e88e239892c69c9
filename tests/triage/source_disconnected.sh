#!/bin/sh
# A disk disconnected while it is triaged (the fault injector: after 3 MiB of
# reads its reads end and its size reads as 0, for every process, as the
# kernel makes a pulled disk's): triage stops with exit 3 and says the
# source was disconnected, instead of "no readable volume" or a short list
# of files; with the disk back, the same command replaces the unfinished
# attempt and collects exactly what a triage of the disk's image file does.
# The same for an image file on a disk that is pulled.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq
[ "$(id -u)" = 0 ] || skip "needs root (loop devices, FUSE)"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
ntfs_image disk.img 40
wintree "$T/mnt"
ntfs_umount
L=$(losetup -r -f --show disk.img) || skip "no loop device"
trap 'losetup -d "$L" 2>/dev/null' EXIT
sum=$(sha256sum disk.img | cut -d' ' -f1)

FAULTIO_READ_PATH="$L" FAULTIO_READ_GONE_AFTER=$((3 * 1024 * 1024)) FAULTIO_READ_GONE_MARK="$T/gone" \
	LD_PRELOAD="$FIO" "$SHODO_BIN" triage "$L" --case case --evidence D > out.txt 2> err.txt
rc=$?
[ -e "$T/gone" ] || fail "the injector never pulled the disk (triage read less than 3 MiB?)"
[ $rc -eq 3 ] || { cat err.txt; fail "a disk pulled mid-triage: expected exit 3, got $rc"; }
grep -q "^shodo: the source '$L' was disconnected while it was triaged (it no longer has its [0-9]* bytes)" err.txt \
	|| { cat err.txt; fail "no message saying the disk was disconnected"; }
grep -q "^hint: reconnect it and triage again with the same evidence ID" err.txt || { cat err.txt; fail "no hint"; }
! grep -q "no readable volume" err.txt || { cat err.txt; fail "a pulled disk was called one without a readable volume"; }
ok "a disk pulled mid-triage: exit 3, said so"

rm -f "$T/gone"
shodo triage "$L" --case case --evidence D -q; rc=$?
[ $rc -le 1 ] || fail "the disk back: triage exit $rc"
shodo triage disk.img --case case --evidence F -q; rc=$?
[ $rc -le 1 ] || fail "triage of the image file exit $rc"
jq -r '[.path, .sha256] | @tsv' case/D/triage/manifest.jsonl | sort > dev.lst
jq -r '[.path, .sha256] | @tsv' case/F/triage/manifest.jsonl | sort > file.lst
[ -s dev.lst ] || fail "nothing collected from the disk"
cmp -s dev.lst file.lst || { diff dev.lst file.lst | head; fail "the disk's collection differs from its image file's"; }
grep -q "\"action\": *\"triage-failed\"" case/custody.jsonl && grep -q "\"action\": *\"triage-retry\"" case/custody.jsonl \
	|| fail "custody does not record the failed attempt and its replacement"
[ "$(sha256sum disk.img | cut -d' ' -f1)" = "$sum" ] || fail "the disk changed"
ok "the disk back: the unfinished attempt replaced, the same files as from its image file"

# an image file on a disk that is pulled: the file keeps its size (its inode
# is in memory) while its reads end, and the disk's /sys/dev/block node is
# gone (the injector hides it once the reads have ended)
rm -f "$T/gone"
FAULTIO_READ_PATH="$T/disk.img" FAULTIO_READ_GONE_AFTER=$((3 * 1024 * 1024)) FAULTIO_READ_GONE_MARK="$T/gone" \
	LD_PRELOAD="$FIO" "$SHODO_BIN" triage disk.img --case case --evidence G > out.txt 2> err.txt
rc=$?
[ -e "$T/gone" ] || fail "the injector never pulled the image file's disk"
[ $rc -eq 3 ] || { cat err.txt; fail "an image file's disk pulled mid-triage: expected exit 3, got $rc"; }
grep -q "^shodo: the source 'disk.img' was disconnected while it was triaged" err.txt \
	|| { cat err.txt; fail "no message saying the image file's disk was disconnected"; }
rm -f "$T/gone"
shodo triage disk.img --case case --evidence G -q; rc=$?
[ $rc -le 1 ] || fail "the image file's disk back: triage exit $rc"
jq -r '[.path, .sha256] | @tsv' case/G/triage/manifest.jsonl | sort > g.lst
cmp -s g.lst file.lst || { diff g.lst file.lst | head; fail "the image file's collection differs after the replacement"; }
ok "an image file's disk pulled mid-triage: exit 3, said so; replaced with the same files"
