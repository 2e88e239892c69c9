# The destination screen with loop devices standing in for drives: the
# source's own disk is never offered; a file system too small for the image
# is refused with its free space (as df reports it), also when a folder on
# it is typed by hand; a case path that is a file, on /proc or relative is
# explained as it is typed; a write-protected disk
# is made writable only after its name is typed (a wrong name changes
# nothing), and the decision is logged; a volume labelled SHODO_CASES is
# mounted on request, the case folder goes onto it (named after the case
# number), the case's custody records how the destination was prepared, and
# the devices screen then marks that disk as the destination.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need mkfs.ext4 e2fsprogs; need sfdisk fdisk; need blockdev util-linux; need jq jq; need mkfs.fat dosfstools
need mcopy mtools
[ "$(id -u)" = 0 ] || skip "loop devices need root"
part() {  # FILE SIZE_MB: a disk with one partition from 1 MiB
	mkimg "$1" "${2}M"
	printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$1" >/dev/null || fail "sfdisk"
}
part src.img 48
mkimg p.img 47M
mkfs.fat -n DATA p.img >/dev/null || fail "mkfs.fat"
head -c $((30 * 1024 * 1024)) /dev/urandom > r.bin
MTOOLS_SKIP_CHECK=1 mcopy -i p.img r.bin ::/r.bin || fail "mcopy"
dd if=p.img of=src.img bs=1M seek=1 conv=notrunc status=none
part cases.img 160; part ro.img 160; part small.img 12
SRC=$(loop_attach src.img) || skip "no free loop device"
DA=$(loop_attach cases.img) || { loop_detach "$SRC"; skip "no free loop device"; }
DB=$(loop_attach ro.img) || { loop_detach "$SRC"; loop_detach "$DA"; skip "no free loop device"; }
DC=$(loop_attach small.img) || { loop_detach "$SRC"; loop_detach "$DA"; loop_detach "$DB"; skip "no free loop device"; }
MP=/run/shodo/mnt/$(basename "$DA")p1
tui_cleanup() {
	umount "$MP" 2>/dev/null; umount "$T/small" 2>/dev/null
	for l in "$SRC" "$DA" "$DB" "$DC"; do blockdev --setrw "$l" 2>/dev/null; loop_detach "$l"; done
}
trap tui_cleanup EXIT
mkfs.ext4 -q -F -L SHODO_CASES "${DA}p1" >/dev/null 2>&1 || fail "mkfs.ext4 SHODO_CASES"
mkfs.ext4 -q -F "${DB}p1" >/dev/null 2>&1 || fail "mkfs.ext4"
mkfs.ext4 -q -F "${DC}p1" >/dev/null 2>&1 || fail "mkfs.ext4 small"
mkdir -p small && mount "${DC}p1" small || skip "cannot mount ext4 from a loop partition"
blockdev --setro "$DB" && blockdev --setro "${DB}p1" || fail "blockdev --setro"
before=$(sha256 src.img)

tui_start 80 25
waitfor "Devices"
waitfor "$SRC "
pick "$SRC "
keys Enter
waitfor "Destination"
waitfor "The image needs about"
c=$(screen)
echo "$c" | grep -q "^. ${DA}p1 *ext4 .*'SHODO_CASES' *not mounted" || { echo "$c"; fail "the SHODO_CASES volume is not offered"; }
echo "$c" | grep -q "^. ${DB}p1 .*write-protected" || { echo "$c"; fail "the write-protected disk"; }
echo "$c" | grep -q "${SRC}p" && fail "the source's own disk is offered as a destination"
ok "destinations: SHODO_CASES volume, write-protected disk, never the source"
# too small: refused, with df's free space
avail=$(df -B1 --output=avail "$T/small" | tail -1 | tr -d ' ')
free=$(awk -v n="$avail" 'BEGIN { split("B KiB MiB GiB TiB", u, " "); i = 1
	while (n >= 1024 && i < 5) { n /= 1024; i++ }
	if (i == 1) printf "%d B", n; else printf "%.1f %s", n, u[i] }')
