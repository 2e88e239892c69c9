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
# and prints the ratios.  The aim: quick collection within 1.5x of fls -r.
#   FILES=N          size of the tree        KEEP=1   keep the work folder
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
	CORPUS=/nonexistent wintree "$dir/mnt"
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
t0=$(now); fls -r bench.img > fls.txt; t_fls=$(secs "$t0" "$(now)")
entries=$(wc -l < fls.txt)

rm -rf case
t0=$(now); "$bin" triage bench.img --case case --evidence QUICK -q; rc_q=$?; t_quick=$(secs "$t0" "$(now)")
t0=$(now); "$bin" triage bench.img --case case --evidence FULL --profile full -q; rc_f=$?; t_full=$(secs "$t0" "$(now)")
ncol=$(wc -l < case/QUICK/triage/manifest.jsonl)
# the walk and copies alone, as triage.log reports them (the rest is parsing and the report)
walk() { sed -n 's/.* files copied (.*) in \([0-9.]*\) s.*/\1/p' "$1" | awk '{ s += $1 } END { printf "%.2f", s }'; }
w_quick=$(walk case/QUICK/triage/triage.log); w_full=$(walk case/FULL/triage/triage.log)
rows=$(sqlite3 case/FULL/triage/triage.db 'select count(*) from files' 2>/dev/null || echo "?")

mkdir -p icat.out
jq -r '.inode' case/QUICK/triage/manifest.jsonl > inodes
t0=$(now)
i=0; while read -r ino; do i=$((i+1)); icat bench.img "$ino" > icat.out/$i; done < inodes
t_icat=$(secs "$t0" "$(now)")
rm -rf icat.out

echo
echo "image: $entries entries (fls -r lines), $(du -h --apparent-size bench.img | cut -f1)"
echo "collected: $ncol files (quick profile); full profile files table: $rows rows"
printf '%-44s %8s s\n' "fls -r (list the tree)" "$t_fls"
printf '%-44s %8s s\n' "icat of the $ncol collected files" "$t_icat"
printf '%-44s %8s s   exit %s\n' "shodo triage --profile quick" "$t_quick" "$rc_q"
printf '%-44s %8s s   exit %s\n' "shodo triage --profile full" "$t_full" "$rc_f"
printf '%-44s %8s s\n' "  of which collection (quick)" "$w_quick"
printf '%-44s %8s s\n' "  of which collection (full)" "$w_full"
echo "ratio quick / fls -r:            $(ratio "$t_quick" "$t_fls")   (aim: <= 1.5)"
echo "ratio quick / (fls -r + icat):   $(ratio "$t_quick" "$(awk -v a="$t_fls" -v b="$t_icat" 'BEGIN{print a+b}')")"
echo "ratio full / fls -r:             $(ratio "$t_full" "$t_fls")"
echo "ratio collection (quick) / fls -r: $(ratio "$w_quick" "$t_fls")"
echo "ratio collection (full) / fls -r:  $(ratio "$w_full" "$t_fls")"
[ "${KEEP:-0}" = 1 ] && echo "work folder kept: $dir" || { cd /; rm -rf "$dir"; }
