#!/bin/sh
# The handover sheet: handover.html and handover.pdf (headless Chromium) of a
# case with an imaged and a triaged item.  Its hashes equal md5sum and
# sha256sum of the source, its custody head equals sha256sum of the line it
# names, the PDF is A4 and carries the case and the signature spaces; in
# Japanese (--lang ja) the sheet, the summary and the report are Japanese,
# and in English they are not.
. "$SHODO_TOP/tests/lib/common.sh"
need chromium chromium; need pdftotext poppler-utils; need pdfinfo poppler-utils
c=$T/case
head -c 3145728 /dev/urandom > "$T/disk.raw"
shodo image "$T/disk.raw" --case "$c" --evidence PC-07 --case-number HOSP-2021-001 --examiner "K. Tanaka" \
	--description "ward PC" --format raw -q > /dev/null 2>&1 || fail "image"
"$HELPERS/fake_triage" "$c" WS042 1 || fail "fake_triage"
shodo report "$c" -q || fail "report"
h=$c/handover.html
[ -s "$h" ] && [ -s "$c/handover.pdf" ] || fail "no handover.html or handover.pdf"
grep -q '<script' "$h" && fail "the handover sheet has a script"
md5=$(md5sum "$T/disk.raw" | cut -d' ' -f1); sha=$(sha256 "$T/disk.raw")
python3 - "$h" "$md5" "$sha" "$c/custody.jsonl" <<'PY' || fail "handover.html content"
import hashlib, html.parser, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
class P(html.parser.HTMLParser):
    rows, cur, cell = [], None, None
    def handle_starttag(self, t, a):
        if t == "tr": self.cur = []
        if t in ("th", "td"): self.cell = []
    def handle_endtag(self, t):
        if t in ("th", "td") and self.cur is not None: self.cur.append("".join(self.cell)); self.cell = None
        if t == "tr": self.rows.append(self.cur); self.cur = None
    def handle_data(self, d):
        if self.cell is not None: self.cell.append(d)
p = P(); p.feed(src)
kv = {}
for r in p.rows:
    if len(r) == 2: kv.setdefault(r[0], []).append(r[1])
assert kv["case number"] == ["HOSP-2021-001"], kv.get("case number")
assert "K. Tanaka" in kv["examiner"], kv["examiner"]
assert sys.argv[2] in kv["md5 as computed while reading the source"], "md5 differs from md5sum"
assert sys.argv[3] in kv["sha256 as computed while reading the source"], "sha256 differs from sha256sum"
assert sys.argv[3] in kv["sha256 read back from the image"], "verified sha256 missing"
assert kv["unreadable sectors"][0] == "none"
assert "ok" in kv["verification"][0] or "match" in kv["verification"][0], kv["verification"]
assert "WS042" in kv["host name (from its registry)"]
head, n = re.match(r"([0-9a-f]{64}) \(sha256 of entry (\d+) ", kv["custody chain head"][0]).groups()
line = open(sys.argv[4], "rb").read().split(b"\n")[int(n) - 1]
assert hashlib.sha256(line).hexdigest() == head, "custody head is not the sha256 of line %s" % n
for w in ("Handed over by", "Received by"): assert w in src
PY
pdfinfo "$c/handover.pdf" | grep -q 'Page size: *59[45].* x 84[12].* (A4)' || fail "handover.pdf is not A4: $(pdfinfo "$c/handover.pdf" | grep 'Page size')"
pdftotext "$c/handover.pdf" "$T/ho.txt" || fail "pdftotext"
for w in "Evidence handover sheet" HOSP-2021-001 PC-07 WS042 "K. Tanaka" "Handed over by" "Received by" "$md5"; do
	grep -q -- "$w" "$T/ho.txt" || fail "handover.pdf lacks '$w'"
done
grep -q '"object":"handover.pdf"' "$c/custody.jsonl" || fail "handover.pdf not in custody"
(cd "$c" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS after the handover"
grep -q '脅迫文\|証拠品' "$c/summary.txt" "$c/report.html" "$h" && fail "Japanese in the English reports"
# Japanese
shodo report "$c" -q --lang ja || fail "report --lang ja"
grep -q '^脅迫文: 1 台中 1 台, 4 部, ファミリー lockbit$' "$c/summary.txt" || fail "summary.txt not in Japanese: $(head -4 "$c/summary.txt")"
grep -q '<html lang="ja">' "$c/report.html" && grep -q '拡散: ホストごとの暗号化期間' "$c/report.html" || fail "report.html not in Japanese"
python3 - "$c/report.html" <<'PY' || fail "the page's words are not Japanese"
import sys; sys.path.insert(0, __import__("os").environ["SHODO_TOP"] + "/tests/lib")
import page_check
d = page_check.check(sys.argv[1], [])
assert d["i18n"]["not_measured"] == "未測定" and d["tables"]["hosts"]["cols"][0] == "ホスト", d["tables"]["hosts"]["cols"][:3]
PY
pdftotext "$c/handover.pdf" "$T/ja.txt" || fail "pdftotext ja"
for w in 証拠品引継書 HOSP-2021-001 引渡者 受領者 "$md5"; do grep -q -- "$w" "$T/ja.txt" || fail "Japanese handover.pdf lacks '$w'"; done
expect_exit 2 shodo report "$c" --lang fr
shodo report "$c" -q --no-pdf || fail "report --no-pdf"
[ -e "$c/handover.pdf" ] && fail "--no-pdf left an old handover.pdf beside a new sheet"
(cd "$c" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS after --no-pdf"
ok "handover sheet and PDF, hashes against md5sum/sha256sum, custody head, English and Japanese"
