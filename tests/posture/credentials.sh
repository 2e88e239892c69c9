#!/bin/sh
# Shared local passwords across hosts, by keyed digest only.  Generated
# SAM/SYSTEM pairs (AES and RC4 schemes) that share and do not share a
# password; the digests must be HMAC-SHA256(case key, NT hash) of the hashes
# impacket's secretsdump recovers from the same hives (when installed), the
# fleet view must group exactly the hosts that share, and neither a hash nor
# a boot key may appear anywhere in the case folder.
. "$(dirname "$0")/../lib/common.sh"
need sqlite3 sqlite3
need openssl openssl
need od coreutils
need jq jq
need xxd xxd
# the peer that decrypts the same hives
need impacket-secretsdump python3-impacket
MKHIVE=$HELPERS/mkhive
MKSAM=$HELPERS/mksam
RUN=$HELPERS/posture_run
[ -x "$MKHIVE" ] && [ -x "$MKSAM" ] && [ -x "$RUN" ] || fail "test helpers not built"
W=Windows/System32/config

# host REV ID BOOTKEY USER...: a SYSTEM/SAM pair, triaged into the case
host() {
	rev=$1 id=$2 bk=$3; shift 3
	"$MKSAM" --rev "$rev" --bootkey "$bk" --computer "$id" --nt-out "$id.nt" "$id.sys" "$id.sam" "$@" ||
		fail "mksam $id"
	"$MKHIVE" "$id.SYSTEM" < "$id.sys" && "$MKHIVE" "$id.SAM" < "$id.sam" || fail "mkhive $id"
	"$RUN" case "$id" "registry:p1@1048576:$W/SYSTEM=$T/$id.SYSTEM" "registry:p1@1048576:$W/SAM=$T/$id.SAM" \
		2> "$id.log" || { cat "$id.log"; fail "posture_run $id"; }
}
host 2 PC01 00112233445566778899aabbccddeeff Administrator:500:Hosp1tal!2020:a Guest:501::d alice:1001:Tulip-77
host 1 PC02 0f1e2d3c4b5a69788796a5b4c3d2e1f0 Administrator:500:Hosp1tal!2020:a Guest:501::d bob:1001:Daisy-12
host 2 SRV01 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf Administrator:500:Serv3rs#Only:a Guest:501::d svc:1002:Hosp1tal!2020:a
host 2 SRV02 b0b1b2b3b4b5b6b7b8b9babbbcbdbebf Administrator:500:Serv3rs#Only:a Guest:501::d
host 1 PC03 c0c1c2c3c4c5c6c7c8c9cacbcccdcecf Administrator:500:Unique-PC03:a Guest:501::d carol:1001::

# ---- the case key ----
K=case/.shodo/credential.key
[ -f "$K" ] || fail "no case key at $K"
[ "$(stat -c %a "$K")" = 600 ] || fail "case key mode $(stat -c %a "$K"), want 600"
[ "$(stat -c %s "$K")" = 32 ] || fail "case key is not 32 bytes"
[ "$(stat -c %a case/.shodo)" = 700 ] || fail ".shodo mode $(stat -c %a case/.shodo)"
key=$(od -An -tx1 -v "$K" | tr -d ' \n')
ids=$(for h in PC01 PC02 SRV01 SRV02 PC03; do sqlite3 case/$h/triage/triage.db "SELECT DISTINCT key_id FROM credential_digests"; done | sort -u)
[ "$(echo "$ids" | wc -l)" = 1 ] || fail "hosts of one case use different case keys: $ids"
ok "the case key"

# ---- every digest is HMAC-SHA256(case key, NT hash) of the generated hash ----
hmac() { printf '%s' "$1" | xxd -r -p | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" | awk '{print $NF}'; }
n=0
for h in PC01 PC02 SRV01 SRV02 PC03; do
	while IFS=: read -r name rid nt; do
		got=$(sqlite3 case/$h/triage/triage.db "SELECT digest FROM credential_digests WHERE rid = $rid")
		[ "$got" = "$(hmac "$nt")" ] || fail "$h $name: digest is not HMAC(case key, NT hash)"
		n=$((n + 1))
	done < "$h.nt"
done
ok "$n digests equal HMAC-SHA256(case key, NT hash) for RC4 and AES SAMs"

# ---- the fleet view groups exactly the hosts that share ----
"$RUN" --fleet case > fleet.json || fail "fleet"
jq -e 'length == 3' fleet.json >/dev/null || { cat fleet.json; fail "expected 3 shared-password groups"; }
jq -e '.[] | select(.hosts == ["PC01","PC02","SRV01"]) | select(.account == "Administrator" and .rid == 500)
	| select([.members[] | "\(.evidence):\(.account)"] == ["PC01:Administrator","PC02:Administrator","SRV01:svc"])
	| select(.blank == false and .count == 3)' fleet.json >/dev/null ||
	{ cat fleet.json; fail "clients' Administrator password group wrong"; }
jq -e '.[] | select(.hosts == ["SRV01","SRV02"] and .account == "Administrator" and .blank == false)' fleet.json >/dev/null ||
	{ cat fleet.json; fail "servers' Administrator password group wrong"; }
jq -e '.[] | select(.blank == true and .count == 5)' fleet.json >/dev/null || { cat fleet.json; fail "blank Guest group"; }
jq -e '[.[] | .members[] | select(.evidence == "PC03" and .account == "Administrator")] | length == 0' fleet.json >/dev/null ||
	fail "PC03 unique Administrator password grouped with others"
ok "fleet view: shared groups exactly as generated"
# and the case report says so
shodo report case > /dev/null 2> report.err || { cat report.err; fail "shodo report"; }
grep -q 'PC01, PC02, SRV01' case/summary.txt || { cat case/summary.txt; fail "summary.txt lacks the shared password group"; }
grep -q 'SRV01, SRV02' case/summary.txt || fail "summary.txt lacks the servers' shared password"
ok "the case summary names the shared groups"

# ---- blank password findings ----
grep -q '^high,accounts,enabled accounts with a blank password,carol,' case/PC03/triage/posture.csv ||
	fail "carol's blank password not flagged"
grep -q '^info,accounts,disabled accounts with a blank password,Guest,' case/PC01/triage/posture.csv ||
	fail "disabled Guest blank password"
grep -q '^medium,accounts,several local accounts share one password' case/PC01/triage/posture.csv &&
	fail "PC01 has no shared password between its own accounts"
"$MKSAM" --rev 2 twin.sys twin.sam Administrator:500:Same1:a helpdesk:1001:Same1:a > /dev/null &&
	"$MKHIVE" twin.SYSTEM < twin.sys && "$MKHIVE" twin.SAM < twin.sam || fail "twin hives"
"$RUN" case2 TWIN "registry:p1:$W/SYSTEM=$T/twin.SYSTEM" "registry:p1:$W/SAM=$T/twin.SAM" 2>/dev/null || fail "twin run"
grep -q '^medium,accounts,several local accounts share one password,"Administrator, helpdesk",' case2/TWIN/triage/posture.csv ||
	fail "two accounts with one password on a host not flagged"

# ---- no hash and no boot key anywhere in the case folder ----
secrets=$(cat *.nt | cut -d: -f3 | sort -u; echo 00112233445566778899aabbccddeeff 0f1e2d3c4b5a69788796a5b4c3d2e1f0 \
	a0a1a2a3a4a5a6a7a8a9aaabacadaeaf b0b1b2b3b4b5b6b7b8b9babbbcbdbebf c0c1c2c3c4c5c6c7c8c9cacbcccdcecf)
find case case2 -type f ! -path '*/.shodo/*' > files.lst
[ -s files.lst ] || fail "case folder empty"
while read -r f; do
	od -An -tx1 -v "$f" | tr -d ' \n' > hex.tmp
	tr 'A-F' 'a-f' < "$f" > text.tmp 2>/dev/null
	for s in $secrets; do
		grep -q "$s" hex.tmp && fail "the bytes of a hash or boot key ($s) are in $f"
		grep -qai "$s" text.tmp && fail "the hex of a hash or boot key ($s) is in $f"
	done
done < files.lst
ok "no NT hash or boot key (raw or hex) in $(wc -l < files.lst) case files"

# ---- a peer tool decrypts the same hives to the same hashes ----
for h in PC01 PC02 SRV01; do
	PATH=/usr/bin:/bin:$PATH impacket-secretsdump -sam "$h.SAM" -system "$h.SYSTEM" LOCAL > "$h.dump" 2>&1 ||
		fail "secretsdump $h"
	while IFS=: read -r name rid nt; do
		grep -q "^$name:$rid:[0-9a-f]*:$nt:" "$h.dump" || fail "secretsdump disagrees with the generator for $h $name"
	done < "$h.nt"
done
ok "secretsdump recovers the generated hashes"
if [ -d "$CORPUS/hives/przetom" ]; then
	S=$CORPUS/hives/przetom
	"$RUN" case3 PRZ "registry:v:$W/SYSTEM=$S/SYSTEM" "registry:v:$W/SAM=$S/SAM" 2>/dev/null || fail "przetom"
	PATH=/usr/bin:/bin:$PATH impacket-secretsdump -sam "$S/SAM" -system "$S/SYSTEM" LOCAL > prz.dump 2>&1 ||
		fail "secretsdump przetom"
	key=$(od -An -tx1 -v case3/.shodo/credential.key | tr -d ' \n')
	m=0
	grep -E '^[^:]+:[0-9]+:[0-9a-f]{32}:[0-9a-f]{32}:::$' prz.dump > prz.rows
	while IFS=: read -r name rid lm nt rest; do
		got=$(sqlite3 case3/PRZ/triage/triage.db "SELECT digest FROM credential_digests WHERE rid = $rid")
		[ "$got" = "$(hmac "$nt")" ] || fail "przetom $name: digest does not match secretsdump's NT hash"
		m=$((m + 1))
	done < prz.rows
	[ "$m" -ge 4 ] || fail "przetom: only $m accounts compared"
	grep -q '^high,accounts,enabled accounts with a blank password,Administrator,' case3/PRZ/triage/posture.csv ||
		fail "przetom: blank Administrator password (secretsdump shows 31d6...) not flagged"
	ok "real SAM/SYSTEM pair (przetom): $m digests match secretsdump's hashes"
else
	skip_part "corpus not found at $CORPUS: the real SAM/SYSTEM pair (przetom) was not compared"
fi
exit 0
