#!/bin/sh
# Host identity: the OS from SOFTWARE's CurrentVersion (values equal to
# hivexget's; Windows 11 named so although its ProductName says Windows 10),
# else from the newest boot in the System log (Kernel-General 12, EventLog
# 6009: values equal to evtxexport's) with SYSTEM's ProductType, else the
# prefetch format's family, else "OS unknown" with the reasons.  The SAM's
# machine SID against SECURITY's account domain SID (both decoded here from
# the bytes hivexsh reads): flagged when they differ.
. "$SHODO_TOP/tests/lib/common.sh"
need hivexget libhivex-bin
need hivexsh libhivex-bin
need evtxexport libevtx-utils
need python3 python3
need sqlite3 sqlite3

run() { # DIR FILE...: parse into DIR/t.db, scope and report into DIR
	d=$1; shift
	mkdir -p "$d"
	shodo parse --db "$d/t.db" "$@" > "$d/parse.out"; [ $? -le 1 ] || fail "shodo parse $*: $(cat "$d/parse.out")"
	"$HELPERS/scope_report" "$d/t.db" "$d" || fail "scope_report $d"
}
hostline() { grep '^Host: ' "$1/summary.txt"; }
osline() { grep '^  (OS ' "$1/summary.txt"; }

# A: Windows 11 whose ProductName says Windows 10
CV='Microsoft\Windows NT\CurrentVersion'
"$HELPERS/mkhive" SOFTWARE <<EOF || fail "mkhive SOFTWARE"
R	ROOT
S	$CV	ProductName	Windows 10 Pro
S	$CV	DisplayVersion	23H2
S	$CV	ReleaseId	2009
S	$CV	CurrentBuild	22631
S	$CV	CurrentBuildNumber	22631
D	$CV	UBR	3007
S	$CV	EditionID	Professional
S	$CV	CurrentVersion	6.3
D	$CV	InstallDate	1700000000
EOF
"$HELPERS/mkhive" SYSTEM <<EOF || fail "mkhive SYSTEM"
R	ROOT
D	Select	Current	1
S	ControlSet001\Control\ComputerName\ComputerName	ComputerName	PC11
S	ControlSet001\Control\ProductOptions	ProductType	WinNT
EOF
run a SOFTWARE SYSTEM
pn=$(hivexget SOFTWARE "$CV" ProductName); dv=$(hivexget SOFTWARE "$CV" DisplayVersion)
cb=$(hivexget SOFTWARE "$CV" CurrentBuild); ubr=$(hivexget SOFTWARE "$CV" UBR)
[ "$pn|$dv|$cb|$ubr" = "Windows 10 Pro|23H2|22631|3007" ] || fail "hivexget reads $pn|$dv|$cb|$ubr"
[ "$(hostline a)" = "Host: PC11, Windows 11 Pro $dv build $cb.$ubr" ] || fail "A: $(hostline a)"
[ "$(osline a)" = "  (OS from the SOFTWARE hive (CurrentVersion); its ProductName says '$pn', build $cb is Windows 11)" ] ||
	fail "A: $(osline a)"
[ "$(sqlite3 a/t.db "select value from host where key = 'os_product'")" = "$pn" ] || fail "A: SOFTWARE's own value changed"
ok "SOFTWARE: product, release, build and UBR as hivexget reads them; build 22631 named Windows 11"

# B: no SOFTWARE; a server whose System log holds an old 6009 and a newer Kernel-General 12
"$HELPERS/mkhive" SYSTEM <<EOF || fail "mkhive SYSTEM"
R	ROOT
D	Select	Current	1
S	ControlSet001\Control\ComputerName\ComputerName	ComputerName	FS01
S	ControlSet001\Control\ProductOptions	ProductType	ServerNT
EOF
cat > sys.txt <<'EOF'
R	1	2023-05-02T06:00:00.0000000Z	EventLog	6009	System	FS01.corp.example
D	-	s	6.03.
D	-	s	9600
D	-	s	
D	-	s	Multiprocessor Free
D	-	s	0
R	2	2024-03-01T07:12:13.5000000Z	Microsoft-Windows-Kernel-General	12	System	FS01.corp.example	S-1-5-18
D	MajorVersion	u32	10
D	MinorVersion	u32	0
D	BuildVersion	u32	17763
D	QfeVersion	u32	5576
D	ServiceVersion	u32	0
D	BootMode	u32	0
D	StartTime	ft	2024-03-01T07:12:10.0000000Z
EOF
"$HELPERS/mkevtx" System.evtx < sys.txt || fail "mkevtx"
evtxexport -f xml System.evtx > sys.xml 2>/dev/null || fail "evtxexport"
peer=$(python3 - sys.xml <<'PY'
import re, sys
evs = re.findall(r'<Event .*?</Event>', open(sys.argv[1]).read(), re.S)
kg = [e for e in evs if 'Kernel-General' in e][0]
d = dict(re.findall(r'<Data Name="(\w+)">([^<]*)</Data>', kg))
old = re.findall(r'<Data>([^<]*)</Data>', [e for e in evs if '"EventLog"' in e][0])
print(d['MajorVersion'], d['MinorVersion'], d['BuildVersion'], d['QfeVersion'], old[0], old[1])
PY
) || fail "evtxexport's XML"
[ "$peer" = "10 0 17763 5576 6.03. 9600" ] || fail "evtxexport reads $peer"
run b SYSTEM System.evtx
[ "$(hostline b)" = "Host: FS01, Windows Server 2019 build 17763.5576" ] || fail "B: $(hostline b)"
osline b | grep -q "^  (OS from the System log (Microsoft-Windows-Kernel-General 12, the boot of 2024-03-01T07:12:13.5000000Z in 'System.evtx'), ProductType ServerNT; no SOFTWARE hive was found)$" ||
	fail "B: $(osline b)"
