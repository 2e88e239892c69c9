#!/bin/sh
# bench/triage.sh — triage collection speed against sleuthkit on the same
# image in the same run.
#
# Builds an NTFS image (mkntfs + the ntfs-3g mount) holding a Windows-like
# tree (hives, event logs, prefetch, executables) and a large user tree of
# FILES files (default 200,000) in folders of 100 with a ransom note in each
# folder, then times, each once after a warm-up read of the image:
#   fls -r            listing the tree (sleuthkit)
#   icat              copying every file triage collects (one icat per file)
#   shodo triage      --profile quick, and --profile full (files table of
#                     every entry with its times, $MFT)
# and prints the ratios.  Real artifacts from the corpus go into the tree when
# it is there (SHODO_CORPUS, default ../shared/corpus); messages of the runs go
# to triage.err in the work folder.  The aim: quick collection within 1.5x of fls -r.
#   FILES=N          size of the tree        KEEP=1   keep the work folder
#   REPS=N           runs of each command, the best is shown (default 3)
#   E01=0            skip the E01 copy of the image (ewfacquire -c fast)
#   BENCH_DIR=DIR    work folder (default: a new folder under /tmp)
# Needs root (loop-free: ntfs-3g mounts the image file through FUSE).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHODO_BIN:-$top/build/shodo}
files=${FILES:-200000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/shodo-bench.XXXXXX)}
for c in mkntfs ntfs-3g fls icat jq; do
	command -v $c >/dev/null || { echo "bench: $c is needed (ntfs-3g, sleuthkit, jq)"; exit 1; }
done
[ -x "$bin" ] || { echo "bench: build shodo first (make)"; exit 1; }
cd "$dir" || exit 1
T=$dir
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

if [ ! -f bench.img ]; then
	echo "building an NTFS image with $files user files ..."
	t0=$(now)
	# about 1.2 KiB of MFT per file plus data
	mb=$(( files / 400 + 512 ))
	truncate -s ${mb}M bench.img
	mkntfs -q -F -f bench.img >/dev/null 2>&1 || { echo "bench: mkntfs failed"; exit 1; }
	mkdir -p mnt
	ntfs-3g -o big_writes bench.img mnt || { echo "bench: ntfs-3g mount failed"; exit 1; }
	. "$top/tests/lib/wintree.sh"
	CORPUS=${SHODO_CORPUS:-$top/../shared/corpus} wintree "$dir/mnt"
	awk -v n="$files" 'BEGIN {
		printf "set -e\n"
		for (i = 0; i < n; i++) {
			if (i % 100 == 0) {
				d = sprintf("mnt/Users/user%d/Documents/project%d", int(i / 10000), int(i / 100))
				printf "mkdir -p \"%s\"\n", d
				printf "echo \"YOUR FILES ARE ENCRYPTED. mail decrypt@example.onion\" > \"%s/HOW_TO_DECRYPT.txt\"\n", d
			}
			if (i % 10 == 0) printf "echo %d > \"%s/report%d.docx.lockbit\"\n", i, d, i
			else printf ": > \"%s/file%d.dat\"\n", d, i
		}
	}' > gen.sh
	sh gen.sh || { echo "bench: building the tree failed"; umount mnt; exit 1; }
	sync; umount mnt
	echo "image built in $(secs "$t0" "$(now)") s: $(du -h bench.img | cut -f1) on disk"
fi

cat bench.img > /dev/null
# best (lowest wall clock) of REPS runs; CPU seconds (user+sys) with it, since
# wall time on a shared machine is noisy
reps=${REPS:-3}
timed() {   # NAME CMD...: sets t_NAME (s), c_NAME (CPU s), rc_NAME
	_n=$1; shift
	_best=""; _cpu=0
	_k=0
	while [ $_k -lt "$reps" ]; do
		_k=$((_k+1))
		[ -n "${PRE:-}" ] && eval "$PRE"
		_t0=$(now)
		if [ -x /usr/bin/time ]; then /usr/bin/time -f "%U %S" -o cpu.txt "$@"; _rc=$?
		else "$@"; _rc=$?; echo "0 0" > cpu.txt; fi
		_t=$(secs "$_t0" "$(now)")
		if [ -z "$_best" ] || [ "$(awk -v a="$_t" -v b="$_best" 'BEGIN{print (a < b)}')" = 1 ]; then
			_best=$_t; _cpu=$(tail -n 1 cpu.txt | awk '{ printf "%.2f", $1 + $2 }')
			[ -n "${POST:-}" ] && eval "$POST"
		fi
	done
	eval "t_$_n=$_best; c_$_n=$_cpu; rc_$_n=$_rc"
}
timed fls sh -c 'fls -r bench.img > fls.txt'
entries=$(wc -l < fls.txt)
# the walk and copies alone, as triage.log reports them (the rest is parsing and the report)
walk() { sed -n 's/.* files copied (.*) in \([0-9.]*\) s.*/\1/p' "$1" | awk '{ s += $1 } END { printf "%.2f", s }'; }
PRE='rm -rf case' POST='w_quick=$(walk case/QUICK/triage/triage.log)' \
	timed quick sh -c '"$0" triage bench.img --case case --evidence QUICK -q 2>> triage.err' "$bin"
