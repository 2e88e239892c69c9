#!/bin/sh
# Every corpus prefetch file through `shodo parse --json`, compared with
# sccainfo's values: executable, hash, format, run count, the last run times
# (in file order), volume serials and the number of loaded files.  The
# negative sample must fail with no rows.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
mkdir -p "$T/out"
find "$CORPUS/prefetch" -type f -print0 |
	xargs -0 -n 50 sh -c 'o=$(mktemp "$0/batch.XXXXXX"); "$1" parse --json --category prefetch --tables prefetch "$@" > "$o" 2>/dev/null; [ $? -le 1 ]' "$T/out" "$SHODO_BIN" ||
	fail "shodo parse crashed on prefetch files"
python3 "$SHODO_TOP/tests/parsers/truth_check.py" prefetch "$CORPUS" "$T"/out/batch.* || fail "prefetch values differ from sccainfo"
ok "every corpus prefetch file matches sccainfo"