ok "no SOFTWARE: the newest boot event (Kernel-General 12, values as evtxexport reads them) and ProductType name the OS and say so"

# C: only an old 6009, no ProductType: both names
head -6 sys.txt > sys6009.txt
"$HELPERS/mkevtx" System.evtx < sys6009.txt || fail "mkevtx"
sed -i 's/^D	-	s	$/D	-	s	Service Pack 1/; s/6\.03\./6.01./; s/	9600/	7601/' sys6009.txt
"$HELPERS/mkevtx" c-System.evtx < sys6009.txt || fail "mkevtx"
mkdir c; mv c-System.evtx c/System.evtx
[ "$(evtxexport -f xml c/System.evtx 2>/dev/null | grep -c '<Data>Service Pack 1</Data>')" = 1 ] || fail "evtxexport: no service pack"
run c c/System.evtx
[ "$(hostline c)" = "Host: ?, Windows 7 or Windows Server 2008 R2 Service Pack 1 build 7601" ] || fail "C: $(hostline c)"
ok "EventLog 6009 without ProductType: both possible names, with the service pack"

# D: nothing at all, then a prefetch file only
mkdir d; printf 'not a log\n' > d/notes.txt
run d d/notes.txt
[ "$(hostline d)" = "Host: ?, OS unknown" ] && [ "$(osline d)" = "  (OS unknown: no SOFTWARE hive was found, no System log was found and no prefetch was found)" ] ||
	fail "D: $(hostline d) / $(osline d)"
if [ -d "$CORPUS" ]; then
	pf=$(find "$CORPUS/prefetch" -path '*Win10*' -name '*.pf' | head -n 1)
	run e "$pf"
	osline e | grep -q '^  (OS from the prefetch format (version 30): only the family; no SOFTWARE hive was found, no System log was found)$' &&
		[ "$(hostline e)" = "Host: ?, Windows 10 or 11 (or Server 2016 or later)" ] || fail "E: $(hostline e) / $(osline e)"
else
	skip_part "corpus not found: the prefetch fallback not checked"
fi
ok "OS unknown says why; a prefetch format names the family"

# SIDs: SAM and SECURITY of one machine (EZ's), and of two (regipy's)
if [ ! -d "$CORPUS" ]; then
	skip_part "corpus not found at $CORPUS: machine SIDs not checked"
	exit 0
fi
sid_of() { # HIVE KEY VALUE OFFSET: the SID hivexsh's bytes hold (at the end of the value when OFFSET is "end")
	printf 'cd %s\nlsval\n' "$2" | hivexsh "$1" | python3 -c "
import sys
for l in sys.stdin:
    k, _, v = l.strip().partition('=')
    if k.strip('\"') != '$3':
        continue
    b = bytes(int(x, 16) for x in v.split(':', 1)[1].split(','))
    if '$4' == 'end':
        b = b[-24:]
    n = b[1]
    auth = int.from_bytes(b[2:8], 'big')
    subs = [int.from_bytes(b[8 + 4 * i:12 + 4 * i], 'little') for i in range(n)]
    print('S-1-%d-' % auth + '-'.join(map(str, subs)))
"
}
for pair in ez-registry regipy; do
	mkdir "s-$pair"; cp "$CORPUS/hives/$pair/SAM" "$CORPUS/hives/$pair/SECURITY" "s-$pair/"
	sam=$(sid_of "s-$pair/SAM" '\SAM\Domains\Account' V end)
	sec=$(sid_of "s-$pair/SECURITY" '\Policy\PolAcDmS' @ start)
	run "o-$pair" "s-$pair/SAM" "s-$pair/SECURITY"
	got=$(sqlite3 "o-$pair/t.db" "select group_concat(value, ' ') from (select h.value from host h join artifacts a on a.source = h.source where h.key = 'machine_sid' order by a.parser)")
	[ "$got" = "$sam $sec" ] || fail "$pair: shodo reads '$got', hivexsh's bytes '$sam $sec'"
	if [ "$sam" = "$sec" ]; then
		! grep -q '^IDENTITY' "o-$pair/summary.txt" || fail "$pair: flagged although the SIDs agree"
	else
		grep -Fq "IDENTITY: the SAM's machine SID $sam ('s-$pair/SAM') differs from the SECURITY hive's account domain SID $sec ('s-$pair/SECURITY')" "o-$pair/summary.txt" ||
			fail "$pair: the mismatch is not flagged: $(grep IDENTITY "o-$pair/summary.txt")"
	fi
	echo "$pair: SAM $sam, SECURITY $sec"
done
ok "machine SIDs of SAM and SECURITY equal hivexsh's bytes; hives of two machines flagged, of one not"
