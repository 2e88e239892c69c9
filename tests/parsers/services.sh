#!/bin/sh
# Services from the SYSTEM hive: every service key of the current control set
# in table services with the values hivexml reads (ImagePath, Start, Type,
# ObjectName, Parameters\ServiceDll, the key's last-written time), on a hive
# built here (mkhive) and on the corpus SYSTEM hives.  Per-user instances
# (<template>_<hex>, Type bit 0x80) are listed apart and are no persistence
# row; the other services are, flagged when they run from a user-writable
# folder (Defender's ProgramData folder is not one) or match the
# suspicious-command table; a look-alike name on another program is not
# hidden.  7045 events for per-user instances are not "services installed".
. "$SHODO_TOP/tests/lib/common.sh"
need hivexml libhivex-bin
need sqlite3 sqlite3
need python3 python3
need evtxexport libevtx-utils

S='ControlSet002\Services'
T1=133534264000000000   # 2024-02-26T13:06:40Z
T2=133552920000000000   # 2024-03-19T03:20:00Z
"$HELPERS/mkhive" SYSTEM <<EOF || fail "mkhive"
R	ROOT
D	Select	Current	2
D	Select	Default	2
S	ControlSet002\Control\ComputerName\ComputerName	ComputerName	WS042
X	$S\Spooler	ImagePath	%SystemRoot%\System32\spoolsv.exe
D	$S\Spooler	Start	2
D	$S\Spooler	Type	0x110
S	$S\Spooler	ObjectName	LocalSystem
W	$S\Spooler	$T1
X	$S\CDPUserSvc	ImagePath	%SystemRoot%\system32\svchost.exe -k UnistackSvcGroup
D	$S\CDPUserSvc	Start	2
D	$S\CDPUserSvc	Type	0x60
W	$S\CDPUserSvc	$T1
X	$S\CDPUserSvc_4f2a1	ImagePath	C:\WINDOWS\system32\svchost.exe -k UnistackSvcGroup
D	$S\CDPUserSvc_4f2a1	Start	2
D	$S\CDPUserSvc_4f2a1	Type	0xe0
W	$S\CDPUserSvc_4f2a1	$T2
X	$S\WinDefend	ImagePath	"C:\ProgramData\Microsoft\Windows Defender\platform\4.18.2302.7-0\MsMpEng.exe"
D	$S\WinDefend	Start	2
D	$S\WinDefend	Type	0x10
W	$S\WinDefend	$T1
X	$S\updater	ImagePath	C:\Users\Public\Libraries\upd.exe -service
D	$S\updater	Start	2
D	$S\updater	Type	0x10
S	$S\updater	ObjectName	LocalSystem
W	$S\updater	$T2
X	$S\PSEXESVC	ImagePath	%SystemRoot%\PSEXESVC.exe
D	$S\PSEXESVC	Start	3
D	$S\PSEXESVC	Type	0x10
W	$S\PSEXESVC	$T2
X	$S\OneSyncSvc_1a2b3	ImagePath	C:\ProgramData\sync\onesync.exe
D	$S\OneSyncSvc_1a2b3	Start	2
D	$S\OneSyncSvc_1a2b3	Type	0x10
W	$S\OneSyncSvc_1a2b3	$T2
X	$S\netsvcx	ImagePath	%SystemRoot%\system32\svchost.exe -k netsvcs -p
D	$S\netsvcx	Start	2
D	$S\netsvcx	Type	0x20
X	$S\netsvcx\Parameters	ServiceDll	C:\Users\Public\netsvcx.dll
W	$S\netsvcx	$T2
X	$S\gdrv	ImagePath	\??\C:\Windows\Temp\gdrv.sys
D	$S\gdrv	Start	3
D	$S\gdrv	Type	1
W	$S\gdrv	$T2
X	$S\disk	ImagePath	System32\drivers\disk.sys
D	$S\disk	Start	0
D	$S\disk	Type	1
W	$S\disk	$T1
K	$S\Tcpip\Parameters
EOF
sums=$(sha256sum SYSTEM)
shodo parse --db built.db --json --tables services,persistence SYSTEM > built.json || fail "shodo parse exit $?"
[ "$(sha256sum SYSTEM)" = "$sums" ] || fail "the hive changed"

