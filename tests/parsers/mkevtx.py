#!/usr/bin/env python3
"""Writes a Windows XML event log (.evtx) with the records given as JSON
lines on stdin, for tests that need records nobody could find in the wild
(hostile values, unusual binary XML):

  {"provider": "Microsoft-Windows-Security-Auditing", "id": 4625,
   "time": "2021-10-23T21:50:11.6665197Z", "channel": "Security",
   "computer": "FS03", "user": "S-1-5-18",
   "data": [["TargetUserName", "s", "bob"], ["LogonType", "u32", 3], ...],
   "userdata": ["LogFileCleared", [["SubjectUserName", "s", "alice"], ...]],
   "pi": true}

Value types: s (UTF-16 string), u8 u16 u32 u64 i32 hex32 hex64 bool, sid,
guid, ft (FILETIME, ISO text or number), bin (hex text), sa (string array),
null.  "pi": true puts a processing instruction into the record's template
(valid binary XML that Windows never writes).

usage: mkevtx.py [--dirty] [--per-chunk N] [--header-chunks N] OUT.evtx < records.jsonl

Layout (libevtx's "Windows XML Event Log (EVTX)" notes): a 4 KiB file
header, 64 KiB chunks with their CRC32s, records with "**" signatures and a
closing size; every record is one template instance whose definition is
written inline at its first use in a chunk, with names inline as well."""
import datetime
import json
import struct
import sys
import zlib

CHUNK = 65536
TYPES = {"null": 0x00, "s": 0x01, "i8": 0x03, "u8": 0x04, "i16": 0x05, "u16": 0x06, "i32": 0x07, "u32": 0x08,
         "i64": 0x09, "u64": 0x0a, "bool": 0x0d, "bin": 0x0e, "guid": 0x0f, "ft": 0x11, "sid": 0x13,
         "hex32": 0x14, "hex64": 0x15, "sa": 0x81}


def filetime(v):
    if isinstance(v, int):
        return v
    frac = 0
    if "." in v:
        base, f = v.rstrip("Z").split(".")
        frac = int((f + "0000000")[:7])
    else:
        base = v.rstrip("Z")
    t = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 10000000 + 116444736000000000 + frac


def encode(kind, v):
    t = TYPES[kind]
    if kind == "null":
        return t, b""
    if kind == "s":
        return t, v.encode("utf-16-le")
    if kind == "sa":
        return t, b"".join(x.encode("utf-16-le") + b"\0\0" for x in v)
    if kind in ("i8", "u8"):
        return t, struct.pack("<b" if kind == "i8" else "<B", v)
    if kind in ("i16", "u16"):
        return t, struct.pack("<h" if kind == "i16" else "<H", v)
    if kind in ("i32", "u32", "hex32", "bool"):
        return t, struct.pack("<i" if kind == "i32" else "<I", int(v))
    if kind in ("i64", "u64", "hex64"):
        return t, struct.pack("<q" if kind == "i64" else "<Q", v)
    if kind == "ft":
        return t, struct.pack("<Q", filetime(v))
    if kind == "bin":
        return t, bytes.fromhex(v)
    if kind == "guid":
        h = v.strip("{}").replace("-", "")
        b = bytes.fromhex(h)
        return t, b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:]
    if kind == "sid":
        p = v.split("-")
        rev, auth, subs = int(p[1]), int(p[2]), [int(x) for x in p[3:]]
        return t, struct.pack("<BB", rev, len(subs)) + auth.to_bytes(6, "big") + b"".join(
            struct.pack("<I", s) for s in subs)
    raise ValueError(kind)


class BinXml:
    """Binary XML written at a known chunk offset (names are inline: their
    offset is the position right after the offset field)."""

    def __init__(self, base):
        self.b = bytearray()
        self.base = base

    def pos(self):
        return self.base + len(self.b)

    def u8(self, v):
        self.b += struct.pack("<B", v)

    def u16(self, v):
        self.b += struct.pack("<H", v)

    def u32(self, v):
        self.b += struct.pack("<I", v)

    def name(self, s):
        self.u32(self.pos() + 4)
        self.u32(0)
        self.u16(0)
        self.u16(len(s))
        self.b += s.encode("utf-16-le") + b"\0\0"

    def value(self, v):
        if v[0] == "text":
            self.u8(0x05)
            self.u8(0x01)
            self.u16(len(v[1]))
            self.b += v[1].encode("utf-16-le")
        else:  # ("sub", index, type, optional)
            self.u8(0x0e if v[3] else 0x0d)
            self.u16(v[1])
            self.u8(v[2])

    def element(self, name, attrs=(), content=None):
        self.u8(0x41 if attrs else 0x01)
        self.u16(0xffff)
        size_at = len(self.b)
        self.u32(0)
        self.name(name)
        if attrs:
            al_at = len(self.b)
            self.u32(0)
            a0 = len(self.b)
            for i, (an, av) in enumerate(attrs):
                self.u8(0x46 if i < len(attrs) - 1 else 0x06)
                self.name(an)
                self.value(av)
            struct.pack_into("<I", self.b, al_at, len(self.b) - a0)
        if content is None:
            self.u8(0x03)
        else:
            self.u8(0x02)
            content()
            self.u8(0x04)
        struct.pack_into("<I", self.b, size_at, len(self.b) - size_at - 4)

    def pi(self, target, data):
        self.u8(0x0a)
        self.name(target)
        self.u8(0x0b)
        self.u16(len(data))
        self.b += data.encode("utf-16-le")


def template_shape(r):
    data = tuple((n, k) for n, k, _ in r.get("data", []))
    ud = r.get("userdata")
    uds = (ud[0], tuple((n, k) for n, k, _ in ud[1])) if ud else None
    return (data, uds, bool(r.get("pi")), "user" in r)


