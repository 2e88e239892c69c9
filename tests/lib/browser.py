"""tests/lib/browser.py — drives Debian's headless Chromium through
chromedriver (WebDriver over HTTP, Python's standard library only) for the
report page tests.

    with Browser(screens_dir) as b:
        b.open("/path/report.html")          # waits for body[data-ready]
        b.js("return document.title")
        b.shot("fleet")                      # screens_dir/fleet.png
"""
import base64, json, os, socket, subprocess, tempfile, time, urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Browser:
    def __init__(self, screens):
        self.screens = screens
        os.makedirs(screens, exist_ok=True)
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="shodo-chromium.")
        self.log = open(os.path.join(self.profile, "chromedriver.log"), "w")
        self.drv = subprocess.Popen(["chromedriver", "--port=%d" % self.port], stdout=self.log, stderr=self.log)
        self.base = "http://127.0.0.1:%d" % self.port
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/status", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium", "args": FLAGS + ["--user-data-dir=" + self.profile + "/p"]}}}}
        r = self.call("POST", "/session", caps)
        self.sid = r["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as f:
                return json.load(f)["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("webdriver %s %s: %s" % (method, path, e.read().decode()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def open(self, path, timeout=30):
        t0 = time.time()
        self.s("POST", "/url", {"url": "file://" + os.path.abspath(path)})
        while self.js("return document.body && document.body.getAttribute('data-ready')") != "1":
            if time.time() - t0 > timeout:
                raise RuntimeError("page not ready: " + path)
            time.sleep(0.05)
        return time.time() - t0

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, css):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        eid = list(el.values())[0]
        self.s("POST", "/element/%s/click" % eid, {})

    def type(self, css, text):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        eid = list(el.values())[0]
        self.s("POST", "/element/%s/clear" % eid, {})
        self.s("POST", "/element/%s/value" % eid, {"text": text})

    def shot(self, name):
        png = base64.b64decode(self.s("GET", "/screenshot"))
        p = os.path.join(self.screens, name + ".png")
        open(p, "wb").write(png)
        return p

    def __enter__(self):
        return self

    def __exit__(self, *a):
        try:
            self.call("DELETE", "/session/" + self.sid)
        except Exception:
            pass
        self.drv.terminate()
        self.drv.wait(10)
        self.log.close()
        subprocess.call(["rm", "-rf", self.profile])
