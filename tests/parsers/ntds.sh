#!/bin/sh
# ntds.dit: no Active Directory database can be made on this system (no ESE
# writer) and none is in the corpus, so this checks robustness only: random
# bytes, an ESE signature over zeros and a truncated header each fail with
# a clear message and exit 1, never a crash; other files are unaffected.
. "$(dirname "$0")/../lib/common.sh"
need jq jq
mkdir -p a b c
head -c 70000 /dev/urandom > a/ntds.dit
{ printf '\0\0\0\0\357\315\253\211'; head -c 65536 /dev/zero; } > b/ntds.dit
printf '\0\0\0\0\357\315\253\211\1\2' > c/ntds.dit
shodo parse --json a/ntds.dit b/ntds.dit c/ntds.dit > out.json; rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1"
[ "$(jq -r '[.files[] | .parser + ":" + .status] | join(",")' out.json)" = "ntds:failed,ntds:failed,ntds:failed" ] ||
	fail "grades: $(jq -c '[.files[] | [.parser, .status, .message]]' out.json)"
jq -r '.files[].message' out.json | grep -qv 'ESE database' && fail "unclear message: $(jq -r '.files[].message' out.json)"
[ "$(jq -r '[.files[] | .accounts // [] | length] | add' out.json)" = 0 ] || fail "rows from garbage"
# the same through a directory walk: every file found, each graded
mkdir walk; mv a b c walk/
shodo parse --json walk > walk.json; rc=$?
[ $rc = 1 ] || fail "directory walk: exit $rc"
[ "$(jq -r '[.files[].file] | join(" ")' walk.json)" = "walk/a/ntds.dit walk/b/ntds.dit walk/c/ntds.dit" ] ||
	fail "directory walk: $(jq -c '[.files[].file]' walk.json)"
ok "hostile ntds.dit inputs fail cleanly"
