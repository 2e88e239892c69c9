#!/bin/sh
# shodo export: timesketch JSONL validated line by line (required fields,
# parseable datetime, sorted), the merged CSV parsed back, row counts equal
# to the evidence items' timeline tables; PostgreSQL through libpq against a
# server started here on a Unix socket when the build and the machine have it.
. "$SHODO_TOP/tests/lib/common.sh"
need sqlite3 sqlite3
c=$T/case
"$HELPERS/fake_triage" "$c" EV1 1 || fail "fake_triage EV1"
"$HELPERS/fake_triage" "$c" EV2 2 || fail "fake_triage EV2"
n1=$(sqlite3 "file:$c/EV1/triage/triage.db?mode=ro" "select count(*) from timeline")
n2=$(sqlite3 "file:$c/EV2/triage/triage.db?mode=ro" "select count(*) from timeline")
shodo export "$c" --to timesketch -q || fail "export timesketch"
j=$c/exports/timeline-timesketch.jsonl
python3 - "$j" $((n1 + n2)) <<'PY' || fail "timesketch JSONL invalid"
import json, sys, datetime
n = 0; last = None; hosts = set()
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    for k in ("message", "datetime", "timestamp_desc", "timestamp", "host", "evidence", "source"):
        assert k in d and d[k] not in (None, ""), "missing %s in %s" % (k, line)
    t = datetime.datetime.fromisoformat(d["datetime"])
    assert t.tzinfo is not None and t.utcoffset().total_seconds() == 0
    assert int(t.timestamp() * 1000000) == d["timestamp"], (d["datetime"], d["timestamp"])
    assert last is None or d["timestamp"] >= last, "not sorted"
    last = d["timestamp"]; hosts.add(d["host"]); n += 1
assert n == int(sys.argv[2]), "rows %d, expected %s" % (n, sys.argv[2])
assert hosts == {"WS042", "WS043"}, hosts
PY
grep -q '"object":"exports/timeline-timesketch.jsonl"' "$c/custody.jsonl" || fail "export not in custody"
(cd "$c" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS stale after export"
shodo export "$c" --to csv -o "$T/t.csv" -q || fail "export csv"
python3 - "$T/t.csv" $((n1 + n2)) <<'PY' || fail "merged CSV invalid"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
assert len(rows) == int(sys.argv[2])
assert list(rows[0].keys()) == ["evidence", "host", "time", "kind", "what", "detail", "source", "record"]
t = [r["time"][:19] for r in rows]; assert t == sorted(t)
assert any(r["what"] == "<script>alert(1)</script>" for r in rows)
PY
shodo export "$c" --to csv -e EV2 -o - -q > "$T/ev2.csv" || fail "export one evidence"
[ $(($(wc -l < "$T/ev2.csv") - 1)) -eq "$n2" ] || fail "export -e EV2 rows"
expect_exit 2 shodo export "$c"
expect_exit 2 shodo export "$c" --to xml
shodo export "$c" --to csv -e NOPE -o - 2>/dev/null; [ $? -eq 1 ] || fail "unknown evidence not reported"

# PostgreSQL
if ! shodo export --help | grep -q 'table shodo_timeline$'; then
	shodo export "$c" --to postgres://x@localhost/db 2> "$T/err"; rc=$?
	[ $rc -eq 3 ] && grep -q 'not supported in this build' "$T/err" || fail "postgres without libpq: rc $rc"
	ok "timesketch and csv exports (postgres: not in this build, refused clearly)"
	exit 0
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
	skip "the PostgreSQL server is missing (Debian package postgresql, installed by .ci/install-deps)"
fi
# the server refuses to run as root: its folder must be reachable by nobody
pg=$(mktemp -d /tmp/shodo-pg.XXXXXX) || fail "mktemp"; mkdir -p "$pg/sock"
[ "$(id -u)" = 0 ] && chown -R nobody "$pg"
asuser() { if [ "$(id -u)" = 0 ]; then su -s /bin/sh nobody -c "$*"; else sh -c "$*"; fi; }
asuser "$pgbin/initdb -D $pg/data -U shodo -A trust" > "$T/initdb.log" 2>&1 || { rm -rf "$pg"; fail "initdb: $(tail -3 "$T/initdb.log")"; }
asuser "$pgbin/pg_ctl -D $pg/data -l $pg/log -w -o \"-k $pg/sock -c listen_addresses=''\" start" > /dev/null 2>&1 ||
	{ tail -5 "$pg/log"; rm -rf "$pg"; fail "postgres did not start"; }
trap 'asuser "$pgbin/pg_ctl -D $pg/data -m immediate stop" >/dev/null 2>&1; rm -rf "$pg"' EXIT
uri="postgresql://shodo@/postgres?host=$pg/sock"
shodo export "$c" --to "$uri" -q || fail "export to postgres"
shodo export "$c" --to "$uri" -q || fail "second export to postgres"
got=$("$pgbin/psql" -At "$uri" -c "select count(*) from shodo_timeline") || fail "psql"
[ "$got" -eq $((n1 + n2)) ] || fail "postgres rows $got, expected $((n1 + n2)) (a re-export must replace, not add)"
got=$("$pgbin/psql" -At "$uri" -c "select count(*) from shodo_timeline where what = '<script>alert(1)</script>' and host = 'WS042'")
[ "$got" -ge 1 ] || fail "hostile string not stored as is"
first=$("$pgbin/psql" -At "$uri" -c "select to_char(min(time) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') from shodo_timeline")
[ "$first" = "$(head -n 1 "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["datetime"][:19].replace("T"," "))')" ] ||
	fail "postgres times differ from the JSONL ($first)"
ok "timesketch, csv and postgres exports ($((n1 + n2)) rows)"
