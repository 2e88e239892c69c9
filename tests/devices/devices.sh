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
mkfs.ext4 -q -F "${LOOP}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
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

# read-only remount is reported as such
mount -o remount,ro m || fail "remount ro"
shodo devices "$LOOP" --json | python3 -c '
import json,sys; d=json.load(sys.stdin)["devices"][0]
assert [m for m in d["mounts"] if not m["read_write"]], d["mounts"]' || fail "ro mount not reported"

expect_exit 3 shodo devices /nonexistent 2>err.txt
grep -q "^shodo: cannot examine '/nonexistent': No such file or directory" err.txt || fail "error line: $(cat err.txt)"
expect_exit 2 shodo devices --bogus 2>/dev/null
ok "devices"
