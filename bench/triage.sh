#!/bin/sh
# bench/triage.sh — a whole host triaged, against the peers doing the same
# work, in the same run.
#
# Builds an NTFS image (mkntfs + the ntfs-3g mount) holding a realistic host:
# a Windows-like tree (hives, prefetch, executables), LOGS_MB of event logs
# (default 1100: a large Security log, and System, Application, PowerShell
# and Sysmon logs, made by repeating the chunks of corpus logs,
# bench/mkbigevtx.py), and a user tree of FILES files (default 200,000) in
# folders of 100 with a ransom note in each folder.  Then times, each after
# a warm-up read of the image:
#   fls -r            listing the tree (sleuthkit)
#   icat              copying every file triage collects (one icat per file)
#   evtxexport, sccainfo, regfexport   on every collected log, prefetch file
#                     and hive: with fls and icat, the peers doing the work
#                     quick triage does
#   openssl dgst -md5, -sha256 of the copies (collection records both): with fls -r
#                     and icat, the floor of reading and keeping the evidence
#   shodo triage      --profile quick from the image file, from the image as
#                     a raw device (a read-only loop device) and from an E01
#                     copy (ewfacquire -c fast); --profile full from the file
# and prints the stage times each run logged (collect, analyse, scope,
# posture, report) and the ratios.  Real artifacts from the corpus go into
# the tree when it is there (SHODO_CORPUS, default ../shared/corpus); messages
# of the runs go to triage.err in the work folder.  Aims: quick triage within
# 1.5x of fls -r; every stage well below the peers' sum.
#   FILES=N          size of the tree        KEEP=1   keep the work folder
#   LOGS_MB=N        event logs (default 1100; 0: the small logs of the tree only)
#   REPS=N           runs of each command, the best is shown (default 1)
#   E01=0            skip the E01 copy        LOOP=0   skip the loop device
#   BENCH_DIR=DIR    work folder (default: a new folder under /tmp)
# Needs root (ntfs-3g mounts the image through FUSE; losetup for the device).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHODO_BIN:-$top/build/shodo}
files=${FILES:-200000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/shodo-bench.XXXXXX)}
logs_mb=${LOGS_MB:-1100}
corpus=${SHODO_CORPUS:-$top/../shared/corpus}
for c in mkntfs ntfs-3g fls icat openssl jq evtxexport sccainfo regfexport python3; do
	command -v $c >/dev/null || { echo "bench: $c is needed (ntfs-3g, sleuthkit, jq, libevtx-utils, libscca-utils, libregf-utils)"; exit 1; }
done
[ -x "$bin" ] || { echo "bench: build shodo first (make)"; exit 1; }
[ "$logs_mb" -eq 0 ] || [ -d "$corpus/evtx" ] ||
	{ echo "bench: the event logs are made from the corpus's, and $corpus/evtx is missing (SHODO_CORPUS, or LOGS_MB=0)"; exit 1; }
cd "$dir" || exit 1
T=$dir
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

