#!/bin/sh
# bench/fleet.sh [HOSTS] — the hospital at scale: a fleet of HOSTS triaged
# hosts (default 2,300) spread over 10 sticks (case folders), as
# tests/helpers/fleet_gen writes them (real triage.db, CSVs and host
# reports through the real scope and report stages): mostly clean PCs,
# every seventh encrypted, six servers with thousands of logons, one
# supplier server (10.10.0.5) that logs onto everything, and DUPS hosts
# seen twice (their E01 on another stick).  Then, with wall time, CPU time
# and peak memory (GNU time), each beside a peer doing the same bytes' work
# in the same run:
#   shodo merge CASE stick0..9        vs  cp -a + sha256sum -c of every stick
#   shodo report CASE --no-pdf        vs  sqlite3 reading every triage.db once
#   handover.pdf alone                    (headless Chromium)
#   shodo export --to postgres://     vs  psql \copy of the merged CSV, into a
#                                         server started here on a Unix socket
#   report.html in headless Chromium: load until interactive, sort, filter
# Targets: report under 60 s and 1 GiB on 2 cores; the page interactive in
# under 5 s.   DUPS=N KEEP=1 WORK=DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${SHODO_BUILD:-$top/build}
bin=$build/shodo gen=$build/tests/helpers/fleet_gen
[ -x "$bin" ] && [ -x "$gen" ] || { echo "bench/fleet.sh: build first (make check)" >&2; exit 1; }
for c in chromium chromedriver sqlite3 /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "bench/fleet.sh: $c missing (make deps)" >&2; exit 1; }
done
N=${1:-2300} DUPS=${DUPS:-12} STICKS=10
w=${WORK:-$(mktemp -d /var/tmp/shodo-bench-fleet.XXXXXX)}
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
gtime() { /usr/bin/time -f '%e %U %S %M' -o "$w/t" "$@"; }
# "wall s, cpu s, peak MiB" of the last gtime
fig() { awk '{ printf "%6.1f s wall, %6.1f s CPU, %5.0f MiB peak", $1, $2 + $3, $4 / 1024 }' "$w/t"; }
wall() { cut -d' ' -f1 "$w/t"; }
echo "bench/fleet.sh: $N hosts (+$DUPS seen twice) on $STICKS sticks in $w, $(nproc) cores"

t0=$(date +%s)
per=$(( (N + STICKS - 1) / STICKS ))
k=0
while [ $k -lt $STICKS ]; do
	first=$((k * per)); n=$per
	[ $((first + n)) -gt "$N" ] && n=$((N - first))
	[ $n -gt 0 ] && echo "$k $first $n"
	k=$((k + 1))
done | xargs -P 2 -n 3 sh -c '"$0" "stick$1" "$2" "$3" || exit 255' "$gen" || { echo "fleet_gen failed" >&2; exit 1; }
[ "$DUPS" -gt 0 ] && { "$gen" stick9 2300 "$DUPS" || exit 1; }
echo "generated in $(( $(date +%s) - t0 )) s: $(du -sh stick0 | cut -f1) on stick0, $(ls -d stick*/*/triage | wc -l) evidence items"

printf '\n%-34s %s\n' "step" "figures"
gtime "$bin" merge case stick* -q || { echo "merge failed" >&2; exit 1; }
printf '%-34s %s\n' "shodo merge (10 sticks)" "$(fig)"; m=$(wall)
mkdir peer
gtime sh -c 'for s in stick*; do cp -a "$s" "peer/$s" && (cd "peer/$s" && sha256sum -c --quiet SHA256SUMS) || exit 1; done'
printf '%-34s %s\n' "  peer: cp -a + sha256sum -c" "$(fig)"; p=$(wall)
rm -rf peer
echo "  ratio merge / peer: $(echo "$m $p" | awk '{ printf "%.2f", $1 / $2 }')"
gtime "$bin" merge case stick* -q || { echo "second merge failed" >&2; exit 1; }
printf '%-34s %s\n' "shodo merge again (idempotent)" "$(fig)"

