#!/bin/sh
# A kind of row that floods the timeline is shown on the host's page by its
# first and last 5,000 rows (report/report.c, TL_KIND_END); every other kind
# is shown whole, the page names the cut kinds with their number of rows, and
# timeline.csv and the chart keep every row.  The host: fake_triage's variant
# 3, a password spray of 12,345 failed logons on top of variant 1.
. "$SHODO_TOP/tests/lib/common.sh"
"$HELPERS/fake_triage" "$T/case" EV3 3 || fail "fake_triage"
d=$T/case/EV3/triage
h=$d/report.html
[ -s "$h" ] || fail "no report.html"
python3 - "$h" "$d/timeline.csv" <<'PY' || fail "the page's timeline is not the first and last rows of each flooding kind"
import csv, os, re, sys
sys.path.insert(0, os.environ["SHODO_TOP"] + "/tests/lib")
import page_check
d = page_check.check(sys.argv[1], [])
page = d["tables"]["timeline"]["rows"]
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
def key(time, kind, what, record):
    return (time[:19].replace(" ", "T"), kind, what, "" if record is None else str(record))
want = []
bykind = {}
for r in rows:
    bykind.setdefault(r["kind"], []).append(r)
assert len(bykind["logon_failure"]) == 12345 + 28, len(bykind["logon_failure"])
for k, rs in bykind.items():
    keep = rs if len(rs) <= 10000 else rs[:5000] + rs[-5000:]
    want += [key(r["time"], r["kind"], r["what"], r["record"]) for r in keep]
# page rows: [time, kind, what, detail, [source, href], record]
got = [key(r[0] if isinstance(r[0], str) else r[0][0], r[1], r[2], r[5]) for r in page]
assert len(got) == len(want) == len(rows) - (12345 + 28 - 10000), (len(got), len(want), len(rows))
assert sorted(got) == sorted(want), "rows differ: %s" % (set(got) ^ set(want)).__repr__()[:300]
times = [g[0] for g in got]
assert times == sorted(times), "page rows not in time order"
# the page says what was cut, with the number of rows
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<p class="muted" id="tl-cut">([^<]*)</p>', html)
assert m and "logon_failure (12373)" in m.group(1) and "10000 rows" in m.group(1), m and m.group(1)
assert "account_created" not in m.group(1), m.group(1)
assert re.search(r'Every row: <a href="timeline.csv">timeline.csv</a>', html), "no link to every row"
# the chart counts every row
hours = dict(d["charts"]["timeline"])
assert sum(hours.values()) == len([r for r in rows if len(r["time"]) >= 13]), (sum(hours.values()), len(rows))
PY
ok "a flooding kind shows its first and last 5,000 rows, named on the page; every other row, the CSV and the chart are whole"
# a host under the limit keeps every row and says nothing of a cut
"$HELPERS/fake_triage" "$T/case" EV1 1 || fail "fake_triage"
grep -q 'id="tl-cut"' "$T/case/EV1/triage/report.html" && fail "a cut is announced on a host with no flooding kind"
python3 - "$T/case/EV1/triage/report.html" "$T/case/EV1/triage/timeline.csv" <<'PY' || fail "a page under the limit lost rows"
import csv, os, sys
sys.path.insert(0, os.environ["SHODO_TOP"] + "/tests/lib")
import page_check
d = page_check.check(sys.argv[1], [])
n = len(list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""))))
assert len(d["tables"]["timeline"]["rows"]) == n, (len(d["tables"]["timeline"]["rows"]), n)
PY
ok "under the limit every row is on the page"
