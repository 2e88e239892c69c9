# Every subcommand has a man page, and groff renders each without warnings
# (-k: run preconv first, as man(1) does, for the UTF-8 in shodo.1).
. "$SHODO_TOP/tests/lib/common.sh"
need groff groff-base
for c in shodo shodo-devices shodo-image shodo-verify shodo-triage shodo-report shodo-export shodo-merge; do
	[ -f "$SHODO_TOP/docs/$c.1" ] || fail "docs/$c.1 is missing"
done
for m in "$SHODO_TOP"/docs/*.1; do
	w=$(groff -k -man -ww -z -Tutf8 "$m" 2>&1)
	[ -z "$w" ] || fail "$(basename "$m"): $w"
done
ok "man pages"
