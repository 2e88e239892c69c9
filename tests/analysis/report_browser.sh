#!/bin/sh
# The report pages as people use them, in Debian's headless Chromium driven
# through chromedriver: the fleet view of three evidence items (one machine
# seen twice, counted once), its charts drawn, its graph's links filtering
# the hosts table, sorting and filtering, every link leading to a file of
# the case folder, hostile strings shown as text; a host report's timeline
# filtered by kind and zoomed to the incident window, its prefetch run times
# as times.  Screenshots are kept in tests/out/<build>/screens/.
. "$SHODO_TOP/tests/lib/common.sh"
need chromium chromium; need chromedriver chromium-driver; need sqlite3 sqlite3
c=$T/case
"$HELPERS/fake_triage" "$c" EV1 1 || fail "fake_triage EV1"
"$HELPERS/fake_triage" "$c" EV2 2 || fail "fake_triage EV2"
"$HELPERS/fake_triage" "$c" EV1-DEVICE 1 || fail "fake_triage EV1-DEVICE"
# EV1 and EV1-DEVICE are one machine: same SID and name (from its image and from the device)
for e in EV1 EV1-DEVICE; do
	sqlite3 "$c/$e/triage/triage.db" "INSERT INTO host(volume,key,value,source) VALUES('p2','machine_sid','S-1-5-21-11-22-33','SAM')"
done
sqlite3 "$c/EV2/triage/triage.db" "INSERT INTO host(volume,key,value,source) VALUES('p2','machine_sid','S-1-5-21-11-22-33','SAM')"
# the copies of the notes, where triage would have put them
for e in EV1 EV2 EV1-DEVICE; do
	sqlite3 "$c/$e/triage/triage.db" "select source from ransom_notes" | while read -r f; do
		mkdir -p "$c/$(dirname "$f")" && echo "note" > "$c/$f"
	done
