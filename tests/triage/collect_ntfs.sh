#!/bin/sh
# triage collects every target of a Windows-like NTFS tree (raw image, MBR),
# byte-identical, with manifest lines that agree with sleuthkit's fls/icat,
# nothing unexpected, read-only copies, custody and SHA256SUMS; the full
# profile adds $MFT and lists every file in the files table.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need fls sleuthkit; need sqlite3 sqlite3; need jq jq

ntfs_image disk.raw 64
wintree "$T/mnt"
(cd "$T/mnt" && find . -type f -exec sha256sum {} + | sed 's| \./| |') > src.sha
ntfs_umount
before=$(sha256 disk.raw)

# exit 1: the generated stand-ins for logs and hives fail to parse, as they should
shodo triage disk.raw --case case --evidence PC1 --json > res.json; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
tri=case/PC1/triage
[ -s $tri/manifest.jsonl ] || fail "no manifest"
[ "$(jq -r '.volumes[0].label' res.json)" = "p1@1048576" ] || fail "volume label: $(jq -c .volumes res.json)"
[ "$(jq -r '.volumes[0].windows' res.json)" = true ] || fail "windows volume not recognised"
[ "$(jq -r '.volumes[0].windows_roots | join(",")' res.json)" = "/,/Windows.old" ] || fail "Windows.old not found: $(jq -c .volumes res.json)"
ok "the Windows volume and Windows.old are recognised"

# the set of collected (category, path) equals the expected set
jq -r '[.category, .path] | @tsv' $tri/manifest.jsonl | sort > got
sort "$T/expect" > want
diff want got > d.txt || { cat d.txt; fail "collected set differs (< expected, > got)"; }
ok "the set of collected (category, path) equals the expected set"

# every line: extracted file byte-identical to the source, inode/size as fls/icat see them
fls -r -p -o 2048 disk.raw | sed 's/^[^ ]* \**\s*//' > fls.txt
jq -r '[.path, .extracted, (.inode|tostring), (.size|tostring), .sha256, .md5, .mtime, .crtime] | @tsv' \
	$tri/manifest.jsonl > lines
n=0
while IFS="$(printf '\t')" read -r path ext ino size s256 m5 mt cr; do
	n=$((n+1))
	f="case/$ext"
	[ -f "$f" ] || fail "missing extracted file for $path"
	[ "$(sha256 "$f")" = "$s256" ] || fail "sha256 of $f differs from manifest"
	[ "$(md5sum < "$f" | cut -d' ' -f1)" = "$m5" ] || fail "md5 of $f differs from manifest"
	want=$(grep -F " $path" src.sha | awk -v p="$path" '{ s=$1; sub(/^[0-9a-f]+  /, ""); if ($0 == p) print s }')
	[ "$want" = "$s256" ] || fail "$path: content differs from the file written ($want vs $s256)"
	fino=$(awk -F'\t' -v p="$path" '$2 == p { split($1, a, ":"); split(a[1], b, "-"); print b[1] }' fls.txt | sed 's/^[^0-9]*//')
	[ "$fino" = "$ino" ] || fail "$path: inode $ino, fls says '$fino'"
	[ "$(icat -o 2048 disk.raw "$ino" | sha256sum | cut -d' ' -f1)" = "$s256" ] || fail "$path: icat content differs"
	[ "$(stat -c %s "$f")" = "$size" ] || fail "$path: size"
	[ "$(stat -c %a "$f")" = 400 ] || fail "$f is not read-only"
	case $mt in 20*Z) ;; *) fail "$path: mtime '$mt'" ;; esac
	case $cr in 20*Z) ;; *) fail "$path: crtime '$cr'" ;; esac
done < lines
[ $n -ge 40 ] || fail "only $n manifest lines"
ok "every line: extracted file byte-identical to the source, inode/size as fls/icat see them"
# istat agrees on one time ($STANDARD_INFORMATION created, to the second)
ino=$(jq -r 'select(.path=="Windows/System32/config/SAM") | .inode' $tri/manifest.jsonl)
cr=$(jq -r 'select(.path=="Windows/System32/config/SAM") | .crtime' $tri/manifest.jsonl | cut -c1-19 | tr T ' ')
istat -o 2048 disk.raw "$ino" | grep -m1 "Created:" | grep -q "$cr" || fail "crtime $cr not what istat says"
ok "istat agrees on one time (\$STANDARD_INFORMATION created, to the second)"

# nothing else in the evidence folder's files/ tree
nfiles=$(find $tri/files -type f | wc -l)
[ "$nfiles" -eq "$n" ] || fail "$nfiles files extracted, manifest lists $n"
ok "nothing else in the evidence folder's files/ tree"
# files table: all copies of the notes, with their category
[ "$(sqlite3 $tri/triage.db "select count(*) from files where category='ransom_note'")" = 8 ] ||
	fail "ransom-note copies in files table"
[ "$(sqlite3 $tri/triage.db "select count(*) from artifacts")" = "$n" ] || fail "artifacts table"
ok "files table: all copies of the notes, with their category"
# case folder: custody and sums
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
grep -q '"action":"triage"' case/custody.jsonl || fail "no custody entry"
grep '"action":"triage"' case/custody.jsonl | grep -q "$(sha256 $tri/manifest.jsonl)" || fail "custody lacks manifest hash"
[ -s $tri/triage.log ] && grep -q "files copied" $tri/triage.log || fail "triage.log"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "case folder: custody and sums"

# full profile: $MFT, every file of the volume in the files table
shodo triage disk.raw --case case --evidence PC1-full --profile full --json > full.json; rc=$?
[ $rc -le 1 ] || fail "full triage exited $rc"
tf=case/PC1-full/triage
mft=$(jq -r 'select(.category=="mft") | .extracted' $tf/manifest.jsonl)
[ -n "$mft" ] || fail "no \$MFT in the full profile"
[ "$(sha256 "case/$mft")" = "$(icat -o 2048 disk.raw 0 | sha256sum | cut -d' ' -f1)" ] || fail "\$MFT differs from icat"
ok "full profile: \$MFT, every file of the volume in the files table"
# the same allocated entries as fls -r -u (fls lists named streams as name:stream)
fls -r -u -p -o 2048 disk.raw | grep -v '\$OrphanFiles' | cut -f2 | sed 's/:.*//' | sort -u > fls_all
sqlite3 $tf/triage.db "select path from files where allocated=1" | sort -u > tab_all
diff fls_all tab_all > d2.txt || { cat d2.txt; fail "files table differs from fls -r -u (< fls, > table)"; }
[ "$(sqlite3 $tf/triage.db "select count(*) from files where path='Users/alice/Documents/budget.xlsx' and size=20000 and mtime like '20%'")" = 1 ] ||
	fail "files table row for an ordinary file"
expect_exit 3 shodo triage disk.raw --case case --evidence PC1 2>err.txt
grep -q "already holds a triage" err.txt || fail "second triage into the same evidence not refused"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify after a refused run"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "collection from NTFS"
