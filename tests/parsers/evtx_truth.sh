#!/bin/sh
# Every corpus event log through `shodo parse --json`, compared with the
# truth measured by evtxinfo/evtxexport: record and recovered-record counts,
# provider-qualified key event counts, logon types 3/10 and the event-ID
# histogram.  The logs that no peer decodes must still report their records.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need python3 python3
mkdir -p "$T/out"
# batches of files per process, two processes at a time
(cd "$CORPUS" && find "$CORPUS/evtx" -name '*.evtx' -print0) |
	xargs -0 -n 40 -P 2 sh -c 'o=$(mktemp "$0/batch.XXXXXX"); "$1" parse --json --tables evtx_stats,event_counts,logons "$@" > "$o" 2>/dev/null; rc=$?; [ $rc -le 1 ] || { echo "shodo parse exit $rc" >&2; exit 1; }' "$T/out" "$SHODO_BIN" ||
	fail "shodo parse crashed on a batch of event logs"
python3 "$SHODO_TOP/tests/parsers/truth_check.py" evtx "$CORPUS" "$T"/out/batch.* || fail "event logs differ from truth"
ok "every corpus event log matches evtxinfo/evtxexport"
