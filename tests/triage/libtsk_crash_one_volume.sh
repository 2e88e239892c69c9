#!/bin/sh
# A crash inside The Sleuth Kit on one volume ends only that volume's walk: a
# disk with two NTFS volumes, each holding a ransom note; libtsk is made to
# die of SIGSEGV while listing the first (tests/preload/tskcrash.c stands in
# for a crafted volume).  Triage marks that volume failed with the reason,
# triages the second as usual (its note analysed, its copy equal to icat's),
# keeps a consistent case folder (SHA256SUMS verifies, files/ holds only what
# the manifest lists) and leaves the source unchanged.
. "$SHODO_TOP/tests/lib/common.sh"
need mkntfs ntfs-3g; need sfdisk fdisk; need icat sleuthkit; need jq jq; need sqlite3 sqlite3
[ "$(id -u)" = 0 ] || skip "building NTFS images needs root (loop devices, FUSE)"
PRE=$PRELOAD_DIR/tskcrash.so
[ -f "$PRE" ] || fail "$PRE not built"

mkimg disk.raw 64M
printf 'label: dos\nstart=2048, size=61440, type=7\nstart=65536, size=61440, type=7\n' | sfdisk -q disk.raw >/dev/null ||
	fail "sfdisk"
mkdir -p "$T/mnt"
for p in 1 2; do
	start=$((p == 1 ? 2048 : 65536))
	LOOP=$(losetup -f --show -o $((start * 512)) --sizelimit $((61440 * 512)) disk.raw) || skip "no loop device"
	mkntfs -q -F -f -L "VOL$p" "$LOOP" >/dev/null 2>&1 || { losetup -d "$LOOP"; fail mkntfs; }
	ntfs-3g "$LOOP" "$T/mnt" 2>/dev/null || { losetup -d "$LOOP"; skip "ntfs-3g mount failed"; }
	mkdir -p "$T/mnt/Users/Public/Desktop"
	printf 'Your files on volume %s are encrypted.\nTo get them back write to us: vol%s@cock.li\nYour ID: 77A%s\nDo not rename the files or they are lost forever.\n' \
		"$p" "$p" "$p" > "$T/mnt/Users/Public/Desktop/HOW_TO_RESTORE.txt"
	ntfs_umount
done
before=$(sha256 disk.raw)

TSKCRASH_OFFSET=$((2048 * 512)) LD_PRELOAD="$PRE${LD_PRELOAD:+:$LD_PRELOAD}" \
	"$SHODO_BIN" triage disk.raw --case case --evidence H --json > res.json 2> err.txt; rc=$?
[ $rc -eq 1 ] || { cat err.txt; fail "triage exited $rc (want 1: done with problems)"; }
v1=$(jq -c '.volumes[] | select(.label == "p1@1048576")' res.json)
[ "$(echo "$v1" | jq -r .status)" = failed ] || fail "crashed volume: $v1"
echo "$v1" | jq -r .error | grep -q "libtsk crashed (Segmentation fault)" || fail "reason: $v1"
grep -q "p1@1048576.*libtsk crashed" case/H/triage/triage.log || fail "the crash is not in triage.log"
[ "$(jq -r '.volumes[] | select(.label == "p2@33554432") | .status' res.json)" = ok ] || fail "second volume: $(jq -c .volumes res.json)"
[ "$(sqlite3 case/H/triage/triage.db "select emails from ransom_notes")" = vol2@cock.li ] ||
	fail "notes: $(sqlite3 case/H/triage/triage.db "select emails from ransom_notes")"
jq -r 'select(.volume == "p2@33554432") | [.extracted, .sha256, (.inode|tostring)] | @tsv' case/H/triage/manifest.jsonl > lines
[ "$(wc -l < lines)" -ge 1 ] || fail "nothing collected from the second volume"
while IFS="$(printf '\t')" read -r ext s ino; do
	[ "$(sha256 "case/$ext")" = "$s" ] || fail "$ext differs from the manifest"
	[ "$(icat -o 65536 disk.raw "$ino" | sha256sum | cut -d' ' -f1)" = "$s" ] || fail "$ext differs from icat"
done < lines
[ "$(find case/H/triage/files -type f | wc -l)" -eq "$(wc -l < case/H/triage/manifest.jsonl)" ] ||
	fail "files/ holds more than the manifest lists"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "libtsk crashed on one volume: that volume failed with the reason, the other triaged, the case folder consistent"