mv case case.quick
PRE='rm -rf case' POST='w_full=$(walk case/FULL/triage/triage.log)' \
	timed full sh -c '"$0" triage bench.img --case case --evidence FULL --profile full -q 2>> triage.err' "$bin"
mv case case.full
ncol=$(wc -l < case.quick/QUICK/triage/manifest.jsonl)
rows=$(sqlite3 case.full/FULL/triage/triage.db 'select count(*) from files' 2>/dev/null || echo "?")
jq -r '.inode' case.quick/QUICK/triage/manifest.jsonl > inodes
PRE='rm -rf icat.out; mkdir icat.out' timed icat sh -c 'i=0; while read -r ino; do i=$((i+1)); icat bench.img "$ino" > icat.out/$i; done < inodes'
rm -rf icat.out case.quick case.full

# the same image as an E01 (what responders usually hold): libewf decompresses chunks
if [ "${E01:-1}" = 1 ] && command -v ewfacquire >/dev/null; then
	[ -f bench.E01 ] || ewfacquire -u -q -t bench -c fast -S 4G -C b -D b -E b -e b -N b bench.img >/dev/null 2>&1
	if [ -f bench.E01 ]; then
		timed fls_e01 sh -c 'fls -r bench.E01 > /dev/null'
		PRE='rm -rf case' timed quick_e01 sh -c '"$0" triage bench.E01 --case case --evidence QE -q 2>> triage.err' "$bin"
		rm -rf case
	fi
fi

echo
echo "image: $entries entries (fls -r lines), $(du -h --apparent-size bench.img | cut -f1); best of $reps runs"
echo "collected: $ncol files (quick profile); full profile files table: $rows rows"
printf '%-40s %8s s wall %8s s CPU\n' "fls -r (list the tree)" "$t_fls" "$c_fls"
printf '%-40s %8s s wall %8s s CPU\n' "icat of the $ncol collected files" "$t_icat" "$c_icat"
printf '%-40s %8s s wall %8s s CPU   exit %s\n' "shodo triage --profile quick" "$t_quick" "$c_quick" "$rc_quick"
printf '%-40s %8s s wall %8s s CPU   exit %s\n' "shodo triage --profile full" "$t_full" "$c_full" "$rc_full"
printf '%-40s %8s s wall\n' "  of which collection (quick)" "$w_quick"
printf '%-40s %8s s wall\n' "  of which collection (full)" "$w_full"
echo "ratio quick / fls -r:             $(ratio "$t_quick" "$t_fls") wall, $(ratio "$c_quick" "$c_fls") CPU   (aim: <= 1.5)"
echo "ratio quick / (fls -r + icat):    $(ratio "$t_quick" "$(awk -v a="$t_fls" -v b="$t_icat" 'BEGIN{print a+b}')") wall"
echo "ratio full / fls -r:              $(ratio "$t_full" "$t_fls") wall, $(ratio "$c_full" "$c_fls") CPU"
echo "ratio collection (quick) / fls -r: $(ratio "$w_quick" "$t_fls")"
echo "ratio collection (full) / fls -r:  $(ratio "$w_full" "$t_fls")"
if [ -n "${t_fls_e01:-}" ]; then
	printf '%-40s %8s s wall %8s s CPU\n' "E01: fls -r" "$t_fls_e01" "$c_fls_e01"
	printf '%-40s %8s s wall %8s s CPU   exit %s\n' "E01: shodo triage --profile quick" "$t_quick_e01" "$c_quick_e01" "$rc_quick_e01"
	echo "ratio E01 quick / E01 fls -r:     $(ratio "$t_quick_e01" "$t_fls_e01") wall, $(ratio "$c_quick_e01" "$c_fls_e01") CPU"
fi
[ "${KEEP:-0}" = 1 ] && echo "work folder kept: $dir" || { cd /; rm -rf "$dir"; }
