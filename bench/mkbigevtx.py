#!/usr/bin/env python3
"""Makes a large .evtx for memory and throughput measurements by repeating
the chunks of real logs: mkbigevtx.py SRC.evtx OUT.evtx SIZE_MB, or
mkbigevtx.py @LIST OUT.evtx SIZE_MB where LIST names several logs, one a
line: their chunks are taken in turn, so the events mix as in a busy log.
The file header's chunk count, last chunk number and checksum are rewritten;
the chunks themselves are copied unchanged (so record numbers repeat)."""
import struct
import sys
import zlib

src, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = [l.strip() for l in open(src[1:]) if l.strip()] if src.startswith("@") else [src]
head = None
chunks = []
for p in paths:
    data = open(p, "rb").read()
    if data[:8] != b"ElfFile\0":
        continue
    if head is None:
        head = bytearray(data[:4096])
    n = (len(data) - 4096) // 65536
    for i in range(n):
        c = data[4096 + i * 65536: 4096 + (i + 1) * 65536]
        if len(c) == 65536 and c[:8] == b"ElfChnk\0":
            chunks.append(c)
if not chunks:
    sys.exit("no chunks in " + src)
want = min(65535, max(1, mb * 1024 * 1024 // 65536))
struct.pack_into("<Q", head, 8, 0)               # first chunk number
struct.pack_into("<Q", head, 16, want - 1)      # last chunk number
struct.pack_into("<H", head, 42, want)          # number of chunks
struct.pack_into("<I", head, 120, 0)            # a clean log
struct.pack_into("<I", head, 124, zlib.crc32(bytes(head[:120])) & 0xffffffff)
with open(out, "wb") as fp:
    fp.write(head)
    for i in range(want):
        fp.write(chunks[i % len(chunks)])