def write_template(x, shape):
    data, uds, pi, has_user = shape
    n0 = 7  # provider, id, time, record id, channel, computer, user

    def sysc():
        x.element("Provider", [("Name", ("sub", 0, 0x01, False))])
        x.element("EventID", content=lambda: x.value(("sub", 1, 0x06, False)))
        x.element("TimeCreated", [("SystemTime", ("sub", 2, 0x11, False))])
        x.element("EventRecordID", content=lambda: x.value(("sub", 3, 0x0a, False)))
        x.element("Channel", content=lambda: x.value(("sub", 4, 0x01, False)))
        x.element("Computer", content=lambda: x.value(("sub", 5, 0x01, False)))
        x.element("Security", [("UserID", ("sub", 6, 0x13, True))])

    def evd():
        for i, (n, k) in enumerate(data):
            x.element("Data", [("Name", ("text", n))], lambda i=i, k=k: x.value(("sub", n0 + i, TYPES[k], False)))
        if pi:
            x.pi("shodo-test", "a processing instruction")

    def usd():
        base = n0 + len(data)

        def inner():
            for i, (n, k) in enumerate(uds[1]):
                x.element(n, content=lambda i=i, k=k: x.value(("sub", base + i, TYPES[k], False)))
        x.element(uds[0], [("xmlns", ("text", "http://manifests.microsoft.com/win/2004/08/windows/eventlog"))],
                  inner)

    def ev():
        x.element("System", content=sysc)
        if data or pi:
            x.element("EventData", content=evd)
        if uds:
            x.element("UserData", content=usd)
    x.u8(0x0f)
    x.u8(1)
    x.u8(1)
    x.u8(0)
    x.element("Event", [("xmlns", ("text", "http://schemas.microsoft.com/win/2004/08/events/event"))], ev)
    x.u8(0x00)


class Chunk:
    def __init__(self):
        self.b = bytearray(CHUNK)
        self.off = 512
        self.templates = {}
        self.first = self.last = None
        self.last_off = 512

    def add(self, r, recno):
        shape = template_shape(r)
        base = self.off + 24
        x = BinXml(base)
        x.u8(0x0f)
        x.u8(1)
        x.u8(1)
        x.u8(0)
        x.u8(0x0c)
        x.u8(1)
        x.u32(len(self.templates) + 1)
        if shape in self.templates:
            x.u32(self.templates[shape])
        else:
            here = x.pos() + 4
            x.u32(here)
            self.templates[shape] = here
            x.u32(0)
            x.b += bytes(range(16))
            size_at = len(x.b)
            x.u32(0)
            d0 = len(x.b)
            write_template(x, shape)
            struct.pack_into("<I", x.b, size_at, len(x.b) - d0)
        t = filetime(r.get("time", "2021-01-01T00:00:00Z"))
        vals = [("s", r["provider"]), ("u16", r["id"]), ("ft", t), ("u64", recno),
                ("s", r.get("channel", "Security")), ("s", r.get("computer", "HOST"))]
        vals.append(("sid", r["user"]) if "user" in r else ("null", None))
        vals += [(k, v) for _, k, v in r.get("data", [])]
        if r.get("userdata"):
            vals += [(k, v) for _, k, v in r["userdata"][1]]
        enc = [encode(k, v) for k, v in vals]
        x.u32(len(enc))
        for t_, blob in enc:
            x.u16(len(blob))
            x.u8(t_)
            x.u8(0)
        for _, blob in enc:
            x.b += blob
        x.u8(0x00)
        x.b += bytes((-(len(x.b) + 28)) % 8)
        size = len(x.b) + 28
        if self.off + size > CHUNK - 4:
            return False
        rec = struct.pack("<4sIQQ", b"**\0\0", size, recno, t) + bytes(x.b) + struct.pack("<I", size)
        self.b[self.off:self.off + size] = rec
        self.last_off = self.off
        self.off += size
        if self.first is None:
            self.first = recno
        self.last = recno
        return True

    def finish(self):
        c = self.b
        c[0:8] = b"ElfChnk\0"
        struct.pack_into("<QQQQIII", c, 8, self.first, self.last, self.first, self.last, 128, self.last_off,
                         self.off)
        struct.pack_into("<I", c, 52, zlib.crc32(bytes(c[512:self.off])))
        struct.pack_into("<I", c, 124, zlib.crc32(bytes(c[0:120]) + bytes(c[128:512])))
        return bytes(c)


def main():
    args = sys.argv[1:]
    dirty, per_chunk, header_chunks = False, 10 ** 9, None
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--dirty":
            dirty = True
        elif a == "--per-chunk":
            per_chunk = int(args.pop(0))
        elif a == "--header-chunks":
            header_chunks = int(args.pop(0))
    out = args[0]
    recs = [json.loads(l) for l in sys.stdin if l.strip()]
    chunks, cur, n = [], Chunk(), 0
    for i, r in enumerate(recs, 1):
        if n >= per_chunk or not cur.add(r, r.get("record", i)):
            chunks.append(cur.finish())
            cur, n = Chunk(), 0
            if not cur.add(r, r.get("record", i)):
                sys.exit("record %d does not fit in a chunk" % i)
        n += 1
    chunks.append(cur.finish())
    h = bytearray(4096)
    nch = len(chunks) if header_chunks is None else header_chunks
    struct.pack_into("<8sQQQIHHHH", h, 0, b"ElfFile\0", 0, max(nch - 1, 0), len(recs) + 1, 128, 1, 3, 4096, nch)
    struct.pack_into("<I", h, 120, 1 if dirty else 0)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
    with open(out, "wb") as fp:
        fp.write(bytes(h))
        for c in chunks:
            fp.write(c)


main()
