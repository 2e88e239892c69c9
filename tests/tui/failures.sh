# Failures as a responder meets them, in sentences with what to do and
# never as codes or library function names: a disk with no readable file
# system (listed so, image only chosen for it and the reason said), triaged
# then imaged all the same (the triage fails, the image is still made and
# verified, and the jobs and results screens say which half failed and
# why); an E01 set with a missing segment (marked when listed, refused when
# chosen, the segment named with what to do, nothing created); a raw image that cannot fit, refused on the
# confirmation although the E01 would have fitted on the destination.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need md5sum coreutils
head -c $((6 * 1024 * 1024)) /dev/urandom > a.raw
MD5=$(md5sum < a.raw | cut -d' ' -f1)
head -c $((8 * 1024 * 1024)) /dev/urandom > e.raw
head -c $((16 * 1024 * 1024)) /dev/zero > z.raw
shodo image e.raw --case ec --evidence E --compression none --segment-size 2M -q || fail "CLI image"
[ -f ec/E/image/E.E02 ] || fail "the set has no second segment"
rm ec/E/image/E.E02
before=$(sha256 a.raw)
# library function names and status codes must never reach the screen
no_codes() {
	screen | grep -Eq 'lib(ewf|tsk|bfio|mfdata|cdata|cfile|regf|evtx)_[a-z_]+|tsk_[a-z_]+|status [0-9]|error [0-9]+:' &&
		{ screen; fail "a library function name or code is on the screen"; }
	return 0
}

tui_start 80 25 "$T/a.raw" "$T/ec/E/image/E.E01"
waitfor "Devices"
waitfor "$T/a.raw"
pick "$T/a.raw"
waitfor "No file system shodo can read: a triage would find nothing"
waitfor_re "(whole)  *6.0 MiB  no file system shodo can read"
keys Enter
waitfor "Destination"
keys End Enter
waitfor "The case folder:"
keys C-u; typed "$T/case"; keys Enter
waitfor "Case and evidence"
keys Down Down C-u; typed A1
keys F5
waitfor "Action and options"
waitfor "(*) image only"
seej "No file system shodo can read was found on this source, so image only is chosen" "no word on why image only is chosen"
ok "a source without a file system: image only is chosen, and the screen says why"
keys Right
waitfor "(*) triage, then image"
keys F5
waitfor "You are about to TRIAGE, THEN IMAGE"
keys Enter
waitfor "A1 triage, image  triage failed, image done" 300
see "No readable volume in '$T/a.raw'" "the jobs screen does not say why the triage failed"
see "What to do:" "the jobs screen does not say what to do"
no_codes
ok "triage then image of a disk without a file system: the job says the triage failed and the image was made, in a sentence"
keys Enter
waitfor "Results"
waitfor "verified: the image matches the source"
see "MD5     $MD5" "the MD5 shown is not md5sum's"
see "FAILED: No readable volume" "the results do not say why there is no triage"
no_codes
ok "results: the image verified with md5sum's MD5, and why the triage is missing"
for k in 1 2 3; do keys Escape; done
waitfor "Devices"

# the damaged set is marked when it is listed, and refused with the reason when chosen
waitfor "$T/ec/E/image/E.E01  [DAMAGED E01: not a source]"
pick "$T/ec/E/image/E.E01"
seej "Cannot be a source: E01 set '$T/ec/E/image/E.E01' is incomplete: segment 'E.E02' is missing" "the details do not name the missing segment"
keys Enter
waitfor "Not a source"
seej "restore 'E.E02' from the destination it was written to (or another copy) beside the other segments, then run again" "no word on what to do about the missing segment"
no_codes
keys Enter
waitgone "Not a source"
[ ! -e case/E1 ] || fail "a damaged source left a folder behind"
ok "an E01 set without its second segment: marked when listed, refused when chosen, named, what to do, nothing created"

# the room is checked again on the confirmation, for the options chosen:
# zeros fit as E01 on an 8 MiB file system, not as 16 MiB of raw
if [ "$(id -u)" = 0 ] && mkdir -p small && mount -t tmpfs -o size=8m tmpfs small; then
	tui_cleanup() { umount "$T/small" 2>/dev/null; }
	keys a
	waitfor "Add an image file"
	typed "$T/z.raw"; keys Enter
	waitfor "$T/z.raw"
	pick "$T/z.raw"
	keys Enter
	waitfor "Destination"
	keys End Enter
	waitfor "The case folder:"
	keys C-u; typed "$T/small/case"; keys Enter
	waitfor "Not enough room?"
	seej "The image may not fit on this destination: 8.0 MiB free" "the destination does not warn that the image may not fit"
	seej "Use this destination anyway?" "the destination does not ask"
	keys Enter   # the safe default: choose another
	waitgone "Not enough room?"
	waitfor "> Another folder"
	keys Enter
	waitfor "The case folder:"
	keys C-u; typed "$T/small/case"; keys Enter
	waitfor "Not enough room?"
	keys y
	waitfor "Case and evidence"
	keys Down Down C-u; typed Z1
	keys F5
	waitfor "Action and options"
	typed i
	waitfor "(*) image only"
	keys Down Right
	waitfor "(*) raw"
	keys F5
	waitfor "You are about to IMAGE"
	seej "free: IT WILL NOT FIT" "the confirmation does not say that the raw image will not fit"
	seej "The image will not fit: go back (Esc) and choose a destination with more room" "no word on what to do"
	screen | grep -qF "[ Start ]" && { screen; fail "Start is offered although the image cannot fit"; }
	keys s
	keys Enter
	waitfor "Action and options"
	[ ! -e small/case ] || fail "something was written although the image cannot fit"
	ok "the destination asks when the image may not fit (no by default); the confirmation checks the room for the options chosen (raw) and offers no Start"
	for k in 1 2 3; do keys Escape; done
	waitfor "Devices"
else
	skip_part "the confirmation's room check: mounting a small tmpfs needs root"
fi
keys q
tui_wait_exit
# as the subcommands: 3, the work could not be done (the triage of the disk without a file system)
grep -q "exit=3" "$T/exit" || fail "exit status: $(cat "$T/exit") $(cat "$T/tui.err")"
shodo triage a.raw --case cli --evidence A1 -q 2>/dev/null
[ $? = 3 ] || fail "shodo triage exits otherwise for the same disk"
terminal_restored
ok "the exit status is the worst of the session's jobs (3, as shodo triage exits for that disk)"
[ "$(sha256 a.raw)" = "$before" ] || fail "the source changed"
