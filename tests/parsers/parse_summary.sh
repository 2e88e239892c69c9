#!/bin/sh
# shodo parse's per-file summary of logons and events is tallied while the
# rows are stored (triage/store_tally.c), not queried.  Its lines must be
# what SQLite answers to the summary queries over the stored rows, line for
# line and in the same order: counts, the distinct source addresses in the
# order of their rows' record numbers, first .. last times, equal counts
# ordered as SQLite orders them.  Checked on a written log (addresses
# repeated out of record order, many groups with equal counts, more than
# the 12 logon lines shown) and on every corpus event log in one run.
# A second run into the same store (rows already there) queries the rows.
. "$(dirname "$0")/../lib/common.sh"
need python3 python3
need sqlite3 sqlite3

python3 - > recs.jsonl <<'EOF'
import json
SEC = "Microsoft-Windows-Security-Auditing"
ips = ["10.0.0.%d" % i for i in (9, 3, 7, 1, 250)] + ["fe80::1", "::ffff:192.168.1.5", "-", ""]
recs, n = [], 0
def rec(eid, data, provider=SEC, record=None):
    global n
    n += 1
    r = {"provider": provider, "id": eid, "time": "2024-03-01T10:%02d:%02d.%07dZ" % (n // 60 % 60, n % 60, n * 7),
         "channel": "Security", "computer": "DC01", "data": data}
    if record is not None:
        r["record"] = record
    recs.append(r)
# failed and successful logons: many (result, type) groups, equal counts, addresses out of record order
for i in range(120):
    t = (2, 3, 10, 3, 7, 11, 5, 3)[i % 8]
    rec(4625 if i % 3 else 4624, [["TargetUserName", "s", "u%d" % (i % 5)], ["TargetDomainName", "s", "CORP"],
        ["LogonType", "u32", t], ["IpAddress", "s", ips[(i * 7) % len(ips)]], ["Status", "hex32", 0xC000006D]],
        record=1000 - i * 3 if i % 4 == 0 else 10 + i)
for t in (4, 8, 9, 12, 13, 0, 1, 6):
    rec(4624, [["TargetUserName", "s", "svc"], ["LogonType", "u32", t], ["IpAddress", "s", "10.9.9.%d" % t]])
for i in range(3):
    rec(4672, [["SubjectUserName", "s", "admin%d" % i], ["SubjectDomainName", "s", "CORP"]])
# events of several categories with equal counts
for i in range(2):
    rec(4720, [["TargetUserName", "s", "new%d" % i], ["TargetDomainName", "s", "CORP"]])
    rec(4732, [["MemberName", "s", "CN=new%d" % i], ["TargetUserName", "s", "Administrators"]])
    rec(7045, [["ServiceName", "s", "svc%d" % i], ["ImagePath", "s", "c:\\x%d.exe" % i]], provider="Service Control Manager")
rec(1102, [], provider="Microsoft-Windows-Eventlog")
for r in recs:
    print(json.dumps(r))
EOF
python3 "$SHODO_TOP/tests/parsers/mkevtx.py" Security.evtx < recs.jsonl || fail "could not write the test log"
mkdir logs && mv Security.evtx logs/
set -- logs
if [ -d "$CORPUS/evtx" ]; then
	set -- logs "$CORPUS/evtx"
else
	skip_part "corpus not found at $CORPUS: the written log only"
fi

shodo parse --db s.db "$@" > out.txt 2>err.txt
[ -s out.txt ] || fail "shodo parse printed nothing: $(head -c 300 err.txt)"

# check.py OUT DB [FACTOR]: every file's summary holds the logons and events
# lines SQLite gives for its rows, in order (FACTOR: the rows stored per record)
cat > check.py <<'EOF'
import sqlite3, sys
out, dbp = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dbp)
# the index the queries ran on (their rows in (source, record) order)
db.execute("CREATE INDEX IF NOT EXISTS logons_source ON logons(source, record)")
LOGONS = ("SELECT 'logons ' || result, 'type ' || coalesce(logon_type,'-'), count(*) || 'x',"
          " 'from ' || coalesce(group_concat(DISTINCT source_ip),'-') FROM logons WHERE source=?"
          " GROUP BY result, logon_type ORDER BY count(*) DESC LIMIT 12")
EVENTS = ("SELECT category, count(*) || 'x', min(time) || ' .. ' || max(time) FROM events"
          " WHERE source=? AND category NOT LIKE 'logo%' AND category NOT LIKE 'rdp_%'"
          " GROUP BY category ORDER BY count(*) DESC")
def lines(sql, src):
    return ["  " + "  ".join("-" if v is None else str(v) for v in row) for row in db.execute(sql, (src,))]
blocks, cur = {}, None
for l in open(out, encoding="utf-8", errors="replace").read().split("\n"):
    if l and not l.startswith("  "):
        cur = l.rsplit(": ", 1)[0]
        blocks[cur] = []
    elif cur is not None and l:
        blocks[cur].append(l)
files = multi = nonempty = 0
for src, got in blocks.items():
    want = lines(LOGONS, src) + lines(EVENTS, src)
    if not want:
        continue
    nonempty += 1
    multi += sum(1 for w in want if w.startswith("  logons") and "," in w)
    k = next((i for i in range(len(got) - len(want) + 1) if got[i:i + len(want)] == want), None)
    if k is None:
        sys.exit("%s: summary\n%s\nwhile SQLite gives\n%s" % (src, "\n".join(got), "\n".join(want)))
    files += 1
print(files, nonempty, multi)
EOF
res=$(python3 check.py out.txt s.db) || fail "tallied summary differs from the queries: $res"
set -- $res
[ "$1" -ge 1 ] || fail "no file with logons or events rows"
ok "summary of $1 logs with logons or events rows equals SQLite's answer to the summary queries ($3 lines with several addresses)"
grep -q '^  logons failure  type 3  ' out.txt || fail "the written log's failed type-3 logons are not in the summary"
[ "$(grep -A40 '/Security.evtx: ' out.txt | grep -c '^  logons ')" = 12 ] ||
	fail "the written log's logon lines are not cut at 12: $(grep -A40 '/Security.evtx: ' out.txt)"
ok "the written log: 12 logon lines of more groups, addresses out of record order"

# a second run into the same store: the rows are there twice, the summary is queried
shodo parse --db s.db logs/Security.evtx > out2.txt 2>/dev/null
res=$(python3 check.py out2.txt s.db) || fail "second run's summary differs from the queries: $res"
grep -q '^  logons failure  type 3  .*[0-9]x' out2.txt || fail "second run: no summary"
ok "a store that already holds rows: the summary is queried"
