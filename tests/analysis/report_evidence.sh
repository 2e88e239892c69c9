#!/bin/sh
# Scope and report of one evidence item: a triage.db filled like the
# collector and the parsers fill it (tests/helpers/fake_triage.c), then the
# real scope and report stages.  summary.txt key lines are checked exactly;
# report.html must be self-contained and carry the hostile evidence strings
# only escaped; summary.txt must not pass terminal escapes through.
. "$SHODO_TOP/tests/lib/common.sh"
"$HELPERS/fake_triage" "$T/case" EV1 1 || fail "fake_triage"
d=$T/case/EV1/triage
s=$d/summary.txt
[ -s "$s" ] || fail "no summary.txt"
cat "$s"
line() { grep -Fxq -- "$1" "$s" || fail "summary.txt lacks the line: $1"; }
line "shodo 0.1.0 triage summary: evidence EV1, host WS042"
line "Host: WS042, Windows 10 Pro build 19045, time zone W. Europe Standard Time (UTC+01:00)"
line "Window: 2024-02-01 04:00:01Z .. 2024-03-02 04:00:01Z (the 30 days before the newest event, every anchor of the incident inside)"
line "Window anchors:"
line "  2024-03-01T01:00:00Z brute force: Administrator from 10.1.1.5, 25 failures"
line "  2024-03-02T03:10:00Z encryption start"
line "RANSOM NOTES: 2 distinct, 4 copies, family lockbit"
line "  Users/anna/Desktop/README.txt: 3 copies, family lockbit, written 2024-03-02 03:00:00Z"
line "  onion  lockbitapt2d73krlbewgv27tquljgxr33xbwwsp6rkyieto7u4ncead.onion"
line "ENCRYPTION: 300 files, 2024-03-02 03:10:00Z .. 2024-03-02 03:19:58Z"
line "FAILED LOGONS: 28 in 2 account/source groups"
line "  Administrator from 10.1.1.5 (CATERING01): 25, 2024-03-01 01:00:00Z .. 2024-03-01 01:24:00Z, type 3,10"
line "RDP SESSIONS: 1 from 1 source (1 event)"
line "  10.1.1.5 (CATERING01): 1 session as Administrator, 2024-03-01 03:00:00Z .. open"
line "NETWORK LOGONS (type 3): 1 session from 1 source (1 event)"
line "  10.2.2.2 (BACKUP01): 1 session as svc_backup, 2024-03-01 03:30:00Z .. open"
line "NEW ACCOUNTS: 1 (WS\\helpdesk\$ 2024-03-01 03:10:00Z)"
line "ADDED TO ADMIN GROUPS: 1 (WS\\helpdesk\$ 2024-03-01 03:11:00Z)"
line "SERVICES INSTALLED: 1 (PSEXESVC: %SystemRoot%\\PSEXESVC.exe 2024-03-01 03:20:00Z)"
line "LOGS CLEARED: 1 (Security by WS\\Administrator 2024-03-02 04:00:00Z)"
line "DEFENDER OFF: 1 (real-time protection disabled 2024-03-01 03:25:00Z)"
line "POLICY (sam): lockout threshold 0 (no lockout), minimum password length 0, history 0, maximum age 42 days  << WEAK"
line "  PSEXEC.EXE x2 2024-03-01 03:19:00Z"
line "POSTURE: 1 critical, 1 high (posture.csv)"
line "Artifacts: 2 collected, 1 parsed, 0 with warnings, 1 failed (triage.log); timeline 349 entries"
# ransom notes come before everything else; one screen
[ "$(grep -n '^RANSOM NOTES' "$s" | cut -d: -f1)" -le 6 ] || fail "ransom notes are not at the top"
[ "$(wc -l < "$s")" -le 50 ] || fail "summary.txt is longer than a screen: $(wc -l < "$s") lines"
[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$s")" -le 160 ] || fail "summary.txt has overlong lines"
# the hostile workstation name carried ESC: it must not reach the terminal
if LC_ALL=C grep -q "$(printf '\033')" "$s"; then fail "summary.txt passes a terminal escape through"; fi
grep -Fq 'EVIL?[31mRED' "$s" || fail "the control character was not replaced"

h=$d/report.html
[ -s "$h" ] || fail "no report.html"
python3 "$SHODO_TOP/tests/lib/page_check.py" "$h" '<script>alert(1)</script>' \
	'"><img src=x onerror=alert(1)>.hta' '<b>bold</b>@evil.example' "2024-03-02 04:10:00 (UTC+01:00)" \
	EV1/System.evtx || fail "report.html is not self-contained or not escaped"
python3 - "$h" <<'PY' || fail "the service row lost its source and record"
import sys; sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
sys.path.insert(0, __import__("os").environ["SHODO_TOP"] + "/tests/lib")
import page_check
d = page_check.check(sys.argv[1], [])
rows = d["tables"]["persist"]["rows"]
r = [r for r in rows if r[2] == "PSEXESVC"][0]
assert r[6][0] == "EV1/System.evtx" and r[7] == 77, r
PY
for t in events logons failed_logons ransom_notes encrypted_extensions timeline; do
	[ -s "$d/$t.csv" ] || fail "no $t.csv"
done
python3 - "$d/timeline.csv" <<'PY' || fail "timeline.csv not sorted or incomplete"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
times = [r["time"][:19] for r in rows]
assert times == sorted(times), "timeline not sorted"
kinds = {r["kind"] for r in rows}
for k in ("logon_failure", "service_installed", "log_cleared", "program_run", "encryption_start",
          "encryption_end", "ransom_note_first", "file", "account_created"):
    assert k in kinds, "timeline lacks " + k
PY
ok "summary.txt key lines, escaping, self-contained report.html, sorted timeline"
