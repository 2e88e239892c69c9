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