gtime "$bin" report case -q --no-pdf; rc=$?
[ $rc -le 1 ] || { echo "report failed" >&2; exit 1; }
printf '%-34s %s\n' "shodo report (no PDF)" "$(fig)"; r=$(wall); rmem=$(awk '{ print $4 }' "$w/t")
gtime sh -c 'for d in case/*/triage/triage.db; do sqlite3 "file:$d?mode=ro" "select count(*) from logons; select count(*) from timeline;" > /dev/null || exit 1; done'
printf '%-34s %s\n' "  peer: sqlite3 on every triage.db" "$(fig)"; p=$(wall)
echo "  ratio report / peer: $(echo "$r $p" | awk '{ printf "%.2f", $1 / $2 }')"
head -3 case/summary.txt | sed 's/^/  | /'
echo "  report.html $(du -h case/report.html | cut -f1)"
gtime "$bin" report case -q; printf '%-34s %s\n' "shodo report with handover.pdf" "$(fig)"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
	pg=$(mktemp -d /tmp/shodo-bench-pg.XXXXXX); mkdir -p "$pg/sock"   # the server runs as nobody
	[ "$(id -u)" = 0 ] && chown -R nobody "$pg"
	asuser() { if [ "$(id -u)" = 0 ]; then su -s /bin/sh nobody -c "$*"; else sh -c "$*"; fi; }
	asuser "$pgbin/initdb -D $pg/data -U shodo -A trust" > "$w/initdb.log" 2>&1 &&
	asuser "$pgbin/pg_ctl -D $pg/data -l $pg/log -w -o \"-k $pg/sock -c listen_addresses=''\" start" > /dev/null 2>&1 || {
		echo "postgres did not start: $(tail -3 "$pg/log" 2>/dev/null)" >&2; rm -rf "$pg"; exit 1; }
	uri="postgresql://shodo@/postgres?host=$pg/sock"
	gtime "$bin" export case --to "$uri" -q || { echo "export failed" >&2; asuser "$pgbin/pg_ctl -D $pg/data -m immediate stop" >/dev/null; exit 1; }
	rows=$("$pgbin/psql" -At "$uri" -c "select count(*) from shodo_timeline")
	printf '%-34s %s (%s rows)\n' "shodo export --to postgres" "$(fig)" "$rows"; e=$(wall)
	"$bin" export case --to csv -o "$w/tl.csv" -q
	"$pgbin/psql" -q "$uri" -c "create table peer(evidence text, host text, time text, kind text, what text, detail text, source text, record bigint)"
	gtime "$pgbin/psql" -q "$uri" -c "\\copy peer from '$w/tl.csv' with (format csv, header)"
	printf '%-34s %s\n' "  peer: psql \\copy of the CSV" "$(fig)"; p=$(wall)
	echo "  ratio export / peer: $(echo "$e $p" | awk '{ printf "%.2f", $1 / $2 }')"
	asuser "$pgbin/pg_ctl -D $pg/data -m immediate stop" > /dev/null 2>&1
	rm -rf "$pg"
else
	echo "shodo export --to postgres: not measured (no PostgreSQL server installed)"
fi

PYTHONPATH=$top/tests/lib python3 - "$w/case" "$w/screens" <<'PY'
import sys, time
from browser import Browser
case = sys.argv[1]
# per load, from navigation start (the page's own clock): the HTML parsed
# (domInteractive), the tables and charts drawn (shodoReadyMs, set by
# page.js at its end), the first and the largest contentful paint, the
# load event; and the wall time of WebDriver's navigation until the page
# says it is ready (polled every 50 ms: an upper bound)
FIG = ("var n = performance.getEntriesByType('navigation')[0];"
       "var f = performance.getEntriesByName('first-contentful-paint')[0];"
       "var done = arguments[arguments.length - 1], lcp = null;"
       "new PerformanceObserver(function (l) { var e = l.getEntries(); lcp = e[e.length - 1].startTime; })"
       ".observe({type: 'largest-contentful-paint', buffered: true});"
       "setTimeout(function () { done([n.domInteractive, window.shodoReadyMs, f ? f.startTime : null, lcp,"
       " n.loadEventEnd]); }, 200);")
with Browser(sys.argv[2]) as b:
    runs = []
    for _ in range(3):
        wall = b.open(case + "/report.html", timeout=120)
        runs.append([x / 1000 if x is not None else float("nan") for x in b.s("POST", "/execute/async", {"script": FIG, "args": []})] + [wall])
    n = b.js("return shodoTables.hosts.rows().count()")
    col = b.js("return JSON.parse(document.getElementById('shodo-data').textContent).tables.hosts.cols.indexOf('encrypted files')")
    sort = b.js("var t = performance.now(); shodoTables.hosts.order([arguments[0], 'desc']).draw(); return performance.now() - t", col) / 1000
    filt = b.js("var t = performance.now(); shodoTables.hosts.search('WARD-PC-0007').draw(); return performance.now() - t") / 1000
    names = ("HTML parsed", "tables and charts drawn", "first contentful paint", "largest contentful paint",
             "load event end", "WebDriver: navigation to ready")
    print("report.html in Chromium (%d hosts in the table), seconds from navigation start, best / worst of %d:" % (n, len(runs)))
    for i, name in enumerate(names):
        v = [r[i] for r in runs]
        print("  %-32s %.2f / %.2f" % (name, min(v), max(v)))
    print("%-34s %.3f s, search %.3f s" % ("  sort the hosts table", sort, filt))
PY
echo
echo "targets: report < 60 s and < 1024 MiB: $(awk -v r="$r" -v m="$rmem" 'BEGIN { print (r < 60 && m / 1024 < 1024) ? "met" : "MISSED" }'); page < 5 s: see above"
