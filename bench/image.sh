#!/bin/sh
# bench/image.sh [SIZE] — imaging throughput of shodo against its peers on the
# same deterministic disk-like source (tests/helpers/mkdisk: zero, text,
# binary and random extents mixed like a used NTFS disk).  Default 4G.
#
# Measures, in one run: shodo image (default: fast compression, MD5+SHA-1+
# SHA-256, verification timed separately), shodo image --hash md5,sha1,
# ewfacquire -c deflate:fast, ewfacquire -c none, dc3dd hash=md5 hash=sha1,
# shodo verify against ewfverify, and the single-stream ceiling openssl dgst
# -md5, run right before each of the two shodo acquisitions (each is compared
# with the ceiling next to it).  shodo verify and ewfverify -d sha1 read the
# same image (ewfacquire's) for the same digests, each from the disk (its
# pages dropped from memory first).  Prints MB/s, CPU%, CPU
# seconds, peak RSS, output size and the ratios, first the two goals:
#   md5+sha1 acquisition vs the MD5 ceiling          (goal >= 0.85)
#   default acquisition with its verification, end to end, vs the ceiling
#                                                    (goal >= 0.5)
# each also as a CPU bound: the ceiling's CPU seconds against half of shodo's
# (what two otherwise idle cores would give if shodo's work were spread
# evenly over them; for the acquisition phase, from the CPU seconds per stage
# in acquisition.json, and never less than its slowest one-thread stage).
# These do not depend on other jobs on a shared machine; wall-time ratios
# do, in both directions: under load a many-threaded run takes a larger
# share of the cores than the one-thread ceiling.  The CPU seconds per stage
# of every shodo run are printed at the end (median per stage).
# Checks every E01 with ewfverify.  The source is read once beforehand so
# that every tool reads it from the page cache (the figures compare CPU
# work, not the disk).  Before each run that writes, as much memory as the
# source is written to a file and removed again, so that every writer puts
# its output into page-cache memory that has been used before: in a virtual
# machine that hands freed memory back to its host (virtio-balloon free page
# reporting), the first touch of a page costs a fault in the host, and a
# writer's CPU then depends on how much memory earlier runs left untouched
# (measured: the same shodo run wrote its 774 MB image with 0.46, 1.60 and
# 2.56 CPU seconds, one after another); on a real machine that cost is not
# there.  And every run starts after a sync, so that no run pays for
# writing back what an earlier one left dirty.
# As root, the same source is also imaged from a block device (a loop device
# over the source file with direct I/O, so that its reads come from the disk
# as a seized disk's do, not from memory): shodo --hash md5,sha1 as it runs by
# default (O_DIRECT) and with --buffered, and ewfacquire -c deflate:fast; the
# device's page cache is emptied before each (blockdev --flushbufs).
#   BENCH_RUNS=N      repeat the whole set N times (default 1); the table then
#                     shows medians and the ratios median [min-max]
#   BENCH_DIR=/path   where to put the source and outputs (default: a new
#                     folder under /var/tmp; needs about 2.5 x SIZE free)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-4G}
runs=${BENCH_RUNS:-1}
build=${SHODO_BUILD:-$top/build}
shodo=$build/shodo
mkdisk=$build/tests/helpers/mkdisk
[ -x "$shodo" ] || { echo "bench: build shodo first (make)" >&2; exit 2; }
[ -x "$mkdisk" ] || make -C "$top" --no-print-directory BUILD="$build" "$build/tests/helpers/mkdisk" >/dev/null || exit 2
for t in ewfacquire ewfverify dc3dd openssl jq /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing (apt-get install ewf-tools dc3dd openssl jq time)" >&2; exit 2; }
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
: > "$dir/stages.jsonl"
# run NAME OUTPUT-SIZE-PATH CMD...: appends "run name wall cpu% rss bytes rc
# acquire-s verify-s" (the last two from shodo's acquisition.json, else -)
# prime: see the head of the file (used memory to write into, as on hardware)
prime() {
	dd if=/dev/zero of="$dir/prime" bs=1M count=$((bytes / 1048576 + 64)) status=none 2>/dev/null
	rm -f "$dir/prime"
}
run() {
	name=$1; out=$2; shift 2
	sync
	[ -n "$out" ] && prime
	/usr/bin/time -v -o "$dir/time.$name" "$@" > "$dir/log.$name" 2>&1 < /dev/null
	rc=$?
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.$name")
	cpu=$(awk -F': ' '/Percent of CPU/ {sub("%", "", $2); print $2}' "$dir/time.$name")
	rss=$(awk -F': ' '/Maximum resident/ {printf "%d", $2/1024}' "$dir/time.$name")
	osz=0
	[ -n "$out" ] && osz=$(du -cb $out 2>/dev/null | tail -n 1 | cut -f1)
	acq=- ver=- acpu=- amax=-
	case $name in shodo|shodo-md5sha1|shodo-dev|shodo-dev-buffered)
		aj=case/$(echo "$name" | sed 's/^shodo$/A/; s/^shodo-md5sha1$/B/; s/^shodo-dev$/D/; s/^shodo-dev-buffered$/E/')/image/acquisition.json
		acq=$(jq -r .acquire_seconds "$aj" 2>/dev/null || echo -)
		ver=$(jq -r '.verification.seconds // "-"' "$aj" 2>/dev/null || echo -)
		# the acquisition's CPU seconds, and its slowest one-thread stage
		acpu=$(jq -r '[.cpu_seconds.acquire[]] | add' "$aj" 2>/dev/null || echo -)
		amax=$(jq -r '.cpu_seconds.acquire | del(.compress) | [.[]] | max' "$aj" 2>/dev/null || echo -)
		jq -c "{run: $i, name: \"$name\", cpu_seconds}" "$aj" >> "$dir/stages.jsonl" 2>/dev/null ;;
	esac
	echo "$i $name $wall $cpu $rss $osz $rc $acq $ver $acpu $amax" >> "$res"
}
# the block device (root only): see the head of the file
loop=
if [ "$(id -u)" = 0 ] && command -v losetup >/dev/null && command -v blockdev >/dev/null; then
	loop=$(losetup --direct-io=on -r -f --show "$src" 2>/dev/null) || loop=
	[ -n "$loop" ] && trap 'losetup -d "$loop" 2>/dev/null' EXIT
