#!/bin/sh
# bench/posture.sh — posture stage speed on large hives against the peers
# that read the same hives in the same run.
#
# Builds a SOFTWARE hive with PKGS servicing packages (default 12,000) and
# 3,000 uninstall entries, and a SYSTEM hive with RULES firewall rules
# (default 20,000), as a busy server has, then times each REPS times (best
# shown):
#   regfexport        SOFTWARE and SYSTEM, every key and value (libregf-utils)
#   hivexml           SOFTWARE and SYSTEM (libhivex-bin)
#   posture stage     every check on both hives (tests/helpers/posture_run)
# and prints the ratios.  The posture stage reads a fraction of each hive,
# so it should stay well below a full export.
#   PKGS=N RULES=N REPS=N KEEP=1
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${SHODO_BUILD:-$top/build}
h=$build/tests/helpers
[ -x "$h/mkhive" ] && [ -x "$h/posture_run" ] || { echo "bench/posture.sh: build first (make check)" >&2; exit 1; }
command -v regfexport >/dev/null || { echo "bench/posture.sh: regfexport (libregf-utils) missing" >&2; exit 1; }
PKGS=${PKGS:-12000} RULES=${RULES:-20000} REPS=${REPS:-3}
w=$(mktemp -d /tmp/shodo-bench-posture.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1

awk -v pkgs="$PKGS" 'BEGIN {
	for (i = 0; i < pkgs; i++) {
		k = "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_" i "~31bf3856ad364e35~amd64~~10.0." i
		printf "D\t%s\tInstallTimeHigh\t%d\nD\t%s\tInstallTimeLow\t%d\nS\t%s\tInstallName\tupdate.mum\n", k, 30000000 + i % 100, k, i * 1000, k
	}
	for (i = 0; i < 3000; i++)
		printf "S\tMicrosoft\\Windows\\CurrentVersion\\Uninstall\\{%08d}\tDisplayName\tApplication %d\n", i, i
}' > soft.txt
awk -v rules="$RULES" 'BEGIN {
	printf "D\tSelect\tCurrent\t1\nD\tControlSet001\\Control\\Terminal Server\tfDenyTSConnections\t0\n"
	for (i = 0; i < rules; i++)
		printf "S\tControlSet001\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules\trule%d\tv2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=%d|Name=r%d|\n", i, 1000 + i % 5000, i
}' > sys.txt
"$h/mkhive" SOFTWARE < soft.txt && "$h/mkhive" SYSTEM < sys.txt || exit 1

best() {   # best wall time of REPS runs of "$@", in seconds
	b=""
	for r in $(seq "$REPS"); do
		s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
cat SOFTWARE SYSTEM > /dev/null
W=Windows/System32/config
t_reg=$(best sh -c 'regfexport SOFTWARE; regfexport SYSTEM')
t_hx=""
command -v hivexml >/dev/null && t_hx=$(best sh -c 'hivexml SOFTWARE; hivexml SYSTEM')
t_po=$(best sh -c "rm -rf case; '$h/posture_run' case B 'registry:v:$W/SOFTWARE=$w/SOFTWARE' 'registry:v:$W/SYSTEM=$w/SYSTEM'")
printf 'hives: SOFTWARE %s bytes (%s packages), SYSTEM %s bytes (%s firewall rules)\n' \
	"$(stat -c %s SOFTWARE)" "$PKGS" "$(stat -c %s SYSTEM)" "$RULES"
printf 'regfexport   %8.3f s\n' "$t_reg"
[ -n "$t_hx" ] && printf 'hivexml      %8.3f s\n' "$t_hx"
printf 'posture      %8.3f s   (%.2fx regfexport%s)\n' "$t_po" "$(echo "$t_po / $t_reg" | bc -l)" \
	"$([ -n "$t_hx" ] && printf ', %.2fx hivexml' "$(echo "$t_po / $t_hx" | bc -l)")"
