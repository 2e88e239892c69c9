#!/bin/sh
# Event-log throughput, same files, same run: `shodo parse` (counts every
# record by provider and event ID, stores the records of interest into an
# on-disk SQLite store, as triage does), shodo's reader alone (every record,
# every value rendered; tests/helpers/evtx_dump --quiet), `evtxexport` (text
# export of every record) and, where installed, python-evtx (evtx_dump.py,
# XML of every record).
#
# Three sets: the corpus event logs (SHODO_CORPUS, or the .evtx files and
# directories given as arguments); a large Security log made of the chunks
# of every corpus Security log in turn (bench/mkbigevtx.py; SHODO_BENCH_BIG_MB,
# default 2048, 0 skips the large logs); and the worst case for the store, a
# brute force where every record is a failed logon (SHODO_BENCH_WORST_MB,
# default 256).  python-evtx reads about 0.15 MB/s, so for a large log it
# reads a 32 MB log made the same way (its row says so);
# SHODO_BENCH_PYEVTX=0 leaves it out.
#
# The corpus's rows are each the best of SHODO_BENCH_REPS runs (default 3,
# fewest CPU seconds): they last a fraction of a second.
#
# SHODO_BENCH_BEFORE=BINARY adds a row for another shodo (e.g. the binary of
# an earlier commit), measured in the same run on the same files, for
# before/after comparisons.
#
# Printed per tool: wall and CPU seconds (user+sys, the fair figure on a
# shared machine), MB/s and records/s on CPU and wall time, peak RSS, and
# the throughput ratio against evtxexport measured in this run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHODO_BIN:-$top/build/shodo}
dump=${SHODO_EVTX_DUMP:-$top/build/tests/helpers/evtx_dump}
corpus=${SHODO_CORPUS:-$top/../shared/corpus}
big_mb=${SHODO_BENCH_BIG_MB:-2048}
pyevtx=${SHODO_BENCH_PYEVTX:-1}
before=${SHODO_BENCH_BEFORE:-}
command -v evtxexport >/dev/null || { echo "evtxexport (libevtx-utils) is needed"; exit 1; }
[ -x "$bin" ] || { echo "build shodo first (make)"; exit 1; }
[ -z "$before" ] || [ -x "$before" ] || { echo "SHODO_BENCH_BEFORE: $before is not a program"; exit 1; }
[ -x "$dump" ] || { echo "build the test helpers first (make check builds them)"; exit 1; }
command -v evtx_dump.py >/dev/null || pyevtx=0
command -v jq >/dev/null || { echo "jq is needed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=$tmp/list
if [ $# -gt 0 ]; then
	find "$@" -name '*.evtx' -type f -print0 > "$list"
else
	find "$corpus/evtx" -name '*.evtx' -type f -print0 > "$list"
fi
[ -s "$list" ] || { echo "no .evtx files"; exit 1; }

# run NAME CMD...: one measured run (its input: the file IN, if set);
# appends "name wall cpu rss" to $tmp/rows
run() {
	name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" < "${IN:-/dev/null}" > /dev/null 2>&1
	set -- $(tail -n 1 "$tmp/t")
	echo "$name $1 $(echo "$2 + $3" | bc) $4" >> "$tmp/rows"
}
# best N NAME CMD...: N runs (PRE, if set, is run before each), the one with
# the fewest CPU seconds kept: a run of a fraction of a second is otherwise
# decided by which program ran first after the page cache was warmed
best() {
	reps=$1; shift
	mv "$tmp/rows" "$tmp/rows.keep"
	for _ in $(seq "$reps"); do
		[ -z "${PRE:-}" ] || sh -c "$PRE"
		run "$@"
	done
	sort -k3,3n "$tmp/rows" | head -n 1 >> "$tmp/rows.keep"
	mv "$tmp/rows.keep" "$tmp/rows"
}
reps=${SHODO_BENCH_REPS:-3}
# table TITLE BYTES RECORDS: prints the rows measured since the last table
table() {
	awk -v title="$1" -v b="$2" -v r="$3" '
	{ name[NR] = $1; w[NR] = $2; c[NR] = $3; m[NR] = $4; if ($1 == "evtxexport") { ew = $2; ec = $3 } }
	END {
		mb = b / 1e6
		printf "\n%s: %.1f MB, %d records\n", title, mb, r
		printf "%-26s %8s %8s %10s %12s %10s %12s %10s %9s %9s\n", "", "wall s", "cpu s", "MB/s cpu", "rec/s cpu",
		       "MB/s wall", "rec/s wall", "peak MiB", "x cpu", "x wall"
		for (i = 1; i <= NR; i++) {
			n = name[i]; gsub(/_/, " ", n)
			if (w[i] <= 0) w[i] = 0.01; if (c[i] <= 0) c[i] = 0.01
			rb = b; rr = r
			if (n ~ /python-evtx \(32 MB\)/) { rb = pb; rr = pr }
			printf "%-26s %8.2f %8.2f %10.1f %12.0f %10.1f %12.0f %10.1f %9s %9s\n", n, w[i], c[i], rb / 1e6 / c[i],
			       rr / c[i], rb / 1e6 / w[i], rr / w[i], m[i] / 1024,
			       ec ? sprintf("%.1f", (rb / c[i]) / (b / ec)) : "-", ew ? sprintf("%.1f", (rb / w[i]) / (b / ew)) : "-"
		}
		print "x cpu / x wall: throughput (MB per CPU second / per wall second) against evtxexport in this run"
	}' pb="${pyb:-0}" pr="${pyr:-0}" "$tmp/rows"
	: > "$tmp/rows"
}
: > "$tmp/rows"
nproc_=$(nproc 2>/dev/null || echo 1)
echo "machine: $nproc_ CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(evtxexport -V 2>&1 | head -n 1)"

# ---- the corpus ----
n=$(tr -cd '\0' < "$list" | wc -c)
bytes=$(xargs -0 cat < "$list" | wc -c)
xargs -0 cat < "$list" > /dev/null   # warm the page cache
IN=$list
PRE="rm -f '$tmp/corpus.db'" best "$reps" shodo_parse xargs -0 -n 200 "$bin" parse --quiet --db "$tmp/corpus.db"
recs=$(sqlite3 "$tmp/corpus.db" 'select sum(records) from evtx_stats' 2>/dev/null || echo 0)
if [ -n "$before" ]; then
	PRE="rm -f '$tmp/before.db'" best "$reps" shodo_parse,_before xargs -0 -n 200 "$before" parse --quiet --db "$tmp/before.db"
fi
# as a user runs it: every log on one command line (xargs packs as many as fit)
PRE="rm -f '$tmp/all.db'" best "$reps" shodo_parse,_all_at_once xargs -0 "$bin" parse --quiet --db "$tmp/all.db"
rm -f "$tmp/all.db"
best "$reps" shodo_reader xargs -0 -n 1 "$dump" --quiet
best "$reps" evtxexport xargs -0 -n 1 sh -c 'evtxexport "$0"'
if [ "$pyevtx" = 1 ]; then
	run python-evtx xargs -0 -n 1 sh -c 'evtx_dump.py "$0"'
fi
IN=
table "corpus, $n logs (one process per log for the peers, batches of 200 for shodo parse unless all at once; best of $reps)" "$bytes" "$recs"

# ---- large logs ----
# large SRC SIZE_MB TITLE: one log made by mkbigevtx.py from SRC (a log, or @list)
large() {
	python3 "$top/bench/mkbigevtx.py" "$1" "$tmp/Big.evtx" "$2" || exit 1
	bb=$(stat -c %s "$tmp/Big.evtx")
	cat "$tmp/Big.evtx" > /dev/null
	rm -f "$tmp/big.db"
	run shodo_parse "$bin" parse --quiet --db "$tmp/big.db" "$tmp/Big.evtx"
	brecs=$(sqlite3 "$tmp/big.db" 'select records from evtx_stats')
	if [ -n "$before" ]; then
		rm -f "$tmp/before.db"
		run shodo_parse,_before "$before" parse --quiet --db "$tmp/before.db" "$tmp/Big.evtx"
		rm -f "$tmp/before.db"
	fi
	stored=$(sqlite3 "$tmp/big.db" 'select (select count(*) from events) || " events, " || (select count(*) from logons) || " logons, " || (select count(*) from persistence) || " persistence rows"')
	run shodo_reader "$dump" --quiet "$tmp/Big.evtx"
	run shodo_reader_1_thread "$dump" --quiet --threads 1 "$tmp/Big.evtx"
	run evtxexport evtxexport "$tmp/Big.evtx"
	pyb=0 pyr=0
	if [ "$pyevtx" = 1 ]; then
		python3 "$top/bench/mkbigevtx.py" "$1" "$tmp/Py.evtx" 32 || exit 1
		pyb=$(stat -c %s "$tmp/Py.evtx")
		pyr=$("$dump" --quiet "$tmp/Py.evtx" | sed -n 's/.*"records":\([0-9]*\).*/\1/p')
		run "python-evtx_(32_MB)" evtx_dump.py "$tmp/Py.evtx"
	fi
	rm -f "$tmp/Big.evtx" "$tmp/Py.evtx"
	table "$3 ($stored stored)" "$bb" "$brecs"
}
[ "$big_mb" -gt 0 ] || exit 0
# a busy Security log: the chunks of every corpus log of the Security channel, in turn
jq -r 'select(.truth_status == "complete" and (.channels | keys) == ["Security"]) | .path' \
	"$corpus/truth/evtx.jsonl" 2>/dev/null | sed "s|^|$corpus/|" > "$tmp/sec.list"
if [ -s "$tmp/sec.list" ]; then
	large "@$tmp/sec.list" "$big_mb" "large Security log: the chunks of $(wc -l < "$tmp/sec.list") corpus Security logs, mixed"
fi
# the worst case for the store: on the corpus, the largest Security log is a
# brute force where every record is a failed logon (two rows each)
sec=$(tr '\0' '\n' < "$list" | grep -i 'security[^/]*\.evtx$' | xargs -d '\n' ls -S 2>/dev/null | head -n 1)
worst_mb=${SHODO_BENCH_WORST_MB:-256}
if [ -n "$sec" ] && [ "$worst_mb" -gt 0 ]; then
	large "$sec" "$worst_mb" "the largest corpus Security log, $(basename "$sec"), its chunks repeated"
fi
