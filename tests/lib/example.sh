#!/bin/sh
# make example: builds a small Windows-like disk (FAT32 through mtools, so no
# root or mounting is needed), images it into ./example-case, verifies the
# image and the case folder, triages the image and writes the fleet report.
# Real event logs, prefetch files and hives are added from ../shared/corpus
# when it is present.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
shodo="$top/build/shodo"
case_dir=${1:-$top/example-case}
work=$(mktemp -d /tmp/shodo-example.XXXXXX)
trap 'rm -rf "$work"' EXIT
corpus="$top/../shared/corpus"

for t in mkfs.fat mcopy mmd sfdisk; do
	command -v $t >/dev/null || { echo "shodo: example: $t is missing; run 'make deps'" >&2; exit 3; }
done

disk=$work/disk.img
truncate -s 96M "$disk"
printf 'label: dos\nstart=2048, type=c\n' | sfdisk -q "$disk"
part=$work/part.img
truncate -s $((95 * 1024 * 1024)) "$part"
mkfs.fat -F 32 -n WINDOWS "$part" >/dev/null
M() { mmd -i "$part" "$@" 2>/dev/null || true; }
P() { mcopy -i "$part" -o "$1" "::$2"; }
M ::/Windows ::/Windows/System32 ::/Windows/System32/config ::/Windows/System32/winevt \
  ::/Windows/System32/winevt/Logs ::/Windows/Prefetch ::/Users ::/Users/nurse ::/Users/nurse/Documents \
  ::/Users/Public ::/ProgramData
printf 'regf' > "$work/stub"
if [ -d "$corpus" ]; then
	P "$corpus/hives/regipy/SYSTEM" /Windows/System32/config/SYSTEM
	P "$corpus/hives/regipy/SAM" /Windows/System32/config/SAM
	P "$corpus/evtx/deepbluecli/evtx/smb-password-guessing-security.evtx" /Windows/System32/winevt/Logs/Security.evtx
	P "$corpus/evtx/deepbluecli/evtx/new-user-security.evtx" /Windows/System32/winevt/Logs/Microsoft-Windows-Security-Auditing-old.evtx
	for pf in "$corpus"/prefetch/ez-prefetch/Win10/*.pf; do [ -f "$pf" ] && P "$pf" "/Windows/Prefetch/$(basename "$pf")"; done 2>/dev/null || true
fi
cat > "$work/note.txt" <<'NOTE'
YOUR FILES ARE ENCRYPTED
All your documents, databases and backups have been encrypted with strong algorithms.
To decrypt them you need the private key. Do not rename or modify encrypted files.
Contact us: recovery-team@example.org or visit http://examplexampleexamplexampleexamplexampleexamplexamplexampl.onion
NOTE
for d in /Users/nurse/Documents /Users/Public /ProgramData; do P "$work/note.txt" "$d/HOW_TO_RESTORE_FILES.txt"; done
for i in 1 2 3 4 5; do echo "patient record $i" > "$work/r$i"; P "$work/r$i" "/Users/nurse/Documents/record$i.docx.locked"; done
dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none

echo "== disk: $disk (FAT32 at 1 MiB)"
rm -rf "$case_dir"
"$shodo" image "$disk" --case "$case_dir" --evidence DISK1 --case-number EXAMPLE-1 \
	--examiner "Example Examiner" --description "generated example disk" --notes "make example"
"$shodo" verify "$case_dir/DISK1/image/DISK1.E01"
"$shodo" triage "$case_dir/DISK1/image/DISK1.E01" --case "$case_dir" --evidence DISK1 || true
"$shodo" report "$case_dir" || true
"$shodo" verify "$case_dir"
echo
echo "== case folder: $case_dir"
ls -l "$case_dir" "$case_dir/DISK1/image"
[ -f "$case_dir/DISK1/triage/summary.txt" ] && { echo; cat "$case_dir/DISK1/triage/summary.txt"; }
exit 0
