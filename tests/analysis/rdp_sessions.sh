#!/bin/sh
# Remote Desktop connections counted as sessions, not events.  The event set
# Windows writes for RDP (Security 4624 type 3 for NLA, 4672, 4624 type 10
# twice for an administrator, 4778/4779, 4634/4647; RemoteConnectionManager
# 1149; LocalSessionManager 21/22/23/24/25) is written by mkevtx into three
# logs and read back with evtxexport before anything else.  The sessions
# shodo makes are compared value by value (account, address, start, end,
# state) with what evtxexport reads from the same records:
#   alice   10.1.1.5     connect, disconnect
#   alice   203.0.113.7  reconnect to the same session, logoff
#   bob     10.1.1.9     connect, still open at the end of the logs
#   carol   10.1.1.12    disconnect of a session begun before the logs
# plus a console logon (not RDP) and network logons: dave twice (4624/4672
# pairs: two sessions, one admin), the NLA logons (part of their RDP
# connection).  The summary counts sessions.
. "$SHODO_TOP/tests/lib/common.sh"
need evtxexport libevtx-utils
need sqlite3 sqlite3
need python3 python3
SEC=Microsoft-Windows-Security-Auditing
LSM=Microsoft-Windows-TerminalServices-LocalSessionManager
RCM=Microsoft-Windows-TerminalServices-RemoteConnectionManager
LSMC=$LSM/Operational
RCMC=$RCM/Operational
C=WS01.corp.example
NS=Event_NS
RNS=Event_NS

# sec ID TIME EVENT field:type:value...   (a Security record)
sec() { id=$1 t=$2 e=$3; shift 3; printf 'R\t%s\t%s\t%s\t%s\tSecurity\t%s\n' "$id" "$t" "$SEC" "$e" "$C"
	for f in "$@"; do printf 'D\t%s\n' "$(echo "$f" | sed 's/:/\t/; s/:/\t/')"; done; }
logon() { # ID TIME USER LID TYPE IP WS [LINKED]
	sec "$1" "$2" 4624 "SubjectUserSid:sid:S-1-5-18" "SubjectUserName:s:WS01\$" "SubjectDomainName:s:CORP" \
		"SubjectLogonId:x64:0x3e7" "TargetUserSid:sid:S-1-5-21-1-2-3-1104" "TargetUserName:s:$3" \
		"TargetDomainName:s:CORP" "TargetLogonId:x64:$4" "LogonType:u32:$5" "LogonProcessName:s:User32" \
		"AuthenticationPackageName:s:Negotiate" "WorkstationName:s:$7" "LmPackageName:s:-" "KeyLength:u32:0" \
		"ProcessId:x64:0x2b0" "ProcessName:s:C:\\Windows\\System32\\svchost.exe" "IpAddress:s:$6" "IpPort:s:0" \
		"TargetLinkedLogonId:x64:${8:-0x0}"; }
admin() { sec "$1" "$2" 4672 "SubjectUserSid:sid:S-1-5-21-1-2-3-1104" "SubjectUserName:s:$3" \
	"SubjectDomainName:s:CORP" "SubjectLogonId:x64:$4" "PrivilegeList:s:SeBackupPrivilege"; }
logoff() { sec "$1" "$2" 4634 "TargetUserSid:sid:S-1-5-21-1-2-3-1104" "TargetUserName:s:$3" \
	"TargetDomainName:s:CORP" "TargetLogonId:x64:$4" "LogonType:u32:$5"; }
sessev() { # ID TIME 4778|4779 USER LID SESSIONNAME CLIENT ADDRESS
	sec "$1" "$2" "$3" "AccountName:s:$4" "AccountDomain:s:CORP" "LogonID:x64:$5" "SessionName:s:$6" \
		"ClientName:s:$7" "ClientAddress:s:$8"; }
