#!/usr/bin/env python3
"""Compares shodo's EVTX reader with libevtx, record by record and field by
field, for one log.

usage: evtx_compare.py MINE.jsonl LIBEVTX.jsonl ITEMS.xml RECOVERED.xml [NAME]
       evtx_compare.py --batch LIST   (lines: NAME, MINE, LIBEVTX, ITEMS, RECOVERED, tab-separated)
  MINE.jsonl     `evtx_dump FILE` (shodo's reader)
  LIBEVTX.jsonl  `evtx_dump --libevtx FILE` (libevtx's record API)
  ITEMS.xml      `evtxexport -f xml -m items FILE` (allocated records)
  RECOVERED.xml  `evtxexport -f xml -m recovered FILE`

Against libevtx's API: record counts, recovered counts, and per record the
identifier, written time, event identifier, source name and computer name.
Against evtxexport's XML (the value-level truth): per record the event ID,
provider, channel, computer, TimeCreated, Security UserID, and every
EventData <Data Name=...> and UserData element value, in order.
Prints one JSON line {"file":..., "records":N, "fields":N, "mismatches":N,
"examples":[...]} and exits 1 on any mismatch.
"""
import json
import re
import sys




def load_jsonl(path):
    rows, summary = [], {}
    with open(path, encoding="utf-8", errors="surrogateescape") as fp:
        for line in fp:
            line = line.strip()
            if not line:
                continue
            o = json.loads(line)
            if "summary" in o:
                summary = o["summary"]
            else:
                rows.append(o)
    return rows, summary


TAG = re.compile(r'<(/?)([^\s/>="]+)((?:\s+[^\s/>="]+="[^"]*")*)\s*(/?)>')
ATTR = re.compile(r'([^\s/>="]+)="([^"]*)"')


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_event(block):
    """One evtxexport <Event> block -> dict of the fields compared."""
    ev = {"data": []}
    stack = []  # [name, attrs, text, has_children]
    pos = 0
    for m in TAG.finditer(block):
        text = block[pos:m.start()]
        pos = m.end()
        if stack:
            stack[-1][2] += text
        close, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if not close:
            a = {k: unescape(v) for k, v in ATTR.findall(attrs)}
            if stack:
                stack[-1][3] = True
            stack.append([name, a, "", False])
            if not empty:
                continue
        if not stack:
            raise ValueError("unbalanced")
        name, a, txt, kids = stack.pop()
        path = [s[0] for s in stack] + [name]
        # a leaf's text is the value as it is; a parent's is indentation
        txt = unescape(txt) if not kids else unescape(txt.strip())
        if len(path) == 3 and path[1] == "System":
            if name == "Provider":
                ev["provider"] = a.get("Name", a.get("EventSourceName", ""))
            elif name == "EventID":
                ev["event_id"] = int(txt) if txt.isdigit() else txt
            elif name == "EventRecordID":
                ev["event_record_id"] = int(txt) if txt.isdigit() else txt
            elif name == "TimeCreated":
                ev["time"] = a.get("SystemTime", "")
            elif name == "Channel":
                ev["channel"] = txt
            elif name == "Computer":
                ev["computer"] = txt
            elif name == "Security":
                ev["user"] = a.get("UserID", "")
        elif len(path) >= 3 and path[1] == "EventData":
            if name == "Data":
                ev["data"].append([a.get("Name", ""), txt, 1])
            elif not kids or txt:
                ev["data"].append([name, txt, 0])
        elif len(path) >= 4 and path[1] == "UserData":
            if not kids or txt:
                ev["data"].append([name, txt, 0])
    return ev


def load_xml(path):
    out = []
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fp:
        doc = fp.read()
    # one event per block; a block cut short (libevtx stops writing a record
    # at a name it cannot convert) is no reference for anything
    starts = [m.start() for m in re.finditer(r"^<Event[ >]", doc, re.M)]
    for i, st in enumerate(starts):
        block = doc[st:starts[i + 1] if i + 1 < len(starts) else len(doc)]
        end = block.find("</Event>")
        if end < 0:
            out.append(None)
            continue
        try:
            out.append(parse_event(block[:end + len("</Event>")]))
        except ValueError:
            out.append(None)
    return out



