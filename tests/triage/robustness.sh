#!/bin/sh
# Damaged evidence gives a clear error for the item and the run goes on:
# an NTFS volume whose boot sector is gone, one with corrupt MFT entries, a
# partition of unknown type (still read: it holds FAT16), and an image cut
# short in the middle of an event log (the rest is copied, zero-filled, and
# the manifest says what was lost), an E01 with a segment missing.  The
# source is unchanged.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq; need sqlite3 sqlite3; need istat sleuthkit; need sfdisk fdisk; need ewfacquire ewf-tools

# p1: NTFS without its boot sector
ntfs_file p1.img 8; mkdir -p "$T/mnt/Windows/System32/config"; ntfs_file_umount
dd if=/dev/zero of=p1.img bs=512 count=1 conv=notrunc status=none
# p2: NTFS with two MFT entries overwritten
ntfs_file p2.img 16
mkdir -p "$T/mnt/Windows/System32/config"
for i in $(seq 1 30); do rnd "$T/mnt/Windows/System32/config/f$i.evt" 2000; done
ntfs_file_umount
bad1=$(ifind -n Windows/System32/config/f10.evt p2.img); bad2=$(ifind -n Windows/System32/config/f11.evt p2.img)
mft=$(fsstat p2.img | sed -n 's/^First Cluster of MFT: //p'); csize=$(fsstat p2.img | sed -n 's/^Cluster Size: //p')
for e in $bad1 $bad2; do
	head -c 1024 /dev/urandom | dd of=p2.img bs=1 seek=$((mft * csize + e * 1024)) conv=notrunc status=none
done
# p3: FAT16 in a partition of unknown type, with a Server 2003 upgraded from
# 2000 (system folder WINNT)
mkdir xp; xptree xp xp.expect WINNT; fat_image p3.img 16 xp
# p4: NTFS with an event log that the truncation cuts in half
ntfs_file p4.img 16
rnd "$T/mnt/Windows/System32/winevt/Logs/Big.evtx" 3000000 ElfFile
mkdir -p "$T/mnt/Windows/System32/config"
ntfs_file_umount
big=$(ifind -n Windows/System32/winevt/Logs/Big.evtx p4.img)
first=$(istat p4.img "$big" | sed -n '/^Type: \$DATA/,$p' | sed -n 2p | awk '{print $1}')
csize4=$(fsstat p4.img | sed -n 's/^Cluster Size: //p')

mkimg disk.raw 60M
printf 'label: dos\nstart=2048, size=16384, type=7\nstart=18432, size=32768, type=7\nstart=51200, size=32768, type=99\nstart=83968, size=32768, type=7\n' |
	sfdisk -q disk.raw >/dev/null || fail sfdisk
place disk.raw 2048 p1.img; place disk.raw 18432 p2.img; place disk.raw 51200 p3.img; place disk.raw 83968 p4.img
# cut 256 KiB after the start of Big.evtx's data
cut=$((83968 * 512 + first * csize4 + 262144))
truncate -s $cut disk.raw
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence BAD --json > res.json 2> err.txt; rc=$?
[ $rc -eq 1 ] || { cat err.txt; fail "exit $rc, want 1 (ran, found problems)"; }
tri=case/BAD/triage
got=$(jq -r '.volumes[] | [.label, .status, (.file_system // "-")] | join(" ")' res.json)
want="p1@1048576 unreadable -
p2@9437184 ok ntfs
p3@26214400 ok fat16
p4@42991616 ok ntfs"
[ "$got" = "$want" ] || fail "volumes: $got"
jq -e '.volumes[0].error | test("no file system")' res.json >/dev/null || fail "p1: no clear error"
grep -q "p1@1048576.*no file system" $tri/triage.log || fail "p1 not in triage.log"
ok "every volume graded; p1 without a file system said clearly"

# p2: the two damaged entries are reported, the other 28 files copied
[ "$(jq -r 'select(.volume=="p2@9437184") | .path' $tri/manifest.jsonl | wc -l)" = 28 ] || fail "p2: not 28 files"
jq -r 'select(.volume=="p2@9437184") | .path' $tri/manifest.jsonl | grep -q 'f1[01]\.evt' && fail "damaged entries collected"
[ "$(jq '.volumes[1].problems | map(select(test("f1[01]\\.evt"))) | length' res.json)" = 2 ] ||
	fail "p2: damaged entries not reported: $(jq -c '.volumes[1].problems' res.json)"
