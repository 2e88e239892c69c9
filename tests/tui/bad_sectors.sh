# Unreadable sectors in the front end (reads of chosen ranges fail through
# the fault injector): the job counts the bad sectors as it goes, the job
# ends "done with warnings", and the results screen says how many sectors
# were lost and lists the ranges acquisition.json records, with the MD5 of
# the zero-filled media as md5sum computes it.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need jq jq; need md5sum coreutils
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
head -c $((4 * 1024 * 1024)) /dev/urandom > d.raw
cp d.raw expect.raw
dd if=/dev/zero of=expect.raw bs=512 seek=2051 count=1 conv=notrunc 2>/dev/null
dd if=/dev/zero of=expect.raw bs=512 seek=4096 count=80 conv=notrunc 2>/dev/null
MD5=$(md5sum < expect.raw | cut -d' ' -f1)
TUI_ENV="LD_PRELOAD='$FIO' FAULTIO_READ_PATH='$T/d.raw' FAULTIO_READ_BAD=1050112:512,2097152:40960"
tui_start 80 25 "$T/d.raw"
waitfor "Devices"
pick "$T/d.raw"
keys Enter
waitfor "Destination"
keys End Enter
waitfor "The case folder:"
typed "$T/case"; keys Enter
waitfor "Case and evidence"
keys Down Down C-u; typed BAD1
keys F5
waitfor "Action and options"
typed i
waitfor "(*) image only"
keys F5
waitfor "You are about to IMAGE"
keys Enter
waitfor "BAD1 image  done with warnings" 300
waitfor "41472 bytes in 2 ranges were unreadable and are zero-filled"
ok "the job ends with warnings and says, in a sentence, what was lost"
keys Enter
waitfor "Results"
waitfor "Unreadable: 2 ranges, 81 sectors (zero-filled, recorded)"
see "MD5     $MD5" "the MD5 is not md5sum's of the zero-filled media"
ok "the results count 81 lost sectors in 2 ranges; MD5 of the zero-filled media"
pick "Unreadable ranges"
keys Enter
waitfor "2 ranges could not be read"
for r in $(jq -r '.unreadable[] | "\(.offset):\(.length)"' case/BAD1/image/acquisition.json); do
	off=${r%%:*}; len=${r#*:}
	see "^ *$off  *$((off / 512))  *$len bytes" "range $r is not listed"
done
ok "the ranges shown are acquisition.json's"
for k in 1 2 3 4; do keys Escape; done
waitfor "Devices"
keys q
tui_wait_exit
grep -q "exit=1" "$T/exit" || fail "the exit status after an image with lost sectors: $(cat "$T/exit")"
terminal_restored
ok "exit status 1 after an image with unreadable sectors, as the CLI"