def compare(mine_path, lib_path, items_path, recov_path, name=None):
    mine, msum = load_jsonl(mine_path)
    lib, lsum = load_jsonl(lib_path)
    items = load_xml(items_path)
    recov = load_xml(recov_path)

    stats = {"file": name or mine_path, "records": 0, "fields": 0, "mismatches": 0, "examples": [], "refused_mine": 0,
             "refused_libevtx": 0}


    def bad(what, want, got):
        stats["mismatches"] += 1
        if len(stats["examples"]) < 8:
            stats["examples"].append("%s: libevtx %r, shodo %r" % (what, want, got))


    def check(what, want, got):
        stats["fields"] += 1
        if want != got:
            bad(what, want, got)


    libopen = lsum.get("open", 1) != 0
    if libopen:
        check("records", lsum.get("records"), msum.get("records"))
        check("recovered records", lsum.get("recovered"), msum.get("recovered"))

    for rec in (0, 1):
        m = [r for r in mine if r["recovered"] == rec]
        l = [r for r in lib if r["recovered"] == rec]
        x = items if rec == 0 else recov
        if libopen and len(m) != len(l):
            bad("%s list length" % ("recovered" if rec else "record"), len(l), len(m))
        for i, r in enumerate(m):
            stats["records"] += 1
            tag = "%s %d" % ("recovered" if rec else "record", i)
            if r["state"] != "ok":
                stats["refused_mine"] += 1
            if i < len(l) and libopen:
                lr = l[i]
                if lr.get("state") == "refused":
                    # libevtx cannot read it: nothing to compare with
                    stats["refused_libevtx"] += 1
                    continue
                check(tag + " identifier", lr.get("record"), r.get("record"))
                check(tag + " written", lr.get("written"), r.get("written"))
                if r["state"] == "ok":
                    check(tag + " event id (api)", lr.get("event_id"), r.get("event_id"))
                    check(tag + " source name (api)", lr.get("provider"), r.get("source") or r.get("provider"))
                    check(tag + " computer (api)", lr.get("computer"), r.get("computer"))
        # evtxexport lists the records whose XML libevtx could render, in list
        # order; when it skipped some, events are matched on EventRecordID
        ok_lib = [i for i, r in enumerate(l) if r.get("state") != "refused"] if libopen else []
        pairs = []
        if len(x) == len(ok_lib):
            pairs = list(zip(x, ok_lib))
        else:
            j = 0
            for ev in x:
                if ev is None:
                    continue
                while j < len(m) and (m[j].get("event_record_id") != ev.get("event_record_id")
                                      or m[j].get("time") != ev.get("time")):
                    j += 1
                if j == len(m):
                    bad("%s xml event %r not found" % ("recovered" if rec else "record", ev.get("event_record_id")),
                        "present", None)
                    break
                pairs.append((ev, j))
                j += 1
            stats["xml_skipped_by_libevtx"] = stats.get("xml_skipped_by_libevtx", 0) + len(ok_lib) - len(x)
        for ev, li in pairs:
            if ev is None or li >= len(m):
                continue
            r = m[li]
            tag = "%s %d" % ("recovered" if rec else "record", li)
            if r["state"] != "ok":
                bad(tag + " refused by shodo", "readable", r.get("why"))
                continue
            check(tag + " EventID", ev.get("event_id"), r.get("event_id"))
            check(tag + " EventRecordID", ev.get("event_record_id", 0), r.get("event_record_id"))
            check(tag + " Provider", ev.get("provider", ""), r.get("provider"))
            check(tag + " Channel", ev.get("channel", ""), r.get("channel"))
            check(tag + " Computer", ev.get("computer", ""), r.get("computer"))
            check(tag + " TimeCreated", ev.get("time", ""), r.get("time"))
            check(tag + " UserID", ev.get("user", ""), r.get("user"))
            check(tag + " data field count", len(ev["data"]), len(r["data"]))
            for k, (want, got) in enumerate(zip(ev["data"], r["data"])):
                # libevtx writes a value that is a single line feed as an empty
                # element (libfwevt: "consider it empty"); shodo keeps the data
                if want[1] == "" and got[1] == "\n":
                    want = [want[0], "\n", want[2]]
                check("%s data[%d] %s" % (tag, k, want[0]), want, got)

    return stats


if __name__ == "__main__":
    if sys.argv[1] == "--batch":
        # lines of NAME, MINE, LIBEVTX, ITEMS, RECOVERED separated by tabs
        worst = 0
        for line in open(sys.argv[2], encoding="utf-8"):
            n, m, l, i, r = line.rstrip("\n").split("\t")
            st = compare(m, l, i, r, n)
            print(json.dumps(st))
            worst |= 1 if st["mismatches"] else 0
        sys.exit(worst)
    st = compare(*sys.argv[1:5], sys.argv[5] if len(sys.argv) > 5 else None)
    print(json.dumps(st))
    sys.exit(1 if st["mismatches"] else 0)
