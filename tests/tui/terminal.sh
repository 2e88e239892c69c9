# The front end and the terminal: below 64x18 it says to make the window
# larger and comes back when it grows; help on every screen (? and F1); the
# session log keeps a line longer than the window whole (wrapped, not cut);
# it runs on a terminal without colours; and the terminal is given back in
# working order after q, after SIGTERM with an image running (which stays
# resumable) and after a crash (SIGSEGV).
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/tmux.sh"
need infocmp ncurses-bin
FIO=$PRELOAD_DIR/faultio.so
head -c $((1024 * 1024)) /dev/urandom > a.raw
long=$T/a-folder-with-a-rather-long-name-to-show-that-nothing-is-cut/and-another-level-of-folders-below-it
mkdir -p "$long"
cp a.raw "$long/the-image-file-with-a-long-name.raw"
lpath=$long/the-image-file-with-a-long-name.raw

# 1. too small, then large enough
tui_start 50 12 "$T/a.raw"
waitfor "Make the window larger."
waitfor "shodo needs 64x18, this is 50x12."
ok "a small window is told to grow"
tm resize-window -t "$TUI_S" -x 80 -y 25
waitfor "Devices"
ok "the screens come back when the window grows"
# 2. help everywhere
keys ?
waitfor "Help: Devices"
waitfor "Devices: choose what to read."
keys Escape
waitgone "Help: Devices"
keys J
waitfor "No jobs yet."
keys F1
waitfor "Help: Jobs"
keys Escape
keys Escape
waitfor "Devices"
pick "$T/a.raw"
keys Enter
waitfor "Destination"
keys F1
waitfor "Help: Destination"
keys Escape
keys End Enter
waitfor "The case folder:"
typed "$T/case"; keys Enter
waitfor "Case and evidence"
keys F1
waitfor "Help: Case and evidence"
waitfor "Evidence ID   names this disk's folder"
keys Escape
# ? is a character in a form, F1 the help
keys Down Down C-u
typed "A?"
waitfor "'?' cannot be in an evidence ID (character 2)"
keys BSpace
waitgone "cannot be in an evidence ID"
keys F5
waitfor "Action and options"
keys F1
waitfor "Help: Action and options"
keys Escape F5
waitfor "You are about to"
keys F1
waitfor "Help: Confirm"
keys Escape
ok "help on every screen (? and F1); ? types in forms"
for k in 1 2 3 4; do keys Escape; done
waitfor "Devices"
# 3. the log keeps long lines whole
keys a
waitfor "Add an image file"
typed "$lpath"; keys Enter
waitgone "Add an image file"
keys L
waitfor "Session log"
waitfor "image file added to the sources"
flat=$(screen | sed '1d;$d' | sed 's/^ //; s/ *$//' | tr -d '\n')
echo "$flat" | grep -qF "'$lpath'" || { screen; fail "the log line with the long path is cut"; }
ok "the session log wraps a ${#lpath}-character path instead of cutting it"
keys F1
waitfor "Help: Session log"
keys Escape
waitgone "Help: Session log"
keys Escape
keys q
tui_wait_exit
grep -q "exit=0" "$T/exit" || fail "exit status after q: $(cat "$T/exit")"
terminal_restored
ok "q gives the terminal back"

# 4. no colours
TUI_ENV="TERM=vt100"
tui_start 80 25 "$T/a.raw"
waitfor "Devices"
waitfor "$T/a.raw"
keys q
tui_wait_exit
terminal_restored
ok "works on a terminal without colours (vt100)"

# 5. SIGTERM while an image runs: it stops resumable, the terminal is given back
TUI_ENV="LD_PRELOAD='$FIO' FAULTIO_WRITE_MATCH=/T1/image/T1. FAULTIO_WRITE_DELAY_US=20000"
head -c $((16 * 1024 * 1024)) /dev/urandom > b.raw
tui_start 80 25 "$T/b.raw"
waitfor "Devices"
pick "$T/b.raw"
keys Enter
waitfor "Destination"
keys End Enter
waitfor "The case folder:"
typed "$T/case2"; keys Enter
waitfor "Case and evidence"
keys Down Down C-u; typed T1
keys F5
waitfor "Action and options"
typed i
keys F5
waitfor "You are about to IMAGE"
keys Enter
waitfor "T1 image  running: image, acquire"
pid=$(pgrep -P "$(tm list-panes -t "$TUI_S" -F '#{pane_pid}')" shodo)
[ -n "$pid" ] || fail "no shodo process"
kill -TERM "$pid"
tui_wait_exit 60
terminal_restored
see "T1 image: cancelled (resumable)" "no word on the stopped job after SIGTERM"
[ -f case2/T1/image/T1.state.json ] && [ ! -f case2/T1/image/acquisition.json ] || fail "the image is not left resumable"
ok "SIGTERM: the running image stops resumable and the terminal is given back"

# 6. a crash
TUI_ENV=""
tui_start 80 25 "$T/a.raw"
waitfor "Devices"
pid=$(pgrep -P "$(tm list-panes -t "$TUI_S" -F '#{pane_pid}')" shodo)
kill -SEGV "$pid"
tui_wait_exit 30
grep -q "exit=139" "$T/exit" || fail "exit status after SIGSEGV: $(cat "$T/exit")"
terminal_restored
grep -q "the front end stopped on a fatal error" "$T/tui.err" || fail "no word after the crash: $(cat "$T/tui.err")"
ok "a crash gives the terminal back"
