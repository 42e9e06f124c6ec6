#!/usr/bin/env python3
"""Inbound webhook throughput, side by side with core sms_twilio's status callback.

Builds a database with recruit_sms and 10,000 applicants, starts Odoo with 2 workers and
fires signed webhooks from a loopback load generator at increasing concurrency:

- ours: POST /recruit_sms/twilio/inbound (signature check, store, match, post on the
  applicant, notify the recruiter);
- peer: POST /sms_twilio/status/<uuid> (core: signature check, update the tracker).

Then it replays every inbound message (Twilio's retries) concurrently and counts the
stored rows: duplicates must be 0.

    python3 bench/inbound_webhook.py [--applicants 10000] [--requests 600] [--levels 1,4,8,16]
"""

import argparse
import base64
import hashlib
import hmac
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_database, odoo_server, post_load, summarize
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-token"
TO_NUMBER = "+15005550006"
DATABASE = "recruit_sms_bench_inbound"

SETUP = """
import uuid
company = env.company
company.write({"sms_provider": "twilio", "sms_twilio_account_sid": %(sid)r, "sms_twilio_auth_token": %(token)r,
               "country_id": env.ref("base.us").id})
env["sms.twilio.number"].create({"company_id": company.id, "number": %(to)r, "country_id": env.ref("base.us").id})
recruiter = env["res.users"].create({"name": "Bench Recruiter", "login": "bench_recruiter", "email": "bench@example.com",
    "group_ids": [(6, 0, [env.ref("hr_recruitment.group_hr_recruitment_user").id])]})
job = env["hr.job"].create({"name": "Bench job"})
for start in range(0, %(applicants)d, 1000):
    env["hr.applicant"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True).create([
        {"partner_name": f"Applicant {i}", "partner_phone": f"+1415{i:07d}", "job_id": job.id, "user_id": recruiter.id,
         "recruit_sms_consent": True}
        for i in range(start, min(start + 1000, %(applicants)d))])
    env.cr.commit()
# the peer's data: SMS awaiting a status callback, as core sms_twilio leaves them
sms = env["sms.sms"].create([{"number": f"+1415{i:07d}", "body": "hello", "state": "pending", "uuid": uuid.uuid4().hex}
                             for i in range(%(callbacks)d)])
env["sms.tracker"].create([{"sms_uuid": s.uuid} for s in sms])
env["ir.config_parameter"].set_param("bench.uuids", ",".join(sms.mapped("uuid")))
env.cr.commit()
print("# applicants:", env["hr.applicant"].search_count([]), "sms awaiting callbacks:", len(sms))
"""


def inbound_requests(base_url, count, offset):
    url = base_url + "/recruit_sms/twilio/inbound"
    validator = RequestValidator(AUTH_TOKEN)
    requests_ = []
    for index in range(offset, offset + count):
        form = {
            "MessageSid": f"SM{index:032d}", "AccountSid": ACCOUNT_SID, "From": f"+1415{index % 10000:07d}",
            "To": TO_NUMBER, "Body": f"Reply number {index}", "NumMedia": "0", "NumSegments": "1", "FromCountry": "US",
        }
        requests_.append(("/recruit_sms/twilio/inbound", form, {"X-Twilio-Signature": validator.compute_signature(url, form)}))
    return requests_


