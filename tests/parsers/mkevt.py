#!/usr/bin/env python3
"""Writes a small legacy Windows event log (.evt) with the records given as
JSON lines on stdin: {"id": 528, "source": "Security", "time": 1199145600,
"strings": ["alice", "WS1", ...], "type": 8}.

usage: mkevt.py OUT.evt < records.jsonl
The layout follows the libevt format notes: a 48-byte header, records with
"LfLe" signatures and a closing size, and the end-of-file record."""
import json
import struct
import sys


def u16z(s):
    return s.encode("utf-16-le") + b"\0\0"


recs = [json.loads(l) for l in sys.stdin if l.strip()]
body = b""
off = 0x30
for n, r in enumerate(recs, 1):
    head_len = 56
    names = u16z(r.get("source", "Security")) + u16z(r.get("computer", "XPBOX"))
    pad = (-(head_len + len(names))) % 4
    strings = b"".join(u16z(s) for s in r.get("strings", []))
    str_off = head_len + len(names) + pad
    data = b""
    data_off = str_off + len(strings)
    total = data_off + len(data)
    total += (-total) % 4
    total += 4
    eid = r["id"] | (r.get("sev", 0) << 30)
    rec = struct.pack("<I4sIIIIHHHHIIIIII", total, b"LfLe", n, r["time"], r["time"], eid, r.get("type", 8),
                      len(r.get("strings", [])), 0, 0, n, str_off, 0, 0, len(data), data_off)
    rec += names + b"\0" * pad + strings + data
    rec += b"\0" * (total - 4 - len(rec)) + struct.pack("<I", total)
    body += rec
eof_off = 0x30 + len(body)
last = len(recs) + 1
header = struct.pack("<I4sIIIIIIIIII", 0x30, b"LfLe", 1, 1, 0x30, eof_off, last, 1, 0x10000, 0, 0, 0x30)
eof = struct.pack("<IIIIIIIIII", 0x28, 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x30, eof_off, last, 1, 0x28)
out = header + body + eof
out += b"\0" * ((-len(out)) % 0x1000)
with open(sys.argv[1], "wb") as fp:
    fp.write(out)
