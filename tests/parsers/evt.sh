#!/bin/sh
# Legacy .evt logs (XP/2003): a log written here with known records goes
# through `shodo parse`; logons, failed logons, account creation and log
# clearing land in their tables with the fields at their legacy positions,
# and the event IDs and record count agree with libevt's evtexport.
. "$(dirname "$0")/../lib/common.sh"
need python3 python3
need jq jq
need evtexport libevt-utils
cat > recs.jsonl <<'R'
{"id": 528, "time": 1199145600, "strings": ["alice", "CORP", "(0x0,0x3E7)", "10", "User32", "Negotiate", "WS1", "-", "-", "-", "-", "-", "-", "10.0.0.9", "1234"]}
{"id": 529, "time": 1199145700, "type": 16, "sev": 3, "strings": ["Administrator", "XPBOX", "3", "NtLmSsp", "NTLM", "ATTACKER", "-", "-", "-", "-", "-", "192.168.1.66", "4444"]}
{"id": 624, "time": 1199145800, "strings": ["backdoor", "XPBOX", "S-1-5-21-1-2-3-1005", "alice", "CORP", "(0x0,0x3E7)", "-"]}
{"id": 7036, "source": "Service Control Manager", "time": 1199145900, "strings": ["Telnet", "running"]}
{"id": 517, "time": 1199146000, "strings": ["SYSTEM", "NT AUTHORITY", "(0x0,0x3E7)", "alice", "CORP", "(0x0,0x1234)"]}
R
python3 "$SHODO_TOP/tests/parsers/mkevt.py" SecEvent.Evt < recs.jsonl || fail "could not write the test log"
shodo parse --json SecEvent.Evt > out.json || fail "shodo parse exited $?"
f='.files[0]'
[ "$(jq -r "$f.parser" out.json)" = evt ] || fail "parser: $(jq -c "$f" out.json)"
[ "$(jq -r "$f.evtx_stats[0].records" out.json)" = 5 ] || fail "record count"
[ "$(jq -r "$f.evtx_stats[0].first_time" out.json)" = 2008-01-01T00:00:00Z ] || fail "first time"
# severity bits are masked off: 529 stays 529
[ "$(jq -r "[$f.event_counts[] | select(.provider == \"Security\") | .event_id] | sort | join(\",\")" out.json)" = "517,528,529,624" ] ||
	fail "event counts: $(jq -c "$f.event_counts" out.json)"
[ "$(jq -r "$f.logons[] | select(.event_id == 528) | [.result, .logon_type, .target_user, .source_ip, .workstation] | join(\",\")" out.json)" = "success,10,alice,10.0.0.9,WS1" ] ||
	fail "528 logon fields: $(jq -c "$f.logons" out.json)"
[ "$(jq -r "$f.logons[] | select(.event_id == 529) | [.result, .logon_type, .target_user, .source_ip] | join(\",\")" out.json)" = "failure,3,Administrator,192.168.1.66" ] ||
	fail "529 failed logon fields"
[ "$(jq -r "$f.events[] | select(.category == \"account_created\") | .target" out.json)" = 'XPBOX\backdoor' ] || fail "account created"
[ "$(jq -r "$f.events[] | select(.category == \"log_cleared\") | .user" out.json)" = 'CORP\alice' ] || fail "log cleared"
ok "528/529 logon fields, the account created, the log cleared"
# the Service Control Manager 7036 is counted, not reported as a change
[ "$(jq -r "[$f.events[] | select(.event_id == 7036)] | length" out.json)" = 0 ] || fail "7036 reported"
ok "the Service Control Manager 7036 is counted, not reported as a change"
# against the peer tool
evtexport SecEvent.Evt > peer.txt 2>/dev/null || fail "evtexport cannot read the test log"
peer=$(grep -c '^Event number' peer.txt)
[ "$peer" = 5 ] || fail "evtexport sees $peer records"
ids=$(sed -n 's/^Event identifier[^:]*: *\(0x[0-9a-f]*\).*/\1/p' peer.txt | while read x; do echo $((x & 0xffff)); done | sort -n | paste -sd,)
[ "$ids" = "517,528,529,624,7036" ] || fail "evtexport event identifiers: $ids"
ok "legacy .evt records, fields and counts"
