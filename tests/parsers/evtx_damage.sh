#!/bin/sh
# Normal is not a warning: a dirty log (Windows was running, the header not
# flushed), chunks past the header's count with good checksums and records
# recovered from slack are normal and graded OK with what they are said in
# the message; real damage (bits flipped in a chunk, a damaged file header,
# a log cut short) is a warning that names the chunks.  Record counts agree
# with libevtx's evtxinfo in every case libevtx can open.
. "$(dirname "$0")/../lib/common.sh"
need python3 python3
need jq jq
need evtxinfo libevtx-utils
# 3 chunks of 20 records
python3 - > recs.jsonl <<'PY'
import json
for i in range(60):
    print(json.dumps({"provider": "Microsoft-Windows-Security-Auditing", "id": 4624, "computer": "WS1",
                      "time": "2022-05-01T08:%02d:00Z" % i,
                      "data": [["TargetUserName", "s", "user%d" % i], ["LogonType", "u32", 3],
                               ["IpAddress", "s", "10.0.0.%d" % (i + 1)]]}))
PY
mk() { python3 "$SHODO_TOP/tests/parsers/mkevtx.py" "$@" < recs.jsonl || fail "mkevtx.py $*"; }
# edit FILE OFFSET PYEXPR...: byte edits, then the header CRC is recomputed unless --keep-crc
edit() {
	python3 - "$@" <<'PY' || fail "edit $*"
import struct, sys, zlib
f, edits = sys.argv[1], sys.argv[2:]
keep = "--keep-crc" in edits
b = bytearray(open(f, "rb").read())
for e in edits:
    if e == "--keep-crc":
        continue
    off, op = e.split(":", 1)
    off = int(off, 0)
    if op.startswith("u16="):
        struct.pack_into("<H", b, off, int(op[4:], 0))
    elif op.startswith("u32="):
        struct.pack_into("<I", b, off, int(op[4:], 0))
    elif op.startswith("u64="):
        struct.pack_into("<Q", b, off, int(op[4:], 0))
    elif op.startswith("xor="):
        b[off] ^= int(op[4:], 0)
    elif op.startswith("cut"):
        del b[off:]
if not keep:
    struct.pack_into("<I", b, 124, zlib.crc32(bytes(b[:120])))
open(f, "wb").write(bytes(b))
PY
}
# grade FILE STATUS PATTERN: shodo's grade and message; records as evtxinfo counts
grade() {
	f=$1 want=$2 pat=$3
	h=$(sha256 "$f")
	shodo parse --json --tables evtx_stats "$f" > "$f.json"
	[ "$(sha256 "$f")" = "$h" ] || fail "$f was changed"
	st=$(jq -r '.files[0].status' "$f.json") msg=$(jq -r '.files[0].message' "$f.json")
	[ "$st" = "$want" ] || fail "$f: graded $st, want $want: $msg"
	echo "$msg" | grep -Eq "$pat" || fail "$f: message does not say /$pat/: $msg"
	if evtxinfo "$f" > "$f.info" 2>&1; then
		r=$(sed -n 's/.*Number of records[^0-9]*\([0-9]*\).*/\1/p' "$f.info")
		rr=$(sed -n 's/.*Number of recovered records[^0-9]*\([0-9]*\).*/\1/p' "$f.info")
		[ "$(jq -r '.files[0].evtx_stats[0].records' "$f.json")" = "$r" ] || fail "$f: records differ from evtxinfo ($r)"
		[ "$(jq -r '.files[0].evtx_stats[0].recovered' "$f.json")" = "$rr" ] || fail "$f: recovered records differ from evtxinfo ($rr)"
	fi
	ok "$(basename "$f"): $st: $msg"
}
C=$((4096)) C1=$((4096 + 65536)) C2=$((4096 + 2 * 65536))

mk --per-chunk 20 clean.evtx
grade clean.evtx ok '^60 records$'

# dirty: header flag set, CRC good
mk --per-chunk 20 --dirty dirty.evtx
grade dirty.evtx ok 'not closed cleanly \(dirty\)'
[ "$(jq -r '.files[0].evtx_stats[0].dirty' dirty.evtx.json)" = 1 ] || fail "dirty not recorded"

# dirty and the last chunk past the header's count (not flushed): its
# records are the log's own, read as allocated (as libevtx does)
mk --per-chunk 20 --dirty --header-chunks 2 unflushed.evtx
grade unflushed.evtx ok "1 chunk past the header's count"
[ "$(jq -r '.files[0].evtx_stats[0].records' unflushed.evtx.json)" = 60 ] || fail "unflushed chunk's records not read"
shodo parse --json --tables logons unflushed.evtx | jq -e '[.files[0].logons[] | select(.target_user == "user59")] | length == 1' > /dev/null ||
	fail "the last record of the unflushed chunk is not a logon row"

# a closed log with an old chunk past its count: those records are recovered, counted apart
mk --per-chunk 20 --header-chunks 2 stale.evtx
grade stale.evtx ok "40 records, 20 recovered.*left from before"

# real damage: bits flipped in chunk 1's records (records checksum)
mk --per-chunk 20 flipped.evtx
edit flipped.evtx "$((C1 + 1200)):xor=0x10" "$((C1 + 1201)):xor=0x01"
grade flipped.evtx warning 'damaged chunk.*chunk 1([^0-9]|$)'
# a flipped bit in chunk 2's header (header checksum)
mk --per-chunk 20 hdrflip.evtx
edit hdrflip.evtx "$((C2 + 60)):xor=0x80"
grade hdrflip.evtx warning 'damaged chunk.*chunk 2([^0-9]|$)'
# chunk 0's signature gone: the chunk is damaged, the rest is read
mk --per-chunk 20 nosig.evtx
edit nosig.evtx "$((C + 0)):xor=0xff"
grade nosig.evtx warning 'chunk 0([^0-9]|$)'
# file header checksum damaged
mk --per-chunk 20 filehdr.evtx
edit filehdr.evtx --keep-crc "124:xor=0x01"
grade filehdr.evtx warning 'file header checksum mismatch'
# cut short in the middle of chunk 2
mk --per-chunk 20 cut.evtx
edit cut.evtx "$((C2 + 30000)):cut"
grade cut.evtx warning 'log truncated: 2 of 3 chunks present'
[ "$(jq -r '.files[0].evtx_stats[0].records' cut.evtx.json)" = 40 ] || fail "records of the chunks present not read"

# a real dirty log with a chunk past its count, and one with slack records
if [ -d "$CORPUS" ]; then
	grade "$CORPUS/evtx/deepbluecli/evtx/wmi-event-filter-persistance.evtx" ok "dirty.*1 chunk past the header's count"
	grade "$CORPUS/evtx/deepbluecli/evtx/Powershell-Invoke-Obfuscation-many.evtx" ok '302 records, 328 recovered'
fi
ok "dirty and recovered are info, damage is a warning naming the chunks"
