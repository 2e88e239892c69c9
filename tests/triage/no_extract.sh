#!/bin/sh
# --no-extract copies nothing into the case folder: the manifest still has
# every file with its hashes (extracted: null), the temporary copies live
# outside the case folder and are gone after the run.  Sparse files are not
# expanded: a 40 MiB sparse event log with 8 KiB of data stays small on
# disk when extracted, and its hash is the one of the whole logical file.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq; need icat sleuthkit

ntfs_file vol.img 48
wintree "$T/mnt"
lg="$T/mnt/Windows/System32/winevt/Logs"
printf 'ElfFile\0' > "$lg/Sparse.evtx"
head -c 8192 /dev/urandom | dd of="$lg/Sparse.evtx" bs=1M seek=20 conv=notrunc status=none
truncate -s 40M "$lg/Sparse.evtx"
printf 'evtx\tWindows/System32/winevt/Logs/Sparse.evtx\n' >> "$T/expect"
ntfs_file_umount
sort "$T/expect" > want
sp=$(ifind -n Windows/System32/winevt/Logs/Sparse.evtx vol.img)
spsum=$(icat vol.img "$sp" | sha256sum | cut -c1-64)
before=$(sha256 vol.img)

mkdir tmp
# exit 1: the generated stand-ins for logs and hives fail to parse, as they should
TMPDIR=$T/tmp shodo triage vol.img --case case --evidence NX --no-extract --json > nx.json; rc=$?
[ $rc -le 1 ] || fail "triage --no-extract exited $rc"
tri=case/NX/triage
[ -e $tri/files ] && fail "--no-extract created $tri/files"
[ -z "$(find case -type f -size +600k)" ] || fail "--no-extract left big files in the case: $(find case -type f -size +600k)"
[ -z "$(ls -A tmp)" ] || fail "temporary copies not removed: $(ls -A tmp)"
[ "$(jq -r .extracted nx.json)" = false ] || fail "--json does not say extracted: false"
jq -r '[.category, .path] | @tsv' $tri/manifest.jsonl | sort > got
diff want got || fail "--no-extract: collected set differs"
[ "$(jq -r 'select(.extracted != null) | .path' $tri/manifest.jsonl | wc -l)" = 0 ] || fail "extracted should be null"
jq -r 'select(.path | contains(":") | not) | [(.inode|tostring), .sha256] | @tsv' $tri/manifest.jsonl > lines
while IFS="$(printf '\t')" read -r ino s; do
	[ "$(icat vol.img "$ino" | sha256sum | cut -c1-64)" = "$s" ] || fail "inode $ino: hash differs from icat"
done < lines
ok "--no-extract: the same set, nothing copied, hashes as icat reads them"
# the Mark of the Web stream, by its sleuthkit address
zaddr=$(fls -r vol.img | awk -F'\t' '$2 ~ /AnyDesk.exe:Zone.Identifier$/ { sub(/^.* /, "", $1); sub(/:$/, "", $1); print $1 }')
[ -n "$zaddr" ] || fail "fls does not list the Zone.Identifier stream"
[ "$(icat vol.img "$zaddr" | sha256sum | cut -c1-64)" = \
  "$(jq -r 'select(.path=="Users/alice/Downloads/AnyDesk.exe:Zone.Identifier") | .sha256' $tri/manifest.jsonl)" ] ||
	fail "Zone.Identifier stream hash differs from icat $zaddr"
grep '"action":"triage"' case/custody.jsonl | grep -q "hashed, not copied" || fail "custody does not say nothing was copied"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
ok "the Mark of the Web stream, by its sleuthkit address"

# extraction of the sparse file: logical size and hash kept, holes on disk
shodo triage vol.img --case case --evidence SP >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
line=$(jq -c 'select(.path=="Windows/System32/winevt/Logs/Sparse.evtx")' case/SP/triage/manifest.jsonl)
f=case/$(echo "$line" | jq -r .extracted)
[ "$(stat -c %s "$f")" = 41943040 ] || fail "sparse file: logical size $(stat -c %s "$f")"
[ "$(echo "$line" | jq -r .sha256)" = "$spsum" ] && [ "$(sha256 "$f")" = "$spsum" ] || fail "sparse file: hash"
kb=$(du -k "$f" | cut -f1)
[ "$kb" -lt 1024 ] || fail "sparse file expanded to $kb KiB on disk"
[ "$(sha256 vol.img)" = "$before" ] || fail "source changed"
ok "--no-extract and sparse files"
