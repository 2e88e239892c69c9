#!/bin/sh
# shodo merge DEST SRC...: items of two sticks' case folders brought into one
# case, verified against each source's SHA256SUMS and custody; sources hashed
# before and after (never written); repeating the merge changes no item; the
# same ID with other content, a tampered file, an unlisted file and a broken
# custody chain are refused with a message naming why; DEST passes
# sha256sum -c and shodo verify, and its custody records the items.
. "$SHODO_TOP/tests/lib/common.sh"
need sqlite3 sqlite3
"$HELPERS/fake_triage" "$T/stick1" WS042 1 || fail "fake_triage stick1"
"$HELPERS/fake_triage" "$T/stick2" WS043 2 || fail "fake_triage stick2"
"$HELPERS/fake_triage" "$T/stick3" WS042 2 || fail "fake_triage stick3 (same ID, other content)"
# the state of a source: every file's hash, mode and mtime, and its listing
state() { (cd "$1" && find . -print0 | LC_ALL=C sort -z | xargs -0 stat -c '%n %a %s %Y' &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum; }
s1=$(state "$T/stick1"); s2=$(state "$T/stick2"); s3=$(state "$T/stick3")
chmod -R a-w "$T/stick2"   # a stick mounted read-only

shodo merge "$T/case" "$T/stick1" "$T/stick2" --json > m1.json || fail "merge of two sticks"
python3 - m1.json <<'PY' || fail "merge --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["merged"] == 2 and d["present"] == 0 and d["refused"] == 0, d
assert sorted(i["evidence"] for i in d["items"]) == ["WS042", "WS043"], d["items"]
PY
for e in WS042 WS043; do
	[ -f "$T/case/$e/triage/triage.db" ] || fail "$e not merged"
done
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c on the merged case"
shodo verify "$T/case" > v.out || fail "shodo verify of the merged case: $(cat v.out)"
# files equal their originals, byte for byte, with the same mode
for f in WS042/triage/triage.db WS043/triage/timeline.csv WS042/triage/report.html; do
	src=$T/stick1/$f; [ -f "$src" ] || src=$T/stick2/$f
	cmp -s "$src" "$T/case/$f" || fail "$f differs from its source"
	want=600; [ -w "$src" ] || want=400; [ "$(id -u)" = 0 ] && { want=600; stat -c %A "$src" | grep -q '^-r-' && want=400; }
	[ "$(stat -c %a "$T/case/$f")" = "$want" ] || fail "$f mode $(stat -c %a "$T/case/$f"), source $(stat -c %a "$src")"
done
# custody: the source's entries for each item, one merge-item per item, one merge
for e in WS042 WS043; do
	src=$T/stick1; [ "$e" = WS043 ] && src=$T/stick2
	want=$(grep -c "\"evidence\":\"$e\"" "$src/custody.jsonl")
	got=$(grep -c "\"action\":\"merge-custody\",\"evidence\":\"$e\"" "$T/case/custody.jsonl")
	[ "$got" -eq "$want" ] && [ "$want" -ge 1 ] || fail "$e: $got merge-custody entries, source has $want"
	pin=$(grep "\"action\":\"merge-item\",\"evidence\":\"$e\"" "$T/case/custody.jsonl" |
		python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["sha256"])')
	list=$(grep " $e/" "$src/SHA256SUMS" | sed "s|  $e/|  |" | LC_ALL=C sort -k2 | sha256sum | cut -d' ' -f1)
	[ "$pin" = "$list" ] || fail "$e: merge-item sha256 $pin is not that of its file list ($list)"
done
grep -q '"action":"merge","evidence":null.*2 evidence items merged, 0 already present, 0 refused' "$T/case/custody.jsonl" ||
	fail "the merge itself is not in custody"
python3 - "$T/case/case.json" <<'PY' || fail "case.json lists the items"
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted(e["id"] for e in d["evidence"]); assert ids == ["WS042", "WS043"], ids
assert all("triage" in e["parts"] for e in d["evidence"])
PY

# again, and with a third stick whose WS042 is another machine's
sums1=$(sha256 "$T/case/WS042/triage/triage.db")
shodo merge "$T/case" "$T/stick1" "$T/stick2" -q || fail "repeating the merge"
grep -c '"action":"merge-item"' "$T/case/custody.jsonl" | grep -qx 2 || fail "a repeated merge recorded items again"
shodo merge "$T/case" "$T/stick3" 2> err3; rc=$?
[ $rc -eq 1 ] || fail "a conflicting ID: exit $rc"
grep -q "evidence WS042 .*refused: an evidence item WS042 with other content is already in" err3 || fail "conflict message: $(cat err3)"
[ "$(sha256 "$T/case/WS042/triage/triage.db")" = "$sums1" ] || fail "the conflicting item overwrote WS042"

# a tampered file, an unlisted file, a broken chain: refused, the rest taken
for b in 1 2 3; do "$HELPERS/fake_triage" "$T/bad$b" WS05$b 2 || fail "fake_triage bad$b"; done
# bad1: an entry appended with its chain, then an earlier one edited
python3 - "$T/bad1/custody.jsonl" <<'PY'
import hashlib, json, sys
p = sys.argv[1]; lines = open(p, "rb").read().rstrip(b"\n").split(b"\n")
e = {"time": "2024-03-03T00:00:00Z", "action": "note", "evidence": None, "object": None, "sha256": None,
     "detail": "x", "prev": hashlib.sha256(lines[-1]).hexdigest()}
lines.append(json.dumps(e, separators=(",", ":")).encode())
lines[0] = lines[0].replace(b'"examiner":"test"', b'"examiner":"someone else"')
open(p, "wb").write(b"\n".join(lines) + b"\n")
PY
grep -q someone "$T/bad1/custody.jsonl" || fail "test setup: custody not edited"
# bad2: a file changed after SHA256SUMS; bad3: a file nobody listed
chmod u+w "$T/bad2/WS052/triage/summary.txt"; echo tampered >> "$T/bad2/WS052/triage/summary.txt"
echo extra > "$T/bad3/WS053/triage/extra.txt"
shodo merge "$T/case" "$T/bad1" "$T/bad2" "$T/bad3" 2> errb; rc=$?
[ $rc -eq 1 ] || fail "bad sources: exit $rc"
cat errb
grep -q "nothing taken from '$T/bad1': its custody chain is broken at line" errb || fail "broken chain not named"
grep -q "evidence WS052 .*refused: .*summary.txt' does not match its SHA256SUMS entry" errb || fail "tampered file not named"
grep -q "evidence WS053 .*refused: 'WS053/triage/extra.txt' is not listed in the source's SHA256SUMS" errb || fail "unlisted file not named"
for e in WS051 WS052 WS053; do [ -e "$T/case/$e" ] && fail "$e was taken"; done
ls -A "$T/case/.shodo" | grep -q '^import' && fail "a refused item left its staging folder"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c after refusals"
shodo verify "$T/case" > /dev/null || fail "shodo verify after refusals"

# the sources never changed
chmod -R u+w "$T/stick2"
[ "$(state "$T/stick1")" = "$s1" ] || fail "stick1 changed"
[ "$(state "$T/stick2")" = "$s2" ] && [ "$(state "$T/stick3")" = "$s3" ] || fail "a source changed"

# one report across the merged sticks
shodo report "$T/case" -q || fail "report of the merged case"
grep -Fxq "RANSOM NOTES: on 2 of 2 hosts, 5 copies, family lockbit" "$T/case/summary.txt" || fail "fleet view of the merged case"
expect_exit 2 shodo merge "$T/case"
expect_exit 2 shodo merge
shodo merge "$T/case" "$T/case" 2>&1 | grep -q "it is the destination case folder itself" || fail "merging DEST into itself"
ok "merge: verified, recorded, idempotent, conflicts and tampering refused, sources unchanged"
