#!/bin/sh
# Damaged hives (bytes overwritten in the cells, truncated files, a SAM
# paired with the wrong SYSTEM) never crash the posture stage: it finishes
# with findings for what it could read, and says why passwords could not
# be compared.  Run under `make check-asan` this also checks memory safety.
. "$(dirname "$0")/../lib/common.sh"
MKHIVE=$HELPERS/mkhive
MKSAM=$HELPERS/mksam
RUN=$HELPERS/posture_run
need sqlite3 sqlite3
[ -x "$MKHIVE" ] && [ -x "$MKSAM" ] && [ -x "$RUN" ] || fail "test helpers not built"
TAB=$(printf '\t')
W=Windows/System32/config

"$MKSAM" --rev 1 sys.txt sam.txt Administrator:500:pw:a Guest:501::d u1:1001:x:n || fail mksam
printf 'D\tControlSet001\\Control\\Terminal Server\tfDenyTSConnections\t0\n' >> sys.txt
printf 'S\tMicrosoft\\Windows\\CurrentVersion\\Uninstall\\{1}\tDisplayName\tSophos\nD\tMicrosoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\P\tInstallTimeHigh\t30000000\n' > soft.txt
"$MKHIVE" SYSTEM < sys.txt && "$MKHIVE" SAM < sam.txt && "$MKHIVE" SOFTWARE < soft.txt || fail mkhive

# mutate FILE SEED: overwrite 24 random bytes after the base block
mutate() {
	sz=$(stat -c %s "$1")
	awk -v seed="$2" -v sz="$sz" 'BEGIN { srand(seed); for (i = 0; i < 24; i++)
		printf "%d %d\n", 4096 + int(rand() * (sz - 4096)), int(rand() * 256) }' |
	while read -r off val; do
		printf "$(printf '\\%03o' "$val")" | dd of="$1" bs=1 seek="$off" conv=notrunc status=none
	done
}

i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	for h in SYSTEM SAM SOFTWARE; do cp $h m.$h; mutate m.$h $((i * 7 + ${#h})); done
	"$RUN" case "M$i" "registry:p1:$W/SYSTEM=$T/m.SYSTEM" "registry:p1:$W/SAM=$T/m.SAM" \
		"registry:p1:$W/SOFTWARE=$T/m.SOFTWARE" > /dev/null 2> "m$i.log"
	rc=$?
	[ $rc -le 1 ] || { tail -n 20 "m$i.log"; fail "mutation $i: posture exited $rc"; }
	[ -f case/M$i/triage/posture.csv ] || fail "mutation $i: no posture.csv"
done
ok "mutated hives: no crash, a posture.csv each"
# truncated hives
for n in 0 100 4096 5000; do
	head -c $n SAM > t.SAM; head -c $n SYSTEM > t.SYSTEM
	"$RUN" case "T$n" "registry:p1:$W/SYSTEM=$T/t.SYSTEM" "registry:p1:$W/SAM=$T/t.SAM" > /dev/null 2> t.log
	[ $? -le 1 ] || fail "truncated to $n bytes: crash"
done
ok "truncated hives"
# a SAM with another machine's SYSTEM: the RC4 check value refuses it
"$MKSAM" --rev 1 sys2.txt sam2.txt Administrator:500:pw:a > /dev/null && "$MKHIVE" OTHER < sys2.txt || fail mkhive
"$RUN" case WRONG "registry:p1:$W/SYSTEM=$T/OTHER" "registry:p1:$W/SAM=$T/SAM" > /dev/null 2> w.log || fail "wrong pair run"
grep -q 'check value does not match' w.log || { cat w.log; fail "wrong SYSTEM for this SAM not detected"; }
grep -q '^info,accounts,local passwords could not be compared across hosts,' case/WRONG/triage/posture.csv ||
	fail "no finding saying passwords were not compared"
[ "$(sqlite3 case/WRONG/triage/triage.db 'SELECT count(*) FROM credential_digests' 2>/dev/null || echo 0)" = 0 ] ||
	fail "digests stored from a wrong boot key"
ok "30 damaged hive sets, 4 truncations and a mismatched pair handled"
