# The ncurses front end driven through tmux like a responder at the console:
# add an image file, start an acquisition and a triage job at once, watch
# both finish, quit.  The E01 it wrote passes ewfverify.
. "$SHODO_TOP/tests/lib/common.sh"
need tmux tmux; need ewfverify ewf-tools; need mkfs.fat dosfstools; need mcopy mtools
mkimg part.img 16M
mkfs.fat part.img >/dev/null
printf 'hello\n' > hello.txt && mcopy -i part.img hello.txt ::/hello.txt
S=shodo-tui-$$
tmux kill-session -t "$S" 2>/dev/null
tmux new-session -d -s "$S" -x 140 -y 35 "'$SHODO_BIN' tui '$T/part.img' 2>'$T/tui.err'; echo \"exit=\$?\" > '$T/exit'; sleep 5"
trap 'tmux kill-session -t "$S" 2>/dev/null' EXIT
screen() { tmux capture-pane -t "$S" -p; }
waitfor() { i=0; while ! screen | grep -q "$1"; do i=$((i+1)); [ $i -gt 300 ] && { screen; fail "timed out waiting for: $1"; }; sleep 0.2; done; }
waitfor "Sources"
screen | grep -q "$T/part.img" || fail "the image file is not listed"
# select the file (it is listed after the block devices) and image it
tmux send-keys -t "$S" End
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do tmux send-keys -t "$S" j; done
tmux send-keys -t "$S" i
waitfor "case folder"
tmux send-keys -t "$S" "$T/case" Enter
waitfor "examiner"; tmux send-keys -t "$S" "K. Tanaka" Enter
waitfor "case number"; tmux send-keys -t "$S" "TUI-1" Enter
waitfor "evidence ID"; tmux send-keys -t "$S" C-u; tmux send-keys -t "$S" BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace "USB1" Enter
# and triage the same file as a second, concurrent job
tmux send-keys -t "$S" t
waitfor "evidence ID"; tmux send-keys -t "$S" BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace "USB1T" Enter
waitfor "USB1 image "
waitfor "USB1T triage"
i=0
while [ "$(screen | grep -cE 'USB1T? +(image|triage) +(ok|warning) ')" -lt 2 ]; do
	i=$((i+1)); [ $i -gt 600 ] && { screen; fail "jobs did not finish"; }; sleep 0.2
done
tmux send-keys -t "$S" q
i=0; while [ ! -f exit ]; do i=$((i+1)); [ $i -gt 100 ] && fail "tui did not exit"; sleep 0.2; done
grep -q "exit=0" exit || fail "tui exit status: $(cat exit) $(head -c 3000 tui.err)"
ewfverify -q case/USB1/image/USB1.E01 >/dev/null || fail "ewfverify"
ewfinfo case/USB1/image/USB1.E01 | grep -q "Examiner name:.*K. Tanaka" || fail "examiner not in the E01 header"
[ -f case/USB1T/triage/manifest.jsonl ] || fail "the triage job wrote no manifest"
ok "tui"