lsm() { # ID TIME EVENT USER SESSION [ADDRESS]
	printf 'R\t%s\t%s\t%s\t%s\t%s\t%s\tS-1-5-18\nU\tEventXML\t%s\nV\tUser\ts\tCORP\\%s\nV\tSessionID\tu32\t%s\n' \
		"$1" "$2" "$LSM" "$3" "$LSMC" "$C" "$NS" "$4" "$5"
	[ -n "${6:-}" ] && printf 'V\tAddress\ts\t%s\n' "$6"; return 0; }
rcm() { # ID TIME USER ADDRESS
	printf 'R\t%s\t%s\t%s\t1149\t%s\t%s\tS-1-5-20\nU\tEventXML\t%s\nV\tParam1\ts\t%s\nV\tParam2\ts\tCORP\nV\tParam3\ts\t%s\n' \
		"$1" "$2" "$RCM" "$RCMC" "$C" "$RNS" "$3" "$4"; }

{
	# a network logon from before: dave, admin (4672 written first), logged off
	admin 101 2024-03-01T21:00:00.0000000Z dave 0x2d0001
	logon 102 2024-03-01T21:00:00.0000000Z dave 0x2d0001 3 10.1.1.20 FILESRV
	logoff 103 2024-03-01T21:00:01.5000000Z dave 0x2d0001 3
	# alice from 10.1.1.5: NLA network logon, then the RDP logon pair
	logon 104 2024-03-01T22:10:03.1000000Z alice 0x1a2b01 3 10.1.1.5 CATERING01
	admin 105 2024-03-01T22:10:03.1000000Z alice 0x1a2b01
	logoff 106 2024-03-01T22:10:03.4000000Z alice 0x1a2b01 3
	admin 107 2024-03-01T22:10:05.1200000Z alice 0x1a2c10
	logon 108 2024-03-01T22:10:05.1200000Z alice 0x1a2c10 10 10.1.1.5 CATERING01 0x1a2c33
	logon 109 2024-03-01T22:10:05.1210000Z alice 0x1a2c33 10 10.1.1.5 CATERING01 0x1a2c10
	# carol's session began before the logs: only its disconnect
	sessev 110 2024-03-01T22:30:00.0000000Z 4779 carol 0x1f0007 RDP-Tcp#2 LAPTOP7 10.1.1.12
	# dave again, no admin rights this time, still logged on
	logon 111 2024-03-01T23:00:00.0000000Z dave 0x2d0002 3 10.1.1.20 FILESRV
	sessev 112 2024-03-01T23:40:00.2000000Z 4779 alice 0x1a2c10 RDP-Tcp#4 CATERING01 10.1.1.5
	# alice reconnects from a public address next night
	logon 113 2024-03-02T01:00:00.0000000Z alice 0x1b0001 3 203.0.113.7 KALI
	logoff 114 2024-03-02T01:00:00.6000000Z alice 0x1b0001 3
	logon 115 2024-03-02T01:00:02.0000000Z alice 0x1b0100 7 203.0.113.7 KALI 0x1b0101
	admin 116 2024-03-02T01:00:02.0000000Z alice 0x1b0100
	logon 117 2024-03-02T01:00:02.0010000Z alice 0x1b0101 7 203.0.113.7 KALI 0x1b0100
	sessev 118 2024-03-02T01:00:03.0000000Z 4778 alice 0x1a2c10 RDP-Tcp#7 KALI 203.0.113.7
	# bob from 10.1.1.9: one logon (no administrator), never logged off
	logon 119 2024-03-02T02:00:01.0000000Z bob 0x1c0001 10 10.1.1.9 OFFICE3
	# alice logs off
	sec 120 2024-03-02T03:15:00.0000000Z 4647 "TargetUserSid:sid:S-1-5-21-1-2-3-1104" "TargetUserName:s:alice" \
		"TargetDomainName:s:CORP" "TargetLogonId:x64:0x1a2c10"
	logoff 121 2024-03-02T03:15:01.0000000Z alice 0x1a2c10 10
	logoff 122 2024-03-02T03:15:01.0000000Z alice 0x1a2c33 10
} > sec.txt
{
	lsm 1 2024-03-01T20:00:00.0000000Z 21 nurse 1 LOCAL
	lsm 2 2024-03-01T20:00:01.0000000Z 22 nurse 1 LOCAL
	lsm 3 2024-03-01T22:10:06.5000000Z 21 alice 2 10.1.1.5
	lsm 4 2024-03-01T22:10:07.0000000Z 22 alice 2 10.1.1.5
	lsm 5 2024-03-01T22:30:00.0000000Z 24 carol 5 10.1.1.12
	lsm 6 2024-03-01T23:40:00.0000000Z 24 alice 2 10.1.1.5
	lsm 7 2024-03-02T01:00:03.0000000Z 25 alice 2 203.0.113.7
	lsm 8 2024-03-02T02:00:03.0000000Z 21 bob 3 10.1.1.9
	lsm 9 2024-03-02T02:00:04.0000000Z 22 bob 3 10.1.1.9
	lsm 10 2024-03-02T03:15:01.5000000Z 23 alice 2
} > lsm.txt
{
	rcm 1 2024-03-01T22:10:03.3000000Z alice 10.1.1.5
	rcm 2 2024-03-02T01:00:01.0000000Z alice 203.0.113.7
	rcm 3 2024-03-02T02:00:00.0000000Z bob 10.1.1.9
} > rcm.txt
mkdir logs
"$HELPERS/mkevtx" logs/Security.evtx < sec.txt || fail "mkevtx Security"
"$HELPERS/mkevtx" "logs/Microsoft-Windows-TerminalServices-LocalSessionManager%4Operational.evtx" < lsm.txt || fail "mkevtx LSM"
"$HELPERS/mkevtx" "logs/Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx" < rcm.txt || fail "mkevtx RCM"