def status_requests(base_url, uuids):
    requests_ = []
    for uuid in uuids:
        form = {"SmsStatus": "delivered", "MessageStatus": "delivered", "MessageSid": "SM" + uuid, "AccountSid": ACCOUNT_SID}
        data = f"{base_url}/sms_twilio/status/{uuid}" + "".join(f"{k}{v}" for k, v in sorted(form.items()))
        signature = base64.b64encode(hmac.new(AUTH_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()
        requests_.append((f"/sms_twilio/status/{uuid}", form, {"X-Twilio-Signature": signature}))
    return requests_


def sql(config, query):
    options = dict(line.split(" = ", 1) for line in Path(config).read_text().splitlines()[1:] if " = " in line)
    result = subprocess.run(
        ["psql", "-h", options["db_host"], "-p", options["db_port"], "-U", options["db_user"], "-d", DATABASE, "-tAc", query],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=600, help="requests per route and concurrency level")
    parser.add_argument("--levels", default="1,4,8,16")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    callbacks = args.requests * len(levels)
    setup = SETUP % {"sid": ACCOUNT_SID, "token": AUTH_TOKEN, "to": TO_NUMBER, "applicants": args.applicants,
                     "callbacks": callbacks}
    with bench_database(DATABASE, setup_script=setup) as (config, _workdir), odoo_server(config, DATABASE, workers=2) as base:
        sql(config, f"UPDATE ir_config_parameter SET value = '{base}' WHERE key = 'web.base.url'")
        sql(config, "INSERT INTO ir_config_parameter (key, value) VALUES ('web.base.url.freeze', 'True') ON CONFLICT (key) DO NOTHING")
        uuids = sql(config, "SELECT value FROM ir_config_parameter WHERE key = 'bench.uuids'").split(",")
        # warm both routes up (worker start, registry load)
        post_load(base, inbound_requests(base, 20, 10_000_000), 2)
        post_load(base, status_requests(base, uuids[:20]), 2)
        uuids = uuids[20:]
        print(f"{'route':<34}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  statuses")
        offset = 0
        sent_sids = []
        for level in levels:
            ours = inbound_requests(base, args.requests, offset)
            sent_sids += [form["MessageSid"] for _path, form, _headers in ours]
            offset += args.requests
            wall, latencies, statuses = post_load(base, ours, level)
            mine = summarize(wall, latencies)
            print(f"{'recruit_sms inbound':<34}{level:>5}{mine['rps']:>9.1f}{mine['p50_ms']:>9.1f}{mine['p99_ms']:>9.1f}  {statuses}")
            peer_batch, uuids = uuids[: args.requests], uuids[args.requests:]
            wall, latencies, statuses = post_load(base, status_requests(base, peer_batch), level)
            peer = summarize(wall, latencies)
            print(f"{'core sms_twilio status (peer)':<34}{level:>5}{peer['rps']:>9.1f}"
                  f"{peer['p50_ms']:>9.1f}{peer['p99_ms']:>9.1f}  {statuses}")
            print(f"{'  ratio ours/peer':<34}{level:>5}{mine['rps'] / peer['rps']:>9.2f}"
                  f"{mine['p50_ms'] / peer['p50_ms']:>9.2f}{mine['p99_ms'] / peer['p99_ms']:>9.2f}")
        # Twilio's retries: every message again, concurrently
        replay = inbound_requests(base, offset, 0)
        wall, latencies, statuses = post_load(base, replay + replay[: len(replay) // 2], max(levels))
        warmup = 20
        stored = int(sql(config, "SELECT count(*) FROM recruit_sms_inbound")) - warmup
        print(f"retries: {len(replay) * 3 // 2} replayed requests {statuses}; messages sent {len(sent_sids)}, "
              f"stored {stored}, duplicates {stored - len(sent_sids)}")
        # the queue: attach what the webhook stored (post on the applicant, notify)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "odoo", "shell", "-c", str(config), "-d", DATABASE, "--log-level=warn", "--no-http"],
            input="env['recruit.sms.inbound']._cron_process_received()\nenv.cr.commit()\n", text=True,
            capture_output=True, check=False,
        )
        elapsed = time.perf_counter() - started
        attached = int(sql(config, "SELECT count(*) FROM recruit_sms_inbound WHERE state = 'matched'"))
        posted = int(sql(config, "SELECT count(*) FROM mail_message WHERE message_type = 'sms' AND model = 'hr.applicant'"))
        print(f"queue: attached {attached} messages ({posted} posted on applicants) in {elapsed:.1f} s including "
              f"Odoo start-up: {attached / elapsed:.0f} msg/s; exit {result.returncode}")


if __name__ == "__main__":
    main()