done
shodo report "$c" -q || fail "report"
grep -q "^shodo .* fleet summary: 3 evidence items (2 hosts)" "$c/summary.txt" || fail "one machine seen twice is not one host: $(head -3 "$c/summary.txt")"
grep -Fxq "RANSOM NOTES: on 2 of 2 hosts, 5 copies, family lockbit" "$c/summary.txt" || fail "the machine seen twice was counted twice: $(grep 'RANSOM NOTES' "$c/summary.txt")"
screens=$SHODO_TOP/tests/out/$(basename "$SHODO_BUILD")/screens
PYTHONPATH=$SHODO_TOP/tests/lib python3 - "$c" "$screens" <<'PY' || fail "fleet page in Chromium"
import os, sys, urllib.parse
from browser import Browser
case, screens = sys.argv[1], sys.argv[2]
with Browser(screens) as b:
    t = b.open(case + "/report.html")
    print("fleet page ready in %.2f s" % t)
    n = b.js("return shodoTables.hosts.rows().count()")
    assert n == 2, "hosts rows %s" % n
    items = b.js("return shodoTables.hosts.rows().data().toArray().map(r => r[1].map(x => x[0]).join(' '))")
    assert sorted(items) == ["EV1 EV1-DEVICE", "EV2"], items
    # charts drawn: data in each, and pixels on each canvas
    for cid, want in (("c-spread", 2), ("c-failed", 2), ("c-top-accounts", 2), ("c-top-sources", 2)):
        got = b.js("var c = document.getElementById(arguments[0]); var ch = Chart.getChart(c);"
                   "if (!ch) return -1; var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                   "var k = 0; for (var i = 3; i < d.length; i += 4) if (d[i]) k++;"
                   "return k > 500 ? ch.data.datasets[0].data.length : -2", cid)
        assert got == want, "%s: %s" % (cid, got)
    spread = b.js("return Chart.getChart(document.getElementById('c-spread')).data.labels")
    assert spread == ["WS042", "WS043"], "spread not sorted by start: %s" % spread
    # the lateral movement graph: the brute-force source is marked, its node filters the hosts
    svg = b.js("return document.querySelector('#graph svg g#src0 text') ? Array.from("
               "document.querySelectorAll('#graph svg g#src0 text')).map(t => t.textContent).join('|') : ''")
    assert "10.1.1.5" in svg and "brute force" in svg, svg
    b.shot("fleet")
    b.js("location.hash = '#src=1'")
    assert b.js("return shodoTables.hosts.rows({search: 'applied'}).count()") == 2
    # sorting: encrypted files, ascending then descending, as the page shows it
    col = b.js("return Array.from(document.querySelectorAll('#t-hosts thead tr:first-child th')).findIndex(th => th.textContent.startsWith('encrypted files'))")
    assert col >= 0
    b.js("location.hash = ''; shodoTables.hosts.columns().search('').draw()")
    b.click("#t-hosts thead tr:first-child th:nth-child(%d)" % (col + 1))
    first = b.js("return document.querySelector('#t-hosts tbody tr td:nth-child(%d)').textContent" % (col + 1))
    b.click("#t-hosts thead tr:first-child th:nth-child(%d)" % (col + 1))
    first2 = b.js("return document.querySelector('#t-hosts tbody tr td:nth-child(%d)').textContent" % (col + 1))
    assert (first, first2) == ("120", "300"), (first, first2)
    # filtering: the global search and a column's box
    b.type("#t-hosts_filter input", "Tokyo")
    assert b.js("return document.querySelectorAll('#t-hosts tbody tr').length") == 1
    assert "WS043" in b.js("return document.querySelector('#t-hosts tbody tr').textContent")
    b.js("var i = document.querySelector('#t-hosts_filter input'); i.value = ''; shodoTables.hosts.search('').draw()")
    b.type("#t-hosts thead tr.colfilter input[data-col='0']", "WS042")
    rows = b.js("return Array.from(document.querySelectorAll('#t-hosts tbody tr')).map(r => r.cells[0].textContent)")
    assert rows == ["WS042"], rows
    b.shot("fleet-filtered")
    # hostile strings are text: no element made of them
    b.type("#t-notes_filter input", "onerror")
    cell = b.js("return document.querySelector('#t-notes tbody tr td:nth-child(2)').textContent")
    assert cell == 'Users/anna/Desktop/"><img src=x onerror=alert(1)>.hta', cell
    assert b.js("return document.querySelectorAll('img, iframe, object').length") == 0
    # every link of every table leads to a file of the case folder
    hrefs = b.js("return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    data = b.js("return JSON.parse(document.getElementById('shodo-data').textContent).tables")
    for t in data.values():
        for r in t["rows"]:
            for k, v in zip(t["spec"], r):
                if k == "a" and v and v[1]:
                    hrefs.append(v[1])
                if k == "L" and v:
                    hrefs += [x[1] for x in v if x[1]]
    files = [h for h in hrefs if not h.startswith("#")]
    assert len(files) > 20, files
    missing = {h for h in files if not os.path.exists(os.path.join(case, urllib.parse.unquote(h)))}
    assert not missing, "links to nothing: %s" % sorted(missing)[:5]
    # a host's link opens its report
    b.js("document.querySelector('#t-hosts thead tr.colfilter input').value = ''; shodoTables.hosts.columns().search('').draw()")
    b.click("#t-hosts tbody tr td a")
    title = b.js("return document.title")
    assert title.startswith("shodo triage: EV"), title
PY
PYTHONPATH=$SHODO_TOP/tests/lib python3 - "$c" "$screens" <<'PY' || fail "host report in Chromium"
import sys
from browser import Browser
case, screens = sys.argv[1], sys.argv[2]
with Browser(screens) as b:
    b.open(case + "/EV1/triage/report.html")
    tl = "shodoTables.timeline"
    inwin = b.js("return %s.rows({search: 'applied'}).count()" % tl)
    allrows = b.js("return %s.rows().count()" % tl)
    b.click("#tl-window")
    assert b.js("return %s.rows({search: 'applied'}).count()" % tl) == allrows
    assert inwin == allrows, (inwin, allrows)   # every row of EV1 is in its incident window
    b.click("#tl-window")
    b.type("#tl-from", "2024-03-02 03:00:00")
    zoomed = b.js("return %s.rows({search: 'applied'}).data().toArray().map(r => r[0].slice(0, 19))" % tl)
    assert 0 < len(zoomed) < allrows and min(zoomed) >= "2024-03-02 03:00:00", (len(zoomed), min(zoomed))
    b.shot("host-zoomed")
    b.click("#tl-window")
    kcol = "#t-timeline thead tr.colfilter input[data-col='1']"
    b.type(kcol, "logon_failure")
    kinds = b.js("return %s.rows({search: 'applied'}).data().toArray().map(r => r[1])" % tl)
    assert kinds and set(kinds) == {"logon_failure"}, set(kinds)
    b.type("#t-timeline thead tr.colfilter input[data-col='2']", "<script>")
    assert b.js("return %s.rows({search: 'applied'}).count()" % tl) == 3
    b.shot("host-timeline")
    got = b.js("return Chart.getChart(document.getElementById('c-timeline')).data.datasets[0].data.length")
    assert got > 2, got
    runs = b.js("return Array.from(document.querySelectorAll('#t-programs tbody tr')).map(r => r.cells[4].innerText)")
    assert "2024-03-01 03:19:00Z\n2024-03-01 03:18:00Z" in runs, runs
    assert not any(r.startswith("[") for r in runs), runs
    src = b.js("return document.querySelector('#t-programs tbody tr td:nth-child(6) a').getAttribute('href')")
    assert src == "../../EV1/PSEXEC.EXE-AD70946C.pf", src
    b.js("document.getElementById('programs').scrollIntoView()")
    b.shot("host-programs")
PY
ls "$screens"/fleet.png "$screens"/host-timeline.png >/dev/null || fail "no screenshots"
ok "fleet and host pages: charts, graph links, sorting, filters, links, escaping (screenshots in $screens)"
