#!/usr/bin/env python3
"""bench/notes_disk.py — the data side of bench/notes.sh.

  notes_disk.py benign OUT [MAX_FILES] [MAX_MB]
      gathers benign text of this machine into OUT/<n>/<name>: licences,
      /usr/share/doc (READMEs, copyright files, change logs, HTML help, all
      decompressed), manual pages rendered to text, Python packages' text
      files, /etc; prints the count and the bytes.
  notes_disk.py place CORPUS BENIGN ROOT PLAN
      writes a Windows-like tree under ROOT: every ransom note of the corpus
      once, under its real name ([id]/[rand] placeholders filled with a random
      token), in a place where users and ransomware write; the benign files
      under their own names in Program Files, ProgramData and users'
      Documents; and two benign files under each note's name (same-named
      files); PLAN gets one line per placed file: kind, family, split, path.
  notes_disk.py score PLAN DB
      reads the triage store and prints recall (tuned and held-apart
      families) and false positives (all benign files, and those under note
      names).

Held-apart families: sha256("apart:" + family) mod 4 == 0.  The detector's
tables and weights are not tuned on them; bench/notes.sh reports them apart.
"""
import gzip, hashlib, json, os, random, re, sqlite3, subprocess, sys


def apart(family):
    return int(hashlib.sha256(("apart:" + family).encode()).hexdigest(), 16) % 4 == 0


