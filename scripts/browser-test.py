#!/usr/bin/env python3
"""The real-browser test of `omsync serve`: headless Chromium (Debian's `chromium`) drives the
page through the DevTools protocol, as a person would with the keyboard.

It starts `.build/debug/omsync serve` on a copy of the shipped rules, loads the page, changes a
mapping and sees the preview change, breaks a line and sees its diagnostic (and that Ctrl+S
refuses to save it), fixes it and saves with Ctrl+S, then checks the file on disk. Then it
imports the sample into an `omsync sandbox` and opens the page on that ledger: the diff against
the payload last pushed is empty, and shows the pushed and the new value after an edit.

usage: scripts/browser-test.py [--screenshot docs/serve.png] [--diff-screenshot docs/serve-diff.png] [--chromium PATH]
Prints `N passed, M failed`; exits 1 when a check failed, 2 when Chromium or omsync is missing.
Only the standard library: the WebSocket client below is the little the protocol needs.
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class DevTools:
    """A minimal WebSocket client (RFC 6455, text frames, client masking) speaking CDP."""

    def __init__(self, url):
        match = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        self.sock = socket.create_connection((match.group(1), int(match.group(2))), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {match.group(3)} HTTP/1.1\r\nHost: {match.group(1)}:{match.group(2)}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(4096)
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise RuntimeError(f"DevTools refused the WebSocket: {response[:200]!r}")
        self.buffer = response.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        self.events = []

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _frame(self):
        message = b""
        while True:
            head = self._read(2)
            fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == 8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0, 1, 2):
                message += payload
                if fin:
                    return message.decode()

    def send(self, method, **params):
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            reply = json.loads(self._frame())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key, code, keycode, modifiers=0, text=None):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": keycode, "modifiers": modifiers}
            if text and kind == "keyDown":
                params["text"] = text
            self.send("Input.dispatchKeyEvent", **params)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name} {detail}")


def wait_for(tools, expression, timeout=15.0):
    """Polls a page expression until it is truthy; returns its last value."""
    deadline = time.time() + timeout
    value = None
    guarded = f"(() => {{ try {{ return {expression}; }} catch (error) {{ return null; }} }})()"
    while time.time() < deadline:
        value = tools.evaluate(guarded)
        if value:
            return value
        time.sleep(0.1)
    return value


def replace_in_editor(tools, old, new):
    """Selects `old` in the editor as a person would (caret and selection) and types `new`."""
    found = tools.evaluate(f"""(() => {{ const t = document.getElementById('text'); const at = t.value.indexOf({json.dumps(old)});
        if (at < 0) return false; t.focus(); t.setSelectionRange(at, at + {len(old)}); return true; }})()""")
    if found:
        tools.send("Input.insertText", text=new)
    return found


BINARY = os.path.join(ROOT, ".build/debug/omsync")
SAMPLE = os.path.join(ROOT, "samples/orders-envelope.json")


def start_serve(rules, ledger=None):
    if not os.access(BINARY, os.X_OK):
        print(f"browser-test: {BINARY} is missing: build first (swift build)", file=sys.stderr)
        sys.exit(2)
    process = subprocess.Popen([BINARY, "serve", "--port", "0", "--rules", rules, "--batch", SAMPLE,
                                "--ledger", ledger or os.path.join(rules, "no-ledger.sqlite")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        print(f"browser-test: omsync serve did not start: {line}{process.stderr.read()}", file=sys.stderr)
        sys.exit(2)
    return process, match.group(1)


def import_sample(ledger):
    """Imports the sample batch into a fresh `omsync sandbox` with the real import, so that the
    ledger holds what a user's would: the orders pushed and the payloads sent."""
    sandbox = subprocess.Popen([BINARY, "sandbox", "--port", "0", "--api-id", "browser-id", "--api-key", "browser-key-not-secret"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        base = None
        for _ in range(20):
            match = re.search(r"listening on (http://\S+)", sandbox.stdout.readline())
            if match:
                base = match.group(1)
                break
        if not base:
            print("browser-test: omsync sandbox did not start", file=sys.stderr)
            sys.exit(2)
        environment = dict(os.environ, UNLEASHED_API_ID="browser-id", UNLEASHED_API_KEY="browser-key-not-secret", UNLEASHED_API_URL=base)
        run = subprocess.run([BINARY, "import", SAMPLE, "--ledger", ledger], env=environment, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
        # The sample holds two invalid orders on purpose: exit 1, the other five imported.
        return run.returncode == 1 and os.path.exists(ledger), run.stdout + run.stderr
    finally:
        sandbox.terminate()
        sandbox.wait()


def open_page(port, url):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{url}/", method="PUT")
    target = json.load(urllib.request.urlopen(request, timeout=30))
    tools = DevTools(target["webSocketDebuggerUrl"])
    tools.send("Runtime.enable")
    tools.send("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
    loaded = wait_for(tools, "location.href.startsWith('http') && document.readyState === 'complete' && !!document.getElementById('status')", 60)
    return tools, loaded


def check_diff(checks, port, work, rules, screenshot=None):
    """Issue 9's diff, in the browser: after a real import, the first order's payload is the one
    pushed; an edit to a mapping shows, field by field, what it would change."""
    ledger = os.path.join(work, "ledger.sqlite")
    imported, output = import_sample(ledger)
    checks.check("the sample is imported into a sandbox (the ledger the page reads)", imported, output[-400:])
    if not imported:
        return
    serve, url = start_serve(rules, ledger)
    try:
        tools, loaded = open_page(port, url)
        checks.check("the page loads with the ledger", loaded)
        summary = "(document.getElementById('diff-summary') || {}).textContent || ''"
        checks.check("the diff says the payload is the one last pushed",
                     (wait_for(tools, f"{summary}.startsWith('No field changed') && {summary}") or "").startswith("No field changed"),
                     tools.evaluate(summary))
        replace_in_editor(tools, "nonempty(order.retailerAddress.country) ?? settings.default_country", '"New Zealand"')
        row = "[...document.querySelectorAll('#diff-table tbody tr')].find(r => r.dataset.path === 'DeliveryCountry')"
        cells = wait_for(tools, f"(() => {{ const r = {row}; return r ? [...r.cells].map(c => c.textContent).join('|') : ''; }})()")
        checks.check("an edit shows in the diff: the pushed value beside the new one", cells == "DeliveryCountry|Australia|New Zealand", cells)
        checks.check("the diff counts what changed",
                     tools.evaluate(summary).startswith("1 field changed"), tools.evaluate(summary))
        checks.check("the order is now planned as a replace", tools.evaluate("document.getElementById('action').textContent") == "replace")
        if screenshot:
            tools.evaluate("document.getElementById('diff').scrollIntoView()")
            time.sleep(0.3)
            with open(screenshot, "wb") as handle:
                handle.write(base64.b64decode(tools.send("Page.captureScreenshot", format="png")["data"]))
            print(f"saved {screenshot}")
    finally:
        serve.terminate()
        serve.wait()


def start_chromium(path, profile):
    process = subprocess.Popen([path, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                                "--disable-extensions", "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
                                "--window-size=1280,800", f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
                                "--remote-debugging-port=0", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = process.stderr.readline()
        match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if match:
            return process, int(match.group(1))
    process.kill()
    print("browser-test: Chromium did not start its DevTools endpoint", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screenshot", help="save a 1280×800 screenshot of the page here")
    parser.add_argument("--diff-screenshot", help="save a screenshot of the diff against the ledger here")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    arguments = parser.parse_args()
    if not arguments.chromium:
        print("browser-test: no chromium: apt-get install -y chromium", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="omsync-browser-")
    rules = os.path.join(work, "rules")
    os.makedirs(rules)
    for name in ("omsync.yaml", "settings.yaml"):
        shutil.copy(os.path.join(ROOT, "rules", name), rules)
    shipped = open(os.path.join(rules, "omsync.yaml"), encoding="utf-8").read()
    serve, url = start_serve(rules)
    chromium, port = start_chromium(arguments.chromium, os.path.join(work, "profile"))
    checks = Checks()
    try:
        tools, loaded = open_page(port, url)
        checks.check("the page loads", loaded, tools.evaluate("location.href"))
        country = "[...document.querySelectorAll('#fields tbody tr')].find(r => r.dataset.path === 'DeliveryCountry')"
        checks.check("the rules check clean",
                     wait_for(tools, "document.getElementById('status').textContent.includes('rules check clean')", 30),
                     tools.evaluate("document.getElementById('status').textContent"))
        checks.check("the preview shows the first sample order",
                     wait_for(tools, f"({country} || {{}}).textContent === 'DeliveryCountryAustralia'"))
        checks.check("seven orders in the list view", tools.evaluate("document.getElementById('orders').tBodies[0].rows.length") == 7)
        checks.check("hovering a field explains it with its rule line",
                     (wait_for(tools, f"(() => {{ {country}.dispatchEvent(new MouseEvent('mouseenter')); return document.getElementById('why').textContent; }})()") or "")
                     .startswith("DeliveryCountryFrom omsync.yaml:121"))

        changed = replace_in_editor(tools, "nonempty(order.retailerAddress.country) ?? settings.default_country", '"New Zealand"')
        checks.check("a mapping is changed in the editor", changed)
        checks.check("the preview follows the edit",
                     wait_for(tools, f"({country} || {{}}).textContent === 'DeliveryCountryNew Zealand' && {country}.classList.contains('changed')"),
                     tools.evaluate(f"({country} || {{}}).textContent"))
        checks.check("the tab marks the file unsaved", "●" in tools.evaluate("document.getElementById('files').textContent"))

        replace_in_editor(tools, "    do: block", "    do: blok")
        diagnostic = wait_for(tools, "[...document.querySelectorAll('#diagnostics li')].map(li => li.textContent).find(t => t.includes('E601')) || ''")
        checks.check("a broken line gets its diagnostic with code, place and hint",
                     "error[E601]" in diagnostic and "unknown action 'blok'" in diagnostic and "hint: did you mean 'block'?" in diagnostic, diagnostic)
        line = shipped.split("\n").index("    do: block") + 1
        checks.check("the diagnostic is marked at its line in the editor",
                     tools.evaluate(f"document.getElementById('gutter').children[{line - 1}].className === 'e' && !!document.querySelector('#backdrop mark')"))
        checks.check("the status says the preview is paused", "preview paused" in tools.evaluate("document.getElementById('status').textContent"))
        tools.key("s", "KeyS", 83, modifiers=2)
        refused = wait_for(tools, "document.getElementById('status').textContent.includes('not saved')")
        checks.check("Ctrl+S refuses to save rules with errors", refused, tools.evaluate("document.getElementById('status').textContent"))
        checks.check("the file on disk is unchanged", open(os.path.join(rules, "omsync.yaml"), encoding="utf-8").read() == shipped)

        replace_in_editor(tools, "    do: blok", "    do: block")
        checks.check("fixing the line clears the diagnostic",
                     wait_for(tools, "document.getElementById('status').textContent.includes('rules check clean')"
                                     " && !document.querySelector('#backdrop mark')"))
        if arguments.screenshot:
            warehouse = "[...document.querySelectorAll('#fields tbody tr')].find(r => r.dataset.path === 'Warehouse.WarehouseCode')"
            tools.evaluate(f"(() => {{ {warehouse}.dispatchEvent(new MouseEvent('mouseenter')); document.querySelector('#why a').click(); }})()")
            time.sleep(0.3)
            shot = tools.send("Page.captureScreenshot", format="png")
            with open(arguments.screenshot, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(f"saved {arguments.screenshot}")
        tools.evaluate("document.getElementById('text').focus()")
        tools.key("s", "KeyS", 83, modifiers=2)
        saved = wait_for(tools, "document.getElementById('status').textContent.startsWith('saved ')")
        checks.check("Ctrl+S saves the clean rules", saved, tools.evaluate("document.getElementById('status').textContent"))
        on_disk = open(os.path.join(rules, "omsync.yaml"), encoding="utf-8").read()
        checks.check("the saved file holds the edit and the fix",
                     on_disk == shipped.replace("nonempty(order.retailerAddress.country) ?? settings.default_country", '"New Zealand"'))
        checks.check("the tab is no longer marked unsaved", "●" not in tools.evaluate("document.getElementById('files').textContent"))

        # The diff needs a ledger: a second page, on a fresh copy of the shipped rules.
        diff_rules = os.path.join(work, "diff-rules")
        os.makedirs(diff_rules)
        for name in ("omsync.yaml", "settings.yaml"):
            shutil.copy(os.path.join(ROOT, "rules", name), diff_rules)
        check_diff(checks, port, work, diff_rules, arguments.diff_screenshot)
    finally:
        chromium.kill()
        serve.terminate()
        chromium.wait()
        serve.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
