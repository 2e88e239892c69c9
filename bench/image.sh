#!/bin/sh
# bench/image.sh [SIZE] — imaging throughput of shodo against its peers on the
# same deterministic disk-like source (tests/helpers/mkdisk: zero, text,
# binary and random extents mixed like a used NTFS disk).  Default 4G.
#
# Measures, in one run: shodo image (default: fast compression, MD5+SHA-1+
# SHA-256, verification timed separately), shodo image --hash md5,sha1,
# ewfacquire -c deflate:fast, ewfacquire -c none, dc3dd hash=md5 hash=sha1,
# shodo verify against ewfverify, and the single-stream ceiling openssl dgst
# -md5.  Prints MB/s, CPU%, peak RSS, output size and the ratios; checks every
# E01 with ewfverify.  The source is read once beforehand so that every tool
# reads it from the page cache (the figures compare CPU work, not the disk).
#   BENCH_DIR=/path   where to put the source and outputs (default: a new
#                     folder under /var/tmp; needs about 2.5 x SIZE free)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-4G}
build=${SHODO_BUILD:-$top/build}
shodo=$build/shodo
mkdisk=$build/tests/helpers/mkdisk
[ -x "$shodo" ] || { echo "bench: build shodo first (make)" >&2; exit 2; }
[ -x "$mkdisk" ] || make -C "$top" --no-print-directory "$build/tests/helpers/mkdisk" >/dev/null || exit 2
for t in ewfacquire ewfverify dc3dd openssl /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing (apt-get install ewf-tools dc3dd openssl time)" >&2; exit 2; }
done
dir=${BENCH_DIR:-$(mktemp -d /var/tmp/shodo-bench.XXXXXX)}
mkdir -p "$dir"
cd "$dir" || exit 2
src=$dir/source.img
if [ ! -f "$src" ] || [ "$(cat source.size 2>/dev/null)" != "$size" ]; then
	"$mkdisk" "$size" > "$src" || exit 1
	echo "$size" > source.size
fi
bytes=$(stat -c %s "$src")
cat "$src" > /dev/null

res=$dir/results.txt
: > "$res"
# run NAME OUTPUT-SIZE-PATH CMD...: wall time, CPU%, peak RSS from GNU time
run() {
	name=$1; out=$2; shift 2
	/usr/bin/time -v -o "$dir/time.$name" "$@" > "$dir/log.$name" 2>&1 < /dev/null
	rc=$?
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.$name")
	cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$dir/time.$name")
	rss=$(awk -F': ' '/Maximum resident/ {printf "%d", $2/1024}' "$dir/time.$name")
	osz=0
	[ -n "$out" ] && osz=$(du -cb $out 2>/dev/null | tail -n 1 | cut -f1)
	echo "$name $wall $cpu $rss $osz $rc" >> "$res"
}
rm -rf case ewf-fast.* ewf-none.* dc3dd.img
run shodo "case/A/image/A.E??" "$shodo" image "$src" --case case --evidence A -q
run shodo-md5sha1 "case/B/image/B.E??" "$shodo" image "$src" --case case --evidence B --hash md5,sha1 --no-verify -q
run ewfacquire-fast "ewf-fast.E??" ewfacquire -u -q -c deflate:fast -d sha1 -t "$dir/ewf-fast" "$src"
run ewfacquire-none "ewf-none.E??" ewfacquire -u -q -c none -d sha1 -t "$dir/ewf-none" "$src"
run dc3dd "dc3dd.img" dc3dd if="$src" of="$dir/dc3dd.img" hash=md5 hash=sha1 nwspc=on
run shodo-verify "" "$shodo" verify case/A/image/A.E01 -q
run ewfverify "" ewfverify -q ewf-fast.E01
run md5-ceiling "" openssl dgst -md5 "$src"

ok=1
for e in case/A/image/A.E01 case/B/image/B.E01 ewf-fast.E01 ewf-none.E01; do
	if ewfverify -q "$e" </dev/null 2>&1 | grep -q SUCCESS; then echo "ewfverify $e: SUCCESS"; else echo "ewfverify $e: FAILURE"; ok=0; fi
done
acq=$(jq -r .acquire_seconds case/A/image/acquisition.json)
ver=$(jq -r .verification.seconds case/A/image/acquisition.json)
acqB=$(jq -r .acquire_seconds case/B/image/acquisition.json)

echo
echo "source: $size ($bytes bytes) from tests/helpers/mkdisk; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
printf '%-34s %9s %7s %6s %9s %13s\n' run "MB/s" "CPU%" "RSS MB" "time s" "output bytes"
awk -v b="$bytes" '{printf "%-34s %9.0f %7s %6s %9.2f %13s%s\n", $1, b/1e6/$2, $3, $4, $2, $5, ($6 != 0 ? "  (exit " $6 ")" : "")}' "$res"
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
printf '%-34s %9.0f %7s %6s %9.2f\n' "shodo (acquisition phase only)" "$(div "$bytes" "$acq" | awk '{print $1 / 1e6}')" - - "$acq"
printf '%-34s %9.0f %7s %6s %9.2f\n' "shodo (verification phase only)" "$(div "$bytes" "$ver" | awk '{print $1 / 1e6}')" - - "$ver"
t() { awk -v n="$1" '$1 == n {print $2}' "$res"; }
s() { awk -v n="$1" '$1 == n {print $5}' "$res"; }
echo
echo "ratios (same run):"
echo "  shodo default acquisition vs ewfacquire deflate:fast  $(div "$(t ewfacquire-fast)" "$acq")x  (target >= 3)"
echo "  shodo default, incl. verification vs ewfacquire fast  $(div "$(t ewfacquire-fast)" "$(t shodo)")x"
echo "  shodo output size vs ewfacquire fast                  $(div "$(s shodo)" "$(s ewfacquire-fast)")  (target <= 1.02)"
echo "  shodo --hash md5,sha1 vs MD5 ceiling                  $(div "$(t md5-ceiling)" "$acqB")  (target >= 0.8)"
echo "  shodo --hash md5,sha1 vs ewfacquire -c none           $(div "$(t ewfacquire-none)" "$acqB")x"
echo "  shodo --hash md5,sha1 vs dc3dd md5+sha1 to raw        $(div "$(t dc3dd)" "$acqB")x"
echo "  shodo verify vs ewfverify                             $(div "$(t ewfverify)" "$(t shodo-verify)")x  (target >= 1.4)"
[ -z "${BENCH_KEEP:-}" ] && [ -z "${BENCH_DIR:-}" ] && rm -rf "$dir"
[ $ok = 1 ]
