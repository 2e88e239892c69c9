#!/bin/sh
# A case folder on FAT (the USB stick a responder grabbed) holds no file of
# 4 GiB or more, and a server's Security log is often bigger.  Triage does not
# stop at that log (before: "cannot write into the case folder, stopped after
# 14 files: ... File too large", with a free-space hint that was wrong): the
# log is not copied, its hashes are taken while it is read, it is parsed from
# a temporary copy under $TMPDIR, and the manifest lists it with
# "extracted": null and the reason.  Where $TMPDIR has no room for that copy
# it is hashed only, and said to be not parsed.  Every other file is copied
# as usual.  The case folder is FAT as statfs(2) reports it, through the
# fault injector (FAULTIO_STATFS_FAT; this kernel may have no vfat, and
# statfs is all shodo asks), with the hashes against icat of the source,
# the logons against evtxexport.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq; need icat sleuthkit; need evtxexport libevtx-utils; need sqlite3 sqlite3
need_corpus
[ "$(id -u)" = 0 ] || skip "needs root (loop and tmpfs mounts)"
log="$CORPUS/evtx/sbousseaden/Lateral Movement/LM_WMI_4624_4688_TargetHost.evtx"
[ -f "$log" ] || skip "corpus log missing: $log"

# the evidence: an NTFS volume with the usual tree and a Security log of
# 4 GiB + 1 MiB (a real log, then Windows' preallocated empty space; sparse)
ntfs_file vol.img 4400
wintree "$T/mnt"
logs=Windows/System32/winevt/Logs
mkdir -p "$T/mnt/$logs"
cp "$log" "$T/mnt/$logs/Security.evtx"
truncate -s 4097M "$T/mnt/$logs/Security.evtx"
ntfs_file_umount
big=$((4097 * 1048576))
ino=$(ifind -n "$logs/Security.evtx" vol.img) || fail "ifind"
mkfifo p
md5sum < p > md5.txt &
want_sha=$(icat vol.img "$ino" | tee p | sha256sum | cut -d' ' -f1)
wait
want_md5=$(cut -d' ' -f1 md5.txt)
before=$(sha256 vol.img)

# the case folder: on FAT as statfs reports it
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
mkdir fat small tmp
trap 'umount "$T/small" 2>/dev/null' EXIT
fat() { FAULTIO_STATFS_FAT=$T/fat LD_PRELOAD="$FIO" "$SHODO_BIN" "$@"; }

TMPDIR=$T/tmp fat triage vol.img --case "$T/fat/case" --evidence S1 --json > res.json 2> err.txt; rc=$?
[ $rc -eq 1 ] || { cat err.txt; fail "exit $rc (want 1: done, with the log not copied as a problem)"; }
tri=fat/case/S1/triage
m=$(jq -c --arg p "$logs/Security.evtx" 'select(.path == $p)' $tri/manifest.jsonl)
[ -n "$m" ] || fail "the big log is not in the manifest"
[ "$(echo "$m" | jq -r '.extracted')" = null ] || fail "the big log says it was extracted: $m"
[ "$(echo "$m" | jq -r '.size')" = $big ] || fail "size: $m"
[ "$(echo "$m" | jq -r '.sha256')" = "$want_sha" ] || fail "sha256 differs from icat: $m"
[ "$(echo "$m" | jq -r '.md5')" = "$want_md5" ] || fail "md5 differs from icat: $m"
echo "$m" | jq -r '.not_copied' | grep -q "FAT file system holds no file of 4 GiB or more: hashed, and parsed from a temporary copy" ||
	fail "no reason in the manifest: $m"
grep -q "Security.evtx' ($big bytes) not copied: the case folder's FAT" $tri/triage.log || fail "not in triage.log"
grep -q "the case folder is on FAT" $tri/triage.log || fail "the FAT case folder is not announced in triage.log"
[ -z "$(find $tri/files -path "*/fs@0/$logs/Security.evtx")" ] || fail "a copy of the big log is in the case folder"
ok "a log too big for FAT: hashed as icat reads it, listed with the reason, not copied"

