#!/bin/sh
# shodo report DIR over two evidence items: the fleet summary (hosts with
# notes, encryption across hosts, shared RDP source, shared accounts and
# password groups), report.html escaped, --json, custody and SHA256SUMS.
. "$SHODO_TOP/tests/lib/common.sh"
c=$T/case
"$HELPERS/fake_triage" "$c" EV1 1 || fail "fake_triage EV1"
"$HELPERS/fake_triage" "$c" EV2 2 || fail "fake_triage EV2"
# an evidence item whose database is damaged is named, the others reported
mkdir -p "$c/EV3/triage" && echo "not a database" > "$c/EV3/triage/triage.db"
expect_exit 1 shodo report "$c" -q
grep -q '^NOT READ: EV3' "$c/summary.txt" || fail "the unreadable evidence is not named"
rm -rf "$c/EV3"
shodo report "$c" > "$T/out.txt" || fail "shodo report failed"
s=$c/summary.txt
cmp -s "$s" "$T/out.txt" || fail "printed summary differs from summary.txt"
cat "$s"
line() { grep -Fxq -- "$1" "$s" || fail "summary.txt lacks the line: $1"; }
line "RANSOM NOTES: on 2 of 2 hosts, 5 copies, family lockbit"
line "  WS042 (EV1): 4 copies, lockbit"
line "ENCRYPTION: on 2 hosts, 420 files, first 2024-03-02 03:10:00Z (WS042), last 2024-03-02 05:09:55Z (WS043)"
line "  type 10 10.1.1.5: 2 hosts (WS042, WS043), 2 logons as Administrator, 2024-03-01 03:00:00Z .. 2024-03-01 03:00:00Z"
line "  Administrator from 10.1.1.5: 50 on 2 hosts, 2024-03-01 01:00:00Z .. 2024-03-01 01:24:00Z"
line "  Administrator: 2 hosts, administrator on 2"
line "SHARED LOCAL PASSWORDS: 1 groups"
line "  Administrator (RID 500): same password on 2 hosts (WS042, WS043)"
line "POSTURE: 2 critical, 1 high"
line "SERVICES AND TASKS INSTALLED: 1 distinct, 1 on several hosts"
line "  service PSEXESVC: 2 hosts, first 2024-03-01 03:20:00Z, %SystemRoot%\\PSEXESVC.exe"
line "TOOLS RUN (flagged, prefetch): 1 on 2 hosts"
# each host's incident window as its own summary gives it, with its anchors' kinds and dates
w1=$(sed -n 's/^Window: \(.* .. [^ ]* [^ ]*\) (.*/\1/p' "$c/EV1/triage/summary.txt")
line "Incident windows (per host, and the anchors they were chosen from):"
grep -q "^  WS042                $w1: brute force 2024-03-01, " "$s" || fail "WS042's window $w1 and anchors not in the fleet summary"
line "  PSEXEC.EXE (remote execution): 2 hosts, last 2024-03-01 04:19:00Z"
python3 "$SHODO_TOP/tests/lib/page_check.py" "$c/report.html" "<script>alert(1)</script>" WS043 \
	"Data/share/復元方法.txt" || fail "fleet report.html is not self-contained or not escaped"
shodo report "$c" --json > "$T/r.json" || fail "report --json"
python3 - "$T/r.json" <<'PY' || fail "report --json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["evidence_items"] == 2 and len(d["hosts"]) == 2
g = d["shared_password_groups"]; assert len(g) == 1 and g[0]["hosts"] == 2, g
src = [x for x in d["logon_sources"] if x["source_ip"] == "10.1.1.5"][0]; assert src["hosts"] == 2
PY
grep -q '"action":"report".*"object":"summary.txt"' "$c/custody.jsonl" || fail "no custody entry for summary.txt"
grep -q '"action":"report".*"object":"report.html"' "$c/custody.jsonl" || fail "no custody entry for report.html"
(cd "$c" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match after report"
grep -q ' summary.txt$' "$c/SHA256SUMS" || fail "summary.txt not in SHA256SUMS"
ok "an evidence item whose database is damaged is named, the others reported"
# the evidence databases were only read
[ "$(sha256 "$c/EV1/triage/triage.db")" = "$(grep ' EV1/triage/triage.db$' "$c/SHA256SUMS" | cut -d' ' -f1)" ] ||
	fail "EV1 triage.db changed"
expect_exit 2 shodo report
expect_exit 3 shodo report "$T/nonexistent"
mkdir "$T/empty"; shodo report "$T/empty" 2>/dev/null; [ $? -ne 0 ] || fail "an empty folder reported success"
ok "fleet summary, escaped report, json, custody and sums"
