#!/bin/sh
# Every corpus registry hive through `shodo parse --json`, compared with
# regfexport/hivexget: SAM users and RIDs, SYSTEM computer name, current
# control set and time zone key name; the hives built to be unreadable
# (NotAHive, SAMBadHBinHeader, corrupted_system_hive) must fail cleanly.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
mkdir -p "$T/out"
find "$CORPUS/hives" -type f -print0 |
	xargs -0 -n 50 sh -c 'o=$(mktemp "$0/batch.XXXXXX"); "$1" parse --json --category registry --tables host,accounts,policy "$@" > "$o" 2>/dev/null; [ $? -le 1 ]' "$T/out" "$SHODO_BIN" ||
	fail "shodo parse crashed on a hive"
python3 "$SHODO_TOP/tests/parsers/truth_check.py" hives "$CORPUS" "$T"/out/batch.* || fail "hive values differ from regfexport/hivex"
ok "every corpus hive matches regfexport/hivex"
