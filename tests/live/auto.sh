# The stick's unattended run (live-image/rootfs/usr/lib/shodo/shodo-auto), on
# loop devices standing in for the stick (ISO 9660 + an exFAT SHODO_CASES
# partition), a suspect disk (MBR, NTFS holding a real SYSTEM hive) and a
# destination drive (ext4 SHODO_CASES): settings from shodo.conf on the stick,
# overridden by the kernel command line; the evidence ID from the computer
# name in the hive and the disk; the triage on the stick's case partition,
# the E01 on the destination (ewfverify, MD5 of the disk); the run log in the
# case folder covered by SHA256SUMS (shodo verify); a second visit gets a new
# ID; no destination means FAILED, with the triage still done; the suspect's
# sha256 never changes.
. "$SHODO_TOP/tests/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
need xorriso xorriso; need mkfs.exfat exfatprogs; need mount.exfat-fuse exfat-fuse; need mkntfs ntfs-3g
need ifind sleuthkit; need ewfverify ewf-tools; need ewfinfo ewf-tools; need jq jq; need sfdisk fdisk
need mkfs.ext4 e2fsprogs
need_corpus
AUTO=$SHODO_TOP/live-image/rootfs/usr/lib/shodo/shodo-auto
export SHODO_CASES_HELPER=$SHODO_TOP/live-image/rootfs/usr/lib/shodo/shodo-cases
mkdir -p bin && ln -sf "$SHODO_BIN" bin/shodo && PATH=$T/bin:$PATH && export PATH

# the stick
mkdir -p iso/live && echo shodo > iso/live/marker
mkimg cases.img 64M && mkfs.exfat -L SHODO_CASES cases.img >/dev/null || fail "mkfs.exfat"
xorriso -as mkisofs -quiet -r -V SHODO --modification-date=2025052001020300 \
	-append_partition 3 0x07 cases.img -o stick.img iso 2>/dev/null || fail "xorriso"
UUID=2025-05-20-01-02-03-00
# the suspect: NTFS with Windows/System32/config/SYSTEM
ntfs_image suspect.img 40
mkdir -p mnt/Windows/System32/config && cp "$CORPUS/hives/przetom/SYSTEM" mnt/Windows/System32/config/SYSTEM
ntfs_umount
HOST=$(shodo parse --tables host "$CORPUS/hives/przetom/SYSTEM" | awk '$1 == "computer_name" { print $2 }')
# the destination
mkimg dest.img 128M
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q dest.img >/dev/null || fail "sfdisk"
before=$(sha256 suspect.img)

STICK=$(loop_attach stick.img) || skip "no loop device"
SUS=$(loop_attach -r suspect.img) || { loop_detach "$STICK"; skip "no loop device"; }
DST=$(loop_attach dest.img) || { loop_detach "$STICK"; loop_detach "$SUS"; skip "no loop device"; }
trap 'for m in "$T"/cases/*; do umount "$m" 2>/dev/null; done; umount "$T/m" 2>/dev/null
	loop_detach "$STICK"; loop_detach "$SUS"; loop_detach "$DST"' EXIT
mkfs.ext4 -q -F -L SHODO_CASES "${DST}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
SP=$(ls -d "$STICK"p* | tail -n 1)
export SHODO_CASES_DEVICES="$SP ${DST}p1" SHODO_CASES_ROOT=$T/cases SHODO_AUTO_SETTLE=0 SHODO_RUN=$T/run

# what the responder wrote on the stick; the boot menu entry's command line
mkdir -p m && mount.exfat-fuse "$SP" m || fail "mount the stick's case partition"
printf 'case = HOSP 2024/17\r\nexaminer = from the conf file\nprofile = quick\n' > m/shodo.conf
umount m
echo "BOOT_IMAGE=/live/vmlinuz boot=live shodo.medium=$UUID shodo.auto=triage,image shodo.examiner=K.Tanaka shodo.after=shell shodo.disks=$(basename "$SUS") shodo.dest=$(basename "$DST")p1" > cmdline
export SHODO_CMDLINE=$T/cmdline

