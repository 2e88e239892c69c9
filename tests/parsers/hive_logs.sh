#!/bin/sh
# Dirty hives with their transaction logs.  The new state of a corpus SAM is
# made by hivexsh (a new account, mallory, RID 1008); mkhivelog writes the old
# state as a dirty hive plus logs that carry the difference, in the new format
# (one entry; two entries over .LOG1 and .LOG2; an already-applied entry and
# remnants before/after) and in the old format.  shodo's replayed copy must
# equal hivexsh's hive byte for byte in the bins data, hivexsh must read it,
# and `shodo parse` must list mallory with the RID hivexsh gives, as
# information (a dirty hive is normal), the collected files unchanged.  A
# damaged or incomplete log is not applied, and the message says so.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need hivexsh libhivex-bin
need jq jq
cp "$CORPUS/hives/regipy/SAM" old; chmod u+w old; cp old new
F=$(printf '%s' 000000000000000000b8ba5a92ccdb010000000000000000000000000000000000000000000000000000000000000000f0030000000000001000000000000000000000000700000000000000000000000000000000 |
	sed 's/../&,/g; s/,$//')
hivexsh -w new <<H || fail "hivexsh could not add an account"
cd \\SAM\\Domains\\Account\\Users\\Names
add mallory
cd mallory
setval 1
@
hex:0x3f0:
cd \\SAM\\Domains\\Account\\Users
add 000003F0
cd 000003F0
setval 1
F
hex:3:$F
commit
H
want_rid=$(printf '%s\n' 'cd \SAM\Domains\Account\Users\Names\mallory' lsval | hivexsh new | sed -n 's/^"@"=hex(\([0-9]*\)):.*/\1/p')
[ "$want_rid" = 1008 ] || fail "hivexsh does not give mallory's RID: $want_rid"
bins=$(od -An -tu4 -j40 -N4 new | tr -d ' ')
same_bins() { cmp -s "$1" "$2" -n $((4096 + bins)) -i 4096:4096 2>/dev/null ||
	[ "$(tail -c +4097 "$1" | head -c "$bins" | sha256sum)" = "$(tail -c +4097 "$2" | head -c "$bins" | sha256sum)" ]; }
names() { printf '%s\n' 'cd \SAM\Domains\Account\Users\Names' ls | hivexsh "$1" | LC_ALL=C sort -f | tr '\n' ' '; }

for v in "new" "new split" "new stale" "old"; do
	d=case-$(echo "$v" | tr ' ' -); mkdir "$d"
	set -- $v
	"$HELPERS/mkhivelog" "$1" old new "$d/SAM" ${2:-} >/dev/null || fail "mkhivelog $v"
	sums=$(cat "$d"/* | sha256sum)
	"$HELPERS/hive_replay" "$d/SAM" "$d.replayed" > "$d.out" || fail "$v: not replayed: $(cat "$d.out")"
	same_bins "$d.replayed" new || fail "$v: the replayed bins data differ from hivexsh's hive"
	[ "$(names "$d.replayed")" = "Administrator Guest mallory Preston " ] || fail "$v: hivexsh reads $(names "$d.replayed")"
	shodo parse --json "$d/SAM" > "$d.json"; rc=$?
	[ $rc = 0 ] || fail "$v: shodo parse exit $rc (a dirty hive with its logs is not a warning)"
	[ "$(jq -r '.files[0].status' "$d.json")" = ok ] || fail "$v: status $(jq -r '.files[0].status' "$d.json")"
	jq -r '.files[0].message' "$d.json" | grep -q 'replayed into a copy; the collected hive is kept unchanged' ||
		fail "$v: message $(jq -r '.files[0].message' "$d.json")"
	[ "$(jq -r '.files[0].accounts[] | select(.name == "mallory") | .rid' "$d.json")" = "$want_rid" ] ||
		fail "$v: mallory not seen after the replay"
	[ "$(cat "$d"/* | sha256sum)" = "$sums" ] || fail "$v: the collected hive or its logs changed"
done
grep -q 'entries=2 .*logs=SAM.LOG1, SAM.LOG2' case-new-split.out || fail "split: $(cat case-new-split.out)"

# a user hive whose logs are named in another case (ntuser.dat.LOG1 beside NTUSER.DAT)
mkdir u; "$HELPERS/mkhivelog" new old new u/NTUSER.DAT >/dev/null; mv u/NTUSER.DAT.LOG1 u/ntuser.dat.LOG1
"$HELPERS/hive_replay" u/NTUSER.DAT u.replayed >/dev/null || fail "logs with names in another case not found"

# logs that cannot be applied: the hive as collected, and the reason
for v in badhash gap; do
	mkdir "$v"; "$HELPERS/mkhivelog" new old new "$v/SAM" "$v" >/dev/null
	shodo parse --json "$v/SAM" > "$v.json"; rc=$?
	[ $rc = 0 ] || fail "$v: exit $rc"
	jq -r '.files[0].message' "$v.json" | grep -Eq 'could not be applied|are missing: not applied' ||
		fail "$v: message $(jq -r '.files[0].message' "$v.json")"
	jq -r '.files[0].message' "$v.json" | grep -q 'recent changes may be missing' || fail "$v: no note of what may be missing"
	[ -z "$(jq -r '.files[0].accounts[] | select(.name == "mallory") | .name' "$v.json")" ] || fail "$v: a bad log was applied"
done
# dirty, no log at all
mkdir alone; "$HELPERS/mkhivelog" new old new alone/SAM >/dev/null; rm alone/SAM.LOG1
shodo parse --json alone/SAM > alone.json || fail "dirty hive without logs: exit $?"
jq -r '.files[0].message' alone.json | grep -q 'no transaction log lies beside it' || fail "alone: $(jq -r '.files[0].message' alone.json)"
ok "dirty SAM replayed from new-format (1 and 2 logs, stale entries) and old-format logs equal to hivexsh's; bad logs refused"