# hivexml's reading of a hive's services, one TSV line each:
# name, ImagePath, Start, Type, ObjectName, ServiceDll, mtime (seconds)
peer() {
	hivexml "$1" > "$2.xml" 2>/dev/null || fail "hivexml cannot read $1"
	python3 - "$2.xml" > "$2.tsv" <<'PY' || fail "hivexml's XML of $1"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot().find('node')
def child(n, name):
    for c in n.findall('node'):
        if c.get('name').lower() == name.lower():
            return c
def val(n, key):
    if n is None:
        return ''
    for v in n.findall('value'):
        if (v.get('key') or '').lower() == key.lower():
            return v.get('value') if v.get('encoding') is None else '?'
    return ''
sel = child(root, 'Select')
cur = int(val(sel, 'Current'), 0) if sel is not None and val(sel, 'Current') else 1
cs = child(root, 'ControlSet%03d' % cur)
svcs = child(cs, 'Services')
for s in svcs.findall('node'):
    image, start, typ = val(s, 'ImagePath'), val(s, 'Start'), val(s, 'Type')
    if not (image or start or typ):
        continue
    print('\t'.join([s.get('name'), image, start, typ, val(s, 'ObjectName'), val(child(s, 'Parameters'), 'ServiceDll'),
                     s.find('mtime').text]))
PY
}
# shodo's reading, the same columns
mine() {
	sqlite3 -separator '	' "$1" "select name, coalesce(image_path,''), coalesce(start,''), coalesce(type,''),
		coalesce(account,''), coalesce(service_dll,''), substr(last_written,1,19) || 'Z' from services order by rowid" > "$2.tsv"
}
peer SYSTEM built-peer; mine built.db built-mine
diff built-peer.tsv built-mine.tsv > built.diff || fail "services differ from hivexml: $(cat built.diff)"
[ "$(wc -l < built-mine.tsv)" = 10 ] || fail "services: $(wc -l < built-mine.tsv)"
grep -q "^updater	C:.Users.Public.Libraries.upd.exe -service	2	16	LocalSystem		2024-03-19T03:20:00Z" built-mine.tsv ||
	fail "updater: $(grep updater built-mine.tsv)"
ok "services of a built SYSTEM hive (ControlSet002) equal hivexml's values and key times"

