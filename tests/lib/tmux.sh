# tests/lib/tmux.sh — driving the front end in tmux like a responder at the
# console (sourced after common.sh).  Every wait polls the screen with a
# time limit; nothing relies on a fixed sleep.
#   tui_start W H [ARGS...]   runs `shodo tui ARGS` in a new tmux session of W x H;
#                             when it exits, $T/exit holds "exit=N" and $T/stty the
#                             terminal modes it left behind
#   screen                    the visible screen as text
#   waitfor TEXT [SECONDS]    waits until TEXT (fixed string) is on the screen,
#                             then until the screen is drawn whole (settle)
#   see REGEX [MESSAGE]       waits for a line matching REGEX; fails saying MESSAGE
#   seef TEXT [MESSAGE]       the same for a fixed string
#   seej TEXT [MESSAGE]       the same for a fixed string that may be wrapped
#                             over several lines, also in a box (the lines
#                             joined by one space, the box's sides taken out)
#   settle                    waits until two captures in a row are the same
#   waitgone TEXT [SECONDS]   waits until TEXT has left the screen
#   keys KEY...               tmux key names (Enter, Down, Escape, F1, C-u ...)
#   typed TEXT                types TEXT literally
#   tui_wait_exit [SECONDS]   waits for the program to end
need tmux tmux
# a tmux server of our own (-L): other tests' sessions stay apart, and the
# program gets this test's environment (sanitizer options above all)
TUI_BASE=shodo-tui-$$-$(basename "$0" .sh)
TUI_N=0
TUI_S=$TUI_BASE-0
tm() { tmux -L "$TUI_S" "$@"; }
tui_start() {
	_w=$1; _h=$2; shift 2
	tm kill-server 2>/dev/null
	TUI_N=$((TUI_N + 1)); TUI_S=$TUI_BASE-$TUI_N   # a fresh server each time
	rm -f "$T/exit" "$T/stty"
	_args=""
	for _a in "$@"; do _args="$_args '$_a'"; done
	tm new-session -d -s "$TUI_S" -x "$_w" -y "$_h" \
		"env LC_ALL=C.UTF-8 SHODO_RO_LOG='$T/readonly.log' ${TUI_ENV:-} '$SHODO_BIN' tui $_args 2>'$T/tui.err'; echo \"exit=\$?\" > '$T/exit.tmp'; stty -a > '$T/stty' 2>&1; mv '$T/exit.tmp' '$T/exit'; sleep 3600" ||
		fail "cannot start tmux"
	trap 'tm kill-server 2>/dev/null; tui_cleanup 2>/dev/null' EXIT
}
screen() { tm capture-pane -t "$TUI_S" -p; }
# settle: ncurses writes a screen in several chunks and a capture can fall
# between two of them (a new title over the old body); wait until two
# captures in a row are the same.  A screen that keeps changing (progress)
# ends the wait after a few seconds: this never fails.
settle() {
	_prev=$(screen); _k=0
	while [ $_k -lt 30 ]; do
		sleep 0.1
		_now=$(screen)
		[ "$_now" = "$_prev" ] && return 0
		_prev=$_now; _k=$((_k + 1))
	done
}
waitfor() {
	_n=$(( ${2:-60} * 10 ))
	while ! screen | grep -qF -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "timed out waiting for the screen to show: $1"; fi
		sleep 0.1
	done
	settle
}
see() {
	_n=600
	while ! screen | grep -q -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "${2:-timed out waiting for the screen to match: $1}"; fi
		sleep 0.1
	done
}
seej() {
	_n=600
	while ! screen | sed 's/│/ /g; s/^ *//; s/ *$//' | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "${2:-timed out waiting for the screen to show: $1}"; fi
		sleep 0.1
	done
}
seef() {
	_n=600
	while ! screen | grep -qF -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "${2:-timed out waiting for the screen to show: $1}"; fi
		sleep 0.1
	done
}
waitgone() {
	_n=$(( ${2:-60} * 10 ))
	while screen | grep -qF -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "timed out waiting for the screen to drop: $1"; fi
		sleep 0.1
	done
}
keys() { tm send-keys -t "$TUI_S" "$@"; }
typed() { tm send-keys -t "$TUI_S" -l -- "$1"; }
tui_wait_exit() {
	_n=$(( ${1:-60} * 10 ))
	while [ ! -f "$T/exit" ]; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "the front end did not exit"; fi
		sleep 0.1
	done
}
# the terminal is usable again: canonical input and echo, as a shell wants it
terminal_restored() {
	grep -q -- ' icanon' "$T/stty" && grep -q -- ' echo ' "$T/stty" ||
		fail "the terminal was left broken: $(cat "$T/stty")"
}
# pick REGEX: moves the selection (the line starting with "> ") until it is
# on a line matching "^> REGEX", one key at a time, waiting for the screen
# to follow each key (a loaded machine redraws late; keys must not pile up)
pick() {
	_dir=Down; _turned=0; _n=0
	while :; do
		settle
		_cur=$(screen | grep -m1 '^> ')
		printf '%s\n' "$_cur" | grep -q -- "^> $1" && return 0
		keys "$_dir"
		_w=0
		while [ "$(screen | grep -m1 '^> ')" = "$_cur" ]; do
			_w=$((_w + 1))
			if [ $_w -gt 40 ]; then   # no move: the end of the list; turn round once
				[ $_turned = 1 ] && { screen; fail "cannot select a line matching: $1"; }
				_turned=1
				[ "$_dir" = Down ] && _dir=Up || _dir=Down
				break
			fi
			sleep 0.1
		done
		_n=$((_n + 1))
		[ $_n -gt 300 ] && { screen; fail "cannot select a line matching: $1"; }
	done
}
# waitfor_re REGEX [SECONDS]: as waitfor, for a basic regular expression
waitfor_re() {
	_n=$(( ${2:-60} * 10 ))
	while ! screen | grep -q -- "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then screen; fail "timed out waiting for the screen to match: $1"; fi
		sleep 0.1
	done
	settle
}