def is_text(b):
    if not b:
        return False
    if b[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return b"\0" not in b[:8192]


def benign(out, max_files=6000, max_mb=60):
    os.makedirs(out, exist_ok=True)
    n = 0
    total = 0
    seen = set()

    def add(name, data):
        nonlocal n, total
        if n >= max_files or total + len(data) > max_mb << 20:
            return False
        if not is_text(data) or len(data) > 1 << 20 or len(data) < 16:
            return True
        h = hashlib.sha256(data).digest()
        if h in seen:
            return True
        seen.add(h)
        n += 1
        d = os.path.join(out, str(n))
        os.makedirs(d)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        total += len(data)
        return True

    def files(top, pred=lambda p: True):
        for dp, dn, fn in sorted(os.walk(top)):
            dn.sort()
            for f in sorted(fn):
                p = os.path.join(dp, f)
                if os.path.isfile(p) and not os.path.islink(p) and pred(p):
                    yield p

    def read(p):
        try:
            if p.endswith(".gz"):
                with gzip.open(p) as f:
                    return f.read(1 << 20 | 1)
            with open(p, "rb") as f:
                return f.read(1 << 20 | 1)
        except (OSError, EOFError, gzip.BadGzipFile):
            return b""

    srcs = []
    srcs += list(files("/usr/share/common-licenses"))
    srcs += list(files("/usr/share/doc"))
    for p in srcs:
        name = os.path.basename(p)
        if name.endswith(".gz"):
            name = name[:-3]
        if not add(name, read(p)):
            break
    # manual pages rendered as a reader sees them
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    pages = []
    for sec in ("man1", "man5", "man8"):
        d = "/usr/share/man/" + sec
        if os.path.isdir(d):
            pages += sorted(os.path.join(d, f) for f in os.listdir(d))
    for p in pages[::max(1, len(pages) // 500)][:500]:
        try:
            r = subprocess.run(["man", "-l", p], env=env, capture_output=True, timeout=20)
            txt = subprocess.run(["col", "-bx"], input=r.stdout, capture_output=True, timeout=20).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        base = os.path.basename(p)
        base = re.sub(r"\.gz$", "", base)
        if not add(base + ".txt", txt):
            break
    for p in files("/usr/lib/python3/dist-packages",
                   lambda p: p.endswith((".txt", ".md", ".rst", ".html", ".htm"))):
        if not add(os.path.basename(p), read(p)):
            break
    for p in files("/etc"):
        if not add(os.path.basename(p), read(p)):
            break
    print(n, total)


def rtoken(rng, n=8):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789") for _ in range(n))


def place(corpus, ben, root, plan):
    rng = random.Random(13)
    rows = [json.loads(l) for l in open(os.path.join(corpus, "truth", "ransom_notes.jsonl"))]
    users = ["alice", "bob", "Public"]
    note_places = ["Users/{u}/Desktop", "Users/{u}/Documents", "Users/{u}/Documents/Projects",
                   "Users/{u}/Downloads", "Users/Public/Desktop", "Users/Public/Documents", "ProgramData",
                   "", "Shares/Finance", "Shares/HR/2024"]
    out = open(plan, "w")
    names = []
    used = set()
    for i, r in enumerate(sorted(rows, key=lambda r: r["path"])):
        name = r["file_name"]
        name = re.sub(r"\[(id|rand|[A-Za-z_ -]+)\]", lambda m: rtoken(rng), name)
        d = rng.choice(note_places).format(u=rng.choice(users))
        # one note per folder so that no two placed files share a path
        rel = os.path.join(d, "n%03d" % i, name) if (d, name) in used else os.path.join(d, name)
        used.add((d, name))
        dst = os.path.join(root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(os.path.join(corpus, r["path"]), "rb") as f, open(dst, "wb") as g:
            g.write(f.read())
        out.write("note\t%s\t%s\t%s\n" % (r["family"], "apart" if apart(r["family"]) else "tuned", rel))
        names.append(name)
    bens = []
    for d in sorted(os.listdir(ben), key=int):
        for f in os.listdir(os.path.join(ben, d)):
            bens.append(os.path.join(ben, d, f))
    ben_places = ["Program Files/{p}", "Program Files (x86)/{p}", "ProgramData/{p}", "Users/alice/Documents/{p}",
                  "Users/bob/AppData/Roaming/{p}", "Users/Public/Documents/{p}"]
    for i, p in enumerate(bens):
        d = rng.choice(ben_places).format(p="pkg%04d" % i)
        rel = os.path.join(d, os.path.basename(p))
        dst = os.path.join(root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(p, "rb") as f, open(dst, "wb") as g:
            g.write(f.read())
        out.write("benign\t-\t-\t%s\n" % rel)
    # same-named: two benign files under each note's name
    for i, name in enumerate(names):
        for k in range(2):
            p = bens[(i * 2 + k) * 7 % len(bens)]
            d = rng.choice(ben_places).format(p="same%03d_%d" % (i, k))
            rel = os.path.join(d, name)
            dst = os.path.join(root, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(p, "rb") as f, open(dst, "wb") as g:
                g.write(f.read())
            out.write("benign-same-name\t-\t-\t%s\n" % rel)
    out.close()


def score(plan, db):
    con = sqlite3.connect(db)
    notes = set(r[0] for r in con.execute("SELECT path FROM files WHERE category = 'ransom_note'"))
    fam = {}
    for p, f in con.execute("SELECT f.path, n.family FROM files f JOIN ransom_notes n ON f.extracted = n.source"
                            " WHERE f.category = 'ransom_note'"):
        fam[p] = f
    parsed = set(r[0] for r in con.execute("SELECT path FROM ransom_notes"))
    c = {}
    miss = []
    fps = []
    for line in open(plan):
        kind, family, split, rel = line.rstrip("\n").split("\t")
        key = kind if kind != "note" else "note-" + split
        t = c.setdefault(key, [0, 0])
        t[0] += 1
        if rel in notes:
            t[1] += 1
            if kind != "note":
                fps.append(rel)
        elif kind == "note":
            miss.append((split, family, rel))
    def rate(k):
        t = c.get(k, [0, 0])
        return t[1], t[0], (t[1] / t[0] if t[0] else 0.0)
    a = rate("note-tuned"); b = rate("note-apart")
    tot = (a[0] + b[0], a[1] + b[1])
    print("disk recall:       %d/%d notes collected and detected, recall %.4f" %
          (tot[0], tot[1], tot[0] / tot[1] if tot[1] else 0))
    print("  tuned families:  %d/%d, recall %.4f" % a)
    print("  held apart:      %d/%d, recall %.4f" % b)
    x = rate("benign"); y = rate("benign-same-name")
    print("disk benign:       %d/%d flagged, false-positive rate %.4f" % x)
    print("  under note names: %d/%d flagged, false-positive rate %.4f" % y)
    print("parsed notes:      %d rows in ransom_notes" % len(parsed))
    if os.environ.get("VERBOSE") == "1":
        for m in miss:
            # held-apart misses are counted, never shown: nobody tunes on them
            if m[0] == "tuned":
                print("miss", *m, sep="\t")
        for p in fps:
            print("false-positive", p, sep="\t")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "benign":
        benign(sys.argv[2], *(int(x) for x in sys.argv[3:5]))
    elif cmd == "place":
        place(*sys.argv[2:6])
    elif cmd == "score":
        score(*sys.argv[2:4])
