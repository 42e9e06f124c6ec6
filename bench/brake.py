#!/usr/bin/env python3
"""The brake on carrier filtering, on the real path: how many texts of a 1,000-recipient
campaign go before it pauses itself, side by side with core's mass composer (which has no
brake) on the same stand-in.

The loopback Twilio stand-in reports 30 % of the texts it accepts as undelivered with
30007 (carrier filtering), through signed status callbacks to an Odoo server with workers,
as Twilio does; the engine runs in its own process, as the cron does. One number at
50 texts a second; the provider answering at once, then after 200 ms; the carriers'
final delivery reports coming 1 s after each text (Twilio's are seconds late in production).

    python3 bench/brake.py

About three minutes. The brake's threshold is the default one (5 filtered among the last
100 texts settled); the target is the threshold's sample plus the texts in flight, well
under 15 % of the campaign.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from campaign import ACCOUNT_SID, FAKE, SETUP, TOKEN
from common import SENDING, bench_database, odoo_server, odoo_shell

DATABASE = "recruit_sms_bench_brake"
# the stand-in reports "sent", then the final status, each this long after the previous step
MESSAGES, PEER, LATENCIES, REPORT_DELAY_MS = 1000, 200, (0, 200), 500

BRAKE = r'''
import sys, time
from odoo import fields
sys.path.insert(0, %(bench)r)
from fake_twilio import FakeTwilio
N, PEER, LATENCIES = %(n)d, %(peer)d, %(latencies)r
env["ir.config_parameter"].set_param("web.base.url", %(odoo)r)
fake = FakeTwilio(%(sid)r, %(token)r, undelivered_rate=0.3, undelivered_code=30007, callback_delay_ms=%(delay)d, seed=27)
fake.start()
company = env.company
company.write({"recruit_sms_twilio_api_url": fake.base_url, "recruit_sms_rate": 50})
env["sms.twilio.number"].search([("number", "=", "+15005550006")]).recruit_sms_rate = 50
env.cr.commit()
applicants = env["hr.applicant"].search([("partner_name", "=like", "Cand %%")], order="id")
body = "Acme Staffing: hi {{ object.partner_name }}, new shifts are open this week. Reply YES if interested."
runs = iter(range(0, len(applicants), N))
print(f"{'latency':>8} {'path':<24}{'sent':>6}{'of':>6}{'share':>8}{'wall s':>8}  state, why")
for latency in LATENCIES:
    fake.latency_s = latency / 1000
    # each run starts from a healthy sender, as after a manager's Resume, once the previous
    # run's last reports are in
    time.sleep(5)
    env["recruit.sms.sender"].search([]).write({"braked": False, "brake_reason": False,
                                                "reset_at": fields.Datetime.now()})
    env.cr.commit()
    time.sleep(1.1)  # texts settled from now on count (the reset is to the second)
    start = next(runs)
    recipients = applicants[start:start + N]
    before = len(fake.messages)
    started = time.perf_counter()
    campaign = send_campaign(f"Brake {latency}", body, recipients)
    wall = time.perf_counter() - started
    sent = len(fake.messages) - before
    env.invalidate_all()
    why = (campaign.pause_reason or "")[:90]
    print(f"{latency:>6}ms {'recruit_sms campaign':<24}{sent:>6}{N:>6}{100 * sent / N:>7.1f}%%{wall:>8.1f}  {campaign.state}: {why}")
    # core's mass composer: no brake, every text goes into the filtering
    before, wall = core_on_next(runs, applicants, PEER, body, fake)
    sent = len(fake.messages) - before
    print(f"{latency:>6}ms {'core mass composer':<24}{sent:>6}{PEER:>6}{100 * sent / PEER:>7.1f}%%{wall:>8.1f}  no brake")
time.sleep(2)
print(f"reported undelivered (30007) by the stand-in in all: {sum(1 for m in fake.messages if m.get('status') == 'undelivered')} "
      f"of {len(fake.messages)}")
fake.stop()
'''


def main():
    if not FAKE.exists():
        sys.exit(f"benchmark not run: the loopback Twilio stand-in {FAKE} is not here")
    runs = 2 * len(LATENCIES)
    values = {"n": MESSAGES, "peer": PEER, "latencies": list(LATENCIES), "sid": ACCOUNT_SID, "token": TOKEN,
              "bench": str(FAKE.parent), "delay": REPORT_DELAY_MS}
    setup = SETUP % {"n": MESSAGES * runs, "paced": 0, "fake": "http://127.0.0.1:9", "sid": ACCOUNT_SID, "token": TOKEN}
    with bench_database(DATABASE, setup_script=setup) as (config, _workdir), odoo_server(config, DATABASE) as odoo_url:
        odoo_shell(config, DATABASE, SENDING + BRAKE % {**values, "odoo": odoo_url})


if __name__ == "__main__":
    main()