# the peer reads every record back: one flat list of (log, record, event, time, fields)
for f in logs/*.evtx; do
	evtxexport -f xml "$f" > "$f.xml" 2>/dev/null || fail "evtxexport cannot read $f"
done
python3 - logs/*.xml > peer.tsv <<'PY' || fail "evtxexport's XML does not parse"
import re, sys, xml.etree.ElementTree as ET
ns = '{http://schemas.microsoft.com/win/2004/08/events/event}'
for path in sys.argv[1:]:
    text = open(path, encoding='utf-8').read()
    text = text[text.index('<Event'):]
    root = ET.fromstring('<r>' + text + '</r>')
    for ev in root:
        sysm = ev.find(ns + 'System')
        rid = sysm.find(ns + 'EventRecordID').text
        eid = sysm.find(ns + 'EventID').text
        t = sysm.find(ns + 'TimeCreated').get('SystemTime')
        f = {}
        for d in ev.iter():
            tag = d.tag.split('}')[-1]
            if tag == 'Data':
                f[d.get('Name')] = d.text or ''
            elif d.text and d.text.strip() and tag not in ('EventID', 'Version', 'Level', 'Task', 'Opcode',
                    'Keywords', 'EventRecordID', 'Channel', 'Computer', 'Data'):
                f[tag] = d.text
        log = 'lsm' if 'LocalSession' in path else 'rcm' if 'RemoteConnection' in path else 'sec'
        print('\t'.join([log, rid, eid, t] + ['%s=%s' % kv for kv in sorted(f.items())]))
PY
[ "$(grep -c '^sec' peer.tsv)" = 22 ] && [ "$(grep -c '^lsm' peer.tsv)" = 10 ] && [ "$(grep -c '^rcm' peer.tsv)" = 3 ] ||
	fail "evtxexport does not read every record: $(cut -f1 peer.tsv | sort | uniq -c | tr '\n' ' ')"
# pt LOG RECORD: TimeCreated (7 fraction digits); pf LOG RECORD FIELD: a value
pt() { awk -F'\t' -v l="$1" -v r="$2" '$1 == l && $2 == r { print $4 }' peer.tsv |
	sed 's/\([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\)\.\([0-9]\{7\}\)[0-9]*Z/\1.\2Z/'; }
pf() { awk -F'\t' -v l="$1" -v r="$2" '$1 == l && $2 == r' peer.tsv | tr '\t' '\n' | sed -n "s/^$3=//p"; }
[ "$(pt sec 108) $(pf sec 108 IpAddress) $(pf sec 108 LogonType) $(pf sec 108 TargetLogonId) $(pf sec 108 TargetUserName)" = \
	"2024-03-01T22:10:05.1200000Z 10.1.1.5 10 0x00000000001a2c10 alice" ] ||
	fail "evtxexport reads record 108 otherwise: $(grep '^sec.108' peer.tsv)"
[ "$(pf lsm 7 Address) $(pf lsm 7 SessionID) $(pf lsm 7 User)" = "203.0.113.7 2 CORP\\alice" ] ||
	fail "evtxexport reads LSM record 7 otherwise: $(grep '^lsm.7' peer.tsv)"
ok "the built logs read back with evtxexport: 22 Security, 10 LocalSessionManager, 3 RemoteConnectionManager records"

sums=$(cat logs/*.evtx | sha256sum)
shodo parse --db t.db logs/*.evtx > parse.out; rc=$?
[ $rc = 0 ] || fail "shodo parse exit $rc: $(cat parse.out)"
"$HELPERS/scope_report" t.db out || fail "scope_report"
[ "$(cat logs/*.evtx | sha256sum)" = "$sums" ] || fail "the logs changed"

q() { sqlite3 -separator '|' t.db "$1"; }
# the expected values: evtxexport's reading of the records that make each session
norm() { sed 's/\.\([0-9]*[1-9]\)0*Z$/.\1Z/; s/\.0*Z$/Z/'; }
expect_session() { # ACCOUNT IP START END STATE
	got=$(q "select account, source_ip, coalesce(start,'-'), coalesce(end,'-'), state from sessions
	         where kind = 'rdp' and account = '$1' and source_ip = '$2'")
	s=$(echo "$3" | norm); e=$(echo "$4" | norm)
	g=$(echo "$got" | awk -F'|' '{ print $1 "|" $2 }')
	gs=$(echo "$got" | cut -d'|' -f3 | norm); ge=$(echo "$got" | cut -d'|' -f4 | norm); gst=$(echo "$got" | cut -d'|' -f5)
	[ "$g" = "$1|$2" ] && [ "$gs" = "$s" ] && [ "$ge" = "$e" ] && [ "$gst" = "$5" ] ||
		fail "RDP session $1 from $2: got '$got', want start $s end $e state $5"
}
# account and address as evtxexport reads them from 1149 (Param1/Param3) and 4779/4778 (AccountName/ClientAddress)
[ "$(pf rcm 1 Param1)|$(pf rcm 1 Param3)" = "alice|10.1.1.5" ] || fail "peer: 1149 record 1"
expect_session "$(pf rcm 1 Param1)" "$(pf rcm 1 Param3)" "$(pt rcm 1)" "$(pt lsm 6)" disconnect
expect_session "$(pf sec 118 AccountName)" "$(pf sec 118 ClientAddress)" "$(pt rcm 2)" "$(pt sec 120)" logoff
expect_session "$(pf rcm 3 Param1)" "$(pf rcm 3 Param3)" "$(pt rcm 3)" - open
expect_session "$(pf sec 110 AccountName)" "$(pf sec 110 ClientAddress)" - "$(pt sec 110)" disconnect
[ "$(q "select count(*) from sessions where kind = 'rdp'")" = 4 ] || fail "RDP sessions: $(q "select * from sessions where kind = 'rdp'")"
ok "four RDP sessions with the account, address, start, end and state evtxexport's records give"

# the events that make them: every RDP record of alice's first connection points to it
first=$(q "select id from sessions where kind = 'rdp' and source_ip = '10.1.1.5'")
evs() { q "select event_id || '/' || record from logons where session = $1 order by substr(time, 1, 19) ||
	(case when substr(time, 20, 1) = '.' then substr(time, 20, 8) else '.0000000' end), record" |
	tr '\n' ' ' | sed 's/ $//'; }
# (the second logon's 4634 names the first connection's logon ID)
[ "$(evs "$first")" = "1149/1 4672/107 4624/108 4624/109 21/3 22/4 24/6 4779/112 4634/122" ] ||
	fail "events of alice's first session: $(evs "$first")"
[ "$(q "select admin, reconnect, terminal_session, logon_ids, events from sessions where id = $first")" = \
	"1|0|2|0x1a2c10 0x1a2c33|1149 4624/10 4672 4624/10 21 22 24 4779 4634/10" ] ||
	fail "alice's first session: $(q "select * from sessions where id = $first")"
second=$(q "select id from sessions where kind = 'rdp' and source_ip = '203.0.113.7'")
[ "$(q "select reconnect, admin from sessions where id = $second")" = "1|1" ] || fail "the reconnect: $(q "select * from sessions where id = $second")"
[ "$(evs "$second")" = "1149/2 4624/115 4672/116 4624/117 25/7 4778/118 4647/120 4634/121 23/10" ] ||
	fail "events of the reconnect: $(evs "$second")"
# the console session is not RDP
[ "$(q "select count(*) from logons where event_id in (21, 22) and source_ip = 'LOCAL' and session is not null")" = 0 ] ||
	fail "the console logon was made an RDP session"
ok "each RDP session lists its events (logons.session); the console session is not one"

# network logons: one per 4624 type 3, the 4672 with it; NLA logons belong to their RDP session
[ "$(q "select account, source_ip, start, coalesce(end, '-'), state, admin from sessions where kind = 'network' and part_of is null order by start")" = \
"dave|10.1.1.20|$(pt sec 102 | sed 's/\.0000000Z/Z/')|$(pt sec 103)|logoff|1
dave|10.1.1.20|$(pt sec 111 | sed 's/\.0000000Z/Z/')|-|open|0" ] ||
	fail "network sessions: $(q "select * from sessions where kind = 'network'")"
[ "$(q "select count(*) from sessions n join sessions r on n.part_of = r.id where n.kind = 'network' and r.kind = 'rdp' and n.account = 'alice'")" = 2 ] ||
	fail "the NLA logons are not part of their RDP sessions: $(q "select * from sessions where kind = 'network'")"
ok "network logons: one session per 4624 type 3 with its 4672 and 4634; NLA logons part of their RDP session"

s=out/summary.txt
cat "$s"
grep -q "^RDP SESSIONS: 4 from 4 sources (" "$s" || fail "summary: $(grep RDP "$s")"
grep -q '^  203.0.113.7 (KALI): 1 session as alice, 2024-03-02 01:00:01Z .. 2024-03-02 03:15:00Z' "$s" ||
	fail "summary lacks the reconnect from the public address"
grep -q '^NETWORK LOGONS (type 3): 2 sessions from 1 source (4 events)' "$s" || fail "summary: $(grep NETWORK "$s")"
grep -q 'sessions.csv' out/report.html && [ -s out/sessions.csv ] || fail "no sessions.csv or report section"
[ "$(head -1 out/sessions.csv | cut -d, -f1-8)" = "id,kind,account,domain,source_ip,workstation,start,end" ] || fail "sessions.csv header"
ok "the summary and the report count sessions; sessions.csv written"

# corpus logs with RDP events: each 4624 type 10, 4778 and 4779 record lies in
# a session with the account and address evtxexport reads in it; 4779 ends
# its session at its time, 4778 begins a reconnect
if [ ! -d "$CORPUS" ]; then
	skip_part "corpus not found at $CORPUS: RDP sessions of real logs not checked"
	exit 0
fi
i=0
for spec in "Command and Control/DE_RDP_Tunnel_5156.evtx:1" \
	"TA0008-Lateral Movement/T1021.001-Remote Desktop Protocol/ID4688,4778,4779 RDP hijack direct.evtx:2" \
	"LateralMovement/T1563.002_RDP-Hijacking_Security.evtx:1"; do
	want=${spec##*:}; name=${spec%:*}
	f=$(find "$CORPUS/evtx" -path "*/$name" | head -n 1)
	[ -f "$f" ] || fail "corpus file missing: $name"
	i=$((i + 1))
	shodo parse --db c$i.db "$f" > /dev/null; [ $? -le 1 ] || fail "shodo parse $name"
	"$HELPERS/scope_report" c$i.db c$i || fail "scope_report $name"
	evtxexport -f xml "$f" > c$i.xml 2>/dev/null || fail "evtxexport $name"
	# the record numbers (the records' own, which the store keeps) from the text output, in the same order
	evtxexport "$f" 2>/dev/null | sed -n 's/^Event number[[:space:]]*: //p' > c$i.num
	python3 - c$i.xml c$i.db "$want" c$i.num <<'PY' || fail "sessions of $name differ from evtxexport's records"