fi
[ -n "$loop" ] || echo "bench: not root or no loop device: the block-device rows are left out" >&2
# uncache FILE...: their pages dropped from memory (read next from the disk)
uncache() { for f in "$@"; do dd if="$f" iflag=nocache count=0 status=none; done; }
ok=1
i=1
while [ $i -le "$runs" ]; do
	rm -rf case ewf-fast.* ewf-none.* dc3dd.img
	run md5-ceiling-b "" openssl dgst -md5 "$src"
	run shodo-md5sha1 "case/B/image/B.E??" "$shodo" image "$src" --case case --evidence B --hash md5,sha1 --no-verify -q
	run md5-ceiling "" openssl dgst -md5 "$src"
	run shodo "case/A/image/A.E??" "$shodo" image "$src" --case case --evidence A -q
	run ewfacquire-fast "ewf-fast.E??" ewfacquire -u -q -c deflate:fast -d sha1 -t "$dir/ewf-fast" "$src"
	run ewfacquire-none "ewf-none.E??" ewfacquire -u -q -c none -d sha1 -t "$dir/ewf-none" "$src"
	run dc3dd "dc3dd.img" dc3dd if="$src" of="$dir/dc3dd.img" hash=md5 hash=sha1 nwspc=on
	# the same image (ewfacquire's), the same digests (MD5 and SHA-1), read
	# from the disk by every tool (shodo verify drops an image's cached pages
	# before it reads, so that it checks what the disk holds: the others get
	# the same start)
	uncache ewf-fast.E??; run shodo-verify "" "$shodo" verify ewf-fast.E01 -q
	uncache ewf-fast.E??; run ewfverify-sha1 "" ewfverify -q -d sha1 ewf-fast.E01
	uncache ewf-fast.E??; run ewfverify "" ewfverify -q ewf-fast.E01
	# shodo's own image with its acquisition.json: MD5, SHA-1 and SHA-256
	uncache case/A/image/A.E??; run shodo-verify-3hashes "" "$shodo" verify case/A/image/A.E01 -q
	devs=
	if [ -n "$loop" ]; then
		rm -f ewf-dev.*
		blockdev --flushbufs "$loop"
		run shodo-dev "case/D/image/D.E??" "$shodo" image "$loop" --case case --evidence D --hash md5,sha1 --no-verify -q
		blockdev --flushbufs "$loop"
		run shodo-dev-buffered "case/E/image/E.E??" "$shodo" image "$loop" --case case --evidence E --hash md5,sha1 --no-verify --buffered -q
		blockdev --flushbufs "$loop"
		run ewfacquire-dev "ewf-dev.E??" ewfacquire -u -q -c deflate:fast -d sha1 -t "$dir/ewf-dev" "$loop"
		devs="case/D/image/D.E01 case/E/image/E.E01 ewf-dev.E01"
	fi
	for e in case/A/image/A.E01 case/B/image/B.E01 ewf-fast.E01 ewf-none.E01 $devs; do
		ewfverify -q "$e" </dev/null 2>&1 | grep -q SUCCESS || { echo "run $i: ewfverify $e: FAILURE"; ok=0; }
	done
	i=$((i + 1))
