# shodo devices: a loop-backed GPT disk with an ext4 partition is listed with the
# same size, sector sizes, partition table and read-only flag that lsblk (a
# peer nobody here wrote) reports; mounts and their rw state are shown.
. "$SHODO_TOP/tests/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root"
need sfdisk fdisk; need mkfs.ext4 e2fsprogs; need lsblk util-linux; need python3 python3

mkimg disk.img 64M
printf 'label: gpt\nstart=2048, size=40960, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\nstart=43008, type=0FC63DAF-8377-4AE4-8E47-7D9AA0C9A4F4\n' | sfdisk -q disk.img >/dev/null || fail "sfdisk"
LOOP=$(loop_attach disk.img) || skip "no free loop device"
trap 'umount "$T/m" 2>/dev/null; loop_detach "$LOOP"' EXIT
mkfs.ext4 -q -F -L "EVID 1" "${LOOP}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
mkdir -p m && mount "${LOOP}p1" m || skip "cannot mount ext4 from a loop partition"

shodo devices --json > all.json || fail "shodo devices --json exited $?"
shodo devices "$LOOP" --json > one.json || fail "shodo devices $LOOP --json exited $?"
shodo devices > table.txt || fail "table"
grep -q "^$LOOP " table.txt || fail "table does not list $LOOP"
lsblk -b -J -d -o NAME,SIZE,LOG-SEC,PHY-SEC,RO,RM "$LOOP" > lsblk.json
# lsblk takes PTTYPE from udev, which may not run: ask blkid directly
PTTYPE=$(blkid -p -o value -s PTTYPE "$LOOP")
[ "$PTTYPE" = gpt ] || fail "blkid sees no gpt on $LOOP"

python3 - "$LOOP" "$T/disk.img" "$T/m" "$PTTYPE" <<'PY' || fail "device fields differ from lsblk"
import json, sys
loop, backing, mnt, pttype = sys.argv[1:5]
ours = {d["path"]: d for d in json.load(open("all.json"))["devices"]}
assert loop in ours, "loop device missing from the list"
d = ours[loop]
one = json.load(open("one.json"))["devices"][0]
assert one == d, "probe and list disagree"
l = json.load(open("lsblk.json"))["blockdevices"][0]
checks = [("size", d["size"], int(l["size"])), ("logical", d["logical_sector_size"], int(l["log-sec"])),
          ("physical", d["physical_sector_size"], int(l["phy-sec"])), ("ro", d["read_only"], bool(int(l["ro"]))),
          ("removable", d["removable"], bool(int(l["rm"]))), ("pttype", d["partition_table"], pttype)]
bad = [c for c in checks if c[1] != c[2]]
assert not bad, bad
assert d["transport"] == "loop", d["transport"]
assert d["partitions"] == 2, d["partitions"]
assert d["backing_file"] == backing, d["backing_file"]
assert not d["boot_medium"]
m = [x for x in d["mounts"] if x["mountpoint"] == mnt]
assert m and m[0]["read_write"] and m[0]["partition"] == loop + "p1", d["mounts"]
root = [x for x in ours.values() if any(mm["mountpoint"] == "/" for mm in x["mounts"])]
assert all(x["boot_medium"] for x in root), "the device holding / must be the boot medium"
print("ok", d)
PY
ok "shodo devices agrees with lsblk and blkid on the loop disk"

# partitions: start and size as sysfs/sfdisk say, file system type and label as blkid -p reads them
sfdisk -J disk.img > sfdisk.json
for n in 1 2; do
	printf '%s\t%s\n' "$(blkid -p -o value -s TYPE "${LOOP}p$n" 2>/dev/null)" "$(blkid -p -o value -s LABEL "${LOOP}p$n" 2>/dev/null)"
done > blkid.txt
python3 - "$LOOP" <<'PY' || fail "partitions differ from sfdisk/blkid"
import json, sys
loop = sys.argv[1]
d = json.load(open("all.json"))["devices"]
d = [x for x in d if x["path"] == loop][0]
parts = d["partition_list"]
sf = json.load(open("sfdisk.json"))["partitiontable"]["partitions"]
bl = [l.rstrip("\n").split("\t") for l in open("blkid.txt")]
assert len(parts) == len(sf) == 2, (parts, sf)
for p, s, b in zip(parts, sf, bl):
    assert p["start"] == s["start"] * 512 and p["size"] == s["size"] * 512, (p, s)
    assert [p["fstype"], p["label"]] == b, (p, b)
assert parts[0]["path"] == loop + "p1" and parts[0]["fstype"] == "ext4" and parts[0]["label"] == "EVID 1", parts[0]
print("partitions ok", parts)
PY
grep -q "^  ${LOOP}p1 .* ext4 .*'EVID 1'" table.txt || fail "the table does not show the partition: $(cat table.txt)"

# read-only remount is reported as such
mount -o remount,ro m || fail "remount ro"
shodo devices "$LOOP" --json | python3 -c '
import json,sys; d=json.load(sys.stdin)["devices"][0]
assert [m for m in d["mounts"] if not m["read_write"]], d["mounts"]' || fail "ro mount not reported"

expect_exit 3 shodo devices /nonexistent 2>err.txt
grep -q "^shodo: cannot examine '/nonexistent': No such file or directory" err.txt || fail "error line: $(cat err.txt)"
expect_exit 2 shodo devices --bogus 2>/dev/null
ok "devices"
