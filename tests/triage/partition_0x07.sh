#!/bin/sh
# A partition of type 0x07 whose NTFS boot sector sits over an old ext4
# superblock (a disk reformatted without wiping): The Sleuth Kit cannot tell
# the file system by itself (fsstat says so) but reads it as NTFS when told
# (fls -f ntfs).  Triage opens it as what the partition type suggests, logs
# the decision and collects from it what fls -f ntfs lists.
. "$SHODO_TOP/tests/lib/common.sh"
need fls sleuthkit; need fsstat sleuthkit; need icat sleuthkit; need mkfs.ext4 e2fsprogs; need jq jq

ntfs_image disk.raw 48
mkdir -p "$T/mnt/Windows/System32/config" "$T/mnt/Users/Public/Desktop"
head -c 8192 /dev/urandom | { printf 'regf'; cat; } > "$T/mnt/Windows/System32/config/SYSTEM"
printf 'All your files have been encrypted.\nTo restore your files write to us: back@cock.li\nYour personal ID: 0x07AB\n' \
	> "$T/mnt/Users/Public/Desktop/RESTORE_FILES.txt"
ntfs_umount
# an ext4 superblock at byte 1024 of the partition, where NTFS's $Boot has room
mkimg old.img 47M
mkfs.ext4 -q -F old.img || fail "mkfs.ext4"
dd if=old.img of=disk.raw bs=1024 skip=1 seek=$((1048576 / 1024 + 1)) count=1 conv=notrunc status=none
fsstat -o 2048 disk.raw > fsstat.txt 2>&1 && fail "fsstat classifies the volume by itself: the test has no ambiguity"
grep -qi "cannot determine file system type" fsstat.txt || fail "fsstat: $(cat fsstat.txt)"
fls -r -p -f ntfs -o 2048 disk.raw > fls.txt || fail "fls -f ntfs cannot read the volume"
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence P7 --json > res.json; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
[ "$(jq -r '.volumes[0].status' res.json)" = ok ] || fail "volume: $(jq -c '.volumes[0]' res.json)"
[ "$(jq -r '.volumes[0].file_system' res.json)" = ntfs ] || fail "file system: $(jq -c '.volumes[0]' res.json)"
grep -q "p1@1048576: libtsk could not tell the file system by itself.*0x07.*opened as ntfs" case/P7/triage/triage.log ||
	fail "the decision is not logged: $(grep p1@ case/P7/triage/triage.log | head -3)"
# what was collected is what fls -f ntfs lists, byte for byte (icat -f ntfs)
jq -r '[.path, .inode, .sha256, .category] | @tsv' case/P7/triage/manifest.jsonl > lines
grep -q "Windows/System32/config/SYSTEM	.*	registry" lines || fail "SYSTEM not collected: $(cat lines)"
grep -q "Users/Public/Desktop/RESTORE_FILES.txt	.*	ransom_note" lines || fail "note not collected: $(cat lines)"
while IFS="$(printf '\t')" read -r p ino s cat; do
	grep -q "	$p\$" fls.txt || fail "$p: not in fls -f ntfs"
	[ "$(icat -f ntfs -o 2048 disk.raw "$ino" | sha256sum | cut -d' ' -f1)" = "$s" ] || fail "$p differs from icat -f ntfs"
done < lines
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "an ambiguous 0x07 volume is read as NTFS, the decision logged, the files as fls/icat -f ntfs see them"
