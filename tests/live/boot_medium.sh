# shodo devices on the stick: the boot medium is recognised by the UUID the
# boot loader names (shodo.medium=), also when nothing of it is mounted (as
# after toram); a squashfs on a loop device is the live system; neither is a
# source candidate, and candidates are listed first.  A hybrid ISO built with
# xorriso stands in for the stick, with a SHODO_CASES partition after it;
# volume types, labels and UUIDs are compared with blkid (a peer tool).
. "$SHODO_TOP/tests/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
need xorriso xorriso; need mksquashfs squashfs-tools; need sfdisk fdisk; need mkfs.exfat exfatprogs
need python3 python3; need blkid util-linux

# the "stick": an ISO 9660 file system at the start of the disk with a fixed
# UUID, and an exFAT SHODO_CASES partition appended after it
mkdir -p iso/live && echo shodo > iso/live/marker
mkimg cases.img 16M && mkfs.exfat -L SHODO_CASES cases.img >/dev/null || fail "mkfs.exfat"
xorriso -as mkisofs -quiet -r -V SHODO --modification-date=2025010203040500 \
	-append_partition 3 0x07 cases.img -o stick.img iso 2>xorriso.err || fail "xorriso: $(cat xorriso.err)"
ISO_UUID=$(blkid -p -o value -s UUID stick.img)
[ "$ISO_UUID" = 2025-01-02-03-04-05-00 ] || fail "xorriso UUID: $ISO_UUID"
# a suspect disk: MBR with an ext4 partition
mkimg suspect.img 32M
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q suspect.img >/dev/null || fail "sfdisk"
# a squashfs as the live system's root file system
mkdir -p rootfs/etc && echo live > rootfs/etc/marker
mksquashfs rootfs live.squashfs -quiet -noappend >/dev/null || fail "mksquashfs"

STICK=$(loop_attach stick.img) || skip "no loop device"
SUS=$(loop_attach suspect.img) || { loop_detach "$STICK"; skip "no loop device"; }
SQ=$(loop_attach -r live.squashfs) || { loop_detach "$STICK"; loop_detach "$SUS"; skip "no loop device"; }
trap 'loop_detach "$STICK"; loop_detach "$SUS"; loop_detach "$SQ"' EXIT
mkfs.ext4 -q -F -L WINDATA "${SUS}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
CASES_PART=$(ls -d "${STICK}"p* | tail -n 1)
[ "$(blkid -p -o value -s LABEL "$CASES_PART")" = SHODO_CASES ] || fail "no SHODO_CASES partition on $CASES_PART"

echo "BOOT_IMAGE=/live/vmlinuz boot=live shodo.medium=$ISO_UUID quiet" > cmdline.on
echo "BOOT_IMAGE=/live/vmlinuz boot=live quiet" > cmdline.off
SHODO_CMDLINE=$T/cmdline.on shodo devices --json > on.json || fail "devices --json"
SHODO_CMDLINE=$T/cmdline.off shodo devices --json > off.json || fail "devices --json"
SHODO_CMDLINE=$T/cmdline.on shodo devices --json "$CASES_PART" "${SUS}p1" > parts.json || fail "devices PART"
SHODO_CMDLINE=$T/cmdline.on shodo devices > table.txt || fail "devices table"
# what blkid (a peer tool) says about every partition
for p in "$CASES_PART" "${SUS}p1"; do
	printf '%s %s %s %s\n' "$p" "$(blkid -p -o value -s TYPE "$p")" "$(blkid -p -o value -s LABEL "$p")" \
		"$(blkid -p -o value -s UUID "$p")"
done > blkid.txt

python3 - "$STICK" "$SUS" "$SQ" "$CASES_PART" "$ISO_UUID" <<'PY' || fail "boot medium flags"
import json, sys
stick, sus, sq, cases, uuid = sys.argv[1:6]
on = json.load(open("on.json"))["devices"]
off = {d["path"]: d for d in json.load(open("off.json"))["devices"]}
byp = {d["path"]: d for d in on}
s, v, q = byp[stick], byp[sus], byp[sq]
assert s["boot_medium"] and not s["source_candidate"], s
assert s["fstype"] == "iso9660" and s["uuid"] == uuid and s["label"] == "SHODO", s
assert s["cases_volume"], "the stick's SHODO_CASES partition is not seen"
assert not off[stick]["boot_medium"], "without shodo.medium= an unmounted stick cannot be known"
assert v["source_candidate"] and not v["boot_medium"] and not v["live_system"] and not v["cases_volume"], v
assert q["live_system"] and not q["source_candidate"] and q["fstype"] == "squashfs", q
# candidates first: no candidate after the first non-candidate
flags = [d["source_candidate"] for d in on]
assert flags == sorted(flags, reverse=True), [(d["path"], d["source_candidate"]) for d in on]
# partitions: the stick's case partition belongs to the boot medium, the suspect's does not
parts = {d["path"]: d for d in json.load(open("parts.json"))["devices"]}
assert parts[cases]["boot_medium"] and parts[cases]["cases_volume"] and not parts[cases]["source_candidate"]
assert not parts[sus + "p1"]["boot_medium"] and parts[sus + "p1"]["source_candidate"]
# volumes agree with blkid
vols = {x["path"]: x for d in on for x in d["partition_list"]}
for line in open("blkid.txt"):
    f = line.rstrip("\n").split(" ")
    x = vols[f[0]]
    assert (x["fstype"], x["label"], x["uuid"]) == (f[1], f[2], f[3]), (x, f)
assert vols[sus + "p1"]["start"] == 2048 * 512, vols[sus + "p1"]
print("ok")
PY
grep -q "^$STICK .* BC " table.txt || fail "table flags: $(grep "^$STICK " table.txt)"
grep -q "^$SQ .* roL " table.txt || fail "table flags: $(grep "^$SQ " table.txt)"
ok "boot medium and live system flagged, never source candidates"