import re, sqlite3, sys
xml, db, want, nums = sys.argv[1], sys.argv[2], int(sys.argv[3]), open(sys.argv[4]).read().split()
con = sqlite3.connect(db)
def norm(t):   # evtxexport's 9 fraction digits -> seconds and 7 digits, as the store keeps them
    m = re.match(r'(.{19})(?:\.(\d+))?Z', t)
    f = (m.group(2) or '').ljust(7, '0')[:7]
    return m.group(1) + ('.' + f if f.strip('0') else '') + 'Z'
def same_time(a, b):
    return a is not None and norm(a) == norm(b)
checked = 0
events = re.findall(r'<Event .*?</Event>', open(xml, encoding='utf-8').read(), re.S)
if len(events) != len(nums):
    sys.exit('evtxexport gives %d events in XML, %d in text' % (len(events), len(nums)))
for ev, num in zip(events, nums):
    eid = int(re.search(r'<EventID>(\d+)', ev).group(1))
    if 'Security-Auditing' not in ev or eid not in (4624, 4778, 4779):
        continue
    d = dict(re.findall(r'<Data Name="(\w+)">([^<]*)</Data>', ev))
    if eid == 4624 and d.get('LogonType') != '10':
        continue
    rec = int(num)
    t = re.search(r'SystemTime="([^"]+)"', ev).group(1)
    row = con.execute("SELECT s.account, s.source_ip, s.start, s.end, s.state, s.reconnect FROM logons l"
                      " JOIN sessions s ON s.id = l.session WHERE l.event_id = ? AND l.record = ?", (eid, rec)).fetchone()
    if not row:
        sys.exit('record %d (%d) is in no session' % (rec, eid))
    acct, ip, start, end, state, recon = row
    user = d.get('TargetUserName') if eid == 4624 else d.get('AccountName')
    addr = d.get('IpAddress') if eid == 4624 else d.get('ClientAddress')
    if acct.lower() != user.lower() or ip != addr:
        sys.exit('record %d: session of %s from %s, evtxexport: %s from %s' % (rec, acct, ip, user, addr))
    if eid == 4624 and not (start and norm(start) <= norm(t)):
        sys.exit('record %d: session starts %s, after its logon %s' % (rec, start, t))
    if eid == 4779 and not (state == 'disconnect' and same_time(end, t)):
        sys.exit('record %d: session %s %s, evtxexport: disconnect %s' % (rec, state, end, t))
    if eid == 4778 and not (recon == 1 and same_time(start, t)):
        sys.exit('record %d: reconnect %s start %s, evtxexport: %s' % (rec, recon, start, t))
    checked += 1
n = con.execute("SELECT count(*) FROM sessions WHERE kind = 'rdp'").fetchone()[0]
if n != want or not checked:
    sys.exit('%d RDP sessions (want %d), %d records checked' % (n, want, checked))
print('%s: %d sessions, %d records checked' % (xml, n, checked))
PY
done
grep -q '^RDP SESSIONS: 1 from 1 source (2 events)' c1/summary.txt &&
	grep -q '^  127.0.0.1 (PC01): 1 session as admin01, 2019-02-13 18:04:58Z .. open (loopback: tunnelled RDP?)' c1/summary.txt ||
	fail "summary of the tunnelled RDP logon: $(grep -A1 '^RDP' c1/summary.txt)"
ok "corpus RDP logs: every 4624 type 10, 4778 and 4779 in a session with evtxexport's account, address and times"
