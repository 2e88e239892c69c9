# Cancel and resume in the front end (80x25).  The writes of the image are
# slowed down (faultio) so that a person has time to cancel.  x asks first
# and says the image stays resumable; after it, the job offers Resume (R),
# which finishes the image; a second cancel, then choosing the same
# evidence ID again through the screens, is resumed too (the confirmation
# says so): never "already exists".  The MD5 on the results screen is
# md5sum's; ewfverify accepts the image; a second job on another file runs
# at the same time, and the selection on the devices screen stays on the
# file chosen while others are added.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need ewfverify ewf-tools; need jq jq
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
head -c $((48 * 1024 * 1024)) /dev/urandom > big.raw
head -c $((2 * 1024 * 1024)) /dev/urandom > small.raw
head -c $((1024 * 1024)) /dev/urandom > other.raw
MD5=$(md5sum big.raw | cut -d' ' -f1)
TUI_ENV="LD_PRELOAD='$FIO' FAULTIO_WRITE_MATCH=/BIG/image/BIG. FAULTIO_WRITE_DELAY_US=8000"
tui_start 80 25 "$T/small.raw" "$T/big.raw"
waitfor "Devices"
waitfor "$T/big.raw"
# choose big.raw, then add a file: the selection must stay where the user put it
pick "$T/big.raw"
keys a
waitfor "Add an image file"
typed "$T/other.raw"; keys Enter
waitgone "Add an image file"
waitfor "$T/other.raw  1.0 MiB"
see "^> $T/big.raw" "the selection moved when a file was added"
keys r
waitfor "disks and files listed"
see "^> $T/big.raw" "the selection moved on a rescan"
ok "the selection follows the file, not a row"

# image only, into a case
start_image() {  # first | again
	keys Enter
	waitfor "Destination"
	if [ "$1" = again ]; then
		waitfor "> Another folder"
		keys Enter
		waitfor "The case folder:"
		seef "$T/case" "the case folder of the last disk is not offered again"
		keys Enter
		waitfor "Case and evidence"
		see "Case number  HOSP-3" "the case number is not remembered"
		see "Examiner     R. Mori" "the examiner is not remembered"
		see "^> Evidence ID" "the form does not start at the evidence ID"
		ok "the next disk of the same case gets the case folder, case number and examiner again"
		keys C-u; typed BIG
	else
		keys End Enter
		waitfor "The case folder:"
		keys C-u; typed "$T/case"; keys Enter
		waitfor "Case and evidence"
		typed HOSP-3; keys Down; typed "R. Mori"; keys Down C-u; typed BIG
	fi
	keys F5
	waitfor "Action and options"
	typed i
	waitfor "(*) image only"
	keys F5
	waitfor "You are about to IMAGE"
}
start_image first
see "$T/big.raw" "the confirmation does not name big.raw"
keys Enter
waitfor "BIG image  running: image, acquire"
waitfor "MB/s"
see "left" "no time left shown"
see "0 bad sectors" "no bad sector count shown"
ok "progress with percent, MB/s, time left and bad sectors"
keys x
waitfor "Cancel the job?"
see "resumed" "the cancel question does not say the image stays resumable"
ok "cancel asks first and says the image stays resumable"
keys n
waitgone "Cancel the job?"
see "BIG image  running" "answering no cancelled the job"
keys x
waitfor "Cancel the job?"
keys y
waitfor "cancelled (resumable)" 120
waitfor "R resumes it"
[ -f case/BIG/image/BIG.state.json ] || fail "no resumable state after cancel"
[ ! -f case/BIG/image/acquisition.json ] || fail "a cancelled image looks complete"
ok "cancelled: the job says resumable, the case holds the state"
keys R
waitfor "Resume the image of BIG"
keys y
waitfor "BIG image (resume)  running" 30
# cancel the resumed run too, then come back through the screens
waitfor "MB/s"
keys x
waitfor "Cancel the job?"
keys y
waitfor "BIG image (resume)  cancelled (resumable)" 120
keys Escape
waitfor "Devices"
pick "$T/big.raw"
start_image again
waitfor "it is RESUMED"
see "You are about to IMAGE (RESUME)" "the confirmation does not say resume"
ok "imaging the same evidence ID again offers to resume it"
keys Enter
waitfor "BIG image (resume)  running"
# a second job meanwhile, on another file
keys Escape
waitfor "Devices"
pick "$T/small.raw"
keys Enter
waitfor "Destination"
keys End Enter
waitfor "The case folder:"
keys Enter
waitfor "Case and evidence"
keys C-u; typed SMALL
keys F5
waitfor "Action and options"
keys F5
waitfor "You are about to"
keys Enter
waitfor "SMALL image" 30
waitfor "BIG image (resume)  done" 300
waitfor "SMALL image  done" 300
ok "two jobs ran side by side"
pick "BIG image (resume)  done"
keys Enter
waitfor "verified: the image matches the source"
see "MD5     $MD5" "the MD5 shown after resuming is not md5sum's"
ok "the resumed image's MD5 equals md5sum of the source, verified"
for k in 1 2 3 4; do keys Escape; done
waitfor "Devices"
keys q
tui_wait_exit
terminal_restored
ewfverify -q case/BIG/image/BIG.E01 > /dev/null || fail "ewfverify rejects the resumed image"
[ "$(jq -r .hashes.md5 case/BIG/image/acquisition.json)" = "$MD5" ] || fail "acquisition.json md5"
[ "$(grep -c '"action":"acquire-stopped"' case/custody.jsonl)" -ge 2 ] || fail "the cancels are not in custody"
grep -q '"action":"acquire-resume"' case/custody.jsonl || fail "the resume is not in custody"
ok "ewfverify accepts the resumed image; custody records the stops and the resume"
