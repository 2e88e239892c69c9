#!/bin/sh
# A disk whose partition table was wiped (sector 0 zeroed, as wipers and some
# ransomware do) still gives its volumes: they are found by their boot
# sectors (an XP-style NTFS at sector 63 and a FAT32 and an NTFS on 1 MiB
# boundaries), reported as such, and collected byte-identical.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq; need sfdisk fdisk; need mkfs.fat dosfstools; need mcopy mtools

ntfs_file a.img 12
rnd "$T/mnt/Windows/System32/config/SYSTEM" 8192 regf
(cd "$T/mnt" && sha256sum Windows/System32/config/SYSTEM) > a.sha
ntfs_file_umount
mkdir -p f/Users/u/Desktop
printf 'All your files have been encrypted.\nTo restore your files contact us: restore@onionmail.org\nYour personal ID: 51BA7E\n' > f/Users/u/Desktop/HOW_TO_DECRYPT.txt
mkimg fat.img 40M; mkfs.fat -F 32 fat.img >/dev/null || fail mkfs.fat
MTOOLS_SKIP_CHECK=1 mcopy -s -Q -i fat.img f/* ::/ || fail mcopy
ntfs_file b.img 20
wintree "$T/mnt"
(cd "$T/mnt" && find . -type f -exec sha256sum {} + | sed 's| \./| |') > b.sha
ntfs_file_umount

mkimg disk.raw 80M
printf 'label: dos\nstart=63, size=24576, type=7\nstart=26624, size=81920, type=c\nstart=108544, size=40960, type=7\n' |
	sfdisk -q disk.raw >/dev/null 2>&1 || fail sfdisk
place disk.raw 63 a.img; place disk.raw 26624 fat.img; place disk.raw 108544 b.img
dd if=/dev/zero of=disk.raw bs=512 count=1 conv=notrunc status=none
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence W --json > res.json 2> err.txt; rc=$?
[ $rc -eq 1 ] || { cat err.txt; fail "exit $rc, want 1 (the table is gone: a problem)"; }
got=$(jq -r '.volumes[] | [.label, .status, (.file_system // "-")] | join(" ")' res.json)
want="fs@0 unreadable -
s1@32256 ok ntfs
s2@13631488 ok fat32
s3@55574528 ok ntfs"
[ "$got" = "$want" ] || fail "volumes:
$got
want:
$want"
jq -e '.volumes[0].error | test("3 volumes found by their boot sectors")' res.json >/dev/null || fail "fs@0: $(jq -c '.volumes[0]' res.json)"
jq -e '.volumes[1].description | test("NTFS boot sector")' res.json >/dev/null || fail "s1: description"
tri=case/W/triage
[ "$(jq -r 'select(.volume=="s1@32256") | .sha256' $tri/manifest.jsonl)" = "$(cut -c1-64 a.sha)" ] || fail "s1: SYSTEM hive"
[ "$(jq -r 'select(.volume=="s2@13631488") | .path' $tri/manifest.jsonl)" = "Users/u/Desktop/HOW_TO_DECRYPT.txt" ] || fail "s2: note"
jq -r 'select(.volume=="s3@55574528") | [.category, .path] | @tsv' $tri/manifest.jsonl | sort > got3
sort "$T/expect" > want3
diff want3 got3 || fail "s3: collected set differs"
jq -r 'select(.volume=="s3@55574528") | [.path, .sha256] | @tsv' $tri/manifest.jsonl | while IFS="$(printf '\t')" read -r p s; do
	case $p in *:*) continue ;; esac
	[ "$(awk -v p="$p" '{ s=$1; sub(/^[0-9a-f]+  /, ""); if ($0 == p) print s }' b.sha)" = "$s" ] || fail "s3: $p differs"
done || exit 1
[ "$(sha256 disk.raw)" = "$before" ] || fail "source changed"
ok "volumes found by their boot sectors when the partition table is gone"