grep -q "p2@9437184.*f10.evt" $tri/triage.log || fail "p2 damage not in triage.log"
ok "p2: the two damaged entries are reported, the other 28 files copied"

# p3: read although its partition type is unknown
collected $tri p3@26214400 > got3; sort xp.expect > want3
diff want3 got3 || fail "FAT16 in an unknown partition type: collected set differs"
[ "$(jq -r '.volumes[2].windows_roots | join(",")' res.json)" = "/WINNT" ] || fail "WINNT root: $(jq -c '.volumes[2]' res.json)"
ok "p3: read although its partition type is unknown"

# p4: the cut log is copied whole-size, its lost part zero-filled and recorded
line=$(jq -c 'select(.path=="Windows/System32/winevt/Logs/Big.evtx")' $tri/manifest.jsonl)
[ -n "$line" ] || fail "the cut event log is missing from the manifest"
[ "$(echo "$line" | jq -r .size)" = 3000007 ] || fail "size: $line"
echo "$line" | jq -e '.error | test("unreadable, zero-filled")' >/dev/null || fail "no error field: $line"
f=case/$(echo "$line" | jq -r .extracted)
[ "$(stat -c %s "$f")" = 3000007 ] || fail "extracted size"
[ "$(sha256 "$f")" = "$(echo "$line" | jq -r .sha256)" ] || fail "sha256 of the partial copy"
icat p4.img "$big" | head -c 262144 | cmp -s - "$f" -n 262144 || fail "the readable part differs from icat"
[ "$(tail -c 4096 "$f" | tr -d '\0' | wc -c)" = 0 ] || fail "the lost part is not zero-filled"
[ "$(sqlite3 $tri/triage.db "select status from artifacts where source like '%Big.evtx'")" = partial ] ||
	fail "artifacts table does not say partial"
grep -q "Big.evtx.*could not be read whole" $tri/triage.log || fail "partial read not in triage.log"
ok "p4: the cut log is copied whole-size, its lost part zero-filled and recorded"

# an E01 with a segment missing is read as far as it goes, and said so
ewfacquire -u -q -t ev -c none -S 1048576 -C c -D d -E e -e x -N n p3.img >/dev/null 2>&1 || fail ewfacquire
[ -f ev.E03 ] || fail "ewfacquire wrote fewer than 3 segments"
mv ev.E02 gone.E02
shodo triage ev.E01 --case case --evidence SEG --json > seg.json 2> seg.err; rc=$?
[ $rc -eq 1 ] || fail "E01 with a missing segment: exit $rc, want 1"
jq -e '.sources[0].warning | test("segment files missing")' seg.json >/dev/null || fail "no source warning: $(jq -c .sources seg.json)"
grep -q "segment files missing" case/SEG/triage/triage.log || fail "missing segment not in triage.log"
mv gone.E02 ev.E02
shodo triage ev.E01 --case case --evidence SEG2 --json > seg2.json 2>/dev/null; rc=$?
ok "an E01 with a segment missing is read as far as it goes, and said so"
# exit 1: the stand-in artifacts on the image fail to parse, as they should
[ $rc -le 1 ] || fail "the whole E01: exit $rc"
jq -e '.sources[0] | has("warning") | not' seg2.json >/dev/null || fail "a whole E01 is reported damaged"
ok "the whole E01 reads without a warning"

# nothing readable at all: exit 3, nothing written (the ID stays free), and
# --json says why
head -c 3000000 /dev/urandom > junk.img
shodo triage junk.img --case case --evidence JUNK --json > junk.json 2> junk.err; rc=$?
[ $rc -eq 3 ] || fail "an image without a file system: exit $rc, want 3"
grep -q "^shodo: no readable volume" junk.err || fail "no clear message: $(cat junk.err)"
[ "$(jq -r '.status' junk.json)" = "fatal" ] || fail "--json: $(cat junk.json)"
jq -e '.error | test("no readable volume")' junk.json >/dev/null || fail "--json error: $(cat junk.json)"
[ ! -e case/JUNK ] || fail "a source with nothing readable created case/JUNK"
grep -q '"evidence":"JUNK"' case/custody.jsonl && fail "custody records a run that wrote nothing"

(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source changed"
ok "damaged volumes and a truncated image: clear errors, the run goes on"
