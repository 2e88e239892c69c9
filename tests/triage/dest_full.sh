#!/bin/sh
# A case folder that fills up stops the run cleanly: exit 3, one clear
# message with a hint, no half-written copy, a manifest that lists exactly
# the files that were copied (each one whole), the reason in triage.log.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq
[ "$(id -u)" = 0 ] || skip "needs root (tmpfs)"
ntfs_file vol.img 40
wintree "$T/mnt"
ntfs_file_umount
mkdir small
mount -t tmpfs -o size=400k tmpfs small 2>/dev/null || skip "cannot mount a tmpfs"
trap 'umount "$T/small" 2>/dev/null' EXIT
before=$(sha256 vol.img)
shodo triage vol.img --case small/case --evidence F1 > out.txt 2> err.txt; rc=$?
[ $rc -eq 3 ] || { cat err.txt; fail "exit $rc, want 3"; }
grep -q "^shodo: cannot write into the case folder, stopped after [0-9]* files: .*No space left on device" err.txt ||
	fail "no clear message: $(cat err.txt)"
grep -q "^hint: " err.txt || fail "no hint"
[ "$(grep -c 'cannot write into the case folder' err.txt)" = 1 ] || fail "the message is repeated: $(cat err.txt)"
tri=small/case/F1/triage
grep -q "error: cannot write into the case folder" $tri/triage.log || fail "reason not in triage.log"
n=$(wc -l < $tri/manifest.jsonl)
[ "$n" -ge 1 ] || fail "nothing copied before the disk was full (test too tight?)"
[ "$(find $tri/files -type f | wc -l)" = "$n" ] || fail "files on disk and manifest lines differ (a partial copy left?)"
jq -r '[.extracted, .sha256] | @tsv' $tri/manifest.jsonl | while IFS="$(printf '\t')" read -r e s; do
	[ "$(sha256 "small/case/$e")" = "$s" ] || fail "$e is not whole"
done || exit 1
ok "a full case folder stops the run cleanly"

# The manifest itself is what no longer fits (here injected: every write to
# it fails with ENOSPC after 1500 bytes, while the copies still fit): the
# copy whose line was refused, and any copy begun after it, is removed, so
# the manifest still lists exactly the files on disk.  Under load the case
# folder filled while a manifest line was still in a buffer, and the line
# was lost while its copy stayed.
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
FAULTIO_WRITE_MATCH=/F2/triage/manifest.jsonl FAULTIO_WRITE_LIMIT=1500 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" triage vol.img --case case2 --evidence F2 > out2.txt 2> err2.txt; rc=$?
[ $rc -eq 3 ] || { cat err2.txt; fail "manifest full: exit $rc, want 3"; }
grep -q "^shodo: cannot write into the case folder, stopped after [1-9][0-9]* files: cannot write 'manifest.jsonl': No space left on device" err2.txt ||
	fail "manifest full: no clear message: $(cat err2.txt)"
tri=case2/F2/triage
n=$(wc -l < $tri/manifest.jsonl)
[ "$n" -ge 1 ] || fail "manifest full: no line written"
[ "$(wc -c < $tri/manifest.jsonl)" -le 1500 ] || fail "manifest full: more than the injector let through"
[ "$(tail -c 1 $tri/manifest.jsonl | od -An -c | tr -d ' ')" = '\n' ] || fail "manifest full: ends in half a line"
[ "$(find $tri/files -type f | wc -l)" = "$n" ] || fail "manifest full: files on disk and manifest lines differ"
jq -r '[.extracted, .sha256] | @tsv' $tri/manifest.jsonl | while IFS="$(printf '\t')" read -r e s; do
	[ "$(sha256 "case2/$e")" = "$s" ] || fail "$e is not whole"
done || exit 1
[ "$(sha256 vol.img)" = "$before" ] || fail "source changed"
ok "a manifest that no longer fits stops the run with the manifest listing exactly the files on disk"
