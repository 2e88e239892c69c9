#!/bin/sh
# triage reads every kind of source and volume: a GPT disk with FAT16 (an
# XP-style Windows), NTFS (a Windows-like tree), ext4 (a data volume with
# ransom notes and no Windows), exFAT, a BitLocker volume and a partition of unknown
# type holding garbage; as raw, E01 (several segments, ewfacquire), split raw
# (.001) and a read-only loop block device, which must all give the same
# files; a file system without a partition table; several sources at once,
# one of them missing.  Unreadable volumes are reported, never skipped
# silently, and the sources are unchanged.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need fls sleuthkit; need jq jq; need sqlite3 sqlite3; need ewfacquire ewf-tools; need sfdisk fdisk

# the volumes, each built on its own
mkdir xp data
xptree xp xp.expect
fat_image fat.img 16 xp
mkdir -p data/shares/finance data/shares/hr data/backup
for d in shares/finance shares/hr backup; do
	printf 'ALL YOUR FILES ARE ENCRYPTED by LockBit. Contact: decrypt@onionmail.org\n' > "data/$d/HOW_TO_DECRYPT.txt"
	head -c 5000 /dev/urandom > "data/$d/report.docx.lockbit"
done
ext_image ext.img 8 data
ntfs_file ntfs.img 40
wintree "$T/mnt"
(cd "$T/mnt" && find . -type f -exec sha256sum {} + | sed 's| \./| |') > ntfs.sha
(cd "$T/mnt" && sha256sum "Users/alice/Downloads/AnyDesk.exe:Zone.Identifier") >> ntfs.sha
ntfs_file_umount
cp "$T/expect" ntfs.expect
printf '\353\130\220-FVE-FS-' > bl.img; head -c 4194293 /dev/urandom >> bl.img
head -c 4194304 /dev/urandom > junk.img
# exFAT through exfat-fuse (needs a block device: a loop device)
need mkfs.exfat exfatprogs; need mount.exfat-fuse exfat-fuse
mkimg ex.img 8M; mkfs.exfat ex.img >/dev/null || fail "mkfs.exfat"
EXL=$(losetup -f --show ex.img) || skip "no loop device for the exFAT volume"
mkdir -p exm; mount.exfat-fuse "$EXL" exm 2>/dev/null || { losetup -d "$EXL"; skip "exfat-fuse mount failed"; }
mkdir -p exm/Share/a exm/Share/b
printf 'Your files are encrypted. Write to us at back@cock.li to get them back. Personal ID 1\n' > exm/Share/a/RESTORE-MY-FILES.txt
printf 'Your files are encrypted. Write to us at back@cock.li to get them back. Personal ID 2\n' > exm/Share/b/RESTORE-MY-FILES.txt
rnd exm/Share/a/data.bin 3000
sync; umount exm; losetup -d "$EXL"

mkimg disk.raw 86M
cat > pt <<'PT'
label: gpt
start=2048, size=32768, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
start=34816, size=81920, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
start=116736, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
start=133120, size=8192, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
start=141312, size=8192, type=12345678-1234-1234-1234-123456789ABC
start=149504, size=16384, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
PT
sfdisk -q disk.raw < pt >/dev/null || fail "sfdisk"
place disk.raw 2048 fat.img; place disk.raw 34816 ntfs.img; place disk.raw 116736 ext.img
place disk.raw 133120 bl.img; place disk.raw 141312 junk.img; place disk.raw 149504 ex.img
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence RAW --json > raw.json 2> raw.err
rc=$?
[ $rc -eq 1 ] || { cat raw.err; fail "triage of a disk with unreadable volumes exited $rc, want 1"; }
tri=case/RAW/triage
vols=$(jq -r '.volumes[] | [.label, .status, (.file_system // "-"), (if has("windows") then (.windows|tostring) else "-" end)] | join(" ")' raw.json)
want="p1@1048576 ok fat16 true
p2@17825792 ok ntfs true
p3@59768832 ok ext4 false
p4@68157440 bitlocker - -
p5@72351744 unreadable - -
p6@76546048 ok exfat false"
[ "$vols" = "$want" ] || fail "volumes:
$vols
want:
$want"
grep -q "p4@68157440.*BitLocker" $tri/triage.log || fail "triage.log does not report the BitLocker volume"
grep -q "p5@72351744.*no file system" $tri/triage.log || fail "triage.log does not report the unreadable volume"
grep -q "BitLocker" raw.err || fail "the BitLocker volume is not reported on the terminal"
ok "volumes of the raw image graded, BitLocker and unreadable ones reported"

# what was collected, per volume
collected $tri p1@1048576 > got1; sort xp.expect > want1
diff want1 got1 || fail "FAT volume: collected set differs (< expected, > got)"
collected $tri p2@17825792 > got2; sort ntfs.expect > want2
diff want2 got2 || fail "NTFS volume: collected set differs (< expected, > got)"
collected $tri p3@59768832 > got3
[ "$(cat got3)" = "$(printf 'ransom_note\tbackup/HOW_TO_DECRYPT.txt')" ] || fail "ext4 volume: $(cat got3)"
[ "$(sqlite3 $tri/triage.db "select count(*) from files where volume='p3@59768832' and category='ransom_note'")" = 3 ] ||
	fail "ext4 volume: every note copy must be in the files table"
