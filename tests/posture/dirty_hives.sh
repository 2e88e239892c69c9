#!/bin/sh
# Posture reads a dirty hive as the parsers do: with its transaction logs
# replayed into a copy.  The SYSTEM hive's old state has RDP off; its newest
# state (hivexget reads it from the hive mkhive wrote) has RDP on without NLA,
# and only the log (mkhivelog, new format) carries that change.  With the log
# the findings are the new state's; without it the old state's, and the
# collected files are never changed.
. "$(dirname "$0")/../lib/common.sh"
need hivexget libhivex-bin
need sqlite3 sqlite3
TAB=$(printf '\t')
TS='ControlSet001\Control\Terminal Server'
base() {
	printf 'R\tROOT\nD\tSelect\tCurrent\t1\nS\tControlSet001\\Control\\ComputerName\\ComputerName\tComputerName\tWARD7\n'
}
{ base; printf 'D\t%s\tfDenyTSConnections\t1\n' "$TS"; } | "$HELPERS/mkhive" old || fail "mkhive old"
{ base; printf 'D\t%s\tfDenyTSConnections\t0\nD\t%s\\WinStations\\RDP-Tcp\tUserAuthentication\t0\n' "$TS" "$TS"; } |
	"$HELPERS/mkhive" new || fail "mkhive new"
[ "$(hivexget old "$TS" fDenyTSConnections)" = 1 ] && [ "$(hivexget new "$TS" fDenyTSConnections)" = 0 ] &&
	[ "$(hivexget new "$TS\\WinStations\\RDP-Tcp" UserAuthentication)" = 0 ] || fail "hivexget reads other values"
mkdir -p with/Windows/System32/config alone/Windows/System32/config
"$HELPERS/mkhivelog" new old new with/Windows/System32/config/SYSTEM > /dev/null || fail "mkhivelog"
cp with/Windows/System32/config/SYSTEM alone/Windows/System32/config/SYSTEM
sums=$(cat with/Windows/System32/config/* | sha256sum)
W=Windows/System32/config
for v in with alone; do
	"$HELPERS/posture_run" case "$v" "registry:p1:$W/SYSTEM=$T/$v/$W/SYSTEM" 2> "$v.log" || { cat "$v.log"; fail "posture_run $v"; }
	sqlite3 "case/$v/triage/triage.db" "select finding from posture where area = 'remote access' order by finding" > "$v.txt"
done
[ "$(cat with/Windows/System32/config/* | sha256sum)" = "$sums" ] || fail "the collected hive or its log changed"
grep -qx 'RDP enabled without Network Level Authentication' with.txt && grep -qx 'RDP Network Level Authentication not required' with.txt ||
	fail "with the log: $(tr '\n' ';' < with.txt)"
grep -q 'replayed into a copy' with.log || fail "posture does not say the hive was replayed: $(cat with.log)"
[ "$(cat alone.txt)" = "RDP disabled" ] || fail "without the log: $(tr '\n' ';' < alone.txt)"
ok "posture sees a dirty SYSTEM hive's newest state through its replayed log (RDP on without NLA, as hivexget reads the new hive); without the log, the old state"
