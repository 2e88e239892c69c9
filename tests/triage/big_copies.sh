#!/bin/sh
# Big copies and the walk's order.  A file of 8 MiB or more is copied with
# its MD5 on a second thread while the next piece is read into a second
# buffer (collect/extract.c): the copies of big logs (an odd size, a run of
# zeros that becomes a hole, a size that is a whole number of pieces) must be
# byte-identical to what icat reads, with the MD5 and SHA-256 that md5sum
# and sha256sum compute.  Event logs and hives are walked first
# (collect.c, first_paths): they come before every user file in the
# manifest, and the walk still lists every entry once (the full profile's
# files table against fls -r).
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need fls sleuthkit; need icat sleuthkit; need sqlite3 sqlite3; need jq jq

ntfs_image disk.raw 160
m=$T/mnt
L=$m/Windows/System32/winevt/Logs
mkdir -p "$L" "$m/Windows/System32/config" "$m/Users/alice/Documents" "$m/ProgramData" "$m/Windows/Temp"
# Security: 33 MiB and 12,345 bytes (the last piece is short)
{ printf 'ElfFile\0'; head -c $((33 * 1048576 + 12345 - 8)) /dev/urandom; } > "$L/Security.evtx"
# System: 9 MiB of data around 4 MiB of zeros (a hole in the copy)
{ printf 'ElfFile\0'; head -c $((3 * 1048576 - 8)) /dev/urandom; head -c $((4 * 1048576)) /dev/zero
  head -c $((2 * 1048576)) /dev/urandom; } > "$L/System.evtx"
# Application: exactly 8 MiB (the smallest size copied with two buffers)
{ printf 'ElfFile\0'; head -c $((8 * 1048576 - 8)) /dev/urandom; } > "$L/Application.evtx"
# Setup: just under 8 MiB (one buffer)
{ printf 'ElfFile\0'; head -c $((8 * 1048576 - 9)) /dev/urandom; } > "$L/Setup.evtx"
rnd "$m/Windows/System32/config/SYSTEM" 65536 regf
rnd "$m/Windows/System32/config/SOFTWARE" 65536 regf
# user files before Windows in the plain order of names, a note among them
for d in 1 2 3 4 5; do
	mkdir -p "$m/Users/alice/Documents/p$d"
	for f in 1 2 3 4 5 6 7 8; do echo "report $d $f" > "$m/Users/alice/Documents/p$d/r$f.docx.lockbit"; done
done
rnd "$m/Users/alice/NTUSER.DAT" 65536 regf
printf 'YOUR FILES ARE ENCRYPTED by LockBit. To decrypt, pay 2 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\nContact: http://lockbitapt2yfbt7lchxejug47kmqvqqxvvjpqkmevv4l3azl3gy6pyd.onion\nDo not delete or modify files, or they are lost forever.\n' \
	> "$m/ProgramData/README_LOCKBIT.txt"
(cd "$m" && find . -type f -exec sha256sum {} + | sed 's| \./| |') > src.sha
ntfs_umount
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence B1 -q 2> err.txt; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc: $(cat err.txt)"
tri=case/B1/triage
jq -r '[.path, .extracted, (.inode|tostring), (.size|tostring), .sha256, .md5] | @tsv' $tri/manifest.jsonl > lines
n=0
while IFS="$(printf '\t')" read -r path ext ino size s256 m5; do
	case $path in *.evtx) ;; *) continue ;; esac
	n=$((n+1))
	f="case/$ext"
	icat -o 2048 disk.raw "$ino" > icat.out || fail "icat $ino"
	[ "$(stat -c %s icat.out)" = "$size" ] || fail "$path: size $size, icat reads $(stat -c %s icat.out)"
	cmp -s icat.out "$f" || fail "$path: the copy differs from what icat reads"
	[ "$(md5sum < icat.out | cut -d' ' -f1)" = "$m5" ] || fail "$path: md5 in the manifest is not md5sum's"
	[ "$(sha256sum < icat.out | cut -d' ' -f1)" = "$s256" ] || fail "$path: sha256 in the manifest is not sha256sum's"
	want=$(grep -F " $path" src.sha | awk -v p="$path" '{ s=$1; sub(/^[0-9a-f]+  /, ""); if ($0 == p) print s }')
	[ "$want" = "$s256" ] || fail "$path: not the file written"
done < lines
[ $n = 4 ] || fail "$n of 4 logs collected"
ok "big copies are byte-identical to icat's, with md5sum's and sha256sum's hashes"
# the run of zeros is a hole in System's copy, its bytes as written
sys=case/$(jq -r 'select(.path | endswith("System.evtx")) | .extracted' $tri/manifest.jsonl)
[ "$(du -k "$sys" | cut -f1)" -lt 6500 ] || fail "the zeros of System.evtx take space in the copy ($(du -k "$sys" | cut -f1) KiB)"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
ok "a run of zeros is a hole in the copy; SHA256SUMS verifies"

# logs and hives first: every Windows/System32 line before every other line
jq -r .path $tri/manifest.jsonl | awk '
	/^Windows\/System32\/(config|winevt\/Logs)\// { if (other) { print "late: " $0; bad = 1 } ; next }
	{ other = 1 }
	END { exit bad }' || fail "event logs or hives listed after other files: $(jq -r .path $tri/manifest.jsonl | tr '\n' ' ')"
first=$(head -n 1 $tri/manifest.jsonl | jq -r .path)
case $first in Windows/System32/*) ;; *) fail "first copy is '$first'" ;; esac
grep -q '"path":"Users/alice/NTUSER.DAT"' $tri/manifest.jsonl || fail "NTUSER.DAT not collected"
grep -q '"path":"ProgramData/README_LOCKBIT.txt"' $tri/manifest.jsonl || fail "the note not collected"
# the parses come in the same order as the copies
sqlite3 $tri/triage.db "select source from artifacts order by rowid" | sed 's|^B1/triage/files/[^/]*/||' > arts
jq -r .path $tri/manifest.jsonl > man
cmp -s arts man || { diff man arts; fail "artifacts and manifest are not in the same order"; }
ok "event logs and hives are copied and parsed first"

# the full profile lists every entry once, as fls -r does
shodo triage disk.raw --case case --evidence B2 --profile full -q 2> err2.txt; rc=$?
[ $rc -le 1 ] || fail "full triage exited $rc: $(cat err2.txt)"
fls -r -p -o 2048 disk.raw | grep -v '^[^ ]* \*' | sed 's/^[^\t]*\t//' | grep -v '^\$' | grep -v '/\$' |
	grep -v ':' | sort > fls.txt
sqlite3 case/B2/triage/triage.db "select path from files where allocated = 1" | grep -v '^\$' |
	grep -v '/\$' | grep -v ':' | sort > files.txt
sort -c files.txt 2>/dev/null
[ "$(uniq -d files.txt | wc -l)" = 0 ] || fail "entries listed twice: $(uniq -d files.txt | head -n 3)"
diff fls.txt files.txt > d.txt || { head -n 20 d.txt; fail "files table and fls -r differ (< fls, > files)"; }
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "the full profile lists every entry once, as fls -r does; the source is unchanged"
