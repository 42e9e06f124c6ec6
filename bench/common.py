"""Shared pieces of the benchmarks: a PostgreSQL cluster, a database with recruit_sms,
an Odoo server with workers, and a loopback load generator.

Benchmarks print figures and ratios against Odoo core's own path; they never pass or fail
on time.
"""

import contextlib
import http.client
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location("devenv", ROOT / "scripts" / "devenv.py")
devenv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devenv)


@contextlib.contextmanager
def bench_database(name, modules="recruit_sms", setup_script=None):
    """A throwaway cluster with database ``name`` where ``modules`` are installed and
    ``setup_script`` (Python run in `odoo shell`, with ``env``) has run. Yields
    (config path, workdir)."""
    ok, why = devenv.odoo_importable()
    if not ok:
        sys.exit(f"benchmark not run: Odoo 19 is not importable ({why})")
    devenv.LOCAL.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=devenv.LOCAL))
    cluster = devenv.Cluster(workdir / "postgres", devenv.free_port()).start()
    config = devenv.write_config(workdir / "odoo.conf", cluster.db_options(), workdir / "data")
    try:
        started = time.monotonic()
        result = devenv.odoo(config, "-d", name, "-i", modules, "--stop-after-init", "--log-level=warn")
        if result.returncode:
            sys.exit("installing failed")
        print(f"# installed {modules} in {time.monotonic() - started:.0f} s", flush=True)
        if setup_script:
            started = time.monotonic()
            odoo_shell(config, name, setup_script)
            print(f"# data set up in {time.monotonic() - started:.0f} s", flush=True)
        yield config, workdir
    finally:
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def odoo_shell(config, name, script):
    """Run ``script`` (Python, with ``env``) in `odoo shell` on database ``name``; print its output."""
    result = subprocess.run(
        [sys.executable, "-m", "odoo", "shell", "-c", str(config), "-d", name, "--log-level=warn", "--no-http"],
        input=script, text=True, check=False, capture_output=True,
    )
    print(result.stdout, end="", flush=True)
    if result.returncode or "Traceback" in result.stderr:
        print(result.stderr[-4000:])
        sys.exit("script failed")


# Shell code the sending benchmarks share (put before their scripts): a campaign sent as the
# cron sends it, and core's mass composer on the same kind of records
SENDING = r"""
def send_campaign(name, body, recipients):
    campaign = env["recruit.sms.campaign"].create({"name": name, "body": body, "recipient_ids": [(6, 0, recipients.ids)]})
    campaign.action_send()
    env.cr.commit()
    env["recruit.sms.campaign"]._recruit_sms_send_due(commit=True)
    env.cr.commit()
    return campaign


def send_with_core(body, records):
    env["sms.composer"].with_context(default_res_model="hr.applicant", default_res_ids=records.ids,
                                     default_composition_mode="mass").create(
        {"body": body, "mass_keep_log": True, "mass_force_send": True})._action_send_sms()
    env.cr.commit()


# core's mass composer on the next ``size`` applicants: (the stand-in's count of messages
# before it, wall seconds)
def core_on_next(runs, applicants, size, body, fake):
    import time
    start = next(runs)
    before = len(fake.messages)
    started = time.perf_counter()
    send_with_core(body, applicants[start:start + size])
    return before, time.perf_counter() - started
"""

# an Odoo server on a database, as the development scripts start one
odoo_server = devenv.odoo_server


def post_load(base_url, requests_, concurrency):
    """POST each (path, form, headers) with ``concurrency`` keep-alive connections.
    Returns (wall seconds, latencies in seconds, status counts)."""
    host = urllib.parse.urlsplit(base_url)
    queue = list(requests_)
    lock = threading.Lock()
    latencies, statuses = [], {}

    def worker():
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                path, form, headers = queue.pop()
            body = urllib.parse.urlencode(form)
            start = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded", **headers})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                status = "error"
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, statuses


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarize(wall, latencies):
    return {
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }
