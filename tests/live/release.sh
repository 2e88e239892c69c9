# On the stick, /etc/shodo-release (written by live-image/build.sh) names the
# stick's shodo package, variant, Debian version and archive date: `shodo
# --version`, case.json, acquisition.json, the acquisition log and triage.log
# repeat it; without the file nothing of it appears.
. "$SHODO_TOP/tests/lib/common.sh"
need jq jq; need mkfs.ext4 e2fsprogs
cat > rel <<'REL'
SHODO_VERSION=0.1.0+git20250520.abcdef1
SHODO_LIVE_VARIANT=lite
DEBIAN_VERSION=12.11
DEBIAN_SNAPSHOT=2025-05-20T08:00:00Z, security 2025-05-19T22:00:00Z
BUILT=2025-05-20T09:00:00Z
PACKAGES=312 packages, /usr/share/shodo/live-packages.txt sha256 0123
REL
printf 'IGNORED=\033[31mx\nSHODO_LIVE_VARIANT=li\033[2Jte\n' >> rel
export SHODO_RELEASE_FILE="$T/rel"
shodo --version > v.txt || fail "shodo --version"
grep -q "running on: shodo stick 0.1.0+git20250520.abcdef1 (li \[2Jte), Debian 12.11, archive of 2025-05-20T08:00:00Z, security 2025-05-19T22:00:00Z" v.txt ||
	fail "shodo --version: $(cat v.txt)"
grep -q "packages: 312 packages" v.txt || fail "package list: $(cat v.txt)"
if grep -q "$(printf '\033')" v.txt; then fail "a control character from the release file reached the terminal"; fi
mkimg d.raw 4M && mkfs.ext4 -q -F d.raw >/dev/null 2>&1 || fail "mkfs.ext4"
shodo image d.raw --case c --evidence E1 -q || fail "shodo image"
jq -e '.versions.live.shodo == "0.1.0+git20250520.abcdef1" and .versions.live.debian_snapshot == "2025-05-20T08:00:00Z, security 2025-05-19T22:00:00Z"' \
	c/E1/image/acquisition.json >/dev/null || fail "acquisition.json: $(jq -c .versions c/E1/image/acquisition.json)"
jq -e '.versions.live.debian == "12.11"' c/case.json >/dev/null || fail "case.json"
grep -q "^Running on: *shodo stick 0.1.0+git20250520.abcdef1 (li \[2Jte), Debian 12.11, archive of 2025-05-20T08:00:00Z" c/E1/image/E1.E01.txt ||
	fail "acquisition log: $(head -n 5 c/E1/image/E1.E01.txt)"
shodo triage d.raw --case c --evidence E1 -q 2>/dev/null
grep -q "running on: shodo stick 0.1.0+git20250520.abcdef1" c/E1/triage/triage.log || fail "triage.log: $(head -n 3 c/E1/triage/triage.log)"
SHODO_RELEASE_FILE=$T/none shodo --version | grep -q "running on" && fail "--version without a release file"
SHODO_RELEASE_FILE=$T/none shodo image d.raw --case c2 --evidence E1 -q || fail "shodo image (no stick)"
jq -e '.versions | has("live") | not' c2/E1/image/acquisition.json >/dev/null || fail "versions.live without a stick"
ok "the stick's release is named by --version and every log"
