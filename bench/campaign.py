#!/usr/bin/env python3
"""Campaign sending cost, side by side with core's sms.composer mass mode.

Builds a database with recruit_sms and N applicants, starts a loopback Twilio stand-in
(the shared fake_twilio.py, no rate limit), then in one Odoo process measures the CPU
seconds per message spent in Odoo (rendering, checks, enqueue, hand-off):

- ours: a campaign to all N applicants, sent by the engine;
- peer: core's sms.composer in mass mode (mass_force_send) on the same applicants and the
  same endpoint.

Then, with an Odoo server receiving the stand-in's signed status callbacks as in production, it
sends a campaign paced at --rate messages per second (achieved rate) and reports how many
messages of each path end delivered (core's mass mode logs its messages without delivery
notifications, so none of its callbacks land).

    python3 bench/campaign.py [--applicants 10000] [--rate 10] [--paced 200]

About ten minutes with the defaults, most of it core's path waiting on the stand-in.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_database, odoo_server, odoo_shell

DATABASE = "recruit_sms_bench_campaign"
ACCOUNT_SID = "AC" + "c" * 32
TOKEN = "bench-token"
FAKE = ROOT.parent / "shared" / "bench" / "fake_twilio.py"

SETUP = r'''
N, PACED, FAKE_URL = %(n)d, %(paced)d, %(fake)r
company = env.company
company.write({"sms_provider": "twilio", "sms_twilio_account_sid": %(sid)r, "sms_twilio_auth_token": %(token)r,
               "recruit_sms_twilio_api_url": FAKE_URL, "country_id": env.ref("base.us").id,
               "recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24, "recruit_sms_first_contact_notice": False,
               "recruit_sms_rate": 1000000})
env["sms.twilio.number"].create({"company_id": company.id, "number": "+15005550006", "country_id": env.ref("base.us").id,
                                 "recruit_sms_rate": 1000000})
ctx = dict(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
env["hr.applicant"].with_context(**ctx).create([
    {"partner_name": f"Cand {i}", "partner_phone": f"+1628{2000000 + i:07d}", "recruit_sms_consent": True}
    for i in range(N + 2 * PACED)])
env.cr.commit()
'''

# The measured phase: nothing else runs on the machine (no Odoo server: the status callbacks
# of these messages go nowhere), so that each path's CPU is its own.
CPU = r'''
import time, json, urllib.request
N, FAKE_URL = %(n)d, %(fake)r
applicants = env["hr.applicant"].search([("partner_name", "=like", "Cand %%")], order="id")[:N]

def fake_count():
    return len(json.load(urllib.request.urlopen(FAKE_URL + "/_admin/messages")))

body = "Hi {{ object.partner_name }}, new shifts are open this week. Reply YES if interested."
# ours
before = fake_count()
start_cpu, start_wall = time.process_time(), time.perf_counter()
campaign = env["recruit.sms.campaign"].create({"name": "Bench", "body": body, "recipient_ids": [(6, 0, applicants.ids)]})
campaign.action_send()
env.cr.commit()
env["recruit.sms.campaign"]._recruit_sms_send_due(commit=True)  # as the cron runs it
env.cr.commit()
ours_cpu, ours_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
ours_sent = fake_count() - before
# peer: core's mass composer, same records, same endpoint
before = fake_count()
start_cpu, start_wall = time.process_time(), time.perf_counter()
composer = env["sms.composer"].with_context(default_res_model="hr.applicant", default_res_ids=applicants.ids,
                                            default_composition_mode="mass").create(
    {"body": body, "mass_keep_log": True, "mass_force_send": True})
composer._action_send_sms()
env.cr.commit()
peer_cpu, peer_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
peer_sent = fake_count() - before
print(f"{'path':<32}{'sent':>7}{'CPU s':>9}{'CPU ms/msg':>12}{'wall s':>9}")
print(f"{'recruit_sms campaign':<32}{ours_sent:>7}{ours_cpu:>9.2f}{1000 * ours_cpu / max(ours_sent, 1):>12.2f}{ours_wall:>9.2f}")
print(f"{'core sms.composer mass (peer)':<32}{peer_sent:>7}{peer_cpu:>9.2f}{1000 * peer_cpu / max(peer_sent, 1):>12.2f}{peer_wall:>9.2f}")
print(f"ratio ours/peer CPU per message: {(ours_cpu / max(ours_sent, 1)) / (peer_cpu / max(peer_sent, 1)):.2f}")
'''

# With an Odoo server receiving the stand-in's signed status callbacks, as in production: a
# campaign paced at RATE (achieved rate), then how many messages of each path end delivered.
TRACKING = r'''
import time, json, urllib.request
from collections import Counter
N, RATE, PACED, FAKE_URL = %(n)d, %(rate)f, %(paced)d, %(fake)r
env["ir.config_parameter"].set_param("web.base.url", %(odoo)r)
env["sms.twilio.number"].search([("number", "=", "+15005550006")]).recruit_sms_rate = RATE
applicants = env["hr.applicant"].search([("partner_name", "=like", "Cand %%")], order="id")[N:]
ours_set, peer_set = applicants[:PACED], applicants[PACED:]
body = "Hi {{ object.partner_name }}, new shifts are open this week. Reply YES if interested."
before = len(json.load(urllib.request.urlopen(FAKE_URL + "/_admin/messages")))
campaign = env["recruit.sms.campaign"].create({"name": "Paced", "body": body, "recipient_ids": [(6, 0, ours_set.ids)]})
campaign.action_send()
env.cr.commit()
env["recruit.sms.campaign"]._recruit_sms_send_due(commit=True)
env.cr.commit()
arrivals = sorted(m["arrived_monotonic"] for m in json.load(urllib.request.urlopen(FAKE_URL + "/_admin/messages"))[before:])
span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0
achieved = (len(arrivals) - 1) / span if span else 0
worst = max(sum(1 for b in arrivals if a <= b < a + 1) for a in arrivals) if arrivals else 0
print(f"paced at {RATE:g}/s: {len(arrivals)} messages, achieved {achieved:.2f}/s ({100 * achieved / RATE:.1f} %% of the limit), "
      f"most in any 1 s window: {worst}")
peer_from = env["mail.notification"].search([], order="id desc", limit=1).id
env["sms.composer"].with_context(default_res_model="hr.applicant", default_res_ids=peer_set.ids,
                                 default_composition_mode="mass").create(
    {"body": body, "mass_keep_log": True, "mass_force_send": True})._action_send_sms()
env.cr.commit()

def statuses():
    env.invalidate_all()
    ours = Counter(campaign.line_ids.mapped("delivery_state"))
    peer = Counter(env["mail.notification"].search([("id", ">", peer_from), ("notification_type", "=", "sms")])
                   .mapped("notification_status"))
    env.cr.commit()
    return ours, peer

previous, deadline = None, time.monotonic() + 120
while time.monotonic() < deadline:  # the callbacks of the last messages need a moment
    time.sleep(5)
    current = statuses()
    if current == previous:
        break
    previous = current
ours_status, peer_status = current
print(f"delivered, from the status callbacks Odoo received: recruit_sms {ours_status['delivered']}/{len(ours_set)}; "
      f"core {peer_status['sent']}/{len(peer_set)} (it created {sum(peer_status.values())} delivery notifications)")
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--paced", type=int, default=200)
    args = parser.parse_args()
    if not FAKE.exists():
        sys.exit(f"benchmark not run: the loopback Twilio stand-in {FAKE} is not here")
    # the stand-in logs each status callback it delivers or not: not wanted among the figures
    fake = subprocess.Popen([sys.executable, str(FAKE), "--port", "0", "--account-sid", ACCOUNT_SID, "--auth-token", TOKEN],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = fake.stdout.readline()
        url = re.search(r"http://\S+", line).group(0)
        values = {"n": args.applicants, "rate": args.rate, "paced": args.paced, "fake": url, "sid": ACCOUNT_SID, "token": TOKEN}
        with bench_database(DATABASE, setup_script=SETUP % values) as (config, _workdir):
            odoo_shell(config, DATABASE, CPU % values)
            with odoo_server(config, DATABASE) as odoo_url:
                odoo_shell(config, DATABASE, TRACKING % {**values, "odoo": odoo_url})
    finally:
        fake.terminate()


if __name__ == "__main__":
    main()
