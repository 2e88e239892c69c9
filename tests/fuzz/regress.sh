# Every fuzz target replays its committed seeds and deterministic mutations
# of them (and of truncated real artifacts from ../shared/corpus when it is
# present).  Run under ASan+UBSan by make check-asan, this is the crash
# regression suite for every parser in the registry.
. "$SHODO_TOP/tests/lib/common.sh"
for f in "$SHODO_BUILD"/tests/fuzz/fuzz_*; do
	case $f in *.d) continue ;; esac
	n=$(basename "$f")
	"$f" --mutate 40 "$SHODO_TOP/tests/fuzz/seeds/$n" 2> "$n.log" || { cat "$n.log"; fail "$n crashed on its seeds"; }
	grep -q "inputs run" "$n.log" || fail "$n ran nothing"
done
if [ -d "$CORPUS" ]; then
	# real artifacts, cut to 64 KiB so that mutations stay quick; the first byte selects the parser
	mkdir real
	i=0
	for src in "$CORPUS"/evtx/deepbluecli/evtx/new-user-security.evtx:0 \
	           "$CORPUS"/hives/regipy/SYSTEM:4 "$CORPUS"/hives/regipy/SAM:3 \
	           "$CORPUS"/prefetch/ez-prefetch/Win7/CMD.EXE-4A81B364.pf:2; do
		file=${src%:*}; sel=${src##*:}
		[ -f "$file" ] || continue
		{ printf "\\$(printf %03o "$sel")"; head -c 65536 "$file"; } > "real/$i"; i=$((i+1))
	done
	for pf in "$CORPUS"/prefetch/ez-prefetch/Win10/*.pf; do
		[ -f "$pf" ] || continue; { printf '\002'; cat "$pf"; } > "real/$i"; i=$((i+1)); break
	done
	"$SHODO_BUILD/tests/fuzz/fuzz_parsers" --seed 7 --mutate 25 real 2> real.log || { cat real.log; fail "a parser crashed on a mutated real artifact"; }
	# the EVTX reader on real logs (header and two chunks each, mutated):
	# Windows 7 to 11, dirty, with slack records, and one no peer reads
	mkdir realx
	i=0
	for f in deepbluecli/evtx/wmi-event-filter-persistance.evtx deepbluecli/evtx/Powershell-Invoke-Obfuscation-many.evtx \
	         deepbluecli/evtx/many-events-application.evtx "mdecrevoisier/Antivirus/ID1116-1117-Defender threat detected.evtx" \
	         deepbluecli/evtx/smb-password-guessing-security.evtx; do
		[ -f "$CORPUS/evtx/$f" ] || continue
		head -c $((4096 + 2 * 65536)) "$CORPUS/evtx/$f" > "realx/$i"; i=$((i+1))
	done
	"$SHODO_BUILD/tests/fuzz/fuzz_evtx" --seed 11 --mutate 30 realx 2> realx.log || { cat realx.log; fail "the EVTX reader crashed on a mutated real log"; }
else
	skip_part "corpus not found at $CORPUS: real-artifact mutations not run"
fi
ok "fuzz regression"
