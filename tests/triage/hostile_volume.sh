#!/bin/sh
# A hostile file system cannot end the run: a disk holds crafted volumes that
# make The Sleuth Kit crash or loop (tests/fuzz/hostile/*.img.xz, found by
# fuzzing libtsk and kept small: one loops listing a directory, one reading a
# file whose inode claims 2^59 bytes; fls or tsk_recover shows the same
# behaviour on each, the check below) and one good NTFS volume.  Triage marks
# the looping volume failed with the reason, refuses the file larger than its
# volume (its reads keep ticking, so no time limit would end them) and
# triages the rest of that volume, triages the good one as usual,
# and leaves a consistent case folder: every manifest line's copy exists and
# hashes as written, no other file is in files/, SHA256SUMS verifies and the
# custody entry holds the manifest's hash.
. "$SHODO_TOP/tests/lib/common.sh"
need fls sleuthkit; need icat sleuthkit; need tsk_recover sleuthkit; need jq jq; need xz xz-utils; need sfdisk fdisk

seeds=$(ls "$SHODO_TOP"/tests/fuzz/hostile/*.img.xz)
n=0; table="label: dos
"
start=2048
for s in $seeds; do
	n=$((n + 1))
	xz -dc "$s" > "h$n.img" || fail "xz $s"
	size=$(( ($(stat -c %s "h$n.img") + 511) / 512 ))
	# the behaviour is libtsk's: fls (listing) or tsk_recover (reading every
	# file) on the bare image crashes or does not finish
	timeout 10 fls -r -p "h$n.img" > /dev/null 2>&1; rc=$?
	if [ $rc -ne 124 ] && [ $rc -lt 128 ]; then
		timeout 10 tsk_recover -e "h$n.img" "rec$n" > /dev/null 2>&1; rc=$?
	fi
	[ $rc -eq 124 ] || [ $rc -ge 128 ] || fail "$(basename "$s"): fls and tsk_recover finished: not hostile"
	table="${table}start=$start, size=$size, type=83
"
	eval "off$n=$start"
	start=$(( (start + size + 2047) / 2048 * 2048 ))
done
[ $n -ge 1 ] || fail "no hostile seeds"
good=$start
mkimg disk.raw $(( good / 2048 + 40 ))M
printf '%sstart=%s, type=7\n' "$table" "$good" | sfdisk -q disk.raw >/dev/null || fail "sfdisk"
i=0
for s in $seeds; do
	i=$((i + 1)); eval "o=\$off$i"
	dd if="h$i.img" of=disk.raw bs=512 seek="$o" conv=notrunc status=none
done
LOOP=$(losetup -f --show -o $((good * 512)) --sizelimit $((39 * 1048576)) disk.raw) || skip "no loop device"
mkntfs -q -F -f "$LOOP" > /dev/null 2>&1 || { losetup -d "$LOOP"; fail mkntfs; }
mkdir -p "$T/mnt"
ntfs-3g "$LOOP" "$T/mnt" 2>/dev/null || { losetup -d "$LOOP"; skip "ntfs-3g mount failed"; }
mkdir -p "$T/mnt/Windows/System32/config" "$T/mnt/Users/Public/Desktop"
{ printf 'regf'; head -c 8188 /dev/urandom; } > "$T/mnt/Windows/System32/config/SYSTEM"
printf 'All your files have been encrypted.\nTo restore your files write to us: hostile@cock.li\nYour personal ID: 5E1F\n' \
	> "$T/mnt/Users/Public/Desktop/RESTORE_FILES.txt"
ntfs_umount
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence H --volume-timeout 20 --json > res.json 2> err.txt; rc=$?
[ $rc -eq 1 ] || { cat err.txt; fail "triage exited $rc (want 1: done with problems)"; }
gl=p$((n + 1))@$((good * 512))
# the hostile volumes: failed (or unreadable when libtsk dies opening them), with the reason
i=0
for s in $seeds; do
	i=$((i + 1)); eval "o=\$off$i"
	v=$(jq -c --arg l "p$i@$((o * 512))" '.volumes[] | select(.label == $l)' res.json)
	st=$(echo "$v" | jq -r .status)
	case $s in *file-data-runs*)
		# libtsk's endless read is of a hive whose inode claims 2^59
		# bytes (fls -l says so): that file is refused as larger than
		# its volume and the rest of the volume is triaged
		claim=$(fls -l -r -p "h$i.img" | awk -F'\t' '$2 == "Windows/System32/config/SYSTEM" {print $(NF - 2)}')
		[ -n "$claim" ] || fail "fls -l lists no SYSTEM hive in $(basename "$s")"
		[ "$st" = ok ] || fail "$(basename "$s"): volume status '$st' (want ok, the big file refused): $v"
		echo "$v" | jq -r '.problems[]' | grep -qF "cannot extract 'Windows/System32/config/SYSTEM': its size ($claim bytes) is larger than its volume ($(stat -c %s "h$i.img") bytes)" ||
			fail "$(basename "$s"): the refused file is not reported with its size: $v"
		grep -qF "its size ($claim bytes) is larger than its volume" case/H/triage/triage.log || fail "refusal not in triage.log"
		[ ! -e "case/H/triage/files/p$i@$((o * 512))/Windows/System32/config/SYSTEM" ] || fail "the refused file was copied"
		continue ;;
	esac
	case $st in failed|unreadable) ;; *) fail "$(basename "$s"): volume status '$st': $v" ;; esac
	echo "$v" | jq -r .error | grep -q -E "libtsk (crashed|made no progress)" || fail "$(basename "$s"): reason: $v"
	grep -q "p$i@$((o * 512)).*libtsk \(crashed\|made no progress\)" case/H/triage/triage.log || fail "not in triage.log"
done
# the good volume, triaged as usual
[ "$(jq -r --arg l "$gl" '.volumes[] | select(.label == $l) | .status' res.json)" = ok ] || fail "good volume: $(jq -c .volumes res.json)"
jq -r --arg l "$gl" 'select(.volume == $l) | [.volume, .category, .path] | @tsv' case/H/triage/manifest.jsonl | sort > got
printf '%s\transom_note\tUsers/Public/Desktop/RESTORE_FILES.txt\n%s\tregistry\tWindows/System32/config/SYSTEM\n' "$gl" "$gl" > want
diff want got > d.txt || { cat d.txt; fail "collected set differs"; }
notes=$(sqlite3 case/H/triage/triage.db "select emails from ransom_notes where volume = '$gl'")
[ "$notes" = hostile@cock.li ] || fail "note not analysed: $notes"
# a consistent case folder: what a hostile volume gave before it failed is
# kept, whole (its lines are checked like the others)
jq -r '[.extracted, .sha256, (.inode|tostring), ((.volume_offset / 512)|tostring), .volume] | @tsv' \
	case/H/triage/manifest.jsonl > lines
while IFS="$(printf '\t')" read -r ext s ino off vol; do
	[ "$(sha256 "case/$ext")" = "$s" ] || fail "$ext differs from the manifest"
	if [ "$vol" = "$gl" ]; then
		[ "$(icat -o "$off" disk.raw "$ino" | sha256sum | cut -d' ' -f1)" = "$s" ] || fail "$ext differs from icat"
	fi
done < lines
[ "$(find case/H/triage/files -type f | wc -l)" -eq "$(wc -l < lines)" ] || fail "files/ holds more than the manifest lists"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
grep '"action":"triage"' case/custody.jsonl | grep -q "$(sha256 case/H/triage/manifest.jsonl)" || fail "custody lacks the manifest hash"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "$n hostile volume(s) failed or refused with the reason, the good volume triaged, the case folder consistent"
