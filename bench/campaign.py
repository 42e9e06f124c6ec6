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

    python3 bench/campaign.py --latency

The real network: the stand-in answers after 200 ms, then 400 ms; a campaign of 1,000 from
one number at 50/s, then from one Messaging Service at 100/s, with the achieved rate as a
share of the configured one and the most messages that arrived in any one second; core's
mass composer on 200 of the same kind of records beside it; then the stand-in creating
every message but answering after Odoo's 5 s timeout, and how many texts each recipient
got (about five minutes).
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SENDING, bench_database, odoo_server, odoo_shell

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


# --latency: the real network. The stand-in runs in this process (its latency can then be
# changed between runs, and its threads only sleep); 1,000 messages per run, from one
# number at 50/s and from one Messaging Service at 100/s, at each latency, beside core's
# mass composer on the same records; then Twilio answering after the 5 s timeout.
LATENCY = r'''
import sys, time
from collections import Counter
sys.path.insert(0, %(bench)r)
from fake_twilio import FakeTwilio
N, PEER, LATENCIES = %(n)d, %(peer)d, %(latencies)r
SERVICE = "MG" + "d" * 32
fake = FakeTwilio(%(sid)r, %(token)r)
fake.start()
company = env.company
company.recruit_sms_twilio_api_url = fake.base_url
number = env["sms.twilio.number"].search([("number", "=", "+15005550006")])
applicants = env["hr.applicant"].search([("partner_name", "=like", "Cand %%")], order="id")
body = "Hi {{ object.partner_name }}, new shifts are open this week. Reply YES if interested."
runs = iter(range(0, len(applicants), N))

def arrivals(before):
    return sorted(m["arrived_monotonic"] for m in fake.messages[before:])

def figures(stamps, rate):
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0
    achieved = (len(stamps) - 1) / span if span else 0
    worst = max(sum(1 for b in stamps if a <= b < a + 1) for a in stamps) if stamps else 0
    return achieved, worst

print(f"{'latency':>8} {'sender':<28}{'path':<22}{'sent':>6}{'wall s':>8}{'rate/s':>8}{'%% of limit':>11}{'max in 1 s':>11}")
for latency in LATENCIES:
    fake.latency_s = latency / 1000
    for label, rate, service in (("number at 50/s", 50.0, False), ("Messaging Service at 100/s", 100.0, True)):
        company.write({"recruit_sms_twilio_messaging_service_sid": SERVICE if service else False, "recruit_sms_rate": rate})
        number.recruit_sms_rate = rate
        start = next(runs)
        recipients = applicants[start:start + N]
        before = len(fake.messages)
        started = time.perf_counter()
        send_campaign(f"Latency {latency} {label}", body, recipients)
        wall = time.perf_counter() - started
        stamps = arrivals(before)
        achieved, worst = figures(stamps, rate)
        print(f"{latency:>6}ms {label:<28}{'recruit_sms campaign':<22}{len(stamps):>6}{wall:>8.1f}{achieved:>8.1f}"
              f"{100 * achieved / rate:>10.1f}%%{worst:>11}")
    # core's mass composer sends one request after the other, whatever the sender's rate
    before, wall = core_on_next(runs, applicants, PEER, body, fake)
    stamps = arrivals(before)
    achieved, worst = figures(stamps, 100.0)
    print(f"{latency:>6}ms {'(no pace)':<28}{'core mass composer':<22}{len(stamps):>6}{wall:>8.1f}{achieved:>8.1f}"
          f"{'':>11}{worst:>11}")

# Twilio creates each message but answers after the 5 s timeout
company.write({"recruit_sms_twilio_messaging_service_sid": False, "recruit_sms_rate": 50})
number.recruit_sms_rate = 50
fake.latency_s = 5.5
start = next(runs)
late = applicants[start:start + 20]
before = len(fake.messages)
campaign = send_campaign("Late answers", body, late)
states = Counter(campaign.line_ids.mapped("state"))
fake.latency_s = 0
time.sleep(2)  # the stand-in creates a message once its latency is over: the answer came late, not the message
# no status callback reaches this process: past the confirmation delay, the engine looks them up
env.cr.execute("UPDATE recruit_sms_campaign_line SET next_attempt_at = now() at time zone 'UTC' WHERE campaign_id = %%s",
               [campaign.id])
env.cr.commit()
env["recruit.sms.campaign"]._recruit_sms_send_due(commit=True)
env.cr.commit()
env.invalidate_all()
per_recipient = Counter(m["to"] for m in fake.messages[before:])
print(f"answers after 5.5 s: {len(late)} recipients, first run {dict(states)}, then {dict(Counter(campaign.line_ids.mapped('state')))}; "
      f"texts per recipient: {sorted(set(per_recipient.values()))} (target: [1]); campaign {campaign.state}")
fake.stop()
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=10000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--paced", type=int, default=200)
    parser.add_argument("--latency", action="store_true",
                        help="the real network instead: achieved rate at 200 and 400 ms of provider latency (1,000 "
                             "messages a run), beside core's mass composer, then answers after the timeout")
    args = parser.parse_args()
    if args.latency:
        return latency_mode()
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


def latency_mode(messages=1000, peer=200, latencies=(200, 400)):
    runs = 2 * len(latencies) + len(latencies) + 1  # ours (two senders), core's, the late answers
    values = {"n": messages, "peer": peer, "latencies": list(latencies), "sid": ACCOUNT_SID, "token": TOKEN,
              "bench": str(FAKE.parent), "paced": 0, "fake": "http://127.0.0.1:9"}
    setup = SETUP % {**values, "n": messages * runs}
    with bench_database(DATABASE + "_latency", setup_script=setup) as (config, _workdir):
        odoo_shell(config, DATABASE + "_latency", SENDING + LATENCY % values)


if __name__ == "__main__":
    main()
