"""Screenshots of recruit_sms for the README, taken from a fresh demo database in headless
Chromium (`make screenshots`): the Communications tab, the inbox panel, a campaign's
review, a WhatsApp conversation in template mode, the texting law and one of its rules, the
texting settings in Recruitment's, and a booking link's page on a phone.
Chromium is driven over its DevTools protocol (websocket-client, which the tours need
anyway); the pictures land in docs/.

    python3 scripts/screenshots.py [--out docs]
"""

import argparse
import base64
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devenv import ADDON, LOCAL, ROOT, fail, free_port, odoo, odoo_importable, odoo_server, say, throwaway_server, write_config

WIDTH, HEIGHT = 1440, 900


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    fail("Chromium is needed for screenshots: apt-get install chromium")
    return None


class Page:
    """One Chromium tab, driven over the DevTools protocol."""

    def __init__(self, port):
        import websocket  # websocket-client: only this script needs it

        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                break
            except OSError:
                time.sleep(0.1)
        target = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == call_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{selector} did not appear")

    def click(self, selector):
        self.wait_for(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def goto(self, url, ready):
        self.call("Page.navigate", url=url)
        self.wait_for(ready)

    def shoot(self, path):
        time.sleep(1.5)  # fonts, avatars, the scroll to the newest message
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        say(f"wrote {Path(path).relative_to(ROOT)}")


def rpc(base, session, model, method, *args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
        "model": model, "method": method, "args": list(args), "kwargs": {}}}).encode()
    request = urllib.request.Request(f"{base}/web/dataset/call_kw", body, {
        "Content-Type": "application/json", "Cookie": f"session_id={session}"})
    return json.load(urllib.request.urlopen(request))["result"]


def login(base, database):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
        "db": database, "login": "admin", "password": "admin"}}).encode()
    request = urllib.request.Request(f"{base}/web/session/authenticate", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        cookie = response.headers.get("Set-Cookie", "")
    return cookie.split("session_id=", 1)[1].split(";", 1)[0]


def take(base, database, out, port):
    session = login(base, database)
    [applicant] = rpc(base, session, "hr.applicant", "search", [["partner_name", "=", "Lucas Martin"]])
    [campaign] = rpc(base, session, "recruit.sms.campaign", "search", [["name", "=", "Open day invitation"]])
    page = Page(port)
    page.call("Network.enable")
    page.call("Network.setCookie", name="session_id", value=session, url=base)
    page.goto(f"{base}/odoo/hr.applicant/{applicant}", ".o_form_view")
    page.click("a[name='recruit_sms_communications']")
    page.wait_for(".o_recruit_sms_conversation .o-mail-Message")
    page.shoot(out / "communications-tab.png")
    page.click(".o_recruit_sms_systray")
    page.wait_for(".o_recruit_sms_panel .o_recruit_sms_dot")
    page.shoot(out / "inbox-panel.png")
    # WhatsApp: a candidate who wrote there two days ago, so only an approved template can go
    [marco] = rpc(base, session, "hr.applicant", "search", [["partner_name", "=", "Marco Bianchi"]])
    page.goto(f"{base}/odoo/hr.applicant/{marco}", ".o_form_view")
    page.click("a[name='recruit_sms_communications']")
    page.wait_for(".o_recruit_sms_conversation .o_recruit_sms_whatsapp_badge")
    page.wait_for(".o_recruit_sms_channel_whatsapp.btn-primary")
    page.evaluate("document.querySelector('.o_recruit_sms_template_select').selectedIndex = 1, "
                  "document.querySelector('.o_recruit_sms_template_select').dispatchEvent(new Event('change'))")
    page.wait_for(".o_recruit_sms_template_preview")
    page.shoot(out / "whatsapp.png")
    page.goto(f"{base}/odoo/recruit.sms.campaign/{campaign}", ".o_form_view")
    page.shoot(out / "campaign-review.png")
    # the texting law of the places the addon knows
    page.goto(f"{base}/odoo/action-recruit_sms.recruit_sms_law_rule_action", ".o_list_view .o_data_row")
    page.shoot(out / "texting-law.png")
    [texas] = rpc(base, session, "recruit.sms.law.rule", "search", [["name", "=", "Texas (SB 140)"]])
    page.goto(f"{base}/odoo/action-recruit_sms.recruit_sms_law_rule_action/{texas}", ".o_form_view")
    page.shoot(out / "texting-law-rule.png")
    # what recruiters decide, in Recruitment's settings
    page.goto(f"{base}/odoo/action-hr_recruitment.action_hr_recruitment_configuration", "#recruit_sms_hours_setting")
    page.evaluate("document.querySelector('#recruit_sms_hours_setting').scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    page.shoot(out / "texting-settings.png")
    # a booking link's page, as the candidate's phone shows it
    sentence = rpc(base, session, "hr.applicant", "recruit_sms_booking_link", [applicant])
    link = sentence[sentence.index("/recruit_sms/book/"):].split()[0]
    page.call("Emulation.setDeviceMetricsOverride", width=390, height=760, deviceScaleFactor=2, mobile=True)
    page.goto(f"{base}{link}", ".o_recruit_sms_booking")
    page.shoot(out / "booking-page.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="docs", help="folder of the pictures (relative to the repository)")
    args = parser.parse_args()
    ok, why = odoo_importable()
    if not ok:
        fail(f"Odoo 19 is not importable ({why}): run `make run` once, or install it.")
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    LOCAL.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="shots-", dir=LOCAL))
    cluster, db_options = throwaway_server(workdir)
    try:
        database, http_port, debug_port = f"recruit_sms_shots_{os.getpid()}", free_port(), free_port()
        config = write_config(workdir / "odoo.conf", db_options, workdir / "data", http_port=http_port)
        say("installing a demo database")
        if odoo(config, "-d", database, "-i", ADDON, "--with-demo", "--stop-after-init", "--log-level=warn").returncode:
            fail(f"installing {ADDON} failed: see the log above")
        with odoo_server(config, database, workers=0, port=http_port) as base:
            browser = subprocess.Popen([
                chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                f"--user-data-dir={workdir / 'chromium'}", f"--remote-debugging-port={debug_port}",
                f"--window-size={WIDTH},{HEIGHT}", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                take(base, database, out, debug_port)
            finally:
                browser.terminate()
                browser.wait(timeout=30)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
