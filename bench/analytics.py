#!/usr/bin/env python3
"""Texting analytics at volume: recruit_sms's dashboard (its materialized view) side by side
with the naive way, Odoo's own ``read_group`` over ``mail.message``, in one Odoo process.

Builds APPLICANTS applicants and MESSAGES texts over a year (70 % sent, with their SMS
notifications, 30 % received), with SQL copies of real records made through the addon's
own paths, then times, server side:

- the dashboard's default view: texts sent per day over the last 30 days (``read_group``
  on the analytics), and its headline figures (rates and percentiles);
- the same "texts per day" with ``read_group`` on ``mail.message``;
- a refresh of the analytics (what the hourly scheduled action does).

    python3 bench/analytics.py [--messages 1000000] [--applicants 100000]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_database, odoo_shell

DATABASE = "recruit_sms_bench_analytics"

SCRIPT = r'''
import statistics, time
from datetime import timedelta
from odoo import fields
from odoo.tools import SQL
MESSAGES, APPLICANTS = %(messages)d, %(applicants)d
cr = env.cr
env.company.sms_provider = "sandbox"
job = env["hr.job"].create({"name": "Bench job"})
# one real applicant with a sent text and a received one, made by the addon's own paths
template = env["hr.applicant"].create({"partner_name": "Template", "partner_phone": "+14155550100",
                                       "job_id": job.id, "recruit_sms_consent": True, "user_id": env.uid})
template.recruit_sms_compose("sms", "Hi", "Hello")
template.recruit_sms_simulate_reply("Hi back")
env.flush_all()

def copy_rows(table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id`` of ``table`` with ``overrides``
    {column: SQL expression of n, the copy's number}; returns nothing."""
    cr.execute(SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %%s AND column_name <> 'id'", table))
    columns = [row[0] for row in cr.fetchall()]
    select = [SQL(overrides[c]) if c in overrides else SQL.identifier("t", c) for c in columns]
    cr.execute(SQL("INSERT INTO %%s (%%s) SELECT %%s FROM %%s t, generate_series(1, %%s) n WHERE t.id = %%s",
                   SQL.identifier(table), SQL(", ").join(SQL.identifier(c) for c in columns),
                   SQL(", ").join(select), SQL.identifier(table), count, template_id))

started = time.perf_counter()
cr.execute("SELECT MAX(id) FROM hr_applicant")
first_applicant = cr.fetchone()[0] + 1
copy_rows("hr_applicant", template.id, APPLICANTS - 1, {"partner_name": "'Candidate ' || n",
                                                        "recruit_sms_waiting_since": "NULL"})
out_count, in_count = int(MESSAGES * 0.7), MESSAGES - int(MESSAGES * 0.7)
message = env["mail.message"].search([("model", "=", "hr.applicant"), ("res_id", "=", template.id),
                                      ("message_type", "=", "sms")], order="id", limit=1)
notification = message.notification_ids[:1]
inbound = env["recruit.sms.inbound"].search([("applicant_id", "=", template.id)], limit=1)
cr.execute("SELECT MAX(id) FROM mail_message")
first_message = cr.fetchone()[0] + 1
spread = "now() at time zone 'UTC' - (random() * interval '365 days')"
applicant_of = f"{first_applicant} + (random() * {APPLICANTS - 2})::int"
copy_rows("mail_message", message.id, out_count, {"res_id": applicant_of, "date": spread})
copy_rows("mail_notification", notification.id, out_count, {
    "mail_message_id": f"{first_message} + n - 1",
    "notification_status": "(ARRAY['sent', 'sent', 'sent', 'pending', 'exception'])[1 + (random() * 4)::int]"})
copy_rows("recruit_sms_inbound", inbound.id, in_count, {
    "message_sid": "'SMbench' || n", "applicant_id": applicant_of, "received_date": spread, "mail_message_id": "NULL"})
cr.execute("ANALYZE")
print(f"# {APPLICANTS} applicants, {out_count} texts sent, {in_count} received, set up in "
      f"{time.perf_counter() - started:.0f} s")

Report = env["recruit.sms.report"]
started = time.perf_counter()
Report._recruit_sms_refresh()
refresh = time.perf_counter() - started
since = fields.Datetime.now() - timedelta(days=30)

def timed(run, repeat=5):
    times = []
    for _ in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        outcome = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome

ours = timed(lambda: Report._read_group([("date", ">=", since)], ["date:day"], ["sent:sum"]))
figures = timed(lambda: Report.recruit_sms_figures([("date", ">=", since)]))
peer = timed(lambda: env["mail.message"]._read_group(
    [("model", "=", "hr.applicant"), ("message_type", "=", "sms"), ("date", ">=", since)], ["date:day"], ["__count"]))
print(f"{'path (median of 5, server side)':<52}{'seconds':>9}")
print(f"{'recruit_sms dashboard: sent per day, 30 days':<52}{ours[0]:>9.3f}")
print(f"{'recruit_sms headline figures, 30 days':<52}{figures[0]:>9.3f}")
print(f"{'mail.message read_group: SMS per day, 30 days':<52}{peer[0]:>9.3f}")
print(f"{'recruit_sms refresh (hourly, not on each view)':<52}{refresh:>9.3f}")
print(f"ratio peer/ours (per-day view): {peer[0] / ours[0]:.1f}")
print(f"# days {len(ours[1])}, sent {sum(c for _d, c in ours[1])}; mail.message days {len(peer[1])}; figures {figures[1]}")
env.cr.rollback()
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--applicants", type=int, default=100_000)
    args = parser.parse_args()
    with bench_database(DATABASE) as (config, _workdir):
        odoo_shell(config, DATABASE, SCRIPT % {"messages": args.messages, "applicants": args.applicants})


if __name__ == "__main__":
    main()
