#!/bin/sh
# Attack: the last custody lines are removed (or edited) and SHA256SUMS is
# refreshed.  A hash chain cannot see its own tail, so every command prints
# the chain's head, and shodo verify DIR --anchor HEAD (the head noted from
# that output or from the handover sheet) catches it (exit 1).  A signed case
# catches it without the anchor: the signature covers SHA256SUMS, which holds
# the head (custody.head).  What the unsigned folder alone cannot prove is
# said in the README.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null || fail "genpkey"
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem" 2>/dev/null || fail "pubout"
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence A --sign-key "$T/key.pem" 2>"$T/img.err" || fail "image"
head=$(sed -n 's/^shodo: custody head: \([0-9a-f]\{64\}\) .*/\1/p' "$T/img.err")
[ -n "$head" ] || { cat "$T/img.err"; fail "the image run does not print the custody head"; }
# the printed head is the sha256 of custody's last line (checkable by hand)
[ "$(tail -n 1 "$T/case/custody.jsonl" | tr -d '\n' | sha256sum | cut -d' ' -f1)" = "$head" ] || fail "head is not the last line's sha256"
grep -q "$head" "$T/case/custody.head" || fail "custody.head does not hold the head"
grep -q "  custody.head\$" "$T/case/SHA256SUMS" || fail "custody.head is not in SHA256SUMS"
expect_exit 0 shodo verify "$T/case" --anchor "$head" --pubkey "$T/pub.pem" >"$T/out"
grep -q "$head" "$T/out" || fail "verify does not print the head"
cp -a "$T/case" "$T/clean"

# refresh SHA256SUMS and custody.head the way an attacker would
refresh() {
	h=$(tail -n 1 "$T/case/custody.jsonl" | tr -d '\n' | sha256sum | cut -d' ' -f1)
	n=$(wc -l < "$T/case/custody.jsonl")
	chmod u+w "$T/case/custody.head" 2>/dev/null; printf '%s %s\n' "$h" "$n" > "$T/case/custody.head"
	(cd "$T/case" && find . -type f ! -path './.shodo/*' ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\./||' | sort |
		xargs sha256sum > SHA256SUMS)
	(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "attack setup"
}
for how in remove edit; do
	rm -rf "$T/case"; cp -a "$T/clean" "$T/case"
	if [ $how = remove ]; then sed -i '$d' "$T/case/custody.jsonl"; sed -i '$d' "$T/case/custody.jsonl"
	else sed -i '$s/"action":"acquire-end"/"action":"acquire-note"/' "$T/case/custody.jsonl"; fi
	refresh
	"$SHODO_BIN" verify "$T/case" --anchor "$head" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "$how: expected exit 1 with the anchor, got $rc"; }
	grep -q "custody does not contain the entry anchored as $head" "$T/err" || { cat "$T/err"; fail "$how: message"; }
	# signed: the signature no longer matches the refreshed SHA256SUMS
	expect_exit 1 shodo verify "$T/case" --pubkey "$T/pub.pem" >/dev/null 2>"$T/err"
	openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/case/SHA256SUMS.sig" "$T/case/SHA256SUMS" >/dev/null 2>&1 \
		&& fail "$how: openssl accepts the signature of a refreshed SHA256SUMS"
done
# a case that grew after the anchor was noted still verifies against it
rm -rf "$T/case"; cp -a "$T/clean" "$T/case"
shodo image "$T/src.img" --case "$T/case" --evidence B -q 2>/dev/null || fail "second image"
expect_exit 0 shodo verify "$T/case" --anchor "$head" >/dev/null
expect_exit 2 shodo verify "$T/case" --anchor nothex >/dev/null 2>&1
# every command that writes into a case ends by printing its new head: the
# one after its own custody entries (report, export and merge too)
check_head() { # CASE ERRFILE WHAT
	h=$(sed -n 's/^shodo: custody head: \([0-9a-f]\{64\}\) .*/\1/p' "$2" | tail -n 1)
	[ -n "$h" ] || { cat "$2"; fail "$3 does not print the custody head"; }
	[ "$(tail -n 1 "$1/custody.jsonl" | tr -d '\n' | sha256sum | cut -d' ' -f1)" = "$h" ] ||
		fail "$3 prints a head that is not the last custody line's sha256"
	expect_exit 0 shodo verify "$1" --anchor "$h" >/dev/null
}
"$HELPERS/fake_triage" "$T/case" WS042 1 || fail "fake_triage"
shodo report "$T/case" --no-pdf >/dev/null 2>"$T/rep.err" || { cat "$T/rep.err"; fail "report"; }
check_head "$T/case" "$T/rep.err" report
shodo export "$T/case" --to csv --output "$T/csv" >/dev/null 2>"$T/exp.err" || { cat "$T/exp.err"; fail "export"; }
check_head "$T/case" "$T/exp.err" export
shodo merge "$T/merged" "$T/case" --case-number C-1 --examiner tester >/dev/null 2>"$T/mrg.err" ||
	{ cat "$T/mrg.err"; fail "merge"; }
check_head "$T/merged" "$T/mrg.err" merge
src_unchanged "$T/src.img"
ok "the custody head anchors the chain: removed or edited tail entries are caught; every command prints it"
