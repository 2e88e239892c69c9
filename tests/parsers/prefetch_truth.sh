#!/bin/sh
# Every corpus prefetch file through `shodo parse --json`, compared with
# sccainfo's values: executable, hash, format, run count, the last run times
# (in file order), volume serials and the number of loaded files.  The
# negative sample must fail with no rows.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
need jq jq
mkdir -p "$T/out"
find "$CORPUS/prefetch" -type f -print0 |
	xargs -0 -n 50 sh -c 'o=$(mktemp "$0/batch.XXXXXX"); "$1" parse --json --category prefetch --tables prefetch "$@" > "$o" 2>/dev/null; [ $? -le 1 ]' "$T/out" "$SHODO_BIN" ||
	fail "shodo parse crashed on prefetch files"
python3 "$SHODO_TOP/tests/parsers/truth_check.py" prefetch "$CORPUS" "$T"/out/batch.* || fail "prefetch values differ from sccainfo"
echo "ok: every corpus prefetch file matches sccainfo"
# shodo's own decompressor and format 30/31 reader (used for format 31,
# which libscca refuses) against sccainfo on every compressed file
"$HELPERS/pf_selfdecode" $(find "$CORPUS/prefetch" -type f -name '*.pf' | tr '\n' ' ') > self.json 2>/dev/null ||
	fail "pf_selfdecode failed"
[ "$(jq '.files | length' self.json)" -ge 4 ] || fail "no compressed prefetch files decoded"
python3 "$SHODO_TOP/tests/parsers/truth_check.py" prefetch+subset "$CORPUS" self.json ||
	fail "shodo's own decoding of compressed prefetch differs from sccainfo"
ok "compressed prefetch decoded by shodo matches sccainfo"
# a compressed file cut short is refused at once with no rows, wherever it is
# cut, even a few bytes before its end (where libfwnt's decoder, see mam.c,
# reads past its input and reports full-length output)
pf=$(for f in $(find "$CORPUS/prefetch" -type f -name '*.pf' | sort); do
	[ "$(head -c 3 "$f")" = MAM ] && [ "$(stat -c %s "$f")" -gt 20000 ] && echo "$f" && break; done)
[ -n "$pf" ] || fail "no compressed prefetch file of 20 KB or more in the corpus"
size=$(stat -c %s "$pf")
for cut in 100 $((size / 3)) $((size / 2)) $((size - 512)) $((size - 8)); do
	head -c "$cut" "$pf" > cut.pf
	shodo parse --json --category prefetch --tables prefetch cut.pf > cut.json 2> cut.err; rc=$?
	[ $rc -eq 1 ] || fail "prefetch cut at $cut of $size bytes: exit $rc"
	[ "$(jq -r '.files[0].status' cut.json)" = failed ] || fail "cut at $cut: status $(jq -r '.files[0].status' cut.json)"
	jq -r '.files[0].message' cut.json | grep -q "compressed prefetch file damaged: compressed data truncated" ||
		fail "cut at $cut: $(jq -r '.files[0].message' cut.json)"
	[ "$(jq '.files[0].prefetch // [] | length' cut.json)" = 0 ] || fail "cut at $cut: rows from a truncated file"
done
ok "a compressed prefetch file cut at five places is refused as truncated, with no rows"
