"""tests/lib/page_check.py FILE [STRING...] — a report page is one
self-contained file: its Content-Security-Policy loads nothing and allows
exactly its inline scripts (by sha256); no element or attribute comes from
evidence (no event handler, no external src/href, only the tags shodo and
Graphviz write); each STRING given appears, as text, in the page's data
block or its text.  Exit 0 or an assertion naming what is wrong."""
import base64, hashlib, html.parser, json, re, sys

ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "nav", "a", "div", "b", "span",
           "canvas", "table", "tr", "th", "td", "pre", "details", "summary", "script", "label", "input", "br",
           "small", "section", "thead", "tbody", "colgroup", "col",
           # Graphviz's SVG
           "svg", "g", "title", "polygon", "ellipse", "path", "text", "polyline", "defs", "lineargradient", "stop"}


class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.bad, self.text, self.scripts, self.csp, self.cur = set(), [], [], [], None, None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append((tag, k, v))
            if k in ("src", "href", "xlink:href") and v and (re.match(r"^[a-z]+:", v) or v.startswith("//")):
                self.bad.append((tag, k, v))
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content")
        if tag == "script":
            self.cur = [a.get("type"), a.get("id"), []]

    def handle_endtag(self, tag):
        if tag == "script" and self.cur:
            self.scripts.append((self.cur[0], self.cur[1], "".join(self.cur[2])))
            self.cur = None

    def handle_data(self, d):
        if self.cur is not None:
            self.cur[2].append(d)
        else:
            self.text.append(d)


def check(path, strings):
    src = open(path, encoding="utf-8").read()
    p = P()
    p.feed(src)
    assert p.csp and "default-src 'none'" in p.csp, "no CSP forbidding loads: %r" % p.csp
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", p.csp))
    assert "unsafe-inline" not in p.csp.split("script-src")[1].split(";")[0], "scripts allowed inline"
    data = None
    for typ, ident, body in p.scripts:
        if typ == "application/json":
            assert ident == "shodo-data" and data is None, "unexpected data block"
            data = json.loads(body)
            continue
        h = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert h in allowed, "a script the CSP does not name (%d bytes)" % len(body)
    assert not p.bad, "event or external attributes: %s" % p.bad[:3]
    assert p.tags <= ALLOWED, "unexpected elements: %s" % (p.tags - ALLOWED)
    texts = set()

    def walk(v):
        if isinstance(v, str):
            texts.add(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
    walk(data)
    alltext = "".join(p.text)
    for s in strings:
        assert s in alltext or any(s in t for t in texts), "not shown as text: %r" % s
    return data


if __name__ == "__main__":
    check(sys.argv[1], sys.argv[2:])
