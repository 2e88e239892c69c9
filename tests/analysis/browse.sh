# shodo_browse_* (what the front end's review mode and results screens read):
# the evidence items of a case with their image and triage state, the views
# over triage.db checked against the same questions asked with the sqlite3
# shell, the filter, summary.txt as written, an interrupted image told apart
# from a complete one, and a folder that is not a case refused.
. "$SHODO_TOP/tests/lib/common.sh"
need sqlite3 sqlite3; need jq jq; need md5sum coreutils
B=$HELPERS/browse
"$HELPERS/fake_triage" "$T/case" EV1 1 >/dev/null || fail "fake_triage"
DB=$T/case/EV1/triage/triage.db
q() { sqlite3 -batch -noheader "$DB" "$1"; }
head -c 3145728 /dev/urandom > src.raw
shodo image src.raw --case case --evidence IMG1 -q || fail "image"
FIO=$PRELOAD_DIR/faultio.so
FAULTIO_WRITE_MATCH="/IMG2/image/IMG2." FAULTIO_WRITE_LIMIT=1000000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image src.raw --case case --evidence IMG2 --compression none >/dev/null 2>&1
[ -f case/IMG2/image/IMG2.state.json ] || fail "no interrupted image to look at"

"$B" case > case.json || fail "browse case exited $?"
[ "$(jq -r '[.items[].id] | join(" ")' case.json)" = "EV1 IMG1 IMG2" ] || fail "items: $(jq -c '[.items[].id]' case.json)"
it() { jq -r --arg id "$1" ".items[] | select(.id==\$id) | $2" case.json; }
[ "$(it EV1 .triage.state)" = complete ] || fail "EV1 triage state"
[ "$(it EV1 .triage.host)" = "$(q "select value from host where key='computer_name'")" ] || fail "host"
[ "$(it EV1 .triage.notes)" = "$(q "select count(*) from ransom_notes")" ] || fail "notes count"
[ "$(it EV1 .triage.failed_logons)" = "$(q "select sum(count) from failed_logons")" ] || fail "failed logons"
[ "$(it EV1 .triage.encryption_start)" = "$(q "select min(time) from timeline where kind='encryption_start'")" ] || fail "encryption start"
[ "$(it EV1 .image.state)" = none ] || fail "EV1 has no image"
[ "$(it IMG1 .image.state)" = complete ] || fail "IMG1 state"
[ "$(it IMG1 .image.md5)" = "$(md5sum src.raw | cut -d' ' -f1)" ] || fail "IMG1 md5 differs from md5sum"
[ "$(it IMG1 .image.sha256)" = "$(sha256 src.raw)" ] || fail "IMG1 sha256"
[ "$(it IMG1 .image.verification)" = match ] || fail "IMG1 verification: $(it IMG1 .image.verification)"
[ "$(it IMG1 .image.first)" = IMG1/image/IMG1.E01 ] || fail "IMG1 first segment"
[ "$(it IMG1 .triage.state)" = none ] || fail "IMG1 has no triage"
[ "$(it IMG2 .image.state)" = interrupted ] || fail "IMG2 state: $(it IMG2 .image.state)"
[ "$(it IMG2 .image.compression)" = none ] || fail "IMG2 options of the interrupted run"
ok "items with image state (md5sum's MD5, verified, interrupted) and triage answers as triage.db holds them"

# views against the same questions in SQL
"$B" case EV1 logons_by_source > bysrc.json || fail "logons_by_source"
[ "$(jq '[.rows[][4] | tonumber] | add' bysrc.json)" = "$(q "select count(*) from logons where result='success'")" ] || fail "logons by source do not add up"
jq -r '.rows[] | [.[0], .[3], .[4]] | join("|")' bysrc.json | sort > ours.txt
q "select ifnull(source_ip,''), ifnull(target_domain || '\\', '') || ifnull(target_user,''), count(*) from logons where result='success' group by source_ip, workstation, logon_type, target_domain, target_user" | sort > theirs.txt
diff ours.txt theirs.txt || fail "logons by source differ from sqlite3"
"$B" case EV1 logons CATERING > f.json || fail "filtered logons"
[ "$(jq .total f.json)" = "$(q "select count(*) from logons where workstation like '%catering%' or source_ip like '%catering%' or target_user like '%catering%'")" ] || fail "filter: $(jq .total f.json)"
jq -r '.rows[] | join(" ")' f.json | grep -qvi catering && fail "the filter let a row through without CATERING"
ok "logons by source and the filter agree with the sqlite3 shell"
"$B" case EV1 notes > notes.json || fail "notes"
[ "$(jq '.rows | length' notes.json)" = "$(q "select count(*) from ransom_notes")" ] || fail "notes rows"
jq -r '.rows[][4]' notes.json | grep -q onion || fail "onion contact not in the notes view"
for v in logons rdp failed_logons encrypted timeline accounts programs persistence posture; do
	"$B" case EV1 $v > v.json || fail "view $v"
done
[ "$(jq .total v.json)" = "$(q "select count(*) from posture")" ] || fail "posture rows"
"$B" case EV1 text summary > s.txt || fail "summary text"
cmp s.txt case/EV1/triage/summary.txt || fail "summary text differs"
ok "every view reads; summary.txt as written"
expect_exit 3 "$B" case IMG1 logons 2>err.txt
grep -q "evidence 'IMG1' has no triage results" err.txt || fail "message: $(cat err.txt)"
expect_exit 3 "$B" case EV1 nosuchview 2>/dev/null
expect_exit 3 "$B" case ../x logons 2>/dev/null
mkdir notacase
expect_exit 3 "$B" notacase 2>err.txt
grep -q "is not a case folder" err.txt || fail "not a case: $(cat err.txt)"
ok "browse"