# parsed from the temporary copy: the logons, value for value, against evtxexport
src=fs@0:$logs/Security.evtx
sqlite3 $tri/triage.db "select coalesce(source_ip,'') from logons where source = '$src' and event_id = 4624 order by record" > got
evtxexport -f xml "$log" 2>/dev/null | awk '/<EventID>/ {id = $0; sub(/.*<EventID>/, "", id); sub(/<.*/, "", id)}
	/Name="IpAddress"/ && id == 4624 {v = $0; sub(/.*">/, "", v); sub(/<.*/, "", v); if (v == "-") v = ""; print v}' > want
[ -s want ] || fail "evtxexport gave no 4624 addresses"
diff want got > d.txt || { cat d.txt; fail "logons from the big log differ from evtxexport"; }
[ "$(sqlite3 $tri/triage.db "select status from artifacts where source = '$src'")" = ok ] ||
	fail "artifact row: $(sqlite3 $tri/triage.db "select * from artifacts where source = '$src'")"
ok "the big log parsed from its temporary copy: $(wc -l < want) logons' source addresses as evtxexport reads them"

# every other file copied as usual; the case folder consistent
cut -f2 "$T/expect" | grep -v "^$logs/Security.evtx\$" | sort > want_paths
jq -r 'select(.extracted != null) | .path' $tri/manifest.jsonl | sort > got_paths
diff want_paths got_paths > d2.txt || { cat d2.txt; fail "the other files differ from what was expected"; }
jq -r 'select(.extracted != null) | [.extracted, .sha256] | @tsv' $tri/manifest.jsonl | while IFS="$(printf '\t')" read -r e s; do
	[ "$(sha256 "fat/case/$e")" = "$s" ] || fail "$e is not whole"
done || exit 1
[ "$(find $tri/files -type f | wc -l)" = "$(wc -l < got_paths)" ] || fail "files/ holds more than the manifest lists"
(cd fat/case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
[ -z "$(ls tmp)" ] || fail "temporary copies left: $(ls tmp)"
ok "the other $(wc -l < got_paths) files copied and whole, SHA256SUMS verifies, no temporary copy left"

# the temporary copy fails while it is written ($TMPDIR filled meanwhile:
# the injector fails writes under it with ENOSPC): not a reason to stop the
# run (before: "cannot write into the case folder", exit 3); hashed only
FAULTIO_WRITE_MATCH=/shodo-triage. FAULTIO_WRITE_LIMIT=4096 TMPDIR=$T/tmp fat triage vol.img \
	--case "$T/fat/case" --evidence S3 > out3.txt 2> err3.txt; rc=$?
[ $rc -eq 1 ] || { cat err3.txt; fail "temporary copy failed: exit $rc (want 1)"; }
tri=fat/case/S3/triage
m=$(jq -c --arg p "$logs/Security.evtx" 'select(.path == $p)' $tri/manifest.jsonl)
[ "$(echo "$m" | jq -r '[(.extracted | tostring), .sha256, .md5] | @tsv')" = "$(printf 'null\t%s\t%s' "$want_sha" "$want_md5")" ] ||
	fail "temporary copy failed: $m"
echo "$m" | jq -r '.not_copied' | grep -q "hashed only, not parsed (the temporary copy failed: .*No space left on device)" ||
	fail "temporary copy failed: reason: $m"
[ "$(sqlite3 $tri/triage.db "select status from artifacts where source = 'fs@0:$logs/Security.evtx'")" = not_copied ] ||
	fail "temporary copy failed: artifact status"
[ "$(jq -r 'select(.extracted != null) | .path' $tri/manifest.jsonl | sort | diff - want_paths && echo same)" = same ] ||
	fail "temporary copy failed: the other files were not all copied"
[ -z "$(ls tmp)" ] || fail "temporary copy failed: temporary files left: $(ls tmp)"
ok "a temporary copy that fails: hashed only, said so, the run goes on"

# no room under $TMPDIR for the temporary copy: hashed only, said not parsed
mount -t tmpfs -o size=8m tmpfs small || skip "cannot mount a tmpfs"
TMPDIR=$T/small fat triage vol.img --case "$T/fat/case" --evidence S2 > out2.txt 2> err2.txt; rc=$?
[ $rc -eq 1 ] || { cat err2.txt; fail "no room: exit $rc"; }
tri=fat/case/S2/triage
m=$(jq -c --arg p "$logs/Security.evtx" 'select(.path == $p)' $tri/manifest.jsonl)
[ "$(echo "$m" | jq -r '[(.extracted | tostring), .sha256] | @tsv')" = "$(printf 'null\t%s' "$want_sha")" ] || fail "no room: $m"
echo "$m" | jq -r '.not_copied' | grep -q "hashed only, not parsed" || fail "no room: reason: $m"
st=$(sqlite3 $tri/triage.db "select status from artifacts where source = 'fs@0:$logs/Security.evtx'")
[ "$st" = not_copied ] || fail "no room: artifact status '$st'"
[ "$(sqlite3 $tri/triage.db "select count(*) from logons where source = 'fs@0:$logs/Security.evtx'")" = 0 ] || fail "no room: logons from nowhere"
[ -z "$(ls small)" ] || fail "no room: temporary files left: $(ls small)"
(cd fat/case && sha256sum -c --quiet SHA256SUMS) || fail "no room: SHA256SUMS does not verify"
[ "$(sha256 vol.img)" = "$before" ] || fail "the source changed"
ok "no room for a temporary copy: hashed only, not parsed, and said so; the source unchanged"
