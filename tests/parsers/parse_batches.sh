#!/bin/sh
# shodo parse --db into a store that already holds rows (a batch after
# another, as `xargs shodo parse --db` runs): the store keeps its indexes
# while the rows added stay fewer than those they index, and drops them
# before a log large enough to change that (triage/store.c).  Whichever way
# a batch went, the store and the printed summaries must be those of one
# run over every file: the corpus event logs parsed in one run, in two
# batches (the second keeps the indexes), and in two batches whose second
# ends with a 3 MB log (the indexes are dropped before it and built again);
# the same rows in the same order (sqlite3 .dump), every index there and
# consistent (PRAGMA integrity_check), the same text output.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need sqlite3 sqlite3
big=$CORPUS/evtx/deepbluecli/evtx/many-events-application.evtx
[ -f "$big" ] || fail "corpus log many-events-application.evtx missing"
# the small logs (one or two chunks), in a fixed order, then the large one
(cd "$CORPUS" && find evtx -name '*.evtx' -size -140k | LC_ALL=C sort | head -n 120) > small.list
[ "$(wc -l < small.list)" -eq 120 ] || fail "fewer than 120 small corpus logs"
head -n 110 small.list > first.list
tail -n 10 small.list > second.list
run() { # DB LIST...: one shodo parse over the files of the lists (and the large log for "+big")
	db=$1; shift
	: > args
	for l in "$@"; do
		if [ "$l" = +big ]; then echo "$big" >> args; else sed "s|^|$CORPUS/|" "$l" >> args; fi
	done
	tr '\n' '\0' < args | xargs -0 "$SHODO_BIN" parse --db "$db" 2>&1
	echo "exit $?"
}
# one run over every file; the same files in batches: the second keeps the
# indexes for its 10 small logs, then drops them before the large log; the
# third (four.db) keeps them for a whole batch, and the large log comes alone
{ run one.db small.list +big; } > one.out
{ run two.db first.list; run two.db second.list +big; } > two.out
{ run four.db first.list; run four.db second.list; run four.db +big; } > four.out
for s in one two four; do
	grep '^exit ' $s.out | grep -qv '^exit [01]$' && fail "$s: shodo parse failed: $(grep '^exit ' $s.out)"
	sed '/^exit /d' $s.out > $s.lines
done
[ "$(grep -c 'recovered' one.lines)" -ge 121 ] || fail "too few summaries printed"
cmp -s one.lines two.lines || fail "two batches print other summaries than one run"
cmp -s one.lines four.lines || fail "three batches print other summaries than one run"
ok "the same summaries from one run and from batches into the same store"
# the stores: rows, order and indexes (shodo parse builds logons_source and
# events_source itself when the store held rows before the run: left out of
# the comparison)
dump() { sqlite3 "$1" .dump | grep -v 'CREATE INDEX \(logons\|events\)_source'; }
dump one.db > one.sql
for s in two four; do
	dump $s.db > $s.sql
	cmp -s one.sql $s.sql || fail "$s.db differs from one run's store: $(diff one.sql $s.sql | head -n 5)"
done
for s in one two four; do
	[ "$(sqlite3 $s.db 'PRAGMA integrity_check')" = ok ] || fail "$s.db: integrity check failed"
	for i in logons_success_ip event_counts_source; do
		[ "$(sqlite3 $s.db "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='$i'")" = 1 ] ||
			fail "$s.db: index $i missing"
	done
	# retired: no query's plan uses them, building them cost a quarter of a large log
	for i in events_time logons_time logons_user logons_ip; do
		[ "$(sqlite3 $s.db "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='$i'")" = 0 ] ||
			fail "$s.db: retired index $i built"
	done
done
[ "$(sqlite3 one.db 'SELECT count(*) FROM events')" -gt 100 ] || fail "too few events stored"
ok "the same store (rows, order, indexes, integrity) from one run and from batches, indexes kept or rebuilt"