q() { sqlite3 -separator '|' built.db "$1"; }
[ "$(q "select name || ':' || coalesce(per_user,'-') from services where per_user is not null order by name")" = "CDPUserSvc:template
CDPUserSvc_4f2a1:instance" ] || fail "per-user: $(q "select name, per_user from services where per_user is not null")"
[ "$(q "select count(*) from persistence where name = 'CDPUserSvc_4f2a1'")" = 0 ] || fail "the per-user instance is a persistence row"
[ "$(q "select group_concat(name || ' ' || flag, '; ') from (select name, flag from services where flag is not null order by name)")" = \
	"OneSyncSvc_1a2b3 runs from a user-writable folder; PSEXESVC psexec; gdrv runs from a user-writable folder; netsvcx runs from a user-writable folder; updater runs from a user-writable folder" ] ||
	fail "flags: $(q "select name, flag from services where flag is not null")"
[ "$(q "select time || '|' || kind || '|' || command from persistence where name = 'updater'")" = \
	"2024-03-19T03:20:00Z|service_key|C:\\Users\\Public\\Libraries\\upd.exe -service" ] ||
	fail "updater's persistence row: $(q "select * from persistence where name = 'updater'")"
q "select detail from persistence where name = 'netsvcx'" | grep -q 'DLL C:.Users.Public.netsvcx.dll; runs from a user-writable folder' ||
	fail "netsvcx: $(q "select detail from persistence where name = 'netsvcx'")"
[ "$(q "select count(*) from persistence where kind = 'service_key'")" = 9 ] || fail "persistence rows: $(q "select count(*) from persistence")"
ok "per-user instances apart; services flagged for user-writable folders (not Defender's) and the suspicious-command table"

# 7045 events: a per-user instance made at logon, a look-alike, a real install
SCM="Service Control Manager"
ev() { printf 'R\t%s\t%s\t%s\t7045\tSystem\tWS042.corp.example\tS-1-5-18\nD\tServiceName\ts\t%s\nD\tImagePath\ts\t%s\nD\tServiceType\ts\tuser mode service\nD\tStartType\ts\tauto start\nD\tAccountName\ts\tLocalSystem\n' "$1" "$2" "$SCM" "$3" "$4"; }
{
	ev 1 2024-03-19T03:10:00.0000000Z CDPUserSvc_4f2a1 'C:\WINDOWS\system32\svchost.exe -k UnistackSvcGroup'
	ev 2 2024-03-19T03:10:00.1000000Z WpnUserService_4f2a1 'C:\WINDOWS\system32\svchost.exe -k UnistackSvcGroup'
	ev 3 2024-03-19T03:15:00.0000000Z OneSyncSvc_77aa1 'C:\Users\Public\onesync.exe'
	ev 4 2024-03-19T03:20:00.0000000Z PSEXESVC '%SystemRoot%\PSEXESVC.exe'
} > sys.txt
"$HELPERS/mkevtx" System.evtx < sys.txt || fail "mkevtx"
[ "$(evtxexport -f xml System.evtx 2>/dev/null | grep -c '<Data Name="ServiceName">')" = 4 ] || fail "evtxexport does not read the 7045 records"
shodo parse --db built.db System.evtx > /dev/null || fail "shodo parse System.evtx"
"$HELPERS/scope_report" built.db out || fail "scope_report"
s=out/summary.txt
grep -A9 '^SERVICES' "$s"
grep -Fxq "SERVICES INSTALLED: 2 (PSEXESVC: %SystemRoot%\\PSEXESVC.exe 2024-03-19 03:20:00Z; OneSyncSvc_77aa1: C:\\Users\\Public\\onesync.exe 2024-03-19 03:15:00Z)" "$s" ||
	fail "services installed: $(grep '^SERVICES INSTALLED' "$s")"
grep -Fxq "  (+2 per-user service instances Windows made at logons, not counted)" "$s" || fail "no per-user line"
grep -Fxq "SERVICES (SYSTEM hive): 9 (+1 per-user instances apart), 5 flagged" "$s" || fail "hive services: $(grep '^SERVICES (SYSTEM' "$s")"
grep -Fxq "  PSEXESVC (psexec): %SystemRoot%\\PSEXESVC.exe, key written 2024-03-19 03:20:00Z" "$s" &&
	grep -Fxq "  gdrv (runs from a user-writable folder): \\??\\C:\\Windows\\Temp\\gdrv.sys, key written 2024-03-19 03:20:00Z" "$s" &&
	grep -Fxq "  (+2 more flagged: services.csv)" "$s" || fail "the flagged hive services are not named"
[ "$(sqlite3 built.db "select count(*) from events where category = 'service_per_user'")" = 2 ] || fail "events not reclassified"
grep -q 'suspicious service (SYSTEM hive, key written): .*2024-03-19' "$s" || grep -q 'suspicious service (SYSTEM hive' "$s" ||
	fail "the flagged hive service is no window anchor: $(grep -i anchor "$s")"
ok "7045 for per-user instances not counted as installed services; the look-alike and PSEXESVC counted; flagged hive services named"

# corpus SYSTEM hives: every service as hivexml reads it
if [ ! -d "$CORPUS" ]; then
	skip_part "corpus not found at $CORPUS: real SYSTEM hives not checked"
	exit 0
fi
n=0
for h in regipy/SYSTEM regipy/SYSTEM_WIN_10_1709 przetom/SYSTEM; do
	f=$CORPUS/hives/$h
	[ -f "$f" ] || fail "corpus hive missing: $h"
	n=$((n + 1))
	shodo parse --db c$n.db "$f" > /dev/null; [ $? -le 1 ] || fail "shodo parse $h"
	peer "$f" c$n-peer; mine c$n.db c$n-mine
	diff c$n-peer.tsv c$n-mine.tsv > c$n.diff || fail "$h: services differ from hivexml: $(head -5 c$n.diff)"
	inst=$(awk -F'\t' '$4 != "" && int($4) >= 128 && int($4) % 256 >= 128' c$n-peer.tsv | wc -l)
	[ "$(sqlite3 c$n.db "select count(*) from services where per_user = 'instance'")" = "$inst" ] || fail "$h: per-user instances"
	[ "$(sqlite3 c$n.db "select count(*) from persistence where kind = 'service_key'")" = "$(( $(wc -l < c$n-peer.tsv) - inst ))" ] ||
		fail "$h: persistence rows"
	echo "$h: $(wc -l < c$n-peer.tsv) services, $inst per-user instances, $(sqlite3 c$n.db "select count(*) from services where flag is not null") flagged"
done
[ "$(sqlite3 c2.db "select count(*) from services where per_user = 'instance'")" = 19 ] || fail "Windows 10 1709: per-user instances"
[ "$(sqlite3 c2.db "select coalesce(flag, 'none') from services where name = 'WinDefend'")" = none ] || fail "WinDefend flagged"
ok "corpus SYSTEM hives: every service equal to hivexml's values and key time; per-user instances apart"