[ "$(sqlite3 $tri/triage.db "select count(*) from files where volume='p3@59768832' and name='report.docx.lockbit' and mtime like '20%'")" = 3 ] ||
	fail "ext4 volume: encrypted copies of user files must be in the files table with their times"
[ "$(sqlite3 $tri/triage.db "select count(*) from files where volume='p3@59768832'")" = 6 ] ||
	fail "ext4 volume: the quick profile's files table holds only notes and encrypted copies"

collected $tri p6@76546048 > got6
[ "$(cat got6)" = "$(printf 'ransom_note\tShare/a/RESTORE-MY-FILES.txt\nransom_note\tShare/b/RESTORE-MY-FILES.txt')" ] ||
	fail "exFAT volume: $(cat got6)"

# byte-identical with what was written into each file system
jq -r '[.volume, .path, .extracted, .sha256] | @tsv' $tri/manifest.jsonl > lines
while IFS="$(printf '\t')" read -r vol path ext s; do
	[ "$(sha256 "case/$ext")" = "$s" ] || fail "$ext: sha256 differs from the manifest"
	case $vol in
	p1@*) src=$(sha256 "xp/$path") ;;
	p3@*) src=$(sha256 "data/$path") ;;
	p6@*) src=$(printf 'Your files are encrypted. Write to us at back@cock.li to get them back. Personal ID %s\n' "$(echo "$path" | sed 's|Share/a/.*|1|; s|Share/b/.*|2|')" | sha256sum | cut -c1-64) ;;
	*) src=$(awk -v p="$path" '{ s=$1; sub(/^[0-9a-f]+  /, ""); if ($0 == p) print s }' ntfs.sha) ;;
	esac
	[ "$src" = "$s" ] || fail "$vol $path: content differs from the file written"
done < lines
content_list $tri > raw.list
[ "$(sha256 disk.raw)" = "$before" ] || fail "raw source changed"
ok "byte-identical with what was written into each file system"

# E01 in several segments: the same files
ewfacquire -u -q -t ev -c fast -S 1048576 -C c1 -D d -E RAW -e ex -N n disk.raw >/dev/null 2>&1 ||
	fail "ewfacquire"
[ -f ev.E02 ] || fail "ewfacquire wrote a single segment; the test needs several"
e01=$(sha256 ev.E01)
shodo triage ev.E01 --case case --evidence E01 --json > e01.json 2>/dev/null
[ $? -eq 1 ] || fail "E01 triage exit status"
[ "$(jq -r '.sources[0].type' e01.json)" = ewf ] || fail "E01 not read through the EWF layer: $(jq -c .sources e01.json)"
content_list case/E01/triage > e01.list
diff raw.list e01.list || fail "E01 gives other files than the raw image"
[ "$(sha256 ev.E01)" = "$e01" ] || fail "E01 changed"
ok "E01 in several segments: the same files"

# split raw, from the first segment
split -b 10M -d -a 3 --numeric-suffixes=1 disk.raw split.raw.
[ -f split.raw.008 ] || fail "split"
shodo triage split.raw.001 --case case --evidence SPLIT 2>/dev/null
[ $? -eq 1 ] || fail "split raw triage exit status"
content_list case/SPLIT/triage > split.list
diff raw.list split.list || fail "split raw gives other files than the raw image"
ok "split raw, from the first segment"

# a read-only block device
if LOOPDEV=$(losetup -r -f --show disk.raw 2>/dev/null); then
	shodo triage "$LOOPDEV" --case case --evidence DEV 2>/dev/null; rc=$?
	losetup -d "$LOOPDEV"
	[ $rc -eq 1 ] || fail "block device triage exit status $rc"
	content_list case/DEV/triage > dev.list
	diff raw.list dev.list || fail "the block device gives other files than the raw image"
	ok "a read-only block device"
else
	skip_part "no loop device: the block-device source was not tested"
fi

# no partition table; several sources, one missing: labels fs@0, d3.fs@0
shodo triage ntfs.img missing.raw ext.img --case case --evidence MULTI --json > multi.json 2> multi.err
[ $? -eq 1 ] || fail "multi-source exit status (a source is missing)"
[ "$(jq -r '[.volumes[].label] | join(" ")' multi.json)" = "fs@0 d3.fs@0" ] || fail "labels: $(jq -c '.volumes' multi.json)"
jq -e '.sources[1].error | test("missing.raw")' multi.json >/dev/null || fail "missing source not reported"
grep -q "missing.raw" multi.err || fail "missing source not on stderr"
collected case/MULTI/triage fs@0 > gotm; diff want2 gotm || fail "NTFS without partition table"
[ -n "$(collected case/MULTI/triage d3.fs@0)" ] || fail "second source not collected"

(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
[ "$(sha256 disk.raw)" = "$before" ] || fail "raw source changed"
ok "raw, E01, split raw, block device; GPT, no table; FAT, NTFS, ext4, exFAT, BitLocker, unknown"