echo "$c" | grep -q "^. ${DC}p1 .*free $free, WILL NOT FIT" || { echo "$c"; fail "the small file system ($free free) is not marked"; }
pick "${DC}p1 "
keys Enter
waitfor "The image will not fit on this destination: $free free"
keys Enter
waitgone "Not enough room"
ok "a destination without room is refused, with the free space df reports"
# a case path that cannot be one is explained as it is typed, and Enter does not take it
keys End Enter
waitfor "The case folder:"
keys C-u; typed "$T/src.img"
waitfor "this is a file, not a folder"
keys C-u; typed "/proc/shodo-case"
waitfor "this is not a file system for files (like /proc or /sys)"
keys Enter
keys C-u; typed "case"
waitfor "give the whole path, starting with /"
keys Enter
seef "The case folder:" "a case path that cannot be one was taken"
keys Escape
waitgone "The case folder:"
[ ! -e /proc/shodo-case ] && [ ! -e case ] || fail "a refused case path was created"
ok "a file, /proc and a relative path are refused as case folders as they are typed"
# a folder typed by hand on that file system is refused the same way
keys End Enter
waitfor "The case folder:"
keys C-u; typed "$T/small/case"; keys Enter
waitfor "The image will not fit on this destination: $free free"
keys Enter
waitgone "Not enough room"
[ ! -e "$T/small/case" ] || fail "something was written to a destination without room"
ok "a folder typed on a file system without room is refused too, and nothing is written there"
# write-protected: a wrong name changes nothing, the right one unlocks, logged
pick "${DB}p1 "
keys Enter
waitfor "is write-protected by the kernel"
keys Enter
keys w
waitfor "Type $DB to confirm"
typed "/dev/sdz"; keys Enter
waitfor "not changed: $DB stays write-protected"
[ "$(blockdev --getro "$DB")" = 1 ] || fail "a wrong name made the disk writable"
keys w
waitfor "Type $DB to confirm"
typed "$DB"; keys Enter
waitfor "$DB is writable now"
[ "$(blockdev --getro "$DB")" = 0 ] && [ "$(blockdev --getro "${DB}p1")" = 0 ] || fail "the disk is still read-only"
grep -q "$(basename "$DB") made writable by the shodo front end" "$T/readonly.log" || fail "the unlock is not logged: $(cat "$T/readonly.log" 2>/dev/null)"
ok "make writable: only after the name is typed, and logged"
# the SHODO_CASES volume: mounted on request, the case goes onto it
pick "${DA}p1 "
keys Enter
waitfor "Mount the destination"
keys y
waitfor "Case and evidence"
findmnt -n "$MP" >/dev/null || fail "the SHODO_CASES volume is not mounted at $MP"
typed "HOSP-7"
waitfor "Case folder  $MP/HOSP-7"
keys Down C-u; typed "Ex"; keys Down C-u; typed SRC1
keys F5
waitfor "Action and options"
keys Right
waitfor "(*) triage only"
keys F5
waitfor "You are about to TRIAGE"
see "mounted ${DA}p1 at $MP" "the confirmation does not say the destination was mounted"
keys Enter
waitfor "SRC1 triage  done" 120
[ -f "$MP/HOSP-7/SRC1/triage/manifest.jsonl" ] || fail "the triage is not on the SHODO_CASES volume"
grep -q "destination prepared in the front end: mounted ${DA}p1 at $MP" "$MP/HOSP-7/custody.jsonl" || fail "custody does not say how the destination was prepared"
ok "the case folder is on the mounted SHODO_CASES volume; custody says how it got there"
keys Escape
waitfor "Devices"
keys r
waitfor "disks and files listed"
i=0
while ! screen | grep -q "^  $DA .*\[DESTINATION: not a source\]"; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		screen; grep shodo /proc/$(pgrep -P "$(tm list-panes -t "$TUI_S" -F '#{pane_pid}')" shodo)/mountinfo
		fail "the destination's disk is not marked"
	fi
	sleep 0.1
done
ok "the devices screen marks the destination's disk"
keys q
tui_wait_exit
terminal_restored
[ "$(sha256 src.img)" = "$before" ] || fail "the source changed"
