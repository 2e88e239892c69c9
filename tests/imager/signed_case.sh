#!/bin/sh
# --sign-key signs SHA256SUMS; shodo verify --pubkey checks it (and openssl
# agrees); a tampered case folder or a wrong key is caught with exit 1.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need openssl openssl
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null || fail "genpkey"
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem" 2>/dev/null || fail "pubout"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub" 2>/dev/null
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence S1 --sign-key "$T/key.pem" -q || fail "image --sign-key"
[ -f "$T/case/SHA256SUMS.sig" ] || fail "no SHA256SUMS.sig"
openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/case/SHA256SUMS.sig" "$T/case/SHA256SUMS" >/dev/null \
	|| fail "openssl does not accept the signature"
shodo verify "$T/case" --pubkey "$T/pub.pem" --json > "$T/v.json" || fail "verify --pubkey"
[ "$(jq -r .signature "$T/v.json")" = good ] || fail "signature not reported good"
expect_exit 1 shodo verify "$T/case" --pubkey "$T/other.pub" 2>/dev/null >/dev/null
# tamper with the log: SHA256SUMS catches it
chmod u+w "$T/case/S1/image/S1.E01.txt"; echo "edited" >> "$T/case/S1/image/S1.E01.txt"
expect_exit 1 shodo verify "$T/case" --pubkey "$T/pub.pem" 2>"$T/err" >/dev/null
grep -q "S1/image/S1.E01.txt" "$T/err" || { cat "$T/err"; fail "the tampered file is not named"; }
ok "signed case folder"
