#!/bin/sh
# Mistake: shodo verify DIR --pubkey KEY on a case that was never signed.
# It must say "no signature" (not "match") and exit 1.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null || fail "genpkey"
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem" 2>/dev/null || fail "pubout"
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence A -q || fail "image"
"$SHODO_BIN" verify "$T/case" --pubkey "$T/pub.pem" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "expected exit 1, got $rc"; }
grep -q "match" "$T/out" && { cat "$T/out"; fail "says match"; }
grep -q "no signature" "$T/out" || { cat "$T/out"; fail "does not say no signature"; }
grep -q "^shodo: verify: .*no signature" "$T/err" || { cat "$T/err"; fail "error line"; }
"$SHODO_BIN" verify "$T/case" --pubkey "$T/pub.pem" --json >"$T/v.json" 2>/dev/null
[ "$(jq -r .result "$T/v.json")" = "no signature" ] || fail "json result"
# an unreadable key is said as such
"$SHODO_BIN" image "$T/src.img" --case "$T/case2" --evidence A --sign-key "$T/key.pem" -q || fail "signed image"
echo junk > "$T/bad.pem"
"$SHODO_BIN" verify "$T/case2" --pubkey "$T/bad.pem" >/dev/null 2>"$T/err"
[ $? -eq 1 ] || [ $? -eq 3 ] || fail "bad key accepted"
grep -qi "key" "$T/err" || { cat "$T/err"; fail "a bad key is not named"; }
src_unchanged "$T/src.img"
ok "verify --pubkey without a signature says so"
