#!/bin/sh
# Mistake: signing with an Ed25519 key (or verifying with one) failed without
# a reason.  Ed25519 signs SHA256SUMS directly (openssl pkeyutl -verify
# -rawin agrees); RSA and ECDSA keep signing SHA-256 (openssl dgst -sha256
# -verify agrees).  A wrong key of the same kind is caught.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
"$HELPERS/mkdisk" 3M 5 > "$T/src.img"
src_hash "$T/src.img"
i=0
for alg in ED25519 EC RSA; do
	i=$((i + 1))
	case $alg in
	EC) o="-pkeyopt ec_paramgen_curve:P-256" ;;
	RSA) o="-pkeyopt rsa_keygen_bits:2048" ;;
	*) o="" ;;
	esac
	openssl genpkey -algorithm $alg $o -out "$T/$alg.key" 2>/dev/null || fail "genpkey $alg"
	openssl pkey -in "$T/$alg.key" -pubout -out "$T/$alg.pub" 2>/dev/null || fail "pubout $alg"
	openssl genpkey -algorithm $alg $o -out "$T/$alg.other" 2>/dev/null
	openssl pkey -in "$T/$alg.other" -pubout -out "$T/$alg.otherpub" 2>/dev/null
	c="$T/case-$alg"
	"$SHODO_BIN" image "$T/src.img" --case "$c" --evidence A --sign-key "$T/$alg.key" -q 2>"$T/err" \
		|| { rc=$?; cat "$T/err"; fail "$alg: image --sign-key: exit $rc"; }
	if [ $alg = ED25519 ]; then
		openssl pkeyutl -verify -rawin -pubin -inkey "$T/$alg.pub" -in "$c/SHA256SUMS" -sigfile "$c/SHA256SUMS.sig" >/dev/null \
			|| fail "$alg: openssl pkeyutl -verify -rawin does not accept the signature"
	else
		openssl dgst -sha256 -verify "$T/$alg.pub" -signature "$c/SHA256SUMS.sig" "$c/SHA256SUMS" >/dev/null \
			|| fail "$alg: openssl dgst -verify does not accept the signature"
	fi
	shodo verify "$c" --pubkey "$T/$alg.pub" --json > "$T/v.json" || fail "$alg: verify --pubkey: exit $?"
	[ "$(jq -r .signature "$T/v.json")" = good ] || fail "$alg: signature not good"
	expect_exit 1 shodo verify "$c" --pubkey "$T/$alg.otherpub" >/dev/null 2>&1
done
# triage signs the same way
src_unchanged "$T/src.img"
ok "Ed25519, ECDSA and RSA keys sign and verify"
