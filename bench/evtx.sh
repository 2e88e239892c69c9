#!/bin/sh
# Event log parse throughput: `shodo parse` (counts every record, renders and
# stores the records of interest) against `evtxexport` (renders every record
# as text) on the same files in the same run.  Files: the corpus event logs
# (SHODO_CORPUS) or the .evtx files/directories given as arguments.
# Prints MB/s for each and the ratio; peak memory of shodo with GNU time.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHODO_BIN:-$top/build/shodo}
corpus=${SHODO_CORPUS:-$top/../shared/corpus}
command -v evtxexport >/dev/null || { echo "evtxexport (libevtx-utils) is needed"; exit 1; }
[ -x "$bin" ] || { echo "build shodo first (make)"; exit 1; }
list=$(mktemp)
trap 'rm -f "$list" "$list.db" "$list.t"' EXIT
if [ $# -gt 0 ]; then
	find "$@" -name '*.evtx' -type f -print0 > "$list"
else
	find "$corpus/evtx" -name '*.evtx' -type f -print0 > "$list"
fi
n=$(tr -cd '\0' < "$list" | wc -c)
[ "$n" -gt 0 ] || { echo "no .evtx files"; exit 1; }
bytes=$(xargs -0 cat < "$list" | wc -c)
xargs -0 cat < "$list" > /dev/null   # warm the page cache
# wall and CPU seconds (user+sys of all children): the CPU figure is the fair
# one on a shared machine
tm() { /usr/bin/time -f "%e %U %S" -o "$list.t" "$@" > /dev/null; tail -n 1 "$list.t" | awk '{print $1, $2 + $3}'; }
set -- $(tm xargs -0 -n 200 "$bin" parse --db "$list.db" --quiet < "$list" 2>/dev/null)
sw=$1 sc=$2
set -- $(tm xargs -0 -n 1 sh -c 'evtxexport "$0" > /dev/null 2>&1' < "$list")
pw=$1 pc=$2
# peak memory on the largest file
big=$(xargs -0 ls -S < "$list" 2>/dev/null | head -n 1)
/usr/bin/time -f %M -o "$list.t" "$bin" parse --quiet "$big" > /dev/null 2>&1
rss=$(tail -n 1 "$list.t")
rows=$(sqlite3 "$list.db" 'select sum(records) from evtx_stats' 2>/dev/null || echo "?")
awk -v b="$bytes" -v n="$n" -v sw="$sw" -v sc="$sc" -v pw="$pw" -v pc="$pc" -v rows="$rows" -v rss="$rss" -v big="$big" 'BEGIN {
	mb = b / 1e6;
	printf "files %d, %.1f MB, %s records\n", n, mb, rows;
	printf "shodo parse   wall %6.2f s %6.1f MB/s   cpu %6.2f s %6.1f MB/s  (all records counted, logons and changes stored)\n", sw, mb / sw, sc, mb / sc;
	printf "evtxexport    wall %6.2f s %6.1f MB/s   cpu %6.2f s %6.1f MB/s  (text export of all records)\n", pw, mb / pw, pc, mb / pc;
	printf "ratio shodo/evtxexport throughput: %.2fx (cpu), %.2fx (wall)\n", pc / sc, pw / sw;
	printf "peak RSS of shodo parse on the largest file (%s): %s KiB\n", big, rss;
}'

# one large log (chunks of the largest Security log repeated), parsed into an
# on-disk store as triage does: throughput and peak memory against evtxexport
big_mb=${SHODO_BENCH_BIG_MB:-256}
[ "$big_mb" -gt 0 ] || exit 0
sec=$(tr '\0' '\n' < "$list" | grep -i 'security[^/]*\.evtx$' | xargs -d '\n' ls -S 2>/dev/null | head -n 1)
[ -n "$sec" ] || sec=$big
tmpd=$(mktemp -d)
trap 'rm -rf "$list" "$list.db" "$list.t" "$tmpd"' EXIT
python3 "$top/bench/mkbigevtx.py" "$sec" "$tmpd/Big.evtx" "$big_mb" || exit 1
bb=$(stat -c %s "$tmpd/Big.evtx")
/usr/bin/time -f "%e %U %S %M" -o "$list.t" "$bin" parse --quiet --db "$tmpd/big.db" "$tmpd/Big.evtx" > /dev/null 2>&1
set -- $(tail -n 1 "$list.t"); bw=$1 bc=$(echo "$2 + $3" | bc) brss=$4
/usr/bin/time -f "%e %U %S %M" -o "$list.t" evtxexport "$tmpd/Big.evtx" > /dev/null 2>&1
set -- $(tail -n 1 "$list.t"); ew=$1 ec=$(echo "$2 + $3" | bc) erss=$4
recs=$(sqlite3 "$tmpd/big.db" 'select records from evtx_stats')
awk -v b="$bb" -v sw="$bw" -v sc="$bc" -v sr="$brss" -v pw="$ew" -v pc="$ec" -v pr="$erss" -v r="$recs" 'BEGIN {
	mb = b / 1e6;
	printf "\nlarge log: %.0f MB, %s records (chunks of a Security log repeated)\n", mb, r;
	printf "shodo parse   wall %6.2f s %6.1f MB/s   cpu %6.2f s %6.1f MB/s   peak RSS %d KiB\n", sw, mb / sw, sc, mb / sc, sr;
	printf "evtxexport    wall %6.2f s %6.1f MB/s   cpu %6.2f s %6.1f MB/s   peak RSS %d KiB\n", pw, mb / pw, pc, mb / pc, pr;
	printf "ratio shodo/evtxexport throughput: %.2fx (cpu), %.2fx (wall)\n", pc / sc, pw / sw;
}'
