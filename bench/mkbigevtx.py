#!/usr/bin/env python3
"""Makes a large .evtx for memory and throughput measurements by repeating
the chunks of a real log: mkbigevtx.py SRC.evtx OUT.evtx SIZE_MB.
The file header's chunk count, last chunk number and checksum are rewritten;
the chunks themselves are copied unchanged (so record numbers repeat)."""
import struct
import sys
import zlib

src, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
head = bytearray(data[:4096])
nchunks = (len(data) - 4096) // 65536
chunks = [data[4096 + i * 65536: 4096 + (i + 1) * 65536] for i in range(nchunks)]
chunks = [c for c in chunks if len(c) == 65536 and c[:8] == b"ElfChnk\0"]
if not chunks:
    sys.exit("no chunks in " + src)
want = min(65535, mb * 1024 * 1024 // 65536)
struct.pack_into("<Q", head, 16, want - 1)      # last chunk number
struct.pack_into("<H", head, 42, want)          # number of chunks
struct.pack_into("<I", head, 124, zlib.crc32(bytes(head[:120])) & 0xffffffff)
with open(out, "wb") as fp:
    fp.write(head)
    for i in range(want):
        fp.write(chunks[i % len(chunks)])
