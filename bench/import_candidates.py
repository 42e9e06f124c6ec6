#!/usr/bin/env python3
"""Importing a spreadsheet of candidates, side by side with Odoo's own import
(base_import) of the same file, in one Odoo process.

The file is realistic: ROWS candidates with names, emails and phones in mixed national and
international formats, 5 % invalid numbers, 5 % duplicates of rows earlier in the file.
Each side imports it into the same database (rolled back in between): recruit_sms's Import
candidates, and base_import's ``execute_import`` with the same columns mapped to
hr.applicant fields. Two more lines give the applicants the import created straight to the
ORM, with no reading, checking, deduplicating, note or report: the floor (their contacts in
one ``create``, then the applicants in another), and ``hr.applicant.create`` in one call,
whose inverse creates each contact one at a time. Prints wall and CPU seconds of each and
the ratios.

    python3 bench/import_candidates.py [--rows 10000]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_database, odoo_shell

DATABASE = "recruit_sms_bench_import"

SCRIPT = r'''
import base64, csv, io, random, time
random.seed(11)
ROWS = %(rows)d
out = io.StringIO()
writer = csv.writer(out)
writer.writerow(["Name", "Phone", "Email"])
rows = []
for i in range(ROWS):
    if rows and random.random() < 0.05:
        rows.append(random.choice(rows))  # a duplicate of an earlier row
        continue
    number = 2000000 + i
    if random.random() < 0.05:
        phone = f"555-{i %% 100:02d}"  # invalid
    else:
        phone = random.choice([f"+1 628 {number // 10000:03d} {number %% 10000:04d}",
                               f"(628) {number // 10000:03d}-{number %% 10000:04d}",
                               f"628.{number // 10000:03d}.{number %% 10000:04d}"])
    rows.append([f"Candidate {i}", phone, f"candidate{i}@example.com"])
writer.writerows(rows)
data = out.getvalue().encode()
env.company.country_id = env.ref("base.us")
env.cr.commit()

def measure(run):
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    outcome = run()
    env.flush_all()
    return time.perf_counter() - start_wall, time.process_time() - start_cpu, outcome

created = []  # what the import created, for the floor
wizards = []

def ours():
    wizard = env["recruit.sms.import"].create({"data_file": base64.b64encode(data), "filename": "bench.csv"})
    wizard.action_import()
    if wizard.state == "queued":  # a long file: what the cron runs, here in the same process
        wizard._recruit_sms_import_queued()
    wizards[:] = wizard
    return f"{wizard.count_created} created, {wizard.count_updated} updated, {wizard.count_skipped} skipped"

# The applicants the import created, given straight to Odoo's create, each already valid and
# unique, without the creation message: no reading, checking, deduplicating, note or report.
Applicant = env["hr.applicant"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True)

def create_one_call():
    # Odoo's inverse creates each one's contact, one at a time
    values = [{key: row[key] for key in ("partner_name", "email_from", "partner_phone")} for row in created]
    return f"{len(Applicant.create(values))} created"

def floor():
    # the least the ORM can do for the same result: the contacts in one call, then the
    # applicants in one call
    partners = env["res.partner"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create([
        {"name": row["partner_name"], "email": row["email_from"], "phone": row["partner_phone"]} for row in created])
    applicants = Applicant.create([{"partner_name": row["partner_name"], "email_from": row["email_from"],
                                    "partner_phone": row["partner_phone"], "partner_id": partner.id}
                                   for row, partner in zip(created, partners, strict=True)])
    return f"{len(applicants)} created"

def peer():
    record = env["base_import.import"].create({"res_model": "hr.applicant", "file": data, "file_name": "bench.csv",
                                               "file_type": "text/csv"})
    result = record.execute_import(["partner_name", "partner_phone", "email_from"], ["Name", "Phone", "Email"],
                                   {"has_headers": True, "separator": ",", "quoting": '"', "encoding": "utf-8"})
    return f"{len(result.get('ids') or [])} created, {len(result.get('messages') or [])} messages"

import os
if os.environ.get("RSMS_PROFILE"):
    import cProfile, pstats
    prof = cProfile.Profile(time.process_time)
    prof.runcall(ours)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    env.cr.rollback()
results = {}
for name, run in (("recruit_sms Import candidates", ours), ("ORM floor: contacts, applicants", floor),
                  ("hr.applicant.create, one call", create_one_call), ("base_import (peer)", peer)):
    results[name] = measure(run)
    if run is ours:  # read outside the timing, before the rollback
        created[:] = wizards[0].line_ids.filtered(lambda line: line.result == "created").applicant_id.read(
            ["partner_name", "email_from", "partner_phone"], load=None)
    env.cr.rollback()
    env.invalidate_all()
print(f"{ROWS} rows")
print(f"{'path':<34}{'wall s':>9}{'CPU s':>9}  outcome")
for name, (wall, cpu, outcome) in results.items():
    print(f"{name:<34}{wall:>9.2f}{cpu:>9.2f}  {outcome}")
ours_wall, floor_wall, _one_call, peer_wall = (wall for wall, _cpu, _outcome in results.values())
print(f"ratio peer/ours wall: {peer_wall / ours_wall:.1f}")
print(f"ratio ours/floor wall: {ours_wall / floor_wall:.2f}")
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    with bench_database(DATABASE) as (config, _workdir):
        odoo_shell(config, DATABASE, SCRIPT % {"rows": args.rows})


if __name__ == "__main__":
    main()
