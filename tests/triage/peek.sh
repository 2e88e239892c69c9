# shodo_triage_peek (the front end's quick look at a source): the volumes of
# a two-partition disk with their file systems and the NTFS volume name, and
# the Windows host name and version read from the SYSTEM and SOFTWARE hives
# exactly as hivexget (a peer nobody here wrote) reads them; the same through
# an E01 of the disk; a deadline that has passed gives up without an answer.
. "$SHODO_TOP/tests/lib/common.sh"
need hivexget libhivex-bin; need mkntfs ntfs-3g; need mkfs.fat dosfstools; need sfdisk fdisk
[ "$(id -u)" = 0 ] || skip "ntfs-3g mounts need root (FUSE)"
P=$HELPERS/peek
sys=$CORPUS/hives/przetom/SYSTEM
if [ ! -f "$sys" ]; then
	printf 'D\tSelect\tCurrent\t1\nS\tControlSet001\\Control\\ComputerName\\ComputerName\tComputerName\tWARD-PC-07\n' |
		"$HELPERS/mkhive" SYSTEM || fail "mkhive"
	sys=$T/SYSTEM
fi
printf 'S\tMicrosoft\\Windows NT\\CurrentVersion\tProductName\tWindows 10 Pro\nS\tMicrosoft\\Windows NT\\CurrentVersion\tDisplayVersion\t22H2\nS\tMicrosoft\\Windows NT\\CurrentVersion\tCurrentBuild\t19045\n' |
	"$HELPERS/mkhive" SOFTWARE || fail "mkhive"
cur=$(hivexget "$sys" '\Select' Current 2>/dev/null || echo 1)
cs=$(printf 'ControlSet%03d' "$cur")
want_host=$(hivexget "$sys" "\\$cs\\Control\\ComputerName\\ComputerName" ComputerName) || fail "hivexget ComputerName"
want_os="$(hivexget SOFTWARE '\Microsoft\Windows NT\CurrentVersion' ProductName) $(hivexget SOFTWARE '\Microsoft\Windows NT\CurrentVersion' DisplayVersion) build $(hivexget SOFTWARE '\Microsoft\Windows NT\CurrentVersion' CurrentBuild)"

mkimg disk.img 80M
printf 'label: dos\nstart=2048, size=61440, type=7\nstart=63488, type=c\n' | sfdisk -q disk.img || fail "sfdisk"
mkimg ntfs.img 30M
mkntfs -q -F -f -L "Windows C" ntfs.img >/dev/null 2>&1 || fail "mkntfs"
mkdir -p m && ntfs-3g ntfs.img m || skip "ntfs-3g mount failed (FUSE unavailable?)"
mkdir -p m/Windows/System32/config && cp "$sys" m/Windows/System32/config/SYSTEM && cp SOFTWARE m/Windows/System32/config/SOFTWARE
sync; umount m || fusermount -u m
mkimg fat.img 40M
mkfs.fat -n DATA fat.img >/dev/null || fail "mkfs.fat"
dd if=ntfs.img of=disk.img bs=512 seek=2048 conv=notrunc status=none
dd if=fat.img of=disk.img bs=512 seek=63488 conv=notrunc status=none
before=$(sha256 disk.img)

"$P" disk.img > raw.txt || fail "peek exited $?"
cat raw.txt
line=$(grep '^p1@1048576	' raw.txt) || fail "no NTFS volume"
[ "$(echo "$line" | cut -f2,3,4)" = "ntfs	ok	Windows C" ] || fail "NTFS volume: $line"
[ "$(echo "$line" | cut -f5)" = "$want_host" ] || fail "host: $(echo "$line" | cut -f5), hivexget: $want_host"
[ "$(echo "$line" | cut -f6)" = "$want_os" ] || fail "os: $(echo "$line" | cut -f6), want $want_os"
grep -q "^p2@$((63488*512))	fat" raw.txt || fail "FAT volume missing"
[ "$(grep '^host	' raw.txt | cut -f2)" = "$want_host" ] || fail "summary host"
ok "volumes, NTFS name, host ($want_host) and version as hivexget reads them"

shodo image disk.img --case case --evidence D1 -q >/dev/null 2>&1 || fail "image"
"$P" case/D1/image/D1.E01 > e01.txt || fail "peek of the E01"
diff raw.txt e01.txt || fail "the E01 reads differently from the raw disk"
[ "$(grep '^warning	' e01.txt | cut -f2)" = "" ] || fail "a whole E01 set is said to be read in part"
ok "the same through an E01 of the disk"

# an E01 set with a segment missing is looked into, and the look says which
shodo image disk.img --case case --evidence D2 --segment-size 20M --compression none -q >/dev/null 2>&1 ||
	fail "image in segments"
[ -f case/D2/image/D2.E03 ] || fail "no third segment: $(ls case/D2/image)"
mv case/D2/image/D2.E02 e02.away
"$P" case/D2/image/D2.E01 > gap.txt || fail "peek of the E01 set with a gap exited $?"
grep '^warning	' gap.txt | grep -q "segment 'D2.E02' is missing" ||
	fail "the missing segment is not named: $(grep '^warning' gap.txt)"
mv e02.away case/D2/image/D2.E02
ok "an E01 set with a segment missing: the look names it"

"$P" disk.img 0.000001 > late.txt || fail "peek with a past deadline exited $?"
grep -q '^timed_out	1$' late.txt || fail "a passed deadline is not reported: $(cat late.txt)"
[ -z "$(grep '^host	' late.txt | cut -f2)" ] || fail "late peek still answered"
ok "a passed deadline gives up and says so"

expect_exit 3 "$P" nothere.img 2>/dev/null
[ "$(sha256 disk.img)" = "$before" ] || fail "the source changed"
ok "peek: $want_host, $want_os"