done
[ $ok = 1 ] && echo "ewfverify: SUCCESS for every E01 of every run (shodo default, shodo md5+sha1, ewfacquire fast, none${loop:+; from the device: shodo, shodo --buffered, ewfacquire fast})"

# med NAME FIELD: median over the runs of a column (3 wall, 4 cpu%, 5 rss,
# 6 bytes, 8 acquire-s, 9 verify-s; "cpus" = wall * cpu% / 100)
col() {
	awk -v n="$1" -v f="$2" '$2 == n { v = (f == "cpus") ? $3 * $4 / 100 : $f; print v }' "$res"
}
stat3() {  # reads numbers, prints "median min max"
	sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "n/a n/a n/a"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
med() { col "$1" "$2" | stat3 | cut -d' ' -f1; }

echo
echo "source: $size ($bytes bytes) from tests/helpers/mkdisk; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $runs run(s), medians; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s %7s %7s %6s %9s %13s\n' run "MB/s" "CPU%" "CPU s" "RSS MB" "time s" "output bytes"
for n in md5-ceiling-b shodo-md5sha1 md5-ceiling shodo ewfacquire-fast ewfacquire-none dc3dd shodo-verify ewfverify-sha1 ewfverify shodo-verify-3hashes ${loop:+shodo-dev shodo-dev-buffered ewfacquire-dev}; do
	w=$(med $n 3)
	bad=$(awk -v n=$n '$2 == n && $7 != 0 { c++ } END { if (c) printf "  (%d run(s) failed)", c }' "$res")
	printf '%-34s %9.0f %7.0f %7.2f %6.0f %9.2f %13.0f%s\n' "$n" "$(awk -v b="$bytes" -v w="$w" 'BEGIN { print b / 1e6 / w }')" \
		"$(med $n 4)" "$(med $n cpus)" "$(med $n 5)" "$w" "$(med $n 6)" "$bad"
done
for p in "8 shodo (acquisition phase only)" "9 shodo (verification phase only)" "8 shodo-md5sha1 (acquisition phase only)"; do
	f=${p%% *}; rest=${p#* }; n=${rest%% *}; label=$rest
	s=$(med "$n" "$f")
	printf '%-34s %9.0f %7s %7s %6s %9.2f\n' "$(echo "$label" | sed 's/^shodo-md5sha1/shodo md5+sha1/')" \
		"$(awk -v b="$bytes" -v s="$s" 'BEGIN { print b / 1e6 / s }')" - - - "$s"
done

# ratio A-NAME A-FIELD B-NAME B-FIELD: per run B/A (a time or CPU ratio where
# more is better for A), as "median [min-max]"
ratio() {
	awk -v a="$1" -v af="$2" -v b="$3" -v bf="$4" '
		function val(f) {
			if (f == "cpus") return $3 * $4 / 100
			if (f == "halfcpus") return $3 * $4 / 200
			if (f == "acqbound") return ($10 / 2 > $11) ? $10 / 2 : $11
			return $f
		}
		$2 == a { A[$1] = val(af) } $2 == b { B[$1] = val(bf) }
		END { for (r in A) if ((r in B) && A[r] > 0) print B[r] / A[r] }' "$res" | stat3 |
	awk '{ if ($1 == "n/a") print "n/a"; else if ($2 == $3) printf "%.2f", $1; else printf "%.2f [%.2f-%.2f]", $1, $2, $3 }'
}
echo
echo "goals (same run; shodo against the MD5 ceiling measured right before it):"
echo "  md5+sha1 acquisition vs MD5 ceiling              $(ratio shodo-md5sha1 8 md5-ceiling-b 3)  (goal >= 0.85)"
echo "    CPU bound on 2 idle cores                      $(ratio shodo-md5sha1 acqbound md5-ceiling-b cpus)"
echo "    whole md5+sha1 run (with its segment hash)     $(ratio shodo-md5sha1 3 md5-ceiling-b 3)"
echo "  default with verification, end to end, vs ceiling $(ratio shodo 3 md5-ceiling 3)  (goal >= 0.5)"
echo "    CPU bound on 2 idle cores                      $(ratio shodo halfcpus md5-ceiling cpus)"
echo "  CPU work, shodo md5+sha1 / openssl md5           $(ratio md5-ceiling cpus shodo-md5sha1 cpus)x"
echo "  CPU work, shodo default incl. verify / openssl md5 $(ratio md5-ceiling cpus shodo cpus)x"
echo
echo "ratios (same run):"
echo "  shodo default acquisition vs ewfacquire deflate:fast  $(ratio shodo 8 ewfacquire-fast 3)x  (target >= 3)"
echo "  shodo default, incl. verification vs ewfacquire fast  $(ratio shodo 3 ewfacquire-fast 3)x"
echo "  shodo output size vs ewfacquire fast                  $(ratio ewfacquire-fast 6 shodo 6)  (target <= 1.02)"
echo "  shodo --hash md5,sha1 vs ewfacquire -c none           $(ratio shodo-md5sha1 8 ewfacquire-none 3)x"
echo "  shodo --hash md5,sha1 vs dc3dd md5+sha1 to raw        $(ratio shodo-md5sha1 8 dc3dd 3)x"
echo "  CPU work, ewfacquire fast / shodo default (incl. verify) $(ratio shodo cpus ewfacquire-fast cpus)x"
echo "  shodo verify vs ewfverify -d sha1 (same image, MD5+SHA-1) $(ratio shodo-verify 3 ewfverify-sha1 3)x  (target >= 1.4)"
echo "  shodo verify vs ewfverify (MD5 only)                  $(ratio shodo-verify 3 ewfverify 3)x"
echo "  shodo verify with SHA-256 too vs ewfverify (MD5 only) $(ratio shodo-verify-3hashes 3 ewfverify 3)x"
if [ -n "$loop" ]; then
	echo
	echo "from a block device, read cold (same run; --hash md5,sha1 --no-verify):"
	echo "  shodo (O_DIRECT) vs shodo --buffered, wall          $(ratio shodo-dev 3 shodo-dev-buffered 3)x"
	echo "  shodo --buffered / shodo (O_DIRECT), CPU work       $(ratio shodo-dev cpus shodo-dev-buffered cpus)x"
	echo "  shodo (O_DIRECT) vs ewfacquire deflate:fast, wall   $(ratio shodo-dev 3 ewfacquire-dev 3)x"
	echo "  shodo (O_DIRECT), acquisition phase, vs MD5 ceiling $(ratio shodo-dev 8 md5-ceiling-b 3)"
fi
echo
echo "CPU seconds per stage (median over the runs; acquisition.json cpu_seconds):"
for n in shodo-md5sha1 shodo ${loop:+shodo-dev shodo-dev-buffered}; do
	jq -r --arg n "$n" 'select(.name == $n) | .cpu_seconds | to_entries[] |
		if (.value | type) == "object" then .key as $k | .value | to_entries[] | "\($k).\(.key) \(.value)"
		else "\(.key) \(.value)" end' "$dir/stages.jsonl" > "$dir/stages.$n"
	line="" tot=0
	for k in $(awk '!seen[$1]++ { print $1 }' "$dir/stages.$n"); do
		m=$(awk -v k="$k" '$1 == k { print $2 }' "$dir/stages.$n" | stat3 | cut -d' ' -f1)
		line="$line $k $(printf '%.2f' "$m")"
		tot=$(awk -v t="$tot" -v m="$m" 'BEGIN { print t + m }')
	done
	printf '  %-14s%s; total %.2f\n' "$n" "$line" "$tot"
done
[ -z "${BENCH_KEEP:-}" ] && [ -z "${BENCH_DIR:-}" ] && rm -rf "$dir"
[ $ok = 1 ]
