#!/usr/bin/env python3
"""Systray count and inbox panel as the data grows, side by side with mail's own
messaging-menu counter (needaction count) and inbox fetch on the same data.

Builds a database with 100,000 applicants, then grows the messages on them to 10k, 100k
and 1M (one in ten notifying the measured user, unread, as mail's inbox would hold), and
times in the server process, for one recruiter:

- ours: hr.applicant.recruit_sms_inbox_count() and recruit_sms_inbox_data()
- peer: res.partner._get_needaction_count() and mail.message._message_fetch(needaction)

    python3 bench/inbox_counts.py [--applicants 100000] [--sizes 10000,100000,1000000]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_database, devenv  # noqa: F401 - devenv checks Odoo

DATABASE = "recruit_sms_bench_inbox"

SCRIPT = r'''
import random, statistics, time
from datetime import datetime, timedelta
random.seed(7)
cr = env.cr
APPLICANTS, SIZES = %(applicants)d, %(sizes)r
group = env.ref("hr_recruitment.group_hr_recruitment_user")
users = env["res.users"].create([{"name": f"Recruiter {i}", "login": f"rec{i}", "email": f"rec{i}@example.com",
                                  "group_ids": [(6, 0, [group.id])]} for i in range(20)])
me = users[0]
job = env["hr.job"].create({"name": "Bench job"})
seed = env["hr.applicant"].with_context(tracking_disable=True, mail_create_nolog=True).create(
    [{"partner_name": f"Seed {i}", "job_id": job.id} for i in range(1000)])
env.flush_all()
cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'hr_applicant' AND column_name != 'id'")
columns = ", ".join(f'"{c}"' for (c,) in cr.fetchall())
cr.execute(f"INSERT INTO hr_applicant ({columns}) SELECT {columns} FROM hr_applicant, generate_series(1, %%s)",
           [APPLICANTS // 1000 - 1])
now = datetime.utcnow()
# 2 %% of the conversations wait for an answer, spread over the 20 recruiters and the team
cr.execute("""
    UPDATE hr_applicant SET
        recruit_sms_assigned_user_id = CASE WHEN mod(id, 21) = 0 THEN NULL ELSE (%%s::int[])[1 + mod(id, 20)] END,
        recruit_sms_waiting_since = CASE WHEN mod(id, 50) = 0 THEN %%s - mod(id, 2000) * interval '1 minute' END,
        recruit_sms_last_message_date = %%s - mod(id, 5000) * interval '1 minute',
        recruit_sms_last_inbound_date = %%s - mod(id, 5000) * interval '1 minute',
        recruit_sms_last_preview = 'Reply ' || id, recruit_sms_last_channel = 'sms', recruit_sms_state = 'open'
""", [users.ids, now, now, now])
cr.execute("ANALYZE hr_applicant")
cr.execute("SELECT min(id), max(id) FROM hr_applicant")
low, high = cr.fetchone()
applicant = env["hr.applicant"].browse(low)
template = applicant.message_post(body="Template message", message_type="sms", subtype_xmlid="mail.mt_note",
                                  partner_ids=me.partner_id.ids)
env.flush_all()
cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'mail_message' AND column_name NOT IN ('id', 'res_id')")
msg_columns = ", ".join(f'"{c}"' for (c,) in cr.fetchall())
env.cr.commit()

def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)

ours_env = env["hr.applicant"].with_user(me)
messages = env["mail.message"].with_user(me)
print(f"{'messages':>9} {'count ms':>9} {'peer ms':>8} {'ratio':>6} {'panel ms':>9} {'peer ms':>8} {'ratio':>6}  (count, needaction)")
have = 1
for size in SIZES:
    todo = size - have
    if todo > 0:
        cr.execute(f"""
            INSERT INTO mail_message (res_id, {msg_columns})
            SELECT %%s + mod(g, %%s - %%s + 1), {msg_columns} FROM mail_message, generate_series(1, %%s) g WHERE id = %%s
            RETURNING id
        """, [low, high, low, todo, template.id])
        ids = [row[0] for row in cr.fetchall()]
        notify = ids[::10]
        cr.execute("""
            INSERT INTO mail_notification (mail_message_id, res_partner_id, notification_type, notification_status, is_read, author_id)
            SELECT unnest(%%s::int[]), %%s, 'inbox', 'sent', false, %%s
        """, [notify, me.partner_id.id, me.partner_id.id])
        cr.execute("ANALYZE mail_message; ANALYZE mail_notification")
        env.cr.commit()
        have = size
    count = ours_env.recruit_sms_inbox_count()
    needaction = me.partner_id._get_needaction_count()
    ours_count = timed(lambda: ours_env.recruit_sms_inbox_count(), 50)
    peer_count = timed(lambda: me.partner_id.with_user(me)._get_needaction_count(), 50)
    ours_panel = timed(lambda: ours_env.recruit_sms_inbox_data(), 20)
    peer_panel = timed(lambda: messages._message_fetch(domain=[("needaction", "=", True)], limit=30), 20)
    print(f"{size:>9} {ours_count:>9.2f} {peer_count:>8.2f} {ours_count / peer_count:>6.2f} "
          f"{ours_panel:>9.2f} {peer_panel:>8.2f} {ours_panel / peer_panel:>6.2f}  ({count}, {needaction})", flush=True)
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    script = SCRIPT % {"applicants": args.applicants, "sizes": sizes}
    with bench_database(DATABASE, setup_script=script):
        pass


if __name__ == "__main__":
    main()