sh "$AUTO" > screen1.txt 2>&1; rc=$?
[ $rc = 0 ] || { cat screen1.txt; cat run/auto-*.log; fail "first run exited $rc"; }
grep -qF "########      ######    ##      ##  ##########" screen1.txt || fail "no large DONE: $(cat screen1.txt)"
ID=$HOST-$(basename "$SUS")
grep -q "$ID  host $HOST" screen1.txt || fail "end screen: $(cat screen1.txt)"
MD5=$(md5sum < suspect.img | cut -d' ' -f1)
grep -q "MD5 *$MD5" screen1.txt || fail "end screen has not the disk's MD5 $MD5"
grep -q "You may pull the stick" screen1.txt && fail "after=shell must not ask to pull the stick"
[ -z "$(ls cases 2>/dev/null)" ] || fail "case volumes left mounted: $(ls cases)"

# the results, read back
mount.exfat-fuse -o ro "$SP" m || fail "mount the stick's case partition"
C=m/HOSP_2024_17
[ -f "$C/$ID/triage/manifest.jsonl" ] || fail "no triage of $ID on the stick: $(ls -R m | head -n 30)"
jq -e '.examiner == "K.Tanaka" and .case_number == "HOSP 2024/17"' "$C/case.json" >/dev/null ||
	fail "case.json: $(cat "$C/case.json")"
ls "$C"/auto/*.log >/dev/null 2>&1 || fail "no run log in the case folder"
grep -q "result: DONE" "$C"/auto/*.log || fail "the run log in the case folder does not end in DONE"
grep -q "computer name '$HOST'" "$C"/auto/*.log || fail "run log: $(cat "$C"/auto/*.log)"
shodo verify "$C" > verify.txt 2>&1 || { cat verify.txt; fail "shodo verify of the stick's case folder"; }
[ ! -d "$C/$ID/image" ] || fail "an image was written to the stick"
umount m
mkdir -p d && mount -o ro "${DST}p1" d || fail "mount the destination"
ewfverify -q "d/HOSP_2024_17/$ID/image/$ID.E01" > ev.txt 2>&1 || { cat ev.txt; fail "ewfverify"; }
[ "$(ewfinfo "d/HOSP_2024_17/$ID/image/$ID.E01" | sed -n 's/^[[:space:]]*MD5:[[:space:]]*//p')" = "$MD5" ] || fail "E01 MD5"
grep -q "result: DONE" d/HOSP_2024_17.auto-*.log || fail "no run log beside the images' case folder"
shodo verify d/HOSP_2024_17 > dverify.txt 2>&1 || { cat dverify.txt; fail "shodo verify of the images' case folder"; }
umount d
ok "unattended triage + image: $ID on the stick and the destination"

# the same PC again: a new evidence ID, nothing overwritten
sh "$AUTO" > screen2.txt 2>&1 || { cat screen2.txt; fail "second run"; }
grep -q "$ID-2  host $HOST" screen2.txt || fail "second visit: $(cat screen2.txt)"
# no destination drive: FAILED, and the triage is still on the stick
sed -i "s/shodo.dest=[^ ]*/shodo.dest=sdz9/" cmdline
sh "$AUTO" > screen3.txt 2>&1; rc=$?
[ $rc = 1 ] || fail "a run without its destination exited $rc"
grep -qF "##########    ######    ##########  ##          ##########  ########" screen3.txt || fail "no large FAILED: $(cat screen3.txt)"
grep -q "image destination 'sdz9' is not a mounted SHODO_CASES volume" screen3.txt || fail "reason: $(cat screen3.txt)"
grep -q "$ID-3  host $HOST" screen3.txt || fail "the triage did not run: $(cat screen3.txt)"
# nothing asked for: exit 10 (the front end starts)
sed -i "s/shodo.auto=[^ ]*/shodo.auto=off/" cmdline
sh "$AUTO" > /dev/null 2>&1; rc=$?
[ $rc = 10 ] || fail "shodo.auto=off exited $rc"
[ "$(sha256 suspect.img)" = "$before" ] || fail "the suspect disk changed"
ok "second visit, missing destination, auto=off; the suspect is unchanged"