if [ ! -f bench.img ]; then
	echo "building an NTFS image with $files user files ..."
	t0=$(now)
	# about 1.2 KiB of MFT per file plus data, plus the logs
	mb=$(( files / 400 + 512 + logs_mb * 11 / 10 ))
	truncate -s ${mb}M bench.img
	mkntfs -q -F -f bench.img >/dev/null 2>&1 || { echo "bench: mkntfs failed"; exit 1; }
	mkdir -p mnt
	ntfs-3g -o big_writes bench.img mnt || { echo "bench: ntfs-3g mount failed"; exit 1; }
	. "$top/tests/lib/wintree.sh"
	CORPUS=$corpus wintree "$dir/mnt"
	# the tree's hives are corpus files under 3 MB (the tests' limit) or
	# placeholders; a host has a real SYSTEM hive of several MB
	big_system=$(ls -S "$corpus"/hives/*/SYSTEM 2>/dev/null | head -n 1)
	[ -n "$big_system" ] && cp "$big_system" mnt/Windows/System32/config/SYSTEM
	# the event logs of a busy server: most of it the Security log
	if [ "$logs_mb" -gt 0 ] && [ -d "$corpus/evtx" ]; then
		L=mnt/Windows/System32/winevt/Logs
		# the corpus logs of each channel, mixed chunk by chunk (truth/evtx.jsonl names the channels)
		for spec in "Security.evtx:Security:80" "System.evtx:System:7" "Application.evtx:Application:3" \
		            "Microsoft-Windows-PowerShell%4Operational.evtx:Microsoft-Windows-PowerShell/Operational:6" \
		            "Microsoft-Windows-Sysmon%4Operational.evtx:Microsoft-Windows-Sysmon/Operational:4"; do
			name=${spec%%:*} rest=${spec#*:}; chan=${rest%%:*} pct=${rest#*:}
			jq -r --arg c "$chan" 'select(.truth_status == "complete" and (.channels | keys) == [$c]) | .path' \
				"$corpus/truth/evtx.jsonl" | sed "s|^|$corpus/|" > chan.list
			[ -s chan.list ] || continue
			python3 "$top/bench/mkbigevtx.py" @chan.list "$L/$name" $(( logs_mb * pct / 100 > 1 ? logs_mb * pct / 100 : 1 )) ||
				{ echo "bench: mkbigevtx.py failed"; umount mnt; exit 1; }
		done
	fi
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
reps=${REPS:-1}
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
# the stage times the run logged: "collect analyse scope posture report"
stages() { sed -n 's/.*stage times: collect \([0-9.]*\) s, analyse \([0-9.]*\) s, scope \([0-9.]*\) s, posture \([0-9.]*\) s, report \([0-9.]*\) s.*/\1 \2 \3 \4 \5/p' "$1" | tail -n 1; }
PRE='rm -rf case' POST='w_quick=$(walk case/QUICK/triage/triage.log); s_quick=$(stages case/QUICK/triage/triage.log)' \
	timed quick sh -c '"$0" triage bench.img --case case --evidence QUICK -q 2>> triage.err' "$bin"
mv case case.quick
PRE='rm -rf case' POST='w_full=$(walk case/FULL/triage/triage.log); s_full=$(stages case/FULL/triage/triage.log)' \
	timed full sh -c '"$0" triage bench.img --case case --evidence FULL --profile full -q 2>> triage.err' "$bin"
mv case case.full
ncol=$(wc -l < case.quick/QUICK/triage/manifest.jsonl)
rows=$(sqlite3 case.full/FULL/triage/triage.db 'select count(*) from files' 2>/dev/null || echo "?")
jq -r '.inode' case.quick/QUICK/triage/manifest.jsonl > inodes
PRE='rm -rf icat.out; mkdir icat.out' timed icat sh -c 'i=0; while read -r ino; do i=$((i+1)); icat bench.img "$ino" > icat.out/$i; done < inodes'
# the hashes collection records for each copy (manifest.jsonl: md5 and sha256)
timed hashes sh -c 'openssl dgst -md5 icat.out/* > /dev/null && openssl dgst -sha256 icat.out/* > /dev/null'
# the parsing peers on the files icat copied (in manifest order)
jq -r '.category' case.quick/QUICK/triage/manifest.jsonl > cats
paste -d ' ' cats inodes | awk '{ print NR, $1 }' > kinds
logs_bytes=$(jq -s '[.[] | select(.category == "evtx") | .size] | add // 0' case.quick/QUICK/triage/manifest.jsonl)
sec_bytes=$(jq -s '[.[] | select(.category == "evtx" and (.path | test("Security.evtx$"))) | .size] | add // 0' case.quick/QUICK/triage/manifest.jsonl)
nlogs=$(grep -c ' evtx$' kinds) npf=$(grep -c ' prefetch$' kinds) nhive=$(grep -c ' registry$' kinds)
timed evtxexport sh -c 'grep " evtx$" kinds | while read -r i k; do evtxexport "icat.out/$i" > /dev/null 2>&1; done'
timed sccainfo sh -c 'grep " prefetch$" kinds | while read -r i k; do sccainfo "icat.out/$i" > /dev/null 2>&1; done'
timed regfexport sh -c 'grep " registry$" kinds | while read -r i k; do regfexport "icat.out/$i" > /dev/null 2>&1; done'
rm -rf icat.out case.quick case.full

# the image as a raw device (read-only loop device), as a live host or a write-blocked disk is read
if [ "${LOOP:-1}" = 1 ] && [ "$(id -u)" = 0 ] && dev=$(losetup -r -f --show bench.img 2>/dev/null); then
	PRE='rm -rf case' POST='s_dev=$(stages case/QDEV/triage/triage.log)' \
		timed quick_dev sh -c '"$0" triage "$1" --case case --evidence QDEV -q 2>> triage.err' "$bin" "$dev"
	rm -rf case
	losetup -d "$dev"
fi

# the same image as an E01 (what responders usually hold): libewf decompresses chunks
if [ "${E01:-1}" = 1 ] && command -v ewfacquire >/dev/null; then
	[ -f bench.E01 ] || ewfacquire -u -q -t bench -c fast -S 4G -C b -D b -E b -e b -N b bench.img >/dev/null 2>&1
	if [ -f bench.E01 ]; then
		timed fls_e01 sh -c 'fls -r bench.E01 > /dev/null'
		PRE='rm -rf case' POST='s_e01=$(stages case/QE/triage/triage.log)' \
			timed quick_e01 sh -c '"$0" triage bench.E01 --case case --evidence QE -q 2>> triage.err' "$bin"
		rm -rf case
	fi
fi

echo
echo "image: $entries entries (fls -r lines), $(du -h --apparent-size bench.img | cut -f1); best of $reps runs"
echo "collected: $ncol files (quick profile): $nlogs event logs ($((logs_bytes / 1000000)) MB, Security $((sec_bytes / 1000000)) MB), $nhive hives, $npf prefetch files; full profile files table: $rows rows"
row() { printf '%-40s %8s s wall %8s s CPU%s\n' "$1" "$2" "$3" "${4:-}"; }
st() { [ -n "${1:-}" ] && echo "$1" | awk '{ printf "   stages: collect %s, analyse %s, scope %s, posture %s, report %s", $1, $2, $3, $4, $5 }'; }
row "fls -r (list the tree)" "$t_fls" "$c_fls"
row "icat of the $ncol collected files" "$t_icat" "$c_icat"
row "evtxexport of the $nlogs logs" "$t_evtxexport" "$c_evtxexport"
row "sccainfo of the $npf prefetch files" "$t_sccainfo" "$c_sccainfo"
row "regfexport of the $nhive hives" "$t_regfexport" "$c_regfexport"
row "openssl md5 + sha256 of the copies" "$t_hashes" "$c_hashes"
# what reading and keeping the evidence costs before any parsing: listing
# the tree, copying what quick triage collects, hashing the copies
floor_t=$(awk -v a="$t_fls" -v b="$t_icat" -v c="$t_hashes" 'BEGIN { printf "%.2f", a + b + c }')
floor_c=$(awk -v a="$c_fls" -v b="$c_icat" -v c="$c_hashes" 'BEGIN { printf "%.2f", a + b + c }')
row "floor: fls -r + icat + hashes" "$floor_t" "$floor_c"
peers_t=$(awk -v a="$t_fls" -v b="$t_icat" -v c="$t_evtxexport" -v d="$t_sccainfo" -v e="$t_regfexport" 'BEGIN { printf "%.2f", a + b + c + d + e }')
peers_c=$(awk -v a="$c_fls" -v b="$c_icat" -v c="$c_evtxexport" -v d="$c_sccainfo" -v e="$c_regfexport" 'BEGIN { printf "%.2f", a + b + c + d + e }')
row "peers: the sum of the five above" "$peers_t" "$peers_c"
row "shodo triage --profile quick" "$t_quick" "$c_quick" "   exit $rc_quick$(st "${s_quick:-}")"
[ -n "${t_quick_dev:-}" ] && row "shodo triage quick, raw device" "$t_quick_dev" "$c_quick_dev" "   exit $rc_quick_dev$(st "${s_dev:-}")"
row "shodo triage --profile full" "$t_full" "$c_full" "   exit $rc_full$(st "${s_full:-}")"
row "  of which copying (quick)" "$w_quick" "-"
row "  of which copying (full)" "$w_full" "-"
echo "ratio quick / fls -r:             $(ratio "$t_quick" "$t_fls") wall, $(ratio "$c_quick" "$c_fls") CPU   (aim: <= 1.5)"
echo "ratio quick / peers' sum:         $(ratio "$t_quick" "$peers_t") wall, $(ratio "$c_quick" "$peers_c") CPU"
echo "ratio quick / floor:              $(ratio "$t_quick" "$floor_t") wall, $(ratio "$c_quick" "$floor_c") CPU   (the floor alone is $(ratio "$floor_t" "$t_fls")x fls -r)"
echo "ratio full / fls -r:              $(ratio "$t_full" "$t_fls") wall, $(ratio "$c_full" "$c_fls") CPU"
echo "ratio full / peers' sum:          $(ratio "$t_full" "$peers_t") wall, $(ratio "$c_full" "$peers_c") CPU"
if [ -n "${t_fls_e01:-}" ]; then
	row "E01: fls -r" "$t_fls_e01" "$c_fls_e01"
	row "E01: shodo triage --profile quick" "$t_quick_e01" "$c_quick_e01" "   exit $rc_quick_e01$(st "${s_e01:-}")"
	echo "ratio E01 quick / E01 fls -r:     $(ratio "$t_quick_e01" "$t_fls_e01") wall, $(ratio "$c_quick_e01" "$c_fls_e01") CPU"
fi
[ "${KEEP:-0}" = 1 ] && echo "work folder kept: $dir" || { cd /; rm -rf "$dir"; }
